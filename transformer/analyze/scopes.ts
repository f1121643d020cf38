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
import { blockFunctionVars } from "./annex-b";
import { isReference, isWrite } from "./identifier-roles";
import { ScopeTable } from "./scope-table";
import { BindingKind, type Binding, type Scope, type Scopes } from "./scope-types";
import { isStrictCode } from "../syntax";

export { BindingKind, type Binding, type FunctionFacts, type Scope, type Scopes } from "./scope-types";
export { boundNames, isStrictCode } from "../syntax";

export function analyzeScopes(tsApi: typeof ts, file: ts.SourceFile, alwaysStrict = false): Scopes {
  const t = new ScopeTable(tsApi);
  walk(t, file, alwaysStrict);
  return t.result(alwaysStrict);
}

/**
 * A visit still to make: a node in a scope, or the rest of a function's or class's visit that
 * must run after the visits scheduled before it.
 */
type Task = { node: ts.Node; scope: Scope } | (() => void);

/** Where a visit schedules its children, in source order (the walk then runs them first). */
let scheduled: Task[] = [];

/**
 * The walk, iterative: nesting as deep as the parser accepts (a 10 000-term `a + b + …` chain)
 * costs heap, not stack. Visits run in the order a recursive walk would make them.
 */
function walk(t: ScopeTable, file: ts.SourceFile, alwaysStrict: boolean): void {
  const outer = scheduled;
  const work: Task[] = [];
  scheduled = [];
  try {
    visit(t, file, undefined as unknown as Scope, alwaysStrict);
    for (;;) {
      while (scheduled.length > 0) work.push(scheduled.pop()!);
      const task = work.pop();
      if (task === undefined) break;
      if (typeof task === "function") task();
      else visit(t, task.node, task.scope, alwaysStrict);
    }
  } finally {
    scheduled = outer;
  }
}

function schedule(node: ts.Node, scope: Scope): void {
  scheduled.push({ node, scope });
}

/** Resolves what `node` holds, in `scope`; opens the scopes `node` opens (its children are scheduled). */
function visit(t: ScopeTable, node: ts.Node, scope: Scope, alwaysStrict: boolean): void {
  const T = t.T;
  if (T.isClassStaticBlockDeclaration(node)) return;
  if (T.isIdentifier(node)) return visitIdentifier(t, node, scope);
  if (T.isPrivateIdentifier(node)) return visitPrivateIdentifier(t, node);
  // Type-only syntax never holds references to values.
  if (T.isTypeNode(node) && !T.isExpressionWithTypeArguments(node)) return;
  if (!noteFacts(t, node, scope)) return;
  if (T.isFunctionLike(node) && "body" in node && (node as ts.FunctionLikeDeclaration).body) return visitFunction(t, node as ts.FunctionLikeDeclaration, scope, alwaysStrict);
  if (T.isClassLike(node)) return visitClass(t, node, scope);
  const s = openScope(t, node, scope) ?? scope;
  T.forEachChild(node, (c) => schedule(c, s));
}

function visitIdentifier(t: ScopeTable, node: ts.Identifier, scope: Scope): void {
  t.allNames.add(node.text);
  if (!isReference(t.T, node)) return;
  const binding = t.resolve(scope, node.text);
  if (node.text === "arguments" && !binding) t.noteLexical(scope, (f) => (f.usesArguments = true), true);
  if (!binding) {
    t.globals.add(node);
    return;
  }
  t.refs.set(node, binding);
  binding.references.push(node);
  if (isWrite(t.T, node)) binding.assigned = true;
  if (scope.owner !== binding.scope.owner) binding.captured = true;
}

/**
 * Every function between the use of a `#name` and the class declaring it needs that class's
 * scope (a function that only contains the class does not; a member's own name is no use).
 */
function visitPrivateIdentifier(t: ScopeTable, node: ts.PrivateIdentifier): void {
  const T = t.T;
  if (T.isClassElement(node.parent) && node.parent.name === node) return;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (T.isClassLike(n) && n.members.some((m) => m.name !== undefined && T.isPrivateIdentifier(m.name) && m.name.text === node.text)) break;
    if (T.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body) t.factsFor(n as ts.FunctionLikeDeclaration).usesPrivateNames = true;
  }
}

/** Notes on the enclosing functions what `node` uses (`this`, `super`, `eval`…); false when nothing inside it needs a visit. */
function noteFacts(t: ScopeTable, node: ts.Node, scope: Scope): boolean {
  const T = t.T;
  const SK = t.SK;
  switch (node.kind) {
    case SK.InterfaceDeclaration:
    case SK.TypeAliasDeclaration:
    case SK.TypeParameter:
      return false;
    case SK.ThisKeyword:
      t.noteLexical(scope, (f) => (f.usesThis = true), true);
      return false;
    case SK.SuperKeyword:
      t.noteLexical(scope, (f) => (f.usesSuper = true), true);
      return false;
    case SK.MetaProperty:
      if ((node as ts.MetaProperty).keywordToken === SK.NewKeyword) t.noteLexical(scope, (f) => (f.usesNewTarget = true), true);
      return false;
    case SK.WithStatement:
      t.noteLexical(scope, (f) => (f.usesWith = true), false);
      return true;
    case SK.VariableDeclarationList:
      if ((node as ts.VariableDeclarationList).flags & T.NodeFlags.Using) t.noteLexical(scope, (f) => (f.usesUsing = true), false);
      return true;
    case SK.CallExpression: {
      const callee = (node as ts.CallExpression).expression;
      if (T.isIdentifier(callee) && callee.text === "eval") {
        // A direct eval can read and write any binding in scope: every enclosing function must stay native.
        for (let s: Scope | undefined = scope; s; s = s.parent) if (s.node === s.owner) t.factsFor(s.owner).usesDirectEval = true;
      }
      return true;
    }
  }
  return true;
}

