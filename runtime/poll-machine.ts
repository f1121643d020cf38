/**
 * The poll-mode machine: a compiled async function as a real, lazy, cancellable future.
 *
 * Calling a poll-mode function builds a `PollMachine` (`pollStart` / `pollStartWithFrame`, the
 * same arguments as promise mode's `start` / `startWithFrame`) and runs none of its body. The
 * executor — or whoever awaits it — steps it with `poll(cx)`. The resume function is exactly
 * the promise-mode shape (runtime/machine.ts): `resume(m, value, isThrow)` runs to the next
 * `return m.await(x)` (returns undefined) or `return m.ret(x)` (returns true); fields `s`, `f`,
 * `c`, `t`, `a`, `h`, `o`, `n`, `r` mean what they mean there.
 *
 * The driver (`run`) is a loop, never a recursion: after each step it looks at what the machine
 * awaits and, if the value is already there, resumes at once in the same poll.
 *
 *     awaited x                      what the driver does
 *     primitive                      continues with x at once (no tick)
 *     PollMachine                    polls it inline with the same cx; Ready → continues at once
 *     native Promise                 one registration: a native `await x` in `settleInto` (the
 *                                    engine's own lookups: x.constructor once, as native), which
 *                                    stores the outcome and wakes the task once
 *     other object with poll()       a Future: polled inline, like a machine
 *     other object                   reads `then` once (as native): a function → it is called in
 *                                    a later job with a promise's resolving functions (native's
 *                                    NewPromiseResolveThenableJob) and the machine waits on that
 *                                    promise; otherwise continues with x at once
 *
 * `return x` adopts a thenable as native `return` does (`adopt`, after the body and its `finally`
 * blocks are over): a returned poll-mode call or task is polled inline like an await (no tick);
 * any other object has its `then` read once at the return and, if it is a function, called in a
 * later job with a promise's resolving functions (for a native promise too: native's resolve
 * function calls even a patched `Promise.prototype.then`, where `await` would not); the machine
 * waits on that promise and settles with its outcome. A non-thenable (a plain `Future` included)
 * is the value, as native.
 *
 * Every continuation that did not wait spends one unit of the task's cooperative budget
 * (budget.ts; a loop's await of a primitive continues in the generated code itself, which
 * spends its unit through `inPlace`); when it is spent the machine keeps the value, wakes its own task and returns
 * PENDING: a chain of ready awaits neither grows the stack nor starves other tasks.
 *
 * Cancellation (`cancel()`, see cancel.ts for the model): the next poll starts it. A machine
 * that never ran settles cancelled at once. Otherwise the thing it awaits is released first —
 * a child with `cancel()` is cancelled and polled until it has settled (its own `finally`
 * blocks run first, innermost first), a promise wait is detached (its late outcome is
 * ignored), another future is dropped — then the resume function is entered at the current
 * await with `(CANCEL, true)`. The generated code throws it there (`if ($t) throw $v`), and its
 * catch dispatch sends it past `catch` handlers to the nearest `finally`:
 *
 *     catch ($e) {
 *       switch ($l) {
 *         case 7:                                  // a label whose handler is a `catch`
 *           if ($e === $am.CANCEL) {               // poll mode only; the exception path only
 *             $completion = 2; $completionValue = $e; $l = 5; continue $mc;   // the enclosing finally's entry
 *           }                                      // (no enclosing finally: `throw $e;`)
 *           $error = $e; $l = 6; continue $mc;     // unchanged
 *         case 3: case 6:                          // labels whose handler is a `finally`: unchanged
 *           $completion = 2; $completionValue = $e; $l = 5; continue $mc;
 *       }
 *       throw $e;
 *     }
 *
 * The `finally` blocks then run as after any throw (awaits inside them allowed, polled as
 * usual), and end-finally rethrows `CANCEL` outward. Nothing else in the resume function
 * changes and nothing is added per await. The machine settles as cancelled when `CANCEL`
 * escapes, or when it returns (a value returned while cancelling is discarded); an error that
 * escapes instead (a `finally` that throws, or a child whose cleanup threw) surfaces as the
 * machine's error. A second `cancel()` while cancelling is a no-op.
 *
 * Ownership: a machine is driven by one poller, the waker of the first poll. A poll with any
 * other waker while it is unfinished throws a `TypeError` (two tasks awaiting one call would
 * otherwise leave one of them waiting forever), except after `then` spawned it: then it is a
 * task and other pollers join the task. A finished machine answers every poll with its outcome.
 */
