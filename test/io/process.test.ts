/**
 * Child processes: stdout read through the reader while waiting for exit, stdin written and
 * ended, a spawn failure thrown by wait(), and close() killing a child that still runs.
 */
import { describe, expect, test } from "vitest";
import { Executor, join } from "../../runtime/index";
import { spawnProcess, type ExitStatus, type NodeReader } from "../../runtime/io/index";
import { quietResources, settledResources, task, withoutTimers } from "./support";

function readText(reader: NodeReader) {
  return task(function* () {
    const buffer = Buffer.alloc(16);
    let text = "";
    for (;;) {
      const n = (yield reader.read(buffer)) as number;
      if (n === 0) return text;
      text += buffer.toString("utf8", 0, n);
    }
  });
}

describe("child processes", () => {
  test("stdin in, stdout out, exit code: a child that upper-cases what it reads", async () => {
    const before = await quietResources();
    const child = spawnProcess(process.execPath, ["-e", "process.stdin.on('data', (d) => process.stdout.write(String(d).toUpperCase())).on('end', () => process.exit(3))"]);
    const result = await new Executor().run(
      task(function* () {
        try {
          yield child.stdin!.write("hello from the parent, ");
          yield child.stdin!.write("twice");
          yield child.stdin!.end();
          return yield join([readText(child.stdout!), child.wait()]);
        } finally {
          child.close();
        }
      }),
    );
    expect(result).toEqual(["HELLO FROM THE PARENT, TWICE", { code: 3, signal: null } satisfies ExitStatus]);
    expect(await settledResources(before)).toEqual(withoutTimers(before));
  });

  test("a command that cannot start: wait() throws ENOENT (no unhandled 'error')", async () => {
    const child = spawnProcess("/nonexistent/async-machine-no-such-command");
    await expect(new Executor().run(child.wait())).rejects.toMatchObject({ code: "ENOENT" });
    child.close();
  });

  test("close() kills a child that still runs; wait() reports the signal", async () => {
    const before = await quietResources();
    const child = spawnProcess(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
    const executor = new Executor();
    const waiting = executor.run(child.wait());
    child.close();
    expect(await waiting).toEqual({ code: null, signal: "SIGKILL" });
    expect(await settledResources(before)).toEqual(withoutTimers(before));
  });
});
