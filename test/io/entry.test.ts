/**
 * The I/O leaves are a separate package entry: `async-machine/runtime` loads none of them (nor
 * `child_process`), and `async-machine/io` offers its names to CommonJS and ES modules.
 * Runs the built package (npm test builds dist/ first; node_modules/async-machine links here).
 */
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { ROOT } from "../inspect/support";

function node(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return { stdout: r.stdout.trim(), stderr: r.stderr.trim(), status: r.status };
}

const loaded = `JSON.stringify({
  io: Object.keys(require.cache).filter((file) => /[\\\\/]runtime[\\\\/]io[\\\\/]/.test(file)).length,
  childProcess: process.moduleLoadList.includes("NativeModule child_process"),
})`;

describe("async-machine/io entry", () => {
  test("the runtime entry loads no I/O module; the io entry does", () => {
    const runtimeOnly = node(["-e", `require("async-machine/runtime"); process.stdout.write(${loaded})`]);
    expect(runtimeOnly.stderr).toBe("");
    // (\`net\` is not checked: a child whose stdout is a pipe loads it for process.stdout.)
    expect(JSON.parse(runtimeOnly.stdout)).toEqual({ io: 0, childProcess: false });
    const withIo = node(["-e", `require("async-machine/io"); process.stdout.write(${loaded})`]);
    expect(withIo.stderr).toBe("");
    const out = JSON.parse(withIo.stdout);
    expect(out.io).toBeGreaterThan(5);
    expect(out.childProcess).toBe(true);
  });

  test("ES modules import the named exports", () => {
    const script = `import { listen, connect, openFile, spawnProcess, aborted, heapSleep, NodeReader, WebReader, chunks } from "async-machine/io";
      process.stdout.write([listen, connect, openFile, spawnProcess, aborted, heapSleep, NodeReader, WebReader, chunks].map((x) => typeof x).join(","));`;
    const r = node(["--input-type=module", "-e", script]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(Array(9).fill("function").join(","));
  });
});
