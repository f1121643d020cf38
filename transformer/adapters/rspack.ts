/**
 * `import asyncMachine from "async-machine/rspack"`: the Rspack plugin (see unplugin.ts), called with
 * the same options as the tsc plugin: `asyncMachine({ include: ["src/**"] })`.
 */
import { asyncMachineUnplugin } from "./unplugin";

const plugin = (options?: import("../config").PluginOptions) => asyncMachineUnplugin().rspack(options);
export = plugin;
