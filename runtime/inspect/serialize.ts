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
 *     a value the caller names (snapshot's `references`)  { "$": "reference", "name": "db" }
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
 * Decoding treats the data as untrusted (see `Decoder`): `global` and `reference` resolve only
 * through the allow list the decoder is given, and anything the encoder would not have written
 * is refused with `MalformedData` naming the path.
 */
import { mapPairs, setItems } from "./builtins";
import { forInStart, TDZ } from "../helpers";

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

// Name tables without a prototype: a name from the data finds only these entries (never
// `constructor`, `toString` or anything else inherited).
const ERRORS: Record<string, ErrorConstructor> = { __proto__: null, Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError } as unknown as Record<
  string,
  ErrorConstructor
>;
const TYPED: Record<string, new (buffer: ArrayBuffer) => ArrayBufferView> = {
  __proto__: null,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView: DataView as unknown as new (buffer: ArrayBuffer) => ArrayBufferView,
} as unknown as Record<string, new (buffer: ArrayBuffer) => ArrayBufferView>;

/** Encodes several roots that share one identity table (frame slots, captures, `this`, arguments). */
export class Encoder {
  private readonly counts = new Map<object, number>();
  private readonly ids = new Map<object, number>();
  private nextId = 1;
  /** Live values written by name (`{ "$": "reference", "name" }`) rather than by content. */
  private readonly references: ReadonlyMap<unknown, string>;

  constructor(references: ReadonlyMap<unknown, string> = new Map()) {
    this.references = references;
  }

  /** First pass over every root: find objects reached more than once. */
  scan(value: unknown, path: string): void {
    if (this.references.has(value)) return;
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
    const name = this.references.get(value);
    if (name !== undefined) return { $: "reference", name };
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
    if (value instanceof Error) return { $: "error", name: errorClassName(value), message: value.message, stack: typeof value.stack === "string" ? value.stack : null };
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

/** The name under which ERRORS holds the error's class (`scan` refused any other class). */
function errorClassName(error: Error): string {
  const proto = Object.getPrototypeOf(error);
  for (const name of Object.keys(ERRORS)) if (ERRORS[name].prototype === proto) return name;
  return "Error";
}

/**
 * What a machine suspended inside an exploded `for…in` holds: the engine's own enumeration of the
 * object (helpers.ts, forInStart), which visits keys as the object is when each is reached
 * (deleted keys skipped, added ones not visited). Its position cannot be read out or rebuilt.
 */
const FOR_IN_KEYS =
  "the keys of a for…in loop the machine is suspended in (the engine enumerates the object as it changes and its position cannot be saved; snapshot the machine at an await outside the loop)";

/** Throws NotSerializable for values no encoding covers; returns the children to visit. */
function children(value: object, path: string): Array<[unknown, string]> {
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw new NotSerializable(path, `an instance of ${ctorName(value)} (an Array subclass)`);
    return arrayItems(value, path).map((v, i) => [v, `${path}[${i}]`] as [unknown, string]);
  }
  if (value === globalThis || value instanceof Date || value instanceof RegExp) return exact(value, path, []);
  if (value instanceof Map)
    return exact(
      value,
      path,
      mapPairs(value).flatMap(
        ([k, v], i) =>
          [
            [k, `${path}.<key ${i}>`],
            [v, `${path}.get(…${i})`],
          ] as Array<[unknown, string]>,
      ),
    );
  if (value instanceof Set)
    return exact(
      value,
      path,
      setItems(value).map((v, i) => [v, `${path}.<item ${i}>`] as [unknown, string]),
    );
  if (value instanceof Error) {
    if (!Object.values(ERRORS).includes(Object.getPrototypeOf(value).constructor))
      throw new NotSerializable(path, `an instance of ${ctorName(value)} (only built-in Error classes are serialized)`);
    // Only name, message and stack are kept: anything else (`code`, `cause`) would be lost.
    for (const key of Reflect.ownKeys(value)) {
      if (key !== "stack" && key !== "message") throw new NotSerializable(path, `an Error with an own property ${String(key)} (only its class, message and stack are serialized)`);
    }
    return [];
  }
  if (ArrayBuffer.isView(value)) {
    const type = ctorName(value);
    if (TYPED[type] === undefined || Object.getPrototypeOf(value) !== TYPED[type].prototype)
      throw new NotSerializable(path, `an instance of ${type} (copy it into a plain typed array such as Uint8Array)`);
    return [];
  }
  if (value instanceof ArrayBuffer) return exact(value, path, []);
  const proto = Object.getPrototypeOf(value);
  if (proto === forInStart.prototype) throw new NotSerializable(path, FOR_IN_KEYS);
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
  if (typeof value === "function")
    throw new NotSerializable(path, `a function${value.name ? ` (${value.name})` : ""}; functions and the closures' environments they hold cannot be serialized`);
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

/**
 * Data `Decoder` refuses: not something `Encoder` writes (an unknown or inherited tag, error class
 * or typed-array name; a field of the wrong type; a reference to an object not yet defined; a
 * reference the caller did not allow). `path` names the place in the data.
 */
export class MalformedData extends Error {
  override name = "MalformedData";
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${path}: ${what}`);
  }
}

/**
 * Decodes data from `Encoder.encode`, sharing one identity table across roots. The data is
 * untrusted: each tag rebuilds only the kind of value the format gives it, names (error classes,
 * typed arrays) are looked up among own entries of fixed tables, and references to live values
 * outside the data (`{ "$": "global" }`, `{ "$": "reference", "name" }`) resolve only through
 * `references`, the allow list the caller passes (`global` is its `globalThis` entry).
 */
export class Decoder {
  private readonly defs = new Map<number, unknown>();
  private readonly references: ReadonlyMap<string, unknown>;

  constructor(references: ReadonlyMap<string, unknown> = new Map()) {
    this.references = references;
  }

  decode(data: Json, path = "value"): unknown {
    if (data === null || typeof data !== "object") {
      if (typeof data === "number" && !Number.isFinite(data)) throw new MalformedData(path, "a number that is not finite");
      if (data !== null && typeof data !== "string" && typeof data !== "boolean" && typeof data !== "number")
        throw new MalformedData(path, `a ${typeof data}, which JSON data cannot hold`);
      return data;
    }
    if (Array.isArray(data)) return data.map((d, i) => this.decode(d, `${path}[${i}]`));
    const tag = tagOf(data, path);
    if (tag === undefined) return this.fill({}, data, path);
    switch (tag) {
      case "undefined":
        return undefined;
      case "number": {
        const v = field(data, "v", path);
        if (v !== "-0" && v !== "NaN" && v !== "Infinity" && v !== "-Infinity")
          throw new MalformedData(path, `a number tag with v ${JSON.stringify(v)} (only "-0", "NaN", "Infinity", "-Infinity" are encoded so)`);
        return Number(v);
      }
      case "bigint": {
        const v = field(data, "v", path);
        if (typeof v !== "string" || !/^-?\d+$/.test(v)) throw new MalformedData(path, "a bigint tag whose v is not a decimal integer string");
        return BigInt(v);
      }
      case "tdz":
        return TDZ;
      case "global":
        return this.reference("globalThis", path);
      case "reference": {
        const name = field(data, "name", path);
        if (typeof name !== "string") throw new MalformedData(path, "a reference tag whose name is not a string");
        return this.reference(name, path);
      }
      case "object":
        return this.fill({}, plainObject(field(data, "v", path), `${path}.v`), path);
      case "def": {
        const id = definitionId(data, path, this.defs);
        const v = field(data, "v", path);
        if (v === undefined) throw new MalformedData(path, `a definition of object #${id} without a value`);
        return this.define(id, v, path);
      }
      case "ref": {
        const id = field(data, "id", path);
        if (typeof id !== "number" || !this.defs.has(id)) throw new MalformedData(path, `a reference to object #${JSON.stringify(id)} before it is defined`);
        return this.defs.get(id);
      }
      default:
        return this.leaf(tag, data, path);
    }
  }

  /** A live value outside the data, only if the caller allowed it by that name. */
  private reference(name: string, path: string): unknown {
    if (!this.references.has(name)) {
      throw new MalformedData(path, `a reference to ${JSON.stringify(name)}, which the caller did not allow (pass it in the restore options' references)`);
    }
    return this.references.get(name);
  }

  /** `def`: the container exists (and is registered) before its contents decode, so cycles close. */
  private define(id: number, data: Json, path: string): unknown {
    if (Array.isArray(data)) {
      const arr: unknown[] = [];
      this.defs.set(id, arr);
      for (let i = 0; i < data.length; i++) arr.push(this.decode(data[i], `${path}[${i}]`));
      return arr;
    }
    if (data !== null && typeof data === "object") {
      const tag = tagOf(data, path);
      if (tag === undefined || tag === "object") {
        const obj = {};
        this.defs.set(id, obj);
        return this.fill(obj, tag === "object" ? plainObject(field(data, "v", path), `${path}.v`) : data, path);
      }
      if (tag === "map") {
        const map = new Map();
        this.defs.set(id, map);
        for (const [k, v, at] of pairs(data, path)) map.set(this.decode(k, `${at}.<key>`), this.decode(v, `${at}.<value>`));
        return map;
      }
      if (tag === "set") {
        const set = new Set();
        this.defs.set(id, set);
        items(data, path).forEach((v, i) => set.add(this.decode(v, `${path}.v[${i}]`)));
        return set;
      }
    }
    const value = this.decode(data, path);
    this.defs.set(id, value);
    return value;
  }

  private fill(obj: Record<string, unknown>, data: { [key: string]: Json }, path: string): Record<string, unknown> {
    for (const key of Object.keys(data)) defineData(obj, key, this.decode(data[key], propertyPath(path, key)));
    return obj;
  }

  private leaf(tag: string, data: { [key: string]: Json }, path: string): unknown {
    switch (tag) {
      case "date": {
        const v = field(data, "v", path);
        if (v === null) return new Date(NaN);
        const date = new Date(typeof v === "string" ? v : NaN);
        if (Number.isNaN(date.getTime())) throw new MalformedData(path, "a date tag whose v is neither null nor a date string");
        return date;
      }
      case "map":
        return new Map(pairs(data, path).map(([k, v, at]) => [this.decode(k, `${at}.<key>`), this.decode(v, `${at}.<value>`)]));
      case "set":
        return new Set(items(data, path).map((v, i) => this.decode(v, `${path}.v[${i}]`)));
      case "regexp": {
        const source = field(data, "source", path);
        const flags = field(data, "flags", path);
        if (typeof source !== "string" || typeof flags !== "string") throw new MalformedData(path, "a regexp tag whose source or flags is not a string");
        try {
          return new RegExp(source, flags);
        } catch (error) {
          throw new MalformedData(path, `a regexp tag that does not compile (${(error as Error).message})`);
        }
      }
      case "error": {
        const name = field(data, "name", path);
        const message = field(data, "message", path);
        const stack = field(data, "stack", path);
        if (typeof name !== "string" || !hasOwn(ERRORS, name))
          throw new MalformedData(path, `an error tag naming ${JSON.stringify(name)}, which is not a built-in error class (${Object.keys(ERRORS).join(", ")})`);
        if (typeof message !== "string") throw new MalformedData(path, "an error tag whose message is not a string");
        if (stack !== null && stack !== undefined && typeof stack !== "string") throw new MalformedData(path, "an error tag whose stack is neither null nor a string");
        const error = new ERRORS[name](message);
        if (typeof stack === "string") error.stack = stack;
        return error;
      }
      case "bytes":
        return decodeBytes(data, path);
      default:
        throw new MalformedData(path, `an unknown tag ${JSON.stringify(tag)}`);
    }
  }
}

