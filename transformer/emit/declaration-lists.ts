/**
 * Declarations in kept code whose bindings became machine locals: the resume function declares
 * its registers itself, so `var a = 1, b;`, `let [x, y] = v;` and a `for (const k of …)` head
 * become assignments to the locals (`a = 1`, `[x, y] = v`), patterns kept in the same shape.
 */
import type * as ts from "typescript";
import { boundNames } from "../analyze/scopes";
import type { EmitContext } from "./emit-context";
import { access, localOf } from "./local-access";
import type { Visit } from "./checked-writes";

/** Does the declaration name bind a local of the machine? */
export function bindsLocal(cx: EmitContext, name: ts.BindingName): boolean {
  return boundNames(cx.T, name).some((id) => localOf(cx, id) !== undefined);
}

/** A binding pattern as an assignment target (same shape), its identifiers rewritten. */
export function toAssignmentTarget(cx: EmitContext, name: ts.BindingName, visit: Visit): ts.Expression {
  const { T, F } = cx;
  if (T.isIdentifier(name)) {
    const local = localOf(cx, name);
    return local !== undefined ? access(cx, local) : name;
  }
  if (T.isObjectBindingPattern(name)) {
    return F.createObjectLiteralExpression(
      name.elements.map((e) => {
        const target = toAssignmentTarget(cx, e.name, visit);
        if (e.dotDotDotToken) return F.createSpreadAssignment(target);
        const value = e.initializer ? F.createAssignment(target, visit(e.initializer) as ts.Expression) : target;
        const key = e.propertyName ? (visit(e.propertyName) as ts.PropertyName) : F.createIdentifier((e.name as ts.Identifier).text);
        return F.createPropertyAssignment(key, value);
      }),
    );
  }
  return F.createArrayLiteralExpression(
    name.elements.map((e) => {
      if (T.isOmittedExpression(e)) return e;
      const target = toAssignmentTarget(cx, e.name, visit);
      if (e.dotDotDotToken) return F.createSpreadElement(target);
      return e.initializer ? F.createAssignment(target, visit(e.initializer) as ts.Expression) : target;
    }),
  );
}

/**
 * `var a = 1, b;` whose bindings are machine locals → `a = 1` (undefined: not hoisted here;
 * null: nothing left to run).
 */
export function convertDeclarationList(cx: EmitContext, list: ts.VariableDeclarationList, visit: Visit): ts.Expression | null | undefined {
  const { T, F } = cx;
  if (!list.declarations.some((d) => bindsLocal(cx, d.name))) return undefined;
  const isVar = !(list.flags & (T.NodeFlags.Let | T.NodeFlags.Const));
  const parts: ts.Expression[] = [];
  for (const d of list.declarations) {
    if (!d.initializer) {
      if (!isVar && T.isIdentifier(d.name)) parts.push(F.createAssignment(toAssignmentTarget(cx, d.name, visit), F.createVoidZero()));
      continue;
    }
    const target = toAssignmentTarget(cx, d.name, visit);
    const value = visit(d.initializer) as ts.Expression;
    parts.push(T.isIdentifier(d.name) ? F.createAssignment(target, value) : F.createParenthesizedExpression(F.createAssignment(target, value)));
  }
  if (parts.length === 0) return null;
  return parts.reduce((a, b) => F.createComma(a, b));
}
