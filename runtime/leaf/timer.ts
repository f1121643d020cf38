/**
 * `sleep(ms)`: a leaf future that is Ready (with `undefined`) once `ms` milliseconds have passed
 * since its first poll.
 *
 * The timer is the host's `setTimeout` (libuv's timer heap is the reactor). It is started by the
 * first poll, not at construction (futures are lazy), and it fires once: the callback marks the
 * future done and wakes the waker stored by the latest pending poll (mini-tokio `Delay`).
 *
 * Dropping an unfinished sleep leaves its timer to fire into a done flag nobody reads; that is
 * harmless (wakes after completion are no-ops) and costs one timer, so there is no cancel.
 *
 * Example: `await run(select([work, sleep(100)]))` — a timeout.
 */
import type { Context } from "../context";
import type { Future } from "../future";
import { PENDING, type Poll } from "../poll";
import type { Waker } from "../waker";

export class SleepFuture implements Future<void> {
  readonly ms: number;
  private started = false;
  private done = false;
  /** The waker of the latest pending poll. */
  private waker: Waker | undefined = undefined;

  constructor(ms: number) {
    this.ms = ms;
  }

  poll(cx: Context): Poll<void> {
    if (this.done) return undefined;
    this.waker = cx.waker;
    if (!this.started) {
      this.started = true;
      setTimeout(this.fire, this.ms);
    }
    return PENDING;
  }

  private readonly fire = (): void => {
    this.done = true;
    const waker = this.waker;
    this.waker = undefined;
    waker?.wake();
  };
}

/** A future that is Ready `ms` milliseconds after its first poll. */
export function sleep(ms: number): SleepFuture {
  return new SleepFuture(ms);
}
