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
 * Timing (the semantics contract): `await x` resumes exactly when native `await x` would, and
 * runs exactly the user code native runs. Two ways of waiting keep that promise:
 *
 *  - `x` is a primitive (the common `await i`, `await cond`): native wraps it in a fresh
 *    promise, so nothing user-visible is consulted, and resumes one tick later. The machine
 *    attaches its resume closure (made once per machine) to `TICK`, a fulfilled promise no user
 *    code can reach whose `then` consults no user-visible property: one reaction job, enqueued
 *    at once — the same tick, with no await closure, no generator and no promise per await
 *    beyond the reaction's own.
 *  - `x` is an object (a promise, a thenable, anything else): the machine continues inside
 *    `drive`, a native async function that performs `await x` itself. The engine does
 *    PromiseResolve and PerformPromiseThen, so monkey-patched `then`, `constructor` getters and
 *    `Promise[Symbol.species]` are consulted exactly as often as native code consults them, and
 *    a rejection arrives as a throw at the await. (A machine never goes back from `drive` to
 *    `TICK`: the driver's activation is already paid for, and its awaits are native ones.)
 *
 * The machine's promise: a machine that finishes before its first `await` returns a settled
 * promise (`return v` resolves it as an async function's `return` does: a thenable is followed).
 * One that first waits on an object returns its driver's promise — the activation *is* the
 * async function, settled by its return or throw. One that first waits on a primitive makes a
 * promise and keeps its resolving functions (`resolveFn`, `rejectFn`), which a later driver
 * uses too.
 * `FutureMachine` (what `startMachine` makes) adds `poll`: a machine as a `Future` for the executor.
 */

import type { Context } from "./context";
import type { Future } from "./future";
import { PENDING, type Poll } from "./poll";
import type { Waker } from "./waker";
import {
  ArrayPrototypeToReversed,
  NativePromise,
  ObjectCreate,
  ObjectFreeze,
  ObjectSetPrototypeOf,
  PromisePrototypeThen,
  PromiseReject,
  PromiseResolve,
  ReflectDefineProperty,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
  appendItem,
} from "./primordials";

// Built-ins are reached only through references taken at load (primordials.ts): user code that
// patches `then`, `call`, `push` or the array prototype changes nothing here.

/**
 * A fulfilled promise only this module can reach. Its prototype holds an own data property
 * `constructor: undefined`, so `then` on it finds no species constructor without consulting
 * `Promise.prototype.constructor` or `Promise[Symbol.species]` (which user code may patch): it
 * creates a plain promise for the reaction and enqueues the reaction job at once. The built-in
 * `then` is called through the reference taken at load (`PromisePrototypeThen`). (Not as an own
 * `then` on that prototype: defining `then` on a promise's prototype invalidates V8's promise
 * `then` protector and slows every await in the process — measured +13% instructions on A1.)
 */
const TICK: Promise<unknown> = PromiseResolve(undefined);
ObjectSetPrototypeOf(TICK, ObjectCreate(NativePromise.prototype, { constructor: { value: undefined } }));

/** True when `await x` consults nothing user-visible: `x` is neither an object nor a function. */
function isPrimitive(x: unknown): boolean {
  return (typeof x !== "object" && typeof x !== "function") || x === null;
}

/**
 * Runs a machine from a suspension on `awaiting` to completion with native awaits. Without
 * resolving functions (`m.resolveFn` undefined) this activation's promise is the machine's
 * (returned by `run`); with them the machine already has a promise and is settled through them.
 */
async function drive(m: Machine, awaiting: unknown): Promise<unknown> {
  const resolveFn = m.resolveFn;
  for (;;) {
    let value: unknown;
    let isThrow = false;
    try {
      value = await awaiting;
    } catch (error) {
      value = error;
      isThrow = true;
      if (onThrowIn !== undefined) onThrowIn(m, error, awaiting);
    }
    m.awaiting = undefined;
    let result: unknown;
    try {
      // Called without a receiver (here and below): its frame then reads as the function's
      // name alone, as native's does, not as a method of Machine (`Machine.f$resume`).
      result = (0, m.resume)(m, value, isThrow);
    } catch (error) {
      m.panic(error, isThrow && error === value, awaiting);
      if (resolveFn === undefined) throw error;
      m.rejectFn!(error);
      return undefined;
    }
    if (result === true /* DONE */) {
      m.finish(ReservedState.Returned, m.r);
      if (resolveFn === undefined) return m.r;
      resolveFn(m.r);
      return undefined;
    }
    awaiting = m.awaiting;
  }
}

type ResolveFn = (value: unknown) => void;
type RejectFn = (error: unknown) => void;

/** `new Promise(captureSettlers)` hands the resolving functions to `capturing` (no closure per call). */
let capturing: { resolveFn: ResolveFn | undefined; rejectFn: RejectFn | undefined } | undefined;
function captureSettlers(resolve: ResolveFn, reject: RejectFn): void {
  capturing!.resolveFn = resolve;
  capturing!.rejectFn = reject;
}

/** A promise resolved with `value` as an async function's `return value` resolves its promise. */
function resolvedWith(value: unknown): Promise<unknown> {
  if (isPrimitive(value)) return PromiseResolve(value);
  const holder: { resolveFn: ResolveFn | undefined; rejectFn: RejectFn | undefined } = { resolveFn: undefined, rejectFn: undefined };
  capturing = holder;
  const promise = new NativePromise(captureSettlers);
  capturing = undefined;
  (holder.resolveFn as ResolveFn)(value);
  return promise;
}

/**
 * What the resume function returns when the machine finished (`return m.ret(x)`): `true`. The
 * runtime writes the literal where it returns or compares it (`result === true`), because a
 * module-level constant costs a load with a dead-zone check at every use and an exported one a
 * load from the CommonJS exports object: in the driver that is once per await (measured: 26–31
 * instructions per await on A1 and A2).
 */
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
 * What a wrapper compiled in the production profile passes where the state enum goes
 * (transformer/profile.ts): that profile drops state names and `MachineInfo`, and says so, so
 * dumps, traces and snapshots can tell why they know nothing about the machine.
 */
export const PRODUCTION_BUILD = 0;

/** A machine's state enum; `PRODUCTION_BUILD` when compiled in the production profile; undefined if not known. */
export type MachineStates = StateEnum | typeof PRODUCTION_BUILD | undefined;

/**
 * The second argument of `states(names, info)` (format version 3; versions 1 and 2 are still
 * read): what dumps, async stack traces and snapshots read about a compiled function. Read it
 * through `machineIdOf`, `capturesOf` and `usesOf` (runtime/inspect/machine-info.ts), which fill
 * in what version 3 leaves out.
 */
export interface MachineInfo {
  /**
   * Format version: 3 leaves out what the reader can rebuild (`id` when it is `file#name`,
   * empty `captures`, `uses` that do not hold); 2 and 3 name slots by changes (`slots`
   * below), 1 by full lists.
   */
  readonly v: 1 | 2 | 3;
  /**
   * Stable function id: `<file>#<name>`, the file relative to the project root with `/`
   * separators (`src/orders.ts#approveOrder`); `#<name>@<line>` when a file has two functions
   * with the same name. Left out (version 3) when it is `<file>#<name>`.
   */
  readonly id?: string;
  /**
   * Layout hash (16 hex digits). Emitted by older compilers only (`layout/1`); today's output
   * leaves it out and the runtime derives it from this info and the state names (`layout/2`,
   * layout-hash.ts) when a dump, trace or snapshot first describes the machine.
   */
  readonly hash?: string;
  /** Readable name (`Class.method`, `<anonymous>`). */
  readonly name: string;
  /** The source file, as in `id`. */
  readonly file: string;
  /** 1-based line of the function. */
  readonly line: number;
  /** Per suspend state, index `state - 3`: 1-based line and column of the `await`, and the awaited text. */
  readonly awaits: ReadonlyArray<readonly [line: number, column: number, awaited: string]>;
  /**
   * Only for a file that was itself generated (compiled with an input source map, as
   * `async-machine compile` does after tsc): per suspend state, where that map leads its
   * `await` — the original file as the map names it, 1-based line and column — or null where it
   * leads nowhere. An `at async` frame reads it when the program's frames show the original file.
   */
  readonly original?: ReadonlyArray<readonly [file: string, line: number, column: number] | null>;
  /**
   * Per suspend state, index `state - 3`, which variable sits at each frame offset (temporaries
   * start with `$`). Version 2: the offsets whose variable differs from the state before's (the
   * first state's from an empty frame), as flat pairs `[offset, name or null (unused), …]` —
   * linear in the changes, where full lists grow with states × frame size. Version 1: the full
   * list, name by offset, `null` for a slot the state does not use. `slotNamesOf` decodes both.
   */
  readonly slots: ReadonlyArray<ReadonlyArray<string | number | null>>;
  /** Captured variables by offset in `m.c`. Left out (version 3) when there are none. */
  readonly captures?: readonly string[];
  /**
   * Only when some state has them: per suspend state, index `state - 3`, the fields of
   * per-iteration environment records live across its await (their records sit in frame slots).
   */
  readonly env?: ReadonlyArray<readonly string[]>;
  /**
   * Whether code after the first await may read `this` (`m.t`), the arguments object (`m.a`),
   * `super` (`m.h`), an enclosing function's `arguments` (`m.o`) or `new.target` (`m.n`).
   * Version 3 lists only the facts that hold, and leaves `uses` out when none does.
   */
  readonly uses?: Partial<MachineUses>;
}

/** What a machine's code after its first await may read from the machine (MachineInfo.uses). */
export interface MachineUses {
  readonly this: boolean;
  readonly arguments: boolean;
  readonly super: boolean;
  readonly outerArguments: boolean;
  readonly newTarget: boolean;
}

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
  ObjectFreeze(e);
  if (info !== undefined) WeakMapPrototypeSet(machineInfos, e, info);
  return e;
}

/** `MachineInfo` by state enum, for runtime/inspect. */
const machineInfos = new WeakMap<StateEnum, MachineInfo>();

/** The `MachineInfo` passed to `states` with this enum, if any. */
export function machineInfoOf(names: MachineStates): MachineInfo | undefined {
  // (WeakMap's get answers undefined for PRODUCTION_BUILD, `0`, as for any key that is not an object.)
  return names === undefined ? undefined : WeakMapPrototypeGet(machineInfos, names as StateEnum);
}

/**
 * Hooks for runtime/inspect: task tracking and snapshot probes (`onStart`, called with each new
 * machine before its first step; it may throw to abandon the start) and async stack traces
 * (`onPanic`, called before a machine records a panic, with whether the error is the rejection
 * it was resumed with, and what it was awaiting; `onThrowIn`, called when a rejection is
 * resumed into a machine, which may rethrow it later, after a `finally` or `catch` that awaits).
 * All undefined unless a feature is enabled: the cost when off is one comparison per start, per
 * panic and per rejection resumed, nothing per await.
 */
export interface InspectHooks {
  onStart: ((m: Machine) => void) | undefined;
  onPanic: ((m: Machine, error: unknown, fromAwait: boolean, awaited: unknown) => void) | undefined;
  onThrowIn?: ((m: Machine, error: unknown, awaited: unknown) => void) | undefined;
}
let onStart: InspectHooks["onStart"] = undefined;
let onPanic: InspectHooks["onPanic"] = undefined;
let onThrowIn: InspectHooks["onThrowIn"] = undefined;

/** Installs hooks (runtime/inspect only) and returns the previous ones. */
export function setInspectHooks(hooks: InspectHooks): InspectHooks {
  const previous = { onStart, onPanic, onThrowIn };
  onStart = hooks.onStart;
  onPanic = hooks.onPanic;
  onThrowIn = hooks.onThrowIn;
  return previous;
}

/** Tells the inspect hooks of a machine started elsewhere (an async generator's: async-generator.ts), before its first step. */
export function announceStart(m: Machine): void {
  if (onStart !== undefined) onStart(m);
}

/** Listener for completion, used by the executor and by machines awaiting machines. */
export type CompletionListener = (m: Machine) => void;

/** The listener `poll` registers, tagged with its waker so `drop` can find it. */
type PollListener = CompletionListener & { waker?: Waker };

export class Machine {
  // Fields are declared, not initialized: the constructor assigns the ones every machine has,
  // in one order, so all machines share one hidden class and creating one is a few stores
  // (class fields for all of them, each [[Define]]d: +9% instructions on bench C, measured).
  // The rarely used ones (the super accessor, outer arguments and new.target of the few functions
  // that need them; the resolving functions and tick reaction of a machine that waited on a
  // primitive first; listeners, pollWaker, rejectionObserved) stay absent until needed: a
  // machine is smaller and quicker to make when it does not carry them.
  // No assignment or read of a field meets an accessor user code puts on `Object.prototype`
  // (`set s(v) {}` would swallow the state and loop the dispatch forever): the prototype chain
  // of a machine ends at `Machine.prototype` (see below the class).

  /** The state: `Unresumed`, a suspend state, `Returned` or `Panicked`. */
  declare s: number;
  /** The frame: live values by offset. */
  declare f: unknown[];
  /** Locals closures capture, by offset; set by the generated code, kept after completion. */
  declare c: unknown[] | undefined;
  /** `this` of the call (for arrows: of the enclosing function). */
  declare t: unknown;
  /** The call's arguments (for arrows: the enclosing function's, when the body uses them). */
  declare a: ArrayLike<unknown> | undefined;
  /** For methods that use `super`: `(key, value, isSet) => …super[key]…`, created by the method's wrapper. */
  declare h: SuperAccessor | undefined;
  /** For async arrows that read `arguments`: the enclosing function's arguments object. */
  declare o: ArrayLike<unknown> | undefined;
  /** For async arrows that read `new.target`: the enclosing function's. */
  declare n: unknown;
  /** The return value staged by `ret`, or the error after a panic. */
  declare r: unknown;
  /** The state enum (names), for dumps; may be undefined if the machine started before it was defined. */
  declare readonly names: MachineStates;
  declare readonly resume: Resume;
  /** The machine's promise (its driver's), once it runs. */
  declare promise: Promise<unknown>;
  /** The value this machine waits on, while suspended (for dumps and snapshots). */
  declare awaiting: unknown;
  /** The resolving functions of `promise`, when the machine made it (it first waited on a primitive). */
  declare resolveFn: ResolveFn | undefined;
  declare rejectFn: RejectFn | undefined;
  /** The reaction that resumes the machine after a tick (`await` of a primitive), made once. */
  declare private tick: (() => void) | undefined;
  /** Completion listeners (`FutureMachine.onComplete`), told by `finish`. */
  declare protected listeners: CompletionListener[] | undefined;

  constructor(
    resume: Resume,
    frame: unknown[],
    names: MachineStates,
    thisArg: unknown,
    args: ArrayLike<unknown> | undefined,
    home: SuperAccessor | undefined,
    outerArguments: ArrayLike<unknown> | undefined,
    newTarget?: unknown,
  ) {
    this.s = ReservedState.Unresumed;
    this.f = frame;
    this.c = undefined;
    this.t = thisArg;
    this.a = args;
    if (home !== undefined) this.h = home;
    if (outerArguments !== undefined) this.o = outerArguments;
    if (newTarget !== undefined) this.n = newTarget;
    this.r = undefined;
    (this as { names: MachineStates }).names = names;
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
    if (outcome !== undefined) {
      this.awaiting = "error" in outcome ? PromiseReject(outcome.error) : outcome.value;
      return (this.promise = this.firstWait());
    }
    let result: unknown;
    try {
      result = (0, this.resume)(this, undefined, false);
    } catch (error) {
      this.panic(error, false);
      return (this.promise = PromiseReject(error));
    }
    if (result === true /* DONE */) {
      this.finish(ReservedState.Returned, this.r);
      return (this.promise = resolvedWith(this.r));
    }
    return (this.promise = this.firstWait());
  }

  /** The first suspension (on `this.awaiting`): makes the machine's promise and waits. */
  private firstWait(): Promise<unknown> {
    const awaiting = this.awaiting;
    if (!isPrimitive(awaiting)) return drive(this, awaiting);
    capturing = this;
    const promise = new NativePromise(captureSettlers);
    capturing = undefined;
    PromisePrototypeThen(TICK, (this.tick = () => this.step(this.awaiting)));
    return promise;
  }

  /** Resumes after a tick with the primitive `value`, and runs to the next suspension. */
  private step(value: unknown): void {
    this.awaiting = undefined;
    let result: unknown;
    try {
      result = (0, this.resume)(this, value, false);
    } catch (error) {
      this.panic(error, false);
      this.rejectFn!(error);
      return;
    }
    if (result === true /* DONE */) {
      this.finish(ReservedState.Returned, this.r);
      this.resolveFn!(this.r);
      return;
    }
    const awaiting = this.awaiting;
    if (isPrimitive(awaiting)) PromisePrototypeThen(TICK, this.tick);
    else void drive(this, awaiting);
  }

  /**
   * Records a panic: `error` escaped the resume function (`fromAwait`: it is the rejection it was
   * resumed with, from awaiting `awaited`).
   */
  panic(error: unknown, fromAwait: boolean, awaited?: unknown): void {
    if (onPanic !== undefined) onPanic(this, error, fromAwait, awaited);
    this.finish(ReservedState.Panicked, error);
  }

  /** Suspends on `value` (the driver awaits it); the generated code writes `return m.await(x)`. */
  await(value: unknown): undefined {
    this.awaiting = value;
    return undefined;
  }

  /** Stages the return value; the generated code writes `return m.ret(x)`. */
  ret(value: unknown): true {
    this.r = value;
    return true; // DONE
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
      for (let i = 0; i < listeners.length; i++) listeners[i](this);
    }
  }

  /** The state's name, e.g. `AwaitReadFile_L12`. */
  get stateName(): string {
    // (PRODUCTION_BUILD, `0`, has no names: `0[s]` is undefined.)
    const name = (this.names as StateEnum | undefined)?.[this.s];
    return typeof name === "string" ? name : `State${this.s}`;
  }
}

