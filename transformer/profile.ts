/**
 * The build profile: how much of what only inspection reads the generated code carries.
 *
 *  - `"development"` (the default): every machine has its state enum with readable names and
 *    its `MachineInfo` (id, layout hash, await positions, the variable at each frame offset),
 *    and the generated code carries comments naming states and slots. Task dumps, async stack
 *    traces, `snapshot`/`restore` and readable `stateName`s work.
 *  - `"production"`: none of that. The wrapper passes `0` where the state enum would go
 *    (runtime/machine.ts `PRODUCTION_STATES`), so the runtime's inspection tools can say the
 *    function was built in production profile instead of guessing; the resume function carries
 *    no comments; resume functions are named `$R`, `$R_1`… (the runtime names them for stack
 *    frames); temporaries never live together share one name (emit/profile-names.ts);
 *    the resume function prints on as few lines as the printer allows (emit/single-line.ts).
 *
 * In both, sibling machines reuse the same short names for their own variables (names.ts),
 * which gzip compresses far better than names made unique across the file.
 *
 * The machine itself — states, frame layout, control flow, every trace — is the same in both.
 * Development is the default because it is the safe one: a build that drops what dumps and
 * snapshots read must be asked for, never met by surprise when a snapshot cannot be taken.
 */
export type Profile = "development" | "production";

export const DEFAULT_PROFILE: Profile = "development";

export const PROFILES: readonly Profile[] = ["development", "production"];

export function isProfile(x: unknown): x is Profile {
  return x === "development" || x === "production";
}
