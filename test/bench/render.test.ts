/**
 * The bench's report renderer (bench/lib/render.mjs) and the merge of a `--only` run with the
 * results.json it replaces (bench/lib/kept.mjs), on fixture results: no benchmark runs here.
 * A run that measured some workloads must keep the other workloads' rows, dated by their own
 * measurement, and a table must show only the variants its workloads were measured with.
 */
import { describe, expect, test } from "vitest";
import { renderReport } from "../../bench/lib/render.mjs";
import { withEarlierProfiles, withKeptWorkloads } from "../../bench/lib/kept.mjs";

const definitions = [
  { id: "A1", mode: "time", op: "await", target: 0.8 },
  { id: "C", mode: "time", op: "call", target: 1.2 },
];

function meta(date: string) {
  return {
    date,
    machine: { nproc: 2, cpu: "test cpu", memoryGiB: 8, platform: "linux" },
    node: "v20.0.0",
    v8: "11",
    versions: { typescript: "6.0.3", "@babel/core": "7", "babel-plugin-transform-async-to-promises": "0.8" },
    git: "0123456789",
    quick: false,
    samples: 7,
    loadAverageAtStart: [0.5, 0.5, 0.5],
  };
}

function timeWorkload(id: string, title: string, nativeMs: number, ratio: number) {
  const ok = (median: number, r: number) => ({ status: "ok", median, ratio: r, ratioMin: r - 0.01, ratioMax: r + 0.01, nsPerOp: median });
  return {
    id,
    title,
    mode: "time",
    op: definitions.find((d) => d.id === id)!.op,
    opsPerRun: 1000,
    variants: { native: ok(nativeMs, 1), "async-machine": ok(nativeMs * ratio, ratio) },
  };
}

function run(date: string, workloads: ReturnType<typeof timeWorkload>[]) {
  return { meta: meta(date), workloads: Object.fromEntries(workloads.map((w) => [w.id, w])), targets: [], profile: undefined };
}

const render = (results: object) => renderReport(results, { definitions, relOut: "bench/results" });

describe("bench report", () => {
  test("a full run renders every workload's rows, undated, with only the variants measured", () => {
    const { md } = render(run("2026-11-26T01:00:00.000Z", [timeWorkload("A1", "A1", 50, 0.87), timeWorkload("C", "C", 16, 1.28)]));
    expect(md).toContain("| workload | native | async-machine |\n");
    expect(md).toContain("| A1 time (1.0k awaits) | 1.00x (50.0 ms) | **0.87x (0.86–0.88)** |");
    expect(md).toContain("| C time (1.0k calls) | 1.00x (16.0 ms) | **1.28x (1.27–1.29)** |");
    expect(md).not.toContain("kept from earlier runs");
  });

  test("an --only run keeps the other workloads' rows, each dated by its own measurement", () => {
    const full = run("2026-11-26T01:00:00.000Z", [timeWorkload("A1", "A1", 50, 0.87), timeWorkload("C", "C", 16, 1.28)]);
    const onlyC = withKeptWorkloads(run("2026-12-01T01:00:00.000Z", [timeWorkload("C", "C", 15, 1.1)]), full);
    // a later run of neither (F alone, say): A1 and C keep their own dates
    const later = withKeptWorkloads(run("2026-12-07T01:00:00.000Z", []), onlyC);
    expect(later.meta.keptFromEarlierRun.dates).toEqual({ A1: "2026-11-26T01:00:00.000Z", C: "2026-12-01T01:00:00.000Z" });

    const { md: mdOnlyC } = render(onlyC);
    expect(mdOnlyC).toContain("| A1 time (1.0k awaits, 2026-11-26) | 1.00x (50.0 ms) | **0.87x (0.86–0.88)** |");
    expect(mdOnlyC).toContain("| C time (1.0k calls) | 1.00x (15.0 ms) | **1.10x (1.09–1.11)** |");

    const { md, targets } = render(later);
    expect(md).toContain("| A1 time (1.0k awaits, 2026-11-26) | 1.00x (50.0 ms) | **0.87x (0.86–0.88)** |");
    expect(md).toContain("| C time (1.0k calls, 2026-12-01) | 1.00x (15.0 ms) | **1.10x (1.09–1.11)** |");
    expect(md).toContain("kept from earlier runs: A1 (measured 2026-11-26); C (measured 2026-12-01)");
    expect(targets.map((t: { id: string }) => t.id)).toEqual(["A1-time", "C-time"]);
  });

  test("an --only run keeps the kept workloads' profiles", () => {
    const full = {
      ...run("2026-11-26T01:00:00.000Z", [timeWorkload("A1", "A1", 50, 0.87)]),
      profile: { interval_us: 100, workloads: { A1: { native: { totalMs: 9, frames: [{ selfPct: 50, frame: "run a1.js:5" }] } } } },
    };
    const onlyC = withKeptWorkloads(run("2026-12-01T01:00:00.000Z", [timeWorkload("C", "C", 15, 1.1)]), full);
    expect(render(onlyC).md).toContain("A1 native: top self-time frames (node --cpu-prof, 9 ms sampled)\n   50%  run a1.js:5");
  });

  test("a report whose kept workloads lack profiles takes theirs from the report it replaces", () => {
    const block = (...paragraphs: string[]) =>
      ["<details><summary>Profiles: top self-time frames of the timed runs</summary>", "", "```", paragraphs.join("\n\n"), "```", "", "</details>"].join("\n");
    const a1 = "A1 native: top self-time frames (node --cpu-prof, 9 ms sampled)\n   50%  run a1.js:5";
    const c = "C native: top self-time frames (node --cpu-prof, 8 ms sampled)\n   40%  fib c.js:5";
    const oldF = "F emit with the async-machine transformer: top self-time frames (CPU profiler, 3 ms sampled)\n   10%  old";
    const newF = "F emit with the async-machine transformer: top self-time frames (CPU profiler, 4 ms sampled)\n   20%  new";
    const earlier = `Latest run: old\n\n${block(a1, c, oldF)}`;
    // A1 kept without its profile, C re-measured without profiling, F re-measured with one
    expect(withEarlierProfiles(`Latest run: new\n\n${block(newF)}`, earlier, ["A1"])).toBe(`Latest run: new\n\n${block(a1, newF)}`);
    expect(withEarlierProfiles("Latest run: new", earlier, ["A1", "C"])).toBe(`Latest run: new\n\n${block(a1, c)}`);
    expect(withEarlierProfiles("Latest run: new", undefined, ["A1"])).toBe("Latest run: new");
  });
});
