/**
 * The direct route of a poll-mode async generator: a stream its poll-mode `for await` polls.
 *
 * While only poll-mode `for await` loops step a generator (the common case: a fresh generator
 * consumed by one loop), each step is this object, a future: `poll(cx)` runs the compiled
 * machine itself, as a poll-mode machine runs (poll-machine.ts), with no native generator, no
 * promise and no job in between:
 *
 *     the machine reports           the stream
 *     await x                       x a primitive: continues at once; a future (a poll-mode call,
 *                                   a combinator): polled inline; a native promise: one native
 *                                   `await` that wakes the consumer once; another thenable: its
 *                                   `then` read once and called in a later job
 *     yield v                       awaits v as above (as `yield` does), then is Ready with
 *                                   the result `{ value, done: false }`; the machine stays at the yield
 *     return x                      awaits x, then runs the `finally` blocks as a return
 *                                   completion; Ready with `{ value, done: true }`
 *     the end of the body           Ready with `{ value: undefined, done: true }`
 *
 * The result is the consuming loop's record, written at each step (`StepResult`). A step starts
 * at once, in `asyncIteratorNextPoll` (`eager`): if nothing on the way has to wait, it is done
 * before the loop would suspend, and the loop continues in place.
 *     a throw escaping the body     the step throws it (the generator is done)
 *     yield* x                      hands the generator over to the native route (below)
 *
 * A `return()` from a `for await` exit (`asyncIteratorReturnPoll`) is a step too: the machine
 * is resumed at its `yield` with a return completion, its `finally` blocks run the same way.
 *
 * Dropping: when the consuming task is cancelled while a step is in flight, the consumer
 * cancels the step (`cancel()`, then polls it to the end): what the machine awaits is released
 * (a child with `cancel()` is cancelled and polled until settled, a promise wait is detached,
 * another future dropped), then the machine is resumed there with `CANCEL`, which passes its
 * `catch` blocks and runs its `finally` blocks (their awaits polled as usual); the step then
 * settles as `Cancelled` and the generator is done. A `yield` reached while cancelling is
 * resumed as by `return()`. `drop(cx)` runs that as far as it goes in one poll.
 *
 * The native generator object (async-generator.ts `drive`) stays the one everything else sees.
 * Hand-over, so that it keeps behaving exactly as a native async generator:
 *  - the direct route starts only on a generator whose `drive` has not started: the first
 *    poll-mode step calls native `next()` once with the machine's resume function swapped for
 *    `parkResume` for the duration of that call; if `drive`'s body starts (it was fresh), it
 *    parks at once in `yield* stream` (the stream is also the async iterator it delegates to)
 *    and the machine is left to this stream; otherwise (drive already started, or completed by
 *    a native `return()`/`throw()`), that `next()` is the step, served natively;
 *  - anything else touching the object afterwards — a native `next()`/`return()`/`throw()` by
 *    user code, a promise-mode or native `for await`, a second poll-mode loop while a step is in
 *    flight — reaches the parked `yield*`, which forwards the request synchronously to the
 *    stream's `next`/`throw`/`return` (`takeOver`): the request waits for the step in flight
 *    (if any) to end, the generator moves to the native route for good, and `drive` goes on from
 *    where the machine is (at `Start`, at a `yield`, or finished) with that request's value,
 *    exception or return completion, exactly as it would have;
 *  - until the park has settled (a few ticks), a second direct step waits, so that a native
 *    request made meanwhile is served first, in call order (the step then goes native too).
 */
import type { Context } from "./context";
import { cancelOrDrop } from "./combinators/cleanup";
import type { Future } from "./future";
import type { Machine } from "./machine";
import { PENDING, type Poll } from "./poll";
import { coop, DEFAULT_TASK_BUDGET, settleJob } from "./poll/budget";
import { CANCEL, Cancelled, isCancellation } from "./poll/cancel";
import { NativePromise, ObjectFreeze, ObjectGetPrototypeOf, PromisePrototypeThen, ReflectApply } from "./primordials";
import type { Waker } from "./waker";

