/**
 * The text V8 prints for an expression in an error message (`o.m is not a function`,
 * `(intermediate value) is not iterable`): the lowering rewrites the expression (`$v`, a
 * temporary), so it passes the original's text to the runtime check that throws instead.
 */
import type * as ts from "typescript";
import { skipOuterExpressions } from "../../analyze/contains-await";

const intermediate = "(intermediate value)";
/** Deeper than this, a key prints as `(intermediate value)`: no recursion limit below TypeScript's. */
const maxDepth = 32;

/**
 * What V8 prints for a callee that is not a function (`o.m is not a function`), or for a
 * spread's operand (used by lower/ and by the rewriting of kept code): names, `this` and member
 * reads as written (`?.` kept, a string key as `.key`, any other key printed in brackets as V8
 * prints it: `o[(k + "")]`, `o[f(...)]`), a call as `f(...)`, an await (and anything V8 does
 * not print) as `(intermediate value)`.
 */
export function calleeText(T: typeof ts, callee: ts.Expression): string {
  return printed(T, callee, 0);
}

/** A member chain: a loop down the reads (a long `a.b.c…` is no recursion), then the base. */
function chainText(T: typeof ts, e: ts.Expression, depth: number): string {
  let text = "";
  let c = skipOuterExpressions(T, e);
  for (;;) {
    const dot = T.isPropertyAccessExpression(c) || T.isElementAccessExpression(c) ? (c.questionDotToken ? "?." : ".") : "";
    if (T.isPropertyAccessExpression(c)) text = `${dot}${c.name.text}${text}`;
    else if (T.isElementAccessExpression(c)) {
      const key = skipOuterExpressions(T, c.argumentExpression);
      const name = T.isStringLiteral(key) || T.isNoSubstitutionTemplateLiteral(key);
      text = name ? `${dot}${key.text}${text}` : `${dot === "." ? "" : dot}[${printed(T, key, depth + 1)}]${text}`;
    } else break;
    c = skipOuterExpressions(T, c.expression);
  }
  // V8 prints `super.m` as `(intermediate value).m`.
  return printedBase(T, c, depth) + text;
}

const comparisons = new Set(["==", "!=", "===", "!==", "<", ">", "<=", ">=", "instanceof", "in"]);

/** V8's CallPrinter for one expression (not a member read): see `calleeText`. */
function printedBase(T: typeof ts, e: ts.Expression, depth: number): string {
  const SK = T.SyntaxKind;
  if (depth > maxDepth) return intermediate;
  if (T.isIdentifier(e)) return e.text;
  switch (e.kind) {
    case SK.ThisKeyword:
      return "this";
    case SK.TrueKeyword:
      return "true";
    case SK.FalseKeyword:
      return "false";
    case SK.NullKeyword:
      return "null";
  }
  if (T.isNumericLiteral(e)) return String(Number(e.text.replace(/_/g, "")));
  // A string inside an expression is quoted, unescaped.
  if (T.isStringLiteral(e) || T.isNoSubstitutionTemplateLiteral(e)) return `"${e.text}"`;
  if (T.isRegularExpressionLiteral(e)) return e.text;
  if (T.isCallExpression(e) && !e.questionDotToken && !T.isOptionalChain(e)) return `${printed(T, e.expression, depth + 1)}(...)`;
  // A template prints its substitutions only, one after the other.
  if (T.isTemplateExpression(e)) return e.templateSpans.map((s) => printed(T, s.expression, depth + 1)).join("");
  if (T.isArrayLiteralExpression(e)) return `[${e.elements.map((x) => printed(T, x, depth + 1)).join(",")}]`;
  if (T.isObjectLiteralExpression(e)) return `{${intermediate.repeat(e.properties.length)}}`;
  if (T.isConditionalExpression(e)) return intermediate.repeat(3);
  if (T.isPrefixUnaryExpression(e)) {
    const operand = skipOuterExpressions(T, e.operand);
    if (e.operator === SK.MinusToken && T.isNumericLiteral(operand)) return `-${printedBase(T, operand, depth)}`;
    return `(${T.tokenToString(e.operator)}${printed(T, e.operand, depth + 1)})`;
  }
  if (T.isPostfixUnaryExpression(e)) return `(${printed(T, e.operand, depth + 1)}${T.tokenToString(e.operator)})`;
  if (T.isTypeOfExpression(e) || T.isVoidExpression(e)) return `(${T.isTypeOfExpression(e) ? "typeof" : "void"} ${printed(T, e.expression, depth + 1)})`;
  if (T.isBinaryExpression(e)) return binaryText(T, e, depth);
  return intermediate;
}

/**
 * `(a + b)`; a chain of one operator, left to right and not parenthesized, as one `(a + b + c)`
 * (V8 folds it into one node), but not comparisons; an assignment prints its target.
 */
function binaryText(T: typeof ts, e: ts.BinaryExpression, depth: number): string {
  const op = e.operatorToken.kind;
  const opText = T.tokenToString(op) ?? "";
  if (op >= T.SyntaxKind.FirstAssignment && op <= T.SyntaxKind.LastAssignment) return printed(T, e.left, depth + 1);
  const operands = [e.right];
  let left = e.left;
  if (!comparisons.has(opText) && op !== T.SyntaxKind.AsteriskAsteriskToken) {
    while (T.isBinaryExpression(left) && left.operatorToken.kind === op) {
      operands.push(left.right);
      left = left.left;
    }
  }
  operands.push(left);
  const parts: string[] = [];
  for (let i = operands.length - 1; i >= 0; i--) parts.push(printed(T, operands[i], depth + 1));
  return `(${parts.join(` ${opText} `)})`;
}

function printed(T: typeof ts, e: ts.Expression, depth: number): string {
  if (depth > maxDepth) return intermediate;
  const x = skipOuterExpressions(T, e);
  return T.isPropertyAccessExpression(x) || T.isElementAccessExpression(x) ? chainText(T, x, depth) : printedBase(T, x, depth);
}

/**
 * What V8 names a value that is not iterable by, for the iterable of a `for…of` or the
 * initializer of an array pattern in a declaration (`${text} is not iterable`): an await as
 * `(intermediate value)`, a name as written, a call as `f is not a function or its return
 * value`, and in a loop a member read (`o.xs`). Undefined where V8 words it by the value's type
 * instead (`number 1 is not iterable (cannot read property Symbol(Symbol.iterator))`).
 */
export function iterableText(T: typeof ts, source: ts.Expression, of: "loop" | "declaration"): string | undefined {
  const e = skipOuterExpressions(T, source);
  if (T.isAwaitExpression(e)) return intermediate;
  if (T.isIdentifier(e)) return e.text;
  if (T.isCallExpression(e) && !T.isOptionalChain(e)) return `${calleeText(T, e.expression)} is not a function or its return value`;
  if (of === "loop" && (T.isPropertyAccessExpression(e) || T.isElementAccessExpression(e)) && !T.isOptionalChain(e)) return calleeText(T, e);
  return undefined;
}
