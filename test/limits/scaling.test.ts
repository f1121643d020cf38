/**
 * Linear cost: for each way an input grows — awaits, values kept live across them, functions,
 * nesting — the output at twice the size is about twice as large. Measured in output bytes (a
 * count of work, not time): `transform()` at n and at 2n, the ratio at most MAX_RATIO.
 *
 * What it catches: a resume that loads every value kept across it, or a state enum listing every
 * state's full frame, makes `h(await g(0), …, await g(n-1))` quadratic (the ratio nears 4).
 */
import { describe, expect, it } from "vitest";
import { transform } from "../../transformer/index";

const terms = (n: number, term: (i: number) => string, sep: string): string => Array.from({ length: n }, (_, i) => term(i)).join(sep);

/** Each axis at size n. */
const axes: Record<string, (n: number) => string> = {
  // Awaits whose earlier values stay live until the last one.
  "await arguments": (n) => `async function f(g, h) { return h(${terms(n, (i) => `await g(${i})`, ", ")}); }`,
  "array of awaits": (n) => `async function f(g) { return [${terms(n, (i) => `await g(${i})`, ", ")}]; }`,
  "object of awaits": (n) => `async function f(g) { return { ${terms(n, (i) => `k${i}: await g(${i})`, ", ")} }; }`,
  "nested calls with awaits": (n) => `async function f(g) { return ${"g(await g(), ".repeat(n)}0${")".repeat(n)}; }`,
  "awaited locals": (n) => `async function f(g) { ${terms(n, (i) => `const a${i} = await g(${i});`, " ")} return ${terms(n, (i) => `a${i}`, " + ")}; }`,
  // Live values across a fixed number of awaits.
  "live temporaries": (n) =>
    `async function f(g) { let ${terms(n, (i) => `v${i} = g(${i})`, ", ")}; ${terms(10, (i) => `await g(${i});`, " ")} return ${terms(n, (i) => `v${i}`, " + ")}; }`,
  // Functions (a script: no import or export).
  functions: (n) => terms(n, (i) => `async function f${i}(g) { const x = await g(${i}); return x + 1; }`, "\n"),
  // Nesting and long chains.
  "if nesting": (n) => `async function f(x) { ${"if (x) { ".repeat(n)}await 0; ${"} ".repeat(n)}}`,
  "try/finally nesting": (n) => `async function f() { ${"try { ".repeat(n)}await 0; ${"} finally { } ".repeat(n)}}`,
  "loop nesting": (n) => `async function f(x) { ${"while (x) { ".repeat(n)}await 0; ${"} ".repeat(n)}}`,
  "else-if chain": (n) => `async function f(x) { ${terms(n, (i) => `if (x === ${i}) { await 0; }`, " else ")} }`,
  "await chain": (n) => `async function f(a) { return ${"await ".repeat(n)}a; }`,
  "switch cases": (n) => `async function f(x) { switch (x) { ${terms(n, (i) => `case ${i}: await ${i};`, " ")} } }`,
  conditionals: (n) => `async function f(x) { await 0; return ${"x ? await 1 : ".repeat(n)}2; }`,
};

const SIZE = 60;
/** Twice the input, at most this much more output (linear, with slack for names growing a digit). */
const MAX_RATIO = 2.3;

describe("output grows linearly", () => {
  for (const [name, shape] of Object.entries(axes)) {
    it(`${name}: twice the input, about twice the output`, () => {
      const small = transform(shape(SIZE), { fileName: "scale.ts" });
      const large = transform(shape(2 * SIZE), { fileName: "scale.ts" });
      // Compiled, not left native (a native function would trivially be linear).
      expect(small.skipped, name).toEqual([]);
      expect(large.skipped, name).toEqual([]);
      expect(large.compiled).toBe(name === "functions" ? 2 * SIZE : 1);
      const ratio = large.code.length / small.code.length;
      expect(ratio, `${name}: ${small.code.length} B at ${SIZE}, ${large.code.length} B at ${2 * SIZE}`).toBeLessThanOrEqual(MAX_RATIO);
    });
  }
});
