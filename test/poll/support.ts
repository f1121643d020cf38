/**
 * Compiles a module in poll mode (or promise mode) with the transform and loads it in this
 * process against the runtime the tests import, so tasks, executors and `Cancelled` are the
 * tests' own.
 */
import * as ts from "typescript";
import { transform } from "../../transformer/index";
import * as runtime from "../../runtime/index";

const SPECIFIER = "async-machine/runtime";

/** `source` compiled (`mode` for the file; tags may override it per function) and evaluated; its exports. */
export function loadModule<T = Record<string, any>>(source: string, mode: "poll" | "promise" = "poll", globals: Record<string, unknown> = {}): T {
  const result = transform(source, { fileName: "module.ts", runtime: "require", runtimeSpecifier: SPECIFIER, mode });
  if (result.skipped.length > 0) throw new Error(`left native: ${result.skipped.map((s) => s.reason).join("; ")}`);
  return evaluate<T>(result.code, globals);
}

/** `source` evaluated as it is, its async functions native: the referee for `loadModule`. */
export function loadNativeModule<T = Record<string, any>>(source: string, globals: Record<string, unknown> = {}): T {
  return evaluate<T>(source, globals);
}

function evaluate<T>(code: string, globals: Record<string, unknown>): T {
  const js = ts.transpileModule(code, {
    fileName: "module.ts",
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, ignoreDeprecations: "6.0" } as ts.CompilerOptions,
  }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  const requireFn = (id: string): unknown => {
    if (id === SPECIFIER) return runtime;
    throw new Error(`unexpected require(${JSON.stringify(id)})`);
  };
  const names = Object.keys(globals);
  new Function("require", "module", "exports", ...names, js)(requireFn, module, module.exports, ...names.map((n) => globals[n]));
  return module.exports as T;
}

/** Resolves after `n` macrotask hops (every microtask and drain queued before has run). */
export async function macrotasks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
}
