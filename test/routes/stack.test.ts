/**
 * Stack traces through compiled functions read as native's, frame by frame (function names,
 * files, lines and columns), on one program (test/routes/project/trace/main.ts) built with the
 * transform and without it, by two routes:
 *  - bundled by esbuild with the plugin (and without it), run with `--enable-source-maps`;
 *  - compiled by TypeScript 7 and rewritten by `async-machine compile` (native: tsc's output as
 *    it is), run with and without `--enable-source-maps`: the frames, `at async` ones included,
 *    show the .ts with source maps on and tsc's .js with them off, as native's do.
 * Errors are thrown in a method and in a function whose `new Error(…)` awaits its argument,
 * after their awaits, leaving a chain of async callers (function, method, arrow). Compiled, the
 * caller frames come from the runtime's async stack traces (`enableAsyncStackTraces()`, which the
 * program calls).
 *
 * The one difference removed before comparing is the documented one (README, "Stack traces"):
 * a compiled function resumed after an await is called by the runtime, whose frames follow its
 * own (`drive`, `Machine.step`, pointing into the package's files).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const repo = path.resolve(__dirname, "../..");
const project = path.join(__dirname, "project");
const TIMEOUT = 120_000;
let work: string;

type Run = { compiled: boolean; stacks: string[] };
type Route = "esbuild" | "tsc7";

function node(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, { cwd: repo, encoding: "utf8", timeout: TIMEOUT });
}

/** Builds the program by `route`, compiled or native; returns the file to run. */
function build(route: Route, mode: "native" | "compiled"): string {
  if (route === "esbuild") {
    const out = path.join(work, `esbuild-${mode}.js`);
    const built = node([path.join(project, "build-trace.mjs"), out, mode]);
    expect(built.stderr).toBe("");
    expect(built.status).toBe(0);
    return out;
  }
  const outDir = path.join(work, `tsc7-${mode}`);
  const built = node([path.join(repo, "node_modules/typescript-7/bin/tsc"), "-p", path.join(project, "tsconfig.trace.json"), "--outDir", outDir]);
  expect(built.stdout + built.stderr).toBe("");
  expect(built.status).toBe(0);
  if (mode === "compiled") {
    const compiled = node([path.join(repo, "dist/cli/main.js"), "compile", outDir]);
    expect(compiled.stderr).toMatch(/10 async functions compiled in 3 of 3 files, 0 left native/);
    expect(compiled.status).toBe(0);
  }
  return path.join(outDir, "trace/main.js");
}

