/**
 * Small helpers the generated code calls for the parts of a statement it had to take apart:
 * the iterator protocol of an exploded `for…of`, the key list of an exploded `for…in`, and the
 * temporal dead zone of `let`/`const` bindings the compiler moved into the machine.
 *
 * Each follows the ECMAScript abstract operation it names, so the observable behaviour (which
 * methods are read and called, in which order, which errors are thrown) is native's. Built-ins
 * are reached through references taken at load (primordials.ts), never through `.call`, `push`
 * or a global read when the helper runs: what user code patches, native code does not consult.
 */
import {
  ArrayPrototypeSlice,
  FunctionPrototypeBindTo,
  FunctionPrototypeCall,
  JSONStringify,
  ObjectCtor,
  ObjectDefineProperty,
  ObjectGetPrototypeOf,
  ObjectSetPrototypeOf,
  ReferenceErrorCtor,
  ProxyCtor,
  ReflectApply,
  ReflectConstruct,
  ReflectGetOwnPropertyDescriptor,
  ReflectOwnKeys,
  StringCtor,
  TypeErrorCtor,
  appendItem,
  uncurryThis,
} from "./primordials";

/**
 * The value a hoisted `let`/`const` holds before its declaration runs. Declared, then exported,
 * so that `checkTdz` compares with the local binding, not a load from the exports object.
 */
const TDZ: unique symbol = Symbol("async-machine.tdz");
export { TDZ };

/** Reads a binding that may still be in its temporal dead zone. */
export function checkTdz<T>(value: T, name: string): T {
  if ((value as unknown) === TDZ) throw new ReferenceErrorCtor(`Cannot access '${name}' before initialization`);
  return value;
}

/** Throws the TypeError native code throws on assignment to a `const`. */
export function constAssign(name: string): never {
  void name;
  throw new TypeErrorCtor("Assignment to constant variable.");
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

/**
 * `text`: the source as V8 prints it where V8 names it (`(intermediate value)`, `xs`, `o.xs`,
 * `f is not a function or its return value`); without it, V8's wording by the value's type.
 */
export function getIterator(obj: unknown, text?: string): IteratorRecord {
  const method = (obj as { [Symbol.iterator]?: unknown } | null | undefined)?.[Symbol.iterator];
  if (typeof method !== "function") {
    throw new TypeErrorCtor(text === undefined ? `${describeNonCallable(obj)} is not iterable (cannot read property Symbol(Symbol.iterator))` : `${text} is not iterable`);
  }
  const iterator = FunctionPrototypeCall(method, obj) as Iterator<unknown>;
  if (iterator === null || (typeof iterator !== "object" && typeof iterator !== "function")) {
    throw new TypeErrorCtor("Result of the Symbol.iterator method is not an object");
  }
  return { iterator, next: iterator.next as IteratorRecord["next"] };
}

/** IteratorStep: the next result object, or `undefined` when done. */
export function iteratorStep(record: IteratorRecord): IteratorResult<unknown> | undefined {
  const next = record.next;
  if (typeof next !== "function") throw new TypeErrorCtor(`${describeNonCallable(next)} is not a function`);
  const result = FunctionPrototypeCall(next, record.iterator);
  if (result === null || (typeof result !== "object" && typeof result !== "function")) {
    throw new TypeErrorCtor(`Iterator result ${StringCtor(result)} is not an object`);
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
      if (ret !== undefined && ret !== null) FunctionPrototypeCall(ret, iterator);
    } catch {
      // The loop's own exception is the one that propagates.
    }
    return;
  }
  const ret = iterator.return;
  if (ret === undefined || ret === null) return;
  if (typeof ret !== "function") throw new TypeErrorCtor("iterator.return is not a function");
  const result = FunctionPrototypeCall(ret, iterator);
  if (result === null || (typeof result !== "object" && typeof result !== "function")) {
    throw new TypeErrorCtor(`Iterator result ${StringCtor(result)} is not an object`);
  }
}

/**
 * An exploded `for…in` enumerates through the engine's own `for…in`, suspended in a generator
 * between keys: which keys are visited, in which order, which traps a Proxy sees and when (its
 * `ownKeys` and `getPrototypeOf` before the first key, a `getOwnPropertyDescriptor` as each key
 * is reached), and which keys deleted meanwhile are skipped are all native's, because it is
 * native. `forInNext` resumes it through `%GeneratorPrototype%.next` taken at load. (A machine
 * suspended inside such a loop holds the generator, so it cannot be snapshotted there: snapshot
 * refuses it with an InspectError saying so, runtime/inspect/serialize.ts.)
 */
