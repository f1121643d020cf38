/**
 * Poll-mode async generators: a stream the executor polls, and a consumer can drop.
 *
 * A poll-mode `async function*` returns the same native-shaped async generator object a
 * promise-mode one does (async-generator.ts: the request queue, `return()`/`throw()`, `yield*`
 * and `for await` from any code are the engine's own). Poll mode adds two routes to it:
 *
 *  - the direct route (poll-generator-stream.ts): while only poll-mode `for await` loops step
 *    the generator, each step (`asyncIteratorNextPoll`, and `asyncIteratorReturnPoll` for a
 *    loop's exit) is a future that runs the machine itself — awaits polled inline or through one
 *    waker, a `yield` Ready at once — and dropping the consuming task drops the generator there
 *    (its `finally` blocks run, its `catch` blocks do not). Anything else touching the object
 *    hands it over, for good, to the native route, from where the machine is (that module's
 *    comment says how);
 *  - the native route: `drive` steps the machine, and each `await` of its body waits through a
 *    cancellable wait (`await` below): a future (a poll-mode call, a combinator) is spawned as a
 *    task the generator holds, any other value is awaited natively. A poll-mode `for await`
 *    steps it through a `NextFuture` (the `next()` promise, with `cancel()`): when the consuming
 *    task is cancelled while the body is at an `await`, that wait is ended with `CANCEL` (the
 *    task it awaited cancelled first), its `finally` blocks run once, innermost first, and the
 *    consumer goes on with its own cleanup after them. A consumer cancelled while the generator
 *    is suspended at a `yield` leaves the loop as by a throw: `for await` calls `return()`.
 *
 * Native and promise-mode consumers see a native async generator: their `next()` is the
 * engine's. A generator dropped on the native route settles its pending `next()` with the
 * cancellation and is done afterwards (`next()` gives `{ done: true }`).
 */
import { GeneratorMachine, started } from "./async-generator";
import { asyncIteratorNext, asyncIteratorReturn, asyncIteratorReturnWith, getAsyncIterator } from "./async-iteration";
import type { Context } from "./context";
import { currentExecutor } from "./executor";
import type { Future } from "./future";
import type { IteratorRecord } from "./helpers";
import { newFrame, type Resume, type StateEnum, type SuperAccessor } from "./machine";
import { PENDING, type Poll } from "./poll";
import { CANCEL, Cancelled, isCancellation } from "./poll/cancel";
import { NativePromise, PromisePrototypeThen, WeakMapPrototypeGet, WeakMapPrototypeSet } from "./primordials";
import type { Task } from "./task";
import type { Waker } from "./waker";
import { GeneratorStream, intrinsicNext, intrinsicReturn, type StepResult } from "./poll-generator-stream";

/** One `await` of a poll-mode generator's body, until it settles or is cancelled. */
interface Wait {
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  /** The task the wait spawned for a future operand. */
  task: Task<unknown> | undefined;
  /** Settled (normally or by cancellation): later outcomes are ignored. */
  done: boolean;
}

/** Awaits `value` natively (the engine's lookups: `constructor` of a promise, `then` of a thenable). */
async function awaitNatively(value: unknown): Promise<unknown> {
  return await value;
}

/** The machine of a poll-mode async generator: its awaits can be cancelled. */
export class PollGeneratorMachine extends GeneratorMachine {
  /** The wait of the `await` the body is suspended at, if any. */
  declare wait: Wait | undefined;
  /** Cancelled once: the awaits of its `finally` blocks are ordinary ones. */
  declare cancelled: boolean;
  /** Which route steps it (poll-generator-stream.ts `Route`: 0 fresh, 1 direct, 2 native). */
  declare route: number;
  /** Its direct route, once a poll-mode `for await` took it up. */
  declare stream: GeneratorStream | undefined;
  /** Its `Start` state. */
  declare startState: number;

  constructor(resume: Resume, frame: unknown[], names: StateEnum | undefined, thisArg: unknown, args: ArrayLike<unknown> | undefined, home: SuperAccessor | undefined) {
    super(resume, frame, names, thisArg, args, home);
    this.wait = undefined;
    this.cancelled = false;
    this.route = 0; // Fresh
    this.stream = undefined;
    this.startState = 0;
  }

