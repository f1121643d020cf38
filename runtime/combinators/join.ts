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
import type { Future, FutureLike, Output } from "../future";
import { PENDING, type Poll } from "../poll";
import { newArray } from "../primordials";
import { ChildFutures } from "./child-futures";

export type JoinOutput<F extends readonly FutureLike<unknown>[]> = { -readonly [K in keyof F]: Output<F[K]> };

export class JoinFuture<T extends unknown[]> extends ChildFutures<T> implements Future<T> {
  /** Values by input index. */
  private readonly results: unknown[];
  /** Children not yet Ready. */
  private remaining: number;

  constructor(futures: readonly FutureLike<unknown>[]) {
    super(futures, "join");
    this.results = newArray(futures.length);
    this.remaining = futures.length;
  }

  protected get settled(): boolean {
    return this.remaining === 0;
  }

  poll(cx: Context): Poll<T> {
    if (this.cleanup !== undefined) return this.cleanedUp(cx) ? (this.results as T) : PENDING;
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
        return this.cleanedUp(cx) ? (this.results as T) : PENDING;
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
}

export function join<const F extends readonly FutureLike<unknown>[]>(futures: F): JoinFuture<JoinOutput<F>> {
  return new JoinFuture<JoinOutput<F>>(futures);
}
