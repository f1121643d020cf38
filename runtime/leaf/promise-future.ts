/**
 * `fromPromise(p)`: a leaf future over a promise or thenable — the bridge from the host's
 * callbacks to wakers.
 *
 * In:  any value (a native promise, a thenable, or a plain value, treated as `Promise.resolve`).
 * Out: a future Ready with the fulfilment value, or throwing the rejection reason.
 *
 * Lazy, like every future: nothing is attached until the first poll. The first poll attaches one
 * pair of handlers (through the original `Promise.resolve` / `Promise.prototype.then` captured
 * at load, so later monkey-patches are not called) and stores the waker; every later pending poll
 * only replaces the stored waker (the latest poller is the one to wake). Settlement stores the
 * outcome, drops the source and wakes once. Attaching a handler also marks a rejection handled:
 * the error now travels through the future.
 *
 * Example: `await run(fromPromise(fetch(url)))`.
 */
import type { Context } from "../context";
import type { Future } from "../future";
import { PENDING, type Poll } from "../poll";
import { PromisePrototypeThen, PromiseResolve } from "../primordials";
import type { Waker } from "../waker";

/** Not yet polled: no handler attached. */
const UNATTACHED = 0;
/** Handlers attached; waiting for settlement. */
const WAITING = 1;
const FULFILLED = 2;
const REJECTED = 3;

export class PromiseFuture<T> implements Future<T> {
  /** UNATTACHED, WAITING, FULFILLED or REJECTED. */
  private state = UNATTACHED;
  /** The awaited value until it settles (for dumps); then undefined. */
  private source: unknown;
  /** The value or the reason, once settled. */
  private outcome: unknown;
  /** The waker of the latest pending poll. */
  private waker: Waker | undefined;

  constructor(source: PromiseLike<T> | T) {
    this.source = source;
  }

  poll(cx: Context): Poll<T> {
    const state = this.state;
    if (state === FULFILLED) return this.outcome as T;
    if (state === REJECTED) throw this.outcome;
    this.waker = cx.waker;
    if (state === UNATTACHED) {
      this.state = WAITING;
      const promise = PromiseResolve(this.source) as Promise<T>;
      PromisePrototypeThen(
        promise,
        (value) => this.settle(FULFILLED, value),
        (reason) => this.settle(REJECTED, reason),
      );
    }
    return PENDING;
  }

  /** What the future waits on, until it settles. */
  get awaiting(): unknown {
    return this.source;
  }

  private settle(state: number, outcome: unknown): void {
    this.state = state;
    this.outcome = outcome;
    this.source = undefined;
    const waker = this.waker;
    this.waker = undefined;
    waker?.wake();
  }
}

/** A future of `source`'s outcome. */
export function fromPromise<T>(source: PromiseLike<T> | T): PromiseFuture<Awaited<T>> {
  return new PromiseFuture(source as PromiseLike<Awaited<T>>);
}
