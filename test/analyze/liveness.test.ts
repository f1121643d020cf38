// Liveness and layout are plain data: tested here without a TypeScript Program.
import { describe, expect, test } from "vitest";
import { computeLiveness, liveInSets, type FlowBlock, type Runs } from "../../transformer/analyze/liveness";
import { computeStateLayout, fieldSetAt, fieldsOfState, holdsOffsetAt, keepsLocalAt, runsMeet } from "../../transformer/layout/state-layout";

/** Live sets per state position as runs, in the order liveness lists them (first position, then local id). */
function runsFrom(liveAcross: ReadonlyArray<{ live: ReadonlySet<number> }>): Map<number, Runs> {
  const runs = new Map<number, number[]>();
  liveAcross.forEach(({ live }, p) => {
    for (const x of live) {
      const r = runs.get(x);
      if (r === undefined) runs.set(x, [p, p]);
      else if (r[r.length - 1] === p - 1) r[r.length - 1] = p;
      else r.push(p, p);
    }
  });
  return new Map([...runs].sort((a, b) => a[1][0] - b[1][0] || a[0] - b[0]));
}
const layoutOf = (liveAcross: ReadonlyArray<{ state: number; live: ReadonlySet<number> }>, captured: number[], preferred?: Map<number, number>) =>
  computeStateLayout(
    liveAcross.map((l) => l.state),
    runsFrom(liveAcross),
    captured,
    preferred,
  );

/** Per block, its live-in set. */
const liveInOf = (blocks: FlowBlock[]) => ({ liveIn: liveInSets(blocks, computeLiveness(blocks)) });

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
    const { liveIn } = liveInOf(blocks);
    expect([...liveIn[1]]).toEqual([1]);
    expect(liveIn[1].has(0)).toBe(false);
  });

  test("a value written again before any read is not live", () => {
    // 0: x = 1; suspend → 1;  1: x = 2; use x
    const blocks = [block([op([], [0])], [1]), block([op([], [0]), op([0])], [])];
    expect(liveInOf(blocks).liveIn[1].size).toBe(0);
  });

  test("loops carry values around the back edge", () => {
    // 0: i = 0 → 1;  1: branch i < n → 2 | 3;  2: suspend → 4;  4: i++ → 1;  3: return
    const blocks = [block([op([], [0])], [1]), block([], [2, 3], [0, 1]), block([], [4]), block([], []), block([op([0], [0])], [1])];
    const { liveIn } = liveInOf(blocks);
    expect([...liveIn[4]].sort()).toEqual([0, 1]);
  });

  test("a handler's live values are live throughout its region, except what the handler entry writes", () => {
    // 0 (region → 2): suspend → 1;  1 (region → 2): throws;  2: catch: e = $err; log(a, e)
    const blocks = [block([], [1], [], { block: 2, defs: [9] }), block([op([])], [], [], { block: 2, defs: [9] }), block([op([5, 9])], [])];
    const { liveIn } = liveInOf(blocks);
    expect(liveIn[1].has(5)).toBe(true);
    expect(liveIn[1].has(9)).toBe(false);
  });

  test("an edge that writes a local kills it on that edge only", () => {
    // 0 → 1 with defs {3}; 1 reads 3
    const blocks: FlowBlock[] = [{ ops: [], termUses: new Set(), successors: [{ block: 1, defs: new Set([3]) }] }, block([op([3])], [])];
    expect(liveInOf(blocks).liveIn[0].has(3)).toBe(false);
  });

  test("a kept statement's jump carries the target's live values", () => {
    // 0: [stmt with break → 2] → 1;  1: return;  2: use 7
    const blocks = [block([op([], [], [{ block: 2 }])], [1]), block([], []), block([op([7])], [])];
    expect(liveInOf(blocks).liveIn[0].has(7)).toBe(true);
  });
});

