/**
 * Calls, `new`, tagged templates and optional chains with awaits: the callee and `this` are
 * read before the arguments (`o.m(await x)` calls the method read first, with `this = o`), a
 * non-callable callee is reported with the source text as native does, and a `?.` that finds
 * null or undefined skips the rest of its chain, awaits included.
 */
import type * as ts from "typescript";
import { skipOuterExpressions } from "../../analyze/contains-await";
import { callPosition } from "../../syntax";
import type { ExpressionLowering } from "./builder";
import { sequence, sequenceElements, spill, stable } from "./operands";
import { calleeText } from "./source-text";

export function isOptionalChain(cx: ExpressionLowering, e: ts.Expression): e is ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression {
  const { T } = cx;
  return (T.isPropertyAccessExpression(e) || T.isElementAccessExpression(e) || T.isCallExpression(e)) && (e.flags & T.NodeFlags.OptionalChain) !== 0;
}

/**
 * [source]  a?.b.m(await x)
 * [lowered] $chain = void 0; $chain_1 = a; branch $chain_1 == null ? done : rest;
 *           rest: $this = $chain_1.b; $callee = $this.m; .suspend x;
 *                 $chain = $am.reflectApply($callee, $this, $am.callArgs($callee, "a.b.m", [$resume]));  done: $chain
 * Each `?.` up to the last link that awaits becomes a branch: one that finds null or undefined
 * ends the whole chain with undefined, so nothing after it — awaits included — runs. The links
 * after the last await and the last call are rebuilt as a chain of their own on the value
 * reached (`$v?.p.q` keeps its `?.`).
 *
 * `as`: "value" reads the chain; "delete" deletes its last reference (true when it
 * short-circuits); "callee" splits it into the function and `this` a call uses (`(a?.m)(…)`
 * is a call of `a.m` with `this = a`, or of undefined).
 */
