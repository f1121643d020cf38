/**
 * What a poll-mode machine emits differently from a promise-mode one (README "Poll mode"):
 *
 * - the wrapper starts it with `$am.pollStartWithFrame` / `$am.pollStart` (the same arguments as
 *   `startWithFrame` / `start`), which return a lazy `PollMachine`;
 * - in the catch dispatch, a `catch` does not catch a cancellation: the runtime enters the resume
 *   function at the current await with `($am.CANCEL, true)`, and each case whose handler is a
 *   `catch` first sends `$am.CANCEL` where the nearest enclosing `finally` takes an exception,
 *   or rethrows it when no `finally` encloses the `catch`:
 *
 *       catch ($e) { switch ($l) {
 *         case 3: case 7:
 *           if ($e === $am.CANCEL) { $completion = 2; $completionValue = $e; $l = 5; continue $mc; }
 *           $error = $e; $l = 6; continue $mc;
 *
 * Nothing is added per await. The path skips the `catch` body only: the `finally` it reaches is
 * also reached through the `catch` body's own exception edge, so everything it reads is live at
 * the await already.
 */
import type * as ts from "typescript";
import { Completion, RegionKind, type Region } from "../lower/cfg";
import { runtimeMember, type EmitContext } from "./emit-context";
import { clearPendingGoto, gotoStatements } from "./jumps";
import { assignLocal } from "./local-access";

/** The runtime function the wrapper calls. */
export function startFunctionName(framed: boolean, poll: boolean): string {
  if (poll) return framed ? "pollStartWithFrame" : "pollStart";
  return framed ? "startWithFrame" : "start";
}

/** The cancellation check at the head of the dispatch case of region `r` (none in promise mode, or for a `finally`). */
export function cancelCheck(cx: EmitContext, r: Region): ts.Statement[] {
  if (!cx.input.poll || r.kind !== RegionKind.Catch) return [];
  const { F, cfg } = cx;
  let outer = r.parent;
  while (outer !== undefined && cfg.regions[outer].kind !== RegionKind.Finally) outer = cfg.regions[outer].parent;
  const err = F.createIdentifier(cx.own.error);
  const isCancel = F.createStrictEquality(F.createIdentifier(cx.own.error), runtimeMember(cx, "CANCEL"));
  if (outer === undefined) return [F.createIfStatement(isCancel, F.createThrowStatement(err))];
  const fin = cfg.regions[outer];
  const enter = [assignLocal(cx, fin.completion, F.createNumericLiteral(Completion.Throw)), assignLocal(cx, fin.value!, F.createIdentifier(cx.own.error))];
  if (cx.usage.pendingGoto) enter.push(clearPendingGoto(cx));
  return [F.createIfStatement(isCancel, F.createBlock([...enter, ...gotoStatements(cx, fin.handler, undefined)], /*multiLine*/ true))];
}
