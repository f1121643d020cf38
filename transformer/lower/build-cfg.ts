/**
 * Lowers the body of one async function into a control-flow graph (cfg.ts).
 *
 * In:  the function node, the file's scope analysis, a name manager.
 * Out: `LoweredFunction`: the Cfg plus what the emitter needs to print kept statements
 *      (which locals a source binding became, how a `break` inside a kept statement jumps).
 *
 * Only statements that hold an `await` are taken apart ("exploded", regenerator's word); every
 * other statement is kept whole as one op and runs natively, its own loops, closures and
 * per-iteration bindings included. Bindings of exploded scopes become locals of the machine.
 *
 * Each statement kind has a lowering picture before its case, in TypeScript's generators.ts style:
 *     [source]  while (cond) body
 *     [lowered] head: branch cond ? body : exit;  body: …; goto head;  exit:
 *
 * Unsupported input throws `Unsupported` (the function is then left native and reported).
 */
import type * as ts from "typescript";
import { BindingKind, boundNames, isStrictCode, type Binding, type Scope, type Scopes } from "../analyze/scopes";
import { containsAwait, skipOuterExpressions } from "../analyze/contains-await";
import { compoundToBinary, isAssignmentOperator } from "./operators";
import { createExpressionLowering, isAnonymousDefinition, namedDefinition } from "./linearize-expression";
import { NameManager as NameManagerImpl, type NameManager } from "../names";
import {
  Completion,
  LocalKind,
  LocalStorage,
  RegionKind,
  TerminatorKind,
  type Block,
  type BlockId,
  type Cfg,
  type Local,
  type LocalId,
  type Op,
  type Region,
  type RegionId,
  type SuspendPoint,
  type Terminator,
  type JumpContinuation,
} from "./cfg";

