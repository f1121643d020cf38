/**
 * The TypeError of a value that is not iterable, where the lowering took the iteration apart
 * across an await: V8 names the value by the source text at the failed GetIterator (`v is not
 * iterable`, `(a , b) is not iterable`, `f is not a function or its return value is not
 * iterable`) or by its type (`number 1 is not iterable (cannot read property …)`), depending on
 * the form of the expression and of the statement. Each form runs natively and compiled and the
 * messages must be equal: a loop's iterable written as a comma, binary, unary or assignment
 * expression; an array pattern in a declaration whose bindings live across an await (left to the
 * engine as an assignment, which would word it by type); an array pattern nested in a pattern
 * taken apart, with a default (V8 names the value by the default's text, used or not).
 */
import { describe, expect, it } from "vitest";
import { runCompiled, runNative } from "../helpers/trace";

/** Names the source text uses; the failing ones hold numbers, `undefined`, `null` or `{}`. */
const PRELUDE = `
const o: any = { x: 1, y: { z: 1 }, f: () => 1, C: Number };
const f: any = () => 1;
const g: any = () => () => 1;
const k = "f";
const u: any = 1;
function fails(label: string, run: () => Promise<unknown>) {
  return run().then(
    (v) => log(label, "ok", v),
    (e: any) => log(label, e.constructor.name, e.message),
  );
}
`;

/** Iterables of a `for…of` whose body awaits (the loop is taken apart). */
const LOOP_ITERABLES = [
  "(a, b)",
  "(0, v)",
  "(a, (b, c))",
  "((a, b), c)",
  "(a, b, c)",
  "(a, f())",
  "(a, o.f())",
  "(a, new Number(1))",
  "(a, b || c)",
  "(a, b ? c : a)",
  "(a, o?.x)",
  "(a, await b)",
  "(await a, b)",
  "(a || b, c)",
  "(a, b = c)",
  "(a, -b)",
  "(a, this)",
  "(a, 1)",
  "(a, () => 1)",
  "(0, o).x",
  "(a, b)[0]",
  "a || b",
  "a && b",
  "a ?? b",
  "null ?? v",
  "a ?? b ?? c",
  "(a + b) || c",
  "a + b",
  "a - b",
  "a * b + c",
  "a + b * c",
  "a + b + c",
  "(a + b) + c",
  "a + (b + c)",
  "a + f()",
  "f() + a",
  "a + new Number(1)",
  "a + await b",
  "await a + b",
  "a == b",
  "a === b",
  "a < b < c",
  "a | b",
  "a >>> b",
  "a ** b",
  "b in o",
  "o instanceof Object",
  "a = b",
  "a += b",
  "o.x = b",
  "a++",
  "--a",
  "a++ + b",
  "-b",
  "+a",
  "~a",
  "!a",
  "-(await a)",
  "void a",
  "a ? b : c",
  "o?.x",
  "f?.()",
  "f()",
  "o.f()",
  "o[k]()",
  "u()",
  "g()()",
  "(0, f)()",
  "new Number(1)",
  "new o.C()",
  "this",
  "1",
  "null",
  "true",
  "/r/",
  "{}",
  "{ a: 1 }",
  "function () {}",
  "class {}",
  "v",
  "o.y.z",
  "o[k]",
  "await v",
];

/** Initializers of `const [q] = …` with `q` read after an await. */
const DECLARATION_SOURCES = [
  "v",
  "f()",
  "o.f()",
  "(f)()",
  "o[k]()",
  "u()",
  "new Number(1)",
  "new o.C()",
  "(a, b)",
  "a + b",
  "a + b + c",
  "a - b - c",
  "(a + b) + c",
  "a || b",
  "a || b || c",
  "a ?? b ?? c",
  "a < b < c",
  "a ? b : c",
  "-b",
  "!a",
  "void a",
  "++a",
  "a = b",
  "o.x",
  "o?.x",
  "this",
  "1",
  "null",
  "/r/",
  "{}",
  "{ a: 1 }",
  "() => 1",
  "class {}",
  "await v",
];

/** Defaults of an array pattern nested in a declaration's pattern that awaits elsewhere. */
const NESTED_DEFAULTS = ["await a", "await f()", "f()", "o.f()", "f(await a)", "new Number(1)", "a", "o.x", "a + b", "-a", "(a, f())", "a ? b : c", "a || b", "this", "0", "{}"];

