/**
 * Scenario: a poll-mode loop that awaits native promises. Each outcome is delivered by one
 * native `await` (settleInto); a promise the machine awaits while that delivery is running is
 * handed to the same activation, so a loop of promise awaits makes no promise of its own per
 * await — native's await is the only one. Values, rejections, `finally` order and
 * cancellation in the middle of such a loop equal native / the documented model.
 */
import { createHook } from "node:async_hooks";
import { describe, expect, test } from "vitest";
import { Cancelled, spawn, type Task } from "../../runtime/index";
import { loadModule, loadNativeModule, macrotasks } from "./support";

const SOURCE = `
export async function sumResolved(n, p) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await p;
  return sum;
}

export async function mixed(n, log) {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    try {
      const v = await (i % 3 === 2 ? Promise.reject(new Error("r" + i)) : Promise.resolve(i));
      sum += v;
      log.push("v" + v);
    } catch (e) {
      log.push("caught " + e.message);
    } finally {
      log.push("f" + i);
      if (i % 4 === 0) await Promise.resolve();
    }
  }
  return sum;
}

export async function forever(log, step) {
  try {
    for (let i = 0; ; i++) {
      await Promise.resolve(i);
      step(i);
    }
  } finally {
    log.push("finally");
    await Promise.resolve();
    log.push("finally end");
  }
}
`;

/** Promises created while `body` runs and the microtasks it queued drain (async_hooks' PROMISE inits). */
async function promisesMadeBy(body: () => Promise<unknown>): Promise<number> {
  let made = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === "PROMISE") made++;
    },
  });
  hook.enable();
  try {
    await body();
  } finally {
    hook.disable();
  }
  return made;
}

describe("a loop of promise awaits in poll mode", () => {
  const poll = loadModule(SOURCE);
  const native = loadNativeModule(SOURCE);

  test("values, rejections and finally order equal native's", async () => {
    const p = Promise.resolve(3);
    expect(await poll.sumResolved(1000, p)).toBe(await native.sumResolved(1000, p));
    const a: string[] = [];
    const b: string[] = [];
    expect(await poll.mixed(40, a)).toBe(await native.mixed(40, b));
    expect(a).toEqual(b);
  });

  test("makes no promise per await beyond native's own", async () => {
    const p = Promise.resolve(1);
    // (warm: the executor, its drain and the task's join promise exist before the count)
    await poll.sumResolved(10, p);
    const nativeMade = await promisesMadeBy(() => native.sumResolved(2000, p));
    const pollMade = await promisesMadeBy(() => poll.sumResolved(2000, p));
    // Native makes at least one per await (its async function's, plus the hooks' throwaways);
    // poll mode the same awaits and a handful per call (the task's promise, one delivery activation).
    expect(nativeMade).toBeGreaterThanOrEqual(2000);
    expect(pollMade).toBeLessThanOrEqual(nativeMade + 10);
  });

  test("cancelled while its awaits are handed over: the finally runs once, the task ends Cancelled", async () => {
    const log: string[] = [];
    let cancelledAt = -1;
    const task: Task<unknown> = spawn(
      poll.forever(log, (i: number) => {
        if (i === 100) {
          cancelledAt = i;
          expect(task.cancel()).toBe(true);
        }
      }),
    );
    await expect(task.promise).rejects.toBeInstanceOf(Cancelled);
    expect(cancelledAt).toBe(100);
    expect(log).toEqual(["finally", "finally end"]);
    await macrotasks(2);
    expect(log).toEqual(["finally", "finally end"]);
  });
});
