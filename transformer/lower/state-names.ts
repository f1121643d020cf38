/**
 * Names of suspend states, for the state enum and for people reading traces and reports:
 * `AwaitFetch_L12` — the awaited callee or property and the line of the `await`, `_2`, `_3`…
 * when one line awaits the same name twice.
 */
import type * as ts from "typescript";
import { skipOuterExpressions } from "../analyze/contains-await";
import { SuspendKind } from "./cfg";

/** An async generator's other suspends are named for what they do: `Yield_L12`, `YieldStar_L12`, `Return_L12`, `Start`. */
const KIND_WORDS: Partial<Record<SuspendKind, string>> = {
  [SuspendKind.Yield]: "Yield",
  [SuspendKind.YieldStar]: "YieldStar",
  [SuspendKind.AwaitReturn]: "Return",
};

export class StateNames {
  /** How many states of each base name (`AwaitFetch_L12`) were named so far. */
  private readonly claimed = new Map<string, number>();

  constructor(private readonly T: typeof ts) {}

  /** A fresh name for the state that awaits `awaited` on `line`. */
  claim(awaited: ts.Expression, line: number, kind = SuspendKind.Await): string {
    if (kind === SuspendKind.Start) return this.unique("Start");
    const kindWord = KIND_WORDS[kind];
    if (kindWord !== undefined) return this.unique(`${kindWord}_L${line}`);
    const T = this.T;
    let e = skipOuterExpressions(T, awaited);
    if (T.isCallExpression(e) || T.isNewExpression(e)) e = skipOuterExpressions(T, e.expression);
    let word = "";
    if (T.isIdentifier(e) || T.isPrivateIdentifier(e)) word = e.text;
    else if (T.isPropertyAccessExpression(e)) word = e.name.text;
    else if (T.isElementAccessExpression(e) && T.isStringLiteralLike(e.argumentExpression)) word = e.argumentExpression.text;
    else if (T.isAwaitExpression(e)) word = "Await";
    word = word.replace(/[^A-Za-z0-9_$]/g, "");
    return this.unique(word ? `Await${word[0].toUpperCase()}${word.slice(1)}_L${line}` : `Await_L${line}`);
  }

  /** `base`, or `base_2`, `base_3`… when taken. */
  private unique(base: string): string {
    // (A base ends in `_L<line>` or is `Start`, a suffixed name in `_<n>`: no base is another's suffixed name.)
    const count = (this.claimed.get(base) ?? 0) + 1;
    this.claimed.set(base, count);
    return count === 1 ? base : `${base}_${count}`;
  }
}

/** Source text on one line, at most 40 characters (`…` where cut). */
export function shortSource(text: string): string {
  // Only the start of the text is read: an await of a long expression (or of awaits nested
  // hundreds deep) costs no more than a short one.
  let one = "";
  for (let i = 0; i < text.length && one.length <= 40; i++) {
    const space = /\s/.test(text[i]);
    if (!space) one += text[i];
    else if (!one.endsWith(" ")) one += " ";
  }
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}