export function lowerOptionalChain(cx: ExpressionLowering, e: ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression, as: "value" | "delete"): ts.Expression;
export function lowerOptionalChain(
  cx: ExpressionLowering,
  e: ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression,
  as: "callee",
): { fn: ts.Expression; thisArg: ts.Expression };
export function lowerOptionalChain(
  cx: ExpressionLowering,
  e: ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression,
  as: "value" | "delete" | "callee",
): ts.Expression | { fn: ts.Expression; thisArg: ts.Expression } {
  const { T, F, b } = cx;
  type Link = ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression;
  const links: Link[] = [];
  let base: ts.Expression = e;
  for (;;) {
    if (isOptionalChain(cx, base)) {
      links.unshift(base);
      base = base.expression;
    } else if (T.isNonNullExpression(base) && base.flags & T.NodeFlags.OptionalChain) base = base.expression;
    else break;
  }
  const linkAwaits = (n: Link): boolean => (T.isPropertyAccessExpression(n) ? false : T.isElementAccessExpression(n) ? cx.has(n.argumentExpression) : n.arguments.some(cx.has));
  // Links up to `split` are taken apart; those after it are rebuilt as they are.
  let split = as === "callee" ? links.length - 1 : -1;
  // A call is taken apart too (a checked call): rebuilt on the value reached, a failing one
  // would name the temporary (`$v?.()`: "$v is not a function"), not `(intermediate value)`.
  links.forEach((n, i) => {
    if (linkAwaits(n) || T.isCallExpression(n)) split = Math.max(split, i);
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
    ({ fn: cur, thisArg } = calleeAndThis(cx, base, []));
  } else cur = cx.lower(base);
  for (let i = 0; i <= split; i++) {
    const n = links[i];
    if (n.questionDotToken) {
      held = cur === held && held ? held : b.toTemp(cur, "chain");
      results ??=
        as === "callee"
          ? [b.toTemp(F.createVoidZero(), "callee"), b.toTemp(F.createVoidZero(), "this")]
          : [b.toTemp(as === "delete" ? F.createTrue() : F.createVoidZero(), "chain")];
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
      if (needsThis(i) || cx.has(n.argumentExpression)) cur = thisArg = cur === held ? cur : b.toTemp(cur, "this");
      cur = F.createElementAccessExpression(cur, cx.lower(n.argumentExpression));
    } else {
      const fn = n.arguments.some(cx.has) && cur !== held ? b.toTemp(cur, "callee") : cur;
      const args = sequenceElements(cx, n.arguments, "arguments");
      cur = checkedCall(cx, fn, thisArg, calleeText(T, n.expression), args, n);
      thisArg = F.createVoidZero();
    }
  }
  // The rest of the chain, unchanged: a chain again from its first `?.` on.
  let inChain = false;
  for (const n of links.slice(split + 1)) {
    inChain ||= n.questionDotToken !== undefined;
    if (T.isPropertyAccessExpression(n)) cur = inChain ? F.createPropertyAccessChain(cur, n.questionDotToken, n.name) : F.createPropertyAccessExpression(cur, n.name);
    else if (T.isElementAccessExpression(n))
      cur = inChain ? F.createElementAccessChain(cur, n.questionDotToken, n.argumentExpression) : F.createElementAccessExpression(cur, n.argumentExpression);
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
// ---------------------------------------------------------------- calls

/** Callee value and `this`, evaluated now (before any argument), as native does. */
export function calleeAndThis(cx: ExpressionLowering, callee: ts.Expression, later: readonly ts.Node[]): { fn: ts.Expression; thisArg: ts.Expression } {
  const { T, F, SK, b } = cx;
  const c = skipOuterExpressions(T, callee);
  if (isOptionalChain(cx, c)) return lowerOptionalChain(cx, c, "callee");
  if (T.isPropertyAccessExpression(c) || T.isElementAccessExpression(c)) {
    if (c.expression.kind === SK.SuperKeyword) {
      const key = T.isElementAccessExpression(c) ? b.toTemp(cx.lower(c.argumentExpression), "key") : undefined;
      const fn = b.toTemp(key ? F.createElementAccessExpression(c.expression, key) : c, "callee");
      return { fn, thisArg: F.createThis() };
    }
    const receiver = spill(cx, cx.lower(c.expression), "receiver");
    const member = T.isPropertyAccessExpression(c) ? F.createPropertyAccessExpression(receiver, c.name) : F.createElementAccessExpression(receiver, cx.lower(c.argumentExpression));
    return { fn: b.toTemp(member, "callee"), thisArg: receiver };
  }
  const fn = cx.lower(callee);
  return { fn: stable(cx, fn, later) ? fn : spill(cx, fn, "callee"), thisArg: F.createVoidZero() };
}

export function lowerCall(cx: ExpressionLowering, e: ts.CallExpression): ts.Expression {
  const { T, F, SK, b } = cx;
  if (e.expression.kind === SK.SuperKeyword) b.unsupported(e, "await-in-super-arguments");
  // checkSupported leaves every function that calls `eval` by that name native.
  if (T.isIdentifier(e.expression) && e.expression.text === "eval") b.internalError(e, "direct `eval` reached the lowering");
  const { fn, thisArg } = calleeAndThis(cx, e.expression, e.arguments);
  const args = sequenceElements(cx, e.arguments, "arguments");
  return checkedCall(cx, fn, thisArg, calleeText(T, e.expression), args, e);
}

/**
 * [lowered] $am.reflectApply($callee, $this, $am.callArgs($callee, "o.m", [a, $awaited]))
 * The callee is checked after the arguments are evaluated (a non-callable one fails with
 * native's message, naming `text`), then called through Reflect.apply, which leaves no frame of
 * its own: a stack trace taken inside the callee goes straight to the caller, as native's does.
 * The callee is named twice, so it is held in a temporary unless it is a plain name.
 */
function checkedCall(
  cx: ExpressionLowering,
  fn: ts.Expression,
  thisArg: ts.Expression,
  text: string,
  args: readonly ts.Expression[],
  at: ts.CallExpression | ts.TaggedTemplateExpression,
): ts.Expression {
  const { T, F, b } = cx;
  const callee = T.isIdentifier(fn) ? fn : b.toTemp(fn, "callee");
  const list = F.createCallExpression(b.runtime("callArgs"), undefined, [callee, F.createStringLiteral(text), F.createArrayLiteralExpression([...args])]);
  // Maps to the call as V8 places it (the method's name in `o.m(…)`), so a stack frame there reads native's line and column.
  return T.setSourceMapRange(F.createCallExpression(b.runtime("reflectApply"), undefined, [callee, thisArg, list]), { pos: callPosition(T, at), end: at.end });
}
/** A callee with an await inside keeps its member form, so `this` is still its object. */
export function lowerCallee(cx: ExpressionLowering, callee: ts.Expression): ts.Expression {
  const { T, F } = cx;
  const c = skipOuterExpressions(T, callee);
  if (T.isPropertyAccessExpression(c)) return F.updatePropertyAccessExpression(c, cx.lower(c.expression), c.name);
  if (T.isElementAccessExpression(c)) {
    const [obj, key] = sequence(cx, [c.expression, c.argumentExpression]);
    return F.updateElementAccessExpression(c, obj, key);
  }
  return cx.lower(callee);
}

export function lowerNew(cx: ExpressionLowering, e: ts.NewExpression): ts.Expression {
  const { T, F, b } = cx;
  const args = e.arguments ?? F.createNodeArray<ts.Expression>();
  const ctor = cx.lower(e.expression);
  const target = stable(cx, ctor, args) ? ctor : spill(cx, ctor, "constructor");
  const lowered = sequenceElements(cx, args, "arguments");
  // As a call (checkedCall): checked after the arguments, then Reflect.construct (no frame of its own).
  const once = T.isIdentifier(target) ? target : b.toTemp(target, "constructor");
  const list = F.createCallExpression(b.runtime("constructArgs"), undefined, [
    once,
    F.createStringLiteral(calleeText(T, e.expression)),
    F.createArrayLiteralExpression([...lowered]),
  ]);
  return T.setSourceMapRange(F.createCallExpression(b.runtime("reflectConstruct"), undefined, [once, list]), e);
}

/**
 * [source]  tag`a${await x}b`
 * [lowered] $callee = tag; .suspend x; $am.reflectApply($callee, undefined, $am.callArgs($callee, "tag", [$am.strings`a${0}b`, $awaited]))
 * The strings object comes from a tagged template of its own at the same place in the output,
 * so it is one object per site, frozen, with `raw` — as native.
 */
export function lowerTaggedTemplate(cx: ExpressionLowering, e: ts.TaggedTemplateExpression): ts.Expression {
  const { T, F, b } = cx;
  const template = e.template;
  const subs = T.isNoSubstitutionTemplateLiteral(template) ? [] : template.templateSpans.map((s) => s.expression);
  // A tag that is an optional chain (`(o?.f)\`…\``) is split into function and `this` too.
  if (!subs.some(cx.has) && !isOptionalChain(cx, skipOuterExpressions(T, e.tag))) {
    return F.updateTaggedTemplateExpression(e, lowerCallee(cx, e.tag), e.typeArguments, template);
  }
  const { fn, thisArg } = calleeAndThis(cx, e.tag, subs);
  const strings = F.createTaggedTemplateExpression(
    b.runtime("strings"),
    undefined,
    T.isNoSubstitutionTemplateLiteral(template)
      ? F.createNoSubstitutionTemplateLiteral(template.text, template.rawText)
      : F.createTemplateExpression(
          template.head,
          template.templateSpans.map((s) => F.createTemplateSpan(F.createNumericLiteral(0), s.literal)),
        ),
  );
  return checkedCall(cx, fn, thisArg, calleeText(T, e.tag), [strings, ...sequence(cx, subs)], e);
}
