/**
 * The TypeScript version gate, one for every entry (the tsc plugin, the library's
 * `transform()`, `async-machine build`): the transform needs TypeScript 6.x. TypeScript 7 (the
 * native port) has no emit-transformer API and silently skips tsconfig plugins, which would ship
 * native async code unannounced.
 */

/** The part of the TypeScript module the version check reads (`async-machine build` passes the package.json's `version`). */
export interface TypeScriptVersionInfo {
  versionMajorMinor?: string;
  version?: string;
}

/**
 * `undefined` when this TypeScript can run the transform, else the error message to show.
 * TypeScript 7 is refused (building with it would silently produce output without the
 * transform), as is anything older than 6.0.
 */
export function checkTypeScriptVersion(tsApi: TypeScriptVersionInfo | undefined | null): string | undefined {
  const found: unknown = tsApi?.versionMajorMinor ?? tsApi?.version;
  const m = typeof found === "string" ? /^(\d+)\.(\d+)/.exec(found) : null;
  if (!m) {
    const shown = found === undefined ? "nothing" : typeof found === "string" ? JSON.stringify(found) : String(found);
    return `async-machine needs TypeScript 6.x, but could not read the version of the TypeScript it was loaded by (got ${shown}).`;
  }
  const major = Number(m[1]);
  if (major >= 7) {
    return (
      `async-machine needs TypeScript 6.x: TypeScript 7 has no emit-transformer API, so a build with it ` +
      `would skip this plugin and leave every async function native. Found TypeScript ${String(found)}. ` +
      `Build with TypeScript 6 (npm i -D typescript@6 ts-patch@4, then tspc), or transform the emitted ` +
      `JavaScript in a post-emit step instead.`
    );
  }
  if (major < 6) {
    return `async-machine needs TypeScript 6.x (with ts-patch 4); found TypeScript ${String(found)}. Upgrade with npm i -D typescript@6 ts-patch@4.`;
  }
  return undefined;
}

/** Throws a clear error unless `tsApi` is TypeScript 6.x. */
export function assertSupportedTypeScript(tsApi: TypeScriptVersionInfo | undefined | null): void {
  const problem = checkTypeScriptVersion(tsApi);
  if (problem) throw new Error(problem);
}
