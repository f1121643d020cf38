/**
 * Command-line parsing for `async-machine`: positional arguments and `--flag value`,
 * `--flag=value`, `-p value` options, checked against each command's known flags.
 *
 * In:  argv after the command name, the command's flag table.
 * Out: `{ positionals, values, rest }` or a UsageError whose message says what to type instead
 *      (an unknown flag gets a "did you mean" when one is close).
 *
 * Invariant: nothing here reads files or prints; errors are values the caller turns into exit 2.
 */
import { closestName } from "../transformer/did-you-mean";
import { DEFAULT_PROFILE, isProfile, PROFILES, type Profile } from "../transformer/profile";

export class UsageError extends Error {
  override name = "UsageError";
}

export interface FlagSpec {
  /** Takes a value (`--format json`) or is a switch (`--expand`). */
  readonly value: boolean;
  /** Other spellings (`-p` for `--project`). */
  readonly aliases?: readonly string[];
}

export interface ParsedArgs {
  readonly positionals: string[];
  /** By canonical flag name: the value, or `true` for a switch. */
  readonly values: Map<string, string | true>;
  /** Everything after a bare `--`. */
  readonly rest: string[];
}

export function parseArgs(argv: readonly string[], flags: Readonly<Record<string, FlagSpec>>, command: string): ParsedArgs {
  const canonical = new Map<string, string>();
  for (const [name, spec] of Object.entries(flags)) {
    canonical.set(name, name);
    for (const alias of spec.aliases ?? []) canonical.set(alias, name);
  }
  const positionals: string[] = [];
  const values = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") return { positionals, values, rest: argv.slice(i + 1) };
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const given = eq >= 0 ? arg.slice(0, eq) : arg;
    const name = canonical.get(given);
    if (name === undefined) {
      const close = closestName(given, [...canonical.keys()]);
      throw new UsageError(`unknown option '${given}' for '${command}'${close ? ` (did you mean '${close}'?)` : ""}. Run 'async-machine ${command} --help' for the options.`);
    }
    const spec = flags[name];
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`option '${given}' takes no value.`);
      values.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith("-")) value = argv[++i];
    if (value === undefined || value === "") throw new UsageError(`option '${given}' needs a value.`);
    if (values.has(name)) throw new UsageError(`option '${given}' given twice.`);
    values.set(name, value);
  }
  return { positionals, values, rest: [] };
}

/** The value of `--profile` (transformer/profile.ts): development when absent. */
export function profileArgument(value: string | true | undefined): Profile {
  if (value === undefined) return DEFAULT_PROFILE;
  if (isProfile(value)) return value;
  throw new UsageError(`--profile must be ${PROFILES.map((p) => `'${p}'`).join(" or ")}, got '${String(value)}'.`);
}
