/**
 * FNV-1a, 64 bits, over the UTF-8 bytes of a string: the layout hash and the code hash of a
 * machine (see machine-info.ts). Not cryptographic: it detects a changed layout or changed
 * compiled code, it does not authenticate a snapshot.
 *
 * The 64-bit state is kept in four 16-bit limbs of plain numbers (a BigInt per byte cost the
 * transformer ~20 µs per machine). The prime is 2^40 + 0x1b3, so `h * prime` is
 * `h * 0x1b3 + (h << 40)`, both done limb by limb with carries, modulo 2^64.
 *
 * Invariant: the same text gives the same 16 hex digits in every process and on every platform
 * (the transformer and the runtime both call this one function).
 */

const encoder = new TextEncoder();

export function fnv1a64(text: string): string {
  // Offset basis 0xcbf29ce484222325, lowest limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (const byte of encoder.encode(text)) {
    h0 ^= byte;
    // h * 0x1b3
    let t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3 + (t0 >>> 16);
    let t2 = h2 * 0x1b3 + (t1 >>> 16);
    let t3 = h3 * 0x1b3 + (t2 >>> 16);
    // + h << 40: h's bits 0–7 land at 40–47 (limb 2, high byte), bits 8–23 at 48–63 (limb 3)
    t2 = (t2 & 0xffff) + ((h0 & 0xff) << 8);
    t3 = t3 + (h0 >>> 8) + ((h1 & 0xff) << 8) + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  const hex = (limb: number): string => limb.toString(16).padStart(4, "0");
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}
