/**
 * Compiled async generators (promise mode): the machine runs inside a native async generator,
 * `drive` below, which performs every suspension of the machine itself — `await x`, `yield x`,
 * `yield* x` and the `return x` that ends the body — so the engine does what native code does
 * at each: the request queue (AsyncGeneratorEnqueue, a `next()` called before the last settled
 * waits its turn), the implicit await of a `yield` operand, `return()` and `throw()` from outside
 * while suspended at a `yield` or at an `await`, `return()` on a generator not started yet
 * (AsyncGeneratorAwaitReturn), `yield*` to async and sync iterables with next/throw/return
 * forwarding, and the tick each of these costs. The object a call returns is that native
 * generator object, its prototype set to the function's `prototype` (read at the call, after
 * the parameters, as OrdinaryCreateFromConstructor does), so `AsyncGenerator.prototype.next`,
 * brand checks and `Symbol.toStringTag` are the engine's own.
 *
 * Contract with generated code (the resume function of an `async function*`):
 *  - the wrapper calls `startGenerator(self, resume, states, this, frame)`; the machine runs to
 *    its `Start` suspend at once (parameters and their defaults, whose errors the call throws),
 *    and the body runs from the first `next()`;
 *  - each suspension returns what `drive` must do: `$m.await(x)` (undefined), `$m.yield(x)`,
 *    `$m.yieldStar(x)`, `$m.awaitReturn(x)` (the operand of `return x`: the driver's own
 *    `return` awaits it, as native); `$m.ret()` (true) is the end of the body or a `return;`;
 *  - a resume function is called with `isThrow` true for a throw at the suspension, and 2 for a
 *    return completion arriving at a `yield`, `yield*` or `return x` (a `return()` from outside,
 *    or the awaited operand of `return x`): the machine then runs its `finally` blocks as a
 *    `return` there would, and ends with `$m.ret(RETURNING)`.
 *
 * The value of a return completion is never seen by the driver (a `finally` cannot read it): the
 * driver runs the machine's `finally` blocks inside its own `finally` and lets the completion
 * go on when the machine is done with it. A `return x` or a `break`/`continue` out of one of
 * those blocks ends the completion: the driver drops it (a `continue` out of its own `finally`)
 * and does what the machine reported next — the new `return x`, or the body going on. A `yield`
 * there suspends with the completion pending, inside the driver's `finally`; a second return
 * completion at that `yield` runs the finally blocks around it in a `finally` nested in that one.
 * The nesting stops there: the compiler leaves native the generators in which those blocks could
 * yield again with a completion pending (transform-function.ts, finallyYieldsTooDeep).
 */
import { announceStart, Machine, newFrame, type Resume, type StateEnum, type SuperAccessor } from "./machine";
import { ObjectCreate, ObjectDefineProperty, ObjectFreeze, ObjectGetPrototypeOf, ObjectSetPrototypeOf, ReflectDefineProperty, TypeErrorCtor } from "./primordials";

/** What a resume function returns for each kind of suspension (`await` returns undefined, the end `true`). */
export const enum Suspension {
  Yield = 1,
  YieldStar = 2,
  AwaitReturn = 3,
}

/** The resume value of a return completion: the machine hands it back to `ret` when its finally blocks are done. */
const RETURNING: unknown = /* @__PURE__ */ ObjectFreeze({ __proto__: null });

/**
 * %AsyncGeneratorFunction.prototype% and %AsyncGeneratorPrototype%, from a generator made here
 * (marked pure: a bundle of a program without async generators drops this module).
 */
const AsyncGeneratorFunctionPrototype: object = /* @__PURE__ */ ObjectGetPrototypeOf(async function* () {});
const AsyncGeneratorPrototype: object = (AsyncGeneratorFunctionPrototype as { prototype: object }).prototype;

