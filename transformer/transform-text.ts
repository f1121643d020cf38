/**
 * Text-level entry (the library's `transform`): the file's edits applied to its text
 * (text-edits.ts), so every byte the transform does not touch stays where it was and maps to
 * itself, and generated code maps through the positions the transform gave it (print-mapped.ts):
 * a machine's lines that run user code lead to the user's line and column.
 */
import ts = require("typescript");
// Loaded untyped: the package's .d.cts (`export = function …;`) does not parse in TypeScript 6.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const remapping = require("@jridgewell/remapping") as (
  maps: unknown[],
  loader: () => null,
) => { sources: (string | null)[]; names: string[]; mappings: string; sourcesContent?: (string | null)[] };
import * as vm from "node:vm";
import type { TransformOptions, TransformResult } from "./api";
import { planFile, runtimeImport } from "./transform-file";
import { DEFAULT_RUNTIME_SPECIFIER } from "./config";
import { printMapped, printStatementMapped } from "./print-mapped";
import { applyEdits, type TextEdit } from "./text-edits";
import { inlineRuntime } from "./emit/inline-runtime";
import { inferredName } from "./emit/inferred-name";
import { assertSupportedTypeScript } from "./typescript-version";
import { isPrologueDirective, parseErrorsOf, scriptKindOf } from "./syntax";
import { isStackOverflow } from "./compile-functions";
import { notCompiledMessage } from "./not-compiled";
import { functionName } from "./transform-function";
import { originalPositionsOf } from "./input-map-positions";

export function transform(sourceText: string, options: TransformOptions): TransformResult {
  assertSupportedTypeScript(ts);
  const fileName = options.fileName;
  const kind = scriptKindOf(ts, fileName);
  const sourceFile = parseOrUndefined(fileName, sourceText, kind);
  if (sourceFile === undefined) {
    const message = "the file nests deeper than the parser's stack allows; it is left unchanged";
    return {
      code: sourceText,
      map: unchangedMap(sourceText, fileName, options),
      diagnostics: [{ fileName, line: 1, column: 1, message, category: "error" }],
      skipped: [],
      compiled: 0,
    };
  }
  const diagnostics = parseDiagnostics(sourceFile);
  const syntaxError = diagnostics.length > 0 ? diagnostics[0].message : kind === ts.ScriptKind.JS ? engineSyntaxError(sourceText) : undefined;
  if (syntaxError !== undefined) {
    // Code that does not parse is left exactly as it is, so it fails where it would have failed.
    if (diagnostics.length === 0)
      diagnostics.push({ fileName, line: 1, column: 1, message: `the engine rejects this file (${syntaxError}); it is left unchanged`, category: "error" });
    return { code: sourceText, map: sourceMap(fileName, sourceText, applyEdits(sourceText, []).mappings, options), diagnostics, skipped: [], compiled: 0 };
  }
  const originalPositionOf = options.inputSourceMap === undefined ? undefined : originalPositionsOf(options.inputSourceMap);
  const plan = planFile(ts, sourceFile, fileName, options.alwaysStrict, options.mode, options.profile, originalPositionOf, /*tscTransformsOutput*/ false);
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false });
  const print = (node: ts.Node): string => printer.printNode(ts.EmitHint.Unspecified, node, sourceFile);
  const edits: TextEdit[] = [];
  const methodKeys = new Map<ts.Node, ts.Expression[]>();
  const bindings = new Map<ts.Node, string[]>();
  try {
    const mapped = (node: ts.Node): { text: string; segments?: TextEdit["segments"] } => {
      // A statement's mapped print is its text too; other nodes are found in theirs by their text.
      const once = printStatementMapped(ts, node, sourceFile);
      if (once !== undefined) return once;
      const text = print(node);
      return printMapped(ts, node, sourceFile, text) ?? { text };
    };
    for (const edit of plan.edits) {
      if (edit.kind === "replace") {
        edits.push({ start: edit.node.getStart(sourceFile), end: edit.node.end, rank: 1, ...mapped(edit.replacement) });
      } else if (edit.kind === "insert-before") {
        const at = edit.statement.getStart(sourceFile);
        for (const statement of edit.statements) {
          const { text, segments } = mapped(statement);
          edits.push({ start: at, end: at, rank: 0, text: text + "\n", segments });
        }
      } else if (edit.kind === "add-member") {
        const { text, segments } = mapped(edit.member);
        edits.push({
          start: edit.classNode.members.pos,
          end: edit.classNode.members.pos,
          rank: 0,
          text: "\n" + text + "\n",
          segments: segments?.map(([l, c, ol, oc]) => [l + 1, c, ol, oc]),
        });
      } else if (edit.kind === "bind") bindings.set(edit.container, [...(bindings.get(edit.container) ?? []), ...edit.names]);
      else methodKeys.set(edit.literal, [...(methodKeys.get(edit.literal) ?? []), edit.key]);
    }
    // A class expression or literal evaluated again and again: its bindings around it,
    // `((a, b) => (…))()`, outside the shaping below (method-shape.ts boundPerEvaluation).
    const ends: TextEdit[] = [];
    for (const [container, names] of bindings) {
      const at = container.getStart(sourceFile);
      const named = ts.isClassExpression(container) && container.name === undefined ? inferredName(ts, container) : undefined;
      const key = named === undefined ? "" : JSON.stringify(named);
      edits.push({ start: at, end: at, rank: 0, text: `((${names.join(", ")}) => (${named === undefined ? "" : `({ ${named === "__proto__" ? `[${key}]` : key}: `}` });
      ends.push({ start: container.end, end: container.end, rank: 0, text: `${named === undefined ? "" : ` })[${key}]`}))()` });
    }
    // An object literal with async methods is wrapped once: $am.asyncMethods({ … }, "m", …).
    for (const [literal, keys] of methodKeys) {
      const at = literal.getStart(sourceFile);
      edits.push({ start: at, end: at, rank: 0, text: `${plan.runtime}.asyncMethods(` });
      edits.push({ start: literal.end, end: literal.end, rank: 0, text: `, ${keys.map(print).join(", ")})` });
    }
    edits.push(...ends);
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    // Generated code nests a few levels deeper than the code it replaces: near the printer's
    // limit the file is left as it is, every function reported.
    const skipped = [
      ...plan.skipped,
      ...plan.machines.map(({ node }) => ({
        ...skippedAt(sourceFile, fileName, node),
        name: functionName(ts, node),
        code: "too-deep" as const,
        reason: notCompiledMessage("too-deep"),
      })),
    ];
    return { code: sourceText, map: unchangedMap(sourceText, fileName, options), diagnostics, skipped, compiled: 0 };
  }
  if (plan.compiled > 0) {
    const runtime = options.runtime ?? "import";
    const head =
      runtime === "inline"
        ? inlineRuntime(
            ts,
            plan.runtime,
            plan.machines.some((m) => m.result.mode === "poll"),
          )
        : runtimeImport(ts, runtime, plan.runtime, options.runtimeSpecifier ?? DEFAULT_RUNTIME_SPECIFIER)
            .map(print)
            .join("\n") + "\n";
    const prelude = head + (plan.prelude.length > 0 ? plan.prelude.map(print).join("\n") + "\n" : "");
    // A `#!` line stays first (the engine accepts it only there), then any directive prologue.
    let at = shebangEnd(sourceText);
    for (const st of sourceFile.statements) {
      if (!isPrologueDirective(ts, st)) break;
      at = st.end;
    }
    // After the inserts at the same place (as appended last), or before everything at the start.
    edits.push(at > 0 ? { start: at, end: at, rank: 0.5, text: "\n" + prelude } : { start: 0, end: 0, rank: -1, text: prelude });
  }
  const edited = applyEdits(sourceText, edits);
  return {
    code: edited.code,
    map: sourceMap(fileName, sourceText, edited.mappings, options),
    diagnostics,
    skipped: plan.skipped,
    compiled: plan.compiled,
  };
}

