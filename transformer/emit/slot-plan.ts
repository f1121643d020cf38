/**
 * Which frame stores and loads happen where (the slot plan of one machine):
 *
 *   - `clean`: per block, the locals whose slots still hold their values at its end — a suspend
 *     there skips their stores (analyze/clean-slots.ts);
 *   - `stores`: stores moved to where a local is written off the hot path, so that a loop's
 *     await can skip them (`placeEarlyStores`);
 *   - `deferred` / `loads`: fields a loop's resume leaves in the frame for the cold blocks that
 *     read them, and fields any resume leaves there because its code does not read them
 *     (`deferLoads`); `resumeLoads`: the fields each resume does load;
 *   - `storesAt`: per suspend state, the fields its suspend stores (not clean there);
 *   - `stale`: per suspend state, the dead offsets it clears;
 *   - `inPlace`: the resume blocks of a poll-mode loop's awaits, also entered in place when the
 *     awaited value is already there (emit/poll-mode.ts): the clean sets take that edge in.
 *
 * In:  the emit context (Cfg, layout, how identifiers map to locals). Out: a FrameSlots.
 */
import { cyclesOf, deferLoads, placeEarlyStores, type CleanSet, type SlotBlock } from "../analyze/clean-slots";
import { SuspendKind, TerminatorKind, handlerEdge, successorEdges, successors, terminatorUses, type Block, type BlockId, type LocalId } from "../lower/cfg";
import { BasedSet } from "../analyze/based-set";
import { fieldSetAt, fieldsOfState, holdsOffsetAt, positionOfState } from "../layout/state-layout";
import type { EmitContext } from "./emit-context";
import { frameLoadOf, lastWriteOf, readsArguments, writesOf } from "./frame-writes";

export interface FrameSlots {
  readonly clean: ReadonlyArray<CleanSet>;
  /** Block → op index → the locals stored right after that op. */
  readonly stores: ReadonlyMap<BlockId, ReadonlyMap<number, readonly LocalId[]>>;
  /** Per resume block, the fields its resume does not load… */
  readonly deferred: ReadonlyMap<BlockId, CleanSet>;
  /** …and those it loads. */
  readonly resumeLoads: ReadonlyMap<BlockId, readonly LocalId[]>;
  /** Per suspend state, the fields its suspend stores: those whose slots do not hold them there. */
  readonly storesAt: ReadonlyMap<number, readonly LocalId[]>;
  /** Per block, the locals it loads from their slots at its start. */
  readonly loads: ReadonlyMap<BlockId, readonly LocalId[]>;
  /** Per suspend state, the frame offsets it clears (`$f[i] = void 0`): dead there, maybe filled before. */
  readonly stale: ReadonlyMap<number, ReadonlySet<number>>;
  /** Resume blocks also entered in place, from their suspend (poll mode)… */
  readonly inPlace: ReadonlySet<BlockId>;
  /** …and the fields each such entry loads from their slots (see `unheldLocals`). */
  readonly inPlaceLoads: ReadonlyMap<BlockId, readonly LocalId[]>;
}

export function planFrameSlots(cx: EmitContext): FrameSlots {
  const { cfg, layout } = cx;
  const blocks = cfg.blocks.map((b) => slotBlock(cx, b));
  const starts = new Map<BlockId, ReadonlySet<LocalId>>([[cfg.entry, new Set()]]);
  // (One set per state, read by both: the resume starts with what its suspend kept. Each is
  // asked local by local, never spelled out on the straight path: layout/state-layout.ts.)
  const kept = new Map(cfg.suspends.map((sp, position) => [sp.state, fieldSetAt(layout, position)]));
  for (const sp of cfg.suspends) starts.set(sp.resume, kept.get(sp.state)!);
  const suspends = cfg.suspends.map((sp) => ({ block: sp.block, kept: kept.get(sp.state)!, resume: sp.resume }));
  const inPlace = inPlaceResumes(cx, blocks);
  const plan = placeEarlyStores(blocks, starts, suspends, layout.offsetOf, inPlace);
  const storesAt = dirtyFields(cx, plan.clean, kept);
  const { deferred, resumeLoads, loads } = deferLoads(blocks, starts, suspends, plan, new Map(cfg.suspends.map((sp) => [sp.block, storesAt.get(sp.state)!])));
  const inPlaceLoads = unheldLocals(cx, blocks, inPlace, deferred, loads);
  // A field to load must be clean at the suspend (its slot holds it). It always is — a path that
  // left it in the frame made the suspend store it, or its resume would not have deferred it —
  // but should that ever fail, the await simply does not continue in place (the plan made with
  // the edge holds without it: it only has more paths).
  for (const sp of cx.cfg.suspends) {
    if (inPlace.has(sp.resume) && !inPlaceLoads.get(sp.resume)!.every((l) => plan.clean[sp.block].has(l))) {
      inPlace.delete(sp.resume);
      inPlaceLoads.delete(sp.resume);
    }
  }
  return { clean: plan.clean, stores: plan.stores, deferred, resumeLoads, storesAt, loads, stale: staleOffsets(cx, plan.stores), inPlace, inPlaceLoads };
}

