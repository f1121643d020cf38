/**
 * Finds the frame slots a suspend need not store: those that already hold their local's value.
 *
 * A local lives at one offset of the frame in every state it is kept across
 * (layout/state-layout.ts). When the machine resumes in state S it loads S's fields from the
 * frame; until something writes the local again, its slot still holds its value, and a later
 * suspend that keeps the local can skip the store. Loops are where this pays: a loop's bound,
 * the objects it works on, a total updated only on a rare path are loaded at every resume and
 * were stored again at every await. Parameters passed in the frame start out in their slots too.
 *
 * In:  blocks — each op's may-writes (every local the op may assign, conditionally or not) and
 *      the locals it sets from their own slot (a parameter read from the frame); what the
 *      terminator's expression may write; successors; the blocks a kept statement may jump to;
 *      the handler of the block's region. `starts`: blocks the machine enters from the frame (a
 *      state's resume block with that state's fields; the entry, with none).
 * Out: per block, the locals whose slots hold their values at the block's end (after the
 *      terminator's expression) on every path to it.
 *
 * Forward dataflow, intersection at joins, to a fixed point. An exception may leave a block
 * after any of its writes and before any of its loads, so a handler gets only what the block
 * may not write at all. Edges that write locals (a finally handing its completion on, a handler's entry)
 * remove those. Only suspends store to the frame, and a path from a start to a suspend passes
 * no other suspend, so no other store can have changed a slot on the way.
 *
 * Invariant: a local reported clean at a suspend has, on every path, been loaded from (or
 * stored to) its slot and not assigned since.
 */

import type { FlowEdge, LocalSet } from "./liveness";

export interface SlotOp {
  /** Locals the op may assign (a superset of what it surely writes). */
  readonly writes: LocalSet;
  /** Locals the op sets to the value in their own slot (after `writes` are applied). */
  readonly loads?: LocalSet;
  readonly exits: readonly FlowEdge[];
}

export interface SlotBlock {
  readonly ops: readonly SlotOp[];
  /** Locals the terminator's expression (a branch test, the awaited value…) may assign. */
  readonly termWrites: LocalSet;
  readonly successors: readonly FlowEdge[];
  readonly handler?: { readonly block: number; readonly defs: LocalSet };
}

export function computeCleanSlots(blocks: readonly SlotBlock[], starts: ReadonlyMap<number, LocalSet>): ReadonlyArray<ReadonlySet<number>> {
  // undefined = not reached yet (the top of the lattice: everything clean).
  const cleanIn: Array<Set<number> | undefined> = blocks.map((_, b) => (starts.has(b) ? new Set(starts.get(b)) : undefined));
  const cleanOut: Array<Set<number>> = blocks.map(() => new Set());
  const meet = (to: number, from: ReadonlySet<number>, defs: LocalSet | undefined): boolean => {
    if (starts.has(to)) return false; // entered from the frame: its set is fixed
    const incoming = defs === undefined ? from : new Set([...from].filter((x) => !defs.has(x)));
    const current = cleanIn[to];
    if (current === undefined) {
      cleanIn[to] = new Set(incoming);
      return true;
    }
    let changed = false;
    for (const x of current) {
      if (!incoming.has(x)) {
        current.delete(x);
        changed = true;
      }
    }
    return changed;
  };
  const work: number[] = [...starts.keys()];
  const queued = new Set(work);
  while (work.length > 0) {
    const b = work.shift()!;
    queued.delete(b);
    const block = blocks[b];
    const clean = new Set(cleanIn[b]);
    const targets: Array<[number, ReadonlySet<number>, LocalSet | undefined]> = [];
    for (const op of block.ops) {
      for (const w of op.writes) clean.delete(w);
      if (op.loads) for (const l of op.loads) clean.add(l);
      for (const exit of op.exits) targets.push([exit.block, new Set(clean), exit.defs]);
    }
    for (const w of block.termWrites) clean.delete(w);
    cleanOut[b] = clean;
    for (const edge of block.successors) targets.push([edge.block, clean, edge.defs]);
    if (block.handler) {
      // An exception may leave after any write and before any load: only what no op of the
      // block may write was clean all along.
      const all = new Set(cleanIn[b]);
      for (const op of block.ops) for (const w of op.writes) all.delete(w);
      for (const w of block.termWrites) all.delete(w);
      targets.push([block.handler.block, all, block.handler.defs]);
    }
    for (const [to, set, defs] of targets) {
      if (meet(to, set, defs) && !queued.has(to)) {
        queued.add(to);
        work.push(to);
      }
    }
  }
  return cleanOut;
}
