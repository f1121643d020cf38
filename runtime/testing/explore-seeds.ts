/**
 * `exploreSeeds(body, options)`: runs a concurrent test under many schedules, deterministically
 * (the idea of loom and shuttle, with the executor's seeded random policy as the scheduler).
 *
 * Each run gets a fresh `Executor({ policy: "random", seed })`; the body spawns its tasks there
 * (or anywhere through `spawn`, `scope`, a poll-mode call's `then`: the executor is ambient
 * while it polls) and throws if something is wrong. The same seed and the same program give
 * the same interleaving on every run and machine, so the first failing seed is reported and
 * can be replayed alone:
 *
 *     await exploreSeeds(async (ex) => { … await ex.run(main()) … }, { seeds: 200 });
 *     // SeedFailure: failed under seed 37 (seeds 0..199); replay: exploreSeeds(body, { only: 37 })
 *     await exploreSeeds(body, { only: 37 });   // exactly that schedule, under a debugger
 *
 * `ASYNC_MACHINE_SEED=37` in the environment does the same as `{ only: 37 }` without editing
 * the test. The body's timers and promises are the host's; only the executor's choices are
 * seeded (what loom would call the model is the ready queue).
 */
import { Executor, type ExecutorOptions } from "../executor";

export interface ExploreOptions {
  /** How many seeds to try. Default 100. */
  seeds?: number;
  /** The first seed. Default 0. */
  first?: number;
  /** Run this seed only (a replay). */
  only?: number;
  /** Other executor options (budget, taskBudget, …). */
  executor?: Omit<ExecutorOptions, "policy" | "seed">;
}

/** A body failed under `seed`; `cause` is its error. */
export class SeedFailure extends Error {
  readonly seed: number;
  constructor(message: string, seed: number, cause: unknown) {
    super(message, { cause });
    this.seed = seed;
  }
}
Object.defineProperty(SeedFailure.prototype, "name", { value: "SeedFailure", writable: true, configurable: true });

/** Runs `body` once per seed; throws `SeedFailure` for the first seed whose run throws. */
export async function exploreSeeds(body: (executor: Executor, seed: number) => unknown, options: ExploreOptions = {}): Promise<void> {
  const fromEnv = typeof process === "object" && process.env?.ASYNC_MACHINE_SEED !== undefined ? Number(process.env.ASYNC_MACHINE_SEED) : undefined;
  const only = options.only ?? fromEnv;
  const first = only ?? options.first ?? 0;
  const count = only !== undefined ? 1 : (options.seeds ?? 100);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(count) || count < 1)
    throw new RangeError(`[async-machine] exploreSeeds: seeds must be a positive integer and the seeds integers, got first ${first}, seeds ${count}`);
  for (let seed = first; seed < first + count; seed++) {
    const executor = new Executor({ ...options.executor, policy: "random", seed });
    try {
      await body(executor, seed);
    } catch (error) {
      const range = count === 1 ? `seed ${seed}` : `seeds ${first}..${first + count - 1}`;
      const message = error instanceof Error ? error.message : String(error);
      throw new SeedFailure(`failed under seed ${seed} (${range}): ${message}\n  replay: exploreSeeds(body, { only: ${seed} }) or ASYNC_MACHINE_SEED=${seed}`, seed, error);
    }
  }
}