/** The machine of a compiled async generator: its suspensions tell the driver what to do. */
export class GeneratorMachine extends Machine {
  // An explicit constructor: the implicit one of a derived class spreads its arguments, which
  // runs `Array.prototype[Symbol.iterator]` (user code may replace it).
  constructor(resume: Resume, frame: unknown[], names: StateEnum | undefined, thisArg: unknown, args: ArrayLike<unknown> | undefined, home: SuperAccessor | undefined) {
    super(resume, frame, names, thisArg, args, home, undefined);
    this.returnPending = false;
  }
  /**
   * The machine runs its finally blocks for a return completion that waits in the driver (its
   * value is never the machine's): a snapshot taken now could not carry it, so `snapshot` refuses.
   */
  returnPending: boolean;
  /** `return $m.yield(x)`: the driver yields `x` (awaiting it first, as `yield` does). */
  yield(value: unknown): Suspension {
    this.awaiting = value;
    return Suspension.Yield;
  }
  /** `return $m.yieldStar(x)`: the driver delegates to `x` (`yield* x`). */
  yieldStar(iterable: unknown): Suspension {
    this.awaiting = iterable;
    return Suspension.YieldStar;
  }
  /** `return $m.awaitReturn(x)`: the driver returns `x` (awaiting it; a rejection comes back as a throw). */
  awaitReturn(value: unknown): Suspension {
    this.awaiting = value;
    return Suspension.AwaitReturn;
  }
}

/** Runs `m` from where it is, with the outcome (`value`, `mode`); a throw escaping the machine is recorded. */
function step(m: Machine, value: unknown, mode: boolean | 2): unknown {
  m.awaiting = undefined; // (kept while suspended, for dumps)
  try {
    return m.resume(m, value, mode as boolean);
  } catch (error) {
    m.panic(error, mode === true && error === value);
    throw error;
  }
}

/**
 * The native async generator a compiled one runs in. Every `await`, `yield`, `yield*` and
 * `return` of the body is performed here, at the same point, so each costs the ticks native
 * code costs and the request queue is the engine's.
 */
async function* drive(m: GeneratorMachine, value: unknown = undefined, mode: boolean | 2 = false): AsyncGenerator<unknown, unknown, unknown> {
  // What the machine reported last while running its finally blocks for a return completion,
  // when that ended the completion (see below): taken up here instead of stepping the machine.
  let carried: unknown = NOTHING;
  outer: for (;;) {
    const result = carried !== NOTHING ? carried : step(m, value, mode);
    carried = NOTHING;
    if (result === true /* DONE */) {
      m.finish(1 /* ReservedState.Returned */, undefined);
      return; // the end of the body or `return;`: no await, as native
    }
    const operand = m.awaiting;
    if (result === undefined) {
      try {
        value = await operand;
        mode = false;
      } catch (error) {
        value = error;
        mode = true;
      }
      continue;
    }
    let settled = false;
    try {
      if (result === Suspension.Yield) value = yield operand;
      else if (result === Suspension.YieldStar) value = yield* operand as AsyncIterable<unknown>;
      else return operand; // Suspension.AwaitReturn: `return x` awaits x here
      mode = false;
      settled = true;
    } catch (error) {
      value = error;
      mode = true;
      settled = true;
    } finally {
      if (!settled) {
        // A return completion (a `return()` from outside, or `return x` once x is awaited):
        // the machine's finally blocks run here, where the completion waits for them, awaiting
        // as they await; when the machine ends (`ret(RETURNING)`), this block ends and the
        // completion goes on. (The loop is here, not in a function: an await must be the
        // driver's own, or it would cost ticks native code does not.)
        value = RETURNING;
        mode = 2;
        m.returnPending = true;
        for (;;) {
          const after = step(m, value, mode);
          if (after === true /* DONE */ && m.r === RETURNING) break;
          if (after === Suspension.Yield || after === Suspension.YieldStar) {
            // A `yield` in a finally block: the generator suspends here, the completion pending.
            let resumed = false;
            try {
              value = after === Suspension.Yield ? yield m.awaiting : yield* m.awaiting as AsyncIterable<unknown>;
              mode = false;
              resumed = true;
            } catch (error) {
              value = error;
              mode = true;
              resumed = true;
            } finally {
              if (!resumed) {
                // A second return completion, at that `yield`: the finally blocks around it run
                // as above, but none of them yields (the compiler leaves such generators
                // native: transform-function.ts), so it ends here or is ended by them.
                value = RETURNING;
                mode = 2;
                for (;;) {
                  const last = step(m, value, mode);
                  if (last === true /* DONE */ && m.r === RETURNING) break;
                  if (last !== undefined) {
                    carried = last;
                    m.returnPending = false;
                    continue outer;
                  }
                  try {
                    value = await m.awaiting;
                    mode = false;
                  } catch (error) {
                    value = error;
                    mode = true;
                  }
                }
                m.finish(1 /* ReservedState.Returned */, undefined);
              }
            }
            continue;
          }
          if (after !== undefined) {
            // The machine's finally blocks ended the completion themselves: a `return x` in one
            // of them (a new completion, which the loop above performs), or a `break` or
            // `continue` out of one (the body goes on: a suspension, or its end). The pending
            // completion is dropped, and what the machine reported is done next.
            carried = after;
            m.returnPending = false;
            continue outer;
          }
          try {
            value = await m.awaiting;
            mode = false;
          } catch (error) {
            value = error;
            mode = true;
          }
        }
        m.finish(1 /* ReservedState.Returned */, undefined);
      }
    }
  }
}

