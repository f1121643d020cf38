/**
 * The recipe for one async function, like rustc's coroutine `run_pass`: one call per stage,
 * in `transformFunction` below.
 *
 *     checkSupported      → why the function must stay native, if it must
 *     buildCfg            → blocks, suspend points, locals (lower/build-cfg.ts)
 *     computeLiveness     → the live intervals of locals over the suspend points (analyze/liveness.ts)
 *     layoutFrame         → frame offsets per state (layout/state-layout.ts)
 *     emitMachine         → state enum + resume function (emit/emit-machine.ts)
 *     emitWrapper         → the function that replaces the original and starts the machine (emit/wrapper.ts)
 *
 * `Unsupported` thrown by lowering or emitting leaves the function native, reported with its code
 * (not-compiled.ts); an `InternalError` is a bug and propagates.
 */
import type * as ts from "typescript";
import { BindingKind, type Binding, type Scopes } from "./analyze/scopes";
import { computeLiveness, type FlowBlock, type Liveness, type Runs } from "./analyze/liveness";
import { computeStateLayout, type StateLayout } from "./layout/state-layout";
import { buildCfg, type LoweredFunction } from "./lower/build-cfg";
import { internalError, Unsupported, type NotCompiledCode } from "./not-compiled";
import { handlerEdge, LocalStorage, successorEdges, terminatorUses, type Cfg } from "./lower/cfg";
import { areSimple, parametersOf } from "./lower/parameters";
import { emitMachine, type EmittedMachine, type MachineNames } from "./emit/emit-machine";
import { emitWrapper } from "./emit/wrapper";
import { hasComputedKey, keyHolderStatement } from "./emit/method-shape";
import { shareTemporaryNames } from "./emit/profile-names";
import { isDecorated } from "./syntax";
import type { NameManager } from "./names";
import { functionMode, type FunctionMode } from "./function-mode";
import type { Profile } from "./profile";

export interface FunctionContext {
  tsApi: typeof ts;
  scopes: Scopes;
  names: NameManager;
  /** Identifier of the runtime namespace in this file. */
  runtime: string;
  /**
   * Called for async functions nested in the one being compiled: returns what replaces the
   * node, and calls `hoist` with declarations that must go to the top of the outer resume
   * function (the resume function of a nested method, which cannot sit beside it).
   */
  transformNested: (
    node: ts.FunctionLikeDeclaration,
    rewriteOuter: (n: ts.Node) => ts.Node,
    hoist: (s: ts.Statement) => void,
    isOuterLocal: (b: Binding) => boolean,
  ) => ts.Node | undefined;
  /** The file's mode (function-mode.ts); a function's own tag overrides it. Default promise. */
  fileMode?: FunctionMode;
  /** profile.ts; default development. */
  profile?: Profile;
  /** TypeScript's emit transforms the output next (emit-context.ts); default true. */
  tscTransformsOutput?: boolean;
  /**
   * Nested functions whose resume function is created with their wrapper in an IIFE
   * (compile-functions.ts): its name need only be free there, and is given back when the
   * function is done, so sibling machines reuse it.
   */
  resumeInIife?: ReadonlySet<ts.Node>;
}

export type FunctionResult =
  | {
      kind: "compiled";
      /** The function that replaces the original. */
      wrapper: ts.FunctionLikeDeclaration;
      /** State enum and resume function. */
      machine: EmittedMachine;
      /** The Cfg and how source bindings became locals. */
      lowered: LoweredFunction;
      /** Per local live across some suspend, its runs of suspend positions (`lowered.cfg.suspends` order). */
      liveRuns: ReadonlyMap<number, Runs>;
      /** Frame offsets per state and for captured locals. */
      layout: StateLayout;
      /** Readable name (`Class.method`, `<anonymous>`). */
      name: string;
      /** Promise mode or poll mode (function-mode.ts). */
      mode: FunctionMode;
    }
  | { kind: "skipped"; node: ts.Node; code: NotCompiledCode; detail?: string };

