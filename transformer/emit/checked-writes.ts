/**
 * Writes in kept code that native semantics makes special once a binding lives in the machine:
 * a write to a `let`/`const`/`class` binding that may be in its dead zone or is constant, a write
 * to a named function expression's own name, `delete x` of a moved binding — plus the targets of
 * an assignment (what is written, not read).
 *
 * Each takes `visit`, the rewriting of kept code (rewrite-kept-code.ts), for the parts it keeps.
 */
import type * as ts from "typescript";
import { isStrictCode } from "../analyze/scopes";
import { skipOuterExpressions } from "../analyze/contains-await";
import type { LocalId } from "../lower/cfg";
import { shorthandKey } from "../lower/linearize-expression";
import { compoundToBinary } from "../lower/operators";
import { runtimeMember, type EmitContext } from "./emit-context";
import { access, localOf } from "./local-access";

export type Visit = (n: ts.Node) => ts.Node;

/** Is `node` the target of a plain assignment or a for-in/of head (so it is written, not read)? A synthesized node (no parent) is not. */
export function isWriteTarget(cx: EmitContext, node: ts.Identifier): boolean {
  const { T, SK } = cx;
  let n: ts.Node = node;
  let p = n.parent;
  while (p && (T.isParenthesizedExpression(p) || T.isNonNullExpression(p) || T.isAsExpression(p))) {
    n = p;
    p = p.parent;
  }
  if (!p) return false;
  if (T.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === SK.EqualsToken) return true;
  if ((T.isForInStatement(p) || T.isForOfStatement(p)) && p.initializer === n) return true;
  return false;
}

/** Adds to `set` the identifiers an assignment target writes (through patterns and defaults). */
export function markTargets(cx: EmitContext, target: ts.Node, set: Set<ts.Node>): void {
  const { T } = cx;
  const t = skipOuterExpressions(T, target as ts.Expression);
  if (T.isIdentifier(t)) set.add(t);
  else if (T.isObjectLiteralExpression(t)) {
    for (const p of t.properties) {
      if (T.isPropertyAssignment(p)) markTargets(cx, skipDefault(cx, p.initializer), set);
      else if (T.isShorthandPropertyAssignment(p)) set.add(p.name);
      else if (T.isSpreadAssignment(p)) markTargets(cx, p.expression, set);
    }
  } else if (T.isArrayLiteralExpression(t)) {
    for (const e of t.elements) markTargets(cx, T.isSpreadElement(e) ? e.expression : skipDefault(cx, e), set);
  }
}

function skipDefault(cx: EmitContext, e: ts.Expression): ts.Expression {
  return cx.T.isBinaryExpression(e) && e.operatorToken.kind === cx.SK.EqualsToken ? e.left : e;
}

/**
 * `delete x` (sloppy code) where the machine moves `x`: a declared binding cannot be deleted,
 * so it is `false` and `x` keeps its value (DeleteBinding of a declarative Environment Record;
 * no dead-zone check), where `delete $m.c[0]` would delete the storage. An identifier the
 * lowering put there for a value (a temporary, the resume value, the last operand of a comma)
 * stands for an expression that was not a reference: `delete` of a value is `true`.
 */
export function deleteOfIdentifier(cx: EmitContext, node: ts.DeleteExpression, inFunction: boolean): ts.Expression | undefined {
  const { T, F, scopes } = cx;
  const operand = skipOuterExpressions(T, node.expression);
  if (!T.isIdentifier(operand)) return undefined;
  let source: ts.Node = operand;
  while (
    source.parent &&
    (T.isParenthesizedExpression(source.parent) ||
      T.isAsExpression(source.parent) ||
      T.isNonNullExpression(source.parent) ||
      T.isSatisfiesExpression(source.parent) ||
      T.isTypeAssertionExpression(source.parent))
  )
    source = source.parent;
  const isSourceOperand = source.parent !== undefined && T.isDeleteExpression(source.parent);
  if (!isSourceOperand)
    return operand === cx.lowered.resumeValue || localOf(cx, operand) !== undefined || scopes.refs.has(operand) || scopes.globals.has(operand) ? F.createTrue() : undefined;
  const movesArguments = operand.text === "arguments" && !inFunction && !scopes.refs.has(operand);
  return localOf(cx, operand) !== undefined || movesArguments ? F.createFalse() : undefined;
}