import type { Context } from "./context";
import { cancelOrDrop } from "./combinators/cleanup";
import type { Future } from "./future";
import { machineInfoOf, newFrame, type MachineStates, type StateEnum, type SuperAccessor } from "./machine";
import { PENDING, type Poll } from "./poll";
import { PromisePrototypeFinally, PromisePrototypeThen } from "./primordials";
import { Task } from "./task";
import type { Waker } from "./waker";
import { coop, DEFAULT_TASK_BUDGET, settleJob } from "./poll/budget";
import { CANCEL, Cancelled, isCancellation } from "./poll/cancel";
import { setDrainTaker, spawn } from "./executor";

const NativePromise = Promise;
// Module-level aliases, read in the driver's loop: a load from another module's exports object
// at every use is what they avoid.
// (`var`: no dead-zone check at each use, as a `const` would have.)
// eslint-disable-next-line no-var
var coopBudget = coop;
// eslint-disable-next-line no-var
var Pending: typeof PENDING = PENDING;
const reflectApply = Reflect.apply;
const setPrototypeOf = Object.setPrototypeOf;

/** A prototype for promises of our own whose `then` consults nothing user code can patch (see machine.ts TICK). */
const QUIET_PROTOTYPE = Object.create(NativePromise.prototype, { constructor: { value: undefined } });
const RESOLVED: Promise<void> = setPrototypeOf(NativePromise.resolve(), QUIET_PROTOTYPE);

export type PollResume = (m: PollMachine, value: unknown, isThrow: boolean) => unknown;

/** Reserved states (machine.ts `ReservedState`). */
const enum Reserved {
  Unresumed = 0,
  Returned = 1,
  Panicked = 2,
}

/** What a suspended machine waits on (`wait`). */
const enum Wait {
  /** Not suspended (unresumed, running or finished). */
  None = 0,
  /** `awaiting` is a future (a machine, a task, a leaf): poll it. */
  Future = 1,
  /** A promise or thenable, unsettled: `settle` stores its outcome in `held`, moves to one of the next two, and wakes `owner`. */
  Promise = 2,
  /** A forced yield: `held` is the value to resume with. */
  Value = 3,
  /** A forced yield: `held` is the error to resume with. */
  Throw = 4,
  /** The promise waited on fulfilled with `held`. */
  Fulfilled = 5,
  /** The promise waited on rejected with `held`. */
  Rejected = 6,
}

/**
 * `flags` bits. (A `const enum` and literals, here and below: TypeScript writes the numbers in
 * place, where a module-level `const` would cost a load with a dead-zone check at every use.)
 */
const enum Flag {
  /** cancel() was called and the next poll has not started it yet. */
  CancelRequested = 1,
  /** The machine is running its finally blocks (set once, never cleared). */
  Cancelling = 2,
  /** Waiting for the awaited child's cancellation to finish. */
  ChildCancelling = 4,
  /** `poll` is on the stack. */
  Running = 8,
  /**
   * The body has returned a thenable and the machine waits for its outcome (`adopt`): `wait`
   * and `awaiting` describe that wait. Set once, when the body returns; the machine finishes
   * when the wait does. Excludes a further run of the body.
   */
  Adopting = 16,
  /**
   * The outcome of a promise wait is being delivered (`settleInto` is on the stack, in
   * `deliver`): a promise the machine awaits meanwhile is handed to that activation
   * (`handoff`), which awaits it next, instead of starting an activation of its own.
   */
  Delivering = 32,
}

/** How a promise wait settled (`settle`'s argument). */
const enum Settled {
  Fulfilled = 1,
  Rejected = 2,
}

export class PollMachine<T = unknown> implements Future<T>, PromiseLike<T> {
  // Every field a class field (own data properties from construction, as in machine.ts: no
  // setter or getter user code puts on `Object.prototype` is ever reached), in one order: one
  // hidden class, so the driver's accesses stay monomorphic.
  s: number = Reserved.Unresumed;
  f: unknown[];
  c: unknown[] | undefined;
  t: unknown;
  a: ArrayLike<unknown> | undefined;
  h: SuperAccessor | undefined;
  o: ArrayLike<unknown> | undefined;
  n: unknown;
  r: unknown;
  readonly names: MachineStates;
  readonly resume: PollResume;
  /** What the machine awaits while suspended (for dumps); the future being polled for `Wait.Future`. */
  awaiting: unknown;
  private wait: Wait = Wait.None;
  private flags: number = 0;
  /** The waker of the first poll: the one poller allowed while unfinished, so the one a settled promise wait wakes. */
  private owner: Waker | undefined;
  /**
   * Suspended: a promise wait's outcome, or the value a forced yield resumes with. Stepped by
   * `runTree` below the machine it started from (running, not suspended): the machine that
   * awaits it (`up`; one field for both, as a machine is never both at once).
   */
  private held: unknown;
  /** Identifies the current promise wait; bumped to detach it (cancellation). */
  private ticket: number = 0;
  /** The task `then` spawned, if any (most machines are awaited, not then-ed). */
  private task: Task<unknown> | undefined;
  /** An error thrown by an awaited child while it was being cancelled (surfaces at the end). */
  private cleanupError: { error: unknown } | undefined;

