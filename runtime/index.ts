/**
 * async-machine/runtime: what compiled code imports, and what programs use to drive and look at
 * machines. Promise mode (the default) lives in `machine.ts`; the poll-based executor, wakers
 * and futures live beside it.
 */
export { Machine, start, startMachine, states, DONE } from "./machine";
export type { Resume, StateEnum, CompletionListener } from "./machine";
export { TDZ, checkTdz, constAssign, getIterator, iteratorStep, iteratorClose, forInKeys, forInHas } from "./helpers";
export type { IteratorRecord } from "./helpers";
