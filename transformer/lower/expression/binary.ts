/**
 * Binary operators, the conditional operator and assignments with awaits: short-circuits
 * become branches; an assignment evaluates its reference (and a compound one its old value)
 * before the right side.
 */
import type * as ts from "typescript";
import { skipOuterExpressions } from "../../analyze/contains-await";
import { compoundToBinary } from "../operators";
import type { ExpressionLowering } from "./builder";
import { isAnonymousDefinition } from "./named-evaluation";
import { sequence, spill, spillAlways, stable, unnamed } from "./operands";

// ---------------------------------------------------------------- operators

export function lowerBinary(cx: ExpressionLowering, e: ts.BinaryExpression): ts.Expression {
  const { F, SK, b } = cx;
  const op = e.operatorToken.kind;
  if (op >= SK.FirstAssignment && op <= SK.LastAssignment) return lowerAssignment(cx, e);
  if (op === SK.CommaToken) {
    const left = cx.lower(e.left);
    b.emitEffect(left);
    return cx.lower(e.right);
  }
  if ((op === SK.AmpersandAmpersandToken || op === SK.BarBarToken || op === SK.QuestionQuestionToken) && cx.has(e.right)) {
    // [lowered] $t = left; branch (test $t) ? rhs : join;  rhs: $t = right;  join: $t
    const t = spill(cx, cx.lower(e.left), "logical");
    const test = op === SK.AmpersandAmpersandToken ? t : op === SK.BarBarToken ? F.createLogicalNot(t) : F.createEquality(t, F.createNull());
    const br = b.branch(test);
    br.whenTrue();
    b.assignTemp(t, unnamed(cx, cx.lower(e.right)));
    br.join();
    return t;
  }
  const [left, right] = sequence(cx, [e.left, e.right]);
  return F.updateBinaryExpression(e, left, e.operatorToken, right);
}

export function lowerConditional(cx: ExpressionLowering, e: ts.ConditionalExpression): ts.Expression {
  const { F, b } = cx;
  const test = cx.lower(e.condition);
  if (!cx.has(e.whenTrue) && !cx.has(e.whenFalse)) return F.updateConditionalExpression(e, test, e.questionToken, e.whenTrue, e.colonToken, e.whenFalse);
  // [lowered] branch test ? a : b;  a: $t = whenTrue; goto join;  b: $t = whenFalse;  join: $t
  const br = b.branch(test);
  br.whenTrue();
  const t = spill(cx, cx.lower(e.whenTrue), "conditional");
  br.whenFalse();
  b.assignTemp(t, unnamed(cx, cx.lower(e.whenFalse)));
  br.join();
  return t;
}

/**
 * [source]  x = await y;  o.p += await y;  a ||= await b
 * The reference (object, key) is evaluated before the right side; a compound assignment reads
 * the old value before it too; a logical assignment evaluates the right side only if needed.
 */
export function lowerAssignment(cx: ExpressionLowering, e: ts.BinaryExpression): ts.Expression {
  const { T, F, SK, b } = cx;
  const op = e.operatorToken.kind;
  const left = skipOuterExpressions(T, e.left);
  if (T.isObjectLiteralExpression(left) || T.isArrayLiteralExpression(left)) {
    if (cx.has(left)) {
      if (op !== SK.EqualsToken) b.unsupported(left, "invalid-assignment-pattern");
      return b.destructureAssignment(left, cx.lower(e.right));
    }
    const right = cx.lower(e.right);
    // V8 names an awaited source '(intermediate value)'; destructured natively, the resume
    // value's own name would be the one in the message (as patterns.ts does for declarations).
    if (T.isObjectLiteralExpression(left) && T.isAwaitExpression(skipOuterExpressions(T, e.right))) {
      const first = left.properties[0];
      const key = first === undefined || T.isSpreadAssignment(first) ? undefined : first.name;
      const keyText = key !== undefined && (T.isIdentifier(key) || T.isStringLiteral(key)) ? key.text : "";
      b.emitEffect(F.createCallExpression(b.runtime("requireDestructurable"), undefined, [right, F.createStringLiteral(keyText), F.createStringLiteral("(intermediate value)")]));
    }
    return F.updateBinaryExpression(e, e.left, e.operatorToken, right);
  }
  let target: ts.Expression;
  if (T.isIdentifier(left)) target = left;
  else if (T.isPropertyAccessExpression(left)) {
    target = left.expression.kind === SK.SuperKeyword ? left : F.updatePropertyAccessExpression(left, spillAlways(cx, cx.lower(left.expression), e.right, "object"), left.name);
  } else if (T.isElementAccessExpression(left)) {
    const obj = left.expression.kind === SK.SuperKeyword ? left.expression : spillAlways(cx, cx.lower(left.expression), e.right, "object");
    target = F.updateElementAccessExpression(left, obj, spillAlways(cx, cx.lower(left.argumentExpression), e.right, "key"));
  } else return b.unsupported(left, "await-in-assignment-target");
  if (op === SK.EqualsToken) return F.createAssignment(target, cx.lower(e.right));
  // The old value is read before the right side; a local nothing else can change while the
  // machine waits (a register not written by the right side) can be read after it instead.
  const logical = op === SK.AmpersandAmpersandEqualsToken || op === SK.BarBarEqualsToken || op === SK.QuestionQuestionEqualsToken;
  const old = !logical && T.isIdentifier(target) && stable(cx, target, [e.right]) ? b.reference(target) : b.toTemp(target, "left");
  if (logical) {
    const test = op === SK.AmpersandAmpersandEqualsToken ? old : op === SK.BarBarEqualsToken ? F.createLogicalNot(old) : F.createEquality(old, F.createNull());
    const br = b.branch(test);
    br.whenTrue();
    const right = cx.lower(e.right);
    // An anonymous function or class is named after an identifier target (NamedEvaluation),
    // not after the temporary: `$left = (x = v)`; a member target names nothing.
    if (T.isIdentifier(target) && isAnonymousDefinition(T, right)) b.assignTemp(old, F.createAssignment(target, right));
    else {
      b.assignTemp(old, unnamed(cx, right));
      b.emitEffect(F.createAssignment(target, old));
    }
    br.join();
    return old;
  }
  return F.createAssignment(target, F.createBinaryExpression(old, compoundToBinary(T, op), cx.lower(e.right)));
}
