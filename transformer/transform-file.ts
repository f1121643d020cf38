/**
 * Node-level entry: rewrites every async function of a SourceFile into a machine.
 * (Stub: returns the file unchanged until the pipeline lands.)
 */
import type * as ts from "typescript";
import type { RuntimeMode, SkippedFunction } from "./api";

export interface FileTransformOptions {
  runtime: RuntimeMode;
  runtimeSpecifier?: string;
}

export interface FileTransformResult {
  sourceFile: ts.SourceFile;
  skipped: SkippedFunction[];
  compiled: number;
}

export function transformSourceFile(
  tsApi: typeof ts,
  sourceFile: ts.SourceFile,
  context: ts.TransformationContext,
  options: FileTransformOptions,
): FileTransformResult {
  void tsApi; void context; void options;
  return { sourceFile, skipped: [], compiled: 0 };
}