/** No carried suspension. */
const NOTHING: unknown = /* @__PURE__ */ ObjectFreeze({ __proto__: null });

/** The object a call returns: the driver, with the function's `prototype` (or the intrinsic one). */
function generatorObject(m: GeneratorMachine, self: Function | undefined, value?: unknown, mode?: boolean): AsyncGenerator<unknown, unknown, unknown> {
  const generator = drive(m, value, mode);
  const proto = (self as { prototype?: unknown } | undefined)?.prototype;
  ObjectSetPrototypeOf(generator, (typeof proto === "object" && proto !== null) || typeof proto === "function" ? (proto as object) : AsyncGeneratorPrototype);
  // What inspection finds the machine by (task dumps, `snapshot(generator)`), as a function's promise.
  m.promise = generator as unknown as Promise<unknown>;
  return generator;
}

/**
 * A machine restored from a snapshot (inspect/snapshot.ts) at one of its suspensions — a `yield`
 * or an `await` — as a new generator object: its first `next()` resumes that suspension with
 * `value` (`isThrow`: thrown there), as the original's resumption would have; the value that
 * `next()` passes is ignored, as a new generator's first `next()` value is.
 */
export function restoredGenerator(m: GeneratorMachine, value: unknown, isThrow: boolean): AsyncGenerator<unknown, unknown, unknown> {
  return generatorObject(m, undefined, value, isThrow);
}

/** Runs the machine to its `Start` suspend (parameters, which may throw from the call); the generator object. */
export function started(m: GeneratorMachine, self: Function): AsyncGenerator<unknown, unknown, unknown> {
  announceStart(m);
  const result = step(m, undefined, false);
  if (result !== undefined) throw new TypeErrorCtor("internal error: an async generator's machine did not stop at Start");
  return generatorObject(m, self);
}

/**
 * `startGenerator(self, f$resume, f$State, this, [a, b…])` — plain parameters passed in the frame
 * (see `startWithFrame`); `self` is the compiled function (its `prototype` is read at the call).
 * A method that uses `super` passes its super accessor last (`home`).
 */
export function startGenerator(
  self: Function,
  resume: Resume,
  names: StateEnum | undefined,
  thisArg: unknown,
  frame: unknown[],
  home?: SuperAccessor,
): AsyncGenerator<unknown, unknown, unknown> {
  return started(new GeneratorMachine(resume, frame, names, thisArg, undefined, home), self);
}

/** `startGeneratorWithArguments(self, f$resume, frameSize, f$State, this, arguments[, home])` (see `start`). */
export function startGeneratorWithArguments(
  self: Function,
  resume: Resume,
  frameSize: number,
  names: StateEnum | undefined,
  thisArg: unknown,
  args?: ArrayLike<unknown>,
  home?: SuperAccessor,
): AsyncGenerator<unknown, unknown, unknown> {
  return started(new GeneratorMachine(resume, newFrame(frameSize), names, thisArg, args, home), self);
}

/**
 * Gives a compiled async generator function the native shape: prototype
 * %AsyncGeneratorFunction.prototype% (`@@toStringTag` "AsyncGeneratorFunction"), an own
 * `prototype` object inheriting %AsyncGeneratorPrototype% (writable, not enumerable, not
 * configurable, as native), and the name it would have been given. The wrapper is a method, so
 * it has no `prototype` of its own before this and cannot be constructed.
 */
export function asyncGeneratorFunction<F extends Function>(fn: F, name?: string): F {
  ObjectSetPrototypeOf(fn, AsyncGeneratorFunctionPrototype);
  ReflectDefineProperty(fn, "prototype", {
    __proto__: null,
    value: ObjectCreate(AsyncGeneratorPrototype),
    writable: true,
    enumerable: false,
    configurable: false,
  } as PropertyDescriptor);
  if (name !== undefined) ObjectDefineProperty(fn, "name", { __proto__: null, value: name, configurable: true } as PropertyDescriptor);
  return fn;
}
