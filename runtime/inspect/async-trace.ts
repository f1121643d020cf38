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

const framesOf = new WeakMap<object, AsyncFrame[]>();

export function enableAsyncStackTraces(): void {
  setPanicHook(onPanic);
}

export function disableAsyncStackTraces(): void {
  setPanicHook(undefined);
}

/** The logical async frames an error collected on its way out of compiled machines, outermost last. */
export function asyncStackOf(error: unknown): readonly AsyncFrame[] {
  return (typeof error === "object" && error !== null && framesOf.get(error)) || [];
}

function onPanic(m: Machine, error: unknown, fromAwait: boolean): void {
  if (!fromAwait || m.s < 3 || typeof error !== "object" || error === null) return;
  const d = describeMachine(m);
  const frame: AsyncFrame = { function: d.name, state: stateNameOf(d, m.s), location: awaitLocation(d, m.s) };
  let frames = framesOf.get(error);
  if (frames === undefined) framesOf.set(error, (frames = []));
  frames.push(frame);
  const where = d.file !== undefined && frame.location !== undefined ? frame.location : `state ${frame.state}`;
  const line = `\n    at async ${frame.function} (${where})`;
  try {
    const stack = (error as { stack?: unknown }).stack;
    if (typeof stack === "string" && Object.isExtensible(error)) (error as { stack: string }).stack = stack + line;
  } catch {
    // A stack that cannot be written (a frozen error, a throwing accessor) keeps its frames in asyncStackOf.
  }
}
