/**
 * A debugger (the Node inspector protocol, as VS Code and Chrome DevTools speak it) stops on an
 * original line inside a compiled function as it stops in the native function: the breakpoint
 * is placed where transform()'s source map puts that line (or the next line with code, as a
 * client slides a breakpoint on `}`), and it is hit as many times as natively, each pause
 * mapping back to the line native pauses on. The child (debugger/breakpoint.cjs) runs
 * `work(3)`; the native run of the same source is the referee. Every line of the body is
 * checked: the function's header (native slides the breakpoint into the body, to line 3; the
 * compiled function's wrapper maps to nothing, so the client slides it to the same line),
 * declarations (`let total = 0` becomes `total = 0`), the loop head (its init and test are
 * rebuilt), the compound assignment around the await, `return total`, and the closing `}`:
 * native V8 has no code there after a final `return` and pauses at that return's end instead
 * (line 8); in a variant whose body runs to its end (`ends-without-return`), it pauses on the `}`
 * each time the function finishes.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect, test } from "vitest";

type Outcome = { value?: number; compiled?: boolean; paused?: { line: number; generatedLine: number }[]; unmapped?: number };

function pausedAt(line: number, mode: "compiled" | "native", variant = ""): Outcome {
  const r = spawnSync(process.execPath, [path.join(__dirname, "debugger/breakpoint.cjs"), String(line), mode, variant], { encoding: "utf8", timeout: 60_000 });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
}

test.each([
  ...[2, 3, 4, 5, 6, 7, 8, 9].map((line) => ({ line, variant: "", body: "ends in a return" })),
  { line: 8, variant: "ends-without-return", body: "runs to its end" },
  { line: 9, variant: "ends-without-return", body: "runs to its end" },
])(
  "a breakpoint on original line $line inside a compiled function ($body) pauses where and as often as native",
  ({ line, variant }) => {
    const native = pausedAt(line, "native", variant);
    const compiled = pausedAt(line, "compiled", variant);
    expect(native).toMatchObject({ value: 8, compiled: false });
    expect(compiled).toMatchObject({ value: 8, compiled: true });
    expect(native.paused!.length).toBeGreaterThan(0);
    expect(compiled.paused!.map((p) => p.line)).toEqual(native.paused!.map((p) => p.line));
  },
  120_000,
);

/**
 * Stepping over an `await`: native V8 follows the async function to where it resumes. A compiled
 * machine returns into the runtime at each await, and the runtime resumes it later from a
 * promise reaction; with the runtime in the client's ignore list (VS Code `skipFiles`, DevTools'
 * ignore list: `Debugger.setBlackboxPatterns`), V8 keeps stepping until code outside it runs —
 * the resume function when the machine resumes — so the steps visit the lines native visits.
 * Consecutive pauses on one line count once (the resumed part of `total += await g(i)` is a
 * pause of its own on line 5); pauses the map gives no line are stepped through, as clients do.
 */
test("stepping over an await, with the runtime ignore-listed, visits the lines native visits", () => {
  const run = (mode: string): { value: number; compiled: boolean; lines: number[] } => {
    const r = spawnSync(process.execPath, [path.join(__dirname, "debugger/step.cjs"), mode], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    return JSON.parse(r.stdout);
  };
  const native = run("native");
  const compiled = run("compiled");
  expect(native).toMatchObject({ value: 8, compiled: false });
  expect(native.lines).toEqual([5, 6, 4, 5, 6, 4, 5, 6, 4, 8]);
  expect(compiled).toEqual({ ...native, compiled: true });
}, 120_000);
