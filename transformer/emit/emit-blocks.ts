/**
 * The code of the resume function's cases: each block's operations (kept code, rewritten), the
 * frame stores and loads the slot plan put around them, and its terminator — a goto, a branch,
 * a return, a throw, a suspend, or the end of a `finally` that passes its completion on.
 *
 *     case 3 /* AwaitRead_L3 *\/: a = $f[0]; if ($t) throw $v; x = $v; …
 *                                 $v = read(a); $f[0] = a; $m.s = 4; return $m.await($v);
 *
 * A jump to a block reached by that jump only emits the block's code in place (control-flow.ts).
 */
import type * as ts from "typescript";
import { Completion, SuspendKind, TerminatorKind, suspendResumingAt, type Block, type BlockId, type LocalId, type Terminator } from "../lower/cfg";
import { assignTo, commented, frameSlot, machineMember, type EmitContext } from "./emit-context";
import { access, assignLocal } from "./local-access";
import { rewrite } from "./rewrite-kept-code";
import { clearPendingGoto, gotoStatements, lastStatementOfBody, returnStatement, setLabel } from "./jumps";
import type { FrameSlots } from "./slot-plan";
import { holdsOffsetAt, positionOfState } from "../layout/state-layout";
import { inPlaceContinuation, inPlaceEntry } from "./poll-mode";

/**
 * The `case` of one block: for a resume block, the loads of its state and the delivery of the
 * awaited outcome first (and, for one also entered in place, a second `case` after them).
 */
export function emitCase(cx: EmitContext, slots: FrameSlots, block: Block, next: BlockId | undefined): ts.CaseClause[] {
  const { F, cfg, layout, flow } = cx;
  const stmts: ts.Statement[] = [];
  const suspend = suspendResumingAt(cfg, block.id);
  if (suspend) {
    // Resume: take the live values back from the frame, then deliver the awaited outcome.
    // (In offset order; the fields the resume leaves in the frame are not looked at.)
    const loads = (slots.resumeLoads.get(block.id) ?? []).map((local) => [local, layout.offsetOf.get(local)!] as const);
    for (const [local, offset] of loads.sort((a, b) => a[1] - b[1])) stmts.push(loadStatement(cx, local, offset));
    // A generator's yield, yield* and return also take a return completion (`$t === 2`, lower/yield.ts).
    const takesReturn = suspend.kind === SuspendKind.Yield || suspend.kind === SuspendKind.YieldStar || suspend.kind === SuspendKind.AwaitReturn;
    const isThrow = takesReturn ? F.createStrictEquality(F.createIdentifier(cx.own.isThrow), F.createTrue()) : F.createIdentifier(cx.own.isThrow);
    stmts.push(F.createIfStatement(isThrow, F.createThrowStatement(F.createIdentifier(cx.own.value))));
  }
  if (block.id === cfg.entry && layout.capturedSize > 0) {
    // Captured locals live as long as the closures that see them: their own array, not the frame.
    stmts.push(
      F.createExpressionStatement(
        F.createAssignment(machineMember(cx, "c"), F.createArrayLiteralExpression(Array.from({ length: layout.capturedSize }, () => F.createVoidZero()))),
      ),
    );
  }
  const label = flow.label(block.id);
  const name = label < flow.stateNames.length ? flow.stateNames[label] : undefined;
  const caseLabel = name ? commented(cx, label, name) : F.createNumericLiteral(label);
  if (slots.inPlace.has(block.id)) {
    const code: ts.Statement[] = [];
    emitBlockCode(cx, slots, block, next, code);
    return [F.createCaseClause(caseLabel, stmts), inPlaceEntry(cx, block, code)];
  }
  emitBlockCode(cx, slots, block, next, stmts);
  return [F.createCaseClause(caseLabel, stmts)];
}

/** A block's code: its operations, then its terminator (jumps to inlined blocks emit them). `next`: the case emitted next. */
function emitBlockCode(cx: EmitContext, slots: FrameSlots, b: Block, next: BlockId | undefined, stmts: ts.Statement[]): void {
  // Fields a loop's resume left in the frame for this (cold) block to load.
  for (const local of slots.loads.get(b.id) ?? []) stmts.push(loadStatement(cx, local, cx.layout.offsetOf.get(local)!));
  const stores = slots.stores.get(b.id);
  b.ops.forEach((op, i) => {
    const jumpsBefore = cx.usage.pendingJumps;
    stmts.push(rewrite(cx, op.node, /*inFunction*/ false) as ts.Statement);
    for (const local of stores?.get(i) ?? []) stmts.push(storeStatement(cx, local, cx.layout.offsetOf.get(local)!));
    // A kept statement that can start a jump may also finish normally after an exception
    // cancelled that jump inside it (caught by its own catch): nothing may stay pending.
    if (cx.usage.pendingJumps !== jumpsBefore) stmts.push(clearPendingGoto(cx));
  });
  stmts.push(...emitTerminator(cx, slots, b, next));
}