/**
 * Differences left, each with its reason; the test fails when one goes away (then drop it here)
 * or a new one appears.
 */
const KNOWN: Record<string, string> = {
  // V8 prints the callee with the wording of a failed property load; the runtime words an
  // iterable with no text by the value's type.
  "loop f?.() (v = undefined)": "an optional call as a loop's iterable",
  // The call itself fails, before any iteration: in the loop's (or the declaration's) position
  // V8 words that as `u is not a function or its return value is not iterable`; the call the
  // lowering evaluates first says `u is not a function`.
  "loop u() (v = undefined)": "a loop's iterable that calls a non-function",
  "declaration u() (v = undefined)": "a declaration's initializer that calls a non-function",
};

function program(): string {
  const cases: string[] = [];
  const values = ["undefined", "null", "1", "{}"];
  const locals = "let a: any = 0, b: any = 1, c: any = 2;";
  for (const [i, value] of values.entries()) {
    for (const [j, iterable] of LOOP_ITERABLES.entries()) {
      if (i > 0 && !/\bv\b/.test(iterable)) continue;
      cases.push(
        `await fails(${JSON.stringify(`loop ${iterable} (v = ${value})`)}, async function (this: any) { ${locals} const v: any = ${value}; for (const x of ${iterable}) await x; return ${j}; });`,
      );
    }
    for (const source of DECLARATION_SOURCES) {
      if (i > 0 && !/\bv\b/.test(source)) continue;
      cases.push(
        `await fails(${JSON.stringify(`declaration ${source} (v = ${value})`)}, async function (this: any) { ${locals} const v: any = ${value}; const [q] = ${source}; await 0; return q; });`,
      );
    }
    cases.push(`await fails("nested, kept (v = ${value})", async () => { const v: any = ${value}; const [[p], q] = v; await 0; return [p, q]; });`);
    cases.push(`await fails("nested, inner not iterable (v = ${value})", async () => { const v: any = [${value}, 2]; const [[p], q] = v; await 0; return [p, q]; });`);
    cases.push(`await fails("nested object, kept (v = ${value})", async () => { const v: any = ${value}; const [{ p }, q] = v; await 0; return [p, q]; });`);
    cases.push(`await fails("nested, taken apart (v = ${value})", async () => { const v: any = ${value}; const [[p = await 0], q] = v; return [p, q]; });`);
  }
  for (const dflt of NESTED_DEFAULTS) {
    for (const element of ["1", "undefined"]) {
      cases.push(
        `await fails(${JSON.stringify(`nested default ${dflt} (element ${element})`)}, async function (this: any) { let a: any = 0, b: any = 1, c: any = 2; const [[p] = ${dflt}, q = await 0] = [${element}, 2]; return [p, q]; });`,
      );
      cases.push(
        `await fails(${JSON.stringify(`nested default in an object pattern ${dflt} (element ${element})`)}, async function (this: any) { let a: any = 0, b: any = 1, c: any = 2; const { m: [p] = ${dflt}, n = await 0 } = { m: ${element} } as any; return [p, n]; });`,
      );
    }
  }
  return `${PRELUDE}\nasync function main() {\n${cases.join("\n")}\n}\n`;
}

describe("not-iterable messages of iterations taken apart across an await", () => {
  it("equal native for loops, declarations and nested patterns", async () => {
    const src = program();
    const native = await runNative(src, "messages.ts");
    const compiled = await runCompiled(src, "messages.ts");
    expect(native.outcome).toBe("resolved");
    expect(compiled.result.skipped).toEqual([]);
    // Every case fails natively with a TypeError, except those whose value turns out iterable.
    expect(native.trace.filter((line) => line.includes("TypeError")).length).toBeGreaterThan(150);
    expect(compiled.trace.length).toBe(native.trace.length);
    const differing = compiled.trace.filter((line, i) => line !== native.trace[i]);
    const label = (line: string) => line.slice(0, line.indexOf(" '"));
    expect(differing.map(label)).toEqual(Object.keys(KNOWN));
    expect(compiled.trace.filter((line) => !(label(line) in KNOWN))).toEqual(native.trace.filter((line) => !(label(line) in KNOWN)));
  });
});
