/**
 * The wrapper: the function that replaces the original async function and starts its machine
 * (`$am.start` / `$am.startWithFrame`, or `pollStart` / `pollStartWithFrame` in poll mode). It keeps the original's kind, name, `length`, `this`,
 * modifiers, decorators and, for a method, its home object.
 *
 * In:  the original function, its scope facts, the names of its resume function and state enum,
 *      the frame's size and whether the parameters arrive in the frame. Out: the wrapper node.
 */
import type * as ts from "typescript";
import type { Scopes } from "../analyze/scopes";
import { areSimple, parametersOf } from "../lower/parameters";
import { startFunctionName } from "./poll-mode";
import type { NameManager } from "../names";
import { internalError } from "../not-compiled";
import { isDecorated } from "../syntax";
import { generatorClassSelf, generatorMethodSelf, generatorSelf } from "./generator-self";
import { classSelfOf, classSelfReference } from "./method-shape";

/** What the wrapper needs of its file. */
export interface WrapperContext {
  scopes: Scopes;
  names: NameManager;
  /** Identifier of the runtime namespace in this file. */
  runtime: string;
}

/**
 * [source]  async function f(a, b = 1) { … }
 * [wrapper] function f(a) { return $am.start(f$resume, 2, f$State, this, arguments); }
 *           (simple parameters and no `arguments` in the body: `…, this, [a])`)
 * Keeps name, `length` (parameters before the first default or rest), `this` binding and, for
 * methods, the home object (`super` is reached through `(k) => super[k]`).
 *
 * The wrapper maps to nothing in the source map (`unmapped`): a breakpoint a client sets on the
 * function's header line then slides to the first line of the body, which the resume function
 * maps, as a native function's does; and a step into a call passes over the wrapper.
 */
export function emitWrapper(
  T: typeof ts,
  fn: ts.FunctionLikeDeclaration,
  ctx: WrapperContext,
  resume: string,
  states: string | undefined,
  frameSize: number,
  framed: boolean,
  poll: boolean,
): ts.FunctionLikeDeclaration {
  return unmapped(T, buildWrapper(T, fn, ctx, resume, states, frameSize, framed, poll));
}

/** `node` and everything in it without source map positions. */
export function unmapped<N extends ts.Node>(T: typeof ts, node: N): N {
  return T.setEmitFlags(node, T.EmitFlags.NoSourceMap | T.EmitFlags.NoNestedSourceMaps);
}

