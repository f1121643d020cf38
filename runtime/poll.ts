/**
 * `Poll<T>`: the answer of one `Future.poll` — ready with a value, or not yet.
 *
 * Representation (chosen for zero allocation): a ready result is the value itself and "not yet"
 * is the single sentinel `PENDING`, a unique symbol:
 *
 *     type Poll<T> = T | Pending        // Ready(v) is `v`, Pending is `PENDING`
 *
 * Rejected alternatives: `{ ready: true, value }` allocates one object per ready poll (one per
 * completed await in poll mode, the hot path); a shared mutable result object is cheap but
 * aliasing bugs wait for whoever holds it across a second poll. A tagged union costs the same
 * allocation as the first. The sentinel needs no allocation and compiles to one `===`.
 *
 * Invariant: a future never completes with `PENDING` itself as its value. The symbol is not in
 * the global registry (`Symbol()`, not `Symbol.for`), so no other code produces it by accident.
 *
 * Example:
 *     const p = fut.poll(cx);
 *     if (p === PENDING) return PENDING;   // our waker is registered; the executor sleeps
 *     use(p);                              // p: T
 */

/** The one "not ready yet" value. Returning it promises that `cx.waker` has been registered. */
export const PENDING: unique symbol = Symbol("async-machine.pending");

/** The type of `PENDING`. */
export type Pending = typeof PENDING;

/** Ready(value) is the value itself; see the module comment. */
export type Poll<T> = T | Pending;

/** `Poll.Pending`? */
export function isPending<T>(poll: Poll<T>): poll is Pending {
  return poll === PENDING;
}

/** `Poll.Ready(value)`? (narrows to the value) */
export function isReady<T>(poll: Poll<T>): poll is T {
  return poll !== PENDING;
}