function sourceMap(fileName: string, sourceText: string, mappings: string, options: TransformOptions): TransformResult["map"] {
  const map: TransformResult["map"] = { version: 3, sources: [fileName], names: [], mappings, sourcesContent: [sourceText] };
  return options.inputSourceMap ? chainMaps(map, options.inputSourceMap) : map;
}

/** Where the first line ends when the text starts with `#!`, else 0. */
function shebangEnd(sourceText: string): number {
  if (!sourceText.startsWith("#!")) return 0;
  const newline = sourceText.search(/\r?\n|\r|\u2028|\u2029/);
  return newline < 0 ? sourceText.length : newline;
}

/**
 * The transform's map (input text → output) composed with the map that produced the input
 * (original source → input text), so the result leads from the output to the original source.
 */
function chainMaps(map: TransformResult["map"], inputMap: NonNullable<TransformOptions["inputSourceMap"]>): TransformResult["map"] {
  const input = typeof inputMap === "string" ? (JSON.parse(inputMap) as TransformResult["map"]) : inputMap;
  const chained = remapping([map, input], () => null);
  return { version: 3, sources: chained.sources.map((s) => s ?? ""), names: chained.names, mappings: chained.mappings, file: map.file, sourcesContent: chained.sourcesContent };
}

/** The parsed file, or undefined when parsing overflows the stack (nesting deeper than the parser follows). */
function parseOrUndefined(fileName: string, sourceText: string, kind: ts.ScriptKind): ts.SourceFile | undefined {
  try {
    return ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, /*setParentNodes*/ true, kind);
  } catch (e) {
    if (isStackOverflow(e)) return undefined;
    throw e;
  }
}

function unchangedMap(sourceText: string, fileName: string, options: TransformOptions): TransformResult["map"] {
  return sourceMap(fileName, sourceText, applyEdits(sourceText, []).mappings, options);
}

function skippedAt(sourceFile: ts.SourceFile, fileName: string, node: ts.Node): { fileName: string; line: number; column: number } {
  const pos = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return { fileName, line: pos.line + 1, column: pos.character + 1 };
}

/**
 * Early errors TypeScript's parser does not report (`await` as a binding name in an async
 * function, duplicate parameters with defaults, `"use strict"` with non-simple parameters…) are
 * the engine's to report: a JavaScript file is compiled, not run, as a CommonJS module body
 * (so a top-level `return` is fine) to see whether it would load. ES modules are not checked
 * here (a script compile would reject `import`).
 */
function engineSyntaxError(sourceText: string): string | undefined {
  if (/^\s*(import|export)\b/m.test(sourceText)) return undefined;
  try {
    vm.compileFunction(sourceText, ["exports", "require", "module", "__filename", "__dirname"]);
    return undefined;
  } catch (error) {
    return error instanceof SyntaxError ? error.message : undefined;
  }
}

function parseDiagnostics(sourceFile: ts.SourceFile): TransformResult["diagnostics"] {
  return parseErrorsOf(sourceFile).map((d) => {
    const pos = sourceFile.getLineAndCharacterOfPosition(d.start);
    return {
      fileName: sourceFile.fileName,
      line: pos.line + 1,
      column: pos.character + 1,
      message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      category: "error" as const,
    };
  });
}
