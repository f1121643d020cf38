/**
 * `sleep(ms)`: a leaf future that is Ready (with `undefined`) once `ms` milliseconds have passed
 * since its first poll.
 *
 * The timer is the host's `setTimeout` (libuv's timer heap is the reactor). It is started by the
 * first poll, not at construction (futures are lazy), and it fires once: the callback marks the
 * future done and wakes the waker stored by the latest pending poll (mini-tokio `Delay`).
 *
 * Dropping an unfinished sleep (`drop()`, which `select` calls on its losers and `join` on its
 * other children when one fails) clears its timer, so a timeout that lost does not keep the
 * process alive for its full duration. A sleep forgotten without `drop` fires into a done flag
 * nobody reads (harmless: wakes after completion are no-ops).
 *
 * `ms` must be a finite number ≥ 0 (a `TypeError` for a non-number, a `RangeError` otherwise,
 * at `sleep(ms)`). Host timers take at most 2^31−1 ms (Node fires a longer one after 1 ms, with
 * a TimeoutOverflowWarning), so a longer sleep runs as a chain of timers of at most that length.
 *
 * Example: `await run(select([work, sleep(100)]))` — a timeout.
 */
import type { Context } from "../context";
import type { Future } from "../future";
import { PENDING, type Poll } from "../poll";
import type { Waker } from "../waker";

/** The longest delay a host timer honours (a signed 32-bit count of milliseconds). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export class SleepFuture implements Future<void> {
  readonly ms: number;
  private started = false;
  private done = false;
  /** Milliseconds still to wait after the running timer fires (a chain for long sleeps). */
  private remaining = 0;
  /** The waker of the latest pending poll. */
  private waker: Waker | undefined;
  /** The running timer, until it fires or the future is dropped. */
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(ms: number) {
    if (typeof ms !== "number") throw new TypeError(`[async-machine] sleep(ms): ms must be a number of milliseconds, got ${typeof ms} ${JSON.stringify(ms) ?? String(ms)}`);
    if (!(ms >= 0) || ms === Infinity) throw new RangeError(`[async-machine] sleep(ms): ms must be a finite number >= 0, got ${ms}`);
    this.ms = ms;
  }

  poll(cx: Context): Poll<void> {
    if (this.done) return undefined;
    this.waker = cx.waker;
    if (!this.started) {
      this.started = true;
      this.remaining = this.ms;
      this.arm();
    }
    return PENDING;
  }

  /** Starts the next timer of the chain: at most MAX_TIMER_MS of what remains. */
  private arm(): void {
    const delay = Math.min(this.remaining, MAX_TIMER_MS);
    this.remaining -= delay;
    this.timer = setTimeout(this.fire, delay);
  }

  /** Clears the timer: the sleep will not be polled again (see the module comment). */
  drop(_cx?: Context): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.remaining = 0;
    this.waker = undefined;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    if (this.remaining > 0) {
      this.arm();
      return;
    }
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
