/**
 * Connects the expression lowering (linearize-expression.ts) to the CFG builder: temporaries,
 * branches for short-circuits, suspends, and destructuring with awaits (patterns.ts).
 */
import type * as ts from "typescript";
import { LocalStorage } from "./cfg";
import { createExpressionLowering } from "./linearize-expression";
import type { Lowering } from "./lowering";
import { destructureAssignment } from "./patterns";
import { suspendYield } from "./yield";
import { internalError, Unsupported } from "../not-compiled";

/** Lowers an expression that may hold awaits (linearize-expression.ts); returns what computes the rest. */
export function createLowerExpression(cx: Lowering): (expr: ts.Expression) => ts.Expression {
  const { T, F, b } = cx;
  return createExpressionLowering({
    tsApi: T,
    suspend: (operand, at) => (T.isYieldExpression(at) ? suspendYield(cx, operand, at) : b.suspendOn(operand, at)),
    toTemp(value, what) {
      const t = b.newTemp(what);
      b.emitAssign(t, value);
      return b.identifierFor(t);
    },
    assignTemp(temp, value) {
      b.emitAssign(b.tempOfIdentifier.get(temp)!, value);
    },
    emitEffect(expr) {
      b.emitOp(F.createExpressionStatement(expr), b.assignedLocal(expr));
    },
    branch(test) {
      const whenTrue = b.newBlock();
      const whenFalse = b.newBlock();
      const join = b.newBlock();
      b.branchTo(test, whenTrue.id, whenFalse.id);
      let falseMarked = false;
      return {
        whenTrue: () => b.mark(whenTrue),
        whenFalse: () => {
          b.goto(join);
          b.mark(whenFalse);
          falseMarked = true;
        },
        join: () => {
          b.goto(join);
          if (!falseMarked) {
            b.mark(whenFalse);
            b.goto(join);
          }
          b.mark(join);
        },
      };
    },
    isRegisterLocal(id) {
      // A binding that may be in its dead zone is not stable: reading it may throw, before the await.
      const l = b.localOf(id);
      return l !== undefined && b.locals[l].storage === LocalStorage.Register && !b.locals[l].tdz;
    },
    destructureAssignment: (pattern, value) => destructureAssignment(cx, pattern, value),
    reference(id) {
      return b.identifierFor(b.localOf(id)!);
    },
    sameLocal(x, y) {
      const l = b.localOf(x);
      return l !== undefined && l === b.localOf(y);
    },
    runtime: (name) => b.runtimeHelper(name),
    unsupported(node, code, detail): never {
      throw new Unsupported(node, code, detail);
    },
    internalError,
    sourceText: (node) => node.getText(cx.file),
  });
}
