/**
 * Derives the state-to-state transitions of one machine from its control-flow graph.
 *
 * In:  a Cfg (lower/cfg.ts) whose Suspend terminators mark the awaits.
 * Out: edges `{ from, to, kind }` between state numbers (0 Unresumed, 1 Returned, 2 Panicked,
 *      3.. suspend states), one per pair of states, sorted by `from`, then `to` (suspend states
 *      first, then Returned, then Panicked).
 *
 * How: from the block a state starts in (the entry for Unresumed, the resume block for a suspend
 * state), walk blocks until the walk meets a Suspend terminator (an edge to that state), a
 * return (Returned) or an exception with no handler around it (Panicked). A path's kind is the
 * first special edge it took, and a pair of states gets the kind of its most ordinary path
 * (normal, then exception, then finally) — "how does the machine get from A to B":
 *   - `exception`: an exception into a `catch` body, or out of the function (to Panicked);
 *   - `finally`:   an exception into a `finally` block, or a `finally`'s end passing a pending
 *                  return, jump or throw on (the `switch ($completion)` of the generated code);
 *   - `normal`:    anything else; after the walk, normal edges to a state that is on the stack
 *                  of a depth-first walk of the state graph from Unresumed become `loop`
 *                  (back-edges: the machine reaches that state again).
 * Path-insensitive on purpose: an edge is listed when the generated code has a branch for it,
 * even when a particular run cannot take it (a finally entered normally still has its rethrow).
 *
 * Invariant: plain data in and out; no TypeScript API needed (see test/inspect/transitions.test.ts).
 * Example: fixtures/loops/while-do-while/layout.txt
 */
import { RegionKind, ReservedState, TerminatorKind, successors, type Block, type BlockId, type Cfg } from "../lower/cfg";

export type TransitionKind = "normal" | "loop" | "exception" | "finally";

export interface Transition {
  /** State number the machine leaves. */
  readonly from: number;
  /** State number the machine reaches next (the next await, Returned or Panicked). */
  readonly to: number;
  readonly kind: TransitionKind;
}

const UNRESUMED = ReservedState.Unresumed;
const RETURNED = ReservedState.Returned;
const PANICKED = ReservedState.Panicked;

/** Kinds a walk carries before loop detection (`loop` is decided on the state graph). */
type PathKind = "normal" | "exception" | "finally";

/** The more ordinary of two paths between the same states wins. */
const PATH_ORDER: Record<PathKind, number> = { normal: 0, exception: 1, finally: 2 };

export function computeTransitions(cfg: Cfg): Transition[] {
  const stateOfSuspendBlock = new Map<BlockId, number>();
  for (const s of cfg.suspends) stateOfSuspendBlock.set(s.block, s.state);
  const starts: Array<[number, BlockId]> = [[UNRESUMED, cfg.entry], ...cfg.suspends.map((s) => [s.state, s.resume] as [number, BlockId])];

  // One edge per (from, to): the kind of its most ordinary path.
  const edges = new Map<string, Transition>();
  const add = (from: number, to: number, kind: PathKind): void => {
    const key = `${from}>${to}`;
    const known = edges.get(key);
    if (!known || PATH_ORDER[kind] < PATH_ORDER[known.kind as PathKind]) edges.set(key, { from, to, kind });
  };

  for (const [state, start] of starts) {
    const seen = new Set<string>();
    const work: Array<[BlockId, PathKind]> = [[start, "normal"]];
    const follow = (block: BlockId, kind: PathKind): void => {
      const key = `${block}:${kind}`;
      if (!seen.has(key)) {
        seen.add(key);
        work.push([block, kind]);
      }
    };
    /**
     * An exception raised in `block` continues at its region's handler, or leaves the function.
     * `viaFinally`: the exception is a pending throw a finally's end passes on.
     */
    const raise = (block: Block, kind: PathKind, viaFinally: boolean): void => {
      const special = (handler: RegionKind | undefined): PathKind => (kind !== "normal" ? kind : viaFinally || handler === RegionKind.Finally ? "finally" : "exception");
      if (block.region === undefined) {
        add(state, PANICKED, special(undefined));
        return;
      }
      const region = cfg.regions[block.region];
      follow(region.handler, special(region.kind));
    };
    seen.add(`${start}:normal`);
    while (work.length > 0) {
      const [id, kind] = work.pop()!;
      const block = cfg.blocks[id];
      const term = block.term;
      // A resumed await throws the rejection at once; ops and most terminators may throw.
      if ((id === start && state !== UNRESUMED) || canThrow(block)) raise(block, kind, /*viaFinally*/ false);
      for (const op of block.ops) for (const exit of op.exits) follow(exit.block, kind);
      switch (term.kind) {
        case TerminatorKind.Suspend:
          add(state, stateOfSuspendBlock.get(id)!, kind);
          break;
        case TerminatorKind.Return:
          add(state, RETURNED, kind);
          break;
        case TerminatorKind.Throw:
          break; // raised above
        case TerminatorKind.EndFinally: {
          follow(term.next, kind);
          const pending: PathKind = kind === "normal" ? "finally" : kind;
          if (term.returnTo) follow(term.returnTo.block, pending);
          else add(state, RETURNED, pending);
          for (const jump of term.jumps.values()) follow(jump.target, pending);
          raise(block, kind, /*viaFinally*/ true);
          break;
        }
        default:
          for (const next of successors(term)) follow(next, kind);
      }
    }
  }
  return markBackEdges([...edges.values()]).sort((a, b) => a.from - b.from || targetOrder(a.to) - targetOrder(b.to));
}

/** Targets in reading order: suspend states by number, then Returned, then Panicked. */
function targetOrder(state: number): number {
  return state >= ReservedState.FirstSuspend ? state : 1_000_000 + state;
}

function canThrow(block: Block): boolean {
  if (block.ops.length > 0) return true;
  const term = block.term;
  switch (term.kind) {
    case TerminatorKind.Goto:
    case TerminatorKind.EndFinally:
      return false;
    case TerminatorKind.Return:
      return term.value !== undefined;
    default:
      return true;
  }
}

/**
 * Edges to a state on the depth-first stack (from Unresumed, targets in order) become `loop`,
 * unless only an exception leads there (a retry loop's `catch` path stays `exception`).
 */
function markBackEdges(edges: Transition[]): Transition[] {
  const out = new Map<number, Transition[]>();
  for (const e of edges) (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e);
  for (const list of out.values()) list.sort((a, b) => a.to - b.to);
  const onStack = new Set<number>();
  const done = new Set<number>();
  const back = new Set<Transition>();
  const visit = (state: number): void => {
    onStack.add(state);
    for (const e of out.get(state) ?? []) {
      if (onStack.has(e.to)) {
        if (e.kind !== "exception") back.add(e);
      } else if (!done.has(e.to)) visit(e.to);
    }
    onStack.delete(state);
    done.add(state);
  };
  visit(UNRESUMED);
  // States only an unreachable path leads to are still walked, in order, for determinism.
  for (const state of [...out.keys()].sort((a, b) => a - b)) if (!done.has(state)) visit(state);
  return edges.map((e) => (back.has(e) ? { ...e, kind: "loop" as const } : e));
}
