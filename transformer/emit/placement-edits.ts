/**
 * The edits that put one compiled function in place, as its placement says (resume-placement.ts):
 * the resume function inserted beside it or defined in a static block of its class, and the
 * function replaced by its wrapper — or by the wrapper and resume created together; a method
 * also gets the async-function shape once its class or object literal is built (method-shape.ts).
 * Where the resume function is defined, it is given the name its frames show (frame-name.ts):
 * once per definition, before anything can call it.
 */
import type * as ts from "typescript";
import { asyncWrapper, generatorMethodProperty, iife, withResume, type CompiledPair } from "./function-values";
import type { Scopes } from "../analyze/scopes";
import {
  classGeneratorMethodShape,
  classSelfMembers,
  classMethodShape,
  hasComputedKey,
  keyHolderStatement,
  objectGeneratorMethodKeys,
  objectMethodKeys,
  replacedLater,
  withKeyHolder,
} from "./method-shape";
import type { NameManager } from "../names";
import { generatorClassSelf, generatorSelf } from "./generator-self";
import { internalError } from "../not-compiled";
import { namingStatements as naming } from "./frame-name";
import { becomesGeneratorProperty, evaluatedRepeatedly, firstStatementOf, type Placement } from "./resume-placement";

/** One change to the file. */
export type Edit =
  | { kind: "replace"; node: ts.Node; replacement: ts.Node }
  | { kind: "insert-before"; statement: ts.Statement; statements: ts.Statement[] }
  /** A member added at the start of a class body (a static block defining a resume function, before any static code can call it). */
  | { kind: "add-member"; classNode: ts.ClassLikeDeclaration; member: ts.ClassElement }
  /** A compiled method's key: the object literal is wrapped in `$am.asyncMethods(literal, key…)` (method-shape.ts). */
  | { kind: "async-method-key"; literal: ts.ObjectLiteralExpression; key: ts.Expression }
  /** Bindings of one evaluation of a class expression or literal: it is wrapped in `((a, b) => (…))()` (method-shape.ts boundPerEvaluation). */
  | { kind: "bind"; container: ts.Expression; names: string[] };

export function placementEdits(
  T: typeof ts,
  runtime: string,
  fn: ts.FunctionLikeDeclaration,
  compiled: CompiledPair,
  placement: Exclude<Placement, { kind: "native" }>,
  names: NameManager,
  scopes: Scopes,
  prelude: ts.Statement[],
): Edit[] {
  if (becomesGeneratorProperty(T, scopes, fn)) return generatorPropertyEdits(T, runtime, fn as ts.MethodDeclaration, compiled, placement, declareFileVar(names, prelude, T));
  const classSelf = generatorClassSelf.get(compiled.wrapper);
  if (classSelf !== undefined) {
    const held = classSelf.holdsKey ? keyHolderEdits(T, runtime, fn, compiled, names) : undefined;
    const members = classSelfMembers(T, runtime, fn as ts.MethodDeclaration, classSelf, held?.key).map((member): Edit => ({
      kind: "add-member",
      classNode: fn.parent as ts.ClassLikeDeclaration,
      member,
    }));
    return [...members, ...functionEdits(T, runtime, fn, held?.compiled ?? compiled, placement), ...(held?.edits ?? [])];
  }
  if (T.isMethodDeclaration(fn) && fn.asteriskToken && placement.kind !== "iife") {
    const self = generatorSelf.get(compiled.wrapper);
    if (self === undefined) return internalError(fn, "an async generator method's wrapper has no $self binding");
    if (evaluatedRepeatedly(T, fn.parent, placement.at.statement)) return boundGeneratorMethodEdits(T, runtime, fn, compiled, placement, self, names);
    const held = keyHolderEdits(T, runtime, fn, compiled, names);
    return [
      ...functionEdits(T, runtime, fn, held?.compiled ?? compiled, placement),
      ...generatorMethodEdits(T, runtime, fn, self, placement.at.statement, held?.key),
      ...(held?.edits ?? []),
    ];
  }
  const held = keyHolderEdits(T, runtime, fn, compiled, names);
  return [...functionEdits(T, runtime, fn, held?.compiled ?? compiled, placement), ...methodShapeEdits(T, runtime, fn, held?.key), ...(held?.edits ?? [])];
}

