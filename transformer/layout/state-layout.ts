/**
 * Assigns frame offsets: where each value lives while the machine is suspended.
 *
 * In:  for each suspend state the locals live across it; the locals that closures capture.
 * Out: an offset per stored local, the fields of each state (local → offset), the frame size.
 *
 * Like rustc's coroutine layout, two locals may share an offset when no state holds both
 * (their live ranges never overlap across an await).
 *
 *     m.f (frame):    [ state fields, overlapped ]  each state uses a subset; the rest is
 *                                                   cleared when it suspends
 *     m.c (captures): [ captured locals ]           fixed offsets for the machine's life and
 *                                                   after: closures may outlive the machine
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
  /** Frame offset of every local live across some await. */
  readonly offsetOf: ReadonlyMap<number, number>;
  /** Offset in the captures array of every captured local. */
  readonly captureOf: ReadonlyMap<number, number>;
  readonly states: readonly StateFields[];
  readonly frameSize: number;
  readonly capturedSize: number;
}

/**
 * `preferred`: offsets to give locals when nothing conflicts — a parameter passed in the frame
 * keeps the offset it arrives at, so while it is not assigned no suspend stores it again
 * (analyze/clean-slots.ts). Preferred locals are placed first.
 */
export function computeStateLayout(
  liveAcross: ReadonlyArray<{ state: number; live: ReadonlySet<number> }>,
  captured: readonly number[],
  preferred: ReadonlyMap<number, number> = new Map(),
): StateLayout {
  const offsetOf = new Map<number, number>();
  const captureOf = new Map<number, number>();
  captured.forEach((local, i) => captureOf.set(local, i));

  // Which states each local is live across, in order of first appearance.
  const statesOf = new Map<number, Set<number>>();
  for (const { state, live } of liveAcross) {
    for (const local of live) {
      if (captureOf.has(local)) continue;
      let s = statesOf.get(local);
      if (!s) statesOf.set(local, (s = new Set()));
      s.add(state);
    }
  }
  // Greedy colouring of the interference graph: locals conflict when some state holds both.
  const used: Array<Set<number>> = []; // per offset (relative to base): states using it
  let size = 0;
  const conflicts = (offset: number, states: ReadonlySet<number>): boolean => {
    const taken = used[offset];
    if (taken === undefined) return false;
    for (const s of states) if (taken.has(s)) return true;
    return false;
  };
  for (const [local, offset] of preferred) {
    const states = statesOf.get(local);
    if (states === undefined || conflicts(offset, states)) continue;
    while (used.length <= offset) used.push(new Set());
    for (const s of states) used[offset].add(s);
    offsetOf.set(local, offset);
    size = Math.max(size, offset + 1);
  }
  for (const [local, states] of statesOf) {
    if (offsetOf.has(local)) continue;
    let offset = 0;
    while (offset < used.length && conflicts(offset, states)) offset++;
    if (offset === used.length) used.push(new Set());
    for (const s of states) used[offset].add(s);
    offsetOf.set(local, offset);
    size = Math.max(size, offset + 1);
  }
  const states = liveAcross.map(({ state, live }) => ({
    state,
    fields: [...live]
      .filter((l) => offsetOf.has(l))
      .map((l) => [l, offsetOf.get(l)!] as const)
      .sort((a, b) => a[1] - b[1]),
  }));
  return { offsetOf, captureOf, states, frameSize: size, capturedSize: captured.length };
}

/** The fields of `state` (undefined for a state not in the layout), through an index built once per layout. */
export function fieldsOfState(layout: StateLayout, state: number): StateFields["fields"] | undefined {
  let index = stateIndex.get(layout);
  if (index === undefined) stateIndex.set(layout, (index = new Map(layout.states.map((s) => [s.state, s.fields]))));
  return index.get(state);
}
const stateIndex = new WeakMap<StateLayout, Map<number, StateFields["fields"]>>();
