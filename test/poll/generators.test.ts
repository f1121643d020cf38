/**
 * Scenario: poll-mode async generators (runtime/poll-generator.ts). Consumed by `for await` —
 * from a poll-mode function or from native code — they give native's values, errors and order
 * (the same module run natively is the referee). Dropped — the consuming task cancelled while the
 * generator's body awaits, or while it is suspended at a `yield` — their `finally` blocks run
 * exactly once (after the awaited child's own), `catch` blocks do not run, and no timer is left.
 * Stepped by a poll-mode `for await` alone, a generator is a stream the consumer polls: its steps
 * need no promise job, and the implicit await of a `yield` operand is cancelled by dropping too.
 */
import { describe, expect, test } from "vitest";
import { Cancelled, Context, noopWaker, PENDING, spawn, type PollMachine } from "../../runtime/index";
import { loadModule, loadNativeModule, macrotasks } from "./support";

const REFEREE = `
async function double(x) { await null; return x * 2; }
export async function* numbers(log, n) {
  try {
    for (let i = 0; i < n; i++) {
      log("before " + i);
      await null;
      const v = await double(await Promise.resolve(i * 5)); // a poll-mode call, awaited in the generator
      yield v;
      log("after " + i);
    }
    return "end";
  } catch (e) { log("caught " + e.message); throw e; }
  finally { log("numbers finally"); }
}
export async function* failing(log) {
  yield 1;
  await null;
  throw new Error("gen failed");
}
export async function consume(log, n) {
  let sum = 0;
  for await (const v of numbers(log, n)) { log("got " + v); sum += v; if (v === 20) break; }
  try { for await (const v of failing(log)) log("failing got " + v); }
  catch (e) { log("consumer caught " + e.message); }
  return sum;
}
`;

const DROPPED = `
import { sleep } from "async-machine/runtime";
export async function child(log) {
  try { await sleep(60000); log("child woke"); } finally { log("child finally"); }
}
export async function* slow(log, awaitChild) {
  try {
    try {
      yield 1;
      log("waiting");
      if (awaitChild) await child(log); else await sleep(60000);
      log("never after wait");
      yield 2;
    } catch (e) { log("generator catch"); }
    finally { log("inner finally"); await null; log("inner finally end"); }
  } finally { log("outer finally"); }
}
export async function consumer(log, awaitChild, slowBody) {
  try {
    for await (const v of slow(log, awaitChild)) {
      log("got " + v);
      if (slowBody) await sleep(60000);
    }
  } catch (e) { log("consumer catch"); }
  finally { log("consumer finally"); }
}
`;

interface Referee {
  numbers(log: (s: string) => void, n: number): AsyncGenerator<number, string>;
  consume(log: (s: string) => void, n: number): Promise<number>;
}
interface Dropped {
  consumer(log: (s: string) => void, awaitChild: boolean, slowBody: boolean): Promise<void>;
}

