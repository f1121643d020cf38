/**
 * `for await (… of …)`: for…of's picture (loops.ts) with two suspends of its own — each step
 * awaits what `next()` returned, and an abrupt exit awaits what `return()` returned
 * (AsyncIteratorClose). Errors of `next()`, of its awaited result and of reading `done` and
 * `value` leave the loop without closing the iterator, as native; an abrupt exit of the body
 * (binding the value included) closes it through a finally of the loop's own.
 */
import type * as ts from "typescript";
import { Completion, RegionKind, TerminatorKind } from "./cfg";
import { endFinally, innermostFinally } from "./jumps";
import type { FinallyInfo, Lowering } from "./lowering";
import { bindLoopVariable, headDeadZone, lowerLoopBody } from "./loops";
import { declareScope } from "./scope-locals";

/**
 * [source]  for await (const x of xs) body
 * [lowered] $it = getAsyncIterator(xs);                    (poll mode: getAsyncIteratorPoll)
 *           head: .suspend asyncIteratorNext($it) → step;   (poll mode: asyncIteratorNextPoll, over a
 *                 poll-mode generator a future that steps it, which cancelling the consumer drops)
 *           step: $step = resumed; branch asyncIteratorDone($step) ? exit : next;
 *                 (poll mode: $step = asyncIteratorResultPoll($it, resumed): a step done at once
 *                 resumes in place with a primitive, its result in $it)
 *           next: $value = $step.value; goto body;
 *           body [region: close]: x = $value; …; goto head;
 *           close: (see lowerAsyncClose) end-finally;  exit:
 */
export function lowerForAwaitOf(cx: Lowering, node: ts.ForOfStatement, labels: string[]): void {
  const { F, b } = cx;
  const iter = b.newTemp("iterator");
  const step = b.newTemp("step");
  const value = b.newTemp("value");
  headDeadZone(cx, node);
  const iterable = cx.lowerExpression(node.expression);
  b.emitAssign(iter, b.runtimeCall(cx.poll ? "getAsyncIteratorPoll" : "getAsyncIterator", [iterable]));
  const head = b.newBlock();
  const next = b.newBlock();
  const exit = b.newBlock();
  const close = b.newBlock();
  const fin: FinallyInfo = { entry: close.id, completion: b.newTemp("completion"), value: b.newTemp("completionValue"), jumps: new Map(), outer: innermostFinally(cx) };
  cx.finallyByCompletion.set(fin.completion, fin);
  b.goto(head);
  b.mark(head);
  const resumed = b.suspendAt(
    b.runtimeCall(cx.poll ? "asyncIteratorNextPoll" : "asyncIteratorNext", [b.identifierFor(iter)]),
    node.awaitModifier!,
    F.createIdentifier("next"),
    `${node.expression.getText(cx.file)}.next()`,
  );
  b.emitAssign(step, cx.poll ? b.runtimeCall("asyncIteratorResultPoll", [b.identifierFor(iter), resumed]) : resumed);
  b.branchTo(b.runtimeCall("asyncIteratorDone", [b.identifierFor(step)]), exit.id, next.id);
  b.mark(next);
  b.emitAssign(value, F.createPropertyAccessExpression(b.identifierFor(step), "value"));
  const outerRegion = b.region;
  const reg = b.newRegion(RegionKind.Finally, close.id, fin.completion, fin.value);
  b.region = reg;
  const body = b.newBlock();
  b.region = outerRegion;
  b.goto(body);
  b.mark(body);
  b.region = reg;
  declareScope(cx, node, false);
  bindLoopVariable(cx, node.initializer, b.identifierFor(value));
  lowerLoopBody(cx, node.statement, labels, exit.id, head.id, { fin });
  b.region = outerRegion;
  // The body's normal end and `continue` go back to head without closing.
  b.goto(head);
  b.blocks[b.blocks.length - 1].region = outerRegion;
  b.mark(close);
  close.region = outerRegion;
  lowerAsyncClose(cx, node, iter, fin);
  b.current.term = endFinally(fin, exit.id);
  b.mark(exit);
}

/**
 * AsyncIteratorClose on the pending completion `$ct`:
 * [lowered] $ret = asyncIteratorReturn($it, $ct === Throw);      — $it itself: nothing to await
 *           (poll mode: asyncIteratorReturnPoll, over a poll-mode generator a future that runs its finally blocks)
 *           branch $ret !== $it ? wait : done;
 *           wait [region: catch → swallow]: .suspend $ret → got;  got: $ret = resumed; goto check;
 *           check: asyncIteratorReturnResult($ret, $ct === Throw); goto done;
 *           swallow: branch $ct === Throw ? done : rethrow;  rethrow: throw $error;
 *           done:  (the caller ends the finally here)
 * On a throw completion the loop's error wins over anything `return()` does; the await of its
 * result still happens (and takes its ticks), as native.
 */
function lowerAsyncClose(cx: Lowering, node: ts.ForOfStatement, iter: number, fin: FinallyInfo): void {
  const { F, b } = cx;
  const isThrow = (): ts.Expression => F.createStrictEquality(b.identifierFor(fin.completion), F.createNumericLiteral(Completion.Throw));
  const ret = b.newTemp("returned");
  const error = b.newTemp("error");
  const outerRegion = b.region;
  const done = b.newBlock();
  const swallow = b.newBlock();
  const check = b.newBlock();
  b.emitAssign(ret, b.runtimeCall(cx.poll ? "asyncIteratorReturnPoll" : "asyncIteratorReturn", [b.identifierFor(iter), isThrow()]));
  b.region = b.newRegion(RegionKind.Catch, swallow.id, error, undefined);
  const wait = b.newBlock();
  b.region = outerRegion;
  b.branchTo(F.createStrictInequality(b.identifierFor(ret), b.identifierFor(iter)), wait.id, done.id);
  b.mark(wait);
  b.region = wait.region;
  const resumed = b.suspendAt(b.identifierFor(ret), node.awaitModifier!, F.createIdentifier("return"), `${node.expression.getText(cx.file)}.return()`);
  b.emitAssign(ret, resumed);
  b.region = outerRegion;
  b.goto(check);
  b.mark(check);
  b.emitOp(F.createExpressionStatement(b.runtimeCall("asyncIteratorReturnResult", [b.identifierFor(ret), isThrow()])));
  b.goto(done);
  b.mark(swallow);
  const rethrow = b.newBlock();
  b.branchTo(isThrow(), done.id, rethrow.id);
  b.mark(rethrow);
  const thrown = b.identifierFor(error);
  b.terminate({ kind: TerminatorKind.Throw, value: thrown, uses: b.usesOf(thrown, new Set()) });
  b.mark(done);
}
