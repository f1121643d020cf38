/**
 * Scenario: cancellation of COMPILED poll-mode code (transform(src, { mode: "poll" })). A
 * cancelled task is resumed at its current await: its pending `finally` blocks run exactly once,
 * innermost first, awaits inside them allowed, the awaited poll-mode child cancelled first;
 * `catch` blocks do not run; a second cancel does nothing; the task rejects with `Cancelled`; a
 * cancelled `sleep` leaves no timer. The same bodies run to completion match native `async`.
 */
import { describe, expect, test } from "vitest";
import { Cancelled, PollMachine, sleep, spawn, timeout, TimeoutError } from "../../runtime/index";
import { loadModule, macrotasks } from "./support";

const SOURCE = `
import { sleep } from "async-machine/runtime";
export const never = () => new Promise(() => {});

export async function guarded(log, work, cleanup) {
  try { log("try"); const v = await work; log("after " + v); return v; }
  catch (e) { log("catch " + e); return "caught"; }
  finally { log("finally"); await cleanup; log("finally end"); }
}

export async function child(log) {
  try { log("child start"); await never(); }
  finally { log("child finally"); }
}

export async function parent(log) {
  try {
    try { return await child(log); }
    catch (e) { log("inner catch"); }
    finally { log("inner finally"); }
  } finally { log("outer finally"); }
}

export async function loop(log, next) {
  for (let i = 0; i < 3; i++) {
    try { await next(i); } catch (e) { log("catch " + i); } finally { log("finally " + i); }
  }
  return "done";
}

export async function catchOnly(log, x) {
  try { return await x; } catch (e) { log("catch"); return "caught"; }
}

export async function sleeper(log, ms) {
  try { await sleep(ms); log("woke"); } finally { log("sleeper finally"); }
}

export async function counter(log) {
  let n = 0;
  try {
    for (;;) { n++; await sleep(1); }
  } catch (e) { log("never"); }
  finally { log("stopped after work " + (n > 0)); }
}
`;

interface Mod {
  never: () => Promise<never>;
  guarded(log: (s: string) => void, work: unknown, cleanup: unknown): PollMachine<unknown>;
  parent(log: (s: string) => void): PollMachine<unknown>;
  loop(log: (s: string) => void, next: (i: number) => unknown): PollMachine<string>;
  catchOnly(log: (s: string) => void, x: unknown): PollMachine<unknown>;
  sleeper(log: (s: string) => void, ms: number): PollMachine<void>;
  counter(log: (s: string) => void): PollMachine<void>;
}

const m = loadModule<Mod>(SOURCE);

