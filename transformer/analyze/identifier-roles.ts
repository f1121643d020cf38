/**
 * What an identifier does where it stands: refers to a binding or not (a property name, a
 * label, a declaration's own name), and whether that reference writes it.
 */
import type * as ts from "typescript";

/** Does this identifier refer to a binding (not a property name, label, or declaration name)? */
export function isReference(T: typeof ts, id: ts.Identifier): boolean {
  const SK = T.SyntaxKind;
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
export function isWrite(T: typeof ts, id: ts.Identifier): boolean {
  const SK = T.SyntaxKind;
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
    return isInAssignmentPattern(T, p);
  }
  return false;
}

/** Is `node` inside the pattern of a destructuring assignment (or a for-in/of head)? */
function isInAssignmentPattern(T: typeof ts, node: ts.Node): boolean {
  const SK = T.SyntaxKind;
  let n: ts.Node = node;
  for (;;) {
    const p = n.parent;
    if (!p) return false;
    if (T.isObjectLiteralExpression(n) || T.isArrayLiteralExpression(n)) {
      if (T.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === SK.EqualsToken) return true;
      if ((T.isForInStatement(p) || T.isForOfStatement(p)) && p.initializer === n) return true;
    }
    if (T.isBinaryExpression(p) && p.operatorToken.kind === SK.EqualsToken && p.right === n) return false;
    if (!(
      T.isObjectLiteralExpression(p) ||
      T.isArrayLiteralExpression(p) ||
      T.isPropertyAssignment(p) ||
      T.isShorthandPropertyAssignment(p) ||
      T.isSpreadElement(p) ||
      T.isSpreadAssignment(p) ||
      (T.isBinaryExpression(p) && p.operatorToken.kind === SK.EqualsToken) ||
      T.isParenthesizedExpression(p)
    )) {
      return false;
    }
    n = p;
  }
}
