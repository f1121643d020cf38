/**
 * What lowering hands the emitter for one function: the Cfg, and how the source's identifiers
 * and jumps inside kept statements map onto it.
 */
import type * as ts from "typescript";
import type { Binding, Scopes } from "../analyze/scopes";
import type { BlockId, Cfg, LocalId } from "./cfg";
import type { RuntimeRef } from "./runtime-refs";

export interface LoweredFunction {
  readonly cfg: Cfg;
  /** The machine local each source binding of an exploded scope became. */
  readonly localOfBinding: ReadonlyMap<Binding, LocalId>;
  /** Synthesized identifiers that stand for temporaries. */
  readonly tempOfIdentifier: ReadonlyMap<ts.Identifier, LocalId>;
  /** Stand-in for the value the machine was resumed with (`v` of the resume function). */
  readonly resumeValue: ts.Identifier;
  /** Jumps inside kept statements that leave them. */
  readonly jumpRewrites: ReadonlyMap<ts.Node, JumpRewrite>;
  /** Function declarations hoisted to their scope's entry as assignments. */
  readonly hoistedFunctions: ReadonlySet<ts.Node>;
  /** Environment records: holder local → the locals stored in it. */
  readonly envFields: ReadonlyMap<LocalId, LocalId[]>;
  /** The placeholders in ops for the machine and the runtime, and what each stands for (runtime-refs.ts). */
  readonly runtimeRefs: ReadonlyMap<ts.Identifier, RuntimeRef>;
}

/** The machine local an identifier stands for: a temporary's stand-in, or a binding that became a local. */
export function localOf(lowered: Pick<LoweredFunction, "tempOfIdentifier" | "localOfBinding">, scopes: Scopes, id: ts.Identifier): LocalId | undefined {
  const t = lowered.tempOfIdentifier.get(id);
  if (t !== undefined) return t;
  const b = scopes.refs.get(id) ?? scopes.decls.get(id);
  return b ? lowered.localOfBinding.get(b) : undefined;
}

/** How a jump inside a kept statement is rewritten. */
export type JumpRewrite =
  /** `return m.ret(value)` */
  | { kind: "return"; value: ts.Expression | undefined }
  /** assignments (completion locals), then continue at `target` */
  | {
      kind: "goto";
      assigns: Array<[LocalId, ts.Expression | number]>;
      target: BlockId;
      /**
       * The jump leaves a kept `try … finally`: that finally runs first and may throw, which must
       * be dispatched from the block the jump started in — so the target is set only once the
       * jump reaches the machine loop (`$g`, see emit). (Emit routes every jump out of a kept
       * statement that way; this records why it must.)
       */
      throughKeptFinally?: boolean;
    };
