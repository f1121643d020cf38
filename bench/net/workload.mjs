// Workload NET for bench/run.mjs (`npm run bench -- --only=NET`): the line-echo server written
// with native async/await on `net` (native-server.mjs) vs the same server compiled in poll mode
// (poll-echo.mjs, loaded by poll-server.mjs), each driven by load.mjs on loopback. For each count
// of idle connections, in interleaved rounds: heap and RSS bytes per idle connection, then a
// message flood with the idle connections still open — requests (lines) per second and p50/p99
// round-trip latency.
//
// Levels: 10 000; the most one process holds under the hard file-descriptor limit (19 000 with
// a limit of 20 000); and 100 000. Every idle connection costs one descriptor in the server and
// one in its client. A level that does not fit in one process is run with the same server
// program as cluster workers sharing the port and the idle connections opened by holder
// processes from several loopback source addresses (load.mjs --workers/--holders, chosen by
// fd-plan.mjs), the same for both servers; such a level runs one round (`multiRounds`), each of
// its runs taking minutes. `levels` in the call (run.mjs --net-levels=) chooses other counts.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { barChart, COLORS } from "../lib/svg.mjs";
import { FD_SLACK, planProcesses } from "./fd-plan.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(dirname(here));
const SERVERS = [
  { id: "native", label: "native async/await on net", file: "native-server.mjs", color: COLORS.baseline },
  { id: "poll", label: "async-machine poll mode (bench/net/poll-echo.mjs)", file: "poll-server.mjs", color: COLORS.ours },
];
export const NET_TARGETS = { throughputRatio: 1.5, bytesPerConnRatio: 0.5 };

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function hardFdLimit() {
  const r = spawnSync("/bin/sh", ["-c", "ulimit -Hn"], { encoding: "utf8" });
  const text = r.stdout.trim();
  return text === "unlimited" ? Infinity : Number(text);
}

/** One load.mjs run; its JSON, or { error }. */
function loadRun(server, level, { clients, seconds, pipeline }) {
  const args = [join(here, "load.mjs"), `--server=${join(here, server.file)}`, `--idle=${level.idle}`, `--clients=${clients}`, `--seconds=${seconds}`, `--pipeline=${pipeline}`];
  if (level.workers > 1) args.push(`--workers=${level.workers}`, `--holders=${level.holders}`);
  // the servers' idle timeout (NET_IDLE_MS) outlasts the run: opening 100 000 connections on a busy machine takes minutes
  const env = { ...process.env, NET_IDLE_MS: "3600000" };
  // load.mjs bounds its own opening (120 s + 5 ms per connection); this bounds the rest
  const timeout = 300_000 + 5 * level.idle;
  const r = spawnSync(process.execPath, args, { encoding: "utf8", env, timeout, killSignal: "SIGTERM" });
  if (r.error || r.status !== 0) return { error: (r.error?.message ?? (r.stderr.trim().split("\n").slice(-3).join(" | ") || `exit ${r.status ?? r.signal}`)).slice(0, 300) };
  try {
    return JSON.parse(r.stdout.trim().split("\n").pop());
  } catch {
    return { error: `unparsable output: ${r.stdout.slice(0, 200)}` };
  }
}

/** How a level is run, in words (for the progress line, results.json and the table). */
function describeLevel(level) {
  if (level.workers === 1) return "one server process; the driver holds the idle connections";
  const last = 2 + level.holders - 1;
  return (
    `server: ${level.workers} cluster workers sharing the port (round-robin); idle connections: ${level.holders} client processes ` +
    `from 127.0.0.2–127.0.0.${last} (one source address each); flood: the driver, from 127.0.0.1`
  );
}

/** Compiles bench/net/poll-echo.mjs in poll mode into bench/net/build/ (what poll-server.mjs loads). */
export function buildPollServer() {
  const cli = join(root, "dist", "cli", "main.js");
  const args = [cli, "compile", join(here, "poll-echo.mjs"), "--poll", "**", "--out-dir", join(here, "build"), "--strict"];
  const r = spawnSync(process.execPath, args, { encoding: "utf8", cwd: here });
  if (r.status !== 0) throw new Error(`compiling bench/net/poll-echo.mjs failed:\n${r.stdout}${r.stderr}`);
}

/**
 * Runs the workload; `progress(text)` reports each run; `levels` overrides the counts of idle
 * connections. The `workloads.NET` entry of results.json.
 */
