/**
 * `dumpTaskTree()`: the tasks an executor runs, as a tree — who spawned whom, and which scope
 * holds which children — with each task's state, what it awaits, and whether it is cancelling.
 * Where `dumpTasks` answers "where does each chain of awaits stand", this answers "what is
 * running, under what": the structure a hung or leaking program is made of.
 *
 * In:  the tasks task tracking recorded (tracking.ts: `enableTaskTracking()` first), each with
 *      the task whose poll spawned it; the scopes reached from them.
 * Out: `TaskTreeNode[]`, the roots in spawn order; `formatTaskTree` prints them:
 *
 *     task #1 idle (cancelling), awaiting scope
 *       #0 main [AwaitScope_L12] at src/main.ts:12:9 (cancelling)
 *       scope cancelling, 2 children
 *         task #2 idle (cancelling), awaiting Promise
 *           #0 crawl [AwaitFlush_L9] at src/crawl.ts:9:13 (cancelling)
 *         task #3 scheduled (cancelling)
 *       task #4 idle, awaiting SleepFuture
 *         #0 crawl [AwaitSleep_L4] at src/crawl.ts:4:11
 *
 * Placement: a scope's running children (`s.spawn`) sit under the scope; the scope sits under
 * the task (or the enclosing scope's body) whose poll-mode machines await it, else under the
 * task that spawned its children; any other task sits under the task whose poll spawned it,
 * else at the top (spawned outside any task, before tracking, or its parent has completed).
 * What a task awaits is followed through the poll-mode machines it drives (the machines polled
 * inline, innermost first, as in an async stack) to the first thing that is not one: a promise,
 * a leaf future, another task (`task #n`), a scope, or a combinator (shown as a preview; the
 * futures inside a `join` or `select` are not followed).
 *
 * Invariant: reading the tree runs no user code and changes no task, scope or machine.
 */
import { ScopeFuture } from "../combinators/scope";
import type { Machine } from "../machine";
import { PollMachine } from "../poll-machine";
import { Task } from "../task";
import { describeFrame, type DumpOptions, type TaskFrame } from "./task-frame";
import { className, DEFAULT_PREVIEW_LENGTH, formatValue } from "./format-value";
import { isTaskTracking, parentTaskOf, trackedTasks } from "./tracking";

export interface TaskNode {
  readonly kind: "task";
  readonly task: Task<unknown>;
  readonly id: number;
  /** `idle`, `scheduled`, `running` or `running+scheduled` (Task.stateName). */
  readonly state: string;
  /** `cancel()` was called: the task is running its cleanup. */
  readonly cancelling: boolean;
  readonly polls: number;
  /** The poll-mode machines the task drives, innermost first (empty if its future is not one). */
  readonly frames: readonly TaskFrame[];
  /** What the innermost machine (or the task's future) waits on: a preview, `task #n` or `scope`. */
  readonly awaiting: string;
  /** The scope its machines await (if any), then the tasks it spawned, in spawn order. */
  readonly children: readonly TaskTreeNode[];
}

export interface ScopeNode {
  readonly kind: "scope";
  readonly scope: ScopeFuture<unknown>;
  /** `running`, `waiting` (the body is done, children are not), `cancelling` or `closed`. */
  readonly state: string;
  readonly cancelling: boolean;
  /** The body's poll-mode machines while it runs, innermost first. */
  readonly frames: readonly TaskFrame[];
  /** What the body waits on (empty once it is done). */
  readonly awaiting: string;
  /** Its running children (and the scopes its body awaits). */
  readonly children: readonly TaskTreeNode[];
}

export type TaskTreeNode = TaskNode | ScopeNode;

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

