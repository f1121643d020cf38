#!/usr/bin/env node
// The NET load test's multi-process server: runs a server program (native-server.mjs or
// poll-server.mjs, unchanged) as `--workers` processes sharing one listening port through
// `node:cluster`, for connection counts that one process's file-descriptor limit cannot hold.
// Each worker calls `listen({ port: 0 })` as it does alone; in a cluster that listen goes through
// this primary, which gives every worker the same port. Scheduling is round-robin: the primary
// accepts each connection and hands it to the next free worker, so the connections spread about
// evenly (the kernel's own spreading over a shared socket is far from even, and a worker that
// gets more than its share runs out of descriptors). After the hand-off the primary holds
// nothing of the connection: reads and writes go between the client and the worker.
//
// Speaks the same IPC protocol as one server, to bench/net/load.mjs:
//
//   node --expose-gc bench/net/cluster-server.mjs --server=bench/net/poll-server.mjs --workers=6
//     → sends { port, workers } once every worker listens
//   message "stats"    → replies { heapUsed, rss, connections } summed over the workers, and
//                        `workers`: each worker's own { heapUsed, rss, connections } (each after a full GC)
//   message "count"    → replies { connections } summed, and each worker's under `workers` (no GC)
//   message "shutdown" / the driver gone → sends "shutdown" to every worker, exits once they all have
import cluster from "node:cluster";
import { once } from "node:events";

const args = process.argv.slice(2);
const opt = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const serverPath = opt("server");
const workerCount = Number(opt("workers") ?? 2);
if (!serverPath || !(workerCount >= 1)) {
  console.error("usage: node cluster-server.mjs --server=<native-server.mjs|poll-server.mjs> --workers=<N>");
  process.exit(2);
}

cluster.schedulingPolicy = cluster.SCHED_RR;
// the workers run the server program itself, with this process's node flags (--expose-gc, a profiler's…)
cluster.setupPrimary({ exec: serverPath, args: [], execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });

let stopping = false;
const workers = Array.from({ length: workerCount }, () => cluster.fork());
for (const worker of workers) {
  worker.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`bench/net/cluster-server.mjs: worker ${worker.id} exited early (${signal ?? `code ${code}`})`);
    stop(1);
  });
}

/** The next message of `worker` (stats replies and the port come one at a time, in order). */
const nextMessage = (worker) => once(worker, "message").then(([message]) => message);

const ports = await Promise.all(workers.map((worker) => nextMessage(worker).then((m) => m.port)));
if (new Set(ports).size !== 1) {
  console.error(`bench/net/cluster-server.mjs: the workers listen on different ports (${ports.join(", ")})`);
  stop(1);
}
process.send?.({ port: ports[0], workers: workerCount });

/** Asks every worker `question` ("stats" or "count"); the sums of their replies, and each reply under `workers`. */
async function ask(question) {
  const replies = await Promise.all(
    workers.map((worker) => {
      const reply = nextMessage(worker);
      worker.send(question);
      return reply;
    }),
  );
  const sum = {};
  for (const key of Object.keys(replies[0])) sum[key] = replies.reduce((total, r) => total + r[key], 0);
  return { ...sum, workers: replies };
}

/** Asks every worker to shut down (each closes its connections and exits by itself), then exits. */
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  const exits = workers.filter((w) => !w.isDead()).map((w) => once(w, "exit"));
  for (const worker of workers) if (!worker.isDead() && worker.isConnected()) worker.send("shutdown");
  // bounded: a worker that does not exit within 30 s is killed
  const timer = setTimeout(() => workers.forEach((w) => w.isDead() || w.process.kill("SIGKILL")), 30_000);
  await Promise.all(exits);
  clearTimeout(timer);
  if (process.connected) process.disconnect();
  process.exitCode = code;
}

process.on("message", (message) => {
  if (message === "stats" || message === "count") void ask(message).then((reply) => process.send(reply));
  else if (message === "shutdown") void stop();
});
process.on("disconnect", () => void stop()); // the driver is gone
process.on("SIGINT", () => void stop());
