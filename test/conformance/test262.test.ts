/**
 * test262's tiers run through the project's transform with the runtime inline
 * (test/conformance/test262-adapter.mjs), by the kit's own runner in ../shared/conformance: the
 * core tier (async functions, async arrows, await, async methods, AsyncFunction) and the extended
 * one (for await…of, async generators and their built-ins). Needs `dist/` (npm test builds it first).
 *
 * Each tier is compared with three lists (see core.mjs): a failure on neither
 * <tier>-expected-failures.txt nor <tier>-known-bugs.txt fails, and a listed test that passes
 * fails too — the lists only shrink. <tier>-known-native.txt ratchets the tests in which a
 * function is left native the same way.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

type Problems = Record<"unexpected" | "fixedExpected" | "fixedBugs" | "overlap" | "newNative" | "fixedNative", string[]>;
interface Lists<T> {
  expected: T;
  bugs: T;
  native: T;
}
interface Core {
  ROOT: string;
  RUNNER: string;
  listsOf(tier: string): Lists<string>;
  readList(file: string): Map<string, string>;
  readLists(files: Lists<string>): Lists<Map<string, string>>;
  runTier(o: { tier?: string; jobs?: number }): Promise<{ summary: { totals: { pass: number; fail: number; skip: number } }; seconds: number }>;
  compare(run: unknown, lists: Lists<Map<string, string>>): Problems;
}

const ROOT = path.resolve(__dirname, "..", "..");
const kitPresent = fs.existsSync(path.resolve(ROOT, "..", "shared", "conformance", "run-test262.mjs"));

/** One tier against its three lists (`<tier>-expected-failures.txt`, `-known-bugs`, `-known-native`). */
function ratchet(tier: "core" | "extended", minimumRun: number): void {
  describe.runIf(kitPresent)(`test262 ${tier} tier`, () => {
    let core: Core;
    let problems: Problems;
    let totals: { pass: number; fail: number; skip: number };
    const list = (kind: string): string => `${tier}-${kind}.txt`;

    beforeAll(
      async () => {
        core = (await import(path.join(__dirname, "core.mjs"))) as Core;
        const run = await core.runTier({ tier, jobs: 2 });
        totals = run.summary.totals;
        problems = core.compare(run, core.readLists(core.listsOf(tier)));
        console.log(`test262 ${tier}: ${totals.pass} passed, ${totals.fail} failed, ${totals.skip} skipped (${run.seconds.toFixed(1)} s)`);
      },
      15 * 60 * 1000,
    );

    it("ran the tier", () => {
      expect(totals.pass + totals.fail).toBeGreaterThan(minimumRun);
    });

    it("the lists are well formed: every entry has a reason, none in two lists", () => {
      for (const file of Object.values(core.listsOf(tier))) core.readList(file); // throws on a malformed line
      expect(problems.overlap).toEqual([]);
    });

    it(`every failure is listed (${list("expected-failures")} or ${list("known-bugs")})`, () => {
      expect(problems.unexpected, "new test262 failures (fix them; never list a regression)").toEqual([]);
    });

    it(`${list("expected-failures")} only shrinks: each listed test still fails`, () => {
      expect(problems.fixedExpected).toEqual([]);
    });

    it(`${list("known-bugs")} only shrinks: each listed test still fails`, () => {
      expect(problems.fixedBugs).toEqual([]);
    });

    it("no new test leaves a function native", () => {
      expect(problems.newNative, `functions left native in tests not on ${list("known-native")}`).toEqual([]);
    });

    it(`${list("known-native")} only shrinks`, () => {
      expect(problems.fixedNative).toEqual([]);
    });
  });
}

ratchet("core", 500);
ratchet("extended", 3000);
