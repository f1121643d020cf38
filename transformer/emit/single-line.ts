/**
 * The production profile prints a resume function on as few lines as TypeScript's printer
 * allows: blocks, `if`/loop bodies and `try … catch` on one line, and each `case` on one line
 * (its statements in one block: `case 3: { acc = $f[0]; if ($t) throw $v; … }`). The printer
 * indents every nested line by four spaces; the same statement at another depth is other text
 * to gzip, and the indentation is most of a resume function's bytes (bench F: a third of the
 * raw output, an eighth of the gzip).
 *
 * Only what the emitter built is touched (synthesized nodes): the user's code kept whole prints
 * as it would have. A case whose statements declare a lexical binding (`let`, `const`, `class`,
 * a function) keeps them as they are: a block would scope the binding to the case.
 *
 * In: the resume function, after assembleResume. Out: the same function with emit flags set and
 * its case clauses' statements grouped (no code changes meaning).
 */
import type * as ts from "typescript";

export function printOnFewLines(T: typeof ts, resume: ts.FunctionDeclaration): ts.FunctionDeclaration {
  const F = T.factory;
  const SK = T.SyntaxKind;
  const synthesized = (n: ts.Node): boolean => n.pos === -1;
  // (setEmitFlags replaces the flags; the node's own are read where the API keeps them.)
  const singleLine = <N extends ts.Node>(n: N): N => T.setEmitFlags(n, ((n as { emitNode?: { flags?: number } }).emitNode?.flags ?? 0) | T.EmitFlags.SingleLine);
  const declaresLexically = (s: ts.Statement): boolean =>
    T.isClassDeclaration(s) ||
    T.isFunctionDeclaration(s) ||
    (T.isVariableStatement(s) && (s.declarationList.flags & (T.NodeFlags.Let | T.NodeFlags.Const | T.NodeFlags.Using | T.NodeFlags.AwaitUsing)) !== 0);
  const visit = (n: ts.Node): ts.Node => {
    // Kept code, and a function inside the resume function (a nested machine compacted itself).
    if (!synthesized(n) || (T.isFunctionLike(n) && n !== resume)) return n;
    const node = T.visitEachChild(n, visit, undefined);
    switch (node.kind) {
      case SK.Block:
      case SK.IfStatement:
      case SK.ForStatement:
      case SK.WhileStatement:
      case SK.DoStatement:
      case SK.TryStatement:
        return singleLine(node);
      case SK.CaseClause:
      case SK.DefaultClause: {
        const clause = node as ts.CaseOrDefaultClause;
        if (clause.statements.length < 2 || clause.statements.some(declaresLexically)) return clause;
        const block = singleLine(F.createBlock(clause.statements, /*multiLine*/ false));
        return T.isCaseClause(clause) ? F.updateCaseClause(clause, clause.expression, [block]) : F.updateDefaultClause(clause, [block]);
      }
      default:
        return node;
    }
  };
  return visit(resume) as ts.FunctionDeclaration;
}