export function* forInStart(obj: unknown): Generator<string, void, void> {
  for (const key in obj as object) yield key;
}
const GeneratorPrototypeNext: (generator: Generator<string, void, void>) => IteratorResult<string, void> = /* @__PURE__ */ (() =>
  uncurryThis((ObjectGetPrototypeOf(forInStart.prototype) as Generator<string, void, void>).next))();

/** The next key of an exploded `for…in`, or `undefined` when there is none (the generator returns nothing). */
export function forInNext(keys: Generator<string, void, void>): string | undefined {
  return GeneratorPrototypeNext(keys).value as string | undefined;
}

/** How V8 names a value by its type (`number 1 is not a function`, `object null is not iterable …`). */
function describeNonCallable(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "object null";
  switch (typeof value) {
    case "number":
    case "boolean":
      return `${typeof value} ${StringCtor(value)}`;
    case "string":
      return `string ${JSONStringify(value)}`;
    default:
      return typeof value;
  }
}

/** The rest parameter `...rest` starting at `index`. */
export function restArguments(args: ArrayLike<unknown>, index: number): unknown[] {
  return ArrayPrototypeSlice(args, index);
}

/**
 * A call whose arguments hold an await: the callee and `this` were read before the await (as
 * native), the arguments are evaluated, then the callee is checked — a non-callable one fails
 * with native's message (`o.m is not a function`), `text` being the callee's source — and called:
 * `$am.reflectApply(fn, thisArg, $am.callArgs(fn, text, [args]))`. Reflect.apply leaves no stack
 * frame, and this check has returned by then: a stack trace taken in the callee reads as native.
 */
export function callArgs(fn: unknown, text: string, args: unknown[]): unknown[] {
  if (typeof fn !== "function") throw new TypeErrorCtor(`${text} is not a function`);
  return args;
}

/**
 * `super.m(args)` in kept code: the method is called with `thisArg` through Reflect.apply taken
 * at load, so neither an own `call` of the method nor a patched Function.prototype.call is
 * consulted (as natively); a non-callable method fails with native's message, `text` naming it.
 */
export function call(fn: unknown, thisArg: unknown, text: string, ...args: unknown[]): unknown {
  if (typeof fn !== "function") throw new TypeErrorCtor(`${text} is not a function`);
  return ReflectApply(fn, thisArg, args);
}

/**
 * `super.m?.(args)` in kept code: `$am.superCallee($m.h("m"), $m.t, text)?.(args)`. Undefined when
 * the method is null or undefined (the chain short-circuits, its arguments unevaluated, as
 * natively); otherwise the method bound to `thisArg` by the built-in `bind` taken at load, so
 * neither an own `call` of the method nor a patched Function.prototype.call is consulted. A
 * method that is not callable fails when called — after its arguments, as native — with
 * native's message, `text` naming it.
 */
export function superCallee(fn: unknown, thisArg: unknown, text: string): ((...args: unknown[]) => unknown) | undefined {
  if (fn === null || fn === undefined) return undefined;
  if (typeof fn !== "function") {
    return () => {
      throw new TypeErrorCtor(`${text} is not a function`);
    };
  }
  return FunctionPrototypeBindTo(fn, thisArg) as (...args: unknown[]) => unknown;
}

/** Reflect.apply and Reflect.construct as they were at load, for generated code (no frame of their own). */
export const reflectApply = ReflectApply;
export const reflectConstruct = ReflectConstruct;

/** `new C(…)` whose arguments hold an await: `$am.reflectConstruct(C, $am.constructArgs(C, text, [args]))`. */
export function constructArgs(ctor: unknown, text: string, args: unknown[]): unknown[] {
  if (typeof ctor !== "function" || !isConstructor(ctor)) throw new TypeErrorCtor(`${text} is not a constructor`);
  return args;
}

/**
 * IsConstructor, consulting nothing of `f`: a proxy of `f` has [[Construct]] exactly when `f`
 * has, and its `construct` trap (this module's) runs instead of `f`.
 */
