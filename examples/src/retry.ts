import { sleep } from "./sleep";

export interface RetryResult<T> {
  value: T;
  attempts: number;
  /** The backoff delays waited before each retry, in milliseconds. */
  delays: number[];
}

/**
 * Calls `operation` until it succeeds, at most `attempts` times, waiting `baseDelayMs`,
 * 2x, 4x, … between tries. Rethrows the last error when every attempt fails.
 */
export async function retry<T>(operation: (attempt: number) => Promise<T>, { attempts, baseDelayMs }: { attempts: number; baseDelayMs: number }): Promise<RetryResult<T>> {
  const delays: number[] = [];
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const value = await operation(attempt);
      return { value, attempts: attempt, delays };
    } catch (error) {
      lastError = error;
      if (attempt === attempts) break;
      const delay = baseDelayMs * 2 ** (attempt - 1);
      delays.push(delay);
      await sleep(delay);
    }
  }
  throw new Error(`gave up after ${attempts} attempts: ${(lastError as Error).message}`);
}
