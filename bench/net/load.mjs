#!/usr/bin/env node
// The NET load test's driver (loopback only, bounded in time and count): starts a server as a
// child process, opens `--idle` idle connections and measures the server's heap and RSS bytes
// per connection, then floods it with `--clients` connections each sending one line and waiting
// for its echo (or `--pipeline` lines at once, waiting for all their echoes), again and again,
// for `--seconds`: requests (lines) per second and p50/p99 latency of a round trip.
//
//   node bench/net/load.mjs [--server=bench/net/native-server.mjs] [--idle=10000] [--clients=64] [--seconds=5] [--pipeline=1]
//                           [--workers=1] [--holders=0] [--echo-idle] [--server-flags="--cpu-prof"]
//
// One process or several (for counts one process's file-descriptor limit cannot hold):
//  - `--workers=N` (N > 1): the server program runs as N processes sharing its listening port
//    (bench/net/cluster-server.mjs, node:cluster, round-robin); heap and RSS per connection are
//    the sum over the workers of (after − before) ÷ connections.
//  - `--holders=M` (M > 0): the idle connections are opened by M client processes
//    (bench/net/idle-holder.mjs), holder i from source address 127.0.0.(2+i): one address has
//    at most 65 535 ports to connect from. The flood's clients stay in this process.
//  - `--echo-idle`: each idle connection first sends a line and waits for its echo (with
//    holders only; a check that every connection is served, used by the tests).
//
// File descriptors: each idle connection holds one in the server and one in its client. Node
// raises its soft limit to the hard one as it starts (in this process and in every child), so the
// hard limit is what counts: the script says on stderr what the busiest process needs against the
// limits, and refuses a count that does not fit, naming the options that spread it.
// Prints one JSON object (with `fd` and `processes`: how the run was made).
import { fork, spawnSync } from "node:child_process";
import { once } from "node:events";
import * as net from "node:net";
import { fileURLToPath } from "node:url";
import { neededFds, planProcesses } from "./fd-plan.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const serverPath = opt("server", fileURLToPath(new URL("native-server.mjs", import.meta.url)));
const idleCount = Number(opt("idle", 10_000));
const clients = Number(opt("clients", 64));
const seconds = Number(opt("seconds", 5));
// lines per round trip: each flood client writes this many lines at once, then waits for all their echoes
const pipeline = Number(opt("pipeline", 1));
const workerCount = Number(opt("workers", 1));
const holderCount = Number(opt("holders", 0));
const echoIdle = args.includes("--echo-idle");
// connections the holders open per step (see openInHolders)
const OPEN_STEP = 4096;
// extra node flags for the server (e.g. "--cpu-prof --cpu-prof-dir=…" to profile it)
const serverFlags = opt("server-flags", "").split(" ").filter(Boolean);

const fd = checkFdLimit();

const serverProgram = workerCount > 1 ? fileURLToPath(new URL("cluster-server.mjs", import.meta.url)) : serverPath;
const serverArgs = workerCount > 1 ? [`--server=${serverPath}`, `--workers=${workerCount}`] : [];
const server = fork(serverProgram, serverArgs, { execArgv: ["--expose-gc", ...serverFlags], stdio: ["ignore", "inherit", "inherit", "ipc"] });
const [{ port }] = await once(server, "message");
/**
 * Asks the server "stats" (heap and RSS after a full GC, connections) or "count" (connections
 * only); one question at a time, so each reply goes to its own question.
 */
let asking = Promise.resolve();
const serverExited = once(server, "exit").then(([code, signal]) => Promise.reject(new Error(`the server exited (${signal ?? `code ${code}`})`)));
serverExited.catch(() => {}); // raced by every question
const ask = (question) => {
  const reply = asking.then(() => {
    server.send(question);
    return Promise.race([once(server, "message").then(([message]) => message), serverExited]);
  });
  asking = reply.catch(() => {});
  return reply;
};
const stats = () => ask("stats");

async function open() {
  const socket = net.connect({ port, host: "127.0.0.1", noDelay: true });
  await once(socket, "connect");
  return socket;
}

const base = await stats();
const openStarted = performance.now();
const idle = [];
const holders = [];
// bounded: opening and the server taking every connection, 120 s + 5 ms per connection (620 s for 100 000)
const openDeadline = openStarted + 120_000 + 5 * idleCount;
let opened;
let openError;
let clientsOpenMs;
(holderCount > 0 ? openInHolders() : openHere()).then(
  (result) => ((opened = result), (clientsOpenMs = performance.now() - openStarted)),
  (error) => (openError = error),
);

async function openHere() {
  for (let i = 0; i < idleCount; i += 256) {
    const batch = await Promise.all(Array.from({ length: Math.min(256, idleCount - i) }, open));
    idle.push(...batch);
  }
  return { opened: idle.length, echoed: 0 };
}

/**
 * Splits the idle connections over `holderCount` processes, each from its own source address,
 * and has them opened a step of OPEN_STEP at a time, each step only once the server holds every
 * connection of the steps before: a cluster primary queues what the kernel has accepted until a
 * worker takes it, and that queue must stay far below the primary's descriptor limit.
 */
