/**
 * Computes which locals must be kept in the machine at each suspend point.
 *
 * In:  a flow graph — blocks of ops with the locals each op reads (`uses`) and surely writes
 *      (`defs`), each block's successors, the blocks a kept statement may jump to (`exits`), and
 *      the exception handler the block's region continues at (with the locals the handler's
 *      entry writes itself, such as the caught exception).
 * Out: `liveIn` per block; for each suspend point, the locals live across it: live at the start
 *      of the block the machine resumes in.
 *
 * Backward dataflow to a fixed point (the classic equations, with exception edges):
 *     liveOut(B) = ∪ liveIn(S) over successors S
 *     liveIn(B)  = uses before defs, walking ops backward from liveOut(B) ∪ uses(terminator)
 *                  ∪ (liveIn(handler(B)) − handlerDefs)   — an exception may leave B anywhere
 * Conservative where it must be: a kept statement's writes count as reads unless the lowering
 * knows the write is unconditional, so a value is never dropped while it may still be read.
 *
 * Invariant: a local that is not live at any suspend point never gets a slot in the frame.
 * Example: fixtures/basic/dead-before-await (the buffer is not saved).
 */

export type LocalSet = ReadonlySet<number>;

export interface FlowOp {
  readonly uses: LocalSet;
  readonly defs: LocalSet;
  readonly exits: readonly FlowEdge[];
}

/** An edge to a successor; `defs` are locals the edge itself writes (a finally's end handing its completion on). */
export interface FlowEdge {
  readonly block: number;
  readonly defs?: LocalSet;
}

export interface FlowBlock {
  readonly ops: readonly FlowOp[];
  /** Locals the terminator reads (branch test, awaited expression, returned value…). */
  readonly termUses: LocalSet;
  readonly successors: readonly FlowEdge[];
  /** The handler an exception in this block continues at. */
  readonly handler?: { readonly block: number; readonly defs: LocalSet };
}

export interface Liveness {
  readonly liveIn: ReadonlyArray<ReadonlySet<number>>;
}

export function computeLiveness(blocks: readonly FlowBlock[]): Liveness {
  const liveIn: Set<number>[] = blocks.map(() => new Set<number>());
  // Each block's set is built in one scratch set and copied (in the same order) only when it
  // changed: the last round, which only confirms the fixed point, allocates nothing.
  const live = new Set<number>();
  let changed = true;
  while (changed) {
    changed = false;
    for (let b = blocks.length - 1; b >= 0; b--) {
      const block = blocks[b];
      live.clear();
      for (const edge of block.successors) for (const x of liveIn[edge.block]) if (!edge.defs?.has(x)) live.add(x);
      for (const u of block.termUses) live.add(u);
      for (let i = block.ops.length - 1; i >= 0; i--) {
        const op = block.ops[i];
        for (const d of op.defs) live.delete(d);
        for (const u of op.uses) live.add(u);
        for (const e of op.exits) for (const x of liveIn[e.block]) if (!e.defs?.has(x)) live.add(x);
      }
      if (block.handler) {
        for (const x of liveIn[block.handler.block]) if (!block.handler.defs.has(x)) live.add(x);
      }
      if (!sameSet(live, liveIn[b])) {
        liveIn[b] = new Set(live);
        changed = true;
      }
    }
  }
  return { liveIn };
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