/** What a generator machine's resume function returns (async-generator.ts `Suspension`; `undefined` is an await, `true` the end). */
const enum Reported {
  Yield = 1,
  YieldStar = 2,
  AwaitReturn = 3,
}

/** Which route steps a poll-mode generator (`PollGeneratorMachine.route`; poll-generator.ts writes the numbers). */
const enum Route {
  /** Nothing has stepped it through this module; `drive` may or may not have started. */
  Fresh = 0,
  /** This stream steps the machine; `drive` is parked. */
  Direct = 1,
  /** `drive` steps it (the engine's own generator), for good. */
  Native = 2,
}

/** The step in flight. */
const enum Request {
  None = 0,
  Next = 1,
  Return = 2,
}

/** What the machine waits on while a step is in flight (as poll-machine.ts `Wait`). */
const enum Wait {
  None = 0,
  Future = 1,
  Promise = 2,
  Fulfilled = 3,
  Rejected = 4,
  /** A forced yield (budget spent): `held` and `heldMode` are what to resume the machine with. */
  Resume = 5,
  /** The second step waits for the park to settle (see the module comment). */
  Park = 6,
}

/** What the awaited operand's outcome is for. */
const enum Then {
  Await = 0,
  Yield = 1,
  AwaitReturn = 3,
  /** The step was handed over to `drive` (`yield*`): the outcome is the step's own. */
  Forward = 4,
}

const enum Flag {
  CancelRequested = 1,
  Cancelling = 2,
  ChildCancelling = 4,
  /** The park's `next()` has settled: every native request made before is delivered. */
  Parked = 8,
  /** The park's first `next()` (the one `yield*` makes on entering) has been answered. */
  Entered = 16,
}

/** The machine this stream steps: a poll-mode generator's (poll-generator.ts). */
export interface StreamMachine extends Machine {
  route: number;
  stream: GeneratorStream | undefined;
  /** The machine's `Start` state (where `drive`'s first step resumes it). */
  startState: number;
  cancel(): boolean;
}

/**
 * The iterator result a step is Ready with: the loop's own record (poll-generator.ts
 * `PollIteratorRecord`), written at each step — `for await` reads `done` and `value` of it at
 * once and keeps nothing — so that a step allocates nothing.
 */
export interface StepResult {
  value: unknown;
  done: boolean;
}

/** The value a return completion resumes the machine with (`$m.ret(RETURNING)` when its finally blocks are done). */
const RETURNING: unknown = /* @__PURE__ */ ObjectFreeze({ __proto__: null });

const AsyncGeneratorPrototype: { next: Function; return: Function } = /* @__PURE__ */ (
  ObjectGetPrototypeOf(async function* () {}) as { prototype: { next: Function; return: Function } }
).prototype;
/** %AsyncGeneratorPrototype%.next and .return, as they were when the runtime loaded. */
export const intrinsicNext: Function = /* @__PURE__ */ AsyncGeneratorPrototype.next;
export const intrinsicReturn: Function = /* @__PURE__ */ AsyncGeneratorPrototype.return;

const QUIET_PROTOTYPE = /* @__PURE__ */ Object.create(NativePromise.prototype, { constructor: { value: undefined } });
const RESOLVED: Promise<void> = /* @__PURE__ */ Object.setPrototypeOf(NativePromise.resolve(), QUIET_PROTOTYPE);

export class GeneratorStream implements Future<StepResult> {
  readonly m: StreamMachine;
  /** The generator object (`drive`), for the hand-over. */
  readonly generator: object;
  /** The machine's own resume function (the machine's `resume` is swapped only inside `park`). */
  readonly resume: (m: Machine, value: unknown, mode: boolean | 2) => unknown;
  request: Request = Request.None;
  /** Where the step in flight writes its result (the consuming loop's record). */
  record: StepResult | undefined = undefined;
  private wait: Wait = Wait.None;
  private then: Then = Then.Await;
  private flags = 0;
  private held: unknown = undefined;
  private heldMode: boolean | 2 = false;
  private ticket = 0;
  private owner: Waker | undefined = undefined;
  /** The value of the pending return completion (`return x`'s awaited x; undefined for `return()`). */
  private returning: unknown = undefined;
  /** A native request waiting for the step in flight to end (`takeOver`). */
  private onIdle: (() => void) | undefined = undefined;
  private cleanupError: { error: unknown } | undefined = undefined;

