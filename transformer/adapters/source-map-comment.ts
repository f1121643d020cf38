/**
 * The `//# sourceMappingURL=` comment of generated JavaScript: finding it, reading the map it
 * names (a file beside the code or an inline `data:` URL), and writing an inline one. Shared by
 * `async-machine compile` and the Node module hook.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TransformResult } from "../api";

export type SourceMap = TransformResult["map"] & { sourceRoot?: string };

export interface MapLink {
  url: string;
  inline: boolean;
  /** The comment's range in the text. */
  start: number;
  end: number;
}

export function findMapLink(code: string): MapLink | undefined {
  const re = /\/\/[#@] sourceMappingURL=(\S+)[ \t]*$/gm;
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(code); m !== null; m = re.exec(code)) last = m;
  if (!last) return undefined;
  return { url: last[1], inline: last[1].startsWith("data:"), start: last.index, end: last.index + last[0].length };
}

/** The map a link names and the directory its relative `sources` resolve from; undefined when unreadable. */
export function readMap(link: MapLink, file: string): { map: SourceMap; dir: string } | undefined {
  try {
    if (link.inline) {
      const comma = link.url.indexOf(",");
      const header = link.url.slice(0, comma);
      const body = link.url.slice(comma + 1);
      const text = header.endsWith(";base64") ? Buffer.from(body, "base64").toString("utf8") : decodeURIComponent(body);
      return { map: JSON.parse(text) as SourceMap, dir: path.dirname(file) };
    }
    const mapFile = path.resolve(path.dirname(file), decodeURIComponent(link.url));
    return { map: JSON.parse(fs.readFileSync(mapFile, "utf8")) as SourceMap, dir: path.dirname(mapFile) };
  } catch {
    return undefined;
  }
}

export function inlineMapComment(map: SourceMap): string {
  return `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}`;
}
