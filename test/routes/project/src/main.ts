import { check, double, isCompiled, total } from "./store";

/** Where a stack trace says an error was thrown in store.ts ("line:column"), as source maps give it. */
function thrownAt(error: unknown): string {
  const match = /store\.ts:(\d+):(\d+)/.exec(String((error as Error).stack));
  return match ? `${match[1]}:${match[2]}` : String((error as Error).stack);
}

async function main(): Promise<void> {
  const sum = await total(4);
  let at = "";
  try {
    await check(5);
  } catch (error) {
    at = thrownAt(error);
  }
  console.log(JSON.stringify({ sum, compiled: isCompiled(total) && isCompiled(double) && isCompiled(main), at }));
}

void main();
