/**
 * The production profile's register sharing (transformer/profile.ts): temporaries of the same
 * kind (`$operand`, `$callee`…) that are never live in the same block share one name, so a
 * function that spills fifty operands one after another writes `$operand` fifty times rather
 * than `$operand_1` … `$operand_49` — the same text again, which gzip compresses far better.
 *
 * Safe because two locals that never appear together in any block's live-in, live-out, uses or
 * definitions are never live at the same point, so one variable can hold both. Left alone:
 * bindings (a user's names), environment-record holders and dead-zone locals (closures may read
 * them by name after their last use the flow graph sees), and temporaries live on entry (they
 * rely on starting `undefined`).
 *
 * The shared names are also short (`$o`, `$cv`): a temporary's long name (`$operand`,
 * `$completionValue`) is for a reader of development output.
 *
 * In: the lowered function's flow graph and liveness, the file's names (to claim the short
 * ones). Out: `Local.name` of the shared temporaries rewritten (plain data: nothing is emitted
 * yet). The resume function declares each register name once (assemble-resume.ts).
 */
import { liveInSets, type FlowBlock, type Liveness } from "../analyze/liveness";
import { LocalKind, LocalStorage, type Cfg, type LocalId } from "../lower/cfg";
import type { NameManager } from "../names";

export function shareTemporaryNames(cfg: Cfg, flow: readonly FlowBlock[], liveness: Liveness, names: NameManager): void {
  const locals = cfg.locals;
  const envHolders = new Set<LocalId>();
  for (const l of locals) if (l.env !== undefined) envHolders.add(l.env);
  const liveIn = liveInSets(flow, liveness);
  const entryLive = liveIn[cfg.entry];
  const shareable = (id: LocalId): boolean => {
    const l = locals[id];
    return l.kind === LocalKind.Temp && l.storage === LocalStorage.Register && !l.tdz && !envHolders.has(id) && !entryLive.has(id);
  };
  // Only shareable temporaries are tracked: nothing else can take part in a conflict.
  const conflicts = new Map<LocalId, Set<LocalId>>();
  const seen = new Set<LocalId>();
  const conflict = (a: LocalId, b: LocalId): void => {
    if (a === b) return;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      let set = conflicts.get(x);
      if (set === undefined) conflicts.set(x, (set = new Set()));
      set.add(y);
    }
  };
  const allConflict = (live: ReadonlySet<LocalId>): void => {
    for (const a of live) for (const b of live) if (a < b) conflict(a, b);
  };
  const addAll = (to: Set<LocalId>, xs: Iterable<LocalId> | undefined): void => {
    if (xs !== undefined) for (const x of xs) if (shareable(x)) to.add(x);
  };
  flow.forEach((block, b) => {
    // Live after the block (what an edge writes counts as live there); an exception may leave
    // from anywhere, so what the handler reads is live throughout.
    const always = new Set<LocalId>();
    if (block.handler) addAll(always, liveIn[block.handler.block]);
    const live = new Set<LocalId>(always);
    for (const edge of block.successors) {
      addAll(live, liveIn[edge.block]);
      addAll(live, edge.defs);
    }
    addAll(live, block.termUses);
    for (const x of live) seen.add(x);
    allConflict(live);
    for (let i = block.ops.length - 1; i >= 0; i--) {
      const op = block.ops[i];
      for (const e of op.exits) {
        addAll(live, liveIn[e.block]);
        addAll(live, e.defs);
      }
      // A definition conflicts with everything live after it (and with the op's other definitions).
      const defs = new Set<LocalId>();
      addAll(defs, op.defs);
      for (const d of defs) {
        seen.add(d);
        for (const x of live) conflict(d, x);
        for (const x of defs) conflict(d, x);
      }
      for (const d of defs) if (!always.has(d)) live.delete(d);
      const uses = new Set<LocalId>();
      addAll(uses, op.uses);
      for (const u of uses) {
        seen.add(u);
        live.add(u);
      }
      // What is live before the op is live together.
      allConflict(live);
    }
    // Loaded together at the start of a resume block.
    addAll(live, liveIn[b]);
    for (const x of live) seen.add(x);
    allConflict(live);
  });
  // Greedy, in local order, within each kind: a temporary takes the name of the first earlier
  // temporary of its kind it conflicts with no holder of.
  const groups = new Map<string, { name: string; members: LocalId[] }[]>();
  for (const id of [...seen].sort((a, b) => a - b)) {
    const kind = locals[id].name.replace(/_\d+$/, "");
    const list = groups.get(kind) ?? [];
    groups.set(kind, list);
    const mine = conflicts.get(id);
    const group = list.find((g) => !g.members.some((m) => mine?.has(m)));
    if (group === undefined) {
      list.push({ name: locals[id].name, members: [id] });
      continue;
    }
    locals[id].name = group.name;
    group.members.push(id);
  }
  // Each shared name, shortened to its kind's initials (`$completionValue` → `$cv`): the long
  // names say what a temporary holds to a reader of development output; in production only the
  // bytes count. Claimed like any generated name, so none clashes with the file's.
  for (const [kind, list] of groups) {
    for (const group of list) {
      const short = names.claim(initialsOf(kind));
      for (const id of group.members) locals[id].name = short;
    }
  }
}

/** The resume function's own names (emit-context.ts), claimed after this runs: kept for it. */
const OWN_NAMES = new Set(["$m", "$v", "$t", "$l", "$f", "$e", "$g", "$mc", "$w"]);

/** `$completionValue` → `$cv`, `$operand` → `$o`: `$`, the first letter, each capital's (`$er` for `$error`: `$e` is the resume's). */
function initialsOf(kind: string): string {
  const word = kind.replace(/^\$/, "");
  const initials = `$${word.charAt(0)}${word.slice(1).replace(/[^A-Z]/g, "")}`.toLowerCase();
  return OWN_NAMES.has(initials) ? `$${word.slice(0, 2).toLowerCase()}` : initials;
}
