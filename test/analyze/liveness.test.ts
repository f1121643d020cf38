// Liveness and layout are plain data: tested here without a TypeScript Program.
import { describe, expect, test } from "vitest";
import { computeLiveness, type FlowBlock } from "../../transformer/analyze/liveness";
import { computeStateLayout, holdsOffsetAt, runsMeet } from "../../transformer/layout/state-layout";

const op = (uses: number[], defs: number[] = [], exits: Array<{ block: number; defs?: Set<number> }> = []) => ({ uses: new Set(uses), defs: new Set(defs), exits });
const block = (ops: ReturnType<typeof op>[], successors: number[], termUses: number[] = [], handler?: { block: number; defs: number[] }): FlowBlock => ({
  ops,
  termUses: new Set(termUses),
  successors: successors.map((b) => ({ block: b })),
  handler: handler && { block: handler.block, defs: new Set(handler.defs) },
});

describe("computeLiveness", () => {
  test("a value dead before the await is not live across it", () => {
    // 0: big = make(); n = big.length; suspend → 1;  1: return n
    const blocks = [block([op([], [0]), op([0], [1])], [1]), block([], [], [1])];
    const { liveIn } = computeLiveness(blocks);
    expect([...liveIn[1]]).toEqual([1]);
    expect(liveIn[1].has(0)).toBe(false);
  });

  test("a value written again before any read is not live", () => {
    // 0: x = 1; suspend → 1;  1: x = 2; use x
    const blocks = [block([op([], [0])], [1]), block([op([], [0]), op([0])], [])];
    expect(computeLiveness(blocks).liveIn[1].size).toBe(0);
  });

  test("loops carry values around the back edge", () => {
    // 0: i = 0 → 1;  1: branch i < n → 2 | 3;  2: suspend → 4;  4: i++ → 1;  3: return
    const blocks = [block([op([], [0])], [1]), block([], [2, 3], [0, 1]), block([], [4]), block([], []), block([op([0], [0])], [1])];
    const { liveIn } = computeLiveness(blocks);
    expect([...liveIn[4]].sort()).toEqual([0, 1]);
  });

  test("a handler's live values are live throughout its region, except what the handler entry writes", () => {
    // 0 (region → 2): suspend → 1;  1 (region → 2): throws;  2: catch: e = $err; log(a, e)
    const blocks = [block([], [1], [], { block: 2, defs: [9] }), block([op([])], [], [], { block: 2, defs: [9] }), block([op([5, 9])], [])];
    const { liveIn } = computeLiveness(blocks);
    expect(liveIn[1].has(5)).toBe(true);
    expect(liveIn[1].has(9)).toBe(false);
  });

  test("an edge that writes a local kills it on that edge only", () => {
    // 0 → 1 with defs {3}; 1 reads 3
    const blocks: FlowBlock[] = [{ ops: [], termUses: new Set(), successors: [{ block: 1, defs: new Set([3]) }] }, block([op([3])], [])];
    expect(computeLiveness(blocks).liveIn[0].has(3)).toBe(false);
  });

  test("a kept statement's jump carries the target's live values", () => {
    // 0: [stmt with break → 2] → 1;  1: return;  2: use 7
    const blocks = [block([op([], [], [{ block: 2 }])], [1]), block([], []), block([op([7])], [])];
    expect(computeLiveness(blocks).liveIn[0].has(7)).toBe(true);
  });
});

