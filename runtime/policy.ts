/**
 * Scheduling policies: which ready task the executor polls next.
 *
 * In:  `ExecutorOptions.policy` and `seed`.
 * Out: a `ReadyQueue` whose `dequeue` order is the policy.
 *
 *  - `"fifo"` (default): tasks run in wake order. Fair: a task that wakes itself goes to the back.
 *  - `"random"`: each `dequeue` takes a uniformly chosen ready task, from a seeded PRNG. The same
 *    seed and the same sequence of wakes give the same order on every run and machine, so a test
 *    can explore interleavings (seed 1, 2, 3, …) and replay a failing one exactly.
 *  - a function: returns any `ReadyQueue` (LIFO, priority, an integrity-checking wrapper, …).
 *
 * The PRNG is mulberry32 (Tommy Ettinger, public domain;
 * https://gist.github.com/tommyettinger/46a874533244883189143505d203312c): 32-bit state, one
 * multiply-xorshift round per draw, passes the statistical tests that matter for shuffling.
 */
import { RingQueue, type ReadyQueue } from "./ready-queue";

export type SchedulingPolicy<T> = "fifo" | "random" | (() => ReadyQueue<T>);

/** Builds the ready queue for a policy. `seed` is used by `"random"` only. */
export function createReadyQueue<T>(policy: SchedulingPolicy<T> = "fifo", seed = 0): ReadyQueue<T> {
  if (policy === "fifo") return new RingQueue<T>();
  if (policy === "random") return new RandomQueue<T>(seed);
  if (typeof policy === "function") return policy();
  throw new TypeError(`[async-machine] unknown scheduling policy ${JSON.stringify(policy)}`);
}

/** Returns a function giving uniformly distributed numbers in [0, 1), determined by `seed`. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A ready queue that dequeues a seeded-random item: the `"random"` policy. */
export class RandomQueue<T> implements ReadyQueue<T> {
  private readonly ring = new RingQueue<T>();
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  get size(): number {
    return this.ring.size;
  }

  enqueue(item: T): void {
    this.ring.enqueue(item);
  }

  dequeue(): T | undefined {
    const size = this.ring.size;
    if (size <= 1) return this.ring.dequeue();
    return this.ring.takeAt(Math.floor(this.random() * size));
  }
}
