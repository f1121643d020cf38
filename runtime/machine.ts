/**
 * The promise-mode machine: the object a compiled async function runs in.
 *
 * A compiled `async function f` becomes a wrapper that calls `start(f$resume, …)` and a resume
 * function (defined once, beside the original) that is a `switch` over the machine's state. The
 * machine holds what must outlive one run of the resume function:
 *
 *     Machine { s: state, f: [slot 0, slot 1, …], t: this, a: arguments, o: outer machine }
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
 * Timing (the semantics contract): `await x` resumes exactly when native `await x` would —
 * `PromiseResolve(%Promise%, x)` then `PerformPromiseThen`. Both are reached through the
 * original `Promise.resolve` / `Promise.prototype.then` captured at load time, so a program that
 * monkey-patches them later does not see its patches called, just as with native `await`.
 */

const NativePromise = Promise;
const promiseResolve = Promise.resolve;
const promiseThen = Promise.prototype.then;

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

/** A per-function enum: names by number and numbers by name, as TypeScript enums are. */
export type StateEnum = Readonly<Record<string | number, string | number>>;

/** Builds a machine's state enum object: `states(["Unresumed", …])[0] === "Unresumed"`. */
export function states(names: readonly string[]): StateEnum {
  const e: Record<string | number, string | number> = {};
  for (let i = 0; i < names.length; i++) {
    e[(e[names[i]] = i)] = names[i];
  }
  return Object.freeze(e);
}

let capturedResolve: (value: unknown) => void;
let capturedReject: (reason: unknown) => void;
function captureCapability(resolve: (value: unknown) => void, reject: (reason: unknown) => void) {
  capturedResolve = resolve;
  capturedReject = reject;
}

/** Listener for completion, used by the executor and by machines awaiting machines. */
export type CompletionListener = (m: Machine) => void;

export class Machine {
  /** The state: `Unresumed`, a suspend state, `Returned` or `Panicked`. */
  s: number = ReservedState.Unresumed;
  /** The frame: live values by offset. */
  f: unknown[];
  /** `this` of the call (for arrows: of the enclosing function). */
  t: unknown;
  /** The call's arguments (for arrows: the enclosing function's, when the body uses them). */
  a: ArrayLike<unknown>;
  /** The machine (or environment) of the enclosing compiled function, for nested machines. */
  o: unknown;
  /** The return value staged by `ret`, or the error after a panic. */
  r: unknown = undefined;
  /** The state enum (names), for dumps; may be undefined if the machine started before it was defined. */
  readonly names: StateEnum | undefined;
  readonly resume: Resume;
  readonly promise: Promise<unknown>;
  private resolveFn: (value: unknown) => void;
  private rejectFn: (reason: unknown) => void;
  private onFulfilled: ((value: unknown) => void) | undefined = undefined;
  private onRejected: ((reason: unknown) => void) | undefined = undefined;
  /** The value this machine waits on, while suspended (for dumps and snapshots). */
  awaiting: unknown = undefined;
  private listeners: CompletionListener[] | undefined = undefined;

  constructor(resume: Resume, frameSize: number, names: StateEnum | undefined, thisArg: unknown, args: ArrayLike<unknown>, outer: unknown) {
    this.resume = resume;
    this.f = frameSize === 0 ? EMPTY_FRAME : new Array(frameSize);
    this.names = names;
    this.t = thisArg;
    this.a = args;
    this.o = outer;
    this.promise = new NativePromise(captureCapability);
    this.resolveFn = capturedResolve;
    this.rejectFn = capturedReject;
  }

  /** Runs the resume function once: until the next await or completion. */
  step(value: unknown, isThrow: boolean): void {
    let result: unknown;
    try {
      result = this.resume(this, value, isThrow);
    } catch (error) {
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
    const promise = promiseResolve.call(NativePromise, value) as Promise<unknown>;
    promiseThen.call(
      promise,
      (this.onFulfilled ??= (v: unknown) => {
        this.awaiting = undefined;
        this.step(v, false);
      }),
      (this.onRejected ??= (e: unknown) => {
        this.awaiting = undefined;
        this.step(e, true);
      }),
    );
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

  private finish(state: ReservedState, result: unknown): void {
    this.s = state;
    this.r = result;
    this.f = EMPTY_FRAME;
    this.a = EMPTY_FRAME;
    this.o = undefined;
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

const EMPTY_FRAME: unknown[] = [];
Object.freeze(EMPTY_FRAME);

/**
 * Starts a compiled async function: builds its machine, runs it synchronously to its first
 * `await` (as native async functions do) and returns its native promise.
 */
export function start(resume: Resume, frameSize: number, names: StateEnum | undefined, thisArg: unknown, args: ArrayLike<unknown>, outer?: unknown): Promise<unknown> {
  const m = new Machine(resume, frameSize, names, thisArg, args, outer);
  m.step(undefined, false);
  return m.promise;
}

/** Starts a machine and returns it (rather than its promise), for the executor and dumps. */
export function startMachine(resume: Resume, frameSize: number, names: StateEnum | undefined, thisArg: unknown, args: ArrayLike<unknown>, outer?: unknown): Machine {
  const m = new Machine(resume, frameSize, names, thisArg, args, outer);
  m.step(undefined, false);
  return m;
}
