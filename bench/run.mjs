#!/usr/bin/env node
// npm run bench: async-machine side by side with native async/await and the downlevel peers.
//
//   node bench/run.mjs [--quick] [--only=A1,C,E,F,BUNDLE] [--samples=N] [--no-callgrind] [--no-profile]
//                      [--update-readme] [--out=DIR] [--net-levels=10000,19000,100000]
//   node bench/run.mjs --render-only [--update-readme] [--out=DIR]
//
// Builds every workload (bench/workloads/*.ts) in every variant (bench/lib/variants.mjs), runs
// them interleaved (round-robin, a fresh process per sample), and reports medians with min/max
// as ratios against native. Instruction counts (valgrind --tool=callgrind) for A1, A2, B1, C, D, G and S when
// valgrind is installed; bytes allocated per operation for every time workload (V8's sampling
// heap profiler). E measures heap bytes per suspended task; F compiles a generated project of
// 2000 async functions with tspc + the plugin (both profiles) vs plain tsc and TypeScript's own downlevels; BUNDLE
// measures the runtime's share of a minified bundle and the example app bundled. Writes results.json, results.md
// and one SVG chart per workload to bench/results/ (bench/work/results-quick/ for --quick).
// NET runs a line-echo server, native vs poll mode, under idle connections and a flood (bench/net/);
// `--net-levels=` picks its counts of idle connections (default: 10 000, one process's most, 100 000).
// SCALING (results.json `scaling`): transform ms and output bytes per input KB at 1x/10x/100x input,
// beside ts.transpileModule (bench/lib/scaling.mjs); `--only=SCALING` runs it alone (under a minute).
// A run with --only keeps the other workloads' last results (results.json, marked with their date)
// in results.md and the README. --render-only measures nothing: it re-renders results.md (and with
// --update-readme the README's Benchmarks section) from the saved results.json (bench/lib/render.mjs).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { VARIANTS, benchDir, buildVariant, rootDir } from "./lib/variants.mjs";
import { generateProject } from "./lib/gen-project.mjs";
import { measureBundles } from "./lib/bundle-size.mjs";
import { runNet } from "./net/workload.mjs";
import { runScaling } from "./lib/scaling.mjs";
import { renderReport } from "./lib/render.mjs";
import { withEarlierProfiles, withKeptWorkloads } from "./lib/kept.mjs";

const require = createRequire(import.meta.url);
const startedAt = Date.now();

// ---------------------------------------------------------------------------------------------
// options
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const opt = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
for (const a of args) {
  if (!/^--(quick|no-callgrind|no-profile|update-readme|render-only|help|only=.*|samples=.*|out=.*|net-levels=[0-9,]+)$/.test(a)) {
    console.error(`bench/run.mjs: unknown argument ${a} (see the header of bench/run.mjs)`);
    process.exit(2);
  }
}
if (flag("help")) {
  // print the header comment
  const lines = readFileSync(new URL(import.meta.url), "utf8").split("\n");
  const headerEnd = lines.findIndex((l, i) => i > 0 && !l.startsWith("//"));
  console.log(lines.slice(1, headerEnd).join("\n"));
  process.exit(0);
}
const QUICK = flag("quick");
const ONLY = opt("only")?.toUpperCase().split(",");
const SAMPLES = Number(opt("samples") ?? (QUICK ? 1 : 7));
const MEM_SAMPLES = QUICK ? 1 : 3;
const F_SAMPLES = QUICK ? 1 : 3;
const F_API_SAMPLES = QUICK ? 1 : 2;
const outDir = opt("out") ?? (QUICK ? join(benchDir, "work", "results-quick") : join(benchDir, "results"));
const workDir = join(benchDir, "work");
const buildDir = join(workDir, "build");
const childPath = join(benchDir, "lib", "child.cjs");

