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
 *
 * Cancellation (`cancel()`, runtime/poll/cancel.ts for the model): a future with a `cancel()`
 * method (a poll-mode machine, a combinator, a scope) is told to stop and the task is woken; its
 * next polls run its cleanup (`finally` blocks, awaits in them included) until it settles. Any
 * other future is dropped (`drop(cx)`: timers cleared, promise adapters detached) and the task
 * completes at once. A cancelled task's `promise` (and `then`) rejects with `Cancelled`, which is
 * never reported as an unhandled rejection; an error thrown by the cleanup is the task's error
 * instead. Cancelling a completed task, or one already cancelling, does nothing.
 */
import type { Context } from "./context";
import { dropFuture, type Future } from "./future";
import { PENDING, type Poll } from "./poll";
import { beginPoll, DEFAULT_TASK_BUDGET, endPoll } from "./poll/budget";
import { Cancelled, isCancellation } from "./poll/cancel";
import { appendItem, NativePromise, PromiseReject, PromiseResolve } from "./primordials";
import { PromiseLikeOf } from "./promise-like";
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
  /** Ready continuations a poll-mode machine may make per task poll (runtime/poll/budget.ts). */
  readonly taskBudget?: number;
}

/** Told when a task completes: the scope that owns it (combinators/scope.ts). */
export interface TaskOwner {
  childCompleted(task: Task<unknown>): void;
}

let capturedResolve: (value: unknown) => void;
let capturedReject: (reason: unknown) => void;
function captureCapability(resolve: (value: unknown) => void, reject: (reason: unknown) => void) {
  capturedResolve = resolve;
  capturedReject = reject;
}

/** The resolving functions of a task's join promise. */
interface JoinSettlers {
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

let nextTaskId = 1;

/** A `Task` is awaitable: `await task` waits for its outcome (`task.promise`; `then` from promise-like.ts). */
export class Task<T> extends PromiseLikeOf<T> implements Waker, Future<T> {
  /** Unique per process, in spawn order: for dumps, reports and deterministic-order tests. */
  readonly id: number = nextTaskId++;
  /** How many times the executor has polled this task's future. */
  polls = 0;
  /** IDLE, SCHEDULED, RUNNING, COMPLETED (see their docs above). */
  private flags: number = SCHEDULED;
  /** The future, until it completes. */
  private future: Future<T> | undefined;
  private readonly scheduler: Scheduler;
  /** The task is the context of its own polls (`cx.waker` is the task): no Context object per task. */
  readonly waker: Waker;
  /** After completion: the future threw (the outcome is an error). */
  private failed = false;
  /** `cancel()` was called before completion. */
  private cancelRequested = false;
  /** Someone takes care of a failure (a scope, a join handle that was dropped): never report it as unhandled. */
  private observed = false;
  /** After completion: the value, or the error. */
  private outcome: unknown;
  /** The join promise, created on first access to `promise` (or on an unobserved failure). */
  private joinPromise: Promise<T> | undefined;
  /** Its resolving functions while the task runs (one record, made with the promise: most tasks are never joined by a promise). */
  private settleJoin: JoinSettlers | undefined;
  /** Wakers of futures (other tasks) polling this task as a join handle. */
  private joiners: Waker[] | undefined;
  /** The scope that owns the task, if any. */
  owner: TaskOwner | undefined;
  /** Removes the abort listener of `spawn(future, { signal })`. */
  private detachSignal: (() => void) | undefined = undefined;

  /** Use `Executor.spawn`; the new task is SCHEDULED and the caller must enqueue it. */
  constructor(future: Future<T>, scheduler: Scheduler) {
    super();
    this.future = future;
    this.scheduler = scheduler;
    this.waker = this;
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
    if (this.flags === COMPLETED) return; // cancelled while queued
    this.flags = RUNNING;
    this.polls++;
    let poll: Poll<T>;
    const wasOpen = beginPoll(this.scheduler.taskBudget ?? DEFAULT_TASK_BUDGET);
    try {
      poll = this.future!.poll(this as Context);
    } catch (error) {
      endPoll(wasOpen);
      this.complete(true, error);
      return;
    }
    endPoll(wasOpen);
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
    // flags is one of IDLE (0), SCHEDULED (1), RUNNING (2), RUNNING | SCHEDULED (3), COMPLETED (4)
    return "idle scheduled running running+scheduled completed".split(" ")[this.flags];
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
        this.joinPromise = (this.failed ? PromiseReject(this.outcome) : PromiseResolve(this.outcome)) as Promise<T>;
      } else {
        this.joinPromise = new NativePromise<unknown>(captureCapability) as Promise<T>;
        this.settleJoin = { resolve: capturedResolve, reject: capturedReject };
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
    // By hand, not includes/push: user code may have replaced them (primordials.ts).
    const joiners = (this.joiners ??= []);
    if (indexOfWaker(joiners, cx.waker) < 0) appendItem(joiners, cx.waker);
    return PENDING;
  }

