/**
 * What the bundler plugins print to stderr at the end of a build, as the tsc plugin does:
 * one summary line (`report: "summary"`), also one line per file and per function left native
 * (`"verbose"`), or nothing (`"silent"`).
 */
import type { SkippedFunction } from "../api";

export class Report {
  private compiled = 0;
  private files = 0;
  private readonly skipped: SkippedFunction[] = [];
  private readonly lines: string[] = [];

  constructor(private readonly mode: "summary" | "verbose" | "silent") {}

  file(shown: string, compiled: number, skipped: readonly SkippedFunction[]): void {
    if (compiled > 0) this.files++;
    this.compiled += compiled;
    this.skipped.push(...skipped);
    if (this.mode === "verbose" && (compiled > 0 || skipped.length > 0)) {
      this.lines.push(`  ${shown}: ${compiled} compiled${skipped.length ? `, ${skipped.length} left native` : ""}`);
      for (const s of skipped) this.lines.push(`    ${s.fileName}:${s.line}:${s.column} ${s.name}: ${s.reason}`);
    }
  }

  flush(): void {
    if (this.mode === "silent" || this.compiled + this.skipped.length === 0) return;
    const n = this.compiled;
    const left = this.skipped.length;
    const hint = left > 0 && this.mode === "summary" ? ` (run with report: "verbose" to list them)` : "";
    process.stderr.write(`async-machine: ${n} async function${n === 1 ? "" : "s"} compiled in ${this.files} file${this.files === 1 ? "" : "s"}, ${left} left native${hint}\n`);
    for (const line of this.lines) process.stderr.write(line + "\n");
    this.compiled = this.files = 0;
    this.skipped.length = 0;
    this.lines.length = 0;
  }
}
