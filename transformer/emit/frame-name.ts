/**
 * The name a stack frame of a compiled function shows: what V8 prints for the native function's
 * frame when it is called in the usual way. The resume function is given it once, where it is
 * defined (`$am.named(f$resume, "FileStore.validate")`), and the runtime calls it without a
 * receiver, so V8 prints the name as it stands:
 *
 *     async function f() {}              f                    (called as a plain function)
 *     const g = async () => {}           g                    (the name it is given where it stands)
 *     class FileStore { async validate } FileStore.validate   (also static methods: the class's name)
 *     class C { async #check() }         #check               (V8 prints a private method bare)
 *     ({ async m() {} })                 Object.m
 *     async function () {}               ""                   (an anonymous frame: `at file:line:col`)
 *
 * V8 builds a method's prefix from the receiver at run time (a subclass instance prints
 * `Sub.validate`, a plain function called as `o.f()` prints `Object.f`); here it is fixed where
 * the function is written. A method under a computed key has its name only at run time: its
 * resume function keeps its own (undefined here: not named).
 */
import type * as ts from "typescript";
import { inferredName } from "./inferred-name";

export function frameName(T: typeof ts, fn: ts.FunctionLikeDeclaration): string | undefined {
  if (T.isMethodDeclaration(fn)) {
    const key = fn.name;
    if (T.isPrivateIdentifier(key)) return key.text;
    const text = T.isIdentifier(key) || T.isStringLiteral(key) || T.isNumericLiteral(key) ? key.text : undefined;
    if (text === undefined) return undefined;
    if (T.isObjectLiteralExpression(fn.parent)) return `Object.${text}`;
    if (T.isClassLike(fn.parent)) {
      const cls = fn.parent.name?.text ?? inferredName(T, fn.parent);
      return cls ? `${cls}.${text}` : text;
    }
    return text;
  }
  if (fn.name && T.isIdentifier(fn.name)) return fn.name.text;
  return inferredName(T, fn) ?? "";
}

/** `$am.named(f$resume, "FileStore.validate");` (none for a method whose key is computed). */
export function namingStatements(T: typeof ts, runtime: string, fn: ts.FunctionLikeDeclaration, resume: ts.FunctionDeclaration): ts.Statement[] {
  const F = T.factory;
  const name = frameName(T, fn);
  if (name === undefined) return [];
  const call = F.createCallExpression(F.createPropertyAccessExpression(F.createIdentifier(runtime), "named"), undefined, [
    F.createIdentifier(resume.name!.text),
    F.createStringLiteral(name),
  ]);
  return [F.createExpressionStatement(call)];
}
