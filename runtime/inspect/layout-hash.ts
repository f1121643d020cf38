/**
 * The layout hash of a compiled function (`layout/2`): 16 hex digits that change whenever what
 * a suspended machine holds could be read differently. `restore` compares it with the hash a
 * snapshot recorded and refuses a machine whose layout is not the one the snapshot was taken
 * with; `async-machine inspect --format json` prints it (`hash`).
 *
 * It is a hash of the layout as the emitted `MachineInfo` (machine-info.ts) already spells it,
 * so the output need not carry it: the runtime derives it on first use (a dump, a trace, a
 * snapshot) from the state enum's names and the info, and the transformer from the same data,
 * through this one function. What it covers:
 *   - the state names (each carries its await's line: `AwaitFetch_L12`);
 *   - per suspend state, the frame offsets whose variable differs from the state before's
 *     (`MachineInfo.slots`): equal change lists from an empty frame give equal variables at
 *     every offset of every state, so this is the full per-state layout in linear size;
 *   - the captured variables by offset (`m.c`, saved whole);
 *   - per suspend state, the per-iteration environment fields live across it (`MachineInfo.env`,
 *     only present when some state has them): their record is a frame value whose fields the
 *     resumed code reads by name.
 * Not covered, because a snapshot saves them whole: the arguments object (which of its elements a
 * state reads), `this`, `new.target`.
 *
 * Invariant: the text is versioned (`layout/2`; `layout/1` hashed every state's full field list,
 * quadratic in the number of awaits); change the version when the text changes, so hashes of two
 * versions never collide by accident. Names are identifiers (`$`-prefixed for temporaries), so
 * `,` and the line breaks separate them unambiguously.
 */
import { fnv1a64 } from "./hash";

export interface HashedLayout {
  /** The state enum's names, in state order (Unresumed, Returned, Panicked, then one per suspend). */
  readonly stateNames: readonly string[];
  /** Captured variables by offset. */
  readonly captures: readonly string[];
  /** `MachineInfo.slots` (version 2: per suspend state, `[offset, name | null, …]` changes). */
  readonly slots: ReadonlyArray<ReadonlyArray<string | number | null>>;
  /** `MachineInfo.env`: per suspend state, the environment fields live across it. */
  readonly env?: ReadonlyArray<readonly string[]>;
}

export const LAYOUT_HASH_VERSION = "layout/2";

export function layoutHash(layout: HashedLayout): string {
  let text = `${LAYOUT_HASH_VERSION}\n${layout.stateNames.join(",")}\n${layout.captures.join(",")}\n`;
  const { slots, env } = layout;
  for (let i = 0; i < slots.length; i++) {
    let line = "";
    const changes = slots[i];
    for (let k = 0; k < changes.length; k++) line += (k === 0 ? "" : ",") + (changes[k] === null ? "-" : String(changes[k]));
    text += `${line};${env?.[i]?.join(",") ?? ""}\n`;
  }
  return fnv1a64(text);
}
