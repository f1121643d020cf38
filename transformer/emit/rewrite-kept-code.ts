/**
 * Rewrites a node of the original function for the resume function — code kept whole (it does
 * not await) runs natively there once its references are moved:
 *
 *   - locals by their storage (local-access.ts), reads of a binding in its dead zone checked;
 *   - `this`, `arguments`, `new.target`, `super.x` through the machine (`$m.t`, `$m.a`, `$m.h`…);
 *   - the lowering's placeholders for the machine and the runtime (lower/runtime-refs.ts);
 *   - declarations of moved bindings as assignments (declaration-lists.ts), checked writes
 *     (checked-writes.ts), jumps that leave a kept statement as machine jumps (jumps.ts);
 *   - nested functions and classes: their references to captured locals, and an environment
 *     record kept per closure; nested async functions are compiled with this one.
 *
 * `inFunction`: inside a nested non-arrow function (its own `this`, `arguments`, jumps).
 */
import type * as ts from "typescript";
import type { Binding } from "../analyze/scopes";
import { skipOuterExpressions } from "../analyze/contains-await";
import { LocalStorage, type LocalId } from "../lower/cfg";
import { internalError, Unsupported } from "../not-compiled";
import { shorthandKey } from "../lower/linearize-expression";
import { calleeText } from "../lower/expression/source-text";
import { compoundToBinary } from "../lower/operators";
import { isRuntimePlaceholder, type RuntimeRef } from "../lower/runtime-refs";
import { callPosition, isAsyncFunction } from "../syntax";
import { frame, machineMember, runtimeMember, type EmitContext } from "./emit-context";
import { access, localOf, read } from "./local-access";
import { checkedWrite, deleteOfIdentifier, isWriteTarget, markTargets, writeToOwnName, type Visit } from "./checked-writes";
import { bindsLocal, convertDeclarationList, toAssignmentTarget } from "./declaration-lists";
import { emitJump } from "./jumps";
import { declareKeyHolders, withAsyncMethodShape, type KeyHolders } from "./method-shape";

/** A node of kept code, rewritten for the resume function (see the header). */
export function rewrite(cx: EmitContext, node: ts.Node, inFunction: boolean, writeTargets: Set<ts.Node> = new Set()): ts.Node {
  const { T, F, SK } = cx;
  // A literal, punctuation or a keyword other than `this` and `super`: nothing below to rewrite.
  if (node.kind <= SK.LastToken && node.kind !== SK.Identifier && node.kind !== SK.ThisKeyword && node.kind !== SK.SuperKeyword) return node;
  const visit = (n: ts.Node): ts.Node => rewrite(cx, n, inFunction, writeTargets);
  if (T.isIdentifier(node)) return rewriteIdentifier(cx, node, inFunction, writeTargets);
  if (isLetNameThenBlock(cx, node)) {
    // `for (…) let⏎{}` in sloppy code is `let;` (a name) then an empty block; TypeScript reads
    // a declaration there (not allowed in that place). In a case's statement list it would be
    // one: the name is written as an expression of its own.
    return F.createExpressionStatement(F.createParenthesizedExpression(rewriteIdentifier(cx, F.createIdentifier("let"), inFunction, writeTargets) as ts.Expression));
  }
  if (T.isDeleteExpression(node)) {
    const deleted = deleteOfIdentifier(cx, node, inFunction);
    if (deleted) return deleted;
  }
  if (!inFunction) {
    const machineReference = rewriteMachineReference(cx, node, visit);
    if (machineReference) return machineReference;
  }
  if (T.isShorthandPropertyAssignment(node)) {
    const local = localOf(cx, node.name);
    if (local !== undefined) {
      const value = writeTargets.has(node.name) ? access(cx, local) : read(cx, local);
      const withDefault = node.objectAssignmentInitializer ? F.createAssignment(value, visit(node.objectAssignmentInitializer) as ts.Expression) : value;
      return F.createPropertyAssignment(shorthandKey(T, node.name), withDefault);
    }
  }
  if (!inFunction) {
    const moved = rewriteMovedStatement(cx, node, visit);
    if (moved) return moved;
  }
  const nested = rewriteNested(cx, node, inFunction);
  if (nested) return nested;
  if (T.isBinaryExpression(node) && node.operatorToken.kind >= SK.FirstAssignment && node.operatorToken.kind <= SK.LastAssignment) {
    const selfWrite = writeToOwnName(cx, node, visit);
    if (selfWrite) return selfWrite;
    markTargets(cx, node.left, writeTargets);
    const checked = checkedWrite(cx, node, node.left, visit);
    if (checked) return checked;
  }
  if ((T.isPrefixUnaryExpression(node) || T.isPostfixUnaryExpression(node)) && (node.operator === SK.PlusPlusToken || node.operator === SK.MinusMinusToken)) {
    markTargets(cx, node.operand, writeTargets);
    const checked = checkedWrite(cx, node, node.operand, visit);
    if (checked) return checked;
  }
  const out = T.visitEachChild(node, visit, undefined);
  // Its compiled async methods get the async-function shape once the literal is built.
  return T.isObjectLiteralExpression(node) ? withAsyncMethodShape(T, cx.input.machineNames.runtime, node, out, keyHolders(cx)) : out;
}