/** The function's name as a person would say it (`Class.method`, `<anonymous>`…). */
export function functionName(tsApi: typeof ts, fn: ts.FunctionLikeDeclaration): string {
  const T = tsApi;
  const own =
    fn.name && (T.isIdentifier(fn.name) || T.isPrivateIdentifier(fn.name) || T.isStringLiteral(fn.name) || T.isNumericLiteral(fn.name))
      ? fn.name.text
      : fn.name
        ? "[computed]"
        : undefined;
  if (T.isMethodDeclaration(fn) && T.isClassLike(fn.parent)) return `${fn.parent.name?.text ?? "<class>"}.${own}`;
  if (T.isConstructorDeclaration(fn)) return `${fn.parent.name?.text ?? "<class>"}.constructor`;
  if (own) return own;
  const p = fn.parent;
  if (p && T.isVariableDeclaration(p) && T.isIdentifier(p.name)) return p.name.text;
  if (p && T.isPropertyAssignment(p) && (T.isIdentifier(p.name) || T.isStringLiteral(p.name))) return p.name.text;
  if (p && T.isBinaryExpression(p) && T.isIdentifier(p.left)) return p.left.text;
  return "<anonymous>";
}

/** Why `fn` must stay native, decided from the scope analysis before lowering (undefined: it need not). */
export function checkSupported(tsApi: typeof ts, fn: ts.FunctionLikeDeclaration, scopes: Scopes): NotCompiledCode | undefined {
  const T = tsApi;
  const facts = scopes.facts.get(fn);
  if (fn.asteriskToken) {
    if (fn.body && finallyYieldsTooDeep(T, fn.body)) return "async-generator-finally-completion";
  }
  if (T.isConstructorDeclaration(fn)) return "async-method-named-constructor";
  // Its key is kept for the shape in a variable of the function that builds its class or literal.
  if (!fn.asteriskToken && hasComputedKey(T, fn) && keyHolderStatement(T, fn.parent) === undefined) return "async-method-key-outside-statement";
  if (!fn.body) return internalError(fn, "an async function without a body reached the compiler");
  if (facts?.usesDirectEval) return "direct-eval";
  if (facts?.usesWith) return "with-statement";
  if (facts?.usesUsing) return "using-declaration";
  if (facts?.usesSuper && !T.isMethodDeclaration(fn) && !T.isArrowFunction(fn)) return "super-outside-method";
  if (T.isArrowFunction(fn) && facts?.usesThis && inDerivedConstructor(T, fn)) return "derived-constructor-arrow-this";
  const scope = scopes.scopeOf.get(fn);
  if (facts?.blockFunctionVars.some((name) => (scope?.bindings.get(name)?.references.length ?? 0) > 0)) return "annex-b-block-function";
  // A `var arguments` of a function with an arguments object declares nothing new: it names that
  // object (FunctionDeclarationInstantiation binds "arguments" before the var names).
  if (!T.isArrowFunction(fn) && scope?.bindings.get("arguments")?.kind === BindingKind.Var) return "var-arguments";
  if (paramsSeeBodyNames(T, fn, scopes)) return "parameter-sees-body";
  const params = parametersOf(T, fn);
  if (!areSimple(T, params) && isDecorated(T, fn)) return "decorated-method-parameters";
  return undefined;
}

export function transformFunction(fn: ts.FunctionLikeDeclaration, ctx: FunctionContext): FunctionResult {
  // The names this machine declares for itself are given back when it is done (names.ts).
  ctx.names.enterFunction();
  try {
    return transformFunctionIn(fn, ctx);
  } finally {
    ctx.names.leaveFunction();
  }
}

