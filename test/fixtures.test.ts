/**
 * Fixture suite: every `fixtures/<area>/<case>/input.ts` is run natively and compiled, and the
 * traces must be equal (the native engine is the referee). The compiled text is snapshotted as
 * `output.ts` beside the input. See `fixtures/README.md` for the layout.
 *
 * Every fixture also runs compiled in poll mode, under the executor: its trace without the
 * microtask ticker must be native's, except for the fixtures test/poll/fixture-differences.ts
 * lists with the documented reason (and what is still checked for them). And every fixture runs
 * compiled in the production profile (no state enums, no comments, names shared by sibling
 * machines: transformer/profile.ts), whose trace must be native's too, in both modes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { transform } from "../transformer/index";
import { compileForSnapshot, runCompiled, runCompiledPoll, runNative, withoutTicks } from "./helpers/trace";
import { POLL_DIFFERENCES } from "./poll/fixture-differences";

const ROOT = path.resolve(__dirname, "..");
const FIXTURES = path.join(ROOT, "fixtures");

/** Files a case directory may hold. */
const CASE_FILES = new Set(["input.ts", "output.ts", "layout.txt", "expect-skipped.txt", "README.md"]);
/** Files whose presence makes a directory a case directory (so it needs `input.ts`). */
const CASE_MARKERS = ["input.ts", "output.ts", "layout.txt", "expect-skipped.txt"];

interface Dir {
  /** Posix path relative to the repository root. */
  rel: string;
  abs: string;
  files: string[];
  dirs: string[];
}

function walk(abs: string, out: Dir[] = []): Dir[] {
  const entries = fs.readdirSync(abs, { withFileTypes: true });
  const files = entries
    .filter((e) => !e.isDirectory())
    .map((e) => e.name)
    .sort();
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  out.push({ rel: path.relative(ROOT, abs).split(path.sep).join("/"), abs, files, dirs });
  for (const d of dirs) walk(path.join(abs, d), out);
  return out;
}

const allDirs = fs.existsSync(FIXTURES) ? walk(FIXTURES) : [];
const cases = allDirs.filter((d) => d.files.includes("input.ts"));

const SNAPSHOT_DIFFERS = "output.ts differs. If the change is intended: npm test -- -u, then review git diff.";
const SNAPSHOT_MISSING = "output.ts is missing. Run npm test locally (not with CI=true) to write it, review it, commit it.";

function readExpectedSkips(dir: Dir): string[] {
  if (!dir.files.includes("expect-skipped.txt")) return [];
  return fs
    .readFileSync(path.join(dir.abs, "expect-skipped.txt"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

function firstDifference(a: string[], b: string[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe("fixtures layout", () => {
  it("has fixtures", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it("has no orphans or stray files", () => {
    const problems: string[] = [];
    for (const d of allDirs) {
      if (d.abs === FIXTURES) {
        for (const f of d.files) if (f !== "README.md") problems.push(`${d.rel}/${f}: stray file (cases live in fixtures/<area>/<case>/)`);
        continue;
      }
      const isCase = CASE_MARKERS.some((f) => d.files.includes(f));
      if (isCase && !d.files.includes("input.ts")) {
        problems.push(`${d.rel}: has ${d.files.filter((f) => CASE_MARKERS.includes(f)).join(", ")} but no input.ts (delete the orphan, or restore input.ts)`);
      }
      if (isCase && d.dirs.length > 0) problems.push(`${d.rel}: a case directory must not contain directories (${d.dirs.join(", ")})`);
      for (const f of d.files) {
        if (isCase ? !CASE_FILES.has(f) : f !== "README.md") {
          problems.push(`${d.rel}/${f}: stray file (a case holds only ${[...CASE_FILES].join(", ")})`);
        }
      }
    }
    expect(problems, "fixtures/ has orphaned or unexpected files").toEqual([]);
  });
});

describe.each(cases.map((c) => [c.rel.replace(/^fixtures\//, ""), c] as const))("%s", (name, dir) => {
  const fileName = `${dir.rel}/input.ts`;
  const src = fs.readFileSync(path.join(dir.abs, "input.ts"), "utf8");
  const expectedSkips = readExpectedSkips(dir);
  // The native run is the referee of every test below: run once per case.
  let nativeRun: ReturnType<typeof runNative> | undefined;
  const nativeOf = (): ReturnType<typeof runNative> => (nativeRun ??= runNative(src, fileName));

  it("compiled trace equals native trace", async () => {
    const native = await nativeOf();
    expect(native.outcome, `${fileName}: natively, main() must return a promise that settles (fixture problem)`).toMatch(/^(resolved|rejected)$/);

    const compiled = await runCompiled(src, fileName);
    const at = firstDifference(compiled.trace, native.trace);
    expect(compiled.trace, `${fileName}: compiled trace differs from native at line ${at + 1}`).toEqual(native.trace);
    expect(compiled.outcome).toBe(native.outcome);
  });

  it("production-profile trace equals native trace", async () => {
    const compiled = await runCompiled(src, fileName, "production");
    const { trace, outcome } = await nativeOf();
    const at = firstDifference(compiled.trace, trace);
    expect(compiled.trace, `${fileName}: production-profile trace differs from native at line ${at + 1}`).toEqual(trace);
    expect(compiled.outcome).toBe(outcome);
  });

  /** Poll mode's trace (in `profile`) against native's, ticks aside, or as the known difference says. */
  async function expectPollTraceAsNative(profile: "development" | "production"): Promise<void> {
    const native = await nativeOf();
    const poll = await runCompiledPoll(src, fileName, profile);
    const expected = withoutTicks(native.trace);
    const got = withoutTicks(poll.trace);
    const known = POLL_DIFFERENCES[name];
    const where = profile === "production" ? "production-profile poll-mode" : "poll-mode";
    expect(poll.outcome, `${fileName}: ${where} outcome`).toBe(native.outcome);
    if (known === undefined) {
      const at = firstDifference(got, expected);
      expect(got, `${fileName}: ${where} trace differs from native at line ${at + 1} (ticks aside)`).toEqual(expected);
      return;
    }
    expect(got, `${fileName}: listed as "${known}" in test/poll/fixture-differences.ts but now matches native (${where}): remove it from the list`).not.toEqual(expected);
    if (known === "order") expect([...got].sort(), `${fileName}: poll mode may reorder lines across tasks, not change them (${where})`).toEqual([...expected].sort());
  }

  it("poll-mode trace equals native trace (ticks aside)", () => expectPollTraceAsNative("development"));

  it("production-profile poll-mode trace equals native trace (ticks aside)", () => expectPollTraceAsNative("production"));

  it("leaves native only what it must", () => {
    const { skipped } = transform(src, { fileName, runtime: "inline" });
    const codes = [...skipped].sort((a, b) => a.line - b.line || a.column - b.column).map((s) => s.code);
    if (expectedSkips.length === 0) {
      expect(skipped, `${fileName}: functions left native (add expect-skipped.txt if intended)`).toEqual([]);
      return;
    }
    // Each line of expect-skipped.txt is the code of one function left native, in source order.
    expect(codes, `${fileName}: skipped functions do not match expect-skipped.txt`).toEqual(expectedSkips);
  });

  it("output.ts snapshot", async () => {
    const out = path.join(dir.abs, "output.ts");
    const hint = fs.existsSync(out) ? SNAPSHOT_DIFFERS : SNAPSHOT_MISSING;
    await expect(compileForSnapshot(src, fileName), `${fileName}: ${hint}`).toMatchFileSnapshot(out);
  });
});
