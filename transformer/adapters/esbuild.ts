/**
 * `import asyncMachine from "async-machine/esbuild"`: the Esbuild plugin (see unplugin.ts), called with
 * the same options as the tsc plugin: `asyncMachine({ include: ["src/**"] })`.
 */
import { asyncMachineUnplugin } from "./unplugin";

const plugin = (options?: import("../config").PluginOptions) => asyncMachineUnplugin().esbuild(options);
export = plugin;
