/**
 * Compiled async methods shaped like native ones. A compiled method stays a method (its home
 * object, for `super`), so its prototype is Function.prototype; native async methods have
 * %AsyncFunction.prototype% (`m[Symbol.toStringTag] === "AsyncFunction"`, which libraries test).
 * The prototype is set once per evaluation of the class or object literal, right after it is
 * created, never per call:
 *
 *     class C { static { $am.asyncMethods(this.prototype, "m"); } m() { return $am.start(…); } }
 *     $am.asyncMethods({ m() { return $am.start(…); } }, "m")
 *
 * A method under a computed key (its key is only known while the class or literal is built) or
 * a private instance method (reachable only through an instance) keeps Function.prototype.
 */
import type * as ts from "typescript";

/** The key of `method` as a literal, when it is known without evaluating anything. */
function literalKey(T: typeof ts, method: ts.MethodDeclaration): ts.StringLiteral | ts.NumericLiteral | undefined {
  const F = T.factory;
  const name = method.name;
  if (T.isIdentifier(name) || T.isStringLiteral(name)) return F.createStringLiteral(name.text);
  if (T.isNumericLiteral(name)) return F.createNumericLiteral(name.text);
  return undefined;
}

const isStatic = (T: typeof ts, m: ts.MethodDeclaration): boolean => m.modifiers?.some((x) => x.kind === T.SyntaxKind.StaticKeyword) === true;

/** `static { $am.asyncMethods(this.prototype, "m"); }` for a compiled class method (undefined: none can be given). */
export function classMethodShape(T: typeof ts, runtime: string, method: ts.MethodDeclaration): ts.ClassStaticBlockDeclaration | undefined {
  const F = T.factory;
  const holder = isStatic(T, method) ? F.createThis() : F.createPropertyAccessExpression(F.createThis(), "prototype");
  let call: ts.Expression | undefined;
  if (T.isPrivateIdentifier(method.name)) {
    if (isStatic(T, method))
      call = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncFunction"), undefined, [
        F.createPropertyAccessExpression(F.createThis(), method.name.text),
      ]);
  } else {
    const key = literalKey(T, method);
    if (key) call = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncMethods"), undefined, [holder, key]);
  }
  return call && F.createClassStaticBlockDeclaration(F.createBlock([F.createExpressionStatement(call)], /*multiLine*/ false));
}

/** The keys of the compiled methods of an object literal that can be shaped (see above). */
export function objectMethodKeys(T: typeof ts, methods: readonly ts.MethodDeclaration[]): ts.Expression[] {
  return methods.flatMap((m) => literalKey(T, m) ?? []);
}

/** `$am.asyncMethods(literal, "m", …)`, or the literal itself when no key is known. */
export function shapedObjectLiteral(T: typeof ts, runtime: string, literal: ts.Expression, keys: readonly ts.Expression[]): ts.Expression {
  const F = T.factory;
  if (keys.length === 0) return literal;
  return F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncMethods"), undefined, [literal, ...keys]);
}

/**
 * A class or object literal of kept code whose members were rewritten (`rewritten`, member for
 * member the same as `original`'s): the compiled async methods among them — async in `original`,
 * no longer in `rewritten` — get the shape.
 */
export function withAsyncMethodShape(T: typeof ts, runtime: string, original: ts.Node, rewritten: ts.Node): ts.Node {
  const F = T.factory;
  const isAsync = (m: ts.Node): boolean => T.canHaveModifiers(m) && T.getModifiers(m)?.some((x) => x.kind === T.SyntaxKind.AsyncKeyword) === true;
  const compiledOf = (before: readonly ts.Node[], after: readonly ts.Node[]): ts.MethodDeclaration[] =>
    before.length !== after.length
      ? []
      : before.filter((m, i): m is ts.MethodDeclaration => T.isMethodDeclaration(m) && !m.asteriskToken && isAsync(m) && T.isMethodDeclaration(after[i]) && !isAsync(after[i]));
  if (T.isObjectLiteralExpression(original) && T.isObjectLiteralExpression(rewritten)) {
    return shapedObjectLiteral(T, runtime, rewritten, objectMethodKeys(T, compiledOf(original.properties, rewritten.properties)));
  }
  if (T.isClassLike(original) && (T.isClassExpression(rewritten) || T.isClassDeclaration(rewritten))) {
    const blocks = compiledOf(original.members, rewritten.members).flatMap((m) => classMethodShape(T, runtime, m) ?? []);
    if (blocks.length === 0) return rewritten;
    const members = [...blocks, ...rewritten.members];
    return T.isClassDeclaration(rewritten)
      ? F.updateClassDeclaration(rewritten, rewritten.modifiers, rewritten.name, rewritten.typeParameters, rewritten.heritageClauses, members)
      : F.updateClassExpression(rewritten, rewritten.modifiers, rewritten.name, rewritten.typeParameters, rewritten.heritageClauses, members);
  }
  return rewritten;
}

