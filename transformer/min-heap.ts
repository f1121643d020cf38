/**
 * A binary min-heap of numbers (local ids, offsets) under a comparison: the linear scans that
 * give names and frame offsets (emit/profile-names.ts, layout/state-layout.ts) keep what is free
 * and what is in use in these, so each step costs log n, not a look at everything in use. Each
 * step it takes counts one in `counter.work` (the scaling tests' step counts).
 */

/** Ordered by `compare` (negative: a before b). */
export class MinHeap {
  private readonly items: number[] = [];
  constructor(private readonly compare: (a: number, b: number) => number) {}
  get size(): number {
    return this.items.length;
  }
  peek(): number {
    return this.items[0];
  }
  push(x: number, counter: { work: number }): void {
    const items = this.items;
    let i = items.push(x) - 1;
    while (i > 0) {
      counter.work++;
      const parent = (i - 1) >> 1;
      if (this.compare(items[parent], items[i]) <= 0) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }
  pop(counter: { work: number }): number {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      for (let i = 0; ;) {
        counter.work++;
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.compare(items[l], items[m]) < 0) m = l;
        if (r < items.length && this.compare(items[r], items[m]) < 0) m = r;
        if (m === i) break;
        [items[m], items[i]] = [items[i], items[m]];
        i = m;
      }
    }
    return top;
  }
}
