/**
 * Assigns frame offsets: where each value lives while the machine is suspended.
 *
 * In:  the suspend states in position order, each local's live intervals over those positions
 *      (analyze/liveness.ts), the locals that closures capture.
 * Out: an offset per stored local, each offset's live intervals (the runs of states at which it
 *      holds a value), the frame size. A state's fields are asked local by local from the runs
 *      (`fieldSetAt`), or spelled out where code needs a whole frame (`fieldsOfState`).
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

import type { Runs } from "../analyze/liveness";
import { MinHeap } from "../min-heap";

export interface StateFields {
  readonly state: number;
  /** [local, offset] pairs, in offset order. */
  readonly fields: ReadonlyArray<readonly [number, number]>;
}

/** A suspend state of the layout, at its position in `states`. Its fields: `fieldsOfState`, `fieldSetAt`. */
export interface LayoutState {
  readonly state: number;
}

/** Live intervals over state positions (indexes in the layout's `states`), as liveness gives them. */
export type { Runs };

export interface StateLayout {
  /** Frame offset of every local live across some await. */
  readonly offsetOf: ReadonlyMap<number, number>;
  /** Offset in the captures array of every captured local. */
  readonly captureOf: ReadonlyMap<number, number>;
  /**
   * The suspend states in position order. Their fields are not spelled out here (states ×
   * fields): read them from `runsOf`, or through `fieldsOfState` / `fieldSetAt`.
   */
  readonly states: readonly LayoutState[];
  /** Per frame offset, the state positions at which some local holds it. */
  readonly occupied: readonly Runs[];
  /** Per local with a frame offset, the state positions it is kept across (its live intervals). */
  readonly runsOf: ReadonlyMap<number, Runs>;
  readonly frameSize: number;
  readonly capturedSize: number;
  /** Steps the placement took (comparisons, heap steps): the work done, for the scaling tests. */
  readonly work: number;
}

/**
 * `preferred`: offsets to give locals when nothing conflicts — a parameter passed in the frame
 * keeps the offset it arrives at, so while it is not assigned no suspend stores it again
 * (analyze/clean-slots.ts). Preferred locals are placed first.
 *
 * Greedy colouring of the interference graph, each local (in the order `liveRuns` lists them:
 * by first position, then local id) at the lowest offset whose occupied states it does not
 * meet — for locals kept over one run each, the fewest offsets there can be. Locals and offsets
 * are compared by their live intervals (`Runs`), so a value kept across many awaits costs one
 * comparison, not one per await. When every local left to place is kept over one run (and
 * they come in order of first position, as liveness lists them), the lowest such offset is
 * found by linear scan (`placeByLinearScan`), not by trying each offset in turn.
 */
export function computeStateLayout(
  stateAt: readonly number[],
  liveRuns: ReadonlyMap<number, Runs>,
  captured: readonly number[],
  preferred: ReadonlyMap<number, number> = new Map(),
): StateLayout {
  const offsetOf = new Map<number, number>();
  const captureOf = new Map<number, number>();
  captured.forEach((local, i) => captureOf.set(local, i));
  const runsOf = new Map<number, Runs>();
  for (const [local, runs] of liveRuns) if (!captureOf.has(local)) runsOf.set(local, runs);
  const occupied: number[][] = []; // per offset
  let size = 0;
  const place = (local: number, offset: number, runs: Runs): void => {
    while (occupied.length <= offset) occupied.push([]);
    occupied[offset] = mergeRuns(occupied[offset], runs);
    offsetOf.set(local, offset);
    size = Math.max(size, offset + 1);
  };
  for (const [local, offset] of preferred) {
    const runs = runsOf.get(local);
    if (runs === undefined || (offset < occupied.length && runsMeet(occupied[offset], runs))) continue;
    place(local, offset, runs);
  }
  const counter = { work: 0 };
  const toPlace = [...runsOf].filter(([local]) => !offsetOf.has(local));
  if (oneRunEachInOrder(toPlace)) placeByLinearScan(toPlace, occupied, new Set(offsetOf.values()), place, counter);
  else {
    for (const [local, runs] of toPlace) {
      let offset = 0;
      while (offset < occupied.length && (counter.work++, runsMeet(occupied[offset], runs))) offset++;
      place(local, offset, runs);
    }
  }
  const states = stateAt.map((state) => ({ state }));
  return { offsetOf, captureOf, states, occupied, runsOf, frameSize: size, capturedSize: captured.length, work: counter.work };
}

function oneRunEachInOrder(locals: ReadonlyArray<readonly [number, Runs]>): boolean {
  return locals.every(([, runs], i) => runs.length === 2 && (i === 0 || locals[i - 1][1][0] <= runs[0]));
}

/**
 * The greedy placement above for locals kept over one run each, in order of first position:
 * every local already at an offset (but a preferred one) started no later, so the offset is
 * free for the next local when all its runs ended before that local starts. Offsets in use wait
 * in a heap by the end of their last run, freed ones in a heap by offset: the lowest freed one
 * is the lowest offset the local does not meet. Offsets holding a preferred local may hold runs
 * anywhere: each is checked run by run, as before.
 */