  /**
   * The join handle is dropped by the poller that polled it with `cx` (a `select` it lost): its
   * waker is forgotten, so a long-lived task raced again and again keeps no joiner per race.
   * The task itself keeps running (dropping a join handle detaches, as in Rust).
   */
  drop(cx: Context): void {
    // As `Promise.race` marks every input handled, a dropped join handle's later failure is not
    // reported as unhandled: the dropper looked at this task and chose to stop looking.
    this.observed = true;
    const joiners = this.joiners;
    if (joiners === undefined) return;
    const i = indexOfWaker(joiners, cx.waker);
    if (i < 0) return;
    for (let k = i + 1; k < joiners.length; k++) joiners[k - 1] = joiners[k];
    joiners.length--;
  }

  /** Marks a failure as taken care of (a scope surfaces its children's errors itself). */
  markObserved(): void {
    this.observed = true;
  }

  /**
   * Cancels the task (see the module comment). Returns true if this call started the
   * cancellation; false (and does nothing) if the task has completed or is already cancelling.
   */
  cancel(): boolean {
    if (this.flags === COMPLETED || this.cancelRequested) return false;
    this.cancelRequested = true;
    const future = this.future as (Future<T> & { cancel?: unknown }) | undefined;
    if (future !== undefined && typeof future.cancel === "function") {
      (future as { cancel(): void }).cancel();
      this.wake();
    } else if ((this.flags & RUNNING) === 0) {
      dropFuture(future, this as Context);
      this.complete(false, undefined);
    } else {
      this.wake(); // cancelled from inside its own poll: finished on the next run
    }
    return true;
  }

  /** True once the task completed because it was cancelled. */
  get isCancelled(): boolean {
    return this.flags === COMPLETED && this.failed && this.outcome instanceof Cancelled;
  }

  /** True after `cancel()` (while it runs its cleanup, and after). */
  get isCancelling(): boolean {
    return this.cancelRequested;
  }

  /** Cancels the task when `signal` aborts (`spawn(future, { signal })`). */
  listenTo(signal: AbortSignal): void {
    if (signal.aborted) {
      this.cancel();
      return;
    }
    const onAbort = (): void => {
      this.cancel();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    this.detachSignal = () => signal.removeEventListener("abort", onAbort);
  }

  private complete(failed: boolean, outcome: unknown): void {
    if (this.flags === COMPLETED) return;
    // A cancelled task ends as `Cancelled` when its future finished with a value (a `finally`
    // returned; also how `cancel()` completes a future it could only drop) or failed with
    // another cancellation.
    if (this.cancelRequested && (!failed || (isCancellation(outcome) && !(outcome instanceof Cancelled)))) {
      failed = true;
      outcome = new Cancelled(`[async-machine] task ${this.id} was cancelled`);
    }
    this.flags = COMPLETED;
    this.future = undefined;
    this.failed = failed;
    this.outcome = outcome;
    if (this.detachSignal !== undefined) {
      this.detachSignal();
      this.detachSignal = undefined;
    }
    const joiners = this.joiners;
    this.joiners = undefined;
    const settleJoin = this.settleJoin;
    if (settleJoin !== undefined) {
      this.settleJoin = undefined;
      if (failed) settleJoin.reject(outcome);
      else settleJoin.resolve(outcome);
    } else if (failed && joiners === undefined && !this.observed && this.owner === undefined && !(outcome instanceof Cancelled)) {
      // Nobody can observe this error yet: surface it as native code would surface it.
      this.joinPromise = PromiseReject(outcome) as Promise<T>;
    }
    const owner = this.owner;
    if (owner !== undefined) owner.childCompleted(this as Task<unknown>);
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

function indexOfWaker(wakers: readonly Waker[], waker: Waker): number {
  for (let i = 0; i < wakers.length; i++) if (wakers[i] === waker) return i;
  return -1;
}
