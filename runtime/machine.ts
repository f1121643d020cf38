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
 * Timing (the semantics contract): `await x` resumes exactly when native `await x` would. `m.await`
 * hands `x` to a one-line native async function (`resumeAfter`) whose own `await x` performs
 * `PromiseResolve(%Promise%, x)` and `PerformPromiseThen` inside the engine, so monkey-patched
 * `Promise.prototype.then`, `constructor` getters and `Promise[Symbol.species]` are consulted
 * exactly as often as native `await` consults them (`then`: never; the `constructor` of a native
 * promise: once; `@@species`: never). `poll` makes a machine a `Future` for the executor.
 */

import type { Context } from "./context";
import type { Future } from "./future";
import { PENDING, type Poll } from "./poll";
import type { Waker } from "./waker";
import type { MachineInfo } from "./inspect/machine-info";

const NativePromise = Promise;
const promiseThen = Promise.prototype.then;

/**
 * Waits for `value` with a native `await` and then steps `m` in the same microtask.
 *
 * Why a native `await` and not `Promise.resolve(value).then(…)`: `then` adds observable work
 * native `await` never does — SpeciesConstructor reads `promise.constructor` (a second time for
 * a native promise, whose `constructor` PromiseResolve has already read) and
 * `Promise[Symbol.species]` — so a getter on either ran once more per await than natively
 * (test/runtime/machine-timing.test.ts, cases "native promise with an own constructor getter",
 * "patched Promise.prototype.constructor getter", "patched Promise[Symbol.species] getter").
 * Letting the engine evaluate the `await` makes every lookup, tick and `then` override behave as
 * native by construction. The price is one async-function activation per await. Measured on
 * Node 20, 2M awaits of a plain value: one machine ~65 ns per await (the `then` version ~50,
 * native ~50); 1000 machines awaiting in turn ~115 ns (the `then` version ~60, native ~55). The
 * speed work (DESIGN "Where this is going" 3/4) should win this back where semantics allow.
 *
 * A synchronous throw of the `await` itself (PromiseResolve reading a throwing `constructor`
 * getter of a native promise) is thrown by native code at the `await`, into the function's own
 * `try`. Here it is caught while `m.await` is still on the stack (`inAwaitCall`), handed back
 * through `syncThrow`, and rethrown by `m.await`, inside the generated code's `try`.
 *
 * `m.step` runs outside the `try`: only a rejection of `value` is a throw into the machine.
 */
async function resumeAfter(m: Machine, value: unknown): Promise<void> {
  let result: unknown;
  try {
    result = await value;
  } catch (error) {
    if (inAwaitCall) {
      syncThrow = { error };
      return;
    }
    m.awaiting = undefined;
    m.step(error, true);
    return;
  }
  m.awaiting = undefined;
  m.step(result, false);
}

/**
 * A fulfilled native promise for awaits of primitives. Its own `constructor` is a plain object
 * without `Symbol.species`, so `then`'s SpeciesConstructor takes the intrinsic %Promise% without
 * reading anything a program can patch (`Promise.prototype.constructor`, `Promise[@@species]`).
 */
const SETTLED: Promise<void> = NativePromise.resolve();
Object.defineProperty(SETTLED, "constructor", { value: Object.freeze({}) });

/**
 * True while `Machine.await` is in its synchronous call of `resumeAfter`. Saved and restored
 * around the call, because a getter PromiseResolve runs may itself start machines that await.
 */
let inAwaitCall = false;
/** An error the `await` expression threw synchronously, on its way back to `Machine.await`. */
let syncThrow: { error: unknown } | undefined = undefined;

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

let capturedResolve: (value: unknown) => void;
let capturedReject: (reason: unknown) => void;
function captureCapability(resolve: (value: unknown) => void, reject: (reason: unknown) => void) {
  capturedResolve = resolve;
  capturedReject = reject;
}

/** Listener for completion, used by the executor and by machines awaiting machines. */
export type CompletionListener = (m: Machine) => void;

