/**
 * FNV-1a, 64 bits, over the UTF-8 bytes of a string: the layout hash and the code hash of a
 * machine (see machine-info.ts). Not cryptographic: it detects a changed layout or changed
 * compiled code, it does not authenticate a snapshot.
 *
 * Invariant: the same text gives the same 16 hex digits in every process and on every platform
 * (the transformer and the runtime both call this one function).
 */

const OFFSET_BASIS = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

export function fnv1a64(text: string): string {
  let h = OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * PRIME) & MASK;
  }
  return h.toString(16).padStart(16, "0");
}