  constructor(m: StreamMachine, generator: object) {
    this.m = m;
    this.generator = generator;
    this.resume = m.resume as GeneratorStream["resume"];
  }

  /**
   * The first poll-mode step of a fresh generator: parks `drive` (see the module comment).
   * Returns the native `next()` promise if `drive` had started already (the step is then that
   * call's), else undefined (the route is now direct).
   */
  park(): Promise<IteratorResult<unknown>> | undefined {
    const m = this.m;
    (m as { resume: unknown }).resume = parkResume;
    let promise: Promise<IteratorResult<unknown>>;
    try {
      promise = ReflectApply(intrinsicNext, this.generator, []) as Promise<IteratorResult<unknown>>;
    } finally {
      (m as { resume: unknown }).resume = this.resume;
    }
    if (m.route === Route.Direct) {
      PromisePrototypeThen(promise, parked);
      return undefined;
    }
    m.route = Route.Native;
    return promise;
  }

  /** A step of the consumer (`asyncIteratorNextPoll` / `asyncIteratorReturnPoll` set `request`). */
  poll(cx: Context): Poll<StepResult> {
    if (this.request === Request.None) throw new TypeError("[async-machine] a poll-mode async generator's step was polled after it ended");
    if (!coop.open) return this.pollOutsideTask(cx);
    this.owner = cx.waker;
    if ((this.flags & (Flag.CancelRequested | Flag.ChildCancelling)) !== 0) return this.driveCancel(cx);
    let value: unknown;
    let isThrow = false;
    switch (this.wait) {
      case Wait.None: // (a step that has begun always waits on something)
        return this.begin(cx);
      case Wait.Park:
        if ((this.flags & Flag.Parked) === 0) return PENDING;
        this.wait = Wait.None;
        return this.begin(cx);
      case Wait.Future:
        try {
          value = (this.m.awaiting as Future<unknown>).poll(cx);
        } catch (error) {
          value = error;
          isThrow = true;
        }
        if (value === PENDING) return PENDING;
        break;
      case Wait.Promise:
        return PENDING; // `settle` wakes the owner
      case Wait.Fulfilled:
        value = this.held;
        break;
      case Wait.Rejected:
        value = this.held;
        isThrow = true;
        break;
      case Wait.Resume: {
        const held = this.held;
        this.held = undefined;
        this.wait = Wait.None;
        return this.run(cx, held, this.heldMode, true);
      }
    }
    this.held = undefined;
    this.wait = Wait.None;
    this.m.awaiting = undefined;
    return this.outcome(cx, value, isThrow);
  }

  /** A poll by hand, outside any task: this poll opens the budget window (as poll-machine.ts). */
  private pollOutsideTask(cx: Context): Poll<StepResult> {
    coop.open = true;
    coop.left = DEFAULT_TASK_BUDGET;
    try {
      return this.poll(cx);
    } finally {
      coop.open = false;
    }
  }

