#!/usr/bin/env node
// Builds the example server through the async-machine tsc plugin (tspc = tsc + ts-patch; every
// async function in src/ in poll mode) and runs one of its programs:
//   node examples/server/run.mjs build                          build only
//   node examples/server/run.mjs server [--port=7000] [--idle-ms=30000]
//   node examples/server/run.mjs client [--port=7000] [--connections=100] [--lines=10]
// `npm run server` / `npm run client` do `npm run build` first, which this needs.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(dirname(here));
const require = createRequire(import.meta.url);
const programs = { server: "main.js", client: "client.js" };

function fail(message) {
  process.stderr.write(`examples/server/run.mjs: ${message}\n`);
  process.exit(1);
}

const [command = "server", ...args] = process.argv.slice(2);
if (command !== "build" && !(command in programs)) fail(`unknown command ${JSON.stringify(command)} (build, server or client)`);
if (!existsSync(join(root, "dist", "transformer", "plugin.js"))) {
  fail("dist/transformer/plugin.js is missing: run `npm run build` first (or `npm run server`, which does).");
}
if (!existsSync(join(root, "node_modules", "async-machine", "package.json"))) {
  fail("node_modules/async-machine is missing (package.json links the package to itself): run `npm ci`.");
}

let tspc;
try {
  const pkgJson = require.resolve("ts-patch/package.json");
  tspc = join(dirname(pkgJson), JSON.parse(readFileSync(pkgJson, "utf8")).bin.tspc);
} catch (error) {
  fail(`cannot find ts-patch (${error.message}): run \`npm ci\`.`);
}

rmSync(join(here, "dist"), { recursive: true, force: true });
process.stderr.write("> tspc -p examples/server/tsconfig.json\n");
const build = spawnSync(process.execPath, [tspc, "-p", join(here, "tsconfig.json")], { stdio: "inherit" });
if (build.error) fail(`could not start tspc: ${build.error.message}`);
if (build.status !== 0) fail(`building the example server failed (exit ${build.status ?? build.signal}); see the errors above.`);
if (command === "build") process.exit(0);

const program = join(here, "dist", programs[command]);
process.stderr.write(`> node examples/server/dist/${programs[command]} ${args.join(" ")}\n`);
// SIGINT (Ctrl-C) reaches the child too (same process group); this parent only waits for it.
process.on("SIGINT", () => {});
const child = spawnSync(process.execPath, [program, ...args], { stdio: "inherit" });
if (child.error) fail(`could not start ${programs[command]}: ${child.error.message}`);
if (child.signal) fail(`${programs[command]} was killed by ${child.signal}.`);
process.exit(child.status ?? 1);
