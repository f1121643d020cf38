/**
 * Lowers an expression that holds `await`s into ops and suspends, in evaluation order.
 *
 * In:  an expression of the function body and the CFG builder (build-cfg.ts).
 * Out: an expression that computes the rest of the value at the current point of the CFG;
 *      before it, ops that evaluated — once, in source order — everything the source evaluates
 *      before each await, kept in temporaries ("spilled") across the suspension.
 *
 * The rule (TypeScript's generators.ts does the same for `yield`): of the operands of a node,
 * those before the last one that holds an await are evaluated first and spilled, unless the
 * value cannot change meanwhile (a literal, `this`, a local nothing later writes); the one with
 * the await is lowered recursively; those after it are left in place.
 *
 *     [source]  log(a, await f(b), c)
 *     [lowered] $callee = log; $arg = a; .suspend f(b) → $awaited; $am.call($callee, undefined, "log", $arg, $awaited, c)
 *
 * Short-circuits become branches, so an await on the branch not taken never runs:
 *     [source]  x && await y            [lowered] $t = x; branch $t ? rhs : join;  rhs: $t = await y;  join: $t
 *
 * Calls keep their receiver (`o.m(await x)` calls the method read before the await with
 * `this = o`) and report a non-callable callee with the source text, as native does.
 */
import type * as ts from "typescript";
import { containsAwait, skipOuterExpressions } from "../analyze/contains-await";
import { compoundToBinary } from "./operators";

/** IsAnonymousFunctionDefinition: a function, arrow or class expression without a name. */
export function isAnonymousDefinition(T: typeof ts, e: ts.Expression): boolean {
  const x = skipOuterExpressions(T, e);
  return T.isArrowFunction(x) || ((T.isFunctionExpression(x) || T.isClassExpression(x)) && x.name === undefined);
}

/**
 * An anonymous definition placed in a temporary gets the name it would get where it stands
 * (NamedEvaluation), not the temporary's: `({ [key]: f })[key]` names it after `key` (two
 * nodes of the same key), `(0, f)` — no longer an anonymous definition — names it nothing.
 */
export function namedDefinition(T: typeof ts, value: ts.Expression, key: readonly [ts.Expression, ts.Expression] | undefined): ts.Expression {
  const F = T.factory;
  if (key === undefined) return F.createParenthesizedExpression(F.createComma(F.createNumericLiteral(0), value));
  return F.createElementAccessExpression(F.createParenthesizedExpression(F.createObjectLiteralExpression([F.createPropertyAssignment(F.createComputedPropertyName(key[0]), value)])), key[1]);
}

/**
 * The name of `{ x }` rebuilt as `{ x: … }`. A shorthand `__proto__` defines an own property;
 * `__proto__: v` would set the prototype (PropertyDefinitionEvaluation): it gets a computed name.
 */
export function shorthandKey(T: typeof ts, name: ts.Identifier): ts.PropertyName {
  return name.text === "__proto__" ? T.factory.createComputedPropertyName(T.factory.createStringLiteral("__proto__")) : T.factory.createIdentifier(name.text);
}

export interface ExpressionBuilder {
  tsApi: typeof ts;
  /** Suspends on `operand` (already lowered); returns the resume value (valid at the resume block's start). */
  suspend(operand: ts.Expression, at: ts.AwaitExpression): ts.Expression;
  /** Evaluates `value` now into a fresh temporary; returns an identifier for it. */
  toTemp(value: ts.Expression, what: string): ts.Identifier;
  /** Assigns `value` to an existing temporary (identifier from toTemp). */
  assignTemp(temp: ts.Identifier, value: ts.Expression): void;
  /** Runs `expr` now for its effects. */
  emitEffect(expr: ts.Expression): void;
  /** Ends the current block with a branch; returns [then, else, join] marks. */
  branch(test: ts.Expression): { whenTrue(): void; whenFalse(): void; join(): void };
  /** Is `id` a local the machine keeps in a register (its value cannot change unless this code writes it)? */
  isRegisterLocal(id: ts.Identifier): boolean;
  /** `pattern = value` where the pattern holds awaits: taken apart in native order; returns the value. */
  destructureAssignment(pattern: ts.Expression, value: ts.Expression): ts.Expression;
  /** A fresh identifier for the same local as `id` (a node may stand in one place only). */
  reference(id: ts.Identifier): ts.Identifier;
  /** Same binding? (for "does a later operand write this local") */
  sameLocal(a: ts.Identifier, b: ts.Identifier): boolean;
  /** A runtime helper (`$am.name`). */
  runtime(name: string): ts.Expression;
  unsupported(node: ts.Node, reason: string): never;
  sourceText(node: ts.Node): string;
}

