// S: spawning and completing many small tasks. Natively: n async calls, each awaiting once,
// joined with Promise.all. (Poll mode spawns n tasks on the executor and joins their handles.)
async function small(i: number): Promise<number> {
  const v = await i;
  return v & 7;
}

export async function run(n: number): Promise<number> {
  const calls: Promise<number>[] = new Array<Promise<number>>(n);
  for (let i = 0; i < n; i++) calls[i] = small(i);
  const values = await Promise.all(calls);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  return sum;
}
