/**
 * References to the machine and the runtime in lowered code, as data. The lowering writes ops
 * before emit has chosen the resume function's own names (`$m`, `$t`, the frame) or the name
 * the runtime is imported under; where an op needs one of them it puts a placeholder identifier
 * and records what it stands for in `LoweredFunction.runtimeRefs`. Emit replaces each
 * placeholder it finds there, by node identity (emit/rewrite-kept-code.ts) — never by its text,
 * so a user identifier spelled like one (`$am_args`) is an ordinary identifier.
 */
import type * as ts from "typescript";
import type * as CompiledEntry from "../../runtime/compiled";

/** What generated code may call: the values of the runtime's entry for generated code. */
export type RuntimeHelperName = keyof typeof CompiledEntry;

export type RuntimeRef =
  /** The arguments the wrapper passed (the frame, when parameters arrive in it). */
  | { kind: "args" }
  /** The machine (`$m`). */
  | { kind: "machine" }
  /** The resume function's completion kind of the value it was resumed with (`$t`). */
  | { kind: "isThrow" }
  /** The dead-zone marker a binding holds before its declaration runs. */
  | { kind: "tdz" }
  /** A runtime value, `$am.name`. */
  | { kind: "helper"; name: RuntimeHelperName };

/** Every placeholder ever made (a brand: emit tells one that lost its entry from a user identifier). */
const placeholders = new WeakSet<ts.Identifier>();

/** A new placeholder for `ref`, recorded in `refs`. Its text is for dumps only. */
export function createRuntimeRef(F: ts.NodeFactory, refs: Map<ts.Identifier, RuntimeRef>, ref: RuntimeRef): ts.Identifier {
  const id = F.createIdentifier(ref.kind === "helper" ? `$am_${ref.name}` : `$am_${ref.kind}`);
  placeholders.add(id);
  refs.set(id, ref);
  return id;
}

/** Was `id` made by createRuntimeRef (for whichever function)? */
export function isRuntimePlaceholder(id: ts.Identifier): boolean {
  return placeholders.has(id);
}
