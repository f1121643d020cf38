/**
 * The parameters of the function being lowered, bound at the machine's entry: from the
 * arguments the wrapper passed (a placeholder: runtime-refs.ts), defaults left to right, or — for sloppy code with
 * simple parameters that reads `arguments` — aliased to the mapped arguments object.
 */
import type * as ts from "typescript";
import { isStrictCode } from "../analyze/scopes";
import { LocalStorage } from "./cfg";
import type { Lowering } from "./lowering";
import { bindPattern } from "./patterns";
import { declareScope } from "./scope-locals";

/** The parameters, without a TypeScript `this` parameter. */
export function parametersOf(T: typeof ts, fn: ts.FunctionLikeDeclaration): ts.ParameterDeclaration[] {
  return fn.parameters.filter((p) => !(T.isIdentifier(p.name) && p.name.text === "this"));
}

/** Plain names only: no pattern, default or rest. */
export function areSimple(T: typeof ts, params: readonly ts.ParameterDeclaration[]): boolean {
  return params.every((p) => T.isIdentifier(p.name) && !p.initializer && !p.dotDotDotToken);
}

/** Declares the function's scope and binds its parameters (an error here rejects the promise, as native). */
export function lowerParameters(cx: Lowering): void {
  const { T, F, b, fn, scopes } = cx;
  const argumentsId = b.runtimeRef({ kind: "args" });
  const params = parametersOf(T, fn);
  // In sloppy code a function with simple parameters has a mapped `arguments`: writing a
  // parameter writes `arguments[i]` and back — for the parameters the call passed. Those live
  // in the arguments object; the others in `m.p.values` (see emit: Argument storage).
  // (An arrow has no arguments object of its own: its `arguments` is the enclosing function's.)
  const aliasArguments = areSimple(T, params) && !isStrictCode(T, fn, scopes.alwaysStrict) && !T.isArrowFunction(fn) && scopes.facts.get(fn)?.usesArguments === true;
  declareScope(cx, fn, true, () => {
    if (aliasArguments) {
      params.forEach((p, i) => {
        const local = b.localOf(p.name as ts.Identifier)!;
        b.locals[local].storage = LocalStorage.Argument;
        b.locals[local].argumentIndex = i;
      });
      b.emitOp(
        F.createExpressionStatement(F.createAssignment(F.createPropertyAccessExpression(b.runtimeRef({ kind: "machine" }), "p"), b.runtimeCall("parameterStore", [argumentsId]))),
      );
      return;
    }
    // Parameters bind first (defaults left to right).
    params.forEach((p, i) => {
      const arg = F.createElementAccessExpression(argumentsId, i);
      let value: ts.Expression = arg;
      if (p.dotDotDotToken) value = b.runtimeCall("restArguments", [argumentsId, F.createNumericLiteral(i)]);
      else if (p.initializer) value = F.createConditionalExpression(F.createStrictEquality(arg, F.createVoidZero()), undefined, p.initializer, undefined, arg);
      bindPattern(cx, p.name, value);
    });
  });
}