export class Unsupported extends Error {
  constructor(
    readonly node: ts.Node,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** How a jump inside a kept statement is rewritten. */
export type JumpRewrite =
  /** `return m.ret(value)` */
  | { kind: "return"; value: ts.Expression | undefined }
  /** assignments (completion locals), then continue at `target` */
  | {
      kind: "goto";
      assigns: Array<[LocalId, ts.Expression | number]>;
      target: BlockId;
      /**
       * The jump leaves a kept `try … finally`: that finally runs first and may throw, which must
       * be dispatched from the block the jump started in — so the target is set only once the
       * jump reaches the machine loop (`$g`, see emit). (Emit routes every jump out of a kept
       * statement that way; this records why it must.)
       */
      throughKeptFinally?: boolean;
    };

export interface LoweredFunction {
  readonly cfg: Cfg;
  /** The machine local each source binding of an exploded scope became. */
  readonly localOfBinding: ReadonlyMap<Binding, LocalId>;
  /** Synthesized identifiers that stand for temporaries. */
  readonly tempOfIdentifier: ReadonlyMap<ts.Identifier, LocalId>;
  /** Stand-in for the value the machine was resumed with (`v` of the resume function). */
  readonly resumeValue: ts.Identifier;
  /** Jumps inside kept statements that leave them. */
  readonly jumpRewrites: ReadonlyMap<ts.Node, JumpRewrite>;
  /** Function declarations hoisted to their scope's entry as assignments. */
  readonly hoistedFunctions: ReadonlySet<ts.Node>;
  /** Environment records: holder local → the locals stored in it. */
  readonly envFields: ReadonlyMap<LocalId, LocalId[]>;
  /** Per suspend point: the block its first op (reading the resumed value) starts. */
  readonly paramsSimple: boolean;
}

type JumpScope =
  | { kind: "loop"; labels: string[]; breakTarget: BlockId; continueTarget: BlockId; iterator?: IteratorScope }
  | { kind: "label"; labels: string[]; breakTarget: BlockId }
  | { kind: "switch"; labels: string[]; breakTarget: BlockId }
  | { kind: "finally"; fin: FinallyInfo };

interface FinallyInfo {
  entry: BlockId;
  completion: LocalId;
  value: LocalId;
  /** Terminator of the finally's end, filled in as jumps through it are lowered. */
  jumps: Map<number, JumpContinuation>;
  /** The finally enclosing this one, if any (for pending returns). */
  outer: FinallyInfo | undefined;
}

interface IteratorScope {
  fin: FinallyInfo;
}

export function buildCfg(tsApi: typeof ts, fn: ts.FunctionLikeDeclaration, scopes: Scopes, names: NameManager): LoweredFunction {
  const T = tsApi;
  const F = T.factory;
  const SK = T.SyntaxKind;

  const blocks: Block[] = [];
  const locals: Local[] = [];
  const regions: Region[] = [];
  const suspends: SuspendPoint[] = [];
  const localOfBinding = new Map<Binding, LocalId>();
  const tempOfIdentifier = new Map<ts.Identifier, LocalId>();
  const jumpRewrites = new Map<ts.Node, JumpRewrite>();
  const hoistedFunctions = new Set<ts.Node>();
  const envFields = new Map<LocalId, LocalId[]>();
  const resumeValue = F.createIdentifier("$resumeValue");
  // Locals keep their source names unless that would hide a name the body reads from outside
  // (or two hoisted bindings share a name): those get `_1`, `_2`….
  const localNames = new NameManagerImpl(namesFromOutside(T, fn, scopes));
  const stateNames = new Set<string>();
  const file = fn.getSourceFile();

  let current: Block;
  let region: RegionId | undefined;
  const jumpStack: JumpScope[] = [];
  let pendingLabels: string[] = [];
  const finallyByCompletion = new Map<LocalId, FinallyInfo>();
  const unreachable = F.createThrowStatement(F.createIdentifier("undefined"));

  // ---------------------------------------------------------------- blocks and ops

  function newBlock(): Block {
    const block: Block = { id: blocks.length, ops: [], term: { kind: TerminatorKind.Return, value: undefined, uses: new Set() }, region };
    blocks.push(block);
    return block;
  }
  /** Starts emitting into `block` (TS `markLabel`). */
  function mark(block: Block): void {
    current = block;
  }
  function terminate(term: Terminator): void {
    current.term = term;
    // Whatever follows a terminator is unreachable until the next mark; give it a block anyway.
    current = newBlock();
    void unreachable;
  }
  function branchTo(test: ts.Expression, whenTrue: BlockId, whenFalse: BlockId): void {
    terminate({ kind: TerminatorKind.Branch, test, uses: usesOf(test, new Set()), then: whenTrue, else: whenFalse });
  }
  /** Lowers a loop body with its break and continue targets on the jump stack. */
  function lowerLoopBody(body: ts.Statement, labels: string[], breakTarget: BlockId, continueTarget: BlockId, iterator?: IteratorScope): void {
    jumpStack.push({ kind: "loop", labels, breakTarget, continueTarget, iterator });
    lowerStatement(body);
    jumpStack.pop();
  }
  function goto(target: Block | BlockId): void {
    terminate({ kind: TerminatorKind.Goto, target: typeof target === "number" ? target : target.id });
  }
  function emitOp(node: ts.Statement, defs: Iterable<LocalId> = [], exits: Op["exits"] = []): void {
    const op: Op = { node, uses: usesOf(node, new Set(defs)), defs: new Set(defs), exits };
    current.ops.push(op);
  }
  function emitAssign(target: LocalId, value: ts.Expression, alsoKills: LocalId[] = []): void {
    const id = identifierFor(target);
    emitOp(F.createExpressionStatement(F.createAssignment(id, value)), [...(locals[target].storage === LocalStorage.Register ? [target] : []), ...alsoKills]);
  }
  /**
   * `$ct = code` for a normal completion or a jump into a finally. The completion value is only
   * read for return and throw completions, which always set it: here it counts as written (no
   * code), so a stale value is never kept alive across an await.
   */
  function emitCompletion(fin: { completion: LocalId; value: LocalId }, code: number): void {
    emitAssign(fin.completion, F.createNumericLiteral(code), [fin.value]);
  }

  // ---------------------------------------------------------------- locals

  function newLocal(kind: LocalKind, sourceName: string, name: string, isConst = false): LocalId {
    const id = locals.length;
    locals.push({ id, kind, sourceName, name, storage: LocalStorage.Register, tdz: false, isConst });
    return id;
  }
  function newTemp(what: string): LocalId {
    return newLocal(LocalKind.Temp, what, names.claim(`$${what}`));
  }
  /** A fresh synthesized identifier that refers to `local` (emit maps it back). */
  function identifierFor(local: LocalId): ts.Identifier {
    const id = F.createIdentifier(locals[local].name);
    tempOfIdentifier.set(id, local);
    return id;
  }

  /** Makes the bindings of an exploded scope machine locals; returns env-record setup ops. */
  function declareScope(scopeNode: ts.Node, isFunctionScope: boolean, beforeHoisting?: () => void): void {
    const scope = scopes.scopeOf.get(scopeNode);
    if (!scope) return;
    const captured: LocalId[] = [];
    for (const binding of scope.bindings.values()) {
      if (localOfBinding.has(binding)) continue;
      const isConst = binding.kind === BindingKind.Const;
      const local = newLocal(LocalKind.Binding, binding.name, localNames.claim(binding.name), isConst);
      localOfBinding.set(binding, local);
      const l = locals[local];
      // Parameters have a dead zone too when defaults are evaluated: `(a = b, b) => …` throws.
      const lexical = binding.kind === BindingKind.Let || binding.kind === BindingKind.Const || binding.kind === BindingKind.Class;
      const paramWithDefaults = binding.kind === BindingKind.Param && fn.parameters.some((p) => p.initializer !== undefined);
      l.tdz = (lexical || paramWithDefaults) && mayReadBeforeInit(binding);
      if (binding.captured) {
        if (isFunctionScope) l.storage = LocalStorage.Captured;
        else captured.push(local);
      }
    }
    if (captured.length > 0) {
      const holder = newTemp("env");
      envFields.set(holder, captured);
      for (const c of captured) {
        locals[c].storage = LocalStorage.Env;
        locals[c].env = holder;
      }
      // $env = { x: TDZ-or-undefined, … }: a fresh binding per entry of the scope.
      emitAssign(holder, F.createObjectLiteralExpression(captured.map((c) => F.createPropertyAssignment(locals[c].name, initialValue(c)))));
    }
    // The scope's other bindings that can be read before their declaration start in their dead zone.
    for (const binding of scope.bindings.values()) {
      const local = localOfBinding.get(binding)!;
      const l = locals[local];
      if (l.storage !== LocalStorage.Register && l.storage !== LocalStorage.Captured) continue;
      if (l.tdz) emitAssign(local, tdzMarker());
    }
    beforeHoisting?.();
    // Function declarations of the scope are created on entry (hoisting).
    const statements = T.isSourceFile(scopeNode) || T.isBlock(scopeNode) ? scopeNode.statements : T.isFunctionLike(scopeNode) && (scopeNode as ts.FunctionLikeDeclaration).body && T.isBlock((scopeNode as ts.FunctionLikeDeclaration).body!) ? ((scopeNode as ts.FunctionLikeDeclaration).body as ts.Block).statements : T.isCaseBlock(scopeNode) ? scopeNode.clauses.flatMap((c) => [...c.statements]) : [];
    for (const s of statements) {
      if (T.isFunctionDeclaration(s) && s.name && s.body) {
        const binding = scopes.decls.get(s.name)!;
        const local = localOfBinding.get(binding)!;
        hoistedFunctions.add(s);
        emitOp(F.createExpressionStatement(F.createAssignment(identifierFor(local), s as unknown as ts.Expression)), locals[local].storage === LocalStorage.Register ? [local] : []);
      }
    }
  }
  function initialValue(local: LocalId): ts.Expression {
    return locals[local].tdz ? tdzMarker() : F.createVoidZero();
  }
  function tdzMarker(): ts.Expression {
    return F.createIdentifier("$am_TDZ");
  }

  /**
   * May a read of this binding happen while it is uninitialized? Reads inside closures, reads
   * that come before the declaration in the text, and anything in a switch's case block may.
   */
  function mayReadBeforeInit(binding: Binding): boolean {
    const decl = binding.declarations[0];
    const declEnd = declarationEnd(decl);
    if (T.isCaseBlock(binding.scope.node)) return binding.references.length > 0;
    for (const ref of binding.references) {
      if (ref.getStart(file) < declEnd) return true;
      if (enclosingFunction(ref) !== enclosingFunction(decl)) {
        // A closure created after the declaration ran cannot see the dead zone.
        const closure = outermostClosureBelow(ref, enclosingFunction(decl));
        if (!closure || closure.getStart(file) < declEnd) return true;
      }
    }
    return false;
  }
  function declarationEnd(decl: ts.Identifier): number {
    let n: ts.Node = decl;
    while (n.parent && !T.isVariableDeclaration(n) && !T.isParameter(n) && !T.isClassDeclaration(n) && !T.isFunctionDeclaration(n)) n = n.parent;
    return n.getEnd();
  }
  function enclosingFunction(node: ts.Node): ts.Node {
    let n = node.parent;
    while (n && !T.isFunctionLike(n) && !T.isSourceFile(n) && !T.isClassStaticBlockDeclaration(n) && !T.isPropertyDeclaration(n)) n = n.parent;
    return n;
  }
  function outermostClosureBelow(node: ts.Node, owner: ts.Node): ts.Node | undefined {
    let found: ts.Node | undefined;
    for (let n = node.parent; n && n !== owner; n = n.parent) if (T.isFunctionLike(n) || T.isClassLike(n)) found = n;
    return found;
  }

  /** Locals an op reads: every identifier in it that names a machine local or a temporary. */
  function usesOf(node: ts.Node, defs: ReadonlySet<LocalId>): Set<LocalId> {
    const uses = new Set<LocalId>();
    const walk = (n: ts.Node): void => {
      if (T.isIdentifier(n)) {
        // A function's or class's own name is not a read of the binding it may share a name with.
        if (n.parent && (T.isFunctionLike(n.parent) || T.isClassLike(n.parent)) && (n.parent as ts.NamedDeclaration).name === n) return;
        let local = tempOfIdentifier.get(n);
        if (local === undefined) {
          const b = scopes.refs.get(n) ?? scopes.decls.get(n);
          if (b) local = localOfBinding.get(b);
        }
        if (local !== undefined) {
          const l = locals[local];
          if (l.storage === LocalStorage.Env) uses.add(l.env!);
          // A write to a binding that may be in its dead zone reads it first (the check), so it is a use.
          else if (l.storage === LocalStorage.Register && (!(defs.has(local) && isAssignmentTargetOf(n, node)) || (l.tdz && scopes.refs.has(n)))) uses.add(local);
        }
        return;
      }
      if (n === resumeValue) return;
      T.forEachChild(n, walk);
    };
    walk(node);
    return uses;
  }
  /** Is `id` the plain target of the assignment statement `node`? */
  function isAssignmentTargetOf(id: ts.Identifier, node: ts.Node): boolean {
    return T.isExpressionStatement(node) && T.isBinaryExpression(node.expression) && node.expression.operatorToken.kind === SK.EqualsToken && node.expression.left === id;
  }
  function localOf(id: ts.Identifier): LocalId | undefined {
    const t = tempOfIdentifier.get(id);
    if (t !== undefined) return t;
    const b = scopes.refs.get(id) ?? scopes.decls.get(id);
    return b ? localOfBinding.get(b) : undefined;
  }

  // ---------------------------------------------------------------- suspends

  /**
   * [source]  await x
   * [lowered] .suspend x → resume;  resume: (the awaited outcome arrives as the resume value)
   * Returns the stand-in for the resume value, valid at the start of the resume block.
   */
  function suspendOn(operand: ts.Expression, awaitNode: ts.AwaitExpression): ts.Identifier {
    const resume = newBlock();
    const state = 3 + suspends.length;
    const pos = file.getLineAndCharacterOfPosition(awaitNode.getStart(file));
    suspends.push({
      state,
      name: stateName(awaitNode.expression, pos.line + 1),
      block: current.id,
      resume: resume.id,
      line: pos.line + 1,
      column: pos.character + 1,
      awaitedText: shorten(awaitNode.expression.getText(file)),
    });
    current.term = { kind: TerminatorKind.Suspend, awaited: operand, uses: usesOf(operand, new Set()), resume: resume.id, point: state };
    mark(resume);
    return resumeValue;
  }
  function suspend(awaitNode: ts.AwaitExpression): ts.Identifier {
    return suspendOn(lowerExpression(awaitNode.expression), awaitNode);
  }
  function stateName(awaited: ts.Expression, line: number): string {
    let e = skipOuterExpressions(T, awaited);
    if (T.isCallExpression(e) || T.isNewExpression(e)) e = skipOuterExpressions(T, e.expression);
    let word = "";
    if (T.isIdentifier(e) || T.isPrivateIdentifier(e)) word = e.text;
    else if (T.isPropertyAccessExpression(e)) word = e.name.text;
    else if (T.isElementAccessExpression(e) && T.isStringLiteralLike(e.argumentExpression)) word = e.argumentExpression.text;
    else if (T.isAwaitExpression(e)) word = "Await";
    word = word.replace(/[^A-Za-z0-9_$]/g, "");
    const base = word ? `Await${word[0].toUpperCase()}${word.slice(1)}_L${line}` : `Await_L${line}`;
    let name = base;
    for (let i = 2; stateNames.has(name); i++) name = `${base}_${i}`;
    stateNames.add(name);
    return name;
  }

  /** Lowers an expression that may hold awaits (linearize-expression.ts); returns what computes the rest. */
  const lowerExpression = createExpressionLowering({
    tsApi: T,
    suspend: suspendOn,
    toTemp(value, what) {
      const t = newTemp(what);
      emitAssign(t, value);
      return identifierFor(t);
    },
    assignTemp(temp, value) {
      emitAssign(tempOfIdentifier.get(temp)!, value);
    },
    emitEffect(expr) {
      emitOp(F.createExpressionStatement(expr), assignedLocal(expr));
    },
    branch(test) {
      const whenTrue = newBlock();
      const whenFalse = newBlock();
      const join = newBlock();
      branchTo(test, whenTrue.id, whenFalse.id);
      let falseMarked = false;
      return {
        whenTrue: () => mark(whenTrue),
        whenFalse: () => {
          goto(join);
          mark(whenFalse);
          falseMarked = true;
        },
        join: () => {
          goto(join);
          if (!falseMarked) {
            mark(whenFalse);
            goto(join);
          }
          mark(join);
        },
      };
    },
    isRegisterLocal(id) {
      // A binding that may be in its dead zone is not stable: reading it may throw, before the await.
      const l = localOf(id);
      return l !== undefined && locals[l].storage === LocalStorage.Register && !locals[l].tdz;
    },
    destructureAssignment,
    reference(id) {
      return identifierFor(localOf(id)!);
    },
    sameLocal(a, b) {
      const l = localOf(a);
      return l !== undefined && l === localOf(b);
    },
    runtime: (name) => F.createIdentifier(`$am_${name}`),
    unsupported(node, reason): never {
      throw new Unsupported(node, reason);
    },
    sourceText: (node) => node.getText(file),
  });
  /** Like lowerExpression, but when the root is `await x` hands back the resume value itself. */
  function lowerToResumeValue(expr: ts.Expression): ts.Expression {
    const e = skipOuterExpressions(T, expr);
    if (T.isAwaitExpression(e) && !containsAwait(T, e.expression)) return suspend(e);
    return lowerExpression(expr);
  }

  // ---------------------------------------------------------------- statements

  function lowerStatements(statements: readonly ts.Statement[]): void {
    for (const s of statements) lowerStatement(s);
  }

  function lowerStatement(node: ts.Statement): void {
    const labels = pendingLabels;
    pendingLabels = [];
    if (!containsAwait(T, node)) {
      lowerKept(node, labels);
      return;
    }
    switch (node.kind) {
      case SK.Block:
        return lowerBlock(node as ts.Block, labels);
      case SK.ExpressionStatement:
        return lowerExpressionStatement(node as ts.ExpressionStatement);
      case SK.VariableStatement:
        return lowerVariableList((node as ts.VariableStatement).declarationList);
      case SK.ReturnStatement:
        return lowerReturn((node as ts.ReturnStatement).expression);
      case SK.ThrowStatement: {
        const value = lowerToResumeValue((node as ts.ThrowStatement).expression);
        return terminate({ kind: TerminatorKind.Throw, value, uses: usesOf(value, new Set()) });
      }
      case SK.IfStatement:
        return lowerIf(node as ts.IfStatement);
      case SK.WhileStatement:
        return lowerWhile(node as ts.WhileStatement, labels);
      case SK.DoStatement:
        return lowerDo(node as ts.DoStatement, labels);
      case SK.ForStatement:
        return lowerFor(node as ts.ForStatement, labels);
      case SK.ForInStatement:
        return lowerForIn(node as ts.ForInStatement, labels);
      case SK.ForOfStatement:
        return lowerForOf(node as ts.ForOfStatement, labels);
      case SK.LabeledStatement: {
        const l = node as ts.LabeledStatement;
        // `x: y: for …`: every label of the stack names the statement they label (its label set).
        if (isIterationStatement(l.statement) || T.isLabeledStatement(l.statement)) {
          pendingLabels = [...labels, l.label.text];
          return lowerStatement(l.statement);
        }
        const exit = newBlock();
        jumpStack.push({ kind: "label", labels: [...labels, l.label.text], breakTarget: exit.id });
        lowerStatement(l.statement);
        jumpStack.pop();
        goto(exit);
        mark(exit);
        return;
      }
      case SK.SwitchStatement:
        return lowerSwitch(node as ts.SwitchStatement, labels);
      case SK.TryStatement:
        return lowerTry(node as ts.TryStatement);
      case SK.ClassDeclaration: {
        // class C { [await k]() {} }  →  C = class C { [$key]() {} } after the keys are evaluated.
        const c = node as ts.ClassDeclaration;
        const local = c.name ? localOf(c.name) : undefined;
        if (local === undefined) throw new Unsupported(node, "`await` in an anonymous class declaration");
        // Computed keys run while the class's own name is not initialized yet
        // (ClassDefinitionEvaluation), and the lowering may move them out of the class, where
        // that name is not the class's: there they read a local kept in its dead zone.
        const inner = scopes.scopeOf.get(c)?.bindings.get(c.name!.text);
        const inKeys = inner?.references.filter((r) => c.members.some((m) => m.name && T.isComputedPropertyName(m.name) && r.pos >= m.name.pos && r.end <= m.name.end)) ?? [];
        const inClosure = inKeys.find((r) => {
          for (let n = r.parent; !T.isComputedPropertyName(n); n = n.parent) if (T.isFunctionLike(n) || T.isClassLike(n)) return true;
          return false;
        });
        if (inClosure) throw new Unsupported(inClosure, "a closure in a computed key that reads its class's own name, in a class split at an `await`, is not supported yet");
        if (inKeys.length > 0) deadZone(inner!, inKeys);
        const expr = F.createClassExpression(c.modifiers?.filter((m) => m.kind !== SK.ExportKeyword && m.kind !== SK.DefaultKeyword), c.name, c.typeParameters, c.heritageClauses, c.members);
        // Scope analysis knows the original members; the class expression reuses them.
        emitAssign(local, lowerExpression(expr));
        return;
      }
      case SK.WithStatement:
        throw new Unsupported(node, "`with` statement");
      default:
        throw new Unsupported(node, `\`await\` in a ${T.SyntaxKind[node.kind]} is not supported`);
    }
  }

  function isIterationStatement(s: ts.Statement): boolean {
    return T.isWhileStatement(s) || T.isDoStatement(s) || T.isForStatement(s) || T.isForInStatement(s) || T.isForOfStatement(s);
  }

  /**
   * A statement without await runs whole. What the emitter changes in it: names of machine
   * locals, `var`/`let` declarations of hoisted bindings (become assignments), and jumps that
   * leave it (`return`, and `break`/`continue` to an exploded statement), recorded here.
   */
  function lowerKept(node: ts.Statement, labels: string[]): void {
    if (T.isFunctionDeclaration(node) && hoistedFunctions.has(node)) return;
    if (T.isEmptyStatement(node)) return;
    // A jump at the exploded level is a terminator (so what follows is known dead).
    if (T.isReturnStatement(node)) return lowerReturn(node.expression);
    if (T.isBreakStatement(node) || T.isContinueStatement(node)) {
      const j = lowerJump(node);
      if (j.kind === "goto") {
        emitJumpAssigns(j);
        goto(j.target);
      }
      return;
    }
    if (T.isThrowStatement(node)) return terminate({ kind: TerminatorKind.Throw, value: node.expression, uses: usesOf(node.expression, new Set()) });
    if (T.isVariableStatement(node) && isHoistedDeclarationList(node.declarationList)) return lowerVariableList(node.declarationList);
    // TypeScript emits an enum as `let E; (function (E) {…})(E || (E = {}))` where it stands: inside
    // a `case` that `let` would shadow the machine's local for the whole switch. (An enum in a
    // block kept whole stays where it is.)
    if (T.isEnumDeclaration(node)) throw new Unsupported(node, "an `enum` declaration in a statement list split at an `await` is not compiled yet (declare it outside the async function)");
    if (T.isClassDeclaration(node) && node.name && localOf(node.name) !== undefined) {
      const local = localOf(node.name)!;
      emitOp(F.createExpressionStatement(F.createAssignment(identifierFor(local), node as unknown as ts.Expression)), defsIfRegister(local));
      return;
    }
    const exits: Array<{ block: BlockId; defs?: ReadonlySet<LocalId> }> = [];
    const exitOf = (j: JumpRewrite): void => {
      if (j.kind !== "goto") return;
      const fin = j.assigns.length > 0 ? finallyByCompletion.get(j.assigns[0][0]) : undefined;
      exits.push({ block: j.target, defs: fin ? new Set([fin.completion, fin.value]) : undefined });
    };
    const inner: string[] = [...labels];
    const walk = (n: ts.Node, loopDepth: number, switchDepth: number, innerLabels: string[], inFinallyTry: boolean): void => {
      if (T.isFunctionLike(n) || T.isClassLike(n)) return;
      const mark = (j: JumpRewrite): JumpRewrite => (j.kind === "goto" && inFinallyTry ? { ...j, throughKeptFinally: true } : j);
      if (T.isReturnStatement(n)) {
        const j = mark(lowerReturnJump(n.expression));
        jumpRewrites.set(n, j);
        exitOf(j);
      } else if (T.isBreakStatement(n) || T.isContinueStatement(n)) {
        const leaves = n.label ? !innerLabels.includes(n.label.text) : T.isBreakStatement(n) ? loopDepth + switchDepth === 0 : loopDepth === 0;
        if (leaves) {
          const j = mark(lowerJump(n));
          jumpRewrites.set(n, j);
          exitOf(j);
        }
      }
      if (T.isLabeledStatement(n)) {
        T.forEachChild(n, (c) => walk(c, loopDepth, switchDepth, [...innerLabels, n.label.text], inFinallyTry));
        return;
      }
      if (T.isTryStatement(n) && n.finallyBlock) {
        walk(n.tryBlock, loopDepth, switchDepth, innerLabels, true);
        if (n.catchClause) walk(n.catchClause, loopDepth, switchDepth, innerLabels, true);
        walk(n.finallyBlock, loopDepth, switchDepth, innerLabels, inFinallyTry);
        return;
      }
      const isLoop = T.isIterationStatement(n, false);
      T.forEachChild(n, (c) => walk(c, loopDepth + (isLoop ? 1 : 0), switchDepth + (T.isSwitchStatement(n) ? 1 : 0), innerLabels, inFinallyTry));
    };
    // A kept statement that is itself a loop/switch owns its unlabeled break/continue; its labels too.
    walk(node, 0, 0, [], false);
    void inner;
    emitOp(node, [], exits);
  }
  function defsIfRegister(local: LocalId): LocalId[] {
    return locals[local].storage === LocalStorage.Register ? [local] : [];
  }
  /** Declarations whose bindings are machine locals (the scope they live in was exploded). */
  function isHoistedDeclarationList(list: ts.VariableDeclarationList): boolean {
    for (const d of list.declarations) for (const id of boundNames(T, d.name)) if (localOf(id) !== undefined) return true;
    return false;
  }

  /**
   * [source]  { let a = 1; … }
   * [lowered] (a's binding becomes a local; `let a = 1` becomes `a = 1`)
   */
  function lowerBlock(node: ts.Block, labels: string[]): void {
    if (labels.length > 0) {
      const exit = newBlock();
      jumpStack.push({ kind: "label", labels, breakTarget: exit.id });
      declareScope(node, false);
      lowerStatements(node.statements);
      jumpStack.pop();
      goto(exit);
      mark(exit);
      return;
    }
    declareScope(node, false);
    lowerStatements(node.statements);
  }

  /**
   * [source]  x = await e;   x += await e;   o.p = await e;   await e;
   * [lowered] t = x (compound only); .suspend e; x = t + $resume
   */
  function lowerExpressionStatement(node: ts.ExpressionStatement): void {
    const e = skipOuterExpressions(T, node.expression);
    if (T.isAwaitExpression(e)) {
      suspend(e);
      return;
    }
    const rest = lowerExpression(node.expression);
    // What is left may be a temporary holding the value: nothing more to run then.
    if (!(T.isIdentifier(rest) && tempOfIdentifier.has(rest))) emitOp(F.createExpressionStatement(rest), assignedLocal(rest));
  }



  /**
   * [source]  let a = 1, { b } = await f(), c;
   * [lowered] a = 1; .suspend f() → r; ({ b } = $resume); c = undefined
   */
  function lowerVariableList(list: ts.VariableDeclarationList): void {
    // (`using` declarations never get here: checkSupported leaves their function native.)
    const isVar = !(list.flags & (T.NodeFlags.Let | T.NodeFlags.Const));
    for (const d of list.declarations) {
      if (!d.initializer) {
        // `let x;` (re)initializes x to undefined each time it runs; `var x;` does nothing.
        if (!isVar && T.isIdentifier(d.name)) {
          const local = localOf(d.name);
          if (local !== undefined) emitAssign(local, F.createVoidZero());
        }
        continue;
      }
      const value = lowerToResumeValue(d.initializer);
      bindPattern(d.name, value);
    }
  }
  /** Assigns `value` to a binding name or pattern whose identifiers are machine locals. */
  function bindPattern(name: ts.BindingName, value: ts.Expression): void {
    if (T.isIdentifier(name)) {
      const local = localOf(name);
      if (local === undefined) throw new Unsupported(name, "internal: binding without a local");
      emitOp(F.createExpressionStatement(F.createAssignment(name, value)), defsIfRegister(local));
      return;
    }
    if (containsAwait(T, name)) {
      const v = skipOuterExpressions(T, value);
      return destructure(name, value, T.isIdentifier(v) && !tempOfIdentifier.has(v) && v !== resumeValue ? v.text : "");
    }
    // Defaults inside a pattern may read locals assigned earlier in the same pattern, so the
    // pattern's own bindings are not counted as surely written (conservative).
    emitOp(F.createExpressionStatement(F.createAssignment(patternToAssignmentTarget(name), value)), []);
  }

  /**
   * A pattern (binding or assignment) as the destructuring lowering walks it: leaves are either
   * bindings being declared or references being assigned (`o.p`, `a[i]`, an identifier).
   */
  type PatternTarget =
    | { kind: "binding"; name: ts.Identifier }
    | { kind: "reference"; expr: ts.Expression }
    | { kind: "object"; elements: Array<{ key: ts.PropertyName | undefined; rest: boolean; target: PatternTarget; initializer: ts.Expression | undefined }> }
    | { kind: "array"; elements: Array<{ omitted: boolean; rest: boolean; target: PatternTarget | undefined; initializer: ts.Expression | undefined }> };

  function fromBindingName(name: ts.BindingName): PatternTarget {
    if (T.isIdentifier(name)) return { kind: "binding", name };
    if (T.isObjectBindingPattern(name)) {
      return { kind: "object", elements: name.elements.map((e) => ({ key: e.propertyName ?? (e.dotDotDotToken ? undefined : (e.name as ts.Identifier)), rest: !!e.dotDotDotToken, target: fromBindingName(e.name), initializer: e.initializer })) };
    }
    return { kind: "array", elements: name.elements.map((e) => (T.isOmittedExpression(e) ? { omitted: true, rest: false, target: undefined, initializer: undefined } : { omitted: false, rest: !!e.dotDotDotToken, target: fromBindingName(e.name), initializer: e.initializer })) };
  }
  /** `[a, o.p = 1, ...r] = …` / `({ a, b: o.q = 2, ...r } = …)` */
  function fromAssignmentPattern(expr: ts.Expression): PatternTarget {
    const e = skipOuterExpressions(T, expr);
    if (T.isObjectLiteralExpression(e)) {
      return {
        kind: "object",
        elements: e.properties.map((p) => {
          if (T.isSpreadAssignment(p)) return { key: undefined, rest: true, target: fromAssignmentPattern(p.expression), initializer: undefined };
          if (T.isShorthandPropertyAssignment(p)) return { key: p.name, rest: false, target: { kind: "reference", expr: p.name } as PatternTarget, initializer: p.objectAssignmentInitializer };
          if (T.isPropertyAssignment(p)) {
            const init = skipOuterExpressions(T, p.initializer);
            const withDefault = T.isBinaryExpression(init) && init.operatorToken.kind === SK.EqualsToken;
            return { key: p.name, rest: false, target: fromAssignmentPattern(withDefault ? init.left : p.initializer), initializer: withDefault ? init.right : undefined };
          }
          throw new Unsupported(p, "this member cannot be an assignment target");
        }),
      };
    }
    if (T.isArrayLiteralExpression(e)) {
      return {
        kind: "array",
        elements: e.elements.map((el) => {
          if (T.isOmittedExpression(el)) return { omitted: true, rest: false, target: undefined, initializer: undefined };
          if (T.isSpreadElement(el)) return { omitted: false, rest: true, target: fromAssignmentPattern(el.expression), initializer: undefined };
          const x = skipOuterExpressions(T, el);
          if (T.isBinaryExpression(x) && x.operatorToken.kind === SK.EqualsToken) return { omitted: false, rest: false, target: fromAssignmentPattern(x.left), initializer: x.right };
          return { omitted: false, rest: false, target: fromAssignmentPattern(el), initializer: undefined };
        }),
      };
    }
    return { kind: "reference", expr: e };
  }

  /** Destructuring assignment with awaits inside its pattern; returns the source value. */
  function destructureAssignment(pattern: ts.Expression, value: ts.Expression): ts.Expression {
    const source = newTemp("value");
    emitAssign(source, value);
    destructureTarget(fromAssignmentPattern(pattern), identifierFor(source), "");
    return identifierFor(source);
  }

  /**
   * Evaluates an assignment target's reference now (its object and key, as native does before
   * reading the value); returns how to store into it later.
   */
  function prepareReference(target: PatternTarget): (value: ts.Expression) => void {
    if (target.kind === "binding") return (value) => bindPattern(target.name, value);
    if (target.kind !== "reference") return (value) => destructureTarget(target, value, "");
    const e = target.expr;
    if (T.isIdentifier(e)) {
      return (value) => {
        const local = localOf(e);
        emitOp(F.createExpressionStatement(F.createAssignment(e, value)), local !== undefined ? defsIfRegister(local) : []);
      };
    }
    if ((T.isPropertyAccessExpression(e) || T.isElementAccessExpression(e)) && e.expression.kind !== SK.SuperKeyword) {
      const obj = newTemp("object");
      emitAssign(obj, lowerExpression(e.expression));
      let key: LocalId | undefined;
      if (T.isElementAccessExpression(e)) {
        key = newTemp("key");
        emitAssign(key, lowerExpression(e.argumentExpression));
      }
      return (value) => {
        const ref = T.isPropertyAccessExpression(e) ? F.createPropertyAccessExpression(identifierFor(obj), e.name) : F.createElementAccessExpression(identifierFor(obj), identifierFor(key!));
        emitOp(F.createExpressionStatement(F.createAssignment(ref, value)));
      };
    }
    if (containsAwait(T, e)) throw new Unsupported(e, "`await` inside this destructuring target is not supported yet");
    return (value) => emitOp(F.createExpressionStatement(F.createAssignment(e, value)));
  }

  /**
   * A pattern with awaits in defaults or computed keys, taken apart in native order:
   * [source]  const { a = await d(), [await k()]: b, ...rest } = obj;
   * [lowered] $value = obj; (TypeError if null/undefined); $prop = $value.a;
   *           branch $prop === undefined ? dflt : bind;  dflt: $prop = await d();  bind: a = $prop;
   *           $key = await k(); b = $value[$key]; rest = $am.objectRest($value, ["a", $key])
   */
  function destructure(name: ts.BindingName, value: ts.Expression, sourceName = ""): void {
    destructureTarget(fromBindingName(name), value, sourceName);
  }
  function destructureTarget(target: PatternTarget, value: ts.Expression, sourceName: string): void {
    if (target.kind === "binding" || target.kind === "reference") return prepareReference(target)(value);
    if (target.kind === "array") return destructureArray(target, value);
    const source = identifierFor(newTemp("value"));
    emitAssign(tempOfIdentifier.get(source)!, value);
    const firstKey = target.elements[0]?.key;
    const firstKeyText = firstKey && (T.isIdentifier(firstKey) || T.isStringLiteral(firstKey)) ? firstKey.text : "";
    emitOp(F.createExpressionStatement(runtimeCall("requireDestructurable", [source, F.createStringLiteral(firstKeyText), F.createStringLiteral(sourceName)])));
    const seenKeys: ts.Expression[] = [];
    for (const element of target.elements) {
      if (element.rest) {
        const store = prepareReference(element.target);
        store(runtimeCall("objectRest", [source, F.createArrayLiteralExpression(seenKeys)]));
        continue;
      }
      const keyNode = element.key!;
      let key: ts.Expression;
      if (T.isComputedPropertyName(keyNode)) {
        const k = newTemp("key");
        emitAssign(k, runtimeCall("toPropertyKey", [lowerExpression(keyNode.expression)]));
        key = identifierFor(k);
      } else key = T.isIdentifier(keyNode) || T.isPrivateIdentifier(keyNode) ? F.createStringLiteral(keyNode.text) : (keyNode as ts.Expression);
      seenKeys.push(key);
      const store = prepareReference(element.target);
      const prop = newTemp("property");
      emitAssign(prop, F.createElementAccessExpression(source, key));
      if (element.initializer) applyDefault(prop, element.initializer, element.target);
      store(identifierFor(prop));
    }
  }
  /**
   * [lowered] branch $v === undefined ? dflt : bind;  dflt: $v = <default, may await>;  bind:
   * An anonymous function or class default is named after a plain name target (NamedEvaluation;
   * any other target leaves it unnamed), not after the temporary that holds it.
   */
  function applyDefault(value: LocalId, initializer: ts.Expression, target: PatternTarget): void {
    const dflt = newBlock();
    const bind = newBlock();
    branchTo(F.createStrictEquality(identifierFor(value), F.createVoidZero()), dflt.id, bind.id);
    mark(dflt);
    const lowered = lowerExpression(initializer);
    // (An assignment target is named only when it is a bare identifier: `(f) = …` is not one.)
    const name = target.kind === "binding" ? target.name.text : target.kind === "reference" && T.isIdentifier(target.expr) ? target.expr.text : undefined;
    const key = name === undefined ? undefined : ([F.createStringLiteral(name), F.createStringLiteral(name)] as const);
    emitAssign(value, isAnonymousDefinition(T, initializer) ? namedDefinition(T, lowered, key) : lowered);
    goto(bind);
    mark(bind);
  }
  /** `{ a, b: [c = 1], ...r }` (binding pattern) → the same shape as an assignment pattern. */
  function patternToAssignmentTarget(name: ts.BindingName): ts.Expression {
    if (T.isIdentifier(name)) return name;
    if (T.isObjectBindingPattern(name)) {
      return F.createObjectLiteralExpression(
        name.elements.map((e) => {
          if (e.dotDotDotToken) return F.createSpreadAssignment(patternToAssignmentTarget(e.name));
          const target = patternToAssignmentTarget(e.name);
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
        const target = patternToAssignmentTarget(e.name);
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
  function destructureArray(pattern: Extract<PatternTarget, { kind: "array" }>, value: ts.Expression): void {
    const iter = newTemp("iterator");
    const error = newTemp("error");
    emitAssign(iter, runtimeCall("destructuringIterator", [value]));
    const close = newBlock();
    const outerRegion = region;
    region = newRegion(RegionKind.Catch, close.id, error, undefined);
    const body = newBlock();
    goto(body);
    mark(body);
    for (const element of pattern.elements) {
      if (element.omitted) {
        emitOp(F.createExpressionStatement(runtimeCall("destructuringStep", [identifierFor(iter)])));
        continue;
      }
      // The target's reference is evaluated before the iterator steps (native order).
      const store = prepareReference(element.target!);
      if (element.rest) {
        store(runtimeCall("destructuringRest", [identifierFor(iter)]));
        continue;
      }
      const item = newTemp("item");
      emitAssign(item, runtimeCall("destructuringStep", [identifierFor(iter)]));
      if (element.initializer) applyDefault(item, element.initializer, element.target!);
      store(identifierFor(item));
    }
    region = outerRegion;
    const after = newBlock();
    goto(after);
    mark(close);
    emitOp(F.createExpressionStatement(runtimeCall("destructuringClose", [identifierFor(iter), F.createTrue()])));
    terminate({ kind: TerminatorKind.Throw, value: identifierFor(error), uses: new Set([error]) });
    mark(after);
    emitOp(F.createExpressionStatement(runtimeCall("destructuringClose", [identifierFor(iter), F.createFalse()])));
  }

  // ---------------------------------------------------------------- jumps

  /**
   * [source]  return x;            (inside try … finally, or a for…of)
   * [lowered] $ct = Return; $cv = x; goto finally   — else: return m.ret(x)
   */
  function lowerReturn(expr: ts.Expression | undefined): void {
    const value = expr ? lowerToResumeValue(expr) : undefined;
    const j = lowerReturnJump(value);
    if (j.kind === "return") {
      terminate({ kind: TerminatorKind.Return, value: j.value, uses: j.value ? usesOf(j.value, new Set()) : new Set() });
      return;
    }
    emitJumpAssigns(j);
    goto(j.target);
  }
  function emitJumpAssigns(j: Extract<JumpRewrite, { kind: "goto" }>): void {
    for (const [local, v] of j.assigns) {
      const fin = finallyByCompletion.get(local);
      if (fin && typeof v === "number" && v !== Completion.Return) emitCompletion(fin, v);
      else emitAssign(local, typeof v === "number" ? F.createNumericLiteral(v) : v);
    }
  }
  function lowerReturnJump(value: ts.Expression | undefined): JumpRewrite {
    const fin = innermostFinally(jumpStack.length);
    if (!fin) return { kind: "return", value };
    return { kind: "goto", assigns: [[fin.completion, Completion.Return], [fin.value, value ?? F.createVoidZero()]], target: fin.entry };
  }
  function innermostFinally(below: number): FinallyInfo | undefined {
    for (let i = below - 1; i >= 0; i--) {
      const s = jumpStack[i];
      if (s.kind === "finally") return s.fin;
      if (s.kind === "loop" && s.iterator) return s.iterator.fin;
    }
    return undefined;
  }

  /**
   * [source]  break L;  continue;
   * [lowered] goto target — or, crossing finally blocks F1 (inner) … Fn:
   *           $ct1 = Jump(target); goto F1;  F1's end: $ct2 = Jump(target); goto F2; … Fn's end: goto target
   */
  function lowerJump(node: ts.BreakStatement | ts.ContinueStatement): JumpRewrite {
    const isBreak = T.isBreakStatement(node);
    const label = node.label?.text;
    const crossed: FinallyInfo[] = [];
    for (let i = jumpStack.length - 1; i >= 0; i--) {
      const s = jumpStack[i];
      if (s.kind === "finally") {
        crossed.push(s.fin);
        continue;
      }
      const matches = label ? s.labels.includes(label) : isBreak ? s.kind === "loop" || s.kind === "switch" : s.kind === "loop";
      if (!matches || (!isBreak && s.kind !== "loop")) {
        if (s.kind === "loop" && s.iterator) crossed.push(s.iterator.fin);
        continue;
      }
      // A break out of a for…of closes its iterator; a continue does not.
      if (isBreak && s.kind === "loop" && s.iterator) crossed.push(s.iterator.fin);
      const target = isBreak ? s.breakTarget : (s as { continueTarget: BlockId }).continueTarget;
      if (crossed.length === 0) return { kind: "goto", assigns: [], target };
      const code = Completion.JumpBase + target;
      for (let k = 0; k < crossed.length; k++) {
        const next = crossed[k + 1];
        crossed[k].jumps.set(code, next ? { target: next.entry, completion: next.completion, value: next.value } : { target });
      }
      return { kind: "goto", assigns: [[crossed[0].completion, code]], target: crossed[0].entry };
    }
    throw new Unsupported(node, "jump target not found");
  }

  // ---------------------------------------------------------------- branches and loops

  /**
   * [source]  if (c) A else B
   * [lowered] branch c ? then : else;  then: A; goto exit;  else: B; goto exit;  exit:
   */
  function lowerIf(node: ts.IfStatement): void {
    const test = lowerExpression(node.expression);
    const thenBlock = newBlock();
    const elseBlock = node.elseStatement ? newBlock() : undefined;
    const exit = newBlock();
    branchTo(test, thenBlock.id, (elseBlock ?? exit).id);
    mark(thenBlock);
    lowerStatement(node.thenStatement);
    goto(exit);
    if (elseBlock) {
      mark(elseBlock);
      lowerStatement(node.elseStatement!);
      goto(exit);
    }
    mark(exit);
  }

  /**
   * [source]  while (c) body
   * [lowered] head: branch c ? body : exit;  body: …; goto head;  exit:
   */
  function lowerWhile(node: ts.WhileStatement, labels: string[]): void {
    const head = newBlock();
    const body = newBlock();
    const exit = newBlock();
    goto(head);
    mark(head);
    const test = lowerExpression(node.expression);
    branchTo(test, body.id, exit.id);
    mark(body);
    lowerLoopBody(node.statement, labels, exit.id, head.id);
    goto(head);
    mark(exit);
  }

  /**
   * [source]  do body while (c)
   * [lowered] body: …; goto cont;  cont: branch c ? body : exit;  exit:
   */
  function lowerDo(node: ts.DoStatement, labels: string[]): void {
    const body = newBlock();
    const cont = newBlock();
    const exit = newBlock();
    goto(body);
    mark(body);
    lowerLoopBody(node.statement, labels, exit.id, cont.id);
    goto(cont);
    mark(cont);
    const test = lowerExpression(node.expression);
    branchTo(test, body.id, exit.id);
    mark(exit);
  }

  /**
   * [source]  for (let i = 0; i < n; i++) body
   * [lowered] i = 0;  head: branch i < n ? body : exit;  body: …; goto cont;
   *           cont: ($env = { i: $env.i } — a fresh binding per iteration, when captured); i++; goto head;  exit:
   */
  function lowerFor(node: ts.ForStatement, labels: string[]): void {
    declareScope(node, false);
    const init = node.initializer;
    if (init) {
      if (T.isVariableDeclarationList(init)) lowerVariableList(init);
      else {
        const value = lowerExpression(init);
        emitOp(F.createExpressionStatement(value), assignedLocal(value));
      }
    }
    const head = newBlock();
    const body = newBlock();
    const cont = newBlock();
    const exit = newBlock();
    goto(head);
    mark(head);
    if (node.condition) {
      const test = lowerExpression(node.condition);
      branchTo(test, body.id, exit.id);
    } else goto(body);
    mark(body);
    lowerLoopBody(node.statement, labels, exit.id, cont.id);
    goto(cont);
    mark(cont);
    copyPerIterationEnv(node);
    if (node.incrementor) {
      const inc = lowerExpression(node.incrementor);
      emitOp(F.createExpressionStatement(inc), []);
    }
    goto(head);
    mark(exit);
  }
  function assignedLocal(e: ts.Expression): LocalId[] {
    const x = skipOuterExpressions(T, e);
    if (T.isBinaryExpression(x) && x.operatorToken.kind === SK.EqualsToken && T.isIdentifier(x.left)) {
      const l = localOf(x.left);
      if (l !== undefined) return defsIfRegister(l);
    }
    return [];
  }
  function copyPerIterationEnv(loop: ts.Node): void {
    const scope = scopes.scopeOf.get(loop);
    if (!scope) return;
    for (const [holder, fields] of envFields) {
      const first = locals[fields[0]];
      const b = [...scope.bindings.values()].find((x) => localOfBinding.get(x) === first.id);
      if (!b) continue;
      const holderId = identifierFor(holder);
      emitAssign(
        holder,
        F.createObjectLiteralExpression(fields.map((f) => F.createPropertyAssignment(locals[f].name, F.createPropertyAccessExpression(holderId, locals[f].name)))),
      );
    }
  }

  /**
   * The expression of `for (let k in/of e)` is evaluated with the loop's own names bound but
   * never initialized (ForIn/OfHeadEvaluation's TDZ environment): each reference to them there,
   * closures included, stands for a local that stays in its dead zone.
   */
  function headDeadZone(node: ts.ForInStatement | ts.ForOfStatement): void {
    const scope = scopes.scopeOf.get(node);
    if (!scope) return;
    for (const binding of scope.bindings.values()) {
      const refs = binding.references.filter((r) => r.pos >= node.expression.pos && r.end <= node.expression.end);
      if (refs.length > 0) deadZone(binding, refs);
    }
  }
  /** Makes `refs` (references to `binding` evaluated where it is never initialized) read a local kept in its dead zone. */
  function deadZone(binding: Binding, refs: ts.Identifier[]): void {
    const local = newLocal(LocalKind.Binding, binding.name, names.claim(`$${binding.name}`));
    locals[local].tdz = true;
    emitAssign(local, tdzMarker());
    for (const r of refs) tempOfIdentifier.set(r, local);
  }

  /** Binds the loop variable of for…in / for…of to `value` (declaration or assignment target). */
  function bindLoopVariable(init: ts.ForInitializer, value: ts.Expression): void {
    if (T.isVariableDeclarationList(init)) {
      bindPattern(init.declarations[0].name, value);
      return;
    }
    if (containsAwait(T, init)) throw new Unsupported(init, "`await` in a for…in/of target is not supported yet");
    const target = skipOuterExpressions(T, init);
    const local = T.isIdentifier(target) ? localOf(target) : undefined;
    emitOp(F.createExpressionStatement(F.createAssignment(init as ts.Identifier, value)), local !== undefined ? defsIfRegister(local) : []);
  }

  /**
   * [source]  for (const k in obj) body
   * [lowered] $obj = obj; $keys = forInKeys($obj); $i = 0;
   *           head: branch $i < $keys.length ? next : exit;
   *           next: $key = $keys[$i++]; branch forInHas($obj, $key) ? body : head;
   *           body: k = $key; …; goto head;  exit:
   */
  function lowerForIn(node: ts.ForInStatement, labels: string[]): void {
    const obj = newTemp("object");
    const keys = newTemp("keys");
    const index = newTemp("index");
    const key = newTemp("key");
    headDeadZone(node);
    emitAssign(obj, lowerExpression(node.expression));
    emitAssign(keys, runtimeCall("forInKeys", [identifierFor(obj)]));
    emitAssign(index, F.createNumericLiteral(0));
    const head = newBlock();
    const next = newBlock();
    const body = newBlock();
    const exit = newBlock();
    goto(head);
    mark(head);
    const test = F.createLessThan(identifierFor(index), F.createPropertyAccessExpression(identifierFor(keys), "length"));
    branchTo(test, next.id, exit.id);
    mark(next);
    emitAssign(key, F.createElementAccessExpression(identifierFor(keys), F.createPostfixIncrement(identifierFor(index))));
    const has = runtimeCall("forInHas", [identifierFor(obj), identifierFor(key)]);
    branchTo(has, body.id, head.id);
    mark(body);
    declareScope(node, false);
    bindLoopVariable(node.initializer, identifierFor(key));
    lowerLoopBody(node.statement, labels, exit.id, head.id);
    goto(head);
    mark(exit);
  }

  /**
   * [source]  for (const x of xs) body
   * [lowered] $it = getIterator(xs);
   *           head: $step = iteratorStep($it); branch $step ? body : exit;
   *           body [region: close]: x = $step.value; …; goto head;
   *           close: iteratorClose($it, $ct === Throw); end-finally;  exit:
   * The iterator is closed on every abrupt exit (break, return, throw, continue to an outer loop),
   * exactly as native; not when `next()` itself throws or the loop ends normally.
   */
  function lowerForOf(node: ts.ForOfStatement, labels: string[]): void {
    if (node.awaitModifier) throw new Unsupported(node, "`for await…of` is not supported yet");
    const iter = newTemp("iterator");
    const step = newTemp("step");
    headDeadZone(node);
    const iterable = lowerExpression(node.expression);
    emitAssign(iter, runtimeCall("getIterator", [iterable]));
    const head = newBlock();
    const exit = newBlock();
    const close = newBlock();
    const fin: FinallyInfo = { entry: close.id, completion: newTemp("completion"), value: newTemp("completionValue"), jumps: new Map(), outer: innermostFinally(jumpStack.length) };
    finallyByCompletion.set(fin.completion, fin);
    goto(head);
    mark(head);
    emitAssign(step, runtimeCall("iteratorStep", [identifierFor(iter)]));
    const outerRegion = region;
    const reg = newRegion(RegionKind.Finally, close.id, fin.completion, fin.value);
    region = reg;
    const body = newBlock();
    region = outerRegion;
    const stepId = identifierFor(step);
    branchTo(stepId, body.id, exit.id);
    mark(body);
    region = reg;
    declareScope(node, false);
    bindLoopVariable(node.initializer, F.createPropertyAccessExpression(identifierFor(step), "value"));
    lowerLoopBody(node.statement, labels, exit.id, head.id, { fin });
    region = outerRegion;
    // The body's normal end and `continue` go back to head without closing.
    goto(head);
    blocks[blocks.length - 1].region = outerRegion;
    mark(close);
    close.region = outerRegion;
    const isThrow = F.createStrictEquality(identifierFor(fin.completion), F.createNumericLiteral(Completion.Throw));
    emitOp(F.createExpressionStatement(runtimeCall("iteratorClose", [identifierFor(iter), isThrow])));
    current.term = endFinally(fin, exit.id);
    mark(exit);
  }
  function runtimeCall(name: string, args: ts.Expression[]): ts.Expression {
    return F.createCallExpression(F.createIdentifier(`$am_${name}`), undefined, args);
  }

  // ---------------------------------------------------------------- switch

  /**
   * [source]  switch (d) { case a: A; default: D; case b: B }
   * [lowered] $d = d;  t0: branch $d === a ? A : t1;  t1: branch $d === b ? B : D;
   *           A: …(falls through to D);  D: …;  B: …; goto exit;  exit:
   */
  function lowerSwitch(node: ts.SwitchStatement, labels: string[]): void {
    const disc = newTemp("discriminant");
    emitAssign(disc, lowerExpression(node.expression));
    const exit = newBlock();
    const clauses = node.caseBlock.clauses;
    const bodies = clauses.map(() => newBlock());
    declareScope(node.caseBlock, false);
    let defaultIndex = -1;
    clauses.forEach((clause, i) => {
      if (T.isDefaultClause(clause)) {
        defaultIndex = i;
        return;
      }
      const test = lowerExpression(clause.expression);
      const next = newBlock();
      const cond = F.createStrictEquality(identifierFor(disc), test);
      branchTo(cond, bodies[i].id, next.id);
      mark(next);
    });
    goto(defaultIndex >= 0 ? bodies[defaultIndex] : exit);
    jumpStack.push({ kind: "switch", labels, breakTarget: exit.id });
    clauses.forEach((clause, i) => {
      mark(bodies[i]);
      lowerStatements(clause.statements);
      goto(i + 1 < bodies.length ? bodies[i + 1] : exit);
    });
    jumpStack.pop();
    mark(exit);
  }

  // ---------------------------------------------------------------- try

  function newRegion(kind: RegionKind, handler: BlockId, completion: LocalId, value: LocalId | undefined): RegionId {
    const r: Region = { id: regions.length, kind, parent: region, handler, completion, value };
    regions.push(r);
    return r.id;
  }

  /**
   * [source]  try { A } catch (e) { C } finally { F }
   * [lowered] A [region catch→C]: …; $ct = Normal; goto fin;
   *           C [region finally→fin]: e = $error; …; $ct = Normal; goto fin;
   *           fin: F; end-finally ($ct: Normal → exit, Return → outer finally or return,
   *                Throw → rethrow $cv, Jump(t) → t or the next finally out)
   */
  function lowerTry(node: ts.TryStatement): void {
    const outerRegion = region;
    const exit = newBlock();
    let fin: FinallyInfo | undefined;
    let finRegion: RegionId | undefined;
    if (node.finallyBlock) {
      const entry = newBlock();
      fin = { entry: entry.id, completion: newTemp("completion"), value: newTemp("completionValue"), jumps: new Map(), outer: innermostFinally(jumpStack.length) };
      finallyByCompletion.set(fin.completion, fin);
      finRegion = newRegion(RegionKind.Finally, entry.id, fin.completion, fin.value);
      region = finRegion;
      jumpStack.push({ kind: "finally", fin });
    }
    const toFinallyOrExit = (): void => {
      if (fin) {
        emitCompletion(fin, Completion.Normal);
        goto(fin.entry);
      } else goto(exit);
    };
    let catchEntry: Block | undefined;
    let catchRegion: RegionId | undefined;
    let errorLocal: LocalId | undefined;
    if (node.catchClause) {
      catchEntry = newBlock(); // in the finally region (or outside)
      errorLocal = newTemp("error");
      catchRegion = newRegion(RegionKind.Catch, catchEntry.id, errorLocal, undefined);
      region = catchRegion;
    }
    const tryStart = newBlock();
    goto(tryStart);
    mark(tryStart);
    declareScope(node.tryBlock, false);
    lowerStatements(node.tryBlock.statements);
    toFinallyOrExit();
    if (node.catchClause) {
      region = finRegion ?? outerRegion;
      mark(catchEntry!);
      declareScope(node.catchClause, false);
      const decl = node.catchClause.variableDeclaration;
      if (decl) bindPattern(decl.name, identifierFor(errorLocal!));
      declareScope(node.catchClause.block, false);
      lowerStatements(node.catchClause.block.statements);
      toFinallyOrExit();
    }
    region = outerRegion;
    if (fin) {
      jumpStack.pop();
      const entry = blocks[fin.entry];
      entry.region = outerRegion;
      mark(entry);
      declareScope(node.finallyBlock!, false);
      lowerStatements(node.finallyBlock!.statements);
      current.term = endFinally(fin, exit.id);
    }
    mark(exit);
    void catchRegion;
  }

  function endFinally(fin: FinallyInfo, next: BlockId): Terminator {
    return {
      kind: TerminatorKind.EndFinally,
      completion: fin.completion,
      value: fin.value,
      next,
      returnTo: fin.outer ? { block: fin.outer.entry, completion: fin.outer.completion, value: fin.outer.value } : undefined,
      jumps: fin.jumps,
    };
  }

  // ---------------------------------------------------------------- the function

  const entry = newBlock();
  mark(entry);
  const argumentsId = F.createIdentifier("$am_args");
  const params = fn.parameters.filter((p) => !(T.isIdentifier(p.name) && p.name.text === "this"));
  const paramsSimple = params.every((p) => T.isIdentifier(p.name) && !p.initializer && !p.dotDotDotToken);
  // In sloppy code a function with simple parameters has a mapped `arguments`: writing a
  // parameter writes `arguments[i]` and back — for the parameters the call passed. Those live
  // in the arguments object; the others in `m.p.values` (see emit: Argument storage).
  // (An arrow has no arguments object of its own: its `arguments` is the enclosing function's.)
  const aliasArguments = paramsSimple && !isStrictCode(T, fn, scopes.alwaysStrict) && !T.isArrowFunction(fn) && scopes.facts.get(fn)?.usesArguments === true;
  declareScope(fn, true, () => {
    if (aliasArguments) {
      params.forEach((p, i) => {
        const local = localOf(p.name as ts.Identifier)!;
        locals[local].storage = LocalStorage.Argument;
        locals[local].argumentIndex = i;
      });
      emitOp(F.createExpressionStatement(F.createAssignment(F.createPropertyAccessExpression(F.createIdentifier("$am_machine"), "p"), runtimeCall("parameterStore", [argumentsId]))));
      return;
    }
    // Parameters bind first (defaults left to right); an error here rejects the promise, as native.
    params.forEach((p, i) => {
      const arg = F.createElementAccessExpression(argumentsId, i);
      let value: ts.Expression = arg;
      if (p.dotDotDotToken) value = runtimeCall("restArguments", [argumentsId, F.createNumericLiteral(i)]);
      else if (p.initializer) value = F.createConditionalExpression(F.createStrictEquality(arg, F.createVoidZero()), undefined, p.initializer, undefined, arg);
      if (T.isIdentifier(p.name) && (p.name.text === "this")) return;
      bindPattern(p.name, value);
    });
  });
  const body = fn.body!;
  if (T.isBlock(body)) {
    lowerStatements(body.statements);
    terminate({ kind: TerminatorKind.Return, value: undefined, uses: new Set() });
  } else {
    lowerReturn(body);
  }

  // Pending returns crossing a finally continue in the next finally out: record it on its end.
  const cfg: Cfg = { blocks, entry: entry.id, locals, regions, suspends };
  return { cfg, localOfBinding, tempOfIdentifier, resumeValue, jumpRewrites, hoistedFunctions, envFields, paramsSimple };
}

/** Names the function reads from outside itself (outer bindings and globals), nested functions included. */
function namesFromOutside(T: typeof ts, fn: ts.Node, scopes: Scopes): Set<string> {
  const out = new Set<string>(["arguments", "undefined", "eval"]);
  // Scopes of the function and inside it; a named function expression's own name lives in the
  // scope just outside (its scope node, the name, is inside the function's text).
  const own = scopes.scopeOf.get(fn);
  const isInside = (scope: Scope): boolean => {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s === own) return true;
    return false;
  };
  const walk = (n: ts.Node): void => {
    if (T.isIdentifier(n)) {
      const b = scopes.refs.get(n);
      if (scopes.globals.has(n) || (b && !isInside(b.scope))) out.add(n.text);
      return;
    }
    T.forEachChild(n, walk);
  };
  walk(fn);
  return out;
}

/** Is `node` strict-mode code (a module, a class body, or under a "use strict" directive)? */
function shorten(text: string): string {
  const one = text.replace(/\s+/g, " ");
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}
