/**
 * Node streams as futures: `NodeReader` turns a `Readable` into read futures, `NodeWriter` turns
 * a `Writable` into write futures with backpressure. Sockets, child-process pipes and file
 * streams all come through here.
 *
 * The waker contract these leaves keep:
 *  - One slot per direction. A pending read (or write) stores the latest `cx.waker` in its
 *    reader's (writer's) slot and nothing else: no listener, timer or promise per poll. The
 *    stream's listeners are attached once, when the reader or writer is made, and they wake the
 *    slot: 'readable' (also sent at end of stream) / 'error' / 'close' for reading, 'drain' / 'finish' / 'error' /
 *    'close' for writing. The 'error' listener is always there, so a stream error reaches the
 *    task that owns the stream (thrown from its next or pending read or write) instead of
 *    crashing the process as an unhandled 'error' event.
 *  - One operation at a time per direction: a second read polled while another read future is
 *    pending throws `ERR_IO_BUSY` rather than silently stealing the first one's wakes. Dropping
 *    a pending read or write (a `select` it lost, a cancelled task) empties the slot.
 *  - Nothing is lost on drop. A read takes bytes out of the stream only in the poll that
 *    returns them; a write hands its chunk to the stream only in the poll that returns Ready,
 *    so a dropped pending write wrote nothing.
 *  - Errors stick: after 'error', every later read and write throws that error. A stream
 *    closed under a pending read throws `ERR_STREAM_PREMATURE_CLOSE` (unless it had ended:
 *    then reads return 0, end of stream); a write to a destroyed stream throws
 *    `ERR_STREAM_DESTROYED`, after `end()` `ERR_STREAM_WRITE_AFTER_END`. Nothing hangs.
 *
 * Backpressure: `write(chunk)` waits, before writing, while the stream reports
 * `writableNeedDrain` (its buffer passed `writableHighWaterMark` and 'drain' has not come), so
 * the bytes buffered for a slow peer stay below the high-water mark plus one chunk. Reading
 * keeps the stream in paused mode: the host reads ahead at most `readableHighWaterMark` bytes,
 * then stops reading the socket or pipe until the task reads.
 *
 * `release()` detaches the listeners (error listener included) and hands the stream back.
 *
 * Example:
 *     const reader = new NodeReader(socket); const buf = Buffer.alloc(4096);
 *     const n = yield reader.read(buf);     // 0 at end of stream
 */
import type { Readable, Writable } from "node:stream";
import type { Context } from "../context";
import { PENDING, type Poll } from "../poll";
import type { Waker } from "../waker";
import { busyError, IoError } from "./errors";
import type { IdleTimer } from "./idle-timer";
import { OnceFuture } from "./once-future";

/** The single waiting slot of one direction of a stream: who waits, and its latest waker. */
export class WaitSlot {
  /** The future that is waiting, until it completes or is dropped. */
  owner: object | undefined = undefined;
  private waker: Waker | undefined = undefined;

  /** Stores `cx.waker` for `owner`; throws if another future already waits here. */
  park(owner: object, cx: Context, what: string): typeof PENDING {
    if (this.owner !== undefined && this.owner !== owner) throw busyError(what);
    this.owner = owner;
    this.waker = cx.waker;
    return PENDING;
  }

  /** `owner` is done waiting (Ready, failed or dropped); a no-op for anyone else. */
  leave(owner: object): void {
    if (this.owner !== owner) return;
    this.owner = undefined;
    this.waker = undefined;
  }

  /** Wakes the waiting future, if any (it re-polls and re-parks if still not ready). */
  wake(): void {
    const waker = this.waker;
    this.waker = undefined;
    waker?.wake();
  }
}

/**
 * Reads a Node `Readable` through futures (see the module comment). The reader is its read
 * direction's waiting slot itself (`slot` is the reader): one object per direction, not two.
 */
export class NodeReader extends WaitSlot {
  readonly stream: Readable;
  /** The unread tail of the last chunk taken from the stream, for byte reads. */
  private leftover: Uint8Array | undefined = undefined;
  private error: { value: unknown } | undefined = undefined;
  /** Told of every chunk read (`TcpStream.setIdleTimeout`). */
  activity: IdleTimer | undefined = undefined;

  constructor(stream: Readable) {
    const held = stream as HeldReadable;
    if (held[READER] !== undefined) throw new TypeError("[async-machine] new NodeReader(stream): the stream already has a reader (release() it first)");
    super();
    this.stream = stream;
    const shared = (held as Held)[WRITER] === undefined; // else the writer attached the shared listeners
    held[READER] = this;
    stream.on("readable", readerWake); // also at end of stream: Node emits 'readable' when the end arrives
    if (shared) attachShared(stream);
  }

  get slot(): WaitSlot {
    return this;
  }

  /** A future of the number of bytes copied into `buffer[offset, offset+length)`: 0 at end of stream. */
  read(buffer: Uint8Array, offset = 0, length = buffer.length - offset): ReadFuture {
    if (!(offset >= 0 && length >= 0 && offset + length <= buffer.length))
      throw new RangeError(`[async-machine] read(buffer, ${offset}, ${length}): the range is outside a buffer of ${buffer.length} bytes`);
    return new ReadFuture(this, buffer, offset, length);
  }

