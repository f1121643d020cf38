/**
 * Text-level entry (the library's `transform`): the file's edits applied with magic-string,
 * so every byte the transform does not touch stays where it was and the source map is exact
 * for it; generated code maps to the function it replaces.
 */
import ts = require("typescript");
import MagicString from "magic-string";
import * as vm from "node:vm";
import type { TransformOptions, TransformResult } from "./api";
import { planFile, runtimeImport } from "./transform-file";
import { inlineRuntime } from "./emit/inline-runtime";
import { assertSupportedTypeScript } from "./typescript-version";
import { isPrologueDirective, parseErrorsOf, scriptKindOf } from "./syntax";
import { isStackOverflow, TOO_DEEP } from "./compile-functions";
import { functionName } from "./transform-function";

export function transform(sourceText: string, options: TransformOptions): TransformResult {
  assertSupportedTypeScript(ts);
  const fileName = options.fileName;
  const kind = scriptKindOf(ts, fileName);
  const sourceFile = parseOrUndefined(fileName, sourceText, kind);
  if (sourceFile === undefined) {
    const message = "the file nests deeper than the parser's stack allows; it is left unchanged";
    return { code: sourceText, map: unchangedMap(sourceText, fileName), diagnostics: [{ fileName, line: 1, column: 1, message, category: "error" }], skipped: [], compiled: 0 };
  }
  const diagnostics = parseDiagnostics(sourceFile);
  const syntaxError = diagnostics.length > 0 ? diagnostics[0].message : kind === ts.ScriptKind.JS ? engineSyntaxError(sourceText) : undefined;
  if (syntaxError !== undefined) {
    // Code that does not parse is left exactly as it is, so it fails where it would have failed.
    if (diagnostics.length === 0) diagnostics.push({ fileName, line: 1, column: 1, message: `the engine rejects this file (${syntaxError}); it is left unchanged`, category: "error" });
    return { code: sourceText, map: unchangedMap(sourceText, fileName), diagnostics, skipped: [], compiled: 0 };
  }
  const plan = planFile(ts, sourceFile, fileName, options.alwaysStrict);
  const s = new MagicString(sourceText);
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false });
  const print = (node: ts.Node): string => printer.printNode(ts.EmitHint.Unspecified, node, sourceFile);
  try {
    for (const edit of plan.edits) {
      if (edit.kind === "replace") s.overwrite(edit.node.getStart(sourceFile), edit.node.end, print(edit.replacement));
      else if (edit.kind === "insert-before") s.appendLeft(edit.statement.getStart(sourceFile), edit.statements.map(print).join("\n") + "\n");
      else s.appendLeft(edit.classNode.members.pos, "\n" + print(edit.member) + "\n");
    }
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    // Generated code nests a few levels deeper than the code it replaces: near the printer's
    // limit the file is left as it is, every function reported.
    const skipped = [...plan.skipped, ...plan.machines.map(({ node }) => ({ ...skippedAt(sourceFile, fileName, node), name: functionName(ts, node), reason: TOO_DEEP }))];
    return { code: sourceText, map: unchangedMap(sourceText, fileName), diagnostics, skipped, compiled: 0 };
  }
  if (plan.compiled > 0) {
    const runtime = options.runtime ?? "import";
    const head = runtime === "inline" ? inlineRuntime(ts, plan.runtime) : runtimeImport(ts, runtime, plan.runtime, options.runtimeSpecifier ?? "async-machine/runtime").map(print).join("\n") + "\n";
    const prelude = head + plan.prelude.map(print).join("\n") + "\n";
    let at = 0;
    for (const st of sourceFile.statements) {
      if (!isPrologueDirective(ts, st)) break;
      at = st.end;
    }
    if (at > 0) s.appendLeft(at, "\n" + prelude);
    else s.prepend(prelude);
  }
  const map = s.generateMap({ source: fileName, includeContent: true, hires: true });
  return {
    code: s.toString(),
    map: { version: map.version, sources: map.sources, names: map.names, mappings: map.mappings, file: map.file, sourcesContent: map.sourcesContent },
    diagnostics,
    skipped: plan.skipped,
    compiled: plan.compiled,
  };
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

function unchangedMap(sourceText: string, fileName: string): TransformResult["map"] {
  return new MagicString(sourceText).generateMap({ source: fileName, includeContent: true, hires: true }) as unknown as TransformResult["map"];
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
    return { fileName: sourceFile.fileName, line: pos.line + 1, column: pos.character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), category: "error" as const };
  });
}