function run(file: string, sourceMaps: boolean): Run {
  const ran = node([...(sourceMaps ? ["--enable-source-maps"] : []), file]);
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

const builds = new Map<string, string>();

beforeAll(() => {
  fs.mkdirSync(path.join(repo, "node_modules/.cache"), { recursive: true });
  work = fs.mkdtempSync(path.join(repo, "node_modules/.cache/async-machine-stack-"));
  for (const route of ["esbuild", "tsc7"] as const) for (const mode of ["native", "compiled"] as const) builds.set(`${route} ${mode}`, build(route, mode));
}, 4 * TIMEOUT);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs the route's native and compiled builds; checks the runtime frames the comparisons leave out. */
function runBoth(route: Route, sourceMaps: boolean): { native: Run; compiled: Run } {
  const runs = { native: undefined as unknown as Run, compiled: undefined as unknown as Run };
  beforeAll(() => {
    runs.native = run(builds.get(`${route} native`)!, sourceMaps);
    runs.compiled = run(builds.get(`${route} compiled`)!, sourceMaps);
  }, TIMEOUT);

  test("the native build ran native functions and the compiled build compiled ones", () => {
    expect(runs.native.compiled).toBe(false);
    expect(runs.compiled.compiled).toBe(true);
    expect(runs.native.stacks).toHaveLength(4);
  });

  test("the runtime frames left out are the driver's, after the frames of the resumed function and what it called", () => {
    for (const stack of runs.compiled.stacks) {
      const lines = stack.split("\n");
      const runtime = lines.flatMap((l, i) => (isRuntimeFrame(l) ? [i] : []));
      expect(runtime.length).toBeGreaterThan(0);
      // One run of frames (no runtime frame between the program's own: a call through `super`
      // leaves none), after the frame that threw and its callers, then only `at async` frames.
      expect(runtime[0]).toBeGreaterThanOrEqual(2);
      expect(runtime).toEqual(runtime.map((_, k) => runtime[0] + k));
      expect(lines.slice(runtime[runtime.length - 1] + 1).every((l) => l.startsWith("    at async "))).toBe(true);
    }
  });
  return runs;
}

describe.each(["esbuild", "tsc7"] as const)("%s, with source maps", (route) => {
  const runs = runBoth(route, true);

  test("each compiled stack trace reads as native's, frame by frame, once the runtime's own frames are left out", () => {
    for (const [i, stack] of runs.native.stacks.entries()) {
      const lines = stack.split("\n");
      // Native: the throwing function, then one `at async` frame per caller, every file an absolute .ts.
      expect(lines.slice(1).every((l) => path.isAbsolute(fileOf(l) ?? "") && fileOf(l)!.endsWith(".ts"))).toBe(true);
      expect(lines.filter((l) => l.startsWith("    at async ")).length).toBeGreaterThan(0);
      const own = runs.compiled.stacks[i].split("\n").filter((l) => !isRuntimeFrame(l));
      expect(own.map((l, k) => (route === "esbuild" ? namedAsNative(l, lines[k]) : l)).join("\n")).toBe(stack);
    }
  });
});

/**
 * The one difference of a bundle (README, "Stack traces"): a method the compiled code calls through
 * the runtime's Reflect.apply (`super.m(…)`, a call whose arguments await) is named `reflectApply`
 * there: esbuild renames the runtime's export in the bundle and records its name at the call, and
 * Node's source-map support names a frame by its caller's mapping when the callee's has no name.
 * That frame is compared without its name; its file, line and column still must be native's.
 */
function namedAsNative(line: string, native: string | undefined): string {
  const renamed = /^    at reflectApply (\(.*\))$/.exec(line);
  const nativeFrame = native === undefined ? null : /^    at (\S+) (\(.*\))$/.exec(native);
  return renamed !== null && nativeFrame !== null && renamed[1] === nativeFrame[2] ? native! : line;
}

describe("tsc7, without source maps", () => {
  const runs = runBoth("tsc7", false);

  /**
   * Without source maps a frame shows the running file's own line and column, and the rewritten
   * file's lines are not tsc's: the frames name the same functions, and an `at async` frame shows
   * the await's line and column in tsc's output (README, "Stack traces": what still differs).
   */
  test("each compiled stack trace names native's functions, and its `at async` frames native's .js lines and columns", () => {
    const named = (line: string): string => line.replace(/\(.*\)$/, "");
    const asyncFrames = (lines: string[]): string[] => lines.filter((l) => l.startsWith("    at async "));
    const nativeDir = path.dirname(path.dirname(builds.get("tsc7 native")!));
    const compiledDir = path.dirname(path.dirname(builds.get("tsc7 compiled")!));
    for (const [i, stack] of runs.native.stacks.entries()) {
      const lines = stack.split("\n");
      expect(lines.slice(1).every((l) => fileOf(l)!.startsWith(nativeDir + path.sep) && fileOf(l)!.endsWith(".js"))).toBe(true);
      expect(asyncFrames(lines).length).toBeGreaterThan(0);
      const own = runs.compiled.stacks[i].split("\n").filter((l) => !isRuntimeFrame(l));
      expect(own.map(named)).toEqual(lines.map(named));
      expect(asyncFrames(own)).toEqual(asyncFrames(lines).map((l) => l.split(nativeDir).join(compiledDir)));
    }
  });
});
