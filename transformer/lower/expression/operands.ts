/**
 * The spilling rule: of a node's operands, those evaluated before the last one that awaits are
 * kept in temporaries across the suspension — unless their value cannot change meanwhile
 * (`stable`: a literal, `this`, a register local nothing later writes, a class whose definition
 * runs no code).
 */
import type * as ts from "typescript";
import { skipOuterExpressions } from "../../analyze/contains-await";
import type { ExpressionLowering } from "./builder";
import { isAnonymousDefinition, namedDefinition } from "./named-evaluation";
import { calleeText } from "./source-text";

/** Index of the last of `nodes` that holds an await, -1 if none: those before it are evaluated first and may be spilled. */
export function lastAwaiting(cx: ExpressionLowering, nodes: readonly ts.Node[]): number {
  for (let i = nodes.length - 1; i >= 0; i--) if (cx.has(nodes[i])) return i;
  return -1;
}

/** Lowers operands evaluated in order; those before the last await are spilled. */
export function sequence(cx: ExpressionLowering, operands: readonly ts.Expression[]): ts.Expression[] {
  const last = lastAwaiting(cx, operands);
  const later = laterWrites(cx, operands, last);
  return operands.map((o, i) => {
    if (i > last) return o;
    const lowered = cx.lower(o);
    if (i === last) return lowered;
    return stable(cx, lowered, later(i)) ? lowered : spill(cx, lowered, "operand");
  });
}

/**
 * "Does an operand after the i-th (up to `last`) write this local?", for each i, from one walk
 * over the operands (on the first question): asking each operand's suffix in turn would walk
 * it again for every operand before it, quadratic in long argument lists.
 */
export function laterWrites(cx: ExpressionLowering, operands: readonly ts.Node[], last: number): (i: number) => LaterWrites {
  let targets: Map<string, Array<{ id: ts.Identifier; at: number }>> | undefined;
  let lastPattern = -1; // the last operand that assigns to a destructuring pattern (it may write anything)
  const index = (): Map<string, Array<{ id: ts.Identifier; at: number }>> => {
    targets = new Map();
    for (let k = 0; k <= last; k++) {
      const found = writeTargets(cx, operands[k]);
      if (found.pattern) lastPattern = k;
      for (const id of found.ids) (targets.get(id.text) ?? targets.set(id.text, []).get(id.text)!).push({ id, at: k });
    }
    return targets;
  };
  return (i) => (x) => {
    const byName = targets ?? index();
    return lastPattern > i || (byName.get(x.text)?.some((t) => t.at > i && cx.b.sameLocal(t.id, x)) ?? false);
  };
}

/**
 * Elements of an array literal or call arguments: a spread before an await is copied out then,
 * and spread again through `$am.spilled` (not iterated a second time).
 *
 * A spread's operand goes through `$am.spreadable` where the engine's message would otherwise
 * differ: in an array literal, an operand that awaits (V8 names an await `(intermediate value)`,
 * not `$v`, and a call by its callee, not `$am.reflectApply`); in arguments, every spread (V8 words a failed call spread by its place in the list,
 * which the array the arguments are gathered in does not keep).
 */
export function sequenceElements(cx: ExpressionLowering, elements: readonly ts.Expression[], of: "array" | "arguments"): ts.Expression[] {
  const { T, F, b } = cx;
  const last = lastAwaiting(cx, elements);
  const later = laterWrites(cx, elements, last);
  const spreads = elements.filter((el) => T.isSpreadElement(el)).length;
  const checked = (el: ts.SpreadElement, i: number, inner: ts.Expression): ts.Expression => {
    if (of === "array" && !cx.has(el.expression)) return inner;
    const form = of === "array" ? 0 : spreads === 1 && i === elements.length - 1 ? 1 : 2;
    const args = [inner, F.createStringLiteral(spreadText(cx, el.expression, of)), F.createNumericLiteral(form)];
    return F.createCallExpression(b.runtime("spreadable"), undefined, args);
  };
  return elements.map((el, i) => {
    if (i > last) return T.isSpreadElement(el) && of === "arguments" ? F.updateSpreadElement(el, checked(el, i, el.expression)) : el;
    if (T.isSpreadElement(el)) {
      const inner = checked(el, i, cx.lower(el.expression));
      if (i === last) return F.updateSpreadElement(el, inner);
      const values = b.toTemp(F.createArrayLiteralExpression([F.createSpreadElement(inner)]), "spread");
      return F.updateSpreadElement(el, F.createCallExpression(b.runtime("spilled"), undefined, [values]));
    }
    if (T.isOmittedExpression(el)) return el;
    const lowered = cx.lower(el);
    if (i === last) return lowered;
    return stable(cx, lowered, later(i)) ? lowered : spill(cx, lowered, "operand");
  });
}

/**
 * What V8 names a spread's operand by: a call by its callee (`f is not a function or its return
 * value` in an array literal, `f(...)` in arguments).
 */
function spreadText(cx: ExpressionLowering, e: ts.Expression, of: "array" | "arguments"): string {
  const { T } = cx;
  const x = skipOuterExpressions(T, e);
  if (!T.isCallExpression(x)) return calleeText(T, x);
  const callee = calleeText(T, x.expression);
  return of === "array" ? `${callee} is not a function or its return value` : `${callee}(...)`;
}

