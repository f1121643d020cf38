/**
 * Scenario: the combinators take what TypeScript says a poll-mode call is — a `Promise` — so
 * `spawn(f())`, `join([f(), g()])`, `select`, `race`, `timeout` and a scope's `spawn` type-check
 * without `asFuture`, and at run time a poll-mode call is used as the future it is (lazy,
 * cancellable: losing a `select` runs its `finally`), while a promise or other thenable is
 * adapted as `fromPromise` adapts it. The types are checked by compiling a small program
 * against the runtime's sources with the TypeScript API, including lines that must NOT compile.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, test } from "vitest";
import { Cancelled, join, PollMachine, race, ready, run, scope, select, sleep, spawn, timeout, TimeoutError } from "../../runtime/index";
import { loadModule } from "./support";

const RUNTIME = path.resolve(__dirname, "..", "..", "runtime", "index.ts");

/** Type errors of `source` compiled strictly against the runtime's sources: `file:line: message` each. */
function typeErrors(source: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "future-like-"));
  try {
    const file = path.join(dir, "program.ts");
    fs.writeFileSync(file, source.replace("RUNTIME", JSON.stringify(RUNTIME.replace(/\.ts$/, ""))));
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      lib: ["lib.es2022.d.ts"],
      types: ["node"],
      typeRoots: [path.resolve(__dirname, "..", "..", "node_modules", "@types")],
      skipLibCheck: true,
      ignoreDeprecations: "6.0",
    } as ts.CompilerOptions);
    return ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file || d.file === undefined)
      .map((d) => {
        const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
        return `program.ts:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("types: a poll-mode call (typed Promise<T>) goes where a future goes", () => {
  test("spawn, run, join, select, race, timeout and a scope's spawn accept it, with the value types carried through", () => {
    const errors = typeErrors(`
import { join, race, run, scope, select, sleep, spawn, timeout, type Task } from RUNTIME;

/** @poll */ async function count(n: number): Promise<number> { await sleep(1); return n; }
/** @poll */ async function label(): Promise<string> { return "x"; }

async function main(): Promise<void> {
  const task: Task<number> = spawn(count(1));
  const n: number = await task;
  const v: number = await run(count(2));
  const [a, b] = await run(join([count(3), label(), sleep(1)]));
  const a1: number = a;
  const b1: string = b;
  const s = await run(select([count(4), label()]));
  const s1: number | string = s.value;
  const r: number | string = await run(race([count(5), label()]));
  const t: number = await run(timeout(count(6), 100));
  const inScope: number = await scope(async (sc) => {
    const child: Task<string> = sc.spawn(label());
    return (await child).length;
  });
  void [n, v, a1, b1, s1, r, t, inScope];

  // Types are carried, not widened to any: each of these must be an error.
  // @ts-expect-error a Task<number> is not a Task<string>
  const wrong: Task<string> = spawn(count(1));
  // @ts-expect-error join's first value is a number
  const wrongJoin: string = (await run(join([count(3), label()])))[0];
  // @ts-expect-error neither a future nor a thenable
  spawn(42);
  void [wrong, wrongJoin];
}
void main;
`);
    expect(errors).toEqual([]);
  });

  test("the check can fail: a misuse is reported", () => {
    const errors = typeErrors(`
import { spawn, type Task } from RUNTIME;
async function count(): Promise<number> { return 1; }
const wrong: Task<string> = spawn(count());
void wrong;
`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^program\.ts:4: Type 'Task<number>' is not assignable to type 'Task<string>'/);
  });
});

const SOURCE = `
export async function work(log, ms, value) {
  try { log("start " + value); await sleep(ms); log("end " + value); return value; }
  finally { log("finally " + value); }
}
`;
type Log = (line: string) => void;
const m = loadModule<{ work(log: Log, ms: number, value: unknown): Promise<unknown> }>(`import { sleep } from "async-machine/runtime";\n${SOURCE}`);

describe("at run time a poll-mode call is the future it is", () => {
  test("spawn(f()): the task drives the machine itself (no adapter), lazily", async () => {
    const log: string[] = [];
    const call = m.work((line) => log.push(line), 1, "a");
    expect(call).toBeInstanceOf(PollMachine);
    const task = spawn(call);
    expect(task.current).toBe(call);
    expect(log).toEqual([]);
    expect(await task).toBe("a");
    expect(log).toEqual(["start a", "end a", "finally a"]);
  });

  test("losing a select, a race or a timeout cancels it: its finally runs, its timer is cleared", async () => {
    const log: string[] = [];
    const write = (line: string) => log.push(line);
    expect(await run(select([m.work(write, 60_000, "slow"), m.work(write, 1, "fast")]))).toEqual({ index: 1, value: "fast" });
    expect(log).toEqual(["start slow", "start fast", "end fast", "finally fast", "finally slow"]);
    log.length = 0;
    expect(await run(race([m.work(write, 60_000, "slow"), Promise.resolve("promise")]))).toBe("promise");
    expect(log).toEqual(["start slow", "finally slow"]);
    log.length = 0;
    await expect(run(timeout(m.work(write, 60_000, "late"), 1))).rejects.toBeInstanceOf(TimeoutError);
    expect(log).toEqual(["start late", "finally late"]);
  });

  test("join and a scope's spawn take calls and promises alike; a failing scope cancels a call child", async () => {
    const log: string[] = [];
    const write = (line: string) => log.push(line);
    expect(await run(join([m.work(write, 1, 1), Promise.resolve(2), ready(3)]))).toEqual([1, 2, 3]);
    const outcome = run(
      scope((s) => {
        s.spawn(m.work(write, 60_000, "child"));
        s.spawn(Promise.reject(new Error("promise child failed")));
        return sleep(60_000);
      }),
    );
    await expect(outcome).rejects.toThrow("promise child failed");
    expect(log).toContain("finally child");
    expect(log).not.toContain("end child");
  });

  test("a cancelled spawn of a call runs its finally; of a promise, detaches", async () => {
    const log: string[] = [];
    const task = spawn(m.work((line) => log.push(line), 60_000, "t"));
    await new Promise((r) => setImmediate(r));
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual(["start t", "finally t"]);
    const detached = spawn(new Promise<never>(() => {}));
    detached.cancel();
    await expect(detached).rejects.toBeInstanceOf(Cancelled);
  });
});

describe("a poll-mode call's then/catch/finally and its thenable awaits reach built-ins taken at load", () => {
  test("a patched Function.prototype.call is never called (native await and then call none)", async () => {
    const mod = loadModule<{ twice(n: number): Promise<number>; viaThenable(t: PromiseLike<number>): Promise<number> }>(
      `export async function twice(n: number) { await null; return n * 2; }
       export async function viaThenable(t: PromiseLike<number>) { return (await t) + 1; }`,
    );
    const realCall = Function.prototype.call;
    const calledThrough: string[] = [];
    const thenable = { then: (resolve: (v: number) => void) => resolve(41) };
    let values: unknown[];
    Function.prototype.call = function (this: (...args: unknown[]) => unknown, self: unknown, ...args: unknown[]) {
      calledThrough.push(this.name);
      return Reflect.apply(this, self, args);
    } as typeof realCall;
    try {
      values = [await mod.twice(1).then((v) => v + 1), await mod.twice(2).catch(() => 0), await mod.twice(3).finally(() => undefined), await mod.viaThenable(thenable)];
    } finally {
      Function.prototype.call = realCall;
    }
    expect(values).toEqual([3, 4, 6, 42]);
    expect(calledThrough.filter((name) => name === "then" || name === "finally")).toEqual([]);
  });
});
