/**
 * The name an anonymous function or class gets from where it stands (NamedEvaluation): read by
 * the frame names of stack traces (frame-name.ts), by the function values the emit builds
 * (function-values.ts) and by the method shapes (method-shape.ts). Plain syntax, no emit state.
 */
import type * as ts from "typescript";

/** The name an anonymous function gets from where it stands (NamedEvaluation). */
export function inferredName(T: typeof ts, fn: ts.Node): string | undefined {
  let n = fn;
  while (n.parent && (T.isParenthesizedExpression(n.parent) || T.isAsExpression(n.parent) || T.isSatisfiesExpression(n.parent))) n = n.parent;
  const p = n.parent;
  if (!p) return undefined;
  const SK = T.SyntaxKind;
  const keyText = (name: ts.Node): string | undefined =>
    T.isIdentifier(name) || T.isStringLiteral(name) || T.isNumericLiteral(name) || T.isPrivateIdentifier(name) ? name.text : undefined;
  const namingAssignments = new Set([SK.EqualsToken, SK.BarBarEqualsToken, SK.AmpersandAmpersandEqualsToken, SK.QuestionQuestionEqualsToken]);
  // A namespace's exported variable is emitted as `N.f = …`, which names nothing.
  if (T.isVariableDeclaration(p) && p.initializer === n && T.isModuleBlock(p.parent.parent?.parent) && T.getCombinedModifierFlags(p) & T.ModifierFlags.Export) return undefined;
  if ((T.isVariableDeclaration(p) || T.isParameter(p) || T.isBindingElement(p)) && p.initializer === n) return keyText(p.name);
  // `__proto__: v` sets the prototype; it names nothing (PropertyDefinitionEvaluation).
  if (T.isPropertyAssignment(p) && p.initializer === n && (T.isIdentifier(p.name) || T.isStringLiteral(p.name)) && p.name.text === "__proto__") return undefined;
  if ((T.isPropertyAssignment(p) || T.isPropertyDeclaration(p)) && p.initializer === n) return keyText(p.name);
  if (T.isBinaryExpression(p) && p.right === n && T.isIdentifier(p.left) && namingAssignments.has(p.operatorToken.kind)) return p.left.text;
  if (T.isShorthandPropertyAssignment(p) && p.objectAssignmentInitializer === n) return p.name.text;
  // `export default` names it "default"; `export =` (`module.exports = …`) names nothing.
  if (T.isExportAssignment(p)) return p.isExportEquals ? undefined : "default";
  return undefined;
}
