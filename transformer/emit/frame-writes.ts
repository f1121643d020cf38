/**
 * What a statement of kept code does to the frame's locals, read from its syntax: every local it
 * may assign, the local it assigns as its very last action, whether it reads the parameters, and
 * whether it is the load of a parameter passed in the frame. The slot plan (slot-plan.ts) is
 * made from these facts.
 *
 * Top-down walks, so they work on synthesized nodes (which have no parents) as on original ones.
 */
import type * as ts from "typescript";
import type { LocalId } from "../lower/cfg";
import type { EmitContext } from "./emit-context";
import { localOf } from "./local-access";

/**
 * Adds to `out` every local `node` may assign: the target of an assignment (any operator),
 * `++`/`--`, a declaration, a destructuring target, a for-in/of head — not inside nested
 * functions (what they write is captured, outside the frame). `isTarget`: `node` is written.
 */
export function collectWrites(cx: EmitContext, node: ts.Node, isTarget: boolean, out: Set<LocalId>): void {
  const { T, SK } = cx;
  const asTarget = (n: ts.Node): void => collectWrites(cx, n, /*isTarget*/ true, out);
  const asValue = (n: ts.Node): void => collectWrites(cx, n, /*isTarget*/ false, out);
  if (T.isIdentifier(node)) {
    if (isTarget) {
      const local = localOf(cx, node);
      if (local !== undefined) out.add(local);
    }
    return;
  }
  if (T.isParenthesizedExpression(node) || T.isNonNullExpression(node) || T.isAsExpression(node) || T.isSatisfiesExpression(node) || T.isTypeAssertionExpression(node)) {
    collectWrites(cx, node.expression, isTarget, out);
    return;
  }
  if (T.isBinaryExpression(node) && node.operatorToken.kind >= SK.FirstAssignment && node.operatorToken.kind <= SK.LastAssignment) {
    asTarget(node.left);
    asValue(node.right);
    return;
  }
  if ((T.isPrefixUnaryExpression(node) || T.isPostfixUnaryExpression(node)) && (node.operator === SK.PlusPlusToken || node.operator === SK.MinusMinusToken)) {
    asTarget(node.operand);
    return;
  }
  if (T.isVariableDeclaration(node) || T.isBindingElement(node)) {
    if (T.isBindingElement(node) && node.propertyName) asValue(node.propertyName);
    asTarget(node.name);
    if (node.initializer) asValue(node.initializer);
    return;
  }
  if (T.isObjectBindingPattern(node) || T.isArrayBindingPattern(node)) {
    for (const e of node.elements) asValue(e);
    return;
  }
  if (T.isFunctionLike(node)) {
    // Its body runs later and can write only locals it captures, which are not in the frame;
    // a declaration's name and a computed method name are written or evaluated here.
    if (T.isFunctionDeclaration(node) && node.name) asTarget(node.name);
    else if (node.name !== undefined && T.isComputedPropertyName(node.name)) asValue(node.name);
    return;
  }
  if (T.isClassDeclaration(node) && node.name) asTarget(node.name);
  if (
    isTarget &&
    (T.isArrayLiteralExpression(node) ||
      T.isObjectLiteralExpression(node) ||
      T.isSpreadElement(node) ||
      T.isSpreadAssignment(node) ||
      T.isShorthandPropertyAssignment(node) ||
      T.isPropertyAssignment(node))
  ) {
    // A destructuring target: every name in it may be written (computed keys and defaults are read).
    if (T.isPropertyAssignment(node)) {
      asValue(node.name);
      asTarget(node.initializer);
    } else if (T.isShorthandPropertyAssignment(node)) {
      asTarget(node.name);
      if (node.objectAssignmentInitializer) asValue(node.objectAssignmentInitializer);
    } else {
      T.forEachChild(node, (c) => asTarget(c));
    }
    return;
  }
  if (T.isForInStatement(node) || T.isForOfStatement(node)) {
    asTarget(node.initializer);
    asValue(node.expression);
    asValue(node.statement);
    return;
  }
  if (T.isVariableDeclarationList(node)) {
    for (const d of node.declarations) asValue(d);
    return;
  }
  T.forEachChild(node, (c) => asValue(c));
}

/** Adds to `out` the locals `node` may assign (nothing for no node); returns `out`. */
export function writesOf(cx: EmitContext, node: ts.Node | undefined, out: Set<LocalId> = new Set()): Set<LocalId> {
  if (node !== undefined) collectWrites(cx, node, /*isTarget*/ false, out);
  return out;
}

/**
 * The local a statement assigns as its very last action: `x = e;`, `x op= e;`, `x++;`,
 * `let x = e;` where `e` does not write `x` — if the statement throws, `x` is not yet written.
 */
export function lastWriteOf(cx: EmitContext, node: ts.Statement): LocalId | undefined {
  const { T, SK } = cx;
  let target: ts.Node | undefined;
  let value: ts.Node | undefined;
  if (T.isExpressionStatement(node)) {
    const e = node.expression;
    if (T.isBinaryExpression(e) && e.operatorToken.kind >= SK.FirstAssignment && e.operatorToken.kind <= SK.LastAssignment) [target, value] = [e.left, e.right];
    else if ((T.isPrefixUnaryExpression(e) || T.isPostfixUnaryExpression(e)) && (e.operator === SK.PlusPlusToken || e.operator === SK.MinusMinusToken)) target = e.operand;
  } else if (T.isVariableStatement(node) && node.declarationList.declarations.length === 1) {
    const d = node.declarationList.declarations[0];
    [target, value] = [d.name, d.initializer];
  }
  if (target === undefined || !T.isIdentifier(target)) return undefined;
  const local = localOf(cx, target);
  if (local === undefined || !cx.layout.offsetOf.has(local)) return undefined;
  if (value !== undefined && writesOf(cx, value).has(local)) return undefined;
  return local;
}

/** Is `node` the lowering's placeholder for the arguments the wrapper passed (lower/runtime-refs.ts)? */
function isArgumentsRef(cx: EmitContext, node: ts.Node): boolean {
  return cx.T.isIdentifier(node) && cx.lowered.runtimeRefs.get(node)?.kind === "args";
}

/** Does `node` read the parameters (the arguments placeholder: the frame when parameters are passed in it)? */
export function readsArguments(cx: EmitContext, node: ts.Node): boolean {
  return isArgumentsRef(cx, node) || cx.T.forEachChild(node, (c) => readsArguments(cx, c)) === true;
}

/** `x = args[i]` (a parameter read from the frame) with `x` kept at offset `i`: x's local. */
export function frameLoadOf(cx: EmitContext, node: ts.Statement): LocalId | undefined {
  const { T, SK } = cx;
  if (cx.input.paramsInFrame === undefined || !T.isExpressionStatement(node)) return undefined;
  const e = node.expression;
  if (!T.isBinaryExpression(e) || e.operatorToken.kind !== SK.EqualsToken || !T.isIdentifier(e.left)) return undefined;
  const r = e.right;
  if (!T.isElementAccessExpression(r) || !isArgumentsRef(cx, r.expression) || !T.isNumericLiteral(r.argumentExpression)) return undefined;
  const local = localOf(cx, e.left);
  return local !== undefined && cx.layout.offsetOf.get(local) === Number(r.argumentExpression.text) ? local : undefined;
}