function isConstructor(f: Function): boolean {
  try {
    new (new ProxyCtor(f, CONSTRUCT_PROBE) as new () => object)();
    return true;
  } catch {
    return false;
  }
}
const CONSTRUCT_PROBE: ProxyHandler<Function> = { __proto__: null, construct: () => CONSTRUCT_PROBE } as ProxyHandler<Function>;

// Taken at load inside functions marked `@__PURE__`: a bundle of a program that never calls
// `spilled` drops them (a bare property read at the top of a module is kept as a possible effect).
const arrayIterator = /* @__PURE__ */ (() => Array.prototype[Symbol.iterator])();
const ArrayIteratorPrototype = /* @__PURE__ */ (() => ObjectGetPrototypeOf([][Symbol.iterator]()) as { next: unknown })();
const arrayIteratorNext = /* @__PURE__ */ (() => ArrayIteratorPrototype.next)();

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
 * `[...$am.spreadable(v, text, form)]`: the operand of a spread the lowering took apart (or the
 * value of an array pattern), checked as the engine checks it and failing with the engine's
 * message, which the operand as rewritten (`$v`, a temporary) would not give: `form` 0 an array
 * literal's spread or a declaration's array pattern (`text is not iterable`, `text` the source as
 * V8 prints it); 1 a call's only spread, its last argument; 2 any other spread argument (V8 names
 * the value by its type there). Its @@iterator is read once, here, and called when the spread
 * iterates.
 *
 * Nothing is allocated for that: the value and its method wait in two module variables, and the
 * one `handOver` object's @@iterator takes them. The spread (or pattern) that consumes the result
 * asks for its iterator right after this returns, before any user code can run, so no other
 * call can come in between.
 */
export function spreadable(value: unknown, text: string, form: 0 | 1 | 2): Iterable<unknown> {
  const method = value === null || value === undefined ? undefined : (value as { [Symbol.iterator]: unknown })[Symbol.iterator];
  if (typeof method !== "function") throw new TypeErrorCtor(notSpreadableMessage(value, text, form));
  pendingValue = value;
  pendingMethod = method;
  return handOver;
}
let pendingValue: unknown;
let pendingMethod: unknown;
/** The iterable `spreadable` returns: its @@iterator calls the method read there, on its value. */
const handOver: Iterable<unknown> = /* @__PURE__ */ (() => ({ __proto__: null, [Symbol.iterator]: takeIterator }) as unknown as Iterable<unknown>)();
function takeIterator(): Iterator<unknown> {
  const value = pendingValue;
  const method = pendingMethod;
  // Dropped before the call: the handed-over value is not kept alive, and a spread inside the
  // method (a nested `spreadable`) starts from nothing.
  pendingValue = pendingMethod = undefined;
  return FunctionPrototypeCall(method, value) as Iterator<unknown>;
}
/** V8's message for a spread (or an array pattern) of a value that is not iterable: see `spreadable`. */
function notSpreadableMessage(value: unknown, text: string, form: 0 | 1 | 2): string {
  if (form === 0) return `${text} is not iterable`;
  if (form === 2) return `${describeNonCallable(value)} is not iterable (cannot read property Symbol(Symbol.iterator))`;
  return value === null || value === undefined
    ? `${text} is not iterable (cannot read property ${StringCtor(value)})`
    : "Spread syntax requires ...iterable[Symbol.iterator] to be a function";
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
  const v = StringCtor(value);
  if (!firstKey) throw new TypeErrorCtor(`Cannot destructure '${sourceName || v}' as it is ${v}.`);
  if (sourceName) throw new TypeErrorCtor(`Cannot destructure property '${firstKey}' of '${sourceName}' as it is ${v}.`);
  throw new TypeErrorCtor(`Cannot read properties of ${v} (reading '${firstKey}')`);
}

/**
 * ToPropertyKey, for a computed key evaluated before an await: ToPrimitive(key, string) — its
 * @@toPrimitive, else toString then valueOf — then a Symbol as is, anything else ToString. The
 * engine applies exactly this to the key of a computed property, so one is defined here.
 */
export function toPropertyKey(key: unknown): string | symbol {
  return ReflectOwnKeys({ [key as PropertyKey]: undefined })[0];
}

