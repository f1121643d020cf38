/**
 * Lowers the body of one async function into a control-flow graph (cfg.ts).
 *
 * In:  the function node, the file's scope analysis, a name manager.
 * Out: `LoweredFunction`: the Cfg plus what the emitter needs to print kept statements
 *      (which locals a source binding became, how a `break` inside a kept statement jumps).
 *
 * Only statements that hold an `await` are taken apart ("exploded", regenerator's word); every
 * other statement is kept whole as one op and runs natively, its own loops, closures and
 * per-iteration bindings included. Bindings of exploded scopes become locals of the machine.
 *
 * The pieces, each with the lowering picture of its statements before its case (TypeScript's
 * generators.ts style):
 *     cfg-builder.ts      blocks, ops, terminators, locals, regions (the vocabulary)
 *     lowering.ts         the state the pieces share (one object, `cx`)
 *     parameters.ts       the function's scope and parameters, at the entry
 *     statements.ts       the statement dispatcher, blocks, if, switch, labels, classes
 *     kept-statement.ts   statements without await: run whole, their exits recorded
 *     loops.ts            while, do, for, for…in, for…of
 *     jumps.ts            return, break, continue — through finally blocks
 *     try.ts              try / catch / finally
 *     patterns.ts         declarations and destructuring
 *     scope-locals.ts     bindings → locals, environment records, dead zones
 *     suspend.ts, expression-hooks.ts   awaits, and expressions (linearize-expression.ts)
 *     state-names.ts      names of the suspend states
 *
 * Unsupported input throws `Unsupported` (the function is then left native and reported).
 */
import type * as ts from "typescript";
import type { Scopes } from "../analyze/scopes";
import { NameManager } from "../names";
import { SuspendKind, TerminatorKind } from "./cfg";
import { isAsyncGenerator } from "../analyze/contains-await";
import { CfgBuilder } from "./cfg-builder";
import { createLowerExpression } from "./expression-hooks";
import { lowerReturn } from "./jumps";
import type { LoweredFunction } from "./lowered-function";
import type { Lowering } from "./lowering";
import { lowerParameters } from "./parameters";
import { namesFromOutside } from "./scope-locals";
import { lowerStatement } from "./statements";

export type { JumpRewrite, LoweredFunction } from "./lowered-function";

export function buildCfg(tsApi: typeof ts, fn: ts.FunctionLikeDeclaration, scopes: Scopes, names: NameManager, poll = false): LoweredFunction {
  const file = fn.getSourceFile();
  const b = new CfgBuilder(tsApi, scopes, names, file);
  const cx: Lowering = {
    T: tsApi,
    F: tsApi.factory,
    SK: tsApi.SyntaxKind,
    fn,
    file,
    scopes,
    names,
    localNames: new NameManager(namesFromOutside(tsApi, fn, scopes)),
    b,
    jumpStack: [],
    pendingLabels: [],
    finallyByCompletion: new Map(),
    jumpRewrites: new Map(),
    hoistedFunctions: new Set(),
    poll,
    lowerStatement: (node) => lowerStatement(cx, node),
    lowerStatements: (statements) => {
      for (const s of statements) lowerStatement(cx, s);
    },
    lowerExpression: (expr) => lowerExpression(expr),
  };
  const lowerExpression = createLowerExpression(cx);

  lowerParameters(cx);
  // An async generator binds its parameters at the call and runs its body from the first
  // `next()`: the machine stops at `Start` in between (runtime/async-generator.ts).
  if (isAsyncGenerator(tsApi, fn)) b.suspendAt(cx.F.createVoidZero(), fn, cx.F.createVoidZero(), "", SuspendKind.Start);
  const body = fn.body!;
  if (tsApi.isBlock(body)) {
    cx.lowerStatements(body.statements);
    // Falling off the end maps to the closing `}`, where native V8 pauses at the end of a body.
    b.terminate({ kind: TerminatorKind.Return, value: undefined, uses: new Set(), source: { pos: body.end - 1, end: body.end } });
  } else {
    lowerReturn(cx, body);
  }
  return {
    cfg: b.finish(),
    localOfBinding: b.localOfBinding,
    tempOfIdentifier: b.tempOfIdentifier,
    resumeValue: b.resumeValue,
    jumpRewrites: cx.jumpRewrites,
    hoistedFunctions: cx.hoistedFunctions,
    envFields: b.envFields,
    runtimeRefs: b.runtimeRefs,
  };
}
