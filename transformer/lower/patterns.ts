/**
 * Declarations and destructuring whose bindings are machine locals: `let a = 1, { b } = await f()`,
 * and patterns with awaits in defaults or computed keys, taken apart in native order (property
 * reads, defaults, the array iterator protocol with its close on abrupt exits).
 */
import type * as ts from "typescript";
import { containsAwait, skipOuterExpressions } from "../analyze/contains-await";
import { Completion, RegionKind, TerminatorKind, type LocalId } from "./cfg";
import { endFinally, innermostFinally } from "./jumps";
import { isAnonymousDefinition, namedDefinition } from "./expression/named-evaluation";
import { iterableText } from "./expression/source-text";
import type { FinallyInfo, Lowering } from "./lowering";
import { lowerToResumeValue } from "./suspend";
import { internalError, Unsupported } from "../not-compiled";

/**
 * [source]  let a = 1, { b } = await f(), c;
 * [lowered] a = 1; .suspend f() → r; ({ b } = $resume); c = undefined
 */
export function lowerVariableList(cx: Lowering, list: ts.VariableDeclarationList): void {
  const { T, F, b } = cx;
  // (`using` declarations never get here: checkSupported leaves their function native.)
  const isVar = !(list.flags & (T.NodeFlags.Let | T.NodeFlags.Const));
  const outer = b.source;
  for (const d of list.declarations) {
    b.source = d;
    if (!d.initializer) {
      // `let x;` (re)initializes x to undefined each time it runs; `var x;` does nothing.
      if (!isVar && T.isIdentifier(d.name)) {
        const local = b.localOf(d.name);
        if (local !== undefined) b.emitAssign(local, F.createVoidZero());
      }
      continue;
    }
    const value = lowerToResumeValue(cx, d.initializer);
    bindPattern(cx, d.name, value, d.initializer);
  }
  b.source = outer;
}
const INTERMEDIATE_VALUE = "(intermediate value)";

/**
 * Assigns `value` to a binding name or pattern whose identifiers are machine locals; `source`,
 * a declaration's initializer as written, names the value in V8's message when an array
 * pattern's value is not iterable.
 */
export function bindPattern(cx: Lowering, name: ts.BindingName, value: ts.Expression, source?: ts.Expression): void {
  const { T, F, b } = cx;
  if (T.isIdentifier(name)) {
    const local = b.localOf(name);
    if (local === undefined) return internalError(name, "binding without a local");
    b.emitOp(F.createExpressionStatement(F.createAssignment(name, value)), b.defsIfRegister(local));
    return;
  }
  const v = skipOuterExpressions(T, value);
  // V8 names the source of a failed destructuring by its text; an awaited value is '(intermediate value)'.
  const sourceName = v === b.resumeValue ? INTERMEDIATE_VALUE : T.isIdentifier(v) && !b.tempOfIdentifier.has(v) ? v.text : "";
  const arrayText = source && T.isArrayBindingPattern(name) ? iterableText(T, source, "declaration") : undefined;
  if (containsAwait(T, name)) return destructureTarget(cx, fromBindingName(T, name), value, sourceName, arrayText);
  if (arrayText !== undefined) {
    // Destructured natively, an assignment: V8 would name the value by its type, not as the
    // declaration does (`v is not iterable`), so the value is checked first.
    const checked = b.runtimeCall("spreadable", [value, F.createStringLiteral(arrayText), F.createNumericLiteral(0)]);
    b.emitOp(F.createExpressionStatement(F.createAssignment(patternToAssignmentTarget(T, name), checked)), []);
    return;
  }
  if (sourceName === INTERMEDIATE_VALUE && T.isObjectBindingPattern(name)) {
    // Destructured natively, the resume value's own name would be the one in the message.
    const first = name.elements[0];
    const firstKey = first === undefined || first.dotDotDotToken ? undefined : (first.propertyName ?? first.name);
    const firstKeyText = firstKey && (T.isIdentifier(firstKey) || T.isStringLiteral(firstKey)) ? firstKey.text : "";
    b.emitOp(F.createExpressionStatement(b.runtimeCall("requireDestructurable", [value, F.createStringLiteral(firstKeyText), F.createStringLiteral(sourceName)])));
  }
  // Defaults inside a pattern may read locals assigned earlier in the same pattern, so the
  // pattern's own bindings are not counted as surely written (conservative).
  b.emitOp(F.createExpressionStatement(F.createAssignment(patternToAssignmentTarget(T, name), value)), []);
}

