#!/usr/bin/env node
/**
 * The `async-machine` binary (package.json `bin` → dist/cli/main.js). All logic is in run.ts.
 */
import { processIo } from "./io";
import { runCli } from "./run";

// `async-machine inspect … | head`: a reader that stops early ends the output quietly, as for
// other command-line tools, instead of an EPIPE stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = runCli(process.argv.slice(2), processIo);
