// The clean-slot analysis is plain data: tested here without a TypeScript Program.
import { describe, expect, test } from "vitest";
import { BasedSet } from "../../transformer/analyze/based-set";
import { blocksInCycles, computeCleanSlots, deferLoads, placeEarlyStores, type SlotBlock, type SlotOp } from "../../transformer/analyze/clean-slots";

const op = (writes: number[], loads: number[] = [], exits: Array<{ block: number; defs?: Set<number> }> = []): SlotOp => ({
  writes: new Set(writes),
  loads: new Set(loads),
  exits,
});
const block = (ops: SlotOp[], successors: number[], termWrites: number[] = [], handler?: { block: number; defs: number[] }): SlotBlock => ({
  ops,
  termWrites: new Set(termWrites),
  successors: successors.map((b) => ({ block: b })),
  handler: handler && { block: handler.block, defs: new Set(handler.defs) },
});
const sorted = (s: Iterable<number>): number[] => [...s].sort((a, b) => a - b);

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
    const out = computeCleanSlots(
      blocks,
      new Map([
        [0, new Set<number>()],
        [1, new Set([0])],
      ]),
    );
    expect(sorted(out[1])).toEqual([0]);
  });
});

describe("computeCleanSlots: exceptions inside a block", () => {
  test("an exception in an op that assigns a local as its last action leaves the local clean", () => {
    // 0 resume (fields 0, 1) in a region handled by 1: `x0 += f()` (writes 0 last) → 2;
    // 1 handler → 2;  2 suspend.  Via the handler 0 is still clean (the op threw before writing).
    const last: SlotOp = { writes: new Set([0]), exits: [], lastWrite: 0 };
    const blocks = [block([last, op([], [0])], [2], [], { block: 1, defs: [] }), block([], [2]), block([], [])];
    const starts = new Map([[0, new Set([0, 1])]]);
    expect(sorted(computeCleanSlots(blocks, starts)[1])).toEqual([1]); // the handler's own end
    const storeAfter: SlotOp = { ...last, stores: new Set([0]) };
    const stored = [block([storeAfter], [2], [], { block: 1, defs: [] }), block([], [2]), block([], [])];
    expect(sorted(computeCleanSlots(stored, starts)[2])).toEqual([0, 1]);
    // Without `lastWrite` the write may have happened before the exception: 0 is dirty in the handler.
    const anyOrder = [block([{ ...storeAfter, lastWrite: undefined }], [2], [], { block: 1, defs: [] }), block([], [2]), block([], [])];
    expect(sorted(computeCleanSlots(anyOrder, starts)[2])).toEqual([1]);
  });

  test("a store overwrites the other locals sharing its offset", () => {
    // 0 resume (fields 0, 1): an op writes 2 and stores it, clobbering 1's slot → 1 suspend
    const blocks = [block([{ writes: new Set([2]), exits: [], stores: new Set([2]), clobbers: new Set([1]) }], [1]), block([], [])];
    expect(sorted(computeCleanSlots(blocks, new Map([[0, new Set([0, 1])]]))[1])).toEqual([0, 2]);
  });
});

describe("blocksInCycles", () => {
  test("finds the blocks of loops, through handlers and exits too, and nothing else", () => {
    // 0 → 1 → 2 → 1 (a loop), 2 → 3;  3 handler 4 → 3 (a cycle through a handler edge);  5 self loop
    const blocks = [
      block([], [1]),
      block([], [2]),
      block([], [1, 3]),
      block([], [], [], { block: 4, defs: [] }),
      block([], [3]),
      block([], [5]),
      block([op([], [], [{ block: 6 }])], []),
    ];
    expect(sorted(blocksInCycles(blocks))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sorted(blocksInCycles([block([], [1]), block([], [2]), block([], [])]))).toEqual([]);
  });
});

