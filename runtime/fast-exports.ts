/**
 * Generated code reads the runtime through a module's exports object at every call of a
 * compiled function (`$am.startWithFrame(…)`). CommonJS builds that object one property at a
 * time, many of them re-export accessors, so V8 keeps it in dictionary mode and every such read
 * is a hash lookup (benchmark C: 85 instructions per call). `fastExports` replaces a CommonJS
 * module's exports by a copy made in one go: the same names and values as plain data properties,
 * in fast mode. (The runtime's values never change after loading, so nothing live is lost;
 * `__esModule` keeps TypeScript's and Node's ES-module interop working.)
 *
 * The caller passes its `module` through a function that returns it: Node finds the named exports
 * an ES module may import by scanning the file's text, and a literal `module.exports =` would make
 * it drop the `export *` names. (A function, not the value: an argument that reads `module` is
 * code a bundler must keep even when it drops the call; a function literal is not.) Under an
 * ES-module build `module` is undefined and nothing happens.
 */
export function fastExports(moduleOf: () => { exports: unknown } | undefined, marker: string, value: unknown): void {
  const commonJsModule = moduleOf();
  if (commonJsModule === undefined || commonJsModule.exports === null || typeof commonJsModule.exports !== "object") return;
  const current = commonJsModule.exports as Record<string, unknown>;
  if (current[marker] !== value) return;
  commonJsModule.exports = Object.defineProperty(Object.fromEntries(Object.keys(current).map((key) => [key, current[key]])), "__esModule", { value: true });
}
