/**
 * The text V8 prints for an expression in an error message (`o.m is not a function`,
 * `(intermediate value) is not iterable`): the lowering rewrites the expression (`$v`, a
 * temporary), so it passes the original's text to the runtime check that throws instead.
 */
import type * as ts from "typescript";
import { skipOuterExpressions } from "../../analyze/contains-await";

/**
 * What V8 prints for a callee that is not a function (`o.m is not a function`), or for a
 * spread's operand (used by lower/ and by the rewriting of kept code): names, `this` and member reads as written (`?.` kept, a string
 * key as `.key`, a name or number key in brackets), anything else — an await above all — as
 * `(intermediate value)`.
 */
export function calleeText(T: typeof ts, callee: ts.Expression): string {
  const SK = T.SyntaxKind;
  // A loop down the chain of member reads (a long `a.b.c…` is no recursion), then the base.
  let text = "";
  let c = skipOuterExpressions(T, callee);
  for (;;) {
    const dot = T.isPropertyAccessExpression(c) || T.isElementAccessExpression(c) ? (c.questionDotToken ? "?." : ".") : "";
    if (T.isPropertyAccessExpression(c)) text = `${dot}${c.name.text}${text}`;
    else if (T.isElementAccessExpression(c)) {
      const key = skipOuterExpressions(T, c.argumentExpression);
      const inBrackets = T.isIdentifier(key) || T.isNumericLiteral(key) ? key.text : "(intermediate value)";
      text = T.isStringLiteralLike(key) ? `${dot}${key.text}${text}` : `${dot === "." ? "" : dot}[${inBrackets}]${text}`;
    } else break;
    c = skipOuterExpressions(T, c.expression);
  }
  // V8 prints `super.m` as `(intermediate value).m`.
  const base = T.isIdentifier(c) ? c.text : c.kind === SK.ThisKeyword ? "this" : "(intermediate value)";
  return base + text;
}