/**
 * The scope `node` opens, its declarations made (a file, block, case block, `for` with a
 * `let`/`const` head, catch clause); undefined for a node that opens none.
 */
function openScope(t: ScopeTable, node: ts.Node, scope: Scope): Scope | undefined {
  const T = t.T;
  if (T.isSourceFile(node)) {
    const s = t.newScope(node, scope, node);
    t.hoistVars(node, s);
    t.declareLexical(node.statements, s);
    return s;
  }
  if (T.isBlock(node) || T.isModuleBlock(node)) {
    const s = t.newScope(node, scope, scope.owner);
    t.declareLexical(node.statements, s);
    return s;
  }
  if (T.isCaseBlock(node)) {
    const s = t.newScope(node, scope, scope.owner);
    for (const clause of node.clauses) t.declareLexical(clause.statements, s);
    return s;
  }
  if (T.isForStatement(node) || T.isForInStatement(node) || T.isForOfStatement(node)) {
    const init = node.initializer;
    if (!(init && T.isVariableDeclarationList(init) && init.flags & (T.NodeFlags.Let | T.NodeFlags.Const))) return undefined;
    const s = t.newScope(node, scope, scope.owner);
    const kind = init.flags & T.NodeFlags.Const ? BindingKind.Const : BindingKind.Let;
    for (const d of init.declarations) t.declarePattern(s, d.name, kind);
    return s;
  }
  if (T.isCatchClause(node)) {
    const s = t.newScope(node, scope, scope.owner);
    if (node.variableDeclaration) t.declarePattern(s, node.variableDeclaration.name, BindingKind.CatchParam);
    if (node.variableDeclaration && T.isIdentifier(node.variableDeclaration.name)) t.varsNamingCatchParam(node.block, s.bindings.get(node.variableDeclaration.name.text)!);
    return s;
  }
  return undefined;
}

function visitFunction(t: ScopeTable, fn: ts.FunctionLikeDeclaration, scope: Scope, alwaysStrict: boolean): void {
  const T = t.T;
  t.factsFor(fn);
  // A named function expression binds its own name in a scope between outer and params.
  let outer = scope;
  if (T.isFunctionExpression(fn) && fn.name) {
    outer = t.newScope(fn.name, scope, scope.owner);
    t.declare(outer, fn.name, BindingKind.SelfName);
  }
  if (fn.name && !T.isFunctionExpression(fn)) schedule(fn.name, scope);
  scheduled.push(() => {
    const s = t.newScope(fn, outer, fn);
    for (const p of fn.parameters) if (!(T.isIdentifier(p.name) && p.name.text === "this")) t.declarePattern(s, p.name, BindingKind.Param);
    const body = fn.body!;
    if (T.isBlock(body)) {
      t.hoistVars(body, s);
      t.declareLexical(body.statements, s);
      if (!isStrictCode(T, fn, alwaysStrict)) t.factsFor(fn).blockFunctionVars = blockFunctionVars(T, fn, body);
      for (const p of fn.parameters) schedule(p, s);
      for (const st of body.statements) schedule(st, s);
      t.scopeOf.set(body, s);
    } else {
      for (const p of fn.parameters) schedule(p, s);
      schedule(body, s);
    }
  });
}

/**
 * A class binds its own name inside, immutable and initialized before static fields and
 * blocks run (ClassDefinitionEvaluation's classEnv): a class expression's is its only
 * binding; a declaration's is a second one beside the outer binding (kind Class, scope the
 * class, declaration its name — which `decls` keeps mapping to the outer binding), so
 * writes to the outer binding are not seen inside.
 */
function visitClass(t: ScopeTable, node: ts.ClassLikeDeclaration, scope: Scope): void {
  const T = t.T;
  let s = scope;
  if (node.name && T.isClassExpression(node)) {
    s = t.newScope(node, scope, scope.owner);
    t.declare(s, node.name, BindingKind.SelfName);
  } else if (node.name) {
    s = t.newScope(node, scope, scope.owner);
    const inner: Binding = {
      id: t.bindings.length,
      name: node.name.text,
      kind: BindingKind.Class,
      scope: s,
      declarations: [node.name],
      references: [],
      captured: false,
      assigned: false,
    };
    t.bindings.push(inner);
    s.bindings.set(inner.name, inner);
  }
  for (const member of node.members) {
    // Field initializers and static blocks run as their own functions (own `this`).
    if ((T.isPropertyDeclaration(member) && member.initializer) || T.isClassStaticBlockDeclaration(member)) {
      if (member.name && T.isComputedPropertyName(member.name)) schedule(member.name, s);
      scheduled.push(() => {
        const ms = t.newScope(member, s, member);
        t.factsFor(member);
        if (T.isPropertyDeclaration(member)) schedule(member.initializer!, ms);
        else for (const st of member.body.statements) schedule(st, ms);
      });
    } else {
      schedule(member, s);
    }
  }
  for (const c of node.heritageClauses ?? []) schedule(c, scope);
}
