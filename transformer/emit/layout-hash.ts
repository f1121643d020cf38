/**
 * The layout hash of a machine: 16 hex digits that change whenever what a suspended machine
 * holds could be read differently — state names (they carry the await's line), the variable at
 * each offset of each state, the captures, the frame and captures sizes.
 *
 * Used by `inspect --format json` (`hash`) and meant for `MachineInfo.hash` (runtime/inspect/
 * machine-info.ts), which `restore` compares with the hash a snapshot recorded, refusing to
 * resume a machine whose compiled code no longer has the same layout.
 *
 * Invariant: the canonical text below is versioned (`layout/1`); change the version when the
 * text changes, so old and new hashes never collide by accident.
 */
import { fnv1a64 } from "../../runtime/inspect/hash";

export interface HashedLayout {
  readonly frameSize: number;
  readonly capturedSize: number;
  readonly captures: ReadonlyArray<{ readonly name: string; readonly offset: number }>;
  readonly states: ReadonlyArray<{
    readonly index: number;
    readonly name: string;
    readonly fields: ReadonlyArray<{ readonly name: string; readonly temp: boolean; readonly storage: string; readonly offset: number }>;
  }>;
}

export function layoutHash(layout: HashedLayout): string {
  const lines = [`layout/1 frame=${layout.frameSize} captured=${layout.capturedSize}`];
  for (const c of layout.captures) lines.push(`c${c.offset}=${c.name}`);
  for (const s of layout.states) {
    const fields = s.fields.map((f) => `${f.storage}:${f.offset}=${f.temp ? "$" : ""}${f.name}`);
    lines.push(`${s.index} ${s.name} [${fields.join(",")}]`);
  }
  return fnv1a64(lines.join("\n"));
}
