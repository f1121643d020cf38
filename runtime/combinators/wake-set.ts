/**
 * `WakeSet`: per-child wakers for a combinator, so it re-polls only the children that woke.
 *
 * In:  the number of children; on every poll of the combinator, the combinator's own waker.
 * Out: one `Context` per child, and on each poll the list of children woken since their last
 *      poll (all of them, on the first poll), in wake order.
 *
 * Why not pass the combinator's context straight to every child: then any child's wake re-polls
 * all children, so a `join` of n futures costs O(n²) polls, and children get polled without
 * having been woken — the very thing the executor promises never to do. Here child `i`'s waker
 * records `i` and forwards the wake to the combinator's latest waker (futures-rs
 * `FuturesUnordered` does the same with one waker per child).
 *
 * Invariants: a child index is in the woken list at most once; a child's wake while it is
 * already listed does not wake the parent again (the parent was woken when it was listed and
 * has not polled it since).
 */
import { Context } from "../context";
import { appendItem, newArray } from "../primordials";
import type { Waker } from "../waker";

class ChildWaker implements Waker {
  constructor(
    private readonly set: WakeSet,
    private readonly index: number,
  ) {}

  wake(): void {
    this.set.wakeChild(this.index);
  }
}

export class WakeSet {
  /** One context per child; child `i` must be polled with `contexts[i]`. */
  readonly contexts: Context[];
  /** The combinator's waker from its latest poll; wakes are forwarded to it. */
  parent: Waker | undefined;
  /** Children woken since their last poll, in wake order. */
  private woken: number[];
  /** `listed[i]` is 1 while `i` is in `woken`. */
  private readonly listed: Uint8Array;

  constructor(count: number) {
    // Packed arrays, written by index (a hole would send the store to a setter on Array.prototype).
    this.contexts = newArray<Context>(count);
    this.woken = newArray<number>(count);
    this.listed = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      this.contexts[i] = new Context(new ChildWaker(this, i));
      this.woken[i] = i;
      this.listed[i] = 1;
    }
  }

  /** Marks child `index` as woken and wakes the parent, unless it was already marked. */
  wakeChild(index: number): void {
    if (this.listed[index] === 1) return;
    this.listed[index] = 1;
    appendItem(this.woken, index);
    this.parent?.wake();
  }

  /**
   * Returns the children woken since the last call and starts a new list; each returned child is
   * unmarked, so a wake during its coming poll lists it again.
   */
  takeWoken(): number[] {
    const woken = this.woken;
    this.woken = [];
    for (let i = 0; i < woken.length; i++) this.listed[woken[i]] = 0;
    return woken;
  }
}
