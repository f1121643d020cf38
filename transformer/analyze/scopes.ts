/**
 * Resolves every identifier of a file to the binding it names, the way the binder of the
 * language would, without a type checker (the library entry has no Program).
 *
 * In:  a parsed SourceFile (parent pointers set).
 * Out: `Scopes`: for each binding its kind, declaring scope and owning function, every
 *      reference to it (read, write or both), and whether a function other than its owner
 *      refers to it ("captured"); for each function its uses of `this`, `arguments`, `super`,
 *      `new.target`, direct `eval` and `with`.
 *
 * Invariants: an identifier that is not a reference (property names, labels, type positions,
 * declaration names) is never in `refs`; an unresolved reference names a global.
 * Example: in `let x = 1; const f = () => x;` the binding `x` is captured, `f` is not.
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

export function analyzeScopes(tsApi: typeof ts, file: ts.SourceFile, alwaysStrict = false): Scopes {
  const T = tsApi;
  const SK = T.SyntaxKind;
  const refs = new Map<ts.Identifier, Binding>();
  const globals = new Set<ts.Identifier>();
  const decls = new Map<ts.Identifier, Binding>();
  const scopeOf = new Map<ts.Node, Scope>();
  const facts = new Map<ts.Node, FunctionFacts>();
  const bindings: Binding[] = [];
  const allNames = new Set<string>();
  let scopeCount = 0;

  function newScope(node: ts.Node, parent: Scope | undefined, owner: ts.Node): Scope {
    const scope: Scope = { id: scopeCount++, node, parent, owner, bindings: new Map() };
    scopeOf.set(node, scope);
    return scope;
  }

  function declare(scope: Scope, id: ts.Identifier, kind: BindingKind): void {
    const name = id.text;
    let binding = scope.bindings.get(name);
    if (!binding) {
      binding = { id: bindings.length, name, kind, scope, declarations: [], references: [], captured: false, assigned: false };
      bindings.push(binding);
      scope.bindings.set(name, binding);
    }
    binding.declarations.push(id);
    decls.set(id, binding);
  }

  function declarePattern(scope: Scope, name: ts.BindingName, kind: BindingKind): void {
    if (T.isIdentifier(name)) {
      declare(scope, name, kind);
      return;
    }
    for (const element of name.elements) {
      if (T.isBindingElement(element)) declarePattern(scope, element.name, kind);
    }
  }

  /** Hoists `var` declarations (and nothing else) found in `node`, not crossing functions. */
  function hoistVars(node: ts.Node, target: Scope): void {
    const walk = (n: ts.Node): void => {
      if (T.isFunctionLike(n) || T.isClassLike(n)) return;
      if (T.isVariableDeclarationList(n) && !(n.flags & (T.NodeFlags.Let | T.NodeFlags.Const | T.NodeFlags.Using | T.NodeFlags.AwaitUsing))) {
        for (const d of n.declarations) declarePattern(target, d.name, BindingKind.Var);
      }
      T.forEachChild(n, walk);
    };
    T.forEachChild(node, walk);
  }

  /**
   * `catch (e) { var e = 1; }`: the `var` is hoisted to the function, but its initializer (or a
   * `for (var e in …)` head) writes the catch parameter (ECMA-262 Annex B, "VariableStatements in Catch Blocks"). Such a declaration
   * names the parameter's binding; an inner catch of the same name takes over its own block.
   */
  function varsNamingCatchParam(block: ts.Block, param: Binding): void {
    const walk = (n: ts.Node): void => {
      if (T.isFunctionLike(n) || T.isClassLike(n)) return;
      if (T.isCatchClause(n) && n.variableDeclaration && T.isIdentifier(n.variableDeclaration.name) && n.variableDeclaration.name.text === param.name) return;
      if (T.isVariableDeclaration(n) && T.isIdentifier(n.name) && n.name.text === param.name && T.isVariableDeclarationList(n.parent) && !(n.parent.flags & T.NodeFlags.BlockScoped)) {
        decls.set(n.name, param);
        param.assigned = true;
      }
      T.forEachChild(n, walk);
    };
    T.forEachChild(block, walk);
  }

  /** Declares the block-scoped declarations directly in a statement list. */
  function declareLexical(statements: readonly ts.Statement[], scope: Scope): void {
    for (const s of statements) {
      if (T.isVariableStatement(s) && s.declarationList.flags & (T.NodeFlags.Let | T.NodeFlags.Const)) {
        const kind = s.declarationList.flags & T.NodeFlags.Const ? BindingKind.Const : BindingKind.Let;
        for (const d of s.declarationList.declarations) declarePattern(scope, d.name, kind);
      } else if (T.isFunctionDeclaration(s) && s.name && s.body) {
        declare(scope, s.name, BindingKind.Function);
      } else if (T.isClassDeclaration(s) && s.name) {
        declare(scope, s.name, BindingKind.Class);
      } else if (T.isImportDeclaration(s) && s.importClause && !s.importClause.isTypeOnly) {
        const c = s.importClause;
        if (c.name) declare(scope, c.name, BindingKind.Import);
        const nb = c.namedBindings;
        if (nb && T.isNamespaceImport(nb)) declare(scope, nb.name, BindingKind.Import);
        else if (nb) for (const el of nb.elements) if (!el.isTypeOnly) declare(scope, el.name, BindingKind.Import);
      } else if (T.isImportEqualsDeclaration(s)) {
        declare(scope, s.name, BindingKind.Import);
      } else if (T.isEnumDeclaration(s) || (T.isModuleDeclaration(s) && T.isIdentifier(s.name))) {
        declare(scope, s.name as ts.Identifier, BindingKind.Var);
      }
    }
  }

  function resolve(scope: Scope, name: string): Binding | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const b = s.bindings.get(name);
      if (b) return b;
      // The var of a block-level function (Annex B.3.3) exists from the function's entry; it is
      // made on the first reference that reaches it, so that an unread one changes nothing.
      const annexB = s.node === s.owner ? facts.get(s.owner)?.blockFunctionVars : undefined;
      if (annexB?.includes(name)) {
        const binding: Binding = { id: bindings.length, name, kind: BindingKind.Var, scope: s, declarations: [], references: [], captured: false, assigned: true };
        bindings.push(binding);
        s.bindings.set(name, binding);
        return binding;
      }
    }
    return undefined;
  }

  /**
   * Annex B.3.3 (sloppy code): a function declared directly in a nested block or case clause (or
   * as an `if` clause, B.3.4) also sets a var of the function to itself when the declaration is
   * evaluated — unless the name is a parameter, or a `var` of that name would clash with a
   * lexical declaration around it (an early error, so no var then).
   */
  function blockFunctionVars(fn: ts.FunctionLikeDeclaration, body: ts.Block): string[] {
    const names = new Set<string>();
    const params = new Set<string>();
    for (const p of fn.parameters) for (const id of boundNames(T, p.name)) params.add(id.text);
    const walk = (n: ts.Node): void => {
      if (T.isFunctionDeclaration(n) && n.name && n.body && n.parent !== body && (T.isBlock(n.parent) || T.isCaseClause(n.parent) || T.isDefaultClause(n.parent) || T.isIfStatement(n.parent))) {
        const name = n.name.text;
        if (name !== "arguments" && !params.has(name) && !clashesWithLexical(n, name, body)) names.add(name);
      }
      if (T.isFunctionLike(n) || T.isClassLike(n)) return;
      T.forEachChild(n, walk);
    };
    T.forEachChild(body, walk);
    return [...names];
  }
  /** Does a statement list, `for` head or catch clause between `decl`'s own block and the body declare `name` lexically? */
  function clashesWithLexical(decl: ts.FunctionDeclaration, name: string, body: ts.Block): boolean {
    const own = T.isCaseClause(decl.parent) || T.isDefaultClause(decl.parent) ? decl.parent.parent : T.isBlock(decl.parent) ? decl.parent : undefined;
    for (let n: ts.Node = decl.parent; n !== body.parent; n = n.parent) {
      if (n === own) continue;
      const statements = T.isBlock(n) ? n.statements : T.isCaseBlock(n) ? n.clauses.flatMap((c) => [...c.statements]) : [];
      for (const st of statements) {
        if (T.isVariableStatement(st) && st.declarationList.flags & T.NodeFlags.BlockScoped && st.declarationList.declarations.some((d) => boundNames(T, d.name).some((id) => id.text === name))) return true;
        if (T.isClassDeclaration(st) && st.name?.text === name) return true;
        if (n !== body && T.isFunctionDeclaration(st) && st.name?.text === name) return true;
      }
      const head = T.isForStatement(n) || T.isForInStatement(n) || T.isForOfStatement(n) ? n.initializer : undefined;
      if (head && T.isVariableDeclarationList(head) && head.flags & T.NodeFlags.BlockScoped && head.declarations.some((d) => boundNames(T, d.name).some((id) => id.text === name))) return true;
      // A catch parameter that is a plain name may share its name with a var (Annex B.3.5).
      if (T.isCatchClause(n) && n.variableDeclaration && !T.isIdentifier(n.variableDeclaration.name) && boundNames(T, n.variableDeclaration.name).some((id) => id.text === name)) return true;
    }
    return false;
  }

  /** The nearest enclosing function-like node (or the file) of a scope. */
  function ownerOf(scope: Scope): ts.Node {
    return scope.owner;
  }

  /** Nearest non-arrow function (for `this`/`arguments` facts); arrows pass through. */
  function factsFor(fn: ts.Node): FunctionFacts {
    let f = facts.get(fn);
    if (!f) {
      f = { usesThis: false, usesArguments: false, usesSuper: false, usesNewTarget: false, usesDirectEval: false, usesWith: false, usesUsing: false, usesPrivateNames: false, blockFunctionVars: [] };
      facts.set(fn, f);
    }
    return f;
  }

  /** Records a fact on every function from `scope`'s owner up to the first non-arrow one. */
  function noteLexical(scope: Scope, set: (f: FunctionFacts) => void, throughArrows: boolean): void {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.node !== s.owner) continue;
      set(factsFor(s.owner));
      if (!throughArrows || s.owner.kind !== SK.ArrowFunction) return;
    }
  }

  function isReference(id: ts.Identifier): boolean {
    const p = id.parent;
    if (!p) return false;
    switch (p.kind) {
      case SK.PropertyAccessExpression:
        return (p as ts.PropertyAccessExpression).expression === id;
      case SK.QualifiedName:
        return false;
      case SK.PropertyAssignment:
        return (p as ts.PropertyAssignment).initializer === id;
      case SK.ShorthandPropertyAssignment:
        return (p as ts.ShorthandPropertyAssignment).name === id || (p as ts.ShorthandPropertyAssignment).objectAssignmentInitializer === id;
      case SK.BindingElement:
        return (p as ts.BindingElement).initializer === id;
      case SK.PropertyDeclaration:
      case SK.MethodDeclaration:
      case SK.GetAccessor:
      case SK.SetAccessor:
      case SK.PropertySignature:
      case SK.MethodSignature:
      case SK.EnumMember:
        return (p as ts.NamedDeclaration).name !== id && (p as ts.PropertyDeclaration).initializer === id;
      case SK.LabeledStatement:
      case SK.BreakStatement:
      case SK.ContinueStatement:
        return false;
      case SK.MetaProperty:
        return false;
      case SK.ImportSpecifier:
      case SK.ExportSpecifier:
      case SK.ImportClause:
      case SK.NamespaceImport:
      case SK.NamespaceExport:
        return p.kind === SK.ExportSpecifier && !(p as ts.ExportSpecifier).propertyName && !(p as ts.ExportSpecifier).parent.parent.moduleSpecifier
          ? true
          : p.kind === SK.ExportSpecifier && (p as ts.ExportSpecifier).propertyName === id && !(p as ts.ExportSpecifier).parent.parent.moduleSpecifier;
      case SK.VariableDeclaration:
      case SK.Parameter:
      case SK.FunctionDeclaration:
      case SK.FunctionExpression:
      case SK.ClassDeclaration:
      case SK.ClassExpression:
      case SK.InterfaceDeclaration:
      case SK.TypeAliasDeclaration:
      case SK.EnumDeclaration:
      case SK.ModuleDeclaration:
      case SK.TypeParameter:
      case SK.ImportEqualsDeclaration:
        return (p as ts.NamedDeclaration).name !== id;
      case SK.JsxAttribute:
        return false;
      default:
        return true;
    }
  }

  /** Is this identifier reference written (assignment target, ++/--, for-in/of head)? */
  function isWrite(id: ts.Identifier): boolean {
    let node: ts.Node = id;
    let p = node.parent;
    while (p && (T.isParenthesizedExpression(p) || T.isNonNullExpression(p) || T.isAsExpression(p) || T.isSatisfiesExpression(p) || T.isTypeAssertionExpression(p))) {
      node = p;
      p = p.parent;
    }
    if (!p) return false;
    if (T.isBinaryExpression(p) && p.left === node && p.operatorToken.kind >= SK.FirstAssignment && p.operatorToken.kind <= SK.LastAssignment) return true;
    if ((T.isPrefixUnaryExpression(p) || T.isPostfixUnaryExpression(p)) && (p.operator === SK.PlusPlusToken || p.operator === SK.MinusMinusToken)) return true;
    if ((T.isForInStatement(p) || T.isForOfStatement(p)) && p.initializer === node) return true;
    if (T.isShorthandPropertyAssignment(p) || T.isPropertyAssignment(p) || T.isArrayLiteralExpression(p) || T.isSpreadElement(p) || T.isSpreadAssignment(p)) {
      return isInAssignmentPattern(p);
    }
    return false;
  }

  function isInAssignmentPattern(node: ts.Node): boolean {
    let n: ts.Node = node;
    for (;;) {
      const p = n.parent;
      if (!p) return false;
      if (T.isObjectLiteralExpression(n) || T.isArrayLiteralExpression(n)) {
        if (T.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === SK.EqualsToken) return true;
        if ((T.isForInStatement(p) || T.isForOfStatement(p)) && p.initializer === n) return true;
      }
      if (T.isBinaryExpression(p) && p.operatorToken.kind === SK.EqualsToken && p.right === n) return false;
      if (!(T.isObjectLiteralExpression(p) || T.isArrayLiteralExpression(p) || T.isPropertyAssignment(p) || T.isShorthandPropertyAssignment(p) || T.isSpreadElement(p) || T.isSpreadAssignment(p) || (T.isBinaryExpression(p) && p.operatorToken.kind === SK.EqualsToken) || T.isParenthesizedExpression(p))) {
        return false;
      }
      n = p;
    }
  }

  function visit(node: ts.Node, scope: Scope): void {
    if (T.isClassStaticBlockDeclaration(node)) return;
    if (T.isIdentifier(node)) {
      allNames.add(node.text);
      if (!isReference(node)) return;
      const binding = resolve(scope, node.text);
      if (node.text === "arguments" && !binding) noteLexical(scope, (f) => (f.usesArguments = true), true);
      if (!binding) {
        globals.add(node);
        return;
      }
      refs.set(node, binding);
      binding.references.push(node);
      if (isWrite(node)) binding.assigned = true;
      if (ownerOf(scope) !== binding.scope.owner) binding.captured = true;
      return;
    }
    if (T.isPrivateIdentifier(node)) {
      // Every function between the use and the class declaring the name needs that class's scope
      // (a function that only contains the class does not; a member's own name is no use).
      if (T.isClassElement(node.parent) && node.parent.name === node) return;
      for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
        if (T.isClassLike(n) && n.members.some((m) => m.name !== undefined && T.isPrivateIdentifier(m.name) && m.name.text === node.text)) break;
        if (T.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body) factsFor(n as ts.FunctionLikeDeclaration).usesPrivateNames = true;
      }
      return;
    }
    // Type-only syntax never holds references to values.
    if (T.isTypeNode(node) && !T.isExpressionWithTypeArguments(node)) return;
    switch (node.kind) {
      case SK.InterfaceDeclaration:
      case SK.TypeAliasDeclaration:
      case SK.TypeParameter:
        return;
      case SK.ThisKeyword:
        noteLexical(scope, (f) => (f.usesThis = true), true);
        return;
      case SK.SuperKeyword:
        noteLexical(scope, (f) => (f.usesSuper = true), true);
        return;
      case SK.MetaProperty:
        if ((node as ts.MetaProperty).keywordToken === SK.NewKeyword) noteLexical(scope, (f) => (f.usesNewTarget = true), true);
        return;
      case SK.WithStatement:
        noteLexical(scope, (f) => (f.usesWith = true), false);
        break;
      case SK.VariableDeclarationList:
        if ((node as ts.VariableDeclarationList).flags & T.NodeFlags.Using) noteLexical(scope, (f) => (f.usesUsing = true), false);
        break;
      case SK.CallExpression: {
        const callee = (node as ts.CallExpression).expression;
        if (T.isIdentifier(callee) && callee.text === "eval") {
          // A direct eval can read and write any binding in scope: every enclosing function must stay native.
          for (let s: Scope | undefined = scope; s; s = s.parent) if (s.node === s.owner) factsFor(s.owner).usesDirectEval = true;
        }
        break;
      }
    }

    if (T.isSourceFile(node)) {
      const s = newScope(node, scope, node);
      hoistVars(node, s);
      declareLexical(node.statements, s);
      T.forEachChild(node, (c) => visit(c, s));
      return;
    }
    if (T.isFunctionLike(node) && "body" in node && (node as ts.FunctionLikeDeclaration).body) {
      const fn = node as ts.FunctionLikeDeclaration;
      factsFor(fn);
      // A named function expression binds its own name in a scope between outer and params.
      let outer = scope;
      if (T.isFunctionExpression(fn) && fn.name) {
        outer = newScope(fn.name, scope, scope.owner);
        declare(outer, fn.name, BindingKind.SelfName);
      }
      if (fn.name && !T.isFunctionExpression(fn)) visit(fn.name, scope);
      const s = newScope(fn, outer, fn);
      for (const p of fn.parameters) if (!(T.isIdentifier(p.name) && p.name.text === "this")) declarePattern(s, p.name, BindingKind.Param);
      const body = fn.body!;
      if (T.isBlock(body)) {
        hoistVars(body, s);
        declareLexical(body.statements, s);
        if (!isStrictCode(T, fn, alwaysStrict)) factsFor(fn).blockFunctionVars = blockFunctionVars(fn, body);
        for (const p of fn.parameters) visit(p, s);
        for (const st of body.statements) visit(st, s);
        scopeOf.set(body, s);
      } else {
        for (const p of fn.parameters) visit(p, s);
        visit(body, s);
      }
      return;
    }
    if (T.isClassLike(node)) {
      // A class binds its own name inside, immutable and initialized before static fields and
      // blocks run (ClassDefinitionEvaluation's classEnv): a class expression's is its only
      // binding; a declaration's is a second one beside the outer binding (kind Class, scope the
      // class, declaration its name — which `decls` keeps mapping to the outer binding), so
      // writes to the outer binding are not seen inside.
      let s = scope;
      if (node.name && T.isClassExpression(node)) {
        s = newScope(node, scope, scope.owner);
        declare(s, node.name, BindingKind.SelfName);
      } else if (node.name) {
        s = newScope(node, scope, scope.owner);
        const inner: Binding = { id: bindings.length, name: node.name.text, kind: BindingKind.Class, scope: s, declarations: [node.name], references: [], captured: false, assigned: false };
        bindings.push(inner);
        s.bindings.set(inner.name, inner);
      }
      for (const member of node.members) {
        // Field initializers and static blocks run as their own functions (own `this`).
        if ((T.isPropertyDeclaration(member) && member.initializer) || T.isClassStaticBlockDeclaration(member)) {
          if (member.name && T.isComputedPropertyName(member.name)) visit(member.name, s);
          const ms = newScope(member, s, member);
          factsFor(member);
          if (T.isPropertyDeclaration(member)) visit(member.initializer!, ms);
          else for (const st of member.body.statements) visit(st, ms);
        } else {
          visit(member, s);
        }
      }
      for (const c of node.heritageClauses ?? []) visit(c, scope);
      return;
    }
    if (T.isBlock(node) || T.isModuleBlock(node)) {
      const s = newScope(node, scope, scope.owner);
      declareLexical(node.statements, s);
      T.forEachChild(node, (c) => visit(c, s));
      return;
    }
    if (T.isCaseBlock(node)) {
      const s = newScope(node, scope, scope.owner);
      for (const clause of node.clauses) declareLexical(clause.statements, s);
      T.forEachChild(node, (c) => visit(c, s));
      return;
    }
    if (T.isForStatement(node) || T.isForInStatement(node) || T.isForOfStatement(node)) {
      const init = node.initializer;
      if (init && T.isVariableDeclarationList(init) && init.flags & (T.NodeFlags.Let | T.NodeFlags.Const)) {
        const s = newScope(node, scope, scope.owner);
        const kind = init.flags & T.NodeFlags.Const ? BindingKind.Const : BindingKind.Let;
        for (const d of init.declarations) declarePattern(s, d.name, kind);
        T.forEachChild(node, (c) => visit(c, s));
        return;
      }
    }
    if (T.isCatchClause(node)) {
      const s = newScope(node, scope, scope.owner);
      if (node.variableDeclaration) declarePattern(s, node.variableDeclaration.name, BindingKind.CatchParam);
      if (node.variableDeclaration && T.isIdentifier(node.variableDeclaration.name)) varsNamingCatchParam(node.block, s.bindings.get(node.variableDeclaration.name.text)!);
      T.forEachChild(node, (c) => visit(c, s));
      return;
    }
    T.forEachChild(node, (c) => visit(c, scope));
  }

  visit(file, undefined as unknown as Scope);
  return { refs, globals, decls, scopeOf, facts, bindings, allNames, alwaysStrict };
}

