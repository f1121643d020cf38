/**
 * Rewrites every async function of one SourceFile into a machine.
 *
 * In:  a parsed SourceFile (parent pointers set) and options.
 * Out: a list of edits — replace a function by its wrapper, insert a resume function before a
 *      statement, add the state enums and the runtime import at the top — applied either to the
 *      node tree (the tsc plugin: original nodes stay where they were, so tsc's own transforms
 *      and its checker-backed import elision still see them) or to the text (the library:
 *      magic-string keeps every untouched byte and maps it exactly).
 *
 * Where a resume function goes: beside the function it serves, in the nearest statement list,
 * when every binding the function reads from outside is visible there (then it is defined once
 * per evaluation of that scope, not per call). Otherwise — a binding of a `for` head, a catch
 * clause, a concise arrow's parameters — the wrapper and its resume are created together where
 * the function is, in an arrow IIFE. Async functions nested in a compiled one are compiled
 * together with it (emit/emit-machine.ts asks back through `transformNested`).
 */
import type * as ts from "typescript";
import { analyzeScopes, BindingKind, type Binding, type Scope, type Scopes } from "./analyze/scopes";
import { NameManager } from "./emit/names";
import { functionName, transformFunction, type FunctionContext, type FunctionResult } from "./transform-function";
import type { RuntimeMode, SkippedFunction } from "./api";
import { isAsyncFunction, isPrologueDirective } from "./syntax";
import { describeMachine, type MachineDescription } from "./emit/machine-description";
import { buildMachineInfo, machineInfoLiteral } from "./emit/machine-info";

export interface FileTransformOptions {
  runtime: RuntimeMode;
  runtimeSpecifier?: string;
  /** The file as machine ids name it (project-relative, `/`-separated); default its file name. */
  fileId?: string;
  /**
   * The file will be emitted strict whatever its source says: TypeScript's `alwaysStrict`, on
   * unless set to false (TypeScript 6 deprecates false). Default false: the source's own
   * strictness (a module, a "use strict" prologue or directive, a class body).
   */
  alwaysStrict?: boolean;
}

export interface FileTransformResult {
  sourceFile: ts.SourceFile;
  skipped: SkippedFunction[];
  compiled: number;
}

/** One change to the file. */
export type Edit =
  | { kind: "replace"; node: ts.Node; replacement: ts.Node }
  | { kind: "insert-before"; statement: ts.Statement; statements: ts.Statement[] }
  /** A member added at the start of a class body (a static block defining a resume function, before any static code can call it). */
  | { kind: "add-member"; classNode: ts.ClassLikeDeclaration; member: ts.ClassElement };

export interface FilePlan {
  edits: Edit[];
  /** Module-level statements to add at the top (after directives): runtime import, state enums. */
  prelude: ts.Statement[];
  /** The runtime namespace identifier. */
  runtime: string;
  skipped: SkippedFunction[];
  compiled: number;
  /** Per compiled function (outer ones and nested), for inspection. */
  machines: CompiledMachineInfo[];
}

export interface CompiledMachineInfo {
  result: Extract<FunctionResult, { kind: "compiled" }>;
  node: ts.FunctionLikeDeclaration;
}

/** The description of a compiled machine (emit/machine-description.ts): what its MachineInfo and `inspect` are made from. */
export function describeCompiled(tsApi: typeof ts, sourceFile: ts.SourceFile, { result, node }: CompiledMachineInfo): MachineDescription {
  const parts = { name: result.name, cfg: result.lowered.cfg, layout: result.layout, liveAcross: result.liveAcross, stateNames: result.machine.stateNames };
  return describeMachine(tsApi, sourceFile, node, parts);
}

