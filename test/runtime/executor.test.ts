/**
 * Scenario: the executor as a whole — many tasks, the cooperative budget, slow-poll reports,
 * failures, and the global `spawn` / `run`.
 */
import { describe, expect, test } from "vitest";
import {
  Context,
  DEFAULT_BUDGET,
  Task as TaskClass,
  Executor,
  PENDING,
  fromPromise,
  getDefaultExecutor,
  join,
  pollFn,
  ready,
  run,
  select,
  spawn,
  type Task,
} from "../../runtime/index";
import { startMachine, type Machine } from "../../runtime/compiled";
import { CountingWaker, ManualFuture, drained, macrotasks } from "./support";

const TASKS = 100_000;

/** Resume function of `async function (p) { return (await p) + 1 }`, by hand. */
function addOneResume(m: Machine, value: unknown): unknown {
  switch (m.s) {
    case 0 /* Unresumed */:
      m.s = 3;
      return m.await(m.a![0]);
    case 3 /* Await_p */:
      return m.ret((value as number) + 1);
  }
}

describe("executor", () => {
  test(`(4) ${TASKS} concurrent tasks, each awaiting a promise resolved later, all complete`, async () => {
    const executor = new Executor();
    const resolvers: ((value: number) => void)[] = new Array(TASKS);
    const tasks: Task<number>[] = new Array(TASKS);
    const started = performance.now();
    for (let i = 0; i < TASKS; i++) {
      const promise = new Promise<number>((resolve) => (resolvers[i] = resolve));
      tasks[i] = executor.spawn(fromPromise(promise));
    }
    await drained(executor); // every task has been polled once and is pending
    expect(executor.stats.polls).toBe(TASKS);
    expect(executor.readyCount).toBe(0);
    const spawned = performance.now();
    for (let i = 0; i < TASKS; i++) resolvers[i](i);
    const values = await Promise.all(tasks.map((task) => task.promise));
    const finished = performance.now();

    expect(values.length).toBe(TASKS);
    expect(values[TASKS - 1]).toBe(TASKS - 1);
    // exactly two polls each: pending once, then ready after its one wake
    expect(executor.stats.polls).toBe(2 * TASKS);
    expect(tasks.every((task) => task.polls === 2 && task.isCompleted)).toBe(true);
    console.log(
      `[executor] ${TASKS} tasks over fromPromise: spawn+first poll ${(spawned - started).toFixed(0)} ms, ` +
        `resolve+complete ${(finished - spawned).toFixed(0)} ms, total ${(finished - started).toFixed(0)} ms ` +
        `(drains ${executor.stats.drains}, budget yields ${executor.stats.yields})`,
    );
  });

  test(`(4b) ${TASKS} concurrent tasks driving promise-mode machines, all complete`, async () => {
    const executor = new Executor();
    const resolvers: ((value: number) => void)[] = new Array(TASKS);
    const tasks: Task<unknown>[] = new Array(TASKS);
    const started = performance.now();
    for (let i = 0; i < TASKS; i++) {
      const promise = new Promise<number>((resolve) => (resolvers[i] = resolve));
      tasks[i] = executor.spawn(startMachine(addOneResume, 0, undefined, undefined, [promise]));
    }
    await drained(executor);
    for (let i = 0; i < TASKS; i++) resolvers[i](i);
    const values = await Promise.all(tasks.map((task) => task.promise));
    const finished = performance.now();
    expect(values[0]).toBe(1);
    expect(values[TASKS - 1]).toBe(TASKS);
    expect(executor.stats.polls).toBe(2 * TASKS);
    console.log(`[executor] ${TASKS} tasks over machines: total ${(finished - started).toFixed(0)} ms`);
  });

  test("(5) budget: a task that always wakes itself does not starve a setImmediate callback", async () => {
    const executor = new Executor({ budget: 64 });
    let immediateRan = false;
    let pollsBeforeImmediate = -1;
    let polls = 0;
    const spinner = executor.spawn(
      pollFn((cx) => {
        polls++;
        if (immediateRan) return "yielded";
        if (polls > 1_000_000) return "starved"; // without a budget the drain would never end
        cx.waker.wake();
        return PENDING;
      }),
    );
    setImmediate(() => {
      immediateRan = true;
      pollsBeforeImmediate = polls;
    });
    expect(await spinner.promise).toBe("yielded");
    expect(pollsBeforeImmediate).toBe(64); // exactly one budget's worth, then the host ran
    expect(executor.stats.yields).toBeGreaterThanOrEqual(1);
  });

  test("(5b) the default budget yields after DEFAULT_BUDGET polls, and other tasks keep running", async () => {
    const executor = new Executor();
    const log: string[] = [];
    let spins = 0;
    let stop = false;
    const spinner = executor.spawn(
      pollFn((cx) => {
        spins++;
        if (stop || spins > 1_000_000) return spins; // the bound turns a starvation bug into a failure, not a hang
        cx.waker.wake();
        return PENDING;
      }),
    );
    const other = new ManualFuture<string>();
    const otherTask = executor.spawn(other);
    setImmediate(() => {
      log.push(`immediate after ${spins} spins`);
      other.complete("other done");
    });
    expect(await otherTask.promise).toBe("other done");
    stop = true;
    await spinner.promise;
    expect(log).toEqual([`immediate after ${DEFAULT_BUDGET - 1} spins`]); // one of the polls was `other`'s
  });

  test("slow-poll hook: a poll over the threshold is reported with the task and its duration", async () => {
    const reports: [number, number][] = [];
    const executor = new Executor({ slowPollMs: 15, onSlowPoll: (task, ms) => reports.push([task.id, ms]) });
    const fast = executor.spawn(ready(1));
    const slow = executor.spawn(
      pollFn(() => {
        const until = performance.now() + 25;
        while (performance.now() < until) {
          // a poll that blocks the thread
        }
        return 2;
      }),
    );
    expect(await Promise.all([fast.promise, slow.promise])).toEqual([1, 2]);
    expect(reports.length).toBe(1);
    expect(reports[0][0]).toBe(slow.id);
    expect(reports[0][1]).toBeGreaterThanOrEqual(15);
  });

  test("a future that throws fails its task; its promise rejects with that error", async () => {
    const executor = new Executor();
    const error = new Error("poll failed");
    const task = executor.spawn(
      pollFn(() => {
        throw error;
      }),
    );
    await expect(task.promise).rejects.toBe(error);
    expect(task.isCompleted).toBe(true);
  });

  test("the join promise can be taken after completion, for values and for errors", async () => {
    const executor = new Executor();
    const good = executor.spawn(ready("v"));
    const failed = executor.spawn(
      pollFn(() => {
        throw new Error("late");
      }),
    );
    const early = failed.promise.catch((error: Error) => error.message); // observed before completion
    await macrotasks(1);
    expect(good.isCompleted && failed.isCompleted).toBe(true);
    await expect(good.promise).resolves.toBe("v");
    expect(await early).toBe("late");
    await expect(failed.promise).rejects.toThrow("late");
  });

  test("a task is a join handle: another task can poll it", async () => {
    const executor = new Executor();
    const inner = new ManualFuture<number>();
    const innerTask = executor.spawn(inner);
    let outerPolls = 0;
    const outer = executor.spawn(
      pollFn((cx) => {
        outerPolls++;
        const value = innerTask.poll(cx);
        return value === PENDING ? PENDING : value * 10;
      }),
    );
    await macrotasks(2);
    expect(outerPolls).toBe(1);
    inner.complete(4);
    expect(await outer.promise).toBe(40);
    expect(outerPolls).toBe(2);
  });

  test("a joiner whose waker throws does not stop the other joiners from being woken", () => {
    const scheduled: Task<unknown>[] = [];
    const inner = new ManualFuture<number>();
    const task = new TaskClass(inner, { schedule: (t) => scheduled.push(t) });
    scheduled.length = 0;
    const before = new CountingWaker();
    const after = new CountingWaker();
    expect(task.poll(new Context(before))).toBe(PENDING);
    expect(
      task.poll(
        new Context({
          wake: () => {
            throw new Error("bad waker");
          },
        }),
      ),
    ).toBe(PENDING);
    expect(task.poll(new Context(after))).toBe(PENDING);
    task.run(); // first poll: pending
    inner.complete(5); // wakes the task
    expect(scheduled).toEqual([task]);
    // Completing wakes every joiner, then surfaces the broken waker's error (to the drain).
    expect(() => task.run()).toThrow("bad waker");
    expect(before.wakes).toBe(1);
    expect(after.wakes).toBe(1);
    expect(task.poll(new Context(after))).toBe(5);
  });

  test("global spawn / run use one default executor", async () => {
    expect(getDefaultExecutor()).toBe(getDefaultExecutor());
    expect(await spawn(ready(1)).promise).toBe(1);
    expect(await run(fromPromise(Promise.resolve(2)))).toBe(2);
    expect(await getDefaultExecutor().run(ready(3))).toBe(3);
    expect(await run(ready(4), new Executor({ policy: "random", seed: 9 }))).toBe(4);
  });

  test("null or another value that is neither a future nor a thenable is refused up front, with a TypeError", () => {
    const executor = new Executor();
    expect(() => run(1 as never)).toThrow(TypeError);
    expect(() => run(1 as never)).toThrow(/run: expected a Future \(an object with a poll\(cx\) method\), got number 1/);
    expect(() => executor.spawn({ then: 1 } as never)).toThrow(/spawn: expected a Future \(an object with a poll\(cx\) method\), got an object without/);
    expect(() => spawn(null as never)).toThrow(/spawn: expected a Future \(an object with a poll\(cx\) method\), got null/);
    expect(() => join([ready(1), "two"] as never)).toThrow(/join\(futures\): futures\[1\]: expected a Future \(an object with a poll\(cx\) method\), got string "two"/);
    expect(() => select([ready(1), {}] as never)).toThrow(/select\(futures\): futures\[1\]: expected a Future \(an object with a poll\(cx\) method\), got an object without/);
    expect(() => select(null as never)).toThrow(/select\(futures\): expected an array of futures, got null/);
    expect(executor.readyCount).toBe(0);
  });

  test("a promise or a thenable given where a future is expected is adapted as fromPromise adapts it", async () => {
    const executor = new Executor();
    expect(await run(Promise.resolve(1))).toBe(1);
    expect(await executor.spawn(Promise.reject(new Error("no"))).promise.catch((e: Error) => e.message)).toBe("no");
    // A bare thenable: no PromiseLike, whose then TypeScript types with both callbacks and a result.
    const thenable = { then: (resolve: (v: number) => void) => resolve(3) };
    expect(await executor.run(thenable as unknown as PromiseLike<number>)).toBe(3);
    expect(await run(join([ready(1), Promise.resolve("two")]))).toEqual([1, "two"]);
    expect(await run(select([new Promise<never>(() => {}), Promise.resolve(2)]))).toEqual({ index: 1, value: 2 });
  });

  test("options are validated", () => {
    expect(() => new Executor({ budget: 0 })).toThrow(/budget/);
    // A budget the drain's counter never equals would disable yielding (the microtask queue never empties).
    expect(() => new Executor({ budget: 1.5 })).toThrow(RangeError);
    expect(() => new Executor({ budget: 1.5 })).toThrow(/'budget' must be a positive integer, got 1\.5/);
    expect(() => new Executor({ budget: Infinity })).toThrow(RangeError);
    expect(() => new Executor({ budget: NaN })).toThrow(RangeError);
    expect(() => new Executor({ budget: "4" as never })).toThrow(TypeError);
    expect(() => new Executor({ budget: "4" as never })).toThrow(/'budget' must be a positive integer, got string "4"/);
    expect(new Executor({ budget: 1 }).budget).toBe(1);
    expect(() => new Executor({ policy: "lifo" as never })).toThrow(/policy/);
  });
});

describe("built-ins the executor calls are the ones taken at load", () => {
  test("a task's then/catch/finally, the executor's drain and fromPromise never read a patched Function.prototype.call", async () => {
    const realCall = Function.prototype.call;
    const calledThrough: string[] = [];
    Function.prototype.call = function (this: (...args: unknown[]) => unknown, self: unknown, ...args: unknown[]) {
      calledThrough.push(this.name);
      return Reflect.apply(this, self, args);
    } as typeof realCall;
    let values: unknown[];
    try {
      const task = new Executor().spawn(fromPromise(Promise.resolve(1)));
      values = [await task, await task.then((v) => (v as number) + 1), await task.catch(() => 0), await task.finally(() => undefined)];
    } finally {
      Function.prototype.call = realCall;
    }
    expect(values).toEqual([1, 2, 1, 1]);
    expect(calledThrough.filter((name) => name === "then" || name === "finally" || name === "resolve")).toEqual([]);
  });
});
