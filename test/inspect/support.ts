/**
 * Helpers for the runtime/inspect tests: compile a TypeScript module with the transform and load
 * it in this process against the runtime the tests import (so tracking, dumps and snapshots see
 * its machines), or write it to disk for a child process (child/register-ts.cjs loads the
 * runtime's TypeScript sources there).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { transform } from "../../transformer/index";
import * as runtime from "../../runtime/index";

export const ROOT = path.resolve(__dirname, "..", "..");
export const RUNTIME_ENTRY = path.join(ROOT, "runtime", "index.ts");
export const REGISTER_TS = path.join(__dirname, "child", "register-ts.cjs");
const SPECIFIER = "async-machine/runtime";

/** The compiled module as CommonJS JavaScript; the runtime is required as `runtimeSpecifier`. */
export function compileModule(source: string, fileName: string, runtimeSpecifier = SPECIFIER): string {
  const result = transform(source, { fileName, runtime: "require", runtimeSpecifier });
  if (result.compiled === 0) throw new Error(`${fileName}: nothing was compiled (${result.skipped.map((s) => s.reason).join("; ")})`);
  return transpile(result.code, fileName);
}

/** TypeScript → CommonJS ES2022, types stripped, async kept. */
export function transpile(code: string, fileName: string): string {
  return ts.transpileModule(code, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, ignoreDeprecations: "6.0" } as ts.CompilerOptions,
  }).outputText;
}

/**
 * The compiled module as code compiled before the transformer emitted MachineInfo: each
 * `states([...], { v: 2, … })` loses its second argument, so runtime/inspect falls back to what
 * the generated code itself says (runtime/inspect/machine-info.ts).
 */
export function withoutMachineInfo(js: string): string {
  let stripped = 0;
  const out = js.replace(/([\w$]+\.states\(\[[^\]]*\]), \{ v: \d+, .*\}\);$/gm, (_, call: string) => (stripped++, `${call});`));
  if (stripped === 0 || /\.states\(\[[^\]]*\],/.test(out)) throw new Error("withoutMachineInfo: the states(...) calls no longer look as expected; update the pattern");
  return out;
}

export interface LoadOptions {
  /** false: load the module as if compiled before MachineInfo existed (withoutMachineInfo). */
  readonly machineInfo?: boolean;
}

/** Compiles `source` and evaluates it here, with the tests' runtime; returns its exports. */
export function loadCompiled<T = Record<string, any>>(source: string, fileName = "module.ts", globals: Record<string, unknown> = {}, options: LoadOptions = {}): T {
  const compiled = compileModule(source, fileName);
  const js = options.machineInfo === false ? withoutMachineInfo(compiled) : compiled;
  const module = { exports: {} as Record<string, unknown> };
  const requireFn = (id: string): unknown => {
    if (id === SPECIFIER) return runtime;
    throw new Error(`unexpected require(${JSON.stringify(id)}) from ${fileName}`);
  };
  const names = Object.keys(globals);
  new Function("require", "module", "exports", ...names, js)(requireFn, module, module.exports, ...names.map((n) => globals[n]));
  return module.exports as T;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `async-machine-${prefix}-`));
}

/** A promise with its settle functions. */
export function deferred<T = unknown>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Lets pending promise reactions and one macrotask run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