/**
 * Key holders (method-shape.ts) of the function whose code is being rewritten: a `let` of the
 * resume function for the compiled function's own code, a `var` of the nested function of kept
 * code the literal is in (one per activation of either).
 */
function keyHolders(cx: EmitContext): KeyHolders {
  return {
    claim: () => cx.input.names.claimForFile("$key"),
    declare() {
      const frames = cx.usage.keyHolders;
      if (frames.length > 0) {
        const name = cx.input.names.claimForFile("$key");
        frames[frames.length - 1].push(name);
        return name;
      }
      const name = cx.input.names.claim("$key");
      cx.usage.hoisted.push(cx.F.createVariableStatement(undefined, cx.F.createVariableDeclarationList([cx.F.createVariableDeclaration(name)], cx.T.NodeFlags.Let)));
      return name;
    },
  };
}

/** `let⏎{}` where a statement list cannot hold it: a loop's, `if`'s or label's statement (see rewrite). */
function isLetNameThenBlock(cx: EmitContext, node: ts.Node): boolean {
  const { T } = cx;
  if (!T.isVariableStatement(node) || !(node.declarationList.flags & T.NodeFlags.Let)) return false;
  const [only, ...more] = node.declarationList.declarations;
  if (more.length > 0 || only.initializer !== undefined || !T.isObjectBindingPattern(only.name) || only.name.elements.length > 0) return false;
  const p = T.getOriginalNode(node).parent;
  return p !== undefined && (T.isIterationStatement(p, /*lookInLabeledStatements*/ false) || T.isIfStatement(p) || T.isLabeledStatement(p));
}

function rewriteIdentifier(cx: EmitContext, node: ts.Identifier, inFunction: boolean, writeTargets: Set<ts.Node>): ts.Node {
  const { T, F, scopes } = cx;
  if (node === cx.lowered.resumeValue) return F.createIdentifier(cx.own.value);
  const ref = cx.lowered.runtimeRefs.get(node);
  if (ref) return resolveRuntimeRef(cx, ref);
  if (isRuntimePlaceholder(node)) internalError(node, `a placeholder (${node.text}) that is not among the function's runtime references reached emit`);
  const text = node.text;
  if (isOwnNameOfDeclaration(cx, node)) return node;
  const local = localOf(cx, node);
  if (local !== undefined) {
    const rewritten = writeTargets.has(node) || isWriteTarget(cx, node) ? access(cx, local) : read(cx, local);
    // A use keeps its position (a parameter's arrival from the frame is not a step of its own).
    return node.pos >= 0 && !T.isParameter(node.parent) ? T.setSourceMapRange(rewritten, node) : rewritten;
  }
  if (text === "arguments" && !inFunction && !scopes.refs.has(node) && !scopes.decls.has(node) && isArgumentsReference(cx, node))
    return machineMember(cx, cx.input.isArrow ? "o" : "a");
  return node;
}

/** What a placeholder of the lowering stands for (lower/runtime-refs.ts). */
function resolveRuntimeRef(cx: EmitContext, ref: RuntimeRef): ts.Expression {
  switch (ref.kind) {
    case "args":
      return cx.input.paramsInFrame !== undefined ? frame(cx) : machineMember(cx, "a");
    case "machine":
      return cx.F.createIdentifier(cx.own.machine);
    case "isThrow":
      return cx.F.createIdentifier(cx.own.isThrow);
    case "tdz":
      return runtimeMember(cx, "TDZ");
    case "helper":
      return runtimeMember(cx, ref.name);
  }
}