export class Machine implements Future<unknown> {
  /** The state: `Unresumed`, a suspend state, `Returned` or `Panicked`. */
  s: number = ReservedState.Unresumed;
  /** The frame: live values by offset. */
  f: unknown[];
  /** Locals closures capture, by offset; set by the generated code, kept after completion. */
  c: unknown[] | undefined = undefined;
  /** `this` of the call (for arrows: of the enclosing function). */
  t: unknown;
  /** The call's arguments (for arrows: the enclosing function's, when the body uses them). */
  a: ArrayLike<unknown>;
  /** For methods that use `super`: `(key, value, isSet) => …super[key]…`, created by the method's wrapper. */
  h: SuperAccessor | undefined;
  /** For async arrows that read `arguments`: the enclosing function's arguments object. */
  o: ArrayLike<unknown> | undefined;
  /** For async arrows that read `new.target`: the enclosing function's. */
  n: unknown;
  /** Continues after an await of a primitive (created on first use). */
  private onSettled: (() => void) | undefined = undefined;
  /** The return value staged by `ret`, or the error after a panic. */
  r: unknown = undefined;
  /** The state enum (names), for dumps; may be undefined if the machine started before it was defined. */
  readonly names: StateEnum | undefined;
  readonly resume: Resume;
  readonly promise: Promise<unknown>;
  private resolveFn: (value: unknown) => void;
  private rejectFn: (reason: unknown) => void;
  /** The value this machine waits on, while suspended (for dumps and snapshots). */
  awaiting: unknown = undefined;
  private listeners: CompletionListener[] | undefined = undefined;
  /** The last waker `poll` registered (each distinct waker is registered once). */
  private pollWaker: Waker | undefined = undefined;
  /** A poller has taken over the error of a panic, so `promise` is marked handled (see `poll`). */
  private rejectionObserved = false;

  constructor(resume: Resume, frameSize: number, names: StateEnum | undefined, thisArg: unknown, args: ArrayLike<unknown>, home: SuperAccessor | undefined, outerArguments: ArrayLike<unknown> | undefined, newTarget?: unknown) {
    this.resume = resume;
    this.f = frameSize === 0 ? EMPTY_FRAME : new Array(frameSize);
    this.names = names;
    this.t = thisArg;
    this.a = args;
    this.h = home;
    this.o = outerArguments;
    this.n = newTarget;
    this.promise = new NativePromise(captureCapability);
    this.resolveFn = capturedResolve;
    this.rejectFn = capturedReject;
    // Not kept past this point: they would hold this machine's promise (and later its value).
    capturedResolve = capturedReject = undefined!;
  }

  /** Runs the resume function once: until the next await or completion. */
  step(value: unknown, isThrow: boolean): void {
    let result: unknown;
    try {
      result = this.resume(this, value, isThrow);
    } catch (error) {
      if (onPanic !== undefined) onPanic(this, error, isThrow && error === value);
      this.finish(ReservedState.Panicked, error);
      this.rejectFn(error);
      return;
    }
    if (result === DONE) {
      this.finish(ReservedState.Returned, this.r);
      this.resolveFn(this.r);
    }
  }

  /** Suspends on `value`: resumes in the microtask native `await value` would resume in. */
  await(value: unknown): undefined {
    this.awaiting = value;
    if (value === null || (typeof value !== "object" && typeof value !== "function")) {
      // A primitive: native `await` makes a fulfilled promise and enqueues its reaction at once,
      // looking nothing up. So does a `then` on SETTLED, whose species lookup finds no user code.
      promiseThen.call(SETTLED, (this.onSettled ??= () => {
        const v = this.awaiting;
        this.awaiting = undefined;
        this.step(v, false);
      }));
      return undefined;
    }
    const outer = inAwaitCall;
    inAwaitCall = true;
    void resumeAfter(this, value);
    inAwaitCall = outer;
    const thrown = syncThrow;
    if (thrown !== undefined) {
      syncThrow = undefined;
      this.awaiting = undefined;
      throw thrown.error;
    }
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

  private finish(state: ReservedState, result: unknown): void {
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
  m.step(undefined, false);
  return m.promise;
}

/** Starts a machine and returns it (rather than its promise), for the executor and dumps. */
export function startMachine(resume: Resume, frameSize: number, names: StateEnum | undefined, thisArg: unknown, args: ArrayLike<unknown>, home?: SuperAccessor, outerArguments?: ArrayLike<unknown>, newTarget?: unknown): Machine {
  const m = new Machine(resume, frameSize, names, thisArg, args, home, outerArguments, newTarget);
  if (onStart !== undefined) onStart(m);
  m.step(undefined, false);
  return m;
}
