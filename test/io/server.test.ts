/**
 * A line-echo server built from the I/O leaves with hand-written tasks (one task per
 * connection, spawned on the executor): a per-connection idle timeout on the timer heap that
 * really cancels the pending read, and a graceful shutdown by AbortSignal in which every
 * connection's `finally` closes its socket and the process is left with no handle open.
 */
import * as net from "node:net";
import { describe, expect, test } from "vitest";
import { Executor, select, type Future, type Selected } from "../../runtime/index";
import { aborted, getDefaultTimerHeap, heapSleep, listen, type TcpListener, type TcpStream } from "../../runtime/io/index";
import { quietResources, settledResources, task, turns, withoutTimers } from "./support";

const HOST = "127.0.0.1";

interface ServerLog {
  closed: string[];
}

/** One connection: echo each line upper-cased; close after `idleMs` without a byte. */
function serveConnection(conn: TcpStream, name: string, idleMs: number, log: ServerLog): Future<string> {
  return task(function* () {
    try {
      const buffer = Buffer.alloc(256);
      let pending = "";
      for (;;) {
        const { index, value } = (yield select([conn.read(buffer), heapSleep(idleMs)])) as Selected<number>;
        if (index === 1) return "idle";
        if (value === 0) return "end";
        pending += buffer.toString("utf8", 0, value);
        for (let nl; (nl = pending.indexOf("\n")) !== -1; pending = pending.slice(nl + 1)) {
          yield conn.write(pending.slice(0, nl).toUpperCase() + "\n");
        }
      }
    } finally {
      conn.close();
      log.closed.push(name);
    }
  });
}

/** The accept loop: each connection raced against the shutdown signal; ends on shutdown. */
function serve(executor: Executor, listener: TcpListener, signal: AbortSignal, idleMs: (name: string) => number, log: ServerLog, outcomes: Promise<unknown>[]): Future<number> {
  return task(function* () {
    let accepted = 0;
    try {
      for (;;) {
        const { index, value } = (yield select([listener.accept(), aborted(signal)])) as Selected<TcpStream | null>;
        if (index === 1 || value === null) return accepted;
        const name = `conn${accepted++}`;
        outcomes.push(executor.spawn(select([serveConnection(value, name, idleMs(name), log), aborted(signal)])).promise);
      }
    } finally {
      listener.close();
    }
  });
}

async function client(port: number): Promise<{ socket: net.Socket; lines: string[] }> {
  const socket = net.connect({ port, host: HOST });
  const lines: string[] = [];
  let text = "";
  socket.on("data", (data: Buffer) => {
    text += data.toString();
    for (let nl; (nl = text.indexOf("\n")) !== -1; text = text.slice(nl + 1)) lines.push(text.slice(0, nl));
  });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  return { socket, lines };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await turns(1);
  expect(condition()).toBe(true);
}

describe("line server on the I/O leaves", () => {
  test("echoes lines; an idle connection is closed by its timeout; shutdown closes the rest and leaves no handle", async () => {
    const before = await quietResources();
    const executor = new Executor();
    const controller = new AbortController();
    const log: ServerLog = { closed: [] };
    const outcomes: Promise<unknown>[] = [];
    const listener = await executor.run(listen({ port: 0, host: HOST }));
    const server = executor.run(serve(executor, listener, controller.signal, (name) => (name === "conn0" ? 120_000 : 200), log, outcomes));

    const busy = await client(listener.port);
    const idle = await client(listener.port);
    busy.socket.write("hello\nwor");
    busy.socket.write("ld\n");
    await until(() => busy.lines.length === 2);
    expect(busy.lines).toEqual(["HELLO", "WORLD"]);

    // The idle client sends nothing: its connection times out and its finally closes the socket.
    const idleClosed = new Promise<void>((resolve) => idle.socket.once("close", () => resolve()));
    idle.socket.on("error", () => {});
    await idleClosed;
    await until(() => log.closed.includes("conn1"));
    expect(await outcomes[1]).toEqual({ index: 0, value: "idle" });

    // The busy one (a long timeout) is still served; shut down while its read and its timeout wait.
    busy.socket.write("again\n");
    await until(() => busy.lines.length === 3);
    const busyClosed = new Promise<void>((resolve) => busy.socket.once("close", () => resolve()));
    busy.socket.on("error", () => {});
    controller.abort("shutdown");
    expect(await server).toBe(2);
    expect(await outcomes[0]).toEqual({ index: 1, value: "shutdown" });
    expect(log.closed.sort()).toEqual(["conn0", "conn1"]);
    expect(getDefaultTimerHeap().size).toBe(0); // the cancelled connection's timeout left the heap
    await busyClosed;
    busy.socket.destroy();
    idle.socket.destroy();
    expect(await settledResources(before)).toEqual(withoutTimers(before));
  });
});
