/**
 * The state one function's lowering shares between its pieces (statements.ts, loops.ts,
 * jumps.ts, try.ts, patterns.ts, scope-locals.ts): the CFG builder, the stack of jump targets,
 * and what the emitter is told about kept statements. One object, passed to every piece, so
 * what a piece reads and writes is named at each use (`cx.b.newBlock()`, `cx.jumpStack`).
 *
 * Statement and expression lowering call each other recursively (a loop body is statements, an
 * expression may destructure); they are reached through `lowerStatement` and `lowerExpression`
 * here, so the pieces import each other only downward.
 */
import type * as ts from "typescript";
import type { Scopes } from "../analyze/scopes";
import type { NameManager } from "../names";
import type { CfgBuilder } from "./cfg-builder";
import type { BlockId, JumpContinuation, LocalId } from "./cfg";
import type { JumpRewrite } from "./lowered-function";

/** What a `break`, `continue` or `return` lowered at this point can reach, innermost last. */
export type JumpScope =
  | { kind: "loop"; labels: string[]; breakTarget: BlockId; continueTarget: BlockId; iterator?: IteratorScope }
  | { kind: "label"; labels: string[]; breakTarget: BlockId }
  | { kind: "switch"; labels: string[]; breakTarget: BlockId }
  | { kind: "finally"; fin: FinallyInfo };

export interface FinallyInfo {
  entry: BlockId;
  completion: LocalId;
  value: LocalId;
  /** Terminator of the finally's end, filled in as jumps through it are lowered. */
  jumps: Map<number, JumpContinuation>;
  /** The finally enclosing this one, if any (for pending returns). */
  outer: FinallyInfo | undefined;
}

/** A for…of loop closes its iterator on abrupt exits: a finally of its own. */
export interface IteratorScope {
  fin: FinallyInfo;
}

export interface Lowering {
  readonly T: typeof ts;
  readonly F: ts.NodeFactory;
  readonly SK: typeof ts.SyntaxKind;
  /** The async function being lowered. */
  readonly fn: ts.FunctionLikeDeclaration;
  readonly file: ts.SourceFile;
  readonly scopes: Scopes;
  /** Names of the whole file (temporaries). */
  readonly names: NameManager;
  /**
   * Names of the function's locals: source names unless that would hide a name the body reads
   * from outside (or two hoisted bindings share a name): those get `_1`, `_2`….
   */
  readonly localNames: NameManager;
  readonly b: CfgBuilder;
  readonly jumpStack: JumpScope[];
  /** Labels waiting for the statement they label (`a: b: for …`). */
  pendingLabels: string[];
  readonly finallyByCompletion: Map<LocalId, FinallyInfo>;
  /** Jumps inside kept statements that leave them. */
  readonly jumpRewrites: Map<ts.Node, JumpRewrite>;
  /** Function declarations hoisted to their scope's entry as assignments. */
  readonly hoistedFunctions: Set<ts.Node>;
  /** Poll mode: a `for await` steps through `asyncIteratorNextPoll` (runtime/poll-generator.ts). */
  readonly poll: boolean;
  lowerStatement(node: ts.Statement): void;
  lowerStatements(statements: readonly ts.Statement[]): void;
  /** Lowers an expression that may hold awaits (linearize-expression.ts); returns what computes the rest. */
  lowerExpression(expr: ts.Expression): ts.Expression;
}
