/**
 * async-machine/runtime/compiled: what generated code calls, and nothing else. Programs use
 * `async-machine/runtime` (futures, the executor, combinators, inspection); compiled code
 * reaches this entry through the import the transform adds (`$am.start(…)`).
 *
 *     machine.ts   Machine, start / startWithFrame / startMachine, states (promise mode)
 *     poll/        pollStart / pollStartWithFrame, CANCEL (poll mode)
 *     async-iteration.ts  the async iteration protocol of `for await` (GetIterator async, AsyncIteratorClose)
 *     async-generator.ts  async generators: the native generator a machine runs in, the function's shape
 *     helpers.ts   the pieces of statements a machine takes apart: for…of / for…in, destructuring,
 *                  temporal dead zone checks, calls whose arguments awaited
 */
import * as machine from "./machine";
import * as helpers from "./helpers";
import * as asyncIteration from "./async-iteration";
import * as asyncGenerator from "./async-generator";
import * as pollMachine from "./poll-machine";
import * as cancel from "./poll/cancel";
import * as pollGenerator from "./poll-generator";
import { fastExports } from "./fast-exports";

// Exported as plain values, not re-exported: a CommonJS re-export is a getter, and `$am.start(…)`
// would call it on every call of every compiled function.
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
export const callArgs = helpers.callArgs;
export const superCallee = helpers.superCallee;
export const constructArgs = helpers.constructArgs;
export const reflectApply = helpers.reflectApply;
export const reflectConstruct = helpers.reflectConstruct;
export const strings = helpers.strings;
export const asyncFunction = helpers.asyncFunction;
export const asyncMethods = helpers.asyncMethods;
export const named = helpers.named;
export const parameterStore = helpers.parameterStore;
export const requireDestructurable = helpers.requireDestructurable;
export const toPropertyKey = helpers.toPropertyKey;
export const objectRest = helpers.objectRest;
export const spilled = helpers.spilled;
export const spreadable = helpers.spreadable;
export const checkedTarget = helpers.checkedTarget;
export const destructuringIterator = helpers.destructuringIterator;
export const destructuringStep = helpers.destructuringStep;
export const destructuringRest = helpers.destructuringRest;
export const destructuringClose = helpers.destructuringClose;
export const getIterator = helpers.getIterator;
export const iteratorStep = helpers.iteratorStep;
export const iteratorClose = helpers.iteratorClose;
export const getAsyncIterator = asyncIteration.getAsyncIterator;
export const asyncIteratorNext = asyncIteration.asyncIteratorNext;
export const asyncIteratorDone = asyncIteration.asyncIteratorDone;
export const asyncIteratorReturn = asyncIteration.asyncIteratorReturn;
export const asyncIteratorReturnResult = asyncIteration.asyncIteratorReturnResult;
export const startGenerator = asyncGenerator.startGenerator;
export const startGeneratorWithArguments = asyncGenerator.startGeneratorWithArguments;
export const asyncGeneratorFunction = asyncGenerator.asyncGeneratorFunction;
export const forInStart = helpers.forInStart;
export const forInNext = helpers.forInNext;
export const restArguments = helpers.restArguments;
export type { IteratorRecord } from "./helpers";
// Poll mode: the start helpers of a poll-mode function (the same arguments as start /
// startWithFrame), the cancellation signal its catch dispatch compares with, and the test of an
// await that continues in place (`if ($am.inPlace($v)) …`, emit/poll-mode.ts).
export const pollStart = pollMachine.pollStart;
export const pollStartWithFrame = pollMachine.pollStartWithFrame;
export const CANCEL = cancel.CANCEL;
export const inPlace = pollMachine.inPlace;
// A poll-mode async generator's wrapper, and a poll-mode `for await`'s iterator, step and exit (poll-generator.ts).
export const pollStartGenerator = pollGenerator.pollStartGenerator;
export const pollStartGeneratorWithArguments = pollGenerator.pollStartGeneratorWithArguments;
export const getAsyncIteratorPoll = pollGenerator.getAsyncIteratorPoll;
export const asyncIteratorNextPoll = pollGenerator.asyncIteratorNextPoll;
export const asyncIteratorResultPoll = pollGenerator.asyncIteratorResultPoll;
export const asyncIteratorReturnPoll = pollGenerator.asyncIteratorReturnPoll;

// Marked pure, with arguments free of effects: under an ES-module build (`module` undefined) the
// call does nothing, and a bundler drops it and fast-exports.ts with it.
/* @__PURE__ */ fastExports(() => (typeof module === "object" && module !== null ? module : undefined), "startWithFrame", startWithFrame);
