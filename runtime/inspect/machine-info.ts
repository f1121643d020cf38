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

import type { MachineInfo, MachineUses } from "../machine";

// Declared beside `states`, whose second argument it is; dumps, traces and snapshots read it here.
export type { MachineInfo, MachineUses };

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
