/**
 * `async-machine compile <dir|files…> [--out-dir DIR]`: the post-emit step for compilers that run
 * no plugins (TypeScript 7, swc, Babel…). Rewrites the async functions of emitted `.js`/`.mjs`/
 * `.cjs` files in place (or into DIR), chaining each file's existing source map so stack traces
 * and debuggers still lead to the original `.ts`.
 *
 * In:  argv, the working directory, an output sink.
 * Out: the rewritten files and their maps; a one-line summary on stderr; exit 0, or 1 when a file
 *      has syntax errors or (with --strict) an async function had to stay native, 2 on usage errors.
 *
 * Idempotent: compiled output has no async function left to compile, and a file in which nothing
 * is compiled is not written (in place) or copied as it is (with --out-dir), so a second run
 * changes nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { transform } from "../transformer/transform-text";
import type { RuntimeMode, TransformResult } from "../transformer/api";
import { findMapLink, inlineMapComment, readMap, type SourceMap } from "../transformer/adapters/source-map-comment";
import { createModeOf } from "../transformer/config";
import { parseArgs, profileArgument, UsageError } from "./args";
import type { Profile } from "../transformer/profile";
import type { Io } from "./io";

export const COMPILE_HELP = `Usage: async-machine compile <dir|file...> [options]

Rewrites the async functions of already emitted JavaScript (.js, .mjs, .cjs) into state machines,
in place or into --out-dir. Use it after a compiler that runs no plugins, e.g. TypeScript 7:

  tsc && async-machine compile dist

A file's source map (a //# sourceMappingURL comment: a .map file or an inline data: URL) is
chained, so the rewritten file still maps to the original .ts. Directories are walked
recursively (node_modules skipped). Running it twice changes nothing.

Options:
  --out-dir DIR              write the results (and maps) under DIR instead of in place
  --runtime import|require   how generated code reaches the runtime (default: per file:
                             .mjs import, .cjs require, .js import when it has import/export
                             syntax or the nearest package.json says "type": "module")
  --runtime-specifier SPEC   module specifier of the runtime (default async-machine/runtime)
  --poll GLOBS               files to compile in poll mode (lazy, cancellable futures; see
                             README "Poll mode"): comma-separated globs relative to the
                             working directory, e.g. --poll 'dist/engine/**'. A function's own
                             /** @poll */ or /** @promise */ comment overrides its file's mode
  --profile PROFILE          development (default) or production: production drops the state
                             names and metadata that task dumps, async stack traces and
                             snapshots read, for smaller output; machines behave the same
  --strict                   exit 1 when an async function has to stay native
  --verbose                  one line per file and per function left native
  -h, --help                 this help

