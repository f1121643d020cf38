/**
 * Scenario: the timing contract of promise-mode `start` (machine.ts). A hand-written resume
 * function that suspends with `m.s = 3; return m.await(x)` and finishes with `return m.ret(v)`
 * must resume in exactly the microtask native `await x` resumes in, settle its promise in the
 * microtask a native async function settles in, and run exactly the user code native runs
 * (`then` overrides, `then`/`constructor`/`@@species` getters: as often as native, no more).
 *
 * Referee: the native engine. Each case runs once as a native async function and once as a
 * machine, next to a microtask ticker (`tick 0`, `tick 1`, …); the two logs must be equal.
 * Both logs are printed so a failure shows where the machine drifted.
 */
import { describe, expect, test } from "vitest";
import { start, type Machine } from "../../runtime/compiled";

type Log = string[];
const originalThen = Promise.prototype.then;
const TICKS = 20;

function fmt(value: unknown): string {
  if (value instanceof Error) return `Error(${value.message})`;
  if (value instanceof Promise) return "[promise]";
  if (typeof value === "object" && value !== null) return "[object]";
  return String(value);
}

interface Case {
  /** Makes the awaited (or returned) value; may log what user code sees happen to it. */
  make(log: Log): unknown;
  /** Installs realm-wide patches for the duration of one run; returns the undo. */
  patch?(log: Log): () => void;
}

/** `async function (x) { log("start"); try { const v = await x; log(resumed); return v } catch (e) { log(caught); throw e } }` */
async function nativeAwait(log: Log, x: unknown): Promise<unknown> {
  log.push("start");
  try {
    const v = await x;
    log.push(`resumed ${fmt(v)}`);
    return v;
  } catch (error) {
    log.push(`caught ${fmt(error)}`);
    throw error;
  }
}

/** The same function as a machine, by hand: state 3 is the one await. */
function machineAwait(log: Log, x: unknown): Promise<unknown> {
  return start(
    (m: Machine, value: unknown, isThrow: boolean) => {
      switch (m.s) {
        case 0 /* Unresumed */:
          log.push("start");
          m.s = 3;
          // the emitter wraps a body with `try` the same way (transformer/emit/emit-machine.ts)
          try {
            return m.await(x);
          } catch (error) {
            log.push(`caught ${fmt(error)}`);
            throw error;
          }
        case 3 /* Await_x */:
          if (isThrow) {
            log.push(`caught ${fmt(value)}`);
            throw value;
          }
          log.push(`resumed ${fmt(value)}`);
          return m.ret(value);
      }
    },
    0,
    undefined,
    undefined,
    [],
  );
}

/** `async function (x) { log("start"); return x }`: settling with a promise or thenable. */
async function nativeReturn(log: Log, x: unknown): Promise<unknown> {
  log.push("start");
  return x;
}

function machineReturn(log: Log, x: unknown): Promise<unknown> {
  return start(
    (m: Machine) => {
      log.push("start");
      return m.ret(x);
    },
    0,
    undefined,
    undefined,
    [],
  );
}

/**
 * Runs `fn` next to a microtask ticker and returns the interleaved log. It starts from a fresh
 * macrotask, so no earlier microtask (the test runner's own `then` calls) runs inside the window
 * where realm-wide patches log.
 */
async function trace(c: Case, fn: (log: Log, x: unknown) => Promise<unknown>): Promise<Log> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  const log: Log = [];
  const x = c.make(log);
  const unpatch = c.patch?.(log);
  // `return await`, not `return`: returning a promise from an async function would call its
  // `then` (a resolve-thenable job) inside the window, and that call would be logged.
  return await new Promise<Log>((done) => {
    let tick = 0;
    const ticker = () => {
      log.push(`tick ${tick}`);
      if (++tick < TICKS) queueMicrotask(ticker);
      else {
        unpatch?.();
        done(log);
      }
    };
    queueMicrotask(ticker);
    const promise = fn(log, x);
    log.push("call returned");
    originalThen.call(
      promise,
      (value) => void log.push(`fulfilled ${fmt(value)}`),
      (error) => void log.push(`rejected ${fmt(error)}`),
    );
  });
}

function thenable(body: (log: Log, resolve: (v: unknown) => void, reject: (e: unknown) => void) => void): Case {
  return {
    make: (log) => ({
      then(resolve: (v: unknown) => void, reject: (e: unknown) => void) {
        log.push("thenable.then called");
        body(log, resolve, reject);
      },
    }),
  };
}