if (!existsSync(join(rootDir, "dist", "transformer", "index.js")) || !existsSync(join(rootDir, "dist", "runtime", "index.js"))) {
  console.error("bench/run.mjs: dist/ is missing: run `npm run build` first (npm run bench does).");
  process.exit(1);
}
if (!existsSync(join(rootDir, "node_modules", "async-machine", "package.json"))) {
  console.error("bench/run.mjs: node_modules/async-machine is missing (the package links to itself): run `npm ci`.");
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// workloads
const scale = (n) => (QUICK ? Math.max(1, Math.round(n / 10)) : n);
const fibCalls = (n) => {
  let a = 1;
  let b = 1; // calls(0) = calls(1) = 1; calls(n) = calls(n-1) + calls(n-2) + 1
  for (let i = 2; i <= n; i++) [a, b] = [b, a + b + 1];
  return n < 1 ? 1 : b;
};
const WORKLOADS = [
  {
    id: "A1",
    file: "a1",
    mode: "time",
    title: "A1: tight loop awaiting a plain value",
    n: scale(1_000_000),
    warmN: scale(200_000),
    warmups: 1,
    reps: 3,
    op: "await",
    ops: (n) => n,
    target: 0.8,
    peers: true,
    pollTarget: 0.1,
  },
  {
    id: "A2",
    file: "a2",
    mode: "time",
    title: "A2: tight loop awaiting an already-resolved promise",
    n: scale(1_000_000),
    warmN: scale(200_000),
    warmups: 1,
    reps: 3,
    op: "await",
    ops: (n) => n,
    target: 0.8,
    peers: true,
    pollTarget: 1.0,
  },
  {
    id: "B1",
    file: "b1",
    mode: "time",
    title: "B1: two async functions ping-ponging through a promise channel",
    n: scale(300_000),
    warmN: scale(30_000),
    warmups: 1,
    reps: 3,
    op: "round trip",
    ops: (n) => n,
    target: 1.0,
    pollTarget: 0.5,
  },
  {
    id: "B2",
    file: "b2",
    mode: "time",
    title: "B2: chain of awaits on promises resolved by setImmediate",
    n: scale(20_000),
    warmN: scale(2_000),
    warmups: 1,
    reps: 3,
    op: "await",
    ops: (n) => n,
    target: 1.0,
  },
  {
    id: "C",
    file: "c",
    mode: "time",
    title: "C: deep async call tree, async fib(25) (compiled calling compiled)",
    n: QUICK ? 20 : 25,
    warmN: QUICK ? 15 : 20,
    warmups: 2,
    reps: 3,
    op: "call",
    ops: fibCalls,
    target: 1.2,
    peers: true,
    pollTarget: 0.25,
  },
  {
    id: "D",
    file: "d",
    mode: "time",
    title: "D: loop with try/catch/finally around an await, 1% throwing",
    n: scale(500_000),
    warmN: scale(100_000),
    warmups: 1,
    reps: 3,
    op: "iteration",
    ops: (n) => n,
    target: 0.8,
    peers: true,
    pollTarget: 0.2,
  },
  {
    id: "G",
    file: "g",
    mode: "time",
    title: "G: for await over an async generator of 1 000 000 values",
    n: scale(1_000_000),
    warmN: scale(100_000),
    warmups: 1,
    reps: 3,
    op: "value",
    ops: (n) => n,
    target: 1.0,
    peers: true,
    pollTarget: 0.2,
  },
  {
    id: "S",
    file: "s",
    mode: "time",
    title: "S: spawning and completing 1 000 000 small tasks (native: Promise.all of async calls)",
    n: scale(1_000_000),
    warmN: scale(100_000),
    warmups: 1,
    reps: 3,
    op: "task",
    ops: (n) => n,
    pollTarget: 0.5,
  },
  {
    id: "E",
    file: "e",
    mode: "memory",
    pollTarget: 0.5,
    title: `E: memory of ${QUICK ? "20 000" : "100 000"} suspended tasks, each with a dead 10 KiB local`,
    tasks: QUICK ? 20_000 : 100_000,
  },
];
const CALLGRIND = {
  // warm-up long enough that tier-up (compiled synchronously under --single-threaded) is over
  // before the measured run
  // (smaller warm-ups left tier-up inside the measured run: ratios moved by up to 0.6x)
  A1: QUICK ? { n: 2_000, warmN: 1_000, warmups: 1 } : { n: 100_000, warmN: 100_000, warmups: 3 },
  C: QUICK ? { n: 10, warmN: 8, warmups: 1 } : { n: 18, warmN: 20, warmups: 3 },
  // the other workloads with a time target, so every target has a stable ratio beside the time
  A2: QUICK ? { n: 2_000, warmN: 1_000, warmups: 1 } : { n: 100_000, warmN: 100_000, warmups: 3 },
  B1: QUICK ? { n: 1_000, warmN: 500, warmups: 1 } : { n: 30_000, warmN: 30_000, warmups: 3 },
  D: QUICK ? { n: 2_000, warmN: 1_000, warmups: 1 } : { n: 100_000, warmN: 100_000, warmups: 3 },
  G: QUICK ? { n: 2_000, warmN: 1_000, warmups: 1 } : { n: 100_000, warmN: 100_000, warmups: 3 },
  S: QUICK ? { n: 2_000, warmN: 1_000, warmups: 1 } : { n: 100_000, warmN: 100_000, warmups: 3 },
};
const F_FUNCTIONS = QUICK ? 200 : 2000;

// BUNDLE runs with F (its sizes sit beside F's in one run) or on its own.
const selected = (id) => !ONLY || ONLY.includes(id) || (id === "BUNDLE" && ONLY.includes("F"));
const timeWorkloads = WORKLOADS.filter((w) => w.mode === "time" && selected(w.id));
const memWorkloads = WORKLOADS.filter((w) => w.mode === "memory" && selected(w.id));

// ---------------------------------------------------------------------------------------------
// reporting (bench/lib/render.mjs renders; these read and write the files)

/** The results of this run plus, from the results.json it replaces, what this run did not measure. */
function withEarlierResults(current) {
  let previous;
  try {
    previous = JSON.parse(readFileSync(join(outDir, "results.json"), "utf8"));
  } catch {
    return current; // none, or unreadable: this run's results only
  }
  return withKeptWorkloads(current, previous);
}

/**
 * Renders `report` and writes results.md, the charts of the workloads it measured (kept ones keep
 * their earlier SVGs), results.json unless `renderOnly`, and with --update-readme the README's
 * Benchmarks section.
 */
function writeReport(report, { timing, renderOnly = false }) {
  const relOut = relative(rootDir, outDir);
  const { text, md, charts, targets } = renderReport(report, { definitions: WORKLOADS, relOut, timing });
  console.log(text);
  const kept = report.meta.keptFromEarlierRun?.workloads ?? [];
  const written = charts.filter((c) => !kept.includes(c.id));
  for (const c of written) writeFileSync(join(outDir, `${c.id}.svg`), c.svg);
  const files = [...(renderOnly ? [] : ["results.json"]), "results.md", ...written.map((c) => `${c.id}.svg`)];
  if (!renderOnly) writeFileSync(join(outDir, "results.json"), JSON.stringify({ ...report, targets }, null, 2) + "\n");
  const mdPath = join(outDir, "results.md");
  writeFileSync(mdPath, withEarlierProfiles(md, existsSync(mdPath) ? readFileSync(mdPath, "utf8") : undefined, kept) + "\n");
  if (flag("update-readme")) updateReadme(md, relOut, kept);
  console.log(`\nwrote ${files.map((f) => `${relOut}/${f}`).join(", ")}`);
}

/** Replaces the README's text between the bench markers with `md` (keeping the kept workloads' profiles `md` lacks). */
function updateReadme(md, relOut, kept) {
  const readmePath = join(rootDir, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const begin = "<!-- bench:results:begin -->";
  const end = "<!-- bench:results:end -->";
  const a = readme.indexOf(begin);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) {
    console.error(`--update-readme: README.md has no ${begin} … ${end} markers; results are in ${relOut}/results.md`);
    return;
  }
  const section = withEarlierProfiles(md, readme.slice(a + begin.length, b), kept);
  writeFileSync(readmePath, readme.slice(0, a + begin.length) + "\n" + section + "\n" + readme.slice(b));
  console.log("README.md: Benchmarks section updated");
}

if (flag("render-only")) {
  if (ONLY) {
    console.error("bench/run.mjs: --render-only renders every workload of results.json; it takes no --only");
    process.exit(2);
  }
  const file = join(outDir, "results.json");
  if (!existsSync(file)) {
    console.error(`bench/run.mjs --render-only: no ${relative(rootDir, file)} (run the bench first)`);
    process.exit(1);
  }
  writeReport(JSON.parse(readFileSync(file, "utf8")), { renderOnly: true });
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// progress
const isTTY = process.stderr.isTTY;
function progress(text) {
  if (isTTY) process.stderr.write(`\r\x1b[K${text}`);
  else process.stderr.write(`${text}\n`);
}
function progressDone(text) {
  if (isTTY) process.stderr.write(`\r\x1b[K${text}\n`);
  else process.stderr.write(`${text}\n`);
}
const fmtDuration = (ms) => (ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")}s` : `${(ms / 1000).toFixed(1)}s`);
const elapsed = () => fmtDuration(Date.now() - startedAt);

// ---------------------------------------------------------------------------------------------
// environment
function sh(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
function pkgVersion(name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
  } catch {
    return undefined;
  }
}
const cpuModel = (() => {
  try {
    return (
      readFileSync("/proc/cpuinfo", "utf8")
        .match(/^model name\s*:\s*(.*)$/m)?.[1]
        ?.trim() ?? os.cpus()[0]?.model
    );
  } catch {
    return os.cpus()[0]?.model;
  }
})();
const valgrindVersion = flag("no-callgrind") ? undefined : sh("valgrind", ["--version"]);
const meta = {
  date: new Date().toISOString(),
  machine: { nproc: Number(sh("nproc", []) ?? os.cpus().length), cpu: cpuModel, memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), platform: `${os.platform()} ${os.release()}` },
  node: process.version,
  v8: process.versions.v8,
  versions: {
    typescript: pkgVersion("typescript"),
    "ts-patch": pkgVersion("ts-patch"),
    "@babel/core": pkgVersion("@babel/core"),
    "@babel/plugin-transform-regenerator": pkgVersion("@babel/plugin-transform-regenerator"),
    "babel-plugin-transform-async-to-promises": pkgVersion("babel-plugin-transform-async-to-promises"),
    "async-machine": JSON.parse(readFileSync(join(rootDir, "package.json"), "utf8")).version,
  },
  git: sh("git", ["-C", rootDir, "describe", "--always", "--dirty", "--abbrev=10"]),
  valgrind: valgrindVersion ?? null,
  quick: QUICK,
  samples: SAMPLES,
  memSamples: MEM_SAMPLES,
  fSamples: F_SAMPLES,
  loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)),
  only: ONLY ?? null,
};