describe("computeStateLayout", () => {
  test("locals never live across the same await share an offset", () => {
    const layout = layoutOf(
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
    expect(fieldsOfState(layout, 5)).toEqual([
      [1, 0],
      [3, 1],
    ]);
  });

  test("captured locals get their own array and never enter a state's fields", () => {
    const layout = layoutOf([{ state: 3, live: new Set([1, 2]) }], [2]);
    expect(layout.captureOf.get(2)).toBe(0);
    expect(layout.capturedSize).toBe(1);
    expect(fieldsOfState(layout, 3)).toEqual([[1, 0]]);
    expect(layout.frameSize).toBe(1);
  });

  test("a machine with no awaits has an empty frame", () => {
    const layout = layoutOf([], []);
    expect(layout.frameSize).toBe(0);
    expect(layout.states).toEqual([]);
  });
});

describe("computeStateLayout: preferred offsets", () => {
  test("a parameter keeps the offset it arrives at when nothing conflicts, others fill the rest", () => {
    // state 3 keeps locals 7 (a temporary), 1 (parameter 0) and 2 (parameter 1)
    const layout = layoutOf(
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
    const layout = layoutOf(
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
    const layout = layoutOf(
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
    const layout = layoutOf(liveAcross, []);
    expect(layout.frameSize).toBe(n - 1);
    expect(layout.occupied.every((runs) => runs.length === 2)).toBe(true);
    expect(layout.occupied[5]).toEqual([6, n - 1]);
  });
});

/** The classic equations, block by block to a fixed point: the reference the chains must agree with. */
function referenceLiveIn(blocks: readonly FlowBlock[]): Set<number>[] {
  const liveIn = blocks.map(() => new Set<number>());
  for (let changed = true; changed;) {
    changed = false;
    for (let b = blocks.length - 1; b >= 0; b--) {
      const block = blocks[b];
      const live = new Set<number>();
      const addEdge = (e: { block: number; defs?: ReadonlySet<number> }) => liveIn[e.block].forEach((x) => e.defs?.has(x) || live.add(x));
      block.successors.forEach(addEdge);
      block.termUses.forEach((u) => live.add(u));
      for (let i = block.ops.length - 1; i >= 0; i--) {
        block.ops[i].defs.forEach((d) => live.delete(d));
        block.ops[i].uses.forEach((u) => live.add(u));
        block.ops[i].exits.forEach(addEdge);
      }
      if (block.handler) addEdge(block.handler);
      if (live.size !== liveIn[b].size || [...live].some((x) => !liveIn[b].has(x))) ((liveIn[b] = live), (changed = true));
    }
  }
  return liveIn;
}

/** A small seeded generator (mulberry32): the same graphs on every run. */
function random(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % n) as number;
  };
}

/** A random flow graph: mostly straight runs of blocks, with branches, back edges, jumps out of ops and handlers. */
function randomGraph(rand: (n: number) => number): FlowBlock[] {
  const n = 2 + rand(14);
  const locals = 1 + rand(8);
  const someLocals = (k: number) => Array.from({ length: rand(k + 1) }, () => rand(locals));
  const handlerOf = Array.from({ length: n }, () => (rand(4) === 0 ? { block: rand(n), defs: someLocals(1) } : undefined));
  return Array.from({ length: n }, (_, b) => {
    const successors = b + 1 < n && rand(5) > 0 ? [b + 1] : [];
    if (rand(4) === 0) successors.push(rand(n));
    const ops = Array.from({ length: rand(4) }, () => op(someLocals(2), someLocals(1), rand(8) === 0 ? [{ block: rand(n) }] : []));
    const edges = successors.map((s) => ({ block: s, defs: rand(6) === 0 ? new Set(someLocals(1)) : undefined }));
    const h = handlerOf[b] ?? (b > 0 && rand(2) === 0 ? handlerOf[b - 1] : undefined);
    return { ops, termUses: new Set(someLocals(1)), successors: edges, handler: h && { block: h.block, defs: new Set(h.defs) } };
  });
}

describe("computeLiveness: chains and runs", () => {
  test("agrees with the block-by-block equations on random graphs, live-in sets and runs", () => {
    const rand = random(1234);
    for (let round = 0; round < 2000; round++) {
      const blocks = randomGraph(rand);
      const resumes = [...new Set(Array.from({ length: rand(blocks.length) }, () => rand(blocks.length)))];
      const expected = referenceLiveIn(blocks);
      const liveness = computeLiveness(blocks, resumes);
      expect(
        liveInSets(blocks, liveness).map((s) => [...s].sort()),
        `round ${round}`,
      ).toEqual(expected.map((s) => [...s].sort()));
      const expectedRuns = runsFrom(resumes.map((b) => ({ live: expected[b] })));
      expect([...liveness.liveRuns], `round ${round}`).toEqual([...expectedRuns]);
    }
  });

  /** `h(await g(0), …, await g(n-1))` as a flow graph: value k is written before await k+1 and read at the end. */
  const awaitChain = (n: number): { blocks: FlowBlock[]; resumes: number[] } => {
    const blocks: FlowBlock[] = [block([], [1])];
    const resumes: number[] = [];
    for (let k = 0; k < n; k++) {
      resumes.push(blocks.length);
      blocks.push(block([op([], [k])], [blocks.length + 1]));
    }
    blocks.push(block([op(Array.from({ length: n }, (_, k) => k))], []));
    return { blocks, resumes };
  };

  test("h(await g(0), …, await g(n-1)): each value is one run, found in steps linear in n", () => {
    const n = 300;
    const { blocks, resumes } = awaitChain(n);
    const { liveRuns, headIn } = computeLiveness(blocks, resumes);
    expect(headIn.size).toBe(1); // one chain
    expect(liveRuns.size).toBe(n - 1);
    expect(liveRuns.get(0)).toEqual([1, n - 1]);
    expect(liveRuns.get(n - 2)).toEqual([n - 1, n - 1]);
    expect([...liveRuns.keys()].slice(0, 3)).toEqual([0, 1, 2]); // by first position
  });

  test("the work grows linearly with the awaits whose values stay live (the block-by-block sets grow with their square)", () => {
    const work = (n: number) => {
      const { blocks, resumes } = awaitChain(n);
      return computeLiveness(blocks, resumes).work;
    };
    const liveInSizes = (n: number) => referenceLiveIn(awaitChain(n).blocks).reduce((sum, s) => sum + s.size, 0);
    expect(work(800) / work(200)).toBeLessThan(4.5);
    // What a per-block analysis holds grows as n²: the measure above is not trivially linear.
    expect(liveInSizes(800) / liveInSizes(200)).toBeGreaterThan(15);
  });

  test("a loop's values live around the back edge: runs over the loop's awaits, a hole where a value is not yet written", () => {
    // 0: i = 0 → 1;  1: branch i < n → 2 | 5;  2: suspend → 3;  3: x = i; suspend → 4;  4: use x; i++ → 1;  5: return
    const blocks = [block([op([], [0])], [1]), block([], [2, 5], [0, 1]), block([], [3]), block([op([0], [2])], [4]), block([op([2, 0], [0])], [1]), block([], [])];
    const { liveRuns } = computeLiveness(blocks, [3, 4]);
    expect(liveRuns.get(0)).toEqual([0, 1]);
    expect(liveRuns.get(1)).toEqual([0, 1]);
    expect(liveRuns.get(2)).toEqual([1, 1]);
  });
});

describe("a state's fields, asked local by local", () => {
  test("fieldSetAt and keepsLocalAt agree with the spelled-out fields at every position", () => {
    const liveAcross = [
      { state: 3, live: new Set([1, 3]) },
      { state: 4, live: new Set([1, 3]) },
      { state: 5, live: new Set([2, 3]) },
      { state: 6, live: new Set([3, 1, 4]) },
    ];
    // Asked first (the first state's fields are listed from the runs), then after every state's are spelled out.
    const fresh = layoutOf(liveAcross, []);
    expect([...fieldSetAt(fresh, 0)].sort()).toEqual([1, 3]);
    liveAcross.forEach(({ state, live }, p) => {
      const set = fieldSetAt(fresh, p);
      for (let x = 0; x < 6; x++) {
        expect(set.has(x)).toBe(live.has(x));
        expect(keepsLocalAt(fresh, x, p)).toBe(live.has(x));
      }
      expect([...set].sort()).toEqual([...live].sort());
      expect(set.size).toBe(live.size);
      expect(
        fieldsOfState(fresh, state)!
          .map(([l]) => l)
          .sort(),
      ).toEqual([...live].sort());
    });
  });
});
