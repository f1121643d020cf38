/**
 * What the runtime knows about a compiled function, beyond its state names: where its awaits
 * are, which variable sits at each frame offset, a stable id, and from those a layout hash. Task dumps,
 * async stack traces and snapshots read it through `describeMachine` (describe-machine.ts).
 *
 * Two sources, one shape:
 *  1. `MachineInfo`, the second argument of the state enum, which the transformer emits for
 *     every machine: `var f$State = $am.states(["Unresumed", …], { v: 3, name: "f", file: "src/a.ts", … })`.
 *     `transformer/emit/machine-info.ts` builds it from the layout the transformer computed,
 *     so ids are stable across processes; the layout hash is derived from it (layout-hash.ts),
 *     so it changes exactly when the layout does.
 *  2. For code compiled before the transformer emitted it (or a hand-built machine whose enum
 *     has none), a fallback derived once per resume function from its own source text: the
 *     generated code writes `$f[0] /* name *\/ = x;` (`$f` is `$m.f`) before each `$m.s = 3 /* State *\/;`
 *     and reads `$m.c[0] /* name *\/`; the id is the resume function's name and the hash is
 *     a hash of the resume function's code (so any change of the compiled code is refused).
 *
 * Invariant: nothing here is read on the hot path — only by dumps, traces and snapshots.
 */

/**
 * The second argument of `states(names, info)` (format version 3; versions 1 and 2 are still
 * read). Read it through `machineIdOf`, `capturesOf` and `usesOf`, which fill in what version 3
 * leaves out.
 */
export interface MachineInfo {
  /**
   * Format version: 3 leaves out what the reader can rebuild (`id` when it is `file#name`,
   * empty `captures`, `uses` that do not hold); 2 and 3 name slots by changes (`slots`
   * below), 1 by full lists.
   */
  readonly v: 1 | 2 | 3;
  /**
   * Stable function id: `<file>#<name>`, the file relative to the project root with `/`
   * separators (`src/orders.ts#approveOrder`); `#<name>@<line>` when a file has two functions
   * with the same name. Left out (version 3) when it is `<file>#<name>`.
   */
  readonly id?: string;
  /**
   * Layout hash (16 hex digits). Emitted by older compilers only (`layout/1`); today's output
   * leaves it out and the runtime derives it from this info and the state names (`layout/2`,
   * layout-hash.ts) when a dump, trace or snapshot first describes the machine.
   */
  readonly hash?: string;
  /** Readable name (`Class.method`, `<anonymous>`). */
  readonly name: string;
  /** The source file, as in `id`. */
  readonly file: string;
  /** 1-based line of the function. */
  readonly line: number;
  /** Per suspend state, index `state - 3`: 1-based line and column of the `await`, and the awaited text. */
  readonly awaits: ReadonlyArray<readonly [line: number, column: number, awaited: string]>;
  /**
   * Only for a file that was itself generated (compiled with an input source map, as
   * `async-machine compile` does after tsc): per suspend state, where that map leads its
   * `await` — the original file as the map names it, 1-based line and column — or null where it
   * leads nowhere. An `at async` frame reads it when the program's frames show the original file.
   */
  readonly original?: ReadonlyArray<readonly [file: string, line: number, column: number] | null>;
  /**
   * Per suspend state, index `state - 3`, which variable sits at each frame offset (temporaries
   * start with `$`). Version 2: the offsets whose variable differs from the state before's (the
   * first state's from an empty frame), as flat pairs `[offset, name or null (unused), …]` —
   * linear in the changes, where full lists grow with states × frame size. Version 1: the full
   * list, name by offset, `null` for a slot the state does not use. `slotNamesOf` decodes both.
   */
  readonly slots: ReadonlyArray<ReadonlyArray<string | number | null>>;
  /** Captured variables by offset in `m.c`. Left out (version 3) when there are none. */
  readonly captures?: readonly string[];
  /**
   * Only when some state has them: per suspend state, index `state - 3`, the fields of
   * per-iteration environment records live across its await (their records sit in frame slots).
   */
  readonly env?: ReadonlyArray<readonly string[]>;
  /**
   * Whether code after the first await may read `this` (`m.t`), the arguments object (`m.a`),
   * `super` (`m.h`), an enclosing function's `arguments` (`m.o`) or `new.target` (`m.n`).
   * Version 3 lists only the facts that hold, and leaves `uses` out when none does.
   */
  readonly uses?: Partial<MachineUses>;
}

/** What a machine's code after its first await may read from the machine (MachineInfo.uses). */
export interface MachineUses {
  readonly this: boolean;
  readonly arguments: boolean;
  readonly super: boolean;
  readonly outerArguments: boolean;
  readonly newTarget: boolean;
}

/** The function's stable id (MachineInfo.id): `file#name` where the info leaves it out. */
export function machineIdOf(info: MachineInfo): string {
  return info.id ?? `${info.file}#${info.name}`;
}

/** Captured variables by offset in `m.c` (none where the info leaves them out). */
export function capturesOf(info: MachineInfo): readonly string[] {
  return info.captures ?? [];
}

/** Every fact of MachineInfo.uses, false where the info leaves it out. */
export function usesOf(info: MachineInfo): MachineUses {
  const u = info.uses;
  return {
    this: u?.this === true,
    arguments: u?.arguments === true,
    super: u?.super === true,
    outerArguments: u?.outerArguments === true,
    newTarget: u?.newTarget === true,
  };
}

/** Per suspend state (index `state - 3`), the variable name at each frame offset, `null` where unused. */
export function slotNamesOf(info: MachineInfo, frameSize: number): Array<Array<string | null>> {
  if (info.v === 1) return info.slots.map((s) => s.map((x) => (typeof x === "string" ? x : null)));
  const current: Array<string | null> = new Array(frameSize).fill(null);
  return info.slots.map((changes) => {
    for (let i = 0; i + 1 < changes.length; i += 2) {
      const offset = changes[i];
      const name = changes[i + 1];
      if (typeof offset === "number" && offset >= 0 && offset < frameSize) current[offset] = typeof name === "string" ? name : null;
    }
    return current.slice();
  });
}
