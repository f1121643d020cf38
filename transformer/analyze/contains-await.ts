/**
 * Which nodes the lowering must take apart: those holding an `await` of the function being
 * compiled (awaits inside nested functions belong to those functions).
 */
import type * as ts from "typescript";

/** Answers by node: the lowering asks again at every level of a nested statement. */
const known = new WeakMap<ts.Node, boolean>();

export function containsAwait(tsApi: typeof ts, node: ts.Node): boolean {
  let answer = known.get(node);
  if (answer === undefined) known.set(node, (answer = search(tsApi, node)));
  return answer;
}

function search(tsApi: typeof ts, node: ts.Node): boolean {
  if (tsApi.isAwaitExpression(node)) return true;
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