export function dumpTaskTree(options: DumpOptions = {}): TaskTreeNode[] {
  const max = options.maxValueLength ?? DEFAULT_PREVIEW_LENGTH;
  const taskNodes = new Map<Task<unknown>, Mutable<TaskNode>>();
  const scopeNodes = new Map<ScopeFuture<unknown>, Mutable<ScopeNode>>();
  const placed = new Set<object>();
  const place = (parent: Mutable<TaskNode> | Mutable<ScopeNode>, child: TaskTreeNode, key: object): void => {
    if (placed.has(key)) return;
    placed.add(key);
    parent.children.push(child);
  };

  const scopeNode = (scope: ScopeFuture<unknown>): Mutable<ScopeNode> => {
    let node = scopeNodes.get(scope);
    if (node !== undefined) return node;
    const body = follow(scope.current, max);
    node = { kind: "scope", scope, state: scope.stateName, cancelling: scope.isCancelling, frames: body.frames, awaiting: body.awaiting, children: [] };
    scopeNodes.set(scope, node);
    if (body.scope !== undefined) place(node, scopeNode(body.scope), body.scope);
    for (const child of scope.runningChildren) place(node, taskNode(child), child);
    return node;
  };

  const taskNode = (task: Task<unknown>): Mutable<TaskNode> => {
    let node = taskNodes.get(task);
    if (node !== undefined) return node;
    const reached = follow(task.current, max);
    node = {
      kind: "task",
      task,
      id: task.id,
      state: task.stateName,
      cancelling: task.isCancelling,
      polls: task.polls,
      frames: reached.frames,
      awaiting: reached.awaiting,
      children: [],
    };
    taskNodes.set(task, node);
    if (reached.scope !== undefined) place(node, scopeNode(reached.scope), reached.scope);
    return node;
  };

  const roots: TaskTreeNode[] = [];
  for (const task of trackedTasks()) {
    const node = taskNode(task);
    if (placed.has(task)) continue;
    const parent = parentTaskOf(task);
    const live = parent !== undefined && !parent.isCompleted ? parent : undefined;
    const owner = task.owner;
    if (owner instanceof ScopeFuture) {
      // A scope no machine of its task was found awaiting (inside a combinator, say): under the task that spawned its children.
      const scope = scopeNode(owner);
      if (!placed.has(owner)) {
        placed.add(owner);
        if (live !== undefined) taskNode(live).children.push(scope);
        else roots.push(scope);
      }
      continue;
    }
    placed.add(task);
    if (live !== undefined) taskNode(live).children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The machines polled inline from `future`, innermost first, and what the innermost awaits. */
function follow(future: unknown, max: number): { frames: TaskFrame[]; awaiting: string; scope: ScopeFuture<unknown> | undefined } {
  const machines: PollMachine[] = [];
  let at: unknown = future;
  while (at instanceof PollMachine && !machines.includes(at)) {
    machines.push(at);
    at = at.awaiting;
  }
  const frames = machines.map((m, i) => describeFrame(m as unknown as Machine, machines[i + 1] as unknown as Machine | undefined, max)).reverse();
  return { frames, awaiting: describeAwaited(at, max), scope: at instanceof ScopeFuture ? at : undefined };
}

/** `task #n`, `scope`, an instance of a class by its class name (`SleepFuture`, `Promise`), anything else by a preview. */
function describeAwaited(value: unknown, max: number): string {
  if (value instanceof Task) return `task #${value.id}`;
  if (value instanceof ScopeFuture) return "scope";
  if (value === undefined) return "";
  if (typeof value === "object" && value !== null) {
    let name: string | undefined;
    try {
      name = className(value);
    } catch {
      // a revoked Proxy: previewed below as unreadable
    }
    if (name !== undefined && !name.startsWith("[")) return name;
  }
  return formatValue(value, max);
}

/** The tree as text (see the module header). */
export function formatTaskTree(roots: readonly TaskTreeNode[] = dumpTaskTree()): string {
  const lines: string[] = [];
  if (!isTaskTracking()) lines.push("task tracking is off: call enableTaskTracking() before the tasks of interest are spawned");
  lines.push(...taskTreeLines(roots, ""));
  return lines.join("\n") + "\n";
}

/** One line per task and scope, then its machines, then its children, each level indented by two spaces. */
export function taskTreeLines(roots: readonly TaskTreeNode[], indent: string): string[] {
  const lines: string[] = [];
  const write = (node: TaskTreeNode, indent: string): void => {
    const waits = node.awaiting !== "" ? `, awaiting ${node.awaiting}` : "";
    if (node.kind === "task") lines.push(`${indent}task #${node.id} ${node.state}${node.cancelling ? " (cancelling)" : ""}${waits}`);
    else {
      const running = node.children.filter((c) => c.kind === "task").length;
      lines.push(`${indent}scope ${node.state}, ${running} child${running === 1 ? "" : "ren"}${waits}`);
    }
    node.frames.forEach((f, k) => {
      lines.push(`${indent}  #${k} ${f.function} [${f.stateName}]${f.location ? ` at ${f.location}` : ""}${f.cancelling ? " (cancelling)" : ""}`);
    });
    for (const child of node.children) write(child, indent + "  ");
  };
  for (const root of roots) write(root, indent);
  return lines;
}
