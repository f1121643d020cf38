#!/usr/bin/env node
// The NET load test's poll-mode side: the example server (examples/server/src/server.ts, every
// async function compiled in poll mode through the tsc plugin; `node examples/server/run.mjs
// build` makes examples/server/dist/) behind the same IPC protocol as native-server.mjs:
//
//   node --expose-gc bench/net/poll-server.mjs     → sends { port } once listening
//   message "stats"    → replies { heapUsed, rss, connections } after a full GC
//   message "shutdown" / SIGINT / the driver gone → cancels every connection (each finally closes its socket), exits
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const compiled = fileURLToPath(new URL("../../examples/server/dist/server.js", import.meta.url));
if (!existsSync(compiled)) {
  console.error("bench/net/poll-server.mjs: examples/server/dist/ is missing: run `node examples/server/run.mjs build`.");
  process.exit(1);
}
const { serve, ServerStats } = require(compiled);
const { run, select } = require("async-machine/runtime");
const { aborted, listen, processSignal } = require("async-machine/io");

const IDLE_MS = Number(process.env.NET_IDLE_MS ?? 60_000);
const stats = new ServerStats();
const stop = new AbortController();

const listener = await run(listen({ port: 0, host: "127.0.0.1", backlog: 4096, noDelay: true }));
process.send?.({ port: listener.port });
process.on("message", (message) => {
  if (message === "stats") {
    globalThis.gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    process.send({ heapUsed, rss, connections: stats.open });
  } else if (message === "shutdown") stop.abort("shutdown");
});
process.on("disconnect", () => stop.abort("the driver is gone"));
await run(serve(listener, select([aborted(stop.signal), processSignal("SIGINT")]), { idleMs: IDLE_MS, stats }));
if (process.connected) process.disconnect();
