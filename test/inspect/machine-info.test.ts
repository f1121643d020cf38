/**
 * The `states(names, info)` metadata end to end: MachineInfo built from the inspection report
 * (transformer/emit/machine-info.ts) is what the transformer emits as the second argument of
 * each state enum, and dumps, traces and snapshots then use the transformer's id, layout hash,
 * file:line:column and variable names. Also the layout hash's stability.
 */
import * as ts from "typescript";
import { afterEach, describe, expect, test } from "vitest";
import { analyzeScopes } from "../../transformer/analyze/scopes";
import { transform } from "../../transformer/index";
import { inspectSource } from "../../transformer/inspect/file-report";
import { buildMachineInfo, machineInfoLiteral } from "../../transformer/emit/machine-info";
import { planFile, summarizeCompiled } from "../../transformer/transform-file";
import * as runtime from "../../runtime/index";
import { disableTaskTracking, dumpTasks, enableTaskTracking, snapshot } from "../../runtime/inspect/index";
import { capturesOf, machineIdOf, slotNamesOf, usesOf, type MachineInfo } from "../../runtime/inspect/machine-info";
import { describeMachine } from "../../runtime/inspect/describe-machine";
import { fnv1a64 } from "../../runtime/inspect/hash";
import { layoutHash, type HashedLayout } from "../../runtime/inspect/layout-hash";
import { deferred, settle, transpile } from "./support";

const SOURCE = `export async function ship(orderId: string, gate: Promise<number>) {
  const label = "order " + orderId;
  for (const box of [1, 2]) {
    const weight = await gate;
    if (weight < 0) throw new Error(label);
  }
  return label;
}
`;

/** MachineInfo for every compiled function of `source`, as the emitter would build it. */
function infos(source: string, file: string): Map<string, MachineInfo> {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, /*setParentNodes*/ true, ts.ScriptKind.TS);
  const plan = planFile(ts, sf, file);
  const scopes = analyzeScopes(ts, sf);
  const out = new Map<string, MachineInfo>();
  for (const m of plan.machines) {
    const report = summarizeCompiled(sf, m);
    const facts = scopes.facts.get(m.node)!;
    out.set(m.result.name, buildMachineInfo(report, { file, duplicateName: false, facts, isArrow: ts.isArrowFunction(m.node) }));
  }
  return out;
}

/** Compiles `source`, checks that each `states([...])` call carries the MachineInfo built from the layout, and loads it. */
function loadWithInfo(source: string, file: string): Record<string, any> {
  const printer = ts.createPrinter();
  const code = transform(source, { fileName: file, runtime: "require" }).code;
  const built = infos(source, file);
  expect(built.size).toBeGreaterThan(0);
  for (const [name, info] of built) {
    const literal = printer.printNode(ts.EmitHint.Expression, machineInfoLiteral(ts, info), ts.createSourceFile("x.ts", "", ts.ScriptTarget.Latest));
    const line = code.split("\n").find((l) => l.startsWith(`var ${name}$State = $am.states([`));
    expect(line, `the state enum of ${name}`).toMatch(/^var \S+ = \$am\.states\(\[[^\]]*\], /);
    expect(line!.slice(line!.indexOf("], ") + 3), `${name}: the emitted MachineInfo is the one built from the layout`).toBe(`${literal});`);
  }
  const module = { exports: {} as Record<string, unknown> };
  new Function("require", "module", "exports", transpile(code, file))(() => runtime, module, module.exports);
  return module.exports;
}

afterEach(() => disableTaskTracking());