/**
 * A named function expression's own name is immutable inside it: writing it is ignored in
 * sloppy code and a TypeError in strict code. (The compiled body reaches the name through a
 * `const` of the IIFE that creates the wrapper, so the write must not reach it.)
 */
export function writeToOwnName(cx: EmitContext, node: ts.BinaryExpression, visit: Visit): ts.Expression | undefined {
  const { T, F, SK, scopes } = cx;
  const fn = cx.input.fn;
  const target = skipOuterExpressions(T, node.left);
  if (!T.isIdentifier(target) || !T.isFunctionExpression(fn) || !fn.name) return undefined;
  const b = scopes.refs.get(target);
  if (!b || b.declarations[0] !== fn.name) return undefined;
  const value =
    node.operatorToken.kind === SK.EqualsToken
      ? (visit(node.right) as ts.Expression)
      : F.createBinaryExpression(target, compoundToBinary(T, node.operatorToken.kind), visit(node.right) as ts.Expression);
  if (!isStrictCode(T, fn, scopes.alwaysStrict)) return F.createParenthesizedExpression(value);
  return F.createParenthesizedExpression(F.createComma(value, F.createCallExpression(runtimeMember(cx, "constAssign"), undefined, [F.createStringLiteral(target.text)])));
}

/**
 * A write, in the source, to a hoisted `let`/`const`/`class` binding (not its initialization):
 * native code throws a ReferenceError in the dead zone, and a TypeError for any write to a
 * `const` — after evaluating the right side, as native does.
 */
export function checkedWrite(cx: EmitContext, node: ts.Expression, target: ts.Expression, visit: Visit): ts.Expression | undefined {
  const { T, F, SK } = cx;
  const id = skipOuterExpressions(T, target);
  if (T.isObjectLiteralExpression(id) || T.isArrayLiteralExpression(id)) return checkedPatternWrite(cx, node as ts.BinaryExpression, visit);
  if (!T.isIdentifier(id) || !cx.scopes.refs.has(id)) return undefined;
  const local = localOf(cx, id);
  if (local === undefined) return undefined;
  const l = cx.locals[local];
  if (!l.tdz && !l.isConst) return undefined;
  const name = F.createStringLiteral(l.sourceName);
  const tdz = (): ts.Expression => F.createCallExpression(runtimeMember(cx, "checkTdz"), undefined, [access(cx, local), name]);
  const isPlainAssign = T.isBinaryExpression(node) && node.operatorToken.kind === SK.EqualsToken;
  if (l.isConst) {
    // `c = v` / `c += v` / `c++`: read (compound), evaluate v, then throw.
    const parts: ts.Expression[] = [];
    if (!isPlainAssign) parts.push(tdz());
    if (T.isBinaryExpression(node)) parts.push(visit(node.right) as ts.Expression);
    if (l.tdz && isPlainAssign) parts.push(tdz());
    parts.push(F.createCallExpression(runtimeMember(cx, "constAssign"), undefined, [name]));
    return F.createParenthesizedExpression(parts.reduce((a, b) => F.createComma(a, b)));
  }
  const rewritten = T.visitEachChild(node, visit, undefined) as ts.Expression;
  if (isPlainAssign) {
    // x = v  →  x = $am.assignTdz(x, v, "x"): v first, then the dead-zone check, then the write.
    const b = rewritten as ts.BinaryExpression;
    return F.updateBinaryExpression(b, b.left, b.operatorToken, F.createCallExpression(runtimeMember(cx, "assignChecked"), undefined, [access(cx, local), b.right, name]));
  }
  return F.createParenthesizedExpression(F.createComma(tdz(), rewritten));
}

