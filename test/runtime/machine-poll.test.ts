/**
 * Scenario: a promise-mode machine used as a future. Machines here are built by hand: a resume
 * function that follows machine.ts's contract (`m.s = state; return m.await(x)` to suspend,
 * `return m.ret(v)` to finish, a throw to panic), started with `startMachine`.
 */
import { describe, expect, test } from "vitest";
import { Context, Executor, PENDING, join } from "../../runtime/index";
import { startMachine, states, type Machine } from "../../runtime/compiled";
import { CountingWaker, macrotasks } from "./support";

/** States of the hand-written `double(p)`: `async function double(p) { const x = await p; return x * 2; }` */
const DoubleState = states(["Unresumed", "Returned", "Panicked", "Await_p"]);

function doubleResume(m: Machine, value: unknown, isThrow: boolean): unknown {
  switch (m.s) {
    case 0 /* Unresumed */:
      m.s = 3; /* Await_p */
      return m.await(m.a![0]);
    case 3 /* Await_p */:
      if (isThrow) throw value;
      return m.ret((value as number) * 2);
  }
}

function double(p: unknown): ReturnType<typeof startMachine> {
  return startMachine(doubleResume, 0, DoubleState, undefined, [p]);
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("Machine.poll", () => {
  test("(8) a task drives a machine to its value: pending, one wake, ready", async () => {
    const executor = new Executor();
    const d = deferred<number>();
    const m = double(d.promise);
    expect(m.stateName).toBe("Await_p");
    const task = executor.spawn(m);
    await macrotasks(2);
    expect(task.polls).toBe(1);
    expect(task.stateName).toBe("idle");

    d.resolve(21);
    expect(await task.promise).toBe(42);
    expect(task.polls).toBe(2);
    expect(m.stateName).toBe("Returned");
  });

  test("(8) an error thrown in the machine fails the task, with no unhandled rejection", async () => {
    const executor = new Executor();
    const d = deferred<number>();
    const error = new Error("awaited promise rejected");
    const task = executor.spawn(double(d.promise));
    await macrotasks(1);
    d.reject(error);
    await expect(task.promise).rejects.toBe(error);
    // vitest fails the run on an unhandled rejection: the machine's own promise must be handled
    await macrotasks(2);
  });

  test("a machine that panicked before its first poll throws on that poll", async () => {
    const error = new TypeError("sync throw");
    const m = startMachine(
      () => {
        throw error;
      },
      0,
      DoubleState,
      undefined,
      [],
    );
    expect(m.stateName).toBe("Panicked");
    await expect(new Executor().run(m)).rejects.toBe(error);
  });

  test("a machine that already returned is ready on the first poll", async () => {
    const m = startMachine((mm) => mm.ret("now"), 0, undefined, undefined, []);
    const executor = new Executor();
    const task = executor.spawn(m);
    expect(await task.promise).toBe("now");
    expect(task.polls).toBe(1);
  });

  test("each waker is registered once, however often it polls; each distinct waker is woken", async () => {
    const d = deferred<number>();
    const m = double(d.promise);
    const a = new CountingWaker();
    const b = new CountingWaker();
    const cxA = new Context(a);
    expect(m.poll(cxA)).toBe(PENDING);
    expect(m.poll(cxA)).toBe(PENDING);
    expect(m.poll(cxA)).toBe(PENDING);
    expect(m.poll(new Context(b))).toBe(PENDING);
    d.resolve(1);
    await macrotasks(1);
    expect([a.wakes, b.wakes]).toEqual([1, 1]);
    expect(m.poll(cxA)).toBe(2);
  });

  test("polling never steps the machine: its timing stays promise-mode's", async () => {
    const d = deferred<number>();
    const m = double(d.promise);
    for (let i = 0; i < 10; i++) m.poll(new Context(new CountingWaker()));
    expect(m.stateName).toBe("Await_p");
    d.resolve(5);
    expect(await m.promise).toBe(10);
  });

  test("machines compose with join", async () => {
    const values = await new Executor().run(join([double(Promise.resolve(1)), double(2), double(Promise.resolve(3))]));
    expect(values).toEqual([2, 4, 6]);
  });
});