/**
 * Per suspend state, the fields its suspend stores: those not clean at its block's end. Where
 * that clean set is the previous state's fields with changes (its resume runs straight to this
 * suspend: analyze/based-set.ts), only the changes are looked at — the fields whose live
 * interval begins at this state, and those the code since the resume wrote — one step per
 * change, not one per field.
 */
function dirtyFields(cx: EmitContext, clean: ReadonlyArray<CleanSet>, kept: ReadonlyMap<number, ReadonlySet<LocalId>>): Map<number, LocalId[]> {
  const { cfg, layout } = cx;
  const beginsAt: LocalId[][] = layout.states.map(() => []);
  for (const [local, runs] of layout.runsOf) for (let i = 0; i < runs.length; i += 2) beginsAt[runs[i]].push(local);
  const out = new Map<number, LocalId[]>();
  cfg.suspends.forEach((sp, position) => {
    const at = clean[sp.block];
    const fields = kept.get(sp.state)!;
    const previous = position > 0 ? kept.get(cfg.suspends[position - 1].state) : undefined;
    if (at instanceof BasedSet && previous !== undefined && at.base === previous) {
      const dirty = [...at.minus].filter((x) => fields.has(x));
      for (const x of beginsAt[position]) if (!at.plus.has(x)) dirty.push(x);
      out.set(sp.state, dirty);
    } else
      out.set(
        sp.state,
        [...fields].filter((x) => !at.has(x)),
      );
  });
  return out;
}

/**
 * For each in-place resume, the fields its resume loads whose locals may not hold their values
 * at its suspend: forward, union at joins, the locals that may still be only in the frame —
 * those a resume left there (`deferred`), until an op surely writes them or a block loads them.
 * The entry holds every local (its parameter loads come first); an in-place entry holds every
 * field its resume loads (what was unheld is loaded there).
 */
function unheldLocals(
  cx: EmitContext,
  blocks: readonly SlotBlock[],
  inPlace: ReadonlySet<BlockId>,
  deferred: ReadonlyMap<BlockId, CleanSet>,
  coldLoads: ReadonlyMap<BlockId, readonly LocalId[]>,
): Map<BlockId, LocalId[]> {
  const { cfg, layout } = cx;
  const out = new Map<BlockId, LocalId[]>();
  if (inPlace.size === 0) return out;
  const unheldIn: Array<Set<LocalId> | undefined> = cfg.blocks.map(() => undefined);
  const loadedAt = new Map<BlockId, ReadonlySet<LocalId>>();
  const work: BlockId[] = [];
  const queued = new Set<BlockId>();
  const meet = (to: BlockId, from: Iterable<LocalId>, defs?: ReadonlySet<LocalId>): void => {
    let current = unheldIn[to];
    let changed = false;
    if (current === undefined) {
      current = unheldIn[to] = new Set();
      changed = true;
    }
    for (const l of from) {
      if (defs?.has(l) || current.has(l)) continue;
      current.add(l);
      changed = true;
    }
    if (changed && !queued.has(to)) {
      queued.add(to);
      work.push(to);
    }
  };
  meet(cfg.entry, []);
  for (const sp of cfg.suspends) {
    const left: CleanSet = deferred.get(sp.resume) ?? new Set<LocalId>();
    loadedAt.set(
      sp.resume,
      new Set(
        fieldsOfState(layout, sp.state)!
          .map(([l]) => l)
          .filter((l) => !left.has(l)),
      ),
    );
    meet(sp.resume, left);
  }
  while (work.length > 0) {
    const b = work.shift()!;
    queued.delete(b);
    const unheld = new Set(unheldIn[b]);
    for (const l of coldLoads.get(b) ?? []) unheld.delete(l);
    const slot = blocks[b];
    if (slot.handler) meet(slot.handler.block, unheld, slot.handler.defs);
    cfg.blocks[b].ops.forEach((op, i) => {
      for (const e of op.exits) meet(e.block, unheld, e.defs);
      for (const d of op.defs) unheld.delete(d);
      for (const l of slot.ops[i].loads ?? []) unheld.delete(l);
    });
    const term = cfg.blocks[b].term;
    if (term.kind === TerminatorKind.Suspend) {
      if (!inPlace.has(term.resume)) continue;
      const loaded = loadedAt.get(term.resume)!;
      out.set(
        term.resume,
        [...loaded].filter((l) => unheld.has(l)),
      );
      meet(
        term.resume,
        [...unheld].filter((l) => !loaded.has(l)),
      );
      continue;
    }
    for (const e of slot.successors) meet(e.block, unheld, e.defs);
  }
  for (const r of inPlace) if (!out.has(r)) out.set(r, []);
  return out;
}

