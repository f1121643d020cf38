/**
 * The tables scope analysis fills in as it walks a file (scopes.ts), and the vocabulary it fills
 * them with: open a scope, declare a name or pattern in it, hoist `var`s, resolve a reference,
 * note a fact on the functions around a use.
 */
import type * as ts from "typescript";
import { BindingKind, type Binding, type FunctionFacts, type Scope, type Scopes } from "./scope-types";
import { forEachDescendant } from "../syntax";

export class ScopeTable {
  readonly SK: typeof ts.SyntaxKind;
  readonly refs = new Map<ts.Identifier, Binding>();
  readonly globals = new Set<ts.Identifier>();
  readonly decls = new Map<ts.Identifier, Binding>();
  readonly scopeOf = new Map<ts.Node, Scope>();
  readonly facts = new Map<ts.Node, FunctionFacts>();
  readonly bindings: Binding[] = [];
  readonly allNames = new Set<string>();
  private scopeCount = 0;

  constructor(readonly T: typeof ts) {
    this.SK = T.SyntaxKind;
  }

  /** The finished analysis. */
  result(alwaysStrict: boolean): Scopes {
    return { refs: this.refs, globals: this.globals, decls: this.decls, scopeOf: this.scopeOf, facts: this.facts, bindings: this.bindings, allNames: this.allNames, alwaysStrict };
  }

  newScope(node: ts.Node, parent: Scope | undefined, owner: ts.Node): Scope {
    const scope: Scope = { id: this.scopeCount++, node, parent, owner, bindings: new Map() };
    this.scopeOf.set(node, scope);
    return scope;
  }

  declare(scope: Scope, id: ts.Identifier, kind: BindingKind): void {
    const name = id.text;
    let binding = scope.bindings.get(name);
    if (!binding) {
      binding = { id: this.bindings.length, name, kind, scope, declarations: [], references: [], captured: false, assigned: false };
      this.bindings.push(binding);
      scope.bindings.set(name, binding);
    }
    binding.declarations.push(id);
    this.decls.set(id, binding);
  }

  declarePattern(scope: Scope, name: ts.BindingName, kind: BindingKind): void {
    const T = this.T;
    if (T.isIdentifier(name)) {
      this.declare(scope, name, kind);
      return;
    }
    for (const element of name.elements) {
      if (T.isBindingElement(element)) this.declarePattern(scope, element.name, kind);
    }
  }

  /** Hoists `var` declarations (and nothing else) found in `node`, not crossing functions. */
  hoistVars(node: ts.Node, target: Scope): void {
    const T = this.T;
    forEachDescendant(T, node, (n) => {
      if (T.isFunctionLike(n) || T.isClassLike(n)) return false;
      if (T.isVariableDeclarationList(n) && !(n.flags & (T.NodeFlags.Let | T.NodeFlags.Const | T.NodeFlags.Using | T.NodeFlags.AwaitUsing))) {
        for (const d of n.declarations) this.declarePattern(target, d.name, BindingKind.Var);
      }
      return true;
    });
  }

  /**
   * `catch (e) { var e = 1; }`: the `var` is hoisted to the function, but its initializer (or a
   * `for (var e in …)` head) writes the catch parameter (ECMA-262 Annex B, "VariableStatements in Catch Blocks"). Such a declaration
   * names the parameter's binding; an inner catch of the same name takes over its own block.
   */
  varsNamingCatchParam(block: ts.Block, param: Binding): void {
    const T = this.T;
    forEachDescendant(T, block, (n) => {
      if (T.isFunctionLike(n) || T.isClassLike(n)) return false;
      if (T.isCatchClause(n) && n.variableDeclaration && T.isIdentifier(n.variableDeclaration.name) && n.variableDeclaration.name.text === param.name) return false;
      if (
        T.isVariableDeclaration(n) &&
        T.isIdentifier(n.name) &&
        n.name.text === param.name &&
        T.isVariableDeclarationList(n.parent) &&
        !(n.parent.flags & T.NodeFlags.BlockScoped)
      ) {
        this.decls.set(n.name, param);
        param.assigned = true;
      }
      return true;
    });
  }

  /** Declares the block-scoped declarations directly in a statement list. */
  declareLexical(statements: readonly ts.Statement[], scope: Scope): void {
    const T = this.T;
    for (const s of statements) {
      if (T.isVariableStatement(s) && s.declarationList.flags & (T.NodeFlags.Let | T.NodeFlags.Const)) {
        const kind = s.declarationList.flags & T.NodeFlags.Const ? BindingKind.Const : BindingKind.Let;
        for (const d of s.declarationList.declarations) this.declarePattern(scope, d.name, kind);
      } else if (T.isFunctionDeclaration(s) && s.name && s.body) {
        this.declare(scope, s.name, BindingKind.Function);
      } else if (T.isClassDeclaration(s) && s.name) {
        this.declare(scope, s.name, BindingKind.Class);
      } else if (T.isImportDeclaration(s) && s.importClause && !s.importClause.isTypeOnly) {
        const c = s.importClause;
        if (c.name) this.declare(scope, c.name, BindingKind.Import);
        const nb = c.namedBindings;
        if (nb && T.isNamespaceImport(nb)) this.declare(scope, nb.name, BindingKind.Import);
        else if (nb) for (const el of nb.elements) if (!el.isTypeOnly) this.declare(scope, el.name, BindingKind.Import);
      } else if (T.isImportEqualsDeclaration(s)) {
        this.declare(scope, s.name, BindingKind.Import);
      } else if (T.isEnumDeclaration(s) || (T.isModuleDeclaration(s) && T.isIdentifier(s.name))) {
        this.declare(scope, s.name as ts.Identifier, BindingKind.Var);
      }
    }
  }

  /** The binding `name` refers to from `scope`, innermost first; undefined for a global. */
  resolve(scope: Scope, name: string): Binding | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const b = s.bindings.get(name);
      if (b) return b;
      // The var of a block-level function (Annex B.3.3) exists from the function's entry; it is
      // made on the first reference that reaches it, so that an unread one changes nothing.
      const annexB = s.node === s.owner ? this.facts.get(s.owner)?.blockFunctionVars : undefined;
      if (annexB?.includes(name)) {
        const binding: Binding = { id: this.bindings.length, name, kind: BindingKind.Var, scope: s, declarations: [], references: [], captured: false, assigned: true };
        this.bindings.push(binding);
        s.bindings.set(name, binding);
        return binding;
      }
    }
    return undefined;
  }

  /** The facts of a function (a field initializer or static block counts as one), empty at first. */
  factsFor(fn: ts.Node): FunctionFacts {
    let f = this.facts.get(fn);
    if (!f) {
      f = {
        usesThis: false,
        usesArguments: false,
        usesSuper: false,
        usesNewTarget: false,
        usesDirectEval: false,
        usesWith: false,
        usesUsing: false,
        usesPrivateNames: false,
        blockFunctionVars: [],
      };
      this.facts.set(fn, f);
    }
    return f;
  }

  /** Records a fact on every function from `scope`'s owner up to the first non-arrow one. */
  noteLexical(scope: Scope, set: (f: FunctionFacts) => void, throughArrows: boolean): void {
    const SK = this.SK;
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.node !== s.owner) continue;
      set(this.factsFor(s.owner));
      if (!throughArrows || s.owner.kind !== SK.ArrowFunction) return;
    }
  }
}