/** Plans the rewrite of a file: analysis and lowering of every async function. */
export function planFile(tsApi: typeof ts, sourceFile: ts.SourceFile, fileName: string, alwaysStrict = false): FilePlan {
  const T = tsApi;
  const F = T.factory;
  const scopes = analyzeScopes(T, sourceFile, alwaysStrict);
  const names = new NameManager(scopes.allNames);
  const runtime = names.claim("$am");
  const plan: FilePlan = { edits: [], prelude: [], runtime, skipped: [], compiled: 0, machines: [] };

  const ctx: FunctionContext = {
    tsApi: T,
    scopes,
    names,
    runtime,
    transformNested(node, rewriteOuter, hoist, isOuterLocal) {
      if (T.isMethodDeclaration(node) && scopes.facts.get(node)?.usesPrivateNames) {
        skip(node, node, "an async method that uses `#private` names, in a class inside a compiled async function, is not supported yet");
        return undefined;
      }
      if (T.isMethodDeclaration(node) && !seesOnlyFromTop(node, isOuterLocal)) {
        skip(node, node, "an async method that reads a binding of a function, block or class nested in a compiled async function is not compiled yet (its resume function would sit at the top of the outer one, out of that binding's reach)");
        return undefined;
      }
      const result = compile(node);
      if (result.kind !== "compiled") return undefined;
      if (T.isMethodDeclaration(node)) {
        // A method's wrapper must stay a method: its resume goes to the top of the outer resume function.
        hoist(rewriteOuter(result.machine.resume) as ts.Statement);
        return rewriteOuter(result.wrapper);
      }
      // Created together where the function is: the wrapper closes over its resume.
      return rewriteOuter(iife(result, node));
    },
  };

  function skip(fn: ts.FunctionLikeDeclaration, at: ts.Node, reason: string): void {
    // A node the lowering made has no position: the nearest one that has is reported.
    let node: ts.Node = T.getOriginalNode(at);
    while (node.pos < 0 && node.parent) node = node.parent;
    const pos = sourceFile.getLineAndCharacterOfPosition((node.pos < 0 ? fn : node).getStart(sourceFile));
    plan.skipped.push({ name: functionName(T, fn), fileName, line: pos.line + 1, column: pos.character + 1, reason });
  }

  function compile(fn: ts.FunctionLikeDeclaration): FunctionResult {
    // Nested machines compiled while this one is lowered are dropped again if this one stays native.
    const before = { compiled: plan.compiled, prelude: plan.prelude.length, machines: plan.machines.length, skipped: plan.skipped.length };
    const result = transformFunction(fn, ctx);
    if (result.kind === "skipped") {
      plan.compiled = before.compiled;
      plan.prelude.length = before.prelude;
      plan.machines.length = before.machines;
      plan.skipped.length = before.skipped;
      skip(fn, result.node, result.reason);
      return result;
    }
    plan.compiled++;
    plan.prelude.push(result.machine.stateEnum);
    plan.machines.push({ result, node: fn });
    return result;
  }

  /**
   * `(() => { function f$resume(…) {…} return <wrapper>; })()` — the wrapper and its resume
   * created together. What the IIFE would lose is put back: a named function expression's own
   * name stays visible to the resume (`const fact = function fact…`), and an anonymous function
   * keeps the name it would have been given (`{ "arrow": wrapper }.arrow`).
   */
  function iife(result: Extract<FunctionResult, { kind: "compiled" }>, original: ts.FunctionLikeDeclaration): ts.Expression {
    if (T.isMethodDeclaration(result.wrapper)) throw new Error("internal: a method cannot be created in an IIFE");
    const statements: ts.Statement[] = [result.machine.resume];
    let value = asyncWrapper(result, original);
    if (T.isFunctionExpression(original) && original.name) {
      statements.push(F.createVariableStatement(undefined, F.createVariableDeclarationList([F.createVariableDeclaration(original.name.text, undefined, undefined, value)], T.NodeFlags.Const)));
      value = F.createIdentifier(original.name.text);
    }
    statements.push(F.createReturnStatement(value));
    return F.createCallExpression(F.createParenthesizedExpression(F.createArrowFunction(undefined, undefined, [], undefined, undefined, F.createBlock(statements, true))), undefined, []);
  }

  /**
   * The wrapper as a value that looks like an async function: its prototype is
   * %AsyncFunction.prototype% (so `constructor` is AsyncFunction and `@@toStringTag` says so),
   * and a function expression or declaration becomes a method, which — like an async
   * function — has no `prototype`, cannot be constructed and has no own `caller`/`arguments`.
   * An anonymous function keeps the name it would have been given where it stands.
   *     $am.asyncFunction({ "f"(a) { return $am.start(…); } }["f"])      $am.asyncFunction((a) => …, "arrow")
   */
  function asyncWrapper(result: Extract<FunctionResult, { kind: "compiled" }>, original: ts.FunctionLikeDeclaration): ts.Expression {
    const w = result.wrapper;
    const own = original.name && T.isIdentifier(original.name) ? original.name.text : undefined;
    const name = own ?? inferredName(original);
    const asyncFunction = F.createPropertyAccessExpression(F.createIdentifier(runtime), "asyncFunction");
    if (T.isArrowFunction(w)) {
      return F.createCallExpression(asyncFunction, undefined, name !== undefined ? [w, F.createStringLiteral(name)] : [w]);
    }
    const key = F.createStringLiteral(name ?? "");
    const method = F.createMethodDeclaration(undefined, undefined, key, undefined, undefined, w.parameters, undefined, w.body!);
    const holder = F.createParenthesizedExpression(F.createObjectLiteralExpression([method]));
    return F.createCallExpression(asyncFunction, undefined, [F.createElementAccessExpression(holder, F.createStringLiteral(name ?? ""))]);
  }

  /** The first statement of a statement list after its directive prologue. */
  function firstStatementOf(list: ts.Node): ts.Statement | undefined {
    const statements = T.isSourceFile(list) || T.isBlock(list) || T.isModuleBlock(list) || T.isCaseClause(list) || T.isDefaultClause(list) ? list.statements : undefined;
    return statements?.find((st) => !isPrologueDirective(T, st));
  }

  /** The name an anonymous function gets from where it stands (NamedEvaluation). */
  function inferredName(fn: ts.Node): string | undefined {
    let n = fn;
    while (n.parent && (T.isParenthesizedExpression(n.parent) || T.isAsExpression(n.parent) || T.isSatisfiesExpression(n.parent))) n = n.parent;
    const p = n.parent;
    if (!p) return undefined;
    const keyText = (name: ts.Node): string | undefined => (T.isIdentifier(name) || T.isStringLiteral(name) || T.isNumericLiteral(name) || T.isPrivateIdentifier(name) ? name.text : undefined);
    // A namespace's exported variable is emitted as `N.f = …`, which names nothing.
    if (T.isVariableDeclaration(p) && p.initializer === n && T.isModuleBlock(p.parent.parent?.parent) && T.getCombinedModifierFlags(p) & T.ModifierFlags.Export) return undefined;
    if ((T.isVariableDeclaration(p) || T.isParameter(p) || T.isBindingElement(p)) && p.initializer === n) return keyText(p.name);
    // `__proto__: v` sets the prototype; it names nothing (PropertyDefinitionEvaluation).
    if (T.isPropertyAssignment(p) && p.initializer === n && (T.isIdentifier(p.name) || T.isStringLiteral(p.name)) && p.name.text === "__proto__") return undefined;
    if ((T.isPropertyAssignment(p) || T.isPropertyDeclaration(p)) && p.initializer === n) return keyText(p.name);
    if (T.isBinaryExpression(p) && p.right === n && T.isIdentifier(p.left) && (p.operatorToken.kind === T.SyntaxKind.EqualsToken || p.operatorToken.kind === T.SyntaxKind.BarBarEqualsToken || p.operatorToken.kind === T.SyntaxKind.AmpersandAmpersandEqualsToken || p.operatorToken.kind === T.SyntaxKind.QuestionQuestionEqualsToken)) return p.left.text;
    if (T.isShorthandPropertyAssignment(p) && p.objectAssignmentInitializer === n) return p.name.text;
    // `export default` names it "default"; `export =` (`module.exports = …`) names nothing.
    if (T.isExportAssignment(p)) return p.isExportEquals ? undefined : "default";
    return undefined;
  }

  /** The nearest statement list around `node`, and the statement of it that holds `node`. */
  function nearestList(node: ts.Node): { list: ts.Node; statement: ts.Statement } | undefined {
    let child: ts.Node = node;
    for (let p = node.parent; p; child = p, p = p.parent) {
      if (T.isBlock(p) || T.isSourceFile(p) || T.isModuleBlock(p) || T.isCaseClause(p) || T.isDefaultClause(p)) {
        return T.isStatement(child) || T.isFunctionDeclaration(child) || T.isClassDeclaration(child) ? { list: p, statement: child as ts.Statement } : undefined;
      }
    }
    return undefined;
  }
  function scopeOfList(list: ts.Node): Scope | undefined {
    if (T.isCaseClause(list) || T.isDefaultClause(list)) return scopes.scopeOf.get(list.parent);
    return scopes.scopeOf.get(list);
  }
  /** Does every binding `fn` refers to pass `test`? (Stops at the first that does not.) */
  function everyBindingRead(fn: ts.FunctionLikeDeclaration, test: (b: Binding) => boolean): boolean {
    let ok = true;
    const walk = (n: ts.Node): void => {
      if (!ok) return;
      if (T.isIdentifier(n)) {
        const b = scopes.refs.get(n);
        if (b && !test(b)) ok = false;
        return;
      }
      T.forEachChild(n, walk);
    };
    walk(fn);
    return ok;
  }
  /**
   * Can code at the start of `list` see every outside binding `fn` refers to? `insideClass`: the
   * resume will be defined inside that class (a static block), so the class's own scope (its
   * expression name) and its `#private` names are visible too.
   */
  function canPlaceIn(fn: ts.FunctionLikeDeclaration, list: ts.Node, insideClass?: ts.ClassLikeDeclaration): boolean {
    const listScope = scopeOfList(list);
    if (!listScope) return false;
    if (!insideClass && scopes.facts.get(fn)?.usesPrivateNames) return false;
    const visible = new Set<Scope>();
    for (let s: Scope | undefined = listScope; s; s = s.parent) visible.add(s);
    return everyBindingRead(fn, (b) => {
      // A named function expression's own name is visible only inside it.
      if (b.kind === BindingKind.SelfName && b.declarations[0] === fn.name) return false;
      if (isInside(b.scope.node, fn) || visible.has(b.scope) || (insideClass && b.scope.node === insideClass)) return true;
      // A class's own name inside its body names the same class as its outer binding.
      return b.kind === BindingKind.Class && T.isClassDeclaration(b.scope.node) && b.scope.parent !== undefined && visible.has(b.scope.parent);
    });
  }
  /**
   * Can the resume function of `method`, nested in the compiled function around it, sit at the
   * top of that function's resume? Only if every outside binding it reads is one the outer
   * machine keeps (`isOuterLocal`) or lives outside the outer function altogether.
   */
  function seesOnlyFromTop(method: ts.FunctionLikeDeclaration, isOuterLocal: (b: Binding) => boolean): boolean {
    let outer: ts.Node | undefined = method.parent;
    while (outer && !isAsyncFunction(T, outer)) outer = outer.parent;
    return everyBindingRead(method, (b) => isInside(b.scope.node, method) || outer === undefined || !isInside(b.scope.node, outer) || isOuterLocal(b));
  }
  /**
   * Why `fn` cannot get its resume function where it stands (undefined: it can, or compile()
   * decides). A declaration must stay a declaration (its binding, hoisting and export); a resume
   * function kept in a variable beside a class must belong to one evaluation of that class.
   */
  function whyNotPlaceable(fn: ts.FunctionLikeDeclaration, placement: { list: ts.Node; statement: ts.Statement } | undefined, placeable: boolean, inClass: boolean): string | undefined {
    if (T.isFunctionDeclaration(fn) && placement && (T.isCaseClause(placement.list) || T.isDefaultClause(placement.list))) {
      return "an async function declared in a `case` clause is not compiled yet (its binding spans the whole switch, where no statement always runs first to give it its async shape)";
    }
    if (T.isFunctionDeclaration(fn) && !placeable) return "an async function declaration whose resume function cannot be placed beside it (it reads a binding not visible there) is not compiled yet";
    if (!inClass) return undefined;
    const cls = fn.parent as ts.ClassLikeDeclaration;
    for (let n: ts.Node = cls; n !== placement!.statement; n = n.parent) {
      if (T.isFunctionLike(n) || T.isIterationStatement(n, false) || T.isClassStaticBlockDeclaration(n)) {
        return "an async method that needs its class's scope (`#private` names or the class's own name), in a class evaluated more than once (inside a function or loop), is not compiled yet";
      }
    }
    // TypeScript's ES decorators run their initializers in static blocks placed before ours.
    const decorated = (n: ts.Node): boolean => T.canHaveDecorators(n) && T.getDecorators(n) !== undefined;
    if (decorated(cls) || cls.members.some(decorated)) return "an async method that needs its class's scope (`#private` names or the class's own name), in a decorated class, is not compiled yet";
    return undefined;
  }
  function isInside(node: ts.Node, container: ts.Node): boolean {
    for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === container) return true;
    return false;
  }

  const visit = (node: ts.Node): void => {
    if (isAsyncFunction(T, node)) {
      const fn = node;
      const placement = nearestList(fn);
      const placeable = placement !== undefined && canPlaceIn(fn, placement.list);
      // A method that needs its class's scope (`#x`, a class expression's own name) can have its
      // resume function inside the class.
      const inClass = !placeable && placement !== undefined && T.isMethodDeclaration(fn) && T.isClassLike(fn.parent) && canPlaceIn(fn, placement.list, fn.parent);
      const notHere = whyNotPlaceable(fn, placement, placeable, inClass);
      if (notHere !== undefined) {
        skip(fn, fn, notHere);
        T.forEachChild(node, visit);
        return;
      }
      if (inClass) {
        // `#x` and a class expression's own name are only visible inside the class: the resume
        // function is defined in a static block of the class and stored in a variable declared
        // beside the class.
        const result = compile(fn);
        if (result.kind === "skipped") {
          T.forEachChild(node, visit);
          return;
        }
        const resume = result.machine.resume;
        const name = resume.name!.text;
        plan.edits.push({ kind: "insert-before", statement: placement.statement, statements: [F.createVariableStatement(undefined, F.createVariableDeclarationList([F.createVariableDeclaration(name)], T.NodeFlags.Let))] });
        const fnExpr = F.createFunctionExpression(undefined, undefined, name, undefined, resume.parameters, undefined, resume.body!);
        const block = F.createClassStaticBlockDeclaration(F.createBlock([F.createExpressionStatement(F.createAssignment(F.createIdentifier(name), fnExpr))], true));
        plan.edits.push({ kind: "add-member", classNode: fn.parent as ts.ClassLikeDeclaration, member: block });
        plan.edits.push({ kind: "replace", node: fn, replacement: result.wrapper });
        return;
      }
      if (T.isMethodDeclaration(fn) && !placeable) {
        skip(fn, fn, "an async method whose resume function cannot be placed beside it (it reads `#private` names of an enclosing class, or a binding not visible there) is not supported yet");
        T.forEachChild(node, visit);
        return;
      }
      const result = compile(fn);
      if (result.kind === "skipped") {
        T.forEachChild(node, visit);
        return;
      }
      if (placeable) {
        plan.edits.push({ kind: "insert-before", statement: placement!.statement, statements: [result.machine.resume] });
        if (T.isFunctionDeclaration(fn) && fn.name) {
          // The declaration keeps hoisting; the first statement of its scope swaps in the
          // async-function-shaped wrapper before any code of the scope can see the binding.
          // The assigned name stands for the declaration's own, so that TypeScript's CommonJS
          // transform updates the exports of it too (`exports.f = f = …`) — not for `export
          // default function f`, which that transform would export again as `f`: there
          // `exports.default` keeps the plain wrapper (an ES module's live binding is swapped).
          plan.edits.push({ kind: "replace", node: fn, replacement: result.wrapper });
          const first = firstStatementOf(placement!.list);
          const isDefault = fn.modifiers?.some((m) => m.kind === T.SyntaxKind.DefaultKeyword) === true;
          const binding = isDefault ? F.createIdentifier(fn.name.text) : T.setOriginalNode(F.createIdentifier(fn.name.text), fn.name);
          if (first) plan.edits.push({ kind: "insert-before", statement: first, statements: [F.createExpressionStatement(F.createAssignment(binding, asyncWrapper(result, fn)))] });
        } else if (T.isFunctionDeclaration(fn) || T.isMethodDeclaration(fn)) {
          // (A function declaration without a name is `export default async function () {}`: it
          // keeps its export and hoisting as a plain function; there is no binding to swap.)
          plan.edits.push({ kind: "replace", node: fn, replacement: result.wrapper });
        } else {
          plan.edits.push({ kind: "replace", node: fn, replacement: asyncWrapper(result, fn) });
        }
      } else {
        plan.edits.push({ kind: "replace", node: fn, replacement: iife(result, fn) });
      }
      return;
    }
    T.forEachChild(node, visit);
  };
  visit(sourceFile);
  attachMachineInfo(T, sourceFile, fileName, scopes, plan);
  return plan;
}

