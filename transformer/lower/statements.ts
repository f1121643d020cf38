/**
 * Statements with an `await` taken apart into blocks; the others kept whole (kept-statement.ts).
 * The dispatcher, blocks, expression statements, `if`, labels, `switch` and class declarations
 * live here; loops, jumps, `try` and declarations have their own files.
 */
import type * as ts from "typescript";
import { containsAwait, skipOuterExpressions } from "../analyze/contains-await";
import { TerminatorKind } from "./cfg";
import { lowerReturn } from "./jumps";
import { lowerKept } from "./kept-statement";
import type { Lowering } from "./lowering";
import { lowerForAwaitOf } from "./for-await";
import { lowerDo, lowerFor, lowerForIn, lowerForOf, lowerWhile } from "./loops";
import { lowerVariableList } from "./patterns";
import { deadZone, declareScope } from "./scope-locals";
import { lowerToResumeValue, suspend } from "./suspend";
import { lowerTry } from "./try";
import { internalError, Unsupported } from "../not-compiled";

/** Lowers one statement at the current point: taken apart if it holds an `await`, else kept whole. */
export function lowerStatement(cx: Lowering, node: ts.Statement): void {
  const { SK, b } = cx;
  // What the statement's synthesized code maps to; a block, label or try has none of its own (its bookkeeping stays unmapped).
  const outer = b.source;
  b.source = node.kind === SK.Block || node.kind === SK.LabeledStatement || node.kind === SK.TryStatement ? undefined : node;
  lowerAt(cx, node);
  b.source = outer;
}

function lowerAt(cx: Lowering, node: ts.Statement): void {
  const { T, SK, b } = cx;
  const labels = cx.pendingLabels;
  cx.pendingLabels = [];
  if (!containsAwait(T, node)) {
    lowerKept(cx, node);
    return;
  }
  switch (node.kind) {
    case SK.Block:
      return lowerBlock(cx, node as ts.Block, labels);
    case SK.ExpressionStatement:
      return lowerExpressionStatement(cx, node as ts.ExpressionStatement);
    case SK.VariableStatement:
      return lowerVariableList(cx, (node as ts.VariableStatement).declarationList);
    case SK.ReturnStatement:
      return lowerReturn(cx, (node as ts.ReturnStatement).expression);
    case SK.ThrowStatement: {
      const value = lowerToResumeValue(cx, (node as ts.ThrowStatement).expression);
      return b.terminate({ kind: TerminatorKind.Throw, value, uses: b.usesOf(value, new Set()) });
    }
    case SK.IfStatement:
      return lowerIf(cx, node as ts.IfStatement);
    case SK.WhileStatement:
      return lowerWhile(cx, node as ts.WhileStatement, labels);
    case SK.DoStatement:
      return lowerDo(cx, node as ts.DoStatement, labels);
    case SK.ForStatement:
      return lowerFor(cx, node as ts.ForStatement, labels);
    case SK.ForInStatement:
      return lowerForIn(cx, node as ts.ForInStatement, labels);
    case SK.ForOfStatement:
      return (node as ts.ForOfStatement).awaitModifier ? lowerForAwaitOf(cx, node as ts.ForOfStatement, labels) : lowerForOf(cx, node as ts.ForOfStatement, labels);
    case SK.LabeledStatement:
      return lowerLabeled(cx, node as ts.LabeledStatement, labels);
    case SK.SwitchStatement:
      return lowerSwitch(cx, node as ts.SwitchStatement, labels);
    case SK.TryStatement:
      return lowerTry(cx, node as ts.TryStatement);
    case SK.ClassDeclaration:
      return lowerClassDeclaration(cx, node as ts.ClassDeclaration);
    case SK.WithStatement:
      // checkSupported leaves every function with a `with` statement native.
      return internalError(node, "`with` statement reached the lowering");
    default:
      throw new Unsupported(node, "await-in-statement", T.SyntaxKind[node.kind]);
  }
}

/**
 * [source]  x: y: for (…) …      x: { … }
 * [lowered] a loop takes its label set with it; another statement gets an exit block that `break x` goes to
 */
function lowerLabeled(cx: Lowering, l: ts.LabeledStatement, labels: string[]): void {
  const { T, b } = cx;
  // `x: y: for …`: every label of the stack names the statement they label (its label set).
  if (T.isIterationStatement(l.statement, false) || T.isLabeledStatement(l.statement)) {
    cx.pendingLabels = [...labels, l.label.text];
    cx.lowerStatement(l.statement);
    return;
  }
  const exit = b.newBlock();
  cx.jumpStack.push({ kind: "label", labels: [...labels, l.label.text], breakTarget: exit.id });
  cx.lowerStatement(l.statement);
  cx.jumpStack.pop();
  b.goto(exit);
  b.mark(exit);
}

/**
 * [source]  class C { [await k]() {} }
 * [lowered] C = class C { [$key]() {} }, after the keys are evaluated
 */
