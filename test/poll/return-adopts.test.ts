/**
 * Scenario: `return x` in a poll-mode function settles with x's outcome when x is a thenable,
 * as native `return` resolves the call's promise with x (it adopts). The body (its `finally`
 * blocks included) is over when the adoption starts, so no `catch` of the body sees a rejection.
 * Every outcome and log is checked against the same source run natively; where poll mode's
 * laziness shows (a returned poll-mode call starts at its first poll), the test says so.
 */
import { describe, expect, test } from "vitest";
import { Cancelled, Executor, PollMachine, ready, sleep, spawn } from "../../runtime/index";
import { loadModule, loadNativeModule, macrotasks } from "./support";

const SOURCE = `
export const never = () => new Promise(() => {});

export async function returnsIt(log, x) {
  try { log("body"); return x; }
  catch (e) { log("catch " + e); return "caught"; }
  finally { log("finally"); }
}

export async function plain(v) { return v; }
export async function later(v) { await null; return v; }
export async function fails(message) { await null; throw new Error(message); }
export async function returnsCall(log, v) { try { return later(v); } finally { log("finally"); } }
export async function returnsFailing(log) { try { return fails("inner failed"); } catch (e) { log("catch"); return "caught"; } }
export async function chain(n) { return n === 0 ? "bottom" : chain(n - 1); }
export async function returnsReadyCall(v) { return plain(v); }

// The referee awaits inside the module: in poll mode, a poll-mode await of the call (polled
// inline), not a promise's resolution, which would adopt a returned thenable by itself.
export async function outcomeOf(call) {
  try { return { fulfilled: await call }; } catch (e) { return { rejected: String(e) }; }
}
`;

type Log = (line: string) => void;
interface Mod {
  never(): Promise<never>;
  returnsIt(log: Log, x: unknown): PromiseLike<unknown>;
  plain(v: unknown): PromiseLike<unknown>;
  later(v: unknown): PromiseLike<unknown>;
  returnsCall(log: Log, v: unknown): PromiseLike<unknown>;
  returnsFailing(log: Log): PromiseLike<unknown>;
  chain(n: number): PromiseLike<unknown>;
  returnsReadyCall(v: unknown): PromiseLike<unknown>;
  outcomeOf(call: PromiseLike<unknown>): PromiseLike<{ fulfilled?: unknown; rejected?: string }>;
}

const poll = loadModule<Mod>(SOURCE);
const native = loadNativeModule<Mod>(SOURCE);

type Outcome = readonly ["fulfilled", unknown] | readonly ["rejected", string];

/** Runs `scenario` with a fresh log, awaited by the module's `outcomeOf`: its outcome (errors by their text) and the log. */
async function observe(m: Mod, scenario: (m: Mod, log: Log) => PromiseLike<unknown>): Promise<{ outcome: Outcome; log: string[] }> {
  const log: string[] = [];
  const result = await m.outcomeOf(scenario(m, (line) => log.push(line)));
  const outcome: Outcome = "rejected" in result ? ["rejected", result.rejected!] : ["fulfilled", result.fulfilled];
  return { outcome, log };
}

/** `scenario` run against the poll-mode module and the native one: both results. */
async function both(scenario: (m: Mod, log: Log) => PromiseLike<unknown>) {
  return { poll: await observe(poll, scenario), native: await observe(native, scenario) };
}

/** A thenable that logs each read of `then` and each call, and settles as `settle` says. */
function loggingThenable(log: Log, settle: (resolve: (v: unknown) => void, reject: (e: unknown) => void) => void): object {
  return {
    get then() {
      log("get then");
      queueMicrotask(() => log("microtask queued by the getter"));
      return (resolve: (v: unknown) => void, reject: (e: unknown) => void) => {
        log("then called");
        settle(resolve, reject);
      };
    },
  };
}

