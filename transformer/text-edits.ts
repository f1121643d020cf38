/**
 * Applies the transform's text edits (replace a range, insert at a position) to a file's text and
 * builds the source map of the result: every untouched token maps to itself, and generated text
 * maps through the segments its printer recorded (print-mapped.ts), so lines of a machine that
 * run user code lead to the user's line and column.
 *
 * Lines are split on "\n" in both texts (as magic-string and most map consumers do); mappings
 * of untouched text are placed at each token start, which is what a stack frame or a breakpoint
 * needs without a segment per character.
 */
import { encode, type SourceMapSegment } from "@jridgewell/sourcemap-codec";
import type { Segment } from "./print-mapped";

export interface TextEdit {
  /** Range of the original text this edit replaces; `start === end` inserts. */
  start: number;
  end: number;
  text: string;
  /** Mappings inside `text` (line and column relative to its start); none: the text is unmapped. */
  segments?: readonly Segment[];
  /**
   * Among edits at the same `start`: lower first. Inserts before a replacement starting at the
   * same place; a prelude put before everything uses a negative rank.
   */
  rank: number;
}

export interface EditedText {
  code: string;
  /** Encoded `mappings` of a source map with the one source (index 0). */
  mappings: string;
}

export function applyEdits(source: string, edits: readonly TextEdit[]): EditedText {
  const ordered = edits.map((edit, seq) => ({ edit, seq })).sort((a, b) => a.edit.start - b.edit.start || a.edit.rank - b.edit.rank || a.seq - b.seq);
  const out: string[] = [];
  const lines: SourceMapSegment[][] = [[]];
  let genColumn = 0;
  // Original position of `cursor`, tracked as the text is walked once from the start.
  let cursor = 0,
    srcLine = 0,
    srcColumn = 0;

  const advanceGenerated = (text: string) => {
    let from = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
      lines.push([]);
      from = nl + 1;
    }
    genColumn = from === 0 ? genColumn + text.length : text.length - from;
  };
  const copyOriginal = (to: number) => {
    for (let p = cursor; p < to; p++) {
      const ch = source.charCodeAt(p);
      if (ch === 10) {
        lines.push([]);
        genColumn = 0;
        srcLine++;
        srcColumn = 0;
        continue;
      }
      if (startsToken(source, p, cursor)) lines[lines.length - 1].push([genColumn, 0, srcLine, srcColumn]);
      genColumn++;
      srcColumn++;
    }
    out.push(source.slice(cursor, to));
    cursor = to;
  };
  const skipOriginal = (to: number) => {
    for (let p = cursor; p < to; p++) {
      if (source.charCodeAt(p) === 10) {
        srcLine++;
        srcColumn = 0;
      } else {
        srcColumn++;
      }
    }
    cursor = to;
  };

  for (const { edit } of ordered) {
    if (edit.start < cursor) throw new Error(`async-machine: overlapping edits at ${edit.start}`);
    copyOriginal(edit.start);
    const firstLine = lines.length - 1;
    const firstColumn = genColumn;
    out.push(edit.text);
    advanceGenerated(edit.text);
    for (const [line, column, originalLine, originalColumn] of edit.segments ?? []) {
      lines[firstLine + line].push([line === 0 ? firstColumn + column : column, 0, originalLine, originalColumn]);
    }
    skipOriginal(edit.end);
  }
  copyOriginal(source.length);
  return { code: out.join(""), mappings: encode(lines) };
}

/** A token starts at `p`: the first character copied, or a non-space after a space or a change of word/punctuation. */
function startsToken(source: string, p: number, from: number): boolean {
  const ch = source.charCodeAt(p);
  if (isSpace(ch)) return false;
  if (p === from) return true;
  const prev = source.charCodeAt(p - 1);
  return isSpace(prev) || isWord(prev) !== isWord(ch) || !isWord(ch);
}

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 13 || ch === 10;
}

function isWord(ch: number): boolean {
  return (ch >= 48 && ch <= 57) || (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === 36 || ch === 95 || ch > 127;
}
