/**
 * `Waker`: the handle a pending future keeps so it can say "poll me again".
 *
 * `waker.wake()` means "put this task back on the ready queue" (async-book `ArcWake`). The
 * executor never polls a pending task until one of its wakers fires, so a future that returns
 * `PENDING` without having stored `cx.waker` somewhere that will call it hangs its task forever.
 *
 * Invariants every waker keeps (the task's waker is `Task` itself, see task.ts):
 *  - idempotent: waking a task that is already scheduled does nothing;
 *  - harmless late: waking a completed task does nothing and does not throw;
 *  - cheap and synchronous: `wake` only flips a flag and maybe enqueues; it never polls.
 *
 * Example (a leaf future):
 *     poll(cx) { if (this.done) return this.value; this.waker = cx.waker; return PENDING; }
 *     onEvent() { this.done = true; this.waker?.wake(); }
 */

export interface Waker {
  /** Schedules the owner to be polled again. Idempotent; a no-op after completion. */
  wake(): void;
}

/** A waker that does nothing: for polling a future once by hand. */
export const noopWaker: Waker = Object.freeze({ wake(): void {} });
