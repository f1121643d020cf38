/**
 * Scenario: structured concurrency — `join`, `select`, `race`, `timeout` and `scope` cancel
 * what they no longer need and complete only once it has settled (its `finally` blocks have
 * run); a dropped machine never raises an unhandled rejection later (as `Promise.race`).
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  Cancelled,
  Executor,
  TimeoutError,
  fromPromise,
  join,
  race,
  ready,
  run,
  scope,
  select,
  sleep,
  spawn,
  startMachine,
  states,
  timeout,
  type Machine,
} from "../../runtime/index";
import { ManualFuture, macrotasks } from "./support";
import { catchOnly, count, guarded } from "./poll-shapes";

const never = (): Promise<never> => new Promise<never>(() => {});

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on("unhandledRejection", onUnhandled);
});
afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
});

describe("combinators cancel what they no longer need", () => {
  test("select: the loser's finally runs before select completes", async () => {
    const log: string[] = [];
    const result = await run(select([guarded((s: string) => log.push(s), never(), null), sleep(5)]));
    expect(result).toEqual({ index: 1, value: undefined });
    expect(log).toEqual(["try", "finally", "finally end"]);
  });

  test("select waits for a loser whose finally awaits", async () => {
    const log: string[] = [];
    const cleanup = new ManualFuture<void>();
    const task = spawn(select([guarded((s: string) => log.push(s), never(), cleanup), ready("now")]));
    await macrotasks(1);
    expect(task.isCompleted).toBe(false);
    expect(log).toEqual(["try", "finally"]);
    cleanup.complete();
    expect(await task).toEqual({ index: 1, value: "now" });
    expect(log).toEqual(["try", "finally", "finally end"]);
  });

  test("join: a failing child cancels its siblings (today's join left them running)", async () => {
    const log: string[] = [];
    const failing = {
      poll: () => {
        throw new Error("boom");
      },
    };
    const task = spawn(join([guarded((s: string) => log.push(s), never(), null), failing]));
    await expect(task).rejects.toThrow("boom");
    expect(log).toEqual(["try", "finally", "finally end"]);
  });

  test("race: the first to settle wins, the others are cancelled", async () => {
    const log: string[] = [];
    expect(await run(race([guarded((s: string) => log.push(s), never(), null), count(3)]))).toBe(3);
    expect(log).toEqual(["try", "finally", "finally end"]);
  });

  test("timeout: the work is cancelled (finally runs) and TimeoutError thrown; a finished timeout clears its timer", async () => {
    const log: string[] = [];
    const error = await run(
      timeout(
        guarded((s: string) => log.push(s), never(), null),
        5,
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(log).toEqual(["try", "finally", "finally end"]);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    expect(await run(timeout(count(10), 1_000_000))).toBe(45);
    expect(timers()).toBe(before);
  });

  test("cancelling a task that awaits a select cancels every child", async () => {
    const log: string[] = [];
    const task = spawn(select([guarded((s: string) => log.push("a " + s), never(), null), guarded((s: string) => log.push("b " + s), never(), null)]));
    await macrotasks(1);
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual(["a try", "b try", "a finally", "a finally end", "b finally", "b finally end"]);
  });
});

describe("dropped machines are quiet", () => {
  test("a promise-mode machine that lost a select and fails later raises no unhandled rejection", async () => {
    let reject!: (e: unknown) => void;
    const gate = new Promise((_, r) => (reject = r));
    const S = states(["Unresumed", "Returned", "Panicked", "AwaitGate"]);
    const machine = startMachine(
      (m: Machine, value: unknown, isThrow: boolean) => {
        if (m.s === 0) return ((m.s = 3), m.await(gate));
        if (isThrow) throw value;
        return m.ret(value);
      },
      0,
      S,
      undefined,
      [],
    );
    expect(await run(select([machine, ready(1)]))).toEqual({ index: 1, value: 1 });
    reject(new Error("late failure"));
    await macrotasks(3);
    expect(unhandled).toEqual([]);
  });

  test("a task whose join handle lost a select and fails later raises no unhandled rejection", async () => {
    const work = new ManualFuture<never>();
    const failing = {
      poll: (cx: Parameters<typeof work.poll>[0]) => {
        const v = work.poll(cx);
        if (v !== undefined && typeof v !== "symbol") throw v;
        return v;
      },
    };
    const task = spawn(failing);
    expect(await run(select([task, ready(2)]))).toEqual({ index: 1, value: 2 });
    work.complete(new Error("late") as never);
    await macrotasks(3);
    expect(task.isCompleted).toBe(true);
    expect(unhandled).toEqual([]);
  });

  test("a poll-mode loser is cancelled, so it cannot fail later at all", async () => {
    let reject!: (e: unknown) => void;
    const p = new Promise((_, r) => (reject = r));
    const log: string[] = [];
    expect(await run(select([guarded((s: string) => log.push(s), p, null), ready(3)]))).toEqual({ index: 1, value: 3 });
    reject(new Error("late"));
    await macrotasks(3);
    expect(log).toEqual(["try", "finally", "finally end"]);
    expect(unhandled).toEqual([]);
  });
});

describe("scope", () => {
  test("leaving waits for the children; the value is the body's", async () => {
    const order: string[] = [];
    const value = await scope(async (s) => {
      s.spawn(guarded((x: string) => order.push("a " + x), sleepPromise(5), null));
      s.spawn(guarded((x: string) => order.push("b " + x), 1, null));
      return "body";
    });
    expect(value).toBe("body");
    expect(order).toContain("a finally end");
    expect(order).toContain("b finally end");
  });

  test("the first failure cancels the siblings and the body, waits for them, and surfaces", async () => {
    const log: string[] = [];
    const error = await scope((s) => {
      s.spawn(guarded((x: string) => log.push("sibling " + x), never(), null));
      s.spawn(
        fromPromise(
          sleepPromise(2).then(() => {
            throw new Error("child failed");
          }),
        ),
      );
      return guarded((x: string) => log.push("body " + x), never(), null);
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe("child failed");
    expect(log).toContain("sibling finally end");
    expect(log).toContain("body finally end");
    expect(unhandled).toEqual([]);
  });

  test("cancelling the scope's task cancels the body and the children; spawn after it completed throws", async () => {
    const log: string[] = [];
    let saved: { spawn: (f: never) => unknown } | undefined;
    const task = spawn(
      scope((s) => {
        saved = s as never;
        s.spawn(guarded((x: string) => log.push("child " + x), never(), null));
        return guarded((x: string) => log.push("body " + x), never(), null);
      }),
    );
    await macrotasks(2);
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(log.sort()).toEqual(["body finally", "body finally end", "body try", "child finally", "child finally end", "child try"]);
    expect(() => saved!.spawn(ready(1) as never)).toThrow(/scope has completed/);
  });

  test("a scope cancelled before its first poll never runs its body", async () => {
    let ran = false;
    const task = spawn(scope(() => void (ran = true)));
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(ran).toBe(false);
  });

  test("children spawn on the ambient executor", async () => {
    const ex = new Executor();
    let childExecutorPolls = 0;
    const value = await ex.run(
      scope((s) => {
        const t = s.spawn(count(3));
        return catchOnly(() => {}, t);
      }),
    );
    childExecutorPolls = ex.stats.polls;
    expect(value).toBe(3);
    expect(childExecutorPolls).toBeGreaterThanOrEqual(2);
  });
});

function sleepPromise(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