  /**
   * Runs a step just requested, at once, without a context (`asyncIteratorNextPoll`): to the
   * step's result if nothing on the way has to wait, else to its first wait (PENDING), which the
   * consumer's poll, right after, takes up with its context. The one thing that needs the
   * context, polling an awaited future, is left to that poll: it is the future's first poll.
   */
  eager(): Poll<StepResult> {
    const m = this.m;
    // The common case, kept short: a `next()` of a parked generator at a `yield`, which yields a primitive.
    if ((this.flags & Flag.Parked) === 0 || this.request !== Request.Next || m.s < 3 /* finished, or not yet at Start */) return this.begin(undefined);
    let result: unknown;
    try {
      result = this.resume(m, undefined, false);
    } catch (error) {
      return this.failed(error, false);
    }
    if (result === Reported.Yield) {
      const x = m.awaiting;
      if ((typeof x !== "object" && typeof x !== "function") || x === null) {
        const record = this.record!;
        record.value = x;
        record.done = false;
        this.request = Request.None;
        return record;
      }
    }
    if (result === true) return this.ended();
    if (result === Reported.YieldStar) return this.handOver();
    this.then = result === undefined ? Then.Await : (result as Then);
    return this.run(undefined, undefined, false, false);
  }

  /** Starts the step: resumes the machine from where it is (its `Start`, a `yield`), or answers for a finished one. */
  private begin(cx: Context | undefined): Poll<StepResult> {
    const m = this.m;
    const s = m.s;
    if (s === 1 /* Returned */ || s === 2 /* Panicked */) return this.end(undefined, true);
    if ((this.flags & (Flag.Parked | Flag.Entered)) === Flag.Entered && s !== m.startState) {
      // A later step before the park settled: wait for it (a native request queued meanwhile goes first).
      this.wait = Wait.Park;
      return PENDING;
    }
    if (m.route === Route.Native) return this.forward(); // handed over while this step waited for the park
    if (this.request === Request.Return) {
      if (s === m.startState) {
        m.finish(1 /* Returned */, undefined);
        return this.end(undefined, true);
      }
      this.returning = undefined;
      return this.run(cx, RETURNING, 2, true);
    }
    return this.run(cx, undefined, false, true);
  }

  /**
   * Steps the machine from (`value`, `mode`) until it yields, ends or waits on something not
   * ready. A loop: a ready await continues in the next iteration, on the same stack, spending
   * one unit of the task's budget (when it is spent: a forced yield, as poll-machine.ts).
   * Without a context (an eager step) it stops at a future, whose first poll the consumer's poll
   * makes. `resumeFirst` false: the machine has already reported its suspension (`then`).
   */
  private run(cx: Context | undefined, value: unknown, mode: boolean | 2, resumeFirst: boolean): Poll<StepResult> {
    const m = this.m;
    const resume = this.resume;
    let then = this.then;
    for (;;) {
      if (resumeFirst) {
        let result: unknown;
        try {
          result = resume(m, value, mode);
        } catch (error) {
          return this.failed(error, mode === true && error === value);
        }
        if (result === true) return this.ended();
        if (result === Reported.YieldStar) return this.handOver();
        then = result === undefined ? Then.Await : (result as Then);
      }
      resumeFirst = true;
      // (`awaiting` keeps a primitive operand until the next suspension: it holds nothing alive)
      const x = m.awaiting;
      let isThrow = false;
      if ((typeof x !== "object" && typeof x !== "function") || x === null) {
        value = x;
      } else if (x instanceof NativePromise) {
        this.then = then;
        this.waitOnPromise(x);
        return PENDING;
      } else if (typeof (x as { poll?: unknown }).poll === "function") {
        if (cx === undefined) {
          this.then = then;
          this.wait = Wait.Future; // polled first by the consumer's poll
          return PENDING;
        }
        try {
          value = (x as Future<unknown>).poll(cx);
        } catch (error) {
          value = error;
          isThrow = true;
        }
        if (value === PENDING) {
          this.then = then;
          this.wait = Wait.Future;
          return PENDING;
        }
        m.awaiting = undefined;
      } else {
        const thenMethod = (x as { then?: unknown }).then; // read once, as native
        if (typeof thenMethod === "function") {
          this.then = then;
          this.waitOnThenable(x, thenMethod);
          return PENDING;
        }
        value = x;
        m.awaiting = undefined;
      }
      // The operand's outcome is here: what it was for.
      if (then === Then.Yield && !isThrow) {
        if ((this.flags & Flag.Cancelling) === 0) return this.end(value, false);
        this.returning = undefined; // a `yield` while cancelling: resumed as by `return()`
        value = RETURNING;
        mode = 2;
      } else if (then === Then.AwaitReturn && !isThrow) {
        this.returning = value;
        value = RETURNING;
        mode = 2;
      } else mode = isThrow;
      if (--coop.left <= 0) {
        this.held = value;
        this.heldMode = mode;
        this.then = then;
        this.wait = Wait.Resume;
        cx?.waker.wake(); // (an eager step: the consumer polls the stream next)
        return PENDING;
      }
    }
  }