/**
 * [source]  [x, { y }] = v        (x, y bindings that may be in their dead zone, or consts)
 * [emitted] [$am.checkedTarget(($w) => { $am.checkTdz(x, "x"); x = $w; }).v, { y: … }] = v
 * Each target of a pattern is written in turn (PutValue): one in its dead zone throws a
 * ReferenceError, a const a TypeError, right then — before later elements step the iterator
 * or evaluate their defaults. Such targets are written through a setter that checks first.
 */
function checkedPatternWrite(cx: EmitContext, node: ts.BinaryExpression, visit: Visit): ts.Expression | undefined {
  const { T, F, SK, locals } = cx;
  const needsCheck = (t: ts.Identifier): LocalId | undefined => {
    const l = cx.scopes.refs.has(t) ? localOf(cx, t) : undefined;
    return l !== undefined && (locals[l].tdz || locals[l].isConst) ? l : undefined;
  };
  const targets = new Set<ts.Node>();
  markTargets(cx, node.left, targets);
  if (![...targets].some((t) => needsCheck(t as ts.Identifier) !== undefined)) return undefined;
  const w = F.createIdentifier(cx.input.names.claim("$w"));
  const checked = (l: LocalId): ts.Expression => {
    const name = F.createStringLiteral(locals[l].sourceName);
    const body: ts.Statement[] = [];
    if (locals[l].tdz) body.push(F.createExpressionStatement(F.createCallExpression(runtimeMember(cx, "checkTdz"), undefined, [access(cx, l), name])));
    body.push(F.createExpressionStatement(locals[l].isConst ? F.createCallExpression(runtimeMember(cx, "constAssign"), undefined, [name]) : F.createAssignment(access(cx, l), w)));
    const setter = F.createArrowFunction(
      undefined,
      undefined,
      [F.createParameterDeclaration(undefined, undefined, w)],
      undefined,
      undefined,
      F.createBlock(body, /*multiLine*/ false),
    );
    return F.createPropertyAccessExpression(F.createCallExpression(runtimeMember(cx, "checkedTarget"), undefined, [setter]), "v");
  };
  const rebuildProperty = (p: ts.ObjectLiteralElementLike): ts.ObjectLiteralElementLike => {
    if (T.isShorthandPropertyAssignment(p)) {
      const l = needsCheck(p.name);
      if (l === undefined) return visit(p) as ts.ObjectLiteralElementLike;
      return F.createPropertyAssignment(
        shorthandKey(T, p.name),
        p.objectAssignmentInitializer ? F.createAssignment(checked(l), visit(p.objectAssignmentInitializer) as ts.Expression) : checked(l),
      );
    }
    if (T.isPropertyAssignment(p)) return F.updatePropertyAssignment(p, visit(p.name) as ts.PropertyName, rebuild(p.initializer));
    if (T.isSpreadAssignment(p)) return F.updateSpreadAssignment(p, rebuild(p.expression));
    return visit(p) as ts.ObjectLiteralElementLike;
  };
  const rebuild = (e: ts.Expression): ts.Expression => {
    const x = skipOuterExpressions(T, e);
    if (T.isIdentifier(x)) {
      const l = needsCheck(x);
      return l !== undefined ? checked(l) : (visit(e) as ts.Expression);
    }
    if (T.isBinaryExpression(x) && x.operatorToken.kind === SK.EqualsToken) return F.updateBinaryExpression(x, rebuild(x.left), x.operatorToken, visit(x.right) as ts.Expression);
    if (T.isArrayLiteralExpression(x))
      return F.updateArrayLiteralExpression(
        x,
        x.elements.map((el) => (T.isSpreadElement(el) ? F.updateSpreadElement(el, rebuild(el.expression)) : T.isOmittedExpression(el) ? el : rebuild(el))),
      );
    if (T.isObjectLiteralExpression(x)) return F.updateObjectLiteralExpression(x, x.properties.map(rebuildProperty));
    return visit(e) as ts.Expression;
  };
  return F.updateBinaryExpression(node, rebuild(node.left), node.operatorToken, visit(node.right) as ts.Expression);
}
