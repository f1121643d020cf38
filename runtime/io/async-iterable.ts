/**
 * `chunks(reader)`: any reader with `readChunk()` (a Node or web stream reader) as an async
 * iterable, for `for await` consumers that live outside an executor.
 *
 * Each `next()` polls one chunk future with a waker of its own; the waker re-polls in a
 * microtask (a waker must not poll synchronously) and the promise settles when the future is
 * Ready: `{ done: true }` at end of stream, a rejection when the read throws. `return()` (a
 * `break` out of the loop) releases the reader.
 *
 * Example: `for await (const chunk of chunks(new NodeReader(socket))) use(chunk);`
 */
import { Context } from "../context";
import type { Future } from "../future";
import { PENDING } from "../poll";

export interface ChunkSource<T> {
  readChunk(): Future<T | null>;
  release(): void;
}

export function chunks<T>(source: ChunkSource<T>): AsyncIterableIterator<T> {
  return {
    next(): Promise<IteratorResult<T>> {
      return new Promise((resolve, reject) => {
        const future = source.readChunk();
        const step = (): void => {
          try {
            const value = future.poll(cx);
            if (value === PENDING) return;
            resolve(value === null ? { done: true, value: undefined } : { done: false, value });
          } catch (error) {
            reject(error);
          }
        };
        const cx = new Context({ wake: () => queueMicrotask(step) });
        step();
      });
    },
    return(): Promise<IteratorResult<T>> {
      source.release();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
