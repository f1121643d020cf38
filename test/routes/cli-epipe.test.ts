/**
 * `async-machine inspect big.ts | head -1`: the reader closes the pipe early; the command must
 * end quietly (no EPIPE stack on stderr), as other command-line tools do.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect, test } from "vitest";

test("inspect piped into a reader that stops early ends without an EPIPE stack", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "async-machine-epipe-"));
  try {
    const file = path.join(dir, "big.ts");
    fs.writeFileSync(file, Array.from({ length: 300 }, (_, i) => `async function f${i}() { await ${i}; await g(); }\n`).join(""));
    const cli = path.resolve(__dirname, "../../dist/cli/main.js");
    const r = spawnSync("bash", ["-c", `"${process.execPath}" "${cli}" inspect "${file}" --expand | head -1 >/dev/null; echo "status=\${PIPESTATUS[0]}" >&2`], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.stderr).toBe("status=0\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
