/**
 * The referee: runs a fixture program natively and compiled, and returns what it logged.
 *
 * A fixture is a TypeScript *script* (no import/export) that calls the global `log(...values)`
 * and defines `async function main()`. It may use setTimeout/setImmediate/clearTimeout/
 * queueMicrotask/Promise. Each run happens in a fresh `node:vm` context:
 *
 *   1. a prelude saves the context's own `Promise.prototype.then` (so fixtures that patch it
 *      cannot disturb the harness) and sets `Error.stackTraceLimit = 0` (errors nested in logged
 *      values print without file/line, which differ between native and compiled code);
 *   2. the fixture script runs (top level only defines things);
 *   3. a microtask ticker made of plain promise callbacks starts (`tick 0` .. `tick 39`), then
 *      `main()` is called; its settlement is logged as `resolved <value>` / `rejected <error>`.
 *      Each timer/immediate callback of the program (the k-th, counting from 1) starts a shorter
 *      ticker (`tick k.0` .. `tick k.9`) right before it runs, so microtask order after a
 *      macrotask is compared too;
 *   4. the run ends when `main` has settled and no timer the fixture scheduled is pending
 *      (checked again after a macrotask hop), or after 5 s (`timeout` is logged); a run that
 *      never returns to the event loop is stopped by a watchdog thread, which names it and
 *      kills the test process (./watchdog.ts), so the suite fails instead of hanging.
 *
 * Trace lines: `log(a, b, ...)` gives one line, the first argument printed raw when it is a
 * string (a label), every other value through `util.inspect` (depth 4, one line); errors print as
 * `<constructor name>: <message>`. Exceptions escaping timer/microtask callbacks are logged as
 * `uncaught <error>`, promise rejections of the fixture's realm left unhandled at the end of a
 * macrotask as `unhandled <error>` (and `handled later <error>` if a handler comes afterwards).
 *
 * Runs are serialized in-process (no child processes), so traces never interleave.
 */
import * as ts from "typescript";
import * as util from "node:util";
import * as vm from "node:vm";
import { transform } from "../../transformer/index";
import type { TransformResult } from "../../transformer/index";
import type { Profile } from "../../transformer/profile";
import { arm, disarm } from "./watchdog";

/** Microtask ticks the harness logs, starting right before `main()` is called. */
export const TICKS = 40;
/** Microtask ticks logged again (`tick <k>.<i>`) from each timer/immediate callback the program schedules. */
export const MACROTASK_TICKS = 10;
/** Wall-clock guard for one run. */
export const TIMEOUT_MS = 5000;
/**
 * A run that blocks the event loop (a synchronous infinite loop) stops even the guard above; the
 * watchdog (./watchdog.ts) kills the test process this long after the run began, naming it.
 */
const WATCHDOG_GRACE_MS = 10_000;

/** How a run ended, besides its trace. */
export type Outcome =
  | "resolved"
  | "rejected"
  /** `main()` threw instead of returning a promise. */
  | "threw"
  /** `main()` returned something that is not a promise of the program's realm. */
  | "non-promise"
  /** The program defines no function `main`. */
  | "no-main"
  /** The program threw while loading (top level). */
  | "load-error"
  /** `main` had not settled, or timers were still pending, after the guard. */
  | "timeout";

export interface ProgramRun {
  trace: string[];
  outcome: Outcome;
}

export interface RunResult extends ProgramRun {
  /** The JavaScript that ran (after transpiling to an ES2022 script). */
  js: string;
}

export interface CompiledRunResult extends RunResult {
  /** What `transform(src, { runtime: "inline" })` returned. */
  result: TransformResult;
}

/** Transpiles TypeScript to an ES2022 *script*, keeping async functions and sloppy mode. */
export function transpileScript(src: string, fileName: string): string {
  const out = ts.transpileModule(src, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.None,
      // TypeScript 6 defaults to alwaysStrict, which would prepend "use strict" to every
      // script and turn sloppy fixtures (`with`, sloppy `arguments`) into strict ones.
      alwaysStrict: false,
      ignoreDeprecations: "6.0",
      useDefineForClassFields: true,
      sourceMap: false,
      inlineSourceMap: false,
    },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const text = errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n");
    throw new Error(`${fileName}: TypeScript could not transpile the program:\n${text}`);
  }
  return out.outputText;
}

const INSPECT: util.InspectOptions = {
  depth: 4,
  colors: false,
  breakLength: Infinity,
  compact: true,
  sorted: false,
  getters: false,
  customInspect: false,
  showProxy: false,
  maxArrayLength: 100,
  maxStringLength: 1000,
};

function constructorName(e: object): string {
  try {
    const ctor = (e as { constructor?: { name?: unknown } }).constructor;
    if (ctor && typeof ctor.name === "string" && ctor.name !== "") return ctor.name;
  } catch {
    // fall through
  }
  const name = (e as { name?: unknown }).name;
  return typeof name === "string" ? name : "Error";
}

