/**
 * Prints one generated node (a machine's resume function, a wrapper, a class member) together
 * with the source positions the transform gave its parts, so `transform()`'s source map leads
 * every generated line that runs user code back to its original line and column — what the
 * tspc route gets from TypeScript's own emit.
 *
 * TypeScript's printer writes source maps only for a whole file (`writeFile` with a source map
 * generator; `createSourceMapGenerator`, `createTextWriter` and `writeFile` are present at
 * runtime in TypeScript 6 but not in its public typings). The node is printed as the only
 * statement of a copy of the file (a class member inside a class), its text found in that
 * output, and the segments inside it kept, relative to the node's first character.
 *
 * The text is checked against `printNode`'s: when they differ (a node kind this does not know
 * how to wrap), the caller gets `undefined` and prints the node without inner mappings.
 */
import type * as ts from "typescript";
import { decode } from "@jridgewell/sourcemap-codec";

/** [generated line, generated column, original line, original column], 0-based, relative to the text's start. */
export type Segment = [number, number, number, number];

export interface MappedText {
  text: string;
  segments: Segment[];
}

interface TsInternals {
  createTextWriter(newLine: string): { getText(): string };
  createSourceMapGenerator(
    host: { getCurrentDirectory(): string; getCanonicalFileName(f: string): string },
    file: string,
    sourceRoot: string,
    sourcesDirectoryPath: string,
    options: object,
  ): { toJSON(): { mappings: string } };
}
interface PrinterInternals {
  writeFile(sourceFile: ts.SourceFile, writer: unknown, generator: unknown): void;
}

const HOST = { getCurrentDirectory: () => "/", getCanonicalFileName: (f: string) => f };

export function printMapped(tsApi: typeof ts, node: ts.Node, sourceFile: ts.SourceFile, expected: string): MappedText | undefined {
  const printed = printInFile(tsApi, node, sourceFile);
  if (printed === undefined) return undefined;
  const { lines, indent, generator } = printed;
  const want = expected.split("\n");
  const at = findLines(lines, want, indent);
  if (at === undefined) return undefined;
  return { text: expected, segments: segmentsOf(generator, want, at, indent) };
}

/**
 * A statement printed once, with its mappings: the text is the file copy's output itself (the
 * statement is its only one; the copy's statement list has no position, so the file's detached
 * comments are not printed, and a file starting with `#!` is left to `printMapped`). Undefined
 * when the node is not a statement or the internals are missing: print it with `printMapped`.
 */
export function printStatementMapped(tsApi: typeof ts, node: ts.Node, sourceFile: ts.SourceFile): MappedText | undefined {
  if (!tsApi.isStatement(node) || sourceFile.text.startsWith("#!")) return undefined;
  const printed = printInFile(tsApi, node, sourceFile);
  if (printed === undefined) return undefined;
  const { lines, generator } = printed;
  // The output is the statement's lines and the newline that ends the file.
  if (lines.length < 2 || lines[lines.length - 1] !== "") return undefined;
  const want = lines.slice(0, -1);
  return { text: want.join("\n"), segments: segmentsOf(generator, want, { line: 0, column: 0 }, 0) };
}

interface Printed {
  lines: string[];
  /** Columns the node's lines after the first are indented by in `lines` (a class member's 4). */
  indent: number;
  generator: { toJSON(): { mappings: string } };
}

/** `node` printed as the only statement of a copy of the file (a class member inside a class), with a source map. */
function printInFile(tsApi: typeof ts, node: ts.Node, sourceFile: ts.SourceFile): Printed | undefined {
  const internals = tsApi as unknown as Partial<TsInternals>;
  if (typeof internals.createTextWriter !== "function" || typeof internals.createSourceMapGenerator !== "function") return undefined;
  const f = tsApi.factory;
  let wrapper: ts.Statement;
  let indent = 0;
  if (tsApi.isClassElement(node)) {
    wrapper = f.createClassDeclaration(undefined, "$", undefined, undefined, [node]);
    indent = 4;
  } else if (tsApi.isStatement(node)) {
    wrapper = node;
  } else if (tsApi.isExpression(node)) {
    wrapper = f.createExpressionStatement(node);
  } else {
    return undefined;
  }
  const printer = tsApi.createPrinter({ newLine: tsApi.NewLineKind.LineFeed, removeComments: false, sourceMap: true } as ts.PrinterOptions);
  const writer = internals.createTextWriter("\n");
  const generator = internals.createSourceMapGenerator(HOST, "out.js", "", "/", {});
  (printer as unknown as PrinterInternals).writeFile(f.updateSourceFile(sourceFile, [wrapper]), writer, generator);
  return { lines: writer.getText().split("\n"), indent, generator };
}

/** The segments of the generator's map inside `want`, found at `at` of the printed lines, relative to the text's start. */
function segmentsOf(generator: Printed["generator"], want: readonly string[], at: { line: number; column: number }, indent: number): Segment[] {
  const decoded = decode(generator.toJSON().mappings);
  const segments: Segment[] = [];
  for (let i = 0; i < want.length; i++) {
    const line = decoded[at.line + i] ?? [];
    const shift = i === 0 ? at.column : indent;
    const end = shift + want[i].length;
    for (const seg of line) {
      if (seg.length < 4 || seg[0] < shift || seg[0] > end) continue;
      segments.push([i, seg[0] - shift, seg[2]!, seg[3]!]);
    }
  }
  return segments;
}

/** Where `want` sits in `lines`: its first line anywhere in a line, the rest at `indent` columns. */
function findLines(lines: string[], want: string[], indent: number): { line: number; column: number } | undefined {
  const pad = " ".repeat(indent);
  for (let l = 0; l + want.length <= lines.length; l++) {
    const column = lines[l].indexOf(want[0]);
    if (column < 0) continue;
    if (want.length === 1 && lines[l].indexOf(want[0], column + 1) >= 0) return undefined;
    let ok = true;
    for (let i = 1; i < want.length && ok; i++) ok = lines[l + i] === (want[i] === "" ? "" : pad + want[i]) || lines[l + i] === pad + want[i];
    if (ok) return { line: l, column };
  }
  return undefined;
}
