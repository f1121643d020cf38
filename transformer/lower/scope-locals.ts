/**
 * Bindings of exploded scopes become locals of the machine (cfg.ts `Local`): where each is
 * stored (register, captured slot, environment record), and whether it needs a dead zone
 * (the runtime's dead-zone marker) because it may be read before its declaration runs.
 */
import type * as ts from "typescript";
import { BindingKind, type Binding, type Scope, type Scopes } from "../analyze/scopes";
import { LocalKind, LocalStorage, type LocalId } from "./cfg";
import type { Lowering } from "./lowering";

/**
 * Makes the bindings of an exploded scope machine locals: captured ones of a block scope go in a
 * fresh environment record, those that can be read in their dead zone start there, and the
 * scope's function declarations are created on entry.
 */
export function declareScope(cx: Lowering, scopeNode: ts.Node, isFunctionScope: boolean, beforeHoisting?: () => void): void {
  const { T, F, b } = cx;
  const scope = cx.scopes.scopeOf.get(scopeNode);
  if (!scope) return;
  const captured: LocalId[] = [];
  for (const binding of scope.bindings.values()) {
    if (b.localOfBinding.has(binding)) continue;
    const isConst = binding.kind === BindingKind.Const;
    const local = b.newLocal(LocalKind.Binding, binding.name, cx.localNames.claim(binding.name), isConst);
    b.localOfBinding.set(binding, local);
    const l = b.locals[local];
    // Parameters have a dead zone too when defaults are evaluated: `(a = b, b) => …` throws.
    const lexical = binding.kind === BindingKind.Let || binding.kind === BindingKind.Const || binding.kind === BindingKind.Class;
    const paramWithDefaults = binding.kind === BindingKind.Param && cx.fn.parameters.some((p) => p.initializer !== undefined);
    l.tdz = (lexical || paramWithDefaults) && mayReadBeforeInit(cx.T, cx.file, binding);
    if (binding.captured) {
      if (isFunctionScope) l.storage = LocalStorage.Captured;
      else captured.push(local);
    }
  }
  if (captured.length > 0) {
    const holder = b.newTemp("env");
    b.envFields.set(holder, captured);
    for (const c of captured) {
      b.locals[c].storage = LocalStorage.Env;
      b.locals[c].env = holder;
    }
    // $env = { x: TDZ-or-undefined, … }: a fresh binding per entry of the scope.
    b.emitAssign(holder, F.createObjectLiteralExpression(captured.map((c) => F.createPropertyAssignment(b.locals[c].name, b.initialValue(c)))));
  }
  // The scope's other bindings that can be read before their declaration start in their dead zone.
  for (const binding of scope.bindings.values()) {
    const local = b.localOfBinding.get(binding)!;
    const l = b.locals[local];
    if (l.storage !== LocalStorage.Register && l.storage !== LocalStorage.Captured) continue;
    if (l.tdz) b.emitAssign(local, b.tdzMarker());
  }
  beforeHoisting?.();
  // Function declarations of the scope are created on entry (hoisting).
  const statements =
    T.isSourceFile(scopeNode) || T.isBlock(scopeNode)
      ? scopeNode.statements
      : T.isFunctionLike(scopeNode) && (scopeNode as ts.FunctionLikeDeclaration).body && T.isBlock((scopeNode as ts.FunctionLikeDeclaration).body!)
        ? ((scopeNode as ts.FunctionLikeDeclaration).body as ts.Block).statements
        : T.isCaseBlock(scopeNode)
          ? scopeNode.clauses.flatMap((c) => [...c.statements])
          : [];
  for (const s of statements) {
    if (T.isFunctionDeclaration(s) && s.name && s.body) {
      const binding = cx.scopes.decls.get(s.name)!;
      const local = b.localOfBinding.get(binding)!;
      cx.hoistedFunctions.add(s);
      b.emitOp(
        F.createExpressionStatement(F.createAssignment(b.identifierFor(local), s as unknown as ts.Expression)),
        b.locals[local].storage === LocalStorage.Register ? [local] : [],
      );
    }
  }
}
/**
 * May a read of this binding happen while it is uninitialized? Reads inside closures, reads
 * that come before the declaration in the text, and anything in a switch's case block may.
 */
function mayReadBeforeInit(T: typeof ts, file: ts.SourceFile, binding: Binding): boolean {
  const decl = binding.declarations[0];
  const declEnd = declarationEnd(T, decl);
  if (T.isCaseBlock(binding.scope.node)) return binding.references.length > 0;
  for (const ref of binding.references) {
    if (ref.getStart(file) < declEnd) return true;
    if (enclosingFunction(T, ref) !== enclosingFunction(T, decl)) {
      // A closure created after the declaration ran cannot see the dead zone.
      const closure = outermostClosureBelow(T, ref, enclosingFunction(T, decl));
      if (!closure || closure.getStart(file) < declEnd) return true;
    }
  }
  return false;
}
function declarationEnd(T: typeof ts, decl: ts.Identifier): number {
  let n: ts.Node = decl;
  while (n.parent && !T.isVariableDeclaration(n) && !T.isParameter(n) && !T.isClassDeclaration(n) && !T.isFunctionDeclaration(n)) n = n.parent;
  return n.getEnd();
}
function enclosingFunction(T: typeof ts, node: ts.Node): ts.Node {
  let n = node.parent;
  while (n && !T.isFunctionLike(n) && !T.isSourceFile(n) && !T.isClassStaticBlockDeclaration(n) && !T.isPropertyDeclaration(n)) n = n.parent;
  return n;
}
function outermostClosureBelow(T: typeof ts, node: ts.Node, owner: ts.Node): ts.Node | undefined {
  let found: ts.Node | undefined;
  for (let n = node.parent; n && n !== owner; n = n.parent) if (T.isFunctionLike(n) || T.isClassLike(n)) found = n;
  return found;
}

/** Makes `refs` (references to `binding` evaluated where it is never initialized) read a local kept in its dead zone. */
export function deadZone(cx: Lowering, binding: Binding, refs: ts.Identifier[]): void {
  const { b } = cx;
  const local = b.newLocal(LocalKind.Binding, binding.name, cx.names.claim(`$${binding.name}`));
  b.locals[local].tdz = true;
  b.emitAssign(local, b.tdzMarker());
  for (const r of refs) b.tempOfIdentifier.set(r, local);
}

/** Names the function reads from outside itself (outer bindings and globals), nested functions included. */
export function namesFromOutside(T: typeof ts, fn: ts.Node, scopes: Scopes): Set<string> {
  const out = new Set<string>(["arguments", "undefined", "eval"]);
  // Scopes of the function and inside it; a named function expression's own name lives in the
  // scope just outside (its scope node, the name, is inside the function's text).
  const own = scopes.scopeOf.get(fn);
  const isInside = (scope: Scope): boolean => {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s === own) return true;
    return false;
  };
  const walk = (n: ts.Node): void => {
    if (T.isIdentifier(n)) {
      const b = scopes.refs.get(n);
      if (scopes.globals.has(n) || (b && !isInside(b.scope))) out.add(n.text);
      return;
    }
    T.forEachChild(n, walk);
  };
  walk(fn);
  return out;
}
