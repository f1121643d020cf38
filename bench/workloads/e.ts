// E: memory. Each task allocates a 10 KiB local whose last use is before its only await, then
// suspends on a shared gate. The harness starts 100 000 of them, collects garbage and measures
// the heap bytes retained per suspended task; `probes` holds weak references to every 100th
// local, so the harness also counts how many dead locals are still reachable.
export const probes: WeakRef<number[]>[] = [];

export async function task(i: number, gate: Promise<number>): Promise<number> {
  const big: number[] = new Array<number>(1280).fill(i);
  const x = big[i % 1280] + big.length;
  if (i % 100 === 0) probes.push(new WeakRef(big));
  const g = await gate;
  return x + g;
}
