#!/usr/bin/env node
/**
 * The `async-machine` binary (package.json `bin` → dist/cli/main.js). All logic is in run.ts.
 */
import { processIo } from "./io";
import { runCli } from "./run";

process.exitCode = runCli(process.argv.slice(2), processIo);
