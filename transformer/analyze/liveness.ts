/**
 * Computes which locals must be kept in the machine at each suspend point, as live intervals.
 *
 * In:  a flow graph — blocks of ops with the locals each op reads (`uses`) and surely writes
 *      (`defs`), each block's successors, the blocks a kept statement may jump to (`exits`), and
 *      the exception handler the block's region continues at (with the locals the handler's
 *      entry writes itself, such as the caught exception); the block each suspend resumes in, in
 *      state order (a suspend's *position*).
 * Out: per local live across some suspend, the positions it is live across, as runs
 *      (`liveRuns`, in order of first position, then local id); the live set at the start of
 *      each chain's head (`headIn`, see below).
 *
 * Backward dataflow to a fixed point (the classic equations, with exception edges):
 *     liveOut(B) = ∪ liveIn(S) over successors S
 *     liveIn(B)  = uses before defs, walking ops backward from liveOut(B) ∪ uses(terminator)
 *                  ∪ (liveIn(handler(B)) − handlerDefs)   — an exception may leave B anywhere
 * Conservative where it must be: a kept statement's writes count as reads unless the lowering
 * knows the write is unconditional, so a value is never dropped while it may still be read.
 *
 * The cost is linear in the code, not in blocks × live locals: blocks that follow each other
 * with nothing joining or leaving between (one successor, its only predecessor, the same
 * handler) form a *chain* — `h(await a, await b, …)` is one chain however many awaits it has —
 * and live sets are kept only at chain heads. Inside a chain one backward walk records where
 * each local becomes live and where it is defined: a local's run over the chain's suspends is
 * one step however many awaits it is kept across. What the handler reads is live at every
 * block of the chain (its region is the same throughout).
 *
 * Invariant: a local that is not live at any suspend point never gets a slot in the frame.
 * Example: fixtures/basic/dead-before-await (the buffer is not saved).
 */

export type LocalSet = ReadonlySet<number>;

/**
 * Live intervals: a sorted list of disjoint runs of suspend positions, flat
 * `[first, last, first, last, …]`, both ends included. A value kept across a run of consecutive
 * awaits is one run however many awaits that is.
 */
export type Runs = readonly number[];

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
  /** Per local live across some suspend, its runs of positions; in order of first position, then local id. */
  readonly liveRuns: ReadonlyMap<number, Runs>;
  /** The live set at the start of each chain's head (every block an edge other than a chain's own leads to). */
  readonly headIn: ReadonlyMap<number, LocalSet>;
  /** Per block, the block after it in its chain (-1 at a chain's end). */
  readonly next: readonly number[];
  /** Steps taken (set insertions, deletions and visits): the work done, for the scaling tests. */
  readonly work: number;
}

/** `resumes[p]`: the block the suspend at position p resumes in. */
export function computeLiveness(blocks: readonly FlowBlock[], resumes: readonly number[] = []): Liveness {
  const next = chainsOf(blocks);
  const heads = chainHeads(next);
  const headIn = new Map<number, Set<number>>(heads.map((h) => [h, new Set<number>()]));
  const counter = { work: 0 };
  const live = new Set<number>();
  // Round-robin over the chains, last first (most edges point forward), to the fixed point.
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = heads.length - 1; i >= 0; i--) {
      walkChain(blocks, next, heads[i], headIn, live, counter, undefined);
      const old = headIn.get(heads[i])!;
      counter.work += live.size;
      if (!sameSet(live, old)) {
        headIn.set(heads[i], new Set(live));
        changed = true;
      }
    }
  }
  const liveRuns = runsAtPositions(blocks, next, heads, headIn, resumes, counter);
  return { liveRuns, headIn, next, work: counter.work };
}

/**
 * Per block, the block after it in its chain, or -1: `b` continues into its only successor `c`
 * when the edge writes nothing, no op of `b` jumps elsewhere, `c` has no other predecessor (by
 * any edge) and `c`'s handler is `b`'s.
 */