describe("placeEarlyStores", () => {
  // `let c = 0; for (;;) { try { await i } catch { c++ } }` as blocks, c = local 0, i = local 1:
  //   0 entry: c = 0 (op 0), i = 0 (op 1) → 1
  //   1 loop head → 2 | 5
  //   2 suspend (keeps 0, 1) → 3, in a region handled by 4
  //   3 resume: i++ → 1, in the region
  //   4 catch body (only after an exception): c++ → 1
  //   5 return
  const loopWithCatch = (): SlotBlock[] => [
    block([op([0]), op([1])], [1]),
    block([], [2, 5]),
    block([], [3], [], { block: 4, defs: [] }),
    block([op([1])], [1], [], { block: 4, defs: [] }),
    block([{ writes: new Set([0]), exits: [], lastWrite: 0 }], [1]),
    block([], []),
  ];
  const starts = new Map([
    [0, new Set<number>()],
    [3, new Set([0, 1])],
  ]);
  const suspends = [{ block: 2, kept: new Set([0, 1]) }];

  test("a local written only at the entry and in a catch is stored there, not at the loop's await", () => {
    const { clean, stores } = placeEarlyStores(
      loopWithCatch(),
      starts,
      suspends,
      new Map([
        [0, 0],
        [1, 1],
      ]),
    );
    expect(sorted(clean[2])).toEqual([0]);
    expect([...stores].map(([b, at]) => [b, [...at]])).toEqual([
      [0, [[0, [0]]]],
      [4, [[0, [0]]]],
    ]);
  });

  test("no store when the local is also written on the hot path", () => {
    const blocks = loopWithCatch();
    blocks[3] = block([op([0, 1])], [1], [], { block: 4, defs: [] });
    const { clean, stores } = placeEarlyStores(
      blocks,
      starts,
      suspends,
      new Map([
        [0, 0],
        [1, 1],
      ]),
    );
    expect(sorted(clean[2])).toEqual([]);
    expect(stores.size).toBe(0);
  });

  test("no store before a read of the frame, nor in a block that leads to one", () => {
    const blocks = loopWithCatch();
    blocks[0] = block([op([0]), { writes: new Set([1]), exits: [], readsFrame: true }], [1]);
    // c = 0 comes before the frame read: it cannot be stored there, so storing in the catch
    // alone would not make it clean at the await — nothing is placed.
    expect(
      placeEarlyStores(
        blocks,
        starts,
        suspends,
        new Map([
          [0, 0],
          [1, 1],
        ]),
      ).stores.size,
    ).toBe(0);
    // After the read it can.
    blocks[0] = block([{ writes: new Set([1]), exits: [], readsFrame: true }, op([0])], [1]);
    expect([
      ...placeEarlyStores(
        blocks,
        starts,
        suspends,
        new Map([
          [0, 0],
          [1, 1],
        ]),
      ).stores.get(0)!,
    ]).toEqual([[1, [0]]]);
    // A block that leads to a frame read gets none.
    const before: SlotBlock[] = [block([op([0])], [6]), ...blocks.slice(1), block([{ writes: new Set([1]), exits: [], readsFrame: true }], [1])];
    expect(
      placeEarlyStores(
        before,
        starts,
        suspends,
        new Map([
          [0, 0],
          [1, 1],
        ]),
      ).stores.size,
    ).toBe(0);
  });

  test("a store that would make a local sharing its offset dirty at a hot await is not placed", () => {
    // `y` (local 1) is loaded at the entry, `x` (local 0) written there; then
    // `if (…) loop A keeping x  else loop B keeping y`: x and y may share an offset.
    //   0 entry: load y; x = … → 1 | 4
    //   1 A head → 2 | 7;  2 suspend (keeps x) → 3;  3 resume → 1
    //   4 B head → 5 | 7;  5 suspend (keeps y) → 6;  6 resume → 4
    //   7 return
    const blocks: SlotBlock[] = [
      block([op([1], [1]), op([0])], [1, 4]),
      block([], [2, 7]),
      block([], [3]),
      block([], [1]),
      block([], [5, 7]),
      block([], [6]),
      block([], [4]),
      block([], []),
    ];
    const st = new Map([
      [0, new Set<number>()],
      [3, new Set([0])],
      [6, new Set([1])],
    ]);
    const hot = [
      { block: 2, kept: new Set([0]) },
      { block: 5, kept: new Set([1]) },
    ];
    // Sharing offset 0, storing x at the entry would make y dirty in loop B: no gain, no store.
    expect(
      placeEarlyStores(
        blocks,
        st,
        hot,
        new Map([
          [0, 0],
          [1, 0],
        ]),
      ).stores.size,
    ).toBe(0);
    // At their own offsets the store is placed, and both awaits skip their stores.
    const apart = placeEarlyStores(
      blocks,
      st,
      hot,
      new Map([
        [0, 0],
        [1, 1],
      ]),
    );
    expect([...apart.stores.get(0)!]).toEqual([[1, [0]]]);
    expect(sorted(apart.clean[2])).toEqual([0]);
    expect(sorted(apart.clean[5])).toEqual([1]);
  });
});

