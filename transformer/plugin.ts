/**
 * The tsc plugin: `compilerOptions.plugins: [{ "transform": "async-machine/plugin" }]`, loaded
 * by ts-patch (`tspc`). A ts-patch "program" source transformer:
 *
 *     (program, pluginConfig, { ts, addDiagnostic, … }) => TransformerFactory<SourceFile>
 *
 * ts-patch calls this once per `program.emit()` call (tsc: once per build; incremental and watch
 * builds: once per emitted file or rebuild) and runs the returned factory in the "before" phase,
 * on the TypeScript syntax tree of each file it emits.
 *
 * What it does per file: skip declaration files, library files and files outside include/exclude;
 * pick the runtime import style (per file from the emitted module format unless configured);
 * call `transformSourceFile`; with `strict`, turn each function left native into an error
 * diagnostic; count everything for the report printed to stderr once per emit (see `flush`).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import type { SkippedFunction } from "./api";
import { createFileFilter, createModeOf, defaultRuntimeFor, PluginConfigError, resolvePluginOptions, toProjectPath, type ResolvedPluginOptions } from "./config";
import { transformSourceFile } from "./transform-file";
import { transformCached } from "./file-cache";
import { assertSupportedTypeScript } from "./typescript-version";

/** The extras ts-patch 4 passes to a "program" transformer (see ts-patch's plugin-types.d.ts). */
export interface ProgramTransformerExtras {
  ts: typeof ts;
  library?: string;
  addDiagnostic?: (diagnostic: ts.Diagnostic) => number;
  removeDiagnostic?: (index: number) => void;
  diagnostics?: readonly ts.Diagnostic[];
}

/** Diagnostic code of "async function left native" under `strict`. */
export const DIAG_LEFT_NATIVE = 99401;
/** Diagnostic code of "the transform failed on this file" (an internal error; the file is emitted unchanged). */
export const DIAG_INTERNAL = 99402;
/** Diagnostic code of "invalid plugin option in tsconfig.json". */
export const DIAG_CONFIG = 99403;

