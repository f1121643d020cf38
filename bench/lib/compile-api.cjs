"use strict";
// Workload F, split by phase through the TypeScript API (no ts-patch): parse + bind + check, then
// emit without the transform and emit with the async-machine plugin's transformer, in one process
// so that the difference of the two emits is the transform's own cost.
//   node compile-api.cjs <tsconfig.json> <outDir>   → { checkMs, emitMs, emitPluginMs, compiled }
const path = require("node:path");
const ts = require("typescript");
const plugin = require("async-machine/plugin");

const [configPath, outDir] = process.argv.slice(2);
const now = () => Number(process.hrtime.bigint()) / 1e6;

const t0 = now();
const parsed = ts.getParsedCommandLineOfConfigFile(path.resolve(configPath), { outDir: path.resolve(outDir) }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); } });
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
const factory = (plugin.default ?? plugin)(program, { report: "silent" }, { ts, addDiagnostic: () => 0 });
program.emit(undefined, noWrite, undefined, false, { before: [factory] });
const t4 = now();
process.stdout.write(JSON.stringify({ checkMs: t1 - t0, firstEmitMs: t2 - t1, emitMs: t3 - t2, emitPluginMs: t4 - t3 }) + "\n");
