/**
 * The `async-machine` command: dispatches to `inspect`, `build` and `compile`, and turns usage errors into
 * exit code 2 with the message on stderr. `main.ts` calls it with the real process; tests call it
 * in-process with buffers.
 *
 * Exit codes: 0 ok; 1 the command failed (syntax errors, a failed or refused build, a bug);
 * 2 usage error (unknown command or flag, missing file, unknown function).
 */
import { UsageError } from "./args";
import { buildCommand } from "./build-command";
import { compileCommand } from "./compile-command";
import { inspectCommand } from "./inspect-command";
import type { Io } from "./io";

export const HELP = `Usage: async-machine <command> [options]

Commands:
  inspect <file>   print the state machines generated for a file's async functions
                   (async-machine inspect --help for options)
  build            build a project with tspc through the async-machine plugin
                   (async-machine build --help for options)
  compile <dir>    rewrite already emitted .js/.mjs/.cjs (after TypeScript 7's tsc, say),
                   chaining their source maps (async-machine compile --help for options)

Options:
  -h, --help       this help
  -v, --version    the package version
`;

export function runCli(argv: readonly string[], io: Io): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "inspect":
        return inspectCommand(rest, io);
      case "build":
        return buildCommand(rest, io);
      case "compile":
        return compileCommand(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(HELP);
        return command === undefined ? 2 : 0;
      case "--version":
      case "-v":
        io.stdout(`${packageVersion()}\n`);
        return 0;
      default:
        throw new UsageError(`unknown command '${command}'. Commands: inspect, build, compile (async-machine --help).`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`async-machine: ${error.message}\n`);
      return 2;
    }
    io.stderr(`async-machine: internal error (please report it with the command you ran): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

function packageVersion(): string {
  // cli/ sits one level below the package root in the sources and two below it in dist/.
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === "async-machine" && pkg.version) return pkg.version;
    } catch {
      // try the next
    }
  }
  return "unknown";
}
