/**
 * Options of the tsc plugin (`compilerOptions.plugins: [{ "transform": "async-machine/plugin", … }]`):
 * the type users write, its defaults, its validation, the include/exclude file filter, the
 * choice of runtime import style. (The TypeScript version gate is typescript-version.ts.)
 *
 * Glob matching uses `picomatch` rather than a hand-written matcher: it is small, has no
 * dependencies, is already in every vitest/vite install (tinyglobby, chokidar and micromatch
 * build on it), and gets the corners right that a hand-written matcher usually does not (braces,
 * character classes, extglobs, `**` at either end, dotfiles). Users also get the same glob
 * dialect as in their vite/vitest `include`/`exclude`.
 */
import * as path from "node:path";
import picomatch = require("picomatch");
import type * as ts from "typescript";
import { closestName } from "./did-you-mean";
import { DEFAULT_PROFILE, isProfile, PROFILES, type Profile } from "./profile";

/** The options a user writes in the plugin entry of tsconfig.json. */
export interface PluginOptions {
  /**
   * Globs of the files to transform, matched against paths relative to the directory of the
   * tsconfig.json (forward slashes, e.g. `"src/**\/*.ts"`). A pattern without glob characters
   * names a file or a whole directory (`"src"`). Absolute patterns match absolute paths.
   * Default: every file the program emits.
   */
  include?: string[];
  /**
   * Globs of files to leave alone, in the same form as `include`. They are added to the
   * built-in exclusions (`**\/node_modules/**`, `**\/*.d.ts`), which always apply.
   */
  exclude?: string[];
  /**
   * Turn every async function the transform has to leave native into a TypeScript error
   * (file, line, column, reason). Default `false`: such functions are counted in the summary.
   */
  strict?: boolean;
  /**
   * How generated code reaches the runtime. Default: `"require"` for files the program emits as
   * CommonJS, `"import"` for files it emits as ES modules (decided per file, so `.cts`/`.mts`
   * under `module: nodenext` each get the right one).
   */
  runtime?: "import" | "require";
  /** Module specifier of the runtime. Default `"async-machine/runtime/compiled"` (DEFAULT_RUNTIME_SPECIFIER). */
  runtimeSpecifier?: string;
  /**
   * What the plugin prints to stderr after an emit. `"summary"` (default): one line with the
   * counts. `"verbose"`: also one line per file and per function left native. `"silent"`: nothing.
   */
  report?: "summary" | "verbose" | "silent";
  /**
   * Globs (the form of `include`) of the files whose async functions are compiled in poll mode:
   * lazy, cancellable futures the executor runs (README "Poll mode"). Default none: promise mode.
   * A function's own `/** @poll *\/` or `/** @promise *\/` tag overrides its file's mode.
   */
  poll?: string[];
  /**
   * `"development"` (default): machines carry what task dumps, async stack traces and snapshots
   * read. `"production"`: they do not, and the output is smaller; the machines behave the same
   * (README "Profiles").
   */
  profile?: Profile;
}

/** Options after validation, with defaults filled in. */
export interface ResolvedPluginOptions {
  include: string[] | undefined;
  /** The built-in exclusions followed by the user's. */
  exclude: string[];
  strict: boolean;
  /** `undefined`: decided per file from the module format the program emits it in. */
  runtime: "import" | "require" | undefined;
  runtimeSpecifier: string;
  report: "summary" | "verbose" | "silent";
  /** Globs of poll-mode files; empty: none. */
  poll: string[];
  profile: Profile;
}

/** What generated code imports: the runtime entry that holds exactly what it calls (runtime/compiled.ts). */
export const DEFAULT_RUNTIME_SPECIFIER = "async-machine/runtime/compiled";
/** Always excluded, whatever the user's `exclude` says. */
export const BUILTIN_EXCLUDE: readonly string[] = ["**/node_modules/**", "**/*.d.ts"];

const OPTION_NAMES = ["include", "exclude", "strict", "runtime", "runtimeSpecifier", "report", "poll", "profile"] as const;
/** Keys ts-patch itself reads from a plugin entry; they may reach the plugin and are not ours to judge. */
const TS_PATCH_KEYS = new Set(["transform", "after", "afterDeclarations", "name", "type", "transformProgram", "import", "tsConfig", "resolvePathAliases"]);
const RUNTIMES = ["import", "require"] as const;
const REPORTS = ["summary", "verbose", "silent"] as const;