  /** A future of the next chunk as the stream produced it (any type in object mode); null at end. */
  readChunk<T = Buffer>(): ChunkFuture<T> {
    return new ChunkFuture<T>(this);
  }

  /** Detaches this reader's listeners; the stream is the caller's again. Unread leftover bytes are lost. */
  release(): void {
    const stream = this.stream;
    const held = stream as Held;
    if (held[READER] !== this) return;
    stream.off("readable", readerWake);
    held[READER] = undefined;
    if (held[WRITER] === undefined) detachShared(stream);
    this.leftover = undefined;
  }

  /** One poll of a byte read: copies what is available, or parks `owner`. */
  pollRead(owner: object, cx: Context, buffer: Uint8Array, offset: number, length: number): Poll<number> {
    if (length === 0) return 0;
    let chunk = this.leftover;
    this.leftover = undefined;
    if (chunk === undefined) {
      const next = this.pollChunk(owner, cx, "read");
      if (next === PENDING) return PENDING;
      if (next === null) return 0;
      if (!(next instanceof Uint8Array))
        throw new TypeError(`[async-machine] read(buffer): the stream produced a ${typeof next} chunk, not bytes (a decoding or object-mode stream: use readChunk())`);
      chunk = next;
    }
    const n = Math.min(length, chunk.length);
    buffer.set(n === chunk.length ? chunk : chunk.subarray(0, n), offset);
    if (n < chunk.length) this.leftover = chunk.subarray(n);
    return n;
  }

  /** One poll of a chunk read: the next chunk, null at end, or `PENDING` with `owner` parked. */
  pollChunk(owner: object, cx: Context, what: string): Poll<unknown> {
    if (this.leftover !== undefined) {
      const rest = this.leftover;
      this.leftover = undefined;
      this.leave(owner);
      return rest;
    }
    if (this.error !== undefined) throw this.error.value;
    const stream = this.stream;
    const chunk: unknown = stream.read();
    if (chunk !== null) {
      this.leave(owner);
      const activity = this.activity;
      if (activity !== undefined) activity.last = performance.now();
      return chunk;
    }
    if (stream.readableEnded || (stream as { _readableState?: { ended?: boolean } })._readableState?.ended === true) {
      this.leave(owner);
      return null;
    }
    if (stream.destroyed) {
      if (stream.errored) throw stream.errored;
      throw new IoError(`${what}: the stream was closed before its end`, "ERR_STREAM_PREMATURE_CLOSE");
    }
    return this.park(owner, cx, what);
  }

  /** 'error' came: it is thrown by this read and every later one. */
  failed(error: unknown): void {
    this.error ??= { value: error };
    this.wake();
  }
}

/** A byte read (`NodeReader.read`). Dropping it while pending takes nothing from the stream. */
export class ReadFuture extends OnceFuture<number> {
  constructor(
    private readonly reader: { pollRead(owner: object, cx: Context, buffer: Uint8Array, offset: number, length: number): Poll<number>; readonly slot: WaitSlot },
    private readonly buffer: Uint8Array,
    private readonly offset: number,
    private readonly length: number,
  ) {
    super();
  }

  protected step(cx: Context): Poll<number> {
    return this.reader.pollRead(this, cx, this.buffer, this.offset, this.length);
  }

  protected release(): void {
    this.reader.slot.leave(this);
  }
}

/** A chunk read (`NodeReader.readChunk`): the chunk, or null at end of stream. */
export class ChunkFuture<T> extends OnceFuture<T | null> {
  constructor(private readonly reader: { pollChunk(owner: object, cx: Context, what: string): Poll<unknown>; readonly slot: WaitSlot }) {
    super();
  }

  protected step(cx: Context): Poll<T | null> {
    return this.reader.pollChunk(this, cx, "readChunk") as Poll<T | null>;
  }

  protected release(): void {
    this.reader.slot.leave(this);
  }
}

/** Writes a Node `Writable` through futures, with backpressure (see the module comment). The writer is its own slot. */
export class NodeWriter extends WaitSlot {
  readonly stream: Writable;
  private finished = false;
  private error: { value: unknown } | undefined = undefined;
  /** Told of every write (`TcpStream.setIdleTimeout`). */
  activity: IdleTimer | undefined = undefined;

  constructor(stream: Writable) {
    const held = stream as HeldWritable;
    if (held[WRITER] !== undefined) throw new TypeError("[async-machine] new NodeWriter(stream): the stream already has a writer (release() it first)");
    super();
    this.stream = stream;
    const shared = (held as Held)[READER] === undefined; // else the reader attached the shared listeners
    held[WRITER] = this;
    stream.on("drain", writerWake);
    stream.on("finish", writerFinish);
    if (shared) attachShared(stream);
  }

  get slot(): WaitSlot {
    return this;
  }

