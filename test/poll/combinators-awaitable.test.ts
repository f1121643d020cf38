/**
 * Scenario: `join`, `select`, `race`, `timeout` (and `scope`) awaited from NATIVE async code, as
 * a poll-mode call is: the combinator's future is a `PromiseLike` whose first `then` spawns it on
 * the ambient executor. Values and rejections match native (`Promise.all` / `Promise.race` over
 * the same functions left native); a combinator cancelled while awaited rejects with
 * `Cancelled`; the branches a combinator no longer needs are cancelled (their `finally` blocks
 * run exactly once, before the await returns) and leave no timer.
 */
import { describe, expect, test } from "vitest";
import { Cancelled, join, race, scope, select, timeout, TimeoutError } from "../../runtime/index";
import { loadModule, loadNativeModule, macrotasks } from "./support";

const WORK = `
export async function add(a, b) { await null; await Promise.resolve(); return a + b; }
export async function fail(message) { await null; throw new Error(message); }
export async function later(ms, value) { await new Promise((r) => setTimeout(r, ms)); return value; }
`;

const GUARDED = `
import { sleep } from "async-machine/runtime";
export async function sleeper(log, name, ms) {
  try { await sleep(ms); log(name + " woke"); return name; }
  catch (e) { log(name + " catch"); }
  finally { log(name + " finally"); }
}
export async function failSoon(message) { await null; throw new Error(message); }
`;

interface Work {
  add(a: number, b: number): Promise<number>;
  fail(message: string): Promise<never>;
  later<T>(ms: number, value: T): Promise<T>;
}
interface Guarded {
  sleeper(log: (s: string) => void, name: string, ms: number): Promise<string>;
  failSoon(message: string): Promise<never>;
}

const poll = loadModule<Work>(WORK);
const native = loadNativeModule<Work>(WORK);
const guarded = loadModule<Guarded>(GUARDED);