function chainsOf(blocks: readonly FlowBlock[]): number[] {
  const preds = new Array<number>(blocks.length).fill(0);
  for (const b of blocks) {
    for (const e of b.successors) preds[e.block]++;
    for (const op of b.ops) for (const e of op.exits) preds[e.block]++;
    if (b.handler) preds[b.handler.block]++;
  }
  return blocks.map((b, id) => {
    if (b.successors.length !== 1 || b.ops.some((op) => op.exits.length > 0)) return -1;
    const edge = b.successors[0];
    const c = edge.block;
    if (c === id || preds[c] !== 1 || (edge.defs !== undefined && edge.defs.size > 0)) return -1;
    return sameHandler(b.handler, blocks[c].handler) ? c : -1;
  });
}

function sameHandler(a: FlowBlock["handler"], b: FlowBlock["handler"]): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.block === b.block && sameSet(a.defs, b.defs);
}

/** The first block of every chain, in block order (a cycle of chained blocks, unreachable, is cut at its lowest block). */
function chainHeads(next: readonly number[]): number[] {
  const hasPrev = new Array<boolean>(next.length).fill(false);
  for (const c of next) if (c >= 0) hasPrev[c] = true;
  const covered = new Array<boolean>(next.length).fill(false);
  const heads: number[] = [];
  const cover = (h: number): void => {
    for (let b = h; b >= 0 && !covered[b]; b = next[b]) covered[b] = true;
  };
  for (let b = 0; b < next.length; b++) if (!hasPrev[b]) (heads.push(b), cover(b));
  for (let b = 0; b < next.length; b++) if (!covered[b]) (heads.push(b), cover(b));
  return heads.sort((a, b) => a - b);
}

/** What a chain walk reports: a local became live (going backward), or was defined (it is not live before). */
interface WalkEvents {
  enter(local: number): void;
  leave(local: number): void;
  /** The walk reached the start of `block`: `live` is its live-in set. */
  blockStart(block: number): void;
}

/**
 * Walks the chain that starts at `head` backward, leaving its live-in set in `live`. The chain's
 * blocks are listed first (a chain is linked forward only).
 */
function walkChain(
  blocks: readonly FlowBlock[],
  next: readonly number[],
  head: number,
  headIn: ReadonlyMap<number, LocalSet>,
  live: Set<number>,
  counter: { work: number },
  events: WalkEvents | undefined,
): void {
  const chain: number[] = [];
  for (let b = head; b >= 0; b = next[b]) {
    chain.push(b);
    if (next[b] === head) break; // (a cut cycle)
  }
  const tail = blocks[chain[chain.length - 1]];
  // What the handler reads is live at the start of every block of the chain: never removed.
  const always = new Set<number>();
  live.clear();
  const add = (x: number): void => {
    counter.work++;
    if (live.has(x)) return;
    live.add(x);
    events?.enter(x);
  };
  const remove = (x: number): void => {
    counter.work++;
    if (always.has(x) || !live.has(x)) return;
    live.delete(x);
    events?.leave(x);
  };
  const addEdge = (edge: FlowEdge): void => {
    for (const x of headIn.get(edge.block)!) if (!edge.defs?.has(x)) add(x);
  };
  if (tail.handler) {
    for (const x of headIn.get(tail.handler.block)!) {
      if (tail.handler.defs.has(x)) continue;
      always.add(x);
      add(x);
    }
  }
  for (const edge of tail.successors) addEdge(edge);
  for (let k = chain.length - 1; k >= 0; k--) {
    const block = blocks[chain[k]];
    for (const u of block.termUses) add(u);
    for (let i = block.ops.length - 1; i >= 0; i--) {
      const op = block.ops[i];
      for (const d of op.defs) remove(d);
      for (const u of op.uses) add(u);
      for (const e of op.exits) addEdge(e);
    }
    events?.blockStart(chain[k]);
  }
}

