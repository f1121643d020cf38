/**
 * Where a resume function goes. Beside the function it serves, in the nearest statement list,
 * when every binding the function reads from outside is visible there (then it is defined once
 * per evaluation of that scope, not per call). Otherwise — a binding of a `for` head, a catch
 * clause, a concise arrow's parameters — the wrapper and its resume are created together where
 * the function is, in an arrow IIFE. A method that needs its class's scope (`#x`, a class
 * expression's own name) gets its resume from a static block of the class. Some functions
 * cannot be placed at all and stay native, with the reason.
 *
 * In:  an async function (parents set) and the file's scopes. Out: a Placement.
 */
import type * as ts from "typescript";
import type { NotCompiledCode } from "../not-compiled";
import { BindingKind, type Binding, type Scope, type Scopes } from "../analyze/scopes";
import { isAsyncFunction, isPrologueDirective } from "../syntax";
import { forEachDescendant } from "../syntax";
import { canBindPerEvaluation, classSelfOf, hasComputedKey, keyHolderStatement } from "./method-shape";

/** A statement list and the statement of it that holds a function. */
export interface ListPosition {
  list: ts.Node;
  statement: ts.Statement;
}

export type Placement =
  /** The resume function is inserted before `statement`, in its list. */
  | { kind: "beside"; at: ListPosition }
  /** The resume function is defined in a static block of `cls`, kept in a `let` before `statement`. */
  | { kind: "in-class"; at: ListPosition; cls: ts.ClassLikeDeclaration }
  /** Wrapper and resume created together where the function stands. */
  | { kind: "iife" }
  /** Left native. */
  | { kind: "native"; code: NotCompiledCode };

export function placeResume(T: typeof ts, scopes: Scopes, fn: ts.FunctionLikeDeclaration): Placement {
  const at = nearestList(T, fn);
  // A value where it stands, like a function expression (function-values.ts generatorMethodProperty).
  if (becomesGeneratorProperty(T, scopes, fn)) return at !== undefined && canPlaceIn(T, scopes, fn, at.list) ? { kind: "beside", at } : { kind: "iife" };
  const beside = at !== undefined && canPlaceIn(T, scopes, fn, at.list);
  const cls = T.isMethodDeclaration(fn) && T.isClassLike(fn.parent) ? fn.parent : undefined;
  const inClass = !beside && at !== undefined && cls !== undefined && canPlaceIn(T, scopes, fn, at.list, cls);
  const notHere = whyNotPlaceable(T, fn, at, { beside, inClass }) ?? whyNotPlaceableGenerator(T, scopes, fn, at);
  if (notHere !== undefined) return { kind: "native", code: notHere };
  if (inClass) return { kind: "in-class", at: at!, cls: cls! };
  if (T.isMethodDeclaration(fn) && !beside) {
    return { kind: "native", code: "method-not-placeable" };
  }
  return beside ? { kind: "beside", at: at! } : { kind: "iife" };
}

/**
 * Is `fn` an async generator method of an object literal that does not use `super`, under a key
 * that is a name, a string, a number or computed? Its home object is not observable: it becomes
 * a property holding its shaped wrapper, which finds itself without any binding beside the literal
 * (function-values.ts generatorMethodProperty).
 */
export function becomesGeneratorProperty(T: typeof ts, scopes: Scopes, fn: ts.Node): boolean {
  if (!T.isMethodDeclaration(fn) || !fn.asteriskToken || !T.isObjectLiteralExpression(fn.parent)) return false;
  if (scopes.facts.get(T.getOriginalNode(fn))?.usesSuper !== false) return false;
  const name = fn.name;
  return T.isIdentifier(name) || T.isStringLiteral(name) || T.isNumericLiteral(name) || T.isComputedPropertyName(name);
}

