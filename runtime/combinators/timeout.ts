/**
 * `timeout(future, ms)`: the future's value if it is Ready within `ms` milliseconds of the first
 * poll; otherwise the future is cancelled (its `finally` blocks run, see cleanup.ts) and, once
 * it has settled, `TimeoutError` is thrown. The timer is cleared as soon as the future settles,
 * so a finished timeout keeps nothing alive. Cancelling the timeout cancels the future.
 *
 * Example: `await run(timeout(fetchAll(urls), 5_000))` (a poll-mode `fetchAll` really stops).
 */
import type { Context } from "../context";
import type { Future, FutureLike } from "../future";
import { intoFuture } from "../into-future";
import { SleepFuture } from "../leaf/timer";
import { PENDING, type Poll } from "../poll";
import { Cancelled } from "../poll/cancel";
import { Cleanup } from "./cleanup";
import { SpawnOnThen } from "./spawn-on-then";

/** What `timeout` throws when the time is up. */
export class TimeoutError extends Error {
  /** The limit, in milliseconds. */
  readonly ms: number;
  constructor(ms: number) {
    super(`[async-machine] timed out after ${ms} ms`);
    this.ms = ms;
  }
}
Object.defineProperty(TimeoutError.prototype, "name", { value: "TimeoutError", writable: true, configurable: true });

export class TimeoutFuture<T> extends SpawnOnThen<T> implements Future<T> {
  private readonly inner: Future<T>;
  private readonly timer: SleepFuture;
  private readonly ms: number;
  /** The inner future being cancelled (time is up, or the timeout was cancelled). */
  private cleanup: Cleanup | undefined;
  private cancelled = false;
  /** The context the inner future is polled with (for its cancellation). */
  private cx: Context | undefined;

  constructor(future: FutureLike<T>, ms: number) {
    super();
    this.inner = intoFuture(future, "timeout");
    this.timer = new SleepFuture(ms);
    this.ms = ms;
  }

  poll(cx: Context): Poll<T> {
    if (this.cleanup !== undefined) return this.finishCleanup();
    this.cx = cx;
    let poll: Poll<T>;
    try {
      poll = this.inner.poll(cx);
    } catch (error) {
      this.timer.drop();
      throw error;
    }
    if (poll !== PENDING) {
      this.timer.drop();
      return poll;
    }
    if (this.timer.poll(cx) === PENDING) return PENDING;
    this.stop();
    return this.finishCleanup();
  }

  /** Cancels the timeout: the future is cancelled; the next polls wait for it, then throw `Cancelled`. */
  cancel(): void {
    if (this.cleanup !== undefined) return;
    this.cancelled = true;
    this.stop();
    this.cx?.waker.wake();
  }

  private stop(): void {
    this.timer.drop();
    this.cleanup = new Cleanup();
    if (this.cx !== undefined) this.cleanup.add(this.inner, this.cx);
  }

  private finishCleanup(): Poll<T> {
    const cleanup = this.cleanup!;
    if (!cleanup.poll()) return PENDING;
    if (cleanup.error !== undefined) throw cleanup.error.error;
    if (this.cancelled) throw new Cancelled("[async-machine] timeout was cancelled");
    throw new TimeoutError(this.ms);
  }

  drop(cx?: Context): void {
    this.timer.drop();
    if (this.cleanup !== undefined) this.cleanup.drop();
    else if (cx !== undefined && typeof this.inner.drop === "function") this.inner.drop(cx);
  }
}

/** `future`, or `TimeoutError` after `ms` milliseconds (the future cancelled first). */
export function timeout<T>(future: FutureLike<T>, ms: number): TimeoutFuture<T> {
  return new TimeoutFuture(future, ms);
}
