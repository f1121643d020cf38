// A2: the same loop awaiting an already-resolved native promise (one tick per await).
const ready: Promise<number> = Promise.resolve(1);

export async function run(n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += await ready;
  }
  return sum + n;
}