  /** `return $m.await(x)`: the driver awaits a promise this machine can end with `CANCEL`. */
  override await(value: unknown): undefined {
    if (this.route === 1 /* Direct */) {
      this.awaiting = value; // the stream waits
      return undefined;
    }
    this.wait = undefined;
    if (this.cancelled) {
      this.awaiting = value;
      return undefined;
    }
    const wait: Wait = { resolve: undefined!, reject: undefined!, task: undefined, done: false };
    this.wait = wait;
    this.awaiting = new NativePromise((resolve, reject) => {
      wait.resolve = resolve;
      wait.reject = reject;
    });
    const settle = (isThrow: boolean, outcome: unknown): void => {
      if (wait.done) return;
      wait.done = true;
      if (isThrow) wait.reject(outcome);
      else wait.resolve(outcome);
    };
    if (value !== null && typeof value === "object" && typeof (value as { poll?: unknown }).poll === "function") {
      const task = (wait.task = currentExecutor().spawn(value as Future<unknown>));
      PromisePrototypeThen(
        task.promise,
        (v: unknown) => settle(false, v),
        (e: unknown) => settle(true, e),
      );
    } else {
      PromisePrototypeThen(
        awaitNatively(value),
        (v: unknown) => settle(false, v),
        (e: unknown) => settle(true, e),
      );
    }
    return undefined;
  }

  /**
   * Drops the generator while its body awaits: the awaited task is cancelled and, once it has
   * settled, the body is resumed at that await with `CANCEL`. Returns false (and does nothing)
   * if the body is not at an await, or the generator was cancelled already.
   */
  cancel(): boolean {
    const wait = this.wait;
    if (this.cancelled || wait === undefined || wait.done) return false;
    this.cancelled = true;
    wait.done = true;
    const task = wait.task;
    if (task === undefined) {
      wait.reject(CANCEL);
      return true;
    }
    task.cancel();
    // The child's cleanup first; an error it throws (not its cancellation) is the generator's to see.
    PromisePrototypeThen(
      task.promise,
      () => wait.reject(CANCEL),
      (e: unknown) => wait.reject(isCancellation(e) ? CANCEL : e),
    );
    return true;
  }
}

/** The machine of each poll-mode generator object. */
const machines = new WeakMap<object, PollGeneratorMachine>();

/** `pollStartGenerator(self, f$resume, f$State, this, [a, b…][, home])`: as `startGenerator`, in poll mode. */
export function pollStartGenerator(
  self: Function,
  resume: Resume,
  names: StateEnum | undefined,
  thisArg: unknown,
  frame: unknown[],
  home?: SuperAccessor,
): AsyncGenerator<unknown, unknown, unknown> {
  return registered(new PollGeneratorMachine(resume, frame, names, thisArg, undefined, home), self);
}

/** `pollStartGeneratorWithArguments(self, f$resume, frameSize, f$State, this, arguments[, home])`. */
export function pollStartGeneratorWithArguments(
  self: Function,
  resume: Resume,
  frameSize: number,
  names: StateEnum | undefined,
  thisArg: unknown,
  args?: ArrayLike<unknown>,
  home?: SuperAccessor,
): AsyncGenerator<unknown, unknown, unknown> {
  return registered(new PollGeneratorMachine(resume, newFrame(frameSize), names, thisArg, args, home), self);
}

/** Runs `m` to its `Start` suspend (as `started`) and records the generator object's machine. */
function registered(m: PollGeneratorMachine, self: Function): AsyncGenerator<unknown, unknown, unknown> {
  const generator = started(m, self);
  m.startState = m.s;
  WeakMapPrototypeSet(machines, generator, m);
  return generator;
}

/**
 * The record a poll-mode `for await` holds: GetIterator's, the machine of a poll-mode generator
 * and its stream (when the intrinsic `next` steps it); `value` and `done` are the result of the
 * stream's last step (the loop reads them at once).
 */
export interface PollIteratorRecord extends IteratorRecord, StepResult {
  machine: PollGeneratorMachine | undefined;
  stream: GeneratorStream | undefined;
}

/** What `asyncIteratorNextPoll` returns for a step done at once: its result is the record (`asyncIteratorResultPoll`). A primitive: the loop continues in place. */
const STEPPED: unique symbol = Symbol("async-machine.stepped");

/** `$it = $am.getAsyncIteratorPoll(xs)`: GetIterator(xs, async), as `getAsyncIterator`, in poll mode. */
export function getAsyncIteratorPoll(obj: unknown): PollIteratorRecord {
  const record = getAsyncIterator(obj);
  const iterator = record.iterator as object;
  const m = WeakMapPrototypeGet(machines, iterator);
  let stream: GeneratorStream | undefined = undefined;
  if (m !== undefined && record.next === intrinsicNext && m.route !== 2 /* Native */) stream = m.stream ??= new GeneratorStream(m, iterator);
  return { iterator: record.iterator, next: record.next, machine: m, stream, value: undefined, done: false };
}

