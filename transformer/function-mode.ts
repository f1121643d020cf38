/**
 * Which mode a compiled function is emitted in. Promise mode (the default): the machine runs
 * itself through promises, with native timing. Poll mode: a call returns a lazy, cancellable
 * future the executor runs (README "Poll mode").
 *
 * The file's mode comes from the options (`transform(src, { mode: "poll" })`, the plugin's and
 * adapters' `poll` globs). A function chooses its own with a JSDoc tag, `@poll` or `@promise`, in
 * a `/** … *\/` comment right before it (or before the declaration or property it is the value
 * of); the async functions nested in it follow it unless they carry a tag themselves.
 *
 * The tag is read from the comment text, not from TypeScript's JSDoc nodes: tsc parses JSDoc
 * in `.ts` files only as far as type errors need it, so the nodes are absent in a tsc build.
 */
import type * as ts from "typescript";

export type FunctionMode = "promise" | "poll";

const TAG = /@(poll|promise)\b/;
const DOC_COMMENT = /\/\*\*[\s\S]*?\*\//g;

/** The mode of `fn` in a file of mode `fileMode`: its own tag, else its nearest tagged enclosing function's, else the file's. */
export function functionMode(T: typeof ts, fn: ts.FunctionLikeDeclaration, fileMode: FunctionMode): FunctionMode {
  for (let n: ts.Node | undefined = fn; n; n = n.parent) {
    if (!T.isFunctionLike(n)) continue;
    const tag = ownTag(T, n);
    if (tag) return tag;
  }
  return fileMode;
}

/** The tag in the doc comments before `fn`, or before the statement, declaration or property whose value it is. */
function ownTag(T: typeof ts, fn: ts.Node): FunctionMode | undefined {
  const sf = fn.getSourceFile();
  if (!sf) return undefined;
  const holders: ts.Node[] = [fn];
  let p = fn.parent;
  while (p && T.isParenthesizedExpression(p)) p = p.parent;
  if (p && (T.isVariableDeclaration(p) || T.isPropertyAssignment(p) || T.isPropertyDeclaration(p) || T.isExportAssignment(p) || T.isBinaryExpression(p))) {
    holders.push(p);
    if (T.isVariableDeclaration(p) && p.parent && T.isVariableDeclarationList(p.parent) && p.parent.parent && T.isVariableStatement(p.parent.parent)) holders.push(p.parent.parent);
    if (T.isBinaryExpression(p) && p.parent && T.isExpressionStatement(p.parent)) holders.push(p.parent);
  }
  for (const h of holders) {
    if (h.pos < 0) continue;
    // The trivia before the node: whitespace and comments only (`= /** @poll */ async () => …`
    // is a trailing comment to TypeScript's comment API, so the text is read directly).
    const trivia = sf.text.slice(h.pos, h.getStart(sf));
    const docs = trivia.match(DOC_COMMENT) ?? [];
    for (let i = docs.length - 1; i >= 0; i--) {
      const m = TAG.exec(docs[i]);
      if (m) return m[1] as FunctionMode;
    }
  }
  return undefined;
}