describe("deferLoads", () => {
  // `let c = 0; for (i…) { try { await i } catch { c++ } } return c` with c (local 0) stored at
  // the entry and in the catch (placeEarlyStores), i = local 1:
  //   0 entry: c = 0, i = 0 → 1;  1 head → 2 | 5;  2 suspend (keeps 0, 1) → 3, region → 4
  //   3 resume: i++ → 1, region → 4;  4 catch body: c++ (reads c) → 1;  5 return c (reads c)
  const blocks = (catchReads = true): SlotBlock[] => [
    block([op([0]), op([1])], [1]),
    { ...block([], [2, 5]), reads: new Set([1]) },
    block([], [3], [], { block: 4, defs: [] }),
    { ...block([op([1])], [1], [], { block: 4, defs: [] }), reads: new Set([1]) },
    { ...block([{ writes: new Set([0]), exits: [], lastWrite: 0 }], [1]), reads: catchReads ? new Set([0]) : new Set() },
    { ...block([], []), reads: new Set([0]) },
  ];
  const starts = new Map([
    [0, new Set<number>()],
    [3, new Set([0, 1])],
  ]);
  const suspends = [{ block: 2, kept: new Set([0, 1]), resume: 3 }];
  const plan = (bs: SlotBlock[]) =>
    placeEarlyStores(
      bs,
      starts,
      suspends,
      new Map([
        [0, 0],
        [1, 1],
      ]),
    );

  test("a field only cold blocks read is loaded there, not at the loop's resume", () => {
    const bs = blocks();
    const { deferred, loads } = deferLoads(bs, starts, suspends, plan(bs));
    expect([...deferred.get(3)!]).toEqual([0]);
    expect([...loads].sort((a, b) => a[0] - b[0])).toEqual([
      [4, [0]],
      [5, [0]],
    ]);
  });

  test("a field the hot path reads stays loaded at the resume", () => {
    const bs = blocks();
    bs[1] = { ...bs[1], reads: new Set([0, 1]) }; // the loop head reads c too
    expect(deferLoads(bs, starts, suspends, plan(bs)).deferred.size).toBe(0);
  });

  test("not when the cold block may see a slot that does not hold the field", () => {
    // Without the stores placeEarlyStores adds, c's slot is stale after the entry's write.
    const bs = blocks();
    const noStores = { ...computeCleanPlan(bs) };
    expect(deferLoads(bs, starts, suspends, noStores).deferred.size).toBe(0);
  });

  test("not when a suspend in the segment stores the field (it reads the variable)", () => {
    const bs = blocks();
    bs[3] = { ...block([op([0, 1])], [1], [], { block: 4, defs: [] }), reads: new Set([0, 1]) }; // the hot path writes c
    expect(deferLoads(bs, starts, suspends, plan(bs)).deferred.size).toBe(0);
  });

  test("an exception in the suspend block itself reaches the handler: its reads count", () => {
    // The resume block is itself a suspend (two awaits in a row), in a region handled by a
    // cold block that reads the field: it must be loaded there.
    //   0 entry → 1 (suspend A, keeps 0) → 2 resume A = suspend B (keeps 0), region → 4 → …
    const bs: SlotBlock[] = [
      block([op([0])], [1]),
      { ...block([], [2]), reads: new Set() },
      block([], [3], [], { block: 4, defs: [] }),
      block([], [1]),
      { ...block([], [1]), reads: new Set([0]) },
    ];
    const st = new Map([
      [0, new Set<number>()],
      [2, new Set([0])],
      [3, new Set([0])],
    ]);
    const sus = [
      { block: 1, kept: new Set([0]), resume: 2 },
      { block: 2, kept: new Set([0]), resume: 3 },
    ];
    const p = placeEarlyStores(bs, st, sus, new Map([[0, 0]]));
    const { deferred, loads } = deferLoads(bs, st, sus, p);
    expect([...(deferred.get(2) ?? [])]).toEqual([0]);
    expect(loads.get(4)).toEqual([0]);
  });

  test("outside loops, a field the resume's code never reads is left in the frame; one it reads is loaded at the resume", () => {
    // `h(await a, await b)` with h = local 0 and the first operand = local 1:
    //   0 entry → suspend A (keeps 0) → 1 resume A: operand = v, suspend B (keeps 0, 1)
    //   → 2 resume B: h(operand, v) (reads 0 and 1)
    const bs: SlotBlock[] = [
      { ...block([], [1]), reads: new Set() },
      { ...block([op([1])], [2]), reads: new Set() },
      { ...block([], []), reads: new Set([0, 1]) },
    ];
    const st = new Map([
      [0, new Set<number>()],
      [1, new Set([0])],
      [2, new Set([0, 1])],
    ]);
    const sus = [
      { block: 0, kept: new Set([0]), resume: 1 },
      { block: 1, kept: new Set([0, 1]), resume: 2 },
    ];
    const offsets = new Map([
      [0, 0],
      [1, 1],
    ]);
    const { deferred, loads } = deferLoads(bs, st, sus, placeEarlyStores(bs, st, sus, offsets));
    expect([...(deferred.get(1) ?? [])]).toEqual([0]); // h: not read before the next await, still in its slot there
    expect([...(deferred.get(2) ?? [])]).toEqual([]); // the last resume reads both: loaded there, as before
    expect(loads.size).toBe(0);
  });

  function computeCleanPlan(bs: SlotBlock[]) {
    const clean = computeCleanSlots(bs, starts);
    // cleanIn: recompute through placeEarlyStores with no candidate offsets (no stores possible)
    return { ...placeEarlyStores(bs, starts, suspends, new Map()), clean };
  }
});

