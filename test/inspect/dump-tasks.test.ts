/**
 * Scenario: task dumps of suspended compiled machines — chains of machines awaiting machines,
 * live values, what each awaits, deadlock cycles — and the opt-in registry behind them.
 */
import { afterEach, describe, expect, test } from "vitest";
import { setInspectHooks } from "../../runtime/machine";
import { disableTaskTracking, dumpTasks, enableTaskTracking, formatTasks, isTaskTracking, trackedMachines } from "../../runtime/inspect/index";
import { deferred, loadCompiled, settle } from "./support";
import { formatValue } from "../../runtime/inspect/format-value";

const SOURCE = `
export async function leaf(n: number, gate: Promise<string>) {
  const big = new Array(1000).fill(n);
  const label = "leaf-" + n;
  const got = await gate;
  return label + got + big.length;
}
export async function middle(gate: Promise<string>) {
  const items = [1, 2, 3];
  const r = await leaf(items.length, gate);
  return r + items.length;
}
export async function main(gate: Promise<string>) {
  const user = { id: 7, name: "ada", tags: ["x", "y"] };
  const out = await middle(gate);
  return user.name + out;
}
export async function a(get: () => Promise<unknown>) {
  await null;
  return await get();
}
export async function b(get: () => Promise<unknown>) {
  await null;
  return await get();
}
`;

afterEach(() => disableTaskTracking());

