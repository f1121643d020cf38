/**
 * Scenario: a workflow suspends waiting for an external event; its machine is snapshotted to
 * JSON and restored — in this process and in a child process that loaded the same compiled
 * code — and completes with the same result as an uninterrupted run. Values that cannot be
 * serialized, changed code and misuse are refused with errors that say what and where.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import * as runtime from "../../runtime/index";
import { disableTaskTracking, enableTaskTracking, registerFunctions, restore, snapshot, type MachineSnapshot } from "../../runtime/inspect/index";
import type { MachineInfo } from "../../runtime/inspect/machine-info";
import { compileModule, REGISTER_TS, ROOT, RUNTIME_ENTRY, settle, tempDir, withoutMachineInfo } from "./support";

const WORKFLOW = `
const waiting = new Map<string, { resolve: (v: any) => void; reject: (e: unknown) => void }>();
/** The external world: delivers (or fails) the event a workflow waits for. */
export function deliver(name: string, value: unknown): void {
  waiting.get(name)!.resolve(value);
  waiting.delete(name);
}
export function fail(name: string, error: unknown): void {
  waiting.get(name)!.reject(error);
  waiting.delete(name);
}
function waitFor(name: string): Promise<any> {
  return new Promise((resolve, reject) => waiting.set(name, { resolve, reject }));
}
async function charge(amount: number) {
  await null;
  return { id: "ch_" + amount, amount };
}
export async function approveOrder(orderId: string, lines: Array<{ sku: string; qty: number; price: number }>) {
  const total = lines.reduce((sum, l) => sum + l.qty * l.price, 0);
  const order = { id: orderId, lines, total, createdAt: new Date(0), tags: new Set(["web"]), note: undefined, big: 10n ** 20n };
  const scratch = new Uint8Array(1024);
  scratch.fill(1);
  let decision;
  try {
    decision = await waitFor("approval:" + orderId);
  } catch (e) {
    return { orderId, status: "failed", reason: (e as Error).message, lines: order.lines.length };
  }
  if (!decision.approved) return { orderId, status: "rejected", reason: decision.reason };
  const receipt = await charge(order.total);
  return { orderId, status: "charged", receipt, total: order.total, tags: [...order.tags], at: order.createdAt.toISOString(), big: String(order.big), note: order.note === undefined };
}
export async function withCallback(onDone: (n: number) => void) {
  const n = 1;
  await waitFor("callback");
  onDone(n);
}
`;

const LINES = [
  { sku: "tea", qty: 2, price: 4 },
  { sku: "cup", qty: 1, price: 9 },
];

/** The workflow compiled once; in-process it requires the tests' runtime, in a child the TypeScript sources. */
const COMPILED = compileModule(WORKFLOW, "workflow.ts", RUNTIME_ENTRY);

const COUNTER = `
export class Counter {
  constructor(public n: number) {}
  async bump(gate: Promise<number>) {
    const by = await gate;
    return this.n + by;
  }
}
export async function plain(this: { n: number }, gate: Promise<number>) {
  const by = await gate;
  return this.n + by;
}`;

function load(js = COMPILED): Record<string, any> {
  const module = { exports: {} as Record<string, unknown> };
  const requireFn = (id: string): unknown => {
    if (id === RUNTIME_ENTRY) return runtime;
    throw new Error(`unexpected require(${id})`);
  };
  new Function("require", "module", "exports", js)(requireFn, module, module.exports);
  return module.exports;
}

beforeEach(() => enableTaskTracking());
afterEach(() => disableTaskTracking());

/** Runs the workflow to its approval await and snapshots it; then lets the original finish. */
async function suspendAndSnapshot(mod: Record<string, any>, orderId: string): Promise<{ data: MachineSnapshot; uninterrupted: unknown }> {
  const running = mod.approveOrder(orderId, LINES);
  await settle();
  const data = JSON.parse(JSON.stringify(snapshot(running))) as MachineSnapshot;
  mod.deliver(`approval:${orderId}`, { approved: true });
  return { data, uninterrupted: await running };
}

describe("snapshot", () => {
  test("is plain data: function id and hash, state, the live values by name", async () => {
    const mod = load();
    const running = mod.approveOrder("A1", LINES);
    await settle();
    const data = snapshot(running);
    expect(data.format).toBe("async-machine/snapshot@1");
    // The transformer's MachineInfo: `<file>#<name>` and the layout hash `inspect --format json` prints.
    expect(data.function).toMatchObject({ id: "workflow.ts#approveOrder", name: "approveOrder", source: "info" });
    expect(data.function.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(data.stateName).toBe("AwaitWaitFor_L26");
    // Only what is live: the order (sharing `lines`) and its id; not the dead scratch buffer.
    expect(data.variables.frame.filter((n) => n !== null).sort()).toEqual(["order", "orderId"]);
    expect(JSON.stringify(data)).not.toContain("scratch");
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    mod.deliver("approval:A1", { approved: false, reason: "no" });
    expect(await running).toEqual({ orderId: "A1", status: "rejected", reason: "no" });
  });

  test("restored in the same process, completes as the uninterrupted run did", async () => {
    const mod = load();
    const { data, uninterrupted } = await suspendAndSnapshot(mod, "A2");
    expect(uninterrupted).toMatchObject({ status: "charged", total: 17, tags: ["web"], big: "100000000000000000000", note: true });
    // Each test loads the module anew, so several identical functions are registered: name the one.
    const restored = restore(data, { value: { approved: true } }, { functions: [mod.approveOrder] });
    expect(await restored).toEqual(uninterrupted);
  });

  test("restored with { error }, the await throws into the machine", async () => {
    const mod = load();
    const { data } = await suspendAndSnapshot(mod, "A3");
    expect(await restore(data, { error: new Error("approver gone") }, { functions: [mod.approveOrder] })).toEqual({
      orderId: "A3",
      status: "failed",
      reason: "approver gone",
      lines: 2,
    });
  });

  test("a live function is refused, naming the variable and the state", async () => {
    const mod = load();
    const running = mod.withCallback(() => {});
    await settle();
    expect(() => snapshot(running)).toThrow(/cannot serialize 'onDone', live at state AwaitWaitFor_L36 of withCallback: it holds a function/);
    mod.deliver("callback", null);
    await running;
  });

  test("a machine suspended inside a for…in loop is refused, saying why; outside the loop it is not", async () => {
    const mod = load(
      compileModule(
        `
const gates: Array<(v: unknown) => void> = [];
export function open(): void { gates.shift()!(undefined); }
export async function keys(o: object) {
  const seen: string[] = [];
  await new Promise((r) => gates.push(r));
  for (const k in o) { seen.push(k); await new Promise((r) => gates.push(r)); }
  return seen;
}`,
        "keys.ts",
        RUNTIME_ENTRY,
      ),
    );
    const running = mod.keys({ a: 1, b: 2 });
    await settle();
    expect(snapshot(running).stateName).toBe("AwaitPromise_L6");
    mod.open();
    await settle();
    expect(() => snapshot(running)).toThrow(
      /cannot serialize '\$keys', live at state AwaitPromise_L7 of keys: it holds the keys of a for…in loop the machine is suspended in \(the engine enumerates the object as it changes/,
    );
    mod.open();
    await settle();
    mod.open();
    expect(await running).toEqual(["a", "b"]);
  });

  test("`this` is saved when code after the await reads it, and refused by name when it cannot be", async () => {
    const mod = load(compileModule(COUNTER, "counter.ts", RUNTIME_ENTRY));
    const never = new Promise<number>(() => {});
    const counter = new mod.Counter(1);
    // `Counter.bump`: MachineInfo's readable name (without it, the resume function's: see below).
    expect(() => snapshot(counter.bump(never))).toThrow(/cannot serialize 'this', live at state AwaitGate_L5 of Counter\.bump: it holds an instance of Counter/);
    const data = JSON.parse(JSON.stringify(snapshot(mod.plain.call({ n: 40 }, never))));
    expect(data.this).toEqual({ n: 40 });
    expect(await restore(data, { value: 2 }, { functions: [mod.plain] })).toBe(42);
  });

  test("a finished machine, or a promise nobody tracks, is refused", async () => {
    const mod = load();
    const running = mod.approveOrder("A4", LINES);
    mod.deliver("approval:A4", { approved: false });
    await running;
    expect(() => snapshot(running)).toThrow(/has returned; only a machine suspended at an await can be snapshotted/);
    expect(() => snapshot(Promise.resolve())).toThrow(/neither a compiled machine nor the promise of a tracked one/);
  });

  test("restore refuses a snapshot whose function changed, or is not registered", async () => {
    const mod = load();
    const { data } = await suspendAndSnapshot(mod, "A5");
    const changed = { ...data, function: { ...data.function, hash: "0123456789abcdef" } };
    expect(() => restore(changed, { value: {} })).toThrow(
      /compiled code of 'approveOrder' \(id 'workflow\.ts#approveOrder'\) changed since the snapshot was taken: its state layout differs \(layout hash 0123456789abcdef, now [0-9a-f]{16};/,
    );
    const unknown = { ...data, function: { ...data.function, id: "nope", name: "nope" } };
    expect(() => restore(unknown, { value: {} })).toThrow(/no compiled function with id 'nope' is registered in this process/);
    expect(() => restore(data, {} as never)).toThrow(/outcome must be \{ value \}/);
  });

  test("restore refuses malformed snapshot data and options with an InspectError saying what is wrong", async () => {
    const mod = load();
    const { data } = await suspendAndSnapshot(mod, "A5c");
    const inspectError = (f: () => unknown, message: RegExp): void => {
      let error: unknown;
      try {
        f();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe("InspectError");
      expect((error as Error).message).toMatch(message);
    };
    inspectError(
      () => restore({ format: "async-machine/snapshot@1" } as never, { value: 1 }),
      /malformed snapshot data: 'function' is missing .*; 'state' is not a number; 'stateName' is not a string; 'frame' is not an array; 'captures' is neither null nor an array/,
    );
    inspectError(
      () => restore({ ...data, function: { id: "x" } } as never, { value: 1 }),
      /malformed snapshot data: 'function\.name' is not a string; 'function\.hash' is not a string/,
    );
    inspectError(() => restore(data, { value: 1 }, { functions: (() => 0) as never }), /options\.functions must be an array of compiled functions .*got function/);
    inspectError(() => restore(data, { value: 1 }, null as never), /the options must be an object/);
  });

  test("functions passed to restore are the only candidates: a hash mismatch is refused, not resolved to another registered version", async () => {
    const V1 = `export async function g(a: number) { const x = a * 2; await new Promise(() => {}); return x; }`;
    // Same file and name (so the same id); v2 holds another variable across the await (another layout), v3 only changes code after it.
    const V2 = `export async function g(a: number) { const x = a * 2; const y = [a]; await new Promise(() => {}); return x + y[0]; }`;
    const V3 = `export async function g(a: number) { const x = a * 2; await new Promise(() => {}); return x + 1000; }`;
    const [v1, v2, v3] = [V1, V2, V3].map((src) => load(compileModule(src, "versions.ts", RUNTIME_ENTRY)));
    const data = JSON.parse(JSON.stringify(snapshot(v1.g(3)))) as MachineSnapshot; // registers v1
    expect(() => restore(data, { value: 0 }, { functions: [v2.g] })).toThrow(
      /compiled code of 'g' \(id 'versions\.ts#g'\) changed since the snapshot was taken: its state layout differs/,
    );
    expect(await restore(data, { value: 0 }, { functions: [v3.g] })).toBe(1006);
    expect(await restore(data, { value: 0 }, { functions: [v1.g] })).toBe(6);
    expect(() => restore(data, { value: 0 }, { functions: [load(compileModule(COUNTER, "counter.ts", RUNTIME_ENTRY)).plain] })).toThrow(
      /none of the functions passed in \{ functions \} has the snapshot's id 'versions\.ts#g' \(they have 'counter\.ts#plain'\)/,
    );
  });

  test("restore refuses a snapshot forged at a reserved state (Unresumed, Returned, Panicked)", async () => {
    const mod = load();
    const { data } = await suspendAndSnapshot(mod, "A5b");
    // Without the check: 1 and 2 spun the microtask queue forever, 0 re-ran the body with the frame as parameters.
    for (const [state, stateName] of [
      [1, "Returned"],
      [2, "Panicked"],
      [0, "Unresumed"],
      [3.5, data.stateName],
    ] as const) {
      const forged = { ...data, state, stateName };
      expect(() => restore(forged, { value: {} }, { functions: [mod.approveOrder] })).toThrow(
        /is not a suspend state \(3 or more\); only a machine suspended at an await can be restored/,
      );
    }
  });

  test("without MachineInfo (code compiled before it): the function's name as id, a hash of its code, names read from the code", async () => {
    const mod = load(withoutMachineInfo(COMPILED));
    const running = mod.approveOrder("A6", LINES);
    await settle();
    const data = JSON.parse(JSON.stringify(snapshot(running))) as MachineSnapshot;
    expect(data.function).toMatchObject({ id: "approveOrder", name: "approveOrder", source: "code" });
    expect(data.function.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(data.stateName).toBe("AwaitWaitFor_L26");
    expect(data.variables.frame.filter((n) => n !== null).sort()).toEqual(["order", "orderId"]);
    mod.deliver("approval:A6", { approved: true });
    const uninterrupted = await running;
    expect(await restore(data, { value: { approved: true } }, { functions: [mod.approveOrder] })).toEqual(uninterrupted);
    const changed = { ...data, function: { ...data.function, hash: "0123456789abcdef" } };
    expect(() => restore(changed, { value: {} })).toThrow(
      /compiled code of 'approveOrder' \(id 'approveOrder'\) changed since the snapshot was taken \(hash 0123456789abcdef, now [0-9a-f]{16}\); a snapshot resumes only in the code that took it/,
    );

    // Refusals name the function as its resume function is named.
    const counter = new (load(withoutMachineInfo(compileModule(COUNTER, "counter.ts", RUNTIME_ENTRY))).Counter)(1);
    expect(() => snapshot(counter.bump(new Promise(() => {})))).toThrow(/cannot serialize 'this', live at state AwaitGate_L5 of Counter.bump: it holds an instance of Counter/);
  });

  test("registerFunctions probes without running the function, and refuses native ones", () => {
    const mod = load();
    registerFunctions(mod.approveOrder);
    expect(() => registerFunctions(async function native() {})).toThrow(/'native' is a native async function/);
    expect(() => registerFunctions(function plain() {})).toThrow(/'plain' is not a compiled async function/);
  });

  test("with MachineInfo: the transformer's id, hash and variable names are used", async () => {
    const info: MachineInfo = {
      v: 1,
      id: "src/counter.ts#count",
      hash: "feedfacecafebeef",
      name: "count",
      file: "src/counter.ts",
      line: 1,
      awaits: [[3, 3, "tick()"]],
      slots: [["total", "$iterator"]],
      captures: [],
      uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false },
    };
    const CountState = runtime.states(["Unresumed", "Returned", "Panicked", "AwaitTick_L3"], info);
    const resume = (m: runtime.Machine, value: unknown, isThrow: boolean): unknown => {
      switch (m.s) {
        case 0:
          m.f[0] = 40;
          m.f[1] = { at: 1 };
          m.s = 3;
          return m.await(m.a![0]);
        case 3:
          if (isThrow) throw value;
          return m.ret((m.f[0] as number) + (value as number) + (m.f[1] as { at: number }).at);
      }
    };
    const gate = new Promise<number>(() => {});
    const m = runtime.startMachine(resume, 2, CountState, undefined, [gate]);
    const data = snapshot(m);
    expect(data.function).toEqual({ id: "src/counter.ts#count", name: "count", hash: "feedfacecafebeef", source: "info" });
    expect(data.variables.frame).toEqual(["total", "$iterator"]);
    expect(await restore(data, { value: 1 })).toBe(42);
  });
});

/** A copy of `data` with the frame slot of `variable` replaced by `value` (data as a hostile holder edits it). */
function withSlot(data: MachineSnapshot, variable: string, value: unknown): MachineSnapshot {
  const copy = JSON.parse(JSON.stringify(data)) as { frame: unknown[]; variables: { frame: (string | null)[] } };
  const index = copy.variables.frame.indexOf(variable);
  expect(index).toBeGreaterThanOrEqual(0);
  copy.frame[index] = value;
  return copy as unknown as MachineSnapshot;
}

/** The InspectError message `f` throws. */
function inspectErrorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect((e as Error).name).toBe("InspectError");
    return (e as Error).message;
  }
  throw new Error("expected an InspectError");
}

