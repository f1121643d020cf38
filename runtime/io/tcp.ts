/**
 * TCP as futures: `listen` → `TcpListener.accept()`, `connect`, and `TcpStream` (read into a
 * caller's buffer, write with backpressure, shutdown, close) over Node's `net` module. libuv's
 * epoll/kqueue loop is the reactor; these leaves turn its events into wakes.
 *
 * The waker contract (the stream's read and write halves are node-streams.ts' `NodeReader` and
 * `NodeWriter`, and keep theirs):
 *  - `listen(…)`: the first poll starts listening; pending until 'listening' (Ready with the
 *    listener) or 'error' (thrown: `EADDRINUSE`…). Dropped before then, it closes the server.
 *  - `connect(…)`: the first poll opens the socket; pending until 'connect' or 'error'. Dropped
 *    before then, it destroys the socket: no half-open handle is left behind.
 *  - `accept()`: one slot, like a read: pending until a connection arrives, Ready with a
 *    `TcpStream`, or with `null` once the listener is closed (so an accept loop ends). Dropping
 *    a pending accept loses no connection: arrivals queue in the listener until accepted, and
 *    `close()` destroys the ones never accepted.
 *  - Every socket wrapped in a `TcpStream` has an 'error' listener from the start, so a reset
 *    (`ECONNRESET`) or a broken pipe (`EPIPE`) is thrown to the task that reads or writes it.
 *  - Half-close is explicit: sockets are made with `allowHalfOpen: true` (unless the options say
 *    otherwise), so reading the peer's end of stream does not end our side; `shutdown()` does.
 *  - `close()` (destroy: the handle is closed, pending reads and writes of the stream fail with
 *    `ERR_STREAM_PREMATURE_CLOSE` / `ERR_STREAM_DESTROYED`) is synchronous and idempotent: call it
 *    from a `finally`.
 *
 * Example:
 *     const listener = yield listen({ port: 0, host: "127.0.0.1" });
 *     for (let conn; (conn = yield listener.accept()) !== null; ) spawn(serve(conn));
 */
import * as net from "node:net";
import type { Context } from "../context";
import { PENDING, type Poll } from "../poll";
import type { Waker } from "../waker";
import { NodeReader, NodeWriter, WaitSlot, type EndFuture, type ReadFuture, type WriteFuture } from "./node-streams";
import { IdleTimer } from "./idle-timer";
import { OnceFuture } from "./once-future";
import { getDefaultTimerHeap } from "./timer-heap";

/** One TCP connection: read, write, shutdown, close. */
export class TcpStream {
  readonly socket: net.Socket;
  readonly reader: NodeReader;
  readonly writer: NodeWriter;

  constructor(socket: net.Socket) {
    this.socket = socket;
    this.reader = new NodeReader(socket);
    this.writer = new SocketWriter(socket);
  }

  /** Bytes copied into `buffer[offset, offset+length)`; 0 once the peer has shut down its side. */
  read(buffer: Uint8Array, offset?: number, length?: number): ReadFuture {
    return this.reader.read(buffer, offset, length);
  }

  /** Hands `chunk` to the socket once its buffer has room (backpressure: pending until 'drain'). */
  write(chunk: Uint8Array | string): WriteFuture {
    return this.writer.write(chunk);
  }

  /** Sends FIN after everything written so far; Ready once flushed. Reading stays possible. */
  shutdown(): EndFuture {
    return this.writer.end();
  }

  /** Closes the connection now (unsent bytes are dropped). Idempotent. */
  close(): void {
    this.reader.activity?.stop();
    this.socket.destroy();
  }

  /**
   * Closes the connection once it has been idle (nothing read or written through this stream)
   * for `ms` milliseconds: the pending and every later read or write then throws an `IoError`
   * with code `ERR_IO_IDLE_TIMEOUT`. One entry of the shared timer heap (idle-timer.ts), stopped
   * when the socket closes: nothing is allocated per read or write. `0` turns it off.
   */
  setIdleTimeout(ms: number): this {
    if (typeof ms !== "number" || !(ms >= 0) || ms === Infinity)
      throw new RangeError(`[async-machine] setIdleTimeout(ms): ms must be a finite number >= 0, got ${typeof ms === "number" ? ms : typeof ms}`);
    const reader = this.reader;
    reader.activity?.stop();
    reader.activity = this.writer.activity = undefined;
    if (ms === 0 || this.socket.destroyed) return this;
    const timer = new IdleTimer(getDefaultTimerHeap(), ms, this.socket);
    reader.activity = this.writer.activity = timer;
    timer.start();
    return this;
  }

  /** Closes with a TCP reset (RST) instead of an orderly close. */
  reset(): void {
    if (!this.socket.destroyed) this.socket.resetAndDestroy();
  }

  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }
}

/**
 * A socket's writer: the writes made in one turn of the event loop leave in one system call
 * (`writev`). The first write of a turn corks the socket; it is uncorked once the current job
 * and its microtasks — the executor's drain, every task it polls — are over. Backpressure still
 * holds: corked bytes count toward `writableNeedDrain`.
 */
class SocketWriter extends NodeWriter {
  protected override send(chunk: Uint8Array | string): void {
    const stream = this.stream;
    if (stream.writableCorked === 0) {
      stream.cork();
      process.nextTick(uncork, stream);
    }
    stream.write(chunk);
  }
}

function uncork(stream: net.Socket): void {
  stream.uncork();
}

