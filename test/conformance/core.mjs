#!/usr/bin/env node
// test262's tiers against the project's lists. Used by test/conformance/test262.test.ts and
// runnable by hand (after `npm run build`):
//
//   node test/conformance/core.mjs [--tier core|extended] [--json out.json] [--write-known]
//
// Three lists per tier (`core-…` for the core tier, `extended-…` for the extended one), each line
// `<test path><tab or spaces><reason>`, `#` starts a comment:
//   <tier>-expected-failures.txt  failures no source transform can avoid (allowed categories only).
//   <tier>-known-bugs.txt         failures that are transformer bugs, listed so CI stays green while
//                                 they are fixed. Only shrinks.
//   <tier>-known-native.txt       (non-negative) tests in which the transform left a function
//                                 native, with the code of the reason it gave. Only shrinks.
// A failure on none of the first two lists fails the run; a listed test that passes (or is no
// longer run) fails it too, so every list only shrinks. `--write-known` rewrites the two
// "known" lists from this run (keeping their reasons where the path was listed already) — for
// the transformer's author, after fixing bugs; never to hide a new failure.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "..", "..");
export const CONFORMANCE = path.resolve(ROOT, "..", "shared", "conformance");
export const RUNNER = path.join(CONFORMANCE, "run-test262.mjs");
export const ADAPTER = path.join(HERE, "test262-adapter.mjs");
/** The three lists of a tier (`core`, `extended`). */
export function listsOf(tier) {
  return {
    expected: path.join(HERE, `${tier}-expected-failures.txt`),
    bugs: path.join(HERE, `${tier}-known-bugs.txt`),
    native: path.join(HERE, `${tier}-known-native.txt`),
  };
}
export const LISTS = listsOf("core");
/** A tier's lists, read. */
export function readLists(files = LISTS) {
  return { expected: readList(files.expected), bugs: readList(files.bugs), native: readList(files.native) };
}

/** Map path -> reason. Throws on a malformed or duplicate line. */
export function readList(file) {
  const out = new Map();
  if (!fs.existsSync(file)) return out;
  const lines = fs.readFileSync(file, "utf8").split("\n");
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s+#.*$|^#.*$/, "").trim();
    if (line === "") return;
    const m = /^(\S+)\s+(.+)$/.exec(line);
    if (!m) throw new Error(`${path.basename(file)}:${i + 1}: expected "<test path> <reason>", got ${JSON.stringify(raw)}`);
    if (out.has(m[1])) throw new Error(`${path.basename(file)}:${i + 1}: ${m[1]} is listed twice`);
    out.set(m[1], m[2].trim());
  });
  return out;
}

/**
 * Runs the runner with the adapter. Resolves to { summary, natives, seconds, stderr }:
 * `natives` maps test path -> [{ name, line, column, reason, strict, negative }].
 */
export function runTier({ tier = "core", jobs = 2, filters = [], timeoutMs = 15 * 60 * 1000 } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "am-t262-"));
  const out = path.join(tmp, "results.json");
  const skiplog = path.join(tmp, "native.jsonl");
  // The runner only starts when argv[1] is its real path (it compares with import.meta.url).
  const args = [fs.realpathSync(RUNNER), "-t", ADAPTER, "--tier", tier, "-j", String(jobs), "-o", out, ...filters.flatMap((f) => ["-f", f])];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, AM_T262_SKIPLOG: skiplog },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      try {
        if (code !== 0 || !fs.existsSync(out)) {
          throw new Error(`test262 runner exited with ${code}\n${stderr.slice(-4000)}\n${stdout.slice(-2000)}`);
        }
        const summary = JSON.parse(fs.readFileSync(out, "utf8"));
        const natives = new Map();
        if (fs.existsSync(skiplog)) {
          for (const l of fs.readFileSync(skiplog, "utf8").split("\n")) {
            if (!l.trim()) continue;
            const e = JSON.parse(l);
            const list = natives.get(e.file) ?? [];
            for (const s of e.skipped) list.push({ ...s, strict: e.strict, negative: e.negative });
            natives.set(e.file, list);
          }
        }
        resolve({ summary, natives, seconds: (Date.now() - started) / 1000, stderr, stdout });
      } catch (e) {
        reject(e);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });
  });
}

