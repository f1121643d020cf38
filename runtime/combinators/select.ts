/**
 * `select(futures)`: a future of the first child to be Ready, with its index.
 *
 * In:  a non-empty array of futures.
 * Out: Ready with `{ index, value }` of the first child found Ready; throws if a child throws
 *      before any is Ready. The other children are cancelled (cleanup.ts: a losing poll-mode
 *      machine runs its `finally` blocks, a losing `sleep` clears its timer), and the select
 *      completes once they have settled: a loser never runs on, and never fails later where
 *      nobody is listening (no unhandled rejection, as with `Promise.race`). Cancelling the
 *      select cancels every child and then throws `Cancelled`.
 *
 * "First" is the first found: the first poll tries children in input order; later polls try
 * only the children whose waker fired (wake-set.ts), in wake order. With the executor's FIFO or
 * seeded policy that order is deterministic.
 *
 * Example (a timeout): `const { index } = await run(select([work, sleep(100)]));`
 */
import type { Context } from "../context";
import type { Future, FutureLike, Output } from "../future";
import { PENDING, type Poll } from "../poll";
import { ChildFutures } from "./child-futures";

export interface Selected<T> {
  index: number;
  value: T;
}

export class SelectFuture<T> extends ChildFutures<Selected<T>> implements Future<Selected<T>> {
  /** The first child's value, once one is Ready. */
  private result: Selected<T> | undefined;

  constructor(futures: readonly FutureLike<T>[]) {
    super(futures, "select");
    if (futures.length === 0) throw new RangeError("[async-machine] select() of no futures would never complete");
  }

  protected get settled(): boolean {
    return this.result !== undefined;
  }

  poll(cx: Context): Poll<Selected<T>> {
    if (this.cleanup !== undefined) return this.cleanedUp(cx) ? this.result! : PENDING;
    if (this.result !== undefined) return this.result;
    const wakes = this.wakes;
    wakes.parent = cx.waker;
    const woken = wakes.takeWoken();
    for (let k = 0; k < woken.length; k++) {
      const i = woken[k];
      let poll: Poll<unknown>;
      try {
        poll = this.children[i]!.poll(wakes.contexts[i]);
      } catch (error) {
        this.failure = { error };
        this.children[i] = undefined;
        this.cancelRest();
        return this.cleanedUp(cx) ? this.result! : PENDING;
      }
      if (poll !== PENDING) {
        this.result = { index: i, value: poll as T };
        this.children[i] = undefined;
        this.cancelRest();
        return this.cleanedUp(cx) ? this.result : PENDING;
      }
    }
    return PENDING;
  }
}

export function select<const F extends readonly FutureLike<unknown>[]>(futures: F): SelectFuture<Output<F[number]>> {
  return new SelectFuture(futures as unknown as readonly FutureLike<Output<F[number]>>[]);
}
