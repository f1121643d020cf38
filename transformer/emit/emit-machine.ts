/**
 * Emits the machine of one async function: the state enum, the resume function and the wrapper
 * that replaces the original function.
 *
 * In:  the lowered function (Cfg + how bindings became locals), its liveness and layout.
 * Out: TypeScript nodes:
 *
 *     var f$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitRead_L3", …]);
 *     function f(a) { return $am.start(f$resume, 2, f$State, this, arguments); }   // the wrapper
 *     function f$resume($m, $v, $t) {                                               // defined once
 *       let a, x;
 *       const $f = $m.f;                                   // the frame, read once per resume
 *       let $l = $m.s;
 *       $mc: for (;;) {
 *         try {                                            // only when the body has try/for…of
 *           switch ($l) {
 *             case 0 /* Unresumed *\/: a = $m.a[0]; …; $v = read(a); $f[0] = a; $m.s = 3;
 *                                     return $m.await($v);
 *             case 3 /* AwaitRead_L3 *\/: a = $f[0]; if ($t) throw $v; x = $v; …
 *           }
 *         } catch ($e) { switch ($l) { case …: $l = handler; continue $mc; } throw $e; }
 *       }
 *     }
 *
 * Block labels: the entry is 0 and the block resumed after suspend state k is k, so the resume
 * function starts with `$l = $m.s` and needs no table; other blocks are numbered after the states.
 * A goto to the block emitted next falls through (with `$l` updated for exception dispatch).
 * A machine with no jump back, no `try` and no kept jump has no loop and no `$l`: its resume
 * function is `switch ($m.s) { … }`, whose cases fall through or return.
 */
import type * as ts from "typescript";
import { isStrictCode, type Binding, type Scopes } from "../analyze/scopes";
import type { Liveness } from "../analyze/liveness";
import type { StateLayout } from "../layout/state-layout";
import { deferLoads, placeEarlyStores, type SlotBlock } from "../analyze/clean-slots";
import { Completion, LocalStorage, RegionKind, TerminatorKind, handlerEdge, successors, successorEdges, terminatorUses, type Block, type LocalId, type Terminator } from "../lower/cfg";
import { Unsupported, type JumpRewrite, type LoweredFunction } from "../lower/build-cfg";
import { shorthandKey } from "../lower/linearize-expression";
import type { NameManager } from "../names";
import { compoundToBinary } from "../lower/operators";

export interface MachineNames {
  /** The runtime namespace identifier (`$am`). */
  runtime: string;
  resume: string;
  states: string;
}

export interface EmittedMachine {
  /** `var f$State = $am.states([...])` — module level. */
  stateEnum: ts.Statement;
  /** `function f$resume($m, $v, $t) { … }` */
  resume: ts.FunctionDeclaration;
  /** Arguments of `$am.start(...)` after resume/size/enum: built by the wrapper emitter. */
  frameSize: number;
  stateNames: string[];
}

export interface EmitInput {
  tsApi: typeof ts;
  fn: ts.FunctionLikeDeclaration;
  scopes: Scopes;
  lowered: LoweredFunction;
  liveness: Liveness;
  layout: StateLayout;
  names: NameManager;
  machineNames: MachineNames;
  /** Rewrites nested async functions met inside kept code (see FunctionContext.transformNested). */
  transformNested: (node: ts.FunctionLikeDeclaration, rewriteOuter: (n: ts.Node) => ts.Node, hoist: (s: ts.Statement) => void, isOuterLocal: (b: Binding) => boolean) => ts.Node | undefined;
  /** `super` accessor available (method wrappers pass one). */
  isArrow: boolean;
  /** The wrapper passes this many parameters in the frame (`$f[i]`) rather than in `$m.a`. */
  paramsInFrame: number | undefined;
}

/** State numbers below this are reserved (Unresumed, Returned, Panicked); suspends follow. */
const FIRST_SUSPEND_STATE = 3;

