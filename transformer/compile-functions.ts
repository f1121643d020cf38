/**
 * Compiles the async functions of one file and keeps the account: how many were compiled, their
 * state enums and machines, and every function left native with the reason and position.
 * Nested async functions met while an outer one is emitted are compiled through the same
 * account (`transformNested`); when the outer one then stays native, what its nested ones added
 * is taken back.
 */
import type * as ts from "typescript";
import type { Scopes } from "./analyze/scopes";
import type { SkippedFunction } from "./api";
import { InternalError, notCompiledMessage, type NotCompiledCode } from "./not-compiled";
import { generatorMethodProperty, iife, withResume } from "./emit/function-values";
import { namingStatements } from "./emit/frame-name";
import { canBindPerEvaluation, classSelfOf } from "./emit/method-shape";
import { becomesGeneratorProperty, seesOnlyFromTop } from "./emit/resume-placement";
import type { FunctionMode } from "./function-mode";
import type { Profile } from "./profile";
import { isAsyncFunction } from "./syntax";
import { checkSupported, functionName, transformFunction, type FunctionContext, type FunctionResult } from "./transform-function";

export type CompiledFunction = Extract<FunctionResult, { kind: "compiled" }>;

export interface CompiledMachineInfo {
  result: CompiledFunction;
  node: ts.FunctionLikeDeclaration;
}

/** What compiling a file's functions adds up to. */
export interface CollectedFunctions {
  /** Module-level statements: the state enums. */
  prelude: ts.Statement[];
  skipped: SkippedFunction[];
  compiled: number;
  /** Per compiled function (outer ones and nested), for inspection. */
  machines: CompiledMachineInfo[];
}

export interface FunctionCompiler {
  /** Compiles `fn` (and the async functions nested in it), or records why it stays native. */
  compile(fn: ts.FunctionLikeDeclaration): FunctionResult;
  /** Records that `fn` stays native for `code` (not-compiled.ts); `at` is the node the reason is about. */
  skip(fn: ts.FunctionLikeDeclaration, at: ts.Node, code: NotCompiledCode, detail?: string): void;
}

/** Whether `e` is the engine's stack overflow. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/**
 * Runs a stage over one function; a stack overflow (syntax nested deeper than a recursive walk
 * of the lowering or emit can follow) leaves the function native, reported, like `Unsupported`.
 */
export function leftNativeIfTooDeep(fn: ts.Node, stage: () => FunctionResult): FunctionResult {
  try {
    return stage();
  } catch (e) {
    if (isStackOverflow(e)) return { kind: "skipped", node: fn, code: "too-deep" };
    throw e;
  }
}

export interface FileFacts {
  tsApi: typeof ts;
  sourceFile: ts.SourceFile;
  fileName: string;
  scopes: Scopes;
  /** The file's name manager (every generated identifier is claimed from it). */
  names: FunctionContext["names"];
  /** The runtime namespace identifier. */
  runtime: string;
  /** The file's mode (function-mode.ts). Default promise. */
  fileMode?: FunctionMode;
  /** profile.ts; default development. */
  profile?: Profile;
  /** TypeScript's emit transforms the output next (emit/emit-context.ts); default true. */
  tscTransformsOutput?: boolean;
}

/**
 * How many async functions, each nested in the one before, are compiled together. Each level
 * runs the whole recipe (lowering, emit) on the stack of the level around it, so a deeper one is
 * left native ("too-deep") up front instead of overflowing the stack somewhere in the middle.
 */
export const MAX_NESTED_MACHINES = 24;