function transformFunctionIn(fn: ts.FunctionLikeDeclaration, ctx: FunctionContext): FunctionResult {
  const T = ctx.tsApi;
  const code = checkSupported(T, fn, ctx.scopes);
  if (code) return { kind: "skipped", node: fn, code };
  const mode = functionMode(T, fn, ctx.fileMode ?? "promise");
  const lowered = leftNativeIfUnsupported(() => buildCfg(T, fn, ctx.scopes, ctx.names, mode === "poll"));
  if ("skipped" in lowered) return lowered.skipped;
  const flow = toFlowGraph(lowered.cfg);
  const liveness = computeLiveness(
    flow,
    lowered.cfg.suspends.map((s) => s.resume),
  );
  if (ctx.profile === "production") shareTemporaryNames(lowered.cfg, flow, liveness, ctx.names);
  const liveRuns = liveness.liveRuns;
  const framed = framedParameters(T, fn, ctx);
  const layout = layoutFrame(T, lowered, liveRuns, framed, ctx);
  const name = functionName(T, fn);
  const machineNames = claimMachineNames(name, ctx, ctx.resumeInIife?.has(fn) === true);
  // An async generator runs in a native generator that drives it (runtime/async-generator.ts);
  // in poll mode its awaits can be cancelled, its catch blocks let a cancellation through, and its
  // wrapper starts it with `pollStartGenerator` (runtime/poll-generator.ts).
  const machine = leftNativeIfUnsupported(() => emitMachineOf(fn, ctx, lowered, liveness, layout, machineNames, framed, mode === "poll"));
  if ("skipped" in machine) return machine.skipped;
  const wrapper = emitWrapper(T, fn, ctx, machineNames.resume, machineNames.states, layout.frameSize, framed !== undefined, mode === "poll");
  return { kind: "compiled", wrapper, machine, lowered, liveRuns, layout, name, mode };
}

/** Runs a stage; input it cannot compile (`Unsupported`) becomes a skipped result. */
function leftNativeIfUnsupported<R extends object>(stage: () => R): R | { skipped: Extract<FunctionResult, { kind: "skipped" }> } {
  try {
    return stage();
  } catch (e) {
    if (e instanceof Unsupported) return { skipped: { kind: "skipped", node: e.node, code: e.code, detail: e.detail } };
    throw e;
  }
}

/**
 * Where each kept local lives in the frame. Parameters passed in the frame keep the offsets
 * they arrive at, when nothing conflicts.
 */
function layoutFrame(
  T: typeof ts,
  lowered: LoweredFunction,
  liveRuns: ReadonlyMap<number, Runs>,
  framed: ts.ParameterDeclaration[] | undefined,
  ctx: FunctionContext,
): StateLayout {
  const { cfg } = lowered;
  const captured = cfg.locals.filter((l) => l.storage === LocalStorage.Captured).map((l) => l.id);
  const preferred = new Map<number, number>();
  framed?.forEach((p, i) => {
    const binding = ctx.scopes.decls.get(p.name as ts.Identifier);
    const local = binding && lowered.localOfBinding.get(binding);
    if (local !== undefined && cfg.locals[local].storage !== LocalStorage.Captured) preferred.set(local, i);
  });
  return computeStateLayout(
    cfg.suspends.map((s) => s.state),
    liveRuns,
    captured,
    preferred,
  );
}

/**
 * `f$resume` and `f$State`, clash-free, from the function's readable name; declared beside the
 * function (or at the top of the file), so never given back — but a resume function created in
 * an IIFE with its wrapper (`inIife`), whose name is seen only there. The production profile has
 * no state enum, and names every resume function `$R`, `$R_1`… (profile.ts): the function's
 * name in each of them would be text gzip meets only once per function, four times over (the
 * resume's declaration, its wrapper, the wrapper's copy and the swap), and the runtime gives a
 * resume function the name its stack frames show anyway (`$am.asyncFunction`, `$am.named`).
 */
function claimMachineNames(name: string, ctx: FunctionContext, inIife: boolean): MachineNames {
  const production = ctx.profile === "production";
  const base = name.replace(/[^A-Za-z0-9_$]/g, "_").replace(/^_+/, "") || "anonymous";
  const resumeBase = production ? (inIife ? PRODUCTION_IIFE_RESUME : PRODUCTION_RESUME) : `${base}$resume`;
  const resume = inIife ? ctx.names.claim(resumeBase) : ctx.names.claimForFile(resumeBase);
  return { runtime: ctx.runtime, resume, states: production ? undefined : ctx.names.claimForFile(`${base}$State`) };
}

