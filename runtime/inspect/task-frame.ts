/**
 * One suspended machine as a dump shows it (`TaskFrame`): function, state, await location, live
 * and captured values, what it awaits. Shared by the async stacks (dump-tasks.ts) and the task
 * tree (task-tree.ts), each of which imports it from here rather than from the other.
 *
 * Invariant: describing a frame runs no user code (format-value.ts) and changes no machine.
 */
import type { Machine } from "../machine";
import { PollMachine } from "../poll-machine";
import { awaitLocation, describeMachine, stateNameOf } from "./describe-machine";
import { formatValue } from "./format-value";

export interface LiveValue {
  /** Variable name (`$name`: a compiler temporary), or `f[<offset>]` when the layout is unknown. */
  readonly name: string;
  readonly offset: number;
  /** One-line preview (format-value.ts). */
  readonly value: string;
}

export interface TaskFrame {
  readonly machine: Machine;
  /** The function's readable name. */
  readonly function: string;
  readonly state: number;
  readonly stateName: string;
  /** `file:line:column` of the await, or `line N` when only the state name tells. */
  readonly location: string | undefined;
  /** Source text of the awaited expression, when the transformer provided it. */
  readonly awaitedText: string | undefined;
  /** Frame values live at this state. */
  readonly live: readonly LiveValue[];
  /** Values of captured variables (shared with closures). */
  readonly captured: readonly LiveValue[];
  /** Preview of the awaited value. */
  readonly awaiting: string;
  /** The machine whose promise this one awaits, if it is a compiled machine. */
  readonly awaitingMachine: Machine | undefined;
  /** A poll-mode machine being cancelled (running its `finally` blocks). */
  readonly cancelling: boolean;
  /** Compiled in the production profile: no state names, locations or variable names to show (PRODUCTION_NOTE). */
  readonly production: boolean;
}

export interface DumpOptions {
  /** Length budget of each value preview (default 80). */
  readonly maxValueLength?: number;
}

export function describeFrame(m: Machine, awaitingMachine: Machine | undefined, max: number): TaskFrame {
  const d = describeMachine(m);
  const slots = d.slots[m.s];
  const live: LiveValue[] = [];
  for (let offset = 0; offset < m.f.length; offset++) {
    const name = slots ? slots[offset] : m.f[offset] !== undefined ? `f[${offset}]` : null;
    if (name !== null && name !== undefined) live.push({ name, offset, value: formatValue(m.f[offset], max) });
  }
  const captured = (m.c ?? []).map((value, offset) => ({ name: d.captures[offset] ?? `c[${offset}]`, offset, value: formatValue(value, max) }));
  return {
    machine: m,
    function: d.name,
    state: m.s,
    stateName: stateNameOf(d, m.s),
    location: awaitLocation(d, m.s),
    awaitedText: d.awaits[m.s]?.awaited,
    live,
    captured,
    awaiting: formatValue(m.awaiting, max),
    awaitingMachine,
    cancelling: (m as unknown) instanceof PollMachine && (m as unknown as PollMachine).isCancelling,
    production: d.source === "production",
  };
}
