/**
 * `Context`: what `Future.poll` receives — today just the waker of the task doing the polling.
 *
 * A task builds its context once, when spawned, and passes the same object to every poll; a
 * combinator that wants to know which child woke builds one context per child
 * (combinators/wake-set.ts).
 * Futures must not keep the context past the poll; they keep `cx.waker` instead.
 *
 * Example: `future.poll(new Context(noopWaker))` polls a future once by hand.
 */
import type { Waker } from "./waker";

export class Context {
  /** The waker to register before returning `PENDING`. */
  readonly waker: Waker;

  constructor(waker: Waker) {
    this.waker = waker;
  }
}
