/**
 * `select(futures)`: a future of the first child to be Ready, with its index.
 *
 * In:  a non-empty array of futures.
 * Out: Ready with `{ index, value }` of the first child found Ready; throws if a child throws
 *      before any is Ready. The other children are dropped (their `drop()` is called, see
 *      future.ts: a losing `sleep` clears its timer), not polled again. Dropping the select
 *      drops every child.
 *
 * "First" is the first found: the first poll tries children in input order; later polls try
 * only the children whose waker fired (wake-set.ts), in wake order. With the executor's FIFO or
 * seeded policy that order is deterministic.
 *
 * Example (a timeout): `const { index } = await run(select([work, sleep(100)]));`
 */
import type { Context } from "../context";
import { dropFuture, requireFutures, type Future, type Output } from "../future";
import { PENDING, type Poll } from "../poll";
import { WakeSet } from "./wake-set";

/** What `select` returns: which child won, and its value. */
export interface Selected<T> {
  index: number;
  value: T;
}

export class SelectFuture<T> implements Future<Selected<T>> {
  /** The children until one is Ready; then empty. */
  private children: readonly Future<T>[];
  private readonly wakes: WakeSet;
  private result: Selected<T> | undefined = undefined;
  /** Set when a child threw: the select is over. */
  private failure: { error: unknown } | undefined = undefined;

  constructor(futures: readonly Future<T>[]) {
    requireFutures(futures, "select");
    if (futures.length === 0) throw new RangeError("[async-machine] select() of no futures would never complete");
    this.children = futures.slice();
    this.wakes = new WakeSet(futures.length);
  }

  poll(cx: Context): Poll<Selected<T>> {
    if (this.result !== undefined) return this.result;
    if (this.failure !== undefined) throw this.failure.error;
    const wakes = this.wakes;
    wakes.parent = cx.waker;
    const woken = wakes.takeWoken();
    for (let k = 0; k < woken.length; k++) {
      const i = woken[k];
      let poll: Poll<T>;
      try {
        poll = this.children[i].poll(wakes.contexts[i]);
      } catch (error) {
        this.failure = { error };
        this.finish(i);
        throw error;
      }
      if (poll !== PENDING) {
        this.finish(i);
        return (this.result = { index: i, value: poll });
      }
    }
    return PENDING;
  }

  /** Drops every child still held (the select will not be polled again). */
  drop(_cx?: Context): void {
    this.finish(-1);
  }

  /** Drops the children but `done` (which finished) and stops forwarding their late wakes. */
  private finish(done: number): void {
    const children = this.children;
    this.children = [];
    this.wakes.parent = undefined;
    const contexts = this.wakes.contexts;
    for (let i = 0; i < children.length; i++) if (i !== done) dropFuture(children[i], contexts[i]);
  }
}

/** A future of the first of `futures` to be Ready, with its index. */
export function select<const F extends readonly Future<unknown>[]>(futures: F): SelectFuture<Output<F[number]>> {
  return new SelectFuture(futures as unknown as readonly Future<Output<F[number]>>[]);
}
