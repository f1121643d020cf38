/**
 * `TimerHeap`: every sleep on one host timer. Sleeps are kept in a binary min-heap by deadline
 * (ties in the order they started); one `setTimeout` is armed for the earliest deadline, and
 * when it fires every sleep that is due is woken and the timer re-armed for the next one.
 * `heapSleep(ms)` sleeps on the process-wide heap.
 *
 * Why: `leaf/timer.ts` starts one host timer per sleep. Here a sleep is one heap slot — the
 * future itself is the heap entry, so starting a sleep allocates nothing more than the future —
 * and the host sees one timer however many tasks sleep (measured in the README's I/O section).
 *
 * Waker contract (as `sleep`): lazy — the deadline is `ms` after the first poll, when the sleep
 * enters the heap; later polls only replace the stored waker; the deadline wakes it once.
 * Dropping an unfinished sleep takes it out of the heap (O(log n)), and when the heap empties the
 * host timer is cleared: no sleeping task, no timer keeping the process alive. A sleep is never
 * woken early: the host's millisecond clock may fire a fraction before a deadline measured with
 * `performance.now()`; such a sleep stays in the heap and the timer is re-armed.
 *
 * Example: `yield select([work, heapSleep(5_000)])` — a timeout that costs one heap slot.
 */
import type { Context } from "../context";
import type { Future } from "../future";
import { MAX_TIMER_MS } from "../leaf/timer";
import { PENDING, type Poll } from "../poll";
import type { Waker } from "../waker";

const NOT_IN_HEAP = -1;

export class HeapSleep implements Future<void> {
  /** When it is due, in `performance.now()` milliseconds; set by the first poll. */
  deadline = 0;
  /** Start order, breaking ties between equal deadlines. */
  seq = 0;
  /** Its position in the heap's array, or NOT_IN_HEAP. */
  index = NOT_IN_HEAP;
  started = false;
  done = false;
  waker: Waker | undefined = undefined;

  constructor(
    protected readonly heap: TimerHeap,
    readonly ms: number,
  ) {}

  poll(cx: Context): Poll<void> {
    if (this.done) return undefined;
    this.waker = cx.waker;
    if (!this.started) {
      this.started = true;
      this.heap.insert(this);
    }
    return PENDING;
  }

  drop(_cx?: Context): void {
    this.waker = undefined;
    if (this.index !== NOT_IN_HEAP) this.heap.remove(this);
  }
}

export class TimerHeap {
  private readonly entries: HeapSleep[] = [];
  private nextSeq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** The deadline the host timer is armed for (Infinity when none). */
  private armedFor = Infinity;

  /** A future Ready `ms` milliseconds after its first poll (same checks as `sleep(ms)`). */
  sleep(ms: number): HeapSleep {
    if (typeof ms !== "number") throw new TypeError(`[async-machine] heapSleep(ms): ms must be a number of milliseconds, got ${typeof ms}`);
    if (!(ms >= 0) || ms === Infinity) throw new RangeError(`[async-machine] heapSleep(ms): ms must be a finite number >= 0, got ${ms}`);
    return new HeapSleep(this, ms);
  }

  /** Sleeps in the heap. */
  get size(): number {
    return this.entries.length;
  }

  /** Puts `entry` in the heap, due `entry.ms` from now (or at `deadline`). */
  insert(entry: HeapSleep, deadline = performance.now() + entry.ms): void {
    entry.deadline = deadline;
    entry.seq = this.nextSeq++;
    const entries = this.entries;
    entry.index = entries.length;
    entries.push(entry);
    this.siftUp(entry.index);
    if (entry.deadline < this.armedFor) this.arm();
  }

  remove(entry: HeapSleep): void {
    const entries = this.entries;
    const i = entry.index;
    entry.index = NOT_IN_HEAP;
    const last = entries.pop()!;
    if (last !== entry) {
      entries[i] = last;
      last.index = i;
      this.siftDown(i);
      this.siftUp(last.index);
    }
    if (entries.length === 0) this.disarm();
  }

  /** Arms the host timer for the earliest deadline (or clears it when the heap is empty). */
  private arm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    if (this.entries.length === 0) return;
    const deadline = this.entries[0].deadline;
    const delay = Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(deadline - performance.now())));
    this.armedFor = deadline;
    this.timer = setTimeout(this.fire, delay);
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }

  /** The host timer fired: wake every sleep that is due, then re-arm for the next. */
  private readonly fire = (): void => {
    this.timer = undefined;
    this.armedFor = Infinity;
    const entries = this.entries;
    const now = performance.now();
    while (entries.length !== 0 && entries[0].deadline <= now) {
      const entry = entries[0];
      this.remove(entry);
      entry.done = true;
      const waker = entry.waker;
      entry.waker = undefined;
      waker?.wake();
    }
    if (entries.length !== 0) this.arm();
  };

  private less(a: HeapSleep, b: HeapSleep): boolean {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
  }

  private siftUp(i: number): void {
    const entries = this.entries;
    const entry = entries[i];
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = entries[parentIndex];
      if (!this.less(entry, parent)) break;
      entries[i] = parent;
      parent.index = i;
      i = parentIndex;
    }
    entries[i] = entry;
    entry.index = i;
  }

  private siftDown(i: number): void {
    const entries = this.entries;
    const n = entries.length;
    const entry = entries[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.less(entries[child + 1], entries[child])) child++;
      if (!this.less(entries[child], entry)) break;
      entries[i] = entries[child];
      entries[i].index = i;
      i = child;
    }
    entries[i] = entry;
    entry.index = i;
  }
}

let defaultHeap: TimerHeap | undefined;

/** The process-wide timer heap behind `heapSleep`. */
export function getDefaultTimerHeap(): TimerHeap {
  return (defaultHeap ??= new TimerHeap());
}

/** A sleep of `ms` milliseconds on the process-wide timer heap. */
export function heapSleep(ms: number): HeapSleep {
  return getDefaultTimerHeap().sleep(ms);
}