/**
 * The awaits a poll-mode machine may continue past in place: those in a loop (where a run of
 * ready values is common and every suspend saved counts). Elsewhere the driver continues as fast
 * once, and the resume function keeps its straight `switch` without a dispatch loop.
 */
function inPlaceResumes(cx: EmitContext, blocks: readonly SlotBlock[]): Set<BlockId> {
  const out = new Set<BlockId>();
  if (!cx.input.poll || cx.input.fn.asteriskToken) return out; // a generator's awaits are its native driver's
  const cyclic = cyclesOf(blocks);
  for (const sp of cx.cfg.suspends) if (sp.kind === SuspendKind.Await && cyclic.has(sp.block)) out.add(sp.resume);
  return out;
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
 * from (directly, with no suspend between) kept. Those offsets, less k's own fields, are
 * cleared — nothing dead stays reachable, and no store is spent on a slot already empty.
 *
 * Only the offsets that change are visited where a resume runs straight to the next state's
 * suspend: those whose live interval ends at the state (layout/state-layout.ts) — the output and
 * the work grow with the changes, not with states × frame size.
 */
function staleOffsets(cx: EmitContext, stores: FrameSlots["stores"]): Map<number, Set<number>> {
  const { cfg, layout } = cx;
  const stale = new Map<number, Set<number>>();
  for (const sp of cfg.suspends) stale.set(sp.state, new Set());
  // Per state position, the offsets no longer held at the next position.
  const endsAt: number[][] = layout.states.map(() => []);
  layout.occupied.forEach((runs, offset) => {
    for (let i = 1; i < runs.length; i += 2) endsAt[runs[i]].push(offset);
  });
  // Parameters passed in the frame fill its first offsets before the first suspend.
  const params = Array.from({ length: cx.input.paramsInFrame ?? 0 }, (_, i) => i);
  const fieldOffsets = (state: number): number[] => fieldsOfState(layout, state)?.map(([, o]) => o) ?? [];
  // Each start: its block, the state position it resumes (-1: none), the offsets it may have filled.
  const starts: Array<[BlockId, number, () => number[]]> = [[cfg.entry, -1, () => params]];
  for (const sp of cfg.suspends) starts.push([sp.resume, positionOfState(layout, sp.state), () => fieldOffsets(sp.state)]);
  // A store moved to where a local is written fills its slot from there on.
  for (const [block, at] of stores) starts.push([block, -1, () => [...at.values()].flat().map((l) => layout.offsetOf.get(l)!)]);
  for (const [start, position, kept] of starts) {
    const seen = new Set<BlockId>();
    const work = [start];
    while (work.length) {
      const id = work.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const b = cfg.blocks[id];
      if (b.term.kind === TerminatorKind.Suspend) {
        const target = stale.get(b.term.point)!;
        const at = positionOfState(layout, b.term.point);
        if (position >= 0 && at === position + 1) for (const o of endsAt[position]) target.add(o);
        else for (const o of kept()) if (!holdsOffsetAt(layout, o, at)) target.add(o);
        continue;
      }
      work.push(...successors(b.term));
      for (const op of b.ops) work.push(...op.exits.map((e) => e.block));
      if (b.region !== undefined) work.push(cfg.regions[b.region].handler);
    }
  }
  return stale;
}
