// Run by test/limits/nesting.test.ts with `node --jitless --stack-size=N -r register-ts.cjs`:
// finds the deepest block nesting around a compiled function that ts.transpileModule accepts,
// then gives the tsc plugin that depth minus the headroom (argv[2]; argv[4] "strict": with the
// strict option) and prints what it wrote as JSON. Interpreter only, on a fixed stack: every frame's size is fixed by its bytecode, so the
// probe and the plugin's emit see the same stack budget however busy the machine is (no
// optimized frames appearing, or not yet, between the two).
const ts = require("typescript");
const { pluginEmit } = require("../plugin-emit.ts");

const headroom = Number(process.argv[2]);
const cap = Number(process.argv[3]);
const strict = process.argv[4] === "strict"; // functions left native become diagnostics (their reasons)
const around = (n) => `export function g(x: number) { ${"{ ".repeat(n)}const f = async () => { await 0; return x; }; ${"} ".repeat(n)} }\n`;

function transpiles(code) {
  try {
    ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}

let lo = 1;
let hi = cap;
while (lo < hi) {
  const mid = Math.ceil((lo + hi) / 2);
  if (transpiles(around(mid))) lo = mid;
  else hi = mid - 1;
}
const depth = lo - headroom;
let outcome;
try {
  const { js, diagnostics } = pluginEmit(around(depth), strict);
  outcome = { js, codes: diagnostics.map((d) => d.code), messages: diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")) };
} catch (e) {
  outcome = { thrown: String(e) };
}
process.stdout.write(JSON.stringify({ accepted: lo, depth, ...outcome }));
