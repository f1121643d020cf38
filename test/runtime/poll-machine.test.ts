/**
 * Scenario: poll-mode machines (runtime/poll-machine.ts) stepped by the executor — lazy
 * start, ready awaits continuing in the same poll without growing the stack, the task budget
 * forcing a yield, promise and thenable awaits with native's lookups, and `then` so native code
 * can await a machine. The machines are in the compiler's shape (poll-shapes.ts); every value
 * and log is checked against the same function run natively.
 */
import { describe, expect, test } from "vitest";
import { Context, Executor, PollMachine, noopWaker, PENDING, ready, run, type Future } from "../../runtime/index";
import { catchOnly, count, fib, guarded } from "./poll-shapes";

async function nativeCount(n: number) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await i;
  return sum;
}
async function nativeFib(n: number): Promise<number> {
  if (n < 2) return n;
  return (await nativeFib(n - 1)) + (await nativeFib(n - 2));
}
async function nativeGuarded(log: (s: string) => void, work: unknown, cleanupWait: unknown) {
  try {
    log("try");
    const v = await work;
    log("after " + v);
    return v;
  } catch (e) {
    log("catch " + e);
    return "caught";
  } finally {
    log("finally");
    await cleanupWait;
    log("finally end");
  }
}

describe("a poll-mode call is a lazy future", () => {
  test("calling it runs none of the body; the first poll does", () => {
    const log: string[] = [];
    const m = guarded((s: string) => log.push(s), 1, 2);
    expect(m).toBeInstanceOf(PollMachine);
    expect(log).toEqual([]);
    expect(m.poll(new Context(noopWaker))).toBe(1);
    expect(log).toEqual(["try", "after 1", "finally", "finally end"]);
  });

  test("values and logs equal native's", async () => {
    const a: string[] = [];
    const b: string[] = [];
    expect(await run(guarded((s: string) => a.push(s), Promise.resolve(5), { then: undefined }))).toBe(
      await nativeGuarded((s) => b.push(s), Promise.resolve(5), { then: undefined }),
    );
    expect(a).toEqual(b);
    a.length = b.length = 0;
    expect(await run(guarded((s: string) => a.push(s), Promise.reject("no"), null))).toBe(await nativeGuarded((s) => b.push(s), Promise.reject("no"), null));
    expect(a).toEqual(b);
    expect(await run(count(1000))).toBe(await nativeCount(1000));
    expect(await run(fib(15))).toBe(await nativeFib(15));
  });
});

describe("ready awaits continue in the same poll", () => {
  test("fib(18): machines awaiting machines finish in one poll of one task", async () => {
    const ex = new Executor({ taskBudget: 1_000_000 });
    const task = ex.spawn(fib(18));
    expect(await task.promise).toBe(await nativeFib(18));
    expect(task.polls).toBe(1);
  });

  test("a chain of 1 000 000 ready awaits does not grow the stack (the driver loops)", async () => {
    const ex = new Executor({ taskBudget: 2_000_000 });
    const task = ex.spawn(count(1_000_000));
    expect(await task.promise).toBe(499999500000);
    expect(task.polls).toBe(1);
  });

  test("a future that is ready is not waited on", () => {
    const m = catchOnly(() => {}, ready(42));
    expect(m.poll(new Context(noopWaker))).toBe(42);
  });
});

describe("the task budget forces a yield", () => {
  test("a loop of ready awaits yields every taskBudget continuations and others run between", async () => {
    const ex = new Executor({ taskBudget: 100 });
    const order: string[] = [];
    const other: Future<void> = { poll: () => void order.push("other") };
    const task = ex.spawn(count(1000));
    ex.spawn(other);
    expect(await task.promise).toBe(await nativeCount(1000));
    expect(task.polls).toBe(11); // 1000 continuations, a yield after each 100 (the 1000th returns)
    expect(order).toEqual(["other"]);
    expect(ex.stats.polls).toBe(12);
  });
});

describe("promises and thenables: one registration, native's lookups", () => {
  test("a thenable's `then` is read once and called in a later job, as native", async () => {
    const reads: string[] = [];
    const make = () => ({
      get then() {
        reads.push("get then");
        return (resolve: (v: unknown) => void) => {
          reads.push("call then");
          resolve(7);
        };
      },
    });
    const log: string[] = [];
    expect(await run(catchOnly((s: string) => log.push(s), make()))).toBe(7);
    const compiled = reads.splice(0);
    async function nativeCatchOnly(x: unknown) {
      try {
        return await x;
      } catch {
        return "caught";
      }
    }
    expect(await nativeCatchOnly(make())).toBe(7);
    expect(compiled).toEqual(reads);
  });

  test("awaiting a native promise reads neither its `then` nor more than native does", async () => {
    const reads: string[] = [];
    const make = () => {
      const p = Promise.resolve(3);
      Object.defineProperty(p, "then", { get: () => (reads.push("then"), Promise.prototype.then) });
      Object.defineProperty(p, "constructor", { get: () => (reads.push("constructor"), Promise) });
      return p;
    };
    expect(await run(catchOnly(() => {}, make()))).toBe(3);
    const compiled = reads.splice(0);
    async function nativeAwait(x: unknown) {
      return await x;
    }
    expect(await nativeAwait(make())).toBe(3);
    expect(compiled).toEqual(reads);
    expect(reads).toEqual(["constructor"]);
  });

  test("a rejection arrives as a throw at the await", async () => {
    const log: string[] = [];
    expect(await run(catchOnly((s: string) => log.push(s), Promise.reject(new Error("x"))))).toBe("caught");
    expect(log).toEqual(["catch"]);
  });
});

describe("PromiseLike: native code can await a poll-mode call", () => {
  test("await, Promise.all and then spawn it on the ambient executor", async () => {
    expect(await fib(10)).toBe(55);
    expect(await Promise.all([fib(10), count(5)])).toEqual([55, 10]);
    expect(await count(4).then((v) => (v as number) * 2)).toBe(12);
    const failing = catchOnly(() => {}, ready(1));
    expect(await failing.finally(() => {})).toBe(1);
  });

  test("a machine then-ed once and awaited again joins the same run", async () => {
    const log: string[] = [];
    const m = guarded((s: string) => log.push(s), Promise.resolve("v"), 0);
    const first = m.then((v: unknown) => v);
    expect(await m).toBe("v");
    expect(await first).toBe("v");
    expect(log.filter((s) => s === "try")).toHaveLength(1);
  });

  test("a poll-mode machine awaiting a spawned one joins its task", async () => {
    const child = fib(12);
    void child.then(() => {}); // spawned
    expect(await run(catchOnly(() => {}, child))).toBe(144);
  });
});

test("PENDING is returned while a promise is unsettled, then the value", async () => {
  let resolve!: (v: number) => void;
  const m = catchOnly(() => {}, new Promise<number>((r) => (resolve = r)));
  let woken = 0;
  const cx = new Context({ wake: () => void woken++ });
  expect(m.poll(cx)).toBe(PENDING);
  resolve(9);
  await new Promise((r) => setImmediate(r));
  expect(woken).toBe(1);
  expect(m.poll(cx)).toBe(9);
});