// ---------------------------------------------------------------------------------------------
// statistics
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------------------------------------
// build
rmSync(buildDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const results = { meta, workloads: {}, targets: [], profile: undefined };
const phases = {};
let phaseStart = Date.now();
function phaseDone(name) {
  phases[name] = Math.round((Date.now() - phaseStart) / 100) / 10;
  phaseStart = Date.now();
}
const allWorkloads = [...timeWorkloads, ...memWorkloads];
progress(`building ${allWorkloads.length} workloads × ${VARIANTS.length} variants…`);
for (const w of allWorkloads) {
  const entry = { id: w.id, title: w.title, mode: w.mode, variants: {} };
  if (w.mode === "time") Object.assign(entry, { n: w.n, warmN: w.warmN, warmups: w.warmups, reps: w.reps, op: w.op, opsPerRun: w.ops(w.n) });
  else entry.tasks = w.tasks;
  for (const v of VARIANTS) {
    const b = buildVariant(w, v, buildDir);
    entry.variants[v.id] = { status: b.status, note: b.note, file: b.file, compiled: b.compiled, skipped: b.skipped, samples: [] };
  }
  results.workloads[w.id] = entry;
}
phaseDone("build");
progressDone(`built ${allWorkloads.length} workloads × ${VARIANTS.length} variants (${elapsed()})`);

function runnable(w, v) {
  const r = results.workloads[w.id].variants[v.id];
  return r.status === "ok" || r.status === "partial";
}

function runChild(nodeFlags, config, timeoutMs = 300_000) {
  const r = spawnSync(process.execPath, [...nodeFlags, childPath, JSON.stringify(config)], { encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : (r.stderr || "").trim().split("\n").slice(0, 4).join(" | ");
    return { error: why || `exit ${r.status}` };
  }
  try {
    return JSON.parse(r.stdout.trim().split("\n").pop());
  } catch {
    return { error: `unparsable output: ${r.stdout.slice(0, 200)}` };
  }
}

function markFailure(entry, variantId, kind, why) {
  const r = entry.variants[variantId];
  if (r.status === "runtime-error" || r.status === "wrong-result") return;
  r.status = kind;
  r.note = why;
}

// ---------------------------------------------------------------------------------------------
// time: rounds, interleaved, a fresh process per sample
{
  const jobs = [];
  for (let round = 0; round < SAMPLES; round++) {
    for (const w of timeWorkloads) {
      const vs = VARIANTS.filter((v) => runnable(w, v));
      // rotate the order every round so no variant always runs right after the same one
      const rot = round % vs.length;
      for (const v of [...vs.slice(rot), ...vs.slice(0, rot)]) jobs.push({ round, w, v });
    }
  }
  const t0 = Date.now();
  jobs.forEach((job, i) => {
    const { round, w, v } = job;
    const entry = results.workloads[w.id];
    const r = entry.variants[v.id];
    const done = Date.now() - t0;
    const eta = i > 0 ? ` · ETA ${fmtDuration((done / i) * (jobs.length - i))}` : "";
    progress(`[time ${String(i + 1).padStart(String(jobs.length).length)}/${jobs.length}] round ${round + 1}/${SAMPLES} · ${w.id} · ${v.id}${eta}`);
    if (r.status === "runtime-error" || r.status === "wrong-result") return; // failed once: skip
    const out = runChild([], { mode: "time", file: r.file, n: w.n, warmN: w.warmN, warmups: w.warmups, reps: w.reps });
    if (out.error) return markFailure(entry, v.id, "runtime-error", out.error);
    r.samples.push(median(out.times));
    (r.rounds ??= []).push(round);
    (r.results ??= []).push(out.result);
  });
  phaseDone("time");
  progressDone(`time: ${jobs.length} runs done (${elapsed()})`);
}

// check results against native and summarize
function summarizeTime(w) {
  const entry = results.workloads[w.id];
  const native = entry.variants.native;
  const expected = native.results?.[0];
  for (const v of VARIANTS) {
    const r = entry.variants[v.id];
    if (r.results && r.results.some((x) => x !== expected) && v.id !== "native") {
      markFailure(entry, v.id, "wrong-result", `returned ${JSON.stringify(r.results.find((x) => x !== expected))}, native returned ${JSON.stringify(expected)}`);
    }
    delete r.results;
    if (r.samples.length) {
      r.median = median(r.samples);
      r.min = Math.min(...r.samples);
      r.max = Math.max(...r.samples);
      r.nsPerOp = (r.median * 1e6) / entry.opsPerRun;
    }
  }
  // Ratios are paired by round: each sample is divided by native's sample of the same round (run
  // seconds apart), and the ratio is the median of those; min–max are over the rounds. On a
  // machine whose speed drifts for seconds at a time this is far steadier than a ratio of medians.
  const nativeByRound = new Map((native.rounds ?? []).map((round, k) => [round, native.samples[k]]));
  for (const v of VARIANTS) {
    const r = entry.variants[v.id];
    if (r.median === undefined || native.median === undefined) continue;
    const paired = [];
    (r.rounds ?? []).forEach((round, k) => {
      const base = nativeByRound.get(round);
      if (base) paired.push(r.samples[k] / base);
    });
    if (!paired.length) continue;
    r.pairedRatios = paired;
    r.ratio = median(paired);
    r.ratioMin = Math.min(...paired);
    r.ratioMax = Math.max(...paired);
    r.ratioOfMedians = r.median / native.median;
    r.ratioOfMins = r.min / native.min;
  }
  entry.expected = expected;
}
for (const w of timeWorkloads) summarizeTime(w);

// ---------------------------------------------------------------------------------------------
// memory (E)
for (const w of memWorkloads) {
  const entry = results.workloads[w.id];
  const vs = VARIANTS.filter((v) => runnable(w, v));
  let i = 0;
  const total = vs.length * MEM_SAMPLES;
  for (let round = 0; round < MEM_SAMPLES; round++) {
    const rot = round % vs.length;
    for (const v of [...vs.slice(rot), ...vs.slice(0, rot)]) {
      i++;
      progress(`[memory ${i}/${total}] round ${round + 1}/${MEM_SAMPLES} · ${w.id} · ${v.id}`);
      const r = entry.variants[v.id];
      if (r.status === "runtime-error") continue;
      const out = runChild(["--expose-gc", "--max-old-space-size=4096"], { mode: "memory", file: r.file, tasks: w.tasks });
      if (out.error) {
        markFailure(entry, v.id, "runtime-error", out.error);
        continue;
      }
      r.samples.push(out.bytesPerTask);
      (r.retained ??= []).push(out.retainedDead);
      (r.results ??= []).push(out.result);
    }
  }
  const expected = entry.variants.native.results?.[0];
  for (const v of VARIANTS) {
    const r = entry.variants[v.id];
    if (r.results && v.id !== "native" && r.results.some((x) => x !== expected))
      markFailure(entry, v.id, "wrong-result", `returned ${r.results.find((x) => x !== expected)}, native ${expected}`);
    delete r.results;
    if (r.samples.length) {
      r.median = median(r.samples);
      r.min = Math.min(...r.samples);
      r.max = Math.max(...r.samples);
      r.retainedDead = median(r.retained);
      r.retainedDeadMax = Math.max(...r.retained);
      delete r.retained;
    }
  }
  const base = entry.variants.native.median;
  for (const v of VARIANTS) {
    const r = entry.variants[v.id];
    if (r.median !== undefined && base) r.ratio = r.median / base;
  }
  phaseDone("memory");
  progressDone(`memory: ${total} runs done (${elapsed()})`);
}

/** Per measured variant: a result other than native's is an error, else `ratio` = its `key` ÷ native's. */
function ratiosToNative(variants, key) {
  const base = variants.native;
  for (const slot of Object.values(variants)) {
    if (slot.error) continue;
    if (slot.result !== undefined && base?.result !== undefined && slot.result !== base.result) slot.error = `wrong result ${slot.result} (native ${base.result})`;
    else if (slot[key] && base?.[key]) slot.ratio = slot[key] / base[key];
  }
}

// ---------------------------------------------------------------------------------------------
// callgrind (A1, A2, B1, C, D, G): instruction counts of the measured run, one process per variant
async function runCallgrind() {
  const todo = timeWorkloads.filter((w) => CALLGRIND[w.id]);
  if (!todo.length) return;
  if (!valgrindVersion) {
    const why = flag("no-callgrind") ? "skipped (--no-callgrind)" : "skipped: valgrind not found (apt-get install valgrind)";
    for (const w of todo) results.workloads[w.id].callgrind = { skipped: why };
    progressDone(`callgrind: ${why}`);
    return;
  }
  const cgDir = join(workDir, "callgrind");
  rmSync(cgDir, { recursive: true, force: true });
  mkdirSync(cgDir, { recursive: true });
  const jobs = [];
  for (const w of todo) {
    const cfg = CALLGRIND[w.id];
    const entry = results.workloads[w.id];
    entry.callgrind = { n: cfg.n, warmN: cfg.warmN, warmups: cfg.warmups, opsPerRun: w.ops(cfg.n), nodeFlags: "--single-threaded --expose-gc", variants: {} };
    for (const v of VARIANTS) {
      if (!runnable(w, v)) continue;
      if (QUICK && !["native", "async-machine"].includes(v.id)) continue;
      jobs.push({ w, v, cfg });
    }
  }
  let next = 0;
  let finished = 0;
  const parallel = Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));
  const runOne = (job) =>
    new Promise((resolve) => {
      const { w, v, cfg } = job;
      const entry = results.workloads[w.id];
      const file = join(cgDir, `${w.id}-${v.id}.out`);
      const config = { mode: "callgrind", file: entry.variants[v.id].file, n: cfg.n, warmN: cfg.warmN, warmups: cfg.warmups };
      const child = spawn(
        "valgrind",
        [
          "--tool=callgrind",
          `--callgrind-out-file=${file}`,
          "--dump-before=uv_get_total_memory",
          process.execPath,
          "--single-threaded",
          "--expose-gc",
          childPath,
          JSON.stringify(config),
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), 600_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        const slot = {};
        entry.callgrind.variants[v.id] = slot;
        // the dump taken at the second os.totalmem() call: the highest-numbered dump file
        const dumps = readdirSync(cgDir)
          .filter((f) => f.startsWith(`${basename(file)}.`))
          .map((f) => ({ f, k: Number(f.slice(basename(file).length + 1)) }))
          .filter((d) => Number.isInteger(d.k))
          .sort((a, b) => a.k - b.k);
        let result;
        try {
          result = JSON.parse(stdout.trim().split("\n").pop()).result;
        } catch {}
        if (code !== 0 || dumps.length < 2 || result === undefined) {
          slot.error = `valgrind run failed (exit ${code}, ${dumps.length} dumps): ${stderr
            .split("\n")
            .filter((l) => !l.startsWith("=="))
            .slice(0, 3)
            .join(" | ")}`;
        } else {
          slot.result = result;
          const text = readFileSync(join(cgDir, dumps[dumps.length - 1].f), "utf8");
          const m = text.match(/^(?:totals|summary):\s*(\d+)/m);
          slot.instructions = m ? Number(m[1]) : undefined;
          slot.perOp = slot.instructions / entry.callgrind.opsPerRun;
        }
        for (const d of dumps) rmSync(join(cgDir, d.f), { force: true });
        rmSync(file, { force: true });
        finished++;
        progress(`[callgrind ${finished}/${jobs.length}] ${w.id} · ${v.id} done${slot.error ? " (failed)" : ""} · ${elapsed()}`);
        resolve();
      });
    });
  progress(`[callgrind 0/${jobs.length}] starting ${Math.min(parallel, jobs.length)} valgrind runs…`);
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        progress(`[callgrind ${finished}/${jobs.length}] running ${job.w.id} · ${job.v.id} under valgrind · ${elapsed()}`);
        await runOne(job);
      }
    }),
  );
  for (const w of todo) ratiosToNative(results.workloads[w.id].callgrind.variants, "instructions");
  phaseDone("callgrind");
  progressDone(`callgrind: ${jobs.length} runs done (${elapsed()})`);
}
await runCallgrind();

