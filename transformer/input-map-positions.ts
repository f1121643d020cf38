/**
 * Where the input's source map leads a position of the input text, looked up as Node looks up a
 * stack frame's position with `--enable-source-maps` (node:module's `SourceMap.findEntry`: the
 * last mapping at or before the position). `transform()` gives each await's original position
 * to the machine's MachineInfo, so an `at async` frame of a file compiled after another compiler
 * (`async-machine compile` after tsc) reads as native's frames read when source maps are on.
 */
import { SourceMap } from "node:module";
import type { TransformOptions } from "./api";

/** 1-based line and column in the input text → the original source (as the map names it, under its `sourceRoot`), 1-based line and column. */
export type OriginalPositionOf = (line: number, column: number) => readonly [file: string, line: number, column: number] | undefined;

export function originalPositionsOf(inputMap: NonNullable<TransformOptions["inputSourceMap"]>): OriginalPositionOf | undefined {
  let map: SourceMap;
  let sourceRoot = "";
  try {
    const payload = (typeof inputMap === "string" ? JSON.parse(inputMap) : inputMap) as ConstructorParameters<typeof SourceMap>[0] & { sourceRoot?: unknown };
    // Node joins them the same way (no separator added).
    if (typeof payload.sourceRoot === "string") sourceRoot = payload.sourceRoot;
    map = new SourceMap(payload);
  } catch {
    // A map Node cannot read gives no positions (and Node maps no frame through it either).
    return undefined;
  }
  return (line, column) => {
    const entry = map.findEntry(line - 1, column - 1) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }>;
    if (typeof entry.originalSource !== "string" || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
    return [sourceRoot + entry.originalSource, entry.originalLine + 1, entry.originalColumn + 1];
  };
}
