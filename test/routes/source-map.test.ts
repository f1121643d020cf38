/**
 * transform()'s source map is exact inside machines for the statements the transform keeps
 * whole: each `log(N)` call below sits on line N, in straight code, loops, `if`, `try`/`finally`
 * and after awaits, and maps back there at its column; a throw maps to its `new Error`. Also: an
 * input map is chained, a `#!` line stays first, a syntax error is a diagnostic.
 */
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { describe, expect, test } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { transform } from "../../transformer";
import asyncMachinePlugin from "../../transformer/plugin";

const SOURCE = [
  "declare function log(n: number): void;", // 1
  "declare function g(n: number): Promise<number>;", // 2
  "export class Store {", // 3
  "  async validate(items: number[]) {", // 4
  "    log(5);", // 5
  "    for (const item of items) {", // 6
  "      log(7); await g(item);", // 7
  "      if (item > 2) { log(8); throw new Error(String(item)); }", // 8
  "    }", // 9
  "    try {", // 10
  "      log(11); await g(0);", // 11
  "    } finally {", // 12
  "      log(13);", // 13
  "    }", // 14
  "    return log(15);", // 15
  "  }", // 16
  "}", // 17
  "export const run = async (n: number) => {", // 18
  "  const x = await g(n); log(19);", // 19
  "  while (x > 0) { log(20); await g(x); }", // 20
  "};", // 21
].join("\n");

describe("transform() source maps", () => {
  const result = transform(SOURCE, { fileName: "store.ts" });
  const map = new TraceMap(result.map as never);
  const lines = result.code.split("\n");

  test("the functions were compiled", () => {
    expect(result.compiled).toBe(2);
  });

  test("every generated log(N) call maps to line N at the call's column", () => {
    const seen = new Set<number>();
    lines.forEach((line, i) => {
      for (const m of line.matchAll(/log\((\d+)\)/g)) {
        const n = Number(m[1]);
        const pos = originalPositionFor(map, { line: i + 1, column: m.index! });
        expect({ n, line: pos.line, column: pos.column }).toEqual({ n, line: n, column: SOURCE.split("\n")[n - 1].indexOf(`log(${n})`) });
        seen.add(n);
      }
    });
    expect([...seen].sort((a, b) => a - b)).toEqual([5, 7, 8, 11, 13, 15, 19, 20]);
  });

  test("the throw maps to its line and column", () => {
    const i = lines.findIndex((l) => l.includes("throw new Error(String(item))"));
    const column = lines[i].indexOf("new Error");
    expect(originalPositionFor(map, { line: i + 1, column })).toMatchObject({ source: "store.ts", line: 8, column: SOURCE.split("\n")[7].indexOf("new Error") });
  });

  test("an input source map is chained", () => {
    // The input is a copy of SOURCE shifted down three lines, with a map back to SOURCE.
    const shifted = "\n\n\n" + SOURCE;
    const inputSourceMap = {
      version: 3,
      sources: ["original.ts"],
      names: [],
      mappings:
        ";;;" +
        SOURCE.split("\n")
          .map((_, i) => (i === 0 ? "AAAA" : "AACA"))
          .join(";"),
      sourcesContent: [SOURCE],
    };
    const chained = transform(shifted, { fileName: "store.ts", inputSourceMap });
    const out = chained.code.split("\n");
    const i = out.findIndex((l) => l.includes("log(13)"));
    const pos = originalPositionFor(new TraceMap(chained.map as never), { line: i + 1, column: out[i].indexOf("log(13)") });
    expect(pos).toMatchObject({ source: "original.ts", line: 13 });
  });
});

test("a #! line stays the first line", () => {
  const result = transform("#!/usr/bin/env node\nasync function f() { await 1; }\nf();\n", { fileName: "cli.js", runtime: "require" });
  expect(result.compiled).toBe(1);
  expect(result.code.split("\n")[0]).toBe("#!/usr/bin/env node");
  expect(result.code.split("\n")[1]).toMatch(/require\("async-machine\/runtime\/compiled"\)/);
});

test("a syntax error is reported as one, and the file is left as it is", () => {
  const text = "x = {++}\nasync function f() { await 1; }\n";
  const result = transform(text, { fileName: "bad.ts" });
  expect(result.code).toBe(text);
  expect(result.diagnostics[0]).toMatchObject({ line: 1, column: 6, category: "error", message: "Property assignment expected." });
});

const REBUILT = [
  "declare function g(n: number): Promise<number>;", // 1
  "export async function work(n: number) {", // 2
  "  let total = 0;", // 3
  "  for (let i = 0; i < n; i++) {", // 4
  "    total += await g(i);", // 5
  "  }", // 6
  "  const made = new Error(String(await g(total)));", // 7
  "  return made;", // 8
  "}", // 9
].join("\n");

/** The tspc route: a Program emitted with the plugin, its JavaScript and map. */
function emitWithPlugin(source: string): { code: string; map: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "async-machine-map-"));
  const file = path.join(dir, "work.ts");
  fs.writeFileSync(file, source);
  const program = ts.createProgram([file], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true, outDir: path.join(dir, "out") });
  const out = { code: "", map: "" };
  program.emit(undefined, (name, text) => (name.endsWith(".map") ? (out.map = text) : (out.code = text)), undefined, false, {
    before: [asyncMachinePlugin(program, {}, { ts, addDiagnostic() {} } as never)],
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

describe.each([
  [
    "transform()",
    () => {
      const r = transform(REBUILT, { fileName: "work.ts" });
      return { code: r.code, map: r.map as object };
    },
  ],
  [
    "the tspc plugin",
    () => {
      const r = emitWithPlugin(REBUILT);
      return { code: r.code, map: JSON.parse(r.map) as object };
    },
  ],
])("statements the lowering rebuilds map to the source they come from, through %s", (_, build) => {
  const result = build();
  const map = new TraceMap(result.map as never);
  const lines = result.code.split("\n");
  const columnOf = (line: number, text: string): number => REBUILT.split("\n")[line - 1].indexOf(text);

  test.each([
    ["total = 0;", 3, columnOf(3, "total = 0")],
    ["i = 0;", 4, columnOf(4, "i = 0")],
    ["if (i < n)", 4, columnOf(4, "i < n")],
    ["= g(i);", 5, columnOf(5, "total +=")],
    ["total = total + ", 5, columnOf(5, "total +=")],
    ["i++;", 4, columnOf(4, "i++")],
    ["$am.reflectConstruct(", 7, columnOf(7, "new Error")],
    ["return $m.ret(made)", 8, columnOf(8, "return")],
  ])("%s maps to line %i, column %i", (text, line, column) => {
    expect(result.code).toMatch(/work\$resume/); // compiled
    const i = lines.findIndex((l) => l.includes(text));
    expect(i).toBeGreaterThanOrEqual(0);
    const at = text === "$am.reflectConstruct(" ? lines[i].indexOf(text) : lines[i].search(/\S/);
    expect(originalPositionFor(map, { line: i + 1, column: at })).toMatchObject({ source: expect.stringMatching(/work\.ts$/), line, column });
  });
});
