/**
 * Every route into the transform, run for real on one tiny project (test/routes/project):
 * TypeScript 7's tsc followed by `async-machine compile`, the vite, esbuild, rollup, rolldown,
 * webpack and rspack plugins, and vitest through the vite plugin. Each route's program reports whether its async
 * functions print as `async` (native) or as plain functions (compiled), so a route that silently
 * runs native code fails; its result is checked against the native run of TypeScript 7's output.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const repo = path.resolve(__dirname, "../..");
const project = path.join(__dirname, "project");
const TIMEOUT = 120_000;
/** Under the repository's node_modules, so `async-machine/runtime` resolves from the outputs. */
let work: string;

function node(args: string[], cwd = repo): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8", timeout: TIMEOUT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runProgram(file: string): Outcome {
  const r = node(["--enable-source-maps", file]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim()) as Outcome;
}

function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort())
    out[name] = createHash("sha1")
      .update(fs.readFileSync(path.join(dir, name)))
      .digest("hex");
  return out;
}

type Outcome = { sum: number; compiled: boolean; at: string };
/** TypeScript 7's output of the project, run as it is (native async functions). */
let native: Outcome;
let nativeDir: string;
const tsc7 = path.join(repo, "node_modules/typescript-7/bin/tsc");
const cli = path.join(repo, "dist/cli/main.js");

beforeAll(() => {
  fs.mkdirSync(path.join(repo, "node_modules/.cache"), { recursive: true });
  work = fs.mkdtempSync(path.join(repo, "node_modules/.cache/async-machine-routes-"));
  nativeDir = path.join(work, "native");
  expect(node([tsc7, "--version"]).stdout).toMatch(/^Version 7\./);
  const built = node([tsc7, "-p", path.join(project, "tsconfig.json"), "--outDir", nativeDir]);
  expect(built.stdout + built.stderr).toBe("");
  expect(built.status).toBe(0);
  native = runProgram(path.join(nativeDir, "main.js"));
  expect(native.compiled).toBe(false);
  expect(native.at).toMatch(/^\d+:\d+$/);
}, TIMEOUT);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The route's result: the native sum and thrown-at position (through source maps), compiled functions. */
function expectCompiledLikeNative(result: Outcome): void {
  expect(result).toEqual({ ...native, compiled: true });
}

describe("TypeScript 7 + async-machine compile", () => {
  test(
    "compile rewrites tsc 7's output in place, its maps still lead to the .ts, and a second run changes nothing",
    () => {
      const out = path.join(work, "tsc7");
      fs.cpSync(nativeDir, out, { recursive: true });
      const first = node([cli, "compile", out]);
      expect(first.status).toBe(0);
      expect(first.stderr).toMatch(/4 async functions compiled in 2 of 2 files, 0 left native/);
      expectCompiledLikeNative(runProgram(path.join(out, "main.js")));

      const map = JSON.parse(fs.readFileSync(path.join(out, "store.js.map"), "utf8")) as { sources: string[] };
      expect(map.sources.map((s) => path.resolve(out, s))).toEqual([path.join(project, "src/store.ts")]);

      const before = hashTree(out);
      const second = node([cli, "compile", out]);
      expect(second.status).toBe(0);
      expect(hashTree(out)).toEqual(before);
    },
    TIMEOUT,
  );

  test(
    "--out-dir writes beside the input, with map sources rebased",
    () => {
      const copy = path.join(work, "tsc7-out");
      const before = hashTree(nativeDir);
      const r = node([cli, "compile", nativeDir, "--out-dir", copy]);
      expect(r.status).toBe(0);
      expect(hashTree(nativeDir)).toEqual(before);
      expectCompiledLikeNative(runProgram(path.join(copy, "main.js")));
      const map = JSON.parse(fs.readFileSync(path.join(copy, "store.js.map"), "utf8")) as { sources: string[] };
      expect(map.sources.map((s) => path.resolve(copy, s))).toEqual([path.join(project, "src/store.ts")]);
    },
    TIMEOUT,
  );
});