/** Counts the host timers started with `ms` and which of them are cleared, while `body` runs. */
async function watchingTimers(ms: number, body: (started: NodeJS.Timeout[], cleared: Set<unknown>) => Promise<void>): Promise<void> {
  const started: NodeJS.Timeout[] = [];
  const cleared = new Set<unknown>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  globalThis.setTimeout = ((fn: () => void, delay?: number) => {
    const t = realSet(fn, delay);
    if (delay === ms) started.push(t);
    return t;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((t: NodeJS.Timeout) => {
    cleared.add(t);
    realClear(t);
  }) as typeof clearTimeout;
  try {
    await body(started, cleared);
  } finally {
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
  }
}

describe("combinators awaited from native code", () => {
  test("values: as Promise.all / Promise.race over the same functions left native", async () => {
    expect(await join([poll.add(1, 2), poll.add(3, 4), Promise.resolve(5)])).toEqual(await Promise.all([native.add(1, 2), native.add(3, 4), Promise.resolve(5)]));
    expect(await race([poll.later(30, "slow"), poll.add(1, 1)])).toBe(await Promise.race([native.later(30, "slow"), native.add(1, 1)]));
    expect(await timeout(poll.add(20, 22), 60_000)).toBe(await native.add(20, 22));
    expect(await select([poll.later(30, "slow"), poll.add(2, 3)])).toEqual({ index: 1, value: await native.add(2, 3) });
    expect(await scope(async (s) => (await s.spawn(poll.add(1, 2))) + 1)).toBe((await native.add(1, 2)) + 1);
  });

  test("then, catch and finally as on a promise; then-ing twice runs the combinator once", async () => {
    const log: string[] = [];
    const j = join([guarded.sleeper((s) => log.push(s), "a", 1)]);
    const [first, second] = await Promise.all([j.then((v) => v[0] + "!"), j.then((v) => v[0] + "?")]);
    expect([first, second]).toEqual(["a!", "a?"]);
    expect(log).toEqual(["a woke", "a finally"]);
    expect(await join([poll.fail("no")]).catch((e) => (e as Error).message)).toBe(await Promise.all([native.fail("no")]).catch((e: Error) => e.message));
    let settled = 0;
    expect(await select([poll.add(1, 1)]).finally(() => settled++)).toEqual({ index: 0, value: 2 });
    expect(settled).toBe(1);
  });

  test("rejections: the same error as native; the siblings still running are cancelled first", async () => {
    const log: string[] = [];
    const nativeError = await Promise.all([native.later(60_000, "x"), native.fail("boom")]).catch((e: Error) => e.message);
    await expect(join([guarded.sleeper((s) => log.push(s), "sibling", 60_000), guarded.failSoon("boom")])).rejects.toThrow(nativeError);
    expect(log).toEqual(["sibling finally"]);
    await expect(race([guarded.sleeper((s) => log.push(s), "loser", 60_000), guarded.failSoon("first")])).rejects.toThrow("first");
    expect(log).toEqual(["sibling finally", "loser finally"]);
    await expect(timeout(guarded.failSoon("inner"), 60_000)).rejects.toThrow("inner");
  });

  test("losing branches are cancelled: finally runs exactly once, before the await returns, and no timer is left", async () => {
    await watchingTimers(60_000, async (started, cleared) => {
      const log: string[] = [];
      const won = await select([guarded.sleeper((s) => log.push(s), "loser", 60_000), guarded.sleeper((s) => log.push(s), "winner", 1)]);
      expect(won).toEqual({ index: 1, value: "winner" });
      expect(log).toEqual(["winner woke", "winner finally", "loser finally"]);
      expect(started).toHaveLength(1);
      expect(cleared.has(started[0])).toBe(true);
      await macrotasks(3);
      expect(log).toHaveLength(3);
    });
  });

  test("timeout: TimeoutError once the work is cancelled (its finally ran once, its timer cleared)", async () => {
    await watchingTimers(60_000, async (started, cleared) => {
      const log: string[] = [];
      await expect(
        timeout(
          guarded.sleeper((s) => log.push(s), "work", 60_000),
          5,
        ),
      ).rejects.toBeInstanceOf(TimeoutError);
      expect(log).toEqual(["work finally"]);
      expect(started).toHaveLength(1);
      expect(cleared.has(started[0])).toBe(true);
      await macrotasks(3);
      expect(log).toEqual(["work finally"]);
    });
  });

  test("Cancelled: a combinator cancelled while native code awaits it rejects with Cancelled; its children's finally runs once", async () => {
    await watchingTimers(60_000, async (started, cleared) => {
      const log: string[] = [];
      const cancellable = [
        join([guarded.sleeper((s) => log.push(s), "join", 60_000)]),
        select([guarded.sleeper((s) => log.push(s), "select", 60_000)]),
        race([guarded.sleeper((s) => log.push(s), "race", 60_000)]),
        timeout(
          guarded.sleeper((s) => log.push(s), "timeout", 60_000),
          120_000,
        ),
      ];
      const outcomes = cancellable.map((future) =>
        Promise.resolve(future).then(
          () => "resolved",
          (error: unknown) => error,
        ),
      );
      for (let i = 0; i < 100 && started.length < 4; i++) await macrotasks(1);
      expect(started).toHaveLength(4);
      for (const future of cancellable) future.cancel();
      for (const outcome of await Promise.all(outcomes)) expect(outcome).toBeInstanceOf(Cancelled);
      expect(log).toEqual(["join finally", "select finally", "race finally", "timeout finally"]);
      expect(started.every((t) => cleared.has(t))).toBe(true);
      await macrotasks(3);
      expect(log).toHaveLength(4);
    });
  });

  test("poll-mode code still awaits a combinator as a future", async () => {
    const m = loadModule<{ both(): Promise<number[]> }>(`
      import { join } from "async-machine/runtime";
      async function one(x) { return x; }
      export async function both() { return await join([one(1), one(2)]); }
    `);
    expect(await m.both()).toEqual([1, 2]);
  });
});
