// Shorter private property names for the runtime's ES-module build (the one bundlers use): in a
// minified bundle, identifiers shrink but property names do not, and the runtime's private
// fields and methods (`cancelRequested`, `finishCleanup`, …) are much of what a bundle of the
// executor and combinators keeps. Each is renamed to `_` + a number, the same in every file of
// the build. (Preact's build does the same with its mangle.json.)
//
// Which names: found by the type checker, not listed by hand. A name is renamed only if every
// place a property of that name is declared or used in runtime/ resolves to a `private` (or
// `protected`: the runtime's classes are not made to be subclassed outside it) member of a
// runtime class; one public use anywhere (an interface member, an object literal, a
// property of a built-in or of a user's object), a string equal to it, or an access the checker
// cannot resolve keeps it. The CommonJS build (what Node loads, and what the test suite runs)
// keeps every name; a private name is not part of the API, so nothing outside the runtime sees
// the difference.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { transformSync } from "esbuild";

/**
 * The runtime's private property names that are safe to rename, most used first (`names`), and every other
 * property name it uses (`kept`: no new name may be one of them).
 */
export function privateNames(sourceRoot) {
  const files = [];
  (function walk(dir) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) files.push(resolve(path));
    }
  })(sourceRoot);
  const program = ts.createProgram(files, { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, strict: true, noEmit: true, types: ["node"] });
  const checker = program.getTypeChecker();
  const isPrivateMember = (decl) =>
    (ts.isPropertyDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isGetAccessorDeclaration(decl) || ts.isSetAccessorDeclaration(decl)) &&
    ts.getCombinedModifierFlags(decl) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) &&
    ts.isIdentifier(decl.name);
  const candidates = new Map(); // name → uses
  const unsafe = new Set();
  const judge = (nameNode) => {
    const name = nameNode.text;
    const symbol = checker.getSymbolAtLocation(nameNode);
    const declarations = symbol?.declarations ?? [];
    if (declarations.length > 0 && declarations.every(isPrivateMember)) candidates.set(name, (candidates.get(name) ?? 0) + 1);
    else unsafe.add(name);
  };
  for (const sourceFile of program.getSourceFiles()) {
    if (!files.includes(resolve(sourceFile.fileName))) continue;
    (function visit(node) {
      if (ts.isStringLiteralLike(node)) unsafe.add(node.text);
      else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) judge(node.name);
      else if (
        (ts.isPropertyDeclaration(node) ||
          ts.isMethodDeclaration(node) ||
          ts.isGetAccessorDeclaration(node) ||
          ts.isSetAccessorDeclaration(node) ||
          ts.isPropertySignature(node) ||
          ts.isMethodSignature(node) ||
          ts.isPropertyAssignment(node) ||
          ts.isShorthandPropertyAssignment(node)) &&
        node.name !== undefined
      ) {
        if (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name)) judge(node.name);
        else if (ts.isStringLiteral(node.name) || ts.isNumericLiteral(node.name)) unsafe.add(node.name.text);
      } else if (ts.isBindingElement(node) && node.propertyName !== undefined && ts.isIdentifier(node.propertyName)) unsafe.add(node.propertyName.text);
      else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent) && ts.isIdentifier(node.name)) unsafe.add(node.name.text);
      ts.forEachChild(node, visit);
    })(sourceFile);
  }
  const names = [...candidates.keys()].filter((name) => !unsafe.has(name));
  // The most used first: they get the shortest names. (Ties by name: the same build every time.)
  names.sort((a, b) => candidates.get(b) - candidates.get(a) || (a < b ? -1 : 1));
  return { names, kept: unsafe };
}

/** Renames `names` in every .js file under `outRoot` (one table for all files), to names not in `kept`. */
export function manglePrivateNames(outRoot, { names, kept }) {
  if (names.length === 0) return;
  const mangleCache = {};
  let next = 0;
  for (const name of names) {
    let short;
    do short = shortName(next++);
    while (kept.has(short) || names.includes(short));
    mangleCache[name] = short;
  }
  const mangleProps = new RegExp(`^(?:${names.join("|")})$`);
  (function walk(dir) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".js")) {
        const result = transformSync(readFileSync(path, "utf8"), { format: "esm", target: "esnext", loader: "js", mangleProps, mangleCache, sourcefile: path });
        writeFileSync(path, result.code);
      }
    }
  })(outRoot);
}

/** `_a` … `_z`, `_A` … `_Z`, then `_aa`, … : short, and unlike the names a user gives the properties of a subclass. */
function shortName(i) {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let name = "";
  do {
    name = alphabet[i % alphabet.length] + name;
    i = Math.floor(i / alphabet.length) - 1;
  } while (i >= 0);
  return `_${name}`;
}