/** The `...rest` of an object pattern: own enumerable properties not named before it. */
export function objectRest(source: object, excluded: PropertyKey[]): Record<PropertyKey, unknown> {
  const rest: Record<PropertyKey, unknown> = {};
  const from = ObjectCtor(source) as Record<PropertyKey, unknown>;
  const keys = ReflectOwnKeys(from);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (isExcluded(key, excluded)) continue;
    // [[GetOwnProperty]] as CopyDataProperties does it (a Proxy sees the same traps).
    const desc = ReflectGetOwnPropertyDescriptor(from, key);
    if (desc === undefined || !desc.enumerable) continue;
    const value = from[key as string];
    // CreateDataProperty: a "__proto__" key is an own property, not the prototype (and the
    // descriptor has no prototype, so nothing inherited reads as `get` or `set`).
    ObjectDefineProperty(rest, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true } as PropertyDescriptor);
  }
  return rest;
}

/** Whether `key` is one of the names an object pattern bound before its rest (compared as property keys). */
function isExcluded(key: string | symbol, excluded: readonly PropertyKey[]): boolean {
  for (let i = 0; i < excluded.length; i++) {
    const name = excluded[i];
    if ((typeof name === "symbol" ? name : StringCtor(name)) === key) return true;
  }
  return false;
}

/** An array pattern's iterator: the record plus whether it is done and the last value. */
export interface DestructuringRecord extends IteratorRecord {
  done: boolean;
  value: unknown;
}

export function destructuringIterator(obj: unknown, text?: string): DestructuringRecord {
  return { ...getIterator(obj, text), done: false, value: undefined };
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
    if (!record.done) appendItem(rest, value);
  }
  return rest;
}

/** Closes the pattern's iterator unless it is done (`isThrow`: on an error, whose own error wins). */
export function destructuringClose(record: DestructuringRecord, isThrow: boolean): void {
  if (!record.done) iteratorClose(record, isThrow);
}

const AsyncFunctionPrototype: object = ObjectGetPrototypeOf(async function () {});

/**
 * Makes a compiled function's wrapper look like the async function it replaces: prototype
 * %AsyncFunction.prototype%. Given its resume function, also names that (`named`) as the wrapper
 * is named: one call where a declaration's wrapper is swapped in, not a second statement beside
 * it. (The wrapper has its name already: a method's key, or a property's for an arrow.)
 *
 * The wrapper comes as a function, or held by an object literal that defines it under its name
 * (`{ f(a) { … } }`, `{ arrow: (a) => … }`): the object's one own property, which for-in visits
 * first — the generated code need not spell the name a second time to read it.
 */
export function asyncFunction<F extends Function>(wrapper: F | { readonly [name: string]: F }, resume?: Function): F {
  const fn = wrapper as F;
  if (typeof wrapper !== "function") for (const key in wrapper) return asyncFunction(wrapper[key], resume);
  ObjectSetPrototypeOf(fn, AsyncFunctionPrototype);
  if (resume !== undefined) named(resume, fn.name);
  return fn;
}

/**
 * Gives a resume function the name its stack frames show (`FileStore.validate` rather than
 * `FileStore_validate$resume`; transformer/emit/frame-name.ts). Called once where the resume
 * function is defined, never per call: V8 reads the `name` data property when it prints a frame.
 */
export function named(resume: Function, name: string): void {
  // The function's own `name` is configurable; the attributes left out keep their values.
  ObjectDefineProperty(resume, "name", { __proto__: null, value: name } as PropertyDescriptor);
}

/**
 * Gives compiled async methods the async-function shape (prototype %AsyncFunction.prototype%,
 * so `@@toStringTag` is "AsyncFunction"), once, right after the object literal or class that
 * defines them is created: `object[key]` for each key, read from its own data property (a later
 * accessor of the same name has replaced the method: nothing to do). Returns `object`.
 *
 * A key followed by a function is an async generator method's: the method is handed to that
 * function instead (`($f) => g$self = $am.asyncGeneratorFunction($f)`, which shapes it and keeps
 * it where its wrapper reads itself; transformer/emit/method-shape.ts).
 */
export function asyncMethods<O extends object>(object: O, ...keys: (PropertyKey | ((method: Function) => unknown))[]): O {
  for (let i = 0; i < keys.length; i++) {
    const method = ReflectGetOwnPropertyDescriptor(object, keys[i] as PropertyKey)?.value;
    const take = keys[i + 1];
    if (typeof take === "function") {
      i++;
      if (typeof method === "function") take(method);
    } else if (typeof method === "function") ObjectSetPrototypeOf(method, AsyncFunctionPrototype);
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