  /** The outcome of a wait that did not settle inline. */
  private outcome(cx: Context, value: unknown, isThrow: boolean): Poll<StepResult> {
    switch (this.then) {
      case Then.Yield:
        if (isThrow) return this.run(cx, value, true, true);
        if ((this.flags & Flag.Cancelling) === 0) return this.end(value, false);
        this.returning = undefined;
        return this.run(cx, RETURNING, 2, true);
      case Then.AwaitReturn:
        if (isThrow) return this.run(cx, value, true, true);
        this.returning = value;
        return this.run(cx, RETURNING, 2, true);
      case Then.Forward:
        if (isThrow) {
          this.endRequest();
          throw value === CANCEL ? new Cancelled("[async-machine] the async generator was cancelled") : value;
        }
        this.endRequest();
        return value as StepResult; // the native `next()` result
      default:
        return this.run(cx, value, isThrow, true);
    }
  }

  /** The machine returned: the step is done (`{ value, done: true }`), or, while cancelling, cancelled. */
  private ended(): Poll<StepResult> {
    const m = this.m;
    if ((this.flags & Flag.Cancelling) !== 0) return this.finishCancelled();
    const value = m.r === RETURNING ? this.returning : undefined;
    this.returning = undefined;
    m.finish(1 /* Returned */, undefined);
    return this.end(value, true);
  }

  /** An error escaped the machine: the step throws it (`CANCEL` escaping a cancelling machine is its cancellation). */
  private failed(error: unknown, fromAwait: boolean): never {
    if (error === CANCEL && (this.flags & Flag.Cancelling) !== 0) this.finishCancelled();
    this.m.panic(error, fromAwait);
    this.endRequest();
    throw error;
  }

  private finishCancelled(): never {
    const cleanup = this.cleanupError;
    this.cleanupError = undefined;
    const error = cleanup !== undefined ? cleanup.error : new Cancelled("[async-machine] the async generator was cancelled");
    this.m.finish(2 /* Panicked */, error);
    this.endRequest();
    throw error;
  }

  /** The step's result, written into the loop's record. */
  private end(value: unknown, done: boolean): StepResult {
    const record = this.record!;
    record.value = value;
    record.done = done;
    this.endRequest();
    return record;
  }

  /** The step is over: a native request waiting for it goes on. */
  private endRequest(): void {
    this.request = Request.None;
    this.wait = Wait.None;
    if ((this.flags & (Flag.CancelRequested | Flag.Cancelling | Flag.ChildCancelling)) !== 0) this.flags &= ~(Flag.CancelRequested | Flag.Cancelling | Flag.ChildCancelling);
    const onIdle = this.onIdle;
    if (onIdle !== undefined) {
      this.onIdle = undefined;
      onIdle();
    }
  }

  /**
   * The machine reached `yield* x`: the generator moves to the native route, and this step is
   * the native `next()` that resumes the park, whose `drive` then delegates to x (the machine's
   * resume function answers that once with the `yield*` it reported).
   */
  private handOver(): Poll<StepResult> {
    const m = this.m;
    const operand = m.awaiting;
    m.route = Route.Native;
    const resume = this.resume;
    (m as { resume: unknown }).resume = (machine: Machine): unknown => {
      (m as { resume: unknown }).resume = resume;
      machine.awaiting = operand;
      return Reported.YieldStar;
    };
    this.then = Then.Forward; // (`takeOver` does not wait for this step: it is this request)
    const promise = ReflectApply(intrinsicNext, this.generator, []) as Promise<unknown>;
    this.waitOnPromise(promise);
    return PENDING;
  }

