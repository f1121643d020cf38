// S in poll mode: the same small function, n calls spawned as tasks on the executor and their
// handles joined in order (awaiting a task polls it: a finished one answers at once). Native
// joins its n promises with Promise.all; a lazy poll-mode call is a task only once spawned.
import { spawn, type Task } from "async-machine/runtime";

async function small(i: number): Promise<number> {
  const v = await i;
  return v & 7;
}

export async function run(n: number): Promise<number> {
  const tasks: Task<number>[] = new Array<Task<number>>(n);
  for (let i = 0; i < n; i++) tasks[i] = spawn(small(i));
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await tasks[i];
  return sum;
}
