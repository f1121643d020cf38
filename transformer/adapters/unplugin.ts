/**
 * The bundler and test-runner plugins (vite, rollup, rolldown, esbuild, webpack, rspack; vitest
 * through vite), built once with unplugin so every bundler runs the same `transform()` with the
 * same options as the tsc plugin (include/exclude/strict/runtime/runtimeSpecifier/report/poll/profile).
 *
 * The plugin runs before the bundler's own TypeScript/JSX handling (`enforce: "pre"`), so it sees
 * the original text and its source map leads back to it; files in which nothing is compiled are
 * passed on untouched. Generated code imports `async-machine/runtime` (ES module syntax, which
 * every bundler understands) unless `runtime: "require"` is set.
 */
import * as path from "node:path";
import type { UnpluginFactory, UnpluginInstance } from "unplugin";
import { createFileFilter, createModeOf, type PluginOptions } from "../config";
import { transform } from "../transform-text";
import { resolveAdapterOptions } from "./options";
import { Report } from "./report";

/** Files the plugin looks at (the include/exclude filter narrows them further). */
const SCRIPT = /\.(?:[cm]?[jt]sx?)$/;

export const unpluginFactory: UnpluginFactory<PluginOptions | undefined> = (raw) => {
  const options = resolveAdapterOptions(raw);
  const root = process.cwd();
  const isIncluded = createFileFilter(options, root);
  const modeOf = createModeOf(options, root);
  const report = new Report(options.report);
  const fileOf = (id: string) => id.replace(/[?#].*$/, "");
  return {
    name: "async-machine",
    enforce: "pre",
    transformInclude(id) {
      const file = fileOf(id);
      return !file.startsWith("\0") && SCRIPT.test(file) && !file.endsWith(".d.ts") && path.isAbsolute(file) && isIncluded(file);
    },
    transform(code, id) {
      const file = fileOf(id);
      const shown = path.relative(root, file).split(path.sep).join("/");
      const result = transform(code, {
        fileName: shown,
        runtime: options.runtime ?? "import",
        runtimeSpecifier: options.runtimeSpecifier,
        mode: modeOf(file),
        profile: options.profile,
      });
      report.file(shown, result.compiled, result.skipped);
      if (options.strict && result.skipped.length > 0) {
        this.error(result.skipped.map((s) => `${s.fileName}:${s.line}:${s.column} async function ${s.name} left native (strict): ${s.reason}`).join("\n"));
      }
      // Syntax errors are the bundler's to report, on the text it was given.
      if (result.compiled === 0) return null;
      return { code: result.code, map: { ...result.map, sources: [file] } };
    },
    buildEnd() {
      report.flush();
    },
  };
};

let instance: UnpluginInstance<PluginOptions | undefined> | undefined;

/** The unplugin instance, created on first use (unplugin is an ES module, loaded with require). */
export function asyncMachineUnplugin(): UnpluginInstance<PluginOptions | undefined> {
  if (!instance) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createUnplugin } = require("unplugin") as typeof import("unplugin");
    instance = createUnplugin(unpluginFactory);
  }
  return instance;
}
