/**
 * The example program: writes a few text files to a temp directory, counts their words with a
 * concurrency-limited pool, reads a "busy" file with retries and timer backoff, handles a missing
 * file, and always removes the directory. Prints a deterministic report (no paths, no timings).
 */
import { existsSync } from "node:fs";
import { types } from "node:util";
import { DOCUMENTS, ScratchDir, countWords, tryRead } from "./corpus";
import { mapWithLimit } from "./pool";
import { retry } from "./retry";
import { spawn, timeout, TimeoutError } from "async-machine/runtime";
import { crawl, type CrawlLog } from "./engine/crawl";

const CONCURRENCY = 2;

async function main(): Promise<number> {
  const lines: string[] = [];
  const scratch = await ScratchDir.create("async-machine-example-");
  let exitCode = 0;
  try {
    const names = Object.keys(DOCUMENTS);
    const files = await mapWithLimit(names, CONCURRENCY, (name) => scratch.write(name, DOCUMENTS[name]));
    const counted = await mapWithLimit(files.results, CONCURRENCY, countWords);

    lines.push(`word counts (${names.length} files, at most ${counted.maxInFlight} read at once, limit ${CONCURRENCY}):`);
    names.forEach((name, i) => lines.push(`  ${name.padEnd(12)} ${String(counted.results[i]).padStart(3)} words`));
    const total = counted.results.reduce((a, b) => a + b, 0);
    lines.push(`  ${"total".padEnd(12)} ${String(total).padStart(3)} words`);

    // A file that is "busy" for its first two reads: retry with backoff until it is readable.
    const summaryFile = await scratch.write("summary.txt", `${total} words in ${names.length} files`);
    const busyReads = 2;
    const summary = await retry(
      async (attempt) => {
        if (attempt <= busyReads) throw new Error(`EBUSY: summary.txt is busy (attempt ${attempt})`);
        return (await tryRead(summaryFile)) as { ok: true; text: string };
      },
      { attempts: 4, baseDelayMs: 5 },
    );
    lines.push(`summary: "${summary.value.text}" read on attempt ${summary.attempts}` + ` after backoff ${summary.delays.map((d) => `${d}ms`).join(" + ")}`);

    // A read that fails is handled, not thrown.
    const missing = await tryRead(`${scratch.path}/missing.txt`);
    lines.push(`missing.txt: ${missing.ok ? "unexpectedly present" : `${missing.code} (handled)`}`);

    // A retry that never succeeds ends in an error the caller catches.
    try {
      await retry(
        async () => {
          throw new Error("always down");
        },
        { attempts: 2, baseDelayMs: 1 },
      );
      lines.push("always-down: unexpectedly succeeded");
      exitCode = 1;
    } catch (error) {
      lines.push(`always-down: ${(error as Error).message}`);
    }

    // Poll mode (src/engine/): a timeout that really cancels. crawl() fetches 2 pages, then waits
    // on a server that never answers; the timeout cancels it there: its finally runs once, its
    // catch does not, and the 60 s sleep's timer is cleared (so the process exits right away).
    const log: CrawlLog = { steps: 0, finallyRuns: 0, caught: 0 };
    const lazy = crawl(2, log);
    const startedByCall = log.steps > 0 || log.finallyRuns > 0;
    try {
      await spawn(timeout(lazy, 500));
      lines.push("poll mode: crawl unexpectedly finished");
      exitCode = 1;
    } catch (error) {
      const timedOut = error instanceof TimeoutError;
      lines.push(
        `poll mode: ${timedOut ? "timed out" : `failed (${String(error)})`} after ${log.steps} pages;` +
          ` finally ran ${log.finallyRuns}x, catch ran ${log.caught}x; the call alone ran ${startedByCall ? "some" : "none"} of it`,
      );
      if (!timedOut || log.finallyRuns !== 1 || log.caught !== 0 || startedByCall) exitCode = 1;
    }
  } catch (error) {
    lines.push(`FAILED: ${(error as Error).stack ?? String(error)}`);
    exitCode = 1;
  } finally {
    await scratch.dispose();
    lines.push(`cleanup: scratch directory ${existsSync(scratch.path) ? "still there" : "removed"}`);
  }
  lines.push(`compiled by async-machine: ${isNativeAsync(countWords) ? "no (native async functions)" : "yes (state machines)"}`);
  console.log(lines.join("\n"));
  return exitCode;
}

/**
 * A compiled function looks like an async function (its prototype is AsyncFunction.prototype),
 * but the engine knows better: only a native one is an async function to V8.
 */
function isNativeAsync(fn: Function): boolean {
  return types.isAsyncFunction(fn);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
