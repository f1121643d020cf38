// Scope analysis on small scripts: which binding each reference resolves to.
import { describe, expect, test } from "vitest";
import * as ts from "typescript";
import { analyzeScopes, BindingKind, type Binding } from "../../transformer/analyze/scopes";

/** The bindings the references named `name` resolve to, in source order (undefined: a global). */
function resolved(source: string, name: string): Array<Binding | undefined> {
  const file = ts.createSourceFile("input.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const scopes = analyzeScopes(ts, file);
  const out: Array<Binding | undefined> = [];
  const walk = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n.text === name && (scopes.refs.has(n) || scopes.globals.has(n))) out.push(scopes.refs.get(n));
    ts.forEachChild(n, walk);
  };
  walk(file);
  return out;
}

describe("class declarations", () => {
  test("the name inside the body is the class's own inner binding, outside it the outer one", () => {
    const [inField, inMethod, outside] = resolved("function f() { class C { static a = C.name; m() { return C; } } return C; }", "C");
    expect(inField).toBe(inMethod);
    expect(inField!.kind).toBe(BindingKind.Class);
    expect(ts.isClassDeclaration(inField!.scope.node)).toBe(true);
    expect(outside).not.toBe(inField);
    expect(inField!.scope.parent).toBe(outside!.scope);
  });
});

describe("functions declared in blocks (Annex B.3.3)", () => {
  test("sloppy code: a read after the block names a var of the function", () => {
    const [inside, after] = resolved("function f() { { function g() {} g(); } return g; }", "g");
    expect(inside!.kind).toBe(BindingKind.Function);
    expect(after!.kind).toBe(BindingKind.Var);
    expect(ts.isFunctionDeclaration(after!.scope.node)).toBe(true);
  });

  test("strict code has no such var", () => {
    const [after] = resolved('function f() { "use strict"; { function g() {} } return g; }', "g");
    expect(after).toBeUndefined();
  });

  test("no var where it would clash with a lexical declaration, or for a parameter", () => {
    const [clash] = resolved("function f() { let g = 1; { function g() {} } return g; }", "g");
    expect(clash!.kind).toBe(BindingKind.Let);
    const [param] = resolved("function f(g) { { function g() {} } return g; }", "g");
    expect(param!.kind).toBe(BindingKind.Param);
  });

  test("an unread one makes no binding", () => {
    const file = ts.createSourceFile("input.ts", "function f() { { function g() {} } }", ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const scopes = analyzeScopes(ts, file);
    const fn = file.statements[0];
    expect(scopes.scopeOf.get(fn)!.bindings.has("g")).toBe(false);
    expect(scopes.facts.get(fn)!.blockFunctionVars).toEqual(["g"]);
  });
});