function buildWrapper(
  T: typeof ts,
  fn: ts.FunctionLikeDeclaration,
  ctx: WrapperContext,
  resume: string,
  states: string | undefined,
  frameSize: number,
  framed: boolean,
  poll: boolean,
): ts.FunctionLikeDeclaration {
  const F = T.factory;
  const SK = T.SyntaxKind;
  const params = parametersOf(T, fn);
  const isArrow = T.isArrowFunction(fn);
  let wrapperParams: ts.ParameterDeclaration[];
  let args: ts.Expression;
  const facts = ctx.scopes.facts.get(fn);
  if (areSimple(T, params)) {
    // Parameter decorators stay on the wrapper's parameters (same positions).
    wrapperParams = params.map((p) => F.createParameterDeclaration(p.modifiers, undefined, (p.name as ts.Identifier).text, p.questionToken, p.type));
    // Parameters in the frame (see framedParameters): `[a, b, void 0…]`, padded to the frame's
    // size. No parameters: nothing to pass. A body that reads `arguments` gets the object.
    if (framed) {
      const names = params.map((p): ts.Expression => F.createIdentifier((p.name as ts.Identifier).text));
      while (names.length < frameSize) names.push(F.createVoidZero());
      args = F.createArrayLiteralExpression(names);
    } else {
      args = params.length === 0 && (isArrow || facts?.usesArguments !== true) ? F.createVoidZero() : F.createIdentifier("arguments");
    }
  } else {
    let length = params.findIndex((p) => p.initializer || p.dotDotDotToken);
    if (length < 0) length = params.length;
    const names = Array.from({ length }, (_, i) => ctx.names.claim(`$p${i}`));
    wrapperParams = names.map((n) => F.createParameterDeclaration(undefined, undefined, n));
    if (isArrow) {
      const rest = ctx.names.claim("$rest");
      wrapperParams.push(F.createParameterDeclaration(undefined, F.createToken(SK.DotDotDotToken), rest));
      args = F.createArrayLiteralExpression([...names.map((n) => F.createIdentifier(n)), F.createSpreadElement(F.createIdentifier(rest))]);
    } else {
      args = F.createIdentifier("arguments");
    }
  }
  // No state enum (the production profile): `0`, which the runtime reads as "built in production profile".
  const stateEnum = states === undefined ? F.createNumericLiteral(0) : F.createIdentifier(states);
  if (fn.asteriskToken)
    return generatorWrapper(
      T,
      fn,
      ctx,
      wrapperParams,
      [F.createIdentifier(resume), ...(framed ? [] : [F.createNumericLiteral(frameSize)]), stateEnum, F.createThis(), args],
      framed,
      poll,
    );
  const startArgs: ts.Expression[] = framed
    ? [F.createIdentifier(resume), stateEnum, F.createThis(), args]
    : [F.createIdentifier(resume), F.createNumericLiteral(frameSize), stateEnum, F.createThis(), args];
  if (facts?.usesSuper) startArgs.push(superAccessor(T, ctx));
  // An arrow's `arguments` and `new.target` are the enclosing function's: its wrapper passes them.
  const lexical: ts.Expression[] = [];
  if (isArrow && facts?.usesNewTarget) lexical.push(F.createMetaProperty(SK.NewKeyword, F.createIdentifier("target")));
  if (isArrow && (facts?.usesArguments || lexical.length > 0)) lexical.unshift(facts?.usesArguments ? F.createIdentifier("arguments") : F.createVoidZero());
  if (lexical.length > 0 && !facts?.usesSuper) startArgs.push(F.createVoidZero());
  startArgs.push(...lexical);
  // No parameters and no arguments object: nothing to pass (trailing `void 0`s are dropped).
  while (startArgs.length > 4 && T.isVoidExpression(startArgs[startArgs.length - 1])) startArgs.pop();
  const start = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(ctx.runtime), startFunctionName(framed, poll)), undefined, startArgs);
  const modifiers = fn.modifiers?.filter((m) => m.kind !== SK.AsyncKeyword) as ts.ModifierLike[] | undefined;
  // A function strict by its own directive keeps it, so its `this` is not coerced either.
  const ownDirective =
    fn.body &&
    T.isBlock(fn.body) &&
    fn.body.statements.length > 0 &&
    T.isExpressionStatement(fn.body.statements[0]) &&
    T.isStringLiteral(fn.body.statements[0].expression) &&
    fn.body.statements[0].expression.text === "use strict";
  const body = F.createBlock([...(ownDirective ? [F.createExpressionStatement(F.createStringLiteral("use strict"))] : []), F.createReturnStatement(start)], false);
  // `design:returntype` of an async method without a return type is `Promise`; the wrapper is
  // not async, so it says so (a type, erased from the output but for that metadata).
  const type = fn.type ?? (T.isMethodDeclaration(fn) && isDecorated(T, fn) ? F.createTypeReferenceNode("Promise") : undefined);
  switch (fn.kind) {
    case SK.FunctionDeclaration:
      return F.updateFunctionDeclaration(fn as ts.FunctionDeclaration, modifiers, undefined, fn.name as ts.Identifier | undefined, fn.typeParameters, wrapperParams, fn.type, body);
    case SK.FunctionExpression:
      return F.updateFunctionExpression(
        fn as ts.FunctionExpression,
        modifiers as ts.Modifier[] | undefined,
        undefined,
        fn.name as ts.Identifier | undefined,
        fn.typeParameters,
        wrapperParams,
        fn.type,
        body,
      );
    case SK.ArrowFunction:
      return F.updateArrowFunction(
        fn as ts.ArrowFunction,
        modifiers as ts.Modifier[] | undefined,
        fn.typeParameters,
        wrapperParams,
        fn.type,
        (fn as ts.ArrowFunction).equalsGreaterThanToken,
        start,
      );
    case SK.MethodDeclaration:
      return F.updateMethodDeclaration(
        fn as ts.MethodDeclaration,
        modifiers,
        undefined,
        fn.name as ts.PropertyName,
        (fn as ts.MethodDeclaration).questionToken,
        fn.typeParameters,
        wrapperParams,
        type,
        body,
      );
    default:
      return internalError(fn, `unexpected async function kind ${SK[fn.kind]}`);
  }
}