/**
 * Gives each state enum its `MachineInfo` (`$am.states([...], { id, hash, awaits, slots… })`):
 * what task dumps, async stack traces and snapshots print and check at run time
 * (runtime/inspect). Ids are `file#name`, with `@line` when a name repeats in the file.
 */
function attachMachineInfo(T: typeof ts, sourceFile: ts.SourceFile, fileName: string, scopes: Scopes, plan: FilePlan): void {
  const F = T.factory;
  const file = fileName.replace(/\\/g, "/");
  const reports = plan.machines.map((m) => ({ m, report: describeCompiled(T, sourceFile, m) }));
  const count = new Map<string, number>();
  for (const { report } of reports) count.set(report.name, (count.get(report.name) ?? 0) + 1);
  for (const { m, report } of reports) {
    const facts = scopes.facts.get(m.node) ?? { usesThis: false, usesArguments: false, usesSuper: false, usesNewTarget: false };
    const info = buildMachineInfo(report, { file, duplicateName: count.get(report.name)! > 1, facts, isArrow: T.isArrowFunction(m.node) });
    const old = m.result.machine.stateEnum;
    const decl = (old as ts.VariableStatement).declarationList.declarations[0];
    const call = decl.initializer as ts.CallExpression;
    const updated = F.updateVariableStatement(
      old as ts.VariableStatement,
      undefined,
      F.updateVariableDeclarationList((old as ts.VariableStatement).declarationList, [
        F.updateVariableDeclaration(decl, decl.name, undefined, undefined, F.updateCallExpression(call, call.expression, undefined, [call.arguments[0], machineInfoLiteral(T, info)])),
      ]),
    );
    const i = plan.prelude.indexOf(old);
    if (i >= 0) plan.prelude[i] = updated;
    m.result.machine.stateEnum = updated;
  }
}

