/**
 * The tsc plugin (transformer/plugin.ts) and its options (transformer/config.ts).
 *
 * Unit tests import the TypeScript sources. Integration tests build small temporary projects
 * with `tspc` through the built plugin (dist/, so `npm run build` first; `npm test` does), loaded
 * by its package name "async-machine/plugin" from a node_modules link, as a user's build would.
 *
 * Two kinds of integration tests:
 * - plumbing tests run the real plugin with `transformSourceFile` replaced (a `node -r` preload)
 *   by a fake that compiles nothing, reports async functions calling `eval` as left native and
 *   logs each call: they check filtering, runtime choice, diagnostics and the report now;
 * - end-to-end tests (the last three) use the real `transformSourceFile`: a function with direct
 *   `eval` left native and reported, include/exclude, and the example built and run.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_EXCLUDE, DEFAULT_RUNTIME_SPECIFIER, PluginConfigError, createFileFilter, defaultRuntimeFor, matchesGlob, resolvePluginOptions } from "../transformer/config";
import asyncMachinePlugin, { reportLines } from "../transformer/plugin";
import { assertSupportedTypeScript, checkTypeScriptVersion } from "../transformer/typescript-version";

const ROOT = fs.realpathSync(path.resolve(__dirname, ".."));
const DIST_PLUGIN = path.join(ROOT, "dist", "transformer", "plugin.js");
const TSPC = (() => {
  const pkgJson = require.resolve("ts-patch/package.json", { paths: [ROOT] });
  return path.join(path.dirname(pkgJson), JSON.parse(fs.readFileSync(pkgJson, "utf8")).bin.tspc as string);
})();

// ---------------------------------------------------------------------------------------------
// options

describe("plugin options", () => {
  it("fills in defaults", () => {
    expect(resolvePluginOptions({})).toEqual({
      include: undefined,
      exclude: [...BUILTIN_EXCLUDE],
      strict: false,
      runtime: undefined,
      runtimeSpecifier: DEFAULT_RUNTIME_SPECIFIER,
      report: "summary",
      poll: [],
      profile: "development",
    });
    expect(resolvePluginOptions(undefined).report).toBe("summary");
    expect(DEFAULT_RUNTIME_SPECIFIER).toBe("async-machine/runtime/compiled");
  });

  it("keeps given options and adds user excludes to the built-in ones", () => {
    const o = resolvePluginOptions({
      include: ["src/**"],
      exclude: ["src/legacy/**"],
      strict: true,
      runtime: "import",
      runtimeSpecifier: "./rt.js",
      report: "verbose",
      poll: ["src/engine/**"],
      profile: "production",
    });
    expect(o).toEqual({
      include: ["src/**"],
      exclude: ["**/node_modules/**", "**/*.d.ts", "src/legacy/**"],
      strict: true,
      runtime: "import",
      runtimeSpecifier: "./rt.js",
      report: "verbose",
      poll: ["src/engine/**"],
      profile: "production",
    });
  });

  it("accepts the keys ts-patch itself reads", () => {
    expect(() => resolvePluginOptions({ transform: "async-machine/plugin", import: "default", tsConfig: "x", after: false })).not.toThrow();
  });

  const bad: [string, unknown, RegExp][] = [
    [
      "unknown option with a suggestion",
      { exlude: ["a"] },
      /unknown option "exlude" \(did you mean "exclude"\?\); known options: include, exclude, strict, runtime, runtimeSpecifier, report, poll/,
    ],
    ["unknown option without one", { frobnicate: 1 }, /unknown option "frobnicate"; known options/],
    ["include as a string", { include: "src/**" }, /"include" must be an array of glob strings such as \["src\/\*\*\/\*\.ts"\], got "src\/\*\*" \(write \["src\/\*\*"\]\)/],
    ["a non-string glob", { exclude: ["ok", 3] }, /"exclude\[1\]" must be a non-empty glob string, got 3/],
    ["an empty glob", { include: [""] }, /"include\[0\]" must be a non-empty glob string/],
    ["a negated include", { include: ["!src/x.ts"] }, /negation is not supported, put "src\/x.ts" in "exclude" instead/],
    ["strict not boolean", { strict: "yes" }, /"strict" must be true or false, got "yes"/],
    ["runtime inline", { runtime: "inline" }, /"runtime" must be "import" or "require", got "inline"/],
    ["empty runtimeSpecifier", { runtimeSpecifier: " " }, /"runtimeSpecifier" must be a non-empty module specifier string/],
    ["report unknown", { report: "loud" }, /"report" must be one of "summary", "verbose", "silent", got "loud"/],
    ["not an object", ["include"], /the plugin entry must be an object/],
  ];
  for (const [what, raw, message] of bad) {
    it(`rejects ${what}`, () => {
      let error: unknown;
      try {
        resolvePluginOptions(raw);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PluginConfigError);
      expect((error as Error).message).toMatch(/^async-machine: invalid plugin option/);
      expect((error as Error).message).toMatch(message);
    });
  }

  it("lists every problem in one error", () => {
    expect(() => resolvePluginOptions({ strict: 1, report: 2, includes: [] })).toThrow(
      /invalid plugin options in tsconfig\.json:\n  - unknown option "includes" \(did you mean "include"\?\).*\n  - "strict".*\n  - "report"/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// globs

describe("include/exclude globs", () => {
  const dir = path.resolve("/proj");
  const m = (pattern: string, file: string) => matchesGlob(pattern, file, dir);

  it("matches paths relative to the project directory", () => {
    expect(m("src/**/*.ts", "/proj/src/a.ts")).toBe(true);
    expect(m("src/**/*.ts", "/proj/src/deep/er/a.ts")).toBe(true);
    expect(m("src/**/*.ts", "src/a.ts")).toBe(true);
    expect(m("src/**/*.ts", "/proj/test/a.ts")).toBe(false);
    expect(m("src/*.ts", "/proj/src/deep/a.ts")).toBe(false);
    expect(m("*.ts", "/proj/a.ts")).toBe(true);
    expect(m("*.ts", "/proj/src/a.ts")).toBe(false);
    expect(m("**/*.ts", "/proj/a.ts")).toBe(true);
  });

  it("supports ?, braces, classes, and dot directories under **", () => {
    expect(m("src/?.ts", "/proj/src/a.ts")).toBe(true);
    expect(m("src/?.ts", "/proj/src/ab.ts")).toBe(false);
    expect(m("src/{a,b}.ts", "/proj/src/b.ts")).toBe(true);
    expect(m("src/{a,b}.ts", "/proj/src/c.ts")).toBe(false);
    expect(m("src/[ab].ts", "/proj/src/a.ts")).toBe(true);
    expect(m("src/**/*.{ts,tsx}", "/proj/src/x/v.tsx")).toBe(true);
    expect(m("**/*.ts", "/proj/.hidden/a.ts")).toBe(true);
  });

  it("treats a plain path as a file or a directory, with or without ./ and a trailing slash", () => {
    for (const p of ["src", "src/", "./src", "./src/"]) {
      expect(m(p, "/proj/src/a.ts")).toBe(true);
      expect(m(p, "/proj/src/x/a.ts")).toBe(true);
      expect(m(p, "/proj/srcx/a.ts")).toBe(false);
    }
    expect(m("src/a.ts", "/proj/src/a.ts")).toBe(true);
    expect(m("src/a.ts", "/proj/src/a.tsx")).toBe(false);
    expect(m(".", "/proj/src/a.ts")).toBe(true);
  });

  it("matches absolute patterns against absolute paths", () => {
    expect(m("/proj/src/**", "/proj/src/a.ts")).toBe(true);
    expect(m("/other/**", "/proj/src/a.ts")).toBe(false);
  });

  it("reaches files outside the project directory with ../", () => {
    expect(m("../shared/**", "/shared/a.ts")).toBe(true);
    expect(m("**/*.ts", "/shared/a.ts")).toBe(false);
  });

  it("filters: include (default all) minus exclude minus the built-in exclusions", () => {
    const all = createFileFilter(resolvePluginOptions({}), dir);
    expect(all("/proj/src/a.ts")).toBe(true);
    expect(all("/elsewhere/a.ts")).toBe(true);
    expect(all("/proj/node_modules/pkg/a.ts")).toBe(false);
    expect(all("/proj/src/types.d.ts")).toBe(false);

    const some = createFileFilter(resolvePluginOptions({ include: ["src/**"], exclude: ["src/legacy/**", "**/*.gen.ts"] }), dir);
    expect(some("/proj/src/a.ts")).toBe(true);
    expect(some("/proj/src/legacy/old.ts")).toBe(false);
    expect(some("/proj/src/x.gen.ts")).toBe(false);
    expect(some("/proj/test/a.ts")).toBe(false);
    expect(some("/proj/src/node_modules/x.ts")).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// TypeScript version gate

describe("TypeScript version check", () => {
  it("accepts TypeScript 6.x, including the one installed", () => {
    expect(checkTypeScriptVersion({ versionMajorMinor: "6.0", version: "6.0.3" })).toBeUndefined();
    expect(checkTypeScriptVersion({ versionMajorMinor: "6.2" })).toBeUndefined();
    expect(checkTypeScriptVersion(ts)).toBeUndefined();
  });

  it("refuses TypeScript 7 with the reason and what to do", () => {
    const message = checkTypeScriptVersion({ versionMajorMinor: "7.0", version: "7.0.0-dev.20250101" });
    expect(message).toMatch(/^async-machine needs TypeScript 6\.x: TypeScript 7 has no emit-transformer API/);
    expect(message).toMatch(/Found TypeScript 7\.0/);
    expect(message).toMatch(/typescript@6/);
    expect(checkTypeScriptVersion({ versionMajorMinor: "12.1" })).toMatch(/TypeScript 7 has no emit-transformer API/);
    expect(() => assertSupportedTypeScript({ versionMajorMinor: "7.1" })).toThrow(/TypeScript 7 has no emit-transformer API/);
  });

  it("reads `version` when `versionMajorMinor` is missing, and refuses 5.x and unknown versions", () => {
    expect(checkTypeScriptVersion({ version: "7.0.1" })).toMatch(/TypeScript 7 has no emit-transformer API/);
    expect(checkTypeScriptVersion({ versionMajorMinor: "5.9" })).toMatch(/needs TypeScript 6\.x \(with ts-patch 4\); found TypeScript 5\.9/);
    expect(checkTypeScriptVersion({})).toMatch(/could not read the version/);
    expect(checkTypeScriptVersion(undefined)).toMatch(/could not read the version/);
  });

  it("the plugin entry throws before doing anything when loaded by TypeScript 7", () => {
    const fakeTs = { versionMajorMinor: "7.0", version: "7.0.0" } as unknown as typeof ts;
    expect(() => asyncMachinePlugin({} as ts.Program, {}, { ts: fakeTs })).toThrow(/async-machine needs TypeScript 6\.x: TypeScript 7 has no emit-transformer API/);
  });

  it("the plugin entry rejects bad options before the emit starts", () => {
    const program = ts.createProgram([], { noEmit: true });
    expect(() => asyncMachinePlugin(program, { runtime: "global" }, { ts })).toThrow(PluginConfigError);
  });
});

// ---------------------------------------------------------------------------------------------
// runtime import style

describe("default runtime import style", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-runtime-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function runtimesFor(files: Record<string, string>, options: ts.CompilerOptions): Record<string, string> {
    const sub = fs.mkdtempSync(path.join(dir, "p-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(sub, name), text);
    const roots = Object.keys(files)
      .filter((f) => /\.[cm]?ts$/.test(f))
      .map((f) => path.join(sub, f));
    const program = ts.createProgram(roots, { types: [], noEmit: true, ...options });
    const out: Record<string, string> = {};
    for (const f of roots) out[path.basename(f)] = defaultRuntimeFor(ts, program, program.getSourceFile(f)!);
    return out;
  }

  it("is require for module commonjs and import for ES module output", () => {
    expect(runtimesFor({ "a.ts": "export {}" }, { module: ts.ModuleKind.CommonJS })).toEqual({ "a.ts": "require" });
    expect(runtimesFor({ "a.ts": "export {}" }, { module: ts.ModuleKind.ES2022 })).toEqual({ "a.ts": "import" });
    expect(runtimesFor({ "a.ts": "export {}" }, { module: ts.ModuleKind.ESNext })).toEqual({ "a.ts": "import" });
  });

  it("is decided per file under nodenext (.cts, .mts, package.json type)", () => {
    const opts = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
    expect(runtimesFor({ "package.json": '{"type":"module"}', "a.ts": "export {}", "b.cts": "export {}", "c.mts": "export {}" }, opts)).toEqual({
      "a.ts": "import",
      "b.cts": "require",
      "c.mts": "import",
    });
    expect(runtimesFor({ "package.json": '{"type":"commonjs"}', "a.ts": "export {}", "c.mts": "export {}" }, opts)).toEqual({ "a.ts": "require", "c.mts": "import" });
  });
});

// ---------------------------------------------------------------------------------------------
// report wording

describe("report lines", () => {
  const base = { projectDir: "/p", configFile: "/p/tsconfig.json", excluded: [] as string[], failed: [] as string[] };
  const skipped = { name: "evil", fileName: "/p/src/b.ts", line: 3, column: 5, code: "direct-eval" as const, reason: "direct eval" };
  const files = [
    { file: "src/a.ts", compiled: 11, skipped: [] },
    { file: "src/b.ts", compiled: 1, skipped: [skipped] },
  ];

  it("summary: one line with counts and a hint", () => {
    expect(reportLines({ ...base, options: resolvePluginOptions({}), files })).toEqual([
      `async-machine: 12 async functions compiled in 2 files, 1 left native (run with report: "verbose" to list them)`,
    ]);
    expect(reportLines({ ...base, options: resolvePluginOptions({}), files: [{ file: "a.ts", compiled: 1, skipped: [] }] })).toEqual([
      "async-machine: 1 async function compiled in 1 file, 0 left native",
    ]);
  });

  it("strict: points at the errors", () => {
    expect(reportLines({ ...base, options: resolvePluginOptions({ strict: true }), files })).toEqual([
      "async-machine: 12 async functions compiled in 2 files, 1 left native (reported as errors: strict)",
    ]);
  });

  it("verbose: per file, per function left native, excluded files", () => {
    expect(reportLines({ ...base, options: resolvePluginOptions({ report: "verbose" }), files, excluded: ["src/x.ts"] })).toEqual([
      "async-machine: src/a.ts: 11 compiled",
      "async-machine: src/b.ts: 1 compiled, 1 left native",
      "async-machine:   src/b.ts:3:5 evil: left native [direct-eval]: direct eval",
      "async-machine: src/x.ts: excluded (include/exclude)",
      "async-machine: 12 async functions compiled in 2 files, 1 left native",
    ]);
  });

  it("silent: nothing; no match: says so", () => {
    expect(reportLines({ ...base, options: resolvePluginOptions({ report: "silent" }), files })).toEqual([]);
    expect(reportLines({ ...base, options: resolvePluginOptions({}), files: [], excluded: ["a.ts", "b.ts"] })).toEqual([
      "async-machine: no emitted file matched include/exclude (2 files emitted unchanged)",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// integration: tspc builds through the built plugin

interface Build {
  status: number | null;
  stdout: string;
  stderr: string;
  output: string;
  dir: string;
}

const FAKE_TRANSFORM = `
// Replaces transformSourceFile in the plugin's own module instance (same file, same require cache).
const fs = require("fs");
const tf = require(${JSON.stringify(path.join(ROOT, "dist", "transformer", "transform-file.js"))});
tf.transformSourceFile = (ts, sf, ctx, opts) => {
  const skipped = []; let compiled = 0;
  const visit = (n) => {
    if (ts.isFunctionLike(n) && (ts.getCombinedModifierFlags(n) & ts.ModifierFlags.Async)) {
      if (/\\beval\\(/.test(n.getText(sf))) {
        const { line, character } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
        skipped.push({ name: n.name ? n.name.getText(sf) : "<anonymous>", fileName: sf.fileName,
          line: line + 1, column: character + 1, code: "direct-eval", reason: "it calls eval directly (fake transformer)" });
      } else compiled++;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  fs.appendFileSync(process.env.AM_FAKE_LOG, JSON.stringify({ file: sf.fileName, runtime: opts.runtime, runtimeSpecifier: opts.runtimeSpecifier }) + "\\n");
  return { sourceFile: sf, skipped, compiled };
};
`;

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "am-plugin-test-"));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const EVAL_SOURCE = [
  "export async function fine(x: number) {",
  "  return (await x) + 1;",
  "}",
  "export async function evil(code: string) {",
  "  const v = await Promise.resolve(1);",
  "  return eval(code) + v;",
  "}",
  "",
].join("\n");

/** A temp project: tsconfig.json with the plugin, node_modules/async-machine → this package. */
function project(files: Record<string, string>, pluginOptions: Record<string, unknown> = {}, compilerOptions: Record<string, unknown> = {}): string {
  const dir = fs.mkdtempSync(path.join(tmpRoot, "p-"));
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(ROOT, path.join(dir, "node_modules", "async-machine"), "junction");
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          module: "commonjs",
          target: "ES2022",
          lib: ["ES2022"],
          types: [],
          strict: true,
          rootDir: "src",
          outDir: "dist",
          ...compilerOptions,
          // `plugins: []` in compilerOptions builds without the plugin (the native side of a comparison).
          plugins: compilerOptions.plugins ?? [{ transform: "async-machine/plugin", ...pluginOptions }],
        },
        include: ["src"],
      },
      null,
      2,
    ),
  );
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function tspc(dir: string, { fake = false }: { fake?: boolean } = {}): Build {
  const args = ["-p", path.join(dir, "tsconfig.json"), "--pretty", "false"];
  const preload: string[] = [];
  const env = { ...process.env };
  if (fake) {
    fs.writeFileSync(path.join(dir, "fake-transform.cjs"), FAKE_TRANSFORM);
    preload.push("-r", path.join(dir, "fake-transform.cjs"));
    env.AM_FAKE_LOG = path.join(dir, "fake-log.jsonl");
  }
  const r = spawnSync(process.execPath, [...preload, TSPC, ...args], { cwd: dir, env, encoding: "utf8", timeout: 170_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: r.stdout + r.stderr, dir };
}

function fakeLog(dir: string): { file: string; runtime: string; runtimeSpecifier: string }[] {
  const file = path.join(dir, "fake-log.jsonl");
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

const rel = (dir: string, f: string) => path.relative(dir, f).split(path.sep).join("/");

/** Names of the native async functions, arrows and methods in emitted JavaScript (comments and strings ignored). */
function nativeAsyncFunctions(js: string): string[] {
  const sf = ts.createSourceFile("out.js", js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isFunctionLike(n) && ts.getCombinedModifierFlags(n as ts.Declaration) & ts.ModifierFlags.Async) {
      const name = (n as ts.FunctionLikeDeclaration).name;
      found.push(name ? name.getText(sf) : `<anonymous@${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}>`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe("tspc with the plugin", () => {
  beforeAll(() => {
    if (!fs.existsSync(DIST_PLUGIN)) throw new Error(`${DIST_PLUGIN} is missing: run \`npm run build\` first (npm test does).`);
  });

  it("loads as async-machine/plugin and prints one summary line to stderr", () => {
    const b = tspc(project({ "src/a.ts": "export async function a() { await 1; }\n", "src/b.ts": "export const b = 1;\n" }));
    expect(b.output).toBe(b.stderr); // nothing on stdout
    expect(b.status).toBe(0);
    expect(b.stderr.match(/^async-machine: .*$/gm)).toEqual([expect.stringMatching(/^async-machine: \d+ async functions? compiled in 2 files, 0 left native$/)]);
  });

  it("report: silent prints nothing", () => {
    const b = tspc(project({ "src/a.ts": "export async function a() { await 1; }\n" }, { report: "silent" }));
    expect(b.status).toBe(0);
    expect(b.output).toBe("");
  });

  it("honours include and exclude (plumbing: which files reach the transformer)", () => {
    const dir = project(
      {
        "src/app/a.ts": "export async function a() { await 1; }\n",
        "src/app/b.gen.ts": "export async function b() { await 1; }\n",
        "src/legacy/c.ts": "export async function c() { await 1; }\n",
        "src/tools/d.ts": "export async function d() { await 1; }\n",
      },
      { include: ["src/app/**", "src/legacy"], exclude: ["**/*.gen.ts", "src/legacy/**"], report: "verbose" },
    );
    const b = tspc(dir, { fake: true });
    expect(b.status).toBe(0);
    expect(fakeLog(dir).map((e) => rel(dir, e.file))).toEqual(["src/app/a.ts"]);
    expect(b.stderr).toContain("async-machine: src/app/a.ts: 1 compiled");
    for (const f of ["src/app/b.gen.ts", "src/legacy/c.ts", "src/tools/d.ts"]) {
      expect(b.stderr).toContain(`async-machine: ${f}: excluded (include/exclude)`);
    }
    expect(b.stderr).toContain("async-machine: 1 async function compiled in 1 file, 0 left native");
  });

  it("honours include and exclude with the real stub too (verbose report)", () => {
    const dir = project(
      { "src/keep.ts": "export async function k() { await 1; }\n", "src/skip.ts": "export async function s() { await 1; }\n" },
      { exclude: ["src/skip.ts"], report: "verbose" },
    );
    const b = tspc(dir);
    expect(b.status).toBe(0);
    expect(b.stderr).toMatch(/^async-machine: src\/keep\.ts: \d+ compiled/m);
    expect(b.stderr).toContain("async-machine: src/skip.ts: excluded (include/exclude)");
  });

  it("passes the runtime style: require for commonjs by default, import for ES modules, or as configured", () => {
    const cjs = project({ "src/a.ts": "export async function a() { await 1; }\n" });
    tspc(cjs, { fake: true });
    expect(fakeLog(cjs).map((e) => [e.runtime, e.runtimeSpecifier])).toEqual([["require", "async-machine/runtime/compiled"]]);

    const esm = project({ "src/a.ts": "export async function a() { await 1; }\n" }, {}, { module: "es2022" });
    tspc(esm, { fake: true });
    expect(fakeLog(esm).map((e) => e.runtime)).toEqual(["import"]);

    const set = project({ "src/a.ts": "export async function a() { await 1; }\n" }, { runtime: "import", runtimeSpecifier: "./rt" });
    tspc(set, { fake: true });
    expect(fakeLog(set).map((e) => [e.runtime, e.runtimeSpecifier])).toEqual([["import", "./rt"]]);
  });

  it("strict: a function left native is a TypeScript error at file:line:col (plumbing)", () => {
    const dir = project({ "src/evil.ts": EVAL_SOURCE, "src/ok.ts": "export async function ok() { await 1; }\n" }, { strict: true });
    const b = tspc(dir, { fake: true });
    expect(b.status).not.toBe(0);
    const errors = b.stdout.match(/^.*error TS99401:.*$/gm) ?? [];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^src\/evil\.ts\(4,1\): error TS99401: async function 'evil' cannot be compiled to a state machine \[direct-eval\]: it calls eval directly \(fake transformer\)\./,
    );
    expect(errors[0]).toMatch(/"strict": true forbids.*"exclude".*"strict": false/);
    expect(b.stderr).toContain("2 async functions compiled in 2 files, 1 left native (reported as errors: strict)");
    expect(fs.existsSync(path.join(dir, "dist", "evil.js"))).toBe(true); // tsc still emits, like any error
  });

  it("not strict: a function left native is counted, not an error (plumbing)", () => {
    const dir = project({ "src/evil.ts": EVAL_SOURCE });
    const b = tspc(dir, { fake: true });
    expect(b.status).toBe(0);
    expect(b.stdout).toBe("");
    expect(b.stderr).toContain(`async-machine: 1 async function compiled in 1 file, 1 left native (run with report: "verbose" to list them)`);
    const verbose = tspc(project({ "src/evil.ts": EVAL_SOURCE }, { report: "verbose" }), { fake: true });
    expect(verbose.stderr).toContain("async-machine:   src/evil.ts:4:1 evil: left native [direct-eval]: it calls eval directly (fake transformer)");
  });

  it("strict + incremental: each error is reported once, and replayed by tsc on a no-change rebuild", () => {
    const dir = project({ "src/a.ts": EVAL_SOURCE, "src/b.ts": EVAL_SOURCE, "src/c.ts": "export const c = 1;\n" }, { strict: true }, { incremental: true });
    const first = tspc(dir, { fake: true });
    expect(first.stdout.match(/error TS99401/g)).toHaveLength(2);
    expect(first.stdout).toMatch(/^src\/a\.ts\(4,1\): error TS99401/m);
    expect(first.stdout).toMatch(/^src\/b\.ts\(4,1\): error TS99401/m);
    const again = tspc(dir, { fake: true });
    expect(again.status).not.toBe(0);
    expect(again.stdout.match(/error TS99401/g)).toHaveLength(2);
  });

  it("incremental: warns that old output may be stale when the options that shape output changed", () => {
    const files = { "src/a.ts": "export async function a() { await 1; }\n", "src/b.ts": "export const b = 1;\n" };
    const dir = project(files, {}, { incremental: true });
    const first = tspc(dir);
    expect(first.status).toBe(0);
    expect(first.stderr).not.toMatch(/warning/);
    expect(fs.existsSync(path.join(dir, "tsconfig.async-machine.tsbuildinfo"))).toBe(true);

    const config = JSON.parse(fs.readFileSync(path.join(dir, "tsconfig.json"), "utf8"));
    config.compilerOptions.plugins[0].runtimeSpecifier = "./my-runtime";
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(config));
    fs.appendFileSync(path.join(dir, "src/b.ts"), "export const b2 = 2;\n");
    const second = tspc(dir);
    expect(second.stderr).toMatch(
      /^async-machine: warning: tsconfig\.tsbuildinfo was written by a build with another async-machine version or other plugin options; .* Delete tsconfig\.tsbuildinfo and rebuild once\.$/m,
    );

    fs.rmSync(path.join(dir, "tsconfig.tsbuildinfo"));
    const third = tspc(dir);
    expect(third.stderr).not.toMatch(/warning/);
    fs.appendFileSync(path.join(dir, "src/b.ts"), "export const b3 = 3;\n");
    expect(tspc(dir).stderr).not.toMatch(/warning/);
  });

  it("a transform that throws leaves that file unchanged and reports error TS99402 on it", () => {
    const dir = project({ "src/a.ts": "export async function a() { await 1; }\n", "src/boom.ts": "export async function b() { await 1; }\n" });
    fs.writeFileSync(
      path.join(dir, "boom.cjs"),
      FAKE_TRANSFORM +
        `
const fake = tf.transformSourceFile;
tf.transformSourceFile = (ts, sf, ctx, opts) => {
  if (sf.fileName.endsWith("boom.ts")) throw new Error("layout: binding 'x' has no field");
  return fake(ts, sf, ctx, opts);
};
`,
    );
    const r = spawnSync(process.execPath, ["-r", path.join(dir, "boom.cjs"), TSPC, "-p", path.join(dir, "tsconfig.json"), "--pretty", "false"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, AM_FAKE_LOG: path.join(dir, "fake-log.jsonl") },
    });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/^src\/boom\.ts\(1,1\): error TS99402: async-machine failed on this file and emitted it unchanged .*layout: binding 'x' has no field/m);
    expect(r.stderr).toContain("async-machine: src/boom.ts: transform failed, emitted unchanged (see the error)");
    expect(r.stderr).toContain("async-machine: 1 async function compiled in 1 file, 0 left native");
    expect(fs.readFileSync(path.join(dir, "dist", "boom.js"), "utf8")).toMatch(/async function b\(/);
  });

  it("a bad option fails the build with the option's message, as a build error at the tsconfig entry (no crash)", () => {
    const b = tspc(project({ "src/a.ts": "export async function a() { await 1; }\n" }, { exlude: ["x"] }));
    expect(b.status).not.toBe(0);
    expect(b.stdout).toMatch(
      /^tsconfig\.json\(\d+,\d+\): error TS99403: async-machine: invalid plugin option in tsconfig\.json: unknown option "exlude" \(did you mean "exclude"\?\)/m,
    );
    expect(b.stderr).not.toMatch(/PluginConfigError|\n\s+at /);
  });

  // --- these wait on the real transformer (transformSourceFile is a stub that changes nothing) ---

  it("strict: direct eval is left native and reported as an error at file:line:col", () => {
    const dir = project({ "src/evil.ts": EVAL_SOURCE }, { strict: true });
    const b = tspc(dir);
    // The real transformer must refuse `evil` (direct eval can read any local) and report it.
    expect(b.stdout).toMatch(/^src\/evil\.ts\(4,\d+\): error TS99401: async function 'evil' cannot be compiled to a state machine \[direct-eval\]: .+/m);
    expect(b.status).not.toBe(0);
    // …and compile `fine`, leaving `evil` native in the output.
    expect(nativeAsyncFunctions(fs.readFileSync(path.join(dir, "dist", "evil.js"), "utf8"))).toEqual(["evil"]);
  });

  it("include/exclude: included files are compiled, excluded ones keep native async", () => {
    const source = (n: string) => `export async function ${n}(x: number) { const y = await Promise.resolve(x); return y * 2; }\n`;
    const dir = project({ "src/in.ts": source("inc"), "src/out.ts": source("exc") }, { exclude: ["src/out.ts"] });
    const b = tspc(dir);
    expect(b.status).toBe(0);
    const compiled = fs.readFileSync(path.join(dir, "dist", "in.js"), "utf8");
    const native = fs.readFileSync(path.join(dir, "dist", "out.js"), "utf8");
    expect(nativeAsyncFunctions(native)).toEqual(["exc"]);
    expect(nativeAsyncFunctions(compiled)).toEqual([]);
    expect(compiled).toMatch(/require\("async-machine\/runtime\/compiled"\)/);
    const run = spawnSync(process.execPath, ["-e", `require("./dist/in.js").inc(21).then((v) => console.log(v))`], { cwd: dir, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("42");
  });
});

describe("module bindings inside machines (the module transform still rewrites them)", () => {
  // tsc rewrites references to imports (`(0, util_1.twice)(…)`), assignments to exported `let`s
  // (`exports.total = …`) and reads of live bindings after the transformer ran; the machines'
  // own names are marked so that it skips them. Each build runs and must print what the same
  // project built without the plugin prints.
  const files = {
    "src/util.ts": [
      "export function twice(x: number) { return x * 2; }",
      "export let counter = 0;",
      "export function bump() { counter++; }",
      'export default function named() { return "default"; }',
    ].join("\n"),
    "src/main.ts": [
      'import named, { twice, counter, bump } from "./util.js";',
      'import * as util from "./util.js";',
      "export let total = 0;",
      "export let steps: string[] = [];",
      "export async function run(n: number) {",
      "  for (let i = 0; i < n; i++) {",
      "    total += twice(await i);",
      "    bump();",
      "    steps.push(`${i}:${counter}:${util.counter}`);",
      "    try { if (i === 1) throw new Error(named()); } catch (e) { total = total * 10; steps = [...steps, (e as Error).message]; }",
      "  }",
      "  total++;",
      "  return [total, counter];",
      "}",
    ].join("\n"),
    "src/check.ts": [
      "declare const console: { log(...a: unknown[]): void };",
      'import * as main from "./main.js";',
      "main.run(3).then((r) => console.log(JSON.stringify({ r, total: main.total, steps: main.steps })));",
    ].join("\n"),
  };
  const runBoth = (compilerOptions: Record<string, unknown>, entry: string, extra: Record<string, string> = {}) => {
    const withPlugin = project({ ...files, ...extra }, {}, compilerOptions);
    const plain = project({ ...files, ...extra }, {}, { ...compilerOptions, plugins: [] });
    const outputs = [withPlugin, plain].map((dir) => {
      const b = tspc(dir);
      expect(b.status, b.output).toBe(0);
      const r = spawnSync(process.execPath, [path.join(dir, "dist", entry)], { cwd: dir, encoding: "utf8" });
      expect(r.stderr).toBe("");
      return r.stdout.trim();
    });
    expect(nativeAsyncFunctions(fs.readFileSync(path.join(withPlugin, "dist", entry.replace("check", "main")), "utf8"))).toEqual([]);
    return outputs;
  };

  it("CommonJS, ES2022", () => {
    const [compiled, native] = runBoth({}, "check.js");
    expect(JSON.parse(compiled)).toEqual({ r: [25, 3], total: 25, steps: ["0:1:1", "1:2:2", "default", "2:3:3"] });
    expect(compiled).toBe(native);
  });

  it("CommonJS, ES2015 (TypeScript's own downlevel of the rest)", () => {
    const [compiled, native] = runBoth({ target: "ES2015" }, "check.js");
    expect(compiled).toBe(native);
  });

  it("ES modules", () => {
    const [compiled, native] = runBoth({ module: "es2022", moduleResolution: "bundler" }, "check.js", { "package.json": JSON.stringify({ type: "module" }) });
    expect(JSON.parse(compiled).total).toBe(25);
    expect(compiled).toBe(native);
  });
});

describe("strictness of the emitted file (alwaysStrict)", () => {
  // A script (no import/export) is sloppy by its source, but TypeScript emits it strict unless
  // `alwaysStrict` is false: the machines must follow what is emitted (unmapped `arguments`,
  // a TypeError for a write to a named function expression's own name).
  const files = {
    "src/script.ts": [
      "declare const console: { log(...a: unknown[]): void };",
      "async function mapped(a: number) { a = 2; await null; return arguments[0]; }",
      'const own = async function named() { await null; try { (named as any) = 1; return "ignored"; } catch (e) { return (e as Error).name; } };',
      "async function unmapped(a: number) { arguments[0] = 3; await null; return a; }",
      "Promise.all([mapped(1), own(), unmapped(1)]).then((r) => console.log(JSON.stringify(r)));",
    ].join("\n"),
  };
  const run = (compilerOptions: Record<string, unknown>) =>
    [project(files, {}, compilerOptions), project(files, {}, { ...compilerOptions, plugins: [] })].map((dir) => {
      const b = tspc(dir);
      expect(b.status, b.output).toBe(0);
      const r = spawnSync(process.execPath, [path.join(dir, "dist", "script.js")], { cwd: dir, encoding: "utf8" });
      expect(r.stderr).toBe("");
      return JSON.parse(r.stdout) as unknown[];
    });

  it("TypeScript's default: the script is emitted strict, and so are its machines", () => {
    const [compiled, native] = run({});
    expect(native).toEqual([1, "TypeError", 1]);
    expect(compiled).toEqual(native);
  });

  it("alwaysStrict false: the script stays sloppy (mapped arguments, the write ignored)", () => {
    const [compiled, native] = run({ alwaysStrict: false, ignoreDeprecations: "6.0" });
    expect(native).toEqual([2, "ignored", 3]);
    expect(compiled).toEqual(native);
  });
});

describe("exported async function declarations", () => {
  // A declaration keeps hoisting (a cyclic import can call it early) and the top of its module
  // swaps in the async-function-shaped wrapper: under CommonJS the exports of it are updated too.
  // `export default async function` stays a plain hoisted function there (and always when it has
  // no name: there is no binding to swap), still returning the machine's promise.
  const files = {
    "src/lib.ts": [
      'import { early } from "./cycle.js";',
      "export const seenEarly = early;",
      'export async function named() { await 0; return "named"; }',
      'async function local() { await 0; return "local"; }',
      "export { local as renamed, local };",
      'export default async function () { await 0; return "anonymous default"; }',
    ].join("\n"),
    "src/other.ts": 'export default async function other() { await 0; return "named default"; }',
    "src/cycle.ts": ['import { named } from "./lib.js";', "export const early = typeof named;"].join("\n"),
    "src/check.ts": [
      "declare const console: { log(...a: unknown[]): void };",
      'import * as lib from "./lib.js";',
      'import other from "./other.js";',
      "const AsyncFunction = (async () => {}).constructor;",
      "const all: Record<string, any> = { ...lib, other };",
      'const shapes = Object.keys(all).sort().map((k) => [k, typeof all[k] === "function" ? all[k] instanceof AsyncFunction : all[k]]);',
      "Promise.all([lib.named(), lib.renamed(), lib.local(), lib.default(), other()]).then((r) => console.log(JSON.stringify({ r, shapes })));",
    ].join("\n"),
  };
  const build = (compilerOptions: Record<string, unknown>, extra: Record<string, string> = {}) => {
    const dir = project({ ...files, ...extra }, {}, compilerOptions);
    const b = tspc(dir);
    expect(b.status, b.output).toBe(0);
    expect(nativeAsyncFunctions(fs.readFileSync(path.join(dir, "dist", "lib.js"), "utf8"))).toEqual([]);
    const r = spawnSync(process.execPath, [path.join(dir, "dist", "check.js")], { cwd: dir, encoding: "utf8" });
    expect(r.stderr).toBe("");
    return JSON.parse(r.stdout) as { r: string[]; shapes: Array<[string, unknown]> };
  };
  const values = ["named", "local", "local", "anonymous default", "named default"];

  it("CommonJS: named exports and export specifiers get the async-function shape", () => {
    const { r, shapes } = build({});
    expect(r).toEqual(values);
    expect(shapes).toEqual([
      ["default", false],
      ["local", true],
      ["named", true],
      ["other", false],
      ["renamed", true],
      ["seenEarly", "function"],
    ]);
  });

  it("ES modules: every export with a binding gets the shape (live bindings)", () => {
    const { r, shapes } = build({ module: "es2022", moduleResolution: "bundler" }, { "package.json": JSON.stringify({ type: "module" }) });
    expect(r).toEqual(values);
    expect(shapes).toEqual([
      ["default", false],
      ["local", true],
      ["named", true],
      ["other", true],
      ["renamed", true],
      ["seenEarly", "function"],
    ]);
  });
});

describe("decorated async methods (TypeScript's legacy decorators with emitDecoratorMetadata)", () => {
  // The wrapper method keeps the parameters' decorators and types (same positions) and says
  // `Promise` for a method without a return type, so the decorators run in the same order with
  // the same metadata values as without the plugin. A decorated method whose wrapper could not
  // keep every parameter (a default, rest or pattern) stays native.
  const files = {
    "src/main.ts": [
      "declare const console: { log(...a: unknown[]): void };",
      "const seen: unknown[] = [];",
      "(Reflect as any).metadata = (k: string, v: any) => (_t: unknown, key?: string) => { seen.push([key, k, Array.isArray(v) ? v.map((t: any) => t.name) : v?.name ?? String(v)]); };",
      "function logged(_t: unknown, key: string, d: PropertyDescriptor) {",
      "  const orig = d.value;",
      '  d.value = function (this: unknown, ...a: unknown[]) { seen.push(["call", key]); return orig.apply(this, a); };',
      "}",
      'function param(_t: unknown, key: string, i: number) { seen.push(["param", key, i]); }',
      "class Dto { v = 1; }",
      "export class Ctl {",
      "  base = 10;",
      "  @logged async find(@param id: number, @param dto: Dto) { await 0; return this.base + id + dto.v; }",
      '  @logged async typed(n: string): Promise<string> { return (await n) + "!"; }',
      "  async plain(@param flag: boolean) { await 0; return !flag; }",
      "  @logged static async make() { await 0; return new Ctl(); }",
      "  @logged async withDefault(a: string, b = 2) { await 0; return a + b; }",
      "}",
      "(async () => {",
      "  const c = await Ctl.make();",
      '  const r = [await c.find(1, new Dto()), await c.typed("t"), await c.plain(false), await c.withDefault("x")];',
      "  console.log(JSON.stringify({ r, seen }));",
      "})();",
    ].join("\n"),
  };
  it("runs the decorators with the same metadata as the native methods", () => {
    const options = { experimentalDecorators: true, emitDecoratorMetadata: true };
    const [withPlugin, plain] = [project(files, {}, options), project(files, {}, { ...options, plugins: [] })];
    const [compiled, native] = [withPlugin, plain].map((dir) => {
      const b = tspc(dir);
      expect(b.status, b.output).toBe(0);
      const r = spawnSync(process.execPath, [path.join(dir, "dist", "main.js")], { cwd: dir, encoding: "utf8" });
      expect(r.stderr).toBe("");
      return r.stdout.trim();
    });
    expect(nativeAsyncFunctions(fs.readFileSync(path.join(withPlugin, "dist", "main.js"), "utf8"))).toEqual(["withDefault"]);
    const parsed = JSON.parse(compiled) as { r: unknown[]; seen: unknown[][] };
    expect(parsed.r).toEqual([12, "t!", true, "x2"]);
    expect(parsed.seen).toContainEqual(["find", "design:returntype", "Promise"]);
    expect(parsed.seen).toContainEqual(["find", "design:paramtypes", ["Number", "Dto"]]);
    expect(parsed.seen).toContainEqual(["param", "find", 1]);
    expect(compiled).toBe(native);
  });
});

describe("await inside JSX", () => {
  // An element evaluates its tag, attributes and children in source order; awaits among them
  // suspend in that order. Built with the classic factory and with the automatic runtime (a fake
  // react/jsx-runtime that logs), compared with the same project built without the plugin.
  const view = [
    "declare const console: { log(...a: unknown[]): void };",
    "const seen: string[] = [];",
    "const side = <T,>(name: string, v: T): T => { seen.push(name); return v; };",
    'const tick = (v: string) => Promise.resolve().then(() => side("tick " + v, v));',
    "function Card(props: any) { return props; }",
    "const ui = { Panel: (props: any) => props };",
    "async function attrs() {",
    '  return <Card title={side("title", "t")} note={await tick("note")} {...side("spread", { s: 1 })} />;',
    "}",
    "async function children(n: number) {",
    '  return <div id={side("id", "x")}>{side("a", "a")}<i>{n}</i>{await tick("child")}<ui.Panel>{await tick("inner")}</ui.Panel>text</div>;',
    "}",
    "async function fragment() {",
    '  return <>{side("f1", 1)}{await tick("f2")}{[await tick("f3")]}</>;',
    "}",
    "async function keyed() {",
    '  return <Card key={side("key", "k")} v={await tick("after key")} />;',
    "}",
    "async function keyLast() {",
    '  return <Card v={await tick("before key")} key="k" />;',
    "}",
    "(async () => {",
    "  const out = [await attrs(), await children(2), await fragment(), await keyed(), await keyLast()];",
    "  console.log(JSON.stringify({ out, seen }));",
    "})();",
  ].join("\n");
  const fakeRuntime = [
    'exports.Fragment = "Fragment";',
    'const make = (type, props, key) => ({ type: typeof type === "function" ? type.name : type, props, key });',
    "exports.jsx = make; exports.jsxs = make;",
  ].join("\n");
  const classic =
    'export function h(type: any, props: any, ...children: any[]) { return { type: typeof type === "function" ? type.name : type, props, children }; }\nexport const Frag = "Fragment";';
  const build = (compilerOptions: Record<string, unknown>, files: Record<string, string>) => {
    const outputs = [project(files, { report: "verbose" }, compilerOptions), project(files, {}, { ...compilerOptions, plugins: [] })].map((dir) => {
      if (compilerOptions.jsx === "react-jsx") {
        fs.mkdirSync(path.join(dir, "node_modules", "react"), { recursive: true });
        fs.writeFileSync(path.join(dir, "node_modules", "react", "package.json"), JSON.stringify({ name: "react", version: "0.0.0" }));
        fs.writeFileSync(path.join(dir, "node_modules", "react", "jsx-runtime.js"), fakeRuntime);
        fs.writeFileSync(
          path.join(dir, "node_modules", "react", "jsx-runtime.d.ts"),
          "export declare const Fragment: any; export declare function jsx(t: any, p: any, k?: any): any; export declare function jsxs(t: any, p: any, k?: any): any; export namespace JSX { interface IntrinsicElements { [k: string]: any } interface Element {} }",
        );
      }
      const b = tspc(dir);
      expect(b.status, b.output).toBe(0);
      const r = spawnSync(process.execPath, [path.join(dir, "dist", "view.js")], { cwd: dir, encoding: "utf8" });
      expect(r.stderr).toBe("");
      return { stdout: r.stdout.trim(), output: b.output, js: fs.readFileSync(path.join(dir, "dist", "view.js"), "utf8") };
    });
    return outputs;
  };

  it("classic factory: same values and order of effects as native; a key evaluated before a later await stays native", () => {
    const files = {
      "src/view.tsx": 'import { h, Frag } from "./h.js";\ndeclare global { namespace JSX { interface IntrinsicElements { [k: string]: any } } }\n' + view,
      "src/h.ts": classic,
    };
    const [compiled, native] = build({ jsx: "react", jsxFactory: "h", jsxFragmentFactory: "Frag" }, files);
    expect(nativeAsyncFunctions(compiled.js)).toEqual(["keyed"]);
    expect(compiled.output).toMatch(/keyed: left native \[jsx-await-after-key\]: /);
    expect(JSON.parse(native.stdout).seen.slice(0, 4)).toEqual(["title", "tick note", "spread", "id"]);
    expect(compiled.stdout).toBe(native.stdout);
  });

  it("automatic runtime (react-jsx): same values and order of effects as native", () => {
    const [compiled, native] = build({ jsx: "react-jsx" }, { "src/view.tsx": view });
    expect(nativeAsyncFunctions(compiled.js)).toEqual(["keyed"]);
    expect(compiled.stdout).toBe(native.stdout);
  });
});

describe("the example project (examples/)", () => {
  it("builds through the plugin into state machines and runs", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "examples", "run.mjs")], { cwd: ROOT, encoding: "utf8", timeout: 170_000 });
    expect(r.stderr).toMatch(/^async-machine: \d+ async functions? compiled in \d+ files?, 0 left native$/m);
    expect(r.stdout).toMatch(/^  total +61 words$/m);
    expect(r.stdout).toContain("cleanup: scratch directory removed");
    // The poll-mode part (src/engine/, the "poll" option): the timeout cancels the lazy crawl.
    expect(r.stdout).toMatch(/^poll mode: timed out after 2 pages; finally ran 1x, catch ran 0x; the call alone ran none of it$/m);
    expect(r.status).toBe(0);
    // Read the emitted JavaScript: no native async function, method or arrow survives, and the
    // files that had them now reach the runtime.
    const dist = path.join(ROOT, "examples", "dist");
    const survivors = fs
      .readdirSync(dist)
      .filter((n) => n.endsWith(".js"))
      .flatMap((f) => nativeAsyncFunctions(fs.readFileSync(path.join(dist, f), "utf8")).map((name) => `${f}: ${name}`));
    expect(survivors).toEqual([]);
    for (const f of ["main.js", "pool.js", "retry.js", "corpus.js"]) {
      expect(fs.readFileSync(path.join(dist, f), "utf8"), f).toMatch(/require\("async-machine\/runtime\/compiled"\)/);
    }
    expect(r.stdout).toContain("compiled by async-machine: yes (state machines)");
  });
});
