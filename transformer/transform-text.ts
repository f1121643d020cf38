/** Text-level entry (stub until the pipeline lands): returns the input unchanged. */
import type { TransformOptions, TransformResult } from "./api";

export function transform(sourceText: string, options: TransformOptions): TransformResult {
  return { code: sourceText, map: { version: 3, sources: [options.fileName], names: [], mappings: "" }, diagnostics: [], skipped: [], compiled: 0 };
}
