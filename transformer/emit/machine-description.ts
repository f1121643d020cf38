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
import type { StateLayout } from "../layout/state-layout";
import { layoutHash } from "./layout-hash";

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
  /** Layout hash (layout-hash.ts). */
  readonly hash: string;
}

/** What a description is made from: the parts of a compiled function (transform-function.ts). */
export interface MachineParts {
  /** Readable name (`Class.method`, `<anonymous>`). */
  readonly name: string;
  readonly cfg: Cfg;
  readonly layout: StateLayout;
  /** For each suspend state, the locals live across it. */
  readonly liveAcross: ReadonlyArray<{ readonly state: number; readonly live: ReadonlySet<number> }>;
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
  const liveOf = new Map(parts.liveAcross.map((l) => [l.state, l.live]));
  const states = parts.stateNames.map((name, index): StateReport => {
    if (index === ReservedState.Unresumed) {
      const params = parameterNames(tsApi, node).map((p) => ({ name: p, temp: false, storage: "arguments" as const, offset: -1 }));
      return { index, name, kind: "unresumed", line: start.line + 1, column: start.character + 1, awaited: null, live: params.map((p) => p.name), fields: params, size: 0 };
    }
    if (index === ReservedState.Returned || index === ReservedState.Panicked) {
      return { index, name, kind: index === ReservedState.Returned ? "returned" : "panicked", line: null, column: null, awaited: null, live: [], fields: [], size: 0 };
    }
    const suspend = suspendOf.get(index)!;
    const live = liveOf.get(index) ?? new Set<number>();
    const fields = [...live].map(variable).sort(byPlace);
    const size = fields.filter((f) => f.storage === "frame").length;
    return { index, name, kind: "suspend", line: suspend.line, column: suspend.column, awaited: suspend.awaitedText, live: fields.map(displayName), fields, size };
  });

  const captures = [...layout.captureOf].map(([id, offset]) => ({ name: cfg.locals[id].sourceName, offset })).sort((a, b) => a.offset - b.offset);
  const description = { name: parts.name, line: start.line + 1, column: start.character + 1, frameSize: layout.frameSize, capturedSize: layout.capturedSize, captures, states };
  return { ...description, hash: layoutHash(description) };
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
