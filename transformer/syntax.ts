/**
 * Small questions about syntax that several stages ask, answered once: is this an async
 * function (with a body), is this statement a directive, how does this file parse, what did
 * the parser reject, is this method decorated, which names does a pattern declare (BoundNames),
 * is this code strict.
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

/** Decorators on the method or on one of its parameters (TypeScript's legacy decorators read the parameters' types and positions). */
export function isDecorated(T: typeof ts, fn: ts.FunctionLikeDeclaration): boolean {
  return (T.canHaveDecorators(fn) && T.getDecorators(fn) !== undefined) || fn.parameters.some((p) => T.getDecorators(p) !== undefined);
}

/** The names a binding name or pattern declares (BoundNames). */
export function boundNames(T: typeof ts, name: ts.BindingName): ts.Identifier[] {
  if (T.isIdentifier(name)) return [name];
  return name.elements.flatMap((e) => (T.isBindingElement(e) ? boundNames(T, e.name) : []));
}

/** Is `node` strict-mode code (a module, a class body, or under a "use strict" directive)? */
export function isStrictCode(tsApi: typeof ts, node: ts.Node, alwaysStrict: boolean): boolean {
  const T = tsApi;
  if (alwaysStrict) return true;
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (T.isClassLike(n)) return true;
    const statements = T.isSourceFile(n)
      ? n.statements
      : T.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body && T.isBlock((n as ts.FunctionLikeDeclaration).body!)
        ? ((n as ts.FunctionLikeDeclaration).body as ts.Block).statements
        : undefined;
    if (statements) {
      for (const s of statements) {
        if (!(T.isExpressionStatement(s) && T.isStringLiteral(s.expression))) break;
        if (s.expression.text === "use strict") return true;
      }
    }
    if (T.isSourceFile(n)) return isModule(T, n);
  }
  return false;
}

/**
 * Does the file import or export (so its code is strict)? Asked for every function and scope:
 * answered once per file, not by a walk over its statements each time (a script with thousands
 * of functions, and a module whose first `export` comes last, would be quadratic).
 */
function isModule(T: typeof ts, file: ts.SourceFile): boolean {
  let answer = moduleFiles.get(file);
  if (answer === undefined) {
    answer = file.statements.some(
      (s) =>
        T.isImportDeclaration(s) ||
        T.isExportDeclaration(s) ||
        T.isExportAssignment(s) ||
        (T.canHaveModifiers(s) && T.getModifiers(s)?.some((m) => m.kind === T.SyntaxKind.ExportKeyword)),
    );
    moduleFiles.set(file, answer);
  }
  return answer;
}
const moduleFiles = new WeakMap<ts.SourceFile, boolean>();

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

/**
 * Calls `visit` on every node below `node` in source order (preorder); `visit` returns false to
 * skip a node's children. Iterative: nesting as deep as the parser accepts costs heap, not stack.
 */
export function forEachDescendant(T: typeof ts, node: ts.Node, visit: (n: ts.Node) => boolean): void {
  const work: ts.Node[] = [];
  const children: ts.Node[] = [];
  const collect = (child: ts.Node): void => {
    children.push(child);
  };
  T.forEachChild(node, collect);
  for (;;) {
    while (children.length > 0) work.push(children.pop()!);
    const n = work.pop();
    if (n === undefined) return;
    if (visit(n)) T.forEachChild(n, collect);
  }
}

/**
 * Where V8 places a call in a stack frame (the caller's line and column): the name of a member
 * callee (`o.m(`, `o?.m(`), a plain name's start (`f(`), else the `(` of the arguments (`o[k](`,
 * `(o.m)(`, `(0, f)(`); a tagged template at its template, `new` at its start. Generated code that
 * replaces a call maps from here, so the caller's frame reads native's column.
 */
export function callPosition(T: typeof ts, node: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression): number {
  if (T.isTaggedTemplateExpression(node)) return node.template.getStart();
  if (T.isNewExpression(node) || node.arguments === undefined) return node.getStart();
  const callee = node.expression;
  if (T.isPropertyAccessExpression(callee)) return callee.name.getStart();
  if (T.isIdentifier(callee) || callee.kind === T.SyntaxKind.SuperKeyword) return callee.getStart();
  return node.arguments.pos - 1;
}