/**
 * `b.toTemp` for a value that may be an anonymous function or class: assigned to the temporary
 * as it is, it would take the temporary's name (NamedEvaluation).
 */
export function spill(cx: ExpressionLowering, value: ts.Expression, what: string): ts.Identifier {
  const { b } = cx;
  return b.toTemp(unnamed(cx, value), what);
}
export function unnamed(cx: ExpressionLowering, value: ts.Expression): ts.Expression {
  const { T } = cx;
  return isAnonymousDefinition(T, value) ? namedDefinition(T, value, undefined) : value;
}
/** Whether the code evaluated later (before the last await) writes a local: `laterWrites`, or nodes to walk. */
export type LaterWrites = (id: ts.Identifier) => boolean;

/** Can evaluating `e` later give another value (or effect) than evaluating it now? `later`: what runs in between. */
export function stable(cx: ExpressionLowering, e: ts.Expression, later: readonly ts.Node[] | LaterWrites): boolean {
  const { T, SK, b } = cx;
  const x = skipOuterExpressions(T, e);
  if (T.isLiteralExpression(x) || T.isNoSubstitutionTemplateLiteral(x)) return !T.isRegularExpressionLiteral(x);
  switch (x.kind) {
    case SK.TrueKeyword:
    case SK.FalseKeyword:
    case SK.NullKeyword:
    case SK.ThisKeyword:
    case SK.SuperKeyword: // `super[k]` looks its base up after the key (MakeSuperPropertyReference)
    case SK.PrivateIdentifier: // `#x in o`: a name, not a value (it cannot be held in a temporary)
      return true;
  }
  if (T.isIdentifier(x)) return b.isRegisterLocal(x) && !(typeof later === "function" ? later(x) : later.some((n) => writes(cx, n, x)));
  if (T.isArrowFunction(x) || T.isFunctionExpression(x)) return true;
  if (T.isClassExpression(x)) return !definitionRunsCode(cx, x);
  return false;
}
/**
 * Does ClassDefinitionEvaluation run code of the program: a heritage expression, decorators,
 * computed keys, static initializers or blocks? If not, the class is a fresh object built
 * the same now or later.
 */
export function definitionRunsCode(cx: ExpressionLowering, c: ts.ClassExpression): boolean {
  const { T, SK } = cx;
  const isStatic = (m: ts.ClassElement): boolean => T.canHaveModifiers(m) && (T.getModifiers(m) ?? []).some((mod) => mod.kind === SK.StaticKeyword);
  let decorated = false;
  const findDecorator = (n: ts.Node): void => {
    if (T.isDecorator(n)) decorated = true;
    else if (!decorated && !T.isBlock(n) && !T.isExpression(n)) T.forEachChild(n, findDecorator);
  };
  T.forEachChild(c, findDecorator);
  return (
    decorated ||
    c.heritageClauses?.some((h) => h.token === SK.ExtendsKeyword) === true ||
    c.members.some(
      (m) =>
        (m.name !== undefined && T.isComputedPropertyName(m.name)) ||
        T.isClassStaticBlockDeclaration(m) ||
        (T.isPropertyDeclaration(m) && m.initializer !== undefined && isStatic(m)),
    )
  );
}
/** A string or number literal: converting it (ToString, ToPropertyKey) runs no code. */
export function isPrimitiveLiteral(cx: ExpressionLowering, e: ts.Expression): boolean {
  const { T } = cx;
  const x = skipOuterExpressions(T, e);
  return T.isStringLiteral(x) || T.isNumericLiteral(x) || T.isNoSubstitutionTemplateLiteral(x);
}
export function writes(cx: ExpressionLowering, node: ts.Node, id: ts.Identifier): boolean {
  const { ids, pattern } = writeTargets(cx, node);
  return pattern || ids.some((target) => cx.b.sameLocal(target, id));
}

/** The identifiers `node` assigns or increments, and whether it assigns to a destructuring pattern. */
function writeTargets(cx: ExpressionLowering, node: ts.Node): { ids: ts.Identifier[]; pattern: boolean } {
  const { T, SK } = cx;
  const ids: ts.Identifier[] = [];
  let pattern = false;
  const walk = (n: ts.Node): void => {
    if (T.isBinaryExpression(n) && n.operatorToken.kind >= SK.FirstAssignment && n.operatorToken.kind <= SK.LastAssignment) {
      const target = skipOuterExpressions(T, n.left);
      if (T.isIdentifier(target)) ids.push(target);
      if (T.isObjectLiteralExpression(target) || T.isArrayLiteralExpression(target)) pattern = true;
    }
    if ((T.isPrefixUnaryExpression(n) || T.isPostfixUnaryExpression(n)) && (n.operator === SK.PlusPlusToken || n.operator === SK.MinusMinusToken)) {
      const target = skipOuterExpressions(T, n.operand);
      if (T.isIdentifier(target)) ids.push(target);
    }
    T.forEachChild(n, walk);
  };
  walk(node);
  return { ids, pattern };
}

export function spillAlways(cx: ExpressionLowering, e: ts.Expression, later: ts.Node, what: string): ts.Expression {
  return stable(cx, e, [later]) ? e : spill(cx, e, what);
}
