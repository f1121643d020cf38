/**
 * Object literals and class expressions with awaits: property values, computed keys (through
 * ToPropertyKey, as the definition does) and spread sources evaluated in order; class heritage
 * and computed keys before the class is built.
 */
import type * as ts from "typescript";
import type { ExpressionLowering } from "./builder";
import { isAnonymousDefinition, namedDefinition, shorthandKey } from "./named-evaluation";
import { isPrimitiveLiteral, lastAwaiting, laterWrites, spill, stable, unnamed, type LaterWrites } from "./operands";

export function lowerObjectLiteral(cx: ExpressionLowering, e: ts.ObjectLiteralExpression): ts.Expression {
  const { T, F, b } = cx;
  // The operands are property values, computed keys and spread sources, in order.
  const props = e.properties;
  const last = lastAwaiting(cx, props);
  const later = laterWrites(cx, props, last);
  const out = props.map((p, i): ts.ObjectLiteralElementLike => {
    if (i > last) return p;
    const isLast = i === last;
    const keep = (x: ts.Expression, rest: LaterWrites): ts.Expression => (isLast || stable(cx, x, rest) ? x : spill(cx, x, "operand"));
    const rest = later(i);
    // A computed key is evaluated before its own value: spilled if the value awaits.
    const key = (name: ts.PropertyName): ts.PropertyName => {
      if (!T.isComputedPropertyName(name)) return name;
      const valueAwaits = T.isPropertyAssignment(p) && cx.has(p.initializer);
      const k = cx.lower(name.expression);
      if ((isLast && !valueAwaits) || isPrimitiveLiteral(cx, k)) return F.updateComputedPropertyName(name, k);
      // ToPropertyKey runs as the key is evaluated (PropertyDefinitionEvaluation), before the value.
      return F.updateComputedPropertyName(name, b.toTemp(F.createCallExpression(b.runtime("toPropertyKey"), undefined, [k]), "key"));
    };
    if (T.isPropertyAssignment(p)) {
      const k = key(p.name);
      const value = cx.lower(p.initializer);
      if (isLast || stable(cx, value, rest) || !isAnonymousDefinition(T, value)) return F.updatePropertyAssignment(p, k, keep(value, rest));
      // An anonymous function or class is named after its key (NamedEvaluation; not by
      // `__proto__: v`): spilled as `({ [key]: value })[key]`, it gets the same name.
      const keyValue = (): ts.Expression | undefined => {
        if (T.isComputedPropertyName(k)) return T.isIdentifier(k.expression) ? b.reference(k.expression) : isPrimitiveLiteral(cx, k.expression) ? k.expression : undefined;
        if (T.isIdentifier(k) || T.isStringLiteral(k)) return k.text === "__proto__" ? undefined : F.createStringLiteral(k.text);
        return T.isNumericLiteral(k) ? F.createNumericLiteral(k.text) : undefined;
      };
      const [k1, k2] = [keyValue(), keyValue()];
      const named = k1 && k2 ? namedDefinition(T, value, [k1, k2]) : unnamed(cx, value);
      return F.updatePropertyAssignment(p, k, b.toTemp(named, "operand"));
    }
    if (T.isShorthandPropertyAssignment(p)) {
      if (isLast) return p;
      return F.createPropertyAssignment(shorthandKey(T, p.name), keep(p.name, rest));
    }
    if (T.isSpreadAssignment(p)) {
      const src = cx.lower(p.expression);
      return F.updateSpreadAssignment(p, isLast ? src : b.toTemp(F.createObjectLiteralExpression([F.createSpreadAssignment(src)]), "spread"));
    }
    if ((T.isMethodDeclaration(p) || T.isGetAccessorDeclaration(p) || T.isSetAccessorDeclaration(p)) && T.isComputedPropertyName(p.name)) {
      if (T.isMethodDeclaration(p)) return F.updateMethodDeclaration(p, p.modifiers, p.asteriskToken, key(p.name), p.questionToken, p.typeParameters, p.parameters, p.type, p.body);
      if (T.isGetAccessorDeclaration(p)) return F.updateGetAccessorDeclaration(p, p.modifiers, key(p.name), p.parameters, p.type, p.body);
      return F.updateSetAccessorDeclaration(p, p.modifiers, key(p.name), p.parameters, p.body);
    }
    return p;
  });
  return F.updateObjectLiteralExpression(e, out);
}

