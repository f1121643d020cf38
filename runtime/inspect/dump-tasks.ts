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
import { PollMachine } from "../poll-machine";
import { PRODUCTION_NOTE } from "./describe-machine";
import { DEFAULT_PREVIEW_LENGTH } from "./format-value";
import { isTaskTracking, machineOfPromise, trackedMachines } from "./tracking";
import { describeFrame, type DumpOptions, type TaskFrame } from "./task-frame";
import { dumpTaskTree, taskTreeLines, type TaskTreeNode } from "./task-tree";

export interface AsyncStack {
  /** Innermost (the machine that awaits something that is not a tracked machine) first. */
  readonly frames: readonly TaskFrame[];
  /** The machines await each other in a circle: none of them can ever resume. */
  readonly cycle: boolean;
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