  /** A future that hands `chunk` to the stream once its buffer has room (see backpressure above). */
  write(chunk: Uint8Array | string): WriteFuture {
    return new WriteFuture(this, chunk);
  }

  /** A future that ends the stream (TCP: sends FIN) and is Ready once everything was flushed. */
  end(): EndFuture {
    return new EndFuture(this);
  }

  /** Detaches this writer's listeners; the stream is the caller's again. */
  release(): void {
    const stream = this.stream;
    const held = stream as Held;
    if (held[WRITER] !== this) return;
    stream.off("drain", writerWake);
    stream.off("finish", writerFinish);
    held[WRITER] = undefined;
    if (held[READER] === undefined) detachShared(stream);
  }

  /** Bytes the stream holds that the host has not yet taken (for backpressure checks). */
  get buffered(): number {
    return this.stream.writableLength;
  }

  pollWrite(owner: object, cx: Context, chunk: Uint8Array | string): Poll<void> {
    this.checkWritable("write");
    if (this.stream.writableNeedDrain) return this.park(owner, cx, "write");
    this.leave(owner);
    this.send(chunk);
    const activity = this.activity;
    if (activity !== undefined) activity.last = performance.now();
    return undefined;
  }

  pollEnd(owner: object, cx: Context): Poll<void> {
    if (this.error !== undefined) throw this.error.value;
    const stream = this.stream;
    if (this.finished || stream.writableFinished) {
      this.leave(owner);
      return undefined;
    }
    if (stream.destroyed) throw new IoError("end: the stream was closed before everything was written", "ERR_STREAM_DESTROYED");
    if (!stream.writableEnded) stream.end();
    return this.park(owner, cx, "end");
  }

  /** Hands `chunk` to the stream (a failed write is also emitted as 'error', which streamError keeps). */
  protected send(chunk: Uint8Array | string): void {
    this.stream.write(chunk);
  }

  private checkWritable(what: string): void {
    if (this.error !== undefined) throw this.error.value;
    const stream = this.stream;
    if (stream.destroyed) throw new IoError(`${what}: the stream is closed`, "ERR_STREAM_DESTROYED");
    if (stream.writableEnded) throw new IoError(`${what}: the stream was ended`, "ERR_STREAM_WRITE_AFTER_END");
  }

  /** 'finish' came: a pending end is Ready. */
  flushed(): void {
    this.finished = true;
    this.wake();
  }

  /** 'error' came: it is thrown by the pending and every later write or end. */
  failed(error: unknown): void {
    this.error ??= { value: error };
    this.wake();
  }
}

// The streams' listeners are shared functions, not closures per reader or writer: an idle
// connection holds nothing per listener but its entry in the stream's listener list. Node calls
// a listener with `this` = the stream, which holds its reader and writer under these symbols.
// 'error' and 'close' concern both directions of a duplex stream (a socket): one listener each
// serves both, attached by whichever of reader and writer comes first and detached with the last.
const READER = Symbol("async-machine reader");
const WRITER = Symbol("async-machine writer");
type Held = { [READER]?: NodeReader; [WRITER]?: NodeWriter };
type HeldReadable = Readable & Held;
type HeldWritable = Writable & Held;

function attachShared(stream: Readable | Writable): void {
  stream.on("error", streamError);
  stream.on("close", streamClose);
}

function detachShared(stream: Readable | Writable): void {
  stream.off("error", streamError);
  stream.off("close", streamClose);
}

function streamError(this: Held, error: unknown): void {
  this[READER]?.failed(error);
  this[WRITER]?.failed(error);
}

function streamClose(this: Held): void {
  const reader = this[READER];
  const writer = this[WRITER];
  reader?.activity?.stop(); // a closed stream has no idle time left to watch
  writer?.activity?.stop();
  reader?.wake();
  writer?.wake();
}

function readerWake(this: HeldReadable): void {
  this[READER]?.wake();
}
function writerWake(this: HeldWritable): void {
  this[WRITER]?.wake();
}
function writerFinish(this: HeldWritable): void {
  this[WRITER]?.flushed();
}

/** A write (`NodeWriter.write`): Ready once the chunk is handed to the stream. */
export class WriteFuture<C = Uint8Array | string> extends OnceFuture<void> {
  constructor(
    private readonly writer: { pollWrite(owner: object, cx: Context, chunk: C): Poll<void>; readonly slot: WaitSlot },
    private readonly chunk: C,
  ) {
    super();
  }

  protected step(cx: Context): Poll<void> {
    return this.writer.pollWrite(this, cx, this.chunk);
  }

  protected release(): void {
    this.writer.slot.leave(this);
  }
}

/** An end (`NodeWriter.end`): Ready once the stream has flushed and finished. */
export class EndFuture extends OnceFuture<void> {
  constructor(private readonly writer: { pollEnd(owner: object, cx: Context): Poll<void>; readonly slot: WaitSlot }) {
    super();
  }

  protected step(cx: Context): Poll<void> {
    return this.writer.pollEnd(this, cx);
  }

  protected release(): void {
    this.writer.slot.leave(this);
  }
}
