// B1: two async functions ping-ponging values through a promise channel.
class Channel<T> {
  private waiting: ((value: T) => void) | undefined = undefined;
  private queue: T[] = [];
  send(value: T): void {
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      waiting(value);
    } else {
      this.queue.push(value);
    }
  }
  recv(): Promise<T> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift() as T);
    return new Promise<T>((resolve) => {
      this.waiting = resolve;
    });
  }
}

async function ping(n: number, out: Channel<number>, back: Channel<number>): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out.send(i);
    const reply = await back.recv();
    sum += reply;
  }
  out.send(-1);
  return sum;
}

async function pong(inbox: Channel<number>, reply: Channel<number>): Promise<number> {
  let count = 0;
  for (;;) {
    const value = await inbox.recv();
    if (value < 0) return count;
    count++;
    reply.send(value * 2);
  }
}

export async function run(n: number): Promise<number> {
  const toPong = new Channel<number>();
  const toPing = new Channel<number>();
  const ponger = pong(toPong, toPing);
  const sum = await ping(n, toPong, toPing);
  const count = await ponger;
  return sum + count;
}
