// B1 in poll mode: the same ping-pong over the runtime's channel (recv() is a future: no promise
// per message). `pong` runs while `ping` does, so it is spawned: a poll-mode call runs only when
// awaited. The functions are compiled with transform(src, { mode: "poll" }) like every workload.
import { channel, spawn, type Channel } from "async-machine/runtime";

async function ping(n: number, out: Channel<number>, back: Channel<number>): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out.send(i);
    const reply = (await back.recv()) as number;
    sum += reply;
  }
  out.send(-1);
  return sum;
}

async function pong(inbox: Channel<number>, reply: Channel<number>): Promise<number> {
  let count = 0;
  for (;;) {
    const value = (await inbox.recv()) as number;
    if (value < 0) return count;
    count++;
    reply.send(value * 2);
  }
}

export async function run(n: number): Promise<number> {
  const toPong = channel<number>();
  const toPing = channel<number>();
  const ponger = spawn(pong(toPong, toPing));
  const sum = await ping(n, toPong, toPing);
  const count = await ponger;
  return sum + count;
}
