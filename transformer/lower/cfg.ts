/**
 * The control-flow graph of one async function: the intermediate form between reading the
 * source (build-cfg.ts) and emitting the machine (emit/). Plain data, except that statements
 * and expressions are carried as TypeScript nodes the emitter prints.
 *
 *     Cfg      = { blocks: Block[], entry, locals: Local[], regions: Region[], suspends: SuspendPoint[] }
 *     Block    = { id, ops: Op[], term: Terminator, region }
 *     Op       = a statement run in order; `uses`/`defs` are the locals it reads and (surely) writes,
 *                `exits` the blocks it may jump to (a `break` inside a kept statement)
 *     Terminator = goto | branch | suspend | return | throw | end-finally
 *
 * A block runs to its terminator without suspending; only a `suspend` terminator leaves the
 * resume function. Every block belongs to the innermost exception region around it: an
 * exception in the block continues at the region's handler (a `catch` body or a `finally`).
 */
import type * as ts from "typescript";

export type BlockId = number;
export type LocalId = number;
export type RegionId = number;

export const enum LocalKind {
  /** A source binding (parameter, var, let, const, function, class, catch parameter). */
  Binding,
  /** A value the lowering keeps between two ops: a spilled operand, an iterator, a completion. */
  Temp,
}

export const enum LocalStorage {
  /** A variable of the resume function; saved to the frame at each await it is live across. */
  Register,
  /** Captured by a closure: lives in the machine's captures array (`m.c`) at a fixed offset. */
  Captured,
  /** Captured by a closure and re-created on each entry of its scope: a field of an environment record. */
  Env,
  /** A parameter of a sloppy function with simple parameters that uses `arguments`: the argument object's element (they alias). */
  Argument,
}

export interface Local {
  readonly id: LocalId;
  readonly kind: LocalKind;
  /** The source name (bindings) or what the temporary holds (temps), for layouts and dumps. */
  readonly sourceName: string;
  /** The identifier the emitted code uses. */
  name: string;
  storage: LocalStorage;
  /** For `Env` storage: the local holding the environment record. */
  env?: LocalId;
  /** For `Argument` storage: the parameter's index. */
  argumentIndex?: number;
  /** `let`/`const`/`class` bindings whose reads may happen before initialization. */
  tdz: boolean;
  readonly isConst: boolean;
}

export interface Op {
  readonly node: ts.Statement;
  readonly uses: ReadonlySet<LocalId>;
  readonly defs: ReadonlySet<LocalId>;
  /** Blocks a kept statement may jump to (break/continue/return lowered inside it), with what the jump writes on the way. */
  readonly exits: ReadonlyArray<{ readonly block: BlockId; readonly defs?: ReadonlySet<LocalId> }>;
}

export const enum TerminatorKind {
  Goto,
  Branch,
  Suspend,
  Return,
  Throw,
  EndFinally,
}

/** `source`: the source the emitted statement maps to (the builder's current source when it was made). */
export type Terminator = { source?: ts.TextRange } & (
  | { kind: TerminatorKind.Goto; target: BlockId }
  | { kind: TerminatorKind.Branch; test: ts.Expression; uses: ReadonlySet<LocalId>; then: BlockId; else: BlockId }
  | { kind: TerminatorKind.Suspend; awaited: ts.Expression; uses: ReadonlySet<LocalId>; resume: BlockId; point: number }
  | { kind: TerminatorKind.Return; value: ts.Expression | undefined; uses: ReadonlySet<LocalId> }
  | { kind: TerminatorKind.Throw; value: ts.Expression; uses: ReadonlySet<LocalId> }
  | {
      kind: TerminatorKind.EndFinally;
      /** The try statement's completion-type and completion-value locals. */
      completion: LocalId;
      value: LocalId;
      /** Where the finally's normal completion continues. */
      next: BlockId;
      /** Where a pending `return` continues: an outer finally (whose completion it becomes), or `undefined` for a real return. */
      returnTo: FinallyTarget | undefined;
      /** For each pending jump (by completion code): where it continues. */
      jumps: Map<number, JumpContinuation>;
    }
);

/** A finally block's entry and its completion locals. */
export interface FinallyTarget {
  readonly block: BlockId;
  readonly completion: LocalId;
  readonly value: LocalId;
}

/** Where a pending jump continues after a finally: its target, or the next finally out. */
export interface JumpContinuation {
  readonly target: BlockId;
  /** Set when `target` is another finally: the completion local to store the jump in. */
  readonly completion?: LocalId;
  /** …and that finally's completion value (not written: a jump has no value, never read). */
  readonly value?: LocalId;
}

/**
 * The states every machine has before its suspend states (rustc's coroutine variant names),
 * the one definition lower, emit and inspect use. The runtime's `ReservedState`
 * (runtime/machine.ts) has the same values (test/emit/reserved-states.test.ts).
 */
export const enum ReservedState {
  Unresumed = 0,
  Returned = 1,
  Panicked = 2,
  /** The first suspend state; suspend states are numbered from here in source order. */
  FirstSuspend = 3,
}

