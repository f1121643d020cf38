/**
 * Options of the bundler plugins: the tsc plugin's options, checked by the same code
 * (config.ts), with the message naming the bundler config instead of tsconfig.json.
 */
import { PluginConfigError, resolvePluginOptions, type ResolvedPluginOptions } from "../config";

export function resolveAdapterOptions(raw: unknown): ResolvedPluginOptions {
  try {
    return resolvePluginOptions(raw);
  } catch (error) {
    if (!(error instanceof PluginConfigError)) throw error;
    const problems = error.problems;
    const message =
      problems.length === 1 ? `async-machine: invalid plugin option: ${problems[0]}` : `async-machine: invalid plugin options:\n${problems.map((p) => `  - ${p}`).join("\n")}`;
    throw Object.assign(new Error(message), { name: "AsyncMachineOptionsError" });
  }
}
