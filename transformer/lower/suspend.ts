/**
 * `await` at the root of what a statement evaluates: `x = await f()`, `return await g()`,
 * `throw await h()`. The suspend ends the block; the resumed value is read at the start of the
 * resume block, with no temporary in between.
 */
import type * as ts from "typescript";
import { containsAwait, skipOuterExpressions } from "../analyze/contains-await";
import type { Lowering } from "./lowering";

/**
 * [source]  await x
 * [lowered] .suspend x → resume;  resume: (the awaited outcome arrives as the resume value)
 * Returns the stand-in for the resume value, valid at the start of the resume block.
 */
export function suspend(cx: Lowering, awaitNode: ts.AwaitExpression): ts.Identifier {
  const { b } = cx;
  return b.suspendOn(cx.lowerExpression(awaitNode.expression), awaitNode);
}
/** Like lowerExpression, but when the root is `await x` hands back the resume value itself. */
export function lowerToResumeValue(cx: Lowering, expr: ts.Expression): ts.Expression {
  const { T } = cx;
  const e = skipOuterExpressions(T, expr);
  if (T.isAwaitExpression(e) && !containsAwait(T, e.expression)) return suspend(cx, e);
  return cx.lowerExpression(expr);
}
