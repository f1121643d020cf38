/**
 * `asFuture(call)`: the type of a poll-mode call. TypeScript types every async function as
 * returning a `Promise`; compiled in poll mode it returns a `PollMachine`, a `Future` (README
 * "Poll mode"). `asFuture(crawl(site))` gives it that type for `spawn`, `timeout`, `select`…,
 * and checks it at run time: a promise (a function compiled in promise mode, or left native)
 * cannot be cancelled, so it is refused with a `TypeError` naming the way out (`fromPromise`).
 */
import { requireFuture, type Future } from "./future";

export function asFuture<T>(call: PromiseLike<T> | Future<T>): Future<T> {
  requireFuture(call, "asFuture (is the function compiled in poll mode?)");
  return call as Future<T>;
}
