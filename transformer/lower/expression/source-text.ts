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
  return printed(T, callee, 0, false);
}

/** A member chain: a loop down the reads (a long `a.b.c…` is no recursion), then the base. */
function chainText(T: typeof ts, e: ts.Expression, depth: number, iteration: boolean): string {
  let text = "";
  let c = skipOuterExpressions(T, e);
  for (;;) {
    const dot = T.isPropertyAccessExpression(c) || T.isElementAccessExpression(c) ? (c.questionDotToken ? "?." : ".") : "";
    if (T.isPropertyAccessExpression(c)) text = `${dot}${c.name.text}${text}`;
    else if (T.isElementAccessExpression(c)) {
      const key = skipOuterExpressions(T, c.argumentExpression);
      const name = T.isStringLiteral(key) || T.isNoSubstitutionTemplateLiteral(key);
      text = name ? `${dot}${key.text}${text}` : `${dot === "." ? "" : dot}[${printed(T, key, depth + 1, iteration)}]${text}`;
    } else break;
    c = skipOuterExpressions(T, c.expression);
  }
  // V8 prints `super.m` as `(intermediate value).m`.
  return printedBase(T, c, depth, iteration) + text;
}

const comparisons = new Set(["==", "!=", "===", "!==", "<", ">", "<=", ">=", "instanceof", "in"]);

/**
 * V8's CallPrinter for one expression (not a member read): see `calleeText`. In the message of a
 * failed GetIterator (`iteration`) it prints a call, and a `new`, as its callee alone.
 */
function printedBase(T: typeof ts, e: ts.Expression, depth: number, iteration: boolean): string {
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
  if (T.isCallExpression(e) && !e.questionDotToken && !T.isOptionalChain(e)) return `${printed(T, e.expression, depth + 1, iteration)}${iteration ? "" : "(...)"}`;
  if (iteration && T.isNewExpression(e)) return printed(T, e.expression, depth + 1, iteration);
  // A template prints its substitutions only, one after the other.
  if (T.isTemplateExpression(e)) return e.templateSpans.map((s) => printed(T, s.expression, depth + 1, iteration)).join("");
  if (T.isArrayLiteralExpression(e)) return `[${e.elements.map((x) => printed(T, x, depth + 1, iteration)).join(",")}]`;
  if (T.isObjectLiteralExpression(e)) return `{${intermediate.repeat(e.properties.length)}}`;
  if (T.isConditionalExpression(e)) return intermediate.repeat(3);
  if (T.isPrefixUnaryExpression(e)) {
    const operand = skipOuterExpressions(T, e.operand);
    if (e.operator === SK.MinusToken && T.isNumericLiteral(operand)) return `-${printedBase(T, operand, depth, iteration)}`;
    return `(${T.tokenToString(e.operator)}${printed(T, e.operand, depth + 1, iteration)})`;
  }
  if (T.isPostfixUnaryExpression(e)) return `(${printed(T, e.operand, depth + 1, iteration)}${T.tokenToString(e.operator)})`;
  if (T.isTypeOfExpression(e) || T.isVoidExpression(e)) return `(${T.isTypeOfExpression(e) ? "typeof" : "void"} ${printed(T, e.expression, depth + 1, iteration)})`;
  if (T.isBinaryExpression(e)) return binaryText(T, e, depth, iteration);
  return intermediate;
}

/**
 * `(a + b)`; a chain of one operator, left to right and not parenthesized, as one `(a + b + c)`
 * (V8 folds it into one node), but not comparisons; an assignment prints its target.
 */
function binaryText(T: typeof ts, e: ts.BinaryExpression, depth: number, iteration: boolean): string {
  const op = e.operatorToken.kind;
  const opText = T.tokenToString(op) ?? "";
  if (op >= T.SyntaxKind.FirstAssignment && op <= T.SyntaxKind.LastAssignment) return printed(T, e.left, depth + 1, iteration);
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
  for (let i = operands.length - 1; i >= 0; i--) parts.push(printed(T, operands[i], depth + 1, iteration));
  return `(${parts.join(` ${opText} `)})`;
}

function printed(T: typeof ts, e: ts.Expression, depth: number, iteration: boolean): string {
  if (depth > maxDepth) return intermediate;
  const x = skipOuterExpressions(T, e);
  return T.isPropertyAccessExpression(x) || T.isElementAccessExpression(x) ? chainText(T, x, depth, iteration) : printedBase(T, x, depth, iteration);
}

/**
 * What V8 names a value that is not iterable by (`${text} is not iterable`), or undefined where
 * it words the message by the value's type instead (`number 1 is not iterable (cannot read
 * property Symbol(Symbol.iterator))`), for the iterable of a `for…of` (`loop`), the initializer of
 * an array pattern in a declaration (`declaration`), or the default of an array pattern nested in
 * another pattern (`default`: V8 names the nested value by the default's text, used or not).
 *
 * V8 prints the expression at the source position of the failed GetIterator, so what it names
 * depends on the form: an await is `(intermediate value)`, a call or `new` `f is not a function
 * or its return value` (calls inside print as their callee: `(a + f)`); in a loop a member read,
 * a binary or comma expression of two operands (`(a , b)`, a call on the right naming the
 * callee: `(a , f) is not a function or its return value`), an assignment (its target), a unary
 * operator; not `||`, `&&`, `?:`, `?.` or a chain of three operands or more (`a + b + c`). In a
 * declaration, only a name, a literal, `this`, a unary operator, a call of a name, `new`, `?:`,
 * a function or class, and a chain of three operands or more; anything else by type.
 */
