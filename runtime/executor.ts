/**
 * `Executor`: owns the ready queue and polls woken tasks; the host event loop is the reactor.
 *
 * In:  futures (`spawn`), and wakes from their wakers (`Task.wake` → `schedule`).
 * Out: each task polled once per wake cycle, in the policy's order, until it completes.
 *
 * How it sleeps — no poll without a wake: the executor has no loop of its own that runs while
 * nothing is ready. When a task is scheduled and no drain is pending, it queues one drain on the
 * host microtask queue (a `then` on a pre-resolved native promise, through the `then` captured
 * at load, so user patches of `Promise.prototype.then` are not involved). A drain polls ready
 * tasks until the queue is empty and returns; pending tasks sit in their futures' waker slots
 * until an event (a promise settling, a timer, an I/O callback) wakes them.
 *
 * Cooperative budget: a task that keeps waking itself would keep a drain (and so the microtask
 * queue) busy forever, starving timers and I/O. After `budget` polls in one drain, the executor
 * yields: the rest of the queue is polled from a `setImmediate`, after the host has run its
 * pending I/O and immediates. While a drain is pending (microtask or immediate), further wakes
 * only enqueue.
 *
 * Slow polls: with `onSlowPoll`, each poll is timed and a poll that took `slowPollMs` or more is
 * reported — one poll that blocks is what starves every other task (the seed's warning about
 * cooperative scheduling). Without the hook nothing is timed.
 *
 * Invariant: `drainPending` is true from the moment a drain is queued until a drain finds the
 * queue empty; so exactly one drain is queued or running at a time, and no ready task is left
 * without one.
 *
 * Example:
 *     const ex = new Executor({ policy: "random", seed: 7 });
 *     const value = await ex.run(someFuture);
 */
import type { FutureLike } from "./future";
import { intoFuture } from "./into-future";
import { createReadyQueue, type SchedulingPolicy } from "./policy";
import { PromisePrototypeThen, PromiseResolve } from "./primordials";
import type { ReadyQueue } from "./ready-queue";
import { DEFAULT_TASK_BUDGET } from "./poll/budget";
import { Task, type Scheduler } from "./task";

const RESOLVED = PromiseResolve(undefined);

export interface ExecutorOptions {
  /**
   * Polls per drain before yielding to the host with `setImmediate`: a positive integer (a
   * `TypeError` for a non-number, a `RangeError` for anything else, Infinity included — a
   * drain that never yields starves timers and I/O). Default 1024.
   */
  budget?: number;
  /** `"fifo"` (default), `"random"` (seeded by `seed`), or a ready-queue factory. */
  policy?: SchedulingPolicy<Task<unknown>>;
  /** Seed of the `"random"` policy. Default 0. */
  seed?: number;
  /** Called after a poll that took at least `slowPollMs` milliseconds. */
  onSlowPoll?: (task: Task<unknown>, ms: number) => void;
  /** Threshold for `onSlowPoll`, in milliseconds. Default 10. */
  slowPollMs?: number;
  /**
   * Ready continuations a poll-mode machine may make in one task poll before it is made to
   * yield (runtime/poll/budget.ts): a positive integer. Default 4096.
   */
  taskBudget?: number;
}

/** Options of `spawn`. */
export interface SpawnOptions {
  /** Aborting it cancels the task (`task.cancel()`). */
  signal?: AbortSignal;
}

/** Counters, for tests and tuning. */
export interface ExecutorStats {
  /** Futures polled. */
  polls: number;
  /** Drains run (microtask or immediate). */
  drains: number;
  /** Times the budget ran out and the executor yielded to the host. */
  yields: number;
}

export const DEFAULT_BUDGET = 1024;
export const DEFAULT_SLOW_POLL_MS = 10;

export class Executor implements Scheduler {
  readonly budget: number;
  readonly taskBudget: number;
  readonly stats: ExecutorStats = { polls: 0, drains: 0, yields: 0 };
  private readonly queue: ReadyQueue<Task<unknown>>;
  private readonly onSlowPoll: ((task: Task<unknown>, ms: number) => void) | undefined;
  private readonly slowPollMs: number;
  /** A drain is queued or running (see the invariant above). */
  private drainPending = false;

  constructor(options: ExecutorOptions = {}) {
    this.budget = positiveInteger("budget", options.budget ?? DEFAULT_BUDGET);
    this.taskBudget = positiveInteger("taskBudget", options.taskBudget ?? DEFAULT_TASK_BUDGET);
    this.queue = createReadyQueue(options.policy, options.seed);
    this.onSlowPoll = options.onSlowPoll;
    this.slowPollMs = options.slowPollMs ?? DEFAULT_SLOW_POLL_MS;
  }

  /**
   * Starts driving `future`; its first poll happens in a later microtask, not during `spawn`.
   * With `{ signal }`, aborting the signal cancels the task.
   */
  spawn<T>(future: FutureLike<T>, options?: SpawnOptions): Task<T> {
    const task = new Task(intoFuture(future, "spawn"), this);
    if (onSpawn !== undefined) onSpawn(task as Task<unknown>, polling);
    this.schedule(task as Task<unknown>);
    const signal = options?.signal;
    if (signal !== undefined) task.listenTo(signal);
    return task;
  }

