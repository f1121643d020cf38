// G: an async generator of n values consumed with `for await` (one next() promise, one yield
// and one await of the step per value).
async function* numbers(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

export async function run(n: number): Promise<number> {
  let sum = 0;
  for await (const v of numbers(n)) sum += v;
  return sum + n;
}
