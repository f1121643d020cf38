/**
 * The vocabulary the lowering writes a control-flow graph with (TypeScript's generators.ts
 * words): blocks (`newBlock`, `mark`), ops (`emitOp`, `emitAssign`), terminators (`goto`,
 * `branchTo`, `terminate`, `suspendOn`), locals and temporaries (`newLocal`, `newTemp`,
 * `identifierFor`) and exception regions (`newRegion`).
 *
 * It holds the graph being built (cfg.ts, plain data) and the maps from source identifiers to
 * locals that the emitter needs afterwards; `finish` hands them out. It knows nothing of
 * statements or expressions: the lowering pieces (statements.ts, loops.ts, …) drive it.
 */
import type * as ts from "typescript";
import type { Binding, Scopes } from "../analyze/scopes";
import { skipOuterExpressions } from "../analyze/contains-await";
import type { NameManager } from "../names";
import { localOf } from "./lowered-function";
import { createRuntimeRef, type RuntimeHelperName, type RuntimeRef } from "./runtime-refs";
import { StateNames, shortSource } from "./state-names";
import {
  LocalKind,
  LocalStorage,
  ReservedState,
  SuspendKind,
  TerminatorKind,
  type Block,
  type BlockId,
  type Cfg,
  type Local,
  type LocalId,
  type Op,
  type Region,
  type RegionId,
  type RegionKind,
  type SuspendPoint,
  type Terminator,
} from "./cfg";

export class CfgBuilder {
  readonly F: ts.NodeFactory;
  readonly SK: typeof ts.SyntaxKind;
  readonly blocks: Block[] = [];
  readonly locals: Local[] = [];
  readonly regions: Region[] = [];
  readonly suspends: SuspendPoint[] = [];
  /** The machine local each source binding of an exploded scope became. */
  readonly localOfBinding = new Map<Binding, LocalId>();
  /** Synthesized identifiers that stand for locals (temporaries, dead-zone stand-ins). */
  readonly tempOfIdentifier = new Map<ts.Identifier, LocalId>();
  /** Environment records: holder local → the locals stored in it. */
  readonly envFields = new Map<LocalId, LocalId[]>();
  /** Placeholders for the machine and the runtime in ops, and what each stands for (runtime-refs.ts). */
  readonly runtimeRefs = new Map<ts.Identifier, RuntimeRef>();
  /** Stand-in for the value the machine was resumed with (`v` of the resume function). */
  readonly resumeValue: ts.Identifier;
  private readonly stateNames: StateNames;
  /** The block ops are appended to. */
  current: Block;
  /** Where the function starts: the first block, current when the builder is made. */
  readonly entry: Block;
  /** The exception region new blocks belong to. */
  region: RegionId | undefined = undefined;
  /**
   * The source node the ops and terminators made now come from: a synthesized statement without
   * a position of its own gets this one as its source-map range, so a debugger and a mapped
   * stack trace lead to the user's line. Undefined: they stay unmapped (bookkeeping).
   */
  source: ts.Node | undefined = undefined;

  constructor(
    readonly T: typeof ts,
    readonly scopes: Scopes,
    readonly names: NameManager,
    readonly file: ts.SourceFile,
  ) {
    this.F = T.factory;
    this.SK = T.SyntaxKind;
    this.resumeValue = this.F.createIdentifier("$resumeValue");
    this.stateNames = new StateNames(T);
    this.entry = this.newBlock();
    this.current = this.entry;
  }

  /** The graph built so far; its entry is the first block. */
  finish(): Cfg {
    return { blocks: this.blocks, entry: this.entry.id, locals: this.locals, regions: this.regions, suspends: this.suspends };
  }

  // ---------------------------------------------------------------- blocks and ops

