/**
 * `return`, `break` and `continue`, at the exploded level or inside a kept statement: a plain
 * goto, or — when they cross `finally` blocks or for…of loops (which close their iterator) —
 * a completion recorded in the innermost one and passed outward by each `end-finally`.
 */
import type * as ts from "typescript";
import { Completion, SuspendKind, TerminatorKind, type BlockId, type Terminator } from "./cfg";
import { isAsyncGenerator } from "../analyze/contains-await";
import type { JumpRewrite } from "./lowered-function";
import type { FinallyInfo, Lowering } from "./lowering";
import { lowerToResumeValue } from "./suspend";
import { internalError } from "../not-compiled";

/**
 * [source]  return x;            (inside try … finally, or a for…of)
 * [lowered] $ct = Return; $cv = x; goto finally   — else: return m.ret(x)
 */
export function lowerReturn(cx: Lowering, expr: ts.Expression | undefined): void {
  const { b, F } = cx;
  let value = expr ? lowerToResumeValue(cx, expr) : undefined;
  if (expr && value && isAsyncGenerator(cx.T, cx.fn)) {
    // [source]  return x;          (in an async generator: `return x` awaits x)
    // [lowered] .suspend[AwaitReturn] x → r;  r: (return completion) return $v through finally blocks
    // The driver's own `return x` awaits x; a rejection comes back as a throw at this state, a
    // fulfilment as a return completion, which runs the finally blocks from here.
    value = b.suspendAt(value, expr, F.createVoidZero(), expr.getText(cx.file), SuspendKind.AwaitReturn);
  }
  returnWith(cx, value);
}

/** `return value` from the current point: through the finally blocks around it, or the machine's end. */
export function returnWith(cx: Lowering, value: ts.Expression | undefined): void {
  const { b } = cx;
  const j = lowerReturnJump(cx, value);
  if (j.kind === "return") {
    b.terminate({ kind: TerminatorKind.Return, value: j.value, uses: j.value ? b.usesOf(j.value, new Set()) : new Set() });
    return;
  }
  emitJumpAssigns(cx, j);
  b.goto(j.target);
}
export function emitJumpAssigns(cx: Lowering, j: Extract<JumpRewrite, { kind: "goto" }>): void {
  const { F, b } = cx;
  for (const [local, v] of j.assigns) {
    const fin = cx.finallyByCompletion.get(local);
    if (fin && typeof v === "number" && v !== Completion.Return) b.emitCompletion(fin, v);
    else b.emitAssign(local, typeof v === "number" ? F.createNumericLiteral(v) : v);
  }
}
export function lowerReturnJump(cx: Lowering, value: ts.Expression | undefined): JumpRewrite {
  const { F } = cx;
  const fin = innermostFinally(cx);
  if (!fin) return { kind: "return", value };
  return {
    kind: "goto",
    assigns: [
      [fin.completion, Completion.Return],
      [fin.value, value ?? F.createVoidZero()],
    ],
    target: fin.entry,
  };
}
/** The finally (or for…of iterator close) a `return` lowered here goes through first, if any. */
export function innermostFinally(cx: Lowering): FinallyInfo | undefined {
  for (let i = cx.jumpStack.length - 1; i >= 0; i--) {
    const s = cx.jumpStack[i];
    if (s.kind === "finally") return s.fin;
    if (s.kind === "loop" && s.iterator) return s.iterator.fin;
  }
  return undefined;
}

/**
 * [source]  break L;  continue;
 * [lowered] goto target — or, crossing finally blocks F1 (inner) … Fn:
 *           $ct1 = Jump(target); goto F1;  F1's end: $ct2 = Jump(target); goto F2; … Fn's end: goto target
 */
export function lowerJump(cx: Lowering, node: ts.BreakStatement | ts.ContinueStatement): JumpRewrite {
  const { T } = cx;
  const isBreak = T.isBreakStatement(node);
  const label = node.label?.text;
  const crossed: FinallyInfo[] = [];
  for (let i = cx.jumpStack.length - 1; i >= 0; i--) {
    const s = cx.jumpStack[i];
    if (s.kind === "finally") {
      crossed.push(s.fin);
      continue;
    }
    const matches = label ? s.labels.includes(label) : isBreak ? s.kind === "loop" || s.kind === "switch" : s.kind === "loop";
    if (!matches || (!isBreak && s.kind !== "loop")) {
      if (s.kind === "loop" && s.iterator) crossed.push(s.iterator.fin);
      continue;
    }
    // A break out of a for…of closes its iterator; a continue does not.
    if (isBreak && s.kind === "loop" && s.iterator) crossed.push(s.iterator.fin);
    const target = isBreak ? s.breakTarget : (s as { continueTarget: BlockId }).continueTarget;
    if (crossed.length === 0) return { kind: "goto", assigns: [], target };
    const code = Completion.JumpBase + target;
    for (let k = 0; k < crossed.length; k++) {
      const next = crossed[k + 1];
      crossed[k].jumps.set(code, next ? { target: next.entry, completion: next.completion, value: next.value } : { target });
    }
    return { kind: "goto", assigns: [[crossed[0].completion, code]], target: crossed[0].entry };
  }
  return internalError(node, "jump target not found");
}

/** The end of a finally: resumes the completion that entered it (`next` for a normal one). */
export function endFinally(fin: FinallyInfo, next: BlockId): Terminator {
  return {
    kind: TerminatorKind.EndFinally,
    completion: fin.completion,
    value: fin.value,
    next,
    returnTo: fin.outer ? { block: fin.outer.entry, completion: fin.outer.completion, value: fin.outer.value } : undefined,
    jumps: fin.jumps,
  };
}
