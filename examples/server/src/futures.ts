/**
 * Two type-only bridges between TypeScript and poll mode (both do nothing at run time):
 *  - TypeScript types every async function's call as a `Promise<T>`; in poll mode the call is a
 *    `PollMachine`, a lazy `Future<T>`. `asFuture(call)` says so to the combinators that take
 *    futures (`select`, `join`, `run`, `spawn`).
 *  - A leaf or combinator future (`listen`, `accept`, `select`…) is not a `PromiseLike`, so
 *    TypeScript types `await f` as `f` itself; a poll-mode `await` polls it inline and gives its
 *    output. `await io(f)` has that output's type.
 */
import type { Future } from "async-machine/runtime";

export function asFuture<T>(call: Promise<T>): Future<T> {
  return call as unknown as Future<T>;
}

export function io<T>(f: Future<T>): Promise<T> {
  return f as unknown as Promise<T>;
}
