/**
 * Scenario: a poll-mode call that awaits another poll-mode call nobody has polled yet steps it
 * in the same driver loop (poll-machine.ts `runTree`), not by a JS call per call: a deep chain
 * of such calls does not grow the JS stack while it runs, and no outcome changes — values, errors caught
 * across levels, `finally` order, a promise wait deep in the tree, forced yields of the budget,
 * and cancellation while a machine deep below waits — each checked against a native run where
 * native can run it.
 */
import { describe, expect, test } from "vitest";
import { Executor, spawn, type Future } from "../../runtime/index";
import { loadModule, loadNativeModule } from "./support";

const SOURCE = `
export async function depth(n) {
  if (n === 0) return 0;
  return 1 + (await depth(n - 1));
}

export async function fib(n) {
  if (n < 2) return n;
  return (await fib(n - 1)) + (await fib(n - 2));
}

// an error thrown deep down, caught a few levels up; finally blocks on the way out, in order
export async function unwind(n, log) {
  try {
    if (n === 0) throw new Error("bottom");
    if (n === 3) {
      try {
        return await unwind(n - 1, log);
      } catch (e) {
        log.push("caught at 3: " + e.message);
        return -1;
      }
    }
    return 10 + (await unwind(n - 1, log));
  } finally {
    log.push("finally " + n);
  }
}

// a promise wait at the bottom of the tree, then the tree finishes
export async function waitsDeep(n, gate, log) {
  if (n === 0) {
    log.push("bottom waits");
    const v = await gate;
    log.push("bottom got " + v);
    return v;
  }
  const r = await waitsDeep(n - 1, gate, log);
  log.push("level " + n + " resumes");
  return r + 1;
}

// a returned poll-mode call is adopted (the body is over): its outcome is the caller's
export async function returnsCall(n) {
  if (n === 0) return "done";
  return returnsCall(n - 1);
}

export async function awaitsThenable(n) {
  if (n === 0) return await { then(resolve) { resolve("thenable"); } };
  return await awaitsThenable(n - 1);
}
`;

const poll = loadModule(SOURCE);
const native = loadNativeModule(SOURCE);

describe("a call tree of poll-mode calls runs in one driver loop", () => {
  // (Under a budget smaller than the chain, a forced yield suspends the chain, and the next
  // poll goes down it through each machine's poll, as any chain of futures is polled.)
  test("a chain 200 000 calls deep, under a budget that forces no yield, does not grow the JS stack (native would overflow it)", async () => {
    const ex = new Executor({ taskBudget: 1_000_000 });
    expect(await ex.spawn(poll.depth(200_000) as Future<number>).promise).toBe(200_000);
  });

  test("values of a call tree are native's", async () => {
    expect(await poll.fib(15)).toBe(await native.fib(15));
  });

  test("an error thrown deep down is caught where native catches it, finally blocks in native's order", async () => {
    const a: string[] = [];
    const b: string[] = [];
    expect(await poll.unwind(6, a)).toBe(await native.unwind(6, b));
    expect(a).toEqual(b);
    const c: string[] = [];
    const d: string[] = [];
    await expect(poll.unwind(2, c)).rejects.toThrow("bottom");
    await expect(native.unwind(2, d)).rejects.toThrow("bottom");
    expect(c).toEqual(d);
  });

  test("a promise wait at the bottom of the tree: every level resumes, in native's order", async () => {
    const a: string[] = [];
    const b: string[] = [];
    expect(await poll.waitsDeep(5, Promise.resolve(7), a)).toBe(await native.waitsDeep(5, Promise.resolve(7), b));
    expect(a).toEqual(b);
  });

  test("returned calls and thenables deep in the tree", async () => {
    expect(await poll.returnsCall(50)).toBe(await native.returnsCall(50));
    expect(await poll.awaitsThenable(30)).toBe(await native.awaitsThenable(30));
  });

  test.each([1, 2, 3, 7])("the same under taskBudget %i (forced yields anywhere in the tree)", async (taskBudget) => {
    const ex = new Executor({ taskBudget });
    const on = <T>(call: PromiseLike<T>): Promise<T> => ex.spawn(call as unknown as Future<T>).promise;
    expect(await on(poll.fib(12))).toBe(await native.fib(12));
    expect(await on(poll.depth(1000))).toBe(1000);
    const a: string[] = [];
    const b: string[] = [];
    expect(await on(poll.unwind(6, a))).toBe(await native.unwind(6, b));
    expect(a).toEqual(b);
  });

  test("cancelling while a machine deep in the tree waits runs every level's finally, innermost first", async () => {
    const log: string[] = [];
    const cancelled = loadModule(`
      export async function level(n, log) {
        try {
          if (n === 0) return await new Promise(() => {});
          return await level(n - 1, log);
        } finally {
          log.push("finally " + n);
        }
      }
    `);
    const task = spawn(cancelled.level(4, log) as Future<unknown>);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(log).toEqual([]);
    task.cancel();
    await expect(task.promise).rejects.toThrow(/cancelled/);
    expect(log).toEqual(["finally 0", "finally 1", "finally 2", "finally 3", "finally 4"]);
  });
});
