/**
 * What scope analysis (scopes.ts) finds: bindings, scopes and per-function facts — plain data
 * the lowering and the emitter read.
 */
import type * as ts from "typescript";

export const enum BindingKind {
  Var,
  Let,
  Const,
  Param,
  Function,
  Class,
  CatchParam,
  Import,
  /** The name of a named function expression or class expression, bound inside it. */
  SelfName,
}

export interface Binding {
  readonly id: number;
  readonly name: string;
  readonly kind: BindingKind;
  /** The scope the binding lives in. */
  readonly scope: Scope;
  /** The identifiers that declare it (more than one for repeated `var`). */
  readonly declarations: ts.Identifier[];
  /** Every reference (not declarations). */
  readonly references: ts.Identifier[];
  /** True when a function other than the owner refers to it. */
  captured: boolean;
  /** True when some reference writes it (besides its declarations' initializers). */
  assigned: boolean;
}

export interface Scope {
  readonly id: number;
  /** The node that opens the scope: SourceFile, function-like, Block, loop, catch clause, case block, class. */
  readonly node: ts.Node;
  readonly parent: Scope | undefined;
  /** The function (or SourceFile) whose activation holds this scope's bindings. */
  readonly owner: ts.Node;
  readonly bindings: Map<string, Binding>;
}

export interface FunctionFacts {
  usesThis: boolean;
  usesArguments: boolean;
  usesSuper: boolean;
  usesNewTarget: boolean;
  /** A direct call `eval(…)` inside (not in nested functions). */
  usesDirectEval: boolean;
  usesWith: boolean;
  /** A `using` or `await using` declaration inside (not in nested functions). */
  usesUsing: boolean;
  /** Uses of `#private` names inside (nested functions included). */
  usesPrivateNames: boolean;
  /**
   * Names of functions declared in nested blocks, `if` clauses or case clauses that also set a
   * var of this function when their declaration is evaluated (sloppy code only, Annex B.3.3).
   */
  blockFunctionVars: string[];
}

export interface Scopes {
  /** Binding of each reference identifier (absent: a global or an unresolved name). */
  readonly refs: Map<ts.Identifier, Binding>;
  /** References that resolve to no binding of the file (globals). */
  readonly globals: Set<ts.Identifier>;
  /** Binding declared by each declaration identifier. */
  readonly decls: Map<ts.Identifier, Binding>;
  /** The scope each scope-opening node opens. */
  readonly scopeOf: Map<ts.Node, Scope>;
  readonly facts: Map<ts.Node, FunctionFacts>;
  readonly bindings: Binding[];
  /** Every identifier text in the file, for generating names that clash with nothing. */
  readonly allNames: Set<string>;
  /** The emitted file is strict whatever its source says (TypeScript's `alwaysStrict`). */
  readonly alwaysStrict: boolean;
}
