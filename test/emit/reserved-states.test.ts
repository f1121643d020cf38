/**
 * The transformer's reserved states (transformer/lower/cfg.ts) are the runtime's
 * (runtime/machine.ts): the numbers the emitted code writes to `$m.s` and the names its state
 * enum starts with must be the ones the runtime reads.
 */
import { describe, expect, it } from "vitest";
import { RESERVED_STATE_NAMES, ReservedState as Transformer } from "../../transformer/lower/cfg";
import { ReservedState as Runtime, states } from "../../runtime/machine";

describe("reserved states", () => {
  it("have the runtime's numbers", () => {
    expect([Transformer.Unresumed, Transformer.Returned, Transformer.Panicked, Transformer.FirstSuspend]).toEqual([
      Runtime.Unresumed,
      Runtime.Returned,
      Runtime.Panicked,
      Runtime.FirstSuspend,
    ]);
  });

  it("are named in the state enum as the runtime numbers them, and the first suspend state follows them", () => {
    const e = states([...RESERVED_STATE_NAMES, "AwaitX_L1"]) as unknown as Record<string | number, string | number>;
    expect([e.Unresumed, e.Returned, e.Panicked, e.AwaitX_L1]).toEqual([Runtime.Unresumed, Runtime.Returned, Runtime.Panicked, Runtime.FirstSuspend]);
    expect(RESERVED_STATE_NAMES).toHaveLength(Transformer.FirstSuspend);
  });
});
