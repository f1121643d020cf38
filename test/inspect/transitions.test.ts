/**
 * State transitions derived from hand-built control-flow graphs (no TypeScript Program): normal
 * edges, loop back-edges, exception edges into a `catch`, and out of the function.
 */
import type * as ts from "typescript";
import { describe, expect, test } from "vitest";
import { computeTransitions } from "../../transformer/inspect/transitions";
import { RegionKind, SuspendKind, TerminatorKind, type Block, type Cfg, type Op, type SuspendPoint, type Terminator } from "../../transformer/lower/cfg";

const NO_USES = new Set<number>();
const EXPR = {} as ts.Expression;
const op = (): Op => ({ node: {} as ts.Statement, uses: NO_USES, defs: NO_USES, exits: [] });
const block = (id: number, term: Terminator, ops: Op[] = [], region?: number): Block => ({ id, ops, term, region });
const suspend = (resume: number, point: number): Terminator => ({ kind: TerminatorKind.Suspend, awaited: EXPR, uses: NO_USES, resume, point });
const suspendPoint = (state: number, blockId: number, resume: number): SuspendPoint => ({
  state,
  kind: SuspendKind.Await,
  name: `S${state}`,
  block: blockId,
  resume,
  line: 1,
  column: 1,
  awaitedText: "x",
});

describe("computeTransitions", () => {
  test("a loop around one await: entry, back-edge, exit, and the rejection at resume", () => {
    // b0: await (state 3) → b1: if (c) goto b0 else b2;  b2: return
    const cfg: Cfg = {
      entry: 0,
      blocks: [
        block(0, suspend(1, 0)),
        block(1, { kind: TerminatorKind.Branch, test: EXPR, uses: NO_USES, then: 0, else: 2 }, [op()]),
        block(2, { kind: TerminatorKind.Return, value: undefined, uses: NO_USES }),
      ],
      locals: [],
      regions: [],
      suspends: [suspendPoint(3, 0, 1)],
    };
    expect(computeTransitions(cfg)).toEqual([
      { from: 0, to: 3, kind: "normal" },
      { from: 0, to: 2, kind: "exception" },
      { from: 3, to: 3, kind: "loop" },
      { from: 3, to: 1, kind: "normal" },
      { from: 3, to: 2, kind: "exception" },
    ]);
  });

  test("an exception inside try continues in the catch body, which awaits", () => {
    // try { b0: await (3) → b1: op; return } catch { b2: op; await (4) → b3: return }
    const cfg: Cfg = {
      entry: 0,
      blocks: [
        block(0, suspend(1, 0), [], 0),
        block(1, { kind: TerminatorKind.Return, value: EXPR, uses: NO_USES }, [op()], 0),
        block(2, suspend(3, 1), [op()]),
        block(3, { kind: TerminatorKind.Return, value: undefined, uses: NO_USES }),
      ],
      locals: [],
      regions: [{ id: 0, kind: RegionKind.Catch, parent: undefined, handler: 2, completion: 0, value: undefined }],
      suspends: [suspendPoint(3, 0, 1), suspendPoint(4, 2, 3)],
    };
    expect(computeTransitions(cfg)).toEqual([
      { from: 0, to: 3, kind: "normal" },
      { from: 0, to: 4, kind: "exception" },
      { from: 0, to: 2, kind: "exception" },
      { from: 3, to: 4, kind: "exception" },
      { from: 3, to: 1, kind: "normal" },
      { from: 3, to: 2, kind: "exception" },
      { from: 4, to: 1, kind: "normal" },
      { from: 4, to: 2, kind: "exception" },
    ]);
  });
});
