/**
 * Small helpers the generated code calls for the parts of a statement it had to take apart:
 * the iterator protocol of an exploded `for…of`, the key list of an exploded `for…in`, and the
 * temporal dead zone of `let`/`const` bindings the compiler moved into the machine.
 *
 * Each follows the ECMAScript abstract operation it names, so the observable behaviour (which
 * methods are read and called, in which order, which errors are thrown) is native's.
 */

/**
 * The value a hoisted `let`/`const` holds before its declaration runs. Declared, then exported,
 * so that `checkTdz` compares with the local binding, not a load from the exports object.
 */
const TDZ: unique symbol = Symbol("async-machine.tdz");
export { TDZ };

/** Reads a binding that may still be in its temporal dead zone. */
export function checkTdz<T>(value: T, name: string): T {
  if ((value as unknown) === TDZ) throw new ReferenceError(`Cannot access '${name}' before initialization`);
  return value;
}

/** Throws the TypeError native code throws on assignment to a `const`. */
export function constAssign(name: string): never {
  void name;
  throw new TypeError("Assignment to constant variable.");
}

/** `x = value` for a binding that may be in its dead zone: checks after the value is computed. */
export function assignChecked<T>(current: unknown, value: T, name: string): T {
  checkTdz(current, name);
  return value;
}

/** GetIterator(obj, sync): the iterator record `for…of` holds. */
export interface IteratorRecord {
  iterator: Iterator<unknown>;
  next: (...args: unknown[]) => unknown;
}

export function getIterator(obj: unknown): IteratorRecord {
  const method = (obj as { [Symbol.iterator]?: unknown } | null | undefined)?.[Symbol.iterator];
  if (typeof method !== "function") {
    throw new TypeError(`${describe(obj)} is not iterable`);
  }
  const iterator = method.call(obj);
  if (iterator === null || (typeof iterator !== "object" && typeof iterator !== "function")) {
    throw new TypeError("Result of the Symbol.iterator method is not an object");
  }
  return { iterator, next: iterator.next };
}

/** IteratorStep: the next result object, or `undefined` when done. */
export function iteratorStep(record: IteratorRecord): IteratorResult<unknown> | undefined {
  const result = record.next.call(record.iterator);
  if (result === null || (typeof result !== "object" && typeof result !== "function")) {
    throw new TypeError(`Iterator result ${String(result)} is not an object`);
  }
  return (result as IteratorResult<unknown>).done ? undefined : (result as IteratorResult<unknown>);
}

/**
 * IteratorClose, for a loop left early. On a throw completion the original error wins over
 * anything `return` does; otherwise an error from `return`, or a non-object result, is thrown.
 */
export function iteratorClose(record: IteratorRecord, isThrow: boolean): void {
  const iterator = record.iterator as Iterator<unknown> & { return?: unknown };
  if (isThrow) {
    try {
      const ret = iterator.return;
      if (ret !== undefined && ret !== null) (ret as Function).call(iterator);
    } catch {
      // The loop's own exception is the one that propagates.
    }
    return;
  }
  const ret = iterator.return;
  if (ret === undefined || ret === null) return;
  if (typeof ret !== "function") throw new TypeError("iterator.return is not a function");
  const result = ret.call(iterator);
  if (result === null || (typeof result !== "object" && typeof result !== "function")) {
    throw new TypeError(`Iterator result ${String(result)} is not an object`);
  }
}

/**
 * The keys an exploded `for…in` visits: enumerable string keys of the object and its prototype
 * chain, each once, in native order. A key deleted before it is reached is skipped (`forInHas`).
 */
export function forInKeys(obj: unknown): string[] {
  const keys: string[] = [];
  if (obj === null || obj === undefined) return keys;
  for (const key in obj as object) keys.push(key);
  return keys;
}

export function forInHas(obj: object, key: string): boolean {
  return key in obj;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return value.name ? `function ${value.name}` : "function";
  if (typeof value === "object" && value !== null) return "object";
  return String(value);
}