describe("MachineInfo", () => {
  test("is built from the layout: id, layout hash, await positions, slot names, uses", () => {
    const info = infos(SOURCE, "src/ship.ts").get("ship")!;
    const report = inspectSource(ts, SOURCE, "src/ship.ts").functions[0];
    expect(info).toMatchObject({ v: 3, name: "ship", file: "src/ship.ts", line: 1 });
    // No hash in the info: the runtime derives the one `inspect` prints.
    expect(info.hash).toBeUndefined();
    // What the reader rebuilds is left out: the id `file#name`, no captures, no facts that hold.
    expect(Object.keys(info)).not.toContain("id");
    expect(Object.keys(info)).not.toContain("captures");
    expect(Object.keys(info)).not.toContain("uses");
    expect(machineIdOf(info)).toBe("src/ship.ts#ship");
    expect(capturesOf(info)).toEqual([]);
    expect(info.awaits).toEqual([[4, 20, "gate"]]);
    expect(
      slotNamesOf(info, report.frameSize)[0]
        .filter((s) => s !== null)
        .sort(),
    ).toEqual(["$iterator", "gate", "label"]);
    expect(usesOf(info)).toEqual({ this: false, arguments: false, super: false, outerArguments: false, newTarget: false });
  });

  test("spells the id, captures and uses where the reader could not rebuild them", () => {
    const src = `export class Cart {
  total = 0;
  async add(n: number, p: Promise<number>) { let seen = 0; const log = () => seen; this.total += n * (await p); seen++; return log() + this.total; }
}
export async function twice(p: Promise<number>) { return await p; }
`;
    const cart = infos(src, "src/cart.ts").get("Cart.add")!;
    expect(cart.uses).toEqual({ this: true });
    expect(usesOf(cart)).toEqual({ this: true, arguments: false, super: false, outerArguments: false, newTarget: false });
    expect(cart.captures).toEqual(["seen"]);
    const sf = ts.createSourceFile("src/cart.ts", src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const plan = planFile(ts, sf, "src/cart.ts");
    const twice = plan.machines.find((m) => m.result.name === "twice")!;
    const report = summarizeCompiled(sf, twice);
    const facts = analyzeScopes(ts, sf).facts.get(twice.node)!;
    const duplicate = buildMachineInfo(report, { file: "src/cart.ts", duplicateName: true, facts, isArrow: false });
    expect(duplicate.id).toBe(`src/cart.ts#twice@${report.line}`);
    expect(machineIdOf(duplicate)).toBe(`src/cart.ts#twice@${report.line}`);
  });

  test("the layout hash changes with the layout, not with code between awaits", () => {
    const hash = (src: string) => inspectSource(ts, src, "src/ship.ts").functions[0].hash;
    const base = hash(SOURCE);
    expect(hash(SOURCE)).toBe(base);
    expect(hash(SOURCE.replace('"order "', '"parcel "'))).toBe(base);
    expect(hash(SOURCE.replace("return label;", "return label + orderId;"))).not.toBe(base);
  });

  test("is emitted with each state enum, and dumps and snapshots use it", async () => {
    const mod = loadWithInfo(SOURCE, "src/ship.ts");
    enableTaskTracking();
    const gate = deferred<number>();
    const running = mod.ship("A7", gate.promise);
    await settle();
    const [frame] = dumpTasks()[0].frames;
    // The id and uses the info leaves out are filled in where dumps and snapshots read them.
    const described = describeMachine(frame.machine);
    expect(described.id).toBe("src/ship.ts#ship");
    expect(described.captures).toEqual([]);
    expect(described.uses).toEqual({ this: false, arguments: false, super: false, outerArguments: false, newTarget: false });
    expect(frame.location).toBe("src/ship.ts:4:20");
    expect(frame.awaitedText).toBe("gate");
    expect(frame.live.map((v) => v.name).sort()).toEqual(["$iterator", "gate", "label"]);
    // Refused by name: the awaited promise is live (the loop awaits it again).
    expect(() => snapshot(running)).toThrow(/cannot serialize 'gate', live at state AwaitGate_L4 of ship: it holds a Promise/);
    gate.resolve(1);
    expect(await running).toBe("order A7");
  });
});

describe("layout hash (layout/2)", () => {
  test("the runtime derives from the emitted MachineInfo the hash `inspect` prints, and a snapshot records it", async () => {
    const mod = loadWithInfo(SOURCE, "src/ship.ts");
    const printed = inspectSource(ts, SOURCE, "src/ship.ts").functions[0].hash;
    expect(printed).toMatch(/^[0-9a-f]{16}$/);
    enableTaskTracking();
    const gate = deferred<number>();
    const running = mod.ship("A7", gate.promise);
    await settle();
    expect(dumpTasks()[0].frames[0]).toBeDefined();
    const code = transform(SOURCE, { fileName: "src/ship.ts", runtime: "require" }).code;
    expect(code).not.toContain(printed);
    expect(code).not.toMatch(/hash:/);
    // (ship's frame holds a promise, so it cannot be snapshotted; a function that holds plain data can.)
    gate.resolve(1);
    await running;
    const PLAIN = `let gate: Promise<void> = Promise.resolve();\nexport function hold(p: Promise<void>) { gate = p; }\nexport async function count(n: number) { let total = 0; for (let i = 0; i < n; i++) { await gate; total += i; } return total; }\n`;
    const counter = loadWithInfo(PLAIN, "src/count.ts");
    const release = deferred<void>();
    counter.hold(release.promise);
    const counting = counter.count(3);
    await settle();
    expect(snapshot(counting).function.hash).toBe(inspectSource(ts, PLAIN, "src/count.ts").functions[0].hash);
    release.resolve();
    expect(await counting).toBe(3);
  });

  const base: HashedLayout = {
    stateNames: ["Unresumed", "Returned", "Panicked", "AwaitA_L2", "AwaitB_L3", "AwaitC_L4"],
    captures: ["log"],
    slots: [
      [0, "a"],
      [1, "$t"],
      [0, null, 2, "b"],
    ],
  };
  test("changes with any state's frame, the state names, the captures and environment fields", () => {
    const h = layoutHash(base);
    expect(layoutHash({ ...base })).toBe(h);
    const variants: HashedLayout[] = [
      {
        ...base,
        slots: [
          [0, "a"],
          [1, "t"],
          [0, null, 2, "b"],
        ],
      }, // a temporary became a variable, at the middle state only
      {
        ...base,
        slots: [
          [0, "a"],
          [1, "$t"],
          [0, null, 1, "b"],
        ],
      }, // b at another offset
      {
        ...base,
        slots: [
          [0, "a"],
          [1, "$t"],
          [2, "b"],
        ],
      }, // a still kept at the last state
      {
        ...base,
        slots: [
          [0, "a"],
          [1, "$t", 2, "b"],
          [0, null],
        ],
      }, // b kept one state earlier
      { ...base, stateNames: base.stateNames.map((n) => n.replace("L3", "L4")) },
      { ...base, captures: [] },
      { ...base, env: [[], ["x"], []] },
    ];
    const hashes = variants.map(layoutHash);
    for (const v of hashes) expect(v).not.toBe(h);
    expect(new Set(hashes).size).toBe(variants.length);
  });
  test("its text grows with the changes, not with states × frame size", () => {
    // h(await g(0), …, await g(n-1)): state k keeps k values, but names only the one it adds.
    const slotsOf = (n: number) => Array.from({ length: n }, (_, k) => (k === 0 ? [] : [k - 1, `$arg${k - 1}`]));
    const namesOf = (n: number) => ["Unresumed", "Returned", "Panicked", ...Array.from({ length: n }, (_, k) => `Await_L${k + 2}`)];
    const size = (n: number) => JSON.stringify([namesOf(n), slotsOf(n)]).length;
    expect(size(400) / size(100)).toBeLessThan(4.5);
    expect(layoutHash({ stateNames: namesOf(100), captures: [], slots: slotsOf(100) })).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("fnv1a64", () => {
  // Published FNV-1a 64-bit test vectors, and a BigInt reference over random UTF-8 text: the
  // limb arithmetic must give the same digits (hashes are stored in snapshots).
  const reference = (text: string): string => {
    let h = 0xcbf29ce484222325n;
    for (const byte of new TextEncoder().encode(text)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
    return h.toString(16).padStart(16, "0");
  };
  test("matches the published vectors", () => {
    expect(fnv1a64("")).toBe("cbf29ce484222325");
    expect(fnv1a64("a")).toBe("af63dc4c8601ec8c");
    expect(fnv1a64("foobar")).toBe("85944171f73967e8");
  });
  test("matches 64-bit BigInt arithmetic on random text", () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 2000; i++) {
      let text = "";
      for (let k = next() % 120; k > 0; k--) text += String.fromCharCode(next() % 10 === 0 ? next() % 0xd7ff : 32 + (next() % 95));
      expect(fnv1a64(text)).toBe(reference(text));
    }
  });
});