/** Counts the 60 s host timers started while `body` runs, and which of them are cleared. */
async function watchingTimers(body: (started: NodeJS.Timeout[], cleared: Set<unknown>) => Promise<void>): Promise<void> {
  const started: NodeJS.Timeout[] = [];
  const cleared = new Set<unknown>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  globalThis.setTimeout = ((fn: () => void, delay?: number) => {
    const t = realSet(fn, delay);
    if (delay === 60_000) started.push(t);
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

describe("poll-mode async generators, run to completion: as native", () => {
  const poll = loadModule<Referee>(REFEREE);
  const native = loadNativeModule<Referee>(REFEREE);

  test("a poll-mode for await over them (break, a throwing generator): native's trace and result", async () => {
    const expected: string[] = [];
    const got: string[] = [];
    expect(await poll.consume((s) => got.push(s), 5)).toBe(await native.consume((s) => expected.push(s), 5));
    expect(got).toEqual(expected);
    expect(got).toContain("numbers finally");
  });

  test("native for await, next(), return() over a poll-mode generator: as over the native one", async () => {
    const run = async (m: Referee): Promise<string[]> => {
      const log: string[] = [];
      for await (const v of m.numbers((s) => log.push(s), 2)) log.push(`v ${v}`);
      const g = m.numbers((s) => log.push(s), 3);
      log.push(JSON.stringify(await g.next()), JSON.stringify(await g.return("early")), JSON.stringify(await g.next()));
      log.push(Object.prototype.toString.call(g));
      return log;
    };
    expect(await run(poll)).toEqual(await run(native));
  });
});

describe("poll-mode async generators, dropped", () => {
  const m = loadModule<Dropped>(DROPPED);

  /** Spawns the consumer, waits until `ready` is in the log, cancels it; the log. */
  async function cancelWhen(ready: string, awaitChild: boolean, slowBody: boolean, started: NodeJS.Timeout[]): Promise<string[]> {
    const log: string[] = [];
    const task = spawn(m.consumer((s) => log.push(s), awaitChild, slowBody));
    for (let i = 0; i < 200 && !(log.includes(ready) && started.length > 0); i++) await macrotasks(1);
    expect(log).toContain(ready);
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    return log;
  }

  test("at an await in the body: the generator's finally blocks run once, its catch does not, then the consumer's finally; no timer left", async () => {
    await watchingTimers(async (started, cleared) => {
      const log = await cancelWhen("waiting", false, false, started);
      expect(log).toEqual(["got 1", "waiting", "inner finally", "inner finally end", "outer finally", "consumer finally"]);
      expect(started).toHaveLength(1);
      expect(cleared.has(started[0])).toBe(true);
      await macrotasks(3);
      expect(log).toHaveLength(6);
    });
  });

  test("at an await of a poll-mode call: that call is cancelled first (its finally), then the generator's", async () => {
    await watchingTimers(async (started, cleared) => {
      const log = await cancelWhen("waiting", true, false, started);
      expect(log).toEqual(["got 1", "waiting", "child finally", "inner finally", "inner finally end", "outer finally", "consumer finally"]);
      expect(started).toHaveLength(1);
      expect(cleared.has(started[0])).toBe(true);
    });
  });

  test("at a yield (the consumer's body awaits): for await calls return(), the generator's finally blocks run once", async () => {
    await watchingTimers(async (started, cleared) => {
      const log = await cancelWhen("got 1", false, true, started);
      expect(log).toEqual(["got 1", "inner finally", "inner finally end", "outer finally", "consumer finally"]);
      expect(started).toHaveLength(1);
      expect(cleared.has(started[0])).toBe(true);
      await macrotasks(3);
      expect(log).toHaveLength(5);
    });
  });
});

const STREAM = `
import { sleep } from "async-machine/runtime";
export async function* numbers(n) {
  for (let i = 0; i < n; i++) yield i;
}
export async function sum(n) {
  let total = 0;
  for await (const v of numbers(n)) total += v;
  return total;
}
export async function child(log) {
  try { await sleep(60000); log("child woke"); return 1; } finally { log("child finally"); }
}
export async function* yieldsCall(log) {
  try {
    yield 0;
    log("yielding a call");
    yield child(log); // the yield awaits the call first
    log("never after yield");
  } catch (e) { log("generator catch"); }
  finally { log("generator finally"); }
}
export async function consumeYieldsCall(log) {
  try { for await (const v of yieldsCall(log)) log("got " + v); }
  finally { log("consumer finally"); }
}
`;

interface Stream {
  sum(n: number): Promise<number>;
  consumeYieldsCall(log: (s: string) => void): Promise<void>;
}

describe("poll-mode async generators stepped by a poll-mode for await: a stream", () => {
  const m = loadModule<Stream>(STREAM);

  test("each step is done in the consumer's poll: no promise job per value (the second step waits once, for the park)", async () => {
    const call = m.sum(1000) as unknown as PollMachine<number>;
    const cx = new Context(noopWaker);
    expect(call.poll(cx)).toBe(PENDING); // the first value, then the wait for the generator's park
    await macrotasks(1);
    expect(call.poll(cx)).toBe(499500); // every other value in this one poll
  });

  test("dropped at the implicit await of a yield operand: the awaited call is cancelled first (its finally), then the generator's finally; no catch; no timer left", async () => {
    await watchingTimers(async (started, cleared) => {
      const log: string[] = [];
      const task = spawn(m.consumeYieldsCall((s) => log.push(s)));
      for (let i = 0; i < 200 && started.length === 0; i++) await macrotasks(1);
      expect(log).toEqual(["got 0", "yielding a call"]);
      task.cancel();
      await expect(task).rejects.toBeInstanceOf(Cancelled);
      expect(log).toEqual(["got 0", "yielding a call", "child finally", "generator finally", "consumer finally"]);
      expect(started).toHaveLength(1);
      expect(cleared.has(started[0])).toBe(true);
    });
  });
});

const SHARED = `
export async function* ticks(log) {
  try {
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      log("gen " + i);
      yield i;
    }
  } finally { log("gen finally"); }
}
export async function loop(log, g) {
  for await (const v of g) log("loop " + v);
  log("loop done");
}
`;

interface Shared {
  ticks(log: (s: string) => void): AsyncGenerator<number>;
  loop(log: (s: string) => void, g: AsyncGenerator<number>): Promise<void>;
}

describe("a poll-mode generator stepped by a poll-mode loop and by hand at once", () => {
  /**
   * The loop takes the first value; then `next()` by hand while the loop's second step awaits a
   * timer. The generator's and the loop's lines, and what the hand gets, are compared (the hand's
   * line against theirs is cross-task order, which is the executor's in poll mode).
   */
  async function trace(m: Shared, start: (p: Promise<void>) => PromiseLike<void>): Promise<{ log: string[]; hand: string[] }> {
    const log: string[] = [];
    const hand: string[] = [];
    const g = m.ticks((s) => log.push(s));
    const done = start(m.loop((s) => log.push(s), g));
    for (let i = 0; i < 2000 && !log.includes("loop 0"); i++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(log).toEqual(["gen 0", "loop 0"]);
    hand.push(JSON.stringify(await g.next()));
    await done;
    hand.push(JSON.stringify(await g.next()));
    return { log, hand };
  }

  test("the request by hand waits for the loop's step in flight, then the loop's next step waits for it: native's values and order", async () => {
    const native = await trace(loadNativeModule<Shared>(SHARED), (p) => p);
    expect(native).toEqual({ log: ["gen 0", "loop 0", "gen 1", "loop 1", "gen 2", "gen finally", "loop done"], hand: ['{"value":2,"done":false}', '{"done":true}'] });
    expect(await trace(loadModule<Shared>(SHARED), (p) => spawn(p))).toEqual(native);
  });
});
