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
 * (see classMethodShape). A method under a computed key: its key, known only while the class or
 * literal is built, is kept in a variable of the function that builds it (`var $key;` before the
 * statement, or a `let` of the resume function), written as the key is evaluated:
 *
 *     $am.asyncMethods({ [$key = $am.toPropertyKey(k)]() { return $am.start(…); } }, $key)
 *
 * (the key converted once, as natively: the definition's own conversion of a primitive is not
 * observable). One variable per activation of that function, so a recursive evaluation of the
 * same literal has its own. Where no statement of the same function holds the class or literal
 * (a concise arrow body, a parameter default, a field initializer), the method stays native
 * (`keyHolderStatement`, checked before lowering).
 */
import type * as ts from "typescript";
import { internalError } from "../not-compiled";
import type { Scopes } from "../analyze/scopes";
import { boundNames } from "../syntax";
import { generatorMethodSelf, type ClassSelf } from "./generator-self";
import { inferredName } from "./inferred-name";

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
export function classMethodShape(
  T: typeof ts,
  runtime: string,
  method: ts.MethodDeclaration,
  computedKey?: ts.Expression,
): ts.ClassStaticBlockDeclaration | ts.PropertyDeclaration | undefined {
  const F = T.factory;
  const holder = isStatic(T, method) ? F.createThis() : F.createPropertyAccessExpression(F.createThis(), "prototype");
  let call: ts.Expression | undefined;
  if (T.isPrivateIdentifier(method.name)) {
    call = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncFunction"), undefined, [
      F.createPropertyAccessExpression(F.createThis(), method.name.text),
    ]);
    if (!isStatic(T, method)) return F.createPropertyDeclaration(undefined, shapeFieldName(T, method, method.name), undefined, undefined, call);
  } else {
    const key = literalKey(T, method) ?? computedKey;
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

/** Where the computed keys of compiled methods are kept while their class or literal is built (see the header). */
export interface KeyHolders {
  /** A new variable, declared in the function whose code builds the class or literal being shaped. */
  declare(): string;
  /** A new name only (for a parameter of the arrow around the class or literal: boundPerEvaluation). */
  claim(): string;
}

/** `[holder = $am.toPropertyKey(key)]() {…}`: the method (a compiled wrapper) writing its key to `holder`. */
export function withKeyHolder(T: typeof ts, runtime: string, method: ts.MethodDeclaration, holder: string): ts.MethodDeclaration {
  const F = T.factory;
  const name = method.name as ts.ComputedPropertyName;
  const key = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "toPropertyKey"), undefined, [name.expression]);
  const held = F.updateComputedPropertyName(name, F.createAssignment(F.createIdentifier(holder), key));
  return F.updateMethodDeclaration(method, method.modifiers, method.asteriskToken, held, method.questionToken, method.typeParameters, method.parameters, method.type, method.body);
}

/**
 * The statement of a statement list, in the same function as `container` (a class or object
 * literal), before which a variable for its computed keys can be declared: undefined when a
 * function boundary, a parameter or a field initializer comes first (their code runs in an
 * activation of its own, or before the body's variables exist).
 */
export function keyHolderStatement(T: typeof ts, container: ts.Node): ts.Statement | undefined {
  let node = container;
  for (let p = node.parent; p !== undefined; node = p, p = p.parent) {
    if ((T.isBlock(p) || T.isSourceFile(p) || T.isModuleBlock(p) || T.isCaseOrDefaultClause(p)) && p.statements.includes(node as ts.Statement)) return node as ts.Statement;
    if (T.isFunctionLike(p) || T.isParameter(p) || T.isPropertyDeclaration(p) || T.isClassStaticBlockDeclaration(p) || T.isDecorator(p)) return undefined;
  }
  return undefined;
}

/** Does `method` need a key holder (a compiled async method under a computed key)? */
export function hasComputedKey(T: typeof ts, method: ts.Node): method is ts.MethodDeclaration & { name: ts.ComputedPropertyName } {
  return T.isMethodDeclaration(method) && T.isComputedPropertyName(method.name);
}

/**
 * A class or object literal of kept code whose members were rewritten (`rewritten`, member for
 * member the same as `original`'s): the compiled async methods among them — async in `original`,
 * no longer in `rewritten` — get the shape; those under a computed key write it to a holder.
 */
