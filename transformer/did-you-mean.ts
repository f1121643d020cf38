/**
 * "Did you mean …?" for a misspelled name: the known name nearest by edit distance, when it is
 * close enough to be a typo. One rule for the plugin's options (config.ts) and the command
 * line's flags (cli/args.ts), so both suggest the same way.
 *
 * Case is ignored (`--Format` suggests `--format`); the suggestion is spelled as known.
 */

/** The name of `known` nearest to `given`, or undefined when none is within typo distance. */
export function closestName(given: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(given.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(2, Math.floor(given.length / 3)) ? best : undefined;
}

/** Levenshtein distance (insert, delete, replace one character), one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
