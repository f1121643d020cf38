// SCALING: how the transform's cost grows with its input, beside ts.transpileModule on the same
// text. Two inputs, each at 1x, 10x and 100x:
//   - functions: a file of the generated project's async functions (gen-project.mjs templates:
//     loops, try/catch/finally, awaits in expressions, arrows, methods), 10 / 100 / 1000 of them;
//   - awaits: one call whose arguments all await, `h(await g(0), …)`, 10 / 100 / 1000 awaits
//     (the values awaited first stay live until the last await).
// For each: transform ms (median of interleaved rounds, in this process after a warm-up) and
// output bytes, both per input KB. Linear cost shows as per-KB columns that stay flat from 1x to
// 100x.
import { createRequire } from "node:module";
import { join } from "node:path";
import { TEMPLATES } from "./gen-project.mjs";

const require = createRequire(import.meta.url);

/** `count` async functions from the project generator's templates, in one module. */
function functionsFile(count) {
  const parts = [
    `export function value(x: number): number | Promise<number> { return x % 2 ? x : Promise.resolve(x); }`,
    `export function combine(a: number, b: number): number { return a * 31 + b; }`,
  ];
  let prev;
  for (let k = 0, made = 0; made < count; k++) {
    let t = k % TEMPLATES.length;
    if (t === 5 && prev === undefined) t = 0; // needs a previous function
    const m = TEMPLATES[t](`f${k}`, k, prev);
    parts.push(m.code);
    made += m.asyncCount;
    if (t !== 7) prev = `f${k}`;
  }
  return parts.join("\n\n") + "\n";
}

/** One call with `count` awaited arguments. */
function awaitsFile(count) {
  const args = Array.from({ length: count }, (_, i) => `await g(${i})`).join(",\n    ");
  return `export async function f(g: (i: number) => Promise<number>, h: (...xs: number[]) => number): Promise<number> {\n  return h(\n    ${args},\n  );\n}\n`;
}

const INPUTS = [
  { id: "functions", unit: "async functions", base: 10, make: functionsFile },
  { id: "awaits", unit: "awaits in one call", base: 10, make: awaitsFile },
];
const FACTORS = [1, 10, 100];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Runs the measurements; returns { inputs: [{ id, unit, sizes: [{ factor, count, inputBytes,
 * ours: { ms, outBytes, msPerKB, outBytesPerKB }, tsc: { … }, timeRatio }] }], rounds }.
 */
export function runScaling({ rootDir, quick, progress }) {
  const { transform } = require(join(rootDir, "dist", "transformer", "index.js"));
  const ts = require("typescript");
  const tsOptions = { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } };
  const runners = {
    ours: (text) => transform(text, { fileName: "scale.ts" }).code,
    tsc: (text) => ts.transpileModule(text, { ...tsOptions, fileName: "scale.ts" }).outputText,
  };
  const rounds = quick ? 1 : 3;
  // Warm-up: both compilers once on the smallest inputs (JIT, TypeScript's lazy tables).
  for (const input of INPUTS) for (const run of Object.values(runners)) run(input.make(input.base));
  const out = { rounds, inputs: [] };
  for (const input of INPUTS) {
    const sizes = FACTORS.map((factor) => {
      const count = input.base * factor;
      const text = input.make(count);
      return { factor, count, text, inputBytes: Buffer.byteLength(text), samples: { ours: [], tsc: [] }, outBytes: {} };
    });
    for (let round = 0; round < rounds; round++) {
      for (const size of sizes) {
        // Interleaved, the order alternating by round.
        const order = round % 2 ? ["tsc", "ours"] : ["ours", "tsc"];
        for (const id of order) {
          progress(`[scaling] round ${round + 1}/${rounds} · ${input.id} ${size.factor}x · ${id}`);
          const t0 = process.hrtime.bigint();
          const code = runners[id](size.text);
          size.samples[id].push(Number(process.hrtime.bigint() - t0) / 1e6);
          size.outBytes[id] = Buffer.byteLength(code);
        }
      }
    }
    out.inputs.push({
      id: input.id,
      unit: input.unit,
      sizes: sizes.map(({ factor, count, inputBytes, samples, outBytes }) => {
        const kb = inputBytes / 1024;
        const cell = (id) => {
          const ms = median(samples[id]);
          return { ms: +ms.toFixed(2), outBytes: outBytes[id], msPerKB: +(ms / kb).toFixed(3), outBytesPerKB: Math.round(outBytes[id] / kb) };
        };
        const ours = cell("ours");
        const tsc = cell("tsc");
        return { factor, count, inputBytes, ours, tsc, timeRatio: +(ours.ms / tsc.ms).toFixed(2) };
      }),
    });
  }
  return out;
}

/** The table, as text rows (head + body) for the console and markdown. */
export function scalingRows(scaling) {
  const head = ["input", "size", "input KB", "ours ms", "ours ms/KB", "ours out B/KB", "tsc ms", "tsc ms/KB", "tsc out B/KB", "ours ÷ tsc (time)"];
  const body = [];
  for (const input of scaling.inputs) {
    for (const s of input.sizes) {
      body.push([
        input.id,
        `${s.factor}x (${s.count} ${input.unit})`,
        (s.inputBytes / 1024).toFixed(1),
        s.ours.ms.toFixed(1),
        s.ours.msPerKB.toFixed(2),
        String(s.ours.outBytesPerKB),
        s.tsc.ms.toFixed(1),
        s.tsc.msPerKB.toFixed(2),
        String(s.tsc.outBytesPerKB),
        `${s.timeRatio.toFixed(2)}x`,
      ]);
    }
  }
  return { head, body };
}
