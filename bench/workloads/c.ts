// C: a deep async call tree, compiled code calling compiled code: async fib(n).
async function fib(n: number): Promise<number> {
  if (n < 2) return n;
  return (await fib(n - 1)) + (await fib(n - 2));
}

export function run(n: number): Promise<number> {
  return fib(n);
}