/** A problem with the plugin options in tsconfig.json. The message lists every problem found. */
export class PluginConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      problems.length === 1
        ? `async-machine: invalid plugin option in tsconfig.json: ${problems[0]}`
        : `async-machine: invalid plugin options in tsconfig.json:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "PluginConfigError";
    this.problems = problems;
  }
}

/**
 * Checks the raw plugin entry and fills in defaults. Throws `PluginConfigError` naming every bad
 * option, what it got and what it accepts.
 */
export function resolvePluginOptions(raw: unknown): ResolvedPluginOptions {
  const problems: string[] = [];
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new PluginConfigError([`the plugin entry must be an object, got ${describe(raw)}`]);
  }
  const opts = raw as Record<string, unknown>;

  for (const key of Object.keys(opts)) {
    if ((OPTION_NAMES as readonly string[]).includes(key) || TS_PATCH_KEYS.has(key)) continue;
    const near = closestName(key, OPTION_NAMES);
    problems.push(`unknown option "${key}"${near ? ` (did you mean "${near}"?)` : ""}; ` + `known options: ${OPTION_NAMES.join(", ")}`);
  }

  const include = globList(opts, "include", problems);
  const exclude = globList(opts, "exclude", problems);
  const poll = globList(opts, "poll", problems) ?? [];

  let strict = false;
  if (opts.strict !== undefined) {
    if (typeof opts.strict === "boolean") strict = opts.strict;
    else problems.push(`"strict" must be true or false, got ${describe(opts.strict)}`);
  }

  let runtime: ResolvedPluginOptions["runtime"];
  if (opts.runtime !== undefined) {
    if ((RUNTIMES as readonly unknown[]).includes(opts.runtime)) runtime = opts.runtime as "import" | "require";
    else {
      problems.push(`"runtime" must be "import" or "require", got ${describe(opts.runtime)} ` + `(leave it out to pick per file from the module format tsc emits)`);
    }
  }

  let runtimeSpecifier = DEFAULT_RUNTIME_SPECIFIER;
  if (opts.runtimeSpecifier !== undefined) {
    if (typeof opts.runtimeSpecifier === "string" && opts.runtimeSpecifier.trim() !== "") {
      runtimeSpecifier = opts.runtimeSpecifier;
    } else {
      problems.push(`"runtimeSpecifier" must be a non-empty module specifier string, got ${describe(opts.runtimeSpecifier)}`);
    }
  }

  let report: ResolvedPluginOptions["report"] = "summary";
  if (opts.report !== undefined) {
    if ((REPORTS as readonly unknown[]).includes(opts.report)) report = opts.report as ResolvedPluginOptions["report"];
    else problems.push(`"report" must be one of "summary", "verbose", "silent", got ${describe(opts.report)}`);
  }

  let profile: Profile = DEFAULT_PROFILE;
  if (opts.profile !== undefined) {
    if (isProfile(opts.profile)) profile = opts.profile;
    else problems.push(`"profile" must be one of ${PROFILES.map((p) => `"${p}"`).join(", ")}, got ${describe(opts.profile)}`);
  }

  if (problems.length > 0) throw new PluginConfigError(problems);
  return { include, exclude: [...BUILTIN_EXCLUDE, ...(exclude ?? [])], strict, runtime, runtimeSpecifier, report, poll, profile };
}

function globList(opts: Record<string, unknown>, key: "include" | "exclude" | "poll", problems: string[]): string[] | undefined {
  const value = opts[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    const hint = typeof value === "string" ? ` (write ["${value}"])` : "";
    problems.push(`"${key}" must be an array of glob strings such as ["src/**/*.ts"], got ${describe(value)}${hint}`);
    return undefined;
  }
  const out: string[] = [];
  value.forEach((item, i) => {
    if (typeof item !== "string" || item.trim() === "") {
      problems.push(`"${key}[${i}]" must be a non-empty glob string, got ${describe(item)}`);
    } else if (item.startsWith("!")) {
      problems.push(
        `"${key}[${i}]" is a negated glob ("${item}"); negation is not supported, ` +
          (key === "include" ? `put "${item.slice(1)}" in "exclude" instead` : `list what to exclude, and narrow "include" for the rest`),
      );
    } else {
      out.push(item);
    }
  });
  return out;
}

/** A path as globs see it: relative to `projectDir` when under it, forward slashes. */
export function toProjectPath(fileName: string, projectDir: string): string {
  const rel = path.relative(projectDir, fileName);
  return rel.split(path.sep).join("/").replace(/\\/g, "/");
}

/** One glob → a predicate on (project-relative, absolute) forward-slash paths. */
export function compileGlob(pattern: string): (relPath: string, absPath: string) => boolean {
  let p = pattern.replace(/\\/g, "/");
  const absolute = path.posix.isAbsolute(p) || /^[A-Za-z]:\//.test(p);
  if (!absolute) p = p.replace(/^(\.\/)+/, "");
  p = p.replace(/\/+$/, "");
  if (p === "" || p === ".") return () => true; // "./" or "." : the whole project
  const pick = (rel: string, abs: string) => (absolute ? abs : rel);
  if (!picomatch.scan(p).isGlob) {
    // A plain path names a file or a directory (as in tsconfig's "include").
    return (rel, abs) => {
      const s = pick(rel, abs);
      return s === p || s.startsWith(p + "/");
    };
  }
  const isMatch = picomatch(p, { dot: true });
  return (rel, abs) => isMatch(pick(rel, abs));
}

/** Whether `pattern` matches `fileName` (absolute or relative), resolved against `projectDir`. */
export function matchesGlob(pattern: string, fileName: string, projectDir: string): boolean {
  const abs = path.resolve(projectDir, fileName);
  return compileGlob(pattern)(toProjectPath(abs, projectDir), abs.replace(/\\/g, "/"));
}

/**
 * The include/exclude filter: a file is transformed when it matches some `include` pattern (or
 * `include` is not given) and no `exclude` pattern (built-in exclusions included).
 */
export function createFileFilter(options: Pick<ResolvedPluginOptions, "include" | "exclude">, projectDir: string): (fileName: string) => boolean {
  const include = options.include?.map(compileGlob);
  const exclude = options.exclude.map(compileGlob);
  return (fileName) => {
    const abs = path.resolve(projectDir, fileName);
    const rel = toProjectPath(abs, projectDir);
    const absSlash = abs.replace(/\\/g, "/");
    if (include && !include.some((m) => m(rel, absSlash))) return false;
    return !exclude.some((m) => m(rel, absSlash));
  };
}

/** The mode of a file's async functions: `"poll"` when it matches a `poll` glob, else `"promise"`. */
export function createModeOf(options: Pick<ResolvedPluginOptions, "poll">, projectDir: string): (fileName: string) => "promise" | "poll" {
  const poll = options.poll.map(compileGlob);
  return (fileName) => {
    if (poll.length === 0) return "promise";
    const abs = path.resolve(projectDir, fileName);
    return poll.some((m) => m(toProjectPath(abs, projectDir), abs.replace(/\\/g, "/"))) ? "poll" : "promise";
  };
}

/**
 * `"require"` when the program emits `sourceFile` as CommonJS, else `"import"`. Uses the
 * program's own per-file answer where the compiler exposes it (it knows `.cts`/`.mts` and
 * package.json `type` under node16/nodenext), else the `module` option.
 */
export function defaultRuntimeFor(tsApi: typeof ts, program: ts.Program, sourceFile: ts.SourceFile): "import" | "require" {
  const perFile = (program as { getEmitModuleFormatOfFile?: (f: ts.SourceFile) => ts.ModuleKind }).getEmitModuleFormatOfFile;
  if (typeof perFile === "function") {
    try {
      return perFile.call(program, sourceFile) === tsApi.ModuleKind.CommonJS ? "require" : "import";
    } catch {
      // fall through to the option-based answer
    }
  }
  const options = program.getCompilerOptions();
  const { ModuleKind, ScriptTarget } = tsApi;
  const module = options.module ?? ((options.target ?? ScriptTarget.ES5) >= ScriptTarget.ES2015 ? ModuleKind.ES2015 : ModuleKind.CommonJS);
  if (module >= ModuleKind.Node16 && module <= ModuleKind.NodeNext) {
    return sourceFile.impliedNodeFormat === ModuleKind.CommonJS ? "require" : "import";
  }
  return module === ModuleKind.CommonJS ? "require" : "import";
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
