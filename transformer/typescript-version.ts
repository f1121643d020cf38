/**
 * The transform needs TypeScript 6.x: TypeScript 7 (the native port) has no emit-transformer
 * API and silently skips tsconfig plugins, which would ship native async code unannounced.
 */
import type * as ts from "typescript";

export function checkTypeScriptVersion(version: string): string | undefined {
  const major = Number(version.split(".")[0]);
  if (major === 6) return undefined;
  if (major >= 7) {
    return `async-machine needs TypeScript 6.x, but found ${version}: TypeScript 7 has no emit-transformer API and skips tsconfig plugins, so async functions would stay native. Install typescript@6.`;
  }
  return `async-machine needs TypeScript 6.x, but found ${version}. Install typescript@6.`;
}

export function assertSupportedTypeScript(tsApi: Pick<typeof ts, "version">): void {
  const problem = checkTypeScriptVersion(tsApi.version);
  if (problem) throw new Error(problem);
}

/** `"use strict";` and other directives at the top of a file or function body. */
export function isPrologueDirective(tsApi: typeof ts, node: ts.Node): boolean {
  return tsApi.isExpressionStatement(node) && tsApi.isStringLiteral(node.expression);
}
