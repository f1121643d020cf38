/** Operator tables the lowering shares. */
import type * as ts from "typescript";

/** `+=` → `+`, `**=` → `**`, … (not the logical assignments `&&=`, `||=`, `??=`). */
export function compoundToBinary(tsApi: typeof ts, kind: ts.SyntaxKind): ts.BinaryOperator {
  const SK = tsApi.SyntaxKind;
  switch (kind) {
    case SK.PlusEqualsToken:
      return SK.PlusToken;
    case SK.MinusEqualsToken:
      return SK.MinusToken;
    case SK.AsteriskEqualsToken:
      return SK.AsteriskToken;
    case SK.AsteriskAsteriskEqualsToken:
      return SK.AsteriskAsteriskToken;
    case SK.SlashEqualsToken:
      return SK.SlashToken;
    case SK.PercentEqualsToken:
      return SK.PercentToken;
    case SK.LessThanLessThanEqualsToken:
      return SK.LessThanLessThanToken;
    case SK.GreaterThanGreaterThanEqualsToken:
      return SK.GreaterThanGreaterThanToken;
    case SK.GreaterThanGreaterThanGreaterThanEqualsToken:
      return SK.GreaterThanGreaterThanGreaterThanToken;
    case SK.AmpersandEqualsToken:
      return SK.AmpersandToken;
    case SK.BarEqualsToken:
      return SK.BarToken;
    case SK.CaretEqualsToken:
      return SK.CaretToken;
    default:
      throw new Error(`internal: not a compound assignment: ${SK[kind]}`);
  }
}

export function isAssignmentOperator(tsApi: typeof ts, kind: ts.SyntaxKind): boolean {
  return kind >= tsApi.SyntaxKind.FirstAssignment && kind <= tsApi.SyntaxKind.LastAssignment;
}

export function isLogicalAssignment(tsApi: typeof ts, kind: ts.SyntaxKind): boolean {
  const SK = tsApi.SyntaxKind;
  return kind === SK.AmpersandAmpersandEqualsToken || kind === SK.BarBarEqualsToken || kind === SK.QuestionQuestionEqualsToken;
}
