/**
 * `async-machine build [-p tsconfig.json] [-- tsc options]`: builds a project through the plugin
 * with ts-patch's `tspc`, and refuses to build where the transform would silently not run.
 *
 * In:  argv, the working directory, an output sink.
 * Out: tspc's own output and exit code; or exit 1 with a message when the project's TypeScript
 *      is not 6.x (TypeScript 7 has no emit-transformer API and skips tsconfig plugins, so the
 *      build would "succeed" with native async: DESIGN, Dependencies) or ts-patch is missing;
 *      exit 2 when the tsconfig is missing or has no async-machine plugin entry.
 *
 * TypeScript and ts-patch are resolved from the project's directory first (what the project
 * installed), then from this package. tspc's path comes from ts-patch's package.json `bin`
 * (`ts-patch/bin/tspc` is not in its exports map), as examples/run.mjs does.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as ts from "typescript";
import { checkTypeScriptVersion } from "../transformer/typescript-version";
import { parseArgs, UsageError } from "./args";
import type { Io } from "./io";

export const BUILD_HELP = `Usage: async-machine build [-p <tsconfig.json>] [-- <tsc options>]

Builds the project with tspc (TypeScript + ts-patch), so the async-machine plugin in
compilerOptions.plugins compiles its async functions. Options after -- go to tspc
(for example: -- --outDir build --noEmitOnError).

Options:
  -p, --project PATH   the tsconfig.json, or a directory holding one (default: ./tsconfig.json)
  -h, --help           this help

Fails before building when the project's TypeScript is not 6.x (TypeScript 7 skips tsconfig
plugins and would build without the transform), when ts-patch is not installed, or when the
tsconfig has no { "transform": "async-machine/plugin" } entry. Otherwise exits with tspc's code.
`;

export function buildCommand(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, { "--project": { value: true, aliases: ["-p"] }, "--help": { value: false, aliases: ["-h"] } }, "build");
  if (args.values.has("--help")) {
    io.stdout(BUILD_HELP);
    return 0;
  }
  if (args.positionals.length > 0)
    throw new UsageError(
      `build takes no file arguments (got ${args.positionals.map((p) => `'${p}'`).join(", ")}). Name the project with -p <tsconfig.json>; pass tsc options after --.`,
    );

  let project = path.resolve(io.cwd, (args.values.get("--project") as string | undefined) ?? "tsconfig.json");
  if (fs.existsSync(project) && fs.statSync(project).isDirectory()) project = path.join(project, "tsconfig.json");
  if (!fs.existsSync(project)) throw new UsageError(`no tsconfig at '${path.relative(io.cwd, project) || project}'. Pass -p <path to tsconfig.json>.`);
  const projectDir = path.dirname(project);
  const fail = (message: string): number => {
    io.stderr(`async-machine build: ${message}\n`);
    return 1;
  };

  // 1. The TypeScript the project builds with must be 6.x.
  const typescriptPackage = resolveFrom(projectDir, "typescript/package.json");
  if (typescriptPackage === undefined) return fail(`cannot find TypeScript from ${projectDir}: npm i -D typescript@6 ts-patch@4`);
  const version = String(readJson(typescriptPackage).version);
  const problem = checkTypeScriptVersion({ version });
  if (problem) return fail(`${problem} (found at ${typescriptPackage})`);

  // 2. The tsconfig must load the plugin, or tspc builds without it.
  const plugins = configuredPlugins(project);
  if (typeof plugins === "string") return fail(plugins);
  if (!plugins.some((p) => /async-machine|transformer[\\/]plugin(\.js)?$/.test(p))) {
    throw new UsageError(
      `${path.relative(io.cwd, project) || project} has no async-machine plugin entry, so tspc would build without the transform. Add { "transform": "async-machine/plugin" } to compilerOptions.plugins.`,
    );
  }

  // 3. tspc from ts-patch.
  const tspcPackage = resolveFrom(projectDir, "ts-patch/package.json");
  if (tspcPackage === undefined) return fail(`cannot find ts-patch from ${projectDir}: npm i -D ts-patch@4 (tspc loads the plugin).`);
  const bin = readJson(tspcPackage).bin as Record<string, string> | undefined;
  if (!bin?.tspc) return fail(`${tspcPackage} declares no tspc binary; install ts-patch@4.`);
  const tspc = path.join(path.dirname(tspcPackage), bin.tspc);

  const tspcArgs = [tspc, "-p", project, ...args.rest];
  io.stderr(`> tspc -p ${path.relative(io.cwd, project) || project}${args.rest.length ? " " + args.rest.join(" ") : ""}\n`);
  const run = spawnSync(process.execPath, tspcArgs, { cwd: io.cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.stdout) io.stdout(run.stdout);
  if (run.stderr) io.stderr(run.stderr);
  if (run.error) return fail(`could not start tspc: ${run.error.message}`);
  if (run.signal) return fail(`tspc was killed by ${run.signal}.`);
  if (run.status !== 0) io.stderr(`async-machine build: tspc exited with code ${run.status}; see the errors above.\n`);
  return run.status ?? 1;
}

function resolveFrom(dir: string, request: string): string | undefined {
  for (const base of [path.join(dir, "package.json"), __filename]) {
    try {
      return createRequire(base).resolve(request);
    } catch {
      // try the next base
    }
  }
  return undefined;
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
}

/** The `transform` of every compilerOptions.plugins entry (following `extends`), or an error message. */
function configuredPlugins(project: string): string[] | string {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => undefined,
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(project, undefined, host);
  if (!parsed) return `cannot read ${project}.`;
  const fatal = parsed.errors.filter((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003 /* no inputs: tspc reports it */);
  if (fatal.length > 0) return `${project}: ${fatal.map((d) => ts.flattenDiagnosticMessageText(d.messageText, " ")).join("; ")}`;
  const plugins = (parsed.options.plugins ?? []) as Array<{ transform?: unknown }>;
  return plugins.map((p) => (typeof p.transform === "string" ? p.transform : "")).filter((t) => t !== "");
}
