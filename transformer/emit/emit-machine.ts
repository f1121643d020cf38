/**
 * Emits the machine of one async function: the state enum, the resume function and the wrapper
 * that replaces the original function.
 *
 * In:  the lowered function (Cfg + how bindings became locals), its liveness and layout.
 * Out: TypeScript nodes:
 *
 *     var f$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitRead_L3", …]);
 *     function f(a) { return $am.start(f$resume, 2, f$State, this, arguments); }   // the wrapper
 *     function f$resume($m, $v, $t) {                                               // defined once
 *       let a, x;
 *       const $f = $m.f;                                   // the frame, read once per resume
 *       let $l = $m.s;
 *       $mc: for (;;) {
 *         try {                                            // only when the body has try/for…of
 *           switch ($l) {
 *             case 0 /* Unresumed *\/: a = $m.a[0]; …; $v = read(a); $f[0] = a; $m.s = 3;
 *                                     return $m.await($v);
 *             case 3 /* AwaitRead_L3 *\/: a = $f[0]; if ($t) throw $v; x = $v; …
 *           }
 *         } catch ($e) { switch ($l) { case …: $l = handler; continue $mc; } throw $e; }
 *       }
 *     }
 *
 * Block labels: the entry is 0 and the block resumed after suspend state k is k, so the resume
 * function starts with `$l = $m.s` and needs no table; other blocks are numbered after the states.
 * A goto to the block emitted next falls through (with `$l` updated for exception dispatch).
 * A machine with no jump back, no `try` and no kept jump has no loop and no `$l`: its resume
 * function is `switch ($m.s) { … }`, whose cases fall through or return.
 *
 * The passes, one file each:
 *
 *     createEmitContext  → shared state, own names, control-flow shape (emit-context.ts, control-flow.ts)
 *     planFrameSlots     → which stores and loads happen where (slot-plan.ts, frame-writes.ts)
 *     emitCase           → each case's code: kept code rewritten, terminators (emit-blocks.ts,
 *                          rewrite-kept-code.ts, checked-writes.ts, declaration-lists.ts, jumps.ts)
 *     assembleResume     → the dispatch loop, try/catch dispatch, resume function, state enum
 *                          (assemble-resume.ts)
 */
import type * as ts from "typescript";
import { createEmitContext, type EmitInput } from "./emit-context";
import { planFrameSlots } from "./slot-plan";
import { emitCase } from "./emit-blocks";
import { assembleResume } from "./assemble-resume";

export type { EmitInput, MachineNames } from "./emit-context";

export interface EmittedMachine {
  /** `var f$State = $am.states([...])` — module level; undefined in the production profile (profile.ts). */
  stateEnum: ts.Statement | undefined;
  /** `function f$resume($m, $v, $t) { … }` */
  resume: ts.FunctionDeclaration;
  /** The frame's length (the layout's `frameSize`, which the wrapper is given directly: emit/wrapper.ts). */
  frameSize: number;
  stateNames: string[];
}

export function emitMachine(input: EmitInput): EmittedMachine {
  const cx = createEmitContext(input);
  // Which frame stores and loads happen where (before any code is emitted: the cases read it).
  const slots = planFrameSlots(cx);
  // The cases, in switch order; each knows the case after it (a goto to it falls through).
  const order = cx.flow.caseOrder;
  const clauses = order.flatMap((block, i) => emitCase(cx, slots, block, order[i + 1]?.id));
  // The dispatch around them, as emitting the cases turned out to need it.
  const { stateEnum, resume } = assembleResume(cx, clauses);
  return { stateEnum, resume, frameSize: input.layout.frameSize, stateNames: [...cx.flow.stateNames] };
}