/** The names of the reserved states, indexed by state number (the state enum's first entries). */
export const RESERVED_STATE_NAMES: readonly string[] = ["Unresumed", "Returned", "Panicked"];

/** Completion codes of a try statement's pending completion (ECMAScript completion records). */
export const enum Completion {
  Normal = 0,
  Return = 1,
  Throw = 2,
  /** Jumps are `JumpBase + target block id`. */
  JumpBase = 3,
}

export interface Block {
  readonly id: BlockId;
  ops: Op[];
  term: Terminator;
  /** The innermost exception region around this block, if any. */
  region: RegionId | undefined;
}

export const enum RegionKind {
  Catch,
  Finally,
}

export interface Region {
  readonly id: RegionId;
  readonly kind: RegionKind;
  readonly parent: RegionId | undefined;
  /** Where an exception inside continues. */
  readonly handler: BlockId;
  /** Catch: the local that receives the exception. Finally: the completion type local. */
  readonly completion: LocalId;
  /** Finally: the completion value local (receives the exception). */
  readonly value: LocalId | undefined;
}

/**
 * What a suspend does. In an async function every suspend is an `await`; an async generator's
 * also `yield`, `yield*`, the `return x` that awaits its operand, and `Start` (after the
 * parameters, before the body: a generator's body runs from the first `next()`).
 */
export const enum SuspendKind {
  Await,
  Yield,
  YieldStar,
  AwaitReturn,
  Start,
}

export interface SuspendPoint {
  /** The state number: reserved states come first (ReservedState), suspends from ReservedState.FirstSuspend. */
  readonly state: number;
  readonly kind: SuspendKind;
  /** Readable state name, e.g. `AwaitReadFile_L12`. */
  readonly name: string;
  /** The block the await leaves. */
  readonly block: BlockId;
  /** The block the machine resumes in; its first op reads the resumed value. */
  readonly resume: BlockId;
  /** 1-based source position of the `await`. */
  readonly line: number;
  readonly column: number;
  /** Source text of the awaited expression (shortened). */
  readonly awaitedText: string;
}

export interface Cfg {
  readonly blocks: Block[];
  readonly entry: BlockId;
  readonly locals: Local[];
  readonly regions: Region[];
  readonly suspends: SuspendPoint[];
}

/** The suspend whose machine resumes in `block`, if any (an index built on the first question about a finished Cfg). */
export function suspendResumingAt(cfg: Cfg, block: BlockId): SuspendPoint | undefined {
  let index = resumeIndex.get(cfg);
  if (index === undefined) resumeIndex.set(cfg, (index = new Map(cfg.suspends.map((s) => [s.resume, s]))));
  return index.get(block);
}
const resumeIndex = new WeakMap<Cfg, Map<BlockId, SuspendPoint>>();

/** The blocks a terminator may continue in (not counting exception edges). */
export function successors(term: Terminator): BlockId[] {
  switch (term.kind) {
    case TerminatorKind.Goto:
      return [term.target];
    case TerminatorKind.Branch:
      return [term.then, term.else];
    case TerminatorKind.Suspend:
      return [term.resume];
    case TerminatorKind.Return:
    case TerminatorKind.Throw:
      return [];
    case TerminatorKind.EndFinally:
      return [term.next, ...(term.returnTo ? [term.returnTo.block] : []), ...[...term.jumps.values()].map((j) => j.target)];
  }
}

/** Where an exception in `block` continues (its region's handler), with what the handler's entry writes. */
export function handlerEdge(cfg: Cfg, block: Block): { block: BlockId; defs: ReadonlySet<LocalId> } | undefined {
  if (block.region === undefined) return undefined;
  const region = cfg.regions[block.region];
  return { block: region.handler, defs: new Set(region.kind === RegionKind.Catch ? [region.completion] : [region.completion, region.value!]) };
}

/**
 * The terminator's edges with what each edge writes itself: a finally's end that hands a
 * pending completion to the next finally out writes that finally's completion locals.
 */
export function successorEdges(term: Terminator): Array<{ block: BlockId; defs?: ReadonlySet<LocalId> }> {
  if (term.kind !== TerminatorKind.EndFinally) return successors(term).map((block) => ({ block }));
  const edges: Array<{ block: BlockId; defs?: ReadonlySet<LocalId> }> = [{ block: term.next }];
  if (term.returnTo) edges.push({ block: term.returnTo.block, defs: new Set([term.returnTo.completion, term.returnTo.value]) });
  for (const j of term.jumps.values()) edges.push({ block: j.target, defs: j.completion !== undefined ? new Set([j.completion, j.value!]) : undefined });
  return edges;
}

/** The locals a terminator reads. */
export function terminatorUses(term: Terminator): ReadonlySet<LocalId> {
  switch (term.kind) {
    case TerminatorKind.Goto:
      return new Set();
    case TerminatorKind.EndFinally:
      return new Set([term.completion, term.value]);
    default:
      return term.uses;
  }
}
