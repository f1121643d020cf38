/**
 * Linear cost: for each way an input grows — awaits, values kept live across them, functions,
 * nesting — the output at four times the size is about four times as large. Measured in output
 * bytes and in the size of the compiler's own data (counts, not time): `transform()` at n and at
 * 4n, the ratio at most MAX_RATIO.
 *
 * What it catches: a resume that loads every value kept across it, a state enum listing every
 * state's full frame, or a layout hash over every state's fields, makes
 * `h(await g(0), …, await g(n-1))` quadratic (the ratio nears 16). And in the middle: a layout
 * that keeps each value's states one by one rather than as live intervals, a MachineInfo or
 * layout hash that lists each state's full frame rather than its changes. And in the work the
 * liveness analysis does (its own count of set steps, not time): one that keeps a live set per
 * block or per state does n²/2 steps for `h(await g(0), …)`. And in the production profile's
 * name sharing (its count of steps): one that compares the live temporaries pairwise at each
 * point does n³/6 steps there. And in the frame layout (its count of comparisons): one that tries
 * each offset in turn for each value does n²/2 for `h(await g(0), …)`.
 */
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { computeLiveness } from "../../transformer/analyze/liveness";
import { shareTemporaryNames } from "../../transformer/emit/profile-names";
import { transform } from "../../transformer/index";
import { NameManager } from "../../transformer/names";
import { planFile, summarizeCompiled } from "../../transformer/transform-file";
import { toFlowGraph } from "../../transformer/transform-function";

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
  // Values awaited in a loop body, all live until its last statement.
  "awaited locals in a loop": (n) =>
    `async function f(g) { for (const x of g()) { ${terms(n, (i) => `const a${i} = await g(${i});`, " ")} g(${terms(n, (i) => `a${i}`, ", ")}); } }`,
};

/**
 * Output bytes less each line's indentation: the printer indents nested code by its depth, as it
 * does the input's own (`ts.transpileModule` of 160 nested ifs is quadratic in spaces too).
 */
const unindented = (code: string): number => code.replace(/^[ \t]+/gm, "").length;

const SIZE = 40;
const FACTOR = 4;
/** Four times the input, at most this much more output (linear, with slack for names growing a digit). */
const MAX_RATIO = 4.6;

describe("output grows linearly", () => {
  for (const [name, shape] of Object.entries(axes)) {
    it(`${name}: four times the input, about four times the output`, () => {
      const small = transform(shape(SIZE), { fileName: "scale.ts" });
      const large = transform(shape(FACTOR * SIZE), { fileName: "scale.ts" });
      // Compiled, not left native (a native function would trivially be linear).
      expect(small.skipped, name).toEqual([]);
      expect(large.skipped, name).toEqual([]);
      expect(large.compiled).toBe(name === "functions" ? FACTOR * SIZE : 1);
      const ratio = unindented(large.code) / unindented(small.code);
      expect(ratio, `${name}: ${unindented(small.code)} B at ${SIZE}, ${unindented(large.code)} B at ${FACTOR * SIZE}`).toBeLessThanOrEqual(MAX_RATIO);
    });
  }
});

/**
 * The size of what the layout and the MachineInfo are made of: each offset's live intervals
 * (layout/state-layout.ts `occupied`) and the per-state frame changes and awaits of the summary
 * the MachineInfo and the layout hash are built from (emit/machine-description.ts).
 */
function middleSize(source: string): number {
  const sf = ts.createSourceFile("scale.ts", source, ts.ScriptTarget.Latest, /*setParentNodes*/ true, ts.ScriptKind.TS);
  let size = 0;
  for (const m of planFile(ts, sf, "scale.ts").machines) {
    for (const runs of m.result.layout.occupied) size += runs.length;
    const summary = summarizeCompiled(sf, m);
    for (const changes of summary.slots) size += 1 + changes.length;
    size += summary.awaits.length + summary.captures.length;
  }
  return size;
}