/** A new variable of the file (`var $key;` in the prelude, before any code of the file runs). */
function declareFileVar(names: NameManager, prelude: ts.Statement[], T: typeof ts): () => string {
  return () => {
    const name = names.claimForFile("$key");
    prelude.push(T.factory.createVariableStatement(undefined, T.factory.createVariableDeclarationList([T.factory.createVariableDeclaration(name)])));
    return name;
  };
}

/**
 * An object literal's async generator method without `super`, replaced by a property holding its
 * shaped wrapper (function-values.ts generatorMethodProperty); its resume function beside the
 * statement, or created with the value where it cannot be placed there.
 */
function generatorPropertyEdits(
  T: typeof ts,
  runtime: string,
  fn: ts.MethodDeclaration,
  compiled: CompiledPair,
  placement: Exclude<Placement, { kind: "native" }>,
  declareKey: () => string,
): Edit[] {
  const { wrapper, resume } = compiled;
  if (!T.isMethodDeclaration(wrapper)) return internalError(fn, "an async generator method's wrapper is not a method");
  const key = T.isComputedPropertyName(fn.name) ? declareKey() : undefined;
  if (placement.kind !== "beside") {
    const property = generatorMethodProperty(T, runtime, wrapper, key, (shaped) => withResume(T, resume, naming(T, runtime, fn, resume), shaped));
    return [{ kind: "replace", node: fn, replacement: property }];
  }
  const first = firstStatementOf(T, placement.at.list);
  return [
    { kind: "insert-before", statement: placement.at.statement, statements: [resume] },
    ...(first ? [{ kind: "insert-before" as const, statement: first, statements: naming(T, runtime, fn, resume) }] : []),
    { kind: "replace", node: fn, replacement: generatorMethodProperty(T, runtime, wrapper, key) },
  ];
}

/**
 * An async generator method's `$self` binding, declared beside its class or object literal, and
 * what sets it once that is built (method-shape.ts).
 */
function generatorMethodEdits(T: typeof ts, runtime: string, fn: ts.MethodDeclaration, self: string, statement: ts.Statement, heldKey: ts.Expression | undefined): Edit[] {
  const F = T.factory;
  const declared: Edit = {
    kind: "insert-before",
    statement,
    statements: [F.createVariableStatement(undefined, F.createVariableDeclarationList([F.createVariableDeclaration(self)], T.NodeFlags.Let))],
  };
  if (replacedLater(T, fn)) return [declared]; // unreachable once built: nothing to shape
  if (T.isClassLike(fn.parent)) {
    return [declared, { kind: "add-member", classNode: fn.parent, member: classGeneratorMethodShape(T, runtime, fn, self, heldKey) }];
  }
  if (!T.isObjectLiteralExpression(fn.parent)) return internalError(fn, "an async generator method outside a class or object literal");
  const literal = fn.parent;
  return [declared, ...objectGeneratorMethodKeys(T, runtime, fn, self, heldKey).map((key): Edit => ({ kind: "async-method-key", literal, key }))];
}

/**
 * An async generator method of a class expression or literal evaluated more than once per run of
 * the statement around it: its `$self` binding and key holder are parameters of an arrow called
 * where the class or literal stands (method-shape.ts boundPerEvaluation), set as it is built.
 */
function boundGeneratorMethodEdits(
  T: typeof ts,
  runtime: string,
  fn: ts.MethodDeclaration,
  compiled: CompiledPair,
  placement: Exclude<Placement, { kind: "native" | "iife" }>,
  self: string,
  names: NameManager,
): Edit[] {
  const container = fn.parent as ts.ClassExpression | ts.ObjectLiteralExpression;
  const holder = hasComputedKey(T, fn) ? names.claimForFile("$key") : undefined;
  const wrapper = holder !== undefined ? withKeyHolder(T, runtime, compiled.wrapper as ts.MethodDeclaration, holder) : compiled.wrapper;
  const key = holder !== undefined ? T.factory.createIdentifier(holder) : undefined;
  const shaping = generatorMethodEdits(T, runtime, fn, self, placement.at.statement, key).filter((e) => e.kind !== "insert-before");
  return [...functionEdits(T, runtime, fn, { ...compiled, wrapper }, placement), ...shaping, { kind: "bind", container, names: holder !== undefined ? [self, holder] : [self] }];
}