// A machine's prototype chain ends here, not at `Object.prototype`: a field assigned before it
// exists (the rarely used ones above) or read while absent never reaches an accessor user code
// defined there. Nothing reads an `Object.prototype` method of a machine. (Own fields from
// construction for all of them would cost +9% instructions on bench C; this costs nothing.)
ObjectSetPrototypeOf(Machine.prototype, null);

/**
 * A machine that is also a `Future` (for the executor, combinators and dumps): what `startMachine`
 * returns and `restore` rebuilds. A compiled function's call (`start`, `startWithFrame`) makes a
 * plain `Machine`, which only a promise observes: a bundle of a program that never makes a machine
 * a future keeps none of this.
 */
export class FutureMachine extends Machine implements Future<unknown> {
  /** The last waker `poll` registered (each distinct waker is registered once). */
  declare private pollWaker: Waker | undefined;
  /** A poller has taken over the error of a panic, so `promise` is marked handled (see `poll`). */
  declare private rejectionObserved: boolean | undefined;

  /** Calls `listener` once the machine has completed (at once if it already has). */
  onComplete(listener: CompletionListener): void {
    if (this.s === ReservedState.Returned || this.s === ReservedState.Panicked) {
      listener(this);
      return;
    }
    const listeners = this.listeners;
    if (listeners === undefined) this.listeners = [listener];
    else appendItem(listeners, listener);
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
      const listener: PollListener = (m) => {
        // Runs in `finish`, before the promise is rejected: handled in time, never reported.
        if (m.s === ReservedState.Panicked) (m as FutureMachine).observeRejection();
        waker.wake();
      };
      // Defined, not assigned: a function's `waker` would be a [[Set]] up to `Object.prototype`.
      ReflectDefineProperty(listener, "waker", { __proto__: null, value: waker } as PropertyDescriptor);
      this.onComplete(listener);
    }
    return PENDING;
  }

  /**
   * A poller that polled the machine with `cx` drops it (a `select` it lost): its completion
   * listener is removed, so a long-lived machine raced again and again keeps no listener per
   * race. The machine keeps running (it runs itself; polling only observes it).
   */
  drop(cx: Context): void {
    // Like `Promise.race` for its inputs, a dropped machine's later failure is handled: the
    // poller looked and chose to stop looking (never an unhandled rejection later).
    if (this.promise !== undefined) this.observeRejection();
    const waker = cx.waker;
    if (this.pollWaker === waker) this.pollWaker = undefined;
    const listeners = this.listeners;
    if (listeners === undefined) return;
    const kept: CompletionListener[] = [];
    for (let i = 0; i < listeners.length; i++) {
      if ((listeners[i] as PollListener).waker !== waker) appendItem(kept, listeners[i]);
    }
    this.listeners = kept;
  }

  /** Marks `promise` as handled, once: a poller carries the error on. */
  private observeRejection(): void {
    if (this.rejectionObserved) return;
    this.rejectionObserved = true;
    PromisePrototypeThen(this.promise, undefined, ignoreRejection);
  }
}

