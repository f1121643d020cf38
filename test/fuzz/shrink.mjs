// Delta debugging over a generated program tree (see generate.mjs for the node kinds).
//
// `shrink(tree, stillFails, budget)` repeatedly tries smaller variants, in this order, and keeps
// the first that still fails, until none does (or the budget runs out):
//   1. delete whole functions;
//   2. delete chunks of statements from every statement list (halves, quarters, ... single);
//   3. replace a compound statement by the statements of one of its parts (an `if` by its then
//      branch, a loop by its body, a `try` by its block/handler/finalizer...), drop an `else`,
//      a `catch` or a `finally`;
//   4. replace an expression by `0`, or by one of its sub-expressions (`await x` -> `x`), drop a
//      destructuring default or a loop's extra condition.
// Loop bounds and counters are printed, not nodes, so no candidate can loop forever.

const STMT_LISTS = {
  program: ["main"],
  fn: ["body"],
  if: ["then", "else"],
  for: ["body"],
  forof: ["body"],
  forawait: ["body"],
  forin: ["body"],
  while: ["body"],
  dowhile: ["body"],
  block: ["body"],
  try: ["body", "handler", "fin"],
};

/** Expression-holding fields of statements and expressions (arrays allowed). */
const EXPR_FIELDS = {
  decl: ["e"],
  assignstmt: ["e"],
  log: ["args"],
  exprstmt: ["e"],
  if: ["c"],
  forof: ["subject"],
  forawait: ["subject"],
  forin: ["subject"],
  while: ["extra"],
  dowhile: ["extra"],
  switch: ["disc"],
  throw: ["e"],
  return: ["e"],
  closure: ["body"],
  destructure: ["defaults", "src", "key"],
  bin: ["a", "b"],
  un: ["a"],
  cond: ["c", "a", "b"],
  call: ["args"],
  rawcall: ["args"],
  mcall: ["args"],
  optcall: ["args"],
  supercall: ["args"],
  elemcall: ["key", "args"],
  dyncall: ["callee", "args"],
  member: ["obj"],
  elem: ["obj", "key"],
  tmpl: ["exprs"],
  arr: ["items"],
  spread: ["e"],
  seq: ["a", "b"],
  new: ["args"],
  await: ["e"],
  assign: ["e"],
  delete: ["obj", "key"],
  classexpr: ["key", "value"],
  newerror: ["e"],
  ochain: ["base", "paren"],
  anon: ["key"],
  classx: ["key", "arg"],
  privin: ["obj"],
  privset: ["e"],
  fnslot: ["init"],
  dpat: ["src"],
  classdecl: ["key", "staticKey"],
};

/** Expressions held in sub-structures (object properties, chain links, pattern nodes): [field, node] pairs. */
function innerExprs(n) {
  const out = [];
  if (n.k === "obj")
    n.props.forEach((p, i) => {
      for (const f of ["value", "computed", "spread", "proto"]) if (p[f]) out.push([["props", i, f], p[f]]);
    });
  if (n.k === "ochain")
    n.links.forEach((l, i) => {
      if (l.key) out.push([["links", i, "key"], l.key]);
      if (l.call) l.call.forEach((a, j) => out.push([["links", i, "call", j], a]));
    });
  if (n.k === "dpat") {
    const walk = (p, path) => {
      if (!p) return;
      if (p.dflt) out.push([[...path, "dflt"], p.dflt]);
      if (p.pk === "id" && p.t.key) out.push([[...path, "t", "key"], p.t.key]);
      if (p.pk === "arr") p.elems.forEach((x, i) => walk(x, [...path, "elems", i]));
      if (p.pk === "obj") p.props.forEach((x, i) => (x.key && out.push([[...path, "props", i, "key"], x.key]), walk(x.pat, [...path, "props", i, "pat"])));
      if (p.rest) walk(p.rest, [...path, "rest"]);
    };
    walk(n.pat, ["pat"]);
  }
  return out;
}

const get = (root, path) => path.reduce((o, k) => o[k], root);
const clone = (x) => structuredClone(x);

/** Every statement list in the tree: paths to arrays of statements, outermost first. */
function stmtLists(root) {
  const out = [];
  const visitStmt = (s, path) => {
    if (!s || typeof s !== "object") return;
    for (const f of STMT_LISTS[s.k] ?? []) if (Array.isArray(s[f])) visitList([...path, f]);
    if (s.k === "labeled") visitStmt(s.body, [...path, "body"]);
    if (s.k === "switch") s.cases.forEach((c, i) => visitList([...path, "cases", i, "body"]));
  };
  const visitList = (path) => {
    out.push(path);
    get(root, path).forEach((s, i) => visitStmt(s, [...path, i]));
  };
  visitList(["main"]);
  root.fns.forEach((f, i) => visitStmt(f, ["fns", i]));
  return out;
}