/**
 * A pattern (binding or assignment) as the destructuring lowering walks it: leaves are either
 * bindings being declared or references being assigned (`o.p`, `a[i]`, an identifier).
 */
type PatternTarget =
  | { kind: "binding"; name: ts.Identifier }
  | { kind: "reference"; expr: ts.Expression }
  | { kind: "object"; elements: Array<{ key: ts.PropertyName | undefined; rest: boolean; target: PatternTarget; initializer: ts.Expression | undefined }> }
  | {
      kind: "array";
      elements: Array<{ omitted: boolean; rest: boolean; target: PatternTarget | undefined; initializer: ts.Expression | undefined }>;
      /** It holds a `yield` (of an async generator), where a return completion can arrive. */
      yields: boolean;
    };

/** Does `node` evaluate a `yield` itself (not in a function nested in it)? */
function holdsYield(T: typeof ts, node: ts.Node): boolean {
  if (T.isYieldExpression(node)) return true;
  if (T.isFunctionLike(node) || T.isClassLike(node)) return false;
  return T.forEachChild(node, (c) => holdsYield(T, c) || undefined) === true;
}

function fromBindingName(T: typeof ts, name: ts.BindingName): PatternTarget {
  if (T.isIdentifier(name)) return { kind: "binding", name };
  if (T.isObjectBindingPattern(name)) {
    return {
      kind: "object",
      elements: name.elements.map((e) => ({
        key: e.propertyName ?? (e.dotDotDotToken ? undefined : (e.name as ts.Identifier)),
        rest: !!e.dotDotDotToken,
        target: fromBindingName(T, e.name),
        initializer: e.initializer,
      })),
    };
  }
  return {
    kind: "array",
    elements: name.elements.map((e) =>
      T.isOmittedExpression(e)
        ? { omitted: true, rest: false, target: undefined, initializer: undefined }
        : { omitted: false, rest: !!e.dotDotDotToken, target: fromBindingName(T, e.name), initializer: e.initializer },
    ),
    yields: holdsYield(T, name),
  };
}
/** `[a, o.p = 1, ...r] = …` / `({ a, b: o.q = 2, ...r } = …)` */
function fromAssignmentPattern(T: typeof ts, expr: ts.Expression): PatternTarget {
  const SK = T.SyntaxKind;
  const e = skipOuterExpressions(T, expr);
  if (T.isObjectLiteralExpression(e)) {
    return {
      kind: "object",
      elements: e.properties.map((p) => {
        if (T.isSpreadAssignment(p)) return { key: undefined, rest: true, target: fromAssignmentPattern(T, p.expression), initializer: undefined };
        if (T.isShorthandPropertyAssignment(p))
          return { key: p.name, rest: false, target: { kind: "reference", expr: p.name } as PatternTarget, initializer: p.objectAssignmentInitializer };
        if (T.isPropertyAssignment(p)) {
          const init = skipOuterExpressions(T, p.initializer);
          const withDefault = T.isBinaryExpression(init) && init.operatorToken.kind === SK.EqualsToken;
          return { key: p.name, rest: false, target: fromAssignmentPattern(T, withDefault ? init.left : p.initializer), initializer: withDefault ? init.right : undefined };
        }
        throw new Unsupported(p, "invalid-assignment-pattern");
      }),
    };
  }
  if (T.isArrayLiteralExpression(e)) {
    return {
      kind: "array",
      elements: e.elements.map((el) => {
        if (T.isOmittedExpression(el)) return { omitted: true, rest: false, target: undefined, initializer: undefined };
        if (T.isSpreadElement(el)) return { omitted: false, rest: true, target: fromAssignmentPattern(T, el.expression), initializer: undefined };
        const x = skipOuterExpressions(T, el);
        if (T.isBinaryExpression(x) && x.operatorToken.kind === SK.EqualsToken)
          return { omitted: false, rest: false, target: fromAssignmentPattern(T, x.left), initializer: x.right };
        return { omitted: false, rest: false, target: fromAssignmentPattern(T, el), initializer: undefined };
      }),
      yields: holdsYield(T, e),
    };
  }
  return { kind: "reference", expr: e };
}