/**
 * Async generator methods. The wrapper reads itself (`m$self`: its `prototype` is read at each
 * call, as native) from a `let` declared beside the class or object literal, set when the
 * class or literal is built, as it is shaped (%AsyncGeneratorFunction.prototype%, an own
 * `prototype` object):
 *
 *     let m$self;
 *     class C { static { $am.asyncMethods(this.prototype, "m", ($method) => m$self = $am.asyncGeneratorFunction($method)); } m() { return $am.startGenerator(m$self, …); } }
 *     $am.asyncMethods({ m() { … } }, "m", ($method) => m$self = $am.asyncGeneratorFunction($method))
 *
 * A computed key is captured into the same binding while the class or literal is built
 * (`[m$self = $am.toPropertyKey(key)]`, one ToPropertyKey as native), a static `#m` is read in
 * the static block (`m$self = $am.asyncGeneratorFunction(this.#m)`), an instance `#m` by the
 * first construction (classGeneratorMethodShape).
 */

/** `($method) => m$self = $am.asyncGeneratorFunction($method)`: what `asyncMethods` hands the built method to. */
function keepSelf(T: typeof ts, runtime: string, self: string): ts.ArrowFunction {
  const F = T.factory;
  const param = runtime === "$method" ? "$method_" : "$method";
  const shaped = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncGeneratorFunction"), undefined, [F.createIdentifier(param)]);
  return F.createArrowFunction(undefined, undefined, [F.createParameterDeclaration(undefined, undefined, param)], undefined, undefined, F.createAssignment(F.createIdentifier(self), shaped));
}

/** The key `asyncMethods` reads a generator method by: its literal key, or the binding its computed key was captured into. */
function generatorKey(T: typeof ts, method: ts.MethodDeclaration, self: string): ts.Expression | undefined {
  if (T.isComputedPropertyName(method.name)) return T.factory.createIdentifier(self);
  return literalKey(T, method);
}

/**
 * The member that shapes a class's compiled async generator method and keeps it in `self`: a
 * static block, or for a private instance method (reachable only through an instance) a private
 * field before any other, whose initializer shapes it at the first construction, before any code
 * can reach it: `#m$self = m$self ??= $am.asyncGeneratorFunction(this.#m);`.
 */
export function classGeneratorMethodShape(T: typeof ts, runtime: string, method: ts.MethodDeclaration, self: string): ts.ClassElement {
  const F = T.factory;
  let call: ts.Expression;
  if (T.isPrivateIdentifier(method.name)) {
    const value = F.createPropertyAccessExpression(F.createThis(), method.name.text);
    const shaped = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncGeneratorFunction"), undefined, [value]);
    if (!isStatic(T, method)) {
      const once = F.createBinaryExpression(F.createIdentifier(self), T.SyntaxKind.QuestionQuestionEqualsToken, shaped);
      return F.createPropertyDeclaration(undefined, F.createPrivateIdentifier(`#${self}`), undefined, undefined, once);
    }
    call = F.createAssignment(F.createIdentifier(self), shaped);
  } else {
    const holder = isStatic(T, method) ? F.createThis() : F.createPropertyAccessExpression(F.createThis(), "prototype");
    call = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncMethods"), undefined, [holder, generatorKey(T, method, self)!, keepSelf(T, runtime, self)]);
  }
  return F.createClassStaticBlockDeclaration(F.createBlock([F.createExpressionStatement(call)], /*multiLine*/ false));
}

/** The arguments an object literal's `$am.asyncMethods(literal, …)` gets for a compiled async generator method: its key, then the function that keeps it. */
export function objectGeneratorMethodKeys(T: typeof ts, runtime: string, method: ts.MethodDeclaration, self: string): ts.Expression[] {
  return [generatorKey(T, method, self)!, keepSelf(T, runtime, self)];
}

/** The wrapper of a method under a computed key, its key captured into `self` first: `[m$self = $am.toPropertyKey(key)]() { … }`. */
export function withCapturedKey(T: typeof ts, runtime: string, wrapper: ts.MethodDeclaration, self: string): ts.MethodDeclaration {
  const F = T.factory;
  if (!T.isComputedPropertyName(wrapper.name)) return wrapper;
  const key = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "toPropertyKey"), undefined, [wrapper.name.expression]);
  const name = F.createComputedPropertyName(F.createAssignment(F.createIdentifier(self), key));
  return F.updateMethodDeclaration(wrapper, wrapper.modifiers, wrapper.asteriskToken, name, wrapper.questionToken, wrapper.typeParameters, wrapper.parameters, wrapper.type, wrapper.body);
}

/**
 * Is the method replaced, while its class or literal is built, by a later member under the same
 * literal key (in a class: a method or accessor on the same side, static or not)? Then nothing
 * can reach it, and `asyncMethods` would find the later member under its key.
 */
export function replacedLater(T: typeof ts, method: ts.MethodDeclaration): boolean {
  const key = literalKey(T, method);
  if (!key) return false;
  const inClass = T.isClassLike(method.parent);
  const members: readonly ts.Node[] = T.isClassLike(method.parent) ? method.parent.members : T.isObjectLiteralExpression(method.parent) ? method.parent.properties : [];
  const later = members.slice(members.indexOf(method) + 1);
  const text = (n: ts.Node | undefined): string | undefined => (n && (T.isIdentifier(n) || T.isStringLiteral(n) || T.isNumericLiteral(n)) ? n.text : undefined);
  return later.some((m) => {
    if (inClass && !(T.isMethodDeclaration(m) || T.isAccessor(m))) return false;
    if (inClass && (T.getModifiers(m as ts.MethodDeclaration)?.some((x) => x.kind === T.SyntaxKind.StaticKeyword) === true) !== isStatic(T, method)) return false;
    return text((m as { name?: ts.Node }).name) === key.text;
  });
}
