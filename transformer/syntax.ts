/**
 * Small questions about syntax that several stages ask, answered once: is this an async
 * function (with a body), is this statement a directive, how does this file parse, what did
 * the parser reject.
 */
import type * as ts from "typescript";

/** An async function, arrow or method with a body (async generators included: the caller decides about them). */
export function isAsyncFunction(tsApi: typeof ts, node: ts.Node): node is ts.FunctionLikeDeclaration {
  const T = tsApi;
  if (!(T.isFunctionDeclaration(node) || T.isFunctionExpression(node) || T.isArrowFunction(node) || T.isMethodDeclaration(node))) return false;
  return !!node.body && !!node.modifiers?.some((m) => m.kind === T.SyntaxKind.AsyncKeyword);
}

/** `"use strict";` and other directives at the top of a file or function body. */
export function isPrologueDirective(tsApi: typeof ts, node: ts.Node): boolean {
  return tsApi.isExpressionStatement(node) && tsApi.isStringLiteral(node.expression);
}

/** How a file parses, by its name: `.tsx`/`.jsx` with JSX, `.js`/`.cjs`/`.mjs` as JavaScript, else TypeScript. */
export function scriptKindOf(tsApi: typeof ts, fileName: string): ts.ScriptKind {
  const { ScriptKind } = tsApi;
  return /\.[cm]?tsx$|\.jsx$/.test(fileName) ? ScriptKind.TSX : /\.[cm]?js$/.test(fileName) ? ScriptKind.JS : ScriptKind.TS;
}

/** The syntax errors the parser recorded on a file (kept on the SourceFile, outside the public API). */
export function parseErrorsOf(sourceFile: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  return (sourceFile as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
}

/**
 * Whether the file holds an async function: a file with none has nothing to transform and
 * passes through untouched, without scope analysis. Iterative, so no nesting depth the parser
 * accepts overflows it; a file whose text never says `async` is answered without a walk.
 */
export function hasAsyncFunction(tsApi: typeof ts, sourceFile: ts.SourceFile): boolean {
  if (!sourceFile.text.includes("async")) return false;
  const work: ts.Node[] = [sourceFile];
  const push = (child: ts.Node): void => {
    work.push(child);
  };
  for (let node = work.pop(); node !== undefined; node = work.pop()) {
    if (isAsyncFunction(tsApi, node)) return true;
    tsApi.forEachChild(node, push);
  }
  return false;
}
