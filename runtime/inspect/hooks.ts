/**
 * The one place that installs runtime/inspect's hooks into the machine (machine.ts
 * `setInspectHooks`): task tracking and snapshot probes share `onStart`, async stack traces use
 * `onPanic`; task tracking also installs the executor's spawn hook (who spawned each task). Each
 * feature sets its slot here; when every slot is empty the machine's hooks are
 * `undefined`, so a program that enables nothing pays one comparison per start and per panic.
 *
 * Invariant: a probe (snapshot.ts `registerFunctions`) runs before tracking and always throws,
 * so a probed call never reaches tracking nor runs any of the function's code.
 */
import { setInspectHooks, type Machine } from "../machine";
import { setPollStartHook, type PollMachine } from "../poll-machine";
import { setSpawnHook } from "../executor";
import type { Task } from "../task";

type StartHook = (m: Machine) => void;
type PanicHook = (m: Machine, error: unknown, fromAwait: boolean, awaited: unknown) => void;
type ThrowInHook = (m: Machine, error: unknown, awaited: unknown) => void;
type SpawnHook = (task: Task<unknown>, parent: Task<unknown> | undefined) => void;

const slots: { track: StartHook | undefined; probe: StartHook | undefined; panic: PanicHook | undefined; throwIn: ThrowInHook | undefined } = {
  track: undefined,
  probe: undefined,
  panic: undefined,
  throwIn: undefined,
};

function install(): void {
  setInspectHooks({ onStart: slots.probe ?? slots.track, onPanic: slots.panic, onThrowIn: slots.throwIn });
  // Poll-mode machines are tracked too (dumpTasks shows them); snapshot probes are promise mode's.
  setPollStartHook(slots.track as ((m: PollMachine) => void) | undefined);
}

export function setTrackHook(hook: StartHook | undefined): void {
  slots.track = hook;
  install();
}

/** Task tracking's other half: every spawned task and its parent (executor.ts `setSpawnHook`). */
export function setTaskSpawnHook(hook: SpawnHook | undefined): void {
  setSpawnHook(hook);
}

export function setProbeHook(hook: StartHook | undefined): void {
  slots.probe = hook;
  install();
}

export function setPanicHook(hook: PanicHook | undefined, throwIn?: ThrowInHook): void {
  slots.panic = hook;
  slots.throwIn = hook === undefined ? undefined : throwIn;
  install();
}