const arraySlice = Array.prototype.slice;
/** The rest parameter `...rest` starting at `index`. */
export function restArguments(args: ArrayLike<unknown>, index: number): unknown[] {
  return arraySlice.call(args, index);
}

const reflectApply = Reflect.apply;
const reflectConstruct = Reflect.construct;
const reflectOwnKeys = Reflect.ownKeys;
const defineProperty = Object.defineProperty;

/**
 * A call whose arguments hold an await: the callee and `this` were read before the await (as
 * native), the call happens now. A non-callable callee fails with native's message
 * (`o.m is not a function`), `text` being the callee's source.
 */
export function call(fn: unknown, thisArg: unknown, text: string, ...args: unknown[]): unknown {
  if (typeof fn !== "function") throw new TypeError(`${text} is not a function`);
  return reflectApply(fn, thisArg, args);
}

/** `new C(…)` whose arguments hold an await. */
export function construct(ctor: unknown, text: string, ...args: unknown[]): unknown {
  if (typeof ctor !== "function") throw new TypeError(`${text} is not a constructor`);
  try {
    return reflectConstruct(ctor, args);
  } catch (error) {
    // Reflect.construct's own message for a non-constructor differs from `new`'s.
    if (error instanceof TypeError && !isConstructor(ctor)) throw new TypeError(`${text} is not a constructor`);
    throw error;
  }
}

function isConstructor(f: Function): boolean {
  try {
    reflectConstruct(String, [], f);
    return true;
  } catch {
    return false;
  }
}

const arrayIterator = Array.prototype[Symbol.iterator];
const ArrayIteratorPrototype = Object.getPrototypeOf([][Symbol.iterator]()) as { next: unknown };
const arrayIteratorNext = ArrayIteratorPrototype.next;

/**
 * `...$am.spilled(values)`: the elements of a spread evaluated before an await (the source was
 * iterated then, into `values`), spread again without a second visible iteration. While the
 * array iterator is the built-in one, spreading the array itself is invisible (and fast);
 * otherwise the elements come from an iterator of its own.
 */
export function spilled(values: readonly unknown[]): Iterable<unknown> {
  if (Array.prototype[Symbol.iterator] === arrayIterator && ArrayIteratorPrototype.next === arrayIteratorNext) return values;
  let index = 0;
  const iterator = {
    next: (): IteratorResult<unknown> => (index < values.length ? { value: values[index++], done: false } : { value: undefined, done: true }),
  };
  return { [Symbol.iterator]: () => iterator };
}

/**
 * `[$am.checkedTarget(set).v] = …`: a destructuring target for a binding that may be in its
 * dead zone, or a const: the write goes through `set`, which checks first.
 */
export function checkedTarget(set: (value: unknown) => void): { v: unknown } {
  return {
    set v(value: unknown) {
      set(value);
    },
  } as { v: unknown };
}

/** The identity tag: `strings\`a${0}b\`` is the template strings object of that site. */
export function strings(template: TemplateStringsArray): TemplateStringsArray {
  return template;
}

/**
 * RequireObjectCoercible for `const { a } = value`, with V8's messages: it names the source
 * when the value is a plain identifier, and otherwise reports the first property read.
 */
export function requireDestructurable(value: unknown, firstKey: string, sourceName: string): void {
  if (value !== null && value !== undefined) return;
  const v = String(value);
  if (!firstKey) throw new TypeError(`Cannot destructure '${sourceName || v}' as it is ${v}.`);
  if (sourceName) throw new TypeError(`Cannot destructure property '${firstKey}' of '${sourceName}' as it is ${v}.`);
  throw new TypeError(`Cannot read properties of ${v} (reading '${firstKey}')`);
}

/**
 * ToPropertyKey, for a computed key evaluated before an await: ToPrimitive(key, string) — its
 * @@toPrimitive, else toString then valueOf — then a Symbol as is, anything else ToString. The
 * engine applies exactly this to the key of a computed property, so one is defined here.
 */
