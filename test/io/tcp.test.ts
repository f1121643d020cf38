/**
 * TCP leaves on loopback (port 0): an echo round trip, then the failures a server meets — a
 * client gone mid-message, a reset, a slow reader, a write to a closed socket, a cancel during
 * a write. Each checks that no task hangs (every task settles), that errors reach the task that
 * owns the socket, and that no handle is left (process.getActiveResourcesInfo()).
 */
import * as net from "node:net";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { Executor, select, type Future } from "../../runtime/index";
import { connect, getDefaultTimerHeap, listen, NodeReader, type TcpListener, type TcpStream } from "../../runtime/io/index";
import { ManualFuture } from "../runtime/support";
import { quietResources, settledResources, task, turns, withoutTimers } from "./support";

const HOST = "127.0.0.1";
let executor: Executor;
let before: Record<string, number>;

beforeEach(async () => {
  executor = new Executor();
  before = await quietResources();
});

afterEach(async () => {
  expect(await settledResources(before)).toEqual(withoutTimers(before));
});

function startListener(): Promise<TcpListener> {
  return executor.run(listen({ port: 0, host: HOST }));
}

/** Reads until end of stream; returns the bytes as text. */
function readAll(conn: TcpStream): Future<string> {
  return task(function* () {
    const buffer = Buffer.alloc(7); // small on purpose: many reads per message
    const parts: Buffer[] = [];
    for (;;) {
      const n = (yield conn.read(buffer)) as number;
      if (n === 0) return Buffer.concat(parts).toString();
      parts.push(Buffer.from(buffer.subarray(0, n)));
    }
  });
}

/** A raw client socket, connected. */
async function rawClient(port: number): Promise<net.Socket> {
  const socket = net.connect({ port, host: HOST });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  return socket;
}

