/**
 * The runtime's exports object is what generated code reads at every call of a compiled function
 * (`$am.startWithFrame(…)`): it must be a plain object in V8's fast mode, not the dictionary-mode
 * object CommonJS builds one property at a time (runtime/index.ts rebuilds it). And rebuilding
 * it must not cost ES-module users any name: Node finds the names an `import { … }` may use by
 * scanning the file's text.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { REGISTER_TS, ROOT, RUNTIME_ENTRY } from "../inspect/support";

function node(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return { stdout: r.stdout.trim(), stderr: r.stderr.trim(), status: r.status };
}

describe("runtime exports", () => {
  test("the CommonJS exports object has fast properties, with every name and __esModule", () => {
    const script = `
      const rt = require(${JSON.stringify(RUNTIME_ENTRY)});
      process.stdout.write(JSON.stringify({ fast: %HasFastProperties(rt), esModule: rt.__esModule === true, keys: Object.keys(rt).length, start: typeof rt.startWithFrame, dump: typeof rt.dumpTasks }));
    `;
    const r = node(["--allow-natives-syntax", "-r", REGISTER_TS, "-e", script]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ fast: true, esModule: true, start: "function", dump: "function" });
    expect(out.keys).toBeGreaterThan(50);
  });

  test("the built package still offers every named export to ES modules (export * included)", () => {
    // npm test builds dist/ first; node_modules/async-machine links to this checkout.
    const script = `import { startWithFrame, Executor, dumpTasks, enableTaskTracking } from "async-machine/runtime";
      process.stdout.write([startWithFrame, Executor, dumpTasks, enableTaskTracking].map((x) => typeof x).join(","));`;
    const r = node(["--input-type=module", "-e", script]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("function,function,function,function");
  });
});
