// E in poll mode: the same task, spawned on the executor (a poll-mode call runs only when polled:
// `task` returns the spawned Task, which the harness awaits like native's promise).
import { getDefaultExecutor, spawn, type Task } from "async-machine/runtime";

export const probes: WeakRef<number[]>[] = [];

async function body(i: number, gate: Promise<number>): Promise<number> {
  const big: number[] = new Array<number>(1280).fill(i);
  const x = big[i % 1280] + big.length;
  if (i % 100 === 0) probes.push(new WeakRef(big));
  const g = await gate;
  return x + g;
}

export function task(i: number, gate: Promise<number>): Task<number> {
  return spawn(body(i, gate));
}

/** Resolves once the executor has polled every spawned task to its await (its drains yield to the host every 1024 polls). */
export function started(): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (getDefaultExecutor().readyCount === 0) resolve();
      else setImmediate(check);
    };
    setImmediate(check);
  });
}