export default function asyncMachinePlugin(program: ts.Program, pluginConfig: unknown, extras: ProgramTransformerExtras): ts.TransformerFactory<ts.SourceFile> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tsApi: typeof ts = extras?.ts ?? (require("typescript") as typeof ts);
  assertSupportedTypeScript(tsApi);
  if (!program || typeof program.getCompilerOptions !== "function") {
    throw new Error(
      `async-machine/plugin is a ts-patch "program" transformer and was called without a Program; ` +
        `remove "type" (or set "type": "program") in its compilerOptions.plugins entry.`,
    );
  }
  let options: ResolvedPluginOptions;
  try {
    options = resolvePluginOptions(pluginConfig);
  } catch (error) {
    // A bad option is a build error at the plugin entry (tsconfig.json(line,col): error TS99403),
    // not a crash; the build then fails as for any error.
    if (!(error instanceof PluginConfigError) || typeof extras?.addDiagnostic !== "function") throw error;
    const configPath = program.getCompilerOptions().configFilePath as string | undefined;
    const file = configPath ? tsApi.readJsonConfigFile(configPath, tsApi.sys.readFile) : undefined;
    const start = Math.max(0, file?.text.indexOf("async-machine/plugin") ?? 0);
    extras.addDiagnostic({
      file,
      start: file ? start : undefined,
      length: file ? "async-machine/plugin".length : undefined,
      category: tsApi.DiagnosticCategory.Error,
      code: DIAG_CONFIG,
      source: "async-machine",
      messageText: error.message,
    });
    return () => (sourceFile) => sourceFile;
  }
  const compilerOptions = program.getCompilerOptions();
  const projectDir = projectDirOf(program);
  const isIncluded = createFileFilter(options, projectDir);
  const modeOf = createModeOf(options, projectDir);
  const stats = statsFor(program, options, projectDir);
  checkBuildInfoStamp(tsApi, compilerOptions, options, stats);
  const ours = ourDiagnostics.get(program) ?? new Set<ts.Diagnostic>();
  ourDiagnostics.set(program, ours);
  forgetDeliveredDiagnostics(extras, ours);

  const addDiagnostic = (diagnostic: ts.Diagnostic) => {
    if (typeof extras?.addDiagnostic !== "function") {
      throw new Error(`async-machine: ${tsApi.flattenDiagnosticMessageText(diagnostic.messageText, "\n")} (ts-patch gave no addDiagnostic)`);
    }
    extras.addDiagnostic(diagnostic);
    ours.add(diagnostic);
  };

  return (context) => (sourceFile) => {
    if (sourceFile.isDeclarationFile) return sourceFile;
    scheduleFlush();
    const rel = toProjectPath(sourceFile.fileName, projectDir);
    if (program.isSourceFileFromExternalLibrary(sourceFile) || !isIncluded(sourceFile.fileName)) {
      stats.excluded.push(rel);
      return sourceFile;
    }
    const runtime = options.runtime ?? defaultRuntimeFor(tsApi, program, sourceFile);
    let result;
    try {
      // TypeScript emits every file strict unless `alwaysStrict` is false (its `ts` transform).
      const fileOptions = {
        runtime,
        runtimeSpecifier: options.runtimeSpecifier,
        fileId: rel,
        alwaysStrict: compilerOptions.alwaysStrict !== false,
        mode: modeOf(sourceFile.fileName),
        profile: options.profile,
      };
      // An unchanged file emitted again (--watch, -b) is not transformed again (file-cache.ts).
      result = transformCached(sourceFile, fileOptions, () => transformSourceFile(tsApi, sourceFile, context, fileOptions));
    } catch (error) {
      stats.failed.push(rel);
      addDiagnostic({
        file: sourceFile,
        start: 0,
        length: 0,
        category: tsApi.DiagnosticCategory.Error,
        code: DIAG_INTERNAL,
        source: "async-machine",
        messageText:
          `async-machine failed on this file and emitted it unchanged (its async functions stay native): ` +
          `${error instanceof Error ? error.message : String(error)}. This is a bug in async-machine; ` +
          `please report it with this file. To build meanwhile, add the file to the plugin's "exclude".`,
      });
      return sourceFile;
    }
    stats.files.push({ file: rel, compiled: result.compiled, skipped: result.skipped });
    if (options.strict) {
      for (const skipped of result.skipped) addDiagnostic(leftNativeDiagnostic(tsApi, sourceFile, skipped));
    }
    return result.sourceFile;
  };
}

/** The directory include/exclude globs are relative to: the tsconfig.json's, else the program's cwd. */
function projectDirOf(program: ts.Program): string {
  const configFilePath = (program.getCompilerOptions() as { configFilePath?: unknown }).configFilePath;
  return typeof configFilePath === "string" ? path.dirname(configFilePath) : program.getCurrentDirectory();
}

