/**
 * Jumps between cases of the resume function, and jumps out of kept statements.
 *
 * `$l` is read only by the dispatch (after `continue $mc`, always preceded by a write) and by
 * the catch dispatch, which maps every label of a region to that region's handler. So `$l` need
 * only ever name some block of the running code's region: a fall-through within a region keeps
 * it as it is (one register write less per loop iteration).
 *
 * A jump out of a kept statement (a `break`, `continue` or `return` lowered inside it) goes
 * through `$g`, the pending goto, which takes effect at the loop head: one through a kept
 * `finally` must (that finally runs first and may throw or jump elsewhere).
 */
import type * as ts from "typescript";
import type { Block, BlockId } from "../lower/cfg";
import type { JumpRewrite } from "../lower/lowered-function";
import { assignTo, machineMember, type EmitContext } from "./emit-context";
import { assignLocal } from "./local-access";
import type { Visit } from "./checked-writes";

/**
 * `$l = target; continue $mc;` — or just `$l = target;` when `target` is the block emitted
 * next (`next`), and nothing when, besides, `from` and the target are in the same exception region.
 */
export function gotoStatements(cx: EmitContext, to: BlockId, next: BlockId | undefined, from?: Block): ts.Statement[] {
  const { F, flow } = cx;
  const target = flow.forward(to);
  const fallsThrough = target === next;
  if (fallsThrough && from !== undefined && from.region === cx.cfg.blocks[target].region) return [];
  const set = setLabel(cx, target);
  if (fallsThrough) {
    cx.usage.labelUpdates.add(set);
    return [set];
  }
  cx.usage.backJumps++;
  return [set, F.createContinueStatement(cx.own.loop)];
}

/** `$l = label(block);` */
export function setLabel(cx: EmitContext, block: BlockId): ts.Statement {
  return assignTo(cx, cx.own.label, cx.F.createNumericLiteral(cx.flow.label(block)));
}

/** `$g = -1;`: no jump pending. */
export function clearPendingGoto(cx: EmitContext): ts.Statement {
  return assignTo(cx, cx.own.pendingGoto, cx.F.createPrefixMinus(cx.F.createNumericLiteral(1)));
}

/** A jump out of a kept statement: `return $m.ret(v)`, or `{ completion = …; $g = target; continue $mc; }`. */
export function emitJump(cx: EmitContext, j: JumpRewrite, visit: Visit): ts.Statement {
  const { F } = cx;
  if (j.kind === "return") {
    const last = lastStatementOfBody(cx);
    return returnStatement(cx, j.value ? (visit(j.value) as ts.Expression) : undefined, last !== undefined && cx.lowered.jumpRewrites.get(last) === j);
  }
  const stmts = j.assigns.map(([local, v]) => assignLocal(cx, local, typeof v === "number" ? F.createNumericLiteral(v) : (visit(v) as ts.Expression)));
  // Every jump out of a kept statement goes through `$g`: one through a kept finally must, and
  // a later jump from that finally (a `continue` overriding a `return`) must replace it.
  cx.usage.pendingGoto = true;
  cx.usage.pendingJumps++;
  const pending = assignTo(cx, cx.own.pendingGoto, F.createNumericLiteral(cx.flow.label(cx.flow.forward(j.target))));
  return F.createBlock([...stmts, pending, F.createContinueStatement(cx.own.loop)], /*multiLine*/ false);
}

/**
 * `return $m.ret(value)`. For the `return` that ends the function's body (`ends`), the call's
 * source-map range reaches over the function's closing `}`, which a breakpoint there then finds.
 * Native V8 puts no code on a `}` after a final `return` and resolves a breakpoint there to the
 * return's last break position (its end); in the generated code that position is just after
 * the call, mapped to the same return, so the breakpoint pauses where and when native's does.
 * (The end of a body that is reached maps the machine's final `return $m.ret()` to the `}`:
 * lower/build-cfg.ts.)
 */
export function returnStatement(cx: EmitContext, value: ts.Expression | undefined, ends: boolean): ts.Statement {
  const { F, T } = cx;
  const call = F.createCallExpression(machineMember(cx, "ret"), undefined, value ? [value] : []);
  const body = cx.input.fn.body;
  if (ends && body !== undefined) T.setSourceMapRange(call, { pos: lastStatementOfBody(cx)!.pos, end: body.end });
  return F.createReturnStatement(call);
}

/** The last statement of the function's body, when it is a `return` (a block body's). */
export function lastStatementOfBody(cx: EmitContext): ts.ReturnStatement | undefined {
  const body = cx.input.fn.body;
  if (body === undefined || !cx.T.isBlock(body)) return undefined;
  const last = body.statements[body.statements.length - 1];
  return last !== undefined && cx.T.isReturnStatement(last) ? last : undefined;
}
