/**
 * Scenario: a task whose future is pending. The executor must sleep until the waker fires, poll
 * once per wake cycle however many wakes come, and ignore wakes after completion.
 */
import { describe, expect, test } from "vitest";
import { Executor, PENDING, pollFn, type Waker } from "../../runtime/index";
import { CheckedQueue, ManualFuture, macrotasks } from "./support";

function checkedExecutor() {
  const queue = new CheckedQueue();
  return { queue, executor: new Executor({ policy: () => queue }) };
}

describe("waker-pending", () => {
  test("spawn does not poll synchronously; the first poll happens in a microtask", async () => {
    const { executor } = checkedExecutor();
    const future = new ManualFuture<number>();
    const task = executor.spawn(future);
    expect(future.polls).toBe(0);
    expect(task.stateName).toBe("scheduled");
    await Promise.resolve();
    await Promise.resolve();
    expect(future.polls).toBe(1);
    expect(task.stateName).toBe("idle");
  });

  test("(1) a pending task is never polled again without a wake", async () => {
    const { executor, queue } = checkedExecutor();
    const future = new ManualFuture<string>();
    const task = executor.spawn(future);
    await macrotasks(1);
    expect(future.polls).toBe(1);
    expect(future.waker).toBe(task);

    await macrotasks(5); // timers, immediates and microtasks all had their turns
    expect(future.polls).toBe(1);
    expect(executor.stats.polls).toBe(1);
    expect(queue.enqueued).toBe(1);
    expect(task.stateName).toBe("idle");

    future.complete("done");
    await expect(task.promise).resolves.toBe("done");
    expect(future.polls).toBe(2);
    expect(executor.stats.polls).toBe(2);
  });

  test("(2) double wakes are harmless: exactly one extra poll", async () => {
    const { executor, queue } = checkedExecutor();
    const future = new ManualFuture<void>();
    executor.spawn(future);
    await macrotasks(1);
    expect(future.polls).toBe(1);

    future.waker!.wake();
    future.waker!.wake();
    future.waker!.wake();
    expect(executor.readyCount).toBe(1);
    await macrotasks(3);
    expect(future.polls).toBe(2);
    expect(queue.enqueued).toBe(2);
  });

  test("a wake during the task's own poll re-polls it exactly once, after the poll returns", async () => {
    const { executor } = checkedExecutor();
    let polls = 0;
    let waker: Waker | undefined;
    const task = executor.spawn(
      pollFn((cx) => {
        polls++;
        waker = cx.waker;
        if (polls === 1) {
          cx.waker.wake();
          cx.waker.wake();
          expect(task.stateName).toBe("running+scheduled");
        }
        return PENDING;
      }),
    );
    await macrotasks(2);
    expect(polls).toBe(2);
    expect(task.stateName).toBe("idle");
    waker!.wake();
    await macrotasks(1);
    expect(polls).toBe(3);
  });

  test("(3) wakes after completion are harmless: no poll, no error", async () => {
    const { executor, queue } = checkedExecutor();
    const future = new ManualFuture<number>();
    const task = executor.spawn(future);
    await macrotasks(1);
    future.complete(7);
    expect(await task.promise).toBe(7);
    expect(task.isCompleted).toBe(true);
    const polls = future.polls;
    const enqueued = queue.enqueued;

    expect(() => {
      task.wake();
      future.waker!.wake();
      future.waker!.wake();
    }).not.toThrow();
    await macrotasks(3);
    expect(future.polls).toBe(polls);
    expect(queue.enqueued).toBe(enqueued);
    expect(task.stateName).toBe("completed");
  });

  test("a wake after a failed completion is harmless too", async () => {
    const { executor } = checkedExecutor();
    let waker: Waker | undefined;
    let polls = 0;
    const task = executor.spawn(
      pollFn((cx) => {
        polls++;
        waker = cx.waker;
        if (polls === 2) throw new Error("boom");
        return PENDING;
      }),
    );
    const outcome = task.promise.then(
      () => "fulfilled",
      (error: Error) => error.message,
    );
    await macrotasks(1);
    waker!.wake();
    expect(await outcome).toBe("boom");
    waker!.wake();
    await macrotasks(2);
    expect(polls).toBe(2);
  });
});
