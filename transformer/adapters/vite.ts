/**
 * `import asyncMachine from "async-machine/vite"`: the Vite plugin (see unplugin.ts), called with
 * the same options as the tsc plugin: `asyncMachine({ include: ["src/**"] })`.
 */
import { asyncMachineUnplugin } from "./unplugin";

const plugin = (options?: import("../config").PluginOptions) => asyncMachineUnplugin().vite(options);
export = plugin;
