#!/usr/bin/env node
// Builds the example through the async-machine tsc plugin (tspc = tsc + ts-patch) and runs it.
//   node examples/run.mjs        (npm start does `npm run build` first, which this needs)
// Exits non-zero with a clear message when the build fails; otherwise with the program's code.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const require = createRequire(import.meta.url);

function fail(message) {
  process.stderr.write(`examples/run.mjs: ${message}\n`);
  process.exit(1);
}

// The plugin is loaded from the package's built JavaScript.
if (!existsSync(join(root, "dist", "transformer", "plugin.js"))) {
  fail("dist/transformer/plugin.js is missing: run `npm run build` first (or `npm start`, which does).");
}
// ts-patch resolves "async-machine/plugin" from examples/ through node_modules; package.json links
// the package to itself ("async-machine": "file:.") so that npm ci creates node_modules/async-machine.
if (!existsSync(join(root, "node_modules", "async-machine", "package.json"))) {
  fail("node_modules/async-machine is missing (package.json links the package to itself): run `npm ci`.");
}

// tspc's path from ts-patch's package.json ("ts-patch/bin/tspc" is not in its exports map).
let tspc;
try {
  const pkgJson = require.resolve("ts-patch/package.json");
  tspc = join(dirname(pkgJson), JSON.parse(readFileSync(pkgJson, "utf8")).bin.tspc);
} catch (error) {
  fail(`cannot find ts-patch (${error.message}): run \`npm ci\`.`);
}

const outDir = join(here, "dist");
rmSync(outDir, { recursive: true, force: true });

const project = relative(process.cwd(), join(here, "tsconfig.json")) || "tsconfig.json";
process.stderr.write(`> tspc -p ${project}\n`);
const build = spawnSync(process.execPath, [tspc, "-p", join(here, "tsconfig.json")], { stdio: "inherit" });
if (build.error) fail(`could not start tspc: ${build.error.message}`);
if (build.status !== 0) {
  fail(`building the example with tspc failed (exit ${build.status ?? build.signal}); see the errors above.`);
}
const main = join(outDir, "main.js");
if (!existsSync(main)) fail(`the build succeeded but ${relative(root, main)} is missing.`);

process.stderr.write(`> node ${relative(process.cwd(), main) || main}\n`);
const run = spawnSync(process.execPath, [main], { stdio: "inherit" });
if (run.error) fail(`could not start the example: ${run.error.message}`);
if (run.signal) fail(`the example was killed by ${run.signal}.`);
process.exit(run.status ?? 1);