/** The tag of a tagged object (an own `$` string), or undefined for a plain object. */
function tagOf(data: { [key: string]: Json }, path: string): string | undefined {
  if (!hasOwn(data, "$")) return undefined;
  const tag = data.$;
  if (typeof tag !== "string") throw new MalformedData(path, `a tag that is not a string (${JSON.stringify(tag)})`);
  return tag;
}

/** An own field of tagged data (an inherited one is absent). */
function field(data: { [key: string]: Json }, key: string, path: string): Json | undefined {
  void path;
  return hasOwn(data, key) ? data[key] : undefined;
}

function plainObject(data: Json | undefined, path: string): { [key: string]: Json } {
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new MalformedData(path, "not an object");
  return data;
}

function items(data: { [key: string]: Json }, path: string): Json[] {
  const v = field(data, "v", path);
  if (!Array.isArray(v)) throw new MalformedData(`${path}.v`, "not an array");
  return v;
}

/** A map's entries: `[key, value, path]` for each two-element array in `v`. */
function pairs(data: { [key: string]: Json }, path: string): Array<[Json, Json, string]> {
  return items(data, path).map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new MalformedData(`${path}.v[${i}]`, "a map entry that is not a [key, value] pair");
    return [pair[0], pair[1], `${path}.v[${i}]`];
  });
}

