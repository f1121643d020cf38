#!/usr/bin/env node
// The NET load test's driver (loopback only, bounded in time and count): starts a server as a
// child process, opens `--idle` idle connections and measures the server's heap and RSS bytes
// per connection, then floods it with `--clients` connections each sending one line and waiting
// for its echo, again and again, for `--seconds`: requests per second and p50/p99 latency.
//
//   node bench/net/load.mjs [--server=bench/net/native-server.mjs] [--idle=10000] [--clients=64] [--seconds=5]
//
// Prints one JSON object. Needs 2 × idle file descriptors across the two processes (the
// server's and the driver's); `ulimit -n` must allow that.
import { fork } from "node:child_process";
import { once } from "node:events";
import * as net from "node:net";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const serverPath = opt("server", fileURLToPath(new URL("native-server.mjs", import.meta.url)));
const idleCount = Number(opt("idle", 10_000));
const clients = Number(opt("clients", 64));
const seconds = Number(opt("seconds", 5));

const server = fork(serverPath, [], { execArgv: ["--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
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
while ((await stats()).connections < idleCount) await new Promise((resolve) => setTimeout(resolve, 50));
const loaded = await stats();

const latencies = [];
let requests = 0;
const deadline = performance.now() + seconds * 1000;
async function flood(id) {
  const socket = await open();
  let text = "";
  let resolveLine;
  socket.on("data", (data) => {
    text += data;
    const nl = text.indexOf("\n");
    if (nl !== -1) {
      text = text.slice(nl + 1);
      resolveLine();
    }
  });
  while (performance.now() < deadline) {
    const started = performance.now();
    const echoed = new Promise((resolve) => (resolveLine = resolve));
    socket.write(`ping ${id} ${requests}\n`);
    await echoed;
    latencies.push(performance.now() - started);
    requests++;
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
    requestsPerSecond: Math.round(requests / (floodMs / 1000)),
    p50Ms: Number(pick(0.5).toFixed(3)),
    p99Ms: Number(pick(0.99).toFixed(3)),
  }),
);
