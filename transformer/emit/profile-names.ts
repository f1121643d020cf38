/**
 * The production profile's register sharing (transformer/profile.ts): temporaries of the same
 * kind (`$operand`, `$callee`…) that are never live at the same point share one name, so a
 * function that spills fifty operands one after another writes `$operand` fifty times rather
 * than `$operand_1` … `$operand_49` — the same text again, which gzip compresses far better.
 *
 * Safe because two locals never live at the same point (a block's live-in or live-out, between
 * two ops, or written by an op while the other is live after it) can be held by one variable.
 * Left alone: bindings (a user's names), environment-record holders and dead-zone locals
 * (closures may read them by name after their last use the flow graph sees), and temporaries
 * live on entry (they rely on starting `undefined`).
 *
 * Linear in the code, not in points × live temporaries: the points are numbered in program
 * order, one backward walk per chain of blocks (analyze/liveness.ts) records where each
 * temporary becomes live and where it stops, so each temporary's points are a few runs however
 * long it stays live. Names are then given greedily in local order within each kind: a
 * temporary takes the name of the first earlier name none of whose holders' runs meet its own
 * — when a kind's temporaries each have one run and start in local order (straight-line code,
 * the long case), the names freed by ended runs are kept in a heap, as a linear-scan register
 * allocator does, which gives the same answer.
 *
 * The shared names are also short (`$o`, `$cv`): a temporary's long name (`$operand`,
 * `$completionValue`) is for a reader of development output.
 *
 * In: the lowered function's flow graph and liveness, the file's names (to claim the short
 * ones). Out: `Local.name` of the shared temporaries rewritten (plain data: nothing is emitted
 * yet); the steps taken, for the scaling tests. The resume function declares each register
 * name once (assemble-resume.ts).
 */
import { liveInSets, type FlowBlock, type Liveness } from "../analyze/liveness";
import { LocalKind, LocalStorage, type Cfg, type LocalId } from "../lower/cfg";
import { MinHeap } from "../min-heap";
import type { NameManager } from "../names";

/** Shares the temporaries' names (see above); returns the steps taken. */
export function shareTemporaryNames(cfg: Cfg, flow: readonly FlowBlock[], liveness: Liveness, names: NameManager): { work: number } {
  const locals = cfg.locals;
  const envHolders = new Set<LocalId>();
  for (const l of locals) if (l.env !== undefined) envHolders.add(l.env);
  const entryLive = liveness.headIn.get(cfg.entry) ?? liveInSets(flow, liveness)[cfg.entry];
  const shareable = (id: LocalId): boolean => {
    const l = locals[id];
    return l.kind === LocalKind.Temp && l.storage === LocalStorage.Register && !l.tdz && !envHolders.has(id) && !entryLive.has(id);
  };
  const counter = { work: 0 };
  const runs = occupiedRuns(flow, liveness, shareable, counter);
  // Greedy, in local order, within each kind.
  const kinds = new Map<string, LocalId[]>();
  for (const id of [...runs.keys()].sort((a, b) => a - b)) {
    const kind = locals[id].name.replace(/_\d+$/, "");
    const list = kinds.get(kind) ?? [];
    kinds.set(kind, list);
    list.push(id);
  }
  // Each shared name, shortened to its kind's initials (`$completionValue` → `$cv`): the long
  // names say what a temporary holds to a reader of development output; in production only the
  // bytes count. Claimed like any generated name, so none clashes with the file's.
  for (const [kind, ids] of kinds) {
    for (const members of nameGroups(ids, runs, counter)) {
      const short = names.claim(initialsOf(kind));
      for (const id of members) locals[id].name = short;
    }
  }
  return counter;
}

/**
 * Per shareable temporary, the points it occupies as runs `[first, last, …]` in program order.
 * The points of a block, walking it backward: its end (what is live after it: its successors'
 * live-in and what their edges write, what the terminator reads, what the handler reads), and
 * per op the point of its writes (what is live after it, with what its exits need, and what it
 * writes) and the point before it; then its start (its live-in too). Each temporary live at a
 * point occupies it. A chain's blocks continue into each other: what is live at a block's start
 * is what is live at its predecessor's end, but for what the chain's last block's edges write.
 */