function placeByLinearScan(
  locals: ReadonlyArray<readonly [number, Runs]>,
  occupied: readonly Runs[],
  preferredOffsets: ReadonlySet<number>,
  place: (local: number, offset: number, runs: Runs) => void,
  counter: { work: number },
): void {
  const irregular = [...preferredOffsets].sort((a, b) => a - b);
  const ends: number[] = [];
  const inUse = new MinHeap((a, b) => ends[a] - ends[b] || a - b);
  const freed = new MinHeap((a, b) => a - b);
  for (let offset = 0; offset < occupied.length; offset++) if (!preferredOffsets.has(offset)) freed.push(offset, counter);
  for (const [local, runs] of locals) {
    while (inUse.size > 0 && ends[inUse.peek()] < runs[0]) freed.push(inUse.pop(counter), counter);
    let offset = freed.size > 0 ? freed.peek() : occupied.length;
    for (const o of irregular) {
      if (o >= offset) break;
      counter.work++;
      if (!runsMeet(occupied[o], runs)) {
        offset = o;
        break;
      }
    }
    if (freed.size > 0 && offset === freed.peek()) freed.pop(counter);
    place(local, offset, runs);
    if (!preferredOffsets.has(offset)) {
      ends[offset] = runs[1];
      inUse.push(offset, counter);
    }
  }
}

/** Do two run lists share a position? (A walk of both, in order.) */
export function runsMeet(a: Runs, b: Runs): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i + 1] < b[j]) i += 2;
    else if (b[j + 1] < a[i]) j += 2;
    else return true;
  }
  return false;
}

/** The union of two run lists that do not meet, in order. */
function mergeRuns(a: Runs, b: Runs): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const fromA = j >= b.length || (i < a.length && a[i] < b[j]);
    const first = fromA ? a[i] : b[j];
    const last = fromA ? a[i + 1] : b[j + 1];
    if (fromA) i += 2;
    else j += 2;
    if (out.length > 0 && out[out.length - 1] === first - 1) out[out.length - 1] = last;
    else out.push(first, last);
  }
  return out;
}

/** Does some local hold `offset` at the state at `position` (its index in `layout.states`)? A binary search of the offset's runs. */
export function holdsOffsetAt(layout: StateLayout, offset: number, position: number): boolean {
  const runs = layout.occupied[offset];
  return runs !== undefined && inRuns(runs, position);
}

/** Is `position` in one of `runs`? A binary search. */
function inRuns(runs: Runs, position: number): boolean {
  let lo = 0;
  let hi = runs.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (runs[2 * mid + 1] < position) lo = mid + 1;
    else if (runs[2 * mid] > position) hi = mid - 1;
    else return true;
  }
  return false;
}

/** The position of `state` in `layout.states` (-1 for a state not in the layout), through an index built once per layout. */
export function positionOfState(layout: StateLayout, state: number): number {
  let index = positionIndex.get(layout);
  if (index === undefined) positionIndex.set(layout, (index = new Map(layout.states.map((s, i) => [s.state, i]))));
  return index.get(state) ?? -1;
}
const positionIndex = new WeakMap<StateLayout, Map<number, number>>();

/**
 * The fields of `state` (undefined for a state not in the layout). Spelled out for every state
 * at the first call (states × fields: for code that needs a state's whole frame, not its changes).
 */
export function fieldsOfState(layout: StateLayout, state: number): StateFields["fields"] | undefined {
  const position = positionOfState(layout, state);
  if (position < 0) return undefined;
  let table = fieldsTable.get(layout);
  if (table === undefined) {
    const fieldsAt: Array<Array<readonly [number, number]>> = layout.states.map(() => []);
    for (const [local, runs] of layout.runsOf) {
      const offset = layout.offsetOf.get(local)!;
      for (let i = 0; i < runs.length; i += 2) for (let p = runs[i]; p <= runs[i + 1]; p++) fieldsAt[p].push([local, offset]);
    }
    for (const fields of fieldsAt) fields.sort((a, b) => a[1] - b[1]);
    fieldsTable.set(layout, (table = fieldsAt));
  }
  return table[position];
}
const fieldsTable = new WeakMap<StateLayout, ReadonlyArray<StateFields["fields"]>>();

/** Is `local` kept at the state at `position`? A binary search of its runs. */
export function keepsLocalAt(layout: StateLayout, local: number, position: number): boolean {
  const runs = layout.runsOf.get(local);
  return runs !== undefined && inRuns(runs, position);
}

/**
 * The locals kept at the state at `position`, as a set asked local by local (`keepsLocalAt`):
 * made in one step; only listing it spells the fields out (`fieldsOfState`).
 */
export function fieldSetAt(layout: StateLayout, position: number): ReadonlySet<number> {
  return new FieldSet(layout, position);
}

class FieldSet implements ReadonlySet<number> {
  constructor(
    private readonly layout: StateLayout,
    private readonly position: number,
  ) {}
  private list(): number[] {
    // The first state's fields all begin there: listed from the runs without the whole table.
    if (this.position === 0 && !fieldsTable.has(this.layout)) {
      const out: number[] = [];
      for (const [local, runs] of this.layout.runsOf) if (runs[0] === 0) out.push(local);
      return out;
    }
    return fieldsOfState(this.layout, this.layout.states[this.position].state)!.map(([l]) => l);
  }
  has(x: number): boolean {
    return keepsLocalAt(this.layout, x, this.position);
  }
  get size(): number {
    return this.list().length;
  }
  forEach(f: (value: number, key: number, set: ReadonlySet<number>) => void): void {
    for (const x of this.list()) f(x, x, this);
  }
  [Symbol.iterator](): SetIterator<number> {
    return new Set(this.list())[Symbol.iterator]();
  }
  values(): SetIterator<number> {
    return this[Symbol.iterator]();
  }
  keys(): SetIterator<number> {
    return this[Symbol.iterator]();
  }
  entries(): SetIterator<[number, number]> {
    return new Set(this.list()).entries();
  }
}
