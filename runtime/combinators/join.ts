/**
 * `join(futures)`: a future of all the values, in input order (Promise.all for futures).
 *
 * In:  an array (or tuple) of futures.
 * Out: Ready with an array of their values once every one is Ready; throws the first error a
 *      child throws (fail fast). The children not yet Ready are then cancelled, and the join
 *      completes only when they have settled (cleanup.ts: their `finally` blocks run first; a
 *      sleep's timer is cleared): a failing join leaves nothing running. Cancelling the join
 *      (`cancel()`) cancels every child the same way and then throws `Cancelled`.
 *
 * Waker-correct: the first poll polls every child; after that only the children whose own
 * waker fired are polled again (wake-set.ts), so a join of n futures costs O(n) polls in total,
 * not O(n) per wake. A child that is done is never polled again.
 *
 * Example: `const [a, b] = await run(join([fromPromise(pa), sleep(10)]));`
 */
import type { Context } from "../context";
import { dropFuture, type Future, type FutureLike, type Output } from "../future";
import { intoFutures } from "../into-future";
import { PENDING, type Poll } from "../poll";
import { Cancelled } from "../poll/cancel";
import { newArray } from "../primordials";
import { Cleanup } from "./cleanup";
import { SpawnOnThen } from "./spawn-on-then";
import { WakeSet } from "./wake-set";

export type JoinOutput<F extends readonly FutureLike<unknown>[]> = { -readonly [K in keyof F]: Output<F[K]> };

export class JoinFuture<T extends unknown[]> extends SpawnOnThen<T> implements Future<T> {
  /** Children not yet Ready; a Ready child's slot is cleared so its future can be collected. */
  private readonly children: (Future<unknown> | undefined)[];
  private readonly results: unknown[];
  private remaining: number;
  private readonly wakes: WakeSet;
  /** Set when a child threw: the join is over (once the others have been cancelled). */
  private failure: { error: unknown } | undefined;
  /** Set once the join gives up on its remaining children (a failure, or `cancel()`). */
  private cleanup: Cleanup | undefined;
  private cancelled = false;

  constructor(futures: readonly FutureLike<unknown>[]) {
    super();
    this.children = intoFutures(futures, "join");
    this.results = newArray(futures.length);
    this.remaining = futures.length;
    this.wakes = new WakeSet(futures.length);
  }

  poll(cx: Context): Poll<T> {
    if (this.cleanup !== undefined) return this.finishCleanup(cx);
    if (this.remaining === 0) return this.results as T;
    const wakes = this.wakes;
    wakes.parent = cx.waker;
    const woken = wakes.takeWoken();
    for (let k = 0; k < woken.length; k++) {
      const i = woken[k];
      const child = this.children[i];
      if (child === undefined) continue; // already Ready: a late wake
      let poll: Poll<unknown>;
      try {
        poll = child.poll(wakes.contexts[i]);
      } catch (error) {
        this.failure = { error };
        this.children[i] = undefined;
        this.cancelRest();
        return this.finishCleanup(cx);
      }
      if (poll !== PENDING) {
        this.results[i] = poll;
        this.children[i] = undefined;
        this.remaining--;
      }
    }
    if (this.remaining !== 0) return PENDING;
    wakes.parent = undefined; // late wakes of finished children no longer reach our task
    return this.results as T;
  }

  /** Cancels the join: every child not yet Ready is cancelled; the next polls wait for them, then throw `Cancelled`. */
  cancel(): void {
    if (this.cleanup !== undefined || this.remaining === 0) return;
    this.cancelled = true;
    this.cancelRest();
    this.wakes.parent?.wake();
  }

  private cancelRest(): void {
    const cleanup = (this.cleanup = new Cleanup());
    const children = this.children;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child === undefined) continue;
      children[i] = undefined;
      cleanup.add(child, this.wakes.contexts[i]);
    }
  }

  /** Waits for the cancelled children, then throws: the failure, else a cleanup error, else `Cancelled`. */
  private finishCleanup(cx: Context): Poll<T> {
    const cleanup = this.cleanup!;
    this.wakes.parent = cx.waker;
    this.wakes.takeWoken(); // every child left is polled below: unlist them so their next wake reaches us
    if (!cleanup.poll()) return PENDING;
    this.wakes.parent = undefined;
    if (this.failure !== undefined) throw this.failure.error;
    if (cleanup.error !== undefined) throw cleanup.error.error;
    if (this.cancelled) throw new Cancelled("[async-machine] join was cancelled");
    return this.results as T;
  }

  /** Drops the children not yet Ready (the join will not be polled again). */
  drop(_cx?: Context): void {
    const children = this.children;
    const contexts = this.wakes.contexts;
    this.wakes.parent = undefined;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      children[i] = undefined;
      dropFuture(child, contexts[i]);
    }
    this.cleanup?.drop();
  }
}

/** A future of every future's value, in input order. */
export function join<const F extends readonly FutureLike<unknown>[]>(futures: F): JoinFuture<JoinOutput<F>> {
  return new JoinFuture<JoinOutput<F>>(futures);
}