export function toPropertyKey(key: unknown): string | symbol {
  return reflectOwnKeys({ [key as PropertyKey]: undefined })[0];
}

/** The `...rest` of an object pattern: own enumerable properties not named before it. */
export function objectRest(source: object, excluded: PropertyKey[]): Record<PropertyKey, unknown> {
  const rest: Record<PropertyKey, unknown> = {};
  const skip = new Set(excluded.map((k) => (typeof k === "symbol" ? k : String(k))));
  for (const key of reflectOwnKeys(Object(source))) {
    if (skip.has(key)) continue;
    const desc = Object.getOwnPropertyDescriptor(source, key);
    if (!desc?.enumerable) continue;
    const value = (source as Record<PropertyKey, unknown>)[key as string];
    // CreateDataProperty: a "__proto__" key is an own property, not the prototype (and the
    // descriptor has no prototype, so nothing inherited reads as `get` or `set`).
    defineProperty(rest, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true } as PropertyDescriptor);
  }
  return rest;
}

/** An array pattern's iterator: the record plus whether it is done and the last value. */
export interface DestructuringRecord extends IteratorRecord {
  done: boolean;
  value: unknown;
}

export function destructuringIterator(obj: unknown): DestructuringRecord {
  return { ...getIterator(obj), done: false, value: undefined };
}

/**
 * One element of an array pattern: steps the iterator unless it is done and returns the value
 * (undefined once done). If `next()` throws, the record is already marked done, so the
 * pattern's error handler does not close it (IteratorBindingInitialization).
 */
export function destructuringStep(record: DestructuringRecord): unknown {
  if (record.done) return undefined;
  record.done = true;
  const result = iteratorStep(record);
  if (result === undefined) return undefined;
  record.done = false;
  return result.value;
}

/** `...rest` of an array pattern: the remaining values. */
export function destructuringRest(record: DestructuringRecord): unknown[] {
  const rest: unknown[] = [];
  while (!record.done) {
    const value = destructuringStep(record);
    if (!record.done) rest.push(value);
  }
  return rest;
}

/** Closes the pattern's iterator unless it is done (`isThrow`: on an error, whose own error wins). */
export function destructuringClose(record: DestructuringRecord, isThrow: boolean): void {
  if (!record.done) iteratorClose(record, isThrow);
}

const AsyncFunctionPrototype: object = Object.getPrototypeOf(async function () {});
const setPrototypeOf = Object.setPrototypeOf;

/**
 * Makes a compiled function's wrapper look like the async function it replaces: prototype
 * %AsyncFunction.prototype%, and the name it would have had (arrows lose inference when wrapped
 * in this call).
 */
export function asyncFunction<F extends Function>(fn: F, name?: string): F {
  setPrototypeOf(fn, AsyncFunctionPrototype);
  if (name !== undefined) defineProperty(fn, "name", { value: name, configurable: true });
  return fn;
}

const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;

/**
 * Gives compiled async methods the async-function shape (prototype %AsyncFunction.prototype%,
 * so `@@toStringTag` is "AsyncFunction"), once, right after the object literal or class that
 * defines them is created: `object[key]` for each key, read from its own data property (a later
 * accessor of the same name has replaced the method: nothing to do). Returns `object`.
 */
export function asyncMethods<O extends object>(object: O, ...keys: PropertyKey[]): O {
  for (let i = 0; i < keys.length; i++) {
    const method = getOwnPropertyDescriptor(object, keys[i])?.value;
    if (typeof method === "function") setPrototypeOf(method, AsyncFunctionPrototype);
  }
  return object;
}

/**
 * Where the parameters of a sloppy function with a mapped `arguments` live: those the call
 * passed alias `arguments[i]` (native mapping); the others are plain variables (`values`).
 */
export function parameterStore(args: ArrayLike<unknown>): { passed: number; values: unknown[] } {
  return { passed: args.length, values: [] };
}
