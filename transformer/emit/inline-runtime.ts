/**
 * The runtime as one script, for `runtime: "inline"`: the output then runs as a plain script
 * with nothing to import (test harnesses, test262). Only the modules compiled code calls are
 * included — the promise-mode machine, the statement helpers, the async iteration protocol and async generators,
 * and for a file with poll-mode functions the poll-mode machine and the executor it spawns on.
 *
 * Reads the compiled runtime beside this file (dist/runtime/*.js) when the package is built,
 * or transpiles the TypeScript sources when running from source (tests).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";

/** The modules compiled code calls; what they import is included too. */
const ENTRY_MODULES = ["machine", "helpers", "async-iteration", "async-generator"];
/** Poll mode adds the poll-mode machine, the cancellation signal and the executor (with spawn). */
const POLL_ENTRY_MODULES = [...ENTRY_MODULES, "poll-machine", "poll-generator", "poll/cancel", "executor", "task"];
let cached: string | undefined;
let cachedPoll: string | undefined;

export function inlineRuntime(tsApi: typeof ts, name: string, poll = false): string {
  const code = poll ? (cachedPoll ??= bundle(tsApi, POLL_ENTRY_MODULES)) : (cached ??= bundle(tsApi, ENTRY_MODULES));
  return `var ${name} = ${code};\n`;
}

function bundle(tsApi: typeof ts, entries: string[]): string {
  const dir = path.resolve(__dirname, "..", "..", "runtime");
  const sources = new Map<string, string>();
  const load = (id: string): void => {
    if (sources.has(id)) return;
    const js = path.join(dir, `${id}.js`);
    let code: string;
    if (fs.existsSync(js)) code = fs.readFileSync(js, "utf8");
    else {
      const src = fs.readFileSync(path.join(dir, `${id}.ts`), "utf8");
      code = tsApi.transpileModule(src, { compilerOptions: { module: tsApi.ModuleKind.CommonJS, target: tsApi.ScriptTarget.ES2022, removeComments: true } }).outputText;
    }
    code = code.replace(/\/\/# sourceMappingURL=.*$/m, "");
    sources.set(id, code);
    for (const m of code.matchAll(/require\("(\.\.?\/[^"]+)"\)/g)) load(path.posix.normalize(path.posix.join(path.posix.dirname(id), m[1])));
  };
  entries.forEach(load);
  const parts = [...sources].map(([id, code]) => {
    const base = path.posix.dirname(id);
    // Module ids are paths relative to runtime/; a module's own requires are relative to it.
    const rewritten = code.replace(/require\("(\.\.?\/[^"]+)"\)/g, (_, rel: string) => `require(${JSON.stringify(path.posix.normalize(path.posix.join(base, rel)))})`);
    return `${JSON.stringify(id)}: function (exports, require, module) {\n${rewritten}\n}`;
  });
  return `(function () {
"use strict";
var defs = {\n${parts.join(",\n")}\n};
var cache = {};
function load(id) {
  if (cache[id]) return cache[id].exports;
  var module = (cache[id] = { exports: {} });
  defs[id].call(module.exports, module.exports, load, module);
  return module.exports;
}
var api = {};
${entries.map((m) => `Object.assign(api, load(${JSON.stringify(m)}));`).join("\n")}
return api;
})()`;
}
