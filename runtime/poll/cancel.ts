/**
 * What cancellation is made of: the `CANCEL` signal thrown into a cancelled machine, and the
 * `Cancelled` error that the outside world sees.
 *
 * Cancellation is dropping (Rust's model): a task or future that is no longer wanted is told to
 * stop at the await where it is suspended. A poll-mode machine is then resumed there in a
 * cancelling state — its resume function is entered with `CANCEL` as a thrown value — so the
 * `finally` blocks around that await run (innermost first, awaits inside them allowed) and the
 * machine settles as cancelled. `catch` blocks do not catch `CANCEL`: a cancelled computation
 * must not be able to swallow its cancellation and carry on as if nothing happened. The anchors:
 * Rust runs `Drop` and never a `match` on an error; Effection's `halt()` runs `finally` blocks
 * only; Effect's interruption is not caught by `catchAll`; Kotlin's `CancellationException` is
 * the closest to an exception, and its guidance is that code must rethrow it.
 *
 * Two values, two jobs:
 *  - `CANCEL` (a frozen object, one per runtime) travels only inside a machine's own resume
 *    function. The catch dispatch of a poll-mode resume function compares the caught value with
 *    it (`$e === $am.CANCEL`) and routes it past `catch` handlers to the nearest `finally`.
 *  - `Cancelled` (an Error) is what a cancelled task's `then` rejects with and what polling a
 *    cancelled machine throws. To code that awaits a cancelled task it is an ordinary error: a
 *    `catch` around `await task` catches it, because the awaiting code itself was not cancelled.
 */

/** The signal a cancelled machine is resumed with. Never an Error: nothing should catch it. */
export const CANCEL: { readonly cancelled: true } = Object.freeze({ cancelled: true as const });

/** The error a cancelled task or machine settles with. */
export class Cancelled extends Error {
  constructor(message = "[async-machine] cancelled") {
    super(message);
  }
}
Object.defineProperty(Cancelled.prototype, "name", { value: "Cancelled", writable: true, configurable: true });

/** True for the error a cancelled future settles with (or the internal signal). */
export function isCancellation(error: unknown): boolean {
  return error === CANCEL || error instanceof Cancelled;
}
