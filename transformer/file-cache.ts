/**
 * Per-file results of the tsc plugin kept across emits in one process: `tsc --watch`, `tsc -b
 * --watch` and editors re-emit files whose text did not change (a dependency changed, or the
 * build emits again), and TypeScript hands the plugin the same SourceFile object for an
 * unchanged file. The transform of such a file is looked up instead of run again.
 *
 * Keyed on the SourceFile object (one text: a changed file is a new object) and on every option
 * the transform reads, so a different runtime style, mode or profile computes afresh. Held
 * weakly: a SourceFile no program uses any more takes its entry with it.
 */
import type * as ts from "typescript";
import type { FileTransformOptions, FileTransformResult } from "./transform-file";

const cache = new WeakMap<ts.SourceFile, { key: string; text: string; result: FileTransformResult }>();

/** The key of the options the transform of a file depends on. */
function optionsKey(options: FileTransformOptions): string {
  return JSON.stringify([
    options.runtime,
    options.runtimeSpecifier ?? null,
    options.fileId ?? null,
    options.alwaysStrict ?? false,
    options.mode ?? "promise",
    options.profile ?? "development",
  ]);
}

/** `compute()`'s result for `sourceFile` with `options`, computed once per SourceFile and options. */
export function transformCached(sourceFile: ts.SourceFile, options: FileTransformOptions, compute: () => FileTransformResult): FileTransformResult {
  const key = optionsKey(options);
  const hit = cache.get(sourceFile);
  if (hit !== undefined && hit.key === key && hit.text === sourceFile.text) return hit.result;
  const result = compute();
  cache.set(sourceFile, { key, text: sourceFile.text, result });
  return result;
}
