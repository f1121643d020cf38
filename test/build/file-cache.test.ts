/**
 * The plugin's per-file cache across emits (transformer/file-cache.ts): an unchanged file emitted
 * again in the same process (tsc --watch, tsc -b --watch) is not transformed again, and the
 * output is the same byte for byte; a different option computes afresh.
 */
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import asyncMachinePlugin from "../../transformer/plugin";
import { transformCached } from "../../transformer/file-cache";
import type { FileTransformOptions, FileTransformResult } from "../../transformer/transform-file";

const FILES: Record<string, string> = {
  "/p/a.ts": `export async function a(n: number) { let s = 0; for (let i = 0; i < n; i++) s += await Promise.resolve(i); return s; }\n`,
  "/p/b.ts": `import { a } from "./a";\nexport async function b() { try { return await a(3); } finally { console.log("done"); } }\ndeclare const console: { log(x: unknown): void };\n`,
};

function program(): ts.Program {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    types: [],
    outDir: "/out",
    ignoreDeprecations: "6.0",
  } as ts.CompilerOptions;
  const host = ts.createCompilerHost(options);
  host.fileExists = (f) => f in FILES || ts.sys.fileExists(f);
  host.readFile = (f) => FILES[f] ?? ts.sys.readFile(f);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (f, v) => (f in FILES ? ts.createSourceFile(f, FILES[f], v, true) : getSourceFile(f, v));
  return ts.createProgram(Object.keys(FILES), options, host);
}

function emit(p: ts.Program, config: object): Record<string, string> {
  const out: Record<string, string> = {};
  const before = asyncMachinePlugin(p, { report: "silent", ...config }, { ts, addDiagnostic: () => 0 });
  p.emit(undefined, (name, text) => (out[name] = text), undefined, false, { before: [before] });
  return out;
}

describe("per-file cache across emits", () => {
  it("a second emit of the same program writes the same output", () => {
    const p = program();
    const first = emit(p, {});
    const second = emit(p, {});
    expect(Object.keys(first).sort()).toEqual(["/out/a.js", "/out/b.js"]);
    expect(first["/out/a.js"]).toContain("a$resume");
    expect(second).toEqual(first);
    // Another profile is computed afresh, not served from the cache.
    const production = emit(p, { profile: "production" });
    expect(production["/out/a.js"]).not.toContain(".states(");
    expect(emit(p, {})).toEqual(first);
  });

  it("computes once per SourceFile and options", () => {
    const sourceFile = ts.createSourceFile("x.ts", "export {}", ts.ScriptTarget.ES2022, true);
    let computed = 0;
    const compute = (): FileTransformResult => (computed++, { sourceFile, skipped: [], compiled: 0 });
    const options: FileTransformOptions = { runtime: "require", fileId: "x.ts" };
    const r1 = transformCached(sourceFile, options, compute);
    const r2 = transformCached(sourceFile, { ...options }, compute);
    expect(r2).toBe(r1);
    expect(computed).toBe(1);
    transformCached(sourceFile, { ...options, profile: "production" }, compute);
    expect(computed).toBe(2);
    const edited = ts.createSourceFile("x.ts", "export const x = 1;", ts.ScriptTarget.ES2022, true);
    transformCached(edited, options, compute);
    expect(computed).toBe(3);
  });
});
