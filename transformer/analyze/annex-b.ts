/**
 * Annex B.3.3 of ECMA-262 (sloppy code only): a function declared in a nested block also sets a
 * var of the enclosing function. Which names get such a var.
 */
import type * as ts from "typescript";
import { boundNames, forEachDescendant } from "../syntax";

/**
 * Annex B.3.3 (sloppy code): a function declared directly in a nested block or case clause (or
 * as an `if` clause, B.3.4) also sets a var of the function to itself when the declaration is
 * evaluated — unless the name is a parameter, or a `var` of that name would clash with a
 * lexical declaration around it (an early error, so no var then).
 */
export function blockFunctionVars(T: typeof ts, fn: ts.FunctionLikeDeclaration, body: ts.Block): string[] {
  const names = new Set<string>();
  const params = new Set<string>();
  for (const p of fn.parameters) for (const id of boundNames(T, p.name)) params.add(id.text);
  forEachDescendant(T, body, (n) => {
    if (
      T.isFunctionDeclaration(n) &&
      n.name &&
      n.body &&
      n.parent !== body &&
      (T.isBlock(n.parent) || T.isCaseClause(n.parent) || T.isDefaultClause(n.parent) || T.isIfStatement(n.parent))
    ) {
      const name = n.name.text;
      if (name !== "arguments" && !params.has(name) && !clashesWithLexical(T, n, name, body)) names.add(name);
    }
    return !(T.isFunctionLike(n) || T.isClassLike(n));
  });
  return [...names];
}
/** Does a statement list, `for` head or catch clause between `decl`'s own block and the body declare `name` lexically? */
function clashesWithLexical(T: typeof ts, decl: ts.FunctionDeclaration, name: string, body: ts.Block): boolean {
  const own = T.isCaseClause(decl.parent) || T.isDefaultClause(decl.parent) ? decl.parent.parent : T.isBlock(decl.parent) ? decl.parent : undefined;
  for (let n: ts.Node = decl.parent; n !== body.parent; n = n.parent) {
    if (n === own) continue;
    const statements = T.isBlock(n) ? n.statements : T.isCaseBlock(n) ? n.clauses.flatMap((c) => [...c.statements]) : [];
    for (const st of statements) {
      if (
        T.isVariableStatement(st) &&
        st.declarationList.flags & T.NodeFlags.BlockScoped &&
        st.declarationList.declarations.some((d) => boundNames(T, d.name).some((id) => id.text === name))
      )
        return true;
      if (T.isClassDeclaration(st) && st.name?.text === name) return true;
      if (n !== body && T.isFunctionDeclaration(st) && st.name?.text === name) return true;
    }
    const head = T.isForStatement(n) || T.isForInStatement(n) || T.isForOfStatement(n) ? n.initializer : undefined;
    if (head && T.isVariableDeclarationList(head) && head.flags & T.NodeFlags.BlockScoped && head.declarations.some((d) => boundNames(T, d.name).some((id) => id.text === name)))
      return true;
    // A catch parameter that is a plain name may share its name with a var (Annex B.3.5).
    if (T.isCatchClause(n) && n.variableDeclaration && !T.isIdentifier(n.variableDeclaration.name) && boundNames(T, n.variableDeclaration.name).some((id) => id.text === name))
      return true;
  }
  return false;
}