export function emitMachine(input: EmitInput): EmittedMachine {
  const { tsApi: T, fn, scopes, lowered, liveness, layout, names, machineNames } = input;
  const F = T.factory;
  const SK = T.SyntaxKind;
  const { cfg, localOfBinding, tempOfIdentifier, jumpRewrites } = lowered;
  const locals = cfg.locals;

  const mName = names.claim("$m");
  const vName = names.claim("$v");
  const tName = names.claim("$t");
  const lName = names.claim("$l");
  const eName = names.claim("$e");
  const loopLabel = names.claim("$mc");
  /** A jump out of a kept `try … finally` takes effect at the loop head (see JumpRewrite). */
  const gName = names.claim("$g");
  let usesPendingGoto = false;
  /** `continue $mc` statements emitted: without any (and without try or kept jumps) there is no loop. */
  let backJumps = 0;
  /** The `$l = label;` of gotos that fall through: dead when there is no loop (see below). */
  const labelUpdates = new Set<ts.Node>();
  /** How many pending-goto jumps were emitted so far (to see which kept statements have one). */
  let pendingJumps = 0;
  const rt = (member: string): ts.Expression => F.createPropertyAccessExpression(F.createIdentifier(machineNames.runtime), member);
  const m = (member: string): ts.Expression => F.createPropertyAccessExpression(F.createIdentifier(mName), member);
  /**
   * The frame, read once per resume into `$f` (`const $f = $m.f;`): nothing replaces a machine's
   * frame while its resume function runs, and one load beats one per access (V8 does not reuse
   * `$m.f` across a try/catch: workload D paid 73 instructions per iteration for the reloads).
   */
  const fName = names.claim("$f");
  let usesFrame = false;
  const frame = (): ts.Expression => {
    usesFrame = true;
    return F.createIdentifier(fName);
  };
  const frameSlot = (offset: number, comment: string): ts.Expression =>
    T.addSyntheticTrailingComment(F.createElementAccessExpression(frame(), F.createNumericLiteral(offset)), SK.MultiLineCommentTrivia, ` ${comment} `, false);

  /** Declarations nested machines need at the top of this resume function. */
  const hoisted: ts.Statement[] = [];
  /** A binding this machine keeps (a register, the frame or the captured record): reachable from anywhere in its resume function. */
  const isOuterLocal = (b: Binding): boolean => localOfBinding.has(b);
  const hoistNested = (st: ts.Statement): void => {
    hoisted.push(st);
  };

  // ---------------------------------------------------------------- labels

  // Jump threading: an empty block that only goes on elsewhere is skipped by every jump to it
  // (resume blocks and the entry keep their identity: the machine enters them by state number).
  const special = new Set<number>([cfg.entry, ...cfg.suspends.map((s) => s.resume), ...cfg.regions.map((r) => r.handler)]);
  const forward = (id: number): number => {
    const seen = new Set<number>();
    let b = cfg.blocks[id];
    while (!special.has(b.id) && b.ops.length === 0 && b.term.kind === TerminatorKind.Goto && !seen.has(b.id)) {
      seen.add(b.id);
      b = cfg.blocks[b.term.target];
    }
    return b.id;
  };
  const reachable = computeReachable();

  // Inlining: a block reached by exactly one terminator edge (no other jump, not a state's entry
  // or a handler) is emitted at that jump — inside the `if` of a branch, after a `goto` — with
  // no trip through the dispatch switch. What is left are the cases: the entry, the resume
  // blocks, handlers and join points.
  const predecessors = new Map<number, number>();
  const exitTargets = new Set<number>();
  for (const b of cfg.blocks) {
    if (!reachable.has(b.id)) continue;
    for (const s of successors(b.term)) predecessors.set(forward(s), (predecessors.get(forward(s)) ?? 0) + 1);
    for (const op of b.ops) for (const e of op.exits) exitTargets.add(forward(e.block));
  }
  // An inlined block in another region than the code it is inlined into still gets a label: the
  // inlined code starts with `$l = label`, so an exception in it finds its own handler.
  /** Whether a jump to `to` emits the target's code in place. */
  const inlines = (to: number): boolean => {
    const t = forward(to);
    return !special.has(t) && !exitTargets.has(t) && predecessors.get(t) === 1;
  };
  const inlined = new Set<number>();
  const crossRegion = new Set<number>();
  for (const b of cfg.blocks) {
    if (!reachable.has(b.id)) continue;
    for (const s of successors(b.term)) {
      if (!inlines(s)) continue;
      inlined.add(forward(s));
      if (cfg.blocks[forward(s)].region !== b.region) crossRegion.add(forward(s));
    }
  }
  const caseBlocks = cfg.blocks.filter((b) => reachable.has(b.id) && !inlined.has(b.id));

  const labelOf = new Map<number, number>();
  labelOf.set(cfg.entry, 0);
  for (const s of cfg.suspends) labelOf.set(s.resume, s.state);
  let nextLabel = FIRST_SUSPEND_STATE + cfg.suspends.length;
  for (const b of caseBlocks) if (!labelOf.has(b.id)) labelOf.set(b.id, nextLabel++);
  for (const b of cfg.blocks) if (crossRegion.has(b.id)) labelOf.set(b.id, nextLabel++);
  const label = (block: number): number => labelOf.get(block)!;
  const stateNames = ["Unresumed", "Returned", "Panicked", ...cfg.suspends.map((s) => s.name)];

  function computeReachable(): Set<number> {
    const seen = new Set<number>();
    const work = [cfg.entry];
    const regionHandlers = (b: Block): number[] => (b.region !== undefined ? [cfg.regions[b.region].handler] : []);
    while (work.length) {
      const id = work.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const b = cfg.blocks[id];
      for (const s of successors(b.term)) work.push(forward(s));
      for (const op of b.ops) work.push(...op.exits.map((e) => forward(e.block)));
      work.push(...regionHandlers(b));
    }
    return seen;
  }

  // ---------------------------------------------------------------- identifiers

  function localOf(id: ts.Identifier): LocalId | undefined {
    const t = tempOfIdentifier.get(id);
    if (t !== undefined) return t;
    const b = scopes.refs.get(id) ?? scopes.decls.get(id);
    return b ? localOfBinding.get(b) : undefined;
  }
  /** The expression a local is reached through. */
  function access(local: LocalId): ts.Expression {
    const l = locals[local];
    switch (l.storage) {
      case LocalStorage.Register:
        return F.createIdentifier(l.name);
      case LocalStorage.Captured:
        return T.addSyntheticTrailingComment(F.createElementAccessExpression(m("c"), F.createNumericLiteral(layout.captureOf.get(local)!)), SK.MultiLineCommentTrivia, ` ${l.sourceName} `, false);
      case LocalStorage.Argument: {
        // (i < passed ? m.a : m.p.values)[i]: mapped to arguments[i] only if the call passed it.
        const i = l.argumentIndex!;
        const p = F.createPropertyAccessExpression(m("p"), "passed");
        const store = F.createConditionalExpression(F.createLessThan(F.createNumericLiteral(i), p), undefined, m("a"), undefined, F.createPropertyAccessExpression(m("p"), "values"));
        return F.createElementAccessExpression(F.createParenthesizedExpression(store), F.createNumericLiteral(i));
      }
      case LocalStorage.Env:
        return F.createPropertyAccessExpression(F.createIdentifier(locals[l.env!].name), l.name);
    }
  }
  function read(local: LocalId): ts.Expression {
    const l = locals[local];
    const e = access(local);
    return l.tdz ? F.createCallExpression(rt("checkTdz"), undefined, [e, F.createStringLiteral(l.sourceName)]) : e;
  }

  // ---------------------------------------------------------------- rewriting kept code

  /** Is `node` the target of an assignment (so it is written, not read)? */
  function isWriteTarget(node: ts.Node): boolean {
    let n = node;
    let p = n.parent;
    while (p && (T.isParenthesizedExpression(p) || T.isNonNullExpression(p) || T.isAsExpression(p))) {
      n = p;
      p = p.parent;
    }
    if (!p) return false;
    if (T.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === SK.EqualsToken) return true;
    if ((T.isForInStatement(p) || T.isForOfStatement(p)) && p.initializer === n) return true;
    return false;
  }

  /**
   * Rewrites a node of the original function for the resume function: locals by their storage,
   * `this`/`arguments`/`super` through the machine, hoisted declarations as assignments, jumps
   * that leave a kept statement as machine jumps. `inFunction`: inside a nested non-arrow function.
   */
  function rewrite(node: ts.Node, inFunction: boolean, writeTargets: Set<ts.Node>): ts.Node {
    const visit = (n: ts.Node): ts.Node => rewrite(n, inFunction, writeTargets);
    if (T.isIdentifier(node)) {
      if (node === lowered.resumeValue) return F.createIdentifier(vName);
      const text = node.text;
      if (text.startsWith("$am_") && !scopes.refs.has(node) && !tempOfIdentifier.has(node)) {
        if (text === "$am_args") return input.paramsInFrame !== undefined ? frame() : m("a");
        if (text === "$am_machine") return F.createIdentifier(mName);
        if (text === "$am_TDZ") return rt("TDZ");
        return rt(text.slice(4));
      }
      if (isOwnNameOfDeclaration(node)) return node;
      const local = localOf(node);
      if (local !== undefined) return writeTargets.has(node) || isWriteTargetSynth(node) ? access(local) : read(local);
      if (text === "arguments" && !inFunction && !scopes.refs.has(node) && !scopes.decls.has(node) && isArgumentsReference(node)) return m(input.isArrow ? "o" : "a");
      return node;
    }
    if (T.isDeleteExpression(node)) {
      const deleted = deleteOfIdentifier(node, inFunction);
      if (deleted) return deleted;
    }
    if (node.kind === SK.ThisKeyword && !inFunction) return m("t");
    // An async function cannot be constructed: its new.target is undefined; an arrow's is the enclosing one's.
    if (T.isMetaProperty(node) && node.keywordToken === SK.NewKeyword && !inFunction) return input.isArrow ? m("n") : F.createVoidZero();
    if ((T.isPropertyAccessExpression(node) || T.isElementAccessExpression(node)) && node.expression.kind === SK.SuperKeyword && !inFunction) {
      const key = T.isPropertyAccessExpression(node) ? F.createStringLiteral(node.name.text) : (visit(node.argumentExpression) as ts.Expression);
      return F.createCallExpression(m("h"), undefined, [key]);
    }
    if (T.isBinaryExpression(node) && !inFunction && node.operatorToken.kind >= SK.FirstAssignment && node.operatorToken.kind <= SK.LastAssignment) {
      const target = skipParens(node.left);
      if ((T.isPropertyAccessExpression(target) || T.isElementAccessExpression(target)) && target.expression.kind === SK.SuperKeyword) {
        // super.x = v  →  $m.h("x", v, 1): the method's wrapper set it up with its home object.
        const key = T.isPropertyAccessExpression(target) ? F.createStringLiteral(target.name.text) : (visit(target.argumentExpression) as ts.Expression);
        let value = visit(node.right) as ts.Expression;
        if (node.operatorToken.kind !== SK.EqualsToken) {
          value = F.createBinaryExpression(F.createCallExpression(m("h"), undefined, [key]), compoundToBinary(T, node.operatorToken.kind), value);
        }
        return F.createCallExpression(m("h"), undefined, [key, value, F.createNumericLiteral(1)]);
      }
    }
    if (T.isCallExpression(node) && !inFunction) {
      const callee = node.expression;
      if ((T.isPropertyAccessExpression(callee) || T.isElementAccessExpression(callee)) && callee.expression.kind === SK.SuperKeyword) {
        // super.m(args) calls the parent's method with this = the method's this; `super.m?.(args)`
        // short-circuits (arguments unevaluated) when the method is null or undefined.
        const args = [m("t"), ...node.arguments.map((a) => visit(a) as ts.Expression)];
        if (node.questionDotToken) return F.createCallChain(F.createPropertyAccessChain(visit(callee) as ts.Expression, F.createToken(SK.QuestionDotToken), "call"), undefined, undefined, args);
        return F.createCallExpression(F.createPropertyAccessExpression(visit(callee) as ts.Expression, "call"), undefined, args);
      }
    }
    if (T.isShorthandPropertyAssignment(node)) {
      const local = localOf(node.name);
      if (local !== undefined) {
        const value = writeTargets.has(node.name) ? access(local) : read(local);
        const withDefault = node.objectAssignmentInitializer ? F.createAssignment(value, visit(node.objectAssignmentInitializer) as ts.Expression) : value;
        return F.createPropertyAssignment(shorthandKey(T, node.name), withDefault);
      }
    }
    if (T.isReturnStatement(node) || T.isBreakStatement(node) || T.isContinueStatement(node)) {
      const j = jumpRewrites.get(node);
      if (j && !inFunction) return emitJump(j, visit);
    }
    if (T.isVariableStatement(node) && !inFunction) {
      const converted = convertDeclarationList(node.declarationList, visit);
      if (converted !== undefined) return converted ? F.createExpressionStatement(converted) : F.createEmptyStatement();
    }
    if ((T.isForStatement(node) && node.initializer && T.isVariableDeclarationList(node.initializer)) && !inFunction) {
      const converted = convertDeclarationList(node.initializer, visit);
      if (converted !== undefined) {
        return F.updateForStatement(node, converted || undefined, node.condition && (visit(node.condition) as ts.Expression), node.incrementor && (visit(node.incrementor) as ts.Expression), visit(node.statement) as ts.Statement);
      }
    }
    if ((T.isForInStatement(node) || T.isForOfStatement(node)) && T.isVariableDeclarationList(node.initializer) && !inFunction) {
      const d = node.initializer.declarations[0];
      const ids = bindingIds(d.name);
      if (ids.some((id) => localOf(id) !== undefined)) {
        const target = toAssignmentTarget(d.name, visit);
        const expr = visit(node.expression) as ts.Expression;
        const stmt = visit(node.statement) as ts.Statement;
        return T.isForInStatement(node) ? F.updateForInStatement(node, target, expr, stmt) : F.updateForOfStatement(node, node.awaitModifier, target, expr, stmt);
      }
    }
    if (T.isFunctionDeclaration(node) && lowered.hoistedFunctions.has(node)) {
      // A hoisted declaration, used as the value of `g = …`.
      if (isAsyncFunction(node)) {
        const replaced = input.transformNested(node, (n) => rewrite(n, false, new Set()), hoistNested, isOuterLocal);
        if (replaced) return replaced;
      }
      const expr = F.createFunctionExpression(node.modifiers?.filter((x) => x.kind === SK.AsyncKeyword) as ts.Modifier[] | undefined, node.asteriskToken, node.name, node.typeParameters, node.parameters, node.type, node.body!);
      return closure(node, expr, true);
    }
    if (T.isClassDeclaration(node) && node.name && localOf(node.name) !== undefined && !inFunction) {
      const expr = F.createClassExpression(node.modifiers?.filter((x) => x.kind !== SK.ExportKeyword && x.kind !== SK.DefaultKeyword) as ts.ModifierLike[] | undefined, node.name, node.typeParameters, node.heritageClauses, node.members);
      return closure(node, expr, true);
    }
    // An object literal whose methods or accessors see a per-iteration record is wrapped as a
    // whole (a method cannot be wrapped by itself).
    if (T.isObjectLiteralExpression(node) && envBound === 0 && node.properties.some((p) => (T.isMethodDeclaration(p) || T.isAccessor(p)) && referencesEnv(p))) {
      return closure(node, node, inFunction);
    }
    if (T.isFunctionLike(node) || T.isClassLike(node)) {
      if (isAsyncFunction(node)) {
        const replaced = input.transformNested(node as ts.FunctionLikeDeclaration, (n) => rewrite(n, inFunction, new Set()), hoistNested, isOuterLocal);
        if (replaced) return replaced;
      }
      return closure(node, node, inFunction || !T.isArrowFunction(node), inFunction);
    }
    if (T.isBinaryExpression(node) && node.operatorToken.kind >= SK.FirstAssignment && node.operatorToken.kind <= SK.LastAssignment) {
      const selfWrite = writeToOwnName(node, visit);
      if (selfWrite) return selfWrite;
      markTargets(node.left, writeTargets);
      const checked = checkedWrite(node, node.left, visit);
      if (checked) return checked;
    }
    if ((T.isPrefixUnaryExpression(node) || T.isPostfixUnaryExpression(node)) && (node.operator === SK.PlusPlusToken || node.operator === SK.MinusMinusToken)) {
      markTargets(node.operand, writeTargets);
      const checked = checkedWrite(node, node.operand, visit);
      if (checked) return checked;
    }
    return T.visitEachChild(node, visit, undefined);
  }

  /**
   * `delete x` (sloppy code) where the machine moves `x`: a declared binding cannot be deleted,
   * so it is `false` and `x` keeps its value (DeleteBinding of a declarative Environment Record;
   * no dead-zone check), where `delete $m.c[0]` would delete the storage. An identifier the
   * lowering put there for a value (a temporary, the resume value, the last operand of a comma)
   * stands for an expression that was not a reference: `delete` of a value is `true`.
   */
  function deleteOfIdentifier(node: ts.DeleteExpression, inFunction: boolean): ts.Expression | undefined {
    const operand = skipParens(node.expression);
    if (!T.isIdentifier(operand)) return undefined;
    let source: ts.Node = operand;
    while (source.parent && (T.isParenthesizedExpression(source.parent) || T.isAsExpression(source.parent) || T.isNonNullExpression(source.parent) || T.isSatisfiesExpression(source.parent) || T.isTypeAssertionExpression(source.parent))) source = source.parent;
    const isSourceOperand = source.parent !== undefined && T.isDeleteExpression(source.parent);
    if (!isSourceOperand) return operand === lowered.resumeValue || localOf(operand) !== undefined || scopes.refs.has(operand) || scopes.globals.has(operand) ? F.createTrue() : undefined;
    const movesArguments = operand.text === "arguments" && !inFunction && !scopes.refs.has(operand);
    return localOf(operand) !== undefined || movesArguments ? F.createFalse() : undefined;
  }

  /**
   * A named function expression's own name is immutable inside it: writing it is ignored in
   * sloppy code and a TypeError in strict code. (The compiled body reaches the name through a
   * `const` of the IIFE that creates the wrapper, so the write must not reach it.)
   */
  function writeToOwnName(node: ts.BinaryExpression, visit: (n: ts.Node) => ts.Node): ts.Expression | undefined {
    const target = skipParens(node.left);
    if (!T.isIdentifier(target) || !T.isFunctionExpression(fn) || !fn.name) return undefined;
    const b = scopes.refs.get(target);
    if (!b || b.declarations[0] !== fn.name) return undefined;
    const value = node.operatorToken.kind === SK.EqualsToken ? (visit(node.right) as ts.Expression) : F.createBinaryExpression(target, compoundToBinary(T, node.operatorToken.kind), visit(node.right) as ts.Expression);
    if (!isStrictCode(T, fn, scopes.alwaysStrict)) return F.createParenthesizedExpression(value);
    return F.createParenthesizedExpression(F.createComma(value, F.createCallExpression(rt("constAssign"), undefined, [F.createStringLiteral(target.text)])));
  }

  /**
   * A write, in the source, to a hoisted `let`/`const`/`class` binding (not its initialization):
   * native code throws a ReferenceError in the dead zone, and a TypeError for any write to a
   * `const` — after evaluating the right side, as native does.
   */
  function checkedWrite(node: ts.Expression, target: ts.Expression, visit: (n: ts.Node) => ts.Node): ts.Expression | undefined {
    const id = skipParens(target);
    if (T.isObjectLiteralExpression(id) || T.isArrayLiteralExpression(id)) return checkedPatternWrite(node as ts.BinaryExpression, visit);
    if (!T.isIdentifier(id) || !scopes.refs.has(id)) return undefined;
    const local = localOf(id);
    if (local === undefined) return undefined;
    const l = locals[local];
    if (!l.tdz && !l.isConst) return undefined;
    const name = F.createStringLiteral(l.sourceName);
    const tdz = (): ts.Expression => F.createCallExpression(rt("checkTdz"), undefined, [access(local), name]);
    const isPlainAssign = T.isBinaryExpression(node) && node.operatorToken.kind === SK.EqualsToken;
    if (l.isConst) {
      // `c = v` / `c += v` / `c++`: read (compound), evaluate v, then throw.
      const parts: ts.Expression[] = [];
      if (!isPlainAssign) parts.push(tdz());
      if (T.isBinaryExpression(node)) parts.push(visit(node.right) as ts.Expression);
      if (l.tdz && isPlainAssign) parts.push(tdz());
      parts.push(F.createCallExpression(rt("constAssign"), undefined, [name]));
      return F.createParenthesizedExpression(parts.reduce((a, b) => F.createComma(a, b)));
    }
    const rewritten = T.visitEachChild(node, visit, undefined) as ts.Expression;
    if (isPlainAssign) {
      // x = v  →  x = $am.assignTdz(x, v, "x"): v first, then the dead-zone check, then the write.
      const b = rewritten as ts.BinaryExpression;
      return F.updateBinaryExpression(b, b.left, b.operatorToken, F.createCallExpression(rt("assignChecked"), undefined, [access(local), b.right, name]));
    }
    return F.createParenthesizedExpression(F.createComma(tdz(), rewritten));
  }

  /**
   * [source]  [x, { y }] = v        (x, y bindings that may be in their dead zone, or consts)
   * [emitted] [$am.checkedTarget(($w) => { $am.checkTdz(x, "x"); x = $w; }).v, { y: … }] = v
   * Each target of a pattern is written in turn (PutValue): one in its dead zone throws a
   * ReferenceError, a const a TypeError, right then — before later elements step the iterator
   * or evaluate their defaults. Such targets are written through a setter that checks first.
   */
  function checkedPatternWrite(node: ts.BinaryExpression, visit: (n: ts.Node) => ts.Node): ts.Expression | undefined {
    const needsCheck = (t: ts.Identifier): LocalId | undefined => {
      const l = scopes.refs.has(t) ? localOf(t) : undefined;
      return l !== undefined && (locals[l].tdz || locals[l].isConst) ? l : undefined;
    };
    const targets = new Set<ts.Node>();
    markTargets(node.left, targets);
    if (![...targets].some((t) => needsCheck(t as ts.Identifier) !== undefined)) return undefined;
    const w = F.createIdentifier(names.claim("$w"));
    const checked = (l: LocalId): ts.Expression => {
      const name = F.createStringLiteral(locals[l].sourceName);
      const body: ts.Statement[] = [];
      if (locals[l].tdz) body.push(F.createExpressionStatement(F.createCallExpression(rt("checkTdz"), undefined, [access(l), name])));
      body.push(F.createExpressionStatement(locals[l].isConst ? F.createCallExpression(rt("constAssign"), undefined, [name]) : F.createAssignment(access(l), w)));
      const setter = F.createArrowFunction(undefined, undefined, [F.createParameterDeclaration(undefined, undefined, w)], undefined, undefined, F.createBlock(body, false));
      return F.createPropertyAccessExpression(F.createCallExpression(rt("checkedTarget"), undefined, [setter]), "v");
    };
    const rebuild = (e: ts.Expression): ts.Expression => {
      const x = skipParens(e);
      if (T.isIdentifier(x)) {
        const l = needsCheck(x);
        return l !== undefined ? checked(l) : (visit(e) as ts.Expression);
      }
      if (T.isBinaryExpression(x) && x.operatorToken.kind === SK.EqualsToken) return F.updateBinaryExpression(x, rebuild(x.left), x.operatorToken, visit(x.right) as ts.Expression);
      if (T.isArrayLiteralExpression(x)) return F.updateArrayLiteralExpression(x, x.elements.map((el) => (T.isSpreadElement(el) ? F.updateSpreadElement(el, rebuild(el.expression)) : T.isOmittedExpression(el) ? el : rebuild(el))));
      if (T.isObjectLiteralExpression(x)) {
        return F.updateObjectLiteralExpression(x, x.properties.map((p): ts.ObjectLiteralElementLike => {
          if (T.isShorthandPropertyAssignment(p)) {
            const l = needsCheck(p.name);
            if (l === undefined) return visit(p) as ts.ObjectLiteralElementLike;
            return F.createPropertyAssignment(shorthandKey(T, p.name), p.objectAssignmentInitializer ? F.createAssignment(checked(l), visit(p.objectAssignmentInitializer) as ts.Expression) : checked(l));
          }
          if (T.isPropertyAssignment(p)) return F.updatePropertyAssignment(p, visit(p.name) as ts.PropertyName, rebuild(p.initializer));
          if (T.isSpreadAssignment(p)) return F.updateSpreadAssignment(p, rebuild(p.expression));
          return visit(p) as ts.ObjectLiteralElementLike;
        }));
      }
      return visit(e) as ts.Expression;
    };
    return F.updateBinaryExpression(node, rebuild(node.left), node.operatorToken, visit(node.right) as ts.Expression);
  }

  /** Synthesized assignment targets have no parent: find them by shape. */
  function isWriteTargetSynth(node: ts.Identifier): boolean {
    return node.parent !== undefined && isWriteTarget(node);
  }
  function markTargets(target: ts.Node, set: Set<ts.Node>): void {
    const t = skipParens(target);
    if (T.isIdentifier(t)) set.add(t);
    else if (T.isObjectLiteralExpression(t)) {
      for (const p of t.properties) {
        if (T.isPropertyAssignment(p)) markTargets(skipDefault(p.initializer), set);
        else if (T.isShorthandPropertyAssignment(p)) set.add(p.name);
        else if (T.isSpreadAssignment(p)) markTargets(p.expression, set);
      }
    } else if (T.isArrayLiteralExpression(t)) {
      for (const e of t.elements) markTargets(T.isSpreadElement(e) ? e.expression : skipDefault(e), set);
    }
  }
  function skipDefault(e: ts.Expression): ts.Expression {
    return T.isBinaryExpression(e) && e.operatorToken.kind === SK.EqualsToken ? e.left : e;
  }
  function skipParens(e: ts.Node): ts.Node {
    while (T.isParenthesizedExpression(e) || T.isAsExpression(e) || T.isNonNullExpression(e) || T.isSatisfiesExpression(e) || T.isTypeAssertionExpression(e)) e = e.expression;
    return e;
  }
  /** The name of a function or class (its own `.name`), never a reference to rewrite. */
  function isOwnNameOfDeclaration(node: ts.Identifier): boolean {
    const p = node.parent;
    return p !== undefined && (T.isFunctionLike(p) || T.isClassLike(p)) && (p as ts.NamedDeclaration).name === node;
  }

  /** `arguments` as a value (not a property name or a declaration). */
  function isArgumentsReference(node: ts.Identifier): boolean {
    const p = node.parent;
    if (!p) return true;
    if (T.isPropertyAccessExpression(p) && p.name === node) return false;
    if ((T.isPropertyAssignment(p) || T.isMethodDeclaration(p) || T.isPropertyDeclaration(p)) && p.name === node) return false;
    return true;
  }

  function isAsyncFunction(node: ts.Node): boolean {
    return T.isFunctionLike(node) && !!(T.getCombinedModifierFlags(node as ts.Declaration) & T.ModifierFlags.Async) && !(node as ts.FunctionLikeDeclaration).asteriskToken && !!(node as ts.FunctionLikeDeclaration).body;
  }

  /**
   * A nested function or class: its references to captured locals are rewritten (`this` and
   * `arguments` only inside arrows). One created in an exploded scope whose captured bindings
   * live in an environment record must keep the record of its own iteration:
   * `(($env) => function () { … $env.i … })($env)`.
   */
  /** `outerInFunction`: for a class, what its heritage and computed keys see (they run outside it). */
  function closure(original: ts.Node, node: ts.Node, innerIsFunction: boolean, outerInFunction = innerIsFunction): ts.Node {
    const holders = new Set<LocalId>();
    if (envBound === 0) {
      const scan = (n: ts.Node): void => {
        if (T.isIdentifier(n)) {
          const local = localOf(n);
          if (local !== undefined && locals[local].storage === LocalStorage.Env) holders.add(locals[local].env!);
          return;
        }
        T.forEachChild(n, scan);
      };
      scan(original);
    }
    if (holders.size > 0 && !(T.isFunctionExpression(node) || T.isArrowFunction(node) || T.isClassExpression(node) || T.isObjectLiteralExpression(node))) {
      // Only an expression can be wrapped; a declaration would lose its hoisting. (Any record of
      // an exploded block may be replaced while a closure holds it — per iteration, or when the
      // block is entered again — not only a loop's.)
      throw new Unsupported(original, "a function or class declaration in a block kept whole that captures a block-scoped binding living across an `await` (kept in an environment record) is not supported yet");
    }
    // Inside a wrapped closure the records are its parameters: nothing below needs wrapping again.
    if (holders.size > 0) envBound++;
    const visitChild = (c: ts.Node): ts.Node => {
      if (T.isClassLike(node)) {
        // Heritage and computed member names are evaluated where the class is: `this`, `super`
        // and `arguments` there are the enclosing function's.
        if (T.isHeritageClause(c)) return rewrite(c, outerInFunction, new Set());
        const name = (c as ts.NamedDeclaration).name;
        if (name && T.isComputedPropertyName(name)) {
          const key = F.updateComputedPropertyName(name, rewrite(name.expression, outerInFunction, new Set()) as ts.Expression);
          const member = T.visitEachChild(c, (x) => (x === name ? key : rewrite(x, true, new Set())), undefined);
          return member;
        }
      }
      return rewrite(c, innerIsFunction, new Set());
    };
    const inner = T.visitEachChild(node, visitChild, undefined) as unknown as ts.Expression;
    if (holders.size === 0) return inner;
    envBound--;
    const params = [...holders].map((h) => F.createParameterDeclaration(undefined, undefined, locals[h].name));
    const arrow = F.createArrowFunction(undefined, undefined, params, undefined, undefined, F.createParenthesizedExpression(inner));
    return F.createCallExpression(F.createParenthesizedExpression(arrow), undefined, [...holders].map((h) => F.createIdentifier(locals[h].name)));
  }
  let envBound = 0;
  function referencesEnv(node: ts.Node): boolean {
    let found = false;
    const scan = (n: ts.Node): void => {
      if (found) return;
      if (T.isIdentifier(n)) {
        const local = localOf(n);
        if (local !== undefined && locals[local].storage === LocalStorage.Env) found = true;
        return;
      }
      T.forEachChild(n, scan);
    };
    scan(node);
    return found;
  }

  function bindingIds(name: ts.BindingName): ts.Identifier[] {
    if (T.isIdentifier(name)) return [name];
    return name.elements.flatMap((e) => (T.isBindingElement(e) ? bindingIds(e.name) : []));
  }
  /** A binding pattern as an assignment target (same shape), its identifiers rewritten. */
  function toAssignmentTarget(name: ts.BindingName, visit: (n: ts.Node) => ts.Node): ts.Expression {
    if (T.isIdentifier(name)) {
      const local = localOf(name);
      return local !== undefined ? access(local) : name;
    }
    if (T.isObjectBindingPattern(name)) {
      return F.createObjectLiteralExpression(
        name.elements.map((e) => {
          const target = toAssignmentTarget(e.name, visit);
          if (e.dotDotDotToken) return F.createSpreadAssignment(target);
          const value = e.initializer ? F.createAssignment(target, visit(e.initializer) as ts.Expression) : target;
          const key = e.propertyName ? (visit(e.propertyName) as ts.PropertyName) : F.createIdentifier((e.name as ts.Identifier).text);
          return F.createPropertyAssignment(key, value);
        }),
      );
    }
    return F.createArrayLiteralExpression(
      name.elements.map((e) => {
        if (T.isOmittedExpression(e)) return e;
        const target = toAssignmentTarget(e.name, visit);
        if (e.dotDotDotToken) return F.createSpreadElement(target);
        return e.initializer ? F.createAssignment(target, visit(e.initializer) as ts.Expression) : target;
      }),
    );
  }
  /**
   * `var a = 1, b;` whose bindings are machine locals → `a = 1` (undefined: not hoisted here;
   * null: nothing left to run).
   */
  function convertDeclarationList(list: ts.VariableDeclarationList, visit: (n: ts.Node) => ts.Node): ts.Expression | null | undefined {
    if (!list.declarations.some((d) => bindingIds(d.name).some((id) => localOf(id) !== undefined))) return undefined;
    const isVar = !(list.flags & (T.NodeFlags.Let | T.NodeFlags.Const));
    const parts: ts.Expression[] = [];
    for (const d of list.declarations) {
      if (!d.initializer) {
        if (!isVar && T.isIdentifier(d.name)) parts.push(F.createAssignment(toAssignmentTarget(d.name, visit), F.createVoidZero()));
        continue;
      }
      const target = toAssignmentTarget(d.name, visit);
      const value = visit(d.initializer) as ts.Expression;
      parts.push(T.isIdentifier(d.name) ? F.createAssignment(target, value) : F.createParenthesizedExpression(F.createAssignment(target, value)));
    }
    if (parts.length === 0) return null;
    return parts.reduce((a, b) => F.createComma(a, b));
  }

  // ---------------------------------------------------------------- jumps and terminators

  /**
   * A jump to `to`: the target's code itself when it is inlined (see `inlines`), else
   * `gotoStatements`. `next`: the case emitted next, when the jump ends the case; `from`: the
   * block the jump leaves.
   */
  function jumpTo(to: number, next: number | undefined, from: Block): ts.Statement[] {
    if (!inlines(to)) return gotoStatements(to, next, from);
    const target = forward(to);
    const stmts: ts.Statement[] = [];
    if (crossRegion.has(target)) stmts.push(F.createExpressionStatement(F.createAssignment(F.createIdentifier(lName), F.createNumericLiteral(label(target)))));
    emitBlockCode(cfg.blocks[target], next, stmts);
    return stmts;
  }

  /**
   * `$l = target; continue $mc;` — or just `$l = target;` when `target` is the block emitted
   * next, and nothing when, besides, `from` and the target are in the same exception region.
   *
   * `$l` is read only by the dispatch (after `continue $mc`, always preceded by a write) and by
   * the catch dispatch, which maps every label of a region to that region's handler. So `$l`
   * need only ever name some block of the running code's region: a fall-through within a region
   * keeps it as it is (one register write less per loop iteration).
   */
  function gotoStatements(to: number, next: number | undefined, from?: Block): ts.Statement[] {
    const target = forward(to);
    const fallsThrough = target === next;
    if (fallsThrough && from !== undefined && from.region === cfg.blocks[target].region) return [];
    const set = F.createExpressionStatement(F.createAssignment(F.createIdentifier(lName), F.createNumericLiteral(label(target))));
    if (fallsThrough) {
      labelUpdates.add(set);
      return [set];
    }
    backJumps++;
    return [set, F.createContinueStatement(loopLabel)];
  }
  function assign(local: LocalId, value: ts.Expression): ts.Statement {
    return F.createExpressionStatement(F.createAssignment(access(local), value));
  }
  function emitJump(j: JumpRewrite, visit: (n: ts.Node) => ts.Node): ts.Statement {
    if (j.kind === "return") {
      return F.createReturnStatement(F.createCallExpression(m("ret"), undefined, j.value ? [visit(j.value) as ts.Expression] : []));
    }
    const stmts = j.assigns.map(([local, v]) => assign(local, typeof v === "number" ? F.createNumericLiteral(v) : (visit(v) as ts.Expression)));
    // Every jump out of a kept statement goes through `$g`: one through a kept finally must, and
    // a later jump from that finally (a `continue` overriding a `return`) must replace it.
    usesPendingGoto = true;
    pendingJumps++;
    const pending = F.createExpressionStatement(F.createAssignment(F.createIdentifier(gName), F.createNumericLiteral(label(forward(j.target)))));
    return F.createBlock([...stmts, pending, F.createContinueStatement(loopLabel)], false);
  }

  function emitTerminator(block: Block, next: number | undefined): ts.Statement[] {
    const term = block.term;
    const v = (e: ts.Node): ts.Expression => rewrite(e, false, new Set()) as ts.Expression;
    switch (term.kind) {
      case TerminatorKind.Goto:
        return jumpTo(term.target, next, block);
      case TerminatorKind.Branch:
        return [F.createIfStatement(v(term.test), F.createBlock(jumpTo(term.then, undefined, block)), undefined), ...jumpTo(term.else, next, block)];
      case TerminatorKind.Return:
        return [F.createReturnStatement(F.createCallExpression(m("ret"), undefined, term.value ? [v(term.value)] : []))];
      case TerminatorKind.Throw:
        return [F.createThrowStatement(v(term.value))];
      case TerminatorKind.Suspend:
        return emitSuspend(block, term, v);
      case TerminatorKind.EndFinally: {
        const clauses: ts.CaseOrDefaultClause[] = [];
        const ct = (): ts.Expression => access(term.completion);
        const cv = (): ts.Expression => access(term.value);
        clauses.push(
          F.createCaseClause(F.createNumericLiteral(Completion.Return), term.returnTo
            ? [assign(term.returnTo.completion, F.createNumericLiteral(Completion.Return)), assign(term.returnTo.value, cv()), ...jumpTo(term.returnTo.block, undefined, block)]
            : [F.createReturnStatement(F.createCallExpression(m("ret"), undefined, [cv()]))]),
        );
        clauses.push(F.createCaseClause(F.createNumericLiteral(Completion.Throw), [F.createThrowStatement(cv())]));
        for (const [code, cont] of term.jumps) {
          const stmts = cont.completion !== undefined ? [assign(cont.completion, F.createNumericLiteral(code))] : [];
          clauses.push(F.createCaseClause(F.createNumericLiteral(code), [...stmts, ...jumpTo(cont.target, undefined, block)]));
        }
        return [F.createSwitchStatement(ct(), F.createCaseBlock(clauses)), ...jumpTo(term.next, next, block)];
      }
    }
  }

  function emitSuspend(block: Block, term: Extract<Terminator, { kind: TerminatorKind.Suspend }>, v: (e: ts.Node) => ts.Expression): ts.Statement[] {
    const stmts: ts.Statement[] = [F.createExpressionStatement(F.createAssignment(F.createIdentifier(vName), v(term.awaited)))];
    const fields = layout.states.find((s) => s.state === term.point)!.fields;
    const liveOffsets = new Map(fields.map(([local, offset]) => [offset, local]));
    const stale = staleOffsets.get(term.point)!;
    const clean = cleanSlots[block.id];
    for (let offset = 0; offset < Math.max(layout.frameSize, input.paramsInFrame ?? 0); offset++) {
      const local = liveOffsets.get(offset);
      if (local !== undefined && clean.has(local)) continue; // its slot still holds it
      if (local !== undefined) stmts.push(F.createExpressionStatement(F.createAssignment(frameSlot(offset, locals[local].sourceName), F.createIdentifier(locals[local].name))));
      else if (stale.has(offset)) stmts.push(F.createExpressionStatement(F.createAssignment(frameSlot(offset, "dead"), F.createVoidZero())));
    }
    stmts.push(F.createExpressionStatement(F.createAssignment(m("s"), commented(term.point, stateNames[term.point]))));
    stmts.push(F.createReturnStatement(F.createCallExpression(m("await"), undefined, [F.createIdentifier(vName)])));
    return stmts;
  }
  function commented(n: number, comment: string): ts.Expression {
    return T.addSyntheticTrailingComment(F.createNumericLiteral(n), SK.MultiLineCommentTrivia, ` ${comment} `, false);
  }

  // ---------------------------------------------------------------- blocks

  // Stores a suspend can skip: the slot still holds the local's value; and stores moved to where
  // a local is written off the hot path so that a loop's await can skip them (analyze/clean-slots.ts).
  const slotPlan = (() => {
    const inFrame = (l: LocalId): boolean => layout.offsetOf.has(l);
    const writesOf = (node: ts.Node | undefined, out: Set<LocalId>): Set<LocalId> => {
      if (node !== undefined) collectWrites(node, false, out);
      return out;
    };
    const blocks: SlotBlock[] = cfg.blocks.map((b) => {
      const term = b.term;
      const termWrites = new Set<LocalId>();
      // (A throw's or return's expression may assign too, before an exception reaches the handler.)
      if (term.kind === TerminatorKind.Branch) writesOf(term.test, termWrites);
      else if (term.kind === TerminatorKind.Suspend) writesOf(term.awaited, termWrites);
      else if (term.kind === TerminatorKind.Throw || term.kind === TerminatorKind.Return) writesOf(term.value, termWrites);
      return {
        ops: b.ops.map((op) => {
          const load = frameLoadOf(op.node);
          return {
            writes: writesOf(op.node, new Set(op.defs)),
            loads: load !== undefined && inFrame(load) ? new Set([load]) : undefined,
            exits: op.exits,
            // (Parameters are bound at the entry; only an exception reads `lastWrite`.)
            readsFrame: b.id === cfg.entry && input.paramsInFrame !== undefined && readsArguments(op.node),
            lastWrite: b.region !== undefined ? lastWriteOf(op.node) : undefined,
          };
        }),
        termWrites,
        reads: upwardReads(b),
        successors: successorEdges(term),
        handler: handlerEdge(cfg, b),
      };
    });
    const starts = new Map<number, Set<LocalId>>([[cfg.entry, new Set()]]);
    const fieldsOf = (state: number): Set<LocalId> => new Set(layout.states.find((x) => x.state === state)!.fields.map(([l]) => l));
    for (const sp of cfg.suspends) starts.set(sp.resume, fieldsOf(sp.state));
    const suspends = cfg.suspends.map((sp) => ({ block: sp.block, kept: fieldsOf(sp.state), resume: sp.resume }));
    const plan = placeEarlyStores(blocks, starts, suspends, layout.offsetOf);
    return { ...plan, ...deferLoads(blocks, starts, suspends, plan) };
  })();
  const cleanSlots = slotPlan.clean;

  /** The locals `b` reads before it surely writes them: its ops in order, then its terminator. */
  function upwardReads(b: Block): Set<LocalId> {
    const reads = new Set<LocalId>();
    const written = new Set<LocalId>();
    for (const op of b.ops) {
      for (const u of op.uses) if (!written.has(u)) reads.add(u);
      for (const d of op.defs) written.add(d);
    }
    for (const u of terminatorUses(b.term)) if (!written.has(u)) reads.add(u);
    return reads;
  }

  /**
   * Adds to `out` every local `node` may assign: the target of an assignment (any operator),
   * `++`/`--`, a declaration, a destructuring target, a for-in/of head — not inside nested
   * functions (what they write is captured, outside the frame). Top-down, so it works on
   * synthesized nodes (which have no parents) as on the original ones.
   */
  function collectWrites(node: ts.Node, isTarget: boolean, out: Set<LocalId>): void {
    if (T.isIdentifier(node)) {
      if (isTarget) {
        const local = localOf(node);
        if (local !== undefined) out.add(local);
      }
      return;
    }
    if (T.isParenthesizedExpression(node) || T.isNonNullExpression(node) || T.isAsExpression(node) || T.isSatisfiesExpression(node) || T.isTypeAssertionExpression(node)) {
      collectWrites(node.expression, isTarget, out);
      return;
    }
    if (T.isBinaryExpression(node) && node.operatorToken.kind >= SK.FirstAssignment && node.operatorToken.kind <= SK.LastAssignment) {
      collectWrites(node.left, true, out);
      collectWrites(node.right, false, out);
      return;
    }
    if ((T.isPrefixUnaryExpression(node) || T.isPostfixUnaryExpression(node)) && (node.operator === SK.PlusPlusToken || node.operator === SK.MinusMinusToken)) {
      collectWrites(node.operand, true, out);
      return;
    }
    if (T.isVariableDeclaration(node) || T.isBindingElement(node)) {
      if (T.isBindingElement(node) && node.propertyName) collectWrites(node.propertyName, false, out);
      collectWrites(node.name, true, out);
      if (node.initializer) collectWrites(node.initializer, false, out);
      return;
    }
    if (T.isObjectBindingPattern(node) || T.isArrayBindingPattern(node)) {
      for (const e of node.elements) collectWrites(e, false, out);
      return;
    }
    if (T.isFunctionLike(node)) {
      // Its body runs later and can write only locals it captures, which are not in the frame;
      // a declaration's name and a computed method name are written or evaluated here.
      if (T.isFunctionDeclaration(node) && node.name) collectWrites(node.name, true, out);
      else if (node.name !== undefined && T.isComputedPropertyName(node.name)) collectWrites(node.name, false, out);
      return;
    }
    if (T.isClassDeclaration(node) && node.name) {
      collectWrites(node.name, true, out);
    }
    if (isTarget && (T.isArrayLiteralExpression(node) || T.isObjectLiteralExpression(node) || T.isSpreadElement(node) || T.isSpreadAssignment(node) || T.isShorthandPropertyAssignment(node) || T.isPropertyAssignment(node))) {
      // A destructuring target: every name in it may be written (computed keys and defaults are read).
      if (T.isPropertyAssignment(node)) {
        collectWrites(node.name, false, out);
        collectWrites(node.initializer, true, out);
      } else if (T.isShorthandPropertyAssignment(node)) {
        collectWrites(node.name, true, out);
        if (node.objectAssignmentInitializer) collectWrites(node.objectAssignmentInitializer, false, out);
      } else {
        T.forEachChild(node, (c) => collectWrites(c, true, out));
      }
      return;
    }
    if ((T.isForInStatement(node) || T.isForOfStatement(node))) {
      collectWrites(node.initializer, true, out);
      collectWrites(node.expression, false, out);
      collectWrites(node.statement, false, out);
      return;
    }
    if (T.isVariableDeclarationList(node)) {
      for (const d of node.declarations) collectWrites(d, false, out);
      return;
    }
    T.forEachChild(node, (c) => collectWrites(c, false, out));
  }

  /**
   * The local a statement assigns as its very last action: `x = e;`, `x op= e;`, `x++;`,
   * `let x = e;` where `e` does not write `x` — if the statement throws, `x` is not yet written.
   */
  function lastWriteOf(node: ts.Statement): LocalId | undefined {
    let target: ts.Node | undefined;
    let value: ts.Node | undefined;
    if (T.isExpressionStatement(node)) {
      const e = node.expression;
      if (T.isBinaryExpression(e) && e.operatorToken.kind >= SK.FirstAssignment && e.operatorToken.kind <= SK.LastAssignment) [target, value] = [e.left, e.right];
      else if ((T.isPrefixUnaryExpression(e) || T.isPostfixUnaryExpression(e)) && (e.operator === SK.PlusPlusToken || e.operator === SK.MinusMinusToken)) target = e.operand;
    } else if (T.isVariableStatement(node) && node.declarationList.declarations.length === 1) {
      const d = node.declarationList.declarations[0];
      [target, value] = [d.name, d.initializer];
    }
    if (target === undefined || !T.isIdentifier(target)) return undefined;
    const local = localOf(target);
    if (local === undefined || !layout.offsetOf.has(local)) return undefined;
    if (value !== undefined && collectWritesOf(value).has(local)) return undefined;
    return local;
  }
  function collectWritesOf(node: ts.Node): Set<LocalId> {
    const out = new Set<LocalId>();
    collectWrites(node, false, out);
    return out;
  }

  /** Does `node` read the parameters (`$am_args`, the frame when parameters are passed in it)? */
  function readsArguments(node: ts.Node): boolean {
    return T.isIdentifier(node) ? node.text === "$am_args" : T.forEachChild(node, readsArguments) === true;
  }

  /** `x = $am_args[i]` (a parameter read from the frame) with `x` kept at offset `i`: x's local. */
  function frameLoadOf(node: ts.Statement): LocalId | undefined {
    if (input.paramsInFrame === undefined || !T.isExpressionStatement(node)) return undefined;
    const e = node.expression;
    if (!T.isBinaryExpression(e) || e.operatorToken.kind !== SK.EqualsToken || !T.isIdentifier(e.left)) return undefined;
    const r = e.right;
    if (!T.isElementAccessExpression(r) || !T.isIdentifier(r.expression) || r.expression.text !== "$am_args" || !T.isNumericLiteral(r.argumentExpression)) return undefined;
    const local = localOf(e.left);
    return local !== undefined && layout.offsetOf.get(local) === Number(r.argumentExpression.text) ? local : undefined;
  }

  // Dead slots to clear at each suspend: every suspend clears what it does not keep, so what
  // can still be in the frame when the machine reaches suspend k is only what the suspends it
  // can come from (directly, with no suspend between) kept. Those offsets, minus k's own fields,
  // are cleared — nothing dead stays reachable, and no store is spent on a slot already empty.
  const staleOffsets = new Map<number, Set<number>>();
  {
    const fieldsOf = (state: number): number[] => layout.states.find((x) => x.state === state)?.fields.map(([, o]) => o) ?? [];
    for (const sp of cfg.suspends) staleOffsets.set(sp.state, new Set());
    // Parameters passed in the frame fill its first offsets before the first suspend.
    const params = Array.from({ length: input.paramsInFrame ?? 0 }, (_, i) => i);
    const starts: Array<[number, number[]]> = [[cfg.entry, params], ...cfg.suspends.map((sp): [number, number[]] => [sp.resume, fieldsOf(sp.state)])];
    // A store moved to where a local is written fills its slot from there on.
    for (const [block, at] of slotPlan.stores) starts.push([block, [...at.values()].flat().map((l) => layout.offsetOf.get(l)!)]);
    for (const [start, kept] of starts) {
      const seen = new Set<number>();
      const work = [start];
      while (work.length) {
        const id = work.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        const b = cfg.blocks[id];
        if (b.term.kind === TerminatorKind.Suspend) {
          for (const o of kept) staleOffsets.get(b.term.point)!.add(o);
          continue;
        }
        work.push(...successors(b.term));
        for (const op of b.ops) work.push(...op.exits.map((e) => e.block));
        if (b.region !== undefined) work.push(cfg.regions[b.region].handler);
      }
    }
  }

  /** `x = $f[offset] /* x *\/;` */
  function loadStatement(local: LocalId, offset: number): ts.Statement {
    return F.createExpressionStatement(F.createAssignment(F.createIdentifier(locals[local].name), frameSlot(offset, locals[local].sourceName)));
  }

  /** A block's code: its operations, then its terminator (jumps to inlined blocks emit them). */
  function emitBlockCode(b: Block, next: number | undefined, stmts: ts.Statement[]): void {
    // Fields a loop's resume left in the frame for this (cold) block to load.
    for (const local of slotPlan.loads.get(b.id) ?? []) stmts.push(loadStatement(local, layout.offsetOf.get(local)!));
    const stores = slotPlan.stores.get(b.id);
    b.ops.forEach((op, i) => {
      const jumpsBefore = pendingJumps;
      stmts.push(rewrite(op.node, false, new Set()) as ts.Statement);
      for (const local of stores?.get(i) ?? []) stmts.push(F.createExpressionStatement(F.createAssignment(frameSlot(layout.offsetOf.get(local)!, locals[local].sourceName), F.createIdentifier(locals[local].name))));
      // A kept statement that can start a jump may also finish normally after an exception
      // cancelled that jump inside it (caught by its own catch): nothing may stay pending.
      if (pendingJumps !== jumpsBefore) stmts.push(F.createExpressionStatement(F.createAssignment(F.createIdentifier(gName), F.createPrefixMinus(F.createNumericLiteral(1)))));
    });
    stmts.push(...emitTerminator(b, next));
  }

  // Case order: a case whose code ends by going on to another case is followed by that case when
  // it can be, so the jump is a fall-through (`$l = k;` and no trip through the switch). Cases
  // come in source order (the entry, then the states), except that where the entry and a resume
  // block go on to the same case — a loop's head — the resume block gets the fall-through: it
  // runs at every await, the entry once.
  /** The case a block's code ends by going to (through the blocks it inlines), if any. */
  const tailOf = (b: Block): number | undefined => {
    const term = b.term;
    const to = term.kind === TerminatorKind.Goto ? term.target : term.kind === TerminatorKind.Branch ? term.else : term.kind === TerminatorKind.EndFinally ? term.next : undefined;
    if (to === undefined) return undefined;
    return inlines(to) ? tailOf(cfg.blocks[forward(to)]) : forward(to);
  };
  const isResume = (b: Block): boolean => label(b.id) >= FIRST_SUSPEND_STATE && label(b.id) < stateNames.length;
  const order: Block[] = [];
  {
    const placed = new Set<number>();
    const roots = [...caseBlocks].sort((a, b) => label(a.id) - label(b.id));
    const wantedByResume = new Set<number>();
    for (const b of roots) if (isResume(b)) for (let t = tailOf(b), k = 0; t !== undefined && k < roots.length; t = tailOf(cfg.blocks[t]), k++) wantedByResume.add(t);
    for (const root of roots) {
      for (let b: Block | undefined = root; b !== undefined && !placed.has(b.id); ) {
        placed.add(b.id);
        order.push(b);
        const tail = tailOf(b);
        const fromResumeChain = isResume(root);
        b = tail !== undefined && !inlined.has(tail) && (fromResumeChain || !wantedByResume.has(tail)) ? cfg.blocks[tail] : undefined;
      }
    }
  }

  const clauses: ts.CaseClause[] = [];
  order.forEach((block, i) => {
    const stmts: ts.Statement[] = [];
    const suspend = cfg.suspends.find((s) => s.resume === block.id);
    if (suspend) {
      // Resume: take the live values back from the frame, then deliver the awaited outcome.
      const fields = layout.states.find((s) => s.state === suspend.state)!.fields;
      const deferred = slotPlan.deferred.get(block.id);
      for (const [local, offset] of fields) if (!deferred?.has(local)) stmts.push(loadStatement(local, offset));
      stmts.push(F.createIfStatement(F.createIdentifier(tName), F.createThrowStatement(F.createIdentifier(vName))));
    }
    if (block.id === cfg.entry && layout.capturedSize > 0) {
      // Captured locals live as long as the closures that see them: their own array, not the frame.
      stmts.push(F.createExpressionStatement(F.createAssignment(m("c"), F.createArrayLiteralExpression(Array.from({ length: layout.capturedSize }, () => F.createVoidZero())))));
    }
    emitBlockCode(block, order[i + 1]?.id, stmts);
    const name = label(block.id) < stateNames.length ? stateNames[label(block.id)] : undefined;
    clauses.push(F.createCaseClause(name ? commented(label(block.id), name) : F.createNumericLiteral(label(block.id)), stmts));
  });

  // ---------------------------------------------------------------- exception dispatch

  // A machine whose blocks only fall through or return (no loop, no try, no kept jump) needs no
  // dispatch loop: its resume function is `switch ($m.s) { … }`, and the `$l` updates of its
  // fall-through gotos are dead (only the loop head and a catch dispatch read `$l`).
  if (backJumps === 0 && !usesPendingGoto && cfg.regions.length === 0) {
    // The updates sit in the statement lists the emitter built (cases, blocks, ifs); user code is not walked.
    const dropUpdates = (n: ts.Node): ts.Node | undefined => {
      if (labelUpdates.has(n)) return undefined;
      const built = T.isCaseBlock(n) || T.isCaseClause(n) || T.isDefaultClause(n) || T.isBlock(n) || T.isIfStatement(n);
      return built ? T.visitEachChild(n, dropUpdates, undefined) : n;
    };
    const straight = F.createSwitchStatement(m("s"), T.visitNode(F.createCaseBlock(clauses), dropUpdates) as ts.CaseBlock);
    return finish([straight], false);
  }
  let body: ts.Statement = F.createSwitchStatement(F.createIdentifier(lName), F.createCaseBlock(clauses));
  if (cfg.regions.length > 0) {
    const byRegion = new Map<number, number[]>();
    for (const b of [...order, ...cfg.blocks.filter((x) => crossRegion.has(x.id))]) if (b.region !== undefined) (byRegion.get(b.region) ?? byRegion.set(b.region, []).get(b.region)!).push(label(b.id));
    const dispatch: ts.CaseClause[] = [];
    for (const [regionId, labels] of byRegion) {
      const r = cfg.regions[regionId];
      const err = F.createIdentifier(eName);
      const enter = r.kind === RegionKind.Catch ? [assign(r.completion, err)] : [assign(r.completion, F.createNumericLiteral(Completion.Throw)), assign(r.value!, err)];
      // An exception cancels a jump still pending from a kept statement (its finally threw).
      if (usesPendingGoto) enter.push(F.createExpressionStatement(F.createAssignment(F.createIdentifier(gName), F.createPrefixMinus(F.createNumericLiteral(1)))));
      labels.forEach((l, k) => {
        const isLast = k === labels.length - 1;
        dispatch.push(F.createCaseClause(F.createNumericLiteral(l), isLast ? [...enter, ...gotoStatements(r.handler, undefined)] : []));
      });
    }
    body = F.createTryStatement(
      F.createBlock([body], true),
      F.createCatchClause(eName, F.createBlock([F.createSwitchStatement(F.createIdentifier(lName), F.createCaseBlock(dispatch)), F.createThrowStatement(F.createIdentifier(eName))], true)),
      undefined,
    );
  }

  const loopBody: ts.Statement[] = [body];
  if (usesPendingGoto) {
    // if ($g >= 0) { $l = $g; $g = -1; }
    loopBody.unshift(
      F.createIfStatement(
        F.createGreaterThanEquals(F.createIdentifier(gName), F.createNumericLiteral(0)),
        F.createBlock([F.createExpressionStatement(F.createAssignment(F.createIdentifier(lName), F.createIdentifier(gName))), F.createExpressionStatement(F.createAssignment(F.createIdentifier(gName), F.createPrefixMinus(F.createNumericLiteral(1))))], false),
      ),
    );
  }
  return finish([F.createLabeledStatement(loopLabel, F.createForStatement(undefined, undefined, undefined, F.createBlock(loopBody, true)))], true);

  /**
   * Marks the identifiers the resume function binds itself — its parameters, registers and
   * dispatch variables, all synthesized here — as never substituted: TypeScript's module
   * transform otherwise asks, for each printed identifier, whether it names an import or an
   * export (a lookup that, per identifier, cost more than printing it). They cannot: they are
   * declared in the resume function. Identifiers of the original code are left as they are.
   */
  function markOwnNames(root: ts.Node): void {
    const own = new Set([mName, vName, tName, lName, eName, gName, fName, loopLabel]);
    for (const l of locals) if (l.storage === LocalStorage.Register) own.add(l.name);
    // (setEmitFlags replaces the flags; the node's own are read where the API keeps them.)
    const mark = (n: ts.Node): void => void T.setEmitFlags(n, ((n as { emitNode?: { flags?: number } }).emitNode?.flags ?? 0) | T.EmitFlags.NoSubstitution);
    const synthesized = (n: ts.Node): boolean => n.pos === -1;
    const isOwn = (n: ts.Node): boolean => synthesized(n) && T.isIdentifier(n) && own.has(n.text);
    /** `$m.s`, `$f[0]`, `x` (a register): what the resume function's own code reads and writes. */
    const isOwnPlace = (n: ts.Node): boolean => isOwn(n) || (synthesized(n) && (T.isPropertyAccessExpression(n) || T.isElementAccessExpression(n)) && isOwn(n.expression));
    const walk = (n: ts.Node): void => {
      if (T.isIdentifier(n)) {
        if (isOwn(n)) mark(n);
        return;
      }
      // Nested functions are kept code (and a nested machine was marked when it was emitted).
      if (T.isFunctionLike(n)) return;
      // A property name never names an import; `$m.ret(x)`, `$f[0] = x`, `$l = 3` are ours.
      if (T.isPropertyAccessExpression(n) && synthesized(n.name)) mark(n.name);
      else if (T.isCallExpression(n) && synthesized(n) && T.isPropertyAccessExpression(n.expression) && isOwn(n.expression.expression)) mark(n);
      else if (T.isBinaryExpression(n) && synthesized(n) && n.operatorToken.kind === SK.EqualsToken && isOwnPlace(n.left)) mark(n);
      T.forEachChild(n, walk);
    };
    T.forEachChild(root, walk);
  }

  /** The resume function around `dispatch`, with `let $l = $m.s` when the dispatch loops. */
  function finish(dispatch: ts.Statement[], loops: boolean): EmittedMachine {
    const registers = locals.filter((l) => l.storage === LocalStorage.Register).map((l) => F.createVariableDeclaration(l.name));
    const resumeBody: ts.Statement[] = [];
    // The body keeps its strictness wherever the resume function is placed (a class method's
    // resume sits outside the class; a function may be strict by its own directive) — said
    // again only where the file around it is not strict.
    if (isStrictCode(T, fn, scopes.alwaysStrict) && !isStrictCode(T, fn.getSourceFile(), scopes.alwaysStrict)) resumeBody.push(F.createExpressionStatement(F.createStringLiteral("use strict")));
    if (registers.length) resumeBody.push(F.createVariableStatement(undefined, F.createVariableDeclarationList(registers, T.NodeFlags.Let)));
    resumeBody.push(...hoisted);
    if (usesFrame) resumeBody.push(F.createVariableStatement(undefined, F.createVariableDeclarationList([F.createVariableDeclaration(fName, undefined, undefined, m("f"))], T.NodeFlags.Const)));
    if (loops) resumeBody.push(F.createVariableStatement(undefined, F.createVariableDeclarationList([F.createVariableDeclaration(lName, undefined, undefined, m("s"))], T.NodeFlags.Let)));
    if (usesPendingGoto) resumeBody.push(F.createVariableStatement(undefined, F.createVariableDeclarationList([F.createVariableDeclaration(gName, undefined, undefined, F.createPrefixMinus(F.createNumericLiteral(1)))], T.NodeFlags.Let)));
    resumeBody.push(...dispatch);

    const resume = F.createFunctionDeclaration(undefined, undefined, machineNames.resume, undefined, [mName, vName, tName].map((n) => F.createParameterDeclaration(undefined, undefined, n)), undefined, F.createBlock(resumeBody, true));
    T.setEmitFlags(resume, T.EmitFlags.None);
    markOwnNames(resume);

    const stateEnum = F.createVariableStatement(
      undefined,
      F.createVariableDeclarationList([F.createVariableDeclaration(machineNames.states, undefined, undefined, F.createCallExpression(rt("states"), undefined, [F.createArrayLiteralExpression(stateNames.map((s) => F.createStringLiteral(s)))]))], T.NodeFlags.None),
    );
    return { stateEnum, resume, frameSize: layout.frameSize, stateNames };
  }
}