Exit codes: 0 ok, 1 syntax errors in a file or (with --strict) functions left native, 2 usage error.
`;

const EMITTED = /\.(js|mjs|cjs)$/;

interface CompileSettings {
  runtime: RuntimeMode | undefined;
  runtimeSpecifier: string | undefined;
  /** A file's mode from the --poll globs. */
  modeOf: (file: string) => "promise" | "poll";
  profile: Profile;
}

export function compileCommand(argv: readonly string[], io: Io): number {
  const args = parseArgs(
    argv,
    {
      "--out-dir": { value: true },
      "--runtime": { value: true },
      "--runtime-specifier": { value: true },
      "--poll": { value: true },
      "--profile": { value: true },
      "--strict": { value: false },
      "--verbose": { value: false },
      "--help": { value: false, aliases: ["-h"] },
    },
    "compile",
  );
  if (args.values.has("--help")) {
    io.stdout(COMPILE_HELP);
    return 0;
  }
  const inputs = [...args.positionals, ...args.rest];
  if (inputs.length === 0) throw new UsageError("missing <dir|file>. Usage: async-machine compile <dir|file...> [--out-dir DIR]");
  const runtime = args.values.get("--runtime");
  if (runtime !== undefined && runtime !== "import" && runtime !== "require") throw new UsageError(`--runtime must be 'import' or 'require', got '${String(runtime)}'.`);
  const specifier = args.values.get("--runtime-specifier");
  const poll = args.values.get("--poll");
  const pollGlobs =
    typeof poll === "string"
      ? poll
          .split(",")
          .map((g) => g.trim())
          .filter((g) => g !== "")
      : [];
  const settings: CompileSettings = {
    runtime,
    runtimeSpecifier: typeof specifier === "string" ? specifier : undefined,
    modeOf: createModeOf({ poll: pollGlobs }, io.cwd),
    profile: profileArgument(args.values.get("--profile")),
  };
  const outDirArg = args.values.get("--out-dir");
  const outDir = typeof outDirArg === "string" ? path.resolve(io.cwd, outDirArg) : undefined;
  const verbose = args.values.has("--verbose");

  const files = collectFiles(inputs, io.cwd);
  let compiled = 0,
    filesChanged = 0,
    leftNative = 0,
    failed = 0;
  for (const { file, root } of files) {
    const target = outDir ? path.join(outDir, path.relative(root, file)) : file;
    const outcome = compileFile(file, target, settings);
    const shown = path.relative(io.cwd, file).split(path.sep).join("/") || file;
    for (const d of outcome.errors) io.stderr(`${shown}:${d.line}:${d.column}: error: ${d.message}\n`);
    if (outcome.errors.length > 0) failed++;
    compiled += outcome.compiled;
    leftNative += outcome.skipped.length;
    if (outcome.compiled > 0) filesChanged++;
    if (verbose) {
      io.stderr(`${shown}: ${outcome.compiled} compiled${outcome.skipped.length ? `, ${outcome.skipped.length} left native` : ""}\n`);
      for (const s of outcome.skipped) io.stderr(`  ${shown}:${s.line}:${s.column} ${s.name}: ${s.reason}\n`);
    }
  }
  io.stderr(
    `async-machine: ${compiled} async function${compiled === 1 ? "" : "s"} compiled in ${filesChanged} of ${files.length} file${files.length === 1 ? "" : "s"}, ${leftNative} left native${failed ? `, ${failed} with syntax errors` : ""}\n`,
  );
  if (failed > 0) return 1;
  return args.values.has("--strict") && leftNative > 0 ? 1 : 0;
}

/** The emitted files named by the arguments, each with the root its --out-dir path is relative to. */
function collectFiles(inputs: readonly string[], cwd: string): { file: string; root: string }[] {
  const out: { file: string; root: string }[] = [];
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(`cannot read '${input}': no such file or directory.`);
    }
    if (stat.isDirectory()) {
      for (const file of walk(abs)) out.push({ file, root: abs });
    } else if (EMITTED.test(abs)) {
      out.push({ file: abs, root: path.dirname(abs) });
    } else {
      throw new UsageError(`'${input}' is not emitted JavaScript. Pass a directory or .js, .mjs or .cjs files (compile the .ts with your compiler first).`);
    }
  }
  return out;
}

function walk(dir: string): string[] {
  const files: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") pending.push(full);
      } else if (entry.isFile() && EMITTED.test(entry.name)) {
        files.push(full);
      }
    }
  }
  return files.sort();
}

interface FileOutcome {
  compiled: number;
  skipped: TransformResult["skipped"];
  errors: TransformResult["diagnostics"];
}

function compileFile(file: string, target: string, settings: CompileSettings): FileOutcome {
  const code = fs.readFileSync(file, "utf8");
  const link = findMapLink(code);
  const inputMap = link ? readMap(link, file) : undefined;
  const result = transform(code, {
    fileName: path.basename(file),
    runtime: settings.runtime ?? runtimeFor(file, code),
    runtimeSpecifier: settings.runtimeSpecifier,
    mode: settings.modeOf(file),
    profile: settings.profile,
    // Emitted JavaScript's strictness is in its text ("use strict", module syntax).
    alwaysStrict: false,
    inputSourceMap: inputMap?.map,
  });
  const errors = result.diagnostics.filter((d) => d.category === "error");
  const outcome = { compiled: result.compiled, skipped: result.skipped, errors };
  if (result.compiled === 0 && target === file) return outcome;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (!link || !inputMap) {
    fs.writeFileSync(target, result.code);
    return outcome;
  }
  const map: SourceMap = result.compiled === 0 ? inputMap.map : { ...result.map };
  rebaseSources(map, inputMap.dir, path.dirname(target));
  map.file = path.basename(target);
  const outLink = findMapLink(result.code);
  if (link.inline && outLink) {
    fs.writeFileSync(target, result.code.slice(0, outLink.start) + inlineMapComment(map) + result.code.slice(outLink.end));
  } else {
    fs.writeFileSync(target, result.code);
    fs.writeFileSync(path.resolve(path.dirname(target), link.url), JSON.stringify(map));
  }
  return outcome;
}

/** Rewrites relative `sources` (and `sourceRoot`) so they still resolve from the map's new directory. */
function rebaseSources(map: SourceMap, fromDir: string, toDir: string): void {
  if (fromDir === toDir) return;
  const root = map.sourceRoot ?? "";
  map.sources = map.sources.map((s) => {
    if (s === null || /^[a-z][a-z0-9+.-]*:/i.test(s) || (path.isAbsolute(s) && root === "")) return s;
    const abs = path.resolve(fromDir, root, s);
    return path.relative(toDir, abs).split(path.sep).join("/");
  });
  delete map.sourceRoot;
}

/** `require` for CommonJS output, `import` for ES modules (by extension, syntax, then package.json). */
function runtimeFor(file: string, code: string): RuntimeMode {
  if (file.endsWith(".mjs")) return "import";
  if (file.endsWith(".cjs")) return "require";
  if (/^\s*(import\s*[\w*{"']|export\s)/m.test(code)) return "import";
  if (/\b(require\s*\(|exports\.|module\.exports)/.test(code)) return "require";
  return nearestPackageType(path.dirname(file)) === "module" ? "import" : "require";
}

function nearestPackageType(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      return (JSON.parse(fs.readFileSync(path.join(d, "package.json"), "utf8")) as { type?: string }).type ?? "commonjs";
    } catch {
      if (path.dirname(d) === d) return undefined;
    }
  }
}
