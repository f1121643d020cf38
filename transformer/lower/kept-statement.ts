/**
 * A statement without `await` is kept whole and runs natively. This records what the emitter
 * must still change in it: jumps that leave it, declarations of bindings that became locals.
 */
import type * as ts from "typescript";
import { boundNames } from "../analyze/scopes";
import { TerminatorKind, type BlockId, type LocalId } from "./cfg";
import { emitJumpAssigns, lowerJump, lowerReturn, lowerReturnJump } from "./jumps";
import type { JumpRewrite } from "./lowered-function";
import type { Lowering } from "./lowering";
import { lowerVariableList } from "./patterns";
import { Unsupported } from "../not-compiled";

/**
 * A statement without await runs whole. What the emitter changes in it: names of machine
 * locals, `var`/`let` declarations of hoisted bindings (become assignments), and jumps that
 * leave it (`return`, and `break`/`continue` to an exploded statement), recorded here.
 */
export function lowerKept(cx: Lowering, node: ts.Statement): void {
  const { T, F, b } = cx;
  if (T.isFunctionDeclaration(node) && cx.hoistedFunctions.has(node)) return;
  if (T.isEmptyStatement(node)) return;
  // A jump at the exploded level is a terminator (so what follows is known dead).
  if (T.isReturnStatement(node)) return lowerReturn(cx, node.expression);
  if (T.isBreakStatement(node) || T.isContinueStatement(node)) {
    const j = lowerJump(cx, node);
    if (j.kind === "goto") {
      emitJumpAssigns(cx, j);
      b.goto(j.target);
    }
    return;
  }
  if (T.isThrowStatement(node)) return b.terminate({ kind: TerminatorKind.Throw, value: node.expression, uses: b.usesOf(node.expression, new Set()) });
  if (T.isVariableStatement(node) && isHoistedDeclarationList(cx, node.declarationList)) return lowerVariableList(cx, node.declarationList);
  // TypeScript emits an enum as `let E; (function (E) {…})(E || (E = {}))` where it stands: inside
  // a `case` that `let` would shadow the machine's local for the whole switch. (An enum in a
  // block kept whole stays where it is.)
  if (T.isEnumDeclaration(node)) throw new Unsupported(node, "enum-in-split-list");
  if (T.isClassDeclaration(node) && node.name && b.localOf(node.name) !== undefined) {
    const local = b.localOf(node.name)!;
    b.emitOp(F.createExpressionStatement(F.createAssignment(b.identifierFor(local), node as unknown as ts.Expression)), b.defsIfRegister(local));
    return;
  }
  const exits: Array<{ block: BlockId; defs?: ReadonlySet<LocalId> }> = [];
  const exitOf = (j: JumpRewrite): void => {
    if (j.kind !== "goto") return;
    const fin = j.assigns.length > 0 ? cx.finallyByCompletion.get(j.assigns[0][0]) : undefined;
    exits.push({ block: j.target, defs: fin ? new Set([fin.completion, fin.value]) : undefined });
  };
  const walk = (n: ts.Node, loopDepth: number, switchDepth: number, innerLabels: string[], inFinallyTry: boolean): void => {
    if (T.isFunctionLike(n) || T.isClassLike(n)) return;
    const throughFinally = (j: JumpRewrite): JumpRewrite => (j.kind === "goto" && inFinallyTry ? { ...j, throughKeptFinally: true } : j);
    if (T.isReturnStatement(n)) {
      const j = throughFinally(lowerReturnJump(cx, n.expression));
      cx.jumpRewrites.set(n, j);
      exitOf(j);
    } else if (T.isBreakStatement(n) || T.isContinueStatement(n)) {
      const leaves = n.label ? !innerLabels.includes(n.label.text) : T.isBreakStatement(n) ? loopDepth + switchDepth === 0 : loopDepth === 0;
      if (leaves) {
        const j = throughFinally(lowerJump(cx, n));
        cx.jumpRewrites.set(n, j);
        exitOf(j);
      }
    }
    if (T.isLabeledStatement(n)) {
      T.forEachChild(n, (c) => walk(c, loopDepth, switchDepth, [...innerLabels, n.label.text], inFinallyTry));
      return;
    }
    if (T.isTryStatement(n) && n.finallyBlock) {
      walk(n.tryBlock, loopDepth, switchDepth, innerLabels, true);
      if (n.catchClause) walk(n.catchClause, loopDepth, switchDepth, innerLabels, true);
      walk(n.finallyBlock, loopDepth, switchDepth, innerLabels, inFinallyTry);
      return;
    }
    const isLoop = T.isIterationStatement(n, false);
    T.forEachChild(n, (c) => walk(c, loopDepth + (isLoop ? 1 : 0), switchDepth + (T.isSwitchStatement(n) ? 1 : 0), innerLabels, inFinallyTry));
  };
  // A kept statement that is itself a loop/switch owns its unlabeled break/continue.
  walk(node, 0, 0, [], false);
  b.emitOp(node, [], exits);
}
/** Declarations whose bindings are machine locals (the scope they live in was exploded). */
function isHoistedDeclarationList(cx: Lowering, list: ts.VariableDeclarationList): boolean {
  const { T, b } = cx;
  for (const d of list.declarations) for (const id of boundNames(T, d.name)) if (b.localOf(id) !== undefined) return true;
  return false;
}
