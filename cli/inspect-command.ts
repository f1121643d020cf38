/**
 * `async-machine inspect <file.ts|.js> [--function NAME] [--format text|json|mermaid|dot] [--expand]`
 *
 * In:  the command's argv, the working directory, an output sink.
 * Out: the file's machines in the chosen format on stdout; exit code 0, or 2 for a usage problem
 *      (missing or unreadable file, unknown flag or format, unknown function) with a message
 *      that says what to do, or 1 when the file has syntax errors (the report is still printed).
 *
 * Reads the file and plans it exactly as the transform does (transformer/inspect/file-report.ts);
 * nothing is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts = require("typescript");
import { inspectSource, type FileReport } from "../transformer/inspect/file-report";
import { formatText } from "../transformer/inspect/format-text";
import { formatDot, formatMermaid } from "../transformer/inspect/format-graph";
import { parseArgs, profileArgument, UsageError } from "./args";
import type { Io } from "./io";

export const INSPECT_HELP = `Usage: async-machine inspect <file> [options]

Prints the state machine of every async function in <file> (.ts, .tsx, .mts, .cts, .js, .jsx,
.mjs, .cjs): its states in order (Unresumed, Returned, Panicked, then one per await), each
await's line:column and awaited expression, the variables live across it with their frame
offsets, each state's record size, the frame size, and the transitions between states (normal,
loop, exception, finally). Async functions left native are listed with the reason.

Options:
  --function NAME   only the function(s) with this name (as listed; methods as Class.method)
  --format FORMAT   text (default), json, mermaid (stateDiagram-v2) or dot (Graphviz)
  --expand          also print the generated code of each function (text and json)
  --poll            the file is compiled in poll mode (the plugin's "poll" globs, the
                    compile command's --poll); a poll-mode function says "poll mode" (text)
                    or "mode": "poll" (json). /** @poll */ and /** @promise */ tags are
                    honoured either way
  --profile PROFILE development (default) or production: the build profile whose code
                    --expand prints (production: no state enum, no comments, shared short
                    names); the machines, and so the layout shown, are the same in both
  -h, --help        this help

Exit codes: 0 ok, 1 the file has syntax errors, 2 usage error.
The JSON format is documented in cli/README.md.
`;

const FORMATS = ["text", "json", "mermaid", "dot"] as const;
type Format = (typeof FORMATS)[number];
const EXTENSIONS = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

export function inspectCommand(argv: readonly string[], io: Io): number {
  const args = parseArgs(
    argv,
    {
      "--function": { value: true },
      "--format": { value: true },
      "--expand": { value: false },
      "--poll": { value: false },
      "--profile": { value: true },
      "--help": { value: false, aliases: ["-h"] },
    },
    "inspect",
  );
  if (args.values.has("--help")) {
    io.stdout(INSPECT_HELP);
    return 0;
  }
  if (args.positionals.length === 0)
    throw new UsageError("missing <file>. Usage: async-machine inspect <file.ts|.js> [--function NAME] [--format text|json|mermaid|dot] [--expand]");
  if (args.positionals.length > 1 || args.rest.length > 0)
    throw new UsageError(`inspect takes one file, got ${[...args.positionals, ...args.rest].map((p) => `'${p}'`).join(", ")}. Run it once per file.`);
  const format = (args.values.get("--format") ?? "text") as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${format}'. Use one of: ${FORMATS.join(", ")}.`);
  const expand = args.values.has("--expand");
  if (expand && (format === "mermaid" || format === "dot"))
    throw new UsageError(`--expand prints code, which ${format} cannot show. Use --format text or --format json with --expand.`);

  const file = args.positionals[0];
  const abs = path.resolve(io.cwd, file);
  if (!EXTENSIONS.test(file)) throw new UsageError(`'${file}' is not a TypeScript or JavaScript file. Pass a .ts, .tsx, .mts, .cts, .js, .jsx, .mjs or .cjs file.`);
  let text: string;
  try {
    text = fs.readFileSync(abs, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (error as Error).message;
    throw new UsageError(`cannot read '${file}': ${why}. Pass the path of one .ts or .js file (relative to ${io.cwd}).`);
  }
  const shown = (path.relative(io.cwd, abs) || file).split(path.sep).join("/");
  const profile = profileArgument(args.values.get("--profile"));
  let report = inspectSource(ts, text, shown, { expand, mode: args.values.has("--poll") ? "poll" : "promise", profile });

  const only = args.values.get("--function");
  if (typeof only === "string") report = selectFunction(report, only);

  io.stdout(render(report, format));
  if (report.syntaxErrors.length > 0) {
    io.stderr(`async-machine inspect: ${shown} has syntax errors, so the machines above may not match a build:\n${report.syntaxErrors.map((e) => `  ${shown}:${e}\n`).join("")}`);
    return 1;
  }
  return 0;
}

function selectFunction(report: FileReport, name: string): FileReport {
  const functions = report.functions.filter((f) => f.name === name);
  const skipped = report.skipped.filter((s) => s.name === name);
  if (functions.length === 0 && skipped.length === 0) {
    const known = [...new Set(report.functions.map((f) => f.name))];
    const native = [...new Set(report.skipped.map((s) => s.name))];
    const list = known.length + native.length === 0 ? "it has no async functions" : `its async functions are: ${[...known, ...native.map((n) => `${n} (left native)`)].join(", ")}`;
    throw new UsageError(`no async function named '${name}' in ${report.file}; ${list}. Pass one of these names to --function, or leave --function out to see all.`);
  }
  return { ...report, functions, skipped };
}

function render(report: FileReport, format: Format): string {
  switch (format) {
    case "text":
      return formatText(report);
    case "json":
      return JSON.stringify(report, null, 2) + "\n";
    case "mermaid":
      return formatMermaid(report);
    case "dot":
      return formatDot(report);
  }
}