/**
 * The bases of resume functions' names in the production profile (upper case: the temporaries'
 * short names are lower case). One created in an IIFE has a base of its own, so it is the same
 * name in every IIFE (given back after each), not the next of the file's `$R_n`: its IIFE is then
 * the same text wherever the same function is written again.
 */
const PRODUCTION_RESUME = "$R";
const PRODUCTION_IIFE_RESUME = "$RL";

/** The state enum and the resume function. */
function emitMachineOf(
  fn: ts.FunctionLikeDeclaration,
  ctx: FunctionContext,
  lowered: LoweredFunction,
  liveness: Liveness,
  layout: StateLayout,
  machineNames: MachineNames,
  framed: ts.ParameterDeclaration[] | undefined,
  poll: boolean,
): EmittedMachine {
  return emitMachine({
    tsApi: ctx.tsApi,
    fn,
    scopes: ctx.scopes,
    lowered,
    liveness,
    layout,
    names: ctx.names,
    machineNames,
    transformNested: ctx.transformNested,
    isArrow: ctx.tsApi.isArrowFunction(fn),
    paramsInFrame: framed?.length,
    poll,
    production: ctx.profile === "production",
    tscTransformsOutput: ctx.tscTransformsOutput,
  });
}

/** The Cfg as the plain flow graph liveness works on. */
export function toFlowGraph(cfg: Cfg): FlowBlock[] {
  return cfg.blocks.map((b) => ({ ops: b.ops, termUses: terminatorUses(b.term), successors: successorEdges(b.term), handler: handlerEdge(cfg, b) }));
}

/**
 * With parameter expressions (a default, or a computed key in a pattern), the parameters are
 * evaluated before the body's var environment exists, so they see the outer binding of a name
 * the body declares — and a closure made there keeps seeing the parameter of that name, not the
 * body's var (FunctionDeclarationInstantiation, steps 27–28). Scope analysis has one scope for
 * both: such a reference resolves to the body's binding.
 */
function paramsSeeBodyNames(T: typeof ts, fn: ts.FunctionLikeDeclaration, scopes: Scopes): boolean {
  const body = fn.body;
  const scope = scopes.scopeOf.get(fn);
  if (!body || !T.isBlock(body) || !scope) return false;
  const hasExpressions = (n: ts.Node): boolean =>
    !T.isTypeNode(n) && ((T.isBindingElement(n) || T.isParameter(n) ? n.initializer !== undefined : T.isComputedPropertyName(n)) || T.forEachChild(n, hasExpressions) === true);
  if (!fn.parameters.some(hasExpressions)) return false;
  const inBody = (id: ts.Node): boolean => id.pos >= body.pos && id.end <= body.end;
  let found = false;
  const walk = (n: ts.Node, inClosure: boolean): void => {
    if (found) return;
    if (T.isIdentifier(n)) {
      const b = scopes.refs.get(n);
      // A binding made only by the body (its var, let, function…), or a parameter the body
      // declares again, read from a closure that outlives the parameters' evaluation.
      if (b && b.scope === scope && (b.declarations.length === 0 || b.declarations.some(inBody)) && (inClosure || !b.declarations.some((d) => !inBody(d)))) found = true;
      return;
    }
    T.forEachChild(n, (c) => walk(c, inClosure || T.isFunctionLike(n) || T.isClassLike(n)));
  };
  for (const p of fn.parameters) walk(p, false);
  return found;
}

/** Is the function an arrow whose `this` is that of a constructor of a class with `extends`? */
function inDerivedConstructor(T: typeof ts, fn: ts.FunctionLikeDeclaration): boolean {
  let n: ts.Node | undefined = fn.parent;
  while (n && !(T.isFunctionLike(n) && !T.isArrowFunction(n)) && !T.isClassLike(n)) n = n.parent;
  return n !== undefined && T.isConstructorDeclaration(n) && n.parent.heritageClauses?.some((h) => h.token === T.SyntaxKind.ExtendsKeyword) === true;
}

