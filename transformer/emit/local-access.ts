/**
 * How kept code reaches a local of the machine: an identifier of the original function → its
 * local (lower/build-cfg.ts decided), and a local → the expression that reads or writes it by its
 * storage: a register (`x`), the captures array (`$m.c[i]`), an environment record (`$env.x`),
 * or the arguments object of a sloppy function (`(i < $m.p.passed ? $m.a : $m.p.values)[i]`).
 */
import type * as ts from "typescript";
import { LocalStorage, type LocalId } from "../lower/cfg";
import { localOf as loweredLocalOf } from "../lower/lowered-function";
import { machineMember, runtimeMember, withComment, type EmitContext } from "./emit-context";

/** The local an identifier of the original function (or a temporary the lowering made) names. */
export function localOf(cx: EmitContext, id: ts.Identifier): LocalId | undefined {
  return loweredLocalOf(cx.lowered, cx.scopes, id);
}

/** The expression a local is reached through (to read or to write). */
export function access(cx: EmitContext, local: LocalId): ts.Expression {
  const { F, T, SK } = cx;
  const l = cx.locals[local];
  switch (l.storage) {
    case LocalStorage.Register:
      return F.createIdentifier(l.name);
    case LocalStorage.Captured:
      return withComment(cx, F.createElementAccessExpression(machineMember(cx, "c"), F.createNumericLiteral(cx.layout.captureOf.get(local)!)), l.sourceName);
    case LocalStorage.Argument: {
      // (i < passed ? m.a : m.p.values)[i]: mapped to arguments[i] only if the call passed it.
      const i = l.argumentIndex!;
      const p = F.createPropertyAccessExpression(machineMember(cx, "p"), "passed");
      const store = F.createConditionalExpression(
        F.createLessThan(F.createNumericLiteral(i), p),
        undefined,
        machineMember(cx, "a"),
        undefined,
        F.createPropertyAccessExpression(machineMember(cx, "p"), "values"),
      );
      return F.createElementAccessExpression(F.createParenthesizedExpression(store), F.createNumericLiteral(i));
    }
    case LocalStorage.Env:
      return F.createPropertyAccessExpression(F.createIdentifier(cx.locals[l.env!].name), l.name);
  }
}

/** A read of a local: through the dead-zone check when it may be read before its initialization. */
export function read(cx: EmitContext, local: LocalId): ts.Expression {
  const l = cx.locals[local];
  const e = access(cx, local);
  return l.tdz ? cx.F.createCallExpression(runtimeMember(cx, "checkTdz"), undefined, [e, cx.F.createStringLiteral(l.sourceName)]) : e;
}

/** `local = value;` */
export function assignLocal(cx: EmitContext, local: LocalId, value: ts.Expression): ts.Statement {
  return cx.F.createExpressionStatement(cx.F.createAssignment(access(cx, local), value));
}
