/**
 * Live values to JSON-compatible data and back, for snapshots (snapshot.ts).
 *
 * In:  a value, and a path naming where it sits (`order.items[2]`) for error messages.
 * Out: JSON data. Plain values stay as they are (strings, booleans, finite numbers, null, arrays,
 *      plain objects); everything else is a tagged object `{ "$": tag, … }`:
 *
 *     undefined  { "$": "undefined" }            -0, NaN, ±Infinity  { "$": "number", "v": "NaN" }
 *     bigint     { "$": "bigint", "v": "12" }      Date    { "$": "date", "v": "2024-…Z" | null }
 *     Map        { "$": "map", "v": [[k, v], …] }  Set     { "$": "set", "v": [x, …] }
 *     RegExp     { "$": "regexp", "source", "flags" }
 *     Error      { "$": "error", "name", "message", "stack" }   (built-in error classes only)
 *     typed arr. { "$": "bytes", "type": "Uint8Array", "v": base64 }   ArrayBuffer too
 *     globalThis { "$": "global" }                 an uninitialized `let` { "$": "tdz" }
 *     an object with a "$" key  { "$": "object", "v": { … } }
 *     an own "__proto__" key    kept as an own key both ways (never sets a prototype)
 *     shared or circular objects: first occurrence { "$": "def", "id": 1, "v": … }, later { "$": "ref", "id": 1 }
 *
 * Anything else — functions (closures included), symbols, class instances, promises, weak
 * collections, proxies seen as class instances — throws `NotSerializable` naming the path and
 * what was found. Identity between values (two variables holding one object, cycles) survives.
 *
 * Invariant: `decode(encode(x))` is structurally equal to `x` for every accepted value, in this
 * process or another; no user code runs while encoding (getters are refused, not called).
 */
