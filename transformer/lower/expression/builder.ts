/**
 * What the expression lowering asks of the CFG it writes into (`ExpressionBuilder`, provided by
 * lower/expression-hooks.ts), and the context its pieces share (`ExpressionLowering`).
 */
import type * as ts from "typescript";
import type { NotCompiledCode } from "../../not-compiled";
import type { RuntimeHelperName } from "../runtime-refs";

export interface ExpressionBuilder {
  tsApi: typeof ts;
  /** Suspends on `operand` (already lowered); returns the resume value (valid at the resume block's start). */
  suspend(operand: ts.Expression, at: ts.AwaitExpression | ts.YieldExpression): ts.Expression;
  /** Evaluates `value` now into a fresh temporary; returns an identifier for it. */
  toTemp(value: ts.Expression, what: string): ts.Identifier;
  /** Assigns `value` to an existing temporary (identifier from toTemp). */
  assignTemp(temp: ts.Identifier, value: ts.Expression): void;
  /** Runs `expr` now for its effects. */
  emitEffect(expr: ts.Expression): void;
  /** Ends the current block with a branch; returns [then, else, join] marks. */
  branch(test: ts.Expression): { whenTrue(): void; whenFalse(): void; join(): void };
  /** Is `id` a local the machine keeps in a register (its value cannot change unless this code writes it)? */
  isRegisterLocal(id: ts.Identifier): boolean;
  /** `pattern = value` where the pattern holds awaits: taken apart in native order; returns the value. */
  destructureAssignment(pattern: ts.Expression, value: ts.Expression): ts.Expression;
  /** A fresh identifier for the same local as `id` (a node may stand in one place only). */
  reference(id: ts.Identifier): ts.Identifier;
  /** Same binding? (for "does a later operand write this local") */
  sameLocal(a: ts.Identifier, b: ts.Identifier): boolean;
  /** A runtime helper (`$am.name`). */
  runtime(name: RuntimeHelperName): ts.Expression;
  /** Leaves the function native, for `code` (not-compiled.ts). */
  unsupported(node: ts.Node, code: NotCompiledCode, detail?: string): never;
  /** A broken invariant: an internal error, not a reason. */
  internalError(node: ts.Node, what: string): never;
  sourceText(node: ts.Node): string;
}

/** Shared by the pieces of the expression lowering (operands.ts, calls.ts, binary.ts, literals.ts, jsx.ts). */
export interface ExpressionLowering {
  readonly T: typeof ts;
  readonly F: ts.NodeFactory;
  readonly SK: typeof ts.SyntaxKind;
  readonly b: ExpressionBuilder;
  /** Lowers a sub-expression (the dispatcher, linearize-expression.ts). */
  lower(expr: ts.Expression): ts.Expression;
  /** Does `n` hold an await of the function being lowered? */
  has(n: ts.Node | undefined): boolean;
}
