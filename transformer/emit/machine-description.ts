/**
 * Describes one compiled machine as plain data: its states in index order with their await
 * location, awaited text, live variables and frame offsets, record size; the frame and captures
 * sizes; the layout hash. The emitted `MachineInfo` (machine-info.ts) is built from it, and
 * `async-machine inspect` prints it (inspect/machine-report.ts adds the transitions).
 *
 * In:  a compiled function's parts (the Cfg, live-across sets, layout and state names — see
 *      transform-function.ts) and its declaration node.
 * Out: a MachineDescription. The JSON format of `inspect` serializes exactly this plus the
 *      transitions (see cli/README.md).
 *
 * Conventions: a state's `size` is the number of frame slots its record uses (offsets may be
 * shared between states, as rustc overlaps variant fields; `frameSize` is the frame's length).
 * Unresumed lists the parameters (held in the call's `arguments` until the first step, not in
 * the frame). Temporaries the lowering spilled are marked `temp` and printed as `$name`.
 *
 * Invariant: deterministic — everything is ordered by state index, offset or source position.
 */
import type * as ts from "typescript";
import { LocalKind, LocalStorage, ReservedState, type Cfg, type LocalId } from "../lower/cfg";
import type { Runs } from "../analyze/liveness";
import type { StateLayout } from "../layout/state-layout";
import { positionOfState } from "../layout/state-layout";
import { layoutHash } from "../../runtime/inspect/layout-hash";

export type StateKind = "unresumed" | "suspend" | "returned" | "panicked";

/** Where a live variable is kept while the machine is suspended. */
export type Storage =
  /** The frame `m.f`, at `offset`. */
  | "frame"
  /** The captures array `m.c` (closures read it), at `offset`. */
  | "captures"
  /** A field of a per-iteration environment record (itself a frame value). */
  | "env"
  /** The call's arguments object `m.a`, at index `offset` (sloppy-mode parameters that alias `arguments`). */
  | "arguments";

export interface LiveVariable {
  /** Source name; for a temporary, what it holds (`iterator`, `completion`). */
  readonly name: string;
  readonly temp: boolean;
  readonly storage: Storage;
  /** Offset in the frame or captures, index in `arguments`; -1 for `env`. */
  readonly offset: number;
}

export interface StateReport {
  readonly index: number;
  readonly name: string;
  readonly kind: StateKind;
  /** 1-based line and column of the `await` (suspend states), of the function (Unresumed), else null. */
  readonly line: number | null;
  readonly column: number | null;
  /** Source text of the awaited expression (suspend states), shortened. */
  readonly awaited: string | null;
  /** Names of the variables live across the await (temporaries as `$name`), frame fields first by offset. */
  readonly live: readonly string[];
  readonly fields: readonly LiveVariable[];
  /** Frame slots this state's record uses. */
  readonly size: number;
}

export interface MachineDescription {
  readonly name: string;
  readonly line: number;
  readonly column: number;
  /** Frame length (slots): the largest record, with shared offsets. */
  readonly frameSize: number;
  /** Length of the captures array. */
  readonly capturedSize: number;
  readonly captures: ReadonlyArray<{ readonly name: string; readonly offset: number }>;
  readonly states: readonly StateReport[];
  /** Layout hash (runtime/inspect/layout-hash.ts), the one the runtime derives from the MachineInfo. */
  readonly hash: string;
}

/** What the emitted MachineInfo is made from: no per-state lists, only per-state changes. */
export interface MachineSummary {
  readonly name: string;
  readonly line: number;
  /** Per suspend state, in state order: 1-based line and column of the await, its text. */
  readonly awaits: ReadonlyArray<readonly [line: number, column: number, awaited: string]>;
  /** Captured variables by offset. */
  readonly captures: readonly string[];
  /** Per suspend state, the frame offsets whose variable differs from the state before's: `[offset, name | null, …]`. */
  readonly slots: ReadonlyArray<ReadonlyArray<number | string | null>>;
  /** Per suspend state, the environment fields live across it; undefined when no state has any. */
  readonly env?: ReadonlyArray<readonly string[]>;
  /** Layout hash (runtime/inspect/layout-hash.ts). */
  readonly hash: string;
}

/** What a description is made from: the parts of a compiled function (transform-function.ts). */
export interface MachineParts {
  /** Readable name (`Class.method`, `<anonymous>`). */
  readonly name: string;
  readonly cfg: Cfg;
  readonly layout: StateLayout;
  /** Per local live across some suspend, its runs of positions (`cfg.suspends` order: analyze/liveness.ts). */
  readonly liveRuns: ReadonlyMap<LocalId, Runs>;
  readonly stateNames: readonly string[];
}

