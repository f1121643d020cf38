/**
 * Scenario: leaf futures — promises and thenables, timers, ready values, poll functions — each
 * stores the latest waker, wakes once, and is polled exactly twice when it had to wait.
 */
import { describe, expect, test, vi } from "vitest";
import { Context, Executor, PENDING, fromPromise, pollFn, ready, sleep } from "../../runtime/index";
import { CountingWaker, macrotasks } from "./support";

describe("fromPromise", () => {
  test("lazy: nothing is attached before the first poll; one attach however many polls", async () => {
    let thenCalls = 0;
    let resolve!: (value: number) => void;
    const thenable = {
      then(onFulfilled: (value: number) => void) {
        thenCalls++;
        resolve = onFulfilled;
      },
    };
    const future = fromPromise(thenable as unknown as PromiseLike<number>);
    await macrotasks(1);
    expect(thenCalls).toBe(0);

    const first = new CountingWaker();
    const second = new CountingWaker();
    expect(future.poll(new Context(first))).toBe(PENDING);
    expect(future.poll(new Context(second))).toBe(PENDING);
    await macrotasks(1);
    expect(thenCalls).toBe(1);
    resolve(9);
    await macrotasks(1);
    expect([first.wakes, second.wakes]).toEqual([0, 1]); // only the latest waker
    expect(future.poll(new Context(second))).toBe(9);
    expect(future.poll(new Context(second))).toBe(9);
  });

  test("a rejection is thrown from poll and fails the task", async () => {
    const error = new Error("rejected");
    await expect(new Executor().run(fromPromise(Promise.reject(error)))).rejects.toBe(error);
  });

  test("a plain value is ready after one tick", async () => {
    const executor = new Executor();
    const task = executor.spawn(fromPromise(5));
    expect(await task.promise).toBe(5);
    expect(task.polls).toBe(2);
  });

  test("monkey-patched Promise.prototype.then is not called", async () => {
    const original = Promise.prototype.then;
    let patchedCalls = 0;
    const future = fromPromise(Promise.resolve("x"));
    Promise.prototype.then = function (this: Promise<unknown>, ...args: Parameters<typeof original>) {
      patchedCalls++;
      return original.apply(this, args);
    } as typeof original;
    try {
      expect(future.poll(new Context(new CountingWaker()))).toBe(PENDING);
    } finally {
      Promise.prototype.then = original;
    }
    expect(patchedCalls).toBe(0);
  });
});

describe("sleep", () => {
  test("ready after the delay, counted from the first poll; polled exactly twice", async () => {
    const executor = new Executor();
    const future = sleep(30);
    await new Promise((resolve) => setTimeout(resolve, 40)); // not started yet: lazy
    const started = performance.now();
    const task = executor.spawn(future);
    await task.promise;
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(task.polls).toBe(2);
  });

  test("ms is validated: a finite number >= 0", () => {
    expect(() => sleep("abc" as never)).toThrow(TypeError);
    expect(() => sleep("abc" as never)).toThrow(/sleep\(ms\): ms must be a number of milliseconds, got string "abc"/);
    expect(() => sleep(-5)).toThrow(RangeError);
    expect(() => sleep(-5)).toThrow(/ms must be a finite number >= 0, got -5/);
    expect(() => sleep(NaN)).toThrow(RangeError);
    expect(() => sleep(Infinity)).toThrow(RangeError);
    expect(sleep(0).ms).toBe(0);
  });

  test("a delay above 2^31-1 ms (the host timer's limit) is honoured by chaining timers", () => {
    // Node (and the fake clock, which copies it) fires a longer timer after 1 ms.
    vi.useFakeTimers();
    try {
      const waker = new CountingWaker();
      const long = sleep(2 ** 31 + 1000);
      expect(long.poll(new Context(waker))).toBe(PENDING);
      vi.advanceTimersByTime(10);
      expect(waker.wakes).toBe(0);
      vi.advanceTimersByTime(2 ** 31 - 1 - 10);
      expect(waker.wakes).toBe(0);
      vi.advanceTimersByTime(1000); // 2^31 + 999 ms in all
      expect(waker.wakes).toBe(0);
      vi.advanceTimersByTime(1);
      expect(waker.wakes).toBe(1);
      expect(long.poll(new Context(waker))).toBe(undefined);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("ready / pollFn", () => {
  test("ready(value) is ready on every poll and never registers a waker", () => {
    const waker = new CountingWaker();
    const future = ready({ a: 1 });
    expect(future.poll()).toEqual({ a: 1 });
    expect(future.poll()).toBe(future.poll());
    expect(waker.wakes).toBe(0);
  });

  test("pollFn calls its function with the task's context", async () => {
    const executor = new Executor();
    let seen: Context | undefined;
    const task = executor.spawn(pollFn((cx) => ((seen = cx), "ok")));
    expect(await task.promise).toBe("ok");
    expect(seen!.waker).toBe(task);
  });
});
