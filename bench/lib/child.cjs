"use strict";
// One benchmark sample, in a fresh process. Usage: node child.cjs '<json>' where json is
//   { mode: "time", file, n, warmN, warmups, reps }        → { times: [ms…], result }
//   { mode: "callgrind", file, n, warmN, warmups }         → { result } (instructions are counted
//       by callgrind between the two os.totalmem() calls: run.mjs passes
//       --dump-before=uv_get_total_memory, so the last numbered dump is the measured run)
//   { mode: "memory", file, tasks }                        → { bytesPerTask, retainedDead, … }
//   { mode: "alloc", file, n, warmN, warmups }             → { bytes, result }: bytes allocated by
//       the measured run (V8's sampling heap profiler, every 64 bytes, collected objects included)
// Prints one JSON line on stdout.
const os = require("node:os");

const config = JSON.parse(process.argv[2]);

function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

async function timeMode(mod) {
  for (let w = 0; w < config.warmups; w++) await mod.run(config.warmN);
  const times = [];
  let result;
  const windowStart = Number(process.hrtime.bigint() / 1000n);
  for (let r = 0; r < config.reps; r++) {
    const t0 = process.hrtime.bigint();
    result = await mod.run(config.n);
    const t1 = process.hrtime.bigint();
    times.push(Number(t1 - t0) / 1e6);
  }
  // the timed runs, in microseconds of the monotonic clock (as .cpuprofile timestamps)
  const window = [windowStart, Number(process.hrtime.bigint() / 1000n)];
  return { times, result, window };
}

async function callgrindMode(mod) {
  for (let w = 0; w < config.warmups; w++) await mod.run(config.warmN);
  await settle();
  // With --expose-gc: start the measured run on an empty young generation (a scavenge; a full GC
  // would leave its lazy sweeping to the measured run), so that how many
  // scavenges fall inside it depends on what it allocates, not on what the warm-up left behind.
  if (typeof globalThis.gc === "function") globalThis.gc({ type: "minor" });
  os.totalmem(); // callgrind dump: everything before the measured run
  const result = await mod.run(config.n);
  os.totalmem(); // callgrind dump: the measured run
  return { result };
}

async function allocMode(mod) {
  const inspector = require("node:inspector");
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  const total = (node) => node.selfSize + node.children.reduce((sum, child) => sum + total(child), 0);
  for (let w = 0; w < config.warmups; w++) await mod.run(config.warmN);
  await settle();
  await post("HeapProfiler.startSampling", { samplingInterval: 64, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const result = await mod.run(config.n);
  const { profile } = await post("HeapProfiler.stopSampling");
  session.disconnect();
  return { bytes: total(profile.head), result };
}

async function memoryMode(mod) {
  const gc = globalThis.gc;
  if (typeof gc !== "function") throw new Error("memory mode needs --expose-gc");
  const n = config.tasks;
  const tasks = new Array(n).fill(undefined);
  let open;
  const gate = new Promise((resolve) => {
    open = resolve;
  });
  // Warm the task function a little (and let every variant load its helpers) outside the count.
  {
    let openWarm;
    const warmGate = new Promise((resolve) => {
      openWarm = resolve;
    });
    const warm = [];
    for (let i = 1; i < 200; i++) warm.push(mod.task(i, warmGate));
    openWarm(0);
    await Promise.all(warm);
    mod.probes.length = 0;
  }
  mod.probes.length = 0;
  mod.probes.push(undefined); // allocate the probes array's backing store up front
  mod.probes.length = 0;
  await settle();
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) tasks[i] = mod.task(i, gate);
  await settle();
  await settle();
  // A variant whose tasks start on an executor that yields to the host between batches may
  // export `started()`, resolved when every task has reached its await.
  if (typeof mod.started === "function") await mod.started();
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  const probes = mod.probes.length;
  let alive = 0;
  for (const ref of mod.probes) if (ref.deref() !== undefined) alive++;
  open(1);
  const values = await Promise.all(tasks);
  let result = 0;
  for (const v of values) result += v;
  return { bytesPerTask: (after - before) / n, heapBefore: before, heapAfter: after, probes, retainedDead: probes ? alive / probes : NaN, result };
}

async function main() {
  const mod = require(config.file);
  let out;
  if (config.mode === "time") out = await timeMode(mod);
  else if (config.mode === "callgrind") out = await callgrindMode(mod);
  else if (config.mode === "memory") out = await memoryMode(mod);
  else if (config.mode === "alloc") out = await allocMode(mod);
  else throw new Error(`unknown mode ${config.mode}`);
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
    process.exit(1);
  },
);
