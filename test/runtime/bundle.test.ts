/**
 * The runtime in a bundle: a bundler resolves `async-machine/runtime` to the ES-module build
 * (the `module` export condition), the package is side-effect free, and the runtime's modules do
 * nothing at load but define — so a minified bundle of a promise-mode program keeps the machine
 * and the helpers it calls and nothing else: no executor, no combinators, no inspection.
 *
 * The sizes are measured (esbuild, minified, gzip -9) and printed; the bounds asserted are the
 * targets the runtime is held to (runtime cost of a promise-mode program ≤ 2.0 KB gzip; with the
 * executor and combinators imported ≤ 5 KB).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { build } from "esbuild";
import * as ts from "typescript";
import { describe, expect, test } from "vitest";
import { transform } from "../../transformer/index";
import { PROGRAM, WITH_EXECUTOR } from "../../bench/lib/bundle-programs.mjs";

const ROOT = path.resolve(__dirname, "..", "..");
/** Inside the checkout, so `async-machine/runtime` resolves through node_modules to this package (dist/). */
const WORK = path.join(ROOT, ".vitest-tmp", "bundle");

/** Strings only the inspection modules hold (they survive minification). */
const INSPECTION_MARKERS = ["async-machine/snapshot@1", "registerFunctions", "enableTaskTracking", "InspectError"];
/** Strings only the executor and combinators hold. */
const EXECUTOR_MARKERS = ["select() of no futures", "unknown scheduling policy"];

function compile(source: string, name: string, native = false, profile: "development" | "production" = "development"): string {
  let code = source;
  if (!native) {
    const result = transform(source, { fileName: `${name}.ts`, runtime: "import", profile });
    expect(result.compiled).toBeGreaterThan(0);
    code = result.code;
  }
  const js = ts.transpileModule(code, { fileName: `${name}.ts`, compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
  fs.mkdirSync(WORK, { recursive: true });
  const file = path.join(WORK, `${name}.mjs`);
  fs.writeFileSync(file, js);
  return file;
}

async function bundle(entry: string, external: string[] = []): Promise<string> {
  const out = await build({ entryPoints: [entry], bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022", write: false, external, logLevel: "silent" });
  return out.outputFiles[0].text;
}

const gzip = (text: string): number => zlib.gzipSync(text, { level: 9 }).length;

/** The runtime's share of a bundle of `entry`: the bundle with it minus the bundle without it. */
async function runtimeCost(entry: string): Promise<{ code: string; minified: number; gzip: number }> {
  const code = await bundle(entry);
  const without = await bundle(entry, ["async-machine/runtime", "async-machine/runtime/*"]);
  return { code, minified: code.length - without.length, gzip: gzip(code) - gzip(without) };
}

describe("the runtime in a bundle", () => {
  test("a promise-mode program keeps the machine and its helpers only: no inspection, no executor", async () => {
    const cost = await runtimeCost(compile(PROGRAM, "promise-mode"));
    console.log(`[bundle] promise-mode program: runtime ${cost.minified} B minified, ${cost.gzip} B gzip -9`);
    for (const marker of [...INSPECTION_MARKERS, ...EXECUTOR_MARKERS]) expect(cost.code).not.toContain(marker);
    expect(cost.gzip).toBeLessThanOrEqual(2048);
  }, 60_000);

  test("in the production profile, the program carries no inspection data either: no state enum, no MachineInfo", async () => {
    const cost = await runtimeCost(compile(PROGRAM, "promise-mode-production", false, "production"));
    const development = await runtimeCost(compile(PROGRAM, "promise-mode-development", false, "development"));
    console.log(`[bundle] promise-mode program, profile production: runtime ${cost.minified} B minified, ${cost.gzip} B gzip -9`);
    for (const marker of [...INSPECTION_MARKERS, ...EXECUTOR_MARKERS]) expect(cost.code).not.toContain(marker);
    // What the development profile writes for dumps and snapshots: state names, the machine's file and its frame's slot names.
    for (const marker of ["AwaitLoad_L", "Unresumed", '"promise-mode-development.ts"', "slots:"]) expect(development.code).toContain(marker);
    for (const marker of ["AwaitLoad_L", "Unresumed", "promise-mode-production.ts", "slots:"]) expect(cost.code).not.toContain(marker);
    expect(cost.code.length).toBeLessThan(development.code.length);
  }, 60_000);

  test("the bundled runtime (the ES-module build, private names shortened) runs the program as native code does", async () => {
    const results: unknown[] = [];
    for (const native of [true, false]) {
      const name = native ? "run-native" : "run-compiled";
      const file = path.join(WORK, `${name}.bundle.mjs`);
      fs.writeFileSync(
        file,
        await bundle(
          compile(
            WITH_EXECUTOR + '\nexport const failing = () => new Executor().run(join([fromPromise(total([1])), fromPromise(Promise.reject(new Error("no")))]));',
            name,
            native,
          ),
        ),
      );
      const program = (await import(`${file}?${Date.now()}`)) as { both(): Promise<unknown>; total(ids: number[]): Promise<number>; failing(): Promise<unknown> };
      results.push([
        await program.both(),
        await program.total([1, 2, 3]),
        await program.failing().then(
          () => "resolved",
          (error: Error) => error.message,
        ),
      ]);
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toEqual([{ index: 0, value: [6, undefined] }, 12, "no"]);
  }, 60_000);

  test("with the executor and combinators imported, they come in; inspection still does not", async () => {
    const cost = await runtimeCost(compile(WITH_EXECUTOR, "with-executor"));
    console.log(`[bundle] with executor and combinators: runtime ${cost.minified} B minified, ${cost.gzip} B gzip -9`);
    for (const marker of EXECUTOR_MARKERS) expect(cost.code).toContain(marker);
    for (const marker of INSPECTION_MARKERS) expect(cost.code).not.toContain(marker);
    expect(cost.gzip).toBeLessThanOrEqual(5 * 1024);
  }, 60_000);
});
