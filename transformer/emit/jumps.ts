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
    return F.createReturnStatement(F.createCallExpression(machineMember(cx, "ret"), undefined, j.value ? [visit(j.value) as ts.Expression] : []));
  }
  const stmts = j.assigns.map(([local, v]) => assignLocal(cx, local, typeof v === "number" ? F.createNumericLiteral(v) : (visit(v) as ts.Expression)));
  // Every jump out of a kept statement goes through `$g`: one through a kept finally must, and
  // a later jump from that finally (a `continue` overriding a `return`) must replace it.
  cx.usage.pendingGoto = true;
  cx.usage.pendingJumps++;
  const pending = assignTo(cx, cx.own.pendingGoto, F.createNumericLiteral(cx.flow.label(cx.flow.forward(j.target))));
  return F.createBlock([...stmts, pending, F.createContinueStatement(cx.own.loop)], /*multiLine*/ false);
}
