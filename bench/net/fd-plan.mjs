// How many processes the NET load test spreads a count of idle connections over, and how many
// file descriptors its busiest process then needs (read by load.mjs, which checks the limit, and
// by workload.mjs, which picks the processes for each level).
//
// Each idle connection holds one descriptor in the server and one in its client. One process
// can hold `hardLimit - clients - FD_SLACK` of them; past that, the server runs as cluster
// workers (cluster-server.mjs) and the idle connections are opened by holder processes
// (idle-holder.mjs), each from its own loopback source address (127.0.0.2, 127.0.0.3, …).

/** Descriptors a process needs beside its connections: stdio, IPC, the listener, libuv's own. */
export const FD_SLACK = 200;
/**
 * Cluster round-robin hands each connection to the next worker that is free, not strictly in
 * turn: on a loaded machine some workers get more than their even share (up to
 * 1.27x of it in runs here, over 8 workers; 1.2x with a few hundred connections over 2). Each
 * worker is sized for this factor over its share.
 */
export const WORKER_SHARE_SLACK = 1.5;

/** Descriptors the busiest process needs: a server worker or a client (the driver or a holder). */
export function neededFds({ idle, clients, workers, holders }) {
  const perWorker = Math.ceil((idle / workers) * (workers > 1 ? WORKER_SHARE_SLACK : 1)) + clients + FD_SLACK;
  const perClient = (holders > 0 ? Math.ceil(idle / holders) : idle + clients) + FD_SLACK;
  return Math.max(perWorker, perClient);
}

/** The first port idle-holder.mjs binds its connections to (it takes them in order, on its own address). */
export const HOLDER_FIRST_PORT = 10_000;

/**
 * The processes for `idle` connections under `hardLimit`: one server process and the idle
 * connections in the driver when they fit; else the fewest workers and holders that fit.
 */
export function planProcesses({ idle, clients, hardLimit }) {
  const perProcess = hardLimit - clients - FD_SLACK;
  if (idle <= perProcess) return { workers: 1, holders: 0 };
  const perHolder = Math.min(hardLimit - FD_SLACK, 65_535 - HOLDER_FIRST_PORT - 1_000); // a few ports on the address may be taken
  return {
    workers: Math.ceil((idle * WORKER_SHARE_SLACK) / perProcess),
    holders: Math.ceil(idle / perHolder),
  };
}