function patchProperty(target: object, key: PropertyKey, getter: () => unknown): () => void {
  const original = Object.getOwnPropertyDescriptor(target, key)!;
  Object.defineProperty(target, key, { configurable: true, get: getter });
  return () => Object.defineProperty(target, key, original);
}

const cases: Record<string, Case> = {
  "plain value": { make: () => 42 },
  undefined: { make: () => undefined },
  "resolved native promise": { make: () => Promise.resolve(42) },
  "rejected native promise": { make: () => Promise.reject(new Error("no")) },
  "pending promise resolved two ticks later": {
    make: () => {
      let resolve!: (v: number) => void;
      const p = new Promise<number>((r) => (resolve = r));
      queueMicrotask(() => queueMicrotask(() => resolve(7)));
      return p;
    },
  },
  "promise resolved with a promise": { make: () => new Promise((resolve) => resolve(Promise.resolve(8))) },
  "thenable resolving synchronously": thenable((_log, resolve) => resolve(42)),
  "thenable resolving a tick later": thenable((_log, resolve) => queueMicrotask(() => resolve(43))),
  "thenable resolving to a native promise": thenable((_log, resolve) => resolve(Promise.resolve(44))),
  "thenable rejecting": thenable((_log, _resolve, reject) => reject(new Error("thenable says no"))),
  "thenable whose then throws": thenable(() => {
    throw new Error("then threw");
  }),
  "object with a then getter": {
    make: (log) => ({
      get then() {
        log.push("get then");
        return (resolve: (v: unknown) => void) => resolve("via getter");
      },
    }),
  },
  "promise subclass instance": {
    make: () => {
      class SubPromise<T> extends Promise<T> {}
      return SubPromise.resolve(45);
    },
  },
  "native promise with its own then": {
    make: (log) => {
      const p = Promise.resolve(46);
      p.then = function (this: Promise<number>, ...args: Parameters<typeof originalThen>) {
        log.push("own then called");
        return originalThen.apply(this, args);
      } as typeof p.then;
      return p;
    },
  },
  "native promise with an own constructor getter": {
    make: (log) => {
      const p = Promise.resolve(47);
      Object.defineProperty(p, "constructor", {
        get() {
          log.push("get p.constructor");
          return Promise;
        },
      });
      return p;
    },
  },
  "native promise whose constructor getter throws (a synchronous throw at the await)": {
    make: (log) => {
      const p = Promise.resolve(52);
      Object.defineProperty(p, "constructor", {
        get() {
          log.push("get p.constructor (throws)");
          throw new Error("constructor getter");
        },
      });
      return p;
    },
  },
  "native promise whose constructor getter returns another constructor": {
    make: (log) => {
      const p = Promise.resolve(53);
      Object.defineProperty(p, "constructor", {
        get() {
          log.push("get p.constructor (Object)");
          return Object;
        },
      });
      return p;
    },
  },
  "patched Promise.prototype.then": {
    make: () => Promise.resolve(48),
    patch: (log) => {
      Promise.prototype.then = function (this: Promise<unknown>, ...args: Parameters<typeof originalThen>) {
        log.push("patched Promise.prototype.then called");
        return originalThen.apply(this, args);
      } as typeof originalThen;
      return () => {
        Promise.prototype.then = originalThen;
      };
    },
  },
  "patched Promise.prototype.then, thenable awaited": {
    make: (log) => ({
      then(resolve: (v: unknown) => void) {
        log.push("thenable.then called");
        resolve(49);
      },
    }),
    patch: (log) => {
      Promise.prototype.then = function (this: Promise<unknown>, ...args: Parameters<typeof originalThen>) {
        log.push("patched Promise.prototype.then called");
        return originalThen.apply(this, args);
      } as typeof originalThen;
      return () => {
        Promise.prototype.then = originalThen;
      };
    },
  },
  "patched Promise.prototype.constructor getter": {
    make: () => 50,
    patch: (log) =>
      patchProperty(Promise.prototype, "constructor", () => {
        log.push("get Promise.prototype.constructor");
        return Promise;
      }),
  },
  "patched Promise[Symbol.species] getter": {
    make: () => Promise.resolve(51),
    patch: (log) =>
      patchProperty(Promise, Symbol.species, () => {
        log.push("get Promise[@@species]");
        return Promise;
      }),
  },
};