// ---------------------------------------------------------------------------------------------
// allocation: bytes allocated per operation (V8's sampling heap profiler over one run after the
// warm-up), one process per variant — the "no closure or promise per await" contract, counted
if (timeWorkloads.length) {
  let i = 0;
  const jobs = timeWorkloads.flatMap((w) => VARIANTS.filter((v) => runnable(w, v)).map((v) => ({ w, v })));
  for (const { w, v } of jobs) {
    progress(`[alloc ${++i}/${jobs.length}] ${w.id} · ${v.id} · ${elapsed()}`);
    const entry = results.workloads[w.id];
    entry.alloc ??= { n: w.warmN, opsPerRun: w.ops(w.warmN), samplingInterval: 64, variants: {} };
    const r = runChild([], { mode: "alloc", file: entry.variants[v.id].file, n: w.warmN, warmN: w.warmN, warmups: 2 });
    entry.alloc.variants[v.id] = r.error ? { error: r.error } : { bytes: r.bytes, perOp: r.bytes / entry.alloc.opsPerRun, result: r.result };
  }
  for (const w of timeWorkloads) if (results.workloads[w.id].alloc) ratiosToNative(results.workloads[w.id].alloc.variants, "perOp");
  phaseDone("alloc");
  progressDone(`alloc: ${jobs.length} runs done (${elapsed()})`);
}

