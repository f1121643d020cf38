/**
 * Scenario: `join` and `select` — values, errors, and waker-correctness: only the child whose
 * waker fired is polled again, and the parent task is polled once per wake cycle.
 */
import { describe, expect, test, vi } from "vitest";
import { Context, Executor, PENDING, fromPromise, join, pollFn, ready, select, sleep, type Waker } from "../../runtime/index";
import { startMachine, states, type Machine } from "../../runtime/compiled";
import { CountingWaker, ManualFuture, macrotasks } from "./support";

describe("join", () => {
  test("(7) join: all values in input order, whatever order they complete in", async () => {
    const executor = new Executor();
    const a = new ManualFuture<string>();
    const b = new ManualFuture<number>();
    const c = new ManualFuture<boolean>();
    const task = executor.spawn(join([a, b, c, ready("r")] as const));
    await macrotasks(1);
    c.complete(true);
    await macrotasks(1);
    a.complete("a");
    b.complete(2);
    const value: [string, number, boolean, string] = await task.promise;
    expect(value).toEqual(["a", 2, true, "r"]);
  });

  test("join polls only the woken child; done children are never polled again", async () => {
    const executor = new Executor();
    const children = Array.from({ length: 5 }, () => new ManualFuture<number>());
    const task = executor.spawn(join(children));
    await macrotasks(1);
    expect(children.map((c) => c.polls)).toEqual([1, 1, 1, 1, 1]);
    expect(task.polls).toBe(1);

    children[3].complete(3);
    await macrotasks(1);
    expect(children.map((c) => c.polls)).toEqual([1, 1, 1, 2, 1]);
    expect(task.polls).toBe(2);

    children[3].waker!.wake(); // a late wake of a finished child: the task wakes, the child is not polled
    children[1].waker!.wake(); // a spurious wake: polled once more, still pending
    children[1].waker!.wake();
    await macrotasks(1);
    expect(children.map((c) => c.polls)).toEqual([1, 2, 1, 2, 1]);
    expect(task.polls).toBe(3);

    for (const [i, child] of children.entries()) child.complete(i);
    expect(await task.promise).toEqual([0, 1, 2, 3, 4]);
    expect(children.map((c) => c.polls)).toEqual([2, 3, 2, 2, 2]);
  });

  test("join of 10 000 children costs O(n) polls, not O(n) per wake", async () => {
    const executor = new Executor();
    const children = Array.from({ length: 10_000 }, () => new ManualFuture<number>());
    const task = executor.spawn(join(children));
    await macrotasks(1);
    for (const [i, child] of children.entries()) child.complete(i);
    const values = await task.promise;
    expect(values[9_999]).toBe(9_999);
    expect(children.reduce((sum, child) => sum + child.polls, 0)).toBe(20_000);
    expect(task.polls).toBe(2);
  });

  test("join fails with the first child's error", async () => {
    const executor = new Executor();
    const slow = new ManualFuture<number>();
    const error = new Error("child failed");
    const task = executor.spawn(join([slow, fromPromise(Promise.reject(error))]));
    await expect(task.promise).rejects.toBe(error);
    slow.complete(1); // a late wake into a failed join is harmless
    await macrotasks(1);
    expect(slow.polls).toBe(1);
  });

  test("join of nothing is ready at once", async () => {
    expect(await new Executor().run(join([]))).toEqual([]);
  });

  test("a child's wake reaches the latest waker the join was polled with", () => {
    const child = new ManualFuture<number>();
    const future = join([child]);
    const first = new CountingWaker();
    const second = new CountingWaker();
    expect(future.poll(new Context(first))).toBe(PENDING);
    expect(future.poll(new Context(second))).toBe(PENDING); // not woken: child not re-polled
    expect(child.polls).toBe(1);
    child.complete(5);
    expect([first.wakes, second.wakes]).toEqual([0, 1]);
    expect(future.poll(new Context(second))).toEqual([5]);
  });
});