export function runNet({ quick, samples, progress, levels: askedLevels }) {
  buildPollServer();
  const fdLimit = hardFdLimit();
  const load = { clients: 64, seconds: quick ? 2 : 5, pipeline: 16 };
  const singleMax = Math.floor((fdLimit - load.clients - FD_SLACK) / 1000) * 1000; // the most one process holds, in thousands
  const wanted = askedLevels ?? (quick ? [1_000, 5_000] : [...new Set([10_000, Math.min(singleMax, 100_000), 100_000])]);
  const rounds = quick ? 1 : samples;
  const multiRounds = 1;
  const levels = wanted.map((idle) => {
    const level = { idle, ...planProcesses({ idle, clients: load.clients, hardLimit: fdLimit }) };
    const singleProcessMost = level.workers === 1 && idle === singleMax;
    return { ...level, singleProcessMost, rounds: level.workers > 1 ? Math.min(rounds, multiRounds) : rounds, how: describeLevel(level) };
  });
  const runs = levels.map(() => Object.fromEntries(SERVERS.map((s) => [s.id, []])));
  const total = levels.reduce((n, level) => n + level.rounds * SERVERS.length, 0);
  let done = 0;
  for (let round = 0; round < rounds; round++) {
    levels.forEach((level, li) => {
      if (round >= level.rounds) return;
      const order = round % 2 === 0 ? SERVERS : [...SERVERS].reverse();
      for (const server of order) {
        progress(`[net ${++done}/${total}] round ${round + 1}/${level.rounds} · ${level.idle} idle (${level.how}) · ${server.id}`);
        runs[li][server.id].push(loadRun(server, level, load));
      }
    });
  }
  const result = {
    title: "NET: line-echo server, native async/await vs poll mode, idle connections and a message flood",
    load: { ...load, rounds, loopback: true },
    fdLimit: Number.isFinite(fdLimit) ? fdLimit : null,
    targets: NET_TARGETS,
    levels: levels.map((level, li) => summarizeLevel(level, runs[li])),
  };
  // the headline ratios: at the first level (10 000 idle connections)
  result.throughputRatio = result.levels[0].ratios.requestsPerSecond;
  result.bytesPerConnRatio = result.levels[0].ratios.heapBytesPerConn;
  result.rssPerConnRatio = result.levels[0].ratios.rssBytesPerConn;
  result.p99Ratio = result.levels[0].ratios.p99Ms;
  return result;
}

const METRICS = ["requestsPerSecond", "p50Ms", "p99Ms", "heapBytesPerConn", "rssBytesPerConn"];

function summarizeLevel(level, byServer) {
  const servers = {};
  for (const s of SERVERS) {
    const ok = byServer[s.id].filter((r) => !r.error);
    servers[s.id] = { runs: byServer[s.id], errors: byServer[s.id].filter((r) => r.error).map((r) => r.error) };
    for (const m of METRICS) servers[s.id][m] = median(ok.map((r) => r[m]));
  }
  // ratio per round (poll ÷ native of the same round), then the median over rounds
  const ratios = {};
  for (const m of METRICS) {
    const perRound = byServer.poll.map((p, i) => (p.error || byServer.native[i]?.error ? NaN : p[m] / byServer.native[i][m]));
    ratios[m] = median(perRound);
  }
  return { ...level, servers, ratios };
}