/** (key, value, isSet) => isSet ? (super[key] = value) : super[key] — the home object stays the method's. */
function superAccessor(T: typeof ts, ctx: WrapperContext): ts.ArrowFunction {
  const F = T.factory;
  const [k, v, set] = [ctx.names.claim("$key"), ctx.names.claim("$value"), ctx.names.claim("$isSet")];
  const superKey = (): ts.Expression => F.createElementAccessExpression(F.createSuper(), F.createIdentifier(k));
  return F.createArrowFunction(
    undefined,
    undefined,
    [k, v, set].map((n) => F.createParameterDeclaration(undefined, undefined, n)),
    undefined,
    undefined,
    F.createConditionalExpression(
      F.createIdentifier(set),
      undefined,
      F.createParenthesizedExpression(F.createAssignment(superKey(), F.createIdentifier(v))),
      undefined,
      superKey(),
    ),
  );
}

/**
 * [source]  async function* g(a) { … }
 * [wrapper] function g(a) { return $am.startGenerator($self, g$resume, g$State, this, [a]); }
 * `$self` is the function itself (its `prototype` is read at each call), bound where the
 * wrapper becomes a value (function-values.ts). A method stays a method (`m$self`, declared
 * beside its class or literal; a method that uses `super` passes its super accessor last).
 */
function generatorWrapper(
  T: typeof ts,
  fn: ts.FunctionLikeDeclaration,
  ctx: WrapperContext,
  params: ts.ParameterDeclaration[],
  args: ts.Expression[],
  framed: boolean,
  poll: boolean,
): ts.FunctionLikeDeclaration {
  const F = T.factory;
  const isMethod = T.isMethodDeclaration(fn);
  // `export default async function*`: the declaration reads itself through its own binding (its
  // live export, swapped for the shaped function by the first statement; see besideEdits), given
  // a name when it has none.
  const isDefaultExport = T.isFunctionDeclaration(fn) && fn.modifiers?.some((m) => m.kind === T.SyntaxKind.DefaultKeyword) === true;
  const ownName = T.isFunctionDeclaration(fn) ? (fn.name ?? (isDefaultExport ? F.createIdentifier(ctx.names.claimForFile("default$generator")) : undefined)) : undefined;
  const classSelf = classSelfOf(T, ctx.scopes, fn);
  const self = isMethod ? ctx.names.claimForFile(`${methodBaseName(T, fn)}$self`) : isDefaultExport && ownName ? ownName.text : ctx.names.claim("$self");
  // No parameters and no arguments object: nothing to pass.
  if (!framed && T.isVoidExpression(args[args.length - 1])) args = args.slice(0, -1);
  if (isMethod && ctx.scopes.facts.get(fn)?.usesSuper) {
    if (!framed && args.length === 4) args = [...args, F.createVoidZero()];
    args = [...args, superAccessor(T, ctx)];
  }
  const startName = poll ? (framed ? "pollStartGenerator" : "pollStartGeneratorWithArguments") : framed ? "startGenerator" : "startGeneratorWithArguments";
  const start = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(ctx.runtime), startName), undefined, [
    classSelf ? classSelfReference(T, classSelf) : F.createIdentifier(self),
    ...args,
  ]);
  const body = F.createBlock([F.createReturnStatement(start)], false);
  const modifiers = fn.modifiers?.filter((m) => m.kind !== T.SyntaxKind.AsyncKeyword) as ts.Modifier[] | undefined;
  const wrapper = T.isFunctionDeclaration(fn)
    ? F.updateFunctionDeclaration(fn, modifiers, undefined, ownName, fn.typeParameters, params, fn.type, body)
    : T.isFunctionExpression(fn)
      ? F.updateFunctionExpression(fn, modifiers, undefined, fn.name, fn.typeParameters, params, fn.type, body)
      : T.isMethodDeclaration(fn)
        ? F.updateMethodDeclaration(fn, modifiers, undefined, fn.name, fn.questionToken, fn.typeParameters, params, fn.type, body)
        : internalError(fn, "an async generator that is neither a function nor a method reached the wrapper");
  if (classSelf) generatorClassSelf.set(wrapper, classSelf);
  else {
    generatorSelf.set(wrapper, self);
    if (isMethod) generatorMethodSelf.set(T.getOriginalNode(fn), self);
  }
  return wrapper;
}

/** `m`, `Class_m`, `computed`: the readable base of a method's `$self` name. */
function methodBaseName(T: typeof ts, method: ts.MethodDeclaration): string {
  const key = method.name;
  const own = T.isIdentifier(key) || T.isPrivateIdentifier(key) || T.isStringLiteral(key) || T.isNumericLiteral(key) ? key.text : "computed";
  const cls = T.isClassLike(method.parent) ? method.parent.name?.text : undefined;
  return `${cls ? cls + "_" : ""}${own}`.replace(/[^A-Za-z0-9_$]/g, "_").replace(/^_+/, "") || "method";
}
