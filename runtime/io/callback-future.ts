/**
 * `CallbackFuture<T>`: a leaf over one Node callback operation (`fs.read(…, cb)`): the first poll
 * starts it, the callback stores the outcome and wakes the latest waker.
 *
 * Waker contract: nothing is started before the first poll; every pending poll only replaces the
 * stored waker; the callback wakes once. An operation in flight cannot be called back from the
 * thread pool, so dropping the future only forgets its waker — except that a result which owns a
 * resource (an fd from `open`) is handed to `disposeLate` when it arrives after the drop, so a
 * cancelled open closes the file it opened instead of leaking it.
 *
 * Example: `new CallbackFuture<number>((cb) => fs.read(fd, buf, 0, n, pos, cb))`
 */
import type { Context } from "../context";
import { PENDING, type Poll } from "../poll";
import type { Waker } from "../waker";
import { OnceFuture } from "./once-future";

/** Node's callback shape: `(error, result)`. */
export type NodeCallback<T> = (error: Error | null | undefined, result?: T) => void;

const IDLE = 0;
const IN_FLIGHT = 1;
const DONE = 2;
const ABANDONED = 3;

export class CallbackFuture<T> extends OnceFuture<T> {
  private state = IDLE;
  private waker: Waker | undefined = undefined;
  private error: Error | undefined = undefined;
  private result: T | undefined = undefined;

  constructor(
    private readonly start: (callback: NodeCallback<T>) => void,
    private readonly disposeLate?: (result: T) => void,
  ) {
    super();
  }

  protected step(cx: Context): Poll<T> {
    if (this.state === DONE) {
      if (this.error !== undefined) throw this.error;
      return this.result as T;
    }
    this.waker = cx.waker;
    if (this.state === IDLE) {
      this.state = IN_FLIGHT;
      this.start(this.onDone);
    }
    return PENDING;
  }

  protected release(): void {
    this.waker = undefined;
    if (this.state === IN_FLIGHT) this.state = ABANDONED;
  }

  private readonly onDone = (error: Error | null | undefined, result?: T): void => {
    if (this.state === ABANDONED) {
      if (error == null && this.disposeLate !== undefined) this.disposeLate(result as T);
      return;
    }
    this.state = DONE;
    this.error = error ?? undefined;
    this.result = result;
    const waker = this.waker;
    this.waker = undefined;
    waker?.wake();
  };
}
