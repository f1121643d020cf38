// The clean-slot analysis is plain data: tested here without a TypeScript Program.
import { describe, expect, test } from "vitest";
import { computeCleanSlots, type SlotBlock, type SlotOp } from "../../transformer/analyze/clean-slots";

const op = (writes: number[], loads: number[] = [], exits: Array<{ block: number; defs?: Set<number> }> = []): SlotOp => ({ writes: new Set(writes), loads: new Set(loads), exits });
const block = (ops: SlotOp[], successors: number[], termWrites: number[] = [], handler?: { block: number; defs: number[] }): SlotBlock => ({
  ops,
  termWrites: new Set(termWrites),
  successors: successors.map((b) => ({ block: b })),
  handler: handler && { block: handler.block, defs: new Set(handler.defs) },
});
const sorted = (s: ReadonlySet<number>): number[] => [...s].sort((a, b) => a - b);

describe("computeCleanSlots", () => {
  // A loop `for (i = 0; i < n; i++) sum += await i` with n (local 1) a parameter in its slot:
  //   0 entry: n = slot (load); i = 0; sum = 0 → 1
  //   1 head: branch i < n → 2 | 4
  //   2: suspend (state 3) → 3
  //   3 resume (fields i, n, sum): sum += v; i++ → 1
  //   4: return
  const loop = (entryOps: SlotOp[]): SlotBlock[] => [block(entryOps, [1]), block([], [2, 4]), block([], [3]), block([op([2, 0])], [1]), block([], [])];
  const starts = new Map([
    [0, new Set<number>()],
    [3, new Set([0, 1, 2])],
  ]);

  test("a loop's bound, loaded at every resume and never written, is clean at the await", () => {
    const out = computeCleanSlots(loop([op([1], [1]), op([0]), op([2])]), starts);
    expect(sorted(out[2])).toEqual([1]);
  });

  test("a local the entry assigns (not from its slot) is not clean on the first iteration", () => {
    const out = computeCleanSlots(loop([op([1]), op([0]), op([2])]), starts);
    expect(sorted(out[2])).toEqual([]);
  });

  test("a write on any path to the await makes the local dirty", () => {
    // 0 resume (fields 0, 1) → branch → 1 | 2;  1: writes 0 → 3;  2: nothing → 3;  3: suspend
    const blocks = [block([], [1, 2]), block([op([0])], [3]), block([], [3]), block([], [])];
    const out = computeCleanSlots(blocks, new Map([[0, new Set([0, 1])]]));
    expect(sorted(out[3])).toEqual([1]);
  });

  test("the terminator's own writes count (an assignment in the awaited expression)", () => {
    const blocks = [block([], [1], [0]), block([], [])];
    const out = computeCleanSlots(blocks, new Map([[0, new Set([0, 1])]]));
    expect(sorted(out[0])).toEqual([1]);
  });

  test("a handler gets only what the region's blocks may not write at all, minus its entry's writes", () => {
    // 0 resume (fields 0, 1, 2) in a region handled by 1: writes 0, then reloads it (a load
    // after a write does not help an exception thrown in between); 1 handler (writes 2) → 2 suspend
    const blocks = [block([op([0]), op([], [0])], [], [], { block: 1, defs: [2] }), block([], [2]), block([], [])];
    const out = computeCleanSlots(blocks, new Map([[0, new Set([0, 1, 2])]]));
    expect(sorted(out[0])).toEqual([0, 1, 2]);
    expect(sorted(out[2])).toEqual([1]);
  });

  test("a kept statement's exit carries what is clean at that statement, minus what the jump writes", () => {
    // 0 resume (fields 0, 1): op A (exit → 2, the jump writes 1), then op B writes 0 → 1;
    // 1 → 2;  2: suspend.  Via the exit: 0 clean, 1 written; via 1: 0 written.
    const blocks = [block([op([], [], [{ block: 2, defs: new Set([1]) }]), op([0])], [1]), block([], [2]), block([], [])];
    const out = computeCleanSlots(blocks, new Map([[0, new Set([0, 1])]]));
    expect(sorted(out[2])).toEqual([]);
    const noWrite = [block([op([], [], [{ block: 2 }]), op([0])], [1]), block([], [2]), block([], [])];
    expect(sorted(computeCleanSlots(noWrite, new Map([[0, new Set([0, 1])]]))[2])).toEqual([1]);
  });

  test("a start block keeps its own set: an edge into a resume block does not change it", () => {
    // 0 entry → 1 (a resume block, also a start); the entry's dirty state does not reach it
    const blocks = [block([op([0])], [1]), block([], [])];
    const out = computeCleanSlots(blocks, new Map([[0, new Set<number>()], [1, new Set([0])]]));
    expect(sorted(out[1])).toEqual([0]);
  });
});
