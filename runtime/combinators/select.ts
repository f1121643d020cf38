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
import { dropFuture, type Future, type FutureLike, type Output } from "../future";
import { intoFutures } from "../into-future";
import { PENDING, type Poll } from "../poll";
import { Cancelled } from "../poll/cancel";
import { Cleanup } from "./cleanup";
import { SpawnOnThen } from "./spawn-on-then";
import { WakeSet } from "./wake-set";

/** What `select` returns: which child won, and its value. */
export interface Selected<T> {
  index: number;
  value: T;
}

export class SelectFuture<T> extends SpawnOnThen<Selected<T>> implements Future<Selected<T>> {
  /** The children until one is Ready (or the select is cancelled); then empty. */
  private children: readonly Future<T>[];
  private readonly wakes: WakeSet;
  private result: Selected<T> | undefined;
  /** Set when a child threw: the select is over. */
  private failure: { error: unknown } | undefined;
  /** The losers being cancelled, until they have settled. */
  private cleanup: Cleanup | undefined;
  private cancelled = false;

  constructor(futures: readonly FutureLike<T>[]) {
    super();
    this.children = intoFutures(futures, "select");
    if (futures.length === 0) throw new RangeError("[async-machine] select() of no futures would never complete");
    this.wakes = new WakeSet(futures.length);
  }

  poll(cx: Context): Poll<Selected<T>> {
    if (this.cleanup !== undefined) return this.finishCleanup(cx);
    if (this.result !== undefined) return this.result;
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
        this.cancelAllBut(i);
        return this.finishCleanup(cx);
      }
      if (poll !== PENDING) {
        this.result = { index: i, value: poll };
        this.cancelAllBut(i);
        return this.finishCleanup(cx);
      }
    }
    return PENDING;
  }

  /** Cancels the select: every child is cancelled; the next polls wait for them, then throw `Cancelled`. */
  cancel(): void {
    if (this.cleanup !== undefined || this.result !== undefined) return;
    this.cancelled = true;
    this.cancelAllBut(-1);
    this.wakes.parent?.wake();
  }

  /** Cancels the children but `done` (which finished). */
  private cancelAllBut(done: number): void {
    const children = this.children;
    this.children = [];
    const cleanup = (this.cleanup = new Cleanup());
    const contexts = this.wakes.contexts;
    for (let i = 0; i < children.length; i++) if (i !== done) cleanup.add(children[i], contexts[i]);
  }

  /** Waits for the cancelled children; then the result, or the first error (the failure, a cleanup error, `Cancelled`). */
  private finishCleanup(cx: Context): Poll<Selected<T>> {
    const cleanup = this.cleanup!;
    this.wakes.parent = cx.waker;
    this.wakes.takeWoken(); // every child left is polled below: unlist them so their next wake reaches us
    if (!cleanup.poll()) return PENDING;
    this.wakes.parent = undefined; // late wakes no longer reach our task
    if (this.failure !== undefined) throw this.failure.error;
    if (cleanup.error !== undefined) throw cleanup.error.error;
    if (this.cancelled) throw new Cancelled("[async-machine] select was cancelled");
    this.cleanup = undefined;
    return this.result!;
  }

  /** Drops every child still held (the select will not be polled again). */
  drop(_cx?: Context): void {
    const children = this.children;
    this.children = [];
    this.wakes.parent = undefined;
    const contexts = this.wakes.contexts;
    for (let i = 0; i < children.length; i++) dropFuture(children[i], contexts[i]);
    this.cleanup?.drop();
  }
}

/** A future of the first of `futures` to be Ready, with its index. */
export function select<const F extends readonly FutureLike<unknown>[]>(futures: F): SelectFuture<Output<F[number]>> {
  return new SelectFuture(futures as unknown as readonly FutureLike<Output<F[number]>>[]);
}
