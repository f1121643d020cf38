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
 *     channel.ts      Channel: values between tasks, recv() a future (no promise per message)
 *     combinators/    join, select, race, timeout, scope (cancel what they no longer need)
 *     poll/           poll mode: PollMachine (lazy, cancellable compiled calls), CANCEL/Cancelled, budget
 *     testing/        exploreSeeds: a test under many seeded schedules
 */
import * as machine from "./machine";
import * as helpers from "./helpers";
import * as pollMachine from "./poll/poll-machine";
import * as cancel from "./poll/cancel";

// What generated code calls is exported as plain values, not re-exported: a CommonJS re-export
// is a getter, and `$am.start(…)` would call it on every call of every compiled function. (The
// exports object itself is rebuilt in fast mode at the end of this file.)
export const Machine = machine.Machine;
export type Machine = machine.Machine;
export const start = machine.start;
export const startWithFrame = machine.startWithFrame;
export const startMachine = machine.startMachine;
export const states = machine.states;
export const DONE = machine.DONE;
export type { Resume, StateEnum, CompletionListener } from "./machine";
export const TDZ = helpers.TDZ;
export const checkTdz = helpers.checkTdz;
export const constAssign = helpers.constAssign;
export const assignChecked = helpers.assignChecked;
export const call = helpers.call;
export const construct = helpers.construct;
export const strings = helpers.strings;
export const asyncFunction = helpers.asyncFunction;
export const parameterStore = helpers.parameterStore;
export const requireDestructurable = helpers.requireDestructurable;
export const toPropertyKey = helpers.toPropertyKey;
export const objectRest = helpers.objectRest;
export const spilled = helpers.spilled;
export const checkedTarget = helpers.checkedTarget;
export const destructuringIterator = helpers.destructuringIterator;
export const destructuringStep = helpers.destructuringStep;
export const destructuringRest = helpers.destructuringRest;
export const destructuringClose = helpers.destructuringClose;
export const getIterator = helpers.getIterator;
export const iteratorStep = helpers.iteratorStep;
export const iteratorClose = helpers.iteratorClose;
export const forInKeys = helpers.forInKeys;
export const forInHas = helpers.forInHas;
export const restArguments = helpers.restArguments;
export type { IteratorRecord } from "./helpers";

// Poll mode: what generated poll-mode code calls (the same arguments as start/startWithFrame),
// and the cancellation signal its catch dispatch compares with (runtime/poll/poll-machine.ts).
export const pollStart = pollMachine.pollStart;
export const pollStartWithFrame = pollMachine.pollStartWithFrame;
export const PollMachine = pollMachine.PollMachine;
export type PollMachine<T = unknown> = pollMachine.PollMachine<T>;
export type { PollResume } from "./poll/poll-machine";
export const CANCEL = cancel.CANCEL;
export const Cancelled = cancel.Cancelled;
export type Cancelled = cancel.Cancelled;
export const isCancellation = cancel.isCancellation;
export { DEFAULT_TASK_BUDGET } from "./poll/budget";

export { PENDING, isPending, isReady } from "./poll";
export type { Poll, Pending } from "./poll";
export type { Future, Output } from "./future";
export { noopWaker } from "./waker";
export type { Waker } from "./waker";
export { Context } from "./context";
export { Task } from "./task";
export type { Scheduler, TaskOwner } from "./task";
export { RingQueue } from "./ready-queue";
export type { ReadyQueue } from "./ready-queue";
export { createReadyQueue, RandomQueue, mulberry32 } from "./policy";
export type { SchedulingPolicy } from "./policy";
export { Executor, getDefaultExecutor, currentExecutor, spawn, run, blockOn, DEFAULT_BUDGET, DEFAULT_SLOW_POLL_MS } from "./executor";
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

// Generated code reads the runtime through this module's exports object at every call of a
// compiled function (`$am.startWithFrame(…)`). CommonJS builds that object one property at a time,
// many of them re-export accessors, so V8 keeps it in dictionary mode and every such read is a
// hash lookup (benchmark C: 85 instructions per call). Where this file runs as CommonJS, its
// exports are replaced by a copy made in one go: the same names and values as plain data
// properties, in fast mode. (The runtime's values never change after loading, so nothing live is
// lost; `__esModule` keeps TypeScript's and Node's ES-module interop working.) The module is
// reached through a local name: Node finds the named exports an ES module may import by scanning
// this file's text, and a literal `module.exports =` would make it drop the `export *` names.
const commonJsModule = typeof module === "object" && module !== null ? module : undefined;
if (commonJsModule !== undefined && commonJsModule.exports !== null && typeof commonJsModule.exports === "object" && (commonJsModule.exports as Record<string, unknown>).startWithFrame === startWithFrame) {
  const current = commonJsModule.exports as Record<string, unknown>;
  commonJsModule.exports = Object.defineProperty(Object.fromEntries(Object.keys(current).map((key) => [key, current[key]])), "__esModule", { value: true });
}
