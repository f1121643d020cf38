/**
 * Scenario: the runtime's channel (runtime/channel.ts) between tasks — values arrive in order,
 * a waiting receiver is woken by send, close ends the stream, a dropped receiver's waker is
 * forgotten, and two tasks polling `recv()` get the same sums as a native
 * ping-pong over a promise channel.
 */
import { describe, expect, test } from "vitest";
import { channel, Context, Executor, noopWaker, PENDING, pollFn, type Waker } from "../../runtime/index";

function countingWaker(): Waker & { wakes: number } {
  const w = {
    wakes: 0,
    wake() {
      w.wakes++;
    },
  };
  return w;
}

describe("channel", () => {
  test("values queued before a receive come out in order; an empty channel is pending", () => {
    const ch = channel<number>();
    ch.send(1);
    ch.send(2);
    const cx = new Context(noopWaker);
    expect(ch.size).toBe(2);
    expect(ch.recv().poll(cx)).toBe(1);
    expect(ch.recv().poll(cx)).toBe(2);
    expect(ch.recv().poll(cx)).toBe(PENDING);
  });

  test("a send wakes the waiting receiver once; close wakes it and ends the stream", () => {
    const ch = channel<string>();
    const w = countingWaker();
    const cx = new Context(w);
    expect(ch.recv().poll(cx)).toBe(PENDING);
    ch.send("a");
    ch.send("b");
    expect(w.wakes).toBe(1);
    expect(ch.recv().poll(cx)).toBe("a");
    expect(ch.recv().poll(cx)).toBe("b");
    expect(ch.recv().poll(cx)).toBe(PENDING);
    ch.close();
    expect(w.wakes).toBe(2);
    expect(ch.recv().poll(cx)).toBe(undefined);
    expect(() => ch.send("c")).toThrow(TypeError);
  });

  test("a dropped receiver is not woken", () => {
    const ch = channel<number>();
    const w = countingWaker();
    const cx = new Context(w);
    expect(ch.recv().poll(cx)).toBe(PENDING);
    ch.drop(cx);
    ch.send(1);
    expect(w.wakes).toBe(0);
  });

  test("two tasks ping-pong through two channels: the same sums as native over promises", async () => {
    const n = 1000;
    // native, over a promise channel
    const nativeQueue: number[][] = [[], []];
    const nativeWaiting: (((v: number) => void) | undefined)[] = [undefined, undefined];
    const send = (k: number, v: number) => {
      const w = nativeWaiting[k];
      if (w) {
        nativeWaiting[k] = undefined;
        w(v);
      } else nativeQueue[k].push(v);
    };
    const recv = (k: number) => (nativeQueue[k].length ? Promise.resolve(nativeQueue[k].shift()!) : new Promise<number>((r) => (nativeWaiting[k] = r)));
    const nativePong = (async () => {
      let count = 0;
      for (;;) {
        const v = await recv(0);
        if (v < 0) return count;
        count++;
        send(1, v * 2);
      }
    })();
    let nativeSum = 0;
    for (let i = 0; i < n; i++) {
      send(0, i);
      nativeSum += await recv(1);
    }
    send(0, -1);
    const nativeCount = await nativePong;

    // poll mode, over the runtime channel: two futures that await recv() by polling it
    const ex = new Executor();
    const toPong = channel<number>();
    const toPing = channel<number>();
    let count = 0;
    const pong = ex.spawn(
      pollFn((cx) => {
        for (;;) {
          const v = toPong.recv().poll(cx);
          if (v === PENDING) return PENDING;
          if (v! < 0) return count;
          count++;
          toPing.send(v! * 2);
        }
      }),
    );
    let i = 0;
    let sum = 0;
    let sent = false;
    const ping = ex.spawn(
      pollFn((cx) => {
        for (;;) {
          if (i === n) {
            toPong.send(-1);
            return sum;
          }
          if (!sent) {
            toPong.send(i);
            sent = true;
          }
          const v = toPing.recv().poll(cx);
          if (v === PENDING) return PENDING;
          sum += v!;
          sent = false;
          i++;
        }
      }),
    );
    expect(await ping.promise).toBe(nativeSum);
    expect(await pong.promise).toBe(nativeCount);
  });
});