/** `this`, `new.target` and `super` of the compiled function, reached through the machine (outside nested functions only). */
function rewriteMachineReference(cx: EmitContext, node: ts.Node, visit: Visit): ts.Node | undefined {
  const { T, F, SK } = cx;
  const m = (member: string): ts.Expression => machineMember(cx, member);
  const isSuperMember = (n: ts.Node): n is ts.PropertyAccessExpression | ts.ElementAccessExpression =>
    (T.isPropertyAccessExpression(n) || T.isElementAccessExpression(n)) && n.expression.kind === SK.SuperKeyword;
  const superKey = (n: ts.PropertyAccessExpression | ts.ElementAccessExpression): ts.Expression =>
    T.isPropertyAccessExpression(n) ? F.createStringLiteral(n.name.text) : (visit(n.argumentExpression) as ts.Expression);
  if (node.kind === SK.ThisKeyword) return m("t");
  // An async function cannot be constructed: its new.target is undefined; an arrow's is the enclosing one's.
  if (T.isMetaProperty(node) && node.keywordToken === SK.NewKeyword) return cx.input.isArrow ? m("n") : F.createVoidZero();
  if (isSuperMember(node)) return F.createCallExpression(m("h"), undefined, [superKey(node)]);
  if (T.isBinaryExpression(node) && node.operatorToken.kind >= SK.FirstAssignment && node.operatorToken.kind <= SK.LastAssignment) {
    const target = skipOuterExpressions(T, node.left);
    if (isSuperMember(target)) {
      // super.x = v  →  $m.h("x", v, 1): the method's wrapper set it up with its home object.
      const key = superKey(target);
      let value = visit(node.right) as ts.Expression;
      if (node.operatorToken.kind !== SK.EqualsToken) {
        value = F.createBinaryExpression(F.createCallExpression(m("h"), undefined, [key]), compoundToBinary(T, node.operatorToken.kind), value);
      }
      const isSet = F.createNumericLiteral(1);
      return F.createCallExpression(m("h"), undefined, [key, value, isSet]);
    }
  }
  if (T.isCallExpression(node) && isSuperMember(node.expression)) {
    // super.m(args) calls the parent's method with this = the method's this; `super.m?.(args)`
    // short-circuits (arguments unevaluated) when the method is null or undefined.
    const callee = node.expression;
    const text = calleeText(T, callee);
    if (node.questionDotToken) {
      const args = node.arguments.map((a) => visit(a) as ts.Expression);
      const bound = F.createCallExpression(runtimeMember(cx, "superCallee"), undefined, [visit(callee) as ts.Expression, m("t"), F.createStringLiteral(text)]);
      return F.createCallChain(bound, F.createToken(SK.QuestionDotToken), undefined, args);
    }
    // The plain call: ($super = $m.h("m"), $am.reflectApply($super, $m.t, $am.callArgs($super, "(intermediate value).m", [args]))).
    // The method is read once, before the arguments, as natively; Reflect.apply (taken at load)
    // consults no own `call` of the method nor a patched Function.prototype.call and leaves no
    // frame, and `callArgs` checks the method after the arguments, with native's message.
    // (Nothing runs between the write of `$super` and its two reads: one name serves every call.)
    const method = (cx.usage.superMethod ??= cx.input.names.claim("$super"));
    const read = visit(callee) as ts.Expression;
    const args = node.arguments.map((a) => visit(a) as ts.Expression);
    const list = F.createCallExpression(runtimeMember(cx, "callArgs"), undefined, [F.createIdentifier(method), F.createStringLiteral(text), F.createArrayLiteralExpression(args)]);
    const call = F.createCallExpression(runtimeMember(cx, "reflectApply"), undefined, [F.createIdentifier(method), m("t"), list]);
    // The caller's frame reads the call's position as V8 gives it: the method's name (`super.m(`), or the `(` after `super[k]`.
    T.setSourceMapRange(call, { pos: callPosition(T, node), end: node.end });
    return F.createParenthesizedExpression(F.createCommaListExpression([F.createAssignment(F.createIdentifier(method), read), call]));
  }
  return undefined;
}