export function withAsyncMethodShape(T: typeof ts, runtime: string, original: ts.Node, rewritten: ts.Node, holders: KeyHolders, scopes?: Scopes): ts.Node {
  const F = T.factory;
  const isAsync = (m: ts.Node): boolean => T.canHaveModifiers(m) && T.getModifiers(m)?.some((x) => x.kind === T.SyntaxKind.AsyncKeyword) === true;
  const isCompiled = (before: ts.Node, after: ts.Node): before is ts.MethodDeclaration =>
    T.isMethodDeclaration(before) && !before.asteriskToken && isAsync(before) && T.isMethodDeclaration(after) && !isAsync(after);
  /** The rewritten members (computed keys held) and the key of each compiled method that can be shaped. */
  const shapeMembers = <M extends ts.Node>(before: readonly M[], after: readonly M[]): { members: M[]; compiled: Array<[ts.MethodDeclaration, ts.Expression | undefined]> } => {
    const members = [...after];
    const compiled: Array<[ts.MethodDeclaration, ts.Expression | undefined]> = [];
    if (before.length !== after.length) return { members, compiled };
    before.forEach((m, i) => {
      if (!isCompiled(m, after[i])) return;
      if (!hasComputedKey(T, m)) return void compiled.push([m, undefined]);
      const holder = holders.declare();
      members[i] = withKeyHolder(T, runtime, after[i] as unknown as ts.MethodDeclaration, holder) as unknown as M;
      compiled.push([m, F.createIdentifier(holder)]);
    });
    return { members, compiled };
  };
  /**
   * Compiled async generator methods reading themselves from a `$self` binding (not a class's
   * field): that binding and their key holders, parameters of an arrow around the class or
   * literal (boundPerEvaluation), the member writing its key there, and what shapes each.
   */
  const bindings: string[] = [];
  const bindGenerators = <M extends ts.Node>(before: readonly M[], members: M[], shape: (m: ts.MethodDeclaration, self: string, key: ts.Expression | undefined) => void): void => {
    if (before.length !== members.length) return;
    before.forEach((m, i) => {
      // (A literal's method without `super` became a property holding its own binding: function-values.ts.)
      const self = T.isMethodDeclaration(m) && m.asteriskToken && T.isMethodDeclaration(members[i]) && !isAsync(members[i]) ? generatorMethodSelf.get(m) : undefined;
      if (self === undefined) return;
      bindings.push(self);
      let key: ts.Expression | undefined;
      if (hasComputedKey(T, m)) {
        const holder = holders.claim();
        bindings.push(holder);
        members[i] = withKeyHolder(T, runtime, members[i] as unknown as ts.MethodDeclaration, holder) as unknown as M;
        key = F.createIdentifier(holder);
      }
      if (!replacedLater(T, m as unknown as ts.MethodDeclaration)) shape(m as unknown as ts.MethodDeclaration, self, key);
    });
  };
  const bound = (node: ts.Expression): ts.Expression =>
    bindings.length === 0 ? node : boundPerEvaluation(T, node, bindings, T.isClassExpression(original) && !original.name ? inferredName(T, original) : undefined);
  if (T.isObjectLiteralExpression(original) && T.isObjectLiteralExpression(rewritten)) {
    const { members, compiled } = shapeMembers(original.properties, rewritten.properties);
    const keys = compiled.flatMap(([m, key]) => key ?? literalKey(T, m) ?? []);
    bindGenerators(original.properties, members, (m, self, key) => keys.push(...objectGeneratorMethodKeys(T, runtime, m, self, key)));
    const changed = compiled.some(([, key]) => key) || bindings.length > 0;
    return bound(shapedObjectLiteral(T, runtime, changed ? F.updateObjectLiteralExpression(rewritten, members) : rewritten, keys));
  }
  if (T.isClassLike(original) && (T.isClassExpression(rewritten) || T.isClassDeclaration(rewritten))) {
    const shaped = shapeMembers(original.members, rewritten.members);
    const blocks: ts.ClassElement[] = shaped.compiled.flatMap(([m, key]) => classMethodShape(T, runtime, m, key) ?? []);
    bindGenerators(original.members, shaped.members, (m, self, key) => blocks.push(classGeneratorMethodShape(T, runtime, m, self, key)));
    // Compiled async generator methods that read themselves from a field of the class.
    if (scopes !== undefined && original.members.length === rewritten.members.length) {
      original.members.forEach((m, i) => {
        const self = T.isMethodDeclaration(m) && isAsync(m) && !isAsync(rewritten.members[i]) ? classSelfOf(T, scopes, m) : undefined;
        if (!self) return;
        let heldKey: ts.Expression | undefined;
        if (self.holdsKey) {
          const holder = holders.declare();
          shaped.members[i] = withKeyHolder(T, runtime, rewritten.members[i] as ts.MethodDeclaration, holder);
          heldKey = F.createIdentifier(holder);
        }
        blocks.push(...classSelfMembers(T, runtime, m as ts.MethodDeclaration, self, heldKey));
      });
    }
    if (blocks.length === 0 && bindings.length === 0) return rewritten;
    const members = [...blocks, ...shaped.members];
    if (T.isClassDeclaration(rewritten)) {
      if (bindings.length > 0) return internalError(original, "a class declaration's generator methods bound per evaluation");
      return F.updateClassDeclaration(rewritten, rewritten.modifiers, rewritten.name, rewritten.typeParameters, rewritten.heritageClauses, members);
    }
    return bound(F.updateClassExpression(rewritten, rewritten.modifiers, rewritten.name, rewritten.typeParameters, rewritten.heritageClauses, members));
  }
  return rewritten;
}

