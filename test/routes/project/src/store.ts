// A compiled function is a plain function that returns a machine; a native one prints as `async`.
export async function double(n: number): Promise<number> {
  await null;
  return n * 2;
}

export async function total(count: number): Promise<number> {
  let sum: number = 0;
  for (let i = 0; i < count; i++) {
    sum += await double(i);
  }
  return sum;
}

export function isCompiled(fn: (...args: never[]) => unknown): boolean {
  return !/^async\b/.test(Function.prototype.toString.call(fn));
}

export async function check(limit: number): Promise<void> {
  await null;
  if (limit > 2) {
    // Rebuilt by the lowering (the message awaits): the throw and its `new Error` still map here.
    throw new Error(`over the limit: ${await double(limit)}`);
  }
}
