/**
 * Poll-mode async generators: a stream a poll-mode consumer can drop.
 *
 * A poll-mode `async function*` returns the same native-shaped async generator object a
 * promise-mode one does (async-generator.ts: the request queue, `return()`/`throw()`, `yield*`
 * and `for await` from any code are the engine's own). What poll mode adds is cancellation by
 * dropping, as a stream is dropped in Rust:
 *
 *  - each `await` in the generator's body waits through a cancellable wait (`await` below):
 *    a future (a poll-mode call, a combinator) is spawned as a task the generator holds, any
 *    other value is awaited natively;
 *  - a poll-mode `for await` steps such a generator through `asyncIteratorNextPoll`, which
 *    returns a `NextFuture` instead of the `next()` promise: a future with `cancel()`. When the
 *    consuming task is cancelled while it waits there (the generator is running its body, at an
 *    `await`), the poll-mode machine cancels that child: the generator's pending wait is ended
 *    with `CANCEL` (the task it awaited cancelled first, its own `finally` blocks run), and the
 *    generator is resumed there with it: its `catch` blocks are passed over (the compiled catch
 *    dispatch, as in any poll-mode function), its `finally` blocks run once, innermost first
 *    (their awaits are ordinary ones), and the consumer goes on with its own cleanup after them.
 *  - A consumer cancelled while the generator is suspended at a `yield` (the consumer in its
 *    loop body) leaves the loop as by a throw: `for await` calls `return()`, and the generator
 *    runs its `finally` blocks exactly as native `return()` does.
 *
 * Native and promise-mode consumers see a native async generator: their `next()` is the
 * engine's. A generator dropped this way settles its pending `next()` with the cancellation and
 * is done afterwards (`next()` gives `{ done: true }`).
 */
import { GeneratorMachine, started } from "./async-generator";
import { asyncIteratorNext } from "./async-iteration";
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

  constructor(resume: Resume, frame: unknown[], names: StateEnum | undefined, thisArg: unknown, args: ArrayLike<unknown> | undefined, home: SuperAccessor | undefined) {
    super(resume, frame, names, thisArg, args, home);
    this.wait = undefined;
    this.cancelled = false;
  }

  /** `return $m.await(x)`: the driver awaits a promise this machine can end with `CANCEL`. */
  override await(value: unknown): undefined {
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
  const m = new PollGeneratorMachine(resume, frame, names, thisArg, undefined, home);
  const generator = started(m, self);
  WeakMapPrototypeSet(machines, generator, m);
  return generator;
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
  const m = new PollGeneratorMachine(resume, newFrame(frameSize), names, thisArg, args, home);
  const generator = started(m, self);
  WeakMapPrototypeSet(machines, generator, m);
  return generator;
}

/**
 * A poll-mode `for await` step (`await $am.asyncIteratorNextPoll($it)`): `next()` is called now,
 * as native; over a poll-mode generator the result is a `NextFuture` (cancelling it drops the
 * generator), over anything else the `next()` promise as it is.
 */
export function asyncIteratorNextPoll(record: IteratorRecord): unknown {
  const result = asyncIteratorNext(record);
  const m = WeakMapPrototypeGet(machines, record.iterator as object);
  return m === undefined ? result : new NextFuture(result as Promise<IteratorResult<unknown>>, m);
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
