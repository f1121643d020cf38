/**
 * `channel()`: an unbounded single-consumer channel between tasks, as a future.
 *
 * In:  values given to `send` (from any code: a task, a callback, a promise job).
 * Out: `await ch.recv()` in one task resumes with them in the order they were sent.
 *
 * Poll-mode code talks through it without promises: `recv()` returns the channel itself, a
 * future whose poll takes the oldest value or stores the receiver's waker; `send` queues the
 * value and wakes that waker. Nothing is allocated per message but its slot in a ring buffer
 * that grows only while values are sent faster than they are received.
 *
 * One receiver at a time: a poll with another waker while one is waiting replaces it (the
 * earlier poller was dropped or moved on), as a `Receiver` in Rust is owned by one task.
 * `close()` makes pending and later receives end with `undefined` once the queue is empty.
 *
 * Example:
 *     const ch = channel<number>();
 *     spawn(producer(ch));          // ch.send(1); ch.send(2); ch.close();
 *     for (let v; (v = await ch.recv()) !== undefined; ) sum += v;
 */
import type { Context } from "./context";
import type { Future } from "./future";
import { PENDING, type Poll } from "./poll";
import { RingQueue } from "./ready-queue";
import type { Waker } from "./waker";

export class Channel<T> implements Future<T | undefined> {
  private readonly queue = new RingQueue<T>(8);
  /** The receiver's waker while it waits on an empty queue. */
  private waiting: Waker | undefined;
  private closed = false;

  /** Queues `value` and wakes the waiting receiver. Throws after `close()`. */
  send(value: T): void {
    if (this.closed) throw new TypeError("[async-machine] send on a closed channel");
    this.queue.enqueue(value);
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      waiting.wake();
    }
  }

  /** Ends the stream: once the queue is drained, receives yield `undefined`. */
  close(): void {
    this.closed = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting !== undefined) waiting.wake();
  }

  /** The next value, as a future (the channel itself: receiving allocates nothing). */
  recv(): Channel<T> {
    return this;
  }

  /** Values sent and not yet received. */
  get size(): number {
    return this.queue.size;
  }

  poll(cx: Context): Poll<T | undefined> {
    if (this.queue.size !== 0) return this.queue.dequeue() as T;
    if (this.closed) return undefined;
    this.waiting = cx.waker;
    return PENDING;
  }

  /** A receiver that stops waiting (a `select` it lost) lets go of its waker. */
  drop(cx: Context): void {
    if (this.waiting === cx.waker) this.waiting = undefined;
  }
}

/** A new empty channel. */
export function channel<T>(): Channel<T> {
  return new Channel<T>();
}
