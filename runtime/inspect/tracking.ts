/**
 * Opt-in registry of running compiled machines, for `dumpTasks`, `snapshot(promise)` and async
 * stack traces: `enableTaskTracking()` before the machines of interest start.
 *
 * In:  every machine started (`start`/`startMachine`) while tracking is on, and restored ones;
 *      every task spawned (`Executor.spawn`) while it is on, with the task whose poll spawned it.
 * Out: the live machines (`trackedMachines`), the machine behind a promise (`machineOfPromise`),
 *      the running tasks (`trackedTasks`) and who spawned each (`parentTaskOf`).
 *
 * Never leaks: machines are held through `WeakRef`s, the set entry is dropped by a
 * `FinalizationRegistry` when the machine is collected (and finished machines are pruned on each
 * read), and promise → machine is a `WeakMap` of `WeakRef`s; tasks likewise, and a task's
 * parent is held through a `WeakRef` (a running child does not keep a finished parent). Tracking keeps nothing alive that
 * the program does not (test/inspect/memory.test.ts). Off (the default), it costs nothing: no hook is installed.
 */
import { ReservedState, type Machine } from "../machine";
import type { Task } from "../task";
import { setTaskSpawnHook, setTrackHook } from "./hooks";

let refs: Set<WeakRef<Machine>> | undefined;
/**
 * Promise → machine, weakly both ways: a WeakMap value is strong while its key lives, and a
 * machine's promise can outlive the machine (the runtime keeps the last promise's resolve
 * functions; anything may hold a promise), which must not keep the machine and its frame.
 */
let byPromise = new WeakMap<Promise<unknown>, WeakRef<Machine>>();
const collected = new FinalizationRegistry<WeakRef<Machine>>((ref) => refs?.delete(ref));
let taskRefs: Set<WeakRef<Task<unknown>>> | undefined;
let parents = new WeakMap<Task<unknown>, WeakRef<Task<unknown>>>();
const collectedTasks = new FinalizationRegistry<WeakRef<Task<unknown>>>((ref) => taskRefs?.delete(ref));

/** Starts recording machines as they start. Machines started earlier are not seen. */
export function enableTaskTracking(): void {
  if (refs !== undefined) return;
  refs = new Set();
  taskRefs = new Set();
  setTrackHook(track);
  setTaskSpawnHook(trackTask);
}

/** Stops recording and forgets every machine recorded so far. */
export function disableTaskTracking(): void {
  refs = undefined;
  byPromise = new WeakMap();
  taskRefs = undefined;
  parents = new WeakMap();
  setTrackHook(undefined);
  setTaskSpawnHook(undefined);
}

export function isTaskTracking(): boolean {
  return refs !== undefined;
}

/** Records one machine (the start hook; also used for restored machines). */
export function track(m: Machine): void {
  if (refs === undefined) return;
  const ref = new WeakRef(m);
  refs.add(ref);
  collected.register(m, ref, ref);
  // A machine is tracked before its driver runs, so its promise may not exist yet: then it is
  // indexed when first looked up (machineOfPromise).
  if (m.promise !== undefined) byPromise.set(m.promise, ref);
}

/** The tracked machines that are still alive and not finished, in start order. */
export function trackedMachines(): Machine[] {
  const out: Machine[] = [];
  if (refs === undefined) return out;
  for (const ref of refs) {
    const m = ref.deref();
    if (m === undefined || m.s === ReservedState.Returned || m.s === ReservedState.Panicked) {
      refs.delete(ref);
      if (m !== undefined) collected.unregister(ref);
      continue;
    }
    out.push(m);
  }
  return out;
}

/** The tracked machine whose promise this is. */
export function machineOfPromise(value: unknown): Machine | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const known = byPromise.get(value as Promise<unknown>)?.deref();
  if (known !== undefined || refs === undefined) return known;
  for (const ref of refs) {
    const m = ref.deref();
    if (m !== undefined && m.promise === value) {
      byPromise.set(value as Promise<unknown>, ref);
      return m;
    }
  }
  return undefined;
}

/** Records one spawned task and the task whose poll spawned it (the executor's spawn hook). */
function trackTask(task: Task<unknown>, parent: Task<unknown> | undefined): void {
  if (taskRefs === undefined) return;
  const ref = new WeakRef(task);
  taskRefs.add(ref);
  collectedTasks.register(task, ref, ref);
  if (parent !== undefined) parents.set(task, new WeakRef(parent));
}

/** The tracked tasks that are alive and not completed, in spawn order. */
export function trackedTasks(): Task<unknown>[] {
  const out: Task<unknown>[] = [];
  if (taskRefs === undefined) return out;
  for (const ref of taskRefs) {
    const task = ref.deref();
    if (task === undefined || task.isCompleted) {
      taskRefs.delete(ref);
      if (task !== undefined) collectedTasks.unregister(ref);
      continue;
    }
    out.push(task);
  }
  return out;
}

/** The task whose poll spawned `task` (while tracking was on), if it is still alive. */
export function parentTaskOf(task: Task<unknown>): Task<unknown> | undefined {
  return parents.get(task)?.deref();
}