/** Statements that bring the runtime in under `name`. */
export function runtimeImport(tsApi: typeof ts, mode: RuntimeMode, name: string, specifier: string): ts.Statement[] {
  const F = tsApi.factory;
  if (mode === "import") {
    return [F.createImportDeclaration(undefined, F.createImportClause(false, undefined, F.createNamespaceImport(F.createIdentifier(name))), F.createStringLiteral(specifier))];
  }
  if (mode === "require") {
    return [
      F.createVariableStatement(
        undefined,
        F.createVariableDeclarationList([F.createVariableDeclaration(name, undefined, undefined, F.createCallExpression(F.createIdentifier("require"), undefined, [F.createStringLiteral(specifier)]))], tsApi.NodeFlags.Const),
      ),
    ];
  }
  return [];
}

/** Node-level entry for the tsc plugin: the edits applied to the tree. */
export function transformSourceFile(tsApi: typeof ts, sourceFile: ts.SourceFile, context: ts.TransformationContext, options: FileTransformOptions): FileTransformResult {
  const T = tsApi;
  const F = T.factory;
  const plan = planFile(T, sourceFile, options.fileId ?? sourceFile.fileName, options.alwaysStrict);
  if (plan.compiled === 0) return { sourceFile, skipped: plan.skipped, compiled: 0 };
  const replacements = new Map<ts.Node, ts.Node>();
  const inserts = new Map<ts.Node, ts.Statement[]>();
  const members = new Map<ts.Node, ts.ClassElement[]>();
  for (const e of plan.edits) {
    if (e.kind === "replace") replacements.set(e.node, e.replacement);
    else if (e.kind === "insert-before") inserts.set(e.statement, [...(inserts.get(e.statement) ?? []), ...e.statements]);
    else members.set(e.classNode, [...(members.get(e.classNode) ?? []), e.member]);
  }
  const visitStatements = (statements: ts.NodeArray<ts.Statement>): ts.Statement[] => {
    const out: ts.Statement[] = [];
    for (const s of statements) {
      const before = inserts.get(s);
      if (before) out.push(...before);
      out.push(visit(s) as ts.Statement);
    }
    return out;
  };
  const visit = (node: ts.Node): ts.Node => {
    const r = replacements.get(node);
    if (r) return r;
    if (T.isBlock(node)) return F.updateBlock(node, visitStatements(node.statements));
    if (T.isModuleBlock(node)) return F.updateModuleBlock(node, visitStatements(node.statements));
    if (T.isCaseClause(node)) return F.updateCaseClause(node, T.visitNode(node.expression, visit) as ts.Expression, visitStatements(node.statements));
    if (T.isDefaultClause(node)) return F.updateDefaultClause(node, visitStatements(node.statements));
    const added = members.get(node);
    if (added) {
      const c = T.visitEachChild(node, visit, context) as ts.ClassLikeDeclaration;
      return T.isClassDeclaration(c)
        ? F.updateClassDeclaration(c, c.modifiers, c.name, c.typeParameters, c.heritageClauses, [...added, ...c.members])
        : F.updateClassExpression(c as ts.ClassExpression, c.modifiers, c.name, c.typeParameters, c.heritageClauses, [...added, ...c.members]);
    }
    return T.visitEachChild(node, visit, context);
  };
  const body = visitStatements(sourceFile.statements);
  const prologue: ts.Statement[] = [];
  let i = 0;
  while (i < body.length && isPrologueDirective(T, body[i])) prologue.push(body[i++]);
  const statements = [...prologue, ...runtimeImport(T, options.runtime, plan.runtime, options.runtimeSpecifier ?? "async-machine/runtime"), ...plan.prelude, ...body.slice(i)];
  return { sourceFile: F.updateSourceFile(sourceFile, statements), skipped: plan.skipped, compiled: plan.compiled };
}
