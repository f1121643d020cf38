/**
 * A watchdog for the fixture harness: a program that never returns to the event loop (a
 * miscompiled loop spinning inside a resume function) blocks every timer of this process, the
 * harness's own 5 s guard and vitest's test timeout included, so the run would hang instead of
 * failing. A worker thread watches a deadline the harness arms before each run; past it, the
 * worker names the program on stderr and kills this process (a test process of vitest's `forks`
 * pool), and vitest reports the file as failed.
 *
 * The deadline and the program's name travel through shared memory: the worker must read them
 * while the main thread is stuck.
 */
import { Worker } from "node:worker_threads";

const NAME_BYTES = 512;

/** [0]: deadline (ms since the epoch, 0 = disarmed); [1]: length of the name; [2]: when armed. */
let clock: BigInt64Array | undefined;
let name: Uint8Array | undefined;

const WATCHER = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const clock = new BigInt64Array(workerData.clock);
const name = new Uint8Array(workerData.name);
const nap = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  Atomics.wait(nap, 0, 0, 250);
  const deadline = Number(Atomics.load(clock, 0));
  if (deadline !== 0 && Date.now() > deadline) {
    const program = Buffer.from(name.subarray(0, Number(Atomics.load(clock, 1)))).toString("utf8");
    const seconds = Math.round((Date.now() - Number(Atomics.load(clock, 2))) / 1000);
    fs.writeSync(2, "\\nfixture harness: " + program + " has not returned to the event loop for " + seconds + " s (a synchronous infinite loop?); killing this test process so that the run fails instead of hanging\\n");
    process.kill(process.pid, "SIGKILL");
  }
}
`;

function start(): void {
  const clockBuffer = new SharedArrayBuffer(3 * BigInt64Array.BYTES_PER_ELEMENT);
  const nameBuffer = new SharedArrayBuffer(NAME_BYTES);
  clock = new BigInt64Array(clockBuffer);
  name = new Uint8Array(nameBuffer);
  const worker = new Worker(WATCHER, { eval: true, workerData: { clock: clockBuffer, name: nameBuffer } });
  worker.unref(); // never keeps the process alive
}

/** Kills this process unless `disarm` is called within `ms` (the program is named on stderr). */
export function arm(program: string, ms: number): void {
  if (clock === undefined) start();
  const bytes = Buffer.from(program, "utf8").subarray(0, NAME_BYTES);
  name!.set(bytes);
  Atomics.store(clock!, 1, BigInt(bytes.length));
  Atomics.store(clock!, 2, BigInt(Date.now()));
  Atomics.store(clock!, 0, BigInt(Date.now() + ms));
}

export function disarm(): void {
  if (clock !== undefined) Atomics.store(clock, 0, 0n);
}