const fmt = (x, digits = 0) => (x === undefined ? "—" : Number(x).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const fmtRatio = (r) => (r === undefined ? "—" : `${r.toFixed(2)}x`);

/** Markdown: one row per level and server, then the targets. */
export function netMarkdown(net) {
  const head = ["idle connections", "server", "requests/s", "p50 ms", "p99 ms", "heap B/conn", "RSS B/conn"];
  const rows = [];
  for (const level of net.levels) {
    const count = [fmt(level.idle), levelNote(level, net)].filter(Boolean).join(" ");
    for (const s of SERVERS) {
      const v = level.servers[s.id];
      const cells =
        v.requestsPerSecond === undefined
          ? [`failed: ${v.errors[0] ?? "?"}`, "", "", "", ""]
          : [fmt(v.requestsPerSecond), fmt(v.p50Ms, 1), fmt(v.p99Ms, 1), fmt(v.heapBytesPerConn), fmt(v.rssBytesPerConn)];
      rows.push([count, s.id === "poll" ? "**poll mode**" : "native", ...cells]);
    }
    const r = level.ratios;
    rows.push([count, "poll ÷ native", fmtRatio(r.requestsPerSecond), fmtRatio(r.p50Ms), fmtRatio(r.p99Ms), fmtRatio(r.heapBytesPerConn), fmtRatio(r.rssBytesPerConn)]);
  }
  const table = [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`);
  const met = (ok) => (ok === undefined ? "—" : ok ? "met" : "**missed**");
  const t = net.targets;
  const ratioCells = (key, ok) => net.levels.map((level) => `${fmtRatio(level.ratios[key])} ${met(level.ratios[key] === undefined ? undefined : ok(level.ratios[key]))}`);
  const targets = [
    `| target | ${net.levels.map((level) => `${fmt(level.idle)} idle`).join(" | ")} |`,
    `|---|${net.levels.map(() => "---").join("|")}|`,
    `| throughput ≥ ${t.throughputRatio}x native | ${ratioCells("requestsPerSecond", (r) => r >= t.throughputRatio).join(" | ")} |`,
    `| bytes per idle connection (heap) ≤ ${t.bytesPerConnRatio}x native | ${ratioCells("heapBytesPerConn", (r) => r <= t.bytesPerConnRatio).join(" | ")} |`,
    `| p99 latency no worse than native (≤ 1x) | ${ratioCells("p99Ms", (r) => r <= 1).join(" | ")} |`,
  ];
  const multi = net.levels.filter((level) => level.workers > 1);
  const how = multi.map((level) => `At ${fmt(level.idle)} idle connections (${level.rounds === 1 ? "one round" : `${level.rounds} rounds`}): ${level.how}.`);
  const l = net.load;
  return [
    `NET (loopback; medians of ${l.rounds} interleaved rounds, each server a fresh process; flood: ${l.clients} clients each writing ${l.pipeline} lines at once and waiting for their echoes, for ${l.seconds} s, with the idle connections open; ratios: median over rounds of poll ÷ native of the same round):`,
    "",
    ...table,
    "",
    ...how.flatMap((line) => [line, ""]),
    ...targets,
  ];
}

/** The count column's note: how the level was run. */
function levelNote(level, net) {
  if (level.workers > 1) return `(${level.workers} server processes, ${level.holders} client processes)`;
  return level.singleProcessMost ? `(one process's most, fd limit ${fmt(net.fdLimit)})` : "";
}

/** `3 rounds`, or `3 rounds (100,000 idle: one round)` where a level ran fewer rounds than the load's. */
function roundsText(net) {
  const fewer = net.levels.filter((level) => level.rounds !== undefined && level.rounds !== net.load.rounds);
  const each = fewer.map((level) => `${fmt(level.idle)} idle: ${level.rounds === 1 ? "one round" : `${level.rounds} rounds`}`);
  return `${net.load.rounds} rounds${each.length ? ` (${each.join("; ")})` : ""}`;
}

/** The chart: requests per second, p99, and heap bytes per idle connection, per level. */
export function netChart(net, subtitle) {
  const bar = (metric, text) => (level) =>
    SERVERS.map((s) => {
      const v = level.servers[s.id];
      if (v[metric] === undefined) return { label: `${fmt(level.idle)} idle · ${s.id}`, failed: true, text: (v.errors[0] ?? "failed").slice(0, 70) };
      const values = v.runs.filter((r) => !r.error).map((r) => r[metric]);
      return {
        label: `${fmt(level.idle)} idle · ${s.id}`,
        color: s.color,
        value: v[metric],
        min: Math.min(...values),
        max: Math.max(...values),
        text: text(v[metric], level.ratios[metric], s.id),
      };
    });
  const withRatio = (unit, digits) => (value, ratio, id) => `${fmt(value, digits)} ${unit}${id === "poll" ? ` (${fmtRatio(ratio)})` : ""}`;
  return barChart({
    title: net.title,
    subtitle,
    panels: [
      {
        heading: `requests per second under the flood (higher is better; target poll ≥ ${net.targets.throughputRatio}x native)`,
        scale: "linear",
        rows: net.levels.flatMap(bar("requestsPerSecond", withRatio("req/s", 0))),
      },
      { heading: "p99 round-trip latency, ms (lower is better; target: no worse than native)", scale: "linear", rows: net.levels.flatMap(bar("p99Ms", withRatio("ms", 1))) },
      {
        heading: `heap bytes per idle connection after GC (lower is better; target poll ≤ ${net.targets.bytesPerConnRatio}x native)`,
        scale: "linear",
        rows: net.levels.flatMap(bar("heapBytesPerConn", withRatio("B", 0))),
      },
    ],
    footer: [`Bars: median; whiskers: min–max over ${roundsText(net)}. Ratios in parentheses: poll ÷ native. fd hard limit ${net.fdLimit ?? "unlimited"}.`],
  });
}