// ---------------------------------------------------------------------------------------------
// F: compile a generated project with tspc + plugin vs plain tsc
function dirSizes(dir) {
  let raw = 0;
  let gz = 0;
  let files = 0;
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".js")) {
        const buf = readFileSync(p);
        raw += buf.length;
        gz += gzipSync(buf, { level: 9 }).length;
        files++;
      }
    }
  };
  walk(dir);
  return { raw, gzip: gz, files };
}

if (selected("F")) {
  const fDir = join(workDir, "f");
  const gen = generateProject(fDir, F_FUNCTIONS);
  const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
  const tspPkg = require.resolve("ts-patch/package.json");
  const tspc = join(dirname(tspPkg), JSON.parse(readFileSync(tspPkg, "utf8")).bin.tspc);
  const builds = [
    { id: "tsc", label: "tsc (ES2022, no plugin)", bin: tsc, args: ["-p", "tsconfig.plain.json"], out: "out-plain" },
    { id: "tspc", label: "tspc without the plugin (ts-patch overhead)", bin: tspc, args: ["-p", "tsconfig.plain.json", "--outDir", "out-tspc"], out: "out-tspc" },
    { id: "tspc+plugin", label: "tspc + async-machine plugin (profile development, the default)", bin: tspc, args: ["-p", "tsconfig.plugin.json"], out: "out-plugin" },
    {
      id: "tspc+plugin-production",
      label: "tspc + async-machine plugin, profile production",
      bin: tspc,
      args: ["-p", "tsconfig.plugin-production.json"],
      out: "out-plugin-production",
    },
    // TypeScript's own downlevels of the same project, for scale: what a build pays for async
    // functions compiled to generators (ES2015) and to `__generator` state machines (ES5)
    {
      id: "tsc-es2015",
      label: "tsc --target ES2015 (peer: async as generators)",
      bin: tsc,
      args: ["-p", "tsconfig.plain.json", "--target", "ES2015", "--outDir", "out-es2015"],
      out: "out-es2015",
    },
    {
      id: "tsc-es5",
      label: "tsc --target ES5 (peer: TypeScript's generator state machines)",
      bin: tsc,
      args: ["-p", "tsconfig.plain.json", "--target", "ES5", "--outDir", "out-es5"],
      out: "out-es5",
    },
  ];
  const F = { id: "F", title: `F: compile a generated project of ${gen.asyncFunctions} async functions`, functions: gen.asyncFunctions, files: gen.files, builds: {} };
  for (const b of builds) F.builds[b.id] = { label: b.label, samples: [] };
  F.api = { samples: [] };
  const cpuFile = join(workDir, "cpu-time.txt");
  const preload = join(benchDir, "lib", "cpu-time.cjs");
  const steps = [...builds, { id: "api" }];
  let apiRuns = 0;
  let i = 0;
  for (let round = 0; round < F_SAMPLES; round++) {
    const rot = round % steps.length;
    for (const b of [...steps.slice(rot), ...steps.slice(0, rot)]) {
      i++;
      progress(`[compile ${i}/${F_SAMPLES * steps.length}] round ${round + 1}/${F_SAMPLES} · F · ${b.id}`);
      if (b.id === "api") {
        if (apiRuns++ >= F_API_SAMPLES) continue;
        const r = spawnSync(process.execPath, [join(benchDir, "lib", "compile-api.cjs"), "tsconfig.plain.json", "out-api"], { cwd: fDir, encoding: "utf8", timeout: 300_000 });
        if (r.status !== 0) F.api.error = (r.stderr || "").trim().split("\n").slice(0, 3).join(" | ");
        else F.api.samples.push(JSON.parse(r.stdout.trim().split("\n").pop()));
        continue;
      }
      rmSync(join(fDir, b.out), { recursive: true, force: true });
      rmSync(cpuFile, { force: true });
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ["-r", preload, b.bin, ...b.args], { cwd: fDir, encoding: "utf8", timeout: 300_000, env: { ...process.env, BENCH_CPU_FILE: cpuFile } });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const slot = F.builds[b.id];
      if (r.status !== 0) {
        slot.error = `exit ${r.status ?? r.signal}: ${(r.stdout + r.stderr).trim().split("\n").slice(0, 3).join(" | ")}`;
        continue;
      }
      slot.samples.push(ms);
      (slot.rounds ??= []).push(round);
      (slot.cpuSamples ??= []).push(existsSync(cpuFile) ? Number(readFileSync(cpuFile, "utf8")) : NaN);
      const summary = r.stderr.match(/(\d+) async functions? compiled in (\d+) files?, (\d+) left native/);
      if (summary) slot.plugin = { compiled: Number(summary[1]), files: Number(summary[2]), leftNative: Number(summary[3]) };
    }
  }
  for (const b of builds) {
    const slot = F.builds[b.id];
    if (slot.samples.length) {
      slot.median = median(slot.samples);
      slot.min = Math.min(...slot.samples);
      slot.max = Math.max(...slot.samples);
      slot.cpuMedian = median(slot.cpuSamples);
      slot.size = dirSizes(join(fDir, b.out));
      const run = spawnSync(process.execPath, [join(fDir, b.out, "main.js")], { encoding: "utf8", timeout: 120_000 });
      slot.checksum = run.status === 0 ? run.stdout.trim() : `error: ${(run.stderr || "").trim().split("\n").slice(0, 2).join(" | ")}`;
    }
  }
  const base = F.builds.tsc;
  // paired by round, as for the time workloads
  const pairedRatio = (slot, key) => {
    const baseBy = new Map(base.rounds.map((round, k) => [round, base[key][k]]));
    const xs = slot.rounds.map((round, k) => slot[key][k] / baseBy.get(round)).filter(Number.isFinite);
    return { ratio: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  };
  for (const b of builds) {
    const slot = F.builds[b.id];
    if (slot.median && base.median) {
      const wall = pairedRatio(slot, "samples");
      slot.timeRatio = wall.ratio;
      slot.timeRatioMin = wall.min;
      slot.timeRatioMax = wall.max;
      slot.cpuRatio = pairedRatio(slot, "cpuSamples").ratio;
      slot.rawRatio = slot.size.raw / base.size.raw;
      slot.gzipRatio = slot.size.gzip / base.size.gzip;
    }
  }
  if (F.api.samples.length) {
    for (const k of ["checkMs", "emitMs", "emitPluginMs", "transformMs"]) F.api[k] = median(F.api.samples.map((x) => x[k]));
    // What the plugin adds to the emit: the transformer's own time, and TypeScript printing and
    // module-transforming the larger output (the rest).
    F.api.addedMs = F.api.emitPluginMs - F.api.emitMs;
    F.api.printMs = F.api.addedMs - F.api.transformMs;
    F.api.transformMsPerFunction = F.api.transformMs / gen.asyncFunctions;
    F.api.addedShareOfCheckAndEmit = F.api.addedMs / (F.api.checkMs + F.api.emitMs);
  }
  // Where the added build time goes: the emit with the plugin's transformer under the CPU profiler.
  if (!flag("no-profile")) {
    progress("[profile] F · emit with the async-machine transformer · CPU profiler");
    const profFile = join(workDir, "f-emit.cpuprofile");
    rmSync(profFile, { force: true });
    const r = spawnSync(process.execPath, [join(benchDir, "lib", "compile-api.cjs"), "tsconfig.plain.json", "out-api", profFile], {
      cwd: fDir,
      encoding: "utf8",
      timeout: 300_000,
    });
    F.profile =
      r.status !== 0 || !existsSync(profFile)
        ? { error: (r.stderr || "no profile written").trim().split("\n").slice(0, 3).join(" | ") }
        : { ...summarizeProfile(profFile, undefined), owners: profileOwners(profFile) };
  }
  F.runtime = dirSizes(join(rootDir, "dist", "runtime"));
  F.outputMatches = F.builds["tspc+plugin"].checksum === base.checksum && F.builds["tspc+plugin-production"].checksum === base.checksum;
  results.workloads.F = F;
  phaseDone("compile");
  progressDone(`compile: ${i} builds done (${elapsed()})`);
}

