/**
 * `intoFuture`: what `spawn`, `run`, `join`, `select`, `race` and `timeout` do with the value they
 * are given — a future as it is, a thenable adapted by a `PromiseFuture` — and the `TypeError`
 * for anything else. Kept apart from future.ts so that the leaf futures can import the `Future`
 * type without an import running back from future.ts to them.
 */
import type { Future, FutureLike } from "./future";
import { PromiseFuture } from "./leaf/promise-future";
import { newArray } from "./primordials";

/**
 * `value` as a future, once per spawn / join / select (never per poll), as Rust's `IntoFuture`:
 * anything with a `poll(cx)` method — a poll-mode call, a task, a combinator, a leaf — is used as
 * it is; a native promise or any other thenable is adapted as `fromPromise` adapts it (its `then`
 * is called at the first poll; it cannot be cancelled, only detached); anything else is refused
 * at once with a `TypeError` naming `where`, not later inside a poll ("x.poll is not a function"),
 * far from the mistake.
 */
export function intoFuture<T>(value: FutureLike<T>, where: string): Future<T> {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    if (typeof (value as { poll?: unknown }).poll === "function") return value as Future<T>;
    if (typeof (value as { then?: unknown }).then === "function") return new PromiseFuture<T>(value as PromiseLike<T>);
  }
  throw notAFuture(value, where);
}

/** `intoFuture` of each element of an array (checked once, up front); a new array. */
export function intoFutures<T>(futures: readonly FutureLike<T>[], where: string): Future<T>[] {
  if (!Array.isArray(futures)) throw new TypeError(`[async-machine] ${where}(futures): expected an array of futures, got ${futures === null ? "null" : typeof futures}.`);
  const result = newArray<Future<T>>(futures.length);
  for (let i = 0; i < result.length; i++) result[i] = intoFuture(futures[i], `${where}(futures): futures[${i}]`);
  return result;
}

/** The `TypeError` for a `value` given where a future is expected. */
export function notAFuture(value: unknown, where: string): TypeError {
  const got =
    value === null
      ? "null"
      : typeof value === "object" || typeof value === "function"
        ? "an object without a poll(cx) method"
        : `${typeof value} ${typeof value === "string" ? JSON.stringify(value) : String(value)}`;
  return new TypeError(`[async-machine] ${where}: expected a Future (an object with a poll(cx) method), got ${got}.`);
}
