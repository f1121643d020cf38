/**
 * Scenario: compiled async generators seen by the run-time inspection as async functions are —
 * each `yield` a state like each `await`: task dumps list a generator suspended at a `yield` or
 * at an `await` with its state and live values, a `yield*` shows the generator it delegates to,
 * and `snapshot(generator)` / `restore` carry a suspended generator over as a new generator
 * object that yields what the uninterrupted one yields.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { disableTaskTracking, dumpTasks, enableTaskTracking, formatTasks, registerFunctions, restore, snapshot, type MachineSnapshot } from "../../runtime/inspect/index";
import { deferred, loadCompiled, settle } from "./support";

const SOURCE = `
export async function* countdown(from: number, gate: Promise<string>) {
  const label = "count-" + from;
  for (let n = from; n > 0; n--) {
    const got = yield label + ":" + n;
    if (got === "wait") yield await gate;
  }
  return label;
}
export async function* steps(from: number) {
  const label = "step-" + from;
  for (let n = from; n > 0; n--) {
    const got = yield label + ":" + n;
    if (got === "wait") await null;
  }
  return label;
}
export async function* outer(inner: AsyncGenerator<unknown>) {
  const kept = [1, 2];
  yield* inner;
  return kept.length;
}
`;

beforeEach(() => enableTaskTracking());
afterEach(() => disableTaskTracking());

async function drain(g: AsyncGenerator<unknown>, first?: unknown): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let r = await g.next(first); ; r = await g.next()) {
    out.push(r.value);
    if (r.done) return out;
  }
}

describe("async generators in task dumps", () => {
  test("a generator suspended at a yield, and at an await, is listed with its state and live values", async () => {
    const mod = loadCompiled(SOURCE, "gens.ts");
    const gate = deferred<string>();
    const g = mod.countdown(3, gate.promise);
    expect(await g.next()).toEqual({ value: "count-3:3", done: false });
    let [stack] = dumpTasks();
    expect(stack.frames.map((f) => [f.function, f.stateName])).toEqual([["countdown", "Yield_L5"]]);
    expect(formatTasks()).toContain('label = "count-3"');
    const pending = g.next("wait");
    await settle();
    [stack] = dumpTasks();
    expect(stack.frames.map((f) => f.stateName)).toEqual(["AwaitGate_L6"]);
    gate.resolve("opened");
    expect(await pending).toEqual({ value: "opened", done: false });
    expect(await drain(g)).toEqual(["count-3:2", "count-3:1", "count-3"]);
    expect(dumpTasks()).toEqual([]);
  });

  test("a yield* shows the generator it delegates to, innermost first", async () => {
    const mod = loadCompiled(SOURCE, "gens.ts");
    const inner = mod.countdown(2, Promise.resolve(""));
    const o = mod.outer(inner);
    expect(await o.next()).toEqual({ value: "count-2:2", done: false });
    const stacks = dumpTasks();
    expect(stacks).toHaveLength(1);
    expect(stacks[0].frames.map((f) => [f.function, f.stateName])).toEqual([
      ["countdown", "Yield_L5"],
      ["outer", "YieldStar_L20"],
    ]);
    expect(await drain(o)).toEqual(["count-2:1", 2]);
  });
});

describe("snapshot and restore of async generators", () => {
  test("a generator suspended at a yield is restored as a new generator that yields the rest", async () => {
    const mod = loadCompiled(SOURCE, "gens.ts");
    const g = mod.steps(3);
    expect(await g.next()).toEqual({ value: "step-3:3", done: false });
    const data = JSON.parse(JSON.stringify(snapshot(g))) as MachineSnapshot;
    expect(data.stateName).toBe("Yield_L13");
    expect(data.variables.frame.filter((n) => n !== null).sort()).toEqual(["label", "n"]);
    const uninterrupted = await drain(g, "wait");
    const restored = restore(data, { value: "wait" }, { functions: [mod.steps] }) as unknown as AsyncGenerator<unknown>;
    expect(Object.prototype.toString.call(restored)).toBe("[object AsyncGenerator]");
    expect(await drain(restored, "ignored")).toEqual(uninterrupted);
    expect(uninterrupted).toEqual(["step-3:2", "step-3:1", "step-3"]);
  });

  test("restored with { error }, the yield throws into the generator", async () => {
    const mod = loadCompiled(SOURCE, "gens.ts");
    const g = mod.steps(2);
    await g.next();
    const data = snapshot(g);
    await g.return(undefined);
    registerFunctions(mod.steps);
    const restored = restore(data, { error: new Error("stop") }, { functions: [mod.steps] }) as unknown as AsyncGenerator<unknown>;
    await expect(restored.next()).rejects.toThrow("stop");
    expect(await restored.next()).toEqual({ value: undefined, done: true });
  });

  // The completion of a `return()` waits in the generator object while the finally blocks run: a
  // snapshot there could not carry it (the restored generator would end with undefined, not "done").
  const CLEANUP = `
export async function* cleanup(gate: Promise<string>) {
  try {
    yield "body";
  } finally {
    yield "in finally";
    yield await gate;
  }
  return "end";
}
`;

  test("a snapshot in a finally block run for a return completion is refused, at a yield and at an await", async () => {
    const mod = loadCompiled(CLEANUP, "cleanup.ts");
    const gate = deferred<string>();
    const g = mod.cleanup(gate.promise) as AsyncGenerator<unknown>;
    expect(await g.next()).toEqual({ value: "body", done: false });
    expect(await g.return("done")).toEqual({ value: "in finally", done: false });
    expect(() => snapshot(g)).toThrow(/is in a `finally` block run for a return completion/);
    const atGate = g.next();
    await settle();
    expect(() => snapshot(g)).toThrow(/is in a `finally` block run for a return completion/);
    gate.resolve("gate");
    expect(await atGate).toEqual({ value: "gate", done: false });
    expect(await g.next()).toEqual({ value: "done", done: true });
  });

  test("a snapshot in a finally block reached without a pending completion is taken", async () => {
    const mod = loadCompiled(CLEANUP, "cleanup.ts");
    const gate = Promise.resolve("gate");
    const g = mod.cleanup(gate) as AsyncGenerator<unknown>;
    await g.next();
    expect(await g.next()).toEqual({ value: "in finally", done: false });
    const data = snapshot(g, { references: { gate } });
    const restored = restore(data, { value: undefined }, { functions: [mod.cleanup], references: { gate } }) as unknown as AsyncGenerator<unknown>;
    expect(await drain(restored)).toEqual(["gate", "end"]);
  });
});