/** The first statement of a statement list after its directive prologue. */
export function firstStatementOf(T: typeof ts, list: ts.Node): ts.Statement | undefined {
  const statements = T.isSourceFile(list) || T.isBlock(list) || T.isModuleBlock(list) || T.isCaseClause(list) || T.isDefaultClause(list) ? list.statements : undefined;
  return statements?.find((st) => !isPrologueDirective(T, st));
}

/**
 * Can the resume function of `method`, nested in the compiled function around it, sit at the
 * top of that function's resume? Only if every outside binding it reads is one the outer
 * machine keeps (`isOuterLocal`) or lives outside the outer function altogether.
 */
export function seesOnlyFromTop(T: typeof ts, scopes: Scopes, method: ts.FunctionLikeDeclaration, isOuterLocal: (b: Binding) => boolean): boolean {
  let outer: ts.Node | undefined = method.parent;
  while (outer && !isAsyncFunction(T, outer)) outer = outer.parent;
  return everyBindingRead(T, scopes, method, (b) => isInside(b.scope.node, method) || outer === undefined || !isInside(b.scope.node, outer) || isOuterLocal(b));
}

/** The nearest statement list around `node`, and the statement of it that holds `node`. */
function nearestList(T: typeof ts, node: ts.Node): ListPosition | undefined {
  let child: ts.Node = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (T.isBlock(p) || T.isSourceFile(p) || T.isModuleBlock(p) || T.isCaseClause(p) || T.isDefaultClause(p)) {
      return T.isStatement(child) || T.isFunctionDeclaration(child) || T.isClassDeclaration(child) ? { list: p, statement: child as ts.Statement } : undefined;
    }
  }
  return undefined;
}

function scopeOfList(T: typeof ts, scopes: Scopes, list: ts.Node): Scope | undefined {
  if (T.isCaseClause(list) || T.isDefaultClause(list)) return scopes.scopeOf.get(list.parent);
  return scopes.scopeOf.get(list);
}

/**
 * Does every binding `fn` refers to pass `test`? (Stops at the first that does not.) A method's
 * computed key is not looked at: it stays in the wrapper, evaluated where the method is defined.
 */
function everyBindingRead(T: typeof ts, scopes: Scopes, fn: ts.FunctionLikeDeclaration, test: (b: Binding) => boolean): boolean {
  let ok = true;
  forEachDescendant(T, fn, (n) => {
    if (!ok || (n === fn.name && T.isComputedPropertyName(n))) return false;
    if (!T.isIdentifier(n)) return true;
    const b = scopes.refs.get(n);
    if (b && !test(b)) ok = false;
    return false;
  });
  return ok;
}

/**
 * Can code at the start of `list` see every outside binding `fn` refers to? `insideClass`: the
 * resume will be defined inside that class (a static block), so the class's own scope (its
 * expression name) and its `#private` names are visible too.
 */
function canPlaceIn(T: typeof ts, scopes: Scopes, fn: ts.FunctionLikeDeclaration, list: ts.Node, insideClass?: ts.ClassLikeDeclaration): boolean {
  const listScope = scopeOfList(T, scopes, list);
  if (!listScope) return false;
  if (!insideClass && scopes.facts.get(fn)?.usesPrivateNames) return false;
  const visible = new Set<Scope>();
  for (let s: Scope | undefined = listScope; s; s = s.parent) visible.add(s);
  return everyBindingRead(T, scopes, fn, (b) => {
    // A named function expression's own name is visible only inside it.
    if (b.kind === BindingKind.SelfName && b.declarations[0] === fn.name) return false;
    if (isInside(b.scope.node, fn) || visible.has(b.scope) || (insideClass && b.scope.node === insideClass)) return true;
    // A class's own name inside its body names the same class as its outer binding.
    return b.kind === BindingKind.Class && T.isClassDeclaration(b.scope.node) && b.scope.parent !== undefined && visible.has(b.scope.parent);
  });
}

/**
 * Why `fn` cannot get its resume function where it stands (undefined: it can, or compiling
 * decides). A declaration must stay a declaration (its binding, hoisting and export); a resume
 * function kept in a variable beside a class must belong to one evaluation of that class.
 */
