/**
 * The poll-mode part of the example: this directory is compiled in poll mode (tsconfig.json's
 * `"poll": ["src/engine/**"]`), so `crawl(…)` returns a lazy, cancellable future instead of a
 * promise. A `timeout` that fires while it waits really stops it: the pending `sleep` clears its
 * timer, the `finally` block runs (once), the `catch` does not, and nothing keeps running.
 */
import { sleep } from "async-machine/runtime";

export interface CrawlLog {
  steps: number;
  finallyRuns: number;
  caught: number;
}

/** Fetches `pages` "pages" (a short sleep each), then waits on a server that never answers. */
export async function crawl(pages: number, log: CrawlLog): Promise<never> {
  try {
    for (let i = 0; i < pages; i++) {
      await sleep(1);
      log.steps++;
    }
    await sleep(60_000); // the slow server: only a cancellation ends this wait
    throw new Error("unreachable: the slow server answered");
  } catch (error) {
    log.caught++; // an ordinary error would land here; a cancellation does not
    throw error;
  } finally {
    log.finallyRuns++;
  }
}
