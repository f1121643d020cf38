/**
 * runtime/inspect: looking at compiled machines while they run — task dumps, logical async
 * stack traces, snapshot and restore. Everything is opt-in and costs nothing until enabled:
 *
 *     tracking.ts        enableTaskTracking / disableTaskTracking (WeakRef registry)
 *     dump-tasks.ts      dumpTasks, formatTasks (async stacks of suspended machines)
 *     task-tree.ts       dumpTaskTree, formatTaskTree (tasks under their spawner, scope → children)
 *     task-frame.ts      one suspended machine as both of them show it
 *     async-trace.ts     enableAsyncStackTraces, asyncStackOf
 *     snapshot.ts        snapshot, restore, registerFunctions
 *     serialize.ts       the value encoding snapshots use (decoding treats data as untrusted)
 *     integrity.ts       optional HMAC of a snapshot, checked before restore decodes it
 *     describe-machine.ts, machine-info.ts   what is known about a compiled function
 *     format-value.ts    one-line value previews
 *     hooks.ts           the single installer of the machine's hooks
 */
export { enableTaskTracking, disableTaskTracking, isTaskTracking, trackedMachines, machineOfPromise, trackedTasks, parentTaskOf } from "./tracking";
export { dumpTasks, formatTasks } from "./dump-tasks";
export type { AsyncStack } from "./dump-tasks";
export type { TaskFrame, LiveValue, DumpOptions } from "./task-frame";
export { dumpTaskTree, formatTaskTree } from "./task-tree";
export type { TaskTreeNode, TaskNode, ScopeNode } from "./task-tree";
export { enableAsyncStackTraces, disableAsyncStackTraces, asyncStackOf } from "./async-trace";
export type { AsyncFrame } from "./async-trace";
export { snapshot, restore, registerFunctions, SNAPSHOT_FORMAT } from "./snapshot";
export type { MachineSnapshot, Outcome, RestoreOptions, SnapshotOptions } from "./snapshot";
export type { HmacKey, Integrity } from "./integrity";
export { describeMachine } from "./describe-machine";
export type { FunctionDescription } from "./describe-machine";
export type { MachineInfo } from "./machine-info";
export { formatValue } from "./format-value";
export { InspectError } from "./errors";
