/**
 * Scenario: cancellation is dropping (runtime/poll/cancel.ts). A cancelled poll-mode machine is
 * resumed at its current await in cancelling mode: its pending `finally` blocks run exactly
 * once, innermost first, awaits inside them allowed, the awaited child cancelled first; `catch`
 * blocks do not run; the task rejects with `Cancelled`; leaf futures release what they hold.
 * The machines are in the compiler's shape, catch-dispatch change included (poll-shapes.ts).
 */
import { describe, expect, test } from "vitest";
import { Cancelled, Context, Executor, PENDING, SleepFuture, isCancellation, noopWaker, pollFn, sleep, spawn, type Future } from "../../runtime/index";
import { ManualFuture, macrotasks } from "./support";
import { catchOnly, guarded, loop, nested } from "./poll-shapes";

const never = (): Promise<never> => new Promise<never>(() => {});

describe("task.cancel()", () => {
  test("runs the pending finally (with its await), skips the catch, rejects with Cancelled", async () => {
    const ex = new Executor();
    const log: string[] = [];
    const cleanup = new ManualFuture<void>();
    const task = ex.spawn(guarded((s: string) => log.push(s), never(), cleanup));
    await macrotasks(1);
    expect(log).toEqual(["try"]);
    expect(task.cancel()).toBe(true);
    await macrotasks(1);
    expect(log).toEqual(["try", "finally"]); // waiting on the await inside finally
    expect(task.isCompleted).toBe(false);
    expect(task.cancel()).toBe(false); // a cancel while cancelling: no-op
    cleanup.complete();
    await expect(task.promise).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual(["try", "finally", "finally end"]);
    expect(task.isCancelled).toBe(true);
    await expect(task).rejects.toBeInstanceOf(Cancelled); // a Task is awaitable
  });

  test("nested machines: the awaited child is cancelled first, then the parent's finally blocks, innermost first; no catch runs", async () => {
    const ex = new Executor();
    const log: string[] = [];
    const child = guarded((s: string) => log.push("child " + s), never(), null);
    const task = ex.spawn(nested((s: string) => log.push(s), child));
    await macrotasks(1);
    task.cancel();
    await expect(task.promise).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual(["child try", "child finally", "child finally end", "inner finally", "outer finally"]);
  });

  test("inside a loop: each iteration's finally runs once; the cancelled one runs and the loop stops", async () => {
    const ex = new Executor();
    const log: string[] = [];
    const gates = [new ManualFuture<void>(), new ManualFuture<void>(), new ManualFuture<void>()];
    let i = 0;
    const task = ex.spawn(
      loop(
        (s: string) => log.push(s),
        () => gates[i++],
      ),
    );
    await macrotasks(1);
    gates[0].complete();
    await macrotasks(1);
    expect(log).toEqual(["finally 0"]);
    task.cancel();
    await expect(task.promise).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual(["finally 0", "finally 1"]);
    expect(i).toBe(2);
  });

  test("a try/catch with no finally: the catch does not run", async () => {
    const log: string[] = [];
    const task = spawn(catchOnly((s: string) => log.push(s), never()));
    await macrotasks(1);
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual([]);
  });

  test("a machine cancelled before its first poll runs nothing", async () => {
    const log: string[] = [];
    const task = spawn(guarded((s: string) => log.push(s), 1, 2));
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual([]);
  });

  test("a finally that throws while cancelling: its error is the task's error (not swallowed)", async () => {
    const task = spawn(
      guarded(() => {}, never(), {
        then: () => {
          throw new Error("cleanup failed");
        },
      }),
    );
    await macrotasks(1);
    task.cancel();
    await expect(task).rejects.toThrow("cleanup failed");
    expect(task.isCancelled).toBe(false);
  });

  test("a cancelled sleep leaves no timer, and the process has nothing left to wait for", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    await macrotasks(1); // a timer the previous test left behind (a macrotask() wait) is gone first
    const before = timers();
    const s = new SleepFuture(1_000_000);
    const task = spawn(catchOnly(() => {}, s));
    // On a busy machine the first poll may take more than one turn: wait for the sleep's timer
    // (bounded), then count relative to that moment (the test runner's own timers come and go).
    for (let i = 0; i < 100 && timers() <= before; i++) await macrotasks(1);
    const during = timers();
    expect(during).toBeGreaterThan(before);
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(timers()).toBe(during - 1);
  });

  test("a leaf future without cancel() is dropped and the task completes at once", async () => {
    let dropped = 0;
    const leaf: Future<never> = { poll: () => PENDING, drop: () => void dropped++ };
    const task = spawn(leaf);
    await macrotasks(1);
    task.cancel();
    expect(task.isCompleted).toBe(true);
    expect(dropped).toBe(1);
    await expect(task).rejects.toBeInstanceOf(Cancelled);
  });

  test("a promise that settles after cancellation is ignored (detached), quietly", async () => {
    let reject!: (e: unknown) => void;
    const p = new Promise((_, r) => (reject = r));
    const log: string[] = [];
    const task = spawn(catchOnly((s: string) => log.push(s), p));
    await macrotasks(1);
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    reject(new Error("late"));
    await macrotasks(2);
    expect(log).toEqual([]);
  });
});

describe("spawn(future, { signal })", () => {
  test("aborting the signal cancels the task", async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const task = spawn(
      guarded((s: string) => log.push(s), never(), null),
      { signal: controller.signal },
    );
    await macrotasks(1);
    controller.abort();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual(["try", "finally", "finally end"]);
  });

  test("an already aborted signal cancels before the first poll", async () => {
    const log: string[] = [];
    const task = spawn(
      guarded((s: string) => log.push(s), 1, 2),
      { signal: AbortSignal.abort() },
    );
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual([]);
  });
});

describe("Cancelled from an awaited task is an ordinary error", () => {
  test("a catch around `await task` catches it (the awaiting code was not cancelled)", async () => {
    const inner = spawn(catchOnly(() => {}, never()));
    const log: string[] = [];
    const outer = spawn(catchOnly((s: string) => log.push(s), inner));
    await macrotasks(1);
    inner.cancel();
    expect(await outer).toBe("caught");
    expect(log).toEqual(["catch"]);
  });
});

test("cancel by hand: cancel() then poll runs the cleanup synchronously when nothing in it waits", () => {
  const log: string[] = [];
  const m = guarded(
    (s: string) => log.push(s),
    pollFn(() => PENDING),
    0,
  );
  const cx = new Context(noopWaker);
  expect(m.poll(cx)).toBe(PENDING);
  m.cancel();
  let error: unknown;
  try {
    m.poll(cx);
  } catch (e) {
    error = e;
  }
  expect(isCancellation(error)).toBe(true);
  expect(log).toEqual(["try", "finally", "finally end"]);
  expect(() => m.poll(cx)).toThrow(Cancelled); // finished: the same outcome again
  void sleep;
});
