// Bundles trace/main.ts with esbuild into <outFile>, with the async-machine plugin or without it:
// `node build-trace.mjs <outFile> <compiled|native>`.
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const [outFile, mode] = process.argv.slice(2);
process.chdir(here);
const plugins = [];
if (mode === "compiled") {
  const { default: asyncMachine } = await import("async-machine/esbuild");
  plugins.push(asyncMachine({ include: ["src/**", "trace/**"], report: "silent" }));
} else if (mode !== "native") throw new Error(`unknown mode ${mode}`);
await esbuild.build({
  entryPoints: [path.join(here, "trace/main.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  sourcemap: true,
  outfile: path.resolve(outFile),
  plugins,
  logLevel: "error",
});
