/**
 * async-machine: the library entry. `transform(sourceText, options)` rewrites the async
 * functions of one `.ts`/`.js` file into state machines and returns code, source map,
 * diagnostics and the list of functions left native.
 */
export type { RuntimeMode, TransformOptions, TransformResult, SkippedFunction, TransformDiagnostic } from "./api";
export { transform } from "./transform-text";
export { NOT_COMPILED, type NotCompiledCode } from "./not-compiled";