/** Destructuring assignment with awaits inside its pattern; returns the source value. */
export function destructureAssignment(cx: Lowering, pattern: ts.Expression, value: ts.Expression): ts.Expression {
  const { b } = cx;
  const source = b.newTemp("value");
  b.emitAssign(source, value);
  destructureTarget(cx, fromAssignmentPattern(cx.T, pattern), b.identifierFor(source), "");
  return b.identifierFor(source);
}

/**
 * Evaluates an assignment target's reference now (its object and key, as native does before
 * reading the value); returns how to store into it later.
 */
function prepareReference(cx: Lowering, target: PatternTarget, initializer?: ts.Expression): (value: ts.Expression) => void {
  const { T, F, SK, b } = cx;
  if (target.kind === "binding") return (value) => bindPattern(cx, target.name, value);
  if (target.kind !== "reference") {
    // A nested array pattern with a default: V8 names its value by the default's text.
    const arrayText = target.kind === "array" && initializer ? iterableText(T, initializer, "default") : undefined;
    return (value) => destructureTarget(cx, target, value, "", arrayText);
  }
  const e = target.expr;
  if (T.isIdentifier(e)) {
    return (value) => {
      const local = b.localOf(e);
      b.emitOp(F.createExpressionStatement(F.createAssignment(e, value)), local !== undefined ? b.defsIfRegister(local) : []);
    };
  }
  if ((T.isPropertyAccessExpression(e) || T.isElementAccessExpression(e)) && e.expression.kind !== SK.SuperKeyword) {
    const obj = b.newTemp("object");
    b.emitAssign(obj, cx.lowerExpression(e.expression));
    let key: LocalId | undefined;
    if (T.isElementAccessExpression(e)) {
      key = b.newTemp("key");
      b.emitAssign(key, cx.lowerExpression(e.argumentExpression));
    }
    return (value) => {
      const ref = T.isPropertyAccessExpression(e)
        ? F.createPropertyAccessExpression(b.identifierFor(obj), e.name)
        : F.createElementAccessExpression(b.identifierFor(obj), b.identifierFor(key!));
      b.emitOp(F.createExpressionStatement(F.createAssignment(ref, value)));
    };
  }
  if (containsAwait(T, e)) throw new Unsupported(e, "await-in-destructuring-target");
  return (value) => b.emitOp(F.createExpressionStatement(F.createAssignment(e, value)));
}

/**
 * A pattern with awaits in defaults or computed keys, taken apart in native order:
 * [source]  const { a = await d(), [await k()]: b, ...rest } = obj;
 * [lowered] $value = obj; (TypeError if null/undefined); $prop = $value.a;
 *           branch $prop === undefined ? dflt : bind;  dflt: $prop = await d();  bind: a = $prop;
 *           $key = await k(); b = $value[$key]; rest = $am.objectRest($value, ["a", $key])
 */
