/**
 * Rewrites every async function of one SourceFile into a machine.
 *
 * In:  a parsed SourceFile (parent pointers set) and options.
 * Out: a list of edits — replace a function by its wrapper, insert a resume function before a
 *      statement, add the state enums and the runtime import at the top — applied either to the
 *      node tree (the tsc plugin: original nodes stay where they were, so tsc's own transforms
 *      and its checker-backed import elision still see them) or to the text (the library:
 *      text-edits.ts keeps every untouched byte and maps it exactly).
 *
 * For each async function, outermost first:
 *
 *     placeResume        → where its resume function goes, or why it stays native (emit/resume-placement.ts)
 *     compile            → its machine; nested async functions compiled with it (compile-functions.ts)
 *     placementEdits     → the edits that put it in place (emit/placement-edits.ts)
 *
 * then every state enum gets its MachineInfo (emit/machine-info.ts).
 */
import type * as ts from "typescript";
import { analyzeScopes, type Scopes } from "./analyze/scopes";
import { NameManager } from "./names";
import type { RuntimeMode, SkippedFunction } from "./api";
import type { FunctionMode } from "./function-mode";
import type { Profile } from "./profile";
import { hasAsyncFunction, isAsyncFunction, isPrologueDirective } from "./syntax";
import { DEFAULT_RUNTIME_SPECIFIER } from "./config";
import { DEFAULT_PROFILE } from "./profile";
import { describeMachine, summarizeMachine, type MachineDescription, type MachineParts, type MachineSummary } from "./emit/machine-description";
import { buildMachineInfo, machineInfoLiteral } from "./emit/machine-info";
import { placeResume } from "./emit/resume-placement";
import { placementEdits, type Edit } from "./emit/placement-edits";
import { boundPerEvaluation, shapedObjectLiteral } from "./emit/method-shape";
import { inferredName } from "./emit/inferred-name";
import { createFunctionCompiler, isStackOverflow, type CollectedFunctions, type CompiledMachineInfo } from "./compile-functions";
import { notCompiledMessage } from "./not-compiled";
import { deepestAncestry, printWithHeadroom, PRINT_CHECK_DEPTH } from "./printer-depth";
import { functionName } from "./transform-function";
import type { OriginalPositionOf } from "./input-map-positions";

export type { Edit } from "./emit/placement-edits";
export type { CompiledMachineInfo } from "./compile-functions";

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
  /** The file's mode (function-mode.ts). Default promise. */
  mode?: FunctionMode;
  /** profile.ts; default development. */
  profile?: Profile;
}

export interface FileTransformResult {
  sourceFile: ts.SourceFile;
  skipped: SkippedFunction[];
  compiled: number;
}

export interface FilePlan extends CollectedFunctions {
  edits: Edit[];
  /** The runtime namespace identifier. */
  runtime: string;
}

/** The description of a compiled machine (emit/machine-description.ts): what its MachineInfo and `inspect` are made from. */
export function describeCompiled(tsApi: typeof ts, sourceFile: ts.SourceFile, { result, node }: CompiledMachineInfo): MachineDescription {
  return describeMachine(tsApi, sourceFile, node, machineParts(result));
}

/** The summary of a compiled machine its emitted MachineInfo is built from (linear in its awaits and frame changes). */
export function summarizeCompiled(sourceFile: ts.SourceFile, { result, node }: CompiledMachineInfo): MachineSummary {
  return summarizeMachine(sourceFile, node, machineParts(result));
}

function machineParts(result: CompiledMachineInfo["result"]): MachineParts {
  return { name: result.name, cfg: result.lowered.cfg, layout: result.layout, liveRuns: result.liveRuns, stateNames: result.machine.stateNames };
}