/**
 * A method under a computed key writes its key to a variable declared before the statement that
 * holds its class or literal (method-shape.ts): `var $key;` there, the wrapper under
 * `[$key = $am.toPropertyKey(k)]`.
 */
function keyHolderEdits(T: typeof ts, runtime: string, fn: ts.FunctionLikeDeclaration, compiled: CompiledPair, names: NameManager) {
  if (!hasComputedKey(T, fn) || !T.isMethodDeclaration(compiled.wrapper)) return undefined;
  const F = T.factory;
  const statement = keyHolderStatement(T, fn.parent);
  if (statement === undefined) return internalError(fn, "an async method under a computed key with no statement to hold its key was compiled");
  const holder = names.claimForFile("$key");
  const declaration = F.createVariableStatement(undefined, F.createVariableDeclarationList([F.createVariableDeclaration(holder)]));
  const edits: Edit[] = [{ kind: "insert-before", statement, statements: [declaration] }];
  return { compiled: { ...compiled, wrapper: withKeyHolder(T, runtime, compiled.wrapper, holder) }, key: F.createIdentifier(holder), edits };
}

/** A compiled method shaped like a native async method, by its class or object literal (`computedKey`: its key's holder). */
function methodShapeEdits(T: typeof ts, runtime: string, fn: ts.FunctionLikeDeclaration, computedKey: ts.Expression | undefined): Edit[] {
  if (!T.isMethodDeclaration(fn)) return [];
  if (T.isClassLike(fn.parent)) {
    const member = classMethodShape(T, runtime, fn, computedKey);
    return member ? [{ kind: "add-member", classNode: fn.parent, member }] : [];
  }
  const key = T.isObjectLiteralExpression(fn.parent) ? (objectMethodKeys(T, [fn])[0] ?? computedKey) : undefined;
  return key && T.isObjectLiteralExpression(fn.parent) ? [{ kind: "async-method-key", literal: fn.parent, key }] : [];
}

function functionEdits(T: typeof ts, runtime: string, fn: ts.FunctionLikeDeclaration, compiled: CompiledPair, placement: Exclude<Placement, { kind: "native" }>): Edit[] {
  const F = T.factory;
  const { wrapper, resume } = compiled;
  switch (placement.kind) {
    case "in-class": {
      // `#x` and a class expression's own name are only visible inside the class: the resume
      // function is defined in a static block of the class and stored in a variable declared
      // beside the class.
      const name = resume.name!.text;
      const holder = F.createVariableStatement(undefined, F.createVariableDeclarationList([F.createVariableDeclaration(name)], T.NodeFlags.Let));
      const fnExpr = F.createFunctionExpression(undefined, undefined, name, undefined, resume.parameters, undefined, resume.body!);
      const body = [F.createExpressionStatement(F.createAssignment(F.createIdentifier(name), fnExpr)), ...naming(T, runtime, fn, resume)];
      const block = F.createClassStaticBlockDeclaration(F.createBlock(body, /*multiLine*/ true));
      return [
        { kind: "insert-before", statement: placement.at.statement, statements: [holder] },
        { kind: "add-member", classNode: placement.cls, member: block },
        { kind: "replace", node: fn, replacement: wrapper },
      ];
    }
    case "beside": {
      // The resume function is hoisted in its list: it is named by the list's first statement —
      // a declaration's by the statement there that swaps its wrapper in (besideEdits).
      const first = firstStatementOf(T, placement.at.list);
      const named: Edit[] = first && !swapsDeclaration(T, fn) ? [{ kind: "insert-before", statement: first, statements: naming(T, runtime, fn, resume) }] : [];
      return [
        { kind: "insert-before", statement: placement.at.statement, statements: [resume] },
        ...named,
        ...besideEdits(T, runtime, fn, wrapper, placement.at.list, resume.name!.text),
      ];
    }
    case "iife":
      return [{ kind: "replace", node: fn, replacement: iife(T, runtime, compiled, fn, naming(T, runtime, fn, resume)) }];
  }
}