/**
 * A jump to `to`: the target's code itself when it is inlined, else `gotoStatements`. `next`:
 * the case emitted next, when the jump ends the case; `from`: the block the jump leaves.
 */
function jumpTo(cx: EmitContext, slots: FrameSlots, to: BlockId, next: BlockId | undefined, from: Block): ts.Statement[] {
  const { flow } = cx;
  if (!flow.inlines(to)) return gotoStatements(cx, to, next, from);
  const target = flow.forward(to);
  const stmts: ts.Statement[] = [];
  if (flow.crossRegion.has(target)) stmts.push(setLabel(cx, target));
  emitBlockCode(cx, slots, cx.cfg.blocks[target], next, stmts);
  return stmts;
}

function emitTerminator(cx: EmitContext, slots: FrameSlots, block: Block, next: BlockId | undefined): ts.Statement[] {
  const { F } = cx;
  const term = block.term;
  const stmts = emitTerminatorCode(cx, slots, block, next);
  // The branch, return, throw or `$v = operand` of a suspend maps to the source it was lowered from.
  if (term.source && term.kind !== TerminatorKind.Goto && term.kind !== TerminatorKind.EndFinally) cx.T.setSourceMapRange(stmts[0], term.source);
  return stmts;
}

function emitTerminatorCode(cx: EmitContext, slots: FrameSlots, block: Block, next: BlockId | undefined): ts.Statement[] {
  const { F } = cx;
  const term = block.term;
  const v = (e: ts.Node): ts.Expression => rewrite(cx, e, /*inFunction*/ false) as ts.Expression;
  switch (term.kind) {
    case TerminatorKind.Goto:
      return jumpTo(cx, slots, term.target, next, block);
    case TerminatorKind.Branch:
      return [F.createIfStatement(v(term.test), F.createBlock(jumpTo(cx, slots, term.then, undefined, block)), undefined), ...jumpTo(cx, slots, term.else, next, block)];
    case TerminatorKind.Return:
      return [returnStatement(cx, term.value ? v(term.value) : undefined, term.source !== undefined && term.source === lastStatementOfBody(cx))];
    case TerminatorKind.Throw:
      return [F.createThrowStatement(v(term.value))];
    case TerminatorKind.Suspend:
      return emitSuspend(cx, slots, term, v);
    case TerminatorKind.EndFinally:
      return emitEndFinally(cx, slots, block, term, next);
  }
}

/** `switch ($ct) { case Return: …; case Throw: throw $cv; case Jump(T): $l = T… }`, then on to `next`. */
function emitEndFinally(
  cx: EmitContext,
  slots: FrameSlots,
  block: Block,
  term: Extract<Terminator, { kind: TerminatorKind.EndFinally }>,
  next: BlockId | undefined,
): ts.Statement[] {
  const { F } = cx;
  const clauses: ts.CaseOrDefaultClause[] = [];
  const completionValue = (): ts.Expression => access(cx, term.value);
  const code = (c: number): ts.Expression => F.createNumericLiteral(c);
  clauses.push(
    F.createCaseClause(
      code(Completion.Return),
      term.returnTo
        ? [
            assignLocal(cx, term.returnTo.completion, code(Completion.Return)),
            assignLocal(cx, term.returnTo.value, completionValue()),
            ...jumpTo(cx, slots, term.returnTo.block, undefined, block),
          ]
        : [F.createReturnStatement(F.createCallExpression(machineMember(cx, "ret"), undefined, [completionValue()]))],
    ),
  );
  clauses.push(F.createCaseClause(code(Completion.Throw), [F.createThrowStatement(completionValue())]));
  for (const [jump, cont] of term.jumps) {
    const stmts = cont.completion !== undefined ? [assignLocal(cx, cont.completion, code(jump))] : [];
    clauses.push(F.createCaseClause(code(jump), [...stmts, ...jumpTo(cx, slots, cont.target, undefined, block)]));
  }
  return [F.createSwitchStatement(access(cx, term.completion), F.createCaseBlock(clauses)), ...jumpTo(cx, slots, term.next, next, block)];
}

