// The NET load test's poll-mode server program: the same line-echo server as native-server.mjs,
// line for line — one async function per connection, a write that waits when the socket's buffer
// is full, the socket's own idle timer — but every async function here is compiled in poll mode
// (`async-machine compile --poll`, see workload.mjs) and runs as a task on the executor over the
// leaf futures of `async-machine/io`. Shutdown is cancellation: `select([accept loop, stop])`
// drops the accept scope when `stop` wins, which cancels every connection (each `finally`
// closes its socket).
//
// Not run directly: poll-server.mjs loads its compiled copy (bench/net/build/poll-echo.mjs).
import { scope, select } from "async-machine/runtime";

/** Connections being served now (the driver's `stats` reads `open`). */
export const stats = { open: 0 };

/** Serves `listener` until `stop` is ready; every connection is closed when it returns. */
export async function serve(listener, stop, idleMs) {
  try {
    await select([scope((s) => acceptAll(s, listener, idleMs)), stop]);
  } finally {
    listener.close();
  }
}

async function acceptAll(s, listener, idleMs) {
  for (let conn; (conn = await listener.accept()) !== null;) s.spawn(handle(conn, idleMs));
}

async function handle(conn, idleMs) {
  stats.open++;
  conn.setIdleTimeout(idleMs);
  try {
    let pending = "";
    for (let chunk; (chunk = await conn.reader.readChunk()) !== null;) {
      pending += chunk.toString("latin1");
      for (let nl; (nl = pending.indexOf("\n")) !== -1; pending = pending.slice(nl + 1)) {
        await conn.write(pending.slice(0, nl + 1));
      }
    }
  } catch {
    // a reset or the idle timeout: the connection is over either way
  } finally {
    conn.close();
    stats.open--;
  }
}