/**
 * Each local's runs of positions, from one more walk of every chain: a local live at the start
 * of a resume block is live across its suspend. Per chain, the resume blocks met (backward) are
 * counted; a local entering the live set at count c and leaving it at count d was live across
 * those met in between — one step per entry, not one per suspend.
 */
function runsAtPositions(
  blocks: readonly FlowBlock[],
  next: readonly number[],
  heads: readonly number[],
  headIn: ReadonlyMap<number, LocalSet>,
  resumes: readonly number[],
  counter: { work: number },
): Map<number, Runs> {
  const positionOf = new Map<number, number>();
  resumes.forEach((block, position) => positionOf.set(block, position));
  const pieces = new Map<number, number[]>();
  const live = new Set<number>();
  for (const head of heads) {
    // Positions of the chain's resume blocks, backward; per index, where the run of consecutive
    // positions through it starts (its lowest index); where each local entered.
    const met: number[] = [];
    const runFrom: number[] = [];
    const enteredAt = new Map<number, number>();
    const record = (local: number, from: number, to: number): void => {
      // Backward indices from..to (to exclusive) of `met`: forward, one run per stretch of consecutive positions.
      for (let j = to - 1; j >= from;) {
        const k = Math.max(from, runFrom[j]);
        let list = pieces.get(local);
        if (list === undefined) pieces.set(local, (list = []));
        list.push(met[j], met[k]);
        counter.work++;
        j = k - 1;
      }
    };
    const events: WalkEvents = {
      enter: (x) => enteredAt.set(x, met.length),
      leave: (x) => {
        record(x, enteredAt.get(x)!, met.length);
        enteredAt.delete(x);
      },
      blockStart: (b) => {
        const p = positionOf.get(b);
        if (p === undefined) return;
        const k = met.length;
        runFrom.push(k > 0 && met[k - 1] === p + 1 ? runFrom[k - 1] : k);
        met.push(p);
      },
    };
    if (!chainHasResume(next, head, positionOf)) continue;
    walkChain(blocks, next, head, headIn, live, counter, events);
    for (const [x, from] of enteredAt) record(x, from, met.length);
  }
  return sortedRuns(pieces);
}

function chainHasResume(next: readonly number[], head: number, positionOf: ReadonlyMap<number, number>): boolean {
  for (let b = head; b >= 0; b = next[b]) {
    if (positionOf.has(b)) return true;
    if (next[b] === head) break;
  }
  return false;
}

/** Each local's pieces sorted and joined into runs; the locals in order of first position, then id. */
function sortedRuns(pieces: ReadonlyMap<number, number[]>): Map<number, Runs> {
  const out: Array<[number, number[]]> = [];
  for (const [local, flat] of pieces) {
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
    pairs.sort((a, b) => a[0] - b[0]);
    const runs: number[] = [];
    for (const [first, last] of pairs) {
      if (runs.length > 0 && runs[runs.length - 1] >= first - 1) runs[runs.length - 1] = Math.max(runs[runs.length - 1], last);
      else runs.push(first, last);
    }
    out.push([local, runs]);
  }
  out.sort((a, b) => a[1][0] - b[1][0] || a[0] - b[0]);
  return new Map(out);
}

/**
 * The live-in set of every block, spelled out (blocks × live locals: for the analyses that need
 * them block by block, and for tests). Walks each chain once more from its head's successors.
 */
export function liveInSets(blocks: readonly FlowBlock[], liveness: Liveness): Array<ReadonlySet<number>> {
  const out: Array<ReadonlySet<number>> = blocks.map(() => new Set<number>());
  const live = new Set<number>();
  const counter = { work: 0 };
  for (const head of liveness.headIn.keys()) {
    walkChain(blocks, liveness.next, head, liveness.headIn, live, counter, {
      enter: () => {},
      leave: () => {},
      blockStart: (b) => (out[b] = new Set(live)),
    });
  }
  return out;
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
