/**
 * The tsc plugin's route on one in-memory file, for the nesting-limit tests and their child
 * process: a Program, the plugin as a "before" transformer of its emit (as ts-patch runs it), the
 * JavaScript written and the diagnostics it added.
 */
import * as ts from "typescript";
import asyncMachinePlugin from "../../transformer/plugin";

export function pluginEmit(code: string, strict = false): { js: string; diagnostics: ts.Diagnostic[] } {
  const fileName = "/deep/input.ts";
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, noLib: true, types: [], noResolve: true };
  const host = ts.createCompilerHost(options);
  host.fileExists = (f) => f === fileName;
  host.readFile = (f) => (f === fileName ? code : undefined);
  host.getSourceFile = (f, languageVersion) => (f === fileName ? ts.createSourceFile(f, code, languageVersion, true) : undefined);
  let js = "";
  host.writeFile = (f, text) => {
    if (f.endsWith(".js")) js = text;
  };
  const program = ts.createProgram([fileName], options, host);
  const diagnostics: ts.Diagnostic[] = [];
  const before = asyncMachinePlugin(program, { report: "silent", strict }, { ts, addDiagnostic: (d) => diagnostics.push(d) });
  program.emit(undefined, undefined, undefined, false, { before: [before] });
  return { js, diagnostics };
}
