/**
 * Test support for the I/O leaves: `task(function* () { … })` writes a task body as a generator
 * that yields futures (the value of `yield f` is f's value; an error f throws is thrown at the
 * `yield`), so a connection handler reads like the async function it stands for. Dropping the
 * task drops the future it waits on and runs the generator's `finally` blocks (`return()`).
 * Also: a handle-leak check over `process.getActiveResourcesInfo()`.
 */
import { Context, PENDING, type Future, type Poll } from "../../runtime/index";

type Body<T> = Generator<Future<unknown>, T, unknown>;

class GeneratorFuture<T> implements Future<T> {
  private current: Future<unknown> | undefined = undefined;
  private started = false;
  private finished = false;

  constructor(private readonly body: Body<T>) {}

  poll(cx: Context): Poll<T> {
    let step: IteratorResult<Future<unknown>, T>;
    if (!this.started) {
      this.started = true;
      step = this.body.next();
    } else {
      let value: Poll<unknown>;
      try {
        value = this.current!.poll(cx);
      } catch (error) {
        this.current = undefined;
        return this.advance(cx, () => this.body.throw(error));
      }
      if (value === PENDING) return PENDING;
      this.current = undefined;
      step = this.body.next(value);
    }
    return this.advance(cx, () => step);
  }

  /** Runs the generator until it waits on a pending future or finishes. */
  private advance(cx: Context, first: () => IteratorResult<Future<unknown>, T>): Poll<T> {
    let step = first();
    for (;;) {
      if (step.done) {
        this.finished = true;
        return step.value;
      }
      const future = step.value;
      let value: Poll<unknown>;
      try {
        value = future.poll(cx);
      } catch (error) {
        step = this.body.throw(error);
        continue;
      }
      if (value === PENDING) {
        this.current = future;
        return PENDING;
      }
      step = this.body.next(value);
    }
  }

  drop(cx: Context): void {
    if (this.finished) return;
    this.finished = true;
    const current = this.current;
    this.current = undefined;
    current?.drop?.(cx);
    this.body.return(undefined as T);
  }
}

/** A future that runs `body` (see the module comment). */
export function task<T>(body: () => Body<T>): Future<T> {
  return new GeneratorFuture(body());
}

/** Yields to the host event loop `n` times (I/O callbacks and timers get to run). */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setTimeout(resolve, 5));
}

/** The host's active handles and requests by type, the waiting helper's own timer left out. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/**
 * Waits until the active resources are back to `before` (closes finish a few loop turns after
 * `destroy()`), then returns them. Gives up after many turns and returns what is left, so a leak
 * fails the test's `toEqual` instead of hanging it.
 */
export async function settledResources(before: Record<string, number>): Promise<Record<string, number>> {
  let now = activeResources();
  for (let i = 0; i < 400 && JSON.stringify(withoutTimers(now)) !== JSON.stringify(withoutTimers(before)); i++) {
    await turns(1);
    now = activeResources();
  }
  return withoutTimers(now);
}

/** The counts without the 'Timeout' entries the waiting itself creates. */
export function withoutTimers(counts: Record<string, number>): Record<string, number> {
  const { Timeout: _timeout, ...rest } = counts;
  return Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The active resources once the loop is quiet (the same for three turns in a row): the
 * baseline a test compares against, with the closes of earlier tests finished.
 */
export async function quietResources(): Promise<Record<string, number>> {
  let last = JSON.stringify(withoutTimers(activeResources()));
  for (let same = 0, i = 0; same < 3 && i < 200; i++) {
    await turns(1);
    const now = JSON.stringify(withoutTimers(activeResources()));
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return activeResources();
}
