/**
 * The promise-mode machine: the object a compiled async function runs in.
 *
 * A compiled `async function f` becomes a wrapper that calls `start(f$resume, …)` and a resume
 * function (defined once, beside the original) that is a `switch` over the machine's state. The
 * machine holds what must outlive one run of the resume function:
 *
 *     Machine { s: state, f: [slot 0, slot 1, …], c: [captured…], t: this, a: arguments, h: super accessor, o: outer arguments }
 *
 * `f` is the frame: every value live across an `await` sits at a fixed offset chosen by the
 * compiler's layout pass. Nothing in the frame points back into the machine, so the frame can be
 * replaced, copied or serialized while the machine is suspended (see `snapshot`).
 *
 * Contract with generated code (transformer/emit/emit-machine.ts):
 *  - `resume(m, value, isThrow)` runs until the next `await` or the end. It returns `SUSPENDED`
 *    (undefined) after `return m.await(x)`, or `DONE` after `return m.ret(x)`; an exception that
 *    escapes it rejects the promise.
 *  - Before `m.await(x)` the code stores the state number in `m.s` and every live value in `m.f`;
 *    slots not live at that state are cleared, so a suspended machine retains nothing dead.
 *
 * Timing (the semantics contract): `await x` resumes exactly when native `await x` would,
 * because it *is* a native `await`: a machine runs inside `drive`, a native async function that
 * calls the resume function until it suspends, then performs `await m.awaiting` itself and
 * calls it again. The engine does PromiseResolve and PerformPromiseThen, so monkey-patched
 * `then`, `constructor` getters and `Promise[Symbol.species]` are consulted exactly as often as
 * native code consults them, a rejection arrives as a throw at the await, and the machine's
 * promise is the driver's own: returning a thenable or throwing settles it as a native async
 * function would. The driver costs what an async function activation costs — nothing per await
 * beyond the native await itself. `poll` makes a machine a `Future` for the executor.
 */

import type { Context } from "./context";
import type { Future } from "./future";
import { PENDING, type Poll } from "./poll";
import type { Waker } from "./waker";
import type { MachineInfo } from "./inspect/machine-info";

const NativePromise = Promise;
const promiseThen = Promise.prototype.then;

/**
 * Runs a machine to completion: resume until it suspends, `await` what it awaits (a native
 * await: exact timing and lookups), deliver the outcome, repeat. `suspended`: start by awaiting
 * `m.awaiting` (a restored machine) rather than by running the resume function.
 */
async function drive(m: Machine, value: unknown, isThrow: boolean, suspended: boolean): Promise<unknown> {
  for (;;) {
    if (suspended) {
      try {
        value = await m.awaiting;
        isThrow = false;
      } catch (error) {
        value = error;
        isThrow = true;
      }
      m.awaiting = undefined;
    }
    suspended = true;
    let result: unknown;
    try {
      result = m.resume(m, value, isThrow);
    } catch (error) {
      if (onPanic !== undefined) onPanic(m, error, isThrow && error === value);
      m.finish(ReservedState.Panicked, error);
      throw error;
    }
    if (result === DONE) {
      m.finish(ReservedState.Returned, m.r);
      return m.r;
    }
  }
}

/** What the resume function returns when the machine finished (`return m.ret(x)`). */
export const DONE = true;

/** Reserved states, present in every machine (rustc's coroutine variant names). */
export const enum ReservedState {
  Unresumed = 0,
  Returned = 1,
  Panicked = 2,
  /** The first suspend state; suspend states are numbered from here in source order. */
  FirstSuspend = 3,
}

export type Resume = (m: Machine, value: unknown, isThrow: boolean) => unknown;

/** Reads (`h(key)`) or writes (`h(key, value, 1)`) a property of the method's home object's prototype. */
export type SuperAccessor = (key: PropertyKey, value?: unknown, isSet?: 1) => unknown;

/** A per-function enum: names by number and numbers by name, as TypeScript enums are. */
export type StateEnum = Readonly<Record<string | number, string | number>>;

/**
 * Builds a machine's state enum object: `states(["Unresumed", …])[0] === "Unresumed"`.
 * `info` (optional, runtime/inspect/machine-info.ts) is what dumps and snapshots read about the
 * function; it is kept beside the enum, never read on the hot path.
 */
export function states(names: readonly string[], info?: MachineInfo): StateEnum {
  const e: Record<string | number, string | number> = {};
  for (let i = 0; i < names.length; i++) {
    e[(e[names[i]] = i)] = names[i];
  }
  Object.freeze(e);
  if (info !== undefined) machineInfos.set(e, info);
  return e;
}

