/**
 * Assigns frame offsets: where each value lives while the machine is suspended.
 *
 * In:  for each suspend state the locals live across it; the locals that closures capture
 *      (they live in the frame for the machine's whole life).
 * Out: an offset per stored local, the fields of each state (local → offset), the frame size.
 *
 * Like rustc's coroutine layout, two locals may share an offset when no state holds both
 * (their live ranges never overlap across an await). Captured locals never share.
 *
 *     frame: [ captured… | overlapped state fields… ]
 *              fixed       each state uses a subset; the rest is cleared when it suspends
 *
 * Example: in `a = await f(); b = await g(a); return b;` `a` (live across the 2nd await only)
 * and nothing else share offset 0: both states have size 1.
 */

export interface StateFields {
  readonly state: number;
  /** [local, offset] pairs, in offset order. */
  readonly fields: ReadonlyArray<readonly [number, number]>;
}

export interface StateLayout {
  /** Offset of every local stored in the frame (captured ones and those live across an await). */
  readonly offsetOf: ReadonlyMap<number, number>;
  readonly states: readonly StateFields[];
  readonly frameSize: number;
  /** Offsets reserved for captured locals: `[0, capturedSize)`. */
  readonly capturedSize: number;
}

export function computeStateLayout(liveAcross: ReadonlyArray<{ state: number; live: ReadonlySet<number> }>, captured: readonly number[]): StateLayout {
  const offsetOf = new Map<number, number>();
  captured.forEach((local, i) => offsetOf.set(local, i));
  const base = captured.length;

  // Which states each local is live across, in order of first appearance.
  const statesOf = new Map<number, Set<number>>();
  for (const { state, live } of liveAcross) {
    for (const local of live) {
      if (offsetOf.has(local) && offsetOf.get(local)! < base) continue;
      let s = statesOf.get(local);
      if (!s) statesOf.set(local, (s = new Set()));
      s.add(state);
    }
  }
  // Greedy colouring of the interference graph: locals conflict when some state holds both.
  const used: Array<Set<number>> = []; // per offset (relative to base): states using it
  let size = 0;
  for (const [local, states] of statesOf) {
    let offset = 0;
    for (; offset < used.length; offset++) {
      const taken = used[offset];
      let conflict = false;
      for (const s of states) if (taken.has(s)) { conflict = true; break; }
      if (!conflict) break;
    }
    if (offset === used.length) used.push(new Set());
    for (const s of states) used[offset].add(s);
    offsetOf.set(local, base + offset);
    size = Math.max(size, offset + 1);
  }
  const states = liveAcross.map(({ state, live }) => ({
    state,
    fields: [...live]
      .filter((l) => !(offsetOf.get(l)! < base))
      .map((l) => [l, offsetOf.get(l)!] as const)
      .sort((a, b) => a[1] - b[1]),
  }));
  return { offsetOf, states, frameSize: base + size, capturedSize: base };
}
