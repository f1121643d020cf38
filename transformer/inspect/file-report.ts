/**
 * The inspection report of one source file: every compiled function (nested ones too) and every
 * async function left native with the reason — the data behind `async-machine inspect`.
 *
 * In:  source text, its file name (`.ts`, `.tsx`, `.js`, …: decides how it parses), the live
 *      `ts` module; optionally `expand` to attach each function's generated code.
 * Out: a FileReport (format version 1, documented in cli/README.md), with functions and skipped
 *      functions ordered by source position, and the file's syntax errors.
 *
 * Invariant: runs the same planning code as the transform (transform-file.ts `planFile`), so
 * what it shows is what a build emits.
 */
import type * as ts from "typescript";
import { planFile } from "../transform-file";
import { parseErrorsOf, scriptKindOf } from "../syntax";
import { buildMachineReport, type FunctionReport } from "./machine-report";
import type { NotCompiledCode } from "../not-compiled";
import type { Profile } from "../profile";

export interface SkippedReport {
  readonly name: string;
  readonly line: number;
  readonly column: number;
  /** The stable code of the reason (transformer/not-compiled.ts). */
  readonly code: NotCompiledCode;
  readonly reason: string;
}

export interface FileFunctionReport extends FunctionReport {
  /** `"promise"` (the default) or `"poll"` (README "Poll mode"). */
  readonly mode: "promise" | "poll";
  /** With `expand`: the state enum, resume function and wrapper as emitted. */
  readonly code?: string;
}

export interface FileReport {
  /** Format version of this report. */
  readonly version: 1;
  /** The file as named by the caller (the CLI passes the path as typed, with `/` separators). */
  readonly file: string;
  /** Present (`"production"`) only when inspected with `--profile production`: the code `--expand` shows has no state enum. */
  readonly profile?: "production";
  readonly functions: readonly FileFunctionReport[];
  readonly skipped: readonly SkippedReport[];
  /** Syntax errors (`line:column message`); a file with errors is still planned, but may be wrong. */
  readonly syntaxErrors: readonly string[];
}

export interface InspectOptions {
  /** Attach the generated code of each function (`--expand`). */
  readonly expand?: boolean;
  /** The file will be emitted strict whatever its source says (see TransformOptions.alwaysStrict). */
  readonly alwaysStrict?: boolean;
  /** The file's mode (see TransformOptions.mode). */
  readonly mode?: "promise" | "poll";
  /** The build profile (see TransformOptions.profile): what `--expand` prints. The layout is the same in both. */
  readonly profile?: Profile;
}

export function inspectSource(tsApi: typeof ts, sourceText: string, fileName: string, options: InspectOptions = {}): FileReport {
  const T = tsApi;
  const sourceFile = T.createSourceFile(fileName, sourceText, T.ScriptTarget.Latest, /*setParentNodes*/ true, scriptKindOf(T, fileName));
  const plan = planFile(T, sourceFile, fileName, options.alwaysStrict, options.mode, options.profile);
  const printer = T.createPrinter({ newLine: T.NewLineKind.LineFeed, removeComments: false });
  const print = (node: ts.Node): string => printer.printNode(T.EmitHint.Unspecified, node, sourceFile);

  const machines = [...plan.machines].sort((a, b) => a.node.getStart(sourceFile) - b.node.getStart(sourceFile));
  const functions = machines.map((m): FileFunctionReport => {
    const report = { ...buildMachineReport(T, sourceFile, m), mode: m.result.mode };
    if (!options.expand) return report;
    const code = [m.result.machine.stateEnum, m.result.machine.resume, m.result.wrapper]
      .filter((n) => n !== undefined)
      .map(print)
      .join("\n");
    return { ...report, code };
  });
  const skipped = [...plan.skipped]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map((s) => ({ name: s.name, line: s.line, column: s.column, code: s.code, reason: s.reason }));
  const syntaxErrors = parseErrorsOf(sourceFile).map((d) => {
    const pos = sourceFile.getLineAndCharacterOfPosition(d.start);
    return `${pos.line + 1}:${pos.character + 1} ${T.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
  return { version: 1, file: fileName, ...(options.profile === "production" ? { profile: "production" as const } : {}), functions, skipped, syntaxErrors };
}