  constructor(
    resume: PollResume,
    frame: unknown[],
    names: MachineStates,
    thisArg: unknown,
    args: ArrayLike<unknown> | undefined,
    home: SuperAccessor | undefined,
    outerArguments: ArrayLike<unknown> | undefined,
    newTarget: unknown,
  ) {
    // (the fields above are created first, in their order, `undefined` unless given a value)
    this.f = frame;
    this.t = thisArg;
    this.a = args;
    this.h = home;
    this.o = outerArguments;
    this.n = newTarget;
    this.names = names;
    this.resume = resume;
  }

  /** Suspends on `value`; the generated code writes `return m.await(x)`. */
  await(value: unknown): undefined {
    this.awaiting = value;
    return undefined;
  }

  /** Stages the return value; the generated code writes `return m.ret(x)`. */
  ret(value: unknown): true {
    this.r = value;
    return true;
  }

  /** True once returned, failed or cancelled. */
  get isFinished(): boolean {
    return this.s === Reserved.Returned || this.s === Reserved.Panicked;
  }

  /** True once cancel() was called (and the machine had not finished). */
  get isCancelling(): boolean {
    return (this.flags & (Flag.CancelRequested | Flag.Cancelling)) !== 0;
  }

  /** The state's name, e.g. `AwaitReadFile_L12`. */
  get stateName(): string {
    // (PRODUCTION_BUILD, `0`, has no names: `0[s]` is undefined.)
    const name = (this.names as StateEnum | undefined)?.[this.s];
    return typeof name === "string" ? name : `State${this.s}`;
  }

  poll(cx: Context): Poll<T> {
    const s = this.s;
    if (s === Reserved.Returned) return this.r as T;
    if (s === Reserved.Panicked) throw this.r;
    const waker = cx.waker;
    if (this.owner !== waker) {
      if (this.owner !== undefined) return this.pollShared(cx);
      this.owner = waker;
    }
    if ((this.flags & Flag.Running) !== 0)
      throw new TypeError(`[async-machine] ${this.describe()} awaits itself (directly or through the machines it awaits): it would never finish.`);
    if (!coopBudget.open) return this.pollOutsideTask(cx);
    this.flags |= Flag.Running;
    const poll = this.drive(cx); // throws only after finishing (which clears Flag.Running)
    this.flags &= ~Flag.Running;
    return poll;
  }

  /** A poll by hand, outside any task: this poll opens the budget window. */
  private pollOutsideTask(cx: Context): Poll<T> {
    coopBudget.open = true;
    coopBudget.left = DEFAULT_TASK_BUDGET;
    try {
      return this.poll(cx);
    } finally {
      coopBudget.open = false;
    }
  }

  /** A poll by a second poller: a task's join handle if `then` spawned the machine, else an error. */
  private pollShared(cx: Context): Poll<T> {
    const task = this.task;
    if (task !== undefined && cx.waker !== (task as unknown as Waker)) return task.poll(cx) as Poll<T>;
    throw new TypeError(
      `[async-machine] ${this.describe()} is already being awaited by another task. A poll-mode call runs in the task that awaits it first; to await it from several places, spawn it (const task = spawn(f())) and await the task.`,
    );
  }

  /** Takes the outcome of the current wait (or starts cancelling) and runs the machine on. */
  private drive(cx: Context): Poll<T> {
    if ((this.flags & (Flag.CancelRequested | Flag.ChildCancelling | Flag.Adopting)) !== 0) return this.driveSlow(cx);
    let value: unknown;
    let isThrow = false;
    switch (this.wait) {
      case Wait.Future:
        try {
          value = (this.awaiting as Future<unknown>).poll(cx);
        } catch (error) {
          value = error;
          isThrow = true;
        }
        if (value === Pending) return Pending;
        break;
      case Wait.Promise:
        return Pending; // `settle` wakes the owner
      case Wait.Value:
      case Wait.Fulfilled:
        value = this.held;
        this.held = undefined;
        break;
      case Wait.Throw:
      case Wait.Rejected:
        value = this.held;
        isThrow = true;
        this.held = undefined;
        break;
    }
    this.wait = Wait.None;
    this.awaiting = undefined;
    return this.run(cx, value, isThrow);
  }

