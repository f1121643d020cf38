/**
 * The hot-path contract, counted: a compiled `await` allocates no closure, promise or record
 * that the native `await` would not. A child process runs each loop natively and compiled under
 * V8's sampling heap profiler (every 64 allocated bytes, objects collected since included): the
 * sampled bytes of the measured run divided by its awaits are the bytes allocated per await.
 * The smallest object an extra allocation could be (a promise: 40 bytes; a closure: 32 or more)
 * is larger than the tolerance, so one extra object per await fails the test.
 *
 * A call to a compiled function that returns without awaiting allocates its machine and frame
 * beside the promise native code makes; that figure is printed (for the benchmark notes) and
 * bounded loosely, not compared with native.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { compileModule, REGISTER_TS, RUNTIME_ENTRY, tempDir, transpile } from "../inspect/support";

const SOURCE = `
const ready = Promise.resolve(1);

/** await of a primitive: one tick, no driver */
export async function primitives(n: number) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (await i) & 7; // small sums: no heap numbers
  return sum;
}

/** await of an already-resolved native promise: the native driver's await */
export async function promises(n: number) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await ready;
  return sum;
}

/** a try/catch/finally around the await, as in the benchmark's workload D */
export async function guarded(n: number) {
  let sum = 0;
  let caught = 0;
  for (let i = 0; i < n; i++) {
    try {
      const value = await i;
      if (value % 10000 === 9999) throw new Error("boom");
      sum += value & 7;
    } catch {
      caught++;
    } finally {
      sum++;
    }
  }
  return sum + caught;
}

// An iterable whose iterator and results are made once: iterating it allocates nothing, so what
// a destructuring or spread of it allocates is the compiled code's own (natively: nothing).
const steps = { value: 1, done: false };
const finished = { value: undefined, done: true };
let remaining = 0;
const iterator = { next: () => (remaining-- > 0 ? steps : finished) };
const pair = {
  [Symbol.iterator]() {
    remaining = 2;
    return iterator;
  },
};
function add(a: number, b: number, c: number) {
  return a + b + c;
}

/** an array pattern of an awaited value ($am.spreadable checks it for V8's message) */
export async function destructures(n: number) {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const [a, b] = await pair;
    sum += (a + b) & 7;
  }
  return sum;
}

/** a spread argument of a call the await took apart (checked by $am.spreadable) */
export async function spreads(n: number) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += add(await i, ...pair) & 7;
  return sum;
}

async function leaf(i: number) {
  return i + 1;
}

/** a call to a compiled function that returns without awaiting (a machine per call) */
export async function calls(n: number) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (await leaf(i)) & 7;
  return sum;
}
`;

const LOOPS = ["primitives", "promises", "guarded", "destructures", "spreads", "calls"] as const;
type Loop = (typeof LOOPS)[number];
const AWAITS = 100_000;

const CHILD = `
const inspector = require("node:inspector");
const mod = require(process.argv[2]);
const n = Number(process.argv[3]);
const session = new inspector.Session();
session.connect();
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
const total = (node) => node.selfSize + node.children.reduce((sum, child) => sum + total(child), 0);
// The least an await that keeps native timing can allocate: one reaction on a fulfilled promise
// per iteration (then's derived promise, the reaction, its job), with one callback for all.
const tick = Object.setPrototypeOf(Promise.resolve(), Object.create(Promise.prototype, { constructor: { value: undefined } }));
function reactionFloor(count) {
  return new Promise((resolve) => {
    let i = 0;
    const step = () => {
      if (++i < count) tick.then(step);
      else resolve(i);
    };
    tick.then(step);
  });
}
(async () => {
  const out = {};
  for (const name of [...${JSON.stringify(LOOPS)}, "reactionFloor"]) {
    const run = name === "reactionFloor" ? reactionFloor : mod[name];
    for (let w = 0; w < 6; w++) await run(n / 5); // tier-up happens here, not below
    // every allocation of the measured run, also of objects collected since (sampled every 64 bytes)
    await post("HeapProfiler.startSampling", { samplingInterval: 64, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    const result = await run(n);
    const { profile } = await post("HeapProfiler.stopSampling");
    out[name] = { bytesPerAwait: total(profile.head) / n, result };
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

type Measurement = Record<Loop | "reactionFloor", { bytesPerAwait: number; result: number }>;

function measure(dir: string, name: string, js: string): Measurement {
  const modulePath = path.join(dir, `${name}.js`);
  fs.writeFileSync(modulePath, js);
  const child = path.join(dir, "child.cjs");
  fs.writeFileSync(child, CHILD);
  const r = spawnSync(process.execPath, ["-r", REGISTER_TS, child, modulePath, String(AWAITS)], { encoding: "utf8", timeout: 120_000 });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Measurement;
}

/** Less than the smallest object one extra allocation per await would add. */
const TOLERANCE = 16;

describe("allocation per await", () => {
  const dir = tempDir("allocation");
  const native = measure(dir, "native", transpile(SOURCE, "loops.ts"));
  const compiled = measure(dir, "compiled", compileModule(SOURCE, "loops.ts", RUNTIME_ENTRY));
  console.info(
    `bytes allocated per await (${AWAITS} awaits, sampled): reaction floor ${compiled.reactionFloor.bytesPerAwait.toFixed(1)}; ${LOOPS.map((l) => `${l} compiled ${compiled[l].bytesPerAwait.toFixed(1)} / native ${native[l].bytesPerAwait.toFixed(1)}`).join("; ")}`,
  );

  test.each(["primitives", "promises", "guarded", "destructures", "spreads"] as const)("%s: a compiled await allocates no more than a native one", (loop) => {
    expect(compiled[loop].result).toBe(native[loop].result);
    // Sanity: the measurement sees the awaits at all (native allocates its promise reactions).
    expect(native[loop].bytesPerAwait).toBeGreaterThan(32);
    expect(compiled[loop].bytesPerAwait).toBeLessThanOrEqual(native[loop].bytesPerAwait + TOLERANCE);
  });

  test.each(["primitives", "guarded"] as const)("%s: an await of a primitive allocates only the reaction it schedules", (loop) => {
    // No closure, promise or record of the machine's own per await: what remains is the reaction
    // job on the runtime's fulfilled promise, as in the floor loop.
    expect(compiled.reactionFloor.bytesPerAwait).toBeGreaterThan(32);
    expect(compiled[loop].bytesPerAwait).toBeLessThanOrEqual(compiled.reactionFloor.bytesPerAwait + TOLERANCE);
  });

  test("calls: a machine per call costs a bounded number of bytes beyond native", () => {
    expect(compiled.calls.result).toBe(native.calls.result);
    expect(native.calls.bytesPerAwait).toBeGreaterThan(32);
    // the callee's machine and frame beside the promise native makes too (measured: 184 bytes)
    expect(compiled.calls.bytesPerAwait).toBeLessThanOrEqual(native.calls.bytesPerAwait + 224);
  });
});
