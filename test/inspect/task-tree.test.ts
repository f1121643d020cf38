/**
 * Scenario: the task tree of a running poll-mode program (dumpTaskTree / formatTasks) — a task
 * that awaits a scope, the scope's children under it, a task spawned by a task under its
 * spawner, each with its state, the machines it drives and what they await, and the
 * `cancelling` marks while a cancellation runs its `finally` blocks.
 */
import { afterEach, describe, expect, test } from "vitest";
import { Cancelled, spawn, type PollMachine, type Task } from "../../runtime/index";
import { disableTaskTracking, dumpTaskTree, enableTaskTracking, formatTasks, formatTaskTree, type ScopeNode, type TaskNode } from "../../runtime/inspect/index";
import { loadModule, macrotasks } from "../poll/support";

const SOURCE = `
import { scope, sleep, spawn } from "async-machine/runtime";

export async function worker(log, name, gate) {
  try { await sleep(60_000); }
  finally { log(name + " finally"); await gate; log(name + " done"); }
}

export async function main(log, gate) {
  spawn(worker(log, "detached", gate));
  return await scope(async (s) => {
    s.spawn(worker(log, "a", gate));
    s.spawn(worker(log, "b", gate));
    await sleep(60_000);
  });
}

export async function spawnsAndEnds(log, gate) {
  spawn(worker(log, "orphan", gate));
  return "ended";
}
`;

type Log = (line: string) => void;
const m = loadModule<{
  main(log: Log, gate: Promise<void>): PollMachine<unknown>;
  spawnsAndEnds(log: Log, gate: Promise<void>): PollMachine<string>;
}>(SOURCE, "poll");

afterEach(() => disableTaskTracking());

/** A compact picture of a node: its kind, state, what it awaits, its machines, its children. */
function shape(node: TaskNode | ScopeNode): unknown {
  return {
    kind: node.kind,
    state: node.state,
    cancelling: node.cancelling,
    awaiting: node.awaiting,
    frames: node.frames.map((f) => `${f.function} ${f.stateName}${f.cancelling ? " cancelling" : ""}`),
    children: node.children.map(shape),
  };
}

describe("dumpTaskTree", () => {
  test("is empty while tracking is off", async () => {
    const gate = Promise.resolve();
    const task = spawn(m.spawnsAndEnds(() => {}, gate));
    await macrotasks(1);
    expect(dumpTaskTree()).toEqual([]);
    expect(formatTaskTree()).toMatch(/^task tracking is off/);
    expect(await task).toBe("ended");
  });

  test("a task awaiting a scope: the scope's children under it, a task it spawned beside the scope; cancelling marks", async () => {
    enableTaskTracking();
    const log: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const root: Task<unknown> = spawn(m.main((line) => log.push(line), gate));
    await macrotasks(2);

    const sleeping = (name: string) => ({ kind: "task", state: "idle", cancelling: false, awaiting: "SleepFuture", frames: [`${name} AwaitSleep_L5`], children: [] });
    const [top, ...others] = dumpTaskTree();
    expect(others).toEqual([]);
    expect((top as TaskNode).task).toBe(root);
    expect(shape(top)).toEqual({
      kind: "task",
      state: "idle",
      cancelling: false,
      awaiting: "scope",
      frames: ["main AwaitScope_L11"],
      children: [
        {
          kind: "scope",
          state: "running",
          cancelling: false,
          awaiting: "SleepFuture",
          frames: [expect.stringMatching(/ AwaitSleep_L14$/)],
          children: [sleeping("worker"), sleeping("worker")],
        },
        sleeping("worker"),
      ],
    });
    const scopeChildren = (top.children[0] as ScopeNode).children as TaskNode[];
    const detached = top.children[1] as TaskNode;
    expect(scopeChildren.map((c) => c.id)).toEqual([detached.id + 1, detached.id + 2]); // spawned after the detached one
    expect(formatTasks()).toContain(
      [
        "task tree (spawned tasks under their spawner, scope children under their scope)",
        `  task #${root.id} idle, awaiting scope`,
        "    #0 main [AwaitScope_L11] at module.ts:11:10",
        "    scope running, 2 children, awaiting SleepFuture",
      ].join("\n"),
    );

    // Cancelling the root cancels the scope and its children (they wait on the gate in their
    // finally blocks); the detached task belongs to nobody's scope and runs on.
    root.cancel();
    await macrotasks(2);
    expect(log.sort()).toEqual(["a finally", "b finally"]);
    const [during] = dumpTaskTree();
    const cancellingWorker = { kind: "task", state: "idle", cancelling: true, awaiting: "Promise", frames: ["worker AwaitGate_L6 cancelling"], children: [] };
    expect(shape(during)).toEqual({
      kind: "task",
      state: "idle",
      cancelling: true,
      awaiting: "scope",
      frames: ["main AwaitScope_L11 cancelling"],
      children: [{ kind: "scope", state: "cancelling", cancelling: true, awaiting: "", frames: [], children: [cancellingWorker, cancellingWorker] }, sleeping("worker")],
    });
    expect(formatTaskTree()).toBe(
      [
        `task #${root.id} idle (cancelling), awaiting scope`,
        "  #0 main [AwaitScope_L11] at module.ts:11:10 (cancelling)",
        "  scope cancelling, 2 children",
        `    task #${scopeChildren[0].id} idle (cancelling), awaiting Promise`,
        "      #0 worker [AwaitGate_L6] at module.ts:6:37 (cancelling)",
        `    task #${scopeChildren[1].id} idle (cancelling), awaiting Promise`,
        "      #0 worker [AwaitGate_L6] at module.ts:6:37 (cancelling)",
        `  task #${detached.id} idle, awaiting SleepFuture`,
        "    #0 worker [AwaitSleep_L5] at module.ts:5:9",
        "",
      ].join("\n"),
    );

    open();
    await expect(root).rejects.toBeInstanceOf(Cancelled);
    // Left: the detached task, now at the top (its spawner has completed).
    expect(dumpTaskTree().map(shape)).toEqual([sleeping("worker")]);
    (dumpTaskTree()[0] as TaskNode).task.cancel();
    await macrotasks(2);
    expect(dumpTaskTree()).toEqual([]);
    expect(log.sort()).toEqual(["a done", "a finally", "b done", "b finally", "detached done", "detached finally"]);
  });
});