// ---------------------------------------------------------------------------------------------
// BUNDLE: the runtime's share of a minified bundle, and the example app bundled (bench/lib/bundle-size.mjs)
if (selected("BUNDLE")) {
  progress("[bundle] runtime cost and the example app, esbuild --minify, gzip -9");
  results.workloads.BUNDLE = await measureBundles(rootDir, join(workDir, "bundle"));
  phaseDone("bundle");
  progressDone(`bundle: done (${elapsed()})`);
}

// ---------------------------------------------------------------------------------------------
// NET: a line-echo server, native async/await vs poll mode, on loopback (bench/net/workload.mjs)
if (selected("NET")) {
  const levels = opt("net-levels")?.split(",").filter(Boolean).map(Number);
  results.workloads.NET = runNet({ quick: QUICK, samples: Math.min(SAMPLES, 3), progress, levels });
  phaseDone("net");
  progressDone(`net: ${results.workloads.NET.levels.length} levels done (${elapsed()})`);
}

// ---------------------------------------------------------------------------------------------
// SCALING: the transform's cost per input KB at 1x, 10x and 100x, beside ts.transpileModule
if (selected("SCALING")) {
  results.scaling = runScaling({ rootDir, quick: QUICK, progress });
  phaseDone("scaling");
  progressDone(`scaling: ${results.scaling.inputs.length} inputs × 3 sizes done (${elapsed()})`);
}

