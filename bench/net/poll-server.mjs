#!/usr/bin/env node
// The NET load test's poll-mode side: bench/net/poll-echo.mjs compiled in poll mode (workload.mjs
// runs `async-machine compile --poll` into bench/net/build/) behind the same IPC protocol as
// native-server.mjs:
//
//   node --expose-gc bench/net/poll-server.mjs     → sends { port } once listening
//   message "stats"    → replies { heapUsed, rss, connections } after a full GC
//   message "count"    → replies { connections } (no GC: cheap enough to ask while connections arrive)
//   message "shutdown" / SIGINT / the driver gone → cancels every connection (each finally closes its socket), exits
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiled = fileURLToPath(new URL("build/poll-echo.mjs", import.meta.url));
if (!existsSync(compiled)) {
  console.error("bench/net/poll-server.mjs: bench/net/build/poll-echo.mjs is missing: run `npm run bench -- --only=NET` (it compiles it).");
  process.exit(1);
}
const { serve, stats } = await import(compiled);
const { run, select } = await import("async-machine/runtime");
const { aborted, listen, processSignal } = await import("async-machine/io");

const IDLE_MS = Number(process.env.NET_IDLE_MS ?? 60_000);
const stop = new AbortController();

const listener = await run(listen({ port: 0, host: "127.0.0.1", backlog: 4096, noDelay: true }));
process.send?.({ port: listener.port });
process.on("message", (message) => {
  if (message === "count") process.send({ connections: stats.open });
  else if (message === "stats") {
    globalThis.gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    process.send({ heapUsed, rss, connections: stats.open });
  } else if (message === "shutdown") stop.abort("shutdown");
});
process.on("disconnect", () => stop.abort("the driver is gone"));
await run(serve(listener, select([aborted(stop.signal), processSignal("SIGINT")]), IDLE_MS));
if (process.connected) process.disconnect();
