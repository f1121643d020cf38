#!/usr/bin/env node
// Differential fuzzer: random async programs (generate.mjs) run natively and compiled, traces
// compared by the fixture referee (test/helpers/trace.ts via harness.mjs).
//
//   npm run fuzz -- --count N --seed S [--stmt-only]       (npm run fuzz builds dist/ first)
//   node test/fuzz/run.mjs --count N --seed S [options]     (after npm run build)
//
// Options:
//   --count N          programs to run (default 100), seeds S .. S+N-1
//   --seed S           first seed (default 1)
//   --stmt-only        awaits only at statement level (no awaits inside larger expressions)
//   --agen             programs with async generators too (generate.mjs, `--agen`)
//   --mode poll        compile in poll mode (README "Poll mode") and compare the traces without
//                      the microtask ticker; a trace that has native's lines in another order
//                      (cross-task order, the documented difference) passes. A poll-mode call
//                      runs at its first poll, so programs that call without awaiting differ
//                      (mismatch). Poll mode writes no reproducers.
//   --exclude K,...    never generate these node kinds (expression/statement kinds of
//                      generate.mjs, or `getter`): to look past a known bug
//   -j J               worker processes (default 2)
//   --no-shrink        report failures without shrinking them
//   --no-write         do not write reproducers under fixtures/fuzz/
//   --max-repros K     shrink and write at most K reproducers (default 20), and at most
//   --per-cause C      C per failure signature (default 2); the rest are counted and listed
//   --shrink-ms MS     time budget of one shrink (default 60000)
//   --hang-shrink-ms MS  time budget of one shrink that needs a process per candidate (a hang,
//                      or a shrink that hit a hanging candidate; default 300000)
//   --timeout-ms MS    guard of one program run (default 5000)
//   --json FILE        write the summary as JSON
//   --quiet            no progress line
//
// Verdicts per program: ok; mismatch (traces or outcomes differ; includes compiled hangs caught
// by the run guard); native (the transform left a function native); crash (the transform threw,
// or its output failed to load); hang (the worker stopped answering: a synchronous infinite
// loop in compiled code); invalid (the program itself did not settle natively: a generator bug).
// A hang cannot be judged in-process (a synchronous loop never yields), so hangs — and shrinks
// that ran into a hanging candidate — are shrunk with each candidate judged in a child process
// (`--judge FILE`) under a time limit.
// On a failure the program is shrunk (delta debugging, shrink.mjs) to a reproducer that fails
// the same way, written to fixtures/fuzz/<seed>/input.ts (full mode) or
// fixtures/fuzz/<seed>-stmt/input.ts (--stmt-only) and printed. The fixtures suite then runs it.
// Exit code 1 when any program failed. Last line: "N passed, M failed".
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { fork, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..");
const SELF = fileURLToPath(import.meta.url);

function parseArgs(argv) {
  const o = {
    count: 100,
    seed: 1,
    stmtOnly: false,
    agen: false,
    mode: "promise",
    exclude: [],
    jobs: 2,
    shrink: true,
    write: true,
    maxRepros: 20,
    perCause: 2,
    shrinkMs: 60000,
    hangShrinkMs: 300000,
    judgeFile: null,
    timeoutMs: 5000,
    json: null,
    quiet: false,
    worker: false,
    fixtures: path.join(ROOT, "fixtures", "fuzz"),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === "--count") o.count = Number(v());
    else if (a === "--seed") o.seed = Number(v());
    else if (a === "--stmt-only") o.stmtOnly = true;
    else if (a === "--agen") o.agen = true;
    else if (a === "--mode") o.mode = v();
    else if (a === "--exclude") o.exclude = v().split(",").filter(Boolean);
    else if (a === "-j" || a === "--jobs") o.jobs = Math.max(1, Number(v()));
    else if (a === "--no-shrink") o.shrink = false;
    else if (a === "--no-write") o.write = false;
    else if (a === "--max-repros") o.maxRepros = Number(v());
    else if (a === "--per-cause") o.perCause = Number(v());
    else if (a === "--shrink-ms") o.shrinkMs = Number(v());
    else if (a === "--hang-shrink-ms") o.hangShrinkMs = Number(v());
    else if (a === "--judge") o.judgeFile = v();
    else if (a === "--timeout-ms") o.timeoutMs = Number(v());
    else if (a === "--json") o.json = v();
    else if (a === "--fixtures") o.fixtures = path.resolve(v());
    else if (a === "--quiet") o.quiet = true;
    else if (a === "--worker") o.worker = true;
    else if (a === "-h" || a === "--help") {
      const lines = fs.readFileSync(SELF, "utf8").split("\n").slice(1);
      console.log(
        lines
          .slice(
            0,
            lines.findIndex((l) => !l.startsWith("//")),
          )
          .map((l) => l.replace(/^\/\/ ?/, ""))
          .join("\n"),
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!Number.isInteger(o.seed) || !Number.isInteger(o.count) || o.count < 0) throw new Error("--seed and --count take integers");
  if (o.mode !== "promise" && o.mode !== "poll") throw new Error(`--mode takes promise or poll, got ${o.mode}`);
  if (o.mode === "poll") o.write = false;
  MODE = o.mode;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Judging one program (worker side).

const norm = (s) =>
  String(s)
    .replace(/'[^']*'|"[^"]*"/g, "'…'")
    .replace(/\d+/g, "N")
    .slice(0, 90);

function firstDiff(a, b) {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** The compile mode of this process (--mode): judge() compiles in it. */
let MODE = "promise";

export async function judge(h, src, timeoutMs, faithful = true) {
  const { native: nativeRun, compiled: compiledRun, result, error } = await h.runBoth(src, "input.ts", timeoutMs, faithful, MODE);
  // Poll mode: ticks are the documented difference, and so is order across tasks (same lines).
  const poll = MODE === "poll";
  const native = poll ? { ...nativeRun, trace: h.trace.withoutTicks(nativeRun.trace) } : nativeRun;
  let compiled = compiledRun;
  if (poll && compiledRun) {
    const lines = h.trace.withoutTicks(compiledRun.trace);
    const reordered = lines.length === native.trace.length && JSON.stringify([...lines].sort()) === JSON.stringify([...native.trace].sort());
    compiled = { ...compiledRun, trace: reordered ? native.trace : lines };
  }
  if (native.outcome !== "resolved" && native.outcome !== "rejected") {
    return {
      kind: "invalid",
      sig: `native run ${native.outcome}`,
      detail: native.trace
        .filter((l) => !l.startsWith("tick"))
        .slice(-3)
        .join(" / "),
    };
  }
  if (error) {
    const msg = String((error && error.message) || error).split("\n")[0];
    return { kind: "crash", sig: `transform threw: ${norm(msg)}`, detail: msg };
  }
  if (compiled.outcome === "load-error") {
    const line = compiled.trace.find((l) => l.startsWith("harness error")) ?? "";
    return { kind: "crash", sig: `compiled output fails to load: ${norm(line.replace(/^.*loading: /, ""))}`, detail: line };
  }
  const skipped = result.skipped.map((s) => `${s.name}@${s.line}: ${s.reason}`);
  const i = firstDiff(native.trace, compiled.trace);
  if (i >= 0 || native.outcome !== compiled.outcome) {
    const n = native.trace[i] ?? "<end>";
    const c = compiled.trace[i] ?? "<end>";
    const sig = compiled.outcome === "timeout" ? "compiled run timed out" : `native «${norm(n)}» vs compiled «${norm(c)}»`;
    return {
      kind: "mismatch",
      sig,
      detail: `trace line ${i + 1}: native ${JSON.stringify(n)} / compiled ${JSON.stringify(c)}; outcome ${native.outcome} / ${compiled.outcome}`,
      skipped,
    };
  }
  if (skipped.length > 0) {
    const reasons = [...new Set(result.skipped.map((s) => s.reason))].sort();
    return { kind: "native", sig: `left native: ${reasons.join(" | ")}`, detail: skipped.join("; ") };
  }
  return { kind: "ok" };
}

const sameFailure = (a, b) => a.kind === b.kind && (a.kind === "mismatch" || a.kind === "hang" || a.sig === b.sig);

/** Judges `text` in a child process (`--judge`): a run that does not finish in time is a hang. */
function judgeIsolated(text, timeoutMs) {
  const file = path.join(os.tmpdir(), `am-fuzz-${process.pid}-${Math.random().toString(36).slice(2)}.js`);
  fs.writeFileSync(file, text);
  try {
    const limit = timeoutMs * 2 + 8000;
    const r = spawnSync(process.execPath, [SELF, "--judge", file, "--timeout-ms", String(timeoutMs), "--mode", MODE], {
      encoding: "utf8",
      timeout: limit,
      killSignal: "SIGKILL",
      maxBuffer: 16 << 20,
    });
    if (r.error?.code === "ETIMEDOUT" || r.signal === "SIGKILL")
      return { kind: "hang", sig: "compiled program never yields (synchronous infinite loop)", detail: `no answer within ${limit} ms` };
    const line = (r.stdout || "").trim().split("\n").pop();
    try {
      return JSON.parse(line);
    } catch {
      return { kind: "invalid", sig: "judge process failed", detail: (r.stderr || "").slice(-500) };
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}

async function judgeMain(o) {
  const h = await import("./harness.mjs");
  process.on("unhandledRejection", () => {});
  const v = await judge(h, fs.readFileSync(o.judgeFile, "utf8"), o.timeoutMs, true);
  process.stdout.write(JSON.stringify(v) + "\n");
  process.exit(0);
}

async function workerMain(o) {
  const h = await import("./harness.mjs");
  const g = await import("./generate.mjs");
  const { shrink } = await import("./shrink.mjs");
  const opts = { stmtOnly: o.stmtOnly, agen: o.agen, exclude: o.exclude };
  process.on("unhandledRejection", () => {});
  process.on("message", async (msg) => {
    try {
      if (msg.type === "run") {
        const t0 = Date.now();
        let verdict;
        try {
          const src = g.print(g.generate(msg.seed, opts));
          verdict = await judge(h, src, o.timeoutMs, false);
          // Screened on the fast path; a failure is confirmed the way the fixtures suite runs it.
          if (verdict.kind !== "ok" && verdict.kind !== "invalid") verdict = await judge(h, src, o.timeoutMs, true);
          verdict.lines = src.split("\n").length;
        } catch (e) {
          verdict = { kind: "invalid", sig: `fuzzer error: ${norm(e && e.message)}`, detail: String((e && e.stack) || e) };
        }
        process.send({ type: "result", seed: msg.seed, verdict, ms: Date.now() - t0 });
      } else if (msg.type === "shrink") {
        const tree = msg.tree ?? g.generate(msg.seed, opts);
        const original = msg.verdict;
        const isolated = !!msg.isolated;
        // A hang is judged with a short run guard: these programs settle in milliseconds.
        const limit = isolated ? Math.min(o.timeoutMs, 2000) : o.timeoutMs;
        const check = async (text) => (isolated ? judgeIsolated(text, limit) : judge(h, text, limit));
        const res = await shrink(tree, async (cand, text) => sameFailure(await check(text), original), {
          print: (t) => g.print(t),
          maxMs: isolated ? o.hangShrinkMs : o.shrinkMs,
          onProgress: (p) => process.send({ type: "shrinking", seed: msg.seed, ...p }),
        });
        const text = g.print(res.tree);
        const verdict = await check(text);
        process.send({ type: "shrunk", seed: msg.seed, text, verdict, attempts: res.attempts, timedOut: res.timedOut });
      }
    } catch (e) {
      process.send({ type: "error", seed: msg.seed, error: String((e && e.stack) || e) });
    }
  });
  process.send({ type: "ready" });
}

// ---------------------------------------------------------------------------------------------
// Parent: schedules seeds over workers, watches for hangs, shrinks, writes reproducers.

function reproDir(o, seed) {
  return path.join(o.fixtures, o.stmtOnly ? `${seed}-stmt` : o.agen ? `${seed}-agen` : String(seed));
}

function reproText(o, seed, v, text, originalLines) {
  const flags = (o.stmtOnly ? " --stmt-only" : "") + (o.agen ? " --agen" : "") + (o.exclude.length ? ` --exclude ${o.exclude.join(",")}` : "");
  const lines = text.split("\n").length;
  return (
    `// Differential fuzz reproducer (test/fuzz): seed ${seed}${o.stmtOnly ? ", --stmt-only" : ", full mode"}; regenerate the unshrunk\n` +
    `// program with: npm run fuzz -- --seed ${seed} --count 1${flags}\n` +
    `// ${v.kind}: ${String(v.detail ?? v.sig)
      .replace(/\n/g, " ")
      .slice(0, 400)}\n` +
    (originalLines ? `// shrunk from ${originalLines} to ${lines} lines\n` : "") +
    text
  );
}

async function parentMain(o) {
  const seeds = Array.from({ length: o.count }, (_, i) => o.seed + i);
  const started = Date.now();
  const verdicts = new Map(); // seed -> verdict
  const queue = seeds.map((seed) => ({ type: "run", seed }));
  const shrinkQueue = [];
  const bySig = new Map(); // kind+sig -> { kind, sig, seeds: [] }
  const repros = [];
  let shrinksPlanned = 0;
  let done = 0;
  const counts = { ok: 0, mismatch: 0, native: 0, crash: 0, hang: 0, invalid: 0 };
  const isTTY = process.stderr.isTTY;
  let lastProgress = 0;
  const progress = (force = false) => {
    if (o.quiet) return;
    const now = Date.now();
    if (!force && now - lastProgress < (isTTY ? 250 : 10000)) return;
    lastProgress = now;
    const rate = done / Math.max(0.001, (now - started) / 1000);
    const line = `fuzz${o.stmtOnly ? " --stmt-only" : ""} ${done}/${seeds.length}  ${rate.toFixed(1)}/s  mismatch ${counts.mismatch}  native ${counts.native}  crash ${counts.crash}  hang ${counts.hang}  invalid ${counts.invalid}${shrinkQueue.length || active.size ? `  shrinking ${[...active.values()].filter((j) => j.type === "shrink").length}/${shrinkQueue.length} queued` : ""}`;
    if (isTTY) process.stderr.write(`\r${line}\x1b[K`);
    else process.stderr.write(line + "\n");
  };

  const record = (seed, v) => {
    verdicts.set(seed, v);
    counts[v.kind] = (counts[v.kind] ?? 0) + 1;
    done++;
    if (v.kind === "ok") return;
    const key = `${v.kind}\u0000${v.sig}`;
    let g = bySig.get(key);
    if (!g) bySig.set(key, (g = { kind: v.kind, sig: v.sig, count: 0, seeds: [], example: v.detail }));
    g.count++;
    if (g.seeds.length < 50) g.seeds.push(seed);
    const wantShrink = o.shrink && v.kind !== "invalid" && shrinksPlanned < o.maxRepros && g.count <= o.perCause;
    if (wantShrink) {
      shrinksPlanned++;
      shrinkQueue.push({ type: "shrink", seed, verdict: v, isolated: v.kind === "hang" });
    } else if (v.kind === "hang" && shrinksPlanned < o.maxRepros && g.count <= o.perCause) {
      shrinksPlanned++;
      writeUnshrunk(seed, v);
    }
  };

  let g0;
  const writeRepro = (seed, v, text, originalLines) => {
    const full = reproText(o, seed, v, text, originalLines);
    const entry = { seed, kind: v.kind, sig: v.sig, detail: v.detail, lines: text.split("\n").length, originalLines, dir: null };
    if (o.write) {
      const dir = reproDir(o, seed);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "input.ts"), full);
      entry.dir = path.relative(ROOT, dir);
    }
    repros.push(entry);
    if (!o.quiet) {
      if (isTTY) process.stderr.write("\r\x1b[K");
      console.log(`\n=== seed ${seed}: ${v.kind}: ${v.sig}${entry.dir ? `  -> ${entry.dir}/input.ts` : ""}\n${full}`);
    }
  };
  let gprint = null;
  const g0print = (tree) => gprint(tree);
  const writeUnshrunk = async (seed, v) => {
    g0 ??= await import("./generate.mjs");
    const text = g0.print(g0.generate(seed, { stmtOnly: o.stmtOnly, agen: o.agen, exclude: o.exclude }));
    writeRepro(seed, v, text, null);
  };

  g0 = await import("./generate.mjs");
  gprint = g0.print;
  const active = new Map(); // worker -> job
  await new Promise((resolveAll) => {
    let live = 0;
    const next = () => shrinkQueue.shift() ?? queue.shift();
    const maybeFinish = () => {
      if (queue.length === 0 && shrinkQueue.length === 0 && active.size === 0) resolveAll();
    };
    const spawnWorker = () => {
      const args = ["--worker", "--timeout-ms", String(o.timeoutMs), "--shrink-ms", String(o.shrinkMs), "--hang-shrink-ms", String(o.hangShrinkMs), "--mode", o.mode];
      if (o.stmtOnly) args.push("--stmt-only");
      if (o.agen) args.push("--agen");
      if (o.exclude.length) args.push("--exclude", o.exclude.join(","));
      const w = fork(SELF, args, { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: ["--max-old-space-size=2048"] });
      live++;
      let timer = null;
      const arm = (ms) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const job = active.get(w);
          if (job) {
            active.delete(w);
            if (job.type === "run")
              record(job.seed, { kind: "hang", sig: "compiled program never yields (synchronous infinite loop)", detail: `no answer within ${Math.round(ms / 1000)} s` });
            // A candidate hung the shrink: go on from the best tree so far, one process per candidate.
            else if (!job.isolated) shrinkQueue.push({ type: "shrink", seed: job.seed, verdict: job.verdict, tree: job.best, isolated: true });
            else if (job.best) writeRepro(job.seed, job.verdict, g0print(job.best), verdicts.get(job.seed)?.lines);
            else writeUnshrunk(job.seed, job.verdict);
          }
          w.kill("SIGKILL");
        }, ms);
      };
      const dispatch = () => {
        const job = next();
        if (!job) {
          w.kill();
          return;
        }
        active.set(w, job);
        arm(job.type === "run" ? o.timeoutMs * 3 + 30000 : (job.isolated ? o.hangShrinkMs + 60000 : o.shrinkMs) + o.timeoutMs * 3 + 30000);
        w.send(job);
      };
      let answered = false;
      w.on("message", (m) => {
        answered = true;
        if (m.type === "ready") dispatch();
        else if (m.type === "shrinking") {
          const job = active.get(w);
          if (job) job.best = m.tree; // where to go on from if the shrink hangs
        } else if (m.type === "result") {
          active.delete(w);
          record(m.seed, m.verdict);
          progress();
          dispatch();
        } else if (m.type === "shrunk") {
          active.delete(w);
          const original = verdicts.get(m.seed);
          const v = m.verdict.kind === "ok" ? original : m.verdict;
          writeRepro(m.seed, v, m.text, original?.lines);
          progress();
          dispatch();
        } else if (m.type === "error") {
          const job = active.get(w);
          active.delete(w);
          if (job?.type === "run") record(job.seed, { kind: "invalid", sig: "fuzzer error", detail: m.error });
          else if (job) writeUnshrunk(job.seed, job.verdict);
          console.error(`\nfuzzer error (seed ${m.seed}): ${m.error}`);
          dispatch();
        }
      });
      w.on("exit", (code, signal) => {
        clearTimeout(timer);
        live--;
        if (!answered) {
          // It died before saying it was ready (the harness did not load): a new worker would too.
          console.error(`\nfuzz: a worker exited (${signal ?? `code ${code}`}) before it was ready; its error is above. Stopping.`);
          process.exit(2);
        }
        const job = active.get(w);
        if (job) {
          active.delete(w);
          if (job.type === "run") record(job.seed, { kind: "hang", sig: "worker died", detail: "worker exited while running the program" });
        }
        if (queue.length + shrinkQueue.length > 0) spawnWorker();
        else if (live === 0) maybeFinish();
      });
    };
    if (seeds.length === 0) return resolveAll();
    for (let i = 0; i < Math.min(o.jobs, seeds.length); i++) spawnWorker();
  });
  progress(true);
  if (isTTY && !o.quiet) process.stderr.write("\n");

  const seconds = (Date.now() - started) / 1000;
  const failed = seeds.length - counts.ok;
  const groups = [...bySig.values()].sort((a, b) => b.count - a.count);
  const summary = {
    mode: o.stmtOnly ? "stmt-only" : "full",
    exclude: o.exclude,
    seeds: [o.seed, o.seed + o.count - 1],
    count: o.count,
    seconds: +seconds.toFixed(1),
    counts,
    groups,
    repros,
    failing: [...verdicts].filter(([, v]) => v.kind !== "ok").map(([seed, v]) => ({ seed, kind: v.kind, sig: v.sig })),
  };
  if (o.json) fs.writeFileSync(o.json, JSON.stringify(summary, null, 2));
  console.log(`\nfuzz ${summary.mode}: seeds ${o.seed}..${o.seed + o.count - 1}, ${seconds.toFixed(1)} s (${(o.count / seconds).toFixed(1)} programs/s)`);
  for (const [k, n] of Object.entries(counts)) console.log(`  ${k.padEnd(9)} ${n}`);
  if (groups.length) {
    console.log("failures by signature:");
    for (const gr of groups) console.log(`  ${String(gr.count).padStart(5)}  ${gr.kind}: ${gr.sig}  (seeds ${gr.seeds.slice(0, 8).join(", ")}${gr.count > 8 ? ", …" : ""})`);
  }
  if (repros.length) {
    console.log("reproducers:");
    for (const r of repros) console.log(`  seed ${r.seed}: ${r.kind}, ${r.lines} lines${r.dir ? ` -> ${r.dir}/input.ts` : ""}`);
  }
  console.log(`${counts.ok} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

const o = parseArgs(process.argv.slice(2));
if (o.judgeFile) judgeMain(o);
else if (o.worker) workerMain(o);
else
  parentMain(o).catch((e) => {
    console.error(e);
    process.exit(2);
  });
