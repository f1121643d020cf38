/**
 * Questions about a file answered from its syntax alone: the names a pattern declares, and
 * whether code is strict; an iterative walk over descendants.
 */
import type * as ts from "typescript";

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
    const statements = T.isSourceFile(n) ? n.statements : (T.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body && T.isBlock((n as ts.FunctionLikeDeclaration).body!)) ? ((n as ts.FunctionLikeDeclaration).body as ts.Block).statements : undefined;
    if (statements) {
      for (const s of statements) {
        if (!(T.isExpressionStatement(s) && T.isStringLiteral(s.expression))) break;
        if (s.expression.text === "use strict") return true;
      }
    }
    if (T.isSourceFile(n)) return n.statements.some((s) => T.isImportDeclaration(s) || T.isExportDeclaration(s) || T.isExportAssignment(s) || (T.canHaveModifiers(s) && T.getModifiers(s)?.some((m) => m.kind === T.SyntaxKind.ExportKeyword)));
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
