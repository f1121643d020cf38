#!/usr/bin/env node
// The NET load test's native side: a line-echo server written with native async/await on `net`
// (one async function per connection, `for await` over the socket, 'drain' awaited when a
// write returns false, an idle timeout that destroys the socket), to compare with the same
// server on poll-mode tasks. Run by bench/net/load.mjs as a child with an IPC channel:
//
//   node --expose-gc bench/net/native-server.mjs      → sends { port } once listening
//   message "stats"    → replies { heapUsed, rss, connections } after a full GC
//   message "count"    → replies { connections } (no GC: cheap enough to ask while connections arrive)
//   message "shutdown" / SIGINT / the driver gone → stops accepting, closes every connection, exits with no handle
import { once } from "node:events";
import * as net from "node:net";

const IDLE_MS = Number(process.env.NET_IDLE_MS ?? 60_000);
const sockets = new Set();

async function handle(socket) {
  sockets.add(socket);
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  try {
    let pending = "";
    for await (const chunk of socket) {
      pending += chunk;
      for (let nl; (nl = pending.indexOf("\n")) !== -1; pending = pending.slice(nl + 1)) {
        if (!socket.write(pending.slice(0, nl + 1))) await once(socket, "drain");
      }
    }
  } catch {
    // a reset or a timeout: the connection is over either way
  } finally {
    socket.destroy();
    sockets.delete(socket);
  }
}

const server = net.createServer({ noDelay: true }, (socket) => void handle(socket));
server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () => process.send?.({ port: server.address().port }));

function shutdown() {
  server.close();
  for (const socket of sockets) socket.destroy();
  if (process.connected) process.disconnect();
}

process.on("SIGINT", shutdown);
process.on("disconnect", shutdown); // the driver is gone
process.on("message", (message) => {
  if (message === "count") process.send({ connections: sockets.size });
  else if (message === "stats") {
    globalThis.gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    process.send({ heapUsed, rss, connections: sockets.size });
  } else if (message === "shutdown") shutdown();
});
