/**
 * Opt-in logical async stack traces through compiled machines. V8 appends `at async f (…)`
 * frames only for native `await`; a compiled machine resumes from a promise reaction, so an
 * error's stack stops at the machine that threw. With `enableAsyncStackTraces()`, each machine
 * an error propagates out of — one that was awaiting the rejected value and does not catch it —
 * appends the frame V8 would have written:
 *
 *     Error: card declined
 *         at charge (src/pay.ts:40:23)
 *         …
 *         at async checkout (src/checkout.ts:18:5)      ← the await checkout was suspended at
 *         at async main (src/main.ts:7:3)
 *
 * The location is the await the machine was suspended at (`file:line:column` when the
 * transformer provided MachineInfo; otherwise the state, e.g. `state AwaitCharge_L18`). The
 * function and the file are written as this program's own frames write them (see
 * `shownFrameOf`): with source maps on, `at async main (/home/me/app/src/main.ts:7:3)`, as V8.
 * `asyncStackOf(error)` returns the same frames as data.
 *
 * One propagation only, as V8: a native stack is fixed when the error is created, and V8's async
 * frames are those of the chain of awaiters at that moment; rethrowing the same error later adds
 * nothing. Here an error is annotated along the first chain of machines it leaves — each one
 * awaiting the promise of the machine that annotated it last — and not again afterwards: a
 * shared error (a sentinel `TIMEOUT` thrown on every retry) keeps the frames of its first trip
 * instead of gaining a line per trip. A chain ends where a machine awaited something else than
 * the previous machine's promise (a `Promise.race`, a native async function in between).
 *
 * Cost: nothing unless enabled (no hook installed); when enabled, only on the panic path.
 * Off in production unless the program enables it. Errors that are not extensible objects
 * (primitives, frozen errors) get no frames.
 */
import type { Machine, Resume } from "../machine";
import { awaitLocation, describeMachine, stateNameOf, type FunctionDescription } from "./describe-machine";
import { setPanicHook } from "./hooks";
import { learnDriverFrames, probeDrivers, ranWhenCreated, tidyStack } from "./runtime-frames";

export interface AsyncFrame {
  readonly function: string;
  readonly state: string;
  /** `file:line:column`, `line N`, or undefined. */
  readonly location: string | undefined;
}

/** An annotated error's frames, and the promise of the machine that added the last one. */
interface Annotation {
  readonly frames: AsyncFrame[];
  tip: unknown;
}

const annotations = new WeakMap<object, Annotation>();

export function enableAsyncStackTraces(): void {
  setPanicHook(onPanic, onThrowIn);
  probeDrivers();
}

export function disableAsyncStackTraces(): void {
  setPanicHook(undefined);
}

/** The logical async frames an error collected on its way out of compiled machines, outermost last. */
export function asyncStackOf(error: unknown): readonly AsyncFrame[] {
  return (typeof error === "object" && error !== null && annotations.get(error)?.frames) || [];
}

/**
 * The last rejection resumed into each machine, with what it awaited and at which state: a
 * machine that rethrows it after a `finally` or `catch` that awaited (so it is no longer the value
 * it was resumed with) still continues the error's chain, at the await it received it from.
 */
const received = new WeakMap<Machine, { error: unknown; awaited: unknown; state: number }>();

function onThrowIn(m: Machine, error: unknown, awaited: unknown): void {
  received.set(m, { error, awaited, state: m.s });
}

