/**
 * Web streams as futures: `WebReader` over a `ReadableStream` (chunks, or bytes into a caller's
 * buffer), `WebWriter` over a `WritableStream` (writes that wait on `writer.ready`).
 *
 * A web stream speaks only in promises, so these leaves attach handlers to them (through the
 * `then` captured at load): one pair per `reader.read()`, per full-queue wait on
 * `writer.ready`, and per `writer.write()` (to catch its failure).
 *
 * Waker contract:
 *  - `WebReader`: a read starts one `reader.read()` (one pair of handlers, through the `then`
 *    captured at load), stores the waker in the reader's one slot, and is woken when it settles.
 *    A read dropped while `reader.read()` is in flight loses nothing: the chunk it brings is kept
 *    for the next read. A rejection is thrown to the reading task and sticks.
 *  - `WebWriter`: a write waits while `writer.desiredSize <= 0` (the queue is full) on
 *    `writer.ready`, then hands its chunk over with `writer.write(chunk)` and is Ready — the same
 *    "dropped pending write wrote nothing" rule as node-streams.ts. A failed `write` promise is
 *    remembered and thrown from the next write or close. `close()` is Ready once the sink closed.
 *  - `release()` releases the stream's lock (a reader with a read in flight cancels the stream:
 *    its lock cannot be released while a read is pending).
 *
 * Example:
 *     const reader = new WebReader(response.body!);
 *     for (let chunk; (chunk = yield reader.readChunk()) !== null; ) use(chunk);
 */
import type { ReadableStream, ReadableStreamDefaultReader, WritableStream, WritableStreamDefaultWriter } from "node:stream/web";
import type { Context } from "../context";
import { PENDING, type Poll } from "../poll";
import type { Waker } from "../waker";
import { ChunkFuture, ReadFuture, WaitSlot, WriteFuture } from "./node-streams";
import { OnceFuture } from "./once-future";

const promiseThen = Promise.prototype.then;

/** Reads a web `ReadableStream` through futures. Takes the stream's lock. */
export class WebReader<T = Uint8Array> {
  readonly reader: ReadableStreamDefaultReader<T>;
  readonly slot = new WaitSlot();
  private inFlight = false;
  /** A chunk that arrived (or end of stream: null) and was not yet taken by a read. */
  private arrived: { value: T | null } | undefined = undefined;
  private leftover: Uint8Array | undefined = undefined;
  private ended = false;
  private error: { value: unknown } | undefined = undefined;

  constructor(stream: ReadableStream<T>) {
    this.reader = stream.getReader();
  }

  /** A future of the next chunk; null at end of stream. */
  readChunk(): ChunkFuture<T> {
    return new ChunkFuture<T>(this);
  }

  /** A future of the number of bytes copied into `buffer[offset, offset+length)` (chunks must be bytes); 0 at end. */
  read(buffer: Uint8Array, offset = 0, length = buffer.length - offset): ReadFuture {
    if (!(offset >= 0 && length >= 0 && offset + length <= buffer.length))
      throw new RangeError(`[async-machine] read(buffer, ${offset}, ${length}): the range is outside a buffer of ${buffer.length} bytes`);
    return new ReadFuture(this, buffer, offset, length);
  }

  /** Releases the lock (cancelling the stream if a read is in flight). */
  release(): void {
    if (this.inFlight) void this.reader.cancel().catch(ignore);
    else this.reader.releaseLock();
  }

  pollChunk(owner: object, cx: Context, what: string): Poll<unknown> {
    if (this.leftover !== undefined) {
      const rest = this.leftover;
      this.leftover = undefined;
      this.slot.leave(owner);
      return rest;
    }
    const arrived = this.arrived;
    if (arrived !== undefined) {
      this.arrived = undefined;
      this.slot.leave(owner);
      return arrived.value;
    }
    if (this.error !== undefined) throw this.error.value;
    if (this.ended) {
      this.slot.leave(owner);
      return null;
    }
    this.slot.park(owner, cx, what);
    if (!this.inFlight) {
      this.inFlight = true;
      promiseThen.call(this.reader.read(), this.onRead, this.onError);
    }
    return PENDING;
  }