import { mapPairs, setItems } from "./builtins";
import { TDZ } from "../helpers";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class NotSerializable extends Error {
  override name = "NotSerializable";
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${path} holds ${what}`);
  }
}

const ERRORS: Record<string, ErrorConstructor> = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };
const TYPED: Record<string, new (buffer: ArrayBuffer) => ArrayBufferView> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array,
  DataView: DataView as unknown as new (buffer: ArrayBuffer) => ArrayBufferView,
};

/** Encodes several roots that share one identity table (frame slots, captures, `this`, arguments). */
export class Encoder {
  private readonly counts = new Map<object, number>();
  private readonly ids = new Map<object, number>();
  private nextId = 1;

  /** First pass over every root: find objects reached more than once. */
  scan(value: unknown, path: string): void {
    if (typeof value !== "object" || value === null) {
      check(value, path);
      return;
    }
    const n = this.counts.get(value) ?? 0;
    this.counts.set(value, n + 1);
    if (n > 0) return;
    for (const [child, childPath] of children(value, path)) this.scan(child, childPath);
  }

  encode(value: unknown, path: string): Json {
    if (typeof value !== "object" || value === null) return encodePrimitive(value, path);
    const id = this.ids.get(value);
    if (id !== undefined) return { $: "ref", id };
    if ((this.counts.get(value) ?? 0) > 1) {
      const newId = this.nextId++;
      this.ids.set(value, newId);
      return { $: "def", id: newId, v: this.encodeObject(value, path) };
    }
    return this.encodeObject(value, path);
  }

  private encodeObject(value: object, path: string): Json {
    if (Array.isArray(value)) return arrayItems(value, path).map((v, i) => this.encode(v, `${path}[${i}]`));
    if (value === globalThis) return { $: "global" };
    if (value instanceof Date) return { $: "date", v: Number.isNaN(value.getTime()) ? null : value.toISOString() };
    if (value instanceof Map) return { $: "map", v: mapPairs(value).map(([k, v], i) => [this.encode(k, `${path}.<key ${i}>`), this.encode(v, `${path}.get(…${i})`)]) };
    if (value instanceof Set) return { $: "set", v: setItems(value).map((v, i) => this.encode(v, `${path}.<item ${i}>`)) };
    if (value instanceof RegExp) return { $: "regexp", source: value.source, flags: value.flags };
    if (value instanceof Error) return { $: "error", name: value.name, message: value.message, stack: typeof value.stack === "string" ? value.stack : null };
    if (ArrayBuffer.isView(value)) {
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      return { $: "bytes", type: Object.getPrototypeOf(value).constructor.name, v: toBase64(bytes) };
    }
    if (value instanceof ArrayBuffer) return { $: "bytes", type: "ArrayBuffer", v: toBase64(new Uint8Array(value)) };
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value)) defineData(out, key, this.encode((value as Record<string, unknown>)[key], propertyPath(path, key)));
    return Object.prototype.hasOwnProperty.call(out, "$") ? { $: "object", v: out } : out;
  }
}

/** Throws NotSerializable for values no encoding covers; returns the children to visit. */
function children(value: object, path: string): Array<[unknown, string]> {
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw new NotSerializable(path, `an instance of ${ctorName(value)} (an Array subclass)`);
    return arrayItems(value, path).map((v, i) => [v, `${path}[${i}]`] as [unknown, string]);
  }
  if (value === globalThis || value instanceof Date || value instanceof RegExp) return exact(value, path, []);
  if (value instanceof Map) return exact(value, path, mapPairs(value).flatMap(([k, v], i) => [[k, `${path}.<key ${i}>`], [v, `${path}.get(…${i})`]] as Array<[unknown, string]>));
  if (value instanceof Set) return exact(value, path, setItems(value).map((v, i) => [v, `${path}.<item ${i}>`] as [unknown, string]));
  if (value instanceof Error) {
    if (!Object.values(ERRORS).includes(Object.getPrototypeOf(value).constructor)) throw new NotSerializable(path, `an instance of ${ctorName(value)} (only built-in Error classes are serialized)`);
    // Only name, message and stack are kept: anything else (`code`, `cause`) would be lost.
    for (const key of Reflect.ownKeys(value)) {
      if (key !== "stack" && key !== "message") throw new NotSerializable(path, `an Error with an own property ${String(key)} (only its class, message and stack are serialized)`);
    }
    return [];
  }
  if (ArrayBuffer.isView(value)) {
    const type = ctorName(value);
    if (TYPED[type] === undefined || Object.getPrototypeOf(value) !== TYPED[type].prototype) throw new NotSerializable(path, `an instance of ${type} (copy it into a plain typed array such as Uint8Array)`);
    return [];
  }
  if (value instanceof ArrayBuffer) return exact(value, path, []);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = ctorName(value);
    if (value instanceof Promise) throw new NotSerializable(path, "a Promise");
    throw new NotSerializable(path, `an instance of ${name} (only plain objects, arrays, Map, Set, Date, RegExp, built-in errors and typed arrays are serialized)`);
  }
  if (proto === null) throw new NotSerializable(path, "an object with a null prototype");
  if (Object.getOwnPropertySymbols(value).length > 0) throw new NotSerializable(path, "an object with symbol keys");
  const out: Array<[unknown, string]> = [];
  for (const key of Object.keys(value)) {
    const desc = Object.getOwnPropertyDescriptor(value, key)!;
    if (!("value" in desc)) throw new NotSerializable(propertyPath(path, key), "a getter/setter property");
    out.push([desc.value, propertyPath(path, key)]);
  }
  return out;
}

// Reading a value runs no user code (a patched or own iterator, an element getter) and loses
// nothing silently (a hole, an extra property).
/** An array's elements, read from their descriptors: holes, getters and extra properties are refused. */
function arrayItems(array: unknown[], path: string): unknown[] {
  const length = array.length;
  if (Object.getOwnPropertySymbols(array).length > 0) throw new NotSerializable(path, "an array with symbol keys");
  for (const key of Object.getOwnPropertyNames(array)) {
    if (key !== "length" && !(String(Number(key) >>> 0) === key && Number(key) < length)) throw new NotSerializable(path, `an array with an extra property ${JSON.stringify(key)}`);
  }
  const out: unknown[] = [];
  for (let i = 0; i < length; i++) {
    const desc = Object.getOwnPropertyDescriptor(array, i);
    if (desc === undefined) throw new NotSerializable(`${path}[${i}]`, "a hole of a sparse array");
    if (!("value" in desc)) throw new NotSerializable(`${path}[${i}]`, "a getter/setter element");
    out.push(desc.value);
  }
  return out;
}

function exact(value: object, path: string, kids: Array<[unknown, string]>): Array<[unknown, string]> {
  for (const ctor of [Date, RegExp, Map, Set, ArrayBuffer]) {
    if (value instanceof ctor && Object.getPrototypeOf(value) !== ctor.prototype) throw new NotSerializable(path, `an instance of ${ctorName(value)} (a ${ctor.name} subclass)`);
  }
  return kids;
}

function check(value: unknown, path: string): void {
  if (typeof value === "function") throw new NotSerializable(path, `a function${value.name ? ` (${value.name})` : ""}; functions and the closures' environments they hold cannot be serialized`);
  if (typeof value === "symbol" && value !== TDZ) throw new NotSerializable(path, `a symbol (${String(value)})`);
}