/**
 * A poll-mode `for await` step (`await $am.asyncIteratorNextPoll($it)`). Over a poll-mode
 * generator on the direct route, the step runs at once as far as it can (the stream's `eager`):
 * done, it returns `STEPPED` (its result in the record); stopped at an object operand, it
 * returns the stream, a future the loop awaits. Otherwise `next()` is called now, as native, and
 * over a poll-mode generator the result is a `NextFuture` (cancelling it drops the generator),
 * over anything else the `next()` promise as it is.
 */
export function asyncIteratorNextPoll(record: PollIteratorRecord): unknown {
  const stream = record.stream;
  if (stream !== undefined) {
    const route = stream.m.route;
    if (route === 0 /* Fresh */) {
      const promise = stream.park();
      if (promise !== undefined) return new NextFuture(promise, stream.m as PollGeneratorMachine);
    } else if (route !== 1 /* Direct */ || stream.request !== 0 /* None */) return nativeStep(record);
    stream.request = 1; // Next
    stream.record = record;
    return stream.eager() === PENDING ? stream : STEPPED;
  }
  return nativeStep(record);
}

/** `for await`'s step result: the record after a step done at once (`STEPPED`), else the awaited result as it is. */
export function asyncIteratorResultPoll(record: PollIteratorRecord, result: unknown): unknown {
  return result === STEPPED ? record : result;
}

/** Native `next()`, as a `NextFuture` over a poll-mode generator. */
function nativeStep(record: PollIteratorRecord): unknown {
  const result = asyncIteratorNext(record);
  const m = record.machine;
  return m === undefined ? result : new NextFuture(result as Promise<IteratorResult<unknown>>, m);
}

/**
 * A poll-mode `for await` exit (`$am.asyncIteratorReturnPoll($it, isThrow)`): AsyncIteratorClose
 * up to its await, as `asyncIteratorReturn`; over a poll-mode generator on the direct route
 * whose `return` is the intrinsic one, the `return()` is a step of its stream.
 */
export function asyncIteratorReturnPoll(record: PollIteratorRecord, isThrow: boolean): unknown {
  const stream = record.stream;
  if (stream === undefined || stream.m.route !== 1 /* Direct */ || stream.request !== 0) return asyncIteratorReturn(record, isThrow);
  let ret: unknown;
  try {
    ret = (record.iterator as { return?: unknown }).return;
  } catch (error) {
    if (isThrow) return record;
    throw error;
  }
  if (ret !== intrinsicReturn) return asyncIteratorReturnWith(record, ret, isThrow);
  stream.request = 2; // Return
  stream.record = record;
  return stream;
}

/** A pending `next()` of a poll-mode generator, as a future its consumer can cancel. */
export class NextFuture implements Future<IteratorResult<unknown>> {
  private readonly promise: Promise<IteratorResult<unknown>>;
  private readonly machine: PollGeneratorMachine;
  /** 0 not yet listening, 1 waiting, 2 fulfilled, 3 rejected. */
  private state = 0;
  private outcome: unknown = undefined;
  private waker: Waker | undefined = undefined;

  constructor(promise: Promise<IteratorResult<unknown>>, machine: PollGeneratorMachine) {
    this.promise = promise;
    this.machine = machine;
  }

  poll(cx: Context): Poll<IteratorResult<unknown>> {
    if (this.state === 2) return this.outcome as IteratorResult<unknown>;
    if (this.state === 3) throw this.outcome === CANCEL ? new Cancelled("[async-machine] the async generator was cancelled") : this.outcome;
    this.waker = cx.waker;
    if (this.state === 0) {
      this.state = 1;
      PromisePrototypeThen(
        this.promise,
        (value: unknown) => this.settle(2, value),
        (error: unknown) => this.settle(3, error),
      );
    }
    return PENDING;
  }

  /** The consumer is cancelled: the generator is dropped at its await (see the module comment); the next polls wait for its cleanup. */
  cancel(): void {
    this.machine.cancel();
    this.waker?.wake();
  }

  /** Dropped without waiting: the generator is cancelled all the same. */
  drop(_cx?: Context): void {
    this.waker = undefined;
    this.machine.cancel();
  }

  private settle(state: 2 | 3, outcome: unknown): void {
    this.state = state;
    this.outcome = outcome;
    const waker = this.waker;
    this.waker = undefined;
    waker?.wake();
  }
}
