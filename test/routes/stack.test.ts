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
 * With source maps on, each compiled stack is native's, line for line: no frame of the runtime's
 * (`enableAsyncStackTraces()` leaves them out), every function named as native names it. Without
 * them, a frame shows the running file's line and column, and the rewritten file's are not tsc's:
 * there each frame names native's function, an `at async` frame shows native's position, and
 * every other frame, mapped through its file's source map, leads where native's does (README,
 * "Stack traces": what still differs).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import { SourceMap } from "node:module";
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

/** Runs the route's native and compiled builds. */
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

  test("no frame of the runtime's is left in a stack", () => {
    for (const stack of runs.compiled.stacks) expect(stack.split("\n").filter(isRuntimeFrame)).toEqual([]);
  });
  return runs;
}

describe.each(["esbuild", "tsc7"] as const)("%s, with source maps", (route) => {
  const runs = runBoth(route, true);

  test("each compiled stack trace is native's, frame by frame", () => {
    for (const [i, stack] of runs.native.stacks.entries()) {
      const lines = stack.split("\n");
      // Native: the throwing function, then one `at async` frame per caller, every file an absolute .ts.
      expect(lines.slice(1).every((l) => path.isAbsolute(fileOf(l) ?? "") && fileOf(l)!.endsWith(".ts"))).toBe(true);
      expect(lines.filter((l) => l.startsWith("    at async ")).length).toBeGreaterThan(0);
      expect(runs.compiled.stacks[i]).toBe(stack);
    }
  });
});

/** A frame's file, line and column, led through that file's source map (`.js.map` beside it). */
function mapped(line: string): string {
  const frame = /^\s+at (?:.*? \()?(.*?):(\d+):(\d+)\)?$/.exec(line);
  if (frame === null) return line;
  const map = new SourceMap(JSON.parse(fs.readFileSync(`${frame[1]}.map`, "utf8")));
  const entry = map.findEntry(Number(frame[2]) - 1, Number(frame[3]) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  expect(entry.originalSource).toBeDefined();
  return `${path.resolve(path.dirname(frame[1]), entry.originalSource!)}:${entry.originalLine! + 1}:${entry.originalColumn! + 1}`;
}

describe("tsc7, without source maps", () => {
  const runs = runBoth("tsc7", false);

  /**
   * Without source maps a frame shows the running file's own line and column, and the rewritten
   * file's lines are not tsc's: the frames name the same functions, an `at async` frame shows the
   * await's line and column in tsc's output, and every frame leads, through the source map of the
   * file it shows, where native's leads through tsc's (README, "Stack traces": what still differs).
   */
  test("each compiled stack trace names native's functions, its `at async` frames at native's .js lines and columns, every frame mapped to native's", () => {
    const named = (line: string): string => line.replace(/\(.*\)$/, "");
    const asyncFrames = (lines: string[]): string[] => lines.filter((l) => l.startsWith("    at async "));
    const nativeDir = path.dirname(path.dirname(builds.get("tsc7 native")!));
    const compiledDir = path.dirname(path.dirname(builds.get("tsc7 compiled")!));
    for (const [i, stack] of runs.native.stacks.entries()) {
      const lines = stack.split("\n");
      expect(lines.slice(1).every((l) => fileOf(l)!.startsWith(nativeDir + path.sep) && fileOf(l)!.endsWith(".js"))).toBe(true);
      expect(asyncFrames(lines).length).toBeGreaterThan(0);
      const own = runs.compiled.stacks[i].split("\n");
      expect(own.map(named)).toEqual(lines.map(named));
      expect(asyncFrames(own)).toEqual(asyncFrames(lines).map((l) => l.split(nativeDir).join(compiledDir)));
      const called = (frames: string[]): string[] =>
        frames
          .slice(1)
          .filter((l) => !l.startsWith("    at async "))
          .map(mapped);
      expect(called(own)).toEqual(called(lines));
    }
  });
});
