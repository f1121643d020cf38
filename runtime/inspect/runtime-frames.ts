/**
 * Leaves the runtime's own frames out of the stack of an error that leaves a compiled function,
 * so that it reads as native's (part of `enableAsyncStackTraces()`, async-trace.ts). A compiled
 * function resumed after an await is called by the runtime's driver (`drive`, `Machine.step` and
 * the reaction that calls it), and one started before its first await by `Machine.run` under
 * `start…`, itself under the function's wrapper: V8 writes a frame for each, where a native
 * function shows only its own frame (and its callers', before its first await).
 *
 * The error's stack is formatted once, when first read: the first machine the error leaves
 * (where the runtime's hook sees it) reads it with a formatter that drops those frames and then
 * hands the rest to the formatter the program has (Node's own, which maps them through source
 * maps when these are on, or one the program installed), so every kept frame is written as the
 * program writes frames. A stack already read before (the program logged it) stays as it was.
 *
 * Frames are told apart by their function: the script and the position of the function that
 * holds them (the same for every call, wherever it stands in the script, so this works inside a
 * bundle too). The runtime learns its drivers' functions from real stacks: once from a probe
 * machine when traces are enabled, and again at each panic, whose own stack runs through the
 * driver that called the machine (and, for a start, through the `start…` function below it and
 * the wrapper below that).
 *
 * Cost: only when async stack traces are enabled, and only on the panic path.
 */
import { Machine, type Resume } from "../machine";

/** A V8 call site, as much as is read here. */
interface CallSite {
  getFileName(): string | null | undefined;
  getFunctionName(): string | null;
  getEnclosingLineNumber?(): number | null;
  getEnclosingColumnNumber?(): number | null;
  isAsync?(): boolean;
}

type Format = (error: Error, sites: CallSite[]) => unknown;

/** The driver's functions (by `keyOf`): their frames, sync or `at async`, are left out. */
const runtimeFunctions = new Set<string>();
/** The `start…` functions a wrapper calls: the frame below one of theirs is the wrapper's, left out too. */
const startFunctions = new Set<string>();
/** Errors whose stack was formatted here (or found formatted): each is looked at once. */
const tidied = new WeakSet<object>();
/** The functions of the synchronous frames of each error formatted here (by `keyOf`). */
const createdIn = new WeakMap<object, Set<string>>();
/** The function of each resume function's frames (by `keyOf`), learned once; null where the engine gives no frame. */
const resumeKeys = new WeakMap<Resume, string | null>();

/** The function a frame runs in: its script and where it starts there (or its name, where V8 does not say). */
function keyOf(site: CallSite): string {
  const line = site.getEnclosingLineNumber?.();
  const column = site.getEnclosingColumnNumber?.();
  return line == null || column == null ? `${site.getFileName()}\0${site.getFunctionName()}` : `${site.getFileName()}\0${line}:${column}`;
}

const isAsyncSite = (site: CallSite): boolean => site.isAsync?.() === true;

/** The frames of the current stack below `below`'s, as call sites (none where the engine gives none). */
function callSitesBelow(below: (...args: never[]) => unknown): CallSite[] {
  const holder: { stack?: unknown } = {};
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, sites) => sites;
  try {
    Error.captureStackTrace(holder, below);
    const sites = holder.stack;
    return Array.isArray(sites) ? (sites as CallSite[]) : [];
  } catch {
    return [];
  } finally {
    Error.prepareStackTrace = previous;
  }
}

/**
 * Learns the driver's functions from the stack of a panic, taken in the hook: the frames below it
 * are `Machine.panic`, the driver that called the machine, and what called the driver. `started`:
 * the machine panicked before its first await, so the driver is `Machine.run`, under a `start…`
 * function under the wrapper; otherwise it was resumed from a promise reaction (by `drive`, or by
 * `Machine.step` under the reaction: see `resumedBy`). `generator`: an async generator's step,
 * whose callers are not known here.
 */
export function learnDriverFrames(hook: (...args: never[]) => unknown, started: boolean, generator: boolean): void {
  const sites = callSitesBelow(hook);
  const sync = sites.filter((site) => !isAsyncSite(site));
  const runtime = generator ? sync.slice(0, 2) : started ? sync.slice(0, 3) : resumedBy(sync);
  for (const site of runtime) runtimeFunctions.add(keyOf(site));
  if (started && !generator && sync.length > 2) startFunctions.add(keyOf(sync[2]));
}

/**
 * The runtime's frames of a machine resumed from a promise reaction: `Machine.panic`, the driver,
 * and below it the frames in the driver's script (the reaction that calls `Machine.step`). What
 * runs the reaction (Node's `processTicksAndRejections`) is shown for a native function too.
 */
function resumedBy(sync: CallSite[]): CallSite[] {
  let end = Math.min(2, sync.length);
  while (end < sync.length && sync[end].getFileName() === sync[1].getFileName()) end++;
  return sync.slice(0, end);
}

/**
 * Learns `Machine.run`, `Machine.step` with the reaction that calls it, and `drive` at once, from
 * a machine of the runtime's own that waits on a primitive, then on an object, then returns: the
 * first error to panic may come from a function started by another one the driver resumed.
 */