describe("computeStateLayout", () => {
  test("locals never live across the same await share an offset", () => {
    const layout = computeStateLayout(
      [
        { state: 3, live: new Set([1]) },
        { state: 4, live: new Set([2]) },
        { state: 5, live: new Set([1, 3]) },
      ],
      [],
    );
    expect(layout.offsetOf.get(1)).toBe(0);
    expect(layout.offsetOf.get(2)).toBe(0); // never live together with 1: shares its offset
    expect(layout.offsetOf.get(3)).toBe(1);
    expect(layout.frameSize).toBe(2);
    expect(layout.states.find((s) => s.state === 5)!.fields).toEqual([
      [1, 0],
      [3, 1],
    ]);
  });

  test("captured locals get their own array and never enter a state's fields", () => {
    const layout = computeStateLayout([{ state: 3, live: new Set([1, 2]) }], [2]);
    expect(layout.captureOf.get(2)).toBe(0);
    expect(layout.capturedSize).toBe(1);
    expect(layout.states[0].fields).toEqual([[1, 0]]);
    expect(layout.frameSize).toBe(1);
  });

  test("a machine with no awaits has an empty frame", () => {
    const layout = computeStateLayout([], []);
    expect(layout.frameSize).toBe(0);
    expect(layout.states).toEqual([]);
  });
});

describe("computeStateLayout: preferred offsets", () => {
  test("a parameter keeps the offset it arrives at when nothing conflicts, others fill the rest", () => {
    // state 3 keeps locals 7 (a temporary), 1 (parameter 0) and 2 (parameter 1)
    const layout = computeStateLayout(
      [{ state: 3, live: new Set([7, 1, 2]) }],
      [],
      new Map([
        [1, 0],
        [2, 1],
      ]),
    );
    expect(layout.offsetOf.get(1)).toBe(0);
    expect(layout.offsetOf.get(2)).toBe(1);
    expect(layout.offsetOf.get(7)).toBe(2);
    expect(layout.frameSize).toBe(3);
  });

  test("a preference that would make two locals of one state share an offset is ignored", () => {
    const layout = computeStateLayout(
      [{ state: 3, live: new Set([1, 2]) }],
      [],
      new Map([
        [1, 0],
        [2, 0],
      ]),
    );
    expect(layout.offsetOf.get(1)).not.toBe(layout.offsetOf.get(2));
    expect(layout.frameSize).toBe(2);
  });
});

describe("computeStateLayout: live intervals", () => {
  test("each offset's occupied states are runs of positions; a hole lets another local share the offset", () => {
    // local 1 across states 3, 4 and 6 (not 5); local 2 across 5 only; local 3 across all four
    const layout = computeStateLayout(
      [
        { state: 3, live: new Set([1, 3]) },
        { state: 4, live: new Set([1, 3]) },
        { state: 5, live: new Set([2, 3]) },
        { state: 6, live: new Set([3, 1]) },
      ],
      [],
    );
    expect(layout.offsetOf.get(1)).toBe(0);
    expect(layout.offsetOf.get(3)).toBe(1);
    expect(layout.offsetOf.get(2)).toBe(0); // in local 1's hole
    expect(layout.occupied).toEqual([
      [0, 3],
      [0, 3],
    ]);
    expect([0, 1, 2, 3].map((p) => holdsOffsetAt(layout, 0, p))).toEqual([true, true, true, true]);
    expect(holdsOffsetAt(layout, 2, 0)).toBe(false);
  });

  test("runs meet only where they share a position", () => {
    expect(runsMeet([0, 1, 5, 6], [2, 4])).toBe(false);
    expect(runsMeet([0, 1, 5, 6], [2, 5])).toBe(true);
    expect(runsMeet([], [0, 9])).toBe(false);
  });

  test("h(await g(0), …, await g(n-1)): one run per value, however many awaits keep it", () => {
    // State k keeps the k values awaited before it: n²/2 (local, state) pairs, n runs.
    const n = 200;
    const liveAcross = Array.from({ length: n }, (_, k) => ({ state: 3 + k, live: new Set(Array.from({ length: k }, (_, i) => i)) }));
    const layout = computeStateLayout(liveAcross, []);
    expect(layout.frameSize).toBe(n - 1);
    expect(layout.occupied.every((runs) => runs.length === 2)).toBe(true);
    expect(layout.occupied[5]).toEqual([6, n - 1]);
  });
});