function lowerClassDeclaration(cx: Lowering, c: ts.ClassDeclaration): void {
  const { T, F, SK, b } = cx;
  const local = c.name ? b.localOf(c.name) : undefined;
  if (local === undefined) throw new Unsupported(c, "await-in-anonymous-class");
  // Computed keys run while the class's own name is not initialized yet
  // (ClassDefinitionEvaluation), and the lowering may move them out of the class, where
  // that name is not the class's: there they read a local kept in its dead zone.
  const inner = cx.scopes.scopeOf.get(c)?.bindings.get(c.name!.text);
  const inKeys = inner?.references.filter((r) => c.members.some((m) => m.name && T.isComputedPropertyName(m.name) && r.pos >= m.name.pos && r.end <= m.name.end)) ?? [];
  const inClosure = inKeys.find((r) => {
    for (let n = r.parent; !T.isComputedPropertyName(n); n = n.parent) if (T.isFunctionLike(n) || T.isClassLike(n)) return true;
    return false;
  });
  if (inClosure) throw new Unsupported(inClosure, "class-key-closure-reads-class-name");
  if (inKeys.length > 0) deadZone(cx, inner!, inKeys);
  const expr = F.createClassExpression(
    c.modifiers?.filter((m) => m.kind !== SK.ExportKeyword && m.kind !== SK.DefaultKeyword),
    c.name,
    c.typeParameters,
    c.heritageClauses,
    c.members,
  );
  // Scope analysis knows the original members; the class expression reuses them.
  b.emitAssign(local, cx.lowerExpression(expr));
}

/**
 * [source]  { let a = 1; … }
 * [lowered] (a's binding becomes a local; `let a = 1` becomes `a = 1`)
 */
function lowerBlock(cx: Lowering, node: ts.Block, labels: string[]): void {
  const { b } = cx;
  if (labels.length > 0) {
    const exit = b.newBlock();
    cx.jumpStack.push({ kind: "label", labels, breakTarget: exit.id });
    declareScope(cx, node, false);
    cx.lowerStatements(node.statements);
    cx.jumpStack.pop();
    b.goto(exit);
    b.mark(exit);
    return;
  }
  declareScope(cx, node, false);
  cx.lowerStatements(node.statements);
}

/**
 * [source]  x = await e;   x += await e;   o.p = await e;   await e;
 * [lowered] t = x (compound only); .suspend e; x = t + $resume
 */
function lowerExpressionStatement(cx: Lowering, node: ts.ExpressionStatement): void {
  const { T, F, b } = cx;
  const e = skipOuterExpressions(T, node.expression);
  if (T.isAwaitExpression(e)) {
    suspend(cx, e);
    return;
  }
  const rest = cx.lowerExpression(node.expression);
  // What is left may be a temporary holding the value, or the value a `yield` resumed with: nothing more to run then.
  if (!(T.isIdentifier(rest) && (b.tempOfIdentifier.has(rest) || rest === b.resumeValue))) b.emitOp(F.createExpressionStatement(rest), b.assignedLocal(rest));
}

/**
 * [source]  let a = 1, { b } = await f(), c;
 * [lowered] a = 1; .suspend f() → r; ({ b } = $resume); c = undefined

/**
 * [source]  if (c) A else B
 * [lowered] branch c ? then : else;  then: A; goto exit;  else: B; goto exit;  exit:
 */
function lowerIf(cx: Lowering, node: ts.IfStatement): void {
  const { b } = cx;
  const test = cx.lowerExpression(node.expression);
  const thenBlock = b.newBlock();
  const elseBlock = node.elseStatement ? b.newBlock() : undefined;
  const exit = b.newBlock();
  b.branchTo(test, thenBlock.id, (elseBlock ?? exit).id);
  b.mark(thenBlock);
  cx.lowerStatement(node.thenStatement);
  b.goto(exit);
  if (elseBlock) {
    b.mark(elseBlock);
    cx.lowerStatement(node.elseStatement!);
    b.goto(exit);
  }
  b.mark(exit);
}

/**
 * [source]  while (c) body
 * [lowered] head: branch c ? body : exit;  body: …; goto head;  exit:
 */
/**
 * [source]  switch (d) { case a: A; default: D; case b: B }
 * [lowered] $d = d;  t0: branch $d === a ? A : t1;  t1: branch $d === b ? B : D;
 *           A: …(falls through to D);  D: …;  B: …; goto exit;  exit:
 */
function lowerSwitch(cx: Lowering, node: ts.SwitchStatement, labels: string[]): void {
  const { T, F, b } = cx;
  const disc = b.newTemp("discriminant");
  b.emitAssign(disc, cx.lowerExpression(node.expression));
  const exit = b.newBlock();
  const clauses = node.caseBlock.clauses;
  const bodies = clauses.map(() => b.newBlock());
  declareScope(cx, node.caseBlock, false);
  let defaultIndex = -1;
  clauses.forEach((clause, i) => {
    if (T.isDefaultClause(clause)) {
      defaultIndex = i;
      return;
    }
    const test = cx.lowerExpression(clause.expression);
    const next = b.newBlock();
    const cond = F.createStrictEquality(b.identifierFor(disc), test);
    b.branchTo(cond, bodies[i].id, next.id);
    b.mark(next);
  });
  b.goto(defaultIndex >= 0 ? bodies[defaultIndex] : exit);
  cx.jumpStack.push({ kind: "switch", labels, breakTarget: exit.id });
  clauses.forEach((clause, i) => {
    b.mark(bodies[i]);
    cx.lowerStatements(clause.statements);
    b.goto(i + 1 < bodies.length ? bodies[i + 1] : exit);
  });
  cx.jumpStack.pop();
  b.mark(exit);
}
