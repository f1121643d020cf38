/**
 * Text-level entry (the library's `transform`): the file's edits applied with magic-string,
 * so every byte the transform does not touch stays where it was and the source map is exact
 * for it; generated code maps to the function it replaces.
 */
import * as ts from "typescript";
import MagicString from "magic-string";
import * as vm from "node:vm";
import type { TransformOptions, TransformResult } from "./api";
import { planFile, runtimeImport } from "./transform-file";
import { inlineRuntime } from "./emit/inline-runtime";
import { assertSupportedTypeScript } from "./typescript-version";
import { isPrologueDirective, parseErrorsOf, scriptKindOf } from "./syntax";

export function transform(sourceText: string, options: TransformOptions): TransformResult {
  assertSupportedTypeScript(ts);
  const fileName = options.fileName;
  const kind = scriptKindOf(ts, fileName);
  const sourceFile = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, /*setParentNodes*/ true, kind);
  const diagnostics = parseDiagnostics(sourceFile);
  const syntaxError = diagnostics.length > 0 ? diagnostics[0].message : kind === ts.ScriptKind.JS ? engineSyntaxError(sourceText) : undefined;
  if (syntaxError !== undefined) {
    // Code that does not parse is left exactly as it is, so it fails where it would have failed.
    if (diagnostics.length === 0) diagnostics.push({ fileName, line: 1, column: 1, message: `the engine rejects this file (${syntaxError}); it is left unchanged`, category: "error" });
    return { code: sourceText, map: new MagicString(sourceText).generateMap({ source: fileName, includeContent: true, hires: true }) as unknown as TransformResult["map"], diagnostics, skipped: [], compiled: 0 };
  }
  const plan = planFile(ts, sourceFile, fileName, options.alwaysStrict);
  const s = new MagicString(sourceText);
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false });
  const print = (node: ts.Node): string => printer.printNode(ts.EmitHint.Unspecified, node, sourceFile);
  const methodKeys = new Map<ts.Node, ts.Expression[]>();
  for (const edit of plan.edits) {
    if (edit.kind === "replace") s.overwrite(edit.node.getStart(sourceFile), edit.node.end, print(edit.replacement));
    else if (edit.kind === "insert-before") s.appendLeft(edit.statement.getStart(sourceFile), edit.statements.map(print).join("\n") + "\n");
    else if (edit.kind === "add-member") s.appendLeft(edit.classNode.members.pos, "\n" + print(edit.member) + "\n");
    else methodKeys.set(edit.literal, [...(methodKeys.get(edit.literal) ?? []), edit.key]);
  }
  for (const [literal, keys] of methodKeys) {
    s.prependRight(literal.getStart(sourceFile), `${plan.runtime}.asyncMethods(`);
    s.appendLeft(literal.end, `, ${keys.map(print).join(", ")})`);
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
