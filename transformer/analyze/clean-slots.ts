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
 * Forward dataflow, intersection at joins, to a fixed point. An exception may leave an op
 * after any of its writes (unless the write is the op's last action) and before its loads and
 * stores, so a handler gets what was clean inside every op of the block. Edges that write
 * locals (a finally handing its completion on, a handler's entry) remove those. Only suspends
 * and the stores `placeEarlyStores` adds write the frame, and a path from a start to a suspend
 * passes no other suspend; an added store makes its local clean and every other local at that
 * offset dirty.
 *
 * A resume block may also be entered in place (`inPlace`, poll mode: an await of a value already
 * there continues without suspending, skipping the suspend's stores and the resume's loads): its
 * suspend's edge then meets it too, so its set is its fields less what was dirty at the suspend.
 *
 * On top of it, two placements that move frame traffic off the hot path of loops:
 * `placeEarlyStores` (store a local where it is written outside the loop, not at the loop's
 * await) and `deferLoads` (load a field where cold code reads it, not at the loop's resume).
 *
 * Invariant: a local reported clean at a point has, on every path, been loaded from (or stored
 * to) its slot and not assigned since — its slot holds its current value there.
 */

import { BasedSet } from "./based-set";
import type { FlowEdge, LocalSet } from "./liveness";

export interface SlotOp {
  /** Locals the op may assign (a superset of what it surely writes). */
  readonly writes: LocalSet;
  /** Locals the op sets to the value in their own slot (after `writes` are applied). */
  readonly loads?: LocalSet;
  readonly exits: readonly FlowEdge[];
  /** Locals stored to their slots right after the op (on its normal end, not its exits). */
  readonly stores?: LocalSet;
  /** Locals whose slots those stores overwrite (others sharing the offset). */
  readonly clobbers?: LocalSet;
  /** The op reads the frame itself (a parameter passed in it): no store may be moved before it. */
  readonly readsFrame?: boolean;
  /** A local the op writes as its very last action (`x = e`, `x += e`, `x++` with `e` not writing x): if the op throws, not yet written. */
  readonly lastWrite?: number;
}

export interface SlotBlock {
  readonly ops: readonly SlotOp[];
  /** Locals the block reads before it surely writes them (its ops and terminator), for `deferLoads`. */
  readonly reads?: LocalSet;
  /** Locals the terminator's expression (a branch test, the awaited value…) may assign. */
  readonly termWrites: LocalSet;
  readonly successors: readonly FlowEdge[];
  readonly handler?: { readonly block: number; readonly defs: LocalSet };
}

/** What is clean at a point: asked local by local, spelled out only for tests and joins. */
export interface CleanSet extends Iterable<number> {
  has(local: number): boolean;
}

export function computeCleanSlots(blocks: readonly SlotBlock[], starts: ReadonlyMap<number, LocalSet>, inPlace?: ReadonlySet<number>): ReadonlyArray<CleanSet> {
  return cleanSets(blocks, starts, inPlace).cleanOut;
}

/**
 * The clean sets at each block's start (empty where unreached) and end. Each set is kept as its
 * differences from the start set it came from (based-set.ts), so following a resume through
 * blocks and edges costs what changes, not the state's whole frame.
 */
function cleanSets(
  blocks: readonly SlotBlock[],
  starts: ReadonlyMap<number, LocalSet>,
  inPlace: ReadonlySet<number> | undefined,
): { cleanIn: ReadonlyArray<CleanSet>; cleanOut: ReadonlyArray<CleanSet> } {
  // undefined = not reached yet (the top of the lattice: everything clean).
  const cleanIn: Array<BasedSet | undefined> = blocks.map((_, b) => (starts.has(b) ? new BasedSet(starts.get(b)) : undefined));
  const cleanOut: Array<BasedSet> = blocks.map(() => new BasedSet(undefined));
  const meet = (to: number, from: BasedSet, defs: LocalSet | undefined): boolean => {
    if (starts.has(to) && inPlace?.has(to) !== true) return false; // entered from the frame only: its set is fixed
    let incoming = from;
    if (defs !== undefined && defs.size > 0) {
      incoming = from.copy();
      for (const d of defs) incoming.delete(d);
    }
    const current = cleanIn[to];
    if (current === undefined) {
      cleanIn[to] = incoming === from ? from.copy() : incoming;
      return true;
    }
    return current.retainOnly(incoming);
  };
  const work: number[] = [...starts.keys()];
  const queued = new Set(work);
  while (work.length > 0) {
    const b = work.shift()!;
    queued.delete(b);
    const block = blocks[b];
    const clean = cleanIn[b]!.copy();
    const targets: Array<[number, BasedSet, LocalSet | undefined]> = [];
    // What is clean wherever an exception may leave the block: inside any op, after its writes
    // may have happened and before its loads and stores.
    const whileThrowing = clean.copy();
    for (const op of block.ops) {
      for (const w of op.writes) if (w !== op.lastWrite) whileThrowing.delete(w);
      whileThrowing.retainOnly(clean);
      for (const w of op.writes) clean.delete(w);
      if (op.loads) for (const l of op.loads) clean.add(l);
      for (const exit of op.exits) targets.push([exit.block, clean.copy(), exit.defs]);
      if (op.clobbers) for (const c of op.clobbers) clean.delete(c);
      if (op.stores) for (const l of op.stores) clean.add(l);
    }
    whileThrowing.retainOnly(clean);
    for (const w of block.termWrites) {
      clean.delete(w);
      whileThrowing.delete(w);
    }
    cleanOut[b] = clean;
    for (const edge of block.successors) targets.push([edge.block, clean, edge.defs]);
    if (block.handler) targets.push([block.handler.block, whileThrowing, block.handler.defs]);
    for (const [to, set, defs] of targets) {
      if (meet(to, set, defs) && !queued.has(to)) {
        queued.add(to);
        work.push(to);
      }
    }
  }
  const empty = new BasedSet(undefined);
  return { cleanIn: cleanIn.map((x) => x ?? empty), cleanOut };
}

export interface SuspendSlots {
  /** The block the suspend ends. */
  readonly block: number;
  /** The locals it keeps in the frame (its state's fields, loaded when it resumes). */
  readonly kept: LocalSet;
  /** The block it resumes in. */
  readonly resume?: number;
}

/** Stores placed after ops: block → op index → the locals stored after it. */
export type EarlyStores = ReadonlyMap<number, ReadonlyMap<number, readonly number[]>>;

export interface SlotPlan {
  /** Per block, the locals whose slots hold their values at its end… */
  readonly clean: ReadonlyArray<CleanSet>;
  /** …and at its start. */
  readonly cleanIn: ReadonlyArray<CleanSet>;
  readonly stores: EarlyStores;
}

/**
 * Moves the stores of locals written only off the hot path to where they are written.
 *
 * A local assigned before a loop and only read inside it (a bound, a request object, a total
 * a rare `catch` updates) is dirty at the loop's await on the first iteration — the entry wrote
 * it — so the await stores it on every iteration. Storing it to its slot right after the
 * writes that happen once (outside every loop) or only after an exception (in blocks reached
 * through a handler alone) makes it clean on every path, and the loop's await skips the store.
 *
 * Hot suspends are those in a cycle of the graph (suspend → resume edges included). For each
 * local dirty at a hot suspend, the stores after its cold writes are tried and kept when they
 * lower the number of dirty (local, hot suspend) pairs: a store overwrites every other local
 * sharing its offset, which may make one of those dirty where it was clean. Only writes whose
 * value reaches a hot suspend keeping the local (not overwritten or dropped at another suspend
 * first) get a store, and none inside a kept statement that can jump out of it (an op with exits).
 *
 * `offsetOf`: the frame offset of each local kept anywhere; `inPlace`: the resume blocks also
 * entered in place (see the header). Returns the stores and the clean sets computed with them.
 */
export function placeEarlyStores(
  blocks: readonly SlotBlock[],
  starts: ReadonlyMap<number, LocalSet>,
  suspends: readonly SuspendSlots[],
  offsetOf: ReadonlyMap<number, number>,
  inPlace?: ReadonlySet<number>,
): SlotPlan {
  const initialSets = cleanSets(blocks, starts, inPlace);
  const initial = initialSets.cleanOut;
  const cyclic = cyclesOf(blocks);
  const hot = suspends.filter((s) => cyclic.has(s.block));
  const dirtyPairs = (clean: ReadonlyArray<CleanSet>): number => {
    let n = 0;
    for (const s of hot) for (const l of s.kept) if (!clean[s.block].has(l)) n++;
    return n;
  };
  const candidates = new Set<number>();
  for (const s of hot) for (const l of s.kept) if (!initial[s.block].has(l)) candidates.add(l);
  if (candidates.size === 0) return { clean: initial, cleanIn: initialSets.cleanIn, stores: new Map() };

  const normal = normallyReached(blocks, starts);
  const cold = (b: number): boolean => !cyclic.has(b) || !normal.has(b);
  // No store before a read of the frame (the parameters, bound at the entry): not in a block
  // that leads to one, nor before the last one in its own block.
  const readers = new Set<number>();
  blocks.forEach((block, b) => {
    if (block.ops.some((op) => op.readsFrame)) readers.add(b);
  });
  const leadsToReader = new Set<number>();
  if (readers.size > 0) {
    const preds = blocks.map((): number[] => []);
    blocks.forEach((block, b) => {
      for (const to of edgesOf(block, true)) preds[to].push(b);
    });
    const work = [...readers];
    while (work.length > 0) {
      for (const from of preds[work.pop()!]) {
        if (!leadsToReader.has(from)) {
          leadsToReader.add(from);
          work.push(from);
        }
      }
    }
  }
  const firstFree = (b: number): number => {
    if (leadsToReader.has(b)) return Infinity;
    const ops = blocks[b].ops;
    for (let i = ops.length - 1; i >= 0; i--) if (ops[i].readsFrame) return i;
    return 0;
  };
  const sharing = (local: number): Set<number> => {
    const offset = offsetOf.get(local);
    const out = new Set<number>();
    for (const [other, o] of offsetOf) if (o === offset && other !== local) out.add(other);
    return out;
  };
  const chosen = new Map<number, Map<number, number[]>>();
  const withStores = (extra: Map<number, Map<number, number[]>>): SlotBlock[] =>
    blocks.map((block, b) => {
      const at = extra.get(b);
      if (at === undefined) return block;
      return {
        ...block,
        ops: block.ops.map((op, i) => {
          const locals = at.get(i);
          if (locals === undefined) return op;
          const clobbers = new Set<number>();
          for (const l of locals) for (const c of sharing(l)) clobbers.add(c);
          for (const l of locals) clobbers.delete(l);
          return { ...op, stores: new Set(locals), clobbers };
        }),
      };
    });
  // Does the value written by op `i` of block `b` reach, unwritten, a hot suspend that keeps it?
  // (A store after a write whose value is overwritten or dropped first would not help.)
  const hotKeeps = new Map<number, LocalSet>(hot.map((x) => [x.block, x.kept]));
  const suspendBlocks = new Set(suspends.map((x) => x.block));
  const reachesHotKeep = (b: number, i: number, local: number): boolean => {
    const seen = new Set<number>();
    const work: Array<[number, number]> = [[b, i + 1]];
    while (work.length > 0) {
      const [block, from] = work.pop()!;
      const { ops, handler, termWrites, successors } = blocks[block];
      if (handler && !handler.defs.has(local) && !seen.has(handler.block)) {
        seen.add(handler.block);
        work.push([handler.block, 0]);
      }
      let written = false;
      for (let k = from; k < ops.length && !written; k++) {
        if (ops[k].writes.has(local)) written = true;
        else for (const e of ops[k].exits) if (!e.defs?.has(local) && !seen.has(e.block)) (work.push([e.block, 0]), seen.add(e.block));
      }
      if (written || termWrites.has(local)) continue;
      if (suspendBlocks.has(block)) {
        if (hotKeeps.get(block)?.has(local)) return true;
        continue;
      }
      for (const e of successors) {
        if (e.defs?.has(local) || seen.has(e.block)) continue;
        seen.add(e.block);
        work.push([e.block, 0]);
      }
    }
    return false;
  };
  let best = initialSets;
  let bestDirty = dirtyPairs(initial);
  for (const local of [...candidates].sort((a, b) => a - b)) {
    if (!offsetOf.has(local)) continue;
    const trial = new Map([...chosen].map(([b, at]) => [b, new Map([...at].map(([i, ls]) => [i, [...ls]]))]));
    let placed = false;
    blocks.forEach((block, b) => {
      if (!cold(b)) return;
      const from = firstFree(b);
      block.ops.forEach((op, i) => {
        if (i < from || !op.writes.has(local) || op.exits.length > 0 || !reachesHotKeep(b, i, local)) return;
        const at = trial.get(b) ?? new Map<number, number[]>();
        trial.set(b, at);
        at.set(i, [...(at.get(i) ?? []), local]);
        placed = true;
      });
    });
    if (!placed) continue;
    const sets = cleanSets(withStores(trial), starts, inPlace);
    const dirty = dirtyPairs(sets.cleanOut);
    if (dirty < bestDirty) {
      chosen.clear();
      for (const [b, at] of trial) chosen.set(b, at);
      best = sets;
      bestDirty = dirty;
    }
  }
  return { clean: best.cleanOut, cleanIn: best.cleanIn, stores: chosen };
}

export interface DeferredLoads {
  /** Per resume block, the fields its resume does not load. */
  readonly deferred: ReadonlyMap<number, CleanSet>;
  /** Per resume block, the fields its resume loads. */
  readonly resumeLoads: ReadonlyMap<number, readonly number[]>;
  /** Per block, the locals it loads from their slots at its start. */
  readonly loads: ReadonlyMap<number, readonly number[]>;
}

/**
 * Loads taken off the hot path: a field that a loop's resume loads but that only cold code
 * reads (a `catch` body, the code after the loop) is loaded there instead, at the start of each
 * block that reads it; and a field that the code a resume runs never reads is not loaded at all.
 *
 * For a suspend and a field x of its state, the load moves when, in the code the resume
 * reaches before the next suspends (its segment): every block that reads x before writing it
 * is cold (outside every cycle, or reached only through an exception) and x's slot holds x's
 * value at its start on every path (`plan.cleanIn`) — so the load there reads what the resume
 * would have — and no suspend there stores x (a store reads x's variable, which the resume no
 * longer set). Other paths reaching such a block load a value equal to the one they hold.
 * Outside loops only fields the segment does not read at all are left in the frame: a value
 * kept across many awaits (the earlier arguments of `h(await a, await b, …)`) is then loaded
 * once, by the code that reads it, instead of at every resume — the output stays linear in
 * the number of awaits. There the work is linear too: what the segment reads and stores is
 * looked up in the state's fields, not each field in what the segment reads.
 *
 * `stores`: per suspend block, the fields it stores (those not clean there); spelled out from
 * `plan.clean` when not given.
 */
export function deferLoads(
  blocks: readonly SlotBlock[],
  starts: ReadonlyMap<number, LocalSet>,
  suspends: readonly SuspendSlots[],
  plan: SlotPlan,
  stores?: ReadonlyMap<number, readonly number[]>,
): DeferredLoads {
  const deferred = new Map<number, CleanSet>();
  const resumeLoads = new Map<number, number[]>();
  const loads = new Map<number, Set<number>>();
  const cyclic = cyclesOf(blocks);
  const normal = normallyReached(blocks, starts);
  const cold = (b: number): boolean => !cyclic.has(b) || !normal.has(b);
  const suspendAt = new Map(suspends.map((x) => [x.block, x]));
  const storedAt = (u: SuspendSlots): Iterable<number> => stores?.get(u.block) ?? [...u.kept].filter((x) => !plan.clean[u.block].has(x));
  for (const s of suspends) {
    if (s.resume === undefined) continue;
    const hot = cyclic.has(s.block);
    // What the segment reads (per local, the blocks that do) and which locals a suspend in it stores.
    const readers = new Map<number, number[]>();
    const stored = new Set<number>();
    for (const b of segmentOf(blocks, s.resume, suspendAt)) {
      const u = suspendAt.get(b);
      if (u !== undefined) for (const x of storedAt(u)) stored.add(x);
      for (const x of blocks[b].reads ?? []) (readers.get(x) ?? readers.set(x, []).get(x)!).push(b);
    }
    if (!hot) {
      const loaded = new Set<number>();
      for (const x of stored) if (s.kept.has(x)) loaded.add(x);
      for (const x of readers.keys()) if (s.kept.has(x)) loaded.add(x);
      deferred.set(s.resume, new BasedSet(s.kept, loaded));
      resumeLoads.set(s.resume, [...loaded]);
      continue;
    }
    const left = new Set<number>();
    const loaded: number[] = [];
    for (const x of s.kept) {
      const at = readers.get(x) ?? [];
      if (stored.has(x) || (at.length > 0 && !at.every((b) => cold(b) && plan.cleanIn[b].has(x)))) {
        loaded.push(x);
        continue;
      }
      left.add(x);
      for (const b of at) (loads.get(b) ?? loads.set(b, new Set()).get(b)!).add(x);
    }
    if (left.size > 0) deferred.set(s.resume, left);
    resumeLoads.set(s.resume, loaded);
  }
  return { deferred, resumeLoads, loads: new Map([...loads].map(([b, xs]) => [b, [...xs].sort((a, c) => a - c)])) };
}

/** The blocks a resume reaches before the next suspends (a suspend ends it, but an exception before it continues in the handler). */
function segmentOf(blocks: readonly SlotBlock[], resume: number, suspendAt: ReadonlyMap<number, SuspendSlots>): Set<number> {
  const segment = new Set([resume]);
  const work = [resume];
  while (work.length > 0) {
    const b = work.pop()!;
    const block = blocks[b];
    const next = suspendAt.has(b) ? edgesOf({ ...block, successors: [] }, true) : edgesOf(block, true);
    for (const to of next) {
      if (!segment.has(to)) {
        segment.add(to);
        work.push(to);
      }
    }
  }
  return segment;
}

/** `blocksInCycles`, computed once per block list (placeEarlyStores, deferLoads and the slot plan ask). */
const cycleCache = new WeakMap<readonly SlotBlock[], Set<number>>();
export function cyclesOf(blocks: readonly SlotBlock[]): Set<number> {
  let out = cycleCache.get(blocks);
  if (out === undefined) cycleCache.set(blocks, (out = blocksInCycles(blocks)));
  return out;
}

/** Every edge of a block: its successors, its ops' exits, its handler. */
function edgesOf(block: SlotBlock, withHandler: boolean): number[] {
  const out = block.successors.map((e) => e.block);
  for (const op of block.ops) for (const e of op.exits) out.push(e.block);
  if (withHandler && block.handler) out.push(block.handler.block);
  return out;
}

/** The blocks on some cycle (Tarjan's strongly connected components, iteratively). */
export function blocksInCycles(blocks: readonly SlotBlock[]): Set<number> {
  const succ = blocks.map((b) => edgesOf(b, true));
  const index = new Array<number>(blocks.length).fill(-1);
  const low = new Array<number>(blocks.length).fill(0);
  const onStack = new Array<boolean>(blocks.length).fill(false);
  const stack: number[] = [];
  const out = new Set<number>();
  let next = 0;
  for (let root = 0; root < blocks.length; root++) {
    if (index[root] !== -1) continue;
    const frames: Array<[number, number]> = [[root, 0]];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = true;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const [v, k] = frame;
      if (k < succ[v].length) {
        frame[1]++;
        const w = succ[v][k];
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = true;
          frames.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || succ[v].includes(v)) for (const c of component) out.add(c);
      }
    }
  }
  return out;
}

/** The blocks reached from the starts without taking a handler edge (not only after an exception). */
function normallyReached(blocks: readonly SlotBlock[], starts: ReadonlyMap<number, LocalSet>): Set<number> {
  const seen = new Set<number>(starts.keys());
  const work = [...seen];
  while (work.length > 0) {
    const b = work.pop()!;
    for (const to of edgesOf(blocks[b], false)) {
      if (!seen.has(to)) {
        seen.add(to);
        work.push(to);
      }
    }
  }
  return seen;
}
