/**
 * Optional integrity for snapshots: an HMAC-SHA256, under a key the application holds, of the
 * snapshot's data in a canonical form (object keys sorted, so the data may pass through stores
 * that reorder keys). `restore` checks it before reading anything else, so data changed by
 * whoever held it is refused before any of it is decoded or any function is looked up.
 *
 * node:crypto is reached through `process.getBuiltinModule` when a key is given, not imported:
 * the runtime loads (and bundles) without it in hosts that have no node:crypto.
 */
import { InspectError } from "./errors";

export type HmacKey = string | Uint8Array;

export interface Integrity {
  readonly alg: "HMAC-SHA256";
  /** Hex digest. */
  readonly mac: string;
}

type Crypto = typeof import("node:crypto");

function nodeCrypto(): Crypto {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const crypto = typeof get === "function" ? (get("node:crypto") as Crypto | undefined) : undefined;
  if (crypto === undefined) throw new InspectError("snapshot integrity (hmacKey) needs node:crypto, which this host does not provide.");
  return crypto;
}

/** The data without its `integrity` field, as JSON with object keys sorted at every level. */
function canonical(data: object): string {
  const rest: Record<string, unknown> = {};
  for (const k of Object.keys(data)) {
    if (k !== "integrity") Object.defineProperty(rest, k, { value: (data as Record<string, unknown>)[k], enumerable: true, writable: true, configurable: true });
  }
  return JSON.stringify(rest, (_key: string, value: unknown) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort())
      Object.defineProperty(sorted, k, { value: (value as Record<string, unknown>)[k], enumerable: true, writable: true, configurable: true });
    return sorted;
  });
}

function mac(data: object, key: HmacKey): Buffer {
  return nodeCrypto().createHmac("sha256", key).update(canonical(data)).digest();
}

export function computeIntegrity(data: object, key: HmacKey): Integrity {
  return { alg: "HMAC-SHA256", mac: mac(data, key).toString("hex") };
}

/** Undefined when `data.integrity` is an HMAC of the rest under `key`; otherwise what is wrong. */
export function verifyIntegrity(data: object, key: HmacKey): string | undefined {
  const integrity = Object.prototype.hasOwnProperty.call(data, "integrity") ? (data as { integrity?: unknown }).integrity : undefined;
  if (integrity === null || typeof integrity !== "object") return "the data carries no integrity field, and an hmacKey was given";
  const { alg, mac: given } = integrity as { alg?: unknown; mac?: unknown };
  if (alg !== "HMAC-SHA256" || typeof given !== "string" || !/^[0-9a-f]{64}$/.test(given)) return "its integrity field is not an HMAC-SHA256 digest";
  let expected: Buffer;
  try {
    expected = mac(data, key);
  } catch (error) {
    if (error instanceof InspectError) throw error;
    return "the data cannot be read as JSON";
  }
  if (!nodeCrypto().timingSafeEqual(expected, Buffer.from(given, "hex"))) return "its integrity check failed: the data was changed since it was written, or the key differs";
  return undefined;
}