describe.each(["vite", "esbuild", "rollup", "rolldown", "webpack", "rspack"])("the %s plugin", (bundler) => {
  test(
    "builds the project with its async functions compiled, and maps a thrown error to its .ts line and column",
    () => {
      const r = node([path.join(project, "build.mjs"), bundler, work]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const dir = path.join(work, bundler);
      const main = fs.readdirSync(dir).find((f) => /^main\.m?js$/.test(f))!;
      expectCompiledLikeNative(runProgram(path.join(dir, main)));
    },
    TIMEOUT,
  );
});

test(
  "vitest runs compiled code through the vite plugin",
  () => {
    const r = node([path.join(repo, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.config.mjs"], project);
    expect((r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, "")).toMatch(/Tests +2 passed \(2\)/);
    expect(r.status).toBe(0);
  },
  TIMEOUT,
);

test(
  "node --import async-machine/register compiles ES modules and CommonJS as they load, and caches them",
  () => {
    // Outside this package (its own files are never compiled), with the package linked in as a user has it.
    const app = fs.mkdtempSync(path.join(os.tmpdir(), "async-machine-register-"));
    try {
      fs.mkdirSync(path.join(app, "node_modules"));
      fs.symlinkSync(repo, path.join(app, "node_modules/async-machine"), "dir");
      fs.writeFileSync(
        path.join(app, "lib.mjs"),
        "export async function twice(n) { await null; return n * 2; }\nexport const compiled = () => !/^async\\b/.test(String(twice));\n",
      );
      fs.writeFileSync(
        path.join(app, "lib.cjs"),
        "async function thrice(n) { await null; return n * 3; }\nexports.thrice = thrice;\nexports.compiled = () => !/^async\\b/.test(String(thrice));\n",
      );
      fs.writeFileSync(
        path.join(app, "app.mjs"),
        'import { twice, compiled } from "./lib.mjs";\nimport { createRequire } from "node:module";\nconst cjs = createRequire(import.meta.url)("./lib.cjs");\nconsole.log(JSON.stringify([await twice(3), compiled(), await cjs.thrice(2), cjs.compiled()]));\n',
      );
      const native = node(["app.mjs"], app);
      expect(JSON.parse(native.stdout)).toEqual([6, false, 6, false]);
      for (const run of ["first", "cached"]) {
        const r = node(["--import", "async-machine/register", "app.mjs"], app);
        expect(r.stderr, run).toBe("");
        expect(JSON.parse(r.stdout), run).toEqual([6, true, 6, true]);
      }
      const cache = path.join(app, "node_modules/.cache/async-machine");
      expect(fs.readdirSync(cache).flatMap((d) => fs.readdirSync(path.join(cache, d))).length).toBe(2);
    } finally {
      fs.rmSync(app, { recursive: true, force: true });
    }
  },
  TIMEOUT,
);

test(
  "node --import tsx --import async-machine/register runs the .ts project compiled, with maps chained through tsx's",
  () => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), "async-machine-tsx-"));
    try {
      fs.mkdirSync(path.join(app, "node_modules"));
      fs.symlinkSync(repo, path.join(app, "node_modules/async-machine"), "dir");
      fs.symlinkSync(path.join(repo, "node_modules/tsx"), path.join(app, "node_modules/tsx"), "dir");
      fs.cpSync(path.join(project, "src"), path.join(app, "src"), { recursive: true });
      for (const type of ["module", "commonjs"]) {
        fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ type }));
        const r = node(["--enable-source-maps", "--import", "tsx", "--import", "async-machine/register", "src/main.ts"], app);
        expect(r.stderr, type).toBe("");
        expect(JSON.parse(r.stdout), type).toEqual({ ...native, compiled: true });
      }
    } finally {
      fs.rmSync(app, { recursive: true, force: true });
    }
  },
  TIMEOUT,
);
