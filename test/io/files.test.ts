/**
 * Files through fs callbacks: ranges written and read back at explicit positions, end of file,
 * an open error thrown to the task, and a cancelled open that closes the descriptor it got.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { Context, Executor, noopWaker, PENDING } from "../../runtime/index";
import { openFile, type File } from "../../runtime/io/index";
import { quietResources, settledResources, task, turns, withoutTimers } from "./support";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-io-files-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("files", () => {
  test("write ranges at positions, read them back, read past the end returns 0", async () => {
    const file = path.join(dir, "ranges.bin");
    const executor = new Executor();
    const result = await executor.run(
      task(function* () {
        const out = (yield openFile(file, "w+")) as File;
        try {
          yield out.write(Buffer.from("world"), 0, 5, 6);
          yield out.write(Buffer.from("hello "), 0, 6, 0);
          const buffer = Buffer.alloc(8);
          const n = (yield out.read(buffer, 0, 8, 3)) as number;
          const atEnd = (yield out.read(buffer, 0, 8, 100)) as number;
          return [buffer.toString("utf8", 0, n), atEnd];
        } finally {
          yield out.close();
        }
      }),
    );
    expect(result).toEqual(["lo world", 0]);
    expect(fs.readFileSync(file, "utf8")).toBe("hello world");
  });

  test("an open error (ENOENT) is thrown to the task", async () => {
    await expect(new Executor().run(openFile(path.join(dir, "missing", "x"), "r"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  test("a dropped open closes the descriptor when it arrives; nothing is left open", async () => {
    const before = await quietResources();
    const fdsBefore = fs.readdirSync("/proc/self/fd").length;
    const opening = openFile(path.join(dir, "ranges.bin"), "r");
    const cx = new Context(noopWaker);
    expect(opening.poll(cx)).toBe(PENDING);
    opening.drop(cx);
    await turns(10);
    expect(await settledResources(before)).toEqual(withoutTimers(before));
    expect(fs.readdirSync("/proc/self/fd").length).toBe(fdsBefore);
    expect(() => opening.poll(cx)).toThrow(/polled after it was dropped/);
  });
});
