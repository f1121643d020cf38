/**
 * The shape of a resume function before any code is printed: which blocks are reached, which
 * jumps are threaded or inlined, which blocks become `case`s, their labels and their order.
 *
 * In:  the Cfg (lower/cfg.ts). Out: a ControlFlow (plain data and lookups; no TypeScript API).
 *
 *   - Jump threading: an empty block that only goes on elsewhere is skipped by every jump to it
 *     (`forward`); the entry, resume blocks and handlers keep their identity (the machine enters
 *     them by state number or through the catch dispatch).
 *   - Inlining: a block reached by exactly one terminator edge (no other jump, not a state's
 *     entry or a handler) is emitted at that jump — inside the `if` of a branch, after a `goto`.
 *     What is left are the cases: the entry, the resume blocks, handlers and join points.
 *   - Labels: the entry is 0 and the block resumed after suspend state k is k; other cases are
 *     numbered after the states, then inlined blocks that run in another exception region than
 *     the code they are inlined into (their code starts with `$l = label`).
 *   - Case order: a case whose code ends by going on to another case is followed by that case
 *     when it can be, so the jump is a fall-through. Cases come in source order (the entry, then
 *     the states), except that where the entry and a resume block go on to the same case — a
 *     loop's head — the resume block gets the fall-through: it runs at every await, the entry once.
 */
import { RESERVED_STATE_NAMES, ReservedState, TerminatorKind, successors, type Block, type BlockId, type Cfg } from "../lower/cfg";

export interface ControlFlow {
  /** The block a jump to `id` really lands on (empty goto-only blocks skipped). */
  forward(id: BlockId): BlockId;
  /** Blocks the machine can reach (through jumps, kept statements' exits and handlers). */
  readonly reachable: ReadonlySet<BlockId>;
  /** Whether a jump to `to` emits the target's code in place. */
  inlines(to: BlockId): boolean;
  /** Blocks emitted at their only jump. */
  readonly inlined: ReadonlySet<BlockId>;
  /** Inlined blocks in another exception region than their jump: they still get a label. */
  readonly crossRegion: ReadonlySet<BlockId>;
  /** The label of a case block (or of a cross-region inlined block). */
  label(block: BlockId): number;
  /** `Unresumed`, `Returned`, `Panicked`, then one name per suspend state. */
  readonly stateNames: readonly string[];
  /** The case blocks in the order the switch lists them. */
  readonly caseOrder: readonly Block[];
}

export function planControlFlow(cfg: Cfg): ControlFlow {
  const special = new Set<BlockId>([cfg.entry, ...cfg.suspends.map((s) => s.resume), ...cfg.regions.map((r) => r.handler)]);
  // Each block's landing place, remembered for every block of the chain walked: the joins of
  // a long else-if chain go on to one another, and walking the rest of the chain from each
  // would be quadratic in its length.
  const landing = new Map<BlockId, BlockId>();
  const forward = (id: BlockId): BlockId => {
    const known = landing.get(id);
    if (known !== undefined) return known;
    const path: BlockId[] = [];
    const seen = new Set<BlockId>();
    let b = cfg.blocks[id];
    while (!special.has(b.id) && b.ops.length === 0 && b.term.kind === TerminatorKind.Goto && !seen.has(b.id)) {
      const next = landing.get(b.id);
      if (next !== undefined) {
        b = cfg.blocks[next];
        break;
      }
      seen.add(b.id);
      path.push(b.id);
      b = cfg.blocks[b.term.target];
    }
    // (A cycle of empty blocks lands where each walk first comes back: not shared.)
    if (!seen.has(b.id)) for (const p of path) landing.set(p, b.id);
    return b.id;
  };
  const reachable = reachableBlocks(cfg, forward);

  const predecessors = new Map<BlockId, number>();
  const exitTargets = new Set<BlockId>();
  for (const b of cfg.blocks) {
    if (!reachable.has(b.id)) continue;
    for (const s of successors(b.term)) predecessors.set(forward(s), (predecessors.get(forward(s)) ?? 0) + 1);
    for (const op of b.ops) for (const e of op.exits) exitTargets.add(forward(e.block));
  }
  const canInline = (t: BlockId): boolean => !special.has(t) && !exitTargets.has(t) && predecessors.get(t) === 1;
  const jumper = new Map<BlockId, BlockId>();
  for (const b of cfg.blocks) {
    if (!reachable.has(b.id)) continue;
    for (const s of successors(b.term)) if (canInline(forward(s))) jumper.set(forward(s), b.id);
  }
  const inlined = new Set<BlockId>();
  const crossRegion = new Set<BlockId>();
  const chainLengths = new Map<BlockId, number>();
  for (const [t, from] of jumper) {
    // A chain of inlined blocks nests the code (and the emitter's recursion) once per block:
    // every MAX_INLINE_CHAIN-th block of a chain stays a case.
    if (inlineChainLength(t, jumper, chainLengths) % MAX_INLINE_CHAIN === 0) continue;
    inlined.add(t);
    if (cfg.blocks[t].region !== cfg.blocks[from].region) crossRegion.add(t);
  }
  const inlines = (to: BlockId): boolean => inlined.has(forward(to));
  const caseBlocks = cfg.blocks.filter((b) => reachable.has(b.id) && !inlined.has(b.id));

  const labelOf = new Map<BlockId, number>();
  labelOf.set(cfg.entry, ReservedState.Unresumed);
  for (const s of cfg.suspends) labelOf.set(s.resume, s.state);
  let nextLabel = ReservedState.FirstSuspend + cfg.suspends.length;
  for (const b of caseBlocks) if (!labelOf.has(b.id)) labelOf.set(b.id, nextLabel++);
  for (const b of cfg.blocks) if (crossRegion.has(b.id)) labelOf.set(b.id, nextLabel++);
  const label = (block: BlockId): number => labelOf.get(block)!;
  const stateNames = [...RESERVED_STATE_NAMES, ...cfg.suspends.map((s) => s.name)];

  const flow = { forward, reachable, inlines, inlined, crossRegion, label, stateNames };
  return { ...flow, caseOrder: orderCases(cfg, caseBlocks, flow) };
}