  newBlock(): Block {
    const block: Block = { id: this.blocks.length, ops: [], term: { kind: TerminatorKind.Return, value: undefined, uses: new Set() }, region: this.region };
    this.blocks.push(block);
    return block;
  }
  /** Starts emitting into `block` (TS `markLabel`). */
  mark(block: Block): void {
    this.current = block;
  }
  terminate(term: Terminator): void {
    if (this.source && term.source === undefined) term.source = this.source;
    this.current.term = term;
    // Whatever follows a terminator is unreachable until the next mark; give it a block anyway.
    this.current = this.newBlock();
  }
  branchTo(test: ts.Expression, whenTrue: BlockId, whenFalse: BlockId): void {
    this.terminate({ kind: TerminatorKind.Branch, test, uses: this.usesOf(test, new Set()), then: whenTrue, else: whenFalse });
  }
  goto(target: Block | BlockId): void {
    this.terminate({ kind: TerminatorKind.Goto, target: typeof target === "number" ? target : target.id });
  }
  emitOp(node: ts.Statement, defs: Iterable<LocalId> = [], exits: Op["exits"] = []): void {
    if (this.source && node.pos < 0 && this.T.getSourceMapRange(node) === node) this.T.setSourceMapRange(node, this.source);
    const op: Op = { node, uses: this.usesOf(node, new Set(defs)), defs: new Set(defs), exits };
    this.current.ops.push(op);
  }
  emitAssign(target: LocalId, value: ts.Expression, alsoKills: LocalId[] = []): void {
    const id = this.identifierFor(target);
    this.emitOp(this.F.createExpressionStatement(this.F.createAssignment(id, value)), [...(this.locals[target].storage === LocalStorage.Register ? [target] : []), ...alsoKills]);
  }
  /**
   * `$ct = code` for a normal completion or a jump into a finally. The completion value is only
   * read for return and throw completions, which always set it: here it counts as written (no
   * code), so a stale value is never kept alive across an await.
   */
  emitCompletion(fin: { completion: LocalId; value: LocalId }, code: number): void {
    this.emitAssign(fin.completion, this.F.createNumericLiteral(code), [fin.value]);
  }

  // ---------------------------------------------------------------- locals

  newLocal(kind: LocalKind, sourceName: string, name: string, isConst = false): LocalId {
    const id = this.locals.length;
    this.locals.push({ id, kind, sourceName, name, storage: LocalStorage.Register, tdz: false, isConst });
    return id;
  }
  newTemp(what: string): LocalId {
    return this.newLocal(LocalKind.Temp, what, this.names.claim(`$${what}`));
  }
  /** A fresh synthesized identifier that refers to `local` (emit maps it back). */
  identifierFor(local: LocalId): ts.Identifier {
    const id = this.F.createIdentifier(this.locals[local].name);
    this.tempOfIdentifier.set(id, local);
    return id;
  }

  initialValue(local: LocalId): ts.Expression {
    return this.locals[local].tdz ? this.tdzMarker() : this.F.createVoidZero();
  }
  tdzMarker(): ts.Expression {
    return this.runtimeRef({ kind: "tdz" });
  }
  /** A placeholder emit replaces by what `ref` names (runtime-refs.ts). */
  runtimeRef(ref: RuntimeRef): ts.Identifier {
    return createRuntimeRef(this.F, this.runtimeRefs, ref);
  }
  /** The runtime's `name` (`$am.name`). */
  runtimeHelper(name: RuntimeHelperName): ts.Identifier {
    return this.runtimeRef({ kind: "helper", name });
  }

  /** Locals an op reads: every identifier in it that names a machine local or a temporary. */
  usesOf(node: ts.Node, defs: ReadonlySet<LocalId>): Set<LocalId> {
    const uses = new Set<LocalId>();
    const walk = (n: ts.Node): void => {
      if (this.T.isIdentifier(n)) {
        // A function's or class's own name is not a read of the binding it may share a name with.
        if (n.parent && (this.T.isFunctionLike(n.parent) || this.T.isClassLike(n.parent)) && (n.parent as ts.NamedDeclaration).name === n) return;
        let local = this.tempOfIdentifier.get(n);
        if (local === undefined) {
          const b = this.scopes.refs.get(n) ?? this.scopes.decls.get(n);
          if (b) local = this.localOfBinding.get(b);
        }
        if (local !== undefined) {
          const l = this.locals[local];
          if (l.storage === LocalStorage.Env) uses.add(l.env!);
          // A write to a binding that may be in its dead zone reads it first (the check), so it is a use.
          else if (l.storage === LocalStorage.Register && (!(defs.has(local) && this.isAssignmentTargetOf(n, node)) || (l.tdz && this.scopes.refs.has(n)))) uses.add(local);
        }
        return;
      }
      if (n === this.resumeValue) return;
      this.T.forEachChild(n, walk);
    };
    walk(node);
    return uses;
  }
  /** Is `id` the plain target of the assignment statement `node`? */
  isAssignmentTargetOf(id: ts.Identifier, node: ts.Node): boolean {
    return (
      this.T.isExpressionStatement(node) && this.T.isBinaryExpression(node.expression) && node.expression.operatorToken.kind === this.SK.EqualsToken && node.expression.left === id
    );
  }
  /** The machine local an identifier stands for, if any. */
  localOf(id: ts.Identifier): LocalId | undefined {
    return localOf(this, this.scopes, id);
  }

