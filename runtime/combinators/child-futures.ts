/**
 * `ChildFutures`: what `join` and `select` share — their children, the wake set that says which
 * child to poll again, and how they end early. A child that fails (or wins, for `select`), or a
 * `cancel()`, moves every child still running into a `Cleanup` (cleanup.ts: each is cancelled
 * and its `finally` blocks run); the combinator completes once those have settled, with the
 * child's error first, then a cleanup's error, then `Cancelled`. `drop` releases what the
 * children hold at once (timers cleared, promise adapters detached), for an owner that no longer
 * waits.
 */
import type { Context } from "../context";
import { dropFuture, type Future, type FutureLike } from "../future";
import { intoFutures } from "../into-future";
import { Cancelled } from "../poll/cancel";
import { Cleanup } from "./cleanup";
import { SpawnOnThen } from "./spawn-on-then";
import { WakeSet } from "./wake-set";

export abstract class ChildFutures<T> extends SpawnOnThen<T> {
  /** Children still running; a child that is done has its slot cleared so it can be collected. */
  protected readonly children: (Future<unknown> | undefined)[];
  protected readonly wakes: WakeSet;
  /** A child threw: its error, thrown once the others are cleaned up. */
  protected failure: { error: unknown } | undefined;
  /** The children being cancelled, until they have settled. */
  protected cleanup: Cleanup | undefined;
  /** `cancel()` was called: `Cancelled` once the children have settled. */
  private cancelRequested = false;
  /** `join` or `select`: for messages. */
  private readonly combinatorName: string;

  constructor(futures: readonly FutureLike<unknown>[], combinatorName: string) {
    super();
    this.combinatorName = combinatorName;
    this.children = intoFutures(futures, combinatorName);
    this.wakes = new WakeSet(futures.length);
  }

  /** The combinator has its outcome: a cancel comes too late. */
  protected abstract get settled(): boolean;

  cancel(): void {
    if (this.cleanup !== undefined || this.settled) return;
    this.cancelRequested = true;
    this.cancelRest();
    this.wakes.parent?.wake();
  }

  /** Moves every child still running into a new `Cleanup`, which cancels it. */
  protected cancelRest(): void {
    const cleanup = (this.cleanup = new Cleanup());
    const children = this.children;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child === undefined) continue;
      children[i] = undefined;
      cleanup.add(child, this.wakes.contexts[i]);
    }
  }

  /** Polls the cleanup: false while children are still settling; throws the outcome that stands; true when the combinator's own result stands. */
  protected cleanedUp(cx: Context): boolean {
    const cleanup = this.cleanup!;
    this.wakes.parent = cx.waker;
    this.wakes.takeWoken(); // every child left is polled below: unlist them so their next wake reaches us
    if (!cleanup.poll()) return false;
    this.wakes.parent = undefined; // late wakes no longer reach our task
    if (this.failure !== undefined) throw this.failure.error;
    if (cleanup.error !== undefined) throw cleanup.error.error;
    if (this.cancelRequested) throw new Cancelled(`[async-machine] ${this.combinatorName} was cancelled`);
    this.cleanup = undefined;
    return true;
  }

  drop(_cx?: Context): void {
    const children = this.children;
    const contexts = this.wakes.contexts;
    this.wakes.parent = undefined;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      children[i] = undefined;
      dropFuture(child, contexts[i]);
    }
    this.cleanup?.drop();
  }
}