describe("select", () => {
  test("(7) select: the first ready child wins, with its index", async () => {
    const executor = new Executor();
    const a = new ManualFuture<string>();
    const b = new ManualFuture<string>();
    const task = executor.spawn(select([a, b]));
    await macrotasks(1);
    b.complete("b");
    expect(await task.promise).toEqual({ index: 1, value: "b" });
    a.complete("a"); // the loser completing later changes nothing
    await macrotasks(1);
    expect(a.polls).toBe(1);
  });

  test("select: a child already ready on the first poll wins in input order", async () => {
    const executor = new Executor();
    expect(await executor.run(select([new ManualFuture<number>(), ready(1), ready(2)]))).toEqual({ index: 1, value: 1 });
  });

  test("select as a timeout: sleep wins over a future that never completes", async () => {
    const executor = new Executor();
    const never = pollFn(() => PENDING);
    const started = performance.now();
    const { index } = await executor.run(select([never, sleep(20)]));
    expect(index).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  test("select polls only the woken child and fails with a child's error", async () => {
    const executor = new Executor();
    const a = new ManualFuture<number>();
    let bPolls = 0;
    const error = new Error("b failed");
    let bWaker: Waker | undefined;
    const b = pollFn((cx) => {
      bPolls++;
      if (bPolls === 2) throw error;
      bWaker = cx.waker;
      return PENDING;
    });
    const task = executor.spawn(select([a, b]));
    const outcome = task.promise.catch((e: unknown) => e);
    await macrotasks(1);
    a.waker!.wake(); // spurious: a is polled again, b is not
    await macrotasks(1);
    expect([a.polls, bPolls]).toEqual([2, 1]);
    bWaker!.wake();
    expect(await outcome).toBe(error);
    expect([a.polls, bPolls]).toEqual([2, 2]);
  });

  test("select of nothing is an error at once", () => {
    expect(() => select([])).toThrow(/never complete/);
  });
});

/** A future that never completes and counts `drop()` calls. */
class DroppableFuture extends ManualFuture<never> {
  drops = 0;
  drop(): void {
    this.drops++;
  }
}

describe("dropping futures", () => {
  test("a sleep that loses a select is dropped: its timer is cleared (it no longer keeps the process alive)", () => {
    vi.useFakeTimers();
    try {
      const waker = new CountingWaker();
      const work = new ManualFuture<string>();
      const timeout = sleep(3000);
      const race = select([work, timeout]);
      expect(race.poll(new Context(waker))).toBe(PENDING);
      expect(vi.getTimerCount()).toBe(1);
      work.complete("work");
      expect(race.poll(new Context(waker))).toEqual({ index: 0, value: "work" });
      expect(vi.getTimerCount()).toBe(0); // without drop: the 3 s timer stays armed
    } finally {
      vi.useRealTimers();
    }
  });

  test("select drops its losers once (not the winner); a failing join drops its unfinished children; dropping a combinator drops its children", () => {
    const cx = new Context(new CountingWaker());
    const loserA = new DroppableFuture();
    const loserB = new DroppableFuture();
    const race = select([loserA, loserB, ready(1)]);
    expect(race.poll(cx)).toEqual({ index: 2, value: 1 });
    expect([loserA.drops, loserB.drops]).toEqual([1, 1]);
    race.poll(cx); // the stored result; nothing dropped again
    expect(loserA.drops).toBe(1);
    const winner = new DroppableFuture();
    const first = select([winner, new DroppableFuture()]);
    expect(first.poll(cx)).toBe(PENDING);
    winner.complete(undefined as never);
    expect(first.poll(cx)).toMatchObject({ index: 0 });
    expect(winner.drops).toBe(0);

    const done = new ManualFuture<number>();
    const pending = new DroppableFuture();
    const all = join([
      done,
      pending,
      pollFn(() => {
        throw new Error("boom");
      }),
    ]);
    done.complete(1);
    expect(() => all.poll(cx)).toThrow("boom");
    expect(pending.drops).toBe(1);

    const inner = new DroppableFuture();
    const outer = select([join([inner]), new DroppableFuture()]);
    expect(outer.poll(cx)).toBe(PENDING);
    outer.drop();
    expect(inner.drops).toBe(1);
  });

  test("racing one long-lived task or machine again and again retains no joiner or listener per race", async () => {
    const executor = new Executor();
    const work = new ManualFuture<string>();
    const longTask = executor.spawn(work);
    let release!: (value: number) => void;
    const gate = new Promise<number>((resolve) => (release = resolve));
    const S = states(["Unresumed", "Returned", "Panicked", "AwaitGate"]);
    const machine = startMachine((m: Machine, value: unknown) => (m.s === 0 ? ((m.s = 3), m.await(gate)) : m.ret(value)), 0, S, undefined, []);
    const cx = new Context(new CountingWaker());
    for (let i = 0; i < 1000; i++) {
      // ready(i) wins each race; the task and the machine lose and are dropped.
      expect(select([longTask, ready(i)]).poll(cx)).toEqual({ index: 1, value: i });
      expect(select([machine, ready(i)]).poll(cx)).toEqual({ index: 1, value: i });
    }
    expect((longTask as unknown as { joiners: unknown[] | undefined }).joiners ?? []).toHaveLength(0);
    expect((machine as unknown as { listeners: unknown[] | undefined }).listeners ?? []).toHaveLength(0);
    // Pollers that did not drop them are still woken.
    const joiner = executor.spawn(select([longTask, machine]));
    await macrotasks(1);
    release(7);
    expect(await joiner.promise).toEqual({ index: 1, value: 7 });
    work.complete("done");
    expect(await longTask.promise).toBe("done");
  });
});