function whyNotPlaceable(T: typeof ts, fn: ts.FunctionLikeDeclaration, at: ListPosition | undefined, fits: { beside: boolean; inClass: boolean }): NotCompiledCode | undefined {
  if (T.isFunctionDeclaration(fn) && at && (T.isCaseClause(at.list) || T.isDefaultClause(at.list))) {
    return "function-in-case-clause";
  }
  if (T.isFunctionDeclaration(fn) && !fits.beside) return "declaration-not-placeable";
  if (!fits.inClass) return undefined;
  const cls = fn.parent as ts.ClassLikeDeclaration;
  if (evaluatedRepeatedly(T, cls, at!.statement)) return "class-scope-repeated-class";
  // TypeScript's ES decorators run their initializers in static blocks placed before ours.
  const decorated = (n: ts.Node): boolean => T.canHaveDecorators(n) && T.getDecorators(n) !== undefined;
  if (decorated(cls) || cls.members.some(decorated)) return "class-scope-decorated-class";
  return undefined;
}

/**
 * Can `node` be evaluated more than once per evaluation of `statement`, the statement of the
 * nearest list that holds it (a function, a loop without a block, a static block, a class field's
 * initializer between them)? Then a variable declared beside `statement` would be shared by those
 * evaluations.
 */
export function evaluatedRepeatedly(T: typeof ts, node: ts.Node, statement: ts.Statement): boolean {
  let n: ts.Node = node;
  for (; n !== statement; n = n.parent) {
    if (T.isFunctionLike(n) || T.isIterationStatement(n, /*lookInLabeledStatements*/ false) || T.isClassStaticBlockDeclaration(n)) return true;
    if (T.isPropertyDeclaration(n) && n.initializer !== undefined && isInside(node, n.initializer)) return true;
  }
  // The statement itself a loop (its body without a block): all but its head's first part repeats.
  while (T.isLabeledStatement(n)) n = n.statement;
  if (!T.isIterationStatement(n, /*lookInLabeledStatements*/ false)) return false;
  const once = T.isForStatement(n) ? n.initializer : T.isForInStatement(n) || T.isForOfStatement(n) ? n.expression : undefined;
  return once === undefined || !isInside(node, once);
}

/**
 * Why an async generator method cannot be compiled where it stands: its wrapper reads itself
 * from a variable declared beside its class or object literal (emit/method-shape.ts), which must
 * belong to one evaluation of it, and be set from the built method.
 */
function whyNotPlaceableGenerator(T: typeof ts, scopes: Scopes, fn: ts.FunctionLikeDeclaration, at: ListPosition | undefined): NotCompiledCode | undefined {
  if (!T.isMethodDeclaration(fn) || !fn.asteriskToken || at === undefined || classSelfOf(T, scopes, fn) !== undefined) return undefined;
  // Its bindings become parameters of an arrow around the class or literal (method-shape.ts boundPerEvaluation).
  if (evaluatedRepeatedly(T, fn.parent, at.statement) && !(T.isClassExpression(fn.parent) || T.isObjectLiteralExpression(fn.parent) ? canBindPerEvaluation(T, fn.parent) : false))
    return "async-generator-method-repeated";
  // A spread after it may bring a method of another object under the same key.
  if (T.isObjectLiteralExpression(fn.parent) && fn.parent.properties.slice(fn.parent.properties.indexOf(fn) + 1).some((p) => T.isSpreadAssignment(p)))
    return "async-generator-method-spread";
  // Its computed key is captured into a holder declared before such a statement (method-shape.ts).
  if (hasComputedKey(T, fn) && keyHolderStatement(T, fn.parent) === undefined && !evaluatedRepeatedly(T, fn.parent, at.statement)) return "async-method-key-outside-statement";
  return undefined;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === container) return true;
  return false;
}
