/**
 * A line-echo server as poll-mode async functions (this directory's tsconfig.json compiles every
 * async function here in poll mode): each call is a lazy future the executor runs, and
 * cancelling it runs its `finally` blocks.
 *
 *   serve(listener, stop)   accepts until `stop` is ready, then cancels every connection
 *   connection(conn)        one connection in its own scope: the echo loop and an idle watchdog
 *
 * Shutdown is cancellation: `select([acceptAll, stop])` drops the accept scope when `stop`
 * wins, which cancels the pending accept and every connection; each connection's `finally`
 * closes its socket before `serve` returns, so nothing is left open.
 */
import { scope, select, type Future, type Scope } from "async-machine/runtime";
import { heapSleep, type TcpListener, type TcpStream } from "async-machine/io";
import { asFuture, io } from "./futures";

/** What the server has done so far; `open` is the connections being served now. */
export class ServerStats {
  accepted = 0;
  open = 0;
  closed = 0;
  idleTimeouts = 0;
  linesEchoed = 0;
}

export interface ServerOptions {
  /** A connection that sends nothing for this long is cancelled and closed. */
  idleMs: number;
  stats?: ServerStats;
  /** Called after each connection's `finally` has closed its socket. */
  onClose?: (id: number, reason: "end" | "idle" | "cancelled" | "error") => void;
}

/** Thrown by a connection's watchdog; its scope then cancels the echo loop. */
export class IdleTimeout extends Error {
  constructor(readonly ms: number) {
    super(`idle for ${ms} ms`);
  }
}
Object.defineProperty(IdleTimeout.prototype, "name", { value: "IdleTimeout" });

/** When a connection last received bytes (`performance.now()` milliseconds). */
interface Activity {
  last: number;
}

/** Serves until `stop` is ready; every connection is closed when it returns. The server's stats. */
export async function serve(listener: TcpListener, stop: Future<unknown>, options: ServerOptions): Promise<ServerStats> {
  const stats = options.stats ?? new ServerStats();
  try {
    await io(select([scope((s) => acceptAll(s, listener, options, stats)), stop]));
  } finally {
    listener.close();
  }
  return stats;
}

/** Accepts connections into the server's scope until the listener closes. */
async function acceptAll(s: Scope, listener: TcpListener, options: ServerOptions, stats: ServerStats): Promise<void> {
  for (let conn; (conn = await io(listener.accept())) !== null;) {
    s.spawn(asFuture(connection(conn, stats.accepted++, options, stats)));
  }
}

/** One connection, in its own scope: echo lines; the watchdog ends it after `idleMs` of silence. */
export async function connection(conn: TcpStream, id: number, options: ServerOptions, stats: ServerStats): Promise<void> {
  stats.open++;
  let reason: "end" | "idle" | "cancelled" | "error" = "cancelled";
  try {
    const activity: Activity = { last: performance.now() };
    await scope(async (s) => {
      const watchdog = s.spawn(asFuture(idleWatch(activity, options.idleMs)));
      await echoLines(conn, activity, stats);
      watchdog.cancel();
    });
    reason = "end";
  } catch (error) {
    reason = error instanceof IdleTimeout ? "idle" : "error";
    if (reason === "idle") stats.idleTimeouts++;
  } finally {
    conn.close();
    stats.open--;
    stats.closed++;
    options.onClose?.(id, reason);
  }
}

/** Writes back every complete line it reads, until the peer shuts down its side. */
async function echoLines(conn: TcpStream, activity: Activity, stats: ServerStats): Promise<void> {
  let pending = "";
  for (let chunk; (chunk = await io(conn.reader.readChunk<Buffer>())) !== null;) {
    activity.last = performance.now();
    pending += chunk.toString("latin1");
    let start = 0;
    for (let nl; (nl = pending.indexOf("\n", start)) !== -1; start = nl + 1) {
      await io(conn.write(pending.slice(start, nl + 1)));
      stats.linesEchoed++;
    }
    pending = start === 0 ? pending : pending.slice(start);
  }
}

/** Sleeps on the shared timer heap until `idleMs` have passed since the last activity, then throws. */
async function idleWatch(activity: Activity, idleMs: number): Promise<never> {
  for (;;) {
    const quiet = performance.now() - activity.last;
    if (quiet >= idleMs) throw new IdleTimeout(idleMs);
    await io(heapSleep(idleMs - quiet));
  }
}