function leftNativeDiagnostic(tsApi: typeof ts, sourceFile: ts.SourceFile, skipped: SkippedFunction): ts.Diagnostic {
  let start: number | undefined;
  let length: number | undefined;
  try {
    start = tsApi.getPositionOfLineAndCharacter(sourceFile, skipped.line - 1, skipped.column - 1);
    length = /^[\w$]*/.exec(sourceFile.text.slice(start))![0].length;
  } catch {
    start = undefined;
  }
  // tsc prints file(line,col) from `start`; name the place in the text only when it could not be found.
  const where = start === undefined ? ` at ${toPosix(skipped.fileName)}:${skipped.line}:${skipped.column}` : "";
  return {
    file: sourceFile,
    start,
    length,
    category: tsApi.DiagnosticCategory.Error,
    code: DIAG_LEFT_NATIVE,
    source: "async-machine",
    messageText:
      `async function '${skipped.name}'${where} cannot be compiled to a state machine [${skipped.code}]: ${skipped.reason}. ` +
      `It would stay native async, which "strict": true forbids. Rewrite that part of the function, ` +
      `or add the file to the plugin's "exclude", or set "strict": false to accept native async here.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Strict-mode diagnostics across emit calls.
//
// ts-patch keeps one diagnostics list per Program and appends all of it to the result of every
// `program.emit()` call. Incremental builds call emit once per affected file, so a diagnostic
// left in the list would be reported again with every later file. Each call therefore first
// drops the diagnostics this plugin added in earlier calls: those were already delivered.

const ourDiagnostics = new WeakMap<ts.Program, Set<ts.Diagnostic>>();

function forgetDeliveredDiagnostics(extras: ProgramTransformerExtras, ours: Set<ts.Diagnostic>): void {
  if (ours.size === 0 || !extras?.diagnostics || typeof extras.removeDiagnostic !== "function") return;
  for (const diagnostic of ours) {
    const index = extras.diagnostics.indexOf(diagnostic);
    if (index >= 0) extras.removeDiagnostic(index);
  }
  ours.clear();
}

// ---------------------------------------------------------------------------------------------
// The report: counted per program, printed once per emit.
//
// tsc runs the whole emit synchronously and then calls process.exit(), so a one-time 'exit'
// listener prints after the last file; in watch mode and in API use the process lives on, and a
// setImmediate scheduled by the first file prints once the synchronous emit is over. Whichever
// comes first prints and clears the counts, so nothing is printed twice.

interface FileStats {
  file: string;
  compiled: number;
  skipped: SkippedFunction[];
}

interface ProgramStats {
  options: ResolvedPluginOptions;
  projectDir: string;
  configFile: string | undefined;
  files: FileStats[];
  excluded: string[];
  failed: string[];
  /** Written at flush: the stamp of a build that started without build info (so emitted everything). */
  stampToWrite?: { path: string; fingerprint: string };
  staleWarning?: string;
}

const pending = new Map<ts.Program, ProgramStats>();
let flushScheduled = false;

function statsFor(program: ts.Program, options: ResolvedPluginOptions, projectDir: string): ProgramStats {
  let stats = pending.get(program);
  if (!stats) {
    const configFile = (program.getCompilerOptions() as { configFilePath?: unknown }).configFilePath;
    stats = { options, projectDir, configFile: typeof configFile === "string" ? configFile : undefined, files: [], excluded: [], failed: [] };
    pending.set(program, stats);
  }
  stats.options = options;
  return stats;
}

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  process.once("exit", flush);
  setImmediate(flush);
}

function flush(): void {
  if (!flushScheduled) return;
  flushScheduled = false;
  process.removeListener("exit", flush);
  const all = [...pending.values()];
  pending.clear();
  const many = all.length > 1;
  for (const stats of all) {
    if (stats.stampToWrite) writeStamp(stats.stampToWrite.path, stats.stampToWrite.fingerprint);
    const lines = reportLines(stats, many);
    if (lines.length > 0) process.stderr.write(lines.join("\n") + "\n");
  }
}

/** The lines printed for one program's emit (exported for tests). */
export function reportLines(stats: Omit<ProgramStats, "stampToWrite">, labelProject = false): string[] {
  const lines: string[] = [];
  const prefix = labelProject && stats.configFile ? `async-machine (${toPosix(path.relative(process.cwd(), stats.configFile))}):` : "async-machine:";
  if (stats.staleWarning) lines.push(`${prefix} warning: ${stats.staleWarning}`);
  const { report, strict } = stats.options;
  if (report === "silent") return lines;

  const compiled = stats.files.reduce((n, f) => n + f.compiled, 0);
  const skipped = stats.files.flatMap((f) => f.skipped);
  if (report === "verbose") {
    for (const f of stats.files) {
      lines.push(`${prefix} ${f.file}: ${f.compiled} compiled${f.skipped.length ? `, ${f.skipped.length} left native` : ""}`);
      for (const s of f.skipped) {
        lines.push(
          `${prefix}   ${toProjectPath(path.resolve(stats.projectDir, s.fileName), stats.projectDir)}:${s.line}:${s.column} ${s.name}: left native [${s.code}]: ${s.reason}`,
        );
      }
    }
    for (const file of stats.excluded) lines.push(`${prefix} ${file}: excluded (include/exclude)`);
  }
  for (const file of stats.failed) lines.push(`${prefix} ${file}: transform failed, emitted unchanged (see the error)`);

  const seen = stats.files.length + stats.excluded.length + stats.failed.length;
  if (stats.files.length === 0 && stats.failed.length === 0) {
    if (seen > 0) lines.push(`${prefix} no emitted file matched include/exclude (${plural(seen, "file")} emitted unchanged)`);
    return lines;
  }
  let line = `${prefix} ${plural(compiled, "async function")} compiled in ${plural(stats.files.length, "file")}, ` + `${skipped.length} left native`;
  if (skipped.length > 0) {
    if (strict) line += " (reported as errors: strict)";
    else if (report !== "verbose") line += ` (run with report: "verbose" to list them)`;
  }
  lines.push(line);
  return lines;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function toPosix(p: string): string {
  return p.replace(/\\/g, "/");
}

// ---------------------------------------------------------------------------------------------
// Incremental builds.
//
// tsc decides what to re-emit from its .tsbuildinfo, which knows nothing of plugins: after the
// plugin (or its options) changes, files tsc does not re-emit keep output made by the old
// plugin, or none at all. Nothing a source transformer can touch makes tsc re-emit them. So the
// plugin keeps a stamp beside the build info, `<name>.async-machine.tsbuildinfo`, holding the
// plugin version and the options that shape the output. It is written after a build that
// started without build info (one that emitted every file). Whenever a later build emits
// anything while the stamp is missing or differs, the report warns, on every such build, to
// delete the build info and rebuild. A build that emits nothing never reaches the plugin and
// cannot warn: the README says so.

function checkBuildInfoStamp(tsApi: typeof ts, compilerOptions: ts.CompilerOptions, options: ResolvedPluginOptions, stats: ProgramStats): void {
  if (stats.stampToWrite || stats.staleWarning !== undefined) return; // once per program
  let buildInfo: string | undefined;
  try {
    buildInfo = tsApi.getTsBuildInfoEmitOutputFilePath(compilerOptions);
  } catch {
    buildInfo = undefined;
  }
  if (!buildInfo) return;
  const stampPath = buildInfo.replace(/\.tsbuildinfo$/, "") + ".async-machine.tsbuildinfo";
  const fingerprint = JSON.stringify({
    plugin: pluginVersion(),
    // Only what changes the emitted JavaScript: not `strict` or `report`.
    options: crypto
      .createHash("sha256")
      .update(
        JSON.stringify([
          options.include,
          options.exclude,
          options.runtime,
          options.runtimeSpecifier,
          ...(options.poll.length > 0 ? [options.poll] : []),
          ...(options.profile !== "development" ? [options.profile] : []),
        ]),
      )
      .digest("hex")
      .slice(0, 16),
  });
  if (!fs.existsSync(buildInfo)) {
    stats.stampToWrite = { path: stampPath, fingerprint };
    return;
  }
  let stamp: string | undefined;
  try {
    stamp = fs.readFileSync(stampPath, "utf8").trim();
  } catch {
    stamp = undefined;
  }
  if (stamp === fingerprint) {
    stats.staleWarning = "";
    return;
  }
  const rel = toPosix(path.relative(process.cwd(), buildInfo)) || buildInfo;
  stats.staleWarning =
    (stamp === undefined
      ? `${rel} was written by a build without async-machine or before its stamp existed`
      : `${rel} was written by a build with another async-machine version or other plugin options`) +
    `; tsc re-emits only changed files, so other files may lack the transform. ` +
    `Delete ${rel} and rebuild once.`;
}

function writeStamp(stampPath: string, fingerprint: string): void {
  try {
    fs.mkdirSync(path.dirname(stampPath), { recursive: true });
    fs.writeFileSync(stampPath, fingerprint + "\n");
  } catch {
    // Best effort: without the stamp the next incremental build warns once more.
  }
}

let cachedVersion: string | undefined;
/** This package's version (read from its package.json, found from this file's location). */
export function pluginVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "async-machine" && typeof pkg.version === "string") return (cachedVersion = pkg.version);
    } catch {
      // keep looking upward
    }
    dir = path.dirname(dir);
  }
  return (cachedVersion = "unknown");
}