describe("return of a thenable adopts it", () => {
  test("a fulfilled promise: its value", async () => {
    const { poll, native } = await both((m, log) => m.returnsIt(log, Promise.resolve(7)));
    expect(native.outcome).toEqual(["fulfilled", 7]);
    expect(poll).toEqual(native);
  });

  test("a rejected promise: its reason, and no catch of the body runs", async () => {
    const { poll, native } = await both((m, log) => m.returnsIt(log, Promise.reject(new Error("no"))));
    expect(native.outcome).toEqual(["rejected", "Error: no"]);
    expect(native.log).toEqual(["body", "finally"]);
    expect(poll).toEqual(native);
  });

  test("a promise settled later", async () => {
    const { poll, native } = await both((m, log) => m.returnsIt(log, new Promise((r) => setTimeout(() => r("late"), 5))));
    expect(native.outcome).toEqual(["fulfilled", "late"]);
    expect(poll).toEqual(native);
  });

  test("a thenable: `then` read once, after the finally blocks, and called in a later job", async () => {
    const { poll, native } = await both((m, log) =>
      m.returnsIt(
        log,
        loggingThenable(log, (resolve) => resolve("from then")),
      ),
    );
    expect(native.outcome).toEqual(["fulfilled", "from then"]);
    expect(native.log).toEqual(["body", "finally", "get then", "microtask queued by the getter", "then called"]);
    expect(poll).toEqual(native);
  });

  test("a thenable that rejects, and one that resolves with another thenable", async () => {
    const rejecting = await both((m, log) =>
      m.returnsIt(
        log,
        loggingThenable(log, (_, reject) => reject("refused")),
      ),
    );
    expect(rejecting.native.outcome).toEqual(["rejected", "refused"]);
    expect(rejecting.poll).toEqual(rejecting.native);
    const nested = await both((m, log) =>
      m.returnsIt(
        log,
        loggingThenable(log, (resolve) => resolve(loggingThenable(log, (r) => r("inner")))),
      ),
    );
    expect(nested.native.outcome).toEqual(["fulfilled", "inner"]);
    expect(nested.poll).toEqual(nested.native);
  });

  test("a `then` getter that throws fails the call", async () => {
    const throwing = (log: Log) => ({
      get then(): never {
        log("get then");
        throw new Error("getter threw");
      },
    });
    const { poll, native } = await both((m, log) => m.returnsIt(log, throwing(log)));
    expect(native.outcome).toEqual(["rejected", "Error: getter threw"]);
    expect(poll).toEqual(native);
  });

  test("an object that is not a thenable (a Future included) is the value itself, as native", async () => {
    const future = ready(1);
    const plainObject = { then: 42 };
    for (const value of [future, plainObject]) {
      const { poll, native } = await both((m, log) => m.returnsIt(log, value));
      expect(native.outcome[1]).toBe(value);
      expect(poll.outcome[1]).toBe(value);
      expect(poll.log).toEqual(native.log);
    }
  });

  test("another poll-mode call: its value or its error (no catch of the body runs)", async () => {
    const ok = await both((m, log) => m.returnsCall(log, "inner value"));
    expect(ok.native.outcome).toEqual(["fulfilled", "inner value"]);
    expect(ok.poll).toEqual(ok.native);
    const failing = await both((m, log) => m.returnsFailing(log));
    expect(failing.native).toEqual({ outcome: ["rejected", "Error: inner failed"], log: [] });
    expect(failing.poll).toEqual(failing.native);
  });

  test("a chain of returned calls settles with the last one's value", async () => {
    const { poll, native } = await both((m) => m.chain(300));
    expect(native.outcome).toEqual(["fulfilled", "bottom"]);
    expect(poll).toEqual(native);
  });

  test("a returned call that is ready is polled inline: the task finishes in its first poll", async () => {
    const executor = new Executor();
    const task = executor.spawn(poll.outcomeOf(poll.returnsReadyCall("now")) as PollMachine<unknown>);
    expect(await task).toEqual({ fulfilled: "now" });
    expect(task.polls).toBe(1);
  });

  test("a returned task: its outcome", async () => {
    const task = spawn(poll.later("from the task") as PollMachine<unknown>);
    const log: string[] = [];
    expect(await poll.outcomeOf(poll.returnsIt((line) => log.push(line), task))).toEqual({ fulfilled: "from the task" });
    expect(log).toEqual(["body", "finally"]);
  });
});

describe("cancelling a machine while it adopts what it returned", () => {
  const CANCEL_SOURCE = `
import { sleep } from "async-machine/runtime";
export async function child(log) {
  try { await sleep(60_000); return "child done"; } finally { log("child finally"); }
}
export async function returnsChild(log) {
  try { return child(log); } finally { log("parent finally"); }
}
export async function returnsIt(x) { return x; }
`;
  const m = loadModule<{ returnsChild(log: Log): PollMachine<unknown>; returnsIt(x: unknown): PollMachine<unknown> }>(CANCEL_SOURCE);

  test("the returned call is cancelled (its finally runs once) and the machine settles cancelled", async () => {
    const log: string[] = [];
    const task = spawn(m.returnsChild((line) => log.push(line)));
    await macrotasks(2);
    expect(log).toEqual(["parent finally"]);
    expect(task.cancel()).toBe(true);
    await expect(task.promise).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual(["parent finally", "child finally"]);
    expect(task.isCancelled).toBe(true);
  });

  test("a returned promise that never settles is detached", async () => {
    const task = spawn(m.returnsIt(new Promise(() => {})));
    await macrotasks(2);
    task.cancel();
    await expect(task.promise).rejects.toBeInstanceOf(Cancelled);
  });

  test("a returned sleep is a Future, not a thenable: the value itself (nothing waits on it)", async () => {
    const timer = sleep(60_000);
    expect(await spawn(m.returnsIt(timer))).toBe(timer);
    timer.drop(); // clears its timer
  });
});