function ignoreRejection(): void {}

const EMPTY_FRAME: unknown[] = [];
ObjectFreeze(EMPTY_FRAME);

/**
 * A frame of `size` slots holding `undefined` (the shared empty frame for none). Never holey
 * (`new Array(size)`): a store into a hole is a [[Set]] that walks the prototype chain, so a
 * setter on `Array.prototype[0]` would receive the local's value and the slot stay empty. Small
 * frames are array literals; larger ones a copy of a template of that size (toReversed: a new
 * array defined element by element, consulting no species and no setter).
 */
export function newFrame(size: number): unknown[] {
  switch (size) {
    case 0:
      return EMPTY_FRAME;
    case 1:
      return [undefined];
    case 2:
      return [undefined, undefined];
    case 3:
      return [undefined, undefined, undefined];
    case 4:
      return [undefined, undefined, undefined, undefined];
    case 5:
      return [undefined, undefined, undefined, undefined, undefined];
    case 6:
      return [undefined, undefined, undefined, undefined, undefined, undefined];
    default:
      return ArrayPrototypeToReversed(frameTemplate(size));
  }
}

/** Frames of `undefined` by size, made once each (a null-prototype table: no lookup leaves it). */
const frameTemplates: Record<number, unknown[]> = /* @__PURE__ */ ObjectCreate(null);
function frameTemplate(size: number): unknown[] {
  let template = frameTemplates[size];
  if (template === undefined) {
    template = [];
    for (let i = 0; i < size; i++) appendItem(template, undefined);
    ReflectDefineProperty(frameTemplates, size, { __proto__: null, value: template, writable: false, enumerable: true, configurable: false } as PropertyDescriptor);
  }
  return template;
}