/** `<constructor name>: <message>` for errors of any realm; `util.inspect` for anything else. */
export function formatValue(v: unknown): string {
  if (util.types.isNativeError(v)) {
    let message: unknown;
    try {
      message = (v as Error).message;
    } catch {
      message = "<message getter threw>";
    }
    return `${constructorName(v)}: ${String(message)}`;
  }
  return util.inspect(v, INSPECT);
}

function formatLogLine(values: unknown[]): string {
  return values.map((v, i) => (i === 0 && typeof v === "string" ? v : formatValue(v))).join(" ");
}

/**
 * Evaluated in the context before the fixture. Returns `start(main, hooks)`, which uses only
 * intrinsics captured here, before the fixture could patch them.
 */
const PRELUDE = `(() => {
  Error.stackTraceLimit = 0;
  const P = Promise;
  const then = P.prototype.then;
  const settled = P.resolve();
  function ticker(prefix, n, log) {
    let i = 0;
    const tick = () => { log(prefix + i); if (++i < n) then.call(settled, tick); };
    then.call(settled, tick);
  }
  function start(main, h) {
    ticker("tick ", h.ticks, h.log);
    if (typeof main !== "function") { h.done("no-main", "harness error: the program defines no function main"); return; }
    let p;
    try { p = main(); } catch (e) { h.done("threw", "main threw synchronously", e); return; }
    // Poll mode: main() returns a PollMachine; its first then spawns it on the executor.
    if (h.adopt && !(p instanceof P) && p !== null && typeof p === "object" && typeof p.then === "function") { const m = p; p = new P((res, rej) => m.then(res, rej)); }
    if (!(p instanceof P)) { h.done("non-promise", "main returned a non-promise", p); return; }
    then.call(p, (v) => h.done("resolved", "resolved", v), (e) => h.done("rejected", "rejected", e));
  }
  return { start, ticker };
})()`;

type Handle = { kind: "timeout" | "immediate"; id: NodeJS.Timeout | NodeJS.Immediate };

