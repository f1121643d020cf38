/**
 * JSX elements with awaits: tag, attributes and children evaluated in source order.
 */
import type * as ts from "typescript";
import type { ExpressionLowering } from "./builder";
import { isPrimitiveLiteral, lastAwaiting, sequence } from "./operands";

/**
 * [source]  <Card title={t} note={await n}>{a}<i/>{await b}</Card>
 * [lowered] $operand = Card; $operand_1 = t; .suspend n → r1; $attr = r1; $operand_2 = a;
 *           $operand_3 = <i/>; .suspend b → r2; <$operand title={$operand_1} note={$attr}>{$operand_2}{$operand_3}{r2}</$operand>
 * An element evaluates its tag (unless intrinsic), its attributes, then its children, in source
 * order — `createElement(tag, props, ...children)`, and the automatic runtime's `jsx(tag, props)`
 * alike, except that the latter evaluates `key` last: an element whose `key` is evaluated
 * before an await that follows it is left native.
 */
export function lowerJsx(cx: ExpressionLowering, e: ts.JsxElement | ts.JsxSelfClosingElement | ts.JsxFragment): ts.Expression {
  const { T, F, b } = cx;
  const opening = T.isJsxElement(e) ? e.openingElement : T.isJsxSelfClosingElement(e) ? e : undefined;
  const operands: ts.Expression[] = [];
  const tagIndex = opening && isValueTag(cx, opening.tagName) ? operands.push(opening.tagName as ts.Expression) - 1 : -1;
  let keyIndex = -1;
  const attrIndex = (opening?.attributes.properties ?? []).map((p) => {
    const value = T.isJsxSpreadAttribute(p)
      ? p.expression
      : p.initializer && T.isJsxExpression(p.initializer)
        ? p.initializer.expression
        : p.initializer && !T.isStringLiteral(p.initializer)
          ? (p.initializer as ts.Expression)
          : undefined;
    if (value === undefined) return -1;
    if (T.isJsxAttribute(p) && T.isIdentifier(p.name) && p.name.text === "key" && !isPrimitiveLiteral(cx, value)) keyIndex = operands.length;
    return operands.push(value) - 1;
  });
  const children = T.isJsxSelfClosingElement(e) ? [] : e.children;
  const childIndex = children.map((c) => (T.isJsxText(c) ? -1 : T.isJsxExpression(c) ? (c.expression ? operands.push(c.expression) - 1 : -1) : operands.push(c) - 1));
  const last = lastAwaiting(cx, operands);
  if (keyIndex >= 0 && keyIndex <= last) b.unsupported(e, "jsx-await-after-key");
  const values = sequence(cx, operands);
  /** A value where JSX wants an element or `{…}`: an element stays, anything else is wrapped. */
  const jsxValue = (v: ts.Expression): ts.JsxElement | ts.JsxSelfClosingElement | ts.JsxFragment | ts.JsxExpression =>
    T.isJsxElement(v) || T.isJsxSelfClosingElement(v) || T.isJsxFragment(v) ? v : F.createJsxExpression(undefined, v);
  const newChildren = children.map((c, i): ts.JsxChild => {
    const k = childIndex[i];
    if (k < 0) return c;
    return T.isJsxExpression(c) ? F.updateJsxExpression(c, values[k]) : jsxValue(values[k]);
  });
  if (T.isJsxFragment(e)) return F.updateJsxFragment(e, e.openingFragment, newChildren, e.closingFragment);
  const o = opening!;
  const tag = tagIndex >= 0 ? (values[tagIndex] as ts.JsxTagNameExpression) : o.tagName;
  const attributes = F.updateJsxAttributes(
    o.attributes,
    o.attributes.properties.map((p, i) => {
      const k = attrIndex[i];
      if (k < 0) return p;
      if (T.isJsxSpreadAttribute(p)) return F.updateJsxSpreadAttribute(p, values[k]);
      return F.updateJsxAttribute(p, p.name, T.isJsxExpression(p.initializer!) ? F.updateJsxExpression(p.initializer, values[k]) : jsxValue(values[k]));
    }),
  );
  if (T.isJsxSelfClosingElement(e)) return F.updateJsxSelfClosingElement(e, tag, e.typeArguments, attributes);
  // The closing tag names the same value: a spilled tag gets a second reference to its temporary.
  const closingTag = tag === o.tagName ? e.closingElement.tagName : (b.reference(tag as ts.Identifier) as ts.JsxTagNameExpression);
  return F.updateJsxElement(e, F.updateJsxOpeningElement(e.openingElement, tag, o.typeArguments, attributes), newChildren, F.updateJsxClosingElement(e.closingElement, closingTag));
}
/** A tag that is a value (a component), not an intrinsic element name (`div`, `my-el`, `svg:rect`). */
export function isValueTag(cx: ExpressionLowering, tag: ts.JsxTagNameExpression): boolean {
  const { T } = cx;
  if (T.isJsxNamespacedName(tag)) return false;
  if (T.isIdentifier(tag)) return !/^[a-z]/.test(tag.text) && !tag.text.includes("-");
  return true;
}