// ---------------------------------------------------------------------------------------------
// profile: node --cpu-prof on every time workload, async-machine and native; top self-time frames
function summarizeProfile(file, window) {
  const prof = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = new Map();
  // only the timed runs (window from the child, same monotonic clock), not start-up and warm-up
  let t = prof.startTime;
  let inWindow = 0;
  for (let k = 0; k < prof.samples.length; k++) {
    t += prof.timeDeltas[k] ?? 0;
    const next = k + 1 < prof.samples.length ? (prof.timeDeltas[k + 1] ?? 0) : 0;
    if (window && (t < window[0] || t > window[1])) continue;
    inWindow++;
    dt.set(prof.samples[k], (dt.get(prof.samples[k]) ?? 0) + next);
  }
  if (window && inWindow === 0) return summarizeProfile(file, undefined);
  let total = 0;
  for (const [id, us] of dt) {
    const n = byId.get(id);
    const cf = n.callFrame;
    let where = cf.url ? cf.url.replace(/^file:\/\//, "") : "";
    if (where.startsWith(rootDir)) where = relative(rootDir, where);
    const key = `${cf.functionName || "(anonymous)"}${where ? ` ${where}:${cf.lineNumber + 1}` : ""}`;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  const frames = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([frame, us]) => ({ frame, selfMs: +(us / 1000).toFixed(1), selfPct: +((100 * us) / total).toFixed(1) }));
  return { totalMs: +(total / 1000).toFixed(1), timedRunsOnly: Boolean(window), frames };
}

/** A profile's self time by who runs it: TypeScript, async-machine's transformer or runtime, GC, other. */
function profileOwners(file) {
  const prof = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const owners = {};
  let total = 0;
  prof.samples.forEach((id, k) => {
    const us = prof.timeDeltas[k + 1] ?? 0;
    const { url, functionName } = byId.get(id).callFrame;
    const owner = /[\\/]node_modules[\\/]typescript[\\/]/.test(url)
      ? "TypeScript"
      : /[\\/]dist[\\/]transformer[\\/]/.test(url)
        ? "async-machine transformer"
        : /[\\/]dist[\\/]runtime[\\/]/.test(url)
          ? "async-machine runtime (hashing)"
          : functionName === "(garbage collector)"
            ? "garbage collector"
            : "other";
    owners[owner] = (owners[owner] ?? 0) + us;
    total += us;
  });
  return Object.fromEntries(
    Object.entries(owners)
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => [k, +((100 * us) / total).toFixed(1)]),
  );
}

