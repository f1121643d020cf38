/**
 * One-line previews of live values for task dumps: `"abc…"`, `[1, 2, 3, …+97]`,
 * `{ id: 7, items: [3] }`, `Uint8Array(1048576)`, `Promise`, `[Function charge]`.
 *
 * In:  any value, a length budget.
 * Out: a string of at most `max` characters (cut with `…`), depth-limited, without calling user
 *      code: no getters, no `toString`/`inspect` hooks, no Proxy traps beyond `Reflect.ownKeys`
 *      (a preview must not change the program it describes).
 *
 * Platform-neutral on purpose (no `node:util`): the runtime also runs in browsers.
 */

import { mapPairs, setItems } from "./builtins";

export const DEFAULT_PREVIEW_LENGTH = 80;
const MAX_DEPTH = 2;
const MAX_ENTRIES = 5;

export function formatValue(value: unknown, max = DEFAULT_PREVIEW_LENGTH): string {
  return cut(preview(value, 0, new Set()), max);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function preview(value: unknown, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
      return value.description !== undefined ? `Symbol(${value.description})` : "Symbol()";
    case "function":
      return `[Function${value.name ? ` ${value.name}` : ""}]`;
  }
  if (value === null) return "null";
  try {
    return previewObject(value as object, depth, seen);
  } catch {
    // A revoked Proxy throws from any look at it (even Array.isArray): one value, not the dump.
    return "[unreadable]";
  }
}

function previewObject(obj: object, depth: number, seen: Set<object>): string {
  if (seen.has(obj)) return "[Circular]";
  const kind = kindOf(obj);
  if (kind !== undefined) return kind;
  if (depth >= MAX_DEPTH) {
    if (Array.isArray(obj)) return `Array(${obj.length})`;
    const name = className(obj);
    return name ? `${name} {…}` : "{…}";
  }
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      const items: string[] = [];
      for (let i = 0; i < Math.min(obj.length, MAX_ENTRIES); i++) {
        const desc = Object.getOwnPropertyDescriptor(obj, i);
        items.push(desc === undefined ? "<empty>" : "value" in desc ? preview(desc.value, depth + 1, seen) : "[Getter]");
      }
      if (obj.length > MAX_ENTRIES) items.push(`…+${obj.length - MAX_ENTRIES}`);
      return `[${items.join(", ")}]`;
    }
    if (obj instanceof Map) {
      const items = mapPairs(obj, MAX_ENTRIES).map(([k, v]) => `${preview(k, depth + 1, seen)} => ${preview(v, depth + 1, seen)}`);
      return `Map(${obj.size}) {${items.length ? ` ${items.join(", ")}${obj.size > MAX_ENTRIES ? ", …" : ""} ` : ""}}`;
    }
    if (obj instanceof Set) {
      const items = setItems(obj, MAX_ENTRIES).map((v) => preview(v, depth + 1, seen));
      return `Set(${obj.size}) {${items.length ? ` ${items.join(", ")}${obj.size > MAX_ENTRIES ? ", …" : ""} ` : ""}}`;
    }
    const keys = Object.keys(obj);
    const items: string[] = [];
    for (const key of keys.slice(0, MAX_ENTRIES)) {
      const desc = Object.getOwnPropertyDescriptor(obj, key);
      const shown = desc === undefined ? "?" : "value" in desc ? preview(desc.value, depth + 1, seen) : "[Getter]";
      items.push(`${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${shown}`);
    }
    if (keys.length > MAX_ENTRIES) items.push(`…+${keys.length - MAX_ENTRIES}`);
    const name = className(obj);
    return `${name ? `${name} ` : ""}{${items.length ? ` ${items.join(", ")} ` : ""}}`;
  } finally {
    seen.delete(obj);
  }
}

/** Values shown by kind rather than by content. */
function kindOf(obj: object): string | undefined {
  if (obj instanceof Promise) return "Promise";
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
  if (obj instanceof RegExp) return String(obj);
  if (obj instanceof Error) return `${String(dataProperty(obj, "name") ?? "Error")}: ${String(dataProperty(obj, "message") ?? "")}`;
  if (ArrayBuffer.isView(obj)) return `${className(obj) ?? "TypedArray"}(${(obj as unknown as { length?: number }).length ?? obj.byteLength})`;
  if (obj instanceof ArrayBuffer) return `ArrayBuffer(${obj.byteLength})`;
  if (obj instanceof WeakMap || obj instanceof WeakSet || (typeof WeakRef === "function" && obj instanceof WeakRef)) return className(obj) ?? "Weak";
  if (typeof dataProperty(obj, "then") === "function") return `${className(obj) ?? "Object"} (thenable)`;
  return undefined;
}

/** A data property's value found along the prototype chain; getters are not called. */
function dataProperty(obj: object, key: string): unknown {
  for (let o: object | null = obj; o !== null; o = Object.getPrototypeOf(o)) {
    const desc = Object.getOwnPropertyDescriptor(o, key);
    if (desc !== undefined) return "value" in desc ? desc.value : undefined;
  }
  return undefined;
}

/** The constructor's name for a class instance; undefined for plain objects. */
export function className(obj: object): string | undefined {
  const proto = Object.getPrototypeOf(obj);
  if (proto === null) return "[Object: null prototype]";
  if (proto === Object.prototype) return undefined;
  const ctor = Object.getOwnPropertyDescriptor(proto, "constructor")?.value;
  return typeof ctor === "function" && ctor.name ? ctor.name : undefined;
}