async function openInHolders() {
  const holderPath = fileURLToPath(new URL("idle-holder.mjs", import.meta.url));
  const exits = [];
  for (let i = 0; i < holderCount; i++) {
    const holderArgs = [`--port=${port}`, `--local-address=127.0.0.${2 + i}`, ...(echoIdle ? ["--echo"] : [])];
    const holder = fork(holderPath, holderArgs, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    holders.push(holder);
    exits.push(once(holder, "exit").then(([code, signal]) => Promise.reject(new Error(`idle holder ${i} (127.0.0.${2 + i}) exited early (${signal ?? `code ${code}`})`))));
  }
  const exitedEarly = Promise.race(exits);
  exitedEarly.catch(() => {}); // raced below, step by step
  const share = (i) => Math.floor(idleCount / holderCount) + (i < idleCount % holderCount ? 1 : 0);
  const asked = holders.map(() => 0);
  let totals = holders.map(() => ({ opened: 0, echoed: 0 }));
  while (asked.some((n, i) => n < share(i))) {
    const replies = holders.map((holder, i) => {
      const more = Math.min(Math.ceil(OPEN_STEP / holderCount), share(i) - asked[i]);
      asked[i] += more;
      if (more === 0) return totals[i];
      const reply = once(holder, "message").then(([r]) => r);
      holder.send({ open: more });
      return reply;
    });
    totals = await Promise.race([Promise.all(replies), exitedEarly]);
    const opened = totals.reduce((n, r) => n + r.opened, 0);
    while ((await Promise.race([ask("count"), exitedEarly])).connections < opened) {
      if (performance.now() > openDeadline) return { opened, echoed: 0 }; // the wait below reports it
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { opened: totals.reduce((n, r) => n + r.opened, 0), echoed: totals.reduce((n, r) => n + r.echoed, 0) };
}

/** Closes the idle connections (the holders reset theirs and exit), then shuts the server down. */
async function closeEverything() {
  for (const socket of idle) socket.destroy();
  const holdersGone = holders.filter((h) => h.exitCode === null && h.signalCode === null).map((h) => once(h, "exit"));
  for (const holder of holders) if (holder.connected) holder.send("close");
  await Promise.all(holdersGone);
  if (server.connected) server.send("shutdown");
  if (server.exitCode === null && server.signalCode === null) await once(server, "exit");
}

// the server must hold every idle connection (a server that loses some, e.g. to its idle timeout, which
// must outlast the run, fails the run); asked while they are being opened, to report progress
const held = (s) => `${s.connections}${s.workers ? ` (per worker: ${s.workers.map((w) => w.connections).join(", ")})` : ""}`;
for (let reported = openStarted; ;) {
  const s = await ask("count");
  if (openError) {
    await closeEverything();
    throw openError;
  }
  if (opened && s.connections >= idleCount) break;
  const now = performance.now();
  if (now > openDeadline) {
    await closeEverything();
    const clientSide = opened ? "" : " (the clients are still opening theirs)";
    throw new Error(`the server holds ${held(s)} of ${idleCount} idle connections after ${Math.round((now - openStarted) / 1000)} s${clientSide}`);
  }
  if (now - reported > 15_000) {
    console.error(`bench/net/load.mjs: the server holds ${held(s)} of ${idleCount} idle connections after ${Math.round((now - openStarted) / 1000)} s`);
    reported = now;
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const serverHoldsMs = performance.now() - openStarted;
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

await closeEverything();

latencies.sort((a, b) => a - b);
const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
const perWorker = loaded.workers?.map((w, i) => ({ connections: w.connections, heapBytes: w.heapUsed - base.workers[i].heapUsed, rssBytes: w.rss - base.workers[i].rss }));
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
    // seconds until every idle connection was open on the client side, and until the server held them all
    openSeconds: { clients: Math.round(clientsOpenMs / 100) / 10, server: Math.round(serverHoldsMs / 100) / 10 },
    fd,
    processes: {
      serverWorkers: workerCount,
      idleHolders: holderCount,
      idleSourceAddresses: holderCount > 0 ? holders.map((_, i) => `127.0.0.${2 + i}`) : ["127.0.0.1"],
      ...(perWorker && { perWorker }),
      ...(holderCount > 0 && { idleOpened: opened.opened, idleEchoed: opened.echoed }),
    },
  }),
);

/**
 * The file-descriptor limits against what the busiest process of this run needs; says both on
 * stderr. Node raises its own soft limit to the hard one as it starts (every process of the run
 * is a Node process), so only the hard limit can refuse a run: then the run is refused with the
 * options that spread it over more processes. Returns { soft, hard, needed }.
 */
function checkFdLimit() {
  const [soft, hard] = spawnSync("/bin/sh", ["-c", "ulimit -Sn; ulimit -Hn"], { encoding: "utf8" })
    .stdout.trim()
    .split("\n")
    .map((s) => (s === "unlimited" ? Infinity : Number(s)));
  const needed = neededFds({ idle: idleCount, clients, workers: workerCount, holders: holderCount });
  const processes = `${workerCount > 1 ? `${workerCount} server workers` : "one server process"}, ${holderCount > 0 ? `${holderCount} idle-connection holders` : "idle connections held by this process"}`;
  if (needed > soft) {
    const plan = planProcesses({ idle: idleCount, clients, hardLimit: hard });
    console.error(
      `bench/net/load.mjs: ${idleCount} idle connections with ${processes} need ${needed} file descriptors in one process, over the limit (soft ${soft}, hard ${hard}; ` +
        `Node raises the soft limit to the hard one at start): use --workers=${plan.workers} --holders=${plan.holders}`,
    );
    process.exit(2);
  }
  console.error(
    `bench/net/load.mjs: file descriptors: ${processes}; the busiest process needs ${needed}; soft limit ${soft} (Node raises it to the hard limit at start), hard ${hard}`,
  );
  return { soft, hard, needed };
}
