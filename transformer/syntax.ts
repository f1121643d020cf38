/**
 * Small questions about syntax that several stages ask, answered once: is this an async
 * function (with a body), is this statement a directive, how does this file parse, what did
 * the parser reject.
 */
import type * as ts from "typescript";

/**
 * An async function, arrow or method with a body (async generators included: the caller decides
 * about them). A `static async constructor()` is a static method named "constructor" to the
 * engine, but a ConstructorDeclaration to TypeScript's parser: it is one too (left native, reported).
 */
export function isAsyncFunction(tsApi: typeof ts, node: ts.Node): node is ts.FunctionLikeDeclaration {
  const T = tsApi;
  if (!(T.isFunctionDeclaration(node) || T.isFunctionExpression(node) || T.isArrowFunction(node) || T.isMethodDeclaration(node) || T.isConstructorDeclaration(node))) return false;
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
