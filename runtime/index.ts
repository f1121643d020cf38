/**
 * async-machine/runtime: what programs use to drive and look at machines — futures, the
 * poll-based executor, wakers, leaf futures, combinators and inspection. What generated code
 * calls has its own entry, `async-machine/runtime/compiled` (compiled.ts); its names are
 * exported here too, so code compiled against this entry keeps working.
 *
 *     poll.ts         Poll<T> = T | PENDING
 *     future.ts       Future<T> { poll(cx): Poll<T> }
 *     waker.ts        Waker { wake() }            context.ts   Context { waker }
 *     task.ts         Task: flags, join handle    executor.ts  Executor, spawn, run
 *     ready-queue.ts  FIFO ring buffer            policy.ts    fifo | seeded random | custom
 *     leaf/           fromPromise, sleep, ready, pollFn
 *     channel.ts      Channel: values between tasks, recv() a future (no promise per message)
 *     combinators/    join, select, race, timeout, scope (cancel what they no longer need)
 *     poll/           poll mode: PollMachine (lazy, cancellable compiled calls), CANCEL/Cancelled, budget
 *     testing/        exploreSeeds: a test under many seeded schedules
 *     inspect/        task dumps, async stack traces, snapshot/restore (opt-in)
 */
import { startWithFrame } from "./compiled";
import { fastExports } from "./fast-exports";
import * as pollMachine from "./poll-machine";
import * as cancel from "./poll/cancel";

// What generated code calls (also its own entry, async-machine/runtime/compiled), loaded first.
export * from "./compiled";

// Poll mode for programs (generated code reaches pollStart, pollStartWithFrame and CANCEL through
// ./compiled).
export const PollMachine = pollMachine.PollMachine;
export type PollMachine<T = unknown> = pollMachine.PollMachine<T>;
export type { PollResume } from "./poll-machine";
export const Cancelled = cancel.Cancelled;
export type Cancelled = cancel.Cancelled;
export const isCancellation = cancel.isCancellation;
export { DEFAULT_TASK_BUDGET } from "./poll/budget";
export { asFuture } from "./as-future";

export { PENDING, isPending, isReady } from "./poll";
export type { Poll, Pending } from "./poll";
export type { Future, FutureLike, Output } from "./future";
export { intoFuture } from "./into-future";
export { noopWaker } from "./waker";
export type { Waker } from "./waker";
export { Context } from "./context";
export { Task } from "./task";
export type { Scheduler, TaskOwner } from "./task";
export { RingQueue } from "./ready-queue";
export type { ReadyQueue } from "./ready-queue";
export { createReadyQueue, RandomQueue, mulberry32 } from "./policy";
export type { SchedulingPolicy } from "./policy";
export { Executor, getDefaultExecutor, currentExecutor, spawn, run, DEFAULT_BUDGET, DEFAULT_SLOW_POLL_MS } from "./executor";
export type { ExecutorOptions, ExecutorStats, SpawnOptions } from "./executor";
export { PromiseFuture, fromPromise } from "./leaf/promise-future";
export { SleepFuture, sleep } from "./leaf/timer";
export { ReadyFuture, ready } from "./leaf/ready";
export { PollFn, pollFn } from "./leaf/poll-fn";
export { Channel, channel } from "./channel";
export { JoinFuture, join } from "./combinators/join";
export type { JoinOutput } from "./combinators/join";
export { SelectFuture, select } from "./combinators/select";
export type { Selected } from "./combinators/select";
export { RaceFuture, race } from "./combinators/race";
export { TimeoutFuture, TimeoutError, timeout } from "./combinators/timeout";
export { ScopeFuture, scope } from "./combinators/scope";
export type { Scope } from "./combinators/scope";
export { exploreSeeds, SeedFailure } from "./testing/explore-seeds";
export type { ExploreOptions } from "./testing/explore-seeds";
// Looking inside running machines: task dumps, async stack traces, snapshot/restore (opt-in).
export * from "./inspect";

// Generated code that imports this entry reads `$am.startWithFrame` at every call: the CommonJS
// exports object is rebuilt in fast mode (fast-exports.ts). Marked
// pure, with arguments free of effects: under an ES-module build (`module` undefined) the call
// does nothing, and a bundler drops it and fast-exports.ts with it.
/* @__PURE__ */ fastExports(() => (typeof module === "object" && module !== null ? module : undefined), "startWithFrame", startWithFrame);
