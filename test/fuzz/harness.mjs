// The fixture referee (test/helpers/trace.ts) loaded from plain Node: the fuzzer compares traces
// exactly as the fixtures suite does, so a reproducer written to fixtures/fuzz/ fails there the
// same way. trace.ts is transpiled on load (CommonJS) and its import of the transformer's
// TypeScript sources is pointed at the built dist/ (run `npm run build` first).
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import Module, { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "..", "..");
const require = createRequire(import.meta.url);
const DIST = path.join(ROOT, "dist", "transformer", "index.js");

function load() {
  if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build\` first`);
  const ts = require("typescript");
  const file = path.join(ROOT, "test", "helpers", "trace.ts");
  const src = fs.readFileSync(file, "utf8");
  let js = ts.transpileModule(src, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const before = js;
  js = js.replace(/require\("\.\.\/\.\.\/transformer\/index"\)/g, `require(${JSON.stringify(DIST)})`);
  if (js === before) throw new Error("test/helpers/trace.ts no longer imports ../../transformer/index: update test/fuzz/harness.mjs");
  // The fixture suite's watchdog kills its own process on a run that never yields; here the
  // fuzzer's parent process times out a silent worker and records a hang (run.mjs), so a no-op.
  const withWatchdog = js;
  js = js.replace(/require\("\.\/watchdog"\)/g, "({ arm() {}, disarm() {} })");
  if (js === withWatchdog) throw new Error("test/helpers/trace.ts no longer imports ./watchdog: update test/fuzz/harness.mjs");
  const m = new Module(file);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(js, file);
  return m.exports;
}

/** { transpileScript, runProgram, runNative, runCompiled, formatValue, TICKS, ... } */
export const trace = load();
export const { transform } = require(DIST);

// ---------------------------------------------------------------------------------------------
// Speed: `runtime: "inline"` puts ~18 KB of runtime (already plain ES2022, compiled by tsc) in
// front of every compiled program, and re-transpiling it dominated the fuzzer's time. We
// transpile the program with the runtime's text swapped for a placeholder and put the text
// back afterwards: the same JavaScript trace.ts's runCompiled would run, minus a re-print of
// the runtime. If the runtime's text cannot be found, the whole output is transpiled.
const ts = require("typescript");
const { inlineRuntime } = require(path.join(ROOT, "dist", "transformer", "emit", "inline-runtime.js"));
const runtimeBody = (poll) =>
  inlineRuntime(ts, "$$name", poll)
    .replace(/^var \$\$name = /, "")
    .replace(/;\n$/, "");
const RUNTIME_BODIES = [runtimeBody(false), runtimeBody(true)];
const PLACEHOLDER = "__am_fuzz_runtime_placeholder__";

/** Compiled JavaScript for `code` (the transform's output), as trace.ts would run it. */
export function transpileCompiled(code, fileName) {
  const RUNTIME_BODY = RUNTIME_BODIES.find((body) => code.includes(body)) ?? RUNTIME_BODIES[0];
  const at = code.indexOf(RUNTIME_BODY);
  if (at < 0) return trace.transpileScript(code, fileName);
  const js = trace.transpileScript(code.slice(0, at) + PLACEHOLDER + code.slice(at + RUNTIME_BODY.length), fileName);
  const i = js.indexOf(PLACEHOLDER);
  if (i < 0 || js.indexOf(PLACEHOLDER, i + 1) >= 0) return trace.transpileScript(code, fileName);
  return js.slice(0, i) + RUNTIME_BODY + js.slice(i + PLACEHOLDER.length);
}

/**
 * Fast path for screening: the transform's output for a program without types is already
 * JavaScript (the runtime is compiled JS, the machines are printed by TypeScript's printer),
 * so when it parses as a script it runs as is; transpiling ~100 KB of generated code took
 * longer than everything else together. Failures are re-judged with `faithful` (exactly what
 * the fixtures suite runs) before they are reported.
 */
function fastCompiled(code, fileName) {
  try {
    new vm.Script(code, { filename: fileName });
    return code;
  } catch {
    return transpileCompiled(code, fileName);
  }
}

/**
 * Runs `src` natively and compiled. Returns { native, compiled, result, error }: `error` is set
 * when the transform threw (a crash); `compiled` is then null. `faithful`: transpile the
 * compiled output as test/helpers/trace.ts does (else see fastCompiled).
 */
export async function runBoth(src, fileName = "input.ts", timeoutMs = 5000, faithful = true, mode = "promise") {
  const native = await trace.runProgram(trace.transpileScript(src, fileName), fileName, { timeoutMs });
  let result;
  try {
    result = transform(src, { fileName, runtime: "inline", mode });
  } catch (e) {
    return { native, compiled: null, result: null, error: e };
  }
  let js;
  try {
    js = faithful ? transpileCompiled(result.code, fileName) : fastCompiled(result.code, fileName);
  } catch (e) {
    return { native, compiled: null, result, error: e };
  }
  // Poll mode: main() returns a PollMachine, which the harness awaits (test/helpers/trace.ts).
  const compiled = await trace.runProgram(js, fileName, { timeoutMs, adoptThenable: mode === "poll" });
  return { native, compiled, result, error: null };
}