function occupiedRuns(flow: readonly FlowBlock[], liveness: Liveness, shareable: (id: LocalId) => boolean, counter: { work: number }): Map<LocalId, number[]> {
  const headIn = (block: number): ReadonlySet<LocalId> => liveness.headIn.get(block)!;
  // Walk order: the last chain first, each backward; a point's number is minus its place in the walk.
  let point = 0;
  const runs = new Map<LocalId, number[]>();
  /** The live temporaries, each with the first point of its current run. */
  const live = new Map<LocalId, number>();
  const close = (x: LocalId, from: number, to: number): void => {
    counter.work++;
    if (from > to) return;
    let list = runs.get(x);
    if (list === undefined) runs.set(x, (list = []));
    if (list.length > 0 && list[list.length - 1] >= from - 1) list[list.length - 1] = to;
    else list.push(from, to);
  };
  const add = (x: LocalId): void => {
    counter.work++;
    if (shareable(x) && !live.has(x)) live.set(x, point + 1);
  };
  const remove = (x: LocalId): void => {
    const from = live.get(x);
    if (from === undefined) return;
    close(x, from, point);
    live.delete(x);
  };
  const addAll = (xs: Iterable<LocalId> | undefined): void => {
    if (xs !== undefined) for (const x of xs) add(x);
  };
  const heads = [...liveness.headIn.keys()].sort((a, b) => b - a);
  for (const head of heads) {
    const chain: number[] = [];
    for (let b = head; b >= 0; b = liveness.next[b]) {
      chain.push(b);
      if (liveness.next[b] === head) break; // (a cut cycle)
    }
    const tailId = chain[chain.length - 1];
    const tail = flow[tailId];
    // An exception may leave from anywhere, so what the handler reads is live throughout.
    const always = new Set<LocalId>();
    if (tail.handler) for (const x of headIn(tail.handler.block)) if (shareable(x)) always.add(x);
    addAll(always);
    for (const edge of tail.successors) {
      addAll(headIn(edge.block));
      addAll(edge.defs);
    }
    let tailIn: ReadonlySet<LocalId> | undefined;
    for (let k = chain.length - 1; k >= 0; k--) {
      const block = flow[chain[k]];
      if (tailIn !== undefined) {
        // Past the chain's last block: what only its edges' writes kept live ends at its start.
        for (const x of [...live.keys()]) if (!always.has(x) && !tailIn.has(x)) remove(x);
        tailIn = undefined;
      }
      addAll(block.termUses);
      point++;
      for (let i = block.ops.length - 1; i >= 0; i--) {
        const op = block.ops[i];
        for (const e of op.exits) {
          addAll(headIn(e.block));
          addAll(e.defs);
        }
        // A write occupies the point after its op, with everything live there.
        point++;
        for (const d of op.defs) if (shareable(d) && !live.has(d)) close(d, point, point);
        for (const d of op.defs) if (!always.has(d)) remove(d);
        addAll(op.uses);
        point++;
      }
      if (k === chain.length - 1) {
        tailIn = liveInOfBlock(tail, headIn);
        addAll(tailIn);
      }
      point++;
    }
    for (const [x, from] of live) close(x, from, point);
    live.clear();
  }
  // To program order: the walk went backward.
  for (const [x, list] of runs) {
    const forward: number[] = [];
    for (let i = list.length - 2; i >= 0; i -= 2) forward.push(-list[i + 1], -list[i]);
    runs.set(x, forward);
  }
  return runs;
}

/** A block's live-in as the liveness analysis has it, from its successors' (the chain walk of analyze/liveness.ts, for one block). */
function liveInOfBlock(block: FlowBlock, headIn: (block: number) => ReadonlySet<LocalId>): ReadonlySet<LocalId> {
  const always = new Set<LocalId>();
  if (block.handler) for (const x of headIn(block.handler.block)) if (!block.handler.defs.has(x)) always.add(x);
  const live = new Set<LocalId>(always);
  const addEdge = (block: number, defs: ReadonlySet<LocalId> | undefined): void => {
    for (const x of headIn(block)) if (!defs?.has(x)) live.add(x);
  };
  for (const edge of block.successors) addEdge(edge.block, edge.defs);
  for (const u of block.termUses) live.add(u);
  for (let i = block.ops.length - 1; i >= 0; i--) {
    const op = block.ops[i];
    for (const d of op.defs) if (!always.has(d)) live.delete(d);
    for (const u of op.uses) live.add(u);
    for (const e of op.exits) addEdge(e.block, e.defs);
  }
  return live;
}

