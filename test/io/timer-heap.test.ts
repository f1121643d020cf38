/**
 * The shared timer heap: sleeps finish in deadline order (ties in start order), never before
 * their time, on one host timer however many sleep; a dropped sleep leaves the heap, and an
 * empty heap leaves no host timer.
 */
import { describe, expect, test } from "vitest";
import { Context, Executor, join, PENDING, select } from "../../runtime/index";
import { TimerHeap } from "../../runtime/io/index";
import { task } from "./support";

function hostTimers(): number {
  return process.getActiveResourcesInfo().filter((type) => type === "Timeout").length;
}

/**
 * Host timers started through the global `setTimeout` while `body` runs and neither fired nor
 * cleared yet: `live()` counts them. The process-wide count above also sees timers of the test
 * runner (its throttled task-update timer, started through its own saved `setTimeout`, may be
 * armed at a test's start and gone by its end when the machine is slow), so across awaits only
 * the timers this code started are counted.
 */
async function withWatchedHostTimers(body: (live: () => number) => Promise<void>): Promise<void> {
  const hostSetTimeout = globalThis.setTimeout;
  const hostClearTimeout = globalThis.clearTimeout;
  const pending = new Set<unknown>();
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = hostSetTimeout(() => {
      pending.delete(timer);
      callback(...args);
    }, ms);
    pending.add(timer);
    return timer;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(timer);
    hostClearTimeout(timer);
  }) as typeof clearTimeout;
  try {
    await body(() => pending.size);
  } finally {
    globalThis.setTimeout = hostSetTimeout;
    globalThis.clearTimeout = hostClearTimeout;
  }
}

describe("timer heap", () => {
  // Deadlines count from each sleep's first poll (all in one drain here): 100 ms apart, so a slow
  // drain on a busy machine cannot reorder them.
  test("sleeps wake in deadline order, ties in start order, none early", async () => {
    const heap = new TimerHeap();
    const executor = new Executor();
    const order: string[] = [];
    const early: string[] = [];
    const sleeper = (name: string, ms: number) =>
      task(function* () {
        const started = performance.now();
        yield heap.sleep(ms);
        if (performance.now() - started < ms) early.push(name);
        order.push(name);
      });
    await executor.run(join([sleeper("c", 300), sleeper("a", 100), sleeper("b1", 200), sleeper("b2", 200), sleeper("zero", 0)]));
    expect(order).toEqual(["zero", "a", "b1", "b2", "c"]);
    expect(early).toEqual([]);
    expect(heap.size).toBe(0);
  });

  test("one host timer for many sleeps; none once the heap is empty", async () => {
    await withWatchedHostTimers(async (liveHostTimers) => {
      const heap = new TimerHeap();
      const executor = new Executor();
      const sleeps = Array.from({ length: 1000 }, (_, i) => heap.sleep(5 + (i % 50)));
      const all = executor.run(join(sleeps));
      await new Promise((resolve) => setImmediate(resolve));
      expect(heap.size).toBe(1000);
      expect(liveHostTimers()).toBe(1);
      await all;
      expect(heap.size).toBe(0);
      expect(liveHostTimers()).toBe(0);
    });
  });

  test("a dropped sleep leaves the heap; dropping the last one clears the host timer", async () => {
    const heap = new TimerHeap();
    const timersBefore = hostTimers();
    const cx = new Context({ wake() {} });
    const long = heap.sleep(60_000);
    const longer = heap.sleep(120_000);
    expect(long.poll(cx)).toBe(PENDING);
    expect(longer.poll(cx)).toBe(PENDING);
    expect(heap.size).toBe(2);
    expect(hostTimers()).toBe(timersBefore + 1);
    long.drop(cx);
    long.drop(cx); // idempotent
    expect(heap.size).toBe(1);
    longer.drop(cx);
    expect(heap.size).toBe(0);
    expect(hostTimers()).toBe(timersBefore);
  });

  test("a timeout that lost a select is taken out of the heap", async () => {
    const heap = new TimerHeap();
    const result = await new Executor().run(select([heap.sleep(10), heap.sleep(60_000)]));
    expect(result).toEqual({ index: 0, value: undefined });
    expect(heap.size).toBe(0);
  });

  test("removal keeps the heap ordered: random deadlines, half dropped, the rest wake in deadline order", async () => {
    const heap = new TimerHeap();
    const executor = new Executor();
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const woke: number[] = [];
    let kept = 0;
    const cx = new Context({ wake() {} });
    const tasks = [];
    for (let i = 0; i < 200; i++) {
      const ms = Math.floor(random() * 40);
      const sleep = heap.sleep(ms);
      if (i % 2 === 0) {
        expect(sleep.poll(cx)).toBe(PENDING);
        sleep.drop(cx);
      } else {
        kept++;
        tasks.push(
          task(function* () {
            yield sleep;
            woke.push(sleep.deadline);
          }),
        );
      }
    }
    await executor.run(join(tasks));
    // Deadlines count from each sleep's first poll, so the wake order is checked against them.
    expect(woke.length).toBe(kept);
    expect(woke).toEqual([...woke].sort((a, b) => a - b));
  });
});
