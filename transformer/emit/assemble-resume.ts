/**
 * Assembles the resume function around its cases, and the state enum beside it:
 *
 *     function f$resume($m, $v, $t) {
 *       let a, x;                                  // registers
 *       const $f = $m.f;  let $l = $m.s;  let $g = -1;
 *       $mc: for (;;) {
 *         if ($g >= 0) { $l = $g; $g = -1; }       // only with jumps out of kept statements
 *         try { switch ($l) { …cases } }           // only with exception regions
 *         catch ($e) { switch ($l) { case …: $l = handler; continue $mc; } throw $e; }
 *       }
 *     }
 *
 * A machine whose blocks only fall through or return (no loop, no try, no kept jump) needs no
 * dispatch loop: its resume function is `switch ($m.s) { … }`, and the `$l` updates of its
 * fall-through gotos are dropped (only the loop head and a catch dispatch read `$l`).
 */
import type * as ts from "typescript";
import { isStrictCode } from "../analyze/scopes";
import { Completion, LocalStorage, RegionKind } from "../lower/cfg";
import { assignTo, machineMember, runtimeMember, type EmitContext } from "./emit-context";
import { assignLocal } from "./local-access";
import { clearPendingGoto, gotoStatements } from "./jumps";
import { cancelCheck } from "./poll-mode";
import { printOnFewLines } from "./single-line";

export interface AssembledMachine {
  /** Undefined in the production profile (profile.ts). */
  stateEnum: ts.Statement | undefined;
  resume: ts.FunctionDeclaration;
}

/** The resume function around `clauses` (in case order) and the state enum. Call after every case is emitted. */
export function assembleResume(cx: EmitContext, clauses: ts.CaseClause[]): AssembledMachine {
  const { T, F, cfg, usage } = cx;
  if (usage.backJumps === 0 && !usage.pendingGoto && cfg.regions.length === 0) {
    // The updates sit in the statement lists the emitter built (cases, blocks, ifs); user code is not walked.
    const dropUpdates = (n: ts.Node): ts.Node | undefined => {
      if (usage.labelUpdates.has(n)) return undefined;
      const built = T.isCaseBlock(n) || T.isCaseClause(n) || T.isDefaultClause(n) || T.isBlock(n) || T.isIfStatement(n);
      return built ? T.visitEachChild(n, dropUpdates, undefined) : n;
    };
    const straight = F.createSwitchStatement(machineMember(cx, "s"), T.visitNode(F.createCaseBlock(clauses), dropUpdates) as ts.CaseBlock);
    return finish(cx, [straight], /*loops*/ false);
  }
  let body: ts.Statement = F.createSwitchStatement(F.createIdentifier(cx.own.label), F.createCaseBlock(clauses));
  if (cfg.regions.length > 0) body = withCatchDispatch(cx, body);
  const loopBody: ts.Statement[] = [body];
  if (usage.pendingGoto) {
    // if ($g >= 0) { $l = $g; $g = -1; }
    const pending = F.createIdentifier(cx.own.pendingGoto);
    loopBody.unshift(
      F.createIfStatement(
        F.createGreaterThanEquals(pending, F.createNumericLiteral(0)),
        F.createBlock([assignTo(cx, cx.own.label, F.createIdentifier(cx.own.pendingGoto)), clearPendingGoto(cx)], /*multiLine*/ false),
      ),
    );
  }
  const loop = F.createLabeledStatement(cx.own.loop, F.createForStatement(undefined, undefined, undefined, F.createBlock(loopBody, /*multiLine*/ true)));
  return finish(cx, [loop], /*loops*/ true);
}

/** `try { body } catch ($e) { switch ($l) { case <labels of region r>: enter r's handler } throw $e; }` */
function withCatchDispatch(cx: EmitContext, body: ts.Statement): ts.Statement {
  const { F, cfg, flow } = cx;
  const byRegion = new Map<number, number[]>();
  for (const b of [...flow.caseOrder, ...cfg.blocks.filter((x) => flow.crossRegion.has(x.id))]) {
    if (b.region !== undefined) (byRegion.get(b.region) ?? byRegion.set(b.region, []).get(b.region)!).push(flow.label(b.id));
  }
  const dispatch: ts.CaseClause[] = [];
  for (const [regionId, labels] of byRegion) {
    const r = cfg.regions[regionId];
    const err = F.createIdentifier(cx.own.error);
    const enter =
      r.kind === RegionKind.Catch
        ? [...cancelCheck(cx, r), assignLocal(cx, r.completion, err)]
        : [assignLocal(cx, r.completion, F.createNumericLiteral(Completion.Throw)), assignLocal(cx, r.value!, err)];
    // An exception cancels a jump still pending from a kept statement (its finally threw).
    if (cx.usage.pendingGoto) enter.push(clearPendingGoto(cx));
    labels.forEach((l, k) => {
      const isLast = k === labels.length - 1;
      dispatch.push(F.createCaseClause(F.createNumericLiteral(l), isLast ? [...enter, ...gotoStatements(cx, r.handler, undefined)] : []));
    });
  }
  const rethrow = F.createThrowStatement(F.createIdentifier(cx.own.error));
  return F.createTryStatement(
    F.createBlock([body], /*multiLine*/ true),
    F.createCatchClause(cx.own.error, F.createBlock([F.createSwitchStatement(F.createIdentifier(cx.own.label), F.createCaseBlock(dispatch)), rethrow], /*multiLine*/ true)),
    undefined,
  );
}