  /** The step, requested before a hand-over and begun after it, is a native `next()`. */
  private forward(): Poll<StepResult> {
    this.then = Then.Forward;
    this.waitOnPromise(ReflectApply(intrinsicNext, this.generator, []) as Promise<unknown>);
    return PENDING;
  }

  /** Waits on a native promise: one native `await` (`settleStream`) that wakes the consumer once. */
  private waitOnPromise(promise: Promise<unknown>): void {
    this.wait = Wait.Promise;
    void settleStream(this, ++this.ticket, promise);
  }

  /** Waits on a thenable whose `then` was read once: called in a later job, as native's NewPromiseResolveThenableJob. */
  private waitOnThenable(thenable: object, then: Function): void {
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const promise = Object.setPrototypeOf(
      new NativePromise((res, rej) => {
        resolve = res;
        reject = rej;
      }),
      QUIET_PROTOTYPE,
    ) as Promise<unknown>;
    PromisePrototypeThen(RESOLVED, () => {
      try {
        ReflectApply(then, thenable, [resolve, reject]);
      } catch (error) {
        reject(error);
      }
    });
    this.waitOnPromise(promise);
  }

  /** A promise wait settled; ignored if it was detached (the ticket moved on). */
  settle(ticket: number, fulfilled: boolean, outcome: unknown): void {
    if (ticket !== this.ticket || this.wait !== Wait.Promise) return;
    this.held = outcome;
    this.wait = fulfilled ? Wait.Fulfilled : Wait.Rejected;
    this.owner?.wake();
  }

  /** The park settled (`parked`): a step waiting for it goes on. */
  markParked(): void {
    this.flags |= Flag.Parked;
    if (this.wait === Wait.Park) this.owner?.wake();
  }

  /** The consumer is cancelled while this step is in flight: the generator is dropped there (module comment). */
  cancel(): void {
    if (this.request === Request.None) return;
    if (this.then === Then.Forward && this.wait === Wait.Promise && this.m.route === Route.Native) {
      this.m.cancel();
      return;
    }
    if ((this.flags & (Flag.CancelRequested | Flag.Cancelling)) !== 0) return;
    this.flags |= Flag.CancelRequested;
    if (this.wait === Wait.Promise || this.wait === Wait.Park) this.owner?.wake();
  }

  /** Starts or continues a cancellation. */
  private driveCancel(cx: Context): Poll<StepResult> {
    const m = this.m;
    if ((this.flags & Flag.CancelRequested) !== 0) {
      this.flags = (this.flags & ~Flag.CancelRequested) | Flag.Cancelling;
      this.release(cx);
    }
    if ((this.flags & Flag.ChildCancelling) !== 0) {
      let poll: unknown;
      try {
        poll = (m.awaiting as Future<unknown>).poll(cx);
      } catch (error) {
        if (!isCancellation(error)) this.cleanupError ??= { error };
      }
      if (poll === PENDING) return PENDING;
      this.flags &= ~Flag.ChildCancelling;
    }
    this.wait = Wait.None;
    m.awaiting = undefined;
    const s = m.s;
    if (s === 1 /* Returned */ || s === 2 /* Panicked */ || s === m.startState) return this.finishCancelled();
    return this.run(cx, CANCEL, true, true);
  }

  /** Lets go of what the machine awaits: cancels a cancellable child, drops other futures, detaches promise waits. */
  private release(cx: Context): void {
    switch (this.wait) {
      case Wait.Future:
        if (cancelOrDrop(this.m.awaiting as Future<unknown>, cx)) this.flags |= Flag.ChildCancelling;
        break;
      case Wait.Promise:
        this.ticket++;
        break;
    }
    this.held = undefined;
  }