  /** Spawns `future` and returns a promise of its outcome (JS cannot block: the caller awaits what Rust's `block_on` would return). */
  run<T>(future: FutureLike<T>): Promise<T> {
    return this.spawn(intoFuture(future, "run")).promise;
  }

  /** Tasks waiting to be polled. */
  get readyCount(): number {
    return this.queue.size;
  }

  /** Called by `Task.wake` (and `spawn`) with a task whose SCHEDULED flag was just set. */
  schedule(task: Task<unknown>): void {
    this.queue.enqueue(task);
    if (!this.drainPending) {
      this.drainPending = true;
      // Poll mode takes the drain when the wake comes from the job settling a promise wait (that
      // job runs it: one tick per wait); otherwise it runs in a promise job of its own.
      if (drainTaker === undefined || !drainTaker(this.drain)) PromisePrototypeThen(RESOLVED, this.drain);
    }
  }

  /** Polls ready tasks until the queue is empty or the budget is spent. */
  private readonly drain = (): void => {
    const queue = this.queue;
    const budget = this.budget;
    const timed = this.onSlowPoll !== undefined;
    this.stats.drains++;
    let polls = 0;
    const outer = current;
    current = this;
    try {
      while (queue.size !== 0) {
        if (polls >= budget) {
          this.stats.yields++;
          setImmediate(this.drain);
          return;
        }
        const task = queue.dequeue()!;
        polls++;
        polling = task; // (one store per poll: cheaper than a test, and task tracking reads it)
        if (timed) this.runTimed(task);
        else task.run();
      }
      this.drainPending = false;
    } catch (error) {
      // `Task.run` catches its future's errors; only a throwing foreign waker (a joiner) or a
      // custom queue gets here. Keep the invariant — the rest is drained later — then surface it.
      setImmediate(this.drain);
      throw error;
    } finally {
      this.stats.polls += polls;
      current = outer;
      polling = undefined;
    }
  };

  private runTimed(task: Task<unknown>): void {
    const started = performance.now();
    task.run();
    const ms = performance.now() - started;
    if (ms >= this.slowPollMs) {
      try {
        this.onSlowPoll!(task, ms);
      } catch (error) {
        // A broken hook must not stop the drain; report it as an uncaught error.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

/** `value` of the executor option `name`, or a TypeError (not a number) or RangeError (not a positive integer). */
function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== "number")
    throw new TypeError(`[async-machine] executor option '${name}' must be a positive integer, got ${typeof value} ${JSON.stringify(value) ?? String(value)}`);
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`[async-machine] executor option '${name}' must be a positive integer, got ${value}`);
  return value;
}

/** Installed by poll mode (poll-machine.ts) when it loads; a program without it pays nothing. */
let drainTaker: ((drain: () => void) => boolean) | undefined;
export function setDrainTaker(taker: (drain: () => void) => boolean): void {
  drainTaker = taker;
}

/**
 * runtime/inspect's task tracking (inspect/hooks.ts): told of each spawned task and of the task
 * whose poll spawned it (undefined outside a task poll). One comparison per spawn when off.
 */
let onSpawn: ((task: Task<unknown>, parent: Task<unknown> | undefined) => void) | undefined;
/** While a drain runs: the task it polls (drains do not nest: they run from jobs, never inside a poll). */
let polling: Task<unknown> | undefined;

/** Installs (or, with undefined, removes) the spawn hook; runtime/inspect only. */
export function setSpawnHook(hook: ((task: Task<unknown>, parent: Task<unknown> | undefined) => void) | undefined): void {
  onSpawn = hook;
}

let defaultExecutor: Executor | undefined;
/** The executor whose drain is on the stack, if any. */
let current: Executor | undefined;

/** The process-wide executor behind `spawn` and `run` (FIFO, default budget). */
export function getDefaultExecutor(): Executor {
  return (defaultExecutor ??= new Executor());
}

/**
 * The ambient executor: the one running the current poll, else the default one. `spawn`, a
 * scope's `s.spawn` and a poll-mode machine's first `then` spawn there (Tokio's
 * `Handle::current`), so the tasks a test starts on a seeded executor stay on it.
 */
export function currentExecutor(): Executor {
  return current ?? getDefaultExecutor();
}

/** Spawns `future` on the ambient executor (`currentExecutor()`); `{ signal }` cancels it on abort. */
export function spawn<T>(future: FutureLike<T>, options?: SpawnOptions): Task<T> {
  return currentExecutor().spawn(future, options);
}

/**
 * Drives `future` to completion on `executor` (default: the global one) and returns a promise of
 * its value. The JS form of `block_on`: the caller awaits instead of blocking a thread.
 */
export function run<T>(future: FutureLike<T>, executor: Executor = getDefaultExecutor()): Promise<T> {
  return executor.spawn(intoFuture(future, "run")).promise;
}