  /**
   * [source]  await x
   * [lowered] .suspend x → resume;  resume: (the awaited outcome arrives as the resume value)
   * Returns the stand-in for the resume value, valid at the start of the resume block.
   */
  suspendOn(operand: ts.Expression, awaitNode: ts.AwaitExpression | ts.YieldExpression): ts.Identifier {
    if (this.T.isYieldExpression(awaitNode)) {
      const kind = awaitNode.asteriskToken ? SuspendKind.YieldStar : SuspendKind.Yield;
      const text = awaitNode.expression ? awaitNode.expression.getText(this.file) : "";
      return this.suspendAt(operand, awaitNode, awaitNode.expression ?? this.F.createVoidZero(), text, kind);
    }
    return this.suspendAt(operand, awaitNode, awaitNode.expression, awaitNode.expression.getText(this.file));
  }
  /**
   * A suspend with no `await` of its own in the source (a `for await` step, an iterator's
   * `return()`): `at` gives its position, `nameHint` its state name, `text` what it awaits.
   */
  suspendAt(operand: ts.Expression, at: ts.Node, nameHint: ts.Expression, text: string, kind = SuspendKind.Await): ts.Identifier {
    const resume = this.newBlock();
    const state = ReservedState.FirstSuspend + this.suspends.length;
    const pos = this.file.getLineAndCharacterOfPosition(at.getStart(this.file));
    this.suspends.push({
      state,
      kind,
      name: this.stateNames.claim(nameHint, pos.line + 1, kind),
      block: this.current.id,
      resume: resume.id,
      line: pos.line + 1,
      column: pos.character + 1,
      awaitedText: shortSource(text),
    });
    this.current.term = { kind: TerminatorKind.Suspend, awaited: operand, uses: this.usesOf(operand, new Set()), resume: resume.id, point: state, source: this.source };
    this.mark(resume);
    return this.resumeValue;
  }

  // ---------------------------------------------------------------- helpers for ops

  /** `[local]` when it lives in a register (a def liveness tracks), else nothing. */
  defsIfRegister(local: LocalId): LocalId[] {
    return this.locals[local].storage === LocalStorage.Register ? [local] : [];
  }
  /** The register local a plain `x = …` writes (counted as a def of the op), if any. */
  assignedLocal(e: ts.Expression): LocalId[] {
    const x = skipOuterExpressions(this.T, e);
    if (this.T.isBinaryExpression(x) && x.operatorToken.kind === this.SK.EqualsToken && this.T.isIdentifier(x.left)) {
      const l = this.localOf(x.left);
      if (l !== undefined) return this.defsIfRegister(l);
    }
    return [];
  }
  /** A call of a runtime helper (`$am.name(…args)`). */
  runtimeCall(name: RuntimeHelperName, args: ts.Expression[]): ts.Expression {
    return this.F.createCallExpression(this.runtimeHelper(name), undefined, args);
  }
  /** A new exception region inside the current one. */
  newRegion(kind: RegionKind, handler: BlockId, completion: LocalId, value: LocalId | undefined): RegionId {
    const r: Region = { id: this.regions.length, kind, parent: this.region, handler, completion, value };
    this.regions.push(r);
    return r.id;
  }
}
