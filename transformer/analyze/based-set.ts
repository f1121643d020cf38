/**
 * A set of locals kept as its differences from a base set it shares with others.
 *
 * The clean-slot analysis (clean-slots.ts) starts each resume block with every field of its
 * state and copies the set along every block and edge. Copied whole, that is states × fields —
 * quadratic in `h(await a, await b, …)`, where each state keeps every value awaited before it.
 * Kept as what was removed from and added to the state's fields, a copy costs what changed since
 * the resume: a few locals. Only where sets from different bases meet (a join) is one of them
 * spelled out.
 *
 * Invariants: `minus` ⊆ base, `plus` ∩ base = ∅; the base is never changed.
 */

export class BasedSet implements Iterable<number> {
  constructor(
    /** The shared set the differences are from (none: the set is `plus`). */
    readonly base: ReadonlySet<number> | undefined,
    /** Locals of the base not in the set. */
    readonly minus: Set<number> = new Set(),
    /** Locals not in the base that are in the set. */
    readonly plus: Set<number> = new Set(),
  ) {}

  has(x: number): boolean {
    return this.plus.has(x) || (this.base !== undefined && this.base.has(x) && !this.minus.has(x));
  }

  add(x: number): void {
    if (this.base?.has(x)) this.minus.delete(x);
    else this.plus.add(x);
  }

  delete(x: number): void {
    if (this.plus.delete(x)) return;
    if (this.base?.has(x)) this.minus.add(x);
  }

  copy(): BasedSet {
    return new BasedSet(this.base, new Set(this.minus), new Set(this.plus));
  }

  /** Keeps only what `other` also holds; true if that removed something. One step per difference when both share a base. */
  retainOnly(other: BasedSet): boolean {
    let changed = false;
    if (other.base === this.base) {
      for (const x of other.minus) {
        if (!this.minus.has(x)) {
          this.minus.add(x);
          changed = true;
        }
      }
      for (const x of this.plus) {
        if (!other.plus.has(x)) {
          this.plus.delete(x);
          changed = true;
        }
      }
      return changed;
    }
    for (const x of this) {
      if (!other.has(x)) {
        this.delete(x);
        changed = true;
      }
    }
    return changed;
  }

  *[Symbol.iterator](): Iterator<number> {
    if (this.base !== undefined) for (const x of this.base) if (!this.minus.has(x)) yield x;
    yield* this.plus;
  }
}
