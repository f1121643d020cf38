/**
 * The ready queue: tasks whose waker fired and that wait for their next poll.
 *
 * In:  tasks, enqueued by `Task.wake` (through the executor) at most once per wake cycle —
 *      the task's `SCHEDULED` flag guarantees a task is never in the queue twice.
 * Out: tasks in the order the scheduling policy picks (policy.ts); FIFO here.
 *
 * `RingQueue` is a growable ring buffer over a power-of-two array: `enqueue` and `dequeue` are
 * O(1) with no `Array.prototype.shift` (which is O(n) once V8 leaves its fast path for large
 * arrays), and a dequeued slot is cleared at once so a completed task is not retained by the
 * buffer. It grows by doubling and never shrinks (the executor's peak is its steady state).
 *
 * The interface is p-queue's `Queue` shape (`enqueue`, `dequeue`, `size`), so tests and
 * policies can inject their own order.
 */
import { newArray } from "./primordials";

export interface ReadyQueue<T> {
  /** Adds an item at the back (or wherever the policy keeps it). */
  enqueue(item: T): void;
  /** Removes and returns the next item, or `undefined` when empty. */
  dequeue(): T | undefined;
  /** Items waiting. */
  readonly size: number;
}

export class RingQueue<T> implements ReadyQueue<T> {
  /** Slots; `undefined` where empty. Its length is always a power of two. */
  private buffer: (T | undefined)[];
  /** `buffer.length - 1`, to wrap an index with one `&`. */
  private mask: number;
  /** Index of the first item. */
  private head = 0;
  /** Number of items. */
  private count = 0;

  constructor(initialCapacity = 16) {
    let capacity = 1;
    while (capacity < initialCapacity) capacity *= 2;
    this.buffer = newArray<T | undefined>(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  enqueue(item: T): void {
    if (this.count === this.buffer.length) this.grow();
    this.buffer[(this.head + this.count) & this.mask] = item;
    this.count++;
  }

  dequeue(): T | undefined {
    if (this.count === 0) return undefined;
    const head = this.head;
    const item = this.buffer[head];
    this.buffer[head] = undefined;
    this.head = (head + 1) & this.mask;
    this.count--;
    return item;
  }

  /**
   * Removes and returns the item `offset` places behind the head (0 = head) in O(1): the head
   * item takes its slot, so the order of the others changes. For the random policy.
   */
  takeAt(offset: number): T | undefined {
    if (offset < 0 || offset >= this.count) return undefined;
    if (offset !== 0) {
      const buffer = this.buffer;
      const at = (this.head + offset) & this.mask;
      const item = buffer[at];
      buffer[at] = buffer[this.head];
      buffer[this.head] = item;
    }
    return this.dequeue();
  }

  private grow(): void {
    const old = this.buffer;
    const next = newArray<T | undefined>(old.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & this.mask];
    this.buffer = next;
    this.mask = next.length - 1;
    this.head = 0;
  }
}