function onPanic(m: Machine, error: unknown, fromAwait: boolean, awaited: unknown): void {
  let state = m.s;
  // The stack without the runtime's frames (read here first, before a frame is added below).
  learnDriverFrames(onPanic, state < 3, typeof (m as { yield?: unknown }).yield === "function");
  tidyStack(error);
  if (!fromAwait) {
    const r = received.get(m);
    if (r === undefined || r.error !== error) return;
    awaited = r.awaited;
    state = r.state;
  }
  if (state < 3 || typeof error !== "object" || error === null) return;
  let annotation = annotations.get(error);
  // Already annotated: continue only the chain of the first trip (m awaited its last machine).
  if (annotation !== undefined && (awaited === undefined || awaited !== annotation.tip)) return;
  if (annotation === undefined) annotations.set(error, (annotation = { frames: [], tip: undefined }));
  // A machine that was running when the error was made (it started the function that threw
  // before its first await) has its frame in the stack already, as native's: it adds no `at
  // async` frame, and its awaiters continue the chain.
  if (fromAwait && ranWhenCreated(error, m.resume)) {
    annotation.tip = m.promise;
    return;
  }
  const d = describeMachine(m);
  const frame: AsyncFrame = { function: d.name, state: stateNameOf(d, state), location: awaitLocation(d, state) };
  annotation.frames.push(frame);
  annotation.tip = m.promise;
  const line = `\n    at async ${asyncFrameText(m, d, state, frame)}`;
  try {
    const stack = (error as { stack?: unknown }).stack;
    if (typeof stack === "string" && Object.isExtensible(error)) (error as { stack: string }).stack = stack + line;
  } catch {
    // A stack that cannot be written (a frozen error, a throwing accessor) keeps its frames in asyncStackOf.
  }
}

/** `main (/abs/src/main.ts:7:3)`, or `file:line:column` alone for an anonymous function, as V8 writes them. */
function asyncFrameText(m: Machine, d: FunctionDescription, state: number, frame: AsyncFrame): string {
  // A machine compiled in the production profile has no state names or locations to give.
  if (d.file === undefined || frame.location === undefined)
    return `${frame.function} (${d.source === "production" ? `profile "production": no location` : `state ${frame.state}`})`;
  const shown = shownFrameOf(m.resume);
  const at = d.awaits[state];
  // The position in the file this program's frames show for the machine, as they write it: the
  // file the transformer read (a .ts through a bundler's source map; the .js itself for
  // `async-machine compile` with source maps off), or the original file the input's source
  // map leads to (`compile` with source maps on). Else the file as the transformer named it.
  const original = at?.original;
  const position =
    shown === undefined || at?.column === undefined
      ? undefined
      : sameFile(shown.file, d.file)
        ? `${at.line}:${at.column}`
        : original !== undefined && sameFile(shown.file, original.file)
          ? `${original.line}:${original.column}`
          : undefined;
  // The frame's own name (what V8 prints for the function, frame-name.ts) when the file is the frame's.
  const name = position !== undefined ? shown!.name : frame.function;
  const where = position !== undefined ? `${shown!.file}:${position}` : frame.location;
  return name === "" ? where : `${name} (${where})`;
}

/**
 * Is `shown` (an absolute path or file: URL) the file the transformer named `file` (project-relative), or that a
 * source map names `file` (relative to the map: its leading `../` and `./` are dropped, and a `file:` URL compared whole)?
 */
function sameFile(shown: string, file: string): boolean {
  const path = shown.replace(/\\/g, "/");
  const named = file.replace(/\\/g, "/").replace(/^file:\/\//, "");
  return path === named || path.endsWith(`/${named.replace(/^(\.\.?\/)+/, "")}`);
}

/**
 * How a frame of `resume` reads in this program: its name and file, learned once per resume
 * function from a real frame. The resume function is called with a machine whose every property
 * read throws: its first statement reads the machine, so nothing of the function runs, and the
 * error's stack holds one frame of it, written as the program writes frames (through source
 * maps when they are on).
 */
const shownFrames = new WeakMap<Resume, { name: string; file: string } | null>();

function shownFrameOf(resume: Resume): { name: string; file: string } | undefined {
  let shown = shownFrames.get(resume);
  if (shown === undefined) {
    shown = probeFrame(resume) ?? null;
    shownFrames.set(resume, shown);
  }
  return shown ?? undefined;
}

function probeFrame(resume: Resume): { name: string; file: string } | undefined {
  const stop: { stack?: string } = {};
  const machine = new Proxy(
    {},
    {
      get: function probeRead(): never {
        Error.captureStackTrace(stop, probeRead);
        throw stop;
      },
    },
  ) as Machine;
  try {
    resume(machine, undefined, false);
  } catch (error) {
    if (error !== stop) return undefined;
  }
  const first = String(stop.stack ?? "").split("\n")[1];
  const frame = first === undefined ? null : /^\s+at (?:(.*?) \((.*):\d+:\d+\)|(.*):\d+:\d+)$/.exec(first);
  if (frame === null) return undefined;
  return { name: frame[1] ?? "", file: frame[2] ?? frame[3] };
}
