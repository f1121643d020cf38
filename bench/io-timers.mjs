#!/usr/bin/env node
// Timers: N sleeps on the shared timer heap (async-machine/io heapSleep) vs one host setTimeout
// per sleep (the runtime's sleep), each sleep a task on the executor.
//
//   npm run build && node bench/io-timers.mjs [--count=100000] [--samples=5]
//
// Each sample is a fresh `node --expose-gc` process running one variant; variants alternate
// (interleaved), and the table reports medians: the time to start every sleep (spawn + first
// poll), the heap bytes per pending sleep (after a full GC, while all are pending), the time
// until the last one finished, and the host timers alive while they sleep.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name, fallback) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const count = opt("count", 100_000);
const samples = opt("samples", 5);

if (args[0] === "--child") {
  await child(args[1], Number(args[2]));
} else {
  parent();
}

async function child(variant, n) {
  const root = new URL("../dist/runtime/", import.meta.url);
  const rt = await import(new URL("index.js", root));
  const io = await import(new URL("io/index.js", root));
  const { Executor } = rt.default ?? rt;
  const { heapSleep } = io.default ?? io;
  const sleep = variant === "heap" ? heapSleep : (rt.default ?? rt).sleep;
  const executor = new Executor();
  globalThis.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const tasks = new Array(n);
  // Deadlines spread over 200..300 ms: many distinct durations, as a server's idle timeouts are.
  for (let i = 0; i < n; i++) tasks[i] = executor.spawn(sleep(200 + (i % 100)));
  // The executor polls 1024 tasks per drain, then yields: wait until every task was polled once.
  do await new Promise((resolve) => setImmediate(resolve));
  while (executor.readyCount > 0);
  const startMs = performance.now() - started;
  const timers = process.getActiveResourcesInfo().filter((t) => t === "Timeout").length;
  globalThis.gc();
  const heapPerSleep = (process.memoryUsage().heapUsed - heapBefore) / n;
  await Promise.all(tasks.map((t) => t.promise));
  const totalMs = performance.now() - started;
  process.stdout.write(JSON.stringify({ startMs, heapPerSleep, totalMs, timers }));
}

function parent() {
  const self = fileURLToPath(import.meta.url);
  const runs = { setTimeout: [], heap: [] };
  for (let s = 0; s < samples; s++) {
    for (const variant of s % 2 === 0 ? ["setTimeout", "heap"] : ["heap", "setTimeout"]) {
      const r = spawnSync(process.execPath, ["--expose-gc", self, "--child", variant, String(count)], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${variant}: ${r.stderr}`);
      runs[variant].push(JSON.parse(r.stdout));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (name, key, digits) => {
    const a = median(runs.setTimeout.map((r) => r[key]));
    const b = median(runs.heap.map((r) => r[key]));
    return `| ${name} | ${a.toFixed(digits)} | ${b.toFixed(digits)} | ${(b / a).toFixed(2)}x |`;
  };
  console.log(`${count} sleeps (200-300 ms), one task each; medians of ${samples} interleaved runs, node ${process.version}\n`);
  console.log("| | setTimeout per sleep | timer heap | heap ÷ setTimeout |");
  console.log("|---|---|---|---|");
  console.log(row("start all sleeps (ms)", "startMs", 1));
  console.log(row("heap bytes per pending sleep", "heapPerSleep", 0));
  console.log(row("until the last wakes (ms)", "totalMs", 1));
  console.log(row("host timers while sleeping", "timers", 0));
}
