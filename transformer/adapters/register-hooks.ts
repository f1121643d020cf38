/**
 * The ES module `load` hook of `async-machine/register` (runs on Node's loader thread): the
 * source the next hook returns (Node's, or tsx's JavaScript for a .ts file) is compiled before
 * Node evaluates it. CommonJS is handled on the main thread (register.ts).
 */
import { fileURLToPath } from "node:url";
import { compileLoaded } from "./compile-cache";

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: unknown) => Promise<LoadResult>;

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  if (result.format !== "module" || result.source == null || !url.startsWith("file:")) return result;
  const text = typeof result.source === "string" ? result.source : Buffer.from(result.source as Uint8Array).toString("utf8");
  return { ...result, source: compileLoaded(text, fileURLToPath(url), "import") };
}
