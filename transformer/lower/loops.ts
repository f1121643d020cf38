/**
 * Loops with an `await`: while, do, for, for…in, for…of. Each has its lowering picture. Loop
 * bindings captured by closures get a fresh environment record per iteration; the head of a
 * for…in/of evaluates with the loop's names in their dead zone; for…of closes its iterator on
 * every abrupt exit, as a finally of its own.
 */
import type * as ts from "typescript";
import { containsAwait, skipOuterExpressions } from "../analyze/contains-await";
import { Completion, RegionKind, type BlockId } from "./cfg";
import { endFinally, innermostFinally } from "./jumps";
import type { FinallyInfo, IteratorScope, Lowering } from "./lowering";
import { iterableText } from "./expression/source-text";
import { bindPattern, destructureAssignment, lowerVariableList } from "./patterns";
import { deadZone, declareScope } from "./scope-locals";
import { Unsupported } from "../not-compiled";

/** Lowers a loop body with its break and continue targets on the jump stack. */
export function lowerLoopBody(cx: Lowering, body: ts.Statement, labels: string[], breakTarget: BlockId, continueTarget: BlockId, iterator?: IteratorScope): void {
  cx.jumpStack.push({ kind: "loop", labels, breakTarget, continueTarget, iterator });
  cx.lowerStatement(body);
  cx.jumpStack.pop();
}
/**
 * [source]  while (c) body
 * [lowered] head: branch c ? body : exit;  body: …; goto head;  exit:
 */
export function lowerWhile(cx: Lowering, node: ts.WhileStatement, labels: string[]): void {
  const { b } = cx;
  const head = b.newBlock();
  const body = b.newBlock();
  const exit = b.newBlock();
  b.goto(head);
  b.mark(head);
  const test = cx.lowerExpression(node.expression);
  b.branchTo(test, body.id, exit.id);
  b.mark(body);
  lowerLoopBody(cx, node.statement, labels, exit.id, head.id);
  b.goto(head);
  b.mark(exit);
}

/**
 * [source]  do body while (c)
 * [lowered] body: …; goto cont;  cont: branch c ? body : exit;  exit:
 */
export function lowerDo(cx: Lowering, node: ts.DoStatement, labels: string[]): void {
  const { b } = cx;
  const body = b.newBlock();
  const cont = b.newBlock();
  const exit = b.newBlock();
  b.goto(body);
  b.mark(body);
  lowerLoopBody(cx, node.statement, labels, exit.id, cont.id);
  b.goto(cont);
  b.mark(cont);
  const test = cx.lowerExpression(node.expression);
  b.branchTo(test, body.id, exit.id);
  b.mark(exit);
}

/**
 * [source]  for (let i = 0; i < n; i++) body
 * [lowered] i = 0;  head: branch i < n ? body : exit;  body: …; goto cont;
 *           cont: ($env = { i: $env.i } — a fresh binding per iteration, when captured); i++; goto head;  exit:
 */