function encodePrimitive(value: unknown, path: string): Json {
  check(value, path);
  switch (typeof value) {
    case "undefined":
      return { $: "undefined" };
    case "number":
      if (Object.is(value, -0)) return { $: "number", v: "-0" };
      return Number.isFinite(value) ? value : { $: "number", v: String(value) };
    case "bigint":
      return { $: "bigint", v: value.toString() };
    case "symbol":
      return { $: "tdz" };
    default:
      return value as string | boolean | null;
  }
}

/** Decodes data from `Encoder.encode`, sharing one identity table across roots. */
export class Decoder {
  private readonly defs = new Map<number, unknown>();

  decode(data: Json): unknown {
    if (data === null || typeof data !== "object") return data;
    if (Array.isArray(data)) return data.map((d) => this.decode(d));
    const tag = data.$;
    if (tag === undefined) return this.fill({}, data);
    switch (tag) {
      case "undefined":
        return undefined;
      case "number":
        return Number(data.v);
      case "bigint":
        return BigInt(data.v as string);
      case "tdz":
        return TDZ;
      case "global":
        return globalThis;
      case "object":
        return this.fill({}, data.v as { [key: string]: Json });
      case "def":
        return this.define(data.id as number, data.v);
      case "ref": {
        if (!this.defs.has(data.id as number)) throw new Error(`snapshot data refers to object #${data.id} before defining it`);
        return this.defs.get(data.id as number);
      }
      default:
        return this.leaf(data);
    }
  }

  /** `def`: the container exists (and is registered) before its contents decode, so cycles close. */
  private define(id: number, data: Json): unknown {
    if (Array.isArray(data)) {
      const arr: unknown[] = [];
      this.defs.set(id, arr);
      for (const d of data) arr.push(this.decode(d));
      return arr;
    }
    if (data !== null && typeof data === "object") {
      const tag = data.$;
      if (tag === undefined || tag === "object") {
        const obj = {};
        this.defs.set(id, obj);
        return this.fill(obj, (tag === "object" ? data.v : data) as { [key: string]: Json });
      }
      if (tag === "map") {
        const map = new Map();
        this.defs.set(id, map);
        for (const [k, v] of data.v as Json[][]) map.set(this.decode(k), this.decode(v));
        return map;
      }
      if (tag === "set") {
        const set = new Set();
        this.defs.set(id, set);
        for (const v of data.v as Json[]) set.add(this.decode(v));
        return set;
      }
    }
    const value = this.decode(data);
    this.defs.set(id, value);
    return value;
  }

  private fill(obj: Record<string, unknown>, data: { [key: string]: Json }): Record<string, unknown> {
    for (const key of Object.keys(data)) defineData(obj, key, this.decode(data[key]));
    return obj;
  }

  private leaf(data: { [key: string]: Json }): unknown {
    switch (data.$) {
      case "date":
        return new Date(data.v === null ? NaN : (data.v as string));
      case "map":
        return new Map((data.v as Json[][]).map(([k, v]) => [this.decode(k), this.decode(v)]));
      case "set":
        return new Set((data.v as Json[]).map((v) => this.decode(v)));
      case "regexp":
        return new RegExp(data.source as string, data.flags as string);
      case "error": {
        const error = new (ERRORS[data.name as string] ?? Error)(data.message as string);
        if (typeof data.stack === "string") error.stack = data.stack;
        return error;
      }
      case "bytes": {
        const bytes = fromBase64(data.v as string);
        if (data.type === "ArrayBuffer") return bytes.buffer;
        const ctor = TYPED[data.type as string];
        if (ctor === undefined) throw new Error(`snapshot data has bytes of unknown type ${String(data.type)}`);
        return new ctor(bytes.buffer as ArrayBuffer);
      }
      default:
        throw new Error(`snapshot data has an unknown tag ${JSON.stringify(data.$)}`);
    }
  }
}

/**
 * `obj[key] = value` as CreateDataProperty: an own "__proto__" key (JSON.parse makes them) stays
 * an own property instead of setting the prototype, both when encoding and when decoding.
 */
function defineData(obj: object, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else (obj as Record<string, unknown>)[key] = value;
}

function ctorName(value: object): string {
  const ctor = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(value) ?? {}, "constructor")?.value;
  return typeof ctor === "function" && ctor.name ? ctor.name : "an anonymous class";
}

function propertyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