describe("the layout and the machine's description grow linearly", () => {
  for (const [name, shape] of Object.entries(axes)) {
    it(`${name}: four times the input, about four times the intervals and changes`, () => {
      const small = middleSize(shape(SIZE));
      const large = middleSize(shape(FACTOR * SIZE));
      expect(small, name).toBeGreaterThan(0);
      expect(large / small, `${name}: ${small} at ${SIZE}, ${large} at ${FACTOR * SIZE}`).toBeLessThanOrEqual(MAX_RATIO);
    });
  }
});

/** The steps the liveness analysis takes for every machine of the file (analyze/liveness.ts `work`). */
function livenessWork(source: string): number {
  const sf = ts.createSourceFile("scale.ts", source, ts.ScriptTarget.Latest, /*setParentNodes*/ true, ts.ScriptKind.TS);
  let work = 0;
  for (const m of planFile(ts, sf, "scale.ts").machines) {
    const { cfg } = m.result.lowered;
    work += computeLiveness(
      toFlowGraph(cfg),
      cfg.suspends.map((s) => s.resume),
    ).work;
  }
  return work;
}

describe("the liveness analysis's work grows linearly", () => {
  for (const [name, shape] of Object.entries(axes)) {
    it(`${name}: four times the input, about four times the steps`, () => {
      const small = livenessWork(shape(SIZE));
      const large = livenessWork(shape(FACTOR * SIZE));
      expect(small, name).toBeGreaterThan(0);
      expect(large / small, `${name}: ${small} steps at ${SIZE}, ${large} at ${FACTOR * SIZE}`).toBeLessThanOrEqual(MAX_RATIO);
    });
  }
});

/** The steps the production profile's name sharing takes for every machine of the file (emit/profile-names.ts). */
function nameSharingWork(source: string): number {
  const sf = ts.createSourceFile("scale.ts", source, ts.ScriptTarget.Latest, /*setParentNodes*/ true, ts.ScriptKind.TS);
  let work = 0;
  for (const m of planFile(ts, sf, "scale.ts").machines) {
    const { cfg } = m.result.lowered;
    const flow = toFlowGraph(cfg);
    const liveness = computeLiveness(
      flow,
      cfg.suspends.map((s) => s.resume),
    );
    work += shareTemporaryNames(cfg, flow, liveness, new NameManager([])).work;
  }
  return work;
}

describe("the production profile's name sharing grows linearly", () => {
  for (const [name, shape] of Object.entries(axes)) {
    it(`${name}: four times the input, about four times the steps`, () => {
      const small = nameSharingWork(shape(SIZE));
      const large = nameSharingWork(shape(FACTOR * SIZE));
      expect(small, name).toBeGreaterThan(0);
      expect(large / small, `${name}: ${small} steps at ${SIZE}, ${large} at ${FACTOR * SIZE}`).toBeLessThanOrEqual(MAX_RATIO);
    });
  }
});

/** The steps the frame layout takes for every machine of the file (layout/state-layout.ts `work`). */
function layoutWork(source: string): number {
  const sf = ts.createSourceFile("scale.ts", source, ts.ScriptTarget.Latest, /*setParentNodes*/ true, ts.ScriptKind.TS);
  let work = 0;
  for (const m of planFile(ts, sf, "scale.ts").machines) work += m.result.layout.work;
  return work;
}

describe("the frame layout's work grows linearly", () => {
  for (const [name, shape] of Object.entries(axes)) {
    it(`${name}: four times the input, about four times the steps`, () => {
      const small = layoutWork(shape(SIZE));
      const large = layoutWork(shape(FACTOR * SIZE));
      // Some shapes keep nothing in the frame: no work at either size.
      expect(large, `${name}: ${small} steps at ${SIZE}, ${large} at ${FACTOR * SIZE}`).toBeLessThanOrEqual(MAX_RATIO * Math.max(small, 1));
    });
  }
});
