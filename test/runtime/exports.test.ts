/**
 * The runtime's two entries and their surfaces: `async-machine/runtime` for programs (futures,
 * executor, combinators, leaf futures, inspection) and `async-machine/runtime/compiled` for what
 * generated code calls. Each entry's exports object is what generated code reads at every call
 * of a compiled function (`$am.startWithFrame(…)`): it must be a plain object in V8's fast mode,
 * not the dictionary-mode object CommonJS builds one property at a time (fast-exports.ts). And
 * rebuilding it must not cost ES-module users any name: Node finds the names an `import { … }`
 * may use by scanning the file's text.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import * as people from "../../runtime/index";
import * as compiled from "../../runtime/compiled";
import { REGISTER_TS, ROOT, RUNTIME_ENTRY } from "../inspect/support";

/** What generated code calls: the whole of async-machine/runtime/compiled. */
const COMPILED = [
  "DONE",
  "Machine",
  "TDZ",
  "assignChecked",
  "asyncFunction",
  "asyncMethods",
  "named",
  "call",
  "callArgs",
  "superCallee",
  "checkTdz",
  "checkedTarget",
  "constAssign",
  "constructArgs",
  "reflectApply",
  "reflectConstruct",
  "destructuringClose",
  "destructuringIterator",
  "destructuringRest",
  "destructuringStep",
  "forInNext",
  "forInStart",
  "getIterator",
  "iteratorClose",
  "iteratorStep",
  "objectRest",
  "parameterStore",
  "requireDestructurable",
  "restArguments",
  "spilled",
  "spreadable",
  "start",
  "startMachine",
  "startWithFrame",
  "states",
  "strings",
  "toPropertyKey",
  // for await
  "getAsyncIterator",
  "asyncIteratorNext",
  "asyncIteratorDone",
  "asyncIteratorReturn",
  "asyncIteratorReturnResult",
  // async generators
  "startGenerator",
  "startGeneratorWithArguments",
  "asyncGeneratorFunction",
  // poll mode
  "pollStart",
  "pollStartWithFrame",
  "CANCEL",
  "inPlace",
  "pollStartGenerator",
  "pollStartGeneratorWithArguments",
  "getAsyncIteratorPoll",
  "asyncIteratorNextPoll",
  "asyncIteratorResultPoll",
  "asyncIteratorReturnPoll",
];

/** The API for programs. */
const PEOPLE = [
  // poll, waker, context, task, queues, executor
  "PENDING",
  "isPending",
  "isReady",
  "noopWaker",
  "Context",
  "Task",
  "RingQueue",
  "createReadyQueue",
  "RandomQueue",
  "mulberry32",
  "Executor",
  "getDefaultExecutor",
  "currentExecutor",
  "spawn",
  "run",
  "DEFAULT_BUDGET",
  "DEFAULT_SLOW_POLL_MS",
  // poll mode and cancellation
  "PollMachine",
  "Cancelled",
  "isCancellation",
  "DEFAULT_TASK_BUDGET",
  // leaf futures and combinators
  "PromiseFuture",
  "fromPromise",
  "SleepFuture",
  "sleep",
  "ReadyFuture",
  "ready",
  "PollFn",
  "pollFn",
  "JoinFuture",
  "join",
  "SelectFuture",
  "select",
  "RaceFuture",
  "race",
  "Channel",
  "channel",
  "asFuture",
  "intoFuture",
  "TimeoutFuture",
  "TimeoutError",
  "timeout",
  "ScopeFuture",
  "scope",
  // deterministic tests
  "exploreSeeds",
  "SeedFailure",
  // inspection
  "enableTaskTracking",
  "disableTaskTracking",
  "isTaskTracking",
  "trackedMachines",
  "machineOfPromise",
  "trackedTasks",
  "parentTaskOf",
  "dumpTasks",
  "formatTasks",
  "dumpTaskTree",
  "formatTaskTree",
  "enableAsyncStackTraces",
  "disableAsyncStackTraces",
  "asyncStackOf",
  "snapshot",
  "restore",
  "registerFunctions",
  "SNAPSHOT_FORMAT",
  "describeMachine",
  "formatValue",
  "InspectError",
];

/** The names a module namespace offers (the test runner's module interop adds `default`). */
function names(namespace: object): string[] {
  return Object.keys(namespace)
    .filter((key) => key !== "default")
    .sort();
}

function node(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return { stdout: r.stdout.trim(), stderr: r.stderr.trim(), status: r.status };
}

describe("runtime exports", () => {
  test("async-machine/runtime/compiled holds exactly what generated code calls", () => {
    expect(names(compiled)).toEqual([...COMPILED].sort());
  });

  test("async-machine/runtime is the API for programs, plus (for code compiled against it) the compiled entry's names", () => {
    expect(names(people)).toEqual([...PEOPLE, ...COMPILED].sort());
    for (const name of COMPILED) expect((people as Record<string, unknown>)[name]).toBe((compiled as Record<string, unknown>)[name]);
  });

  test("one name drives a future to completion: run (no blockOn alias)", () => {
    expect("blockOn" in people).toBe(false);
    expect(typeof people.run).toBe("function");
  });

  test.each([
    ["async-machine/runtime", RUNTIME_ENTRY, 50],
    ["async-machine/runtime/compiled", path.join(ROOT, "runtime", "compiled.ts"), 25],
  ])("the CommonJS exports object of %s has fast properties, with every name and __esModule", (_, entry, atLeast) => {
    const script = `
      const rt = require(${JSON.stringify(entry)});
      process.stdout.write(JSON.stringify({ fast: %HasFastProperties(rt), esModule: rt.__esModule === true, keys: Object.keys(rt).length, start: typeof rt.startWithFrame }));
    `;
    const r = node(["--allow-natives-syntax", "-r", REGISTER_TS, "-e", script]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ fast: true, esModule: true, start: "function" });
    expect(out.keys).toBeGreaterThan(atLeast);
  });

  test("the built package still offers every named export to ES modules (export * included)", () => {
    // npm test builds dist/ first; node_modules/async-machine links to this checkout.
    const script = `import { startWithFrame, Executor, dumpTasks, enableTaskTracking, run } from "async-machine/runtime";
      import { startWithFrame as s2, checkTdz } from "async-machine/runtime/compiled";
      process.stdout.write([startWithFrame, Executor, dumpTasks, enableTaskTracking, run, checkTdz].map((x) => typeof x).join(",") + "," + (s2 === startWithFrame));`;
    const r = node(["--input-type=module", "-e", script]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("function,function,function,function,function,function,true");
  });
});