function destructureTarget(cx: Lowering, target: PatternTarget, value: ts.Expression, sourceName: string, arrayText?: string): void {
  const { T, F, b } = cx;
  if (target.kind === "binding" || target.kind === "reference") return prepareReference(cx, target)(value);
  if (target.kind === "array") return destructureArray(cx, target, value, arrayText);
  const source = b.identifierFor(b.newTemp("value"));
  b.emitAssign(b.tempOfIdentifier.get(source)!, value);
  const firstKey = target.elements[0]?.key;
  const firstKeyText = firstKey && (T.isIdentifier(firstKey) || T.isStringLiteral(firstKey)) ? firstKey.text : "";
  b.emitOp(F.createExpressionStatement(b.runtimeCall("requireDestructurable", [source, F.createStringLiteral(firstKeyText), F.createStringLiteral(sourceName)])));
  const seenKeys: ts.Expression[] = [];
  for (const element of target.elements) {
    if (element.rest) {
      const store = prepareReference(cx, element.target);
      store(b.runtimeCall("objectRest", [source, F.createArrayLiteralExpression(seenKeys)]));
      continue;
    }
    const keyNode = element.key!;
    let key: ts.Expression;
    if (T.isComputedPropertyName(keyNode)) {
      const k = b.newTemp("key");
      b.emitAssign(k, b.runtimeCall("toPropertyKey", [cx.lowerExpression(keyNode.expression)]));
      key = b.identifierFor(k);
    } else key = T.isIdentifier(keyNode) || T.isPrivateIdentifier(keyNode) ? F.createStringLiteral(keyNode.text) : (keyNode as ts.Expression);
    seenKeys.push(key);
    const store = prepareReference(cx, element.target, element.initializer);
    const prop = b.newTemp("property");
    b.emitAssign(prop, F.createElementAccessExpression(source, key));
    if (element.initializer) applyDefault(cx, prop, element.initializer, element.target);
    store(b.identifierFor(prop));
  }
}
/**
 * [lowered] branch $v === undefined ? dflt : bind;  dflt: $v = <default, may await>;  bind:
 * An anonymous function or class default is named after a plain name target (NamedEvaluation;
 * any other target leaves it unnamed), not after the temporary that holds it.
 */
function applyDefault(cx: Lowering, value: LocalId, initializer: ts.Expression, target: PatternTarget): void {
  const { T, F, b } = cx;
  const dflt = b.newBlock();
  const bind = b.newBlock();
  b.branchTo(F.createStrictEquality(b.identifierFor(value), F.createVoidZero()), dflt.id, bind.id);
  b.mark(dflt);
  const lowered = cx.lowerExpression(initializer);
  // (An assignment target is named only when it is a bare identifier: `(f) = …` is not one.)
  const name = target.kind === "binding" ? target.name.text : target.kind === "reference" && T.isIdentifier(target.expr) ? target.expr.text : undefined;
  const key = name === undefined ? undefined : ([F.createStringLiteral(name), F.createStringLiteral(name)] as const);
  b.emitAssign(value, isAnonymousDefinition(T, initializer) ? namedDefinition(T, lowered, key) : lowered);
  b.goto(bind);
  b.mark(bind);
}
/** `{ a, b: [c = 1], ...r }` (binding pattern) → the same shape as an assignment pattern. */
function patternToAssignmentTarget(T: typeof ts, name: ts.BindingName): ts.Expression {
  const F = T.factory;
  if (T.isIdentifier(name)) return name;
  if (T.isObjectBindingPattern(name)) {
    return F.createObjectLiteralExpression(
      name.elements.map((e) => {
        if (e.dotDotDotToken) return F.createSpreadAssignment(patternToAssignmentTarget(T, e.name));
        const target = patternToAssignmentTarget(T, e.name);
        const withDefault = e.initializer ? F.createAssignment(target, e.initializer) : target;
        if (!e.propertyName && T.isIdentifier(e.name)) {
          return e.initializer ? F.createShorthandPropertyAssignment(e.name, e.initializer) : F.createShorthandPropertyAssignment(e.name);
        }
        return F.createPropertyAssignment(e.propertyName ?? (e.name as ts.Identifier), withDefault);
      }),
    );
  }
  return F.createArrayLiteralExpression(
    name.elements.map((e) => {
      if (T.isOmittedExpression(e)) return e;
      const target = patternToAssignmentTarget(T, e.name);
      if (e.dotDotDotToken) return F.createSpreadElement(target);
      return e.initializer ? F.createAssignment(target, e.initializer) : target;
    }),
  );
}