/** The names a binding name or pattern declares (BoundNames). */
export function boundNames(T: typeof ts, name: ts.BindingName): ts.Identifier[] {
  if (T.isIdentifier(name)) return [name];
  return name.elements.flatMap((e) => (T.isBindingElement(e) ? boundNames(T, e.name) : []));
}

/** Is `node` strict-mode code (a module, a class body, or under a "use strict" directive)? */
export function isStrictCode(tsApi: typeof ts, node: ts.Node, alwaysStrict: boolean): boolean {
  const T = tsApi;
  if (alwaysStrict) return true;
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (T.isClassLike(n)) return true;
    const statements = T.isSourceFile(n) ? n.statements : (T.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body && T.isBlock((n as ts.FunctionLikeDeclaration).body!)) ? ((n as ts.FunctionLikeDeclaration).body as ts.Block).statements : undefined;
    if (statements) {
      for (const s of statements) {
        if (!(T.isExpressionStatement(s) && T.isStringLiteral(s.expression))) break;
        if (s.expression.text === "use strict") return true;
      }
    }
    if (T.isSourceFile(n)) return n.statements.some((s) => T.isImportDeclaration(s) || T.isExportDeclaration(s) || T.isExportAssignment(s) || (T.canHaveModifiers(s) && T.getModifiers(s)?.some((m) => m.kind === T.SyntaxKind.ExportKeyword)));
  }
  return false;
}