/** Statements of the compiled function (not of a nested one) that jump out or declare moved bindings. */
function rewriteMovedStatement(cx: EmitContext, node: ts.Node, visit: Visit): ts.Node | undefined {
  const { T, F } = cx;
  if (T.isReturnStatement(node) || T.isBreakStatement(node) || T.isContinueStatement(node)) {
    const j = cx.lowered.jumpRewrites.get(node);
    if (j) return emitJump(cx, j, visit);
  }
  if (T.isVariableStatement(node)) {
    const converted = convertDeclarationList(cx, node.declarationList, visit);
    if (converted !== undefined) return converted ? F.createExpressionStatement(converted) : F.createEmptyStatement();
  }
  if (T.isForStatement(node) && node.initializer && T.isVariableDeclarationList(node.initializer)) {
    const converted = convertDeclarationList(cx, node.initializer, visit);
    if (converted !== undefined) {
      return F.updateForStatement(
        node,
        converted || undefined,
        node.condition && (visit(node.condition) as ts.Expression),
        node.incrementor && (visit(node.incrementor) as ts.Expression),
        visit(node.statement) as ts.Statement,
      );
    }
  }
  if ((T.isForInStatement(node) || T.isForOfStatement(node)) && T.isVariableDeclarationList(node.initializer)) {
    const d = node.initializer.declarations[0];
    if (bindsLocal(cx, d.name)) {
      const target = toAssignmentTarget(cx, d.name, visit);
      const expr = visit(node.expression) as ts.Expression;
      const stmt = visit(node.statement) as ts.Statement;
      return T.isForInStatement(node) ? F.updateForInStatement(node, target, expr, stmt) : F.updateForOfStatement(node, node.awaitModifier, target, expr, stmt);
    }
  }
  return undefined;
}

/** Functions, classes and object literals with methods: kept as closures, nested async functions compiled. */
/** A nested async function compiled (its wrapper, rewritten for the outer code), or undefined: left native, and reported. */
function compileNested(cx: EmitContext, fn: ts.FunctionLikeDeclaration, outerInFunction: boolean): ts.Node | undefined {
  if (!isAsyncFunction(cx.T, fn)) return undefined;
  const isOuterLocal = (b: Binding): boolean => cx.lowered.localOfBinding.has(b);
  return cx.input.transformNested(
    fn,
    (n) => rewrite(cx, n, outerInFunction),
    (st) => void cx.usage.hoisted.push(st),
    isOuterLocal,
  );
}

function rewriteNested(cx: EmitContext, node: ts.Node, inFunction: boolean): ts.Node | undefined {
  const { T, F, SK } = cx;
  if (T.isFunctionDeclaration(node) && cx.lowered.hoistedFunctions.has(node)) {
    // A hoisted declaration, used as the value of `g = …`.
    const replaced = compileNested(cx, node, /*outerInFunction*/ false);
    if (replaced) return replaced;
    const expr = F.createFunctionExpression(
      node.modifiers?.filter((x) => x.kind === SK.AsyncKeyword) as ts.Modifier[] | undefined,
      node.asteriskToken,
      node.name,
      node.typeParameters,
      node.parameters,
      node.type,
      node.body!,
    );
    return closure(cx, node, expr, /*innerIsFunction*/ true);
  }
  if (T.isClassDeclaration(node) && node.name && localOf(cx, node.name) !== undefined && !inFunction) {
    const expr = F.createClassExpression(
      node.modifiers?.filter((x) => x.kind !== SK.ExportKeyword && x.kind !== SK.DefaultKeyword) as ts.ModifierLike[] | undefined,
      node.name,
      node.typeParameters,
      node.heritageClauses,
      node.members,
    );
    // Its heritage and computed keys run here, outside any nested function.
    return closure(cx, node, expr, /*innerIsFunction*/ true, /*outerInFunction*/ false);
  }
  // An object literal whose methods or accessors see a per-iteration record is wrapped as a
  // whole (a method cannot be wrapped by itself).
  if (T.isObjectLiteralExpression(node) && cx.usage.envBound === 0 && node.properties.some((p) => (T.isMethodDeclaration(p) || T.isAccessor(p)) && referencesEnv(cx, p))) {
    return closure(cx, node, node, inFunction);
  }
  if (T.isFunctionLike(node) || T.isClassLike(node)) {
    const replaced = T.isFunctionLike(node) ? compileNested(cx, node as ts.FunctionLikeDeclaration, inFunction) : undefined;
    if (replaced) return replaced;
    return closure(cx, node, node, inFunction || !T.isArrowFunction(node), inFunction);
  }
  return undefined;
}

/**
 * A nested function or class: its references to captured locals are rewritten (`this` and
 * `arguments` only inside arrows). One created in an exploded scope whose captured bindings
 * live in an environment record must keep the record of its own iteration:
 * `(($env) => function () { … $env.i … })($env)`.
 * `outerInFunction`: for a class, what its heritage and computed keys see (they run outside it).
 */
