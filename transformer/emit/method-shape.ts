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
 * A private instance method, reachable only through an instance, is shaped by a private field
 * (see classMethodShape). A method under a computed key (its key is only known while the class
 * or literal is built) keeps Function.prototype.
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

/** `#m$shape`, or `#m$shape_2`…: a private name no member of the class declares. */
function shapeFieldName(T: typeof ts, method: ts.MethodDeclaration, methodName: ts.PrivateIdentifier): string {
  const members = T.isClassLike(method.parent) ? method.parent.members : [];
  const taken = new Set(members.flatMap((m) => (m.name && T.isPrivateIdentifier(m.name) ? [m.name.text] : [])));
  let name = `${methodName.text}$shape`;
  for (let i = 2; taken.has(name); i++) name = `${methodName.text}$shape_${i}`;
  return name;
}

const isStatic = (T: typeof ts, m: ts.MethodDeclaration): boolean => m.modifiers?.some((x) => x.kind === T.SyntaxKind.StaticKeyword) === true;

/**
 * `static { $am.asyncMethods(this.prototype, "m"); }` for a compiled class method (undefined: none
 * can be given). A private instance method is reachable only through an instance: a private field
 * of its own, first of the instance fields, shapes it when the first instance is initialized —
 * before any code can read `this.#m` — `#m$shape = $am.asyncFunction(this.#m);` (the same function
 * for every instance: shaped once, the field holds it).
 */
export function classMethodShape(T: typeof ts, runtime: string, method: ts.MethodDeclaration): ts.ClassStaticBlockDeclaration | ts.PropertyDeclaration | undefined {
  const F = T.factory;
  const holder = isStatic(T, method) ? F.createThis() : F.createPropertyAccessExpression(F.createThis(), "prototype");
  let call: ts.Expression | undefined;
  if (T.isPrivateIdentifier(method.name)) {
    call = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncFunction"), undefined, [
      F.createPropertyAccessExpression(F.createThis(), method.name.text),
    ]);
    if (!isStatic(T, method)) return F.createPropertyDeclaration(undefined, shapeFieldName(T, method, method.name), undefined, undefined, call);
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
