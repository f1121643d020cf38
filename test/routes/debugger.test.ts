/**
 * A debugger (the Node inspector protocol, as VS Code and Chrome DevTools speak it) stops on an
 * original line inside a compiled function: the breakpoint is placed where transform()'s source
 * map puts that line, it is hit once per loop iteration, and the paused location maps back to
 * the line. The child (debugger/breakpoint.cjs) runs `work(3)`: lines 5 and 6 run three times.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect, test } from "vitest";

function pausedAt(line: number): { value?: number; compiled?: boolean; paused?: { line: number }[]; unmapped?: number } {
  const r = spawnSync(process.execPath, [path.join(__dirname, "debugger/breakpoint.cjs"), String(line)], { encoding: "utf8", timeout: 60_000 });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
}

test.each([5, 6])("a breakpoint on original line %i inside a compiled loop is hit on each iteration, at that line", (line) => {
  const result = pausedAt(line);
  expect(result).toMatchObject({ value: 8, compiled: true }); // native: work(3) === 8
  expect(result.paused).toEqual([{ line, generatedLine: expect.any(Number) }, { line, generatedLine: expect.any(Number) }, { line, generatedLine: expect.any(Number) }]);
}, 60_000);

test.todo("a breakpoint on a declaration (`let total = 0`, line 3) or on `return total` (line 8): the statements the lowering rebuilds (`total = 0`, `return $m.ret(total)`) carry no source position yet, so the map has no segment for these lines");
