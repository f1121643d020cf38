/**
 * A compiled function as a value where the original stood: the wrapper given the shape of an
 * async function, and — when its resume function cannot be placed beside it — created together
 * with its resume in an arrow IIFE.
 *
 * In:  the wrapper and resume function of a compiled function, the original node (for the name
 *      it would have been given), the runtime namespace identifier. Out: an expression.
 */
import type * as ts from "typescript";
import { frameName } from "./frame-name";
import { inferredName } from "./inferred-name";
import { generatorSelf } from "./generator-self";
import { unmapped } from "./wrapper";

/** What a compiled function brings: the function that replaces the original, and its resume function. */
export interface CompiledPair {
  wrapper: ts.FunctionLikeDeclaration;
  resume: ts.FunctionDeclaration;
}

/**
 * `(() => { function f$resume(…) {…} return <wrapper>; })()` — the wrapper and its resume
 * created together. What the IIFE would lose is put back: a named function expression's own
 * name stays visible to the resume (`const fact = function fact…`), and an anonymous function
 * keeps the name it would have been given (`{ "arrow": wrapper }.arrow`).
 */
export function iife(T: typeof ts, runtime: string, compiled: CompiledPair, original: ts.FunctionLikeDeclaration, naming: readonly ts.Statement[]): ts.Expression {
  if (T.isMethodDeclaration(compiled.wrapper)) throw new Error("internal: a method cannot be created in an IIFE");
  // Where the frame name is the wrapper's own name, `$am.asyncFunction(wrapper, f$resume)` gives
  // it to the resume function (not an async generator's wrapper: its shaping names nothing).
  const fold = naming.length === 1 && generatorSelf.get(compiled.wrapper) === undefined && frameName(T, original) === (wrapperNameOf(T, original) ?? "");
  const value = asyncWrapper(T, runtime, compiled.wrapper, original, fold ? compiled.resume.name!.text : undefined);
  return withResume(T, compiled.resume, fold ? [] : naming, value, original);
}

/** `(() => { function f$resume(…) {…} …naming; return value; })()`: a value created together with its resume function. */
export function withResume(
  T: typeof ts,
  resume: ts.FunctionDeclaration,
  naming: readonly ts.Statement[],
  value: ts.Expression,
  original?: ts.FunctionLikeDeclaration,
): ts.Expression {
  const F = T.factory;
  const statements: ts.Statement[] = [resume, ...naming];
  if (original && T.isFunctionExpression(original) && original.name) {
    statements.push(
      F.createVariableStatement(undefined, F.createVariableDeclarationList([F.createVariableDeclaration(original.name.text, undefined, undefined, value)], T.NodeFlags.Const)),
    );
    value = F.createIdentifier(original.name.text);
  }
  statements.push(F.createReturnStatement(value));
  return F.createCallExpression(
    F.createParenthesizedExpression(F.createArrowFunction(undefined, undefined, [], undefined, undefined, F.createBlock(statements, /*multiLine*/ true))),
    undefined,
    [],
  );
}

/**
 * The wrapper as a value that looks like an async function: its prototype is
 * %AsyncFunction.prototype% (so `constructor` is AsyncFunction and `@@toStringTag` says so),
 * and a function expression or declaration becomes a method, which — like an async
 * function — has no `prototype`, cannot be constructed and has no own `caller`/`arguments`.
 * An anonymous function keeps the name it would have been given where it stands: the key of
 * the method, or of a property holding the arrow (an arrow passed to a call is given none).
 * With `nameResume`, the same call gives that resume function the wrapper's name (frame-name.ts).
 *     $am.asyncFunction({ f(a) { return $am.start(…); } })      $am.asyncFunction({ arrow: (a) => … })
 *     $am.asyncFunction({ f(a) { return $am.start(f$resume, …); } }, f$resume)
 */
export function asyncWrapper(T: typeof ts, runtime: string, wrapper: ts.FunctionLikeDeclaration, original: ts.FunctionLikeDeclaration, nameResume?: string): ts.Expression {
  const F = T.factory;
  const name = wrapperNameOf(T, original);
  const self = generatorSelf.get(wrapper);
  if (self !== undefined) {
    // (($self) => $self = $am.asyncGeneratorFunction({ "g"(a) { return $am.startGenerator($self, …); } }["g"]))()
    const key = F.createStringLiteral(name ?? "");
    const method = unmapped(T, F.createMethodDeclaration(undefined, undefined, key, undefined, undefined, wrapper.parameters, undefined, wrapper.body as ts.Block));
    const holder = F.createParenthesizedExpression(F.createObjectLiteralExpression([method]));
    return shapedSelf(T, runtime, self, F.createElementAccessExpression(holder, F.createStringLiteral(name ?? "")));
  }
  const asyncFunction = F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncFunction");
  const naming = nameResume !== undefined ? [F.createIdentifier(nameResume)] : [];
  if (T.isArrowFunction(wrapper)) {
    if (!name) return F.createCallExpression(asyncFunction, undefined, [wrapper, ...naming]);
    // `__proto__: v` would set the prototype; a computed key names the arrow like any other.
    const key = name === "__proto__" ? F.createComputedPropertyName(F.createStringLiteral(name)) : propertyKey(T, name);
    return F.createCallExpression(asyncFunction, undefined, [heldBy(T, F.createPropertyAssignment(key, wrapper)), ...naming]);
  }
  const method = unmapped(T, F.createMethodDeclaration(undefined, undefined, propertyKey(T, name ?? ""), undefined, undefined, wrapper.parameters, undefined, wrapper.body!));
  return F.createCallExpression(asyncFunction, undefined, [heldBy(T, method), ...naming]);
}

