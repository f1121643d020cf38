/**
 * Which nodes the lowering must take apart: those holding an `await` of the function being
 * compiled (awaits inside nested functions belong to those functions) — and, in an async
 * generator, a `yield` or a `return x` (which awaits `x`), its other suspends.
 */
import type * as ts from "typescript";

/** Answers by node: the lowering asks again at every level of a nested statement. */
const known = new WeakMap<ts.Node, boolean>();

export function containsAwait(tsApi: typeof ts, node: ts.Node): boolean {
  // An identifier, a literal, a keyword or punctuation: no children, and not worth an entry of
  // the table (most nodes are such leaves, and every entry of a WeakMap is work for the GC).
  if (node.kind <= tsApi.SyntaxKind.LastToken) return false;
  let answer = known.get(node);
  if (answer === undefined) known.set(node, (answer = search(tsApi, node)));
  return answer;
}

function search(tsApi: typeof ts, node: ts.Node): boolean {
  if (tsApi.isAwaitExpression(node) || tsApi.isYieldExpression(node)) return true;
  if (tsApi.isReturnStatement(node) && node.expression !== undefined && isInAsyncGenerator(tsApi, node)) return true;
  if (tsApi.isForOfStatement(node) && node.awaitModifier) return true;
  // A member's computed key is evaluated by the enclosing code; its body belongs to the member.
  const name = (node as ts.NamedDeclaration).name;
  const keyAwaits = (): boolean => name !== undefined && tsApi.isComputedPropertyName(name) && containsAwait(tsApi, name);
  if (tsApi.isFunctionLike(node) || tsApi.isClassStaticBlockDeclaration(node)) return keyAwaits();
  if (tsApi.isPropertyDeclaration(node)) return keyAwaits();
  searching = tsApi;
  return tsApi.forEachChild(node, childContainsAwait) === true;
}

/** forEachChild's callback, one function for every call (`searching`: the API in use). */
let searching: typeof ts;
function childContainsAwait(child: ts.Node): true | undefined {
  return containsAwait(searching, child) ? true : undefined;
}

/** Is `node` in the body of an async generator (not in a function nested in it)? */
function isInAsyncGenerator(tsApi: typeof ts, node: ts.Node): boolean {
  let n = node.parent;
  while (n !== undefined && !tsApi.isFunctionLike(n)) n = n.parent;
  return n !== undefined && isAsyncGenerator(tsApi, n);
}

/** `async function*` or `async *m()`. */
export function isAsyncGenerator(tsApi: typeof ts, fn: ts.Node): boolean {
  return (
    (tsApi.isFunctionDeclaration(fn) || tsApi.isFunctionExpression(fn) || tsApi.isMethodDeclaration(fn)) &&
    fn.asteriskToken !== undefined &&
    fn.modifiers?.some((m) => m.kind === tsApi.SyntaxKind.AsyncKeyword) === true
  );
}

/** Strips parentheses and type-only wrappers (`(x)`, `x as T`, `x!`, `<T>x`, `x satisfies T`). */
export function skipOuterExpressions(tsApi: typeof ts, node: ts.Expression): ts.Expression;
export function skipOuterExpressions(tsApi: typeof ts, node: ts.Node): ts.Node;
export function skipOuterExpressions(tsApi: typeof ts, node: ts.Node): ts.Node {
  let n = node;
  while (tsApi.isParenthesizedExpression(n) || tsApi.isAsExpression(n) || tsApi.isNonNullExpression(n) || tsApi.isTypeAssertionExpression(n) || tsApi.isSatisfiesExpression(n)) {
    n = n.expression;
  }
  return n;
}