/**
 * An array pattern with awaits, by the iterator protocol as native runs it:
 * [source]  const [a = await d(), , ...rest] = iterable;
 * [lowered] $it = destructuringIterator(iterable);
 *           [region → close]  $item = destructuringStep($it); branch $item === undefined ? dflt : bind;
 *                             dflt: $item = await d();  bind: a = $item;  …
 *           destructuringClose($it, false)      (closes unless done)
 *           close: destructuringClose($it, true); throw $error
 * An exception from a default or a nested binding closes the iterator; one from `next()`
 * itself marks it done first (no close), as IteratorBindingInitialization does.
 */
function destructureArray(cx: Lowering, pattern: Extract<PatternTarget, { kind: "array" }>, value: ts.Expression, text?: string): void {
  const { F, b } = cx;
  const iter = b.newTemp("iterator");
  b.emitAssign(iter, b.runtimeCall("destructuringIterator", text === undefined ? [value] : [value, F.createStringLiteral(text)]));
  const close = b.newBlock();
  const outerRegion = b.region;
  // A return completion at a `yield` in the pattern closes the iterator too: a finally of its own.
  const fin: FinallyInfo | undefined = pattern.yields
    ? { entry: close.id, completion: b.newTemp("completion"), value: b.newTemp("completionValue"), jumps: new Map(), outer: innermostFinally(cx) }
    : undefined;
  const error = fin === undefined ? b.newTemp("error") : fin.value;
  if (fin !== undefined) {
    cx.finallyByCompletion.set(fin.completion, fin);
    cx.jumpStack.push({ kind: "finally", fin });
    b.region = b.newRegion(RegionKind.Finally, close.id, fin.completion, fin.value);
  } else b.region = b.newRegion(RegionKind.Catch, close.id, error, undefined);
  const body = b.newBlock();
  b.goto(body);
  b.mark(body);
  for (const element of pattern.elements) {
    if (element.omitted) {
      b.emitOp(F.createExpressionStatement(b.runtimeCall("destructuringStep", [b.identifierFor(iter)])));
      continue;
    }
    // The target's reference is evaluated before the iterator steps (native order).
    const store = prepareReference(cx, element.target!, element.initializer);
    if (element.rest) {
      store(b.runtimeCall("destructuringRest", [b.identifierFor(iter)]));
      continue;
    }
    const item = b.newTemp("item");
    b.emitAssign(item, b.runtimeCall("destructuringStep", [b.identifierFor(iter)]));
    if (element.initializer) applyDefault(cx, item, element.initializer, element.target!);
    store(b.identifierFor(item));
  }
  b.region = outerRegion;
  const after = b.newBlock();
  b.goto(after);
  b.mark(close);
  if (fin !== undefined) {
    // (IteratorClose: a return completion's close reports a throwing or non-object `return()`.)
    cx.jumpStack.pop();
    const isThrow = F.createStrictEquality(b.identifierFor(fin.completion), F.createNumericLiteral(Completion.Throw));
    b.emitOp(F.createExpressionStatement(b.runtimeCall("destructuringClose", [b.identifierFor(iter), isThrow])));
    b.current.term = endFinally(fin, after.id);
  } else {
    b.emitOp(F.createExpressionStatement(b.runtimeCall("destructuringClose", [b.identifierFor(iter), F.createTrue()])));
    b.terminate({ kind: TerminatorKind.Throw, value: b.identifierFor(error), uses: new Set([error]) });
  }
  b.mark(after);
  b.emitOp(F.createExpressionStatement(b.runtimeCall("destructuringClose", [b.identifierFor(iter), F.createFalse()])));
}