/** Every expression slot: { path, node }, outermost first. */
function exprSlots(root) {
  const out = [];
  const visitExpr = (e, path) => {
    if (!e || typeof e !== "object" || !e.k) return;
    out.push({ path, node: e });
    visitChildren(e, path);
  };
  const visitChildren = (n, path) => {
    for (const f of EXPR_FIELDS[n.k] ?? []) {
      const v = n[f];
      if (Array.isArray(v)) v.forEach((x, i) => visitExpr(x, [...path, f, i]));
      else visitExpr(v, [...path, f]);
    }
    for (const [sub, x] of innerExprs(n)) visitExpr(x, [...path, ...sub]);
    if (n.k === "switch") n.cases.forEach((c, i) => c.test && c.test.k === "await" && visitExpr(c.test, [...path, "cases", i, "test"]));
  };
  for (const listPath of stmtLists(root)) {
    get(root, listPath).forEach((s, i) => {
      const p = [...listPath, i];
      visitChildren(s, p);
      for (let b = s, bp = p; b.k === "labeled"; bp = [...bp, "body"], b = b.body) visitChildren(b.body, [...bp, "body"]);
    });
  }
  return out;
}

/** Direct sub-expressions of an expression node. */
function childExprs(e) {
  const out = [];
  for (const f of EXPR_FIELDS[e.k] ?? []) {
    const v = e[f];
    if (Array.isArray(v)) for (const x of v) x && x.k && x.k !== "spread" && out.push(x);
    else if (v && v.k) out.push(v);
  }
  for (const [, x] of innerExprs(e)) if (x.k) out.push(x);
  return out;
}

/** Candidate trees, most aggressive first. */
function* candidates(tree) {
  // 1. whole functions
  for (let i = tree.fns.length - 1; i >= 0; i--) {
    const c = clone(tree);
    c.fns.splice(i, 1);
    yield c;
  }
  // 2. statement chunks
  for (const path of stmtLists(tree)) {
    const len = get(tree, path).length;
    for (let size = len; size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
      for (let start = 0; start + size <= len; start += size) {
        const c = clone(tree);
        get(c, path).splice(start, size);
        yield c;
      }
    }
  }
  // 3. compound statements
  for (const path of stmtLists(tree)) {
    const list = get(tree, path);
    for (let i = 0; i < list.length; i++) {
      let s = list[i];
      const replaceWith = (stmts) => {
        const c = clone(tree);
        get(c, path).splice(i, 1, ...clone(stmts));
        return c;
      };
      if (s.k === "labeled") {
        yield replaceWith([s.body]);
        s = s.body;
      }
      for (const f of STMT_LISTS[s.k] ?? []) if (Array.isArray(s[f])) yield replaceWith(s[f]);
      if (s.k === "switch") for (const cs of s.cases) yield replaceWith(cs.body);
      const tweak = (fn) => {
        const c = clone(tree);
        let t = get(c, [...path, i]);
        if (t.k === "labeled") t = t.body;
        try {
          fn(t);
        } catch {
          return null; // a tweak that does not apply to this node
        }
        return c;
      };
      if (s.k === "if" && s.else) yield tweak((t) => (t.else = null));
      if (s.k === "try" && s.handler && s.fin) {
        yield tweak((t) => ((t.handler = null), (t.param = null)));
        yield tweak((t) => (t.fin = null));
      }
      if (s.k === "try" && s.param && s.handler) yield tweak((t) => ((t.param = null), (t.handler = t.handler.filter((x) => !(x.k === "log" && x.label.startsWith("caught"))))));
      if (s.k === "switch" && s.cases.length > 1) for (let j = 0; j < s.cases.length; j++) yield tweak((t) => t.cases.splice(j, 1));
      if ((s.k === "while" || s.k === "dowhile") && s.awaitFn) yield tweak((t) => (t.awaitFn = null));
    }
  }
  // 4. expressions
  for (const { path, node } of exprSlots(tree)) {
    const parentField = path[path.length - 1];
    const parent = get(tree, path.slice(0, -1));
    const put = (v) => {
      const c = clone(tree);
      get(c, path.slice(0, -1))[parentField] = clone(v);
      return c;
    };
    if (Array.isArray(parent) && path[path.length - 2] === "defaults") yield put(null);
    if (parentField === "dflt" || parentField === "staticKey") yield put(null);
    if (parentField === "extra") yield put(null);
    if (!(node.k === "lit" && (node.v === "0" || node.v === "1"))) yield put({ k: "lit", v: "0" });
    for (const ch of childExprs(node)) yield put(ch);
  }
}

/**
 * Shrinks `tree` while `stillFails(candidate)` (async) holds. `print(tree)` → text (candidates
 * printing the same text are tried once). Returns { tree, attempts, accepted, timedOut }.
 */
export async function shrink(tree, stillFails, { print, maxAttempts = 3000, maxMs = 60000, onProgress } = {}) {
  const started = Date.now();
  const tried = new Set([print(tree)]);
  let best = tree;
  let attempts = 0;
  let accepted = 0;
  for (;;) {
    let improved = false;
    for (const cand of candidates(best)) {
      if (!cand) continue;
      if (attempts >= maxAttempts || Date.now() - started > maxMs) return { tree: best, attempts, accepted, timedOut: true };
      let text;
      try {
        text = print(cand);
      } catch {
        continue;
      }
      if (tried.has(text)) continue;
      tried.add(text);
      attempts++;
      if (await stillFails(cand, text)) {
        best = cand;
        accepted++;
        improved = true;
        onProgress?.({ attempts, accepted, lines: text.split("\n").length, tree: best });
        break;
      }
    }
    if (!improved) return { tree: best, attempts, accepted, timedOut: false };
  }
}