  pollRead(owner: object, cx: Context, buffer: Uint8Array, offset: number, length: number): Poll<number> {
    if (length === 0) return 0;
    const next = this.pollChunk(owner, cx, "read");
    if (next === PENDING) return PENDING;
    if (next === null) return 0;
    if (!(next instanceof Uint8Array)) throw new TypeError(`[async-machine] read(buffer): the stream produced a ${typeof next} chunk, not bytes (use readChunk())`);
    const n = Math.min(length, next.length);
    buffer.set(n === next.length ? next : next.subarray(0, n), offset);
    if (n < next.length) this.leftover = next.subarray(n);
    return n;
  }

  private readonly onRead = (result: { done: boolean; value?: T }): void => {
    this.inFlight = false;
    if (result.done) this.ended = true;
    else this.arrived = { value: result.value as T };
    this.slot.wake();
  };

  private readonly onError = (error: unknown): void => {
    this.inFlight = false;
    this.error ??= { value: error };
    this.slot.wake();
  };
}

/** Writes a web `WritableStream` through futures. Takes the stream's lock. */
export class WebWriter<T = Uint8Array> {
  readonly writer: WritableStreamDefaultWriter<T>;
  readonly slot = new WaitSlot();
  /** The `writer.ready` promise a handler is attached to (one attach per promise). */
  private watchedReady: Promise<void> | undefined = undefined;
  private error: { value: unknown } | undefined = undefined;

  constructor(stream: WritableStream<T>) {
    this.writer = stream.getWriter();
  }

  /** A future that hands `chunk` to the stream once its queue has room. */
  write(chunk: T): WriteFuture<T> {
    return new WriteFuture<T>(this, chunk);
  }

  /** A future Ready once everything written has reached the sink and it closed. */
  close(): WebCloseFuture {
    return new WebCloseFuture(this);
  }

  /** Releases the lock. */
  release(): void {
    this.writer.releaseLock();
  }

  pollWrite(owner: object, cx: Context, chunk: T): Poll<void> {
    if (this.error !== undefined) throw this.error.value;
    const writer = this.writer;
    const desired = writer.desiredSize;
    if (desired !== null && desired <= 0) {
      const ready = writer.ready;
      if (this.watchedReady !== ready) {
        this.watchedReady = ready;
        promiseThen.call(ready, this.onReady, this.onError);
      }
      return this.slot.park(owner, cx, "write");
    }
    this.slot.leave(owner);
    promiseThen.call(writer.write(chunk), undefined, this.onError);
    return undefined;
  }

  /** The stream's error so far, if a write failed. */
  get failure(): { value: unknown } | undefined {
    return this.error;
  }

  private readonly onReady = (): void => this.slot.wake();

  private readonly onError = (error: unknown): void => {
    this.error ??= { value: error };
    this.slot.wake();
  };
}

export class WebCloseFuture extends OnceFuture<void> {
  private started = false;
  private closed = false;
  private error: { value: unknown } | undefined = undefined;
  private waker: Waker | undefined = undefined;

  constructor(private readonly owner: WebWriter<unknown>) {
    super();
  }

  protected step(cx: Context): Poll<void> {
    if (this.error !== undefined) throw this.error.value;
    if (this.closed) return undefined;
    const failure = this.owner.failure;
    if (failure !== undefined) throw failure.value;
    this.waker = cx.waker;
    if (!this.started) {
      this.started = true;
      promiseThen.call(this.owner.writer.close(), this.onClosed, this.onError);
    }
    return PENDING;
  }

  protected release(): void {
    this.waker = undefined;
  }

  private readonly onClosed = (): void => {
    this.closed = true;
    this.wakeOnce();
  };

  private readonly onError = (error: unknown): void => {
    this.error ??= { value: error };
    this.wakeOnce();
  };

  private wakeOnce(): void {
    const waker = this.waker;
    this.waker = undefined;
    waker?.wake();
  }
}

function ignore(): void {}
