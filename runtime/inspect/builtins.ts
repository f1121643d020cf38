/**
 * Reading Map and Set contents without running user code: the built-in iterators, taken when
 * the runtime loads, so a patched `Map.prototype[Symbol.iterator]`, an own `@@iterator` or a
 * patched iterator `next` is never called by a dump or a snapshot.
 */
const mapEntries = Map.prototype.entries;
const mapIteratorNext = Object.getPrototypeOf(new Map().entries()).next as (this: Iterator<[unknown, unknown]>) => IteratorResult<[unknown, unknown]>;
const setValues = Set.prototype.values;
const setIteratorNext = Object.getPrototypeOf(new Set().values()).next as (this: Iterator<unknown>) => IteratorResult<unknown>;

/** The entries of `map`, in order (at most `limit`). */
export function mapPairs(map: Map<unknown, unknown>, limit = Infinity): Array<[unknown, unknown]> {
  const out: Array<[unknown, unknown]> = [];
  const it = mapEntries.call(map);
  for (let r = mapIteratorNext.call(it); !r.done && out.length < limit; r = mapIteratorNext.call(it)) out.push(r.value);
  return out;
}

/** The values of `set`, in order (at most `limit`). */
export function setItems(set: Set<unknown>, limit = Infinity): unknown[] {
  const out: unknown[] = [];
  const it = setValues.call(set);
  for (let r = setIteratorNext.call(it); !r.done && out.length < limit; r = setIteratorNext.call(it)) out.push(r.value);
  return out;
}