/** The resume function around `dispatch`, with `let $l = $m.s` when the dispatch loops; and the state enum. */
function finish(cx: EmitContext, dispatch: ts.Statement[], loops: boolean): AssembledMachine {
  const { T, F, scopes, usage, own } = cx;
  const fn = cx.input.fn;
  const variableStatement = (name: string, init: ts.Expression, flags: ts.NodeFlags): ts.Statement =>
    F.createVariableStatement(undefined, F.createVariableDeclarationList([F.createVariableDeclaration(name, undefined, undefined, init)], flags));
  // (Temporaries may share a name in the production profile: emit/profile-names.ts.)
  const registers = [...new Set(cx.locals.filter((l) => l.storage === LocalStorage.Register).map((l) => l.name))].map((name) => F.createVariableDeclaration(name));
  if (usage.superMethod !== undefined) registers.push(F.createVariableDeclaration(usage.superMethod));
  const resumeBody: ts.Statement[] = [];
  // The body keeps its strictness wherever the resume function is placed (a class method's
  // resume sits outside the class; a function may be strict by its own directive) — said
  // again only where the file around it is not strict.
  if (isStrictCode(T, fn, scopes.alwaysStrict) && !isStrictCode(T, fn.getSourceFile(), scopes.alwaysStrict))
    resumeBody.push(F.createExpressionStatement(F.createStringLiteral("use strict")));
  if (registers.length) resumeBody.push(F.createVariableStatement(undefined, F.createVariableDeclarationList(registers, T.NodeFlags.Let)));
  resumeBody.push(...usage.hoisted);
  if (usage.frame) resumeBody.push(variableStatement(own.frame, machineMember(cx, "f"), T.NodeFlags.Const));
  if (loops) resumeBody.push(variableStatement(own.label, machineMember(cx, "s"), T.NodeFlags.Let));
  if (usage.pendingGoto) resumeBody.push(variableStatement(own.pendingGoto, F.createPrefixMinus(F.createNumericLiteral(1)), T.NodeFlags.Let));
  resumeBody.push(...dispatch);

  const params = [own.machine, own.value, own.isThrow].map((n) => F.createParameterDeclaration(undefined, undefined, n));
  let resume = F.createFunctionDeclaration(undefined, undefined, cx.input.machineNames.resume, undefined, params, undefined, F.createBlock(resumeBody, /*multiLine*/ true));
  T.setEmitFlags(resume, T.EmitFlags.None);
  if (cx.input.tscTransformsOutput !== false) markOwnNames(cx, resume);
  if (cx.input.production) resume = printOnFewLines(T, resume);

  const states = cx.input.machineNames.states;
  if (states === undefined) return { stateEnum: undefined, resume }; // the production profile
  const stateList = F.createArrayLiteralExpression(cx.flow.stateNames.map((s) => F.createStringLiteral(s)));
  const stateEnum = variableStatement(states, F.createCallExpression(runtimeMember(cx, "states"), undefined, [stateList]), T.NodeFlags.None);
  return { stateEnum, resume };
}

/**
 * Marks the identifiers the resume function binds itself — its parameters, registers and
 * dispatch variables, all synthesized here — as never substituted: TypeScript's module
 * transform otherwise asks, for each printed identifier, whether it names an import or an
 * export (a lookup that, per identifier, cost more than printing it). They cannot: they are
 * declared in the resume function. Identifiers of the original code are left as they are.
 */
function markOwnNames(cx: EmitContext, root: ts.Node): void {
  const { T, SK } = cx;
  const own = new Set(Object.values(cx.own));
  for (const l of cx.locals) if (l.storage === LocalStorage.Register) own.add(l.name);
  if (cx.usage.superMethod !== undefined) own.add(cx.usage.superMethod);
  // (setEmitFlags replaces the flags; the node's own are read where the API keeps them.)
  const mark = (n: ts.Node): void => void T.setEmitFlags(n, ((n as { emitNode?: { flags?: number } }).emitNode?.flags ?? 0) | T.EmitFlags.NoSubstitution);
  const synthesized = (n: ts.Node): boolean => n.pos === -1;
  const isOwn = (n: ts.Node): boolean => synthesized(n) && T.isIdentifier(n) && own.has(n.text);
  /** `$m.s`, `$f[0]`, `x` (a register): what the resume function's own code reads and writes. */
  const isOwnPlace = (n: ts.Node): boolean => isOwn(n) || (synthesized(n) && (T.isPropertyAccessExpression(n) || T.isElementAccessExpression(n)) && isOwn(n.expression));
  const walk = (n: ts.Node): void => {
    // A node as the parser made it holds only nodes the parser made: kept code left untouched.
    if ((n.flags & T.NodeFlags.Synthesized) === 0) return;
    if (T.isIdentifier(n)) {
      if (isOwn(n)) mark(n);
      return;
    }
    // Nested functions are kept code (and a nested machine was marked when it was emitted).
    if (T.isFunctionLike(n)) return;
    // A property name never names an import; `$m.ret(x)`, `$f[0] = x`, `$l = 3` are ours.
    if (T.isPropertyAccessExpression(n) && synthesized(n.name)) mark(n.name);
    else if (T.isCallExpression(n) && synthesized(n) && T.isPropertyAccessExpression(n.expression) && isOwn(n.expression.expression)) mark(n);
    else if (T.isBinaryExpression(n) && synthesized(n) && n.operatorToken.kind === SK.EqualsToken && isOwnPlace(n.left)) mark(n);
    T.forEachChild(n, walk);
  };
  T.forEachChild(root, walk);
}
