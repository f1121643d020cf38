// test262 adapter: the project's `transform` with the runtime inline.
//
//   node ../shared/conformance/run-test262.mjs -t test/conformance/test262-adapter.mjs --tier core -j 2
//
// The runner (see ../shared/conformance/README.md) hands us the full script: harness + test,
// `"use strict";` first for the strict variant. We return `transform(code, { runtime: "inline" })`:
// a self-contained script (the runtime sits after the directive prologue, so a strict test's
// code stays strict).
//
// Not transpiled: the input is JavaScript and the transform's output for JavaScript input is
// JavaScript (it only re-prints async functions and adds the plain-JS runtime). Re-printing
// the whole script through `ts.transpileModule` would be harmful here: TypeScript's parser
// recovers from the syntax errors that ~250 negative tests must raise, and its printer would
// emit valid code for them. Set AM_T262_TRANSPILE=1 to transpile anyway (ES2022 script,
// sloppy, as test/helpers/trace.ts does).
//
// Functions left native: a test whose async functions are left native still runs (native
// async is correct by definition), but the issue wants none left native. When
// AM_T262_SKIPLOG names a file, every scenario that left a function native appends one JSON
// line { file, strict, skipped: [{ name, line, column, code, reason }] } to it. The runner forks
// workers, which inherit the environment, so all of them write to the same file (appends of
// one short line are atomic enough on Linux for this).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DIST = path.join(ROOT, "dist", "transformer", "index.js");
if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build\` first`);
const { transform: amTransform } = require(DIST);

const SKIPLOG = process.env.AM_T262_SKIPLOG || "";
const TRANSPILE = process.env.AM_T262_TRANSPILE === "1";
let ts;

/** Relative to the test262 checkout, e.g. `test/language/expressions/await/foo.js`. */
function relName(filename) {
  const i = filename.replace(/\\/g, "/").lastIndexOf("/test/");
  return i >= 0 ? filename.replace(/\\/g, "/").slice(i + 1) : filename;
}

export function transform(code, filename, info = {}) {
  const result = amTransform(code, { fileName: filename.endsWith(".js") ? filename : filename + ".js", runtime: "inline" });
  if (SKIPLOG && result.skipped.length > 0) {
    const line = JSON.stringify({
      file: relName(filename),
      strict: !!info.strict,
      negative: info.negative ? info.negative.phase : null,
      skipped: result.skipped.map(({ name, line, column, code, reason }) => ({ name, line, column, code, reason })),
    });
    fs.appendFileSync(SKIPLOG, line + "\n");
  }
  if (!TRANSPILE) return result.code;
  ts ??= require("typescript");
  return ts.transpileModule(result.code, {
    fileName: filename,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.None,
      alwaysStrict: false,
      ignoreDeprecations: "6.0",
      useDefineForClassFields: true,
    },
  }).outputText;
}
