/**
 * The table of reasons a function stays native (transformer/not-compiled.ts): the README lists
 * exactly its codes and messages, every code is decided somewhere in the transformer, and a
 * broken invariant is not a reason: it fails the transform with an error naming the file and
 * the function (buildCfg is replaced here by one that reports a broken invariant). Functions
 * TypeScript's own emit cannot run natively (so no fixture can hold them) are checked here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { describe, expect, it, vi } from "vitest";
import { internalError, NOT_COMPILED } from "../transformer/not-compiled";
import { transform } from "../transformer";

vi.mock("../transformer/lower/build-cfg", async (importOriginal) => {
  const original = await importOriginal<typeof import("../transformer/lower/build-cfg")>();
  return {
    ...original,
    buildCfg: (...args: Parameters<typeof original.buildCfg>) => {
      const fn = args[1];
      if (fn.name?.getText() === "broken") return internalError(fn.body!, "jump target not found");
      return original.buildCfg(...args);
    },
  };
});

const ROOT = path.join(__dirname, "..");

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourcesUnder(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

describe("reasons a function stays native", () => {
  it("the README lists every code with its message, in the table's order", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Why a function stays native"));
    const rows = [...section.matchAll(/^\| `([a-z-]+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2].replace(/\\\|/g, "|")]);
    expect(rows).toEqual(Object.entries(NOT_COMPILED));
  });

  it("every code is decided somewhere in the transformer", () => {
    const text = sourcesUnder(path.join(ROOT, "transformer"))
      .filter((f) => !f.endsWith("not-compiled.ts"))
      .map((f) => fs.readFileSync(f, "utf8"))
      .join("\n");
    const unused = Object.keys(NOT_COMPILED).filter((code) => !text.includes(`"${code}"`));
    expect(unused).toEqual([]);
  });

  it("a broken invariant fails the transform naming the file and the function, never as a function left native", () => {
    const src = "export async function fine() { await 0; }\nexport async function broken() {\n  await 1;\n}\n";
    expect(() => transform(src, { fileName: "src/x.ts" })).toThrow("internal error in async function 'broken' at src/x.ts:2:32: jump target not found");
    // The same file without the broken function compiles: the mock only breaks `broken`.
    expect(transform("export async function fine() { await 0; }\n", { fileName: "src/x.ts" }).compiled).toBe(1);
  });

  it("a static async method named `constructor` (a ConstructorDeclaration to TypeScript) is reported, and runs as native", async () => {
    const src = [
      "var C = class { static async constructor(v) { await null; return v * 2; } constructor() { this.x = 1; } };",
      "async function outer() { await 0; return class K { static async constructor() { return 7; } }; }",
      "globalThis.result = Promise.all([C.constructor(21), new C().x, outer().then((K) => K.constructor())]);",
    ].join("\n");
    const r = transform(src, { fileName: "x.js", runtime: "inline" });
    expect(r.skipped.map((s) => [s.name, s.line, s.column, s.code])).toEqual([
      ["<class>.constructor", 1, 17, "async-method-named-constructor"],
      ["K.constructor", 2, 52, "async-method-named-constructor"],
    ]);
    expect(r.compiled).toBe(1);
    const context: { result?: Promise<unknown> } = {};
    vm.runInNewContext(r.code, context);
    expect(await context.result).toEqual([42, 1, 7]);
  });
});