export function lowerFor(cx: Lowering, node: ts.ForStatement, labels: string[]): void {
  const { T, F, b } = cx;
  declareScope(cx, node, false);
  const init = node.initializer;
  if (init) {
    b.source = init;
    if (T.isVariableDeclarationList(init)) lowerVariableList(cx, init);
    else {
      const value = cx.lowerExpression(init);
      b.emitOp(F.createExpressionStatement(value), b.assignedLocal(value));
    }
  }
  const head = b.newBlock();
  const body = b.newBlock();
  const cont = b.newBlock();
  const exit = b.newBlock();
  b.goto(head);
  b.mark(head);
  b.source = node.condition;
  if (node.condition) {
    const test = cx.lowerExpression(node.condition);
    b.branchTo(test, body.id, exit.id);
  } else b.goto(body);
  b.mark(body);
  lowerLoopBody(cx, node.statement, labels, exit.id, cont.id);
  b.goto(cont);
  b.mark(cont);
  b.source = node.incrementor;
  copyPerIterationEnv(cx, node);
  if (node.incrementor) {
    const inc = cx.lowerExpression(node.incrementor);
    b.emitOp(F.createExpressionStatement(inc), []);
  }
  b.goto(head);
  b.mark(exit);
}
function copyPerIterationEnv(cx: Lowering, loop: ts.Node): void {
  const { F, b } = cx;
  const scope = cx.scopes.scopeOf.get(loop);
  if (!scope) return;
  for (const [holder, fields] of b.envFields) {
    const first = b.locals[fields[0]];
    const binding = [...scope.bindings.values()].find((x) => b.localOfBinding.get(x) === first.id);
    if (!binding) continue;
    const holderId = b.identifierFor(holder);
    b.emitAssign(
      holder,
      F.createObjectLiteralExpression(fields.map((f) => F.createPropertyAssignment(b.locals[f].name, F.createPropertyAccessExpression(holderId, b.locals[f].name)))),
    );
  }
}

/**
 * The expression of `for (let k in/of e)` is evaluated with the loop's own names bound but
 * never initialized (ForIn/OfHeadEvaluation's TDZ environment): each reference to them there,
 * closures included, stands for a local that stays in its dead zone.
 */
export function headDeadZone(cx: Lowering, node: ts.ForInStatement | ts.ForOfStatement): void {
  const scope = cx.scopes.scopeOf.get(node);
  if (!scope) return;
  for (const binding of scope.bindings.values()) {
    const refs = binding.references.filter((r) => r.pos >= node.expression.pos && r.end <= node.expression.end);
    if (refs.length > 0) deadZone(cx, binding, refs);
  }
}
/** Binds the loop variable of for…in / for…of to `value` (declaration or assignment target). */
export function bindLoopVariable(cx: Lowering, init: ts.ForInitializer, value: ts.Expression): void {
  const { T, F, b } = cx;
  if (T.isVariableDeclarationList(init)) {
    bindPattern(cx, init.declarations[0].name, value);
    return;
  }
  const target = skipOuterExpressions(T, init);
  if (containsAwait(T, init)) {
    // An `await` (or a generator's `yield`) in a pattern: each iteration destructures the value
    // as `pattern = value` would (ForIn/OfBodyEvaluation, DestructuringAssignmentEvaluation).
    if (!T.isObjectLiteralExpression(target) && !T.isArrayLiteralExpression(target)) throw new Unsupported(init, "await-in-for-in-of-target");
    destructureAssignment(cx, target, value);
    return;
  }
  const local = T.isIdentifier(target) ? b.localOf(target) : undefined;
  b.emitOp(F.createExpressionStatement(F.createAssignment(init as ts.Identifier, value)), local !== undefined ? b.defsIfRegister(local) : []);
}

/**
 * [source]  for (const k in obj) body
 * [lowered] $keys = forInStart(obj);
 *           head: $key = forInNext($keys); branch $key !== undefined ? body : exit;
 *           body: k = $key; …; goto head;  exit:
 * The keys come from the engine's own for…in, suspended between keys (runtime/helpers.ts): the
 * same keys, order, deletions and Proxy traps as native.
 */
export function lowerForIn(cx: Lowering, node: ts.ForInStatement, labels: string[]): void {
  const { F, b } = cx;
  const keys = b.newTemp("keys");
  const key = b.newTemp("key");
  headDeadZone(cx, node);
  b.emitAssign(keys, b.runtimeCall("forInStart", [cx.lowerExpression(node.expression)]));
  const head = b.newBlock();
  const body = b.newBlock();
  const exit = b.newBlock();
  b.goto(head);
  b.mark(head);
  b.emitAssign(key, b.runtimeCall("forInNext", [b.identifierFor(keys)]));
  b.branchTo(F.createStrictInequality(b.identifierFor(key), F.createVoidZero()), body.id, exit.id);
  b.mark(body);
  declareScope(cx, node, false);
  bindLoopVariable(cx, node.initializer, b.identifierFor(key));
  lowerLoopBody(cx, node.statement, labels, exit.id, head.id);
  b.goto(head);
  b.mark(exit);
}

