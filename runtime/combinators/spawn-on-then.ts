/**
 * `SpawnOnThen`: what makes a combinator's future (`join`, `select`, `race`, `timeout`, `scope`)
 * a `PromiseLike` as a poll-mode call is one: the first `then` (or `catch`, `finally`, or a read
 * of `promise`) spawns it on the ambient executor, and every `then` waits on that one task's
 * outcome. So native and promise-mode code can write `await timeout(f(), 100)` with no
 * `run(…)`, and a combinator whose task is cancelled rejects there with `Cancelled`. Poll-mode
 * code still polls the future inline (an await looks for `poll` first); a future that was
 * then-ed must not be polled elsewhere afterwards (its task polls it), as a future given to
 * `spawn`.
 *
 * `then`, `catch` and `finally` are `Task`'s (promise-like.ts), over a `promise` that spawns.
 */
import { currentExecutor } from "../executor";
import type { Future } from "../future";
import { PromiseLikeOf } from "../promise-like";
import type { Task } from "../task";

export abstract class SpawnOnThen<T> extends PromiseLikeOf<T> {
  /** The task the first `then` spawned (no field until then: most combinators are polled, not then-ed). */
  declare private spawned: Task<T> | undefined;

  /** A native promise of the future's outcome: its task's join promise (the task spawned on first use). */
  get promise(): Promise<T> {
    return (this.spawned ??= currentExecutor().spawn(this as unknown as Future<T>)).promise;
  }
}