/** `$name` for a temporary, the source name otherwise. */
export function displayName(v: { name: string; temp: boolean }): string {
  return v.temp ? `$${v.name}` : v.name;
}

export function describeMachine(tsApi: typeof ts, sourceFile: ts.SourceFile, node: ts.FunctionLikeDeclaration, parts: MachineParts): MachineDescription {
  const { cfg, layout } = parts;
  const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));

  const variable = (id: LocalId): LiveVariable => {
    const l = cfg.locals[id];
    const temp = l.kind === LocalKind.Temp;
    if (layout.captureOf.has(id)) return { name: l.sourceName, temp, storage: "captures", offset: layout.captureOf.get(id)! };
    if (layout.offsetOf.has(id)) return { name: l.sourceName, temp, storage: "frame", offset: layout.offsetOf.get(id)! };
    if (l.storage === LocalStorage.Argument) return { name: l.sourceName, temp, storage: "arguments", offset: l.argumentIndex ?? -1 };
    return { name: l.sourceName, temp, storage: "env", offset: -1 };
  };
  const storageOrder: Record<Storage, number> = { frame: 0, captures: 1, arguments: 2, env: 3 };
  const byPlace = (a: LiveVariable, b: LiveVariable): number => storageOrder[a.storage] - storageOrder[b.storage] || a.offset - b.offset || a.name.localeCompare(b.name);

  const suspendOf = new Map(cfg.suspends.map((s) => [s.state, s]));
  const liveOf = liveAtStates(parts, () => true);
  const states = parts.stateNames.map((name, index): StateReport => {
    if (index === ReservedState.Unresumed) {
      const params = parameterNames(tsApi, node).map((p) => ({ name: p, temp: false, storage: "arguments" as const, offset: -1 }));
      return { index, name, kind: "unresumed", line: start.line + 1, column: start.character + 1, awaited: null, live: params.map((p) => p.name), fields: params, size: 0 };
    }
    if (index === ReservedState.Returned || index === ReservedState.Panicked) {
      return { index, name, kind: index === ReservedState.Returned ? "returned" : "panicked", line: null, column: null, awaited: null, live: [], fields: [], size: 0 };
    }
    const suspend = suspendOf.get(index)!;
    const fields = (liveOf.get(index) ?? []).map(variable).sort(byPlace);
    const size = fields.filter((f) => f.storage === "frame").length;
    return { index, name, kind: "suspend", line: suspend.line, column: suspend.column, awaited: suspend.awaitedText, live: fields.map(displayName), fields, size };
  });

  const captures = capturesOf(parts);
  const { hash } = summarizeLayout(parts);
  return { name: parts.name, line: start.line + 1, column: start.character + 1, frameSize: layout.frameSize, capturedSize: layout.capturedSize, captures, states, hash };
}

/** The summary the emitted MachineInfo is built from: linear in the awaits and the frame changes. */
export function summarizeMachine(sourceFile: ts.SourceFile, node: ts.FunctionLikeDeclaration, parts: MachineParts): MachineSummary {
  const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  const suspendOf = new Map(parts.cfg.suspends.map((s) => [s.state, s]));
  const awaits: Array<readonly [number, number, string]> = [];
  for (let index = FIRST_SUSPEND; index < parts.stateNames.length; index++) {
    const s = suspendOf.get(index)!;
    awaits.push([s.line, s.column, s.awaitedText ?? ""]);
  }
  return { name: parts.name, line: start.line + 1, awaits, ...summarizeLayout(parts) };
}

/** The first suspend state's index (after Unresumed, Returned, Panicked). */
const FIRST_SUSPEND = 3;

function capturesOf({ cfg, layout }: MachineParts): Array<{ name: string; offset: number }> {
  return [...layout.captureOf].map(([id, offset]) => ({ name: cfg.locals[id].sourceName, offset })).sort((a, b) => a.offset - b.offset);
}

/**
 * Each suspend state's frame as changes from the state before (the first from an empty frame),
 * the environment fields per state when there are any, the captures, and the layout hash of
 * those (as the runtime derives it from the MachineInfo that spells them).
 */
function summarizeLayout(parts: MachineParts): Pick<MachineSummary, "captures" | "slots" | "env" | "hash"> {
  const { stateNames } = parts;
  const captures = capturesOf(parts).map((c) => c.name);
  const slots = frameChanges(parts);
  const env = environmentFields(parts);
  return { captures, slots, ...(env && { env }), hash: layoutHash({ stateNames, captures, slots, env }) };
}

