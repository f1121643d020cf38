/**
 * `pollFn(fn)`: a future whose `poll` is `fn` (futures-rs `poll_fn`). For adapting a callback
 * API by hand, and for tests that count polls and hold a waker. `fn` carries the whole contract:
 * before it returns `PENDING`, it must have stored `cx.waker` where an event will wake it.
 *
 * Example:
 *     let waker: Waker | undefined; let polls = 0;
 *     const f = pollFn((cx) => (polls++, (waker = cx.waker), PENDING));
 */
import type { Context } from "../context";
import type { Future } from "../future";
import type { Poll } from "../poll";

export class PollFn<T> implements Future<T> {
  private readonly fn: (cx: Context) => Poll<T>;

  constructor(fn: (cx: Context) => Poll<T>) {
    this.fn = fn;
  }

  poll(cx: Context): Poll<T> {
    return this.fn(cx);
  }
}

/** A future that calls `fn` on every poll. */
export function pollFn<T>(fn: (cx: Context) => Poll<T>): PollFn<T> {
  return new PollFn(fn);
}
