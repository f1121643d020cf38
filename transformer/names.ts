/**
 * Every identifier the generated code introduces comes from here, so none can clash with a
 * name the source uses (sucrase's NameManager idea): a candidate is taken only if no
 * identifier in the file has that text and no earlier claim took it.
 */
export class NameManager {
  private readonly taken: Set<string>;
  /** Next suffix to try per base, so claiming the same base again is not a scan from 1. */
  private readonly nextSuffix = new Map<string, number>();

  constructor(namesInFile: Iterable<string>) {
    this.taken = new Set(namesInFile);
  }

  /** Returns `base`, or `base_1`, `base_2`, … — the first not used anywhere in the file. */
  claim(base: string): string {
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