/** `MachineInfo` by state enum, for runtime/inspect. */
const machineInfos = new WeakMap<StateEnum, MachineInfo>();

/** The `MachineInfo` passed to `states` with this enum, if any. */
export function machineInfoOf(names: StateEnum | undefined): MachineInfo | undefined {
  return names === undefined ? undefined : machineInfos.get(names);
}

/**
 * Hooks for runtime/inspect: task tracking and snapshot probes (`onStart`, called with each new
 * machine before its first step; it may throw to abandon the start) and async stack traces
 * (`onPanic`, called before a machine records a panic, with whether the error is the rejection
 * it was resumed with). Both undefined unless a feature is enabled: the cost when off is one
 * comparison per start and per panic, nothing per await.
 */
export interface InspectHooks {
  onStart: ((m: Machine) => void) | undefined;
  onPanic: ((m: Machine, error: unknown, fromAwait: boolean) => void) | undefined;
}
let onStart: InspectHooks["onStart"] = undefined;
let onPanic: InspectHooks["onPanic"] = undefined;

/** Installs hooks (runtime/inspect only) and returns the previous ones. */
export function setInspectHooks(hooks: InspectHooks): InspectHooks {
  const previous = { onStart, onPanic };
  onStart = hooks.onStart;
  onPanic = hooks.onPanic;
  return previous;
}

/** Listener for completion, used by the executor and by machines awaiting machines. */
export type CompletionListener = (m: Machine) => void;

export class Machine implements Future<unknown> {
  // Fields are declared, not initialized: the constructor assigns the ones every machine has,
  // in one order, so all machines share one hidden class and creating one is a few stores
  // (class-field initializers would [[Define]] each property, measurably slower per call).
  // The rarely used ones (listeners, pollWaker, rejectionObserved) stay absent until needed.

  /** The state: `Unresumed`, a suspend state, `Returned` or `Panicked`. */
  declare s: number;
  /** The frame: live values by offset. */
  declare f: unknown[];
  /** Locals closures capture, by offset; set by the generated code, kept after completion. */
  declare c: unknown[] | undefined;
  /** `this` of the call (for arrows: of the enclosing function). */
  declare t: unknown;
  /** The call's arguments (for arrows: the enclosing function's, when the body uses them). */
  declare a: ArrayLike<unknown>;
  /** For methods that use `super`: `(key, value, isSet) => …super[key]…`, created by the method's wrapper. */
  declare h: SuperAccessor | undefined;
  /** For async arrows that read `arguments`: the enclosing function's arguments object. */
  declare o: ArrayLike<unknown> | undefined;
  /** For async arrows that read `new.target`: the enclosing function's. */
  declare n: unknown;
  /** The return value staged by `ret`, or the error after a panic. */
  declare r: unknown;
  /** The state enum (names), for dumps; may be undefined if the machine started before it was defined. */
  declare readonly names: StateEnum | undefined;
  declare readonly resume: Resume;
  /** The machine's promise (its driver's), once it runs. */
  declare promise: Promise<unknown>;
  /** The value this machine waits on, while suspended (for dumps and snapshots). */
  declare awaiting: unknown;
  declare private listeners: CompletionListener[] | undefined;
  /** The last waker `poll` registered (each distinct waker is registered once). */
  declare private pollWaker: Waker | undefined;
  /** A poller has taken over the error of a panic, so `promise` is marked handled (see `poll`). */
  declare private rejectionObserved: boolean | undefined;

  constructor(resume: Resume, frameSize: number, names: StateEnum | undefined, thisArg: unknown, args: ArrayLike<unknown>, home: SuperAccessor | undefined, outerArguments: ArrayLike<unknown> | undefined, newTarget?: unknown) {
    this.s = ReservedState.Unresumed;
    this.f = frameSize === 0 ? EMPTY_FRAME : new Array(frameSize);
    this.c = undefined;
    this.t = thisArg;
    this.a = args;
    this.h = home;
    this.o = outerArguments;
    this.n = newTarget;
    this.r = undefined;
    (this as { names: StateEnum | undefined }).names = names;
    (this as { resume: Resume }).resume = resume;
    this.promise = undefined!;
    this.awaiting = undefined;
  }