/** The machine method each kind of suspend returns through (runtime/machine.ts, runtime/async-generator.ts). */
const SUSPEND_METHOD: Record<SuspendKind, string> = {
  [SuspendKind.Await]: "await",
  [SuspendKind.Start]: "await",
  [SuspendKind.Yield]: "yield",
  [SuspendKind.YieldStar]: "yieldStar",
  [SuspendKind.AwaitReturn]: "awaitReturn",
};

/** `$v = x; $f[i] = live…; $f[j] = void 0 (dead); $m.s = k; return $m.await($v);` (`$m.yield($v)`… in a generator) */
function emitSuspend(cx: EmitContext, slots: FrameSlots, term: Extract<Terminator, { kind: TerminatorKind.Suspend }>, v: (e: ts.Node) => ts.Expression): ts.Statement[] {
  const { F, layout } = cx;
  const stmts: ts.Statement[] = [assignTo(cx, cx.own.value, v(term.awaited))];
  if (slots.inPlace.has(term.resume)) {
    // Continuing in place: the resume's loads of fields whose locals may not hold them (poll-mode.ts).
    const loads = slots.inPlaceLoads.get(term.resume)!.map((local) => loadStatement(cx, local, cx.layout.offsetOf.get(local)!));
    stmts.push(inPlaceContinuation(cx, term.resume, loads));
  }
  // In offset order: the live fields whose slots do not hold them yet (`storesAt`: the changes
  // since the resume before, not the whole frame), and the dead offsets to clear.
  const position = positionOfState(layout, term.point);
  const writes: Array<readonly [number, LocalId | undefined]> = slots.storesAt.get(term.point)!.map((local) => [layout.offsetOf.get(local)!, local]);
  for (const offset of slots.stale.get(term.point)!) if (!holdsOffsetAt(layout, offset, position)) writes.push([offset, undefined]);
  for (const [offset, local] of writes.sort((a, b) => a[0] - b[0])) {
    if (local !== undefined) stmts.push(storeStatement(cx, local, offset));
    else stmts.push(F.createExpressionStatement(F.createAssignment(frameSlot(cx, offset, "dead"), F.createVoidZero())));
  }
  // (The state's name is at its case: `case 3 /* AwaitRead_L3 */:`.)
  stmts.push(F.createExpressionStatement(F.createAssignment(machineMember(cx, "s"), F.createNumericLiteral(term.point))));
  const kind = cx.cfg.suspends[position].kind;
  stmts.push(F.createReturnStatement(F.createCallExpression(machineMember(cx, SUSPEND_METHOD[kind]), undefined, [F.createIdentifier(cx.own.value)])));
  return stmts;
}

/**
 * `x_1 = $f[offset] /* x *\/;`, or `x = $f[offset];` where the register says the variable's
 * name (`x`, `$operand` for "operand"): the runtime's inspection reads the comment, or else
 * the register, for the variable's name where a machine carries no MachineInfo
 * (runtime/inspect/describe-machine.ts).
 */
function loadStatement(cx: EmitContext, local: LocalId, offset: number): ts.Statement {
  const l = cx.locals[local];
  const named = l.name === l.sourceName || l.name === `$${l.sourceName}`;
  return assignTo(cx, l.name, named ? frameSlot(cx, offset) : frameSlot(cx, offset, l.sourceName));
}

/** `$f[offset] = x;` (`$f[offset] /* y *\/ = x_1;` where the register's name is not the variable's) */
function storeStatement(cx: EmitContext, local: LocalId, offset: number): ts.Statement {
  const l = cx.locals[local];
  return cx.F.createExpressionStatement(cx.F.createAssignment(slotOf(cx, l, offset), cx.F.createIdentifier(l.name)));
}

/** The slot of `l`, named in a comment unless the register beside it says it (`acc`, `acc_1`, `$callee_2` for "callee"). */
function slotOf(cx: EmitContext, l: EmitContext["locals"][number], offset: number): ts.Expression {
  const bare = l.name.replace(/^\$/, "");
  return bare === l.sourceName || bare.replace(/_\d+$/, "") === l.sourceName ? frameSlot(cx, offset) : frameSlot(cx, offset, l.sourceName);
}
