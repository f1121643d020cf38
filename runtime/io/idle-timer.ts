/**
 * `IdleTimer`: closes a stream that has been idle — nothing read or written through its reader
 * and writer — for `ms` milliseconds (`TcpStream.setIdleTimeout`). It is one entry of the timer
 * heap, not a host timer: the reader and writer stamp `last` on each chunk read and each write
 * (one clock read, nothing allocated), and when the entry comes due it either closes the stream
 * or goes back into the heap, due `ms` after the last activity. Closing the stream (or `stop()`)
 * takes it out of the heap, so a closed connection leaves no timer behind.
 *
 * Why not `socket.setTimeout`: the host's per-socket timer costs a `Timeout` object and two
 * bound functions (~240 bytes) per connection; this entry is one object.
 */
import type { Waker } from "../waker";
import { IoError } from "./errors";
import { HeapSleep, type TimerHeap } from "./timer-heap";

/** What an idle timer closes. */
export interface Closable {
  destroy(error?: Error): unknown;
}

export class IdleTimer extends HeapSleep implements Waker {
  /** When the stream was last active (`performance.now()` milliseconds). */
  last = performance.now();
  /** Between start() and stop() (or the close it made). */
  private watching = false;

  constructor(
    heap: TimerHeap,
    ms: number,
    private readonly stream: Closable,
  ) {
    super(heap, ms);
  }

  /** Starts watching: due `ms` from now unless there is activity. */
  start(): void {
    this.last = performance.now();
    this.watching = true;
    this.waker = this;
    this.heap.insert(this);
  }

  /** Stops watching (idempotent). */
  stop(): void {
    this.watching = false;
    this.drop();
  }

  /** Due (the heap calls it): close the stream if it stayed idle, else wait again from its last activity. */
  wake(): void {
    if (!this.watching) return;
    const dueAt = this.last + this.ms;
    if (dueAt > performance.now()) {
      this.done = false;
      this.waker = this;
      this.heap.insert(this, dueAt);
      return;
    }
    this.watching = false;
    this.stream.destroy(new IoError(`idle for ${this.ms} ms: the connection was closed`, "ERR_IO_IDLE_TIMEOUT"));
  }
}