/**
 * Per suspend state (in state order), the offsets whose variable differs from the state before's:
 * `[offset, name | null, …]` by offset. Read from the live intervals: a local enters its offset
 * where one of its runs begins and leaves it after the run ends, so the work is one step per run
 * (layout/state-layout.ts), not one per variable per state.
 */
function frameChanges({ cfg, layout, stateNames }: MachineParts): Array<Array<number | string | null>> {
  const positions = layout.states.length;
  const positionOf = (index: number): number => positionOfState(layout, index);
  // Per position: the [offset, local] pairs that start there, the offsets whose holder stops after it.
  const enters: Array<Array<readonly [number, number]>> = Array.from({ length: positions }, () => []);
  const leaves: number[][] = Array.from({ length: positions + 1 }, () => []);
  for (const [local, runs] of layout.runsOf) {
    const offset = layout.offsetOf.get(local)!;
    for (let i = 0; i < runs.length; i += 2) {
      enters[runs[i]].push([offset, local]);
      leaves[runs[i + 1] + 1].push(offset);
    }
  }
  const nameAt: Array<string | null> = new Array(layout.frameSize).fill(null);
  const slots: Array<Array<number | string | null>> = [];
  for (let index = FIRST_SUSPEND; index < stateNames.length; index++) {
    const p = positionOf(index);
    if (p < 0) {
      slots.push([]);
      continue;
    }
    const before = new Map<number, string | null>();
    for (const offset of leaves[p]) {
      if (!before.has(offset)) before.set(offset, nameAt[offset]);
      nameAt[offset] = null;
    }
    for (const [offset, local] of enters[p]) {
      if (!before.has(offset)) before.set(offset, nameAt[offset]);
      const l = cfg.locals[local];
      nameAt[offset] = displayName({ name: l.sourceName, temp: l.kind === LocalKind.Temp });
    }
    const changes: Array<[number, string | null]> = [];
    for (const [offset, name] of before) if (nameAt[offset] !== name) changes.push([offset, nameAt[offset]]);
    slots.push(changes.sort((a, b) => a[0] - b[0]).flat());
  }
  return slots;
}

/**
 * Per suspend state, the live locals kept neither in the frame nor in the captures but as fields
 * of an environment record; undefined when the function has no such local (the common case: the
 * live sets are then not read at all).
 */
function environmentFields(parts: MachineParts): string[][] | undefined {
  const { cfg, layout, stateNames } = parts;
  if (!cfg.locals.some((l) => l.storage === LocalStorage.Env)) return undefined;
  const liveOf = liveAtStates(parts, (id) => cfg.locals[id].storage === LocalStorage.Env);
  const out: string[][] = [];
  for (let index = FIRST_SUSPEND; index < stateNames.length; index++) {
    const names: string[] = [];
    for (const id of liveOf.get(index) ?? []) {
      const l = cfg.locals[id];
      if (l.storage === LocalStorage.Env && !layout.captureOf.has(id) && !layout.offsetOf.has(id)) names.push(displayName({ name: l.sourceName, temp: l.kind === LocalKind.Temp }));
    }
    out.push(names.sort());
  }
  return out.some((names) => names.length > 0) ? out : undefined;
}

/** Per suspend state, the locals `wanted` that are live across it (spelled out from their runs). */
function liveAtStates({ cfg, liveRuns }: MachineParts, wanted: (id: LocalId) => boolean): Map<number, LocalId[]> {
  const out = new Map<number, LocalId[]>(cfg.suspends.map((s) => [s.state, []]));
  for (const [id, runs] of liveRuns) {
    if (!wanted(id)) continue;
    for (let i = 0; i < runs.length; i += 2) for (let p = runs[i]; p <= runs[i + 1]; p++) out.get(cfg.suspends[p].state)!.push(id);
  }
  return out;
}

/** The binding names a function's parameters declare, in order (patterns flattened). */
function parameterNames(tsApi: typeof ts, fn: ts.FunctionLikeDeclaration): string[] {
  const out: string[] = [];
  const visit = (name: ts.BindingName): void => {
    if (tsApi.isIdentifier(name)) {
      if (name.text !== "this") out.push(name.text);
      return;
    }
    for (const element of name.elements) if (!tsApi.isOmittedExpression(element)) visit(element.name);
  };
  for (const p of fn.parameters) visit(p.name);
  return out;
}