describe("compiled poll-mode functions", () => {
  test("are lazy: a call runs nothing until awaited or spawned", async () => {
    const log: string[] = [];
    const call = m.guarded((s) => log.push(s), 1, 2);
    expect(call).toBeInstanceOf(PollMachine);
    expect(call).not.toBeInstanceOf(Promise);
    await macrotasks(1);
    expect(log).toEqual([]);
    expect(await call).toBe(1);
    expect(log).toEqual(["try", "after 1", "finally", "finally end"]);
  });

  test("a finally with an await runs once on cancel, the catch does not run, a cancel while cancelling does nothing", async () => {
    const log: string[] = [];
    let release!: () => void;
    const cleanup = new Promise<void>((r) => (release = r));
    const task = spawn(m.guarded((s) => log.push(s), m.never(), cleanup));
    await macrotasks(1);
    expect(log).toEqual(["try"]);
    expect(task.cancel()).toBe(true);
    await macrotasks(1);
    expect(log).toEqual(["try", "finally"]);
    expect(task.cancel()).toBe(false);
    release();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual(["try", "finally", "finally end"]);
    expect(task.cancel()).toBe(false);
  });

  test("nested machines: the awaited child's finally runs first, then the parent's, innermost first; no catch", async () => {
    const log: string[] = [];
    const task = spawn(m.parent((s) => log.push(s)));
    await macrotasks(1);
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual(["child start", "child finally", "inner finally", "outer finally"]);
  });

  test("in a loop: earlier iterations ran their finally once each, the cancelled one runs it once, the loop stops; catch never runs", async () => {
    const log: string[] = [];
    const gates: Array<() => void> = [];
    const task = spawn(
      m.loop(
        (s) => log.push(s),
        (i) => new Promise<void>((r) => (gates[i] = r)),
      ),
    );
    await macrotasks(1);
    gates[0]();
    await macrotasks(2);
    expect(log).toEqual(["finally 0"]);
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual(["finally 0", "finally 1"]);
    expect(gates.length).toBe(2);
  });

  test("a try/catch without finally: the catch does not catch the cancellation", async () => {
    const log: string[] = [];
    const task = spawn(m.catchOnly((s) => log.push(s), m.never()));
    await macrotasks(1);
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual([]);
  });

  test("an ordinary error is still caught (the check is for the cancellation only)", async () => {
    const log: string[] = [];
    expect(await m.catchOnly((s) => log.push(s), Promise.reject(new Error("x")))).toBe("caught");
    expect(
      await m.loop(
        (s) => log.push(s),
        (i) => (i === 1 ? Promise.reject(new Error("x")) : i),
      ),
    ).toBe("done");
    expect(log).toEqual(["catch", "finally 0", "catch 1", "finally 1", "finally 2"]);
  });

  test("a cancelled sleep leaves no timer behind, and its finally runs", async () => {
    // The host timers the sleep starts (by their delay), and which of them are cleared.
    const started: NodeJS.Timeout[] = [];
    const cleared = new Set<unknown>();
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    globalThis.setTimeout = ((fn: () => void, ms?: number) => {
      const t = realSet(fn, ms);
      if (ms === 60_000) started.push(t);
      return t;
    }) as typeof setTimeout;
    globalThis.clearTimeout = ((t: NodeJS.Timeout) => {
      cleared.add(t);
      realClear(t);
    }) as typeof clearTimeout;
    try {
      const log: string[] = [];
      const task = spawn(m.sleeper((s) => log.push(s), 60_000));
      // On a busy machine the first poll may take more than one turn (bounded wait).
      for (let i = 0; i < 100 && started.length === 0; i++) await macrotasks(1);
      expect(started).toHaveLength(1);
      expect(started[0].hasRef()).toBe(true);
      task.cancel();
      await expect(task).rejects.toBeInstanceOf(Cancelled);
      expect(log).toEqual(["sleeper finally"]);
      expect(cleared.has(started[0])).toBe(true);
    } finally {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    }
  });

  test("timeout() really stops a compiled loop and runs its finally", async () => {
    const log: string[] = [];
    await expect(
      spawn(
        timeout(
          m.counter((s) => log.push(s)),
          20,
        ),
      ).promise,
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(log).toEqual(["stopped after work true"]);
    await macrotasks(2);
    expect(log).toHaveLength(1);
  });

  test("a cancellation arriving while the finally awaits a poll-mode call: that call completes, finally ends once", async () => {
    const log: string[] = [];
    const task = spawn(
      m.guarded(
        (s) => log.push(s),
        m.never(),
        m.sleeper((s) => log.push(s), 5),
      ),
    );
    await macrotasks(1);
    task.cancel();
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual(["try", "finally", "woke", "sleeper finally", "finally end"]);
  });
});

describe("interop", () => {
  const mixed = loadModule<{
    native: (x: unknown) => Promise<unknown>;
    pollAwaitsPromiseMode: (x: unknown) => PollMachine<unknown>;
    promiseAwaitsPoll: (x: unknown) => Promise<unknown>;
    twice: (x: number) => PollMachine<number>;
  }>(
    `
    export async function native(x) { await null; return x; }
    /** @promise */
    export async function promiseMode(x) { await null; return x + 1; }
    export async function twice(x) { return (await promiseMode(x)) + (await Promise.resolve(x)) + (await x); }
    export async function pollAwaitsPromiseMode(x) { return await promiseMode(x); }
    /** @promise */
    export async function promiseAwaitsPoll(x) { return [await twice(x), await Promise.all([twice(1), twice(2)])]; }
    `,
  );

  test("poll code awaits promise-mode machines and native promises; promise-mode code awaits poll machines (also in Promise.all)", async () => {
    expect(mixed.twice(3)).toBeInstanceOf(PollMachine);
    expect(mixed.promiseAwaitsPoll(3)).toBeInstanceOf(Promise);
    expect(await mixed.pollAwaitsPromiseMode(1)).toBe(2);
    expect(await mixed.promiseAwaitsPoll(3)).toEqual([10, [4, 7]]);
  });

  test("a promise-mode file honours /** @poll */ on a function", () => {
    const promiseFile = loadModule<{ lazy: () => unknown; eager: () => unknown }>(
      `export const lazy = /** @poll */ async () => 1;\nexport async function eager() { return 1; }`,
      "promise",
    );
    expect(promiseFile.lazy()).toBeInstanceOf(PollMachine);
    expect(promiseFile.eager()).toBeInstanceOf(Promise);
  });
});

test("sleep is the runtime's (the test's own imports and the compiled module's agree)", () => {
  expect(typeof sleep).toBe("function");
});

describe("inspection", () => {
  test("dumpTasks shows suspended poll-mode machines, what they await, and whether they are cancelling", async () => {
    const { enableTaskTracking, disableTaskTracking, dumpTasks, formatTasks } = await import("../../runtime/inspect/index");
    enableTaskTracking();
    try {
      const log: string[] = [];
      let release!: () => void;
      const task = spawn(m.guarded((s) => log.push(s), m.never(), new Promise<void>((r) => (release = r))));
      await macrotasks(1);
      const before = dumpTasks()
        .flatMap((s) => s.frames)
        .filter((f) => f.function === "guarded");
      expect(before.map((f) => [f.stateName, f.cancelling])).toEqual([["AwaitWork_L6", false]]);
      task.cancel();
      await macrotasks(1);
      expect(formatTasks()).toMatch(/#0 guarded \[AwaitCleanup_L8\].* \(cancelling\)/);
      release();
      await expect(task).rejects.toBeInstanceOf(Cancelled);
      expect(
        dumpTasks()
          .flatMap((s) => s.frames)
          .filter((f) => f.function === "guarded"),
      ).toEqual([]);
    } finally {
      disableTaskTracking();
    }
  });
});

test("asFuture gives a poll-mode call the Future type and refuses a promise with the way out", async () => {
  const { asFuture } = await import("../../runtime/index");
  const call = m.catchOnly(() => {}, 5);
  expect(asFuture(call as unknown as Promise<unknown>)).toBe(call);
  expect(() => asFuture(Promise.resolve(1))).toThrow(/asFuture.*expected a Future, got a Promise; wrap it: fromPromise/);
  await expect(spawn(asFuture(call)).promise).resolves.toBe(5);
});
