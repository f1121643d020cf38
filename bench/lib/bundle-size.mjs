// Workload BUNDLE: what async-machine costs in a minified bundle (esbuild, minify, gzip -9).
//
//  - runtime: the runtime's share of a bundle of a small promise-mode program, and of one that
//    also imports the executor and combinators (the bundle with the runtime minus the bundle with
//    it external), as test/runtime/bundle.test.ts measures and holds them;
//  - example: the example app (examples/src, its engine/ in poll mode) bundled for Node, compiled
//    through async-machine/esbuild in each profile vs bundled native, gzip against gzip.
//
// Each bundle is built once: sizes do not vary between runs.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { PROGRAM, WITH_EXECUTOR } from "./bundle-programs.mjs";

const require = createRequire(import.meta.url);

export const BUNDLE_TARGETS = { promiseRuntimeGzip: 2048, executorRuntimeGzip: 5 * 1024, exampleGzipRatio: 2 };

const gzip = (text) => gzipSync(text, { level: 9 }).length;

/** Measures the runtime rows and the example app; `work` is a scratch directory inside the checkout. */
export async function measureBundles(rootDir, work) {
  const { build } = require("esbuild");
  const ts = require("typescript");
  const { transform } = require(join(rootDir, "dist", "transformer", "index.js"));
  const asyncMachine = require(join(rootDir, "dist", "transformer", "adapters", "esbuild.js"));
  mkdirSync(work, { recursive: true });

  const bundleOf = async (entry, options = {}) =>
    (await build({ entryPoints: [entry], bundle: true, minify: true, format: "esm", target: "es2022", write: false, logLevel: "silent", ...options })).outputFiles[0].text;

  const runtimeRow = async (source, name, profile) => {
    const result = transform(source, { fileName: `${name}.ts`, runtime: "import", profile });
    const js = ts.transpileModule(result.code, { fileName: `${name}.ts`, compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
    const file = join(work, `${name}-${profile}.mjs`);
    writeFileSync(file, js);
    const withRuntime = await bundleOf(file, { platform: "browser" });
    const without = await bundleOf(file, { platform: "browser", external: ["async-machine/runtime", "async-machine/runtime/*"] });
    return { minified: withRuntime.length - without.length, gzip: gzip(withRuntime) - gzip(without), program: { minified: without.length, gzip: gzip(without) } };
  };

  const runtime = {
    promise: await runtimeRow(PROGRAM, "promise-mode", "production"),
    executor: await runtimeRow(WITH_EXECUTOR, "with-executor", "production"),
  };

  const entry = join(rootDir, "examples", "src", "main.ts");
  const exampleBundle = async (plugins) => {
    const code = await bundleOf(entry, { platform: "node", format: "cjs", plugins, absWorkingDir: rootDir });
    return { minified: code.length, gzip: gzip(code) };
  };
  const example = { native: await exampleBundle([]) };
  for (const profile of ["development", "production"]) {
    const sized = await exampleBundle([asyncMachine({ include: ["examples/src/**"], poll: ["examples/src/engine/**"], profile, report: "silent" })]);
    example[profile] = { ...sized, gzipRatio: sized.gzip / example.native.gzip, minifiedRatio: sized.minified / example.native.minified };
  }
  return { id: "BUNDLE", title: "BUNDLE: async-machine in a minified bundle (esbuild --minify, gzip -9)", runtime, example, targets: BUNDLE_TARGETS };
}