/** Plans the rewrite of a file: analysis and lowering of every async function. */
export function planFile(
  tsApi: typeof ts,
  sourceFile: ts.SourceFile,
  fileName: string,
  alwaysStrict = false,
  fileMode: FunctionMode = "promise",
  profile: Profile = DEFAULT_PROFILE,
  originalPositionOf?: OriginalPositionOf,
  tscTransformsOutput = true,
): FilePlan {
  const T = tsApi;
  if (!hasAsyncFunction(T, sourceFile)) return { edits: [], prelude: [], runtime: "$am", skipped: [], compiled: 0, machines: [] };
  const scopes = analyzeScopes(T, sourceFile, alwaysStrict);
  const names = new NameManager(scopes.allNames, /*reuseAcrossFunctions*/ true);
  const runtime = names.claimForFile("$am");
  const plan: FilePlan = { edits: [], prelude: [], runtime, skipped: [], compiled: 0, machines: [] };
  const compiler = createFunctionCompiler({ tsApi: T, sourceFile, fileName, scopes, names, runtime, fileMode, profile, tscTransformsOutput }, plan);

  // Outermost first, in source order; iterative (the file may nest deeper than the stack allows).
  const work: ts.Node[] = [sourceFile];
  const children: ts.Node[] = [];
  const collect = (child: ts.Node): void => {
    children.push(child);
  };
  for (let node = work.pop(); node !== undefined; node = work.pop()) {
    if (isAsyncFunction(T, node)) {
      const placement = placeResume(T, scopes, node);
      if (placement.kind === "native") {
        compiler.skip(node, node, placement.code);
      } else {
        const result = compiler.compile(node);
        // A skipped function's nested async functions may still be compiled on their own;
        // those of one too deep to compile were left native with it (compile-functions.ts).
        if (result.kind === "compiled") {
          plan.edits.push(...placementEdits(T, runtime, node, { wrapper: result.wrapper, resume: result.machine.resume }, placement, names, scopes, plan.prelude));
          continue;
        }
        if (result.code === "too-deep") continue;
      }
    }
    T.forEachChild(node, collect);
    while (children.length > 0) work.push(children.pop()!);
  }
  // The production profile drops what only inspection reads (profile.ts).
  if (profile !== "production") attachMachineInfo(T, sourceFile, fileName, scopes, plan, originalPositionOf);
  return plan;
}

/**
 * Gives each state enum its `MachineInfo` (`$am.states([...], { id, awaits, slots… })`):
 * what task dumps, async stack traces and snapshots print and check at run time
 * (runtime/inspect). Ids are `file#name`, with `@line` when a name repeats in the file.
 */