export function createExpressionLowering(b: ExpressionBuilder): (expr: ts.Expression) => ts.Expression {
  const T = b.tsApi;
  const F = T.factory;
  const SK = T.SyntaxKind;
  const has = (n: ts.Node | undefined): boolean => n !== undefined && containsAwait(T, n);

  function lower(expr: ts.Expression): ts.Expression {
    if (!has(expr)) return expr;
    const e = skipOuterExpressions(T, expr);
    if (e !== expr) return lower(e);
    if (T.isAwaitExpression(e)) {
      // The resume value stays valid until the next suspend; any operand that must outlive one
      // is spilled by its parent (`sequence`), so it is used directly here.
      return b.suspend(unnamed(lower(e.expression)), e);
    }
    if (isOptionalChain(e)) return lowerOptionalChain(e, "value");
    if (T.isBinaryExpression(e)) return lowerBinary(e);
    if (T.isConditionalExpression(e)) return lowerConditional(e);
    if (T.isCallExpression(e)) return lowerCall(e);
    if (T.isNewExpression(e)) return lowerNew(e);
    if (T.isPropertyAccessExpression(e)) return F.updatePropertyAccessExpression(e, lower(e.expression), e.name);
    if (T.isElementAccessExpression(e)) {
      const [obj, key] = sequence([e.expression, e.argumentExpression]);
      return F.updateElementAccessExpression(e, obj, key);
    }
    if (T.isPrefixUnaryExpression(e)) return F.updatePrefixUnaryExpression(e, lower(e.operand));
    if (T.isTypeOfExpression(e)) return F.updateTypeOfExpression(e, lower(e.expression));
    if (T.isVoidExpression(e)) return F.updateVoidExpression(e, lower(e.expression));
    if (T.isDeleteExpression(e)) {
      const target = skipOuterExpressions(T, e.expression);
      if (isOptionalChain(target)) return lowerOptionalChain(target, "delete");
      if (T.isElementAccessExpression(target)) {
        const [obj, key] = sequence([target.expression, target.argumentExpression]);
        return F.updateDeleteExpression(e, F.updateElementAccessExpression(target, obj, key));
      }
      if (T.isPropertyAccessExpression(target)) return F.updateDeleteExpression(e, F.updatePropertyAccessExpression(target, lower(target.expression), target.name));
      return F.updateDeleteExpression(e, lower(e.expression));
    }
    if (T.isTemplateExpression(e)) {
      // Each substitution goes through ToString as soon as it is evaluated (TemplateLiteral
      // evaluation): one before an await is spilled as its string (a Symbol throws there).
      const subs = e.templateSpans.map((s) => s.expression);
      let last = -1;
      subs.forEach((s, i) => {
        if (has(s)) last = i;
      });
      const spans = subs.map((s, i) => {
        if (i >= last) return i === last ? lower(s) : s;
        const v = lower(s);
        return isPrimitiveLiteral(v) ? v : b.toTemp(F.createTemplateExpression(F.createTemplateHead(""), [F.createTemplateSpan(v, F.createTemplateTail(""))]), "string");
      });
      return F.updateTemplateExpression(e, e.head, e.templateSpans.map((s, i) => F.updateTemplateSpan(s, spans[i], s.literal)));
    }
    if (T.isTaggedTemplateExpression(e)) return lowerTaggedTemplate(e);
    if (T.isArrayLiteralExpression(e)) return F.updateArrayLiteralExpression(e, sequenceElements(e.elements));
    if (T.isObjectLiteralExpression(e)) return lowerObjectLiteral(e);
    if (T.isSpreadElement(e)) return F.updateSpreadElement(e, lower(e.expression));
    if (T.isClassExpression(e)) return lowerClass(e);
    if (T.isJsxElement(e) || T.isJsxSelfClosingElement(e) || T.isJsxFragment(e)) return lowerJsx(e);
    return b.unsupported(e, `\`await\` inside a ${T.SyntaxKind[e.kind]} is not supported yet`);
  }

  /** A property access, element access or call that belongs to an optional chain (`a?.b`, `a?.b.c`, `f?.()`). */
  function isOptionalChain(e: ts.Expression): e is ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression {
    return (T.isPropertyAccessExpression(e) || T.isElementAccessExpression(e) || T.isCallExpression(e)) && (e.flags & T.NodeFlags.OptionalChain) !== 0;
  }

  /**
   * [source]  a?.b.m(await x)
   * [lowered] $chain = void 0; $chain_1 = a; branch $chain_1 == null ? done : rest;
   *           rest: $this = $chain_1.b; $callee = $this.m; .suspend x;
   *                 $chain = $am.call($callee, $this, "a.b.m", $resume);  done: $chain
   * Each `?.` up to the last link that awaits becomes a branch: one that finds null or undefined
   * ends the whole chain with undefined, so nothing after it — awaits included — runs. The links
   * after the last await are rebuilt as a chain of their own on the value reached (`$v?.m()`
   * keeps its `?.` and its receiver).
   *
   * `as`: "value" reads the chain; "delete" deletes its last reference (true when it
   * short-circuits); "callee" splits it into the function and `this` a call uses (`(a?.m)(…)`
   * is a call of `a.m` with `this = a`, or of undefined).
   */
  function lowerOptionalChain(e: ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression, as: "value" | "delete"): ts.Expression;
  function lowerOptionalChain(e: ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression, as: "callee"): { fn: ts.Expression; thisArg: ts.Expression };
  function lowerOptionalChain(e: ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression, as: "value" | "delete" | "callee"): ts.Expression | { fn: ts.Expression; thisArg: ts.Expression } {
    type Link = ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression;
    const links: Link[] = [];
    let base: ts.Expression = e;
    for (;;) {
      if (isOptionalChain(base)) {
        links.unshift(base);
        base = base.expression;
      } else if (T.isNonNullExpression(base) && base.flags & T.NodeFlags.OptionalChain) base = base.expression;
      else break;
    }
    const linkAwaits = (n: Link): boolean => (T.isPropertyAccessExpression(n) ? false : T.isElementAccessExpression(n) ? has(n.argumentExpression) : n.arguments.some(has));
    // Links up to `split` are taken apart; those after it are rebuilt as they are.
    let split = as === "callee" ? links.length - 1 : -1;
    links.forEach((n, i) => {
      if (linkAwaits(n)) split = Math.max(split, i);
    });
    const needsThis = (i: number): boolean => (i + 1 <= split && T.isCallExpression(links[i + 1])) || (i === split && as === "callee");
    // What a short-circuit gives: created at the first branch, assigned at the end.
    let results: ts.Identifier[] | undefined;
    const joins: Array<() => void> = [];
    let cur: ts.Expression;
    let thisArg: ts.Expression = F.createVoidZero();
    let held: ts.Identifier | undefined; // `cur` when it is already in a temporary
    if (split >= 0 && T.isCallExpression(links[0])) {
      // `o.m?.(…)` calls with `this = o`; `super.m?.(…)` with the current `this`.
      ({ fn: cur, thisArg } = calleeAndThis(base, []));
    } else cur = lower(base);
    for (let i = 0; i <= split; i++) {
      const n = links[i];
      if (n.questionDotToken) {
        held = cur === held && held ? held : b.toTemp(cur, "chain");
        results ??= as === "callee" ? [b.toTemp(F.createVoidZero(), "callee"), b.toTemp(F.createVoidZero(), "this")] : [b.toTemp(as === "delete" ? F.createTrue() : F.createVoidZero(), "chain")];
        const br = b.branch(F.createEquality(held, F.createNull()));
        br.whenTrue(); // null or undefined: the chain ends here (the results hold what it gives)
        br.whenFalse();
        joins.push(() => br.join());
        cur = held;
      }
      if (T.isPropertyAccessExpression(n)) {
        if (needsThis(i)) cur = thisArg = cur === held ? cur : b.toTemp(cur, "this");
        cur = F.createPropertyAccessExpression(cur, n.name);
      } else if (T.isElementAccessExpression(n)) {
        if (needsThis(i) || has(n.argumentExpression)) cur = thisArg = cur === held ? cur : b.toTemp(cur, "this");
        cur = F.createElementAccessExpression(cur, lower(n.argumentExpression));
      } else {
        const fn = n.arguments.some(has) && cur !== held ? b.toTemp(cur, "callee") : cur;
        const args = sequenceElements(n.arguments);
        cur = F.createCallExpression(b.runtime("call"), undefined, [fn, thisArg, F.createStringLiteral(calleeText(n.expression)), ...args]);
        thisArg = F.createVoidZero();
      }
    }
    // The rest of the chain, unchanged: a chain again from its first `?.` on.
    let inChain = false;
    for (const n of links.slice(split + 1)) {
      inChain ||= n.questionDotToken !== undefined;
      if (T.isPropertyAccessExpression(n)) cur = inChain ? F.createPropertyAccessChain(cur, n.questionDotToken, n.name) : F.createPropertyAccessExpression(cur, n.name);
      else if (T.isElementAccessExpression(n)) cur = inChain ? F.createElementAccessChain(cur, n.questionDotToken, n.argumentExpression) : F.createElementAccessExpression(cur, n.argumentExpression);
      else cur = inChain ? F.createCallChain(cur, n.questionDotToken, n.typeArguments, n.arguments) : F.createCallExpression(cur, n.typeArguments, n.arguments);
    }
    if (as === "callee") {
      if (!results) return { fn: cur, thisArg };
      b.assignTemp(results[0], cur);
      b.assignTemp(results[1], thisArg);
    } else {
      const value = as === "delete" ? F.createDeleteExpression(cur) : cur;
      if (!results) return value;
      b.assignTemp(results[0], value);
    }
    for (let i = joins.length - 1; i >= 0; i--) joins[i]();
    return as === "callee" ? { fn: results[0], thisArg: results[1] } : results[0];
  }

  /** Lowers operands evaluated in order; those before the last await are spilled. */
  function sequence(operands: readonly ts.Expression[]): ts.Expression[] {
    let last = -1;
    operands.forEach((o, i) => {
      if (has(o)) last = i;
    });
    return operands.map((o, i) => {
      if (i > last) return o;
      const lowered = lower(o);
      if (i === last) return lowered;
      return stable(lowered, operands.slice(i + 1, last + 1)) ? lowered : spill(lowered, "operand");
    });
  }

  /**
   * Elements of an array literal or call arguments: a spread before an await is copied out then,
   * and spread again through `$am.spilled` (not iterated a second time).
   */
  function sequenceElements(elements: readonly ts.Expression[]): ts.Expression[] {
    let last = -1;
    elements.forEach((o, i) => {
      if (has(o)) last = i;
    });
    return elements.map((el, i) => {
      if (i > last) return el;
      if (T.isSpreadElement(el)) {
        const inner = lower(el.expression);
        if (i === last) return F.updateSpreadElement(el, inner);
        const values = b.toTemp(F.createArrayLiteralExpression([F.createSpreadElement(inner)]), "spread");
        return F.updateSpreadElement(el, F.createCallExpression(b.runtime("spilled"), undefined, [values]));
      }
      if (T.isOmittedExpression(el)) return el;
      const lowered = lower(el);
      if (i === last) return lowered;
      return stable(lowered, elements.slice(i + 1, last + 1)) ? lowered : spill(lowered, "operand");
    });
  }

  /**
   * `b.toTemp` for a value that may be an anonymous function or class: assigned to the temporary
   * as it is, it would take the temporary's name (NamedEvaluation).
   */
  function spill(value: ts.Expression, what: string): ts.Identifier {
    return b.toTemp(unnamed(value), what);
  }
  function unnamed(value: ts.Expression): ts.Expression {
    return isAnonymousDefinition(T, value) ? namedDefinition(T, value, undefined) : value;
  }
  /** Can evaluating `e` later give another value (or effect) than evaluating it now? */
  function stable(e: ts.Expression, later: readonly ts.Node[]): boolean {
    const x = skipOuterExpressions(T, e);
    if (T.isLiteralExpression(x) || T.isNoSubstitutionTemplateLiteral(x)) return !T.isRegularExpressionLiteral(x);
    switch (x.kind) {
      case SK.TrueKeyword:
      case SK.FalseKeyword:
      case SK.NullKeyword:
      case SK.ThisKeyword:
      case SK.SuperKeyword: // `super[k]` looks its base up after the key (MakeSuperPropertyReference)
      case SK.PrivateIdentifier: // `#x in o`: a name, not a value (it cannot be held in a temporary)
        return true;
    }
    if (T.isIdentifier(x)) return b.isRegisterLocal(x) && !later.some((n) => writes(n, x));
    if (T.isArrowFunction(x) || T.isFunctionExpression(x)) return true;
    if (T.isClassExpression(x)) return !definitionRunsCode(x);
    return false;
  }
  /**
   * Does ClassDefinitionEvaluation run code of the program: a heritage expression, decorators,
   * computed keys, static initializers or blocks? If not, the class is a fresh object built
   * the same now or later.
   */
  function definitionRunsCode(c: ts.ClassExpression): boolean {
    const isStatic = (m: ts.ClassElement): boolean => T.canHaveModifiers(m) && (T.getModifiers(m) ?? []).some((mod) => mod.kind === SK.StaticKeyword);
    let decorated = false;
    const findDecorator = (n: ts.Node): void => {
      if (T.isDecorator(n)) decorated = true;
      else if (!decorated && !T.isBlock(n) && !T.isExpression(n)) T.forEachChild(n, findDecorator);
    };
    T.forEachChild(c, findDecorator);
    return (
      decorated ||
      c.heritageClauses?.some((h) => h.token === SK.ExtendsKeyword) === true ||
      c.members.some((m) => (m.name !== undefined && T.isComputedPropertyName(m.name)) || T.isClassStaticBlockDeclaration(m) || (T.isPropertyDeclaration(m) && m.initializer !== undefined && isStatic(m)))
    );
  }
  /** A string or number literal: converting it (ToString, ToPropertyKey) runs no code. */
  function isPrimitiveLiteral(e: ts.Expression): boolean {
    const x = skipOuterExpressions(T, e);
    return T.isStringLiteral(x) || T.isNumericLiteral(x) || T.isNoSubstitutionTemplateLiteral(x);
  }
  function writes(node: ts.Node, id: ts.Identifier): boolean {
    let found = false;
    const walk = (n: ts.Node): void => {
      if (found) return;
      if (T.isBinaryExpression(n) && n.operatorToken.kind >= SK.FirstAssignment && n.operatorToken.kind <= SK.LastAssignment) {
        const target = skipOuterExpressions(T, n.left);
        if (T.isIdentifier(target) && b.sameLocal(target, id)) found = true;
        if (T.isObjectLiteralExpression(target) || T.isArrayLiteralExpression(target)) found = true;
      }
      if ((T.isPrefixUnaryExpression(n) || T.isPostfixUnaryExpression(n)) && (n.operator === SK.PlusPlusToken || n.operator === SK.MinusMinusToken)) {
        const target = skipOuterExpressions(T, n.operand);
        if (T.isIdentifier(target) && b.sameLocal(target, id)) found = true;
      }
      T.forEachChild(n, walk);
    };
    walk(node);
    return found;
  }

  // ---------------------------------------------------------------- operators

  function lowerBinary(e: ts.BinaryExpression): ts.Expression {
    const op = e.operatorToken.kind;
    if (op >= SK.FirstAssignment && op <= SK.LastAssignment) return lowerAssignment(e);
    if (op === SK.CommaToken) {
      const left = lower(e.left);
      b.emitEffect(left);
      return lower(e.right);
    }
    if ((op === SK.AmpersandAmpersandToken || op === SK.BarBarToken || op === SK.QuestionQuestionToken) && has(e.right)) {
      // [lowered] $t = left; branch (test $t) ? rhs : join;  rhs: $t = right;  join: $t
      const t = spill(lower(e.left), "logical");
      const test = op === SK.AmpersandAmpersandToken ? t : op === SK.BarBarToken ? F.createLogicalNot(t) : F.createEquality(t, F.createNull());
      const br = b.branch(test);
      br.whenTrue();
      b.assignTemp(t, unnamed(lower(e.right)));
      br.join();
      return t;
    }
    const [left, right] = sequence([e.left, e.right]);
    return F.updateBinaryExpression(e, left, e.operatorToken, right);
  }

  function lowerConditional(e: ts.ConditionalExpression): ts.Expression {
    const test = lower(e.condition);
    if (!has(e.whenTrue) && !has(e.whenFalse)) return F.updateConditionalExpression(e, test, e.questionToken, e.whenTrue, e.colonToken, e.whenFalse);
    // [lowered] branch test ? a : b;  a: $t = whenTrue; goto join;  b: $t = whenFalse;  join: $t
    const br = b.branch(test);
    br.whenTrue();
    const t = spill(lower(e.whenTrue), "conditional");
    br.whenFalse();
    b.assignTemp(t, unnamed(lower(e.whenFalse)));
    br.join();
    return t;
  }

  /**
   * [source]  x = await y;  o.p += await y;  a ||= await b
   * The reference (object, key) is evaluated before the right side; a compound assignment reads
   * the old value before it too; a logical assignment evaluates the right side only if needed.
   */
  function lowerAssignment(e: ts.BinaryExpression): ts.Expression {
    const op = e.operatorToken.kind;
    const left = skipOuterExpressions(T, e.left);
    if (T.isObjectLiteralExpression(left) || T.isArrayLiteralExpression(left)) {
      if (has(left)) {
        if (op !== SK.EqualsToken) b.unsupported(left, "a compound assignment to a pattern");
        return b.destructureAssignment(left, lower(e.right));
      }
      return F.updateBinaryExpression(e, e.left, e.operatorToken, lower(e.right));
    }
    let target: ts.Expression;
    if (T.isIdentifier(left)) target = left;
    else if (T.isPropertyAccessExpression(left)) {
      target = left.expression.kind === SK.SuperKeyword ? left : F.updatePropertyAccessExpression(left, spillAlways(lower(left.expression), e.right, "object"), left.name);
    } else if (T.isElementAccessExpression(left)) {
      const obj = left.expression.kind === SK.SuperKeyword ? left.expression : spillAlways(lower(left.expression), e.right, "object");
      target = F.updateElementAccessExpression(left, obj, spillAlways(lower(left.argumentExpression), e.right, "key"));
    } else return b.unsupported(left, "`await` in an assignment to this kind of target is not supported yet");
    if (op === SK.EqualsToken) return F.createAssignment(target, lower(e.right));
    // The old value is read before the right side; a local nothing else can change while the
    // machine waits (a register not written by the right side) can be read after it instead.
    const logical = op === SK.AmpersandAmpersandEqualsToken || op === SK.BarBarEqualsToken || op === SK.QuestionQuestionEqualsToken;
    const old = !logical && T.isIdentifier(target) && stable(target, [e.right]) ? b.reference(target) : b.toTemp(target, "left");
    if (logical) {
      const test = op === SK.AmpersandAmpersandEqualsToken ? old : op === SK.BarBarEqualsToken ? F.createLogicalNot(old) : F.createEquality(old, F.createNull());
      const br = b.branch(test);
      br.whenTrue();
      const right = lower(e.right);
      // An anonymous function or class is named after an identifier target (NamedEvaluation),
      // not after the temporary: `$left = (x = v)`; a member target names nothing.
      if (T.isIdentifier(target) && isAnonymousDefinition(T, right)) b.assignTemp(old, F.createAssignment(target, right));
      else {
        b.assignTemp(old, unnamed(right));
        b.emitEffect(F.createAssignment(target, old));
      }
      br.join();
      return old;
    }
    return F.createAssignment(target, F.createBinaryExpression(old, compoundToBinary(T, op), lower(e.right)));
  }
  function spillAlways(e: ts.Expression, later: ts.Node, what: string): ts.Expression {
    return stable(e, [later]) ? e : spill(e, what);
  }

  // ---------------------------------------------------------------- calls

  /** Callee value and `this`, evaluated now (before any argument), as native does. */
  function calleeAndThis(callee: ts.Expression, later: readonly ts.Node[]): { fn: ts.Expression; thisArg: ts.Expression } {
    const c = skipOuterExpressions(T, callee);
    if (isOptionalChain(c)) return lowerOptionalChain(c, "callee");
    if (T.isPropertyAccessExpression(c) || T.isElementAccessExpression(c)) {
      if (c.expression.kind === SK.SuperKeyword) {
        const key = T.isElementAccessExpression(c) ? b.toTemp(lower(c.argumentExpression), "key") : undefined;
        const fn = b.toTemp(key ? F.createElementAccessExpression(c.expression, key) : c, "callee");
        return { fn, thisArg: F.createThis() };
      }
      const receiver = spill(lower(c.expression), "receiver");
      const member = T.isPropertyAccessExpression(c) ? F.createPropertyAccessExpression(receiver, c.name) : F.createElementAccessExpression(receiver, lower(c.argumentExpression));
      return { fn: b.toTemp(member, "callee"), thisArg: receiver };
    }
    const fn = lower(callee);
    return { fn: stable(fn, later) ? fn : spill(fn, "callee"), thisArg: F.createVoidZero() };
  }

  function lowerCall(e: ts.CallExpression): ts.Expression {
    if (e.expression.kind === SK.SuperKeyword) b.unsupported(e, "`await` in the arguments of `super(…)` is not supported");
    if (T.isIdentifier(e.expression) && e.expression.text === "eval") b.unsupported(e, "direct `eval`");
    const { fn, thisArg } = calleeAndThis(e.expression, e.arguments);
    const args = sequenceElements(e.arguments);
    return F.createCallExpression(b.runtime("call"), undefined, [fn, thisArg, F.createStringLiteral(calleeText(e.expression)), ...args]);
  }
  /** A callee with an await inside keeps its member form, so `this` is still its object. */
  function lowerCallee(callee: ts.Expression): ts.Expression {
    const c = skipOuterExpressions(T, callee);
    if (T.isPropertyAccessExpression(c)) return F.updatePropertyAccessExpression(c, lower(c.expression), c.name);
    if (T.isElementAccessExpression(c)) {
      const [obj, key] = sequence([c.expression, c.argumentExpression]);
      return F.updateElementAccessExpression(c, obj, key);
    }
    return lower(callee);
  }

  function lowerNew(e: ts.NewExpression): ts.Expression {
    const args = e.arguments ?? F.createNodeArray<ts.Expression>();
    const ctor = lower(e.expression);
    const target = stable(ctor, args) ? ctor : spill(ctor, "constructor");
    return F.createCallExpression(b.runtime("construct"), undefined, [target, F.createStringLiteral(calleeText(e.expression)), ...sequenceElements(args)]);
  }

  /**
   * [source]  tag`a${await x}b`
   * [lowered] $callee = tag; .suspend x; $am.call($callee, undefined, "tag", $am.strings`a${0}b`, $awaited)
   * The strings object comes from a tagged template of its own at the same place in the output,
   * so it is one object per site, frozen, with `raw` — as native.
   */
  /**
   * [source]  <Card title={t} note={await n}>{a}<i/>{await b}</Card>
   * [lowered] $operand = Card; $operand_1 = t; .suspend n → r1; $attr = r1; $operand_2 = a;
   *           $operand_3 = <i/>; .suspend b → r2; <$operand title={$operand_1} note={$attr}>{$operand_2}{$operand_3}{r2}</$operand>
   * An element evaluates its tag (unless intrinsic), its attributes, then its children, in source
   * order — `createElement(tag, props, ...children)`, and the automatic runtime's `jsx(tag, props)`
   * alike, except that the latter evaluates `key` last: an element whose `key` is evaluated
   * before an await that follows it is left native.
   */
  function lowerJsx(e: ts.JsxElement | ts.JsxSelfClosingElement | ts.JsxFragment): ts.Expression {
    const opening = T.isJsxElement(e) ? e.openingElement : T.isJsxSelfClosingElement(e) ? e : undefined;
    const operands: ts.Expression[] = [];
    const tagIndex = opening && isValueTag(opening.tagName) ? operands.push(opening.tagName as ts.Expression) - 1 : -1;
    let keyIndex = -1;
    const attrIndex = (opening?.attributes.properties ?? []).map((p) => {
      const value = T.isJsxSpreadAttribute(p) ? p.expression : p.initializer && T.isJsxExpression(p.initializer) ? p.initializer.expression : p.initializer && !T.isStringLiteral(p.initializer) ? (p.initializer as ts.Expression) : undefined;
      if (value === undefined) return -1;
      if (T.isJsxAttribute(p) && T.isIdentifier(p.name) && p.name.text === "key" && !isPrimitiveLiteral(value)) keyIndex = operands.length;
      return operands.push(value) - 1;
    });
    const children = T.isJsxSelfClosingElement(e) ? [] : e.children;
    const childIndex = children.map((c) => (T.isJsxText(c) ? -1 : T.isJsxExpression(c) ? (c.expression ? operands.push(c.expression) - 1 : -1) : operands.push(c) - 1));
    let last = -1;
    operands.forEach((o, i) => {
      if (has(o)) last = i;
    });
    if (keyIndex >= 0 && keyIndex <= last) b.unsupported(e, "an `await` in a JSX element at or after its `key` attribute is not supported yet (the automatic JSX runtime evaluates `key` last)");
    const values = sequence(operands);
    /** A value where JSX wants an element or `{…}`: an element stays, anything else is wrapped. */
    const jsxValue = (v: ts.Expression): ts.JsxElement | ts.JsxSelfClosingElement | ts.JsxFragment | ts.JsxExpression =>
      T.isJsxElement(v) || T.isJsxSelfClosingElement(v) || T.isJsxFragment(v) ? v : F.createJsxExpression(undefined, v);
    const newChildren = children.map((c, i): ts.JsxChild => {
      const k = childIndex[i];
      if (k < 0) return c;
      return T.isJsxExpression(c) ? F.updateJsxExpression(c, values[k]) : jsxValue(values[k]);
    });
    if (T.isJsxFragment(e)) return F.updateJsxFragment(e, e.openingFragment, newChildren, e.closingFragment);
    const o = opening!;
    const tag = tagIndex >= 0 ? (values[tagIndex] as ts.JsxTagNameExpression) : o.tagName;
    const attributes = F.updateJsxAttributes(o.attributes, o.attributes.properties.map((p, i) => {
      const k = attrIndex[i];
      if (k < 0) return p;
      if (T.isJsxSpreadAttribute(p)) return F.updateJsxSpreadAttribute(p, values[k]);
      return F.updateJsxAttribute(p, p.name, T.isJsxExpression(p.initializer!) ? F.updateJsxExpression(p.initializer, values[k]) : jsxValue(values[k]));
    }));
    if (T.isJsxSelfClosingElement(e)) return F.updateJsxSelfClosingElement(e, tag, e.typeArguments, attributes);
    // The closing tag names the same value: a spilled tag gets a second reference to its temporary.
    const closingTag = tag === o.tagName ? e.closingElement.tagName : (b.reference(tag as ts.Identifier) as ts.JsxTagNameExpression);
    return F.updateJsxElement(e, F.updateJsxOpeningElement(e.openingElement, tag, o.typeArguments, attributes), newChildren, F.updateJsxClosingElement(e.closingElement, closingTag));
  }
  /** A tag that is a value (a component), not an intrinsic element name (`div`, `my-el`, `svg:rect`). */
  function isValueTag(tag: ts.JsxTagNameExpression): boolean {
    if (T.isJsxNamespacedName(tag)) return false;
    if (T.isIdentifier(tag)) return !/^[a-z]/.test(tag.text) && !tag.text.includes("-");
    return true;
  }

  function lowerTaggedTemplate(e: ts.TaggedTemplateExpression): ts.Expression {
    const template = e.template;
    const subs = T.isNoSubstitutionTemplateLiteral(template) ? [] : template.templateSpans.map((s) => s.expression);
    // A tag that is an optional chain (`(o?.f)\`…\``) is split into function and `this` too.
    if (!subs.some(has) && !isOptionalChain(skipOuterExpressions(T, e.tag))) {
      return F.updateTaggedTemplateExpression(e, lowerCallee(e.tag), e.typeArguments, template);
    }
    const { fn, thisArg } = calleeAndThis(e.tag, subs);
    const strings = F.createTaggedTemplateExpression(
      b.runtime("strings"),
      undefined,
      T.isNoSubstitutionTemplateLiteral(template)
        ? F.createNoSubstitutionTemplateLiteral(template.text, template.rawText)
        : F.createTemplateExpression(template.head, template.templateSpans.map((s) => F.createTemplateSpan(F.createNumericLiteral(0), s.literal))),
    );
    return F.createCallExpression(b.runtime("call"), undefined, [fn, thisArg, F.createStringLiteral(calleeText(e.tag)), strings, ...sequence(subs)]);
  }
  function lowerObjectLiteral(e: ts.ObjectLiteralExpression): ts.Expression {
    // The operands are property values, computed keys and spread sources, in order.
    const props = e.properties;
    let last = -1;
    props.forEach((p, i) => {
      if (has(p)) last = i;
    });
    const out = props.map((p, i): ts.ObjectLiteralElementLike => {
      if (i > last) return p;
      const isLast = i === last;
      const keep = (x: ts.Expression, later: readonly ts.Node[]): ts.Expression => (isLast || stable(x, later) ? x : spill(x, "operand"));
      const rest = props.slice(i + 1, last + 1);
      // A computed key is evaluated before its own value: spilled if the value awaits.
      const key = (name: ts.PropertyName): ts.PropertyName => {
        if (!T.isComputedPropertyName(name)) return name;
        const valueAwaits = T.isPropertyAssignment(p) && has(p.initializer);
        const k = lower(name.expression);
        if ((isLast && !valueAwaits) || isPrimitiveLiteral(k)) return F.updateComputedPropertyName(name, k);
        // ToPropertyKey runs as the key is evaluated (PropertyDefinitionEvaluation), before the value.
        return F.updateComputedPropertyName(name, b.toTemp(F.createCallExpression(b.runtime("toPropertyKey"), undefined, [k]), "key"));
      };
      if (T.isPropertyAssignment(p)) {
        const k = key(p.name);
        const value = lower(p.initializer);
        if (isLast || stable(value, rest) || !isAnonymousDefinition(T, value)) return F.updatePropertyAssignment(p, k, keep(value, rest));
        // An anonymous function or class is named after its key (NamedEvaluation; not by
        // `__proto__: v`): spilled as `({ [key]: value })[key]`, it gets the same name.
        const keyValue = (): ts.Expression | undefined => {
          if (T.isComputedPropertyName(k)) return T.isIdentifier(k.expression) ? b.reference(k.expression) : isPrimitiveLiteral(k.expression) ? k.expression : undefined;
          if (T.isIdentifier(k) || T.isStringLiteral(k)) return k.text === "__proto__" ? undefined : F.createStringLiteral(k.text);
          return T.isNumericLiteral(k) ? F.createNumericLiteral(k.text) : undefined;
        };
        const [k1, k2] = [keyValue(), keyValue()];
        const named = k1 && k2 ? namedDefinition(T, value, [k1, k2]) : unnamed(value);
        return F.updatePropertyAssignment(p, k, b.toTemp(named, "operand"));
      }
      if (T.isShorthandPropertyAssignment(p)) {
        if (isLast) return p;
        return F.createPropertyAssignment(shorthandKey(T, p.name), keep(p.name, rest));
      }
      if (T.isSpreadAssignment(p)) {
        const src = lower(p.expression);
        return F.updateSpreadAssignment(p, isLast ? src : b.toTemp(F.createObjectLiteralExpression([F.createSpreadAssignment(src)]), "spread"));
      }
      if ((T.isMethodDeclaration(p) || T.isGetAccessorDeclaration(p) || T.isSetAccessorDeclaration(p)) && T.isComputedPropertyName(p.name)) {
        if (T.isMethodDeclaration(p)) return F.updateMethodDeclaration(p, p.modifiers, p.asteriskToken, key(p.name), p.questionToken, p.typeParameters, p.parameters, p.type, p.body);
        if (T.isGetAccessorDeclaration(p)) return F.updateGetAccessorDeclaration(p, p.modifiers, key(p.name), p.parameters, p.type, p.body);
        return F.updateSetAccessorDeclaration(p, p.modifiers, key(p.name), p.parameters, p.body);
      }
      return p;
    });
    return F.updateObjectLiteralExpression(e, out);
  }

  /**
   * [source]  class extends (await base()) { [await key()]() {} }
   * [lowered] heritage and computed keys evaluated in order (keys through ToPropertyKey, as the
   *           class definition does), spilled; the class is then built from the temporaries.
   */
  function lowerClass(e: ts.ClassExpression): ts.Expression {
    const heritage = e.heritageClauses?.find((h) => h.token === SK.ExtendsKeyword);
    const operands: ts.Node[] = [...(heritage ? heritage.types.map((t) => t.expression) : []), ...e.members.map((m) => (m.name && T.isComputedPropertyName(m.name) ? m.name.expression : undefined)).filter((x): x is ts.Expression => x !== undefined)];
    for (const m of e.members) if (has(m) && !(m.name && T.isComputedPropertyName(m.name) && has(m.name))) b.unsupported(m, "`await` inside a class member is not allowed here");
    let last = -1;
    operands.forEach((o, i) => {
      if (has(o)) last = i;
    });
    // The heritage and keys run inside the class's scope, where its own name is in its dead zone
    // (ClassDefinitionEvaluation); those evaluated before an await move out of it. (A class
    // declaration, lowered to a synthesized expression, has its keys' reads of the name mapped to
    // a dead-zone local by build-cfg.)
    const ownName = e.flags & T.NodeFlags.Synthesized ? undefined : e.name?.text;
    if (ownName !== undefined && operands.slice(0, last + 1).some((o) => mentions(o, ownName))) {
      b.unsupported(e, `a computed key or \`extends\` before an \`await\` that reads the class's own name \`${ownName}\` is not supported yet`);
    }
    let index = 0;
    const next = (x: ts.Expression, isKey: boolean): ts.Expression => {
      const i = index++;
      if (i > last) return x;
      const lowered = lower(x);
      if (i === last && !isKey) return lowered;
      return isKey ? b.toTemp(F.createCallExpression(b.runtime("toPropertyKey"), undefined, [lowered]), "key") : spill(lowered, "heritage");
    };
    const heritageClauses = e.heritageClauses?.map((h) =>
      h.token === SK.ExtendsKeyword ? F.updateHeritageClause(h, h.types.map((t) => F.updateExpressionWithTypeArguments(t, next(t.expression, false), t.typeArguments))) : h,
    );
    const members = e.members.map((m) => {
      if (!(m.name && T.isComputedPropertyName(m.name))) return m;
      const name = F.updateComputedPropertyName(m.name, next(m.name.expression, true));
      if (T.isMethodDeclaration(m)) return F.updateMethodDeclaration(m, m.modifiers, m.asteriskToken, name, m.questionToken, m.typeParameters, m.parameters, m.type, m.body);
      if (T.isPropertyDeclaration(m)) return F.updatePropertyDeclaration(m, m.modifiers, name, m.questionToken ?? m.exclamationToken, m.type, m.initializer);
      if (T.isGetAccessorDeclaration(m)) return F.updateGetAccessorDeclaration(m, m.modifiers, name, m.parameters, m.type, m.body);
      if (T.isSetAccessorDeclaration(m)) return F.updateSetAccessorDeclaration(m, m.modifiers, name, m.parameters, m.body);
      return m;
    });
    return F.updateClassExpression(e, e.modifiers, e.name, e.typeParameters, heritageClauses, members);
  }

  /** Does `node` hold a reference-like identifier `name` (not a property name)? */
  function mentions(node: ts.Node, name: string): boolean {
    if (T.isIdentifier(node)) return node.text === name && !((T.isPropertyAccessExpression(node.parent) || T.isPropertyAssignment(node.parent) || T.isMethodDeclaration(node.parent) || T.isPropertyDeclaration(node.parent)) && node.parent.name === node);
    return T.forEachChild(node, (c) => (mentions(c, name) ? true : undefined)) === true;
  }

  /** What V8 prints for a callee that is not a function (`o.m is not a function`). */
  function calleeText(callee: ts.Expression): string {
    const c = skipOuterExpressions(T, callee);
    const simple = (n: ts.Expression): string | undefined => {
      if (T.isIdentifier(n)) return n.text;
      if (n.kind === SK.ThisKeyword) return "this";
      if (n.kind === SK.SuperKeyword) return "super";
      if (T.isPropertyAccessExpression(n)) {
        const base = simple(n.expression);
        return base === undefined ? undefined : `${base}.${n.name.text}`;
      }
      return undefined;
    };
    return simple(c) ?? (T.isPropertyAccessExpression(c) ? `(intermediate value).${c.name.text}` : "(intermediate value)");
  }

  return lower;
}