  /**
   * Steps the machine from `value` until it finishes or waits on something not ready. A loop:
   * a ready await continues in the next iteration, on the same stack. The budget is spent in
   * `coopBudget.left` itself: the generated code spends it too (its in-place continuations).
   */
  private run(cx: Context, value: unknown, isThrow: boolean): Poll<T> {
    const resume = this.resume;
    for (;;) {
      let result: unknown;
      try {
        result = resume(this, value, isThrow);
      } catch (error) {
        return this.fail(error);
      }
      if (result === true) return this.complete(cx);
      const x = this.awaiting;
      isThrow = false;
      if ((typeof x !== "object" && typeof x !== "function") || x === null) {
        value = x; // (`awaiting` keeps the primitive until the next await: it holds nothing alive)
      } else {
        if (x instanceof PollMachine) {
          try {
            if (x.owner === undefined && x.s === Reserved.Unresumed && x.flags === 0) {
              // A call nobody has polled yet (every call of a call tree): what `poll` does for
              // it, without the checks that cannot fail here — no owner, not running, no
              // cancellation pending, nothing awaited, and this task's budget window is open.
              x.owner = cx.waker;
              x.flags = Flag.Running;
              value = x.runTree(cx); // throws only after finishing (which clears Flag.Running)
              x.flags &= ~Flag.Running;
            } else {
              value = x.poll(cx);
            }
          } catch (error) {
            value = error;
            isThrow = true;
          }
          if (value === Pending) {
            this.wait = Wait.Future;
            return Pending;
          }
        } else if (x instanceof NativePromise) {
          this.waitOnPromise(x);
          return Pending;
        } else if (typeof (x as { poll?: unknown }).poll === "function") {
          try {
            value = (x as Future<unknown>).poll(cx);
          } catch (error) {
            value = error;
            isThrow = true;
          }
          if (value === Pending) {
            this.wait = Wait.Future;
            return Pending;
          }
        } else {
          const then = (x as { then?: unknown }).then; // read once, as native
          if (typeof then === "function") {
            this.waitOnThenable(x, then);
            return Pending;
          }
          value = x;
        }
        this.awaiting = undefined;
      }
      if (--coopBudget.left <= 0) {
        return this.yieldWith(cx, value, isThrow);
      }
    }
  }

  /**
   * `run` for a call nobody had polled yet (every call of a call tree), from its start: a loop,
   * never a recursion. A call the machine `m` awaits that nobody has polled yet either is
   * stepped by this same loop — `m` moves down to it (its `up` is the machine that awaits it)
   * and back up when it finishes — so a call tree costs no JS call per call, and the stack does
   * not grow with its depth while it runs. When a machine below this one waits, each machine
   * between marks itself waiting on the one below (`suspendBelow`) and this returns Pending;
   * the next poll goes down that chain through `drive`. Everything else is what `run` does,
   * for `m`.
   */
  private runTree(cx: Context): Poll<T> {
    let m: PollMachine = this;
    let value: unknown = undefined;
    let isThrow = false;
    for (;;) {
      let result: unknown;
      try {
        result = m.resume(m, value, isThrow);
      } catch (error) {
        if (m === this) return this.fail(error);
        value = m.failedWith(error);
        isThrow = true;
        m = m.backUp();
        if (--coopBudget.left <= 0) {
          this.suspendBelow(m); // (first: it reads `up`, which `yieldWith` overwrites)
          return m.yieldWith(cx, value, isThrow) as Poll<T>;
        }
        continue;
      }
      isThrow = false;
      if (result === true) {
        if (m === this) return this.complete(cx);
        try {
          value = m.complete(cx);
        } catch (error) {
          value = error;
          isThrow = true;
        }
        if (value === Pending) return this.suspendBelow(m);
        m = m.backUp();
      } else {
        const x = m.awaiting;
        if ((typeof x !== "object" && typeof x !== "function") || x === null) {
          value = x; // (`awaiting` keeps the primitive until the next await: it holds nothing alive)
        } else if (x instanceof PollMachine && x.owner === undefined && x.s === Reserved.Unresumed && x.flags === 0) {
          // (what `run` does for such a call, without the call)
          x.owner = cx.waker;
          x.flags = Flag.Running;
          x.held = m; // (`up`)
          m = x;
          value = undefined;
          continue;
        } else {
          value = m.awaitObject(cx, x);
          if (value === Pending) return this.suspendBelow(m);
          if (value === THREW) {
            value = thrown;
            thrown = undefined;
            isThrow = true;
          }
          m.awaiting = undefined;
        }
      }
      if (--coopBudget.left <= 0) {
        this.suspendBelow(m); // (first: it reads `up`, which `yieldWith` overwrites)
        return m.yieldWith(cx, value, isThrow) as Poll<T>;
      }
    }
  }

