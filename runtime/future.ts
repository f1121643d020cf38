/**
 * `Future<T>`: a value that will be ready later, driven by polling (Rust's `Future::poll`).
 *
 * Contract, restated where it bites:
 *  - `poll(cx)` returns the value (Ready) or `PENDING`. It never blocks and never loops waiting.
 *  - Before returning `PENDING`, the future has arranged for `cx.waker.wake()` to be called when
 *    progress is possible; if it forgets, its task hangs: the executor does not poll it again.
 *  - If it is polled with a different waker later, the latest waker is the one to wake (older
 *    ones may be woken too: a spurious wake costs one poll, never correctness).
 *  - Throwing from `poll` completes the future with that error (the task fails).
 *  - Polling again after Ready is allowed to throw or return anything; runtime futures return
 *    the same outcome again.
 *
 *  - Dropping: a future that will not be polled again (a `select`'s losers, a failed `join`'s
 *    other children) is given the chance to release what it holds through the optional
 *    `drop(cx)` — a timer that would keep the process alive, a registration with a long-lived
 *    task or machine. `cx` is the context the owner polled it with: a future shared by several
 *    pollers (a task's join handle, a machine) forgets only that context's waker and keeps
 *    running. The owner calls it once it is done with the future, and never polls it with `cx`
 *    afterwards; `drop` must be idempotent and must not throw. A future without `drop` is simply
 *    forgotten (its late wake, if any, is a no-op). `select` and `join` forward their own
 *    `drop` to the children they still hold.
 *
 * Implementations here: `Machine` (machine.ts), `Task` (a join handle, task.ts), leaf futures in
 * leaf/ (promise, timer, ready, pollFn), and the `join` / `select` combinators.
 */
import type { Context } from "./context";
import type { Poll } from "./poll";

export interface Future<T> {
  poll(cx: Context): Poll<T>;
  /** Optional: the future will not be polled with `cx` again; release timers and registrations (see above). */
  drop?(cx: Context): void;
}

/** Calls `future.drop(cx)` if it has one. */
export function dropFuture(future: Future<unknown> | undefined, cx: Context): void {
  if (future !== undefined && typeof future.drop === "function") future.drop(cx);
}

/** The value type of a future: `Output<Future<number>>` is `number`. */
export type Output<F> = F extends Future<infer T> ? T : never;

/**
 * Throws a `TypeError` unless `value` is a future (has a `poll` method): a promise or `null`
 * given where a future is expected would otherwise fail later, inside a poll ("x.poll is not a
 * function"), far from the mistake. Called once per spawn / join / select, never per poll.
 */
export function requireFuture(value: unknown, where: string): void {
  if (value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { poll?: unknown }).poll === "function") return;
  let got: string;
  if (value === null) got = "null";
  else if (typeof value !== "object" && typeof value !== "function") got = typeof value === "string" ? `the string ${JSON.stringify(value)}` : `${typeof value} ${String(value)}`;
  else if (typeof (value as { then?: unknown }).then === "function") {
    throw new TypeError(`[async-machine] ${where}: expected a Future, got a ${value instanceof Promise ? "Promise" : "thenable"}; wrap it: fromPromise(promise).`);
  } else got = `an object without a poll(cx) method`;
  throw new TypeError(`[async-machine] ${where}: expected a Future (an object with a poll(cx) method), got ${got}.`);
}

/** Throws a `TypeError` unless `futures` is an array of futures (checked once, up front). */
export function requireFutures(futures: readonly unknown[], where: string): void {
  if (!Array.isArray(futures)) throw new TypeError(`[async-machine] ${where}(futures): expected an array of futures, got ${futures === null ? "null" : typeof futures}.`);
  for (let i = 0; i < futures.length; i++) requireFuture(futures[i], `${where}(futures): futures[${i}]`);
}
