/**
 * The shape of a resume function from hand-built control-flow graphs (no TypeScript Program):
 * jump threading, inlining of blocks reached by one jump, labels, and the case order that gives
 * a loop's resume block the fall-through into the loop head.
 */
import type * as ts from "typescript";
import { describe, expect, test } from "vitest";
import { planControlFlow } from "../../transformer/emit/control-flow";
import { ReservedState, SuspendKind, TerminatorKind, type Block, type Op, type SuspendPoint, type Terminator } from "../../transformer/lower/cfg";

const NO_USES = new Set<number>();
const EXPR = {} as ts.Expression;
const op = (): Op => ({ node: {} as ts.Statement, uses: NO_USES, defs: NO_USES, exits: [] });
const block = (id: number, term: Terminator, ops: Op[] = []): Block => ({ id, ops, term, region: undefined });
const goto = (target: number): Terminator => ({ kind: TerminatorKind.Goto, target });
const branch = (then: number, otherwise: number): Terminator => ({ kind: TerminatorKind.Branch, test: EXPR, uses: NO_USES, then, else: otherwise });
const ret: Terminator = { kind: TerminatorKind.Return, value: undefined, uses: NO_USES };

describe("planControlFlow", () => {
  test("an empty goto-only block is threaded, a block reached by one jump is inlined", () => {
    // b0: op; goto b1   b1: goto b2 (empty)   b2: op; return
    const flow = planControlFlow({ entry: 0, blocks: [block(0, goto(1), [op()]), block(1, goto(2)), block(2, ret, [op()])], locals: [], regions: [], suspends: [] });
    expect(flow.forward(1)).toBe(2);
    expect(flow.inlines(1)).toBe(true);
    expect([...flow.inlined]).toEqual([2]);
    expect(flow.caseOrder.map((b) => b.id)).toEqual([0]);
    expect(flow.label(0)).toBe(0);
    expect(flow.stateNames).toEqual(["Unresumed", "Returned", "Panicked"]);
  });

  test("a loop around an await: the resume block falls through into the loop head, the entry jumps", () => {
    // b0: op; goto b1   b1: if (c) b2 else b3   b2: await → b4   b4: op; goto b1   b3: return
    const suspend: Terminator = { kind: TerminatorKind.Suspend, awaited: EXPR, uses: NO_USES, resume: 4, point: ReservedState.FirstSuspend };
    const blocks = [block(0, goto(1), [op()]), block(1, branch(2, 3)), block(2, suspend, [op()]), block(3, ret, [op()]), block(4, goto(1), [op()])];
    const point: SuspendPoint = { state: ReservedState.FirstSuspend, kind: SuspendKind.Await, name: "AwaitX_L2", block: 2, resume: 4, line: 2, column: 3, awaitedText: "x" };
    const flow = planControlFlow({ entry: 0, blocks, locals: [], regions: [], suspends: [point] });
    expect([...flow.reachable].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...flow.inlined].sort()).toEqual([2, 3]);
    // The entry is 0, the resume block is its state's number, the join point comes after the states.
    expect([flow.label(0), flow.label(4), flow.label(1)]).toEqual([0, ReservedState.FirstSuspend, ReservedState.FirstSuspend + 1]);
    expect(flow.caseOrder.map((b) => b.id)).toEqual([0, 4, 1]);
    expect(flow.stateNames).toEqual(["Unresumed", "Returned", "Panicked", "AwaitX_L2"]);
  });
});