/**
 * [source]  class extends (await base()) { [await key()]() {} }
 * [lowered] heritage and computed keys evaluated in order (keys through ToPropertyKey, as the
 *           class definition does), spilled; the class is then built from the temporaries.
 */
export function lowerClass(cx: ExpressionLowering, e: ts.ClassExpression): ts.Expression {
  const { T, F, SK, b } = cx;
  const heritage = e.heritageClauses?.find((h) => h.token === SK.ExtendsKeyword);
  const operands: ts.Node[] = [
    ...(heritage ? heritage.types.map((t) => t.expression) : []),
    ...e.members.map((m) => (m.name && T.isComputedPropertyName(m.name) ? m.name.expression : undefined)).filter((x): x is ts.Expression => x !== undefined),
  ];
  for (const m of e.members) if (cx.has(m) && !(m.name && T.isComputedPropertyName(m.name) && cx.has(m.name))) b.unsupported(m, "await-in-class-member");
  const last = lastAwaiting(cx, operands);
  // The heritage and keys run inside the class's scope, where its own name is in its dead zone
  // (ClassDefinitionEvaluation); those evaluated before an await move out of it. (A class
  // declaration, lowered to a synthesized expression, has its keys' reads of the name mapped to
  // a dead-zone local by statements.ts.)
  const ownName = e.flags & T.NodeFlags.Synthesized ? undefined : e.name?.text;
  if (ownName !== undefined && operands.slice(0, last + 1).some((o) => mentions(cx, o, ownName))) {
    b.unsupported(e, "class-key-reads-class-name", `\`${ownName}\``);
  }
  let index = 0;
  const next = (x: ts.Expression, isKey: boolean): ts.Expression => {
    const i = index++;
    if (i > last) return x;
    const lowered = cx.lower(x);
    if (i === last && !isKey) return lowered;
    return isKey ? b.toTemp(F.createCallExpression(b.runtime("toPropertyKey"), undefined, [lowered]), "key") : spill(cx, lowered, "heritage");
  };
  const heritageClauses = e.heritageClauses?.map((h) =>
    h.token === SK.ExtendsKeyword
      ? F.updateHeritageClause(
          h,
          h.types.map((t) => F.updateExpressionWithTypeArguments(t, next(t.expression, false), t.typeArguments)),
        )
      : h,
  );
  const members = e.members.map((m) => {
    if (!(m.name && T.isComputedPropertyName(m.name))) return m;
    const name = F.updateComputedPropertyName(m.name, next(m.name.expression, true));
    if (T.isMethodDeclaration(m)) return F.updateMethodDeclaration(m, m.modifiers, m.asteriskToken, name, m.questionToken, m.typeParameters, m.parameters, m.type, m.body);
    if (T.isPropertyDeclaration(m)) return F.updatePropertyDeclaration(m, m.modifiers, name, m.questionToken ?? m.exclamationToken, m.type, m.initializer);
    if (T.isGetAccessorDeclaration(m)) return F.updateGetAccessorDeclaration(m, m.modifiers, name, m.parameters, m.type, m.body);
    if (T.isSetAccessorDeclaration(m)) return F.updateSetAccessorDeclaration(m, m.modifiers, name, m.parameters, m.body);
    return m;
  });
  return F.updateClassExpression(e, e.modifiers, e.name, e.typeParameters, heritageClauses, members);
}

/** Does `node` hold a reference-like identifier `name` (not a property name)? */
export function mentions(cx: ExpressionLowering, node: ts.Node, name: string): boolean {
  const { T } = cx;
  if (T.isIdentifier(node))
    return (
      node.text === name &&
      !(
        (T.isPropertyAccessExpression(node.parent) || T.isPropertyAssignment(node.parent) || T.isMethodDeclaration(node.parent) || T.isPropertyDeclaration(node.parent)) &&
        node.parent.name === node
      )
    );
  return T.forEachChild(node, (c) => (mentions(cx, c, name) ? true : undefined)) === true;
}