  /**
   * The machine awaits the object `x` (not a call `runTree` steps itself): polls a machine, a
   * task or another future inline; starts a wait on a promise or a thenable (`Pending`); any
   * other object is the value. Returns the value, `Pending`, or `THREW` with the error in `thrown`.
   */
  private awaitObject(cx: Context, x: object): unknown {
    let value: unknown;
    if (x instanceof PollMachine || (!(x instanceof NativePromise) && typeof (x as { poll?: unknown }).poll === "function")) {
      try {
        value = (x as Future<unknown>).poll(cx);
      } catch (error) {
        thrown = error;
        return THREW;
      }
      if (value === Pending) this.wait = Wait.Future;
      return value;
    }
    if (x instanceof NativePromise) {
      this.waitOnPromise(x);
      return Pending;
    }
    const then = (x as { then?: unknown }).then; // read once, as native
    if (typeof then === "function") {
      this.waitOnThenable(x, then);
      return Pending;
    }
    return x;
  }

  /** While `runTree` steps this machine below another: the machine that awaits it (kept in `held`). */
  private get up(): PollMachine {
    return this.held as PollMachine;
  }

  /** A finished machine `runTree` stepped below another hands its outcome up: returns the machine that awaited it, which continues. */
  private backUp(): PollMachine {
    const up = this.up;
    this.held = undefined;
    up.awaiting = undefined;
    return up;
  }

  /**
   * `m` (this machine, or one `runTree` stepped below it) waits: every machine from `m`'s
   * awaiter up to this one waits on the one below it, as if each had polled it and got Pending.
   */
  private suspendBelow(m: PollMachine): Poll<T> {
    while (m !== this) {
      const up = m.up;
      m.held = undefined;
      m.flags &= ~Flag.Running;
      up.wait = Wait.Future; // (its `awaiting` is `m` already)
      m = up;
    }
    return Pending;
  }

  /** The budget is spent: keep the outcome, ask to be polled again, and let the executor run others. */
  private yieldWith(cx: Context, value: unknown, isThrow: boolean): Poll<T> {
    this.held = value;
    this.wait = isThrow ? Wait.Throw : Wait.Value;
    cx.waker.wake();
    return Pending;
  }

  /**
   * Waits on a native promise: one native `await` (settleInto) that wakes the poller once. A
   * machine that awaits a promise while the outcome of its previous one is being delivered (a
   * loop of promise awaits, each resumed in the job that settles the last) hands it to that
   * activation: no activation, promise or closure per await beyond the native await's own.
   */
  private waitOnPromise(promise: Promise<unknown>): void {
    this.wait = Wait.Promise;
    const ticket = ++this.ticket;
    if ((this.flags & Flag.Delivering) !== 0 && handoff === undefined) {
      handoff = promise;
      handoffTicket = ticket;
    } else void settleInto(this, ticket, promise);
  }

  /**
   * Waits on a thenable whose `then` was read once: as native's NewPromiseResolveThenableJob,
   * `then` is called in a later job with the resolving functions of a promise of ours, which
   * then settles the machine's wait.
   */
  private waitOnThenable(thenable: object, then: Function): void {
    this.wait = Wait.Promise;
    const ticket = ++this.ticket;
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const promise = setPrototypeOf(
      new NativePromise((res, rej) => {
        resolve = res;
        reject = rej;
      }),
      QUIET_PROTOTYPE,
    );
    PromisePrototypeThen(RESOLVED, () => {
      try {
        reflectApply(then, thenable, [resolve, reject]);
      } catch (error) {
        reject(error);
      }
    });
    PromisePrototypeThen(
      promise,
      (value: unknown) => this.settle(ticket, Settled.Fulfilled, value),
      (error: unknown) => this.settle(ticket, Settled.Rejected, error),
    );
  }

  /** Marks (or unmarks) the delivery of a promise wait's outcome in progress (`deliver`). */
  delivering(on: boolean): void {
    this.flags = on ? this.flags | Flag.Delivering : this.flags & ~Flag.Delivering;
  }

  /** A promise wait settled. Ignored if the wait was detached (the ticket moved on). */
  settle(ticket: number, settled: number, outcome: unknown): void {
    if (ticket !== this.ticket || this.wait !== Wait.Promise) return;
    this.held = outcome;
    this.wait = settled === Settled.Fulfilled ? Wait.Fulfilled : Wait.Rejected;
    this.owner!.wake();
  }