describe("restore treats snapshot data as untrusted", () => {
  test('{ "$": "global" } in a slot is refused, naming the slot: globalThis is handed out only when the caller allows it', async () => {
    const mod = load();
    const { data } = await suspendAndSnapshot(mod, "T1");
    const slot = data.variables.frame.indexOf("order");
    const hostile = withSlot(data, "order", { $: "global" });
    expect(inspectErrorOf(() => restore(hostile, { value: { approved: false, reason: "r" } }, { functions: [mod.approveOrder] }))).toBe(
      `[async-machine] restore: refused 'frame[${slot}]' in the snapshot data: a reference to "globalThis", which the caller did not allow (pass it in the restore options' references).`,
    );
    const nested = withSlot(data, "order", { id: "T1", lines: { $: "global" } });
    expect(inspectErrorOf(() => restore(nested, { value: { approved: true } }, { functions: [mod.approveOrder] }))).toMatch(
      new RegExp(`refused 'frame\\[${slot}\\]\\.lines' in the snapshot data`),
    );
  });

  test("named references resolve only through the caller's allow list", async () => {
    const mod = load();
    const running = mod.approveOrder("T2", LINES);
    await settle();
    const db = { name: "orders-db" };
    const data = JSON.parse(JSON.stringify(snapshot(running))) as MachineSnapshot;
    mod.deliver("approval:T2", { approved: true });
    const uninterrupted = await running;
    const order = { id: "T2", lines: LINES, total: 17, createdAt: new Date(0), tags: new Set(["web"]), note: undefined, big: 10n ** 20n };
    const byName = withSlot(data, "order", { $: "reference", name: "order" });
    expect(inspectErrorOf(() => restore(byName, { value: { approved: true } }, { functions: [mod.approveOrder] }))).toMatch(
      /a reference to "order", which the caller did not allow/,
    );
    expect(await restore(byName, { value: { approved: true } }, { functions: [mod.approveOrder], references: { order, db } })).toEqual(uninterrupted);
    // snapshot writes a value the caller names by that name, not by content.
    const again = mod.approveOrder("T3", LINES);
    await settle();
    expect(JSON.stringify(snapshot(again, { references: { lines: LINES } }))).toContain('"lines":{"$":"reference","name":"lines"}');
    mod.deliver("approval:T3", { approved: false, reason: "n" });
    await again;
  });

  test("an error or bytes tag with an unknown or inherited name is refused, naming the path", async () => {
    const mod = load();
    const { data } = await suspendAndSnapshot(mod, "T4");
    const slot = data.variables.frame.indexOf("order");
    const badError = withSlot(data, "order", { id: "T4", note: { $: "error", name: "constructor", message: "x", stack: null } });
    expect(inspectErrorOf(() => restore(badError, { value: { approved: true } }, { functions: [mod.approveOrder] }))).toMatch(
      new RegExp(`refused 'frame\\[${slot}\\]\\.note' in the snapshot data: an error tag naming "constructor", which is not a built-in error class`),
    );
    const badBytes = withSlot(data, "order", { id: "T4", scratch: { $: "bytes", type: "constructor", v: "AAAA" } });
    expect(inspectErrorOf(() => restore(badBytes, { value: { approved: true } }, { functions: [mod.approveOrder] }))).toMatch(
      new RegExp(`refused 'frame\\[${slot}\\]\\.scratch' in the snapshot data: a bytes tag of type "constructor"`),
    );
  });

  test("with an hmacKey, tampered data is refused before it is decoded; untouched data restores", async () => {
    const mod = load();
    const running = mod.approveOrder("H1", LINES);
    await settle();
    const signed = JSON.parse(JSON.stringify(snapshot(running, { hmacKey: "k1" }))) as MachineSnapshot;
    mod.deliver("approval:H1", { approved: true });
    const uninterrupted = await running;
    expect(signed.integrity).toMatchObject({ alg: "HMAC-SHA256" });
    expect(signed.integrity!.mac).toMatch(/^[0-9a-f]{64}$/);
    const restoreWith = (data: MachineSnapshot, hmacKey: string) => restore(data, { value: { approved: true } }, { functions: [mod.approveOrder], hmacKey });
    // Changed data (a plain value) is refused; so is data that would otherwise fail decoding: the check comes first.
    expect(inspectErrorOf(() => restoreWith(withSlot(signed, "orderId", "H2"), "k1"))).toBe(
      "[async-machine] restore: refused before decoding: its integrity check failed: the data was changed since it was written, or the key differs.",
    );
    expect(inspectErrorOf(() => restoreWith(withSlot(signed, "order", { $: "error", name: "constructor", message: "" }), "k1"))).toMatch(
      /refused before decoding: its integrity check failed/,
    );
    expect(inspectErrorOf(() => restoreWith(signed, "k2"))).toMatch(/refused before decoding: its integrity check failed/);
    const { integrity: _, ...unsigned } = signed;
    expect(inspectErrorOf(() => restoreWith(unsigned as MachineSnapshot, "k1"))).toMatch(/refused before decoding: the data carries no integrity field/);
    // Key order does not matter (the HMAC is over a canonical form); untouched data restores.
    const reordered = Object.fromEntries(Object.entries(signed).reverse()) as unknown as MachineSnapshot;
    expect(await restoreWith(reordered, "k1")).toEqual(uninterrupted);
  });
});