/**
 * [source]  for (const x of xs) body
 * [lowered] $it = getIterator(xs);
 *           head: $step = iteratorStep($it); branch $step ? next : exit;
 *           next: x = $step.value; goto body;         (a pattern: $value = $step.value)
 *           body [region: close]: (pattern = $value;) …; goto head;
 *           close: iteratorClose($it, $ct === Throw); end-finally;  exit:
 * The iterator is closed on every abrupt exit (break, return, throw, continue to an outer loop),
 * exactly as native; not when `next()` itself throws or the loop ends normally.
 */
export function lowerForOf(cx: Lowering, node: ts.ForOfStatement, labels: string[]): void {
  const { T, F, b } = cx;
  const iter = b.newTemp("iterator");
  const step = b.newTemp("step");
  headDeadZone(cx, node);
  const iterable = cx.lowerExpression(node.expression);
  const text = iterableText(T, node.expression, "loop");
  b.emitAssign(iter, b.runtimeCall("getIterator", text === undefined ? [iterable] : [iterable, F.createStringLiteral(text)]));
  const head = b.newBlock();
  const exit = b.newBlock();
  const close = b.newBlock();
  const fin: FinallyInfo = { entry: close.id, completion: b.newTemp("completion"), value: b.newTemp("completionValue"), jumps: new Map(), outer: innermostFinally(cx) };
  cx.finallyByCompletion.set(fin.completion, fin);
  b.goto(head);
  b.mark(head);
  b.emitAssign(step, b.runtimeCall("iteratorStep", [b.identifierFor(iter)]));
  const outerRegion = b.region;
  const reg = b.newRegion(RegionKind.Finally, close.id, fin.completion, fin.value);
  b.region = reg;
  const body = b.newBlock();
  b.region = outerRegion;
  const stepId = b.identifierFor(step);
  // IteratorValue is read outside the close region: a throwing `value` getter leaves the loop
  // without closing the iterator, as native (ForIn/OfBodyEvaluation's `? IteratorValue`).
  const next = b.newBlock();
  b.branchTo(stepId, next.id, exit.id);
  b.mark(next);
  const stepValue = F.createPropertyAccessExpression(stepId, "value");
  // A declared name cannot throw when bound: it is bound there too. A pattern or an assignment
  // target can, and closes the iterator: it is bound in the body from a temporary.
  const init = node.initializer;
  const plainName = T.isVariableDeclarationList(init) && init.declarations.length === 1 && T.isIdentifier(init.declarations[0].name);
  const value = plainName ? undefined : b.newTemp("value");
  if (value === undefined) {
    declareScope(cx, node, false);
    bindLoopVariable(cx, init, stepValue);
  } else b.emitAssign(value, stepValue);
  b.goto(body);
  b.mark(body);
  b.region = reg;
  if (value !== undefined) {
    declareScope(cx, node, false);
    bindLoopVariable(cx, init, b.identifierFor(value));
  }
  lowerLoopBody(cx, node.statement, labels, exit.id, head.id, { fin });
  b.region = outerRegion;
  // The body's normal end and `continue` go back to head without closing.
  b.goto(head);
  b.blocks[b.blocks.length - 1].region = outerRegion;
  b.mark(close);
  close.region = outerRegion;
  const isThrow = F.createStrictEquality(b.identifierFor(fin.completion), F.createNumericLiteral(Completion.Throw));
  b.emitOp(F.createExpressionStatement(b.runtimeCall("iteratorClose", [b.identifierFor(iter), isThrow])));
  b.current.term = endFinally(fin, exit.id);
  b.mark(exit);
}
