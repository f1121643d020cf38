/**
 * `Cleanup`: the children a combinator no longer needs, being cancelled.
 *
 * In:  futures a combinator gives up on (a `select`'s losers, a failed `join`'s other
 *      children, a `timeout`'s work, everything when the combinator itself is cancelled), each
 *      with the context it was polled with.
 * Out: `poll()` is true once every one of them has settled. A child with `cancel()` (a
 *      poll-mode machine, a combinator, a scope) is cancelled and then polled until it settles,
 *      so its `finally` blocks run to the end before the combinator completes — children do not
 *      outlive the combinator that owned them (structured concurrency; Trio's nursery and
 *      Effection's scopes wait the same way). Any other future is dropped at once (`drop(cx)`:
 *      a sleep clears its timer, a promise adapter detaches). A `Task` is a join handle, not
 *      something the combinator owns: it is dropped (detached, as Rust's `JoinHandle`), never
 *      cancelled — the task belongs to whoever spawned it (a scope cancels its own children).
 *
 * Errors: a child settling with `Cancelled` is what was asked for. Any other error (a `finally`
 * that threw) is kept in `error` (the first one) and the combinator surfaces it: it is handed
 * to the code awaiting the combinator, never left as an unhandled rejection.
 */
import type { Context } from "../context";
import { dropFuture, type Future } from "../future";
import { PENDING } from "../poll";
import { isCancellation } from "../poll/cancel";
import { appendItem } from "../primordials";
import { Task } from "../task";

type Cancellable = Future<unknown> & { cancel(): void };

/**
 * Gives up on `future`, polled with `cx`: cancels it if it is ours to cancel and can clean up
 * by itself (then it must be polled until it settles: returns true); otherwise drops it (a
 * task's join handle, a machine another task runs, a leaf: returns false).
 */
export function cancelOrDrop(future: Future<unknown>, cx: Context): boolean {
  const f = future as Future<unknown> & { cancel?: unknown; isOwnedBy?: unknown };
  const ours = !(future instanceof Task) && (typeof f.isOwnedBy !== "function" || (f as { isOwnedBy(w: unknown): boolean }).isOwnedBy(cx.waker));
  if (ours && typeof f.cancel === "function") {
    (f as Cancellable).cancel();
    return true;
  }
  dropFuture(future, cx);
  return false;
}

export class Cleanup {
  private futures: Future<unknown>[] = [];
  private contexts: Context[] = [];
  /** The first error a child's cleanup threw. */
  error: { error: unknown } | undefined;

  /** Cancels `future` (polled with `cx`), or drops it if it cannot clean up by itself. */
  add(future: Future<unknown>, cx: Context): void {
    if (cancelOrDrop(future, cx)) {
      appendItem(this.futures, future);
      appendItem(this.contexts, cx);
    }
  }

  /** Polls the children still cleaning up; true when none is left. */
  poll(): boolean {
    const futures = this.futures;
    const contexts = this.contexts;
    let kept = 0;
    for (let i = 0; i < futures.length; i++) {
      let settled = true;
      try {
        settled = futures[i].poll(contexts[i]) !== PENDING;
      } catch (error) {
        if (!isCancellation(error)) this.error ??= { error };
      }
      if (!settled) {
        futures[kept] = futures[i];
        contexts[kept] = contexts[i];
        kept++;
      }
    }
    futures.length = kept;
    contexts.length = kept;
    return kept === 0;
  }

  /** Drops whatever is still cleaning up (the owner itself was dropped). */
  drop(): void {
    for (let i = 0; i < this.futures.length; i++) dropFuture(this.futures[i], this.contexts[i]);
    this.futures = [];
    this.contexts = [];
  }
}
