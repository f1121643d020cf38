/**
 * `ready(value)`: a future that is Ready with `value` on every poll — never pending, never
 * registers a waker. The unit of `join`/`select` tests and of code that must return a future for
 * a value it already has (futures-rs `ready`).
 */
import type { Future } from "../future";
import type { Poll } from "../poll";

export class ReadyFuture<T> implements Future<T> {
  readonly value: T;

  constructor(value: T) {
    this.value = value;
  }

  poll(): Poll<T> {
    return this.value;
  }
}

/** A future that is already Ready with `value`. */
export function ready<T>(value: T): ReadyFuture<T> {
  return new ReadyFuture(value);
}
