/**
 * `dumpTasks()`: every suspended compiled machine, grouped into logical async stacks — who
 * awaits whom — with each machine's function, state, await location, live values and what it
 * awaits. What a hung program needs: where each chain of awaits stands, and what it holds.
 *
 * In:  the machines task tracking recorded (tracking.ts: call `enableTaskTracking()` first).
 * Out: `AsyncStack[]`, each innermost machine first; `formatTasks` prints them:
 *
 *     2 suspended machines in 1 async stack
 *     async stack 1 (innermost first)
 *       #0 fetchUser [AwaitGet_L12] at src/users.ts:12:17
 *            awaiting: Promise
 *            live: id = 7, retries = 2
 *       #1 main [AwaitFetchUser_L30] at src/main.ts:30:3
 *            awaiting: #0 fetchUser
 *            live: ids = [7, 8, 9]
 *
 * After the stacks, `formatTasks` prints the task tree (task-tree.ts `dumpTaskTree`): each task
 * under the task that spawned it, a scope's children under the scope, with each task's state,
 * what it awaits and whether it is cancelling.
 *
 * A machine awaits another when its awaited value is that machine's promise (or the machine).
 * A machine awaited by several appears in each of their stacks; machines that await each other
 * in a circle (a deadlock) form a stack marked `cycle`.
 *
 * Invariant: reading a dump runs no user code (format-value.ts) and changes no machine.
 */
import { Machine } from "../machine";
import { PollMachine } from "../poll/poll-machine";
import { awaitLocation, describeMachine, PRODUCTION_NOTE, stateNameOf } from "./describe-machine";
import { DEFAULT_PREVIEW_LENGTH, formatValue } from "./format-value";
import { isTaskTracking, machineOfPromise, trackedMachines } from "./tracking";
import { dumpTaskTree, taskTreeLines, type TaskTreeNode } from "./task-tree";

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

export interface AsyncStack {
  /** Innermost (the machine that awaits something that is not a tracked machine) first. */
  readonly frames: readonly TaskFrame[];
  /** The machines await each other in a circle: none of them can ever resume. */
  readonly cycle: boolean;
}

export interface DumpOptions {
  /** Length budget of each value preview (default 80). */
  readonly maxValueLength?: number;
}

export function dumpTasks(options: DumpOptions = {}): AsyncStack[] {
  const max = options.maxValueLength ?? DEFAULT_PREVIEW_LENGTH;
  const suspended = trackedMachines().filter((m) => m.s >= 3);
  const inner = new Map<Machine, Machine>();
  const awaited = new Set<Machine>();
  for (const m of suspended) {
    const target = m.awaiting instanceof Machine || m.awaiting instanceof PollMachine ? (m.awaiting as Machine) : machineOfPromise(m.awaiting);
    if (target !== undefined) {
      inner.set(m, target);
      awaited.add(target);
    }
  }
  const frames = new Map<Machine, TaskFrame>();
  const frameOf = (m: Machine): TaskFrame => {
    let f = frames.get(m);
    if (f === undefined) frames.set(m, (f = describeFrame(m, inner.get(m), max)));
    return f;
  };
  const stacks: AsyncStack[] = [];
  const visited = new Set<Machine>();
  const chain = (outer: Machine): AsyncStack => {
    const path: Machine[] = [];
    const onPath = new Set<Machine>();
    let cycle = false;
    for (let m: Machine | undefined = outer; m !== undefined && m.s >= 3; m = inner.get(m)) {
      if (onPath.has(m)) {
        cycle = true;
        break;
      }
      onPath.add(m);
      visited.add(m);
      path.push(m);
    }
    return { frames: path.reverse().map(frameOf), cycle };
  };
  // Outermost machines first (awaited by no tracked machine), in start order; then what is left: cycles.
  for (const m of suspended) if (!awaited.has(m)) stacks.push(chain(m));
  for (const m of suspended) if (!visited.has(m)) stacks.push(chain(m));
  return stacks;
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

/** The dump as text (see the module header), followed by the task tree (task-tree.ts) when tasks are tracked. */
export function formatTasks(stacks: readonly AsyncStack[] = dumpTasks(), tree: readonly TaskTreeNode[] = dumpTaskTree()): string {
  const lines: string[] = [];
  if (!isTaskTracking()) lines.push("task tracking is off: call enableTaskTracking() before the machines of interest start");
  const count = new Set(stacks.flatMap((s) => s.frames.map((f) => f.machine))).size;
  lines.push(`${count} suspended machine${count === 1 ? "" : "s"} in ${stacks.length} async stack${stacks.length === 1 ? "" : "s"}`);
  stacks.forEach((stack, i) => {
    lines.push(`async stack ${i + 1} (innermost first)${stack.cycle ? " — cycle: these machines await each other and can never resume" : ""}`);
    stack.frames.forEach((f, k) => {
      lines.push(
        `  #${k} ${f.function} [${f.stateName}]${f.location ? ` at ${f.location}` : ""}${f.awaitedText ? ` await ${f.awaitedText}` : ""}${f.cancelling ? " (cancelling)" : ""}`,
      );
      const inner = k > 0 && stack.frames[k - 1].machine === f.awaitingMachine ? `#${k - 1} ${stack.frames[k - 1].function}` : f.awaiting;
      lines.push(`       awaiting: ${inner}`);
      if (f.production) lines.push(`       (${PRODUCTION_NOTE})`);
      if (f.live.length > 0) lines.push(`       live: ${f.live.map((v) => `${v.name} = ${v.value}`).join(", ")}`);
      if (f.captured.length > 0) lines.push(`       captured: ${f.captured.map((v) => `${v.name} = ${v.value}`).join(", ")}`);
    });
  });
  if (tree.length > 0) {
    lines.push("task tree (spawned tasks under their spawner, scope children under their scope)");
    lines.push(...taskTreeLines(tree, "  "));
  }
  return lines.join("\n") + "\n";
}