/**
 * The temporaries of one kind (in local order) in groups that share a name: each takes the first
 * group none of whose members' runs meet its own.
 */
function nameGroups(ids: readonly LocalId[], runs: ReadonlyMap<LocalId, readonly number[]>, counter: { work: number }): LocalId[][] {
  let straight = true;
  for (let i = 0; i < ids.length && straight; i++) {
    const r = runs.get(ids[i])!;
    straight = r.length === 2 && (i === 0 || runs.get(ids[i - 1])![0] <= r[0]);
  }
  return straight ? linearScan(ids, runs, counter) : firstFit(ids, runs, counter);
}

/**
 * One run each, starting in local order: a group is free for a temporary when all its members'
 * runs ended before it starts (they all started no later), so first fit is the lowest freed
 * group — a heap of freed groups and one of groups in use, by the end of their last run.
 */
function linearScan(ids: readonly LocalId[], runs: ReadonlyMap<LocalId, readonly number[]>, counter: { work: number }): LocalId[][] {
  const groups: LocalId[][] = [];
  const ends: number[] = [];
  const inUse = new MinHeap((a, b) => ends[a] - ends[b] || a - b);
  const freed = new MinHeap((a, b) => a - b);
  for (const id of ids) {
    const [first, last] = runs.get(id)!;
    while (inUse.size > 0 && ends[inUse.peek()] < first) freed.push(inUse.pop(counter), counter);
    let g: number;
    if (freed.size > 0) g = freed.pop(counter);
    else ((g = groups.length), groups.push([]));
    groups[g].push(id);
    ends[g] = last;
    inUse.push(g, counter);
  }
  return groups;
}

/** Any runs: each group's runs kept sorted, a temporary checked against each group in turn. */
function firstFit(ids: readonly LocalId[], runs: ReadonlyMap<LocalId, readonly number[]>, counter: { work: number }): LocalId[][] {
  const groups: Array<{ members: LocalId[]; runs: number[] }> = [];
  for (const id of ids) {
    const mine = runs.get(id)!;
    const group = groups.find((g) => (counter.work++, !meet(g.runs, mine)));
    if (group === undefined) groups.push({ members: [id], runs: [...mine] });
    else (group.members.push(id), (group.runs = merged(group.runs, mine)));
  }
  return groups.map((g) => g.members);
}

/** Do two sorted lists of disjoint runs share a point? */
function meet(a: readonly number[], b: readonly number[]): boolean {
  for (let j = 0; j < b.length; j += 2) {
    // The first run of `a` ending at or after b's run starts.
    let lo = 0;
    let hi = a.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[2 * mid + 1] < b[j]) lo = mid + 1;
      else hi = mid;
    }
    if (lo < a.length / 2 && a[2 * lo] <= b[j + 1]) return true;
  }
  return false;
}

/** Two sorted lists of disjoint runs, as one. */
function merged(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] <= b[j])) (out.push(a[i], a[i + 1]), (i += 2));
    else (out.push(b[j], b[j + 1]), (j += 2));
  }
  return out;
}

/** The resume function's own names (emit-context.ts), claimed after this runs: kept for it. */
const OWN_NAMES = new Set(["$m", "$v", "$t", "$l", "$f", "$e", "$g", "$mc", "$w"]);

/** `$completionValue` → `$cv`, `$operand` → `$o`: `$`, the first letter, each capital's (`$er` for `$error`: `$e` is the resume's). */
function initialsOf(kind: string): string {
  const word = kind.replace(/^\$/, "");
  const initials = `$${word.charAt(0)}${word.slice(1).replace(/[^A-Z]/g, "")}`.toLowerCase();
  return OWN_NAMES.has(initials) ? `$${word.slice(0, 2).toLowerCase()}` : initials;
}
