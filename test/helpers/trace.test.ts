/** Self-tests of the fixture referee: it must be able to fail, and record what goes wrong. */
import { describe, expect, it } from "vitest";
import { formatValue, runNative, runProgram, transpileScript } from "./trace";

const run = async (src: string, timeoutMs?: number) => runProgram(transpileScript(src, "self-test.ts"), "self-test.ts", { timeoutMs });

describe("trace harness", () => {
  it("interleaves a microtask ticker with main and logs the settlement", async () => {
    const { trace, outcome } = await runNative(`async function main() { log("start"); await null; log("resumed"); return "v"; }`, "self-test.ts");
    expect(outcome).toBe("resolved");
    expect(trace.slice(0, 6)).toEqual(["start", "tick 0", "resumed", "tick 1", "resolved 'v'", "tick 2"]);
    expect(trace.filter((l) => l.startsWith("tick "))).toHaveLength(40);
  });

  it("tells apart programs that differ only in microtask order", async () => {
    const native = await run(`async function main() { log("x"); await null; log("y"); }`);
    const sameTicks = await run(`function main() { log("x"); return Promise.resolve(null).then(() => { log("y"); }); }`);
    const oneTickLate = await run(`function main() { log("x"); return Promise.resolve(null).then(() => null).then(() => { log("y"); }); }`);
    expect(sameTicks.trace).toEqual(native.trace);
    expect(oneTickLate.trace).not.toEqual(native.trace);
    expect(oneTickLate.outcome).toBe(native.outcome);
  });

  it("records rejections, uncaught and unhandled errors", async () => {
    const { trace, outcome } = await run(`
      async function main() {
        setTimeout(() => { throw new RangeError("in timer"); }, 0);
        queueMicrotask(() => { throw new SyntaxError("in microtask"); });
        Promise.reject(new Error("nobody handles this"));
        await new Promise((r) => setTimeout(r, 5));
        throw new TypeError("bad");
      }`);
    expect(outcome).toBe("rejected");
    const lines = trace.filter((l) => !l.startsWith("tick "));
    expect(lines).toEqual(["uncaught SyntaxError: in microtask", "unhandled Error: nobody handles this", "uncaught RangeError: in timer", "rejected TypeError: bad"]);
  });

  it("starts a shorter ticker before each timer callback", async () => {
    const { trace } = await run(`async function main() { await new Promise((r) => setTimeout(r, 1)); log("after timer"); }`);
    const i = trace.indexOf("tick 1.0");
    expect(trace.slice(i, i + 4)).toEqual(["tick 1.0", "after timer", "tick 1.1", "resolved undefined"]);
  });

  it("waits for timers scheduled after main settles", async () => {
    const { trace } = await run(`async function main() { setTimeout(() => log("late"), 20); return 1; }`);
    expect(trace).toContain("late");
    expect(trace.indexOf("late")).toBeGreaterThan(trace.indexOf("resolved 1"));
  });

  it("records a timeout when main never settles", async () => {
    const { trace, outcome } = await run(`async function main() { await new Promise(() => {}); }`, 100);
    expect(outcome).toBe("timeout");
    expect(trace[trace.length - 1]).toBe("timeout");
  });

  it("reports a program without main, or one that fails to load", async () => {
    expect((await run(`log("top level");`)).outcome).toBe("no-main");
    const loadError = await run(`throw new Error("at load");`);
    expect(loadError.outcome).toBe("load-error");
    expect(loadError.trace).toEqual(["harness error: the program threw while loading: Error: at load"]);
    expect(() => transpileScript("async function main() { let = ; }", "broken.ts")).toThrow(/could not transpile/);
  });

  it("keeps scripts sloppy unless they say use strict", async () => {
    const sloppy = await run(`
      async function main() {
        with ({ a: 1 }) { log("with works", a); }
        log("this is global", (function () { return this === globalThis; })());
      }`);
    expect(sloppy.trace).toContain("with works 1");
    expect(sloppy.trace).toContain("this is global true");
    const strict = await run(`"use strict";
      async function main() { log("this is undefined", (function () { return this; })()); }`);
    expect(strict.trace).toContain("this is undefined undefined");
  });

  it("survives a program that breaks Promise.prototype.then", async () => {
    const { trace, outcome } = await run(`
      async function main() {
        Promise.prototype.then = function () { throw new Error("patched"); };
        await null;
        return "still settles";
      }`);
    expect(outcome).toBe("resolved");
    expect(trace).toContain("resolved 'still settles'");
  });

  it("restores the unhandledRejection listeners it replaced", async () => {
    const before = process.listeners("unhandledRejection");
    await run(`async function main() { Promise.reject(new Error("x")); }`);
    expect(process.listeners("unhandledRejection")).toEqual(before);
  });

  it("runs each program in a fresh context", async () => {
    await run(`globalThis.leak = 1; async function main() {}`);
    const { trace } = await run(`async function main() { log("leak", typeof leak); }`);
    expect(trace).toContain("leak 'undefined'");
  });

  it("formats values deterministically", () => {
    expect(formatValue("s")).toBe("'s'");
    expect(formatValue(1)).toBe("1");
    expect(formatValue({ a: [1, { b: { c: { d: { e: 1 } } } }] })).toBe("{ a: [ 1, { b: { c: { d: [Object] } } } ] }");
    expect(formatValue(new TypeError("m"))).toBe("TypeError: m");
  });

  it("prints errors nested in logged values without stack frames", async () => {
    const { trace } = await run(`async function main() { await null; log("nested", { e: new RangeError("deep") }, [new Error("x")]); }`);
    const line = trace.find((l) => l.startsWith("nested"))!;
    expect(line).toContain("RangeError: deep");
    expect(line).not.toMatch(/\bat\b|self-test/);
  });
});
