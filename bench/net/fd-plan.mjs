// How many processes the NET load test spreads a count of idle connections over, and how many
// file descriptors its busiest process then needs (read by load.mjs, which checks the limit, and
// by workload.mjs, which picks the processes for each level).
//
// Each idle connection holds one descriptor in the server and one in its client. One process
// can hold `hardLimit - clients - FD_SLACK` of them; past that, the server runs as cluster
// workers (cluster-server.mjs) and the idle connections are opened by holder processes
// (idle-holder.mjs), each from its own loopback source address, because a source address has
// only the ephemeral port range to connect from.
import { readFileSync } from "node:fs";

/** Descriptors a process needs beside its connections: stdio, IPC, the listener, libuv's own. */
export const FD_SLACK = 200;
/**
 * Cluster round-robin hands each connection to the next worker that is free, not strictly in
 * turn: a worker may get more than its even share (a fifth more was seen with a few hundred
 * connections). Each worker is sized for this factor over its share.
 */
export const WORKER_SHARE_SLACK = 1.5;

/** Descriptors the busiest process needs: a server worker or a client (the driver or a holder). */
export function neededFds({ idle, clients, workers, holders }) {
  const perWorker = Math.ceil((idle / workers) * (workers > 1 ? WORKER_SHARE_SLACK : 1)) + clients + FD_SLACK;
  const perClient = (holders > 0 ? Math.ceil(idle / holders) : idle + clients) + FD_SLACK;
  return Math.max(perWorker, perClient);
}

/** The loopback ephemeral port range (ports one source address can connect from), e.g. [32768, 60999]. */
export function ephemeralPorts() {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    return [low, high];
  } catch {
    return [49152, 65535]; // the IANA range, where /proc is not there
  }
}

/**
 * The processes for `idle` connections under `hardLimit`: one server process and the idle
 * connections in the driver when they fit; else the fewest workers and holders that fit, the
 * holders each keeping 1 000 ports of their source address's range spare.
 */
export function planProcesses({ idle, clients, hardLimit }) {
  const perProcess = hardLimit - clients - FD_SLACK;
  if (idle <= perProcess) return { workers: 1, holders: 0 };
  const [low, high] = ephemeralPorts();
  const perHolder = Math.min(hardLimit - FD_SLACK, high - low + 1 - 1_000);
  return {
    workers: Math.ceil((idle * WORKER_SHARE_SLACK) / perProcess),
    holders: Math.ceil(idle / perHolder),
  };
}
