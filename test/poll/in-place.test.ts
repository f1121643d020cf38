/**
 * Scenario: an await in a poll-mode loop continues in place when the awaited value is a
 * primitive (emit/poll-mode.ts): no frame stores, no suspend, no loads. It must be what the
 * driver's continuation was — the same values (every local holds what it held, whichever way
 * the loop went round: in place, through the driver, or after a real wait), nothing read of the
 * value, the same budget spent (the same forced yields) — and it must be emitted only there.
 */
import { describe, expect, test } from "vitest";
import { Executor, type Future } from "../../runtime/index";
import { transform } from "../../transformer/index";
import { loadModule, loadNativeModule } from "./support";

const SOURCE = `
export async function count(n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await i;
  return sum;
}

// x is stored by no in-place await, and the real wait after it must still find x in its slot.
export async function dirtyAcrossWaits(n) {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = i * 3;
    const v = await i;
    const w = await (i % 3 === 0 ? Promise.resolve(1) : 2);
    total += x + v * w;
  }
  return total;
}

// caught is read only on a rare path (its load is deferred there); finals by the finally.
export async function guarded(n, log) {
  let ok = 0, caught = 0, finals = 0;
  for (let i = 0; i < n; i++) {
    try {
      const value = await (i % 4 === 1 ? Promise.resolve(i) : i);
      if (value % 5 === 4) throw new Error("boom " + value);
      ok += value;
    } catch (error) {
      caught += error.message.length;
      log.push("caught " + i + " " + caught);
    } finally {
      finals++;
    }
  }
  return [ok, caught, finals];
}

// Every kind of value, mixed in one loop: primitives (null, undefined, symbols, bigints),
// objects without then, thenables, promises, and the values they carry.
export async function mixed(values, log) {
  const out = [];
  let last = "start";
  for (const v of values) {
    const got = await v;
    out.push(typeof got === "symbol" ? got.toString() : typeof got === "bigint" ? got + "n" : got);
    log.push(last + "->" + String(typeof got));
    last = typeof got;
  }
  return out;
}

// A break and a continue around in-place awaits, a value kept across several of them.
export async function jumps(n) {
  const kept = { seen: 0 };
  let acc = "";
  outer: for (let i = 0; ; i++) {
    for (let j = 0; j < 3; j++) {
      const a = await j;
      if (a === 1) continue;
      if (i === n) break outer;
      acc += i + ":" + (await a) + ",";
      kept.seen++;
    }
  }
  return acc + kept.seen;
}

// A straight-line await stays with the driver (no in-place entry).
export async function once(v) { return (await v) + 1; }
`;

interface Mod {
  count(n: number): PromiseLike<number>;
  dirtyAcrossWaits(n: number): PromiseLike<number>;
  guarded(n: number, log: string[]): PromiseLike<number[]>;
  mixed(values: unknown[], log: string[]): PromiseLike<unknown[]>;
  jumps(n: number): PromiseLike<string>;
  once(v: unknown): PromiseLike<number>;
}

const poll = loadModule<Mod>(SOURCE);
const native = loadNativeModule<Mod>(SOURCE);

describe("what is emitted", () => {
  const pollCode = transform(SOURCE, { fileName: "module.ts", runtime: "require", mode: "poll" }).code;
  const promiseCode = transform(SOURCE, { fileName: "module.ts", runtime: "require" }).code;
  const resumeOf = (code: string, name: string): string => code.slice(code.indexOf(`function ${name}$resume`), code.indexOf(`$am.named(${name}$resume`));

  test("a poll-mode loop's await continues in place; no frame store comes before the test", () => {
    const count = resumeOf(pollCode, "count");
    expect(count).toMatch(/\$v = i;\s*if \(\$am\.inPlace\(\$v\)\) \{\s*\$l = \d+;\s*continue \$mc;\s*\}/);
  });

  test("not in promise mode, not outside a loop", () => {
    expect(promiseCode).not.toContain("inPlace");
    expect(resumeOf(pollCode, "once")).not.toContain("inPlace");
  });
});

describe("values equal native's", () => {
  test("a loop of plain values", async () => {
    expect(await poll.count(1000)).toBe(await native.count(1000));
  });

  test("a local written before an in-place await and read after a real wait", async () => {
    expect(await poll.dirtyAcrossWaits(40)).toBe(await native.dirtyAcrossWaits(40));
  });

  test("try/catch/finally around the await, a deferred load on the rare path", async () => {
    const a: string[] = [];
    const b: string[] = [];
    expect(await poll.guarded(60, a)).toEqual(await native.guarded(60, b));
    expect(a).toEqual(b);
  });

  test("every kind of value; then read as native reads it", async () => {
    const reads: string[] = [];
    const thenable = (v: unknown) => ({
      get then() {
        reads.push("then");
        return (resolve: (x: unknown) => void) => resolve(v);
      },
    });
    const values = () => [1, null, undefined, Symbol.for("s"), 10n, "str", true, { a: 1 }, thenable("t"), Promise.resolve("p"), 2, 3, thenable(4), 5];
    const a: string[] = [];
    const b: string[] = [];
    const pollOut = await poll.mixed(values(), a);
    const pollReads = reads.splice(0);
    expect(JSON.stringify(pollOut)).toBe(JSON.stringify(await native.mixed(values(), b)));
    expect(a).toEqual(b);
    expect(pollReads).toEqual(reads);
  });

  test("break and continue around in-place awaits", async () => {
    expect(await poll.jumps(5)).toBe(await native.jumps(5));
  });

  // Small budgets make every way round the loop happen: in place, through the driver, and
  // resumed after a forced yield (where a resume may leave a field in its slot for later).
  test.each([2, 3, 5, 7])("the same under taskBudget %i", async (taskBudget) => {
    const ex = new Executor({ taskBudget });
    const on = <T>(call: PromiseLike<T>): Promise<T> => ex.spawn(call as unknown as Future<T>).promise;
    expect(await on(poll.count(100))).toBe(await native.count(100));
    expect(await on(poll.dirtyAcrossWaits(40))).toBe(await native.dirtyAcrossWaits(40));
    const a: string[] = [];
    const b: string[] = [];
    expect(await on(poll.guarded(60, a))).toEqual(await native.guarded(60, b));
    expect(a).toEqual(b);
    expect(await on(poll.jumps(5))).toBe(await native.jumps(5));
  });
});

describe("the budget is spent as the driver spends it", () => {
  test("a loop of 1000 plain awaits under taskBudget 100: a yield after each 100, others run between", async () => {
    const ex = new Executor({ taskBudget: 100 });
    const order: string[] = [];
    const other: Future<void> = { poll: () => void order.push("other") };
    const task = ex.spawn(poll.count(1000) as unknown as Future<number>);
    ex.spawn(other);
    expect(await task.promise).toBe(await native.count(1000));
    expect(task.polls).toBe(11); // 1000 continuations, a yield after each 100 (the 1000th returns)
    expect(order).toEqual(["other"]);
  });

  test("two such loops interleave", async () => {
    const ex = new Executor({ taskBudget: 10 });
    const log: string[] = [];
    const SRC = `export async function loop(name, n, log) { for (let i = 0; i < n; i++) { await i; if (i % 10 === 0) log.push(name + i); } }`;
    const { loop } = loadModule<{ loop(name: string, n: number, log: string[]): Future<void> }>(SRC);
    const a = ex.spawn(loop("a", 30, log));
    const b = ex.spawn(loop("b", 30, log));
    await a.promise;
    await b.promise;
    expect(log).toEqual(["a0", "b0", "a10", "b10", "a20", "b20"]);
  });
});
