"use strict";
// Workload F, split by phase through the TypeScript API (no ts-patch): parse + bind + check, then
// emit without the transform and emit with the async-machine plugin's transformer, in one process
// so that the difference of the two emits is what the transform adds; of that, the time inside
// the transformer itself (`transformMs`) — the rest is TypeScript printing and module-transforming
// the larger output.
//   node compile-api.cjs <tsconfig.json> <outDir> [<profile.cpuprofile>]
//     → { checkMs, firstEmitMs, emitMs, emitPluginMs, transformMs }
//   With a profile path, the emit with the transformer runs under the CPU profiler (100 µs).
const path = require("node:path");
const ts = require("typescript");
const plugin = require("async-machine/plugin");

const [configPath, outDir, profilePath] = process.argv.slice(2);
const now = () => Number(process.hrtime.bigint()) / 1e6;

const t0 = now();
const parsed = ts.getParsedCommandLineOfConfigFile(
  path.resolve(configPath),
  { outDir: path.resolve(outDir) },
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  },
);
const options = { ...parsed.options, outDir: path.resolve(outDir) };
delete options.plugins;
const program = ts.createProgram({ rootNames: parsed.fileNames, options });
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) {
  throw new Error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => "\n" }));
}
const t1 = now();
const noWrite = () => {};
// Warm the emitter once so neither measured emit pays for its first-use compilation alone.
program.emit(undefined, noWrite);
const t2 = now();
program.emit(undefined, noWrite);
const t3 = now();
const pluginFactory = (plugin.default ?? plugin)(program, { report: "silent" }, { ts, addDiagnostic: () => 0 });
let transformMs = 0;
const factory = (context) => {
  const transformFile = pluginFactory(context);
  return (sourceFile) => {
    const start = now();
    try {
      return transformFile(sourceFile);
    } finally {
      transformMs += now() - start;
    }
  };
};
const pluginEmit = () => {
  const start = now();
  program.emit(undefined, noWrite, undefined, false, { before: [factory] });
  return now() - start;
};
const report = (emitPluginMs) => process.stdout.write(JSON.stringify({ checkMs: t1 - t0, firstEmitMs: t2 - t1, emitMs: t3 - t2, emitPluginMs, transformMs }) + "\n");
if (profilePath === undefined) {
  report(pluginEmit());
} else {
  const inspector = require("node:inspector");
  const fs = require("node:fs");
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  (async () => {
    await post("Profiler.enable");
    await post("Profiler.setSamplingInterval", { interval: 100 });
    await post("Profiler.start");
    const ms = pluginEmit();
    const { profile } = await post("Profiler.stop");
    fs.writeFileSync(profilePath, JSON.stringify(profile));
    report(ms);
  })();
}