  /**
   * Runs the machine from its current state to completion; returns (and keeps) its promise.
   * `run()` starts it (synchronously up to its first await, as native); `run(outcome)` resumes
   * a machine restored at a suspend state by awaiting `outcome` first.
   */
  run(outcome?: { value: unknown } | { error: unknown }): Promise<unknown> {
    if (outcome === undefined) return (this.promise = drive(this, undefined, false, false));
    this.awaiting = "error" in outcome ? NativePromise.reject(outcome.error) : outcome.value;
    return (this.promise = drive(this, undefined, false, true));
  }

  /** Suspends on `value` (the driver awaits it); the generated code writes `return m.await(x)`. */
  await(value: unknown): undefined {
    this.awaiting = value;
    return undefined;
  }

  /** Stages the return value; the generated code writes `return m.ret(x)`. */
  ret(value: unknown): true {
    this.r = value;
    return DONE;
  }

  /** Calls `listener` once the machine has completed (at once if it already has). */
  onComplete(listener: CompletionListener): void {
    if (this.s === ReservedState.Returned || this.s === ReservedState.Panicked) {
      listener(this);
      return;
    }
    (this.listeners ??= []).push(listener);
  }

  /**
   * The machine as a `Future`: Ready with the return value once `Returned`, throws the error once
   * `Panicked`, otherwise registers `cx.waker` to be woken at completion and returns `PENDING`.
   *
   * A promise-mode machine runs itself (each `await` resumes it from a promise reaction); polling
   * only observes it, so polling never steps the machine and a poll without a wake is merely
   * wasted. Each distinct waker is registered once (`onComplete`), so repeated polls by the same
   * task do not grow the listener list.
   *
   * Being polled makes the poller the observer of a failure: the task's join promise carries the
   * error, so the machine's own promise is marked handled rather than reported as unhandled.
   */
  poll(cx: Context): Poll<unknown> {
    const state = this.s;
    if (state === ReservedState.Returned) return this.r;
    if (state === ReservedState.Panicked) {
      this.observeRejection();
      throw this.r;
    }
    const waker = cx.waker;
    if (waker !== this.pollWaker) {
      this.pollWaker = waker;
      this.onComplete((m) => {
        // Runs in `finish`, before the promise is rejected: handled in time, never reported.
        if (m.s === ReservedState.Panicked) m.observeRejection();
        waker.wake();
      });
    }
    return PENDING;
  }

  /** Marks `promise` as handled, once: a poller carries the error on. */
  private observeRejection(): void {
    if (this.rejectionObserved) return;
    this.rejectionObserved = true;
    promiseThen.call(this.promise, undefined, ignoreRejection);
  }

  /** Records completion and tells the listeners (before the promise settles). */
  finish(state: ReservedState, result: unknown): void {
    this.s = state;
    this.r = result;
    // The frame is the machine's alone: drop it. `this`, `arguments`, the super accessor and the
    // captures stay: closures created by the body may still read them through the machine.
    this.f = EMPTY_FRAME;
    const listeners = this.listeners;
    if (listeners !== undefined) {
      this.listeners = undefined;
      for (const listener of listeners) listener(this);
    }
  }

  /** The state's name, e.g. `AwaitReadFile_L12`. */
  get stateName(): string {
    const name = this.names?.[this.s];
    return typeof name === "string" ? name : `State${this.s}`;
  }
}

function ignoreRejection(): void {}

const EMPTY_FRAME: unknown[] = [];
Object.freeze(EMPTY_FRAME);

/**
 * Starts a compiled async function: builds its machine, runs it synchronously to its first
 * `await` (as native async functions do) and returns its native promise.
 */
export function start(resume: Resume, frameSize: number, names: StateEnum | undefined, thisArg: unknown, args: ArrayLike<unknown>, home?: SuperAccessor, outerArguments?: ArrayLike<unknown>, newTarget?: unknown): Promise<unknown> {
  const m = new Machine(resume, frameSize, names, thisArg, args, home, outerArguments, newTarget);
  if (onStart !== undefined) onStart(m);
  return m.run();
}

/** Starts a machine and returns it (rather than its promise), for the executor and dumps. */
export function startMachine(resume: Resume, frameSize: number, names: StateEnum | undefined, thisArg: unknown, args: ArrayLike<unknown>, home?: SuperAccessor, outerArguments?: ArrayLike<unknown>, newTarget?: unknown): Machine {
  const m = new Machine(resume, frameSize, names, thisArg, args, home, outerArguments, newTarget);
  if (onStart !== undefined) onStart(m);
  m.run();
  return m;
}
