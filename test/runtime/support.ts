/**
 * Test support for the runtime scenarios: counting futures and an integrity-checking ready
 * queue (STYLE §5: "use counting futures and assert on counts"; magic-string's
 * IntegrityCheckingMagicString).
 */
import { Context, Executor, PENDING, RingQueue, type Future, type Poll, type ReadyQueue, type Task, type Waker } from "../../runtime/index";

/** A future completed by hand; counts polls and keeps the latest waker. */
export class ManualFuture<T> implements Future<T> {
  polls = 0;
  waker: Waker | undefined = undefined;
  private done = false;
  private value: T | undefined = undefined;

  poll(cx: Context): Poll<T> {
    this.polls++;
    if (this.done) return this.value as T;
    this.waker = cx.waker;
    return PENDING;
  }

  /** Completes the future and wakes its waker (as a leaf future's event would). */
  complete(value: T): void {
    this.done = true;
    this.value = value;
    this.waker?.wake();
  }
}

/** A waker that counts its wakes. */
export class CountingWaker implements Waker {
  wakes = 0;
  wake(): void {
    this.wakes++;
  }
}

/**
 * A FIFO ready queue that checks the task invariants on every call: a task is enqueued only
 * when SCHEDULED (and not while running), never twice, and dequeued still SCHEDULED.
 */
export class CheckedQueue implements ReadyQueue<Task<unknown>> {
  readonly inner = new RingQueue<Task<unknown>>();
  readonly queued = new Set<Task<unknown>>();
  enqueued = 0;

  get size(): number {
    return this.inner.size;
  }

  enqueue(task: Task<unknown>): void {
    if (task.stateName !== "scheduled") throw new Error(`enqueue of a task in state ${task.stateName}`);
    if (this.queued.has(task)) throw new Error(`task ${task.id} enqueued twice`);
    this.queued.add(task);
    this.enqueued++;
    this.inner.enqueue(task);
  }

  dequeue(): Task<unknown> | undefined {
    const task = this.inner.dequeue();
    if (task === undefined) return undefined;
    if (task.stateName !== "scheduled") throw new Error(`dequeue of a task in state ${task.stateName}`);
    this.queued.delete(task);
    return task;
  }
}

/** Resolves after one full macrotask turn (timers, I/O and immediates get to run). */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Resolves after `n` macrotask turns, alternating timers and immediates. */
export async function macrotasks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await macrotask();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Resolves once `executor` has no ready task left: its drains, including those the budget moved
 * to `setImmediate`, have all run.
 */
export async function drained(executor: Executor): Promise<void> {
  do await new Promise<void>((resolve) => setImmediate(resolve));
  while (executor.readyCount > 0);
}