/** Blocks in a row that are each the only jump target of the one before. */
const MAX_INLINE_CHAIN = 64;

/** How many blocks end at `t` in a chain of only jumps (`t` included); `known` caches the answers. */
function inlineChainLength(t: BlockId, jumper: ReadonlyMap<BlockId, BlockId>, known: Map<BlockId, number>): number {
  const chain: BlockId[] = [];
  const onChain = new Set<BlockId>();
  let n = 0;
  for (let b: BlockId | undefined = t; b !== undefined; b = jumper.get(b)) {
    const k = known.get(b);
    if (k !== undefined) {
      n = k;
      break;
    }
    if (onChain.has(b)) break;
    onChain.add(b);
    chain.push(b);
  }
  for (let i = chain.length - 1; i >= 0; i--) known.set(chain[i], ++n);
  return n;
}

/** Every block reachable from the entry, jumps threaded. */
function reachableBlocks(cfg: Cfg, forward: (id: BlockId) => BlockId): Set<BlockId> {
  const seen = new Set<BlockId>();
  const work = [cfg.entry];
  const regionHandlers = (b: Block): BlockId[] => (b.region !== undefined ? [cfg.regions[b.region].handler] : []);
  while (work.length) {
    const id = work.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const b = cfg.blocks[id];
    for (const s of successors(b.term)) work.push(forward(s));
    for (const op of b.ops) work.push(...op.exits.map((e) => forward(e.block)));
    work.push(...regionHandlers(b));
  }
  return seen;
}

/** The cases in switch order: chains of fall-throughs, resume chains first to a shared head (see the header). */
function orderCases(cfg: Cfg, caseBlocks: readonly Block[], flow: Omit<ControlFlow, "caseOrder">): Block[] {
  const { forward, inlines, inlined, label, stateNames } = flow;
  /** The case a block's code ends by going to (through the blocks it inlines), if any. */
  const tailOf = (b: Block): BlockId | undefined => {
    const term = b.term;
    const to = term.kind === TerminatorKind.Goto ? term.target : term.kind === TerminatorKind.Branch ? term.else : term.kind === TerminatorKind.EndFinally ? term.next : undefined;
    if (to === undefined) return undefined;
    return inlines(to) ? tailOf(cfg.blocks[forward(to)]) : forward(to);
  };
  const isResume = (b: Block): boolean => label(b.id) >= ReservedState.FirstSuspend && label(b.id) < stateNames.length;
  const order: Block[] = [];
  const placed = new Set<BlockId>();
  const roots = [...caseBlocks].sort((a, b) => label(a.id) - label(b.id));
  const wantedByResume = new Set<BlockId>();
  for (const b of roots) if (isResume(b)) for (let t = tailOf(b), k = 0; t !== undefined && k < roots.length; t = tailOf(cfg.blocks[t]), k++) wantedByResume.add(t);
  for (const root of roots) {
    for (let b: Block | undefined = root; b !== undefined && !placed.has(b.id);) {
      placed.add(b.id);
      order.push(b);
      const tail = tailOf(b);
      const fromResumeChain = isResume(root);
      b = tail !== undefined && !inlined.has(tail) && (fromResumeChain || !wantedByResume.has(tail)) ? cfg.blocks[tail] : undefined;
    }
  }
  return order;
}