export function createFunctionCompiler(file: FileFacts, collected: CollectedFunctions): FunctionCompiler {
  const { tsApi: T, sourceFile, fileName, scopes } = file;
  /** Compiles in progress, each nested in the one before. */
  let nesting = 0;
  /**
   * Nested functions already compiled or left native, in order (`settledSet` holds the same). An
   * outer machine's emit walks the code a nested one emitted, where a function the nested one
   * left native appears again: it is not compiled or reported a second time.
   */
  const settled: ts.Node[] = [];
  const settledSet = new Set<ts.Node>();
  const settle = (node: ts.Node): void => {
    settled.push(node);
    settledSet.add(node);
  };

  /** 1-based line and column of `at`, or of the nearest node around it that has a position (nodes the lowering made have none). */
  function positionOf(fn: ts.FunctionLikeDeclaration, at: ts.Node): { line: number; column: number } {
    let node: ts.Node = T.getOriginalNode(at);
    while (node.pos < 0 && node.parent) node = node.parent;
    const pos = sourceFile.getLineAndCharacterOfPosition((node.pos < 0 ? fn : node).getStart(sourceFile));
    return { line: pos.line + 1, column: pos.character + 1 };
  }

  function skip(fn: ts.FunctionLikeDeclaration, at: ts.Node, code: NotCompiledCode, detail?: string): void {
    collected.skipped.push({ name: functionName(T, fn), fileName, ...positionOf(fn, at), code, reason: notCompiledMessage(code, detail) });
  }

  /** Runs the recipe; a broken invariant becomes an error naming the file and the function. */
  function transformOrFail(fn: ts.FunctionLikeDeclaration): FunctionResult {
    try {
      return transformFunction(fn, ctx);
    } catch (e) {
      if (!(e instanceof InternalError)) throw e;
      const { line, column } = positionOf(fn, e.node);
      throw new Error(`internal error in async function '${functionName(T, fn)}' at ${fileName}:${line}:${column}: ${e.what}`, { cause: e });
    }
  }

  function compile(fn: ts.FunctionLikeDeclaration): FunctionResult {
    // Nested machines compiled while this one is lowered are dropped again if this one stays native.
    const before = {
      compiled: collected.compiled,
      prelude: collected.prelude.length,
      machines: collected.machines.length,
      skipped: collected.skipped.length,
      settled: settled.length,
    };
    nesting++;
    let result: FunctionResult;
    try {
      result = leftNativeIfTooDeep(fn, () => transformOrFail(fn));
    } finally {
      nesting--;
    }
    if (result.kind === "skipped") {
      collected.compiled = before.compiled;
      collected.prelude.length = before.prelude;
      collected.machines.length = before.machines;
      collected.skipped.length = before.skipped;
      while (settled.length > before.settled) settledSet.delete(settled.pop()!);
      skip(fn, result.node, result.code, result.detail);
      if (result.code === "too-deep") settleInside(fn);
      return result;
    }
    collected.compiled++;
    // The production profile has no state enum (profile.ts).
    if (result.machine.stateEnum !== undefined) collected.prelude.push(result.machine.stateEnum);
    collected.machines.push({ result, node: fn });
    return result;
  }

  /**
   * A function too deep to compile: every async function inside it is left native and reported
   * too, once. Trying each of them again (as a nested machine met by an outer emit, or as a
   * root) would overflow again, one level shallower each time: work that grows far faster than
   * the nesting. Iterative: the function is as deep as the stack allows.
   */
  function settleInside(fn: ts.FunctionLikeDeclaration): void {
    const work: ts.Node[] = [];
    T.forEachChild(fn, (c) => void work.push(c));
    for (let node = work.pop(); node !== undefined; node = work.pop()) {
      if (isAsyncFunction(T, node) && !settledSet.has(node)) {
        settle(node);
        skip(node, node, "too-deep", "inside an async function too deep to compile");
      }
      T.forEachChild(node, (c) => void work.push(c));
    }
  }

  const resumeInIife = new Set<ts.Node>();
  const ctx: FunctionContext = {
    tsApi: T,
    resumeInIife,
    scopes,
    names: file.names,
    runtime: file.runtime,
    fileMode: file.fileMode,
    profile: file.profile,
    tscTransformsOutput: file.tscTransformsOutput,
    transformNested(node, rewriteOuter, hoist, isOuterLocal) {
      // A function with no place in the source is a copy the emit of a nested machine made of a
      // function it left native (already reported): it stays as it is.
      if (node.getSourceFile() === undefined || settledSet.has(T.getOriginalNode(node))) return undefined;
      settle(T.getOriginalNode(node));
      if (nesting >= MAX_NESTED_MACHINES) {
        skip(node, node, "too-deep", `inside ${MAX_NESTED_MACHINES} async functions nested in each other, all compiled`);
        return undefined;
      }
      // What the function itself rules out (an async generator…) is its reason, before where it stands.
      const code = checkSupported(T, node, scopes);
      if (code !== undefined) {
        skip(node, node, code);
        return undefined;
      }
      if (becomesGeneratorProperty(T, scopes, node)) {
        const result = compile(node);
        return result.kind === "compiled" ? rewriteOuter(generatorPropertyOf(file, collected, node as ts.MethodDeclaration, result)) : undefined;
      }
      const placement = nestedMethodProblem(T, scopes, node, isOuterLocal);
      if (placement !== undefined) {
        skip(node, node, placement);
        return undefined;
      }
      if (!T.isMethodDeclaration(node)) resumeInIife.add(node);
      const result = compile(node);
      return result.kind === "compiled" ? placeNested(T, file.runtime, node, result, rewriteOuter, hoist) : undefined;
    },
  };

  return { compile, skip };
}