/** `var a, b;` as the first statement of `fn`'s body after its directives: the key holders of its literals. */
export function declareKeyHolders(T: typeof ts, fn: ts.Node, holders: readonly string[]): ts.Node {
  const F = T.factory;
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body === undefined || !T.isBlock(body)) return internalError(fn, "a key holder for a function without a block body");
  let directives = 0;
  while (
    directives < body.statements.length &&
    T.isExpressionStatement(body.statements[directives]) &&
    T.isStringLiteral((body.statements[directives] as ts.ExpressionStatement).expression)
  )
    directives++;
  const declaration = F.createVariableStatement(undefined, F.createVariableDeclarationList(holders.map((h) => F.createVariableDeclaration(h))));
  const statements = [...body.statements.slice(0, directives), declaration, ...body.statements.slice(directives)];
  return T.visitEachChild(fn, (c) => (c === body ? F.updateBlock(body, statements) : c), undefined);
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
 * A computed key is captured into a key holder beside the statement while the class or literal is
 * built (`[$key = $am.toPropertyKey(key)]`, one ToPropertyKey as native), a static `#m` is read in
 * the static block (`m$self = $am.asyncGeneratorFunction(this.#m)`), an instance `#m` by the
 * first construction (classGeneratorMethodShape).
 */

/** `($method) => m$self = $am.asyncGeneratorFunction($method)`: what `asyncMethods` hands the built method to. */
function keepSelf(T: typeof ts, runtime: string, self: string): ts.ArrowFunction {
  const F = T.factory;
  const param = runtime === "$method" ? "$method_" : "$method";
  const shaped = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncGeneratorFunction"), undefined, [F.createIdentifier(param)]);
  return F.createArrowFunction(
    undefined,
    undefined,
    [F.createParameterDeclaration(undefined, undefined, param)],
    undefined,
    undefined,
    F.createAssignment(F.createIdentifier(self), shaped),
  );
}

/** The key `asyncMethods` reads a generator method by: its literal key, or the holder its computed key was captured into. */
function generatorKey(T: typeof ts, method: ts.MethodDeclaration, heldKey: ts.Expression | undefined): ts.Expression {
  if (T.isComputedPropertyName(method.name)) return heldKey ?? internalError(method, "a computed generator method key without a holder");
  return literalKey(T, method) ?? internalError(method, "a generator method without a literal key");
}

/**
 * The member that shapes a class's compiled async generator method and keeps it in `self`: a
 * static block, or for a private instance method (reachable only through an instance) a private
 * field before any other, whose initializer shapes it at the first construction, before any code
 * can reach it: `#m$self = m$self ??= $am.asyncGeneratorFunction(this.#m);`.
 */