/** The run's tests grouped: failing path -> "kind: error", passing/skipped paths, native paths. */
export function digest({ summary, natives }) {
  const failing = new Map(summary.failures.map((f) => [f.file, `[${f.variant}] ${f.kind}: ${f.error ?? ""}`]));
  const nativeByFile = new Map();
  for (const [file, list] of natives) {
    if (list.some((s) => s.negative)) continue; // a script that must not parse: native is right
    const reasons = [...new Set(list.map((s) => s.code))];
    nativeByFile.set(file, reasons.join(" | "));
  }
  const total = summary.totals.pass + summary.totals.fail + summary.totals.skip;
  return { failing, nativeByFile, total };
}

/** Compares a run with the lists. Returns the problems, each a line of text (empty = green). */
export function compare(run, lists = readLists(LISTS)) {
  const { failing, nativeByFile } = digest(run);
  const problems = { unexpected: [], fixedExpected: [], fixedBugs: [], overlap: [], newNative: [], fixedNative: [] };
  for (const p of lists.expected.keys()) if (lists.bugs.has(p)) problems.overlap.push(`${p}: listed in both <tier>-expected-failures.txt and <tier>-known-bugs.txt`);
  for (const [p, why] of failing) {
    if (!lists.expected.has(p) && !lists.bugs.has(p)) problems.unexpected.push(`${p}  ${why}`);
  }
  for (const p of lists.expected.keys()) if (!failing.has(p)) problems.fixedExpected.push(`${p}: passes (or no longer runs) — remove it from <tier>-expected-failures.txt`);
  for (const p of lists.bugs.keys()) if (!failing.has(p)) problems.fixedBugs.push(`${p}: passes (or no longer runs) — remove it from <tier>-known-bugs.txt`);
  for (const [p, why] of nativeByFile) if (!lists.native.has(p)) problems.newNative.push(`${p}: a function was left native (${why})`);
  for (const p of lists.native.keys()) if (!nativeByFile.has(p)) problems.fixedNative.push(`${p}: nothing is left native any more — remove it from <tier>-known-native.txt`);
  return problems;
}

function writeKnown(run, LISTS) {
  const { failing, nativeByFile } = digest(run);
  const expected = readList(LISTS.expected);
  const oldBugs = readList(LISTS.bugs);
  const header = (file) =>
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("#"))
      .join("\n");
  const bugs = [...failing.keys()].filter((p) => !expected.has(p)).sort();
  fs.writeFileSync(LISTS.bugs, `${header(LISTS.bugs)}\n${bugs.map((p) => `${p}\t${oldBugs.get(p) ?? failing.get(p)}`).join("\n")}\n`);
  const oldNative = readList(LISTS.native);
  const natives = [...nativeByFile.keys()].sort();
  fs.writeFileSync(LISTS.native, `${header(LISTS.native)}\n${natives.map((p) => `${p}\t${oldNative.get(p) ?? nativeByFile.get(p)}`).join("\n")}\n`);
}

async function main() {
  const argv = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : dflt;
  };
  const tier = opt("--tier", "core");
  const run = await runTier({ tier, jobs: Number(opt("-j", "2")) });
  const t = run.summary.totals;
  if (opt("--json")) fs.writeFileSync(opt("--json"), JSON.stringify(run.summary, null, 2));
  console.log(`test262 ${tier}: ${t.pass} passed, ${t.fail} failed, ${t.skip} skipped in ${run.seconds.toFixed(1)} s`);
  const { nativeByFile } = digest(run);
  const byReason = new Map();
  for (const [p, why] of nativeByFile) for (const r of why.split(" | ")) byReason.set(r, [...(byReason.get(r) ?? []), p]);
  console.log(`tests that left an async function native (negative tests excluded): ${nativeByFile.size}`);
  for (const [r, ps] of [...byReason].sort((a, b) => b[1].length - a[1].length)) console.log(`  ${ps.length}  ${r}`);
  const files = listsOf(tier);
  if (argv.includes("--write-known")) {
    writeKnown(run, files);
    console.log(`rewrote ${path.basename(files.bugs)} and ${path.basename(files.native)}`);
    return;
  }
  const problems = compare(run, readLists(files));
  let bad = 0;
  for (const [k, list] of Object.entries(problems)) {
    if (list.length === 0) continue;
    bad += list.length;
    console.log(`\n${k} (${list.length}):`);
    for (const l of list) console.log(`  ${l}`);
  }
  console.log(bad === 0 ? "\nlists match" : `\n${bad} problem(s)`);
  process.exitCode = bad === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
}