/**
 * An async generator method of an object literal that becomes a value where it stands, created
 * with its resume function (function-values.ts generatorMethodProperty); a computed key waits in
 * a file-level `$key` between its evaluation and the property.
 */
function generatorPropertyOf(file: FileFacts, collected: CollectedFunctions, node: ts.MethodDeclaration, result: CompiledFunction): ts.Node {
  const T = file.tsApi;
  const naming = namingStatements(T, file.runtime, node, result.machine.resume);
  let key: string | undefined;
  if (T.isComputedPropertyName(node.name)) {
    key = file.names.claimForFile("$key");
    collected.prelude.push(T.factory.createVariableStatement(undefined, T.factory.createVariableDeclarationList([T.factory.createVariableDeclaration(key)])));
  }
  return generatorMethodProperty(T, file.runtime, result.wrapper as ts.MethodDeclaration, key, (shaped) => withResume(T, result.machine.resume, naming, shaped));
}

/** Why a nested method stays native where it stands (what the function itself is, checkSupported says first), or undefined. */
function nestedMethodProblem(
  T: typeof ts,
  scopes: Scopes,
  node: ts.FunctionLikeDeclaration,
  isOuterLocal: Parameters<FunctionContext["transformNested"]>[3],
): NotCompiledCode | undefined {
  if (!T.isMethodDeclaration(node)) return undefined;
  // Its wrapper reads itself from a parameter of an arrow around its class expression or
  // literal (method-shape.ts withAsyncMethodShape), which must be able to hold them.
  if (node.asteriskToken && classSelfOf(T, scopes, node) === undefined) {
    const container = node.parent;
    const spreadAfter = T.isObjectLiteralExpression(container) && container.properties.slice(container.properties.indexOf(node) + 1).some((p) => T.isSpreadAssignment(p));
    if (spreadAfter) return "async-generator-method-spread";
    if (!(T.isClassExpression(container) || T.isObjectLiteralExpression(container)) || !canBindPerEvaluation(T, container)) return "async-generator-method-nested";
  }
  if (scopes.facts.get(node)?.usesPrivateNames) return "nested-method-private-names";
  if (!seesOnlyFromTop(T, scopes, node, isOuterLocal)) return "nested-method-inner-binding";
  return undefined;
}

/** Where a compiled nested function's code goes in the outer machine's emit; what stands in its place. */
function placeNested(
  T: typeof ts,
  runtime: string,
  node: ts.FunctionLikeDeclaration,
  result: CompiledFunction,
  rewriteOuter: Parameters<FunctionContext["transformNested"]>[1],
  hoist: Parameters<FunctionContext["transformNested"]>[2],
): ts.Node {
  if (T.isMethodDeclaration(node)) {
    // A method's wrapper must stay a method: its resume goes to the top of the outer resume function.
    hoist(rewriteOuter(result.machine.resume) as ts.Statement);
    for (const statement of namingStatements(T, runtime, node, result.machine.resume)) hoist(statement);
    return rewriteOuter(result.wrapper);
  }
  // Created together where the function is: the wrapper closes over its resume.
  const naming = namingStatements(T, runtime, node, result.machine.resume);
  return rewriteOuter(iife(T, runtime, { wrapper: result.wrapper, resume: result.machine.resume }, node, naming));
}
