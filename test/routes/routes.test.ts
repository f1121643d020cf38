/**
 * Every route into the transform, run for real on one tiny project (test/routes/project):
 * TypeScript 7's tsc followed by `async-machine compile`, the vite, esbuild, rollup and webpack
 * plugins, and vitest through the vite plugin. Each route's program reports whether its async
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

function runProgram(file: string): { sum: number; compiled: boolean } {
  const r = node(["--enable-source-maps", file]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim()) as { sum: number; compiled: boolean };
}

function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) out[name] = createHash("sha1").update(fs.readFileSync(path.join(dir, name))).digest("hex");
  return out;
}

let nativeSum: number;

beforeAll(() => {
  fs.mkdirSync(path.join(repo, "node_modules/.cache"), { recursive: true });
  work = fs.mkdtempSync(path.join(repo, "node_modules/.cache/async-machine-routes-"));
}, TIMEOUT);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("TypeScript 7 + async-machine compile", () => {
  test("tsc 7 emits native async; compile rewrites it, chains the maps, and a second run changes nothing", () => {
    const tsc7 = path.join(repo, "node_modules/typescript-7/bin/tsc");
    const out = path.join(work, "tsc7");
    const built = node([tsc7, "-p", path.join(project, "tsconfig.json"), "--outDir", out]);
    expect(built.stdout + built.stderr).toBe("");
    expect(built.status).toBe(0);
    expect(node([tsc7, "--version"]).stdout).toMatch(/^Version 7\./);

    const native = runProgram(path.join(out, "main.js"));
    expect(native.compiled).toBe(false);
    nativeSum = native.sum;

    const cli = path.join(repo, "dist/cli/main.js");
    const first = node([cli, "compile", out]);
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(/2 async functions compiled in 1 of 2 files, 0 left native/);
    expect(runProgram(path.join(out, "main.js"))).toEqual({ sum: nativeSum, compiled: true });

    const map = JSON.parse(fs.readFileSync(path.join(out, "store.js.map"), "utf8")) as { sources: string[] };
    expect(map.sources.map((s) => path.resolve(out, s))).toEqual([path.join(project, "src/store.ts")]);

    const before = hashTree(out);
    const second = node([cli, "compile", out]);
    expect(second.status).toBe(0);
    expect(hashTree(out)).toEqual(before);
  }, TIMEOUT);

  test("--out-dir writes beside, with map sources rebased", () => {
    const copy = path.join(work, "tsc7-out");
    const tsc7Fresh = path.join(work, "tsc7-fresh");
    expect(node([path.join(repo, "node_modules/typescript-7/bin/tsc"), "-p", path.join(project, "tsconfig.json"), "--outDir", tsc7Fresh]).status).toBe(0);
    const r = node([path.join(repo, "dist/cli/main.js"), "compile", tsc7Fresh, "--out-dir", copy]);
    expect(r.status).toBe(0);
    expect(runProgram(path.join(copy, "main.js"))).toEqual({ sum: runProgram(path.join(tsc7Fresh, "main.js")).sum, compiled: true });
    const map = JSON.parse(fs.readFileSync(path.join(copy, "store.js.map"), "utf8")) as { sources: string[] };
    expect(map.sources.map((s) => path.resolve(copy, s))).toEqual([path.join(project, "src/store.ts")]);
    expect(fs.readFileSync(path.join(tsc7Fresh, "store.js"), "utf8")).toMatch(/^export async function double|async function double/m);
  }, TIMEOUT);
});

describe.each(["vite", "esbuild", "rollup", "webpack"])("the %s plugin", (bundler) => {
  test("builds the project with its async functions compiled", () => {
    const r = node([path.join(project, "build.mjs"), bundler, work]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const dir = path.join(work, bundler);
    const main = fs.readdirSync(dir).find((f) => /^main\.m?js$/.test(f))!;
    const result = runProgram(path.join(dir, main));
    expect(result.compiled).toBe(true);
    expect(result.sum).toBe(12); // TypeScript 7's native output gives 12 (checked above)
  }, TIMEOUT);
});

test("vitest runs compiled code through the vite plugin", () => {
  const r = node([path.join(repo, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.config.mjs"], project);
  expect(r.stdout + r.stderr).toMatch(/1 passed/);
  expect(r.status).toBe(0);
}, TIMEOUT);

test("node --import async-machine/register compiles ES modules and CommonJS as they load, and caches them", () => {
  // Outside this package (its own files are never compiled), with the package linked in as a user has it.
  const app = fs.mkdtempSync(path.join(os.tmpdir(), "async-machine-register-"));
  try {
    fs.mkdirSync(path.join(app, "node_modules"));
    fs.symlinkSync(repo, path.join(app, "node_modules/async-machine"), "dir");
    fs.writeFileSync(path.join(app, "lib.mjs"), "export async function twice(n) { await null; return n * 2; }\nexport const compiled = () => !/^async\\b/.test(String(twice));\n");
    fs.writeFileSync(path.join(app, "lib.cjs"), "async function thrice(n) { await null; return n * 3; }\nexports.thrice = thrice;\nexports.compiled = () => !/^async\\b/.test(String(thrice));\n");
    fs.writeFileSync(path.join(app, "app.mjs"), 'import { twice, compiled } from "./lib.mjs";\nimport { createRequire } from "node:module";\nconst cjs = createRequire(import.meta.url)("./lib.cjs");\nconsole.log(JSON.stringify([await twice(3), compiled(), await cjs.thrice(2), cjs.compiled()]));\n');
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
}, TIMEOUT);
