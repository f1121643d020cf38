/**
 * `PromiseLikeOf`: `then`, `catch` and `finally` over the native promise a subclass gives as
 * `promise` — what makes a `Task` and a combinator's future (`join`, `select`, `race`,
 * `timeout`, `scope`) awaitable from native and promise-mode code. One definition, so a
 * bundle holding both pays for the methods once. The promise's own `then` is never read: the
 * built-in one is called (primordials), as a native `await` would.
 */
import { PromisePrototypeFinally, PromisePrototypeThen } from "./primordials";

export abstract class PromiseLikeOf<T> implements PromiseLike<T> {
  /** A native promise of the outcome. */
  abstract get promise(): Promise<T>;

  then<R1 = T, R2 = never>(onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return PromisePrototypeThen(this.promise, onFulfilled as never, onRejected as never) as Promise<R1 | R2>;
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return PromisePrototypeThen(this.promise, undefined, onRejected as never) as Promise<T | R>;
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return PromisePrototypeFinally(this.promise, onFinally) as Promise<T>;
  }
}
