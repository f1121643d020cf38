/**
 * The text form of an inspection report: a table per machine a person reads in seconds, after
 * rustc's coroutine layout dumps. Also the format of the fixtures' `layout.txt` snapshots.
 *
 *     fetchTwice (input.ts:1:1): 5 states, frame 2 slots, 0 captured
 *        #  state            size  await   live across                   awaiting
 *        0  Unresumed           0  -       [url] (arguments)
 *        1  Returned            0  -       []
 *        2  Panicked            0  -       []
 *        3  AwaitFetch_L2       2  2:13    [url@0, $spill@1]             fetch(url)
 *       transitions
 *         Unresumed      -> AwaitFetch_L2
 *         AwaitFetch_L2  -> AwaitFetch_L2  (loop)
 *
 * A poll-mode machine says so at the end of its first line (`…, 0 captured, poll mode`);
 * promise mode, the default, is not written.
 * Live entries: `name@N` frame offset N, `name@cN` captures offset N, `name@aN` argument N,
 * `name@env` a field of a per-iteration environment record; `$name` is a spilled temporary.
 * Transition kinds other than `normal` are shown in parentheses.
 *
 * Invariant: no absolute paths, no timings, no hashes: the output of a fixture changes only when
 * its states, layout or transitions do.
 */
import type { FileFunctionReport, FileReport } from "./file-report";
import { displayName, type LiveVariable } from "../emit/machine-description";

export function formatText(report: FileReport): string {
  const out: string[] = [];
  if (report.functions.length === 0 && report.skipped.length === 0) out.push(`${report.file}: no async functions`);
  for (const fn of report.functions) {
    if (out.length > 0) out.push("");
    out.push(...formatFunction(report.file, fn));
  }
  if (report.skipped.length > 0) {
    if (out.length > 0) out.push("");
    out.push("left native");
    for (const s of report.skipped) out.push(`  ${s.name} (${report.file}:${s.line}:${s.column}): [${s.code}] ${s.reason}`);
  }
  return out.join("\n") + "\n";
}

function formatFunction(file: string, fn: FileFunctionReport): string[] {
  const lines = [
    `${fn.name} (${file}:${fn.line}:${fn.column}): ${fn.states.length} states, frame ${plural(fn.frameSize, "slot")}, ${fn.capturedSize} captured${fn.captures.length > 0 ? ` [${fn.captures.map((c) => `${c.name}@c${c.offset}`).join(", ")}]` : ""}${fn.mode === "poll" ? ", poll mode" : ""}`,
  ];
  const rows = fn.states.map((s) => [
    String(s.index),
    s.name,
    String(s.size),
    s.kind === "suspend" ? `${s.line}:${s.column}` : "-",
    s.kind === "unresumed" ? `[${s.live.join(", ")}]${s.live.length > 0 ? " (arguments)" : ""}` : `[${s.fields.map(liveEntry).join(", ")}]`,
    s.awaited ?? "",
  ]);
  const header = ["#", "state", "size", "await", "live across", "awaiting"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // Numbers right-aligned, text left-aligned; the last column is not padded.
  const cell = (text: string, i: number): string => (i === 0 || i === 2 ? text.padStart(widths[i]) : i === header.length - 1 ? text : text.padEnd(widths[i]));
  for (const row of [header, ...rows]) lines.push(`  ${row.map(cell).join("  ")}`.trimEnd());
  if (fn.transitions.length > 0) {
    lines.push("  transitions");
    const name = (index: number): string => fn.states[index]?.name ?? `State${index}`;
    const width = Math.max(...fn.transitions.map((t) => name(t.from).length));
    for (const t of fn.transitions) lines.push(`    ${name(t.from).padEnd(width)} -> ${name(t.to)}${t.kind === "normal" ? "" : `  (${t.kind})`}`);
  }
  if (fn.code !== undefined) {
    lines.push("  generated code", ...fn.code.split("\n").map((l) => `    ${l}`.trimEnd()));
  }
  return lines;
}

function liveEntry(v: LiveVariable): string {
  const name = displayName(v);
  switch (v.storage) {
    case "frame":
      return `${name}@${v.offset}`;
    case "captures":
      return `${name}@c${v.offset}`;
    case "arguments":
      return `${name}@a${v.offset}`;
    case "env":
      return `${name}@env`;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
