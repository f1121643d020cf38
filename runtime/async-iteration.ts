/**
 * The async iteration protocol of an exploded `for await…of` (transformer/lower/for-await.ts):
 * GetIterator(obj, async) — with CreateAsyncFromSyncIterator for sync iterables — the step's
 * result checks, and AsyncIteratorClose split around its await (the call of `return()` before,
 * the check of the awaited result after). The machine does the awaits itself, so each one
 * takes the ticks native code takes.
 *
 * User code may replace `Function.prototype.call` or `Promise.prototype.then`; nothing here goes
 * through them: functions are called through a captured `call`, and the adapter for sync
 * iterables waits with native `await`, as the engine's own adapter does (PromiseResolve, then
 * PerformPromiseThen — no `then` lookup, no species).
 */
import type { IteratorRecord } from "./helpers";

/** `callFn(f, thisArg, …args)`: Function.prototype.call as it was when the runtime loaded. */
const callFn = Function.prototype.call.bind(Function.prototype.call) as (fn: unknown, thisArg: unknown, ...args: unknown[]) => unknown;
const NativeTypeError = TypeError;
const asyncIteratorSymbol = Symbol.asyncIterator;
const iteratorSymbol = Symbol.iterator;

function isObject(x: unknown): x is object {
  return (typeof x === "object" && x !== null) || typeof x === "function";
}
function notAnObject(what: string, x: unknown): TypeError {
  return new NativeTypeError(`${what} ${typeof x === "symbol" ? "Symbol()" : String(x)} is not an object`);
}

/** GetMethod(obj, key): undefined for undefined or null, else a function (or a TypeError). */
function getMethod(obj: unknown, key: PropertyKey, what: string): unknown {
  const method = (obj as Record<PropertyKey, unknown>)[key];
  if (method === undefined || method === null) return undefined;
  if (typeof method !== "function") throw new NativeTypeError(`${what} is not a function`);
  return method;
}

/** GetIterator(obj, async): the record `for await` holds. */
export function getAsyncIterator(obj: unknown): IteratorRecord {
  if (obj === undefined || obj === null) throw new NativeTypeError(`${String(obj)} is not async iterable`);
  const method = getMethod(obj, asyncIteratorSymbol, "Symbol.asyncIterator");
  if (method === undefined) {
    const syncMethod = getMethod(obj, iteratorSymbol, "Symbol.iterator");
    if (syncMethod === undefined) throw new NativeTypeError("object is not async iterable");
    const syncIterator = callFn(syncMethod, obj);
    if (!isObject(syncIterator)) throw new NativeTypeError("Result of the Symbol.iterator method is not an object");
    const adapter = new AsyncFromSyncIterator(syncIterator, (syncIterator as { next: unknown }).next);
    return { iterator: adapter as unknown as Iterator<unknown>, next: adapterNext };
  }
  const iterator = callFn(method, obj);
  if (!isObject(iterator)) throw new NativeTypeError("Result of the Symbol.asyncIterator method is not an object");
  return { iterator: iterator as Iterator<unknown>, next: (iterator as { next: IteratorRecord["next"] }).next };
}

/** Call(next, iterator): what a `for await` step awaits. */
export function asyncIteratorNext(record: IteratorRecord): unknown {
  return callFn(record.next, record.iterator);
}

/** The awaited step result: a TypeError unless an object; then IteratorComplete (`done`). */
export function asyncIteratorDone(result: unknown): boolean {
  if (!isObject(result)) throw notAnObject("Iterator result", result);
  return !!(result as { done?: unknown }).done;
}

/**
 * AsyncIteratorClose up to its await: calls `return()` and hands back its result to await, or
 * the record itself when there is nothing to await (no `return`, or — on a throw completion,
 * where the loop's error wins — `return` could not be read or called).
 */
export function asyncIteratorReturn(record: IteratorRecord, isThrow: boolean): unknown {
  let ret: unknown;
  try {
    ret = (record.iterator as { return?: unknown }).return;
  } catch (error) {
    if (isThrow) return record;
    throw error;
  }
  return asyncIteratorReturnWith(record, ret, isThrow);
}

/** `asyncIteratorReturn` once `return` has been read (`ret`): checked, then called. */
export function asyncIteratorReturnWith(record: IteratorRecord, ret: unknown, isThrow: boolean): unknown {
  if (ret === undefined || ret === null) return record;
  if (typeof ret !== "function") {
    if (isThrow) return record;
    throw new NativeTypeError("iterator.return is not a function");
  }
  if (!isThrow) return callFn(ret, record.iterator);
  try {
    return callFn(ret, record.iterator);
  } catch {
    return record;
  }
}

/** AsyncIteratorClose after its await: the awaited result must be an object (unless throwing). */
export function asyncIteratorReturnResult(result: unknown, isThrow: boolean): void {
  if (!isThrow && !isObject(result)) throw notAnObject("Iterator result", result);
}

/**
 * %AsyncFromSyncIteratorPrototype% (CreateAsyncFromSyncIterator): a sync iterator seen as an
 * async one, with what `for await` calls — `next()` and `return()`, without arguments
 * (AsyncFromSyncIteratorContinuation in each). Each method's promise is an async function's,
 * and `await value` is the spec's PromiseResolve + PerformPromiseThen: a step settles on the
 * tick native's does (the result object returned is no thenable: no extra tick). A rejected
 * value does not close the sync iterator: the engine this runtime is measured against (V8 11)
 * behaves so.
 */
class AsyncFromSyncIterator {
  constructor(
    readonly syncIterator: object,
    readonly syncNext: unknown,
  ) {}

  async next(): Promise<IteratorResult<unknown>> {
    const result = callFn(this.syncNext, this.syncIterator);
    const done = asyncIteratorDone(result);
    return { value: await (result as { value?: unknown }).value, done } as IteratorResult<unknown>;
  }

  async return(): Promise<IteratorResult<unknown>> {
    const ret = getMethod(this.syncIterator, "return", "iterator.return");
    if (ret === undefined) return { value: undefined, done: true } as IteratorResult<unknown>;
    const result = callFn(ret, this.syncIterator);
    const done = asyncIteratorDone(result);
    return { value: await (result as { value?: unknown }).value, done } as IteratorResult<unknown>;
  }
}

const adapterNext = AsyncFromSyncIterator.prototype.next as IteratorRecord["next"];