// Every time workload: where a target is missed, the note on it needs a profile to point at.
const profiled = WORKLOADS.filter((w) => w.mode === "time" && selected(w.id) && results.workloads[w.id]);
if (!flag("no-profile") && profiled.length > 0) {
  const profDir = join(workDir, "prof");
  results.profile = { interval_us: 100, workloads: {} };
  for (const w of profiled) {
    const entry = (results.profile.workloads[w.id] = {});
    for (const id of ["async-machine", "native"]) {
      const r = results.workloads[w.id].variants[id];
      if (!runnable(w, { id })) continue;
      progress(`[profile] ${w.id} · ${id} · node --cpu-prof`);
      rmSync(profDir, { recursive: true, force: true });
      const out = runChild(["--cpu-prof", `--cpu-prof-dir=${profDir}`, "--cpu-prof-interval", "100"], {
        mode: "time",
        file: r.file,
        n: w.n,
        warmN: w.warmN,
        warmups: w.warmups,
        reps: w.reps,
      });
      const file = existsSync(profDir) ? readdirSync(profDir).find((f) => f.endsWith(".cpuprofile")) : undefined;
      entry[id] = out.error || !file ? { error: out.error ?? "no profile written" } : summarizeProfile(join(profDir, file), out.window);
    }
  }
  phaseDone("profile");
  progressDone(`profile: done (${elapsed()})`);
}

// ---------------------------------------------------------------------------------------------
// results.json, console text, charts, results.md and the README
results.meta.durationSec = Math.round((Date.now() - startedAt) / 1000);
results.meta.phaseSec = phases;
// how busy the machine was: wall vs CPU of this process tree would need rusage; the load average is cheap
results.meta.loadAverage = os.loadavg().map((x) => +x.toFixed(2));
for (const e of Object.values(results.workloads)) for (const r of Object.values(e.variants ?? {})) if (r.file) r.file = relative(rootDir, r.file);
const saved = ONLY ? withEarlierResults(results) : results;
const timing = `total ${elapsed()} (${Object.entries(phases)
  .map(([k, v]) => `${k} ${v}s`)
  .join(", ")}; load average at start ${meta.loadAverageAtStart.join(" ")})`;
writeReport(saved, { timing });
