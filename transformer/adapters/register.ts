/**
 * `node --import async-machine/register app.js`: compiles the async functions of the program's
 * own modules as Node loads them, with no build step. ES modules go through a module hook
 * (register-hooks.ts, on Node's loader thread); CommonJS modules through `Module.prototype._compile`.
 * Composes with tsx for TypeScript (`node --import tsx --import async-machine/register app.ts`):
 * tsx turns the .ts into JavaScript first, and its inline source map is chained.
 *
 * Files under node_modules and this package's own files are left alone. Results are cached on disk (see compile-cache.ts).
 * `ASYNC_MACHINE_POLL='src/engine/**'` compiles the files its globs match in poll mode (register-options.ts).
 */
import Module = require("node:module");
import { pathToFileURL } from "node:url";
import { compileLoaded } from "./compile-cache";
import { registerModeOf } from "./register-options";

// Checks ASYNC_MACHINE_POLL now, before anything is loaded: a bad glob stops the program here.
registerModeOf(__filename);

Module.register("./register-hooks.js", pathToFileURL(__filename));

type Compile = (this: unknown, content: string, filename: string) => unknown;
const proto = Module.prototype as unknown as { _compile: Compile };
const originalCompile = proto._compile;
proto._compile = function compileWithMachines(content, filename) {
  return originalCompile.call(this, compileLoaded(content, filename, "require"), filename);
};