export function probeDrivers(): void {
  const probe: Resume = function probeDriver(m: Machine): unknown {
    const sites = callSitesBelow(probeDriver).filter((site) => !isAsyncSite(site));
    if (m.s === 0) {
      if (sites.length > 0) runtimeFunctions.add(keyOf(sites[0]));
      m.s = 3;
      return m.await(0);
    }
    for (const site of sites) if (site.getFileName() === sites[0].getFileName()) runtimeFunctions.add(keyOf(site));
    if (m.s === 3) {
      m.s = 4;
      // An object (so `drive` resumes it) whose `then` lookup meets nothing user code can patch.
      return m.await({ __proto__: null });
    }
    return m.ret(undefined);
  };
  void new Machine(probe, [], undefined, undefined, undefined, undefined, undefined).run();
}

/** V8's own stack text, where the engine has no formatter of its own to hand the frames to. */
const v8Format: Format = (error, sites) => {
  let text: string;
  try {
    text = Error.prototype.toString.call(error);
  } catch {
    text = "<error>";
  }
  return sites.length === 0 ? text : `${text}\n    at ${sites.join("\n    at ")}`;
};

/** The runtime's call helpers, as a bundle's source map may name a call of theirs (below). */
const CALL_HELPER = /^ {4}at (?:reflectApply|reflectConstruct) \(/;

/**
 * Node names a frame, through a source map, by the name the map gives the call in the frame below
 * when the function's own start has none: a call the compiled code makes through the runtime's
 * `Reflect.apply` (`super.m(…)`, a call whose arguments await) is named `reflectApply` in a bundle
 * that renamed the runtime's export (esbuild records the name it renamed). Such a frame is written
 * as it is alone, named as V8 names it, as native's is (its file, line and column do not change).
 */
function namedAsNative(stack: unknown, error: Error, sites: CallSite[], format: Format): unknown {
  if (typeof stack !== "string") return stack;
  const lines = stack.split("\n");
  const first = lines.length - sites.length;
  // One line per frame, last: how Node writes them (a formatter of the program's may not).
  if (first < 0 || !lines.slice(first).every((line) => line.startsWith("    at "))) return stack;
  let renamed = false;
  for (let i = 0; i < sites.length - 1; i++) {
    if (!CALL_HELPER.test(lines[first + i])) continue;
    const alone = format(error, [sites[i]]);
    if (typeof alone !== "string") continue;
    lines[first + i] = alone.slice(alone.lastIndexOf("\n") + 1);
    renamed = true;
  }
  return renamed ? lines.join("\n") : stack;
}

/**
 * Formats `error`'s stack (if nothing has yet) without the runtime's frames. Where the program's
 * frames go through source maps that only Node's own formatter applies and Node does not expose
 * it (`Error.prepareStackTrace` unset, as in older versions), the stack is left to Node, frames and all.
 */
export function tidyStack(error: unknown): void {
  if (typeof error !== "object" || error === null || tidied.has(error)) return;
  tidied.add(error);
  const previous: unknown = Error.prepareStackTrace;
  if (typeof previous !== "function" && (globalThis as { process?: { sourceMapsEnabled?: boolean } }).process?.sourceMapsEnabled === true) return;
  const format = typeof previous === "function" ? (previous as Format) : v8Format;
  Error.prepareStackTrace = function withoutRuntimeFrames(thrown: Error, sites: CallSite[]): unknown {
    Error.prepareStackTrace = previous as typeof Error.prepareStackTrace;
    createdIn.set(error, new Set(sites.filter((site) => !isAsyncSite(site)).map(keyOf)));
    const kept: CallSite[] = [];
    let belowStart = false;
    for (const site of sites) {
      const key = keyOf(site);
      const wrapper = belowStart && !isAsyncSite(site);
      belowStart = startFunctions.has(key);
      if (!wrapper && !runtimeFunctions.has(key)) kept.push(site);
    }
    return namedAsNative(format(thrown, kept), thrown, kept, format);
  };
  try {
    void (error as { stack?: unknown }).stack;
  } catch {
    // A stack that cannot be read is left as it is.
  } finally {
    Error.prepareStackTrace = previous as typeof Error.prepareStackTrace;
  }
}

/**
 * Whether a frame of `resume` stood in `error`'s stack when it was made (as formatted here): the
 * machine was running then, so its frame is there already. A resume function's frame is learned
 * once, from a call with a machine whose first property read captures the stack and throws (its
 * first statement reads the machine, so nothing of the function runs).
 */
export function ranWhenCreated(error: unknown, resume: Resume): boolean {
  const functions = typeof error === "object" && error !== null ? createdIn.get(error) : undefined;
  if (functions === undefined) return false;
  let key = resumeKeys.get(resume);
  if (key === undefined) {
    key = null;
    const stop = {};
    const machine = new Proxy(
      {},
      {
        get: function probeResume(): never {
          const sites = callSitesBelow(probeResume);
          if (sites.length > 0) key = keyOf(sites[0]);
          throw stop;
        },
      },
    ) as Machine;
    try {
      resume(machine, undefined, false);
    } catch {
      // `stop`, or whatever the function threw before reading the machine: no frame learned.
    }
    resumeKeys.set(resume, key);
  }
  return key !== null && functions.has(key);
}
