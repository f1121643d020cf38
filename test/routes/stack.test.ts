/**
 * Stack traces through compiled functions read as native's, frame by frame (function names,
 * files, lines and columns), on one program (test/routes/project/trace/main.ts) bundled by
 * esbuild with the plugin and without it, run with `--enable-source-maps`: errors thrown in a
 * method and in a function whose `new Error(…)` awaits its argument, after their awaits, leaving
 * a chain of async callers (function, method, arrow). Compiled, the caller frames come from the
 * runtime's async stack traces (`enableAsyncStackTraces()`, which the program calls).
 *
 * The one difference removed before comparing is the documented one (README, "Stack traces"):
 * a compiled function resumed after an await is called by the runtime, whose frames follow its
 * own (`drive`, `Machine.step`, pointing into the package's files).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";

const repo = path.resolve(__dirname, "../..");
const project = path.join(__dirname, "project");
const TIMEOUT = 120_000;
let work: string;

type Run = { compiled: boolean; stacks: string[] };

function buildAndRun(mode: "native" | "compiled"): Run {
  const out = path.join(work, `${mode}.js`);
  const built = spawnSync(process.execPath, [path.join(project, "build-trace.mjs"), out, mode], { cwd: repo, encoding: "utf8", timeout: TIMEOUT });
  expect(built.stderr).toBe("");
  expect(built.status).toBe(0);
  const ran = spawnSync(process.execPath, ["--enable-source-maps", out], { cwd: repo, encoding: "utf8", timeout: TIMEOUT });
  expect(ran.stderr).toBe("");
  return JSON.parse(ran.stdout) as Run;
}

/** A frame's file, or undefined for a line that is not a frame. */
function fileOf(line: string): string | undefined {
  return /^\s+at (?:.*? \()?(.*?):\d+:\d+\)?$/.exec(line)?.[1];
}

/** The package's own files (its runtime, built or as source): the runtime's frames. */
const isRuntimeFrame = (line: string): boolean => {
  const file = fileOf(line);
  return file !== undefined && [path.join(repo, "dist") + path.sep, path.join(repo, "runtime") + path.sep].some((dir) => file.startsWith(dir));
};

let native: Run;
let compiled: Run;

beforeAll(() => {
  fs.mkdirSync(path.join(repo, "node_modules/.cache"), { recursive: true });
  work = fs.mkdtempSync(path.join(repo, "node_modules/.cache/async-machine-stack-"));
  native = buildAndRun("native");
  compiled = buildAndRun("compiled");
}, TIMEOUT);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test("the native build ran native functions and the plugin's build compiled ones", () => {
  expect(native.compiled).toBe(false);
  expect(compiled.compiled).toBe(true);
  expect(native.stacks).toHaveLength(2);
});

test("each compiled stack trace reads as native's, frame by frame, once the runtime's own frames are left out", () => {
  for (const [i, stack] of native.stacks.entries()) {
    const lines = stack.split("\n");
    // Native: the throwing function, then one `at async` frame per caller, every file absolute.
    expect(lines.slice(1).every((l) => path.isAbsolute(fileOf(l) ?? ""))).toBe(true);
    expect(lines.filter((l) => l.startsWith("    at async ")).length).toBeGreaterThan(0);
    const own = compiled.stacks[i].split("\n").filter((l) => !isRuntimeFrame(l));
    expect(own.join("\n")).toBe(stack);
  }
});

test("the runtime frames left out are the driver's, after the frame of the function that threw", () => {
  for (const stack of compiled.stacks) {
    const lines = stack.split("\n");
    const runtime = lines.flatMap((l, i) => (isRuntimeFrame(l) ? [i] : []));
    expect(runtime.length).toBeGreaterThan(0);
    // Right after the first frame (the function that threw), before any `at async` frame.
    expect(runtime).toEqual(runtime.map((_, k) => 2 + k));
  }
});
