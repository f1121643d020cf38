/**
 * What the runtime knows about a compiled function, beyond its state names: where its awaits
 * are, which variable sits at each frame offset, a stable id and a layout hash. Task dumps,
 * async stack traces and snapshots read it through `describeMachine` (describe-machine.ts).
 *
 * Two sources, one shape:
 *  1. `MachineInfo`, the second argument of the state enum, which the transformer emits for
 *     every machine: `var f$State = $am.states(["Unresumed", …], { v: 1, id: "src/a.ts#f", … })`.
 *     `transformer/emit/machine-info.ts` builds it from the layout the transformer computed,
 *     so ids are stable across processes and the hash changes exactly when the layout does.
 *  2. For code compiled before the transformer emitted it (or a hand-built machine whose enum
 *     has none), a fallback derived once per resume function from its own source text: the
 *     generated code writes `$f[0] /* name *\/ = x;` (`$f` is `$m.f`) before each `$m.s = 3 /* State *\/;`
 *     and reads `$m.c[0] /* name *\/`; the id is the resume function's name and the hash is
 *     a hash of the resume function's code (so any change of the compiled code is refused).
 *
 * Invariant: nothing here is read on the hot path — only by dumps, traces and snapshots.
 */

/** The second argument of `states(names, info)` (format version 1). */
export interface MachineInfo {
  /** Format version. */
  readonly v: 1;
  /**
   * Stable function id: `<file>#<name>`, the file relative to the project root with `/`
   * separators (`src/orders.ts#approveOrder`); `#<name>@<line>` when a file has two functions
   * with the same name.
   */
  readonly id: string;
  /** Layout hash (16 hex digits, transformer/emit/layout-hash.ts): state names, fields, captures, sizes. */
  readonly hash: string;
  /** Readable name (`Class.method`, `<anonymous>`). */
  readonly name: string;
  /** The source file, as in `id`. */
  readonly file: string;
  /** 1-based line of the function. */
  readonly line: number;
  /** Per suspend state, index `state - 3`: 1-based line and column of the `await`, and the awaited text. */
  readonly awaits: ReadonlyArray<readonly [line: number, column: number, awaited: string]>;
  /** Per suspend state, index `state - 3`: variable name by frame offset, `null` for a slot the state does not use. Temporaries start with `$`. */
  readonly slots: ReadonlyArray<ReadonlyArray<string | null>>;
  /** Captured variables by offset in `m.c`. */
  readonly captures: readonly string[];
  /**
   * Whether code after the first await may read `this` (`m.t`), the arguments object (`m.a`),
   * `super` (`m.h`), an enclosing function's `arguments` (`m.o`) or `new.target` (`m.n`).
   */
  readonly uses: { readonly this: boolean; readonly arguments: boolean; readonly super: boolean; readonly outerArguments: boolean; readonly newTarget: boolean };
}
