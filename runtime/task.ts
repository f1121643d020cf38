/**
 * `Task`: a future spawned on an executor, with the flags that decide when it is polled.
 *
 * In:  a `Future<T>`, given to `Executor.spawn`.
 * Out: a `Task<T>` that is its own `Waker` (`wake()` re-queues it), its own join handle
 *      (`task.promise`, a native promise; and `task.poll(cx)`, a future of the same outcome),
 *      and the thing a dump or a slow-poll report names (`id`, `polls`, `stateName`).
 *
 * Lifecycle (flags below; `|` = both set):
 *
 *     spawn ─► SCHEDULED ─dequeue─► RUNNING ─Pending─► IDLE ─wake─► SCHEDULED ─► …
 *                                      │ wake during poll: RUNNING|SCHEDULED ─Pending─► SCHEDULED
 *                                      └ Ready or throw ─► COMPLETED (terminal)
 *
 * Invariants (checked by test/runtime/*):
 *  - A task is in the ready queue at most once, exactly when SCHEDULED is set and RUNNING is not.
 *  - A task is polled only after a wake: only the executor calls `run`, only on a dequeued task,
 *    and only `wake` (or `spawn`) enqueues. A pending task with no wake is never polled again.
 *  - Wakes are idempotent (a second wake before the poll does nothing) and harmless after
 *    completion (nothing happens, nothing throws).
 *  - A future that throws from `poll` completes the task with that error.
 *
 * Flags follow async-task's `state.rs`: one small integer, each bit documented with when it is
 * set, when it is cleared, and what it cannot coexist with.
 */
import { Context } from "./context";
import type { Future } from "./future";
import { PENDING, type Poll } from "./poll";
import type { Waker } from "./waker";

/**
 * No flag set: the task's last poll returned `PENDING` and no wake has come since. Its future
 * holds its waker; it is in no queue. Set when a poll returns `PENDING` with no wake during it.
 */
const IDLE = 0;
/**
 * The task has been woken and awaits its next poll. Set by `wake` (and by `spawn`); cleared when
 * the executor dequeues the task to run it. Without RUNNING: the task is in the ready queue.
 * With RUNNING: it was woken during its own poll and is re-queued if that poll returns
 * `PENDING`. Never coexists with COMPLETED.
 */
const SCHEDULED = 1 << 0;
/**
 * The future's `poll` is on the stack. Set right before the executor polls it, cleared right
 * after. Never coexists with COMPLETED; coexists with SCHEDULED (see above).
 */
const RUNNING = 1 << 1;
/**
 * Terminal: the future returned a value or threw; the outcome is stored and `promise` settled
 * (or settles on first access), and the future is dropped. Excludes every other flag; `wake`
 * sees it and returns.
 */
const COMPLETED = 1 << 2;

/** What the task hands itself to when woken: its executor. */
export interface Scheduler {
  /** Puts a task whose SCHEDULED flag was just set on the ready queue. */
  schedule(task: Task<unknown>): void;
}

const NativePromise = Promise;
let capturedResolve: (value: unknown) => void;
let capturedReject: (reason: unknown) => void;
function captureCapability(resolve: (value: unknown) => void, reject: (reason: unknown) => void) {
  capturedResolve = resolve;
  capturedReject = reject;
}

let nextTaskId = 1;

export class Task<T> implements Waker, Future<T> {
  /** Unique per process, in spawn order: for dumps, reports and deterministic-order tests. */
  readonly id: number = nextTaskId++;
  /** How many times the executor has polled this task's future. */
  polls = 0;
  /** IDLE, SCHEDULED, RUNNING, COMPLETED (see their docs above). */
  private flags: number = SCHEDULED;
  /** The future, until it completes. */
  private future: Future<T> | undefined;
  private readonly scheduler: Scheduler;
  /** The context passed to every poll: built once, its waker is this task. */
  private readonly cx: Context;
  /** After completion: true if the future threw. */
  private failed = false;
  /** After completion: the value, or the error. */
  private outcome: unknown = undefined;
  /** The join promise, created on first access to `promise` (or on an unobserved failure). */
  private joinPromise: Promise<T> | undefined = undefined;
  private resolveJoin: ((value: unknown) => void) | undefined = undefined;
  private rejectJoin: ((reason: unknown) => void) | undefined = undefined;
  /** Wakers of futures (other tasks) polling this task as a join handle. */
  private joiners: Waker[] | undefined = undefined;

  /** Use `Executor.spawn`; the new task is SCHEDULED and the caller must enqueue it. */
  constructor(future: Future<T>, scheduler: Scheduler) {
    this.future = future;
    this.scheduler = scheduler;
    this.cx = new Context(this);
  }

