/**
 * One loaded module's compilation for the Node hook, with an on-disk cache keyed by the text,
 * the file name, the runtime style, the file's mode (`ASYNC_MACHINE_POLL`, register-options.ts)
 * and the package version, so a second start of the program
 * does not run the transform again. The cache lives in `node_modules/.cache/async-machine`
 * under the working directory (`ASYNC_MACHINE_CACHE=<dir>` moves it, `ASYNC_MACHINE_CACHE=0`
 * turns it off). The result carries an inline source map chained to the input's own map.
 * `ASYNC_MACHINE_PROFILE=production` compiles in the production profile (profile.ts; part of the key).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { transform } from "../transform-text";
import { registerModeOf } from "./register-options";
import { findMapLink, inlineMapComment, readMap } from "./source-map-comment";
import { DEFAULT_PROFILE, isProfile, PROFILES, type Profile } from "../profile";

const SCRIPT = /\.(?:[cm]?[jt]sx?)$/;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION = (require("../../../package.json") as { version: string }).version;
/** This package's own files (the runtime, the transform) are never compiled, wherever it is linked from. */
const OWN_ROOT = path.resolve(__dirname, "../../..") + path.sep;

function cacheDir(): string | undefined {
  const setting = process.env.ASYNC_MACHINE_CACHE;
  if (setting === "0") return undefined;
  return setting ? path.resolve(setting) : path.join(process.cwd(), "node_modules/.cache/async-machine");
}

/** The profile `ASYNC_MACHINE_PROFILE` names (default development); anything else is refused at once. */
function profileFromEnv(): Profile {
  const setting = process.env.ASYNC_MACHINE_PROFILE;
  if (setting === undefined || setting === "") return DEFAULT_PROFILE;
  if (isProfile(setting)) return setting;
  throw new Error(`async-machine: ASYNC_MACHINE_PROFILE must be one of ${PROFILES.join(", ")}, got "${setting}"`);
}

/** `code` with its async functions compiled, or `code` itself when there is nothing to do. */
export function compileLoaded(code: string, filename: string, runtime: "import" | "require"): string {
  if (!SCRIPT.test(filename) || /[\\/]node_modules[\\/]/.test(filename) || !code.includes("async") || filename.startsWith(OWN_ROOT)) return code;
  const dir = cacheDir();
  const mode = registerModeOf(filename);
  const profile = profileFromEnv();
  const key = createHash("sha256").update(`${VERSION}\0${runtime}\0${mode}\0${profile}\0${filename}\0${code}`).digest("hex");
  const cached = dir ? path.join(dir, key.slice(0, 2), `${key}.js`) : undefined;
  if (cached) {
    try {
      return fs.readFileSync(cached, "utf8");
    } catch {
      // not cached yet
    }
  }
  const link = findMapLink(code);
  const input = link ? readMap(link, filename) : undefined;
  const result = transform(code, { fileName: filename, runtime, inputSourceMap: input?.map, mode, profile });
  let out = code;
  if (result.compiled > 0) {
    const outLink = findMapLink(result.code);
    const body = outLink ? result.code.slice(0, outLink.start) + result.code.slice(outLink.end) : result.code + "\n";
    out = body + inlineMapComment(result.map) + "\n";
  }
  if (cached) {
    try {
      fs.mkdirSync(path.dirname(cached), { recursive: true });
      fs.writeFileSync(`${cached}.${process.pid}.tmp`, out);
      fs.renameSync(`${cached}.${process.pid}.tmp`, cached);
    } catch {
      // a read-only place: run without the cache
    }
  }
  return out;
}
