/**
 * `asFuture(call)`: asserts that a call is a poll-mode call. TypeScript types every async
 * function as returning a `Promise`; compiled in poll mode it returns a `PollMachine`, a
 * `Future` (README "Poll mode"). `spawn`, `timeout`, `select`… take either (future.ts
 * `FutureLike`); `asFuture(crawl(site))` is for code that must be sure it got something
 * cancellable: a promise (a function compiled in promise mode, or left native) cannot be
 * cancelled, so it is refused with a `TypeError` naming the way out (`fromPromise`).
 */
import type { Future } from "./future";
import { notAFuture } from "./into-future";

const where = "asFuture (is the function compiled in poll mode?)";

export function asFuture<T>(call: PromiseLike<T> | Future<T>): Future<T> {
  if (call !== null && (typeof call === "object" || typeof call === "function")) {
    if (typeof (call as { poll?: unknown }).poll === "function") return call as Future<T>;
    if (typeof (call as { then?: unknown }).then === "function")
      throw new TypeError(`[async-machine] ${where}: expected a Future, got a ${call instanceof Promise ? "Promise" : "thenable"}; wrap it: fromPromise(promise).`);
  }
  throw notAFuture(call, where);
}
