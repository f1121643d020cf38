/**
 * test262's core tier (async functions, async arrows, await, async methods, AsyncFunction) run
 * through the project's transform with the runtime inline (test/conformance/test262-adapter.mjs),
 * by the kit's own runner in ../shared/conformance. Needs `dist/` (npm test builds it first).
 *
 * Compared with three lists (see core.mjs): a failure on neither core-expected-failures.txt nor
 * core-known-bugs.txt fails, and a listed test that passes fails too — the lists only shrink.
 * core-known-native.txt ratchets the tests in which a function is left native the same way.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

type Problems = Record<"unexpected" | "fixedExpected" | "fixedBugs" | "overlap" | "newNative" | "fixedNative", string[]>;
interface Core {
  ROOT: string;
  RUNNER: string;
  LISTS: { expected: string; bugs: string; native: string };
  readList(file: string): Map<string, string>;
  runTier(o: { tier?: string; jobs?: number }): Promise<{ summary: { totals: { pass: number; fail: number; skip: number } }; seconds: number }>;
  compare(run: unknown): Problems;
}

const ROOT = path.resolve(__dirname, "..", "..");
const kitPresent = fs.existsSync(path.resolve(ROOT, "..", "shared", "conformance", "run-test262.mjs"));

describe.runIf(kitPresent)("test262 core tier", () => {
  let core: Core;
  let problems: Problems;
  let totals: { pass: number; fail: number; skip: number };

  beforeAll(async () => {
    core = (await import(path.join(__dirname, "core.mjs"))) as Core;
    const run = await core.runTier({ tier: "core", jobs: 2 });
    totals = run.summary.totals;
    problems = core.compare(run);
    console.log(`test262 core: ${totals.pass} passed, ${totals.fail} failed, ${totals.skip} skipped (${run.seconds.toFixed(1)} s)`);
  }, 15 * 60 * 1000);

  it("ran the tier", () => {
    expect(totals.pass + totals.fail).toBeGreaterThan(500);
  });

  it("the lists are well formed: every entry has a reason, none in two lists", () => {
    for (const file of Object.values(core.LISTS)) core.readList(file); // throws on a malformed line
    expect(problems.overlap).toEqual([]);
  });

  it("every failure is listed (core-expected-failures.txt or core-known-bugs.txt)", () => {
    expect(problems.unexpected, "new test262 failures (fix them; never list a regression)").toEqual([]);
  });

  it("core-expected-failures.txt only shrinks: each listed test still fails", () => {
    expect(problems.fixedExpected).toEqual([]);
  });

  it("core-known-bugs.txt only shrinks: each listed test still fails", () => {
    expect(problems.fixedBugs).toEqual([]);
  });

  it("no new test leaves an async function native", () => {
    expect(problems.newNative, "functions left native in tests not on core-known-native.txt").toEqual([]);
  });

  it("core-known-native.txt only shrinks", () => {
    expect(problems.fixedNative).toEqual([]);
  });
});
