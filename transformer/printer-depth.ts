/**
 * Can TypeScript's printer print what the tsc plugin returns? The printer recurses once per
 * level of syntax, and a compiled function's resume nests a few levels deeper than the function
 * it replaces (its dispatch loop, `try`, `switch` and `case`), so within a few dozen levels of
 * the deepest input tsc alone prints, the plugin's output can overflow the stack — in tsc's emit,
 * after the plugin has returned: a failed build where tsc alone would succeed.
 *
 * So for a file whose compiled functions sit deep (`PRINT_CHECK_DEPTH` ancestors or more), the
 * plugin prints its output once itself, from a stack already spent a little further than tsc's
 * emit will have spent it: output that prints here prints in tsc's emit, and output that
 * overflows here is not returned (transform-file.ts leaves the file unchanged and reports each
 * function `too-deep`). Files with shallow functions pay nothing; deep ones are printed twice.
 */
import type * as ts from "typescript";

/** Ancestors of the deepest edited node from which the plugin checks its output by printing it. */
export const PRINT_CHECK_DEPTH = 64;
/**
 * Stack the check leaves unused, in calls of a small function made before it prints: measured
 * (node --jitless, a fixed stack) the check then refuses output tsc's emit would print only
 * within about 15 levels of the printer's limit, and nothing tsc's emit would not print.
 */
const HEADROOM_FRAMES = 200;

/** The number of ancestors of the deepest of `nodes`. */
export function deepestAncestry(nodes: readonly ts.Node[]): number {
  let deepest = 0;
  for (const node of nodes) {
    let depth = 0;
    for (let n = node.parent; n !== undefined; n = n.parent) depth++;
    if (depth > deepest) deepest = depth;
  }
  return deepest;
}

/** Prints `file` with `HEADROOM_FRAMES` spent first; throws the engine's RangeError where the stack runs out. */
export function printWithHeadroom(tsApi: typeof ts, file: ts.SourceFile): void {
  const print = (frames: number): void => (frames === 0 ? void tsApi.createPrinter({ removeComments: false }).printFile(file) : print(frames - 1));
  print(HEADROOM_FRAMES);
}