describe("BasedSet (clean sets kept as changes to a state's fields)", () => {
  test("adds, deletes, copies and intersections agree with plain sets, on shared and different bases", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const bases = [new Set([0, 1, 2, 3]), new Set([2, 3, 4, 5, 6]), undefined];
    for (let round = 0; round < 500; round++) {
      const base = bases[rand(3)];
      const a = new BasedSet(base);
      const plainA = new Set(base);
      const b = new BasedSet(rand(2) === 0 ? base : bases[rand(3)]);
      const plainB = new Set(b.base);
      for (let i = 0; i < 12; i++) {
        const [s, plain] = rand(2) === 0 ? [a, plainA] : [b, plainB];
        const x = rand(9);
        if (rand(2) === 0) (s.add(x), plain.add(x));
        else (s.delete(x), plain.delete(x));
      }
      const copy = a.copy();
      const before = sorted(plainA);
      const changed = copy.retainOnly(b);
      const expected = before.filter((x) => plainB.has(x));
      expect(sorted(copy)).toEqual(expected);
      expect(changed).toBe(expected.length !== before.length);
      expect(sorted(a)).toEqual(before); // the copy is its own
      for (let x = 0; x < 9; x++) expect(copy.has(x)).toBe(expected.includes(x));
    }
  });
});
