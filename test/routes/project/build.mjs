// Builds src/main.ts into <outDir>/<bundler>/main.{js,mjs} with one bundler and the
// async-machine plugin for it: `node build.mjs <vite|esbuild|rollup|rolldown|webpack|rspack> <outDir>`.
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const entry = path.join(here, "src/main.ts");
const [bundler, outRoot] = process.argv.slice(2);
const outDir = path.resolve(outRoot, bundler);
const options = { include: ["src/**"], report: "silent" };
process.chdir(here);

/** Type stripping for bundlers that do not read TypeScript (after async-machine, which runs first). */
const stripTypes = {
  name: "strip-types",
  transform(code, id) {
    if (!id.endsWith(".ts")) return null;
    const out = esbuild.transformSync(code, { loader: "ts", sourcemap: "external", sourcefile: id });
    return { code: out.code, map: out.map };
  },
};

if (bundler === "esbuild") {
  const { default: asyncMachine } = await import("async-machine/esbuild");
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    sourcemap: true,
    outfile: path.join(outDir, "main.js"),
    plugins: [asyncMachine(options)],
    logLevel: "error",
  });
} else if (bundler === "vite") {
  const { build } = await import("vite");
  const { default: asyncMachine } = await import("async-machine/vite");
  await build({
    root: here,
    logLevel: "error",
    configFile: false,
    plugins: [asyncMachine(options)],
    build: { ssr: entry, outDir, sourcemap: true, emptyOutDir: true, rollupOptions: { output: { entryFileNames: "main.mjs" } } },
    ssr: { noExternal: true },
  });
} else if (bundler === "rollup") {
  const { rollup } = await import("rollup");
  const { default: asyncMachine } = await import("async-machine/rollup");
  const resolveTs = {
    name: "resolve-ts",
    resolveId(source, importer) {
      return importer && source.startsWith(".") ? path.resolve(path.dirname(importer), source + ".ts") : null;
    },
  };
  const bundle = await rollup({ input: entry, external: ["async-machine/runtime"], plugins: [resolveTs, asyncMachine(options), stripTypes], logLevel: "silent" });
  await bundle.write({ file: path.join(outDir, "main.mjs"), format: "es", sourcemap: true });
} else if (bundler === "rolldown") {
  // Rolldown reads TypeScript itself, after the plugin (which runs first, on the original .ts).
  const { rolldown } = await import("rolldown");
  const { default: asyncMachine } = await import("async-machine/rolldown");
  const bundle = await rolldown({ input: entry, platform: "node", plugins: [asyncMachine(options)], logLevel: "silent" });
  await bundle.write({ file: path.join(outDir, "main.mjs"), format: "es", sourcemap: true });
  await bundle.close();
} else if (bundler === "webpack" || bundler === "rspack") {
  const { default: webpack } = bundler === "webpack" ? await import("webpack") : { default: (await import("@rspack/core")).rspack };
  const { default: asyncMachine } = await import(`async-machine/${bundler}`);
  const config = {
    mode: "none",
    target: "node",
    context: here,
    entry,
    devtool: "source-map",
    output: { path: outDir, filename: "main.js" },
    resolve: { extensions: [".ts", ".js"] },
    module: { rules: [{ test: /\.ts$/, loader: path.join(here, "strip-types-loader.cjs") }] },
    plugins: [asyncMachine(options)],
  };
  const stats = await new Promise((resolve, reject) => webpack(config, (err, s) => (err ? reject(err) : resolve(s))));
  if (stats.hasErrors()) throw new Error(stats.toString("errors-only"));
} else {
  throw new Error(`unknown bundler ${bundler}`);
}