async function runProgramNow(js: string, fileName: string, timeoutMs: number, adopt = false): Promise<ProgramRun> {
  const trace: string[] = [];
  let outcome: Outcome = "timeout";
  let finished = false;
  const record = (line: string) => {
    if (!finished) trace.push(line);
  };
  const log = (...values: unknown[]) => record(formatLogLine(values));
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      record(`uncaught ${formatValue(e)}`);
    }
  };

  let wake: () => void = () => {};
  const pending = new Set<Handle>();
  const afterCallback = () => wake();
  let macrotasks = 0;
  let startTicker: (prefix: string, n: number, log: (line: string) => void) => void = () => {};
  const runCallback = (cb: (...a: unknown[]) => void, args: unknown[]) => {
    macrotasks++;
    startTicker(`tick ${macrotasks}.`, MACROTASK_TICKS, record);
    guard(() => cb(...args));
    afterCallback();
  };

  const sandbox = {
    log,
    console: {
      log,
      info: log,
      debug: log,
      warn: (...a: unknown[]) => log("console.warn", ...a),
      error: (...a: unknown[]) => log("console.error", ...a),
    },
    setTimeout(cb: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) {
      if (typeof cb !== "function") throw new TypeError("setTimeout: callback must be a function");
      const h: Handle = {
        kind: "timeout",
        id: setTimeout(() => {
          pending.delete(h);
          runCallback(cb, args);
        }, ms),
      };
      pending.add(h);
      return h;
    },
    clearTimeout(h: unknown) {
      if (h && pending.has(h as Handle) && (h as Handle).kind === "timeout") {
        pending.delete(h as Handle);
        clearTimeout((h as Handle).id as NodeJS.Timeout);
      }
    },
    setImmediate(cb: (...a: unknown[]) => void, ...args: unknown[]) {
      if (typeof cb !== "function") throw new TypeError("setImmediate: callback must be a function");
      const h: Handle = {
        kind: "immediate",
        id: setImmediate(() => {
          pending.delete(h);
          runCallback(cb, args);
        }),
      };
      pending.add(h);
      return h;
    },
    clearImmediate(h: unknown) {
      if (h && pending.has(h as Handle) && (h as Handle).kind === "immediate") {
        pending.delete(h as Handle);
        clearImmediate((h as Handle).id as NodeJS.Immediate);
      }
    },
    queueMicrotask(cb: () => void) {
      if (typeof cb !== "function") throw new TypeError("queueMicrotask: callback must be a function");
      queueMicrotask(() => guard(cb));
    },
  };
  const context = vm.createContext(sandbox, { name: fileName });
  const ctxPromise = vm.runInContext("Promise", context) as PromiseConstructor;
  const isOurs = (p: unknown) => {
    try {
      return p instanceof ctxPromise;
    } catch {
      return false;
    }
  };

  // Unhandled rejections of this realm go to the trace; anything else to whoever listened before.
  const savedUnhandled = process.listeners("unhandledRejection");
  const onUnhandled = (reason: unknown, promise: Promise<unknown>) => {
    if (isOurs(promise)) record(`unhandled ${formatValue(reason)}`);
    else for (const l of savedUnhandled) l.call(process, reason, promise);
  };
  const onHandled = (promise: Promise<unknown>) => {
    if (isOurs(promise)) record(`handled later`);
  };
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", onUnhandled);
  process.on("rejectionHandled", onHandled);

  let settled = false;
  let guardTimer: NodeJS.Timeout | undefined;
  arm(fileName, timeoutMs + WATCHDOG_GRACE_MS);
  try {
    const prelude = new vm.Script(PRELUDE, { filename: "harness-prelude.js" }).runInContext(context) as {
      start: (main: unknown, hooks: unknown) => void;
      ticker: typeof startTicker;
    };
    startTicker = prelude.ticker;
    try {
      new vm.Script(js, { filename: fileName }).runInContext(context);
    } catch (e) {
      record(`harness error: the program threw while loading: ${formatValue(e)}`);
      return { trace, outcome: "load-error" };
    }
    const main = vm.runInContext(`typeof main === "function" ? main : undefined`, context);
    const timedOut = new Promise<boolean>((resolve) => {
      guardTimer = setTimeout(() => resolve(true), timeoutMs);
    });
    const hooks = {
      adopt,
      ticks: TICKS,
      log: (line: string) => record(line),
      done(how: Outcome, what: string, ...values: unknown[]) {
        record([what, ...values.map(formatValue)].join(" "));
        outcome = how;
        settled = true;
        wake();
      },
    };
    prelude.start(main, hooks);
    for (;;) {
      if (settled && pending.size === 0) {
        // Let every microtask queued so far run (and unhandled rejections be reported).
        await new Promise<void>((r) => setImmediate(r));
        if (pending.size === 0) break;
        continue;
      }
      const progressed = new Promise<boolean>((resolve) => {
        wake = () => resolve(false);
      });
      if (await Promise.race([progressed, timedOut])) {
        record("timeout");
        outcome = "timeout";
        break;
      }
    }
    return { trace, outcome };
  } finally {
    disarm();
    finished = true;
    if (guardTimer) clearTimeout(guardTimer);
    for (const h of pending) {
      if (h.kind === "timeout") clearTimeout(h.id as NodeJS.Timeout);
      else clearImmediate(h.id as NodeJS.Immediate);
    }
    pending.clear();
    process.off("unhandledRejection", onUnhandled);
    process.off("rejectionHandled", onHandled);
    for (const l of savedUnhandled) process.on("unhandledRejection", l);
  }
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs an ES2022 script in a fresh context, one run at a time, and returns its trace. */
export function runProgram(js: string, fileName: string, options: { timeoutMs?: number; adoptThenable?: boolean } = {}): Promise<ProgramRun> {
  const run = queue.then(() => runProgramNow(js, fileName, options.timeoutMs ?? TIMEOUT_MS, options.adoptThenable));
  queue = run.catch(() => undefined);
  return run;
}

/** Runs the fixture as written (async functions native). */
export async function runNative(src: string, fileName: string): Promise<RunResult> {
  const js = transpileScript(src, fileName);
  return { ...(await runProgram(js, fileName)), js };
}

/** Runs the fixture after `transform(..., { runtime: "inline", profile })` (default: the development profile). */
export async function runCompiled(src: string, fileName: string, profile?: Profile): Promise<CompiledRunResult> {
  const result = transform(src, { fileName, runtime: "inline", profile });
  const js = transpileScript(result.code, fileName);
  return { ...(await runProgram(js, fileName)), js, result };
}

/**
 * Runs the fixture compiled in poll mode (`transform(..., { runtime: "inline", mode: "poll", profile })`):
 * `main()` returns a PollMachine, which the harness awaits (its first `then` spawns it on the
 * executor). Compare with `withoutTicks`: poll mode's tick counts are its documented difference.
 */
export async function runCompiledPoll(src: string, fileName: string, profile?: Profile): Promise<CompiledRunResult> {
  const result = transform(src, { fileName, runtime: "inline", mode: "poll", profile });
  const js = transpileScript(result.code, fileName);
  return { ...(await runProgram(js, fileName, { adoptThenable: true })), js, result };
}

/** A trace without the harness's microtask ticker lines (`tick 3`, `tick 2.7`). */
export function withoutTicks(trace: readonly string[]): string[] {
  return trace.filter((line) => !/^tick \d+(\.\d+)?$/.test(line));
}

/** The text snapshotted as `output.ts`. */
export function compileForSnapshot(src: string, fileName: string): string {
  return transform(src, { fileName, runtime: "import" }).code;
}