describe("snapshot → JSON → restore in a child process", () => {
  const dir = tempDir("snapshot");
  const workflowJs = path.join(dir, "workflow.js");
  fs.writeFileSync(workflowJs, COMPILED);
  const child = path.join(dir, "restore.cjs");
  fs.writeFileSync(
    child,
    `const fs = require("node:fs");
const [modulePath, snapshotPath, outcomeJson] = process.argv.slice(2);
const mod = require(modulePath);
const { restore } = require(${JSON.stringify(path.join(ROOT, "runtime", "inspect", "index.ts"))});
const outcome = JSON.parse(outcomeJson);
if (outcome.error !== undefined) outcome.error = new Error(outcome.error);
let p;
try {
  p = restore(JSON.parse(fs.readFileSync(snapshotPath, "utf8")), outcome, { functions: [mod.approveOrder] });
} catch (e) {
  process.stdout.write(JSON.stringify({ refused: e.message }));
  process.exit(0);
}
p.then((result) => process.stdout.write(JSON.stringify({ result })), (e) => process.stdout.write(JSON.stringify({ rejected: String(e) })));
`,
  );
  const runChild = (module: string, data: MachineSnapshot, outcome: object): Record<string, unknown> => {
    const file = path.join(dir, `snapshot-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(data));
    const r = spawnSync(process.execPath, ["-r", REGISTER_TS, child, module, file, JSON.stringify(outcome)], { encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  test("completes with the same result as the uninterrupted run", async () => {
    const { data, uninterrupted } = await suspendAndSnapshot(load(), "B1");
    expect(runChild(workflowJs, data, { value: { approved: true } })).toEqual({ result: uninterrupted });
  });

  test("a rejection delivered to the restored machine takes its catch path", async () => {
    const { data } = await suspendAndSnapshot(load(), "B2");
    expect(runChild(workflowJs, data, { error: "timed out" })).toEqual({ result: { orderId: "B2", status: "failed", reason: "timed out", lines: 2 } });
  });

  test("a child that loaded changed code refuses the snapshot", async () => {
    const { data } = await suspendAndSnapshot(load(), "B3");
    const changedJs = path.join(dir, "workflow-changed.js");
    // `total` becomes live across both awaits: the layout, and so the layout hash, changes.
    fs.writeFileSync(changedJs, compileModule(WORKFLOW.replace("total: order.total, tags", "total, tags"), "workflow.ts", RUNTIME_ENTRY));
    const out = runChild(changedJs, data, { value: { approved: true } });
    expect(out.refused).toMatch(
      /compiled code of 'approveOrder' \(id 'workflow\.ts#approveOrder'\) changed since the snapshot was taken: its state layout differs \(layout hash [0-9a-f]{16}, now [0-9a-f]{16};/,
    );
  });

  test("a child whose code changed only between awaits resumes the snapshot in that code (the layout hash is unchanged)", async () => {
    const { data, uninterrupted } = await suspendAndSnapshot(load(), "B4");
    const changedJs = path.join(dir, "workflow-paid.js");
    fs.writeFileSync(changedJs, compileModule(WORKFLOW.replace('status: "charged"', 'status: "paid"'), "workflow.ts", RUNTIME_ENTRY));
    expect(runChild(changedJs, data, { value: { approved: true } })).toEqual({ result: { ...(uninterrupted as object), status: "paid" } });
  });

  test("without MachineInfo (code compiled before it), a child whose compiled code changed at all refuses the snapshot", async () => {
    const { data } = await suspendAndSnapshot(load(withoutMachineInfo(COMPILED)), "B5");
    const changedJs = path.join(dir, "workflow-paid-no-info.js");
    fs.writeFileSync(changedJs, withoutMachineInfo(compileModule(WORKFLOW.replace('status: "charged"', 'status: "paid"'), "workflow.ts", RUNTIME_ENTRY)));
    const out = runChild(changedJs, data, { value: { approved: true } });
    expect(out.refused).toMatch(
      /compiled code of 'approveOrder' \(id 'approveOrder'\) changed since the snapshot was taken \(hash [0-9a-f]{16}, now [0-9a-f]{16}\); a snapshot resumes only in the code that took it/,
    );
  });
});