describe("tcp", () => {
  test("echo: accept, read into a small buffer, write, shutdown; the client connects and reads to the end", async () => {
    const listener = await startListener();
    const server = executor.run(
      task(function* () {
        const conn = (yield listener.accept()) as TcpStream;
        try {
          const text = (yield readAll(conn)) as string;
          yield conn.write(`echo:${text}`);
          yield conn.shutdown();
          return text;
        } finally {
          conn.close();
        }
      }),
    );
    const client = executor.run(
      task(function* () {
        const conn = (yield connect({ port: listener.port, host: HOST })) as TcpStream;
        try {
          yield conn.write("hello, ");
          yield conn.write(Buffer.from("machine"));
          yield conn.shutdown();
          return (yield readAll(conn)) as string;
        } finally {
          conn.close();
        }
      }),
    );
    expect(await client).toBe("echo:hello, machine");
    expect(await server).toBe("hello, machine");
    listener.close();
    expect(await executor.run(listener.accept())).toBe(null); // a closed listener ends accept loops
  });

  test("a client that disconnects mid-message: the server's read returns end of stream, its finally closes", async () => {
    const listener = await startListener();
    let closedInFinally = false;
    const server = executor.run(
      task(function* () {
        const conn = (yield listener.accept()) as TcpStream;
        try {
          const buffer = Buffer.alloc(64);
          let line = "";
          for (;;) {
            const n = (yield conn.read(buffer)) as number;
            if (n === 0) return `ended before the newline, after ${JSON.stringify(line)}`;
            line += buffer.toString("utf8", 0, n);
            if (line.includes("\n")) return "complete";
          }
        } finally {
          conn.close();
          closedInFinally = true;
        }
      }),
    );
    const client = await rawClient(listener.port);
    client.write("GET /par");
    await turns(2);
    client.destroy();
    expect(await server).toBe('ended before the newline, after "GET /par"');
    expect(closedInFinally).toBe(true);
    listener.close();
  });

  test("a reset connection: ECONNRESET is thrown to the task that reads the socket", async () => {
    const listener = await startListener();
    const server = executor.run(
      task(function* () {
        const conn = (yield listener.accept()) as TcpStream;
        try {
          const buffer = Buffer.alloc(64);
          for (;;) if (((yield conn.read(buffer)) as number) === 0) return "end of stream";
        } finally {
          conn.close();
        }
      }),
    );
    const client = await rawClient(listener.port);
    client.write("some bytes");
    await turns(2);
    client.resetAndDestroy();
    await expect(server).rejects.toMatchObject({ code: "ECONNRESET" });
    listener.close();
  });

  test("a slow reader: writes wait for 'drain', the bytes buffered stay under the high-water mark plus one chunk", async () => {
    const listener = await startListener();
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const total = 512; // 32 MiB: more than loopback's socket buffers can absorb
    let written = 0;
    let maxBuffered = 0;
    let highWaterMark = 0;
    const server = executor.run(
      task(function* () {
        const conn = (yield listener.accept()) as TcpStream;
        highWaterMark = conn.socket.writableHighWaterMark;
        try {
          for (; written < total; written++) {
            yield conn.write(chunk);
            maxBuffered = Math.max(maxBuffered, conn.writer.buffered);
          }
          yield conn.shutdown();
        } finally {
          conn.close();
        }
      }),
    );
    const client = await rawClient(listener.port);
    client.pause(); // a reader that does not read
    let stalledAt = -1;
    for (let i = 0; i < 50 && stalledAt !== written; i++) {
      stalledAt = written;
      await turns(4);
    }
    expect(written).toBeLessThan(total); // the writer waits: nothing piles up in memory
    expect(maxBuffered).toBeLessThanOrEqual(highWaterMark + chunk.length);
    let received = 0;
    client.on("data", (data: Buffer) => (received += data.length));
    const ended = new Promise<void>((resolve) => client.once("end", resolve));
    client.resume();
    await server;
    await ended;
    client.destroy();
    expect(received).toBe(total * chunk.length);
    expect(maxBuffered).toBeLessThanOrEqual(highWaterMark + chunk.length);
    listener.close();
  });

  test("a write to a closed socket throws instead of hanging: peer gone (EPIPE/ECONNRESET) and closed locally", async () => {
    const listener = await executor.run(listen({ port: 0, host: HOST, allowHalfOpen: true }));
    const server = executor.run(
      task(function* () {
        const conn = (yield listener.accept()) as TcpStream;
        try {
          const buffer = Buffer.alloc(64);
          while (((yield conn.read(buffer)) as number) !== 0);
          // The peer is gone; allowHalfOpen keeps our side open, so the writes reach the kernel.
          for (let i = 0; i < 10_000; i++) yield conn.write(Buffer.alloc(1024));
          return "every write succeeded";
        } finally {
          conn.close();
        }
      }),
    );
    const client = await rawClient(listener.port);
    client.destroy();
    const error = await server.catch((e: unknown) => e);
    expect(["EPIPE", "ECONNRESET"]).toContain((error as { code?: string }).code);

    const local = executor.run(
      task(function* () {
        const conn = (yield connect({ port: listener.port, host: HOST })) as TcpStream;
        conn.close();
        yield conn.write("late");
      }),
    );
    const accepted = (await executor.run(listener.accept())) as TcpStream;
    await expect(local).rejects.toMatchObject({ code: "ERR_STREAM_DESTROYED" });
    accepted.close();
    listener.close();
  });

  test("a cancel during a pending write: the write is dropped (nothing written), the task's finally closes the socket", async () => {
    const listener = await startListener();
    const chunk = Buffer.alloc(64 * 1024, 0x62);
    let conn: TcpStream | undefined;
    let pendingWrites = 0;
    let finallyRan = false;
    const cancel = new ManualFuture<string>();
    const writer = task(function* () {
      conn = (yield listener.accept()) as TcpStream;
      try {
        for (;;) {
          pendingWrites++;
          yield conn.write(chunk);
          pendingWrites--;
        }
      } finally {
        conn.close();
        finallyRan = true;
      }
    });
    const raced = executor.run(select([writer, cancel]));
    const client = await rawClient(listener.port);
    client.pause();
    for (let i = 0; i < 200 && !(conn !== undefined && conn.writer.slot.owner !== undefined); i++) await turns(2);
    expect(conn!.writer.slot.owner).toBeDefined(); // a write is parked, waiting for 'drain'
    const bufferedAtCancel = conn!.writer.buffered;
    cancel.complete("cancelled");
    expect(await raced).toEqual({ index: 1, value: "cancelled" });
    expect(finallyRan).toBe(true);
    expect(pendingWrites).toBe(1);
    expect(conn!.writer.slot.owner).toBeUndefined(); // the dropped write left its slot
    expect(conn!.socket.destroyed).toBe(true);
    expect(bufferedAtCancel).toBeLessThanOrEqual(conn!.socket.writableHighWaterMark + chunk.length);
    client.destroy();
    listener.close();
  });

  test("setIdleTimeout: a silent connection's pending read throws ERR_IO_IDLE_TIMEOUT; activity postpones it; closing leaves no heap entry", async () => {
    const listener = await startListener();
    const heap = getDefaultTimerHeap();
    const events: string[] = [];
    const server = executor.run(
      task(function* () {
        const conn = (yield listener.accept()) as TcpStream;
        conn.setIdleTimeout(1_000);
        expect(heap.size).toBe(1);
        try {
          for (;;) {
            const chunk = (yield conn.reader.readChunk()) as Buffer | null;
            if (chunk === null) return "end";
            events.push(chunk.toString());
          }
        } catch (error) {
          events.push(`threw ${(error as { code?: string }).code}`);
          return "idle";
        } finally {
          conn.close();
        }
      }),
    );
    const client = await rawClient(listener.port);
    const start = performance.now();
    // activity every 300 ms for ~1.5 s: longer than the idle time, yet never idle for 1 s
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      client.write(`${i}`);
    }
    const lastWrite = performance.now();
    expect(await server).toBe("idle");
    expect(performance.now() - start).toBeGreaterThanOrEqual(1_500);
    expect(performance.now() - lastWrite).toBeGreaterThanOrEqual(990); // idle for the full second after the last bytes
    expect(events.slice(0, -1).join("")).toBe("01234");
    expect(events.at(-1)).toBe("threw ERR_IO_IDLE_TIMEOUT");
    expect(heap.size).toBe(0);
    await new Promise((resolve) => client.once("close", resolve));
    listener.close();
  });

  test("setIdleTimeout: close() and setIdleTimeout(0) take the entry out of the heap; no timer is left", async () => {
    const listener = await startListener();
    const heap = getDefaultTimerHeap();
    const accepted = executor.run(listener.accept());
    const client = await rawClient(listener.port);
    const conn = (await accepted) as TcpStream;
    conn.setIdleTimeout(10_000);
    expect(heap.size).toBe(1);
    conn.setIdleTimeout(0);
    expect(heap.size).toBe(0);
    conn.setIdleTimeout(10_000).setIdleTimeout(20_000);
    expect(heap.size).toBe(1);
    conn.close();
    expect(heap.size).toBe(0);
    expect(() => conn.setIdleTimeout(-1)).toThrow(RangeError);
    client.destroy();
    listener.close();
  });

  test("a socket's reader and writer share one 'error' and one 'close' listener, and release() restores the socket's own listeners", async () => {
    const listener = await startListener();
    const accepted = executor.run(listener.accept());
    const client = await rawClient(listener.port);
    const conn = (await accepted) as TcpStream;
    const socket = conn.socket;
    expect(socket.listenerCount("error")).toBe(1);
    expect(socket.listenerCount("close")).toBe(1);
    expect(() => new NodeReader(socket)).toThrow(/already has a reader/);
    conn.reader.release();
    expect(socket.listenerCount("error")).toBe(1); // the writer still needs it
    conn.writer.release();
    expect(socket.listenerCount("error")).toBe(0);
    expect(socket.listenerCount("close")).toBe(0);
    expect(socket.listenerCount("readable")).toBe(0);
    expect(socket.listenerCount("drain")).toBe(0);
    socket.destroy();
    client.destroy();
    listener.close();
  });

  test("the writes a task makes in one turn leave in one writev; the peer gets every byte in order", async () => {
    const listener = await startListener();
    const accepted = executor.run(listener.accept());
    const client = await rawClient(listener.port);
    const conn = (await accepted) as TcpStream;
    const calls: string[] = [];
    const socket = conn.socket as net.Socket & { _write: Function; _writev: Function };
    const write = socket._write;
    const writev = socket._writev;
    socket._write = function (...args: unknown[]) {
      calls.push("write");
      return write.apply(this, args);
    };
    socket._writev = function (chunks: unknown[], ...rest: unknown[]) {
      calls.push(`writev ${chunks.length}`);
      return writev.call(this, chunks, ...rest);
    };
    let received = "";
    client.on("data", (chunk) => (received += chunk));
    await executor.run(
      task(function* () {
        for (let i = 0; i < 5; i++) yield conn.write(`line ${i}\n`);
        yield conn.shutdown();
      }),
    );
    await new Promise((resolve) => client.once("end", resolve));
    expect(calls[0]).toBe("writev 5");
    expect(received).toBe("line 0\nline 1\nline 2\nline 3\nline 4\n");
    conn.close();
    client.destroy();
    listener.close();
  });
});