function attachMachineInfo(T: typeof ts, sourceFile: ts.SourceFile, fileName: string, scopes: Scopes, plan: FilePlan, originalPositionOf: OriginalPositionOf | undefined): void {
  const F = T.factory;
  const file = fileName.replace(/\\/g, "/");
  const reports = plan.machines.map((m) => ({ m, report: summarizeCompiled(sourceFile, m) }));
  const count = new Map<string, number>();
  for (const { report } of reports) count.set(report.name, (count.get(report.name) ?? 0) + 1);
  for (const { m, report } of reports) {
    const facts = scopes.facts.get(m.node) ?? { usesThis: false, usesArguments: false, usesSuper: false, usesNewTarget: false };
    const info = buildMachineInfo(report, { file, duplicateName: count.get(report.name)! > 1, facts, isArrow: T.isArrowFunction(m.node), originalPositionOf });
    const old = m.result.machine.stateEnum;
    if (old === undefined) continue;
    const decl = (old as ts.VariableStatement).declarationList.declarations[0];
    const call = decl.initializer as ts.CallExpression;
    const updated = F.updateVariableStatement(
      old as ts.VariableStatement,
      undefined,
      F.updateVariableDeclarationList((old as ts.VariableStatement).declarationList, [
        F.updateVariableDeclaration(
          decl,
          decl.name,
          undefined,
          undefined,
          F.updateCallExpression(call, call.expression, undefined, [call.arguments[0], machineInfoLiteral(T, info)]),
        ),
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
    return [
      F.createImportDeclaration(
        undefined,
        F.createImportClause(/*isTypeOnly*/ false, undefined, F.createNamespaceImport(F.createIdentifier(name))),
        F.createStringLiteral(specifier),
      ),
    ];
  }
  if (mode === "require") {
    return [
      F.createVariableStatement(
        undefined,
        F.createVariableDeclarationList(
          [F.createVariableDeclaration(name, undefined, undefined, F.createCallExpression(F.createIdentifier("require"), undefined, [F.createStringLiteral(specifier)]))],
          tsApi.NodeFlags.Const,
        ),
      ),
    ];
  }
  return [];
}

/**
 * Node-level entry for the tsc plugin: the edits applied to the tree. Only the nodes on the way
 * from the file to an edited node are rebuilt; every other subtree is kept as it is without being
 * walked, so syntax nested deep beside the compiled functions costs nothing. Where the way itself
 * is deeper than the stack allows, or the output too deep for TypeScript's printer
 * (printer-depth.ts), the file is left unchanged and each of its machines reported as too deep
 * (like `transform()`).
 */
export function transformSourceFile(tsApi: typeof ts, sourceFile: ts.SourceFile, context: ts.TransformationContext, options: FileTransformOptions): FileTransformResult {
  const plan = planFile(tsApi, sourceFile, options.fileId ?? sourceFile.fileName, options.alwaysStrict, options.mode, options.profile);
  if (plan.compiled === 0) return { sourceFile, skipped: plan.skipped, compiled: 0 };
  try {
    const edited = applyEdits(tsApi, sourceFile, context, options, plan);
    // Near the deepest syntax tsc prints, the compiled output may be too deep for tsc's printer.
    if (deepestAncestry(plan.edits.map(editTarget)) >= PRINT_CHECK_DEPTH) printWithHeadroom(tsApi, edited);
    return { sourceFile: edited, skipped: plan.skipped, compiled: plan.compiled };
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    const fileName = options.fileId ?? sourceFile.fileName;
    const tooDeep = plan.machines.map(({ node }): SkippedFunction => {
      const pos = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
      return { name: functionName(tsApi, node), fileName, line: pos.line + 1, column: pos.character + 1, code: "too-deep", reason: notCompiledMessage("too-deep") };
    });
    return { sourceFile, skipped: [...plan.skipped, ...tooDeep], compiled: 0 };
  }
}

/** The node of the source an edit changes. */
function editTarget(e: Edit): ts.Node {
  return e.kind === "replace" ? e.node : e.kind === "insert-before" ? e.statement : e.kind === "add-member" ? e.classNode : e.kind === "bind" ? e.container : e.literal;
}

/** Every node that contains an edited node (the nodes a rewrite must rebuild), found by walking up from each. */
function waysToEdits(sourceFile: ts.SourceFile, edits: readonly Edit[]): Set<ts.Node> {
  const on = new Set<ts.Node>();
  for (const e of edits) {
    const target = editTarget(e);
    for (let n: ts.Node | undefined = target; n !== undefined && !on.has(n); n = n.parent) on.add(n);
  }
  on.add(sourceFile);
  return on;
}

function applyEdits(tsApi: typeof ts, sourceFile: ts.SourceFile, context: ts.TransformationContext, options: FileTransformOptions, plan: FilePlan): ts.SourceFile {
  const T = tsApi;
  const F = T.factory;
  const replacements = new Map<ts.Node, ts.Node>();
  const inserts = new Map<ts.Node, ts.Statement[]>();
  const members = new Map<ts.Node, ts.ClassElement[]>();
  const methodKeys = new Map<ts.Node, ts.Expression[]>();
  const bindings = new Map<ts.Node, string[]>();
  for (const e of plan.edits) {
    if (e.kind === "replace") replacements.set(e.node, e.replacement);
    else if (e.kind === "insert-before") inserts.set(e.statement, [...(inserts.get(e.statement) ?? []), ...e.statements]);
    else if (e.kind === "add-member") members.set(e.classNode, [...(members.get(e.classNode) ?? []), e.member]);
    else if (e.kind === "bind") bindings.set(e.container, [...(bindings.get(e.container) ?? []), ...e.names]);
    else methodKeys.set(e.literal, [...(methodKeys.get(e.literal) ?? []), e.key]);
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
  const onTheWay = waysToEdits(sourceFile, plan.edits);
  // A class expression or literal evaluated again and again: its bindings around it (method-shape.ts boundPerEvaluation).
  const visit = (node: ts.Node): ts.Node => {
    const bound = bindings.get(node);
    if (bound === undefined) return visitEdited(node);
    const named = T.isClassExpression(node) && node.name === undefined ? inferredName(T, node) : undefined;
    return boundPerEvaluation(T, visitEdited(node) as ts.Expression, bound, named);
  };
  const visitEdited = (node: ts.Node): ts.Node => {
    const r = replacements.get(node);
    if (r) return r;
    if (!onTheWay.has(node)) return node;
    if (T.isBlock(node)) return F.updateBlock(node, visitStatements(node.statements));
    if (T.isModuleBlock(node)) return F.updateModuleBlock(node, visitStatements(node.statements));
    if (T.isCaseClause(node)) return F.updateCaseClause(node, T.visitNode(node.expression, visit) as ts.Expression, visitStatements(node.statements));
    if (T.isDefaultClause(node)) return F.updateDefaultClause(node, visitStatements(node.statements));
    const keys = methodKeys.get(node);
    if (keys) return shapedObjectLiteral(T, plan.runtime, T.visitEachChild(node, visit, context) as ts.Expression, keys);
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
  const statements = [...prologue, ...runtimeImport(T, options.runtime, plan.runtime, options.runtimeSpecifier ?? DEFAULT_RUNTIME_SPECIFIER), ...plan.prelude, ...body.slice(i)];
  return F.updateSourceFile(sourceFile, statements);
}
