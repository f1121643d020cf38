/**
 * What a poll-mode machine emits differently from a promise-mode one (README "Poll mode"):
 *
 * - the wrapper starts it with `$am.pollStartWithFrame` / `$am.pollStart` (the same arguments as
 *   `startWithFrame` / `start`), which return a lazy `PollMachine`;
 * - in the catch dispatch, a `catch` does not catch a cancellation: the runtime enters the resume
 *   function at the current await with `($am.CANCEL, true)`, and each case whose handler is a
 *   `catch` first sends `$am.CANCEL` where the nearest enclosing `finally` takes an exception,
 *   or rethrows it when no `finally` encloses the `catch`:
 *
 *       catch ($e) { switch ($l) {
 *         case 3: case 7:
 *           if ($e === $am.CANCEL) { $completion = 2; $completionValue = $e; $l = 5; continue $mc; }
 *           $error = $e; $l = 6; continue $mc;
 *
 * The path skips the `catch` body only: the `finally` it reaches is also reached through the
 * `catch` body's own exception edge, so everything it reads is live at the await already.
 *
 * - an await in a loop continues in place when the awaited value is a primitive (what the
 *   driver would continue with at once, reading nothing of it) and the task's budget has a unit
 *   left (`$am.inPlace($v)` spends it, as the driver would): no frame stores, no suspend, no
 *   loads. The resume block gets a second entry after its loads and `if ($t) throw $v`:
 *
 *       $v = i;
 *       if ($am.inPlace($v)) { n = $f[0]; $l = 9; continue $mc; }   // fields clean here, which the locals may not hold
 *       $f[1] = i; $f[2] = sum; $m.s = 3; return $m.await($v);
 *     case 3: n = $f[0]; i = $f[1]; sum = $f[2]; if ($t) throw $v;
 *     case 9: $l = 3;                                             // only in an exception region: the catch dispatch knows 3
 *       sum = sum + $v; …
 *
 *   The slot plan takes the in-place edge into account (slot-plan.ts `inPlace`): after it, only
 *   what was clean at the suspend is clean. A field the resume loads is either dirty at the
 *   suspend — then every path there wrote or loaded its local, which holds it — or clean, and
 *   loaded here from its slot (a path may come from a resume that left it in the frame).
 *   Observably the same as the driver's continuation: the same budget, nothing read.
 */
import type * as ts from "typescript";
import { Completion, RegionKind, type Block, type BlockId, type Region } from "../lower/cfg";
import { assignTo, runtimeMember, type EmitContext } from "./emit-context";
import { clearPendingGoto, gotoStatements } from "./jumps";
import { assignLocal } from "./local-access";

/** The runtime function the wrapper calls. */
export function startFunctionName(framed: boolean, poll: boolean): string {
  if (poll) return framed ? "pollStartWithFrame" : "pollStart";
  return framed ? "startWithFrame" : "start";
}

/** The cancellation check at the head of the dispatch case of region `r` (none in promise mode, or for a `finally`). */
export function cancelCheck(cx: EmitContext, r: Region): ts.Statement[] {
  if (!cx.input.poll || r.kind !== RegionKind.Catch) return [];
  const { F, cfg } = cx;
  let outer = r.parent;
  while (outer !== undefined && cfg.regions[outer].kind !== RegionKind.Finally) outer = cfg.regions[outer].parent;
  const err = F.createIdentifier(cx.own.error);
  const isCancel = F.createStrictEquality(F.createIdentifier(cx.own.error), runtimeMember(cx, "CANCEL"));
  if (outer === undefined) return [F.createIfStatement(isCancel, F.createThrowStatement(err))];
  const fin = cfg.regions[outer];
  const enter = [assignLocal(cx, fin.completion, F.createNumericLiteral(Completion.Throw)), assignLocal(cx, fin.value!, F.createIdentifier(cx.own.error))];
  if (cx.usage.pendingGoto) enter.push(clearPendingGoto(cx));
  return [F.createIfStatement(isCancel, F.createBlock([...enter, ...gotoStatements(cx, fin.handler, undefined)], /*multiLine*/ true))];
}

/** The labels of in-place entries, after every other label, in the order of the resume blocks asked for. */
const inPlaceLabels = new WeakMap<EmitContext, Map<BlockId, number>>();

/** The label of the in-place entry of `resume` (a resume block in the slot plan's `inPlace`). */
function inPlaceLabel(cx: EmitContext, resume: BlockId): number {
  let labels = inPlaceLabels.get(cx);
  if (labels === undefined) {
    labels = new Map();
    inPlaceLabels.set(cx, labels);
    let next = cx.flow.stateNames.length;
    for (const b of cx.flow.caseOrder) next = Math.max(next, cx.flow.label(b.id) + 1);
    for (const b of cx.flow.crossRegion) next = Math.max(next, cx.flow.label(b) + 1);
    labels.set(-1, next);
  }
  let label = labels.get(resume);
  if (label === undefined) {
    label = labels.get(-1)!;
    labels.set(-1, label + 1);
    labels.set(resume, label);
  }
  return label;
}

/** `if ($am.inPlace($v)) { loads; $l = entry; continue $mc; }`, before the stores of a suspend resuming in `resume`. */
export function inPlaceContinuation(cx: EmitContext, resume: BlockId, loads: ts.Statement[]): ts.Statement {
  const { F } = cx;
  cx.usage.backJumps++;
  const ready = F.createCallExpression(runtimeMember(cx, "inPlace"), undefined, [F.createIdentifier(cx.own.value)]);
  const jump = [...loads, assignTo(cx, cx.own.label, F.createNumericLiteral(inPlaceLabel(cx, resume))), F.createContinueStatement(cx.own.loop)];
  return F.createIfStatement(ready, F.createBlock(jump, /*multiLine*/ true));
}

/** `case entry:` of `resume`'s in-place entry, with `$l = k` when an exception region's catch dispatch reads `$l`. */
export function inPlaceEntry(cx: EmitContext, resume: Block, code: ts.Statement[]): ts.CaseClause {
  const { F } = cx;
  const head = resume.region !== undefined ? [assignTo(cx, cx.own.label, F.createNumericLiteral(cx.flow.label(resume.id)))] : [];
  return F.createCaseClause(F.createNumericLiteral(inPlaceLabel(cx, resume.id)), [...head, ...code]);
}
