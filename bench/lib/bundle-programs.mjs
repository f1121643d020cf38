// The two programs whose bundles measure the runtime's cost: a small promise-mode program, and
// the same with the executor and combinators imported. One copy, read by the BUNDLE workload
// (bundle-size.mjs) and by test/runtime/bundle.test.ts, which holds the same sizes to the targets.

export const PROGRAM = `
async function load(id: number): Promise<number> {
  await null;
  return id * 2;
}
export async function total(ids: number[]): Promise<number> {
  let sum = 0;
  for (const id of ids) sum += await load(id);
  return sum;
}
`;

export const WITH_EXECUTOR = `
import { Executor, fromPromise, join, select, sleep } from "async-machine/runtime";
${PROGRAM}
export function both(): Promise<unknown> {
  return new Executor().run(select([join([fromPromise(total([1, 2])), sleep(1)]), sleep(1000)]));
}
`;
