/**
 * What every part of emitting one machine shares, in one explicit object: the input (lowered
 * function, layout, names), the names of the resume function's own variables, the control-flow
 * shape (control-flow.ts), and what emission has used so far (a pending goto, a back jump, the
 * frame, hoisted declarations) — which decides how the resume function is assembled at the end.
 *
 * Also the smallest builders everything uses: `$am.x`, `$m.x`, `$f[i] /* name *\/`, a numeric
 * literal with a comment.
 */
import type * as ts from "typescript";
import type { Binding, Scopes } from "../analyze/scopes";
import type { Liveness } from "../analyze/liveness";
import type { StateLayout } from "../layout/state-layout";
import type { Cfg, Local } from "../lower/cfg";
import type { LoweredFunction } from "../lower/lowered-function";
import type { NameManager } from "../names";
import { planControlFlow, type ControlFlow } from "./control-flow";

export interface MachineNames {
  /** The runtime namespace identifier (`$am`). */
  runtime: string;
  resume: string;
  /** The state enum's variable; undefined in the production profile, which has none (profile.ts). */
  states: string | undefined;
}

/** Rewrites a nested async function met inside kept code (see FunctionContext.transformNested). */
export type TransformNested = (
  node: ts.FunctionLikeDeclaration,
  rewriteOuter: (n: ts.Node) => ts.Node,
  hoist: (s: ts.Statement) => void,
  isOuterLocal: (b: Binding) => boolean,
) => ts.Node | undefined;

export interface EmitInput {
  tsApi: typeof ts;
  fn: ts.FunctionLikeDeclaration;
  scopes: Scopes;
  lowered: LoweredFunction;
  liveness: Liveness;
  layout: StateLayout;
  names: NameManager;
  machineNames: MachineNames;
  transformNested: TransformNested;
  /**
   * The function is an arrow: `arguments` and `new.target` in its body are the enclosing
   * function's, which the wrapper passes to the machine (`$m.o`, `$m.n`). Otherwise `arguments`
   * is the machine's `$m.a` and `new.target` is `undefined` (an async function is never constructed).
   */
  isArrow: boolean;
  /** The wrapper passes this many parameters in the frame (`$f[i]`) rather than in `$m.a`. */
  paramsInFrame: number | undefined;
  /** Poll mode (emit/poll-mode.ts): a `catch` lets a cancellation through. */
  poll?: boolean;
  /** The production profile (profile.ts): no comments naming states and slots. */
  production?: boolean;
  /**
   * TypeScript's emit transforms the output next (the tsc plugin): the resume function's own
   * identifiers are marked as never substituted (assemble-resume.ts). False when it is printed
   * as it is (`transform()`). Default true.
   */
  tscTransformsOutput?: boolean;
}

/** The identifiers the resume function declares for itself. */
export interface OwnNames {
  /** The machine (`$m`), the resumed value (`$v`), whether it is thrown in (`$t`): the parameters. */
  machine: string;
  value: string;
  isThrow: string;
  /** The label of the block to run (`$l`), the caught exception (`$e`), the dispatch loop (`$mc`). */
  label: string;
  error: string;
  loop: string;
  /** A jump out of a kept `try … finally` takes effect at the loop head (`$g`, see JumpRewrite). */
  pendingGoto: string;
  /** The frame, read once per resume (`const $f = $m.f;`). */
  frame: string;
}

/** What emission has used so far; read when the resume function is assembled. */
export interface EmitUsage {
  /** A jump went through `$g`. */
  pendingGoto: boolean;
  /** How many pending-goto jumps were emitted so far (to see which kept statements have one). */
  pendingJumps: number;
  /** `continue $mc` statements emitted: without any (and without try or kept jumps) there is no loop. */
  backJumps: number;
  /** The `$l = label;` of gotos that fall through: dead when there is no loop. */
  readonly labelUpdates: Set<ts.Node>;
  /** `$f` was read or written. */
  frame: boolean;
  /** Depth of closures wrapped to keep their environment records (inside one, none is wrapped again). */
  envBound: number;
  /** Declarations nested machines need at the top of this resume function. */
  readonly hoisted: ts.Statement[];
  /** Per nested function of kept code being rewritten (innermost last): the key holders its body declares (method-shape.ts). */
  readonly keyHolders: string[][];
  /** The register a `super.m(args)` in kept code holds the method in (`$super`), once one is emitted. */
  superMethod?: string;
}