/**
 * Starts a compiled async function: builds its machine, runs it synchronously to its first
 * `await` (as native async functions do) and returns its native promise.
 */
export function start(
  resume: Resume,
  frameSize: number,
  names: MachineStates,
  thisArg: unknown,
  args?: ArrayLike<unknown>,
  home?: SuperAccessor,
  outerArguments?: ArrayLike<unknown>,
  newTarget?: unknown,
): Promise<unknown> {
  const m = new Machine(resume, newFrame(frameSize), names, thisArg, args, home, outerArguments, newTarget);
  if (onStart !== undefined) onStart(m);
  return m.run();
}

/**
 * `start` for a function whose parameters are plain names it reads only as names: the wrapper
 * passes them as the first offsets of the frame itself (`[a, b, void 0…]`, as long as the frame),
 * so a call allocates no arguments object and no second array.
 */
export function startWithFrame(
  resume: Resume,
  names: MachineStates,
  thisArg: unknown,
  frame: unknown[],
  home?: SuperAccessor,
  outerArguments?: ArrayLike<unknown>,
  newTarget?: unknown,
): Promise<unknown> {
  const m = new Machine(resume, frame, names, thisArg, undefined, home, outerArguments, newTarget);
  if (onStart !== undefined) onStart(m);
  return m.run();
}

/** Starts a machine and returns it (rather than its promise), for the executor and dumps. */
export function startMachine(
  resume: Resume,
  frameSize: number,
  names: MachineStates,
  thisArg: unknown,
  args?: ArrayLike<unknown>,
  home?: SuperAccessor,
  outerArguments?: ArrayLike<unknown>,
  newTarget?: unknown,
): FutureMachine {
  const m = new FutureMachine(resume, newFrame(frameSize), names, thisArg, args, home, outerArguments, newTarget);
  if (onStart !== undefined) onStart(m);
  m.run();
  return m;
}