  /** Dropped without waiting: the cancellation runs as far as it gets in this call; the rest is abandoned. */
  drop(cx: Context): void {
    if (this.request === Request.None) return;
    this.cancel();
    if (this.then === Then.Forward) return;
    try {
      this.poll(cx);
    } catch {
      // cancelled (or its cleanup failed): nobody is left to tell
    }
    if ((this.request as Request) !== Request.None) {
      this.release(cx);
      this.m.awaiting = undefined;
      this.m.finish(2 /* Panicked */, new Cancelled("[async-machine] the async generator was dropped while cancelling"));
      this.endRequest();
    }
  }

  // The async iterator `drive` delegates to while parked (`yield* stream`): see the module comment.

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(value: unknown): unknown {
    if ((this.flags & Flag.Entered) === 0) {
      this.flags |= Flag.Entered;
      return { value: this, done: false }; // parked (`parked` below reads the stream from it)
    }
    return this.takeOver(Request.Next, value);
  }

  throw(error: unknown): unknown {
    return this.takeOver(3, error);
  }

  return(value: unknown): unknown {
    return this.takeOver(Request.Return, value);
  }

  /** A request reached the parked `drive`: the native route takes over, once the step in flight (if any) is over. */
  private takeOver(kind: number, value: unknown): unknown {
    // A step handed over by `handOver` is this very request, and a step still waiting for the
    // park has not begun (it goes native when it does, `begin`): neither is waited for.
    if (this.request === Request.None || this.then === Then.Forward || this.wait === Wait.Park) return this.handOff(kind, value);
    return new NativePromise((resolve, reject) => {
      this.onIdle = () => {
        try {
          resolve(this.handOff(kind, value));
        } catch (error) {
          reject(error);
        }
      };
    });
  }

  /**
   * What `yield* stream` in `drive` ends with: the request's value (the machine is resumed with
   * it), its exception (thrown there) or a return completion (`done` with the value). A machine
   * that has finished, or a return at `Start`, has nothing left to run: its resume function is
   * replaced by `endedResume`, which ends `drive` as a finished generator ends.
   */
  private handOff(kind: number, value: unknown): unknown {
    const m = this.m;
    m.route = Route.Native;
    const s = m.s;
    if (s === 1 /* Returned */ || s === 2 /* Panicked */ || (s === m.startState && kind === Request.Return)) (m as { resume: unknown }).resume = endedResume;
    if (kind === 3) throw value;
    return { value, done: true };
  }
}

/** The machine's resume function while `park` calls native `next()`: a fresh `drive` parks in `yield* stream`. */
function parkResume(m: Machine, value: unknown, mode: boolean): unknown {
  const sm = m as StreamMachine;
  const stream = sm.stream!;
  (m as { resume: unknown }).resume = stream.resume;
  if (m.s !== sm.startState || mode !== false) return stream.resume(m, value, mode);
  sm.route = Route.Direct;
  m.awaiting = stream;
  return Reported.YieldStar;
}

/** A finished machine, resumed by `drive` after the hand-over: the end, the exception, or the return completion done. */
function endedResume(m: Machine, value: unknown, mode: boolean | 2): unknown {
  if (mode === 2) {
    m.r = value;
    return true;
  }
  if (mode) throw value;
  m.r = undefined;
  return true;
}

/** The park's `next()` settled (`{ value: stream, done: false }`). */
function parked(result: unknown): void {
  ((result as IteratorResult<unknown>).value as GeneratorStream).markParked();
}

/** Awaits `promise` natively (the engine's lookups) and hands the outcome to the stream; the drain its wake asks for runs in this job. */
async function settleStream(stream: GeneratorStream, ticket: number, promise: unknown): Promise<void> {
  let fulfilled = true;
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    outcome = error;
    fulfilled = false;
  }
  settleJob.active = true;
  try {
    stream.settle(ticket, fulfilled, outcome);
  } finally {
    settleJob.active = false;
  }
  const drain = settleJob.pending;
  if (drain !== undefined) {
    settleJob.pending = undefined;
    drain();
  }
}