/** The name the wrapper of `original` has where it stands (undefined: an arrow passed to a call, named ""). */
function wrapperNameOf(T: typeof ts, original: ts.FunctionLikeDeclaration): string | undefined {
  const own = original.name && T.isIdentifier(original.name) ? original.name.text : undefined;
  // An anonymous `export default` declaration is named "default".
  return own ?? (T.isFunctionDeclaration(original) ? "default" : inferredName(T, original));
}

/**
 * An async generator method of an object literal that does not use `super` (its home object is
 * unobservable then) becomes a property of the literal whose value is its wrapper, made a value
 * the way a function expression's is, where the method was defined:
 *
 *     m: (($self) => $self = $am.asyncGeneratorFunction(({ m(a) { return $am.startGenerator($self, …); } }).m))()
 *     [$key = $am.toPropertyKey(k)]: (($self) => $self = $am.asyncGeneratorFunction(({ [$key](a) { … } })[$key]))()
 *
 * The same property natively (writable, enumerable, configurable: a method is defined as a data
 * property) holding the same function: named by its key, no constructor, shaped as it is made,
 * and `$self` bound per evaluation of the literal — so a literal made again and again (a concise
 * arrow's body, a loop), a spread after the method that replaces it, or an enclosing compiled
 * async function need nothing else. The key of a computed name is converted once, into a
 * variable of the file (`keyHolder`): nothing runs between its write and its reads.
 * `value` wraps the shaped wrapper (the IIFE that also creates the resume function, when it
 * cannot be placed beside).
 */
export function generatorMethodProperty(
  T: typeof ts,
  runtime: string,
  wrapper: ts.MethodDeclaration,
  keyHolder: string | undefined,
  value: (shaped: ts.Expression) => ts.Expression = (shaped) => shaped,
): ts.PropertyAssignment {
  const F = T.factory;
  const self = generatorSelf.get(wrapper);
  if (self === undefined) throw new Error("internal: an async generator method's wrapper has no $self binding");
  const name = wrapper.name;
  let outerKey: ts.PropertyName;
  let innerKey: ts.PropertyName;
  let read: ts.Expression;
  if (T.isComputedPropertyName(name)) {
    if (keyHolder === undefined) throw new Error("internal: a computed generator method key without a holder");
    const converted = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "toPropertyKey"), undefined, [name.expression]);
    outerKey = F.updateComputedPropertyName(name, F.createAssignment(F.createIdentifier(keyHolder), converted));
    innerKey = F.createComputedPropertyName(F.createIdentifier(keyHolder));
    read = F.createIdentifier(keyHolder);
  } else {
    const text = (name as ts.Identifier | ts.StringLiteral | ts.NumericLiteral).text;
    // `__proto__: v` would set the prototype: the key is written computed.
    outerKey = text === "__proto__" && !T.isNumericLiteral(name) ? F.createComputedPropertyName(F.createStringLiteral(text)) : name;
    innerKey = name;
    read = T.isNumericLiteral(name) ? F.createNumericLiteral(name.text) : F.createStringLiteral(text);
  }
  const method = unmapped(T, F.createMethodDeclaration(undefined, undefined, innerKey, undefined, undefined, wrapper.parameters, undefined, wrapper.body as ts.Block));
  const holder = F.createParenthesizedExpression(F.createObjectLiteralExpression([method]));
  const member = T.isIdentifier(name) && isPlainName(name.text) ? F.createPropertyAccessExpression(holder, name.text) : F.createElementAccessExpression(holder, read);
  return F.createPropertyAssignment(outerKey, value(shapedSelf(T, runtime, self, member)));
}

/** `(($self) => $self = $am.asyncGeneratorFunction(member))()`: the method shaped, and bound to `$self` per evaluation. */
function shapedSelf(T: typeof ts, runtime: string, self: string, member: ts.Expression): ts.Expression {
  const F = T.factory;
  const shaped = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncGeneratorFunction"), undefined, [member]);
  const bind = F.createArrowFunction(
    undefined,
    undefined,
    [F.createParameterDeclaration(undefined, undefined, self)],
    undefined,
    undefined,
    F.createAssignment(F.createIdentifier(self), shaped),
  );
  return F.createCallExpression(F.createParenthesizedExpression(bind), undefined, []);
}

/** An identifier name (reserved words included: `{ default() {} }.default` is fine); ASCII only, the rest quoted. */
const isPlainName = (name: string): boolean => /^[A-Za-z_$][\w$]*$/.test(name);

/** `name` as a property key: `f`, or `"a b"` where it is no identifier. */
function propertyKey(T: typeof ts, name: string): ts.PropertyName {
  return isPlainName(name) ? T.factory.createIdentifier(name) : T.factory.createStringLiteral(name);
}

/**
 * `{ member }`: the member's value, named by its key where it is defined; `$am.asyncFunction`
 * takes the object's one property (runtime/helpers.ts), so the name is not spelt again.
 */
function heldBy(T: typeof ts, member: ts.ObjectLiteralElementLike): ts.Expression {
  return T.factory.createObjectLiteralExpression([member]);
}