export interface EmitContext {
  readonly input: EmitInput;
  readonly T: typeof ts;
  readonly F: ts.NodeFactory;
  readonly SK: typeof ts.SyntaxKind;
  readonly lowered: LoweredFunction;
  readonly cfg: Cfg;
  readonly locals: readonly Local[];
  readonly layout: StateLayout;
  readonly scopes: Scopes;
  readonly own: OwnNames;
  readonly flow: ControlFlow;
  readonly usage: EmitUsage;
}

export function createEmitContext(input: EmitInput): EmitContext {
  const T = input.tsApi;
  const { names } = input;
  // (Claimed in this order: the names a file's machines get depend on it.)
  const [machine, value, isThrow, label, error, loop, pendingGoto, frame] = ["$m", "$v", "$t", "$l", "$e", "$mc", "$g", "$f"].map((n) => names.claim(n));
  const cfg = input.lowered.cfg;
  return {
    input,
    T,
    F: T.factory,
    SK: T.SyntaxKind,
    lowered: input.lowered,
    cfg,
    locals: cfg.locals,
    layout: input.layout,
    scopes: input.scopes,
    own: { machine, value, isThrow, label, error, loop, pendingGoto, frame },
    flow: planControlFlow(cfg),
    usage: { pendingGoto: false, pendingJumps: 0, backJumps: 0, labelUpdates: new Set(), frame: false, envBound: 0, hoisted: [], keyHolders: [] },
  };
}

/** `$am.member` */
export function runtimeMember(cx: EmitContext, member: string): ts.Expression {
  return cx.F.createPropertyAccessExpression(cx.F.createIdentifier(cx.input.machineNames.runtime), member);
}

/** `$m.member` */
export function machineMember(cx: EmitContext, member: string): ts.Expression {
  return cx.F.createPropertyAccessExpression(cx.F.createIdentifier(cx.own.machine), member);
}

/**
 * `$f`: the frame, read once per resume (`const $f = $m.f;`). Nothing replaces a machine's frame
 * while its resume function runs, and one load beats one per access (V8 does not reuse `$m.f`
 * across a try/catch: workload D paid 73 instructions per iteration for the reloads).
 */
export function frame(cx: EmitContext): ts.Expression {
  cx.usage.frame = true;
  return cx.F.createIdentifier(cx.own.frame);
}

/** `$f[offset] /* comment *\/` (no comment: `$f[offset]`) */
export function frameSlot(cx: EmitContext, offset: number, comment?: string): ts.Expression {
  const slot = cx.F.createElementAccessExpression(frame(cx), cx.F.createNumericLiteral(offset));
  return comment === undefined ? slot : withComment(cx, slot, comment);
}

/** `n /* comment *\/` */
export function commented(cx: EmitContext, n: number, comment: string): ts.Expression {
  return withComment(cx, cx.F.createNumericLiteral(n), comment);
}

/** `node /* comment *\/`; in the production profile, `node` alone. */
export function withComment<N extends ts.Node>(cx: EmitContext, node: N, comment: string): N {
  return cx.input.production ? node : cx.T.addSyntheticTrailingComment(node, cx.SK.MultiLineCommentTrivia, ` ${comment} `, /*hasTrailingNewLine*/ false);
}

/** `name = value;` */
export function assignTo(cx: EmitContext, name: string, value: ts.Expression): ts.Statement {
  return cx.F.createExpressionStatement(cx.F.createAssignment(cx.F.createIdentifier(name), value));
}
