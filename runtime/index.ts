/**
 * async-machine/runtime: what compiled code imports, and what programs use to drive and look at
 * machines. Promise mode (the default) lives in `machine.ts`; the poll-based executor, wakers
 * and futures live beside it:
 *
 *     poll.ts         Poll<T> = T | PENDING
 *     future.ts       Future<T> { poll(cx): Poll<T> }
 *     waker.ts        Waker { wake() }            context.ts   Context { waker }
 *     task.ts         Task: flags, join handle    executor.ts  Executor, spawn, run/blockOn
 *     ready-queue.ts  FIFO ring buffer            policy.ts    fifo | seeded random | custom
 *     leaf/           fromPromise, sleep, ready, pollFn
 *     combinators/    join, select
 */
export { Machine, start, startWithFrame, startMachine, states, DONE } from "./machine";
export type { Resume, StateEnum, CompletionListener } from "./machine";
export { TDZ, checkTdz, constAssign, assignChecked, call, construct, strings, asyncFunction, parameterStore, requireDestructurable, toPropertyKey, objectRest, destructuringIterator, destructuringStep, destructuringRest, destructuringClose, getIterator, iteratorStep, iteratorClose, forInKeys, forInHas, restArguments } from "./helpers";
export type { IteratorRecord } from "./helpers";

export { PENDING, isPending, isReady } from "./poll";
export type { Poll, Pending } from "./poll";
export type { Future, Output } from "./future";
export { noopWaker } from "./waker";
export type { Waker } from "./waker";
export { Context } from "./context";
export { Task } from "./task";
export type { Scheduler } from "./task";
export { RingQueue } from "./ready-queue";
export type { ReadyQueue } from "./ready-queue";
export { createReadyQueue, RandomQueue, mulberry32 } from "./policy";
export type { SchedulingPolicy } from "./policy";
export { Executor, getDefaultExecutor, spawn, run, blockOn, DEFAULT_BUDGET, DEFAULT_SLOW_POLL_MS } from "./executor";
export type { ExecutorOptions, ExecutorStats } from "./executor";
export { PromiseFuture, fromPromise } from "./leaf/promise-future";
export { SleepFuture, sleep } from "./leaf/timer";
export { ReadyFuture, ready } from "./leaf/ready";
export { PollFn, pollFn } from "./leaf/poll-fn";
export { JoinFuture, join } from "./combinators/join";
export type { JoinOutput } from "./combinators/join";
export { SelectFuture, select } from "./combinators/select";
export type { Selected } from "./combinators/select";
// Looking inside running machines: task dumps, async stack traces, snapshot/restore (opt-in).
export * from "./inspect";