  /**
   * The resume function returned (`m.ret`): Ready, unless the machine was being cancelled or
   * the body returned a thenable, which the machine adopts (as native `return` does).
   */
  private complete(cx: Context): Poll<T> {
    if ((this.flags & Flag.Cancelling) !== 0) return this.finishCancelled();
    const r = this.r;
    if ((typeof r === "object" && r !== null) || typeof r === "function") return this.adopt(cx, r);
    this.finish(Reserved.Returned, r);
    return r as T;
  }

  /**
   * The body returned the object `x` (its `finally` blocks have run): settle with `x`'s outcome
   * if it is a thenable, as native `return x` resolves the call's promise with `x`. A poll-mode
   * call or a task is polled inline with the same context (no tick, as `await` of it); any
   * other object has its `then` read once, now (a getter that throws fails the call), and
   * called in a later job, as native's NewPromiseResolveThenableJob — for a native promise too,
   * which is why a patched `Promise.prototype.then` is called here and not by `await`. A
   * rejection fails the call; no `catch` of the body sees it (the body is over).
   */
  private adopt(cx: Context, x: unknown): Poll<T> {
    this.r = undefined;
    if (x instanceof PollMachine || x instanceof Task) {
      let value: unknown;
      try {
        value = (x as Future<unknown>).poll(cx);
      } catch (error) {
        return this.finishAdopted(error, true);
      }
      if (value === Pending) {
        this.flags |= Flag.Adopting;
        this.wait = Wait.Future;
        this.awaiting = x;
        return Pending;
      }
      return this.finishAdopted(value, false);
    }
    let then: unknown;
    try {
      then = (x as { then?: unknown }).then;
    } catch (error) {
      return this.finishAdopted(error, true);
    }
    if (typeof then !== "function") return this.finishAdopted(x, false);
    this.flags |= Flag.Adopting;
    this.awaiting = x;
    this.waitOnThenable(x as object, then);
    return Pending;
  }

  /** The adopted outcome is known: the machine's own. */
  private finishAdopted(outcome: unknown, isThrow: boolean): Poll<T> {
    this.flags &= ~Flag.Adopting;
    this.wait = Wait.None;
    this.awaiting = undefined;
    if (isThrow) {
      this.finish(Reserved.Panicked, outcome);
      throw outcome;
    }
    this.finish(Reserved.Returned, outcome);
    return outcome as T;
  }

  /** A poll while cancelling or adopting (the slow path of `drive`). */
  private driveSlow(cx: Context): Poll<T> {
    if ((this.flags & (Flag.CancelRequested | Flag.ChildCancelling)) !== 0) return this.driveCancel(cx);
    switch (this.wait) {
      case Wait.Future: {
        let value: unknown;
        try {
          value = (this.awaiting as Future<unknown>).poll(cx);
        } catch (error) {
          return this.finishAdopted(error, true);
        }
        return value === Pending ? Pending : this.finishAdopted(value, false);
      }
      case Wait.Fulfilled:
      case Wait.Rejected: {
        const outcome = this.held;
        this.held = undefined;
        return this.finishAdopted(outcome, this.wait === Wait.Rejected);
      }
      default:
        return Pending; // Wait.Promise: `settle` wakes the owner
    }
  }

  /** An error escaped the resume function. `CANCEL` escaping a cancelling machine is its cancellation. */
  private fail(error: unknown): never {
    throw this.failedWith(error);
  }

  /** `fail`, returning the error to surface instead of throwing it. */
  private failedWith(error: unknown): unknown {
    if (error === CANCEL && (this.flags & Flag.Cancelling) !== 0) return this.cancelledWith();
    this.finish(Reserved.Panicked, error);
    return error;
  }

  /** Settles as cancelled (or with the error a child's cleanup threw) and throws it. */
  private finishCancelled(): never {
    throw this.cancelledWith();
  }

  /** Settles as cancelled (or with the error a child's cleanup threw) and returns that error. */
  private cancelledWith(): unknown {
    const cleanup = this.cleanupError;
    this.cleanupError = undefined;
    const error = cleanup !== undefined ? cleanup.error : new Cancelled(`[async-machine] ${this.describe()} was cancelled`);
    this.finish(Reserved.Panicked, error);
    return error;
  }

  /** Records the outcome. (The wait fields are already clear: the machine was running, or `release` cleared them.) */
  private finish(state: number, result: unknown): void {
    this.s = state;
    this.r = result;
    this.f = EMPTY_FRAME;
    this.flags &= ~Flag.Running;
  }

