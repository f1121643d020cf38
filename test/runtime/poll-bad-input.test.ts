/**
 * Scenario: misuse of poll-mode machines and tasks. Each gives a clear error or is a documented
 * no-op — never a hang.
 */
import { describe, expect, test } from "vitest";
import { Cancelled, Context, Executor, PENDING, exploreSeeds, SeedFailure, noopWaker, pollFn, run, spawn, type Waker } from "../../runtime/index";
import { macrotasks } from "./support";
import { catchOnly, count, fib, guarded, loop } from "./poll-shapes";

describe("bad input", () => {
  test("awaiting one machine from two tasks: the second gets a clear TypeError, the first its value", async () => {
    let resolve!: (v: number) => void;
    const shared = catchOnly(() => {}, new Promise<number>((r) => (resolve = r)));
    const first = spawn(pollFn((cx) => shared.poll(cx)));
    const second = spawn(pollFn((cx) => shared.poll(cx)));
    await expect(second).rejects.toThrow(/already being awaited by another task.*spawn it/);
    resolve(4);
    expect(await first).toBe(4);
  });

  test("then after another task started awaiting it: a clear TypeError", async () => {
    const m = catchOnly(() => {}, new Promise(() => {}));
    expect(m.poll(new Context(noopWaker))).toBe(PENDING);
    await expect(Promise.resolve(m)).rejects.toThrow(/already being awaited by a task/);
  });

  test("polling a finished machine returns its outcome again (as a settled promise does)", () => {
    const m = count(4);
    const cx = new Context(noopWaker);
    expect(m.poll(cx)).toBe(6);
    expect(m.poll(cx)).toBe(6);
    expect(m.poll(new Context({ wake() {} }))).toBe(6); // any poller, once finished
  });

  test("cancelling a finished task does nothing and returns false; its value stands", async () => {
    const task = spawn(fib(6));
    expect(await task).toBe(8);
    expect(task.cancel()).toBe(false);
    expect(await task).toBe(8);
    expect(task.isCancelled).toBe(false);
  });

  test("cancelling a finished machine does nothing", () => {
    const m = count(3);
    const cx = new Context(noopWaker);
    expect(m.poll(cx)).toBe(3);
    m.cancel();
    expect(m.poll(cx)).toBe(3);
  });

  test("a waker called after completion (or after cancellation) is a no-op", async () => {
    let saved: Waker | undefined;
    const task = spawn(
      guarded(
        () => {},
        pollFn((cx) => ((saved = cx.waker), PENDING)),
        null,
      ),
    );
    await macrotasks(1);
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(Cancelled);
    const polls = task.polls;
    saved!.wake();
    saved!.wake();
    await macrotasks(1);
    expect(task.polls).toBe(polls);
  });

  test("a machine that awaits itself: a TypeError instead of a hang", async () => {
    const holder: { m?: unknown } = {};
    const m = loop(
      () => {},
      () => pollFn((cx) => (holder.m as { poll(cx: Context): unknown }).poll(cx)),
    );
    holder.m = m;
    await expect(run(m)).rejects.toThrow(/awaits itself/);
  });

  test("taskBudget must be a positive integer", () => {
    expect(() => new Executor({ taskBudget: 0 })).toThrow(RangeError);
    expect(() => new Executor({ taskBudget: Infinity })).toThrow(RangeError);
  });
});

describe("exploreSeeds: deterministic schedules", () => {
  /** Two tasks append to a log; the test claims "a" always comes first, true only for some schedules. */
  async function racyBody(ex: Executor): Promise<void> {
    const log: string[] = [];
    const a = ex.spawn(pollFn(() => void log.push("a")));
    const b = ex.spawn(pollFn(() => void log.push("b")));
    await Promise.all([a.promise, b.promise]);
    if (log[0] !== "a") throw new Error(`b ran first: ${log.join(",")}`);
  }

  test("reports the first failing seed, and that seed replays the failure alone", async () => {
    const error = await exploreSeeds(racyBody, { seeds: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeedFailure);
    const seed = (error as SeedFailure).seed;
    expect((error as Error).message).toContain(`seed ${seed}`);
    expect((error as Error).message).toContain(`only: ${seed}`);
    // The same seed fails again, every time; the seeds before it pass.
    for (let i = 0; i < 3; i++) await expect(exploreSeeds(racyBody, { only: seed })).rejects.toBeInstanceOf(SeedFailure);
    if (seed > 0) await exploreSeeds(racyBody, { seeds: seed });
  });

  test("a body correct under every schedule passes all seeds", async () => {
    let runs = 0;
    await exploreSeeds(
      async (ex) => {
        runs++;
        expect(await ex.run(fib(8))).toBe(21);
      },
      { seeds: 20 },
    );
    expect(runs).toBe(20);
  });
});
