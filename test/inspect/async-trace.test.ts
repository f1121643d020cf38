/**
 * Scenario: logical async stack traces through compiled machines (opt-in): an error that leaves
 * machines awaiting it carries one `at async <function> (…)` line per machine, outermost last.
 */
import * as path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { startMachine, states, type Machine } from "../../runtime/machine";
import { asyncStackOf, disableAsyncStackTraces, enableAsyncStackTraces } from "../../runtime/inspect/index";
import type { MachineInfo } from "../../runtime/inspect/machine-info";
import { loadCompiled } from "./support";

const SOURCE = `
export async function inner() {
  await null;
  throw new Error("boom");
}
export async function outer() {
  const x = 1;
  await inner();
  return x;
}
export async function top() {
  await outer();
}
export async function catches() {
  try {
    await inner();
  } catch (e) {
    return "caught";
  }
}
`;

afterEach(() => disableAsyncStackTraces());

describe("async stack traces", () => {
  test("off by default: the stack ends where the error was thrown", async () => {
    const mod = loadCompiled(SOURCE, "trace.ts");
    const error: Error = await mod.top().catch((e: Error) => e);
    expect(error.message).toBe("boom");
    expect(error.stack).not.toContain("at async");
    expect(asyncStackOf(error)).toEqual([]);
  });

  test("each machine the error leaves adds the await it was suspended at", async () => {
    const mod = loadCompiled(SOURCE, "trace.ts");
    enableAsyncStackTraces();
    const error: Error = await mod.top().catch((e: Error) => e);
    expect(asyncStackOf(error)).toEqual([
      { function: "outer", state: "AwaitInner_L8", location: "trace.ts:8:3" },
      { function: "top", state: "AwaitOuter_L12", location: "trace.ts:12:3" },
    ]);
    // The transformer's MachineInfo gives file:line:column of each await, as V8 writes its frames.
    const lines = error.stack!.split("\n").filter((l) => l.includes("at async"));
    expect(lines).toEqual(["    at async outer (trace.ts:8:3)", "    at async top (trace.ts:12:3)"]);
  });

  test("without MachineInfo (code compiled before it), frames name the state and its line", async () => {
    const mod = loadCompiled(SOURCE, "trace.ts", {}, { machineInfo: false });
    enableAsyncStackTraces();
    const error: Error = await mod.top().catch((e: Error) => e);
    expect(asyncStackOf(error)).toEqual([
      { function: "outer", state: "AwaitInner_L8", location: "line 8" },
      { function: "top", state: "AwaitOuter_L12", location: "line 12" },
    ]);
    const lines = error.stack!.split("\n").filter((l) => l.includes("at async"));
    expect(lines).toEqual(["    at async outer (state AwaitInner_L8)", "    at async top (state AwaitOuter_L12)"]);
  });

  test("a machine that catches the error adds nothing", async () => {
    const mod = loadCompiled(SOURCE, "trace.ts");
    enableAsyncStackTraces();
    expect(await mod.catches()).toBe("caught");
  });

  test("with MachineInfo, frames name file:line:column like V8's", async () => {
    enableAsyncStackTraces();
    const info: MachineInfo = {
      v: 1,
      id: "src/pay.ts#checkout",
      hash: "0000000000000000",
      name: "checkout",
      file: "src/pay.ts",
      line: 1,
      awaits: [[3, 5, "charge()"]],
      slots: [[]],
      captures: [],
      uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false },
    };
    const CheckoutState = states(["Unresumed", "Returned", "Panicked", "AwaitCharge_L3"], info);
    const resume = (m: Machine, value: unknown, isThrow: boolean): unknown => {
      switch (m.s) {
        case 0:
          m.s = 3;
          return m.await(m.a![0]);
        case 3:
          if (isThrow) throw value;
          return m.ret(value);
      }
    };
    const declined = new Error("card declined");
    const m = startMachine(resume, 0, CheckoutState, undefined, [Promise.reject(declined)]);
    await expect(m.promise).rejects.toBe(declined);
    expect(declined.stack).toContain("\n    at async checkout (src/pay.ts:3:5)");
    expect(asyncStackOf(declined)).toEqual([{ function: "checkout", state: "AwaitCharge_L3", location: "src/pay.ts:3:5" }]);
  });

  test("a shared error thrown again and again keeps the frames of its first trip (as V8 fixes a stack at creation)", async () => {
    const mod = loadCompiled(
      `export async function retry(op: () => Promise<void>) { await op(); }
export async function caller(op: () => Promise<void>) { await retry(op); }`,
      "retry.ts",
    );
    enableAsyncStackTraces();
    const TIMEOUT = new Error("timeout"); // a sentinel many libraries share
    const op = () => Promise.reject(TIMEOUT);
    for (let i = 0; i < 50; i++) await expect(mod.caller(op)).rejects.toBe(TIMEOUT);
    for (let i = 0; i < 50; i++) await expect(mod.retry(op)).rejects.toBe(TIMEOUT);
    // The first trip's chain, whole; nothing from the 99 later ones (it grew by a line per trip).
    expect(asyncStackOf(TIMEOUT)).toEqual([
      { function: "retry", state: expect.any(String), location: "retry.ts:1:56" },
      { function: "caller", state: expect.any(String), location: "retry.ts:2:57" },
    ]);
    expect(TIMEOUT.stack!.split("\n").filter((l) => l.includes("at async"))).toEqual(["    at async retry (retry.ts:1:56)", "    at async caller (retry.ts:2:57)"]);
  });

  test("a machine that awaits in finally or catch before the error leaves it still adds the await it received the error at", async () => {
    const mod = loadCompiled(
      `
export async function leaf() { await null; throw new Error("leaf"); }
export async function withCleanup() {
  try {
    await leaf();
  } finally {
    await null;
  }
}
export async function rethrows() {
  try {
    await leaf();
  } catch (e) {
    await null;
    throw e;
  }
}
export async function top(which: number) {
  await (which === 0 ? withCleanup() : rethrows());
}
`,
      "fin.ts",
    );
    enableAsyncStackTraces();
    for (const [which, name, location] of [
      [0, "withCleanup", "fin.ts:5:5"],
      [1, "rethrows", "fin.ts:12:5"],
    ] as const) {
      const error: Error = await mod.top(which).catch((e: Error) => e);
      expect(asyncStackOf(error).map((f) => [f.function, f.location])).toEqual([
        [name, location],
        ["top", "fin.ts:19:3"],
      ]);
    }
  });

  /** The lines of `stack` that are frames, each without its position (the texts of native and compiled functions differ). */
  const framesOf = (stack: string | undefined): string[] =>
    (stack ?? "")
      .split("\n")
      .filter((l) => l.startsWith("    at "))
      .map((l) => l.replace(/:\d+:\d+\)?$/, ""));
  const runtimeDir = path.resolve(__dirname, "../../runtime");

  test("the runtime's frames are left out: a function resumed after an await shows its own frame and nothing below, as native", async () => {
    const mod = loadCompiled(`export async function late(name: string) { await null; if (name.includes("/")) throw new TypeError(name); }`, "late.ts");
    async function late(name: string) {
      await null;
      if (name.includes("/")) throw new TypeError(name);
    }
    enableAsyncStackTraces();
    const native: Error = await late("a/b").catch((e: Error) => e);
    const compiled: Error = await mod.late("a/b").catch((e: Error) => e);
    // The function's frame, then what ran the reaction that resumed it (Node's own, as for native), by name.
    const named = (error: Error): string[] => framesOf(error.stack).flatMap((l) => (l.startsWith("    at async ") ? [] : [l.replace(/ \(.*$/, "")]));
    expect(named(native)[0]).toBe("    at late");
    expect(named(compiled).slice(0, 2)).toEqual(named(native).slice(0, 2));
    expect(compiled.stack).not.toContain(runtimeDir);
  });

  test("the runtime's frames are left out: a function that throws before its first await shows its own frame, then its callers', as native (no start or wrapper frame)", async () => {
    const mod = loadCompiled(`export async function early(name: string) { if (name.includes("/")) throw new TypeError(name); await null; }`, "early.ts");
    async function early(name: string) {
      if (name.includes("/")) throw new TypeError(name);
      await null;
    }
    const caller = (f: (name: string) => Promise<void>): Promise<void> => f("a/b");
    enableAsyncStackTraces();
    const native: Error = await caller(early).catch((e: Error) => e);
    const compiled: Error = await caller(mod.early).catch((e: Error) => e);
    const nativeFrames = framesOf(native.stack);
    const compiledFrames = framesOf(compiled.stack);
    expect(nativeFrames[0]).toMatch(/^ {4}at early \(/);
    expect(compiledFrames[0]).toMatch(/^ {4}at early \(/);
    // Then the caller's frame, native's (the same line of this file): no runtime or wrapper frame between.
    expect(nativeFrames[1]).toMatch(/^ {4}at caller \(/);
    expect(compiledFrames[1]).toBe(nativeFrames[1]);
    expect(compiled.stack).not.toContain(runtimeDir);
  });

  test("a function that throws before its first await, started by one the runtime resumed: that caller's frame stands once, as native's (no `at async` frame for it)", async () => {
    const mod = loadCompiled(
      `export async function early(name: string) { if (name.includes("/")) throw new TypeError(name); await null; }
export async function main() { await null; await early("a/b"); }
export async function top() { await main(); }`,
      "nested.ts",
    );
    async function early(name: string) {
      if (name.includes("/")) throw new TypeError(name);
      await null;
    }
    async function main() {
      await null;
      await early("a/b");
    }
    async function top() {
      await main();
    }
    enableAsyncStackTraces();
    const native: Error = await top().catch((e: Error) => e);
    const compiled: Error = await mod.top().catch((e: Error) => e);
    // The program's own frames by function (what runs the reactions, Node's or the test runner's,
    // left aside; whether V8 writes the outermost as `at async` depends on what awaits it here).
    const named = (error: Error): string[] => framesOf(error.stack).flatMap((l) => /^ {4}at (?:async )?(early|main|top) \(/.exec(l)?.slice(1) ?? []);
    expect(named(native)).toEqual(["early", "main", "top"]);
    expect(named(compiled)).toEqual(named(native));
    expect(asyncStackOf(compiled).map((f) => f.function)).toEqual(["top"]);
  });

  test("a stack the program reads before the error leaves the function is left as it was", async () => {
    const mod = loadCompiled(`export async function logs() { await null; const e = new TypeError("seen"); e.stack; throw e; }`, "logs.ts");
    enableAsyncStackTraces();
    const error: Error = await mod.logs().catch((e: Error) => e);
    expect(error.stack).toContain(runtimeDir);
  });

  test("primitive and frozen errors propagate unchanged", async () => {
    const mod = loadCompiled(`export async function f(p: Promise<unknown>) { await p; }`, "prim.ts");
    enableAsyncStackTraces();
    await expect(mod.f(Promise.reject("plain"))).rejects.toBe("plain");
    const frozen = Object.freeze(new Error("frozen"));
    await expect(mod.f(Promise.reject(frozen))).rejects.toBe(frozen);
    expect(asyncStackOf(frozen)).toHaveLength(1);
  });
});