  /**
   * Asks the machine to stop (see the module comment). The owner polls it afterwards to run
   * the cancellation; a finished machine, or one already cancelling, ignores it.
   */
  cancel(): void {
    if (this.s === Reserved.Returned || this.s === Reserved.Panicked) return;
    if ((this.flags & (Flag.CancelRequested | Flag.Cancelling)) !== 0) return;
    this.flags |= Flag.CancelRequested;
    // A promise wait may never settle: wake its poller now so the cancellation runs.
    if (this.wait === Wait.Promise) this.owner!.wake();
  }

  /** Starts or continues a cancellation (slow path of `drive`). */
  private driveCancel(cx: Context): Poll<T> {
    if ((this.flags & Flag.CancelRequested) !== 0) {
      this.flags = (this.flags & ~Flag.CancelRequested) | Flag.Cancelling;
      // Nothing ran, nothing to clean up (an adopting machine may still be in its first state, its body over).
      if (this.s === Reserved.Unresumed && (this.flags & Flag.Adopting) === 0) return this.finishCancelled();
      this.release(cx);
    }
    if ((this.flags & Flag.ChildCancelling) !== 0) {
      let poll: unknown;
      try {
        poll = (this.awaiting as Future<unknown>).poll(cx);
      } catch (error) {
        if (!isCancellation(error)) this.cleanupError ??= { error };
      }
      if (poll === Pending) return Pending;
      this.flags &= ~Flag.ChildCancelling;
    }
    this.wait = Wait.None;
    this.awaiting = undefined;
    if ((this.flags & Flag.Adopting) !== 0) {
      this.flags &= ~Flag.Adopting; // the body is over: no finally left to run
      return this.finishCancelled();
    }
    return this.run(cx, CANCEL, true);
  }

  /** Lets go of what the current await holds: cancels a cancellable child, drops other futures, detaches promise waits. */
  private release(cx: Context): void {
    switch (this.wait) {
      case Wait.Future:
        if (cancelOrDrop(this.awaiting as Future<unknown>, cx)) this.flags |= Flag.ChildCancelling;
        break;
      case Wait.Promise:
        this.ticket++;
        break;
    }
    this.held = undefined;
  }

  /**
   * Dropped without a chance to clean up asynchronously (`Future.drop`): the cancellation is
   * run as far as it gets in this call; whatever a `finally` would still await is abandoned.
   * Prefer `cancel()` and polling to the end (what join, select, timeout and scopes do).
   */
  drop(cx: Context): void {
    if (this.isFinished) return;
    if (!this.isOwnedBy(cx.waker)) {
      this.task?.drop(cx); // a joiner of the task `then` spawned lets go
      return;
    }
    this.cancel();
    try {
      this.poll(cx);
    } catch {
      // cancelled (or its cleanup failed): nobody is left to tell
    }
    if (!this.isFinished) {
      this.release(cx);
      this.wait = Wait.None;
      this.awaiting = undefined;
      this.finish(Reserved.Panicked, new Cancelled(`[async-machine] ${this.describe()} was dropped while cancelling`));
    }
  }

  /** True if `waker`'s poller drives this machine (or nobody does yet): only the owner cancels it. */
  isOwnedBy(waker: Waker): boolean {
    return this.owner === undefined || this.owner === waker;
  }

  /** Spawns the machine on the ambient executor (once) and returns its task. */
  private joinTask(): Task<unknown> {
    let task = this.task;
    if (task === undefined) {
      if (this.owner !== undefined && !this.isFinished)
        throw new TypeError(`[async-machine] ${this.describe()} is already being awaited by a task; \`then\` cannot run it a second time.`);
      task = this.task = spawn(this);
      this.owner = task as unknown as Waker;
    }
    return task;
  }

  /**
   * `PromiseLike`: the first `then` spawns the machine on the ambient executor; the task's promise
   * settles it. (Its own copy of promise-like.ts's three methods: extending `PromiseLikeOf`, as
   * `Task` and the combinators do, makes this a derived class whose constructor every poll-mode
   * call runs, and cost C in poll mode a third more instructions.)
   */
  then<R1 = T, R2 = never>(onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return PromisePrototypeThen(this.joinTask().promise, onFulfilled as never, onRejected as never) as Promise<R1 | R2>;
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return PromisePrototypeFinally(this.joinTask().promise, onFinally) as Promise<T>;
  }

  /** `the poll-mode call of f (src/a.ts:3)`, for error messages. */
  private describe(): string {
    const info = machineInfoOf(this.names);
    return info === undefined ? "a poll-mode call" : `the poll-mode call of ${info.name} (${info.file}:${info.line})`;
  }
}