/**
 * A named function declaration (not a generator): the first statement of its scope swaps in
 * the async-function-shaped wrapper, and the same call names the resume function, whose frame
 * name is the declaration's own (frame-name.ts).
 */
function swapsDeclaration(T: typeof ts, fn: ts.FunctionLikeDeclaration): boolean {
  return T.isFunctionDeclaration(fn) && fn.name !== undefined && !fn.asteriskToken;
}

/** The function replaced where it stands, its resume beside it. */
function besideEdits(T: typeof ts, runtime: string, fn: ts.FunctionLikeDeclaration, wrapper: ts.FunctionLikeDeclaration, list: ts.Node, resume: string): Edit[] {
  const F = T.factory;
  // `export default async function* () {}`: its wrapper has a name of its own (wrapper.ts), swapped like any other.
  const name = T.isFunctionDeclaration(fn) ? (fn.name ?? (fn.asteriskToken && T.isFunctionDeclaration(wrapper) ? wrapper.name : undefined)) : undefined;
  if (T.isFunctionDeclaration(fn) && name) {
    // The declaration keeps hoisting; the first statement of its scope swaps in the
    // async-function-shaped wrapper before any code of the scope can see the binding.
    // The assigned name stands for the declaration's own, so that TypeScript's CommonJS
    // transform updates the exports of it too (`exports.f = f = …`) — not for `export
    // default function f`, which that transform would export again as `f`: there
    // `exports.default` keeps the plain wrapper (an ES module's live binding is swapped).
    const first = firstStatementOf(T, list);
    const isDefault = fn.modifiers?.some((m) => m.kind === T.SyntaxKind.DefaultKeyword) === true;
    const binding = isDefault ? F.createIdentifier(name.text) : T.setOriginalNode(F.createIdentifier(name.text), name);
    if (!first) return [{ kind: "replace", node: fn, replacement: wrapper }];
    const swap = F.createExpressionStatement(F.createAssignment(binding, asyncWrapper(T, runtime, wrapper, fn, swapsDeclaration(T, fn) ? resume : undefined)));
    // The declaration moves up beside the swap, which spells the same parameters and body
    // (gzip then stores it as one back-reference); hoisting makes the move unobservable where
    // the declaration is the only one of its name in a module's or function's top-level list.
    if (!isDefault && movableDeclaration(T, fn, list)) {
      return [
        { kind: "replace", node: fn, replacement: F.createNotEmittedStatement(fn) },
        { kind: "insert-before", statement: first, statements: [swap, wrapper as ts.FunctionDeclaration] },
      ];
    }
    return [
      { kind: "replace", node: fn, replacement: wrapper },
      { kind: "insert-before", statement: first, statements: [swap] },
    ];
  }
  // (A function declaration without a name is `export default async function () {}`: it
  // keeps its export and hoisting as a plain function; there is no binding to swap.)
  if (T.isFunctionDeclaration(fn) || T.isMethodDeclaration(fn)) return [{ kind: "replace", node: fn, replacement: wrapper }];
  return [{ kind: "replace", node: fn, replacement: asyncWrapper(T, runtime, wrapper, fn) }];
}

/**
 * Can the wrapper declaration of `fn` stand at the top of `list` instead of where `fn` stood?
 * Function declarations are hoisted: in a module's (or script's) or a function body's list the
 * binding holds the function from the list's start whatever its position, so only another
 * declaration of the same name (which of the two wins depends on their order; overload
 * signatures must precede their implementation) makes the position matter. In a block, sloppy
 * code would also copy the binding to the function's scope where the declaration stands
 * (Annex B): such lists keep it in place.
 */
function movableDeclaration(T: typeof ts, fn: ts.FunctionDeclaration, list: ts.Node): boolean {
  const isBody = T.isSourceFile(list) || (T.isBlock(list) && T.isFunctionLike(list.parent));
  if (!isBody || fn.name === undefined) return false;
  const name = fn.name.text;
  return (list as ts.SourceFile | ts.Block).statements.every((st) => st === fn || !T.isFunctionDeclaration(st) || st.name?.text !== name);
}
