// B2: a chain of awaits on promises resolved from the macrotask queue (setImmediate).
function later<T>(value: T): Promise<T> {
  return new Promise<T>((resolve) => {
    setImmediate(resolve, value);
  });
}

export async function run(n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const value = await later(i);
    sum += value;
  }
  return sum;
}
