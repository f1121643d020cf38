/**
 * Layout snapshots: for every `fixtures/<area>/<case>/input.ts`, the text form of
 * `async-machine inspect` (states, await locations, live variables with frame offsets, sizes,
 * transitions, functions left native) is snapshotted as `layout.txt` beside it, so a change in
 * liveness, layout or control flow shows up in review as a small table diff.
 *
 * Accept intended changes with `npx vitest run test/inspect/layout.test.ts -u`, then read the
 * git diff of the layout.txt files (CI fails on a missing snapshot: vitest's default under CI).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { inspectSource } from "../../transformer/inspect/file-report";
import { formatText } from "../../transformer/inspect/format-text";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(ROOT, "fixtures");

function findInputs(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) findInputs(abs, out);
    else if (entry.name === "input.ts") out.push(abs);
  }
  return out;
}

const inputs = findInputs(FIXTURES);

describe("layout.txt snapshots", () => {
  it("finds fixtures", () => {
    expect(inputs.length).toBeGreaterThan(0);
  });

  it.each(inputs.map((abs) => [path.relative(FIXTURES, path.dirname(abs)).split(path.sep).join("/"), abs] as const))("%s", async (_name, abs) => {
    const layout = path.join(path.dirname(abs), "layout.txt");
    const report = inspectSource(ts, fs.readFileSync(abs, "utf8"), "input.ts");
    expect(report.syntaxErrors, "the fixture must parse").toEqual([]);
    const hint = fs.existsSync(layout)
      ? "layout.txt differs. If the change is intended: npx vitest run test/inspect/layout.test.ts -u, then review git diff."
      : "layout.txt is missing. Run the test locally (not with CI=true) to write it, review it, commit it.";
    await expect(formatText(report), hint).toMatchFileSnapshot(layout);
  });
});
