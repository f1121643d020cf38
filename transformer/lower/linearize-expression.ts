/**
 * Lowers an expression that holds `await`s into ops and suspends, in evaluation order.
 *
 * In:  an expression of the function body and the CFG builder, through `ExpressionBuilder` (expression-hooks.ts).
 * Out: an expression that computes the rest of the value at the current point of the CFG;
 *      before it, ops that evaluated — once, in source order — everything the source evaluates
 *      before each await, kept in temporaries ("spilled") across the suspension.
 *
 * The rule (TypeScript's generators.ts does the same for `yield`): of the operands of a node,
 * those before the last one that holds an await are evaluated first and spilled, unless the
 * value cannot change meanwhile (a literal, `this`, a local nothing later writes); the one with
 * the await is lowered recursively; those after it are left in place.
 *
 *     [source]  log(a, await f(b), c)
 *     [lowered] $callee = log; $arg = a; .suspend f(b) → $awaited; $am.reflectApply($callee, undefined, $am.callArgs($callee, "log", [$arg, $awaited, c]))
 *
 * Short-circuits become branches, so an await on the branch not taken never runs:
 *     [source]  x && await y            [lowered] $t = x; branch $t ? rhs : join;  rhs: $t = await y;  join: $t
 *
 * Calls keep their receiver (`o.m(await x)` calls the method read before the await with
 * `this = o`) and report a non-callable callee with the source text, as native does.
 */
import type * as ts from "typescript";
import { containsAwait, skipOuterExpressions } from "../analyze/contains-await";
import { lowerBinary, lowerConditional } from "./expression/binary";
import type { ExpressionBuilder, ExpressionLowering } from "./expression/builder";
import { isOptionalChain, lowerCall, lowerNew, lowerOptionalChain, lowerTaggedTemplate } from "./expression/calls";
import { lowerJsx } from "./expression/jsx";
import { lowerClass, lowerObjectLiteral } from "./expression/literals";
import { isPrimitiveLiteral, lastAwaiting, sequence, sequenceElements, unnamed } from "./expression/operands";

export type { ExpressionBuilder } from "./expression/builder";
export { isAnonymousDefinition, namedDefinition, shorthandKey } from "./expression/named-evaluation";

export function createExpressionLowering(b: ExpressionBuilder): (expr: ts.Expression) => ts.Expression {
  const T = b.tsApi;
  const cx: ExpressionLowering = {
    T,
    F: T.factory,
    SK: T.SyntaxKind,
    b,
    lower: (expr) => lowerExpression(cx, expr),
    has: (n) => n !== undefined && containsAwait(T, n),
  };
  return cx.lower;
}

/** Lowers `expr` at the current point of the CFG; returns what computes the rest of its value. */
function lowerExpression(cx: ExpressionLowering, expr: ts.Expression): ts.Expression {
  const { T, F, b } = cx;
  if (!cx.has(expr)) return expr;
  const e = skipOuterExpressions(T, expr);
  if (e !== expr) return cx.lower(e);
  if (T.isAwaitExpression(e)) {
    // The resume value stays valid until the next suspend; any operand that must outlive one
    // is spilled by its parent (`sequence`), so it is used directly here.
    return b.suspend(unnamed(cx, cx.lower(e.expression)), e);
  }
  if (T.isYieldExpression(e)) {
    // An async generator's `yield x` / `yield* x`: a suspend of its own kind (lower/yield.ts).
    return b.suspend(e.expression ? unnamed(cx, cx.lower(e.expression)) : F.createVoidZero(), e);
  }
  if (isOptionalChain(cx, e)) return lowerOptionalChain(cx, e, "value");
  if (T.isBinaryExpression(e)) return lowerBinary(cx, e);
  if (T.isConditionalExpression(e)) return lowerConditional(cx, e);
  if (T.isCallExpression(e)) return lowerCall(cx, e);
  if (T.isNewExpression(e)) return lowerNew(cx, e);
  if (T.isPropertyAccessExpression(e)) return F.updatePropertyAccessExpression(e, cx.lower(e.expression), e.name);
  if (T.isElementAccessExpression(e)) {
    const [obj, key] = sequence(cx, [e.expression, e.argumentExpression]);
    return F.updateElementAccessExpression(e, obj, key);
  }
  if (T.isPrefixUnaryExpression(e)) return F.updatePrefixUnaryExpression(e, cx.lower(e.operand));
  if (T.isTypeOfExpression(e)) return F.updateTypeOfExpression(e, cx.lower(e.expression));
  if (T.isVoidExpression(e)) return F.updateVoidExpression(e, cx.lower(e.expression));
  if (T.isDeleteExpression(e)) {
    const target = skipOuterExpressions(T, e.expression);
    if (isOptionalChain(cx, target)) return lowerOptionalChain(cx, target, "delete");
    if (T.isElementAccessExpression(target)) {
      const [obj, key] = sequence(cx, [target.expression, target.argumentExpression]);
      return F.updateDeleteExpression(e, F.updateElementAccessExpression(target, obj, key));
    }
    if (T.isPropertyAccessExpression(target)) return F.updateDeleteExpression(e, F.updatePropertyAccessExpression(target, cx.lower(target.expression), target.name));
    return F.updateDeleteExpression(e, cx.lower(e.expression));
  }
  if (T.isTemplateExpression(e)) {
    // Each substitution goes through ToString as soon as it is evaluated (TemplateLiteral
    // evaluation): one before an await is spilled as its string (a Symbol throws there).
    const subs = e.templateSpans.map((s) => s.expression);
    const last = lastAwaiting(cx, subs);
    const spans = subs.map((s, i) => {
      if (i >= last) return i === last ? cx.lower(s) : s;
      const v = cx.lower(s);
      return isPrimitiveLiteral(cx, v) ? v : b.toTemp(F.createTemplateExpression(F.createTemplateHead(""), [F.createTemplateSpan(v, F.createTemplateTail(""))]), "string");
    });
    return F.updateTemplateExpression(
      e,
      e.head,
      e.templateSpans.map((s, i) => F.updateTemplateSpan(s, spans[i], s.literal)),
    );
  }
  if (T.isTaggedTemplateExpression(e)) return lowerTaggedTemplate(cx, e);
  if (T.isArrayLiteralExpression(e)) return F.updateArrayLiteralExpression(e, sequenceElements(cx, e.elements, "array"));
  if (T.isObjectLiteralExpression(e)) return lowerObjectLiteral(cx, e);
  if (T.isSpreadElement(e)) return F.updateSpreadElement(e, cx.lower(e.expression));
  if (T.isClassExpression(e)) return lowerClass(cx, e);
  if (T.isJsxElement(e) || T.isJsxSelfClosingElement(e) || T.isJsxFragment(e)) return lowerJsx(cx, e);
  return b.unsupported(e, "await-in-expression", T.SyntaxKind[e.kind]);
}
