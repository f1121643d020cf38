/**
 * `scope(body)`: structured concurrency — tasks that cannot outlive the code that started them
 * (Trio's nursery, Kotlin's `coroutineScope`, Effection's scopes).
 *
 *     const total = await scope(async (s) => {
 *       const a = s.spawn(countLines(fileA));   // children: tasks on the ambient executor
 *       const b = s.spawn(countLines(fileB));
 *       return (await a) + (await b);
 *     });
 *
 * In:  `body(s)`, returning a future (a poll-mode call), a promise (a native async function) or
 *      a value; `s.spawn(future)` starts a child task (a `Task`, awaitable).
 * Out: a future (and a `PromiseLike`) of the body's value, Ready once the body has finished
 *      AND every child has completed: leaving a scope waits for its children.
 *
 * Failure: the first error — the body's or any child's — cancels the body and every other
 * child; the scope waits until all of them have settled (their `finally` blocks have run) and
 * then throws that error. Children that end `Cancelled` because the scope cancelled them are
 * not failures. A child's error is delivered through the scope, never as an unhandled
 * rejection. Cancelling the scope (`cancel()`, or cancelling the task that awaits it) cancels
 * the body and the children the same way and throws `Cancelled`.
 *
 * A body that is a native async function cannot be stopped: cancelling the scope detaches
 * from its promise (it runs on, unobserved). A poll-mode body is cancelled like any machine.
 * `s.spawn` after the scope has completed throws.
 */
import { Context } from "../context";
import { currentExecutor } from "../executor";
import type { Future, FutureLike } from "../future";
import { fromPromise } from "../leaf/promise-future";
import { ready } from "../leaf/ready";
import { PENDING, type Poll } from "../poll";
import { Cancelled, isCancellation } from "../poll/cancel";
import type { Task, TaskOwner } from "../task";
import { noopWaker, type Waker } from "../waker";
import { Cleanup } from "./cleanup";
import { SpawnOnThen } from "./spawn-on-then";

const PROBE = new Context(noopWaker);

/** What the body receives. */
export interface Scope {
  /** Starts `future` (a future, a poll-mode call, or a promise, which is only detached when cancelled) as a child task of this scope. */
  spawn<T>(future: FutureLike<T>): Task<T>;
}

/** A value, promise or future, as a future. */
function toFuture<T>(value: unknown): Future<T> {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    if (typeof (value as { poll?: unknown }).poll === "function") return value as Future<T>;
    if (typeof (value as { then?: unknown }).then === "function") return fromPromise(value as PromiseLike<T>) as Future<T>;
  }
  return ready(value as T);
}

export class ScopeFuture<T> extends SpawnOnThen<T> implements Future<T>, Scope, TaskOwner {
  private body: ((s: Scope) => unknown) | undefined;
  private bodyFuture: Future<T> | undefined;
  private bodyDone = false;
  private value: T | undefined;
  private readonly children = new Set<Task<unknown>>();
  private failure: { error: unknown } | undefined;
  private cancelled = false;
  /** Set once the scope stops: the body and the children are being cancelled. */
  private cleanup: Cleanup | undefined;
  private closed = false;
  private waker: Waker | undefined;
  private cx: Context | undefined;

  constructor(body: (s: Scope) => unknown) {
    super();
    if (typeof body !== "function") throw new TypeError(`[async-machine] scope(body): body must be a function, got ${body === null ? "null" : typeof body}`);
    this.body = body;
  }

  spawn<C>(future: FutureLike<C>): Task<C> {
    if (this.closed) throw new Error("[async-machine] scope.spawn: the scope has completed; a child cannot outlive it.");
    const task = currentExecutor().spawn(future);
    task.owner = this;
    this.children.add(task as Task<unknown>);
    if (this.cleanup !== undefined) task.cancel(); // spawned while stopping
    return task;
  }

  poll(cx: Context): Poll<T> {
    this.waker = cx.waker;
    this.cx = cx;
    if (this.body !== undefined) {
      const body = this.body;
      this.body = undefined;
      try {
        this.bodyFuture = toFuture<T>(body(this));
      } catch (error) {
        this.bodyDone = true;
        this.fail(error);
      }
    }
    if (this.cleanup === undefined && !this.bodyDone) {
      let poll: Poll<T> = PENDING;
      try {
        poll = this.bodyFuture!.poll(cx);
      } catch (error) {
        this.bodyDone = true;
        this.fail(error);
      }
      if (poll !== PENDING) {
        this.bodyDone = true;
        this.value = poll;
      }
    }
    if (this.cleanup !== undefined && !this.cleanup.poll()) return PENDING;
    if (!this.bodyDone && this.cleanup === undefined) return PENDING;
    if (this.children.size !== 0) return PENDING;
    this.closed = true;
    if (this.failure !== undefined) throw this.failure.error;
    if (this.cleanup?.error !== undefined) throw this.cleanup.error.error;
    if (this.cancelled) throw new Cancelled("[async-machine] scope was cancelled");
    return this.value as T;
  }

  /** For dumps: `running` (the body runs), `waiting` (for its children), `cancelling` (stopping the body and children), `closed`. */
  get stateName(): string {
    if (this.closed) return "closed";
    if (this.cleanup !== undefined) return "cancelling";
    return this.bodyDone ? "waiting" : "running";
  }

  /** True while the scope stops its body and children (a failure, or `cancel()`). */
  get isCancelling(): boolean {
    return this.cleanup !== undefined && !this.closed;
  }

  /** For dumps: the body's future while it runs. */
  get current(): Future<T> | undefined {
    return this.bodyDone ? undefined : this.bodyFuture;
  }

  /** For dumps: the child tasks that have not completed, in spawn order. */
  get runningChildren(): Task<unknown>[] {
    return [...this.children];
  }

  /** The first failure stops the scope. */
  private fail(error: unknown): void {
    if (this.failure === undefined) this.failure = { error };
    this.stop();
  }

  /** Cancels the body (unless done) and every child. */
  private stop(): void {
    if (this.cleanup !== undefined) return;
    const cleanup = (this.cleanup = new Cleanup());
    if (!this.bodyDone && this.bodyFuture !== undefined && this.cx !== undefined) {
      this.bodyDone = true;
      cleanup.add(this.bodyFuture, this.cx);
    }
    for (const child of this.children) child.cancel();
  }

  /** A child task completed (task.ts calls this). */
  childCompleted(task: Task<unknown>): void {
    this.children.delete(task);
    try {
      task.poll(PROBE);
    } catch (error) {
      if (!(isCancellation(error) && (this.cleanup !== undefined || task.isCancelling))) this.fail(error);
    }
    this.waker?.wake();
  }

  /** Cancels the scope: the body and the children are cancelled; then `Cancelled` is thrown. */
  cancel(): void {
    if (this.closed || this.cleanup !== undefined) return;
    this.cancelled = true;
    if (this.body !== undefined) {
      this.body = undefined; // cancelled before its first poll: the body never runs
      this.bodyDone = true;
    }
    this.stop();
    this.waker?.wake();
  }

  drop(cx?: Context): void {
    void cx;
    this.cancel();
    this.cleanup?.drop();
  }
}

/** Runs `body` with a scope whose children cannot outlive it (see the module comment). */
export function scope<T>(body: (s: Scope) => Future<T> | PromiseLike<T> | T): ScopeFuture<T> {
  return new ScopeFuture<T>(body);
}