export function classGeneratorMethodShape(T: typeof ts, runtime: string, method: ts.MethodDeclaration, self: string, heldKey?: ts.Expression): ts.ClassElement {
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
    call = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncMethods"), undefined, [
      holder,
      generatorKey(T, method, heldKey),
      keepSelf(T, runtime, self),
    ]);
  }
  return F.createClassStaticBlockDeclaration(F.createBlock([F.createExpressionStatement(call)], /*multiLine*/ false));
}

/** The arguments an object literal's `$am.asyncMethods(literal, …)` gets for a compiled async generator method: its key, then the function that keeps it. */
export function objectGeneratorMethodKeys(T: typeof ts, runtime: string, method: ts.MethodDeclaration, self: string, heldKey?: ts.Expression): ts.Expression[] {
  return [generatorKey(T, method, heldKey), keepSelf(T, runtime, self)];
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

/**
 * A class's async generator method that reads itself from a private static field of its class,
 * through the class's own name — one field per evaluation of the class, so a class made again
 * and again (a concise arrow's body, a loop) or inside a compiled async function needs nothing
 * beside it:
 *
 *     class C { static #m$self; static { $am.asyncMethods(this.prototype, "m", ($method) => this.#m$self = $am.asyncGeneratorFunction($method)); }
 *               m() { return $am.startGenerator(C.#m$self, …); } }
 *
 * For a class with a name of its own (the binding inside it never changes), not decorated (a
 * class decorator may replace the class that name binds), under a key known without evaluating
 * user code again: a name, a string, a number, a well-known symbol (`Symbol.asyncIterator`, the
 * global `Symbol` not shadowed), or a static `#m`. Otherwise the method keeps the variable beside
 * its class (classGeneratorMethodShape).
 */
export function classSelfOf(T: typeof ts, scopes: Scopes, method: ts.Node): ClassSelf | undefined {
  if (!T.isMethodDeclaration(method) || !method.asteriskToken || !T.isClassLike(method.parent)) return undefined;
  const cls = method.parent;
  const className = cls.name?.text;
  if (className === undefined || (T.canHaveDecorators(cls) && T.getDecorators(cls) !== undefined)) return undefined;
  if (cls.members.some((m) => T.canHaveDecorators(m) && T.getDecorators(m) !== undefined)) return undefined;
  if (!hasKnownKey(T, scopes, method) && !holdsComputedKey(T, method)) return undefined;
  // The wrapper's parameters must not hide the class's name.
  if (method.parameters.some((p) => boundNames(T, p.name).some((n) => n.text === className))) return undefined;
  const holdsKey = T.isComputedPropertyName(method.name) && wellKnownSymbol(T, scopes, method.name) === undefined;
  return { className, field: selfFieldsOf(T, scopes, cls).get(method)!, holdsKey };
}

/**
 * Is `method` under a computed key that is evaluated once, as the class is built, into a key
 * holder beside the statement that makes the class (`[$key = $am.toPropertyKey(k)]`, the same
 * holder as an async method's): the static block reads it back from there.
 */
export function holdsComputedKey(T: typeof ts, method: ts.MethodDeclaration): boolean {
  return T.isComputedPropertyName(method.name) && keyHolderStatement(T, method.parent) !== undefined;
}

function hasKnownKey(T: typeof ts, scopes: Scopes, method: ts.MethodDeclaration): boolean {
  const key = method.name;
  return T.isIdentifier(key) || T.isStringLiteral(key) || T.isNumericLiteral(key) || T.isPrivateIdentifier(key) || wellKnownSymbol(T, scopes, key) !== undefined;
}

/** The private field of each async generator method of `cls` under a known key: `#m$self`, distinct from every private name of the class and from each other. */
const selfFields = new WeakMap<ts.Node, Map<ts.Node, string>>();
function selfFieldsOf(T: typeof ts, scopes: Scopes, cls: ts.ClassLikeDeclaration): Map<ts.Node, string> {
  let fields = selfFields.get(cls);
  if (fields !== undefined) return fields;
  fields = new Map();
  const taken = new Set(cls.members.flatMap((m) => (m.name && T.isPrivateIdentifier(m.name) ? [m.name.text] : [])));
  for (const m of cls.members) {
    if (!T.isMethodDeclaration(m) || !m.asteriskToken || !(hasKnownKey(T, scopes, m) || holdsComputedKey(T, m))) continue;
    const key = m.name;
    const own = T.isPrivateIdentifier(key) ? key.text.slice(1) : T.isComputedPropertyName(key) ? (wellKnownSymbol(T, scopes, key) ?? "computed") : (key as ts.Identifier).text;
    const base = `#${own.replace(/[^A-Za-z0-9_$]/g, "_")}$self`;
    // A private instance method's shaping field is named after it (classSelfMembers).
    let field = base;
    for (let i = 2; taken.has(field) || taken.has(`${field}_shape`); i++) field = `${base}_${i}`;
    taken.add(field);
    taken.add(`${field}_shape`);
    fields.set(m, field);
  }
  selfFields.set(cls, fields);
  return fields;
}

/** `asyncIterator` for `[Symbol.asyncIterator]` when `Symbol` is the global (no binding of the file), else undefined. */
function wellKnownSymbol(T: typeof ts, scopes: Scopes, key: ts.PropertyName): string | undefined {
  if (!T.isComputedPropertyName(key)) return undefined;
  const e = key.expression;
  if (!T.isPropertyAccessExpression(e) || !T.isIdentifier(e.expression) || e.expression.text !== "Symbol" || scopes.refs.has(e.expression)) return undefined;
  const names = [
    "asyncIterator",
    "iterator",
    "hasInstance",
    "isConcatSpreadable",
    "match",
    "matchAll",
    "replace",
    "search",
    "species",
    "split",
    "toPrimitive",
    "toStringTag",
    "unscopables",
  ];
  return T.isIdentifier(e.name) && names.includes(e.name.text) ? e.name.text : undefined;
}

/** `C.#m$self`: what the wrapper of a method with a class self reads itself from. */
export function classSelfReference(T: typeof ts, self: ClassSelf): ts.Expression {
  return T.factory.createPropertyAccessExpression(T.factory.createIdentifier(self.className), T.factory.createPrivateIdentifier(self.field));
}

/**
 * The members that declare and set a method's class self, first in the class (before any static
 * code can call it): `static #m$self;` and the static block that shapes the built method into it
 * — none when a later member replaces it under the same key (nothing can reach it then).
 */
export function classSelfMembers(T: typeof ts, runtime: string, method: ts.MethodDeclaration, self: ClassSelf, heldKey?: ts.Expression): ts.ClassElement[] {
  const F = T.factory;
  const staticModifier = [F.createModifier(T.SyntaxKind.StaticKeyword)];
  const field = F.createPropertyDeclaration(staticModifier, F.createPrivateIdentifier(self.field), undefined, undefined, undefined);
  if (replacedLater(T, method)) return [field];
  const own = F.createPropertyAccessExpression(F.createThis(), F.createPrivateIdentifier(self.field));
  const shape = (value: ts.Expression): ts.Expression =>
    F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncGeneratorFunction"), undefined, [value]);
  let set: ts.Expression;
  if (T.isPrivateIdentifier(method.name) && !isStatic(T, method)) {
    // Reachable only through an instance: the first instance's first field shapes it, before any
    // code can reach `this.#m` (private methods are installed right before the fields):
    // `#m$self_shape = C.#m$self ??= $am.asyncGeneratorFunction(this.#m);`.
    const ownOfClass = classSelfReference(T, self);
    const once = F.createBinaryExpression(ownOfClass, T.SyntaxKind.QuestionQuestionEqualsToken, shape(F.createPropertyAccessExpression(F.createThis(), method.name.text)));
    return [field, F.createPropertyDeclaration(undefined, F.createPrivateIdentifier(`${self.field}_shape`), undefined, undefined, once)];
  }
  if (T.isPrivateIdentifier(method.name)) {
    set = F.createAssignment(own, shape(F.createPropertyAccessExpression(F.createThis(), method.name.text)));
  } else {
    const holder = isStatic(T, method) ? F.createThis() : F.createPropertyAccessExpression(F.createThis(), "prototype");
    const symbol = (n: ts.PropertyName): ts.Expression =>
      F.createPropertyAccessExpression(F.createIdentifier("Symbol"), ((n as ts.ComputedPropertyName).expression as ts.PropertyAccessExpression).name.text);
    const key = heldKey ?? (T.isComputedPropertyName(method.name) ? symbol(method.name) : literalKey(T, method)!);
    const param = runtime === "$method" ? "$method_" : "$method";
    const keep = F.createArrowFunction(
      undefined,
      undefined,
      [F.createParameterDeclaration(undefined, undefined, param)],
      undefined,
      undefined,
      F.createAssignment(own, shape(F.createIdentifier(param))),
    );
    set = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncMethods"), undefined, [holder, key, keep]);
  }
  return [field, F.createClassStaticBlockDeclaration(F.createBlock([F.createExpressionStatement(set)], /*multiLine*/ false))];
}

/**
 * A class expression or object literal evaluated more than once per run of the statement around
 * it (a concise arrow's body, a loop without a block, a parameter default, a field initializer):
 * the `$self` bindings (and key holders) of its async generator methods cannot be variables
 * beside that statement, one for every evaluation. They are parameters of an arrow called where
 * the class or literal stands, one activation per evaluation:
 *
 *     (($self, $key) => (class { [$key = $am.toPropertyKey(k)]() { … $self … } static { … } }))()
 *
 * The arrow keeps `this`, `arguments`, `super` and `new.target`; an anonymous class keeps the
 * name it would have been given (`({ "A": class { … } })["A"]`). Not for code the arrow would
 * change: a `yield` or `await` evaluated by the class or literal itself, a direct `eval`, or an
 * anonymous class named by a computed key.
 */
export function canBindPerEvaluation(T: typeof ts, container: ts.Node): boolean {
  if (T.isClassExpression(container) && container.name === undefined && isNamedByComputedKey(T, container)) return false;
  let ok = true;
  const visit = (n: ts.Node, inFunction: boolean): void => {
    if (!ok) return;
    if (T.isYieldExpression(n) || T.isAwaitExpression(n)) {
      if (!inFunction) ok = false;
    } else if (T.isCallExpression(n) && T.isIdentifier(n.expression) && n.expression.text === "eval") ok = false;
    // A method's or accessor's computed key is evaluated by the class or literal; its body is not.
    const own = T.isFunctionLike(n) || T.isClassStaticBlockDeclaration(n) || T.isPropertyDeclaration(n);
    T.forEachChild(n, (c) => visit(c, inFunction || (own && c !== (n as ts.NamedDeclaration).name)));
  };
  visit(container, false);
  return ok;
}

/** `{ [k]: class {} }`: an anonymous class named by a key known only at run time. */
function isNamedByComputedKey(T: typeof ts, node: ts.Node): boolean {
  let n = node;
  while (n.parent && (T.isParenthesizedExpression(n.parent) || T.isAsExpression(n.parent) || T.isSatisfiesExpression(n.parent))) n = n.parent;
  const p = n.parent;
  return p !== undefined && (T.isPropertyAssignment(p) || T.isPropertyDeclaration(p)) && p.initializer === n && T.isComputedPropertyName(p.name);
}

/** `(($self, $key) => (expression))()`, an anonymous class keeping its name (`named`: see canBindPerEvaluation). */
export function boundPerEvaluation(T: typeof ts, expression: ts.Expression, bindings: readonly string[], named: string | undefined): ts.Expression {
  const F = T.factory;
  let body: ts.Expression = expression;
  if (named !== undefined) {
    const key = F.createStringLiteral(named);
    const holder = F.createObjectLiteralExpression([F.createPropertyAssignment(named === "__proto__" ? F.createComputedPropertyName(key) : key, expression)]);
    body = F.createElementAccessExpression(F.createParenthesizedExpression(holder), F.createStringLiteral(named));
  }
  const params = bindings.map((b) => F.createParameterDeclaration(undefined, undefined, b));
  const arrow = F.createArrowFunction(undefined, undefined, params, undefined, undefined, F.createParenthesizedExpression(body));
  return F.createCallExpression(F.createParenthesizedExpression(arrow), undefined, []);
}
