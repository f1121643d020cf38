/**
 * The built-ins the runtime calls, captured once when it loads (Node.js core's "primordials").
 * User code may replace `Function.prototype.call`, `Array.prototype.push`, `Set.prototype.has`,
 * `Promise.prototype.then`, a global such as `TypeError`, or define a setter on
 * `Array.prototype[0]`; native async functions are not affected by any of that, so a compiled one
 * must not be either. The runtime therefore never reads a method from an object user code can
 * reach at the time it calls it: it calls these references, and builds arrays with literals or
 * `appendItem` (a define, never a [[Set]] that could meet a setter on the prototype chain).
 *
 * `uncurryThis(f)(self, …args)` is `f.call(self, …args)` without reading `call` again: it is
 * `Function.prototype.call` bound to `f`, both taken here.
 */
const FunctionPrototype = Function.prototype;
const { bind: FunctionPrototypeBind, call: FunctionPrototypeCallIntrinsic } = FunctionPrototype;

/** `uncurryThis(Array.prototype.slice)(array, 1)` is `array.slice(1)` through the built-in. */
export const uncurryThis: <T, A extends unknown[], R>(fn: (this: T, ...args: A) => R) => (self: T, ...args: A) => R = FunctionPrototypeBind.bind(
  FunctionPrototypeCallIntrinsic,
) as never;

/**
 * `uncurryMethod(Array, "slice")` is `uncurryThis(Array.prototype.slice)`, written so that a
 * bundler can drop a primordial nobody imports: a call marked `@__PURE__` whose arguments are a
 * global and a string is free of effects, while an argument that reads a property is not.
 */
function uncurryMethod(ctor: { prototype: object }, name: string): never {
  return uncurryThis((ctor.prototype as Record<string, (this: unknown, ...args: unknown[]) => unknown>)[name]) as never;
}

/** `FunctionPrototypeCall(f, self, …args)`: calls `f` with `this` = `self`, without reading `f.call`. */
export const FunctionPrototypeCall: (fn: unknown, self: unknown, ...args: unknown[]) => unknown = uncurryThis(FunctionPrototypeCallIntrinsic as never) as never;
/** `FunctionPrototypeBindTo(f, self)`: `f.bind(self)` through the built-in, without reading `f.bind`. */
export const FunctionPrototypeBindTo: (fn: unknown, self: unknown) => unknown = /* @__PURE__ */ uncurryThis(FunctionPrototypeBind as never) as never;
export const FunctionPrototypeToString: (fn: unknown) => string = /* @__PURE__ */ uncurryMethod(Function, "toString");

export const ReflectApply = Reflect.apply;
export const ReflectConstruct = Reflect.construct;
export const ProxyCtor = Proxy;
export const ReflectOwnKeys = Reflect.ownKeys;
export const ReflectDefineProperty = Reflect.defineProperty;
export const ReflectGetOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
export const ReflectGetPrototypeOf = Reflect.getPrototypeOf;
export const ReflectSetPrototypeOf = Reflect.setPrototypeOf;

export const ObjectCreate = Object.create;
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectFreeze = Object.freeze;
export const ObjectGetPrototypeOf = Object.getPrototypeOf;
export const ObjectSetPrototypeOf = Object.setPrototypeOf;
export const ObjectCtor = Object;

export const ArrayPrototypeSlice: (array: ArrayLike<unknown>, start?: number, end?: number) => unknown[] = /* @__PURE__ */ uncurryMethod(Array, "slice");
/** Array.prototype.toReversed (ES2023): a new array made with ArrayCreate and CreateDataProperty — no species, no [[Set]]. */
export const ArrayPrototypeToReversed: (array: unknown[]) => unknown[] = /* @__PURE__ */ uncurryMethod(Array, "toReversed");

export const StringCtor = String;
export const JSONStringify = JSON.stringify;

export const NativePromise = Promise;
export const PromisePrototypeThen: (
  promise: Promise<unknown>,
  onFulfilled?: ((value: unknown) => unknown) | undefined,
  onRejected?: (error: unknown) => unknown,
) => Promise<unknown> = /* @__PURE__ */ uncurryMethod(Promise, "then");
export const PromisePrototypeFinally: (promise: Promise<unknown>, onFinally?: (() => void) | null) => Promise<unknown> = /* @__PURE__ */ uncurryMethod(Promise, "finally");
const promiseResolve = uncurryThis(Promise.resolve as (this: PromiseConstructor, value: unknown) => Promise<unknown>);
const promiseReject = uncurryThis(Promise.reject as (this: PromiseConstructor, error: unknown) => Promise<unknown>);
/** `Promise.resolve(value)` of the built-in Promise. */
export function PromiseResolve(value: unknown): Promise<unknown> {
  return promiseResolve(NativePromise, value);
}
/** `Promise.reject(error)` of the built-in Promise. */
export function PromiseReject(error: unknown): Promise<unknown> {
  return promiseReject(NativePromise, error);
}

export const WeakMapPrototypeGet: <K extends object, V>(map: WeakMap<K, V>, key: K) => V | undefined = /* @__PURE__ */ uncurryMethod(WeakMap, "get");
export const WeakMapPrototypeSet: <K extends object, V>(map: WeakMap<K, V>, key: K, value: V) => WeakMap<K, V> = /* @__PURE__ */ uncurryMethod(WeakMap, "set");

export const TypeErrorCtor = TypeError;
export const ReferenceErrorCtor = ReferenceError;

const ArrayFrom = Array.from;
/**
 * A new packed array of `length` elements `undefined`: `Array.from` of a null-prototype
 * array-like (ArrayCreate and CreateDataProperty), so no setter on `Array.prototype` is reached
 * and no method user code can replace is read. Stores into it then meet own properties only.
 * (`new Array(n)` is holey: a store into a hole is a [[Set]] that walks the prototype chain, so
 * is `fill`.)
 */
export function newArray<T>(length: number): T[] {
  return ArrayFrom({ __proto__: null, length } as unknown as ArrayLike<T>);
}

/**
 * Appends `value` to an array the runtime owns, as CreateDataProperty does: an own data property
 * at index `length`, whatever `Array.prototype` holds (a setter on `Array.prototype[0]` is never
 * called, a patched `push` never consulted).
 */
export function appendItem(array: unknown[], value: unknown): void {
  ReflectDefineProperty(array, array.length, { __proto__: null, value, writable: true, enumerable: true, configurable: true } as PropertyDescriptor);
}
