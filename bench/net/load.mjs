#!/usr/bin/env node
// The NET load test's driver (loopback only, bounded in time and count): starts a server as a
// child process, opens `--idle` idle connections and measures the server's heap and RSS bytes
// per connection, then floods it with `--clients` connections each sending one line and waiting
// for its echo (or `--pipeline` lines at once, waiting for all their echoes), again and again,
// for `--seconds`: requests (lines) per second and p50/p99 latency of a round trip.
//
//   node bench/net/load.mjs [--server=bench/net/native-server.mjs] [--idle=10000] [--clients=64] [--seconds=5] [--pipeline=1] [--server-flags="--cpu-prof"]
//
// Prints one JSON object. Needs 2 × idle file descriptors across the two processes (the
// server's and the driver's); `ulimit -n` must allow that.
import { fork } from "node:child_process";
import { once } from "node:events";
import * as net from "node:net";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const serverPath = opt("server", fileURLToPath(new URL("native-server.mjs", import.meta.url)));
const idleCount = Number(opt("idle", 10_000));
const clients = Number(opt("clients", 64));
const seconds = Number(opt("seconds", 5));
// lines per round trip: each flood client writes this many lines at once, then waits for all their echoes
const pipeline = Number(opt("pipeline", 1));

// extra node flags for the server (e.g. "--cpu-prof --cpu-prof-dir=…" to profile it)
const serverFlags = opt("server-flags", "").split(" ").filter(Boolean);
const server = fork(serverPath, [], { execArgv: ["--expose-gc", ...serverFlags], stdio: ["ignore", "inherit", "inherit", "ipc"] });
const [{ port }] = await once(server, "message");
const stats = async () => {
  server.send("stats");
  const [reply] = await once(server, "message");
  return reply;
};

async function open() {
  const socket = net.connect({ port, host: "127.0.0.1", noDelay: true });
  await once(socket, "connect");
  return socket;
}

const base = await stats();
const idle = [];
for (let i = 0; i < idleCount; i += 256) {
  const batch = await Promise.all(Array.from({ length: Math.min(256, idleCount - i) }, open));
  idle.push(...batch);
}
// bounded: a server that loses idle connections (its idle timeout must outlast the run) fails the run
const waitUntil = performance.now() + 120_000;
while ((await stats()).connections < idleCount) {
  if (performance.now() > waitUntil) {
    for (const socket of idle) socket.destroy();
    server.kill();
    throw new Error(`the server holds ${(await stats().catch(() => ({}))).connections ?? "?"} of ${idleCount} idle connections after 120 s`);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const loaded = await stats();

const latencies = [];
let requests = 0;
const deadline = performance.now() + seconds * 1000;
async function flood(id) {
  const socket = await open();
  let awaited = 0;
  let resolveLines;
  socket.on("data", (data) => {
    for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) awaited--;
    if (awaited === 0) resolveLines();
  });
  while (performance.now() < deadline) {
    const started = performance.now();
    const echoed = new Promise((resolve) => (resolveLines = resolve));
    awaited = pipeline;
    let batch = "";
    for (let i = 0; i < pipeline; i++) batch += `ping ${id} ${requests + i}\n`;
    socket.write(batch);
    await echoed;
    latencies.push(performance.now() - started);
    requests += pipeline;
  }
  socket.destroy();
}
const floodStarted = performance.now();
await Promise.all(Array.from({ length: clients }, (_, id) => flood(id)));
const floodMs = performance.now() - floodStarted;

for (const socket of idle) socket.destroy();
server.send("shutdown");
await once(server, "exit");

latencies.sort((a, b) => a - b);
const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(
  JSON.stringify({
    server: serverPath.split("/").pop(),
    idleConnections: idleCount,
    heapBytesPerConn: Math.round((loaded.heapUsed - base.heapUsed) / idleCount),
    rssBytesPerConn: Math.round((loaded.rss - base.rss) / idleCount),
    clients,
    pipeline,
    requestsPerSecond: Math.round(requests / (floodMs / 1000)),
    p50Ms: Number(pick(0.5).toFixed(3)),
    p99Ms: Number(pick(0.99).toFixed(3)),
  }),
);
