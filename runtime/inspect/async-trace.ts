/**
 * Opt-in logical async stack traces through compiled machines. V8 appends `at async f (…)`
 * frames only for native `await`; a compiled machine resumes from a promise reaction, so an
 * error's stack stops at the machine that threw. With `enableAsyncStackTraces()`, each machine
 * an error propagates out of — one that was awaiting the rejected value and does not catch it —
 * appends the frame V8 would have written:
 *
 *     Error: card declined
 *         at charge$resume (dist/pay.js:40:23)
 *         …
 *         at async checkout (src/checkout.ts:18:5)      ← the await checkout was suspended at
 *         at async main (src/main.ts:7:3)
 *
 * The location is the await the machine was suspended at (`file:line:column` when the
 * transformer provided MachineInfo; otherwise the state, e.g. `state AwaitCharge_L18`).
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
import type { Machine } from "../machine";
import { awaitLocation, describeMachine, stateNameOf } from "./describe-machine";
import { setPanicHook } from "./hooks";

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
  const d = describeMachine(m);
  const frame: AsyncFrame = { function: d.name, state: stateNameOf(d, state), location: awaitLocation(d, state) };
  if (annotation === undefined) annotations.set(error, (annotation = { frames: [], tip: undefined }));
  annotation.frames.push(frame);
  annotation.tip = m.promise;
  // A machine compiled in the production profile has no state names or locations to give.
  const where = d.file !== undefined && frame.location !== undefined ? frame.location : d.source === "production" ? `profile "production": no location` : `state ${frame.state}`;
  const line = `\n    at async ${frame.function} (${where})`;
  try {
    const stack = (error as { stack?: unknown }).stack;
    if (typeof stack === "string" && Object.isExtensible(error)) (error as { stack: string }).stack = stack + line;
  } catch {
    // A stack that cannot be written (a frozen error, a throwing accessor) keeps its frames in asyncStackOf.
  }
}