/**
 * The parameters the wrapper passes in the frame itself (`$am.startWithFrame(…, [a, b])`): all
 * of them when they are plain names and the body does not read `arguments` (an arrow's
 * `arguments` is the enclosing function's), so a call makes one array — the frame — and no
 * arguments object, and nothing outlives the parameters' last use. Otherwise undefined: the
 * machine keeps the arguments (object) in `a`.
 */
function framedParameters(T: typeof ts, fn: ts.FunctionLikeDeclaration, ctx: FunctionContext): ts.ParameterDeclaration[] | undefined {
  const params = parametersOf(T, fn);
  if (!areSimple(T, params) || params.length === 0) return undefined;
  if (!T.isArrowFunction(fn) && ctx.scopes.facts.get(fn)?.usesArguments === true) return undefined;
  return params;
}

/**
 * Could a `yield` run with two return completions pending? runtime/async-generator.ts runs a
 * machine's finally blocks for a `return()` inside its own `finally`; a `yield` there suspends
 * with that completion pending, and a second `return()` at it runs the finally blocks around that
 * `yield` in a `finally` nested once more — where none may yield again. A `yield` can run while a
 * completion is pending when it is in a `finally` block, or anywhere once a `break`/`continue`
 * out of a `finally` can end a completion and let the body go on. Such a `yield` must have no
 * finally block around it (one whose `try` or `catch` holds it) that yields.
 */
function finallyYieldsTooDeep(T: typeof ts, body: ts.Node): boolean {
  const yieldsIn = (n: ts.Node): boolean => {
    if (T.isFunctionLike(n) || T.isClassLike(n)) return false; // a nested function's, a class's own code
    if (T.isYieldExpression(n)) return true;
    return T.forEachChild(n, (c) => (yieldsIn(c) ? true : undefined)) === true;
  };
  /** Each `yield`: is it in a `finally` block, does a yielding finally block run after a return at it. */
  const yields: { inFinally: boolean; guardedByYieldingFinally: boolean }[] = [];
  let jumpsOutOfFinally = false;
  const walk = (n: ts.Node, inFinally: boolean, guarded: boolean): void => {
    if (T.isFunctionLike(n) || T.isClassLike(n)) return;
    if (T.isYieldExpression(n)) yields.push({ inFinally, guardedByYieldingFinally: guarded });
    if (T.isTryStatement(n)) {
      const guards = guarded || (n.finallyBlock !== undefined && yieldsIn(n.finallyBlock));
      walk(n.tryBlock, inFinally, guards);
      if (n.catchClause) walk(n.catchClause, inFinally, guards);
      if (n.finallyBlock) {
        if (leavesBlock(T, n.finallyBlock)) jumpsOutOfFinally = true;
        walk(n.finallyBlock, true, guarded);
      }
      return;
    }
    T.forEachChild(n, (c) => walk(c, inFinally, guarded));
  };
  walk(body, false, false);
  return yields.some((y) => (y.inFinally || jumpsOutOfFinally) && y.guardedByYieldingFinally);
}

/** Does a `break` or `continue` in `block` (not in a nested function) leave it? */
function leavesBlock(T: typeof ts, block: ts.Node): boolean {
  const leaves = (n: ts.Node, loops: number, switches: number): boolean => {
    if (T.isFunctionLike(n) || T.isClassLike(n)) return false;
    if (T.isBreakStatement(n) || T.isContinueStatement(n)) {
      if (n.label) return true;
      return T.isBreakStatement(n) ? loops + switches === 0 : loops === 0;
    }
    const inLoop = loops + (T.isIterationStatement(n, false) ? 1 : 0);
    const inSwitch = switches + (T.isSwitchStatement(n) ? 1 : 0);
    return T.forEachChild(n, (c) => (leaves(c, inLoop, inSwitch) ? true : undefined)) === true;
  };
  return leaves(block, 0, 0);
}