function definitionId(data: { [key: string]: Json }, path: string, defs: ReadonlyMap<number, unknown>): number {
  const id = field(data, "id", path);
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1) throw new MalformedData(path, `a definition whose id ${JSON.stringify(id)} is not a positive integer`);
  if (defs.has(id)) throw new MalformedData(path, `a second definition of object #${id}`);
  return id;
}

function decodeBytes(data: { [key: string]: Json }, path: string): unknown {
  const type = field(data, "type", path);
  const v = field(data, "v", path);
  if (typeof type !== "string" || (type !== "ArrayBuffer" && !hasOwn(TYPED, type)))
    throw new MalformedData(path, `a bytes tag of type ${JSON.stringify(type)}, which is not ArrayBuffer or a built-in typed array`);
  if (typeof v !== "string") throw new MalformedData(path, "a bytes tag whose v is not a base64 string");
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(v);
  } catch {
    throw new MalformedData(path, "a bytes tag whose v is not base64");
  }
  if (type === "ArrayBuffer") return bytes.buffer;
  try {
    return new TYPED[type](bytes.buffer as ArrayBuffer);
  } catch (error) {
    throw new MalformedData(path, `a bytes tag whose length does not fit a ${type} (${(error as Error).message})`);
  }
}

const hasOwnProperty = Object.prototype.hasOwnProperty;
function hasOwn(obj: object, key: string): boolean {
  return Reflect.apply(hasOwnProperty, obj, [key]) as boolean;
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