describe("dumpTasks", () => {
  test("tracking is off by default and installs no hook until enabled", () => {
    expect(isTaskTracking()).toBe(false);
    const previous = setInspectHooks({ onStart: undefined, onPanic: undefined });
    expect(previous).toEqual({ onStart: undefined, onPanic: undefined });
    enableTaskTracking();
    const during = setInspectHooks(previous);
    expect(typeof during.onStart).toBe("function");
    setInspectHooks(during);
    disableTaskTracking();
    expect(setInspectHooks(previous)).toEqual({ onStart: undefined, onPanic: undefined });
  });

  test("machines started before tracking are not seen; started after, they are", async () => {
    const mod = loadCompiled(SOURCE, "chain.ts");
    const gate = deferred<string>();
    const untracked = mod.leaf(1, gate.promise);
    enableTaskTracking();
    expect(trackedMachines()).toEqual([]);
    const tracked = mod.leaf(2, gate.promise);
    expect(trackedMachines().map((m) => m.stateName)).toEqual(["AwaitGate_L5"]);
    gate.resolve("!");
    await Promise.all([untracked, tracked]);
    expect(trackedMachines()).toEqual([]);
    expect(dumpTasks()).toEqual([]);
  });

  test("follows machines awaiting machines: one async stack, innermost first, with live values", async () => {
    const mod = loadCompiled(SOURCE, "chain.ts");
    enableTaskTracking();
    const gate = deferred<string>();
    const done = mod.main(gate.promise);
    await settle();

    const stacks = dumpTasks();
    expect(stacks).toHaveLength(1);
    const [stack] = stacks;
    expect(stack.cycle).toBe(false);
    expect(stack.frames.map((f) => `${f.function} ${f.stateName}`)).toEqual(["leaf AwaitGate_L5", "middle AwaitLeaf_L10", "main AwaitMiddle_L15"]);
    const [leaf, middle, main] = stack.frames;
    // From the transformer's MachineInfo: file:line:column of the await and the awaited text.
    expect(leaf.location).toBe("chain.ts:5:15");
    expect(leaf.awaitedText).toBe("gate");
    expect(middle.location).toBe("chain.ts:10:13");
    expect(main.location).toBe("chain.ts:15:15");
    expect(leaf.awaiting).toBe("Promise");
    expect(leaf.awaitingMachine).toBeUndefined();
    expect(leaf.live.map((v) => `${v.name} = ${v.value}`).sort()).toEqual(["big = [3, 3, 3, 3, 3, …+995]", 'label = "leaf-3"']);
    expect(middle.awaitingMachine).toBe(leaf.machine);
    expect(middle.live.map((v) => `${v.name} = ${v.value}`)).toEqual(["items = [1, 2, 3]"]);
    expect(main.live.map((v) => `${v.name} = ${v.value}`)).toEqual(['user = { id: 7, name: "ada", tags: ["x", "y"] }']);

    const text = formatTasks(stacks);
    expect(text).toContain("3 suspended machines in 1 async stack");
    expect(text).toContain("#0 leaf [AwaitGate_L5] at chain.ts:5:15 await gate\n");
    expect(text).toContain("#1 middle [AwaitLeaf_L10] at chain.ts:10:13 await leaf(items.length, gate)\n");
    expect(text).toContain("awaiting: #0 leaf");
    expect(text).toContain("awaiting: #1 middle");

    gate.resolve("!");
    expect(await done).toBe("adaleaf-3!10003");
    expect(dumpTasks()).toEqual([]);
  });

  test("without MachineInfo (code compiled before it): the state's line, live values named from the code", async () => {
    const mod = loadCompiled(SOURCE, "chain.ts", {}, { machineInfo: false });
    enableTaskTracking();
    const gate = deferred<string>();
    const done = mod.main(gate.promise);
    await settle();

    const [stack] = dumpTasks();
    const [leaf, middle, main] = stack.frames;
    expect(stack.frames.map((f) => `${f.function} ${f.stateName} ${f.location}`)).toEqual([
      "leaf AwaitGate_L5 line 5",
      "middle AwaitLeaf_L10 line 10",
      "main AwaitMiddle_L15 line 15",
    ]);
    expect(leaf.awaitedText).toBeUndefined();
    expect(leaf.live.map((v) => `${v.name} = ${v.value}`).sort()).toEqual(["big = [3, 3, 3, 3, 3, …+995]", 'label = "leaf-3"']);
    expect(middle.awaitingMachine).toBe(leaf.machine);
    expect(main.live.map((v) => `${v.name} = ${v.value}`)).toEqual(['user = { id: 7, name: "ada", tags: ["x", "y"] }']);
    const text = formatTasks();
    expect(text).toContain("#0 leaf [AwaitGate_L5] at line 5\n");
    expect(text).toContain("#1 middle [AwaitLeaf_L10] at line 10\n");

    gate.resolve("!");
    expect(await done).toBe("adaleaf-3!10003");
  });

  test("truncates long values to the preview budget", async () => {
    const mod = loadCompiled(SOURCE, "chain.ts");
    enableTaskTracking();
    const gate = deferred<string>();
    const done = mod.leaf(1, gate.promise);
    const [frame] = dumpTasks({ maxValueLength: 12 })[0].frames;
    for (const v of frame.live) expect(v.value.length).toBeLessThanOrEqual(12);
    expect(frame.live.find((v) => v.name === "big")!.value).toBe("[1, 1, 1, 1…");
    gate.resolve("");
    await done;
  });

  test("two machines awaiting each other form a stack marked as a cycle", async () => {
    const mod = loadCompiled(SOURCE, "chain.ts");
    enableTaskTracking();
    let pa: Promise<unknown> | undefined = undefined;
    let pb: Promise<unknown> | undefined = undefined;
    pa = mod.a(() => pb!);
    pb = mod.b(() => pa!);
    await settle();
    const stacks = dumpTasks();
    expect(stacks).toHaveLength(1);
    expect(stacks[0].cycle).toBe(true);
    expect(stacks[0].frames.map((f) => f.function).sort()).toEqual(["a", "b"]);
    expect(formatTasks(stacks)).toContain("cycle: these machines await each other and can never resume");
  });

  test("previews run no user code: element getters, patched Map/Set iterators; a revoked Proxy reads as unreadable", () => {
    let calls = 0;
    const arr = [1, 2];
    Object.defineProperty(arr, 0, {
      get() {
        calls++;
        return "from getter";
      },
      enumerable: true,
    });
    const map = new Map([["k", 1]]);
    (map as unknown as Record<symbol, unknown>)[Symbol.iterator] = function* () {
      calls++;
      yield ["patched", "entries"];
    };
    const set = new Set([7]);
    (set as unknown as Record<symbol, unknown>)[Symbol.iterator] = function* () {
      calls++;
      yield 8;
    };
    const revoked = Proxy.revocable([], {});
    revoked.revoke();
    // eslint-disable-next-line no-sparse-arrays
    expect([formatValue(arr), formatValue(map), formatValue(set), formatValue({ p: revoked.proxy }), formatValue([1, , 3])]).toEqual([
      "[[Getter], 2]",
      'Map(1) { "k" => 1 }',
      "Set(1) { 7 }",
      "{ p: [unreadable] }",
      "[1, <empty>, 3]",
    ]);
    expect(calls).toBe(0);
  });

  test("formatTasks says when tracking is off", () => {
    expect(formatTasks()).toMatch(/^task tracking is off: call enableTaskTracking\(\)/);
  });
});
