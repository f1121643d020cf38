/**
 * The options of `node --import async-machine/register`, read from the environment (the hook has
 * no config object to take them from; `ASYNC_MACHINE_CACHE` is read the same way):
 *
 *     ASYNC_MACHINE_POLL='src/engine/**,src/jobs/*.ts' node --import async-machine/register app.js
 *
 * `ASYNC_MACHINE_POLL` is the plugin's `"poll"` option: globs in the form of `include` (relative
 * to the working directory, or absolute), comma-separated as `async-machine compile --poll`
 * takes them; a loaded file that matches one is compiled in poll mode. A function's own
 * `/** @poll *\/` or `/** @promise *\/` tag still overrides its file's mode. The globs are checked
 * by the plugin's own checks (config.ts), once, when the hook starts: a bad one stops the program
 * before it loads anything, with a message naming the variable.
 */
import { createModeOf, PluginConfigError, resolvePluginOptions } from "../config";

export type FileMode = "promise" | "poll";

let modeOf: ((fileName: string) => FileMode) | undefined;

/** A loaded file's mode from `ASYNC_MACHINE_POLL` (read once per thread). */
export function registerModeOf(fileName: string): FileMode {
  return (modeOf ??= readPollGlobs(process.env.ASYNC_MACHINE_POLL, process.cwd()))(fileName);
}

/** `ASYNC_MACHINE_POLL`'s value → the mode of a file; throws naming the variable if a glob is bad. */
export function readPollGlobs(setting: string | undefined, cwd: string): (fileName: string) => FileMode {
  const globs = (setting ?? "")
    .split(",")
    .map((g) => g.trim())
    .filter((g) => g !== "");
  try {
    return createModeOf(resolvePluginOptions({ poll: globs }), cwd);
  } catch (error) {
    if (!(error instanceof PluginConfigError)) throw error;
    throw Object.assign(new Error(`async-machine: invalid ASYNC_MACHINE_POLL=${JSON.stringify(setting)}: ${error.problems.join("; ")}`), { name: "AsyncMachineOptionsError" });
  }
}