/** A listening server: `accept()` connections, `close()` to stop. */
export class TcpListener {
  readonly server: net.Server;
  readonly slot = new WaitSlot();
  /** Connections that arrived and were not yet accepted (oldest first, from `head`). */
  private backlog: net.Socket[] = [];
  private head = 0;
  private closed = false;
  private error: { value: unknown } | undefined = undefined;

  constructor(server: net.Server) {
    this.server = server;
    server.on("connection", this.onConnection);
    server.on("error", this.onError);
  }

  /** The port the server listens on (useful after `listen({ port: 0 })`). */
  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** A future of the next connection, or `null` once the listener is closed. */
  accept(): AcceptFuture {
    return new AcceptFuture(this);
  }

  /** Stops listening, destroys connections never accepted, ends pending accepts with `null`. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    for (let i = this.head; i < this.backlog.length; i++) this.backlog[i].destroy();
    this.backlog = [];
    this.head = 0;
    this.slot.wake();
  }

  pollAccept(owner: object, cx: Context): Poll<TcpStream | null> {
    if (this.error !== undefined) throw this.error.value;
    if (this.head < this.backlog.length) {
      const socket = this.backlog[this.head++];
      socket.off("error", ignoreError);
      if (this.head === this.backlog.length) this.backlog.length = this.head = 0;
      this.slot.leave(owner);
      return new TcpStream(socket);
    }
    if (this.closed) {
      this.slot.leave(owner);
      return null;
    }
    return this.slot.park(owner, cx, "accept");
  }

  private readonly onConnection = (socket: net.Socket): void => {
    if (this.closed) {
      socket.destroy();
      return;
    }
    // Until accepted nobody reads it; a reset before then must not crash the process.
    socket.on("error", ignoreError);
    this.backlog.push(socket);
    this.slot.wake();
  };

  private readonly onError = (error: unknown): void => {
    this.error ??= { value: error };
    this.slot.wake();
  };
}

function ignoreError(): void {}

export class AcceptFuture extends OnceFuture<TcpStream | null> {
  constructor(private readonly listener: TcpListener) {
    super();
  }

  protected step(cx: Context): Poll<TcpStream | null> {
    return this.listener.pollAccept(this, cx);
  }

  protected release(): void {
    this.listener.slot.leave(this);
  }
}

/** Where and how to listen: `net.ListenOptions` (`port`, `host`, `backlog`…) plus server options. */
export type ListenOptions = net.ListenOptions & net.ServerOpts;

/** A future of a listening `TcpListener`; `{ port: 0 }` picks a free port. */
export function listen(options: ListenOptions): ListenFuture {
  return new ListenFuture(options);
}

/**
 * A future waiting for one event of a handle it opens (listening, connected): one waker slot,
 * and the handle's first error kept and thrown by the next step. Both wake the task once.
 */
abstract class HandleEventFuture<T> extends OnceFuture<T> {
  protected waker: Waker | undefined = undefined;
  protected error: { value: unknown } | undefined = undefined;

  protected readonly onError = (error: unknown): void => {
    this.error ??= { value: error };
    this.wakeOnce();
  };

  protected wakeOnce(): void {
    const waker = this.waker;
    this.waker = undefined;
    waker?.wake();
  }
}

export class ListenFuture extends HandleEventFuture<TcpListener> {
  private server: net.Server | undefined = undefined;
  private listening = false;

  constructor(private readonly options: ListenOptions) {
    super();
  }

  protected step(cx: Context): Poll<TcpListener> {
    if (this.error !== undefined) throw this.error.value;
    if (this.listening) {
      const server = this.server!;
      this.detach(server);
      this.server = undefined;
      return new TcpListener(server);
    }
    this.waker = cx.waker;
    if (this.server === undefined) {
      const server = (this.server = net.createServer({ allowHalfOpen: true, ...this.options }));
      server.on("listening", this.onListening);
      server.on("error", this.onError);
      server.listen(this.options);
    }
    return PENDING;
  }

  protected release(): void {
    const server = this.server;
    this.server = undefined;
    this.waker = undefined;
    if (server === undefined) return;
    this.detach(server);
    server.on("error", ignoreError);
    server.close();
  }

  private detach(server: net.Server): void {
    server.off("listening", this.onListening);
    server.off("error", this.onError);
  }

  private readonly onListening = (): void => {
    this.listening = true;
    this.wakeOnce();
  };
}

/** A future of a connected `TcpStream` (`net.connect` options: `port`, `host`, `noDelay`…). */
export function connect(options: net.NetConnectOpts): ConnectFuture {
  return new ConnectFuture(options);
}

export class ConnectFuture extends HandleEventFuture<TcpStream> {
  private socket: net.Socket | undefined = undefined;
  private connected = false;

  constructor(private readonly options: net.NetConnectOpts) {
    super();
  }

  protected step(cx: Context): Poll<TcpStream> {
    if (this.error !== undefined) throw this.error.value; // release() detaches and destroys
    if (this.connected) {
      const socket = this.socket!;
      this.detach(socket);
      this.socket = undefined;
      return new TcpStream(socket);
    }
    this.waker = cx.waker;
    if (this.socket === undefined) {
      const socket = (this.socket = net.connect({ allowHalfOpen: true, ...this.options }));
      socket.on("connect", this.onConnect);
      socket.on("error", this.onError);
    }
    return PENDING;
  }

  protected release(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.waker = undefined;
    if (socket === undefined) return;
    this.detach(socket);
    socket.on("error", ignoreError);
    socket.destroy();
  }

  private detach(socket: net.Socket): void {
    socket.off("connect", this.onConnect);
    socket.off("error", this.onError);
  }

  private readonly onConnect = (): void => {
    this.connected = true;
    this.wakeOnce();
  };
}
