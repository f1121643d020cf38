/**
 * Which frame stores and loads happen where (the slot plan of one machine):
 *
 *   - `clean`: per block, the locals whose slots still hold their values at its end — a suspend
 *     there skips their stores (analyze/clean-slots.ts);
 *   - `stores`: stores moved to where a local is written off the hot path, so that a loop's
 *     await can skip them (`placeEarlyStores`);
 *   - `deferred` / `loads`: fields a loop's resume leaves in the frame for the cold blocks that
 *     read them, and fields any resume leaves there because its code does not read them
 *     (`deferLoads`);
 *   - `stale`: per suspend state, the dead offsets it clears.
 *
 * In:  the emit context (Cfg, layout, how identifiers map to locals). Out: a FrameSlots.
 */
import { deferLoads, placeEarlyStores, type SlotBlock } from "../analyze/clean-slots";
import { TerminatorKind, handlerEdge, successorEdges, successors, terminatorUses, type Block, type BlockId, type LocalId } from "../lower/cfg";
import { fieldsOfState } from "../layout/state-layout";
import type { EmitContext } from "./emit-context";
import { frameLoadOf, lastWriteOf, readsArguments, writesOf } from "./frame-writes";

export interface FrameSlots {
  readonly clean: ReadonlyArray<ReadonlySet<LocalId>>;
  /** Block → op index → the locals stored right after that op. */
  readonly stores: ReadonlyMap<BlockId, ReadonlyMap<number, readonly LocalId[]>>;
  /** Per resume block, the fields its resume does not load. */
  readonly deferred: ReadonlyMap<BlockId, ReadonlySet<LocalId>>;
  /** Per block, the locals it loads from their slots at its start. */
  readonly loads: ReadonlyMap<BlockId, readonly LocalId[]>;
  /** Per suspend state, the frame offsets it clears (`$f[i] = void 0`). */
  readonly stale: ReadonlyMap<number, ReadonlySet<number>>;
}

export function planFrameSlots(cx: EmitContext): FrameSlots {
  const { cfg, layout } = cx;
  const blocks = cfg.blocks.map((b) => slotBlock(cx, b));
  const starts = new Map<BlockId, Set<LocalId>>([[cfg.entry, new Set()]]);
  const fieldsOf = (state: number): Set<LocalId> => new Set(fieldsOfState(layout, state)!.map(([l]) => l));
  for (const sp of cfg.suspends) starts.set(sp.resume, fieldsOf(sp.state));
  const suspends = cfg.suspends.map((sp) => ({ block: sp.block, kept: fieldsOf(sp.state), resume: sp.resume }));
  const plan = placeEarlyStores(blocks, starts, suspends, layout.offsetOf);
  const { deferred, loads } = deferLoads(blocks, starts, suspends, plan);
  return { clean: plan.clean, stores: plan.stores, deferred, loads, stale: staleOffsets(cx, plan.stores) };
}

/** A block as the slot analyses see it: what each op writes, loads and may jump to. */
function slotBlock(cx: EmitContext, b: Block): SlotBlock {
  const { cfg, layout } = cx;
  const term = b.term;
  const termWrites = new Set<LocalId>();
  // (A throw's or return's expression may assign too, before an exception reaches the handler.)
  if (term.kind === TerminatorKind.Branch) writesOf(cx, term.test, termWrites);
  else if (term.kind === TerminatorKind.Suspend) writesOf(cx, term.awaited, termWrites);
  else if (term.kind === TerminatorKind.Throw || term.kind === TerminatorKind.Return) writesOf(cx, term.value, termWrites);
  return {
    ops: b.ops.map((op) => {
      const load = frameLoadOf(cx, op.node);
      return {
        writes: writesOf(cx, op.node, new Set(op.defs)),
        loads: load !== undefined && layout.offsetOf.has(load) ? new Set([load]) : undefined,
        exits: op.exits,
        // (Parameters are bound at the entry; only an exception reads `lastWrite`.)
        readsFrame: b.id === cfg.entry && cx.input.paramsInFrame !== undefined && readsArguments(cx, op.node),
        lastWrite: b.region !== undefined ? lastWriteOf(cx, op.node) : undefined,
      };
    }),
    termWrites,
    reads: upwardReads(b),
    successors: successorEdges(term),
    handler: handlerEdge(cfg, b),
  };
}

/** The locals `b` reads before it surely writes them: its ops in order, then its terminator. */
function upwardReads(b: Block): Set<LocalId> {
  const reads = new Set<LocalId>();
  const written = new Set<LocalId>();
  for (const op of b.ops) {
    for (const u of op.uses) if (!written.has(u)) reads.add(u);
    for (const d of op.defs) written.add(d);
  }
  for (const u of terminatorUses(b.term)) if (!written.has(u)) reads.add(u);
  return reads;
}

/**
 * Dead slots to clear at each suspend: every suspend clears what it does not keep, so what can
 * still be in the frame when the machine reaches suspend k is only what the suspends it can come
 * from (directly, with no suspend between) kept. Those offsets, minus k's own fields, are
 * cleared — nothing dead stays reachable, and no store is spent on a slot already empty.
 */
function staleOffsets(cx: EmitContext, stores: FrameSlots["stores"]): Map<number, Set<number>> {
  const { cfg, layout } = cx;
  const stale = new Map<number, Set<number>>();
  const fieldsOf = (state: number): number[] => fieldsOfState(layout, state)?.map(([, o]) => o) ?? [];
  for (const sp of cfg.suspends) stale.set(sp.state, new Set());
  // Parameters passed in the frame fill its first offsets before the first suspend.
  const params = Array.from({ length: cx.input.paramsInFrame ?? 0 }, (_, i) => i);
  const starts: Array<[BlockId, number[]]> = [[cfg.entry, params], ...cfg.suspends.map((sp): [BlockId, number[]] => [sp.resume, fieldsOf(sp.state)])];
  // A store moved to where a local is written fills its slot from there on.
  for (const [block, at] of stores) starts.push([block, [...at.values()].flat().map((l) => layout.offsetOf.get(l)!)]);
  for (const [start, kept] of starts) {
    const seen = new Set<BlockId>();
    const work = [start];
    while (work.length) {
      const id = work.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const b = cfg.blocks[id];
      if (b.term.kind === TerminatorKind.Suspend) {
        for (const o of kept) stale.get(b.term.point)!.add(o);
        continue;
      }
      work.push(...successors(b.term));
      for (const op of b.ops) work.push(...op.exits.map((e) => e.block));
      if (b.region !== undefined) work.push(cfg.regions[b.region].handler);
    }
  }
  return stale;
}
