/**
 * `race(futures)`: the outcome of the first future to settle — its value, or its error —
 * as `Promise.race` for futures. The others are cancelled and the race completes once they
 * have settled (select.ts, cleanup.ts), so no loser runs on or fails unobserved later.
 *
 * Example: `const first = await run(race([fetchFrom(a), fetchFrom(b)]));`
 */
import type { Context } from "../context";
import type { Future, FutureLike, Output } from "../future";
import { PENDING, type Poll } from "../poll";
import { SpawnOnThen } from "./spawn-on-then";
import { SelectFuture } from "./select";

export class RaceFuture<T> extends SpawnOnThen<T> implements Future<T> {
  private readonly select: SelectFuture<T>;

  constructor(futures: readonly FutureLike<T>[]) {
    super();
    this.select = new SelectFuture(futures);
  }

  poll(cx: Context): Poll<T> {
    const poll = this.select.poll(cx);
    return poll === PENDING ? PENDING : poll.value;
  }

  cancel(): void {
    this.select.cancel();
  }

  drop(cx?: Context): void {
    this.select.drop(cx);
  }
}

/** A future of the first of `futures` to settle. */
export function race<const F extends readonly FutureLike<unknown>[]>(futures: F): RaceFuture<Output<F[number]>> {
  return new RaceFuture(futures as unknown as readonly FutureLike<Output<F[number]>>[]);
}
