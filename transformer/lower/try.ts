/**
 * `try`/`catch`/`finally` with an `await`: exception regions (cfg.ts `Region`) route a throw to
 * the catch or finally block; a finally ends with `end-finally`, which resumes the completion
 * that entered it (normal, return, throw, or a jump).
 */
import type * as ts from "typescript";
import { Completion, RegionKind, type Block, type LocalId, type RegionId } from "./cfg";
import { endFinally, innermostFinally } from "./jumps";
import type { FinallyInfo, Lowering } from "./lowering";
import { bindPattern } from "./patterns";
import { declareScope } from "./scope-locals";

/**
 * [source]  try { A } catch (e) { C } finally { F }
 * [lowered] A [region catch→C]: …; $ct = Normal; goto fin;
 *           C [region finally→fin]: e = $error; …; $ct = Normal; goto fin;
 *           fin: F; end-finally ($ct: Normal → exit, Return → outer finally or return,
 *                Throw → rethrow $cv, Jump(t) → t or the next finally out)
 */
export function lowerTry(cx: Lowering, node: ts.TryStatement): void {
  const { b } = cx;
  const outerRegion = b.region;
  const exit = b.newBlock();
  let fin: FinallyInfo | undefined;
  let finRegion: RegionId | undefined;
  if (node.finallyBlock) {
    const entry = b.newBlock();
    fin = { entry: entry.id, completion: b.newTemp("completion"), value: b.newTemp("completionValue"), jumps: new Map(), outer: innermostFinally(cx) };
    cx.finallyByCompletion.set(fin.completion, fin);
    finRegion = b.newRegion(RegionKind.Finally, entry.id, fin.completion, fin.value);
    b.region = finRegion;
    cx.jumpStack.push({ kind: "finally", fin });
  }
  const toFinallyOrExit = (): void => {
    if (fin) {
      b.emitCompletion(fin, Completion.Normal);
      b.goto(fin.entry);
    } else b.goto(exit);
  };
  let catchEntry: Block | undefined;
  let errorLocal: LocalId | undefined;
  if (node.catchClause) {
    catchEntry = b.newBlock(); // in the finally region (or outside)
    errorLocal = b.newTemp("error");
    b.region = b.newRegion(RegionKind.Catch, catchEntry.id, errorLocal, undefined);
  }
  const tryStart = b.newBlock();
  b.goto(tryStart);
  b.mark(tryStart);
  declareScope(cx, node.tryBlock, false);
  cx.lowerStatements(node.tryBlock.statements);
  toFinallyOrExit();
  if (node.catchClause) {
    b.region = finRegion ?? outerRegion;
    b.mark(catchEntry!);
    declareScope(cx, node.catchClause, false);
    const decl = node.catchClause.variableDeclaration;
    if (decl) bindPattern(cx, decl.name, b.identifierFor(errorLocal!));
    declareScope(cx, node.catchClause.block, false);
    cx.lowerStatements(node.catchClause.block.statements);
    toFinallyOrExit();
  }
  b.region = outerRegion;
  if (fin) {
    cx.jumpStack.pop();
    const entry = b.blocks[fin.entry];
    entry.region = outerRegion;
    b.mark(entry);
    declareScope(cx, node.finallyBlock!, false);
    cx.lowerStatements(node.finallyBlock!.statements);
    b.current.term = endFinally(fin, exit.id);
  }
  b.mark(exit);
}