  /**
   * The waker: puts the task back on the ready queue. Does nothing if it is already scheduled
   * or completed; during the task's own poll it only marks the task to be re-polled.
   */
  wake(): void {
    const flags = this.flags;
    if ((flags & (SCHEDULED | COMPLETED)) !== 0) return;
    if ((flags & RUNNING) !== 0) {
      this.flags = RUNNING | SCHEDULED;
      return;
    }
    this.flags = SCHEDULED;
    this.scheduler.schedule(this as Task<unknown>);
  }

  /**
   * Polls the future once. Called by the executor only, on a task it just dequeued (SCHEDULED,
   * not RUNNING). Never throws: the future's error completes the task.
   */
  run(): void {
    this.flags = RUNNING;
    this.polls++;
    let poll: Poll<T>;
    try {
      poll = this.future!.poll(this.cx);
    } catch (error) {
      this.complete(true, error);
      return;
    }
    if (poll !== PENDING) {
      this.complete(false, poll);
    } else if (this.flags === (RUNNING | SCHEDULED)) {
      this.flags = SCHEDULED;
      this.scheduler.schedule(this as Task<unknown>);
    } else {
      this.flags = IDLE;
    }
  }

  /** True once the future has returned a value or thrown. */
  get isCompleted(): boolean {
    return this.flags === COMPLETED;
  }

  /** `"idle"`, `"scheduled"`, `"running"`, `"running+scheduled"` or `"completed"`. */
  get stateName(): string {
    switch (this.flags) {
      case IDLE:
        return "idle";
      case SCHEDULED:
        return "scheduled";
      case RUNNING:
        return "running";
      case RUNNING | SCHEDULED:
        return "running+scheduled";
      default:
        return "completed";
    }
  }

  /** The future being driven (undefined after completion): for dumps. */
  get current(): Future<T> | undefined {
    return this.future;
  }

  /**
   * A native promise settled with the task's value or error (the join handle). Created lazily:
   * tasks nobody joins cost no promise — except a failed one, whose rejection is then reported
   * as an unhandled rejection, as a floating native async function's would be.
   */
  get promise(): Promise<T> {
    if (this.joinPromise === undefined) {
      if (this.flags === COMPLETED) {
        this.joinPromise = (this.failed ? NativePromise.reject(this.outcome) : NativePromise.resolve(this.outcome)) as Promise<T>;
      } else {
        this.joinPromise = new NativePromise<unknown>(captureCapability) as Promise<T>;
        this.resolveJoin = capturedResolve;
        this.rejectJoin = capturedReject;
      }
    }
    return this.joinPromise;
  }

  /** The task as a future (a join handle another task can poll): its value, or its error thrown. */
  poll(cx: Context): Poll<T> {
    if (this.flags === COMPLETED) {
      if (this.failed) throw this.outcome;
      return this.outcome as T;
    }
    const joiners = (this.joiners ??= []);
    if (!joiners.includes(cx.waker)) joiners.push(cx.waker);
    return PENDING;
  }

  /**
   * The join handle is dropped by the poller that polled it with `cx` (a `select` it lost): its
   * waker is forgotten, so a long-lived task raced again and again keeps no joiner per race.
   * The task itself keeps running (dropping a join handle detaches, as in Rust).
   */
  drop(cx: Context): void {
    const joiners = this.joiners;
    if (joiners === undefined) return;
    const i = joiners.indexOf(cx.waker);
    if (i !== -1) joiners.splice(i, 1);
  }

  private complete(failed: boolean, outcome: unknown): void {
    this.flags = COMPLETED;
    this.future = undefined;
    this.failed = failed;
    this.outcome = outcome;
    const joiners = this.joiners;
    this.joiners = undefined;
    if (this.resolveJoin !== undefined) {
      if (failed) this.rejectJoin!(outcome);
      else this.resolveJoin(outcome);
      this.resolveJoin = this.rejectJoin = undefined;
    } else if (failed && joiners === undefined) {
      // Nobody can observe this error yet: surface it as native code would surface it.
      this.joinPromise = NativePromise.reject(outcome);
    }
    if (joiners !== undefined) wakeAll(joiners);
  }
}

/**
 * Wakes every joiner even if one's (foreign) waker throws, then rethrows the first error: one
 * broken joiner must not leave the others waiting forever. The executor's drain surfaces it.
 */
function wakeAll(wakers: Waker[]): void {
  let failure: { error: unknown } | undefined;
  for (let i = 0; i < wakers.length; i++) {
    try {
      wakers[i].wake();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}
