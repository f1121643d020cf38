/**
 * `yield x` and `yield* x` in an async generator: a suspend of its own kind (the driver in
 * runtime/async-generator.ts performs the native `yield` or `yield*`), whose resume block also
 * takes a return completion — a `return()` from outside while suspended there — and leaves
 * as a `return` written at that point would, through the `finally` blocks around it.
 */
import type * as ts from "typescript";
import { returnWith } from "./jumps";
import type { Lowering } from "./lowering";

/** The resume function's `isThrow` for a return completion (runtime/async-generator.ts). */
const RETURN_COMPLETION = 2;

/**
 * [source]  yield x          yield* x
 * [lowered] .suspend[Yield] x → r;  r: branch $t === Return ? returning : resumed
 *           returning: return $v (through finally blocks);  resumed: (the value sent by next())
 * Returns the stand-in for the resume value, valid in the resumed block.
 */
export function suspendYield(cx: Lowering, operand: ts.Expression, node: ts.YieldExpression): ts.Identifier {
  const { F, b } = cx;
  const resumed = b.suspendOn(operand, node);
  const returning = b.newBlock();
  const next = b.newBlock();
  b.branchTo(F.createStrictEquality(b.runtimeRef({ kind: "isThrow" }), F.createNumericLiteral(RETURN_COMPLETION)), returning.id, next.id);
  b.mark(returning);
  returnWith(cx, resumed);
  b.mark(next);
  return resumed;
}