/**
 * Awaits `promise` natively (the engine's lookups, exactly) and hands the outcome to the
 * machine; then, while the machine handed it its next promise during the delivery
 * (`waitOnPromise`), awaits that one too. Kept to the await alone: a suspended async function
 * keeps every register it has, and there is one of these per machine waiting on a promise.
 */
async function settleInto(m: PollMachine, ticket: number, promise: unknown): Promise<void> {
  for (;;) {
    let settled: number = Settled.Fulfilled;
    try {
      // eslint-disable-next-line no-var
      var outcome = await promise;
    } catch (error) {
      outcome = error;
      settled = Settled.Rejected;
    }
    promise = deliver(m, ticket, settled, outcome);
    if (promise === undefined) return;
    ticket = handoffTicket;
  }
}

/** `awaitObject`'s answer when the awaited future threw; the error is in `thrown`. */
// eslint-disable-next-line no-var
var THREW: symbol = Symbol("async-machine.threw");
/** The error behind a `THREW` answer, until the driver takes it. */
// eslint-disable-next-line no-var
var thrown: unknown = undefined;

/** A promise the delivering machine awaited during its delivery, and its wait's ticket (at most one: another gets its own activation). */
// eslint-disable-next-line no-var
var handoff: unknown = undefined;
// eslint-disable-next-line no-var
var handoffTicket = 0;

/**
 * The outcome of a promise wait reaches the machine; the drain its wake asks for runs in this
 * job (budget.ts settleJob). Returns the promise the machine awaited meanwhile, if it handed one over.
 */
function deliver(m: PollMachine, ticket: number, settled: number, outcome: unknown): unknown {
  let delivered = false;
  m.delivering(true);
  try {
    settleJob.active = true;
    try {
      m.settle(ticket, settled, outcome);
    } finally {
      settleJob.active = false;
    }
    const drain = settleJob.pending;
    if (drain !== undefined) {
      settleJob.pending = undefined;
      drain();
    }
    delivered = true;
  } finally {
    m.delivering(false);
    // (a drain that threw leaves this activation: a handed-over promise gets one of its own)
    if (!delivered && handoff !== undefined) {
      const next = handoff;
      handoff = undefined;
      void settleInto(m, handoffTicket, next);
    }
  }
  const next = handoff;
  handoff = undefined;
  return next;
}

// While a promise wait settles (deliver), the drain its wake asks for is kept and run in this job.
setDrainTaker((drain) => {
  if (!settleJob.active || settleJob.pending !== undefined) return false;
  settleJob.pending = drain;
  return true;
});

// eslint-disable-next-line no-var
var EMPTY_FRAME = newFrame(0);

// runtime/inspect's task tracking (inspect/hooks.ts), as machine.ts's `onStart`: one comparison per call when off.
// eslint-disable-next-line no-var
var onStart: ((m: PollMachine) => void) | undefined = undefined;

/** Installs (or, with undefined, removes) the hook called with each new poll-mode machine; runtime/inspect only. */
export function setPollStartHook(hook: ((m: PollMachine) => void) | undefined): void {
  onStart = hook;
}

/**
 * Whether the generated code may continue in place after `await value` (`if ($am.inPlace($v))`): `value` is
 * a primitive — what the driver would continue with at once, reading nothing of it — and the
 * task's budget has a unit left for the continuation (spent here, as the driver spends one).
 * Otherwise the code suspends as usual and the driver decides (and yields when the budget is spent).
 */
export function inPlace(value: unknown): boolean {
  return ((typeof value !== "object" && typeof value !== "function") || value === null) && --coopBudget.left > 0;
}

/** Starts a poll-mode call: binds the machine and runs none of it (the same arguments as `start`). */
export function pollStart(
  resume: PollResume,
  frameSize: number,
  names: MachineStates,
  thisArg: unknown,
  args?: ArrayLike<unknown>,
  home?: SuperAccessor,
  outerArguments?: ArrayLike<unknown>,
  newTarget?: unknown,
): PollMachine {
  const m = new PollMachine(resume, newFrame(frameSize), names, thisArg, args, home, outerArguments, newTarget);
  if (onStart !== undefined) onStart(m);
  return m;
}

/** `pollStart` with the parameters already in the frame (the same arguments as `startWithFrame`). */
export function pollStartWithFrame(
  resume: PollResume,
  names: MachineStates,
  thisArg: unknown,
  frame: unknown[],
  home?: SuperAccessor,
  outerArguments?: ArrayLike<unknown>,
  newTarget?: unknown,
): PollMachine {
  const m = new PollMachine(resume, frame, names, thisArg, undefined, home, outerArguments, newTarget);
  if (onStart !== undefined) onStart(m);
  return m;
}
