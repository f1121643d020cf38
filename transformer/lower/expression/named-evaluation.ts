/**
 * NamedEvaluation: an anonymous function or class gets its name from where it stands
 * (`const f = () => {}` is named "f"). Lowering moves values into temporaries; these keep the
 * names native code gives.
 */
import type * as ts from "typescript";
import { skipOuterExpressions } from "../../analyze/contains-await";

/** IsAnonymousFunctionDefinition: a function, arrow or class expression without a name. */
export function isAnonymousDefinition(T: typeof ts, e: ts.Expression): boolean {
  const x = skipOuterExpressions(T, e);
  return T.isArrowFunction(x) || ((T.isFunctionExpression(x) || T.isClassExpression(x)) && x.name === undefined);
}

/**
 * An anonymous definition placed in a temporary gets the name it would get where it stands
 * (NamedEvaluation), not the temporary's: `({ [key]: f })[key]` names it after `key` (two
 * nodes of the same key), `(0, f)` — no longer an anonymous definition — names it nothing.
 */
export function namedDefinition(T: typeof ts, value: ts.Expression, key: readonly [ts.Expression, ts.Expression] | undefined): ts.Expression {
  const F = T.factory;
  if (key === undefined) return F.createParenthesizedExpression(F.createComma(F.createNumericLiteral(0), value));
  return F.createElementAccessExpression(
    F.createParenthesizedExpression(F.createObjectLiteralExpression([F.createPropertyAssignment(F.createComputedPropertyName(key[0]), value)])),
    key[1],
  );
}

/**
 * The name of `{ x }` rebuilt as `{ x: … }`. A shorthand `__proto__` defines an own property;
 * `__proto__: v` would set the prototype (PropertyDefinitionEvaluation): it gets a computed name.
 */
export function shorthandKey(T: typeof ts, name: ts.Identifier): ts.PropertyName {
  return name.text === "__proto__" ? T.factory.createComputedPropertyName(T.factory.createStringLiteral("__proto__")) : T.factory.createIdentifier(name.text);
}