describe("(9) machine timing equals native", () => {
  for (const [name, c] of Object.entries(cases)) {
    test(`await: ${name}`, async () => {
      const native = await trace(c, nativeAwait);
      const machine = await trace(c, machineAwait);
      console.log(`[timing] await ${name}\n  native:  ${native.join(" | ")}\n  machine: ${machine.join(" | ")}`);
      expect(machine).toEqual(native);
      expect(machine).not.toContain("patched Promise.prototype.then called");
    });

    test(`return: ${name}`, async () => {
      const native = await trace(c, nativeReturn);
      const machine = await trace(c, machineReturn);
      expect(machine).toEqual(native);
    });
  }

  test("a synchronous throw of the await expression reaches the machine at that await, in the same turn", async () => {
    // Native: `await p` reads p.constructor (PromiseResolve); a throwing getter makes the await
    // expression throw synchronously, into the function's own try. The machine's driver performs
    // the native await, so the error comes back as a throw at the suspend state, before any tick.
    const p = Promise.resolve(1);
    const error = new Error("constructor getter");
    Object.defineProperty(p, "constructor", {
      get() {
        throw error;
      },
    });
    const log: Log = [];
    const promise = start(
      (m: Machine, value: unknown, isThrow: boolean) => {
        switch (m.s) {
          case 0:
            m.s = 3;
            return m.await(p);
          case 3:
            log.push(`resumed at state 3 (isThrow ${isThrow}) ${fmt(value)}`);
            return m.ret(isThrow ? "recovered" : value);
        }
      },
      0,
      undefined,
      undefined,
      [],
    );
    expect(log).toEqual(["resumed at state 3 (isThrow true) Error(constructor getter)"]);
    expect(await promise).toBe("recovered");
  });

  // A machine waits on a primitive with a reaction on a private promise and on an object inside a
  // native driver, and switches from the first to the second mid-run: a run that mixes them must
  // still line up with native await by await, and settle (return or throw) in the same tick.
  const sequences: Record<string, string[]> = {
    "primitives, then objects, then primitives": [
      "plain value",
      "undefined",
      "resolved native promise",
      "plain value",
      "thenable resolving a tick later",
      "rejected native promise",
      "plain value",
    ],
    "objects first, then primitives": ["pending promise resolved two ticks later", "plain value", "thenable rejecting", "undefined", "resolved native promise"],
    "patched lookups across both ways of waiting": [
      "patched Promise.prototype.constructor getter",
      "patched Promise[Symbol.species] getter",
      "plain value",
      "native promise with an own constructor getter",
    ],
  };
  for (const [name, keys] of Object.entries(sequences)) {
    for (const ending of ["return", "throw"] as const) {
      test(`sequence (${ending}): ${name}`, async () => {
        const seq: Case = {
          make: (log) => keys.map((k) => () => cases[k].make(log)),
          patch: (log) => {
            const undo = keys.map((k) => cases[k].patch?.(log)).filter((u) => u !== undefined);
            return () => undo.reverse().forEach((u) => u());
          },
        };
        const nativeSeq = async (log: Log, makers: unknown): Promise<unknown> => {
          log.push("start");
          let n = 0;
          for (const make of makers as (() => unknown)[]) {
            try {
              log.push(`resumed ${fmt(await make())}`);
            } catch (error) {
              log.push(`caught ${fmt(error)}`);
            }
            n++;
          }
          if (ending === "throw") throw new Error(`after ${n}`);
          return n;
        };
        const machineSeq = (log: Log, makers: unknown): Promise<unknown> => {
          const list = makers as (() => unknown)[];
          let k = 0;
          return start(
            (m: Machine, value: unknown, isThrow: boolean) => {
              if (m.s === 0) log.push("start");
              else log.push(isThrow ? `caught ${fmt(value)}` : `resumed ${fmt(value)}`);
              if (k < list.length) {
                m.s = 3;
                return m.await(list[k++]());
              }
              if (ending === "throw") throw new Error(`after ${k}`);
              return m.ret(k);
            },
            0,
            undefined,
            undefined,
            [],
          );
        };
        const native = await trace(seq, nativeSeq);
        const machine = await trace(seq, machineSeq);
        console.log(`[timing] sequence ${ending} ${name}\n  native:  ${native.join(" | ")}\n  machine: ${machine.join(" | ")}`);
        expect(machine).toEqual(native);
      });
    }
  }

  test("the brief's cases resume in the expected tick (plain: 1, native promise: 1, thenable: 2)", async () => {
    const resumedAfter = (log: Log) => {
      const at = log.findIndex((entry) => entry.startsWith("resumed"));
      return log.slice(0, at).filter((entry) => entry.startsWith("tick")).length;
    };
    expect(resumedAfter(await trace(cases["plain value"], machineAwait))).toBe(1);
    expect(resumedAfter(await trace(cases["resolved native promise"], machineAwait))).toBe(1);
    expect(resumedAfter(await trace(cases["thenable resolving synchronously"], machineAwait))).toBe(2);
  });
});