export function iterableText(T: typeof ts, source: ts.Expression, of: "loop" | "declaration" | "default"): string | undefined {
  const e = skipOuterExpressions(T, source);
  if (of === "declaration") return declarationText(T, e);
  if (of === "default" && isLiteralOperand(T, e)) return undefined;
  const form = loopForm(T, e);
  if (form === undefined) return undefined;
  const text = printed(T, e, 0, true);
  return form === "call" ? `${text} is not a function or its return value` : text;
}

/** A literal, `this` or an object literal: V8 marks no source position there (`loopForm`'s `default` case). */
function isLiteralOperand(T: typeof ts, e: ts.Expression): boolean {
  const SK = T.SyntaxKind;
  return (
    T.isLiteralExpression(e) || T.isObjectLiteralExpression(e) || e.kind === SK.ThisKeyword || e.kind === SK.NullKeyword || e.kind === SK.TrueKeyword || e.kind === SK.FalseKeyword
  );
}

/** Whether V8 names a loop's iterable (`plain`), names it as a call (`call`), or words it by type (undefined). */
function loopForm(T: typeof ts, expr: ts.Expression): "plain" | "call" | undefined {
  const SK = T.SyntaxKind;
  let e = expr;
  // A comma expression takes the form of its right operand (a loop, not recursion, down `a, (b, (c, …))`).
  while (T.isBinaryExpression(e) && e.operatorToken.kind === SK.CommaToken) {
    // A chain of three operands or more is one node to V8, marked elsewhere (`(a , b) , c` is two).
    if (T.isBinaryExpression(e.left) && e.left.operatorToken.kind === SK.CommaToken) return undefined;
    e = skipOuterExpressions(T, e.right);
  }
  if (T.isOptionalChain(e)) return undefined;
  if (T.isCallExpression(e) || T.isNewExpression(e)) return "call";
  if (T.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op >= SK.FirstAssignment && op <= SK.LastAssignment) return "plain";
    if (op === SK.BarBarToken || op === SK.AmpersandAmpersandToken) return undefined;
    const left = skipOuterExpressions(T, e.left);
    if (!comparisons.has(T.tokenToString(op) ?? "") && op !== SK.AsteriskAsteriskToken && T.isBinaryExpression(left) && left.operatorToken.kind === op) return undefined;
    return "plain";
  }
  if (
    T.isIdentifier(e) ||
    T.isAwaitExpression(e) ||
    T.isPropertyAccessExpression(e) ||
    T.isElementAccessExpression(e) ||
    T.isPrefixUnaryExpression(e) ||
    T.isPostfixUnaryExpression(e) ||
    T.isTypeOfExpression(e) ||
    T.isVoidExpression(e) ||
    T.isFunctionExpression(e) ||
    T.isArrowFunction(e) ||
    T.isClassExpression(e) ||
    isLiteralOperand(T, e)
  )
    return "plain";
  return undefined;
}

/** `iterableText` for a declaration's initializer. */
function declarationText(T: typeof ts, e: ts.Expression): string | undefined {
  const SK = T.SyntaxKind;
  if (T.isCallExpression(e)) {
    // Only a call of a name as written (not `o.f()`, `(f)()` or `f?.()`).
    return !T.isOptionalChain(e) && T.isIdentifier(e.expression) ? `${e.expression.text} is not a function or its return value` : undefined;
  }
  if (T.isNewExpression(e)) return `${printed(T, e.expression, 0, true)} is not a function or its return value`;
  if (T.isBinaryExpression(e)) {
    // A chain of three operands or more of one operator (V8's n-ary node), not comparisons or commas.
    const op = e.operatorToken.kind;
    const left = e.left;
    const chain =
      T.isBinaryExpression(left) && left.operatorToken.kind === op && op !== SK.CommaToken && op !== SK.AsteriskAsteriskToken && !comparisons.has(T.tokenToString(op) ?? "");
    return chain && !(op >= SK.FirstAssignment && op <= SK.LastAssignment) ? printed(T, e, 0, true) : undefined;
  }
  if (T.isPrefixUnaryExpression(e)) return e.operator === SK.PlusPlusToken || e.operator === SK.MinusMinusToken ? undefined : printed(T, e, 0, true);
  if (
    T.isIdentifier(e) ||
    T.isAwaitExpression(e) ||
    T.isConditionalExpression(e) ||
    T.isTypeOfExpression(e) ||
    T.isVoidExpression(e) ||
    T.isFunctionExpression(e) ||
    T.isArrowFunction(e) ||
    T.isClassExpression(e) ||
    isLiteralOperand(T, e)
  )
    return printed(T, e, 0, true);
  return undefined;
}
