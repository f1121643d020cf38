/**
 * `OnceFuture<T>`: the shape every I/O leaf shares — a future that does its work in `step(cx)`
 * until it is Ready or throws, then keeps that outcome.
 *
 * In:  a subclass's `step(cx)` (returns the value, or `PENDING` after storing `cx.waker` where
 *      its event will find it; may throw) and `release()` (undoes whatever a pending `step` set
 *      up: a listener, a waker slot, a handle only this future owns).
 * Out: the future contract of ../future.ts, kept in one place:
 *  - after Ready or a throw, `poll` returns the same value or throws the same error again and
 *    never calls `step`: a read does not read twice;
 *  - `drop(cx)` calls `release()` once if the future is unfinished, and is a no-op otherwise
 *    (idempotent, never throws past a broken `release`: the error is reported as uncaught);
 *  - a dropped future polled again throws (the owner promised not to).
 *
 * Example: `class Accept extends OnceFuture<Socket> { step(cx) { … } release() { … } }`
 */
import type { Context } from "../context";
import type { Future } from "../future";
import { PENDING, type Poll } from "../poll";
import { IoError } from "./errors";

const RUNNING = 0;
const READY = 1;
const FAILED = 2;
const DROPPED = 3;

export abstract class OnceFuture<T> implements Future<T> {
  /** RUNNING, READY, FAILED or DROPPED. */
  private phase = RUNNING;
  /** The value (READY) or the error (FAILED). */
  private outcome: unknown = undefined;

  /** One step of the work: the value, or `PENDING` with `cx.waker` stored. May throw. */
  protected abstract step(cx: Context): Poll<T>;

  /** Releases what a pending `step` registered (see the module comment). Must be idempotent. */
  protected abstract release(): void;

  poll(cx: Context): Poll<T> {
    const phase = this.phase;
    if (phase === READY) return this.outcome as T;
    if (phase === FAILED) throw this.outcome;
    if (phase === DROPPED) throw new IoError("an I/O future was polled after it was dropped", "ERR_IO_DROPPED");
    let result: Poll<T>;
    try {
      result = this.step(cx);
    } catch (error) {
      this.phase = FAILED;
      this.outcome = error;
      this.releaseQuietly();
      throw error;
    }
    if (result !== PENDING) {
      this.phase = READY;
      this.outcome = result;
    }
    return result;
  }

  drop(_cx?: Context): void {
    if (this.phase !== RUNNING) return;
    this.phase = DROPPED;
    this.releaseQuietly();
  }

  /** Has the future finished (Ready, failed) or been dropped? */
  get settled(): boolean {
    return this.phase !== RUNNING;
  }

  private releaseQuietly(): void {
    try {
      this.release();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
