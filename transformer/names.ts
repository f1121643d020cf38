/**
 * Every identifier the generated code introduces comes from here, so none can clash with a
 * name the source uses (sucrase's NameManager idea): a candidate is taken only if no
 * identifier in the file has that text and no claim still in force took it.
 *
 * Names a machine declares for itself (its resume function's parameters, registers and
 * temporaries, its wrapper's parameters) are only visible inside the functions that machine
 * emits. With `reuseAcrossFunctions`, such names are claimed inside `enterFunction()` …
 * `leaveFunction()` and given back at the end, so the next machine that is not nested in this
 * one gets the same names (`$m`, `$v`, `$operand`…) rather than `$m_17`: the same text again
 * and again, which gzip compresses far better (both profiles, profile.ts). A machine
 * nested in another is compiled while the outer one's names are still claimed, so its names
 * never shadow one the outer machine's code uses. Names that outlive the function (the resume
 * function and state enum declared beside it: `f$resume`, `f$State`) are claimed with
 * `claimForFile`, which is never given back.
 */
export class NameManager {
  private readonly taken: Set<string>;
  /** Next suffix to try per base, so claiming the same base again is not a scan from 1. */
  private readonly nextSuffix = new Map<string, number>();
  /** Per function being compiled (innermost last): the names claimed in it, given back at its end. */
  private readonly scopes: string[][] = [];

  constructor(
    namesInFile: Iterable<string>,
    private readonly reuseAcrossFunctions = false,
  ) {
    this.taken = new Set(namesInFile);
  }

  /** Returns `base`, or `base_1`, `base_2`, … — the first not taken; given back with the current function's names. */
  claim(base: string): string {
    const name = this.take(base);
    this.scopes[this.scopes.length - 1]?.push(name);
    return name;
  }

  /** As `claim`, for a name declared where the whole file (or the enclosing scope) sees it: never given back. */
  claimForFile(base: string): string {
    return this.take(base);
  }

  /** The names claimed from here to the matching `leaveFunction` belong to one function (see above). */
  enterFunction(): void {
    if (this.reuseAcrossFunctions) this.scopes.push([]);
  }

  /** Gives back the names claimed since the matching `enterFunction`. */
  leaveFunction(): void {
    const released = this.reuseAcrossFunctions ? this.scopes.pop() : undefined;
    if (released === undefined) return;
    for (const name of released) {
      this.taken.delete(name);
      // The next claim of the base scans from 1 again, so a sibling gets the lowest free names.
      this.nextSuffix.delete(name.replace(/_\d+$/, ""));
    }
  }

  private take(base: string): string {
    const clean = sanitize(base);
    let name = clean;
    let i = this.nextSuffix.get(clean) ?? 1;
    if (this.taken.has(name)) {
      for (name = `${clean}_${i}`; this.taken.has(name); name = `${clean}_${++i}`);
      this.nextSuffix.set(clean, i + 1);
    }
    this.taken.add(name);
    return name;
  }
}

function sanitize(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(s) ? `_${s}` : s || "_";
}