function closure(cx: EmitContext, original: ts.Node, node: ts.Node, innerIsFunction: boolean, outerInFunction = innerIsFunction): ts.Node {
  const { T, F, locals } = cx;
  const holders = cx.usage.envBound === 0 ? envHolders(cx, original) : new Set<LocalId>();
  if (holders.size > 0 && !(T.isFunctionExpression(node) || T.isArrowFunction(node) || T.isClassExpression(node) || T.isObjectLiteralExpression(node))) {
    // Only an expression can be wrapped; a declaration would lose its hoisting. (Any record of
    // an exploded block may be replaced while a closure holds it — per iteration, or when the
    // block is entered again — not only a loop's.)
    throw new Unsupported(original, "kept-declaration-captures-env");
  }
  // Inside a wrapped closure the records are its parameters: nothing below needs wrapping again.
  if (holders.size > 0) cx.usage.envBound++;
  const visitChild = (c: ts.Node): ts.Node => {
    if (T.isClassLike(node)) {
      // Heritage and computed member names are evaluated where the class is: `this`, `super`
      // and `arguments` there are the enclosing function's.
      if (T.isHeritageClause(c)) return rewrite(cx, c, outerInFunction);
      const name = (c as ts.NamedDeclaration).name;
      if (name && T.isComputedPropertyName(name)) {
        // A nested async method under a computed key: compiled (its key rewritten with it), or reported.
        const compiled = T.isMethodDeclaration(c) ? compileNested(cx, c, outerInFunction) : undefined;
        if (compiled) return compiled;
        const key = F.updateComputedPropertyName(name, rewrite(cx, name.expression, outerInFunction) as ts.Expression);
        return T.visitEachChild(c, (x) => (x === name ? key : rewrite(cx, x, /*inFunction*/ true)), undefined);
      }
    }
    // A method's or accessor's computed key is evaluated where the method is defined, not in
    // it: `this` and `arguments` there are the enclosing function's.
    if (isFunction && c === (node as ts.NamedDeclaration).name && T.isComputedPropertyName(c)) return rewrite(cx, c, outerInFunction);
    return rewrite(cx, c, innerIsFunction);
  };
  // A function's body declares the key holders of the literals in it.
  const isFunction = T.isFunctionLike(node);
  if (isFunction) cx.usage.keyHolders.push([]);
  let inner = withAsyncMethodShape(T, cx.input.machineNames.runtime, node, T.visitEachChild(node, visitChild, undefined), keyHolders(cx), cx.scopes) as ts.Expression;
  const held = isFunction ? cx.usage.keyHolders.pop()! : [];
  if (held.length > 0) inner = declareKeyHolders(T, inner, held) as ts.Expression;
  if (holders.size === 0) return inner;
  cx.usage.envBound--;
  const params = [...holders].map((h) => F.createParameterDeclaration(undefined, undefined, locals[h].name));
  const arrow = F.createArrowFunction(undefined, undefined, params, undefined, undefined, F.createParenthesizedExpression(inner));
  return F.createCallExpression(
    F.createParenthesizedExpression(arrow),
    undefined,
    [...holders].map((h) => F.createIdentifier(locals[h].name)),
  );
}

/** The environment records (their holder locals) the code under `node` reaches. */
function envHolders(cx: EmitContext, node: ts.Node): Set<LocalId> {
  const holders = new Set<LocalId>();
  const scan = (n: ts.Node): void => {
    if (cx.T.isIdentifier(n)) {
      const local = localOf(cx, n);
      if (local !== undefined && cx.locals[local].storage === LocalStorage.Env) holders.add(cx.locals[local].env!);
      return;
    }
    cx.T.forEachChild(n, scan);
  };
  scan(node);
  return holders;
}

function referencesEnv(cx: EmitContext, node: ts.Node): boolean {
  return envHolders(cx, node).size > 0;
}

/** The name of a function or class (its own `.name`), never a reference to rewrite. */
function isOwnNameOfDeclaration(cx: EmitContext, node: ts.Identifier): boolean {
  const p = node.parent;
  return p !== undefined && (cx.T.isFunctionLike(p) || cx.T.isClassLike(p)) && (p as ts.NamedDeclaration).name === node;
}

/** `arguments` as a value (not a property name or a declaration). */
function isArgumentsReference(cx: EmitContext, node: ts.Identifier): boolean {
  const { T } = cx;
  const p = node.parent;
  if (!p) return true;
  if (T.isPropertyAccessExpression(p) && p.name === node) return false;
  if ((T.isPropertyAssignment(p) || T.isMethodDeclaration(p) || T.isPropertyDeclaration(p)) && p.name === node) return false;
  return true;
}
