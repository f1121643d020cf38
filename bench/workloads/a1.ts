// A1: a tight loop awaiting a plain (non-promise) value. Each `await` costs one microtask tick.
export async function run(n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += await i;
  }
  return sum;
}
