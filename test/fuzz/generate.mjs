#!/usr/bin/env node
// Random async programs for the differential fuzzer (test/fuzz/run.mjs).
//
//   node test/fuzz/generate.mjs --seed 42 [--stmt-only] [--agen] [--exclude getter,classexpr]   prints one program
//
// A program is a fixture-shaped script (see fixtures/README.md): it calls the global `log` and
// defines `async function main()`. It always terminates natively (bounded loops, no recursion)
// and logs values and evaluation order. Engine-made errors are logged by constructor name only
// (their messages quote source text, which a compiler may legitimately change); the program's
// own errors carry messages starting with "#".
//
// The program is built as a tree (plain objects, `k` = kind) so run.mjs can shrink it; `print`
// turns a tree into text, including only the helpers the text uses.
//
// Coverage: async function declarations, async arrows, async object methods (`this`), async
// class methods (`this`, `super.m(...)`), `arguments`; if/else, for, for-in, for-of (arrays,
// strings, a generator that logs when it is closed), for await…of (arrays of promises and
// thenables, that generator, an async iterator logging next()/return()), while, do-while, labeled blocks and loops
// with break/continue, switch with fallthrough, try/catch/finally with throws, returns, breaks
// and continues across finally, optional catch bindings; let/const/var, shadowing (and so TDZ
// errors), destructuring; closures over loop bindings (per-iteration `let`) called both later
// and right away, closures that write captured variables; concurrent calls from `main`
// interleaving with the harness's microtask ticker; awaits on plain values, native promises,
// thenables, promises settled several ticks later, rejected promises, throwing thenables and
// other async functions.
//
// Await positions. `--stmt-only` (opts.stmtOnly): an await is always the root of its expression —
// an expression statement, a declaration initializer, the right side of `=`/`+=`/`||=`…, the
// operand of return/throw, an if/switch/while/do-while condition, a for-of/for-in subject.
// Full mode adds awaits anywhere an expression stands: binary operands, call/new arguments,
// callees, conditional branches, &&/||/??, logical assignment, template literals and tagged
// templates, array/object literals (spread, computed keys), member/element access, method calls
// whose receiver must stay `this` (also `super.m(await x)` and optional chains), typeof/void/
// delete/in/instanceof, comma sequences, nested awaits, destructuring defaults, loop heads.
//
// Constructs with await slots of their own (each in both modes; full mode puts awaits before,
// inside and after them): optional chains with awaits in the base, keys, callee and arguments on
// null/undefined/object bases, parenthesized chains as callees, `delete` of chains and
// `super.bm?.(…)` (optChain); template literals whose substitutions convert objects with a
// logged toString/@@toPrimitive (tmplConv); object literals with such computed keys (also
// converting to a Symbol), `__proto__` shorthand (a local of that name) and `__proto__: v`,
// spreads of objects with getters, logged through `sh` (objLit); anonymous functions, classes
// and async arrows where their `.name` is observable — property values, array elements,
// conditional and logical operands, `fs ??= () => {}`, destructuring defaults — logged through
// `nm` (names, anon, fnslot); destructuring declarations and assignments with nested patterns,
// holes, rest, computed (awaited or converted) keys and defaults that await (pattern); classes
// declared next to awaits reading their own name in static fields/blocks and methods, with
// computed keys that await and a private brand check (classDecl), named class expressions
// (classExpr); stacked labels on loops and blocks; `#p in (await x)`, `this.#p op= e` in class
// methods (privExpr). Functions and classes are never read as values (their text may change):
// their bindings are hidden from `var` picks and logged by name.
//
// `--agen` (opts.agen): some functions are async generators (`async function*`) whose bodies
// also `yield` (values, awaited promises, `yield*` of arrays; the value sent back is logged),
// consumed by `main` through compiled helpers: `for await` to the end (collect), `for await`
// with an early `break` (take: return() runs the generator's finally blocks) or by hand with
// next(v), return() or throw() (feed). They are declarations, object literal methods or class
// methods (`this`, `super`, `#p`). Their `finally` blocks return and jump out but hold no yield
// (which, with a jump out of a finally, could leave the generator native). Off by default, so the
// seeds of the other modes keep their programs.
//
// `--exclude` kinds besides the table keys, to look past bugs: classpriv (a class declared
// in a function with a private name; fixed by e686f04), superopt (`super.bm?.(…)`), protoshort (`{ __proto__ }`
// shorthand), protoanon (an async arrow as a `__proto__: v` value).

// ---------------------------------------------------------------------------------------------
// PRNG (mulberry32): deterministic from the seed.
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    /** Picks a key of `table` ({ name: weight }) with probability proportional to its weight. */
    weighted(table) {
      const entries = Object.entries(table).filter(([, w]) => w > 0);
      let total = 0;
      for (const [, w] of entries) total += w;
      let x = next() * total;
      for (const [k, w] of entries) if ((x -= w) < 0) return k;
      return entries[entries.length - 1][0];
    },
  };
  return r;
}

// ---------------------------------------------------------------------------------------------
// Helpers a program may use. Printed only when the program's text mentions them.
const HELPERS = [
  ["t", `function t(n, v) { log("t" + n, v); return v; }`],
  ["P", `function P(v) { return Promise.resolve(v); }`],
  ["R", `function R(v) { return Promise.reject(new Error("#R" + v)); }`],
  ["T", `function T(v) { return { then(ok) { log("then", v); ok(v); } }; }`],
  ["TX", `function TX(v) { return { then() { throw new Error("#TX" + v); } }; }`],
  ["D", `function D(v, n) { let p = Promise.resolve(v); for (let i = 0; i < n; i++) p = p.then((x) => x); return p; }`],
  ["chk", `function chk(v) { if (v === 3) throw new Error("#chk" + v); return v; }`],
  ["em", `function em(e) { return e instanceof Error ? (String(e.message)[0] === "#" ? e.message : e.constructor.name) : e; }`],
  ["gen", `function* gen(n) { try { for (let i = 0; i < n; i++) { log("gen", i); yield i; } } finally { log("gen closed"); } }`],
  [
    "agen",
    `function agen(n) { let i = 0; return { [Symbol.asyncIterator]() { log("agen", n); return this; }, next() { log("agen next", i); const r = { value: i, done: i++ >= n }; return i % 2 ? Promise.resolve(r) : { then(ok) { ok(r); } }; }, return() { log("agen return", i); return Promise.resolve().then(() => ({ done: true })); } }; }`,
  ],
  ["tag", `function tag(s, ...v) { log("tag", s.length, v); return s.join("|") + v.join(","); }`],
  ["collect", `async function collect(g) {\n  const out = [];\n  for await (const v of g) out.push(v);\n  return out;\n}`],
  ["take", `async function take(g, n) {\n  const out = [];\n  for await (const v of g) {\n    out.push(v);\n    if (out.length >= n) break;\n  }\n  return out;\n}`],
  [
    "feed",
    `async function feed(g, k) {\n  const out = [await g.next("s0"), await g.next("s1")];\n  if (k === 1) out.push(await g.return("R"));\n  if (k === 2) out.push(await g.throw(new Error("#thrown")).catch((e) => em(e)));\n  out.push(await g.next("s2"), await g.next("s3"));\n  return out;\n}`,
  ],
  ["settle", `function settle(name, p) { return p.then((v) => log(name, "ok", v), (e) => log(name, "err", em(e))); }`],
  ["O", `const O = { v: 1, w: 2, n: null, m(a, b) { log("O.m", this === O, a, b); return (a | 0) + 1; }, get g() { log("get O.g"); return 3; } };`],
  ["Box", `class Box { constructor(v) { log("new Box", v); this.v = v; } }`],
  ["Base", `class Base { bm(x) { log("Base.bm", this.v, x); return (x | 0) * 2; } }`],
  // property keys and template substitutions converted by the program (ToPropertyKey/ToString)
  ["sym", `const sym = Symbol("s");`],
  ["S", `function S(n, r) { return { toString() { log("toString", n); return r; }, valueOf() { log("valueOf", n); return 0; } }; }`],
  ["K", `function K(n, r) { return { [Symbol.toPrimitive](h) { log("toPrimitive", n, h); return r; } }; }`],
  ["GS", `function GS(n) { return { get a() { log("get a", n); return n; }, get [sym]() { log("get sym", n); return -n; } }; }`],
  // functions are logged by name only (their text may legitimately change)
  ["vs", `function vs(x) { return typeof x === "function" ? "fn:" + x.name : typeof x === "symbol" ? x.toString() : x !== null && typeof x === "object" ? "obj" : String(x); }`],
  ["nm", `function nm(...f) { return f.map((x) => (typeof x === "function" ? "fn:" + x.name : x)); }`],
  [
    "sh",
    `function sh(o) { if (o === null || typeof o !== "object") return vs(o); const p = Object.getPrototypeOf(o); return [...Reflect.ownKeys(o).map((k) => String(k) + "=" + vs(o[k])), p === Object.prototype ? "P:O" : p === null ? "P:null" : "P:" + vs(p) + ":" + vs(p.inh)]; }`,
  ],
  ["TG", `const TG = {};`],
];
const HELPER_DEPS = { feed: ["em"], settle: ["em"], sh: ["vs"], GS: ["sym"] };

// ---------------------------------------------------------------------------------------------
// Generation.

const BIN_OPS = ["+", "-", "*", "%", "<", ">", "<=", "===", "!==", "==", "&", "|", "^", "<<"];
const UN_OPS = ["-", "!", "~", "typeof ", "void "];

class Gen {
  constructor(seed, opts) {
    this.r = rng(seed);
    this.opts = opts;
    this.stmtOnly = !!opts.stmtOnly;
    /** Node kinds never generated (`--exclude getter,classexpr`): to look past a known bug. */
    this.ex = new Set(opts.exclude ?? []);
    this.nameId = 0;
    this.labelId = 0;
    this.traceId = 0;
  }

  fresh(prefix) {
    return `${prefix}${this.nameId++}`;
  }

  // Scope: a stack of frames; each frame is an array of { name, mutable }.
  /** Plain variables in scope (not the hidden ones: bindings holding functions or classes). */
  visible(ctx) {
    return this.visibleAll(ctx).filter((v) => !v.hidden);
  }
  visibleAll(ctx) {
    const seen = new Map();
    for (const frame of ctx.scope) for (const v of frame) seen.set(v.name, v);
    return [...seen.values()];
  }
  declare(ctx, name, mutable, shadowable = true, extra = null) {
    ctx.scope[ctx.scope.length - 1].push({ name, mutable, shadowable, ...extra });
  }
  /** Whether an await may stand inside an expression here (full mode, async context). */
  canAw(ctx) {
    return ctx.awaitOK && !this.stmtOnly;
  }
  /** `await P(e)` / `await T(e)` / `await D(e, n)`. */
  awaitOf(e) {
    const fn = this.r.pick(["P", "P", "T", "D"]);
    return { k: "await", e: { k: "call", fn, args: fn === "D" ? [e, { k: "lit", v: String(this.r.int(0, 2)) }] : [e] } };
  }
  /** `e`, or (full mode, with probability p) an await of it. */
  maybeAw(ctx, e, p = 0.5) {
    return this.canAw(ctx) && this.r.chance(p) ? this.awaitOf(e) : e;
  }
  /** Names declared in enclosing frames but not in the current one (`let` may shadow them). */
  shadowable(ctx) {
    const here = new Set(ctx.scope[ctx.scope.length - 1].map((v) => v.name));
    const names = new Set();
    for (const frame of ctx.scope.slice(0, -1)) for (const v of frame) if (!here.has(v.name) && v.shadowable) names.add(v.name);
    return [...names];
  }
  withFrame(ctx, fn) {
    ctx.scope.push([]);
    try {
      return fn();
    } finally {
      ctx.scope.pop();
    }
  }

  // ----- expressions -----

  lit() {
    const r = this.r;
    if (r.chance(0.8)) return { k: "lit", v: String(r.int(0, 9)) };
    return { k: "lit", v: r.pick(['"a"', '"3"', "null", "undefined", "true", "10"]) };
  }

  /**
   * An expression. `aw`: may contain awaits (full mode, async context). Depth-limited.
   */
  expr(ctx, depth, aw = ctx.awaitOK && !this.stmtOnly) {
    const r = this.r;
    const vars = this.visible(ctx);
    if (depth <= 0) {
      if (vars.length > 0 && r.chance(0.6)) return { k: "var", name: r.pick(vars).name };
      return this.lit();
    }
    const table = {
      lit: 2,
      var: vars.length > 0 ? 4 : 0,
      bin: 5,
      un: 1,
      cond: 1.2,
      logic: 1.5,
      t: 2,
      call: 1.5,
      mcall: 1,
      member: 1,
      elem: 1,
      elemcall: 0.5,
      callee: aw ? 0.4 : 0,
      tmpl: 0.8,
      tagged: 0.4,
      arr: 0.7,
      obj: 0.5,
      seq: 0.4,
      newbox: 0.4,
      inop: 0.3,
      instof: 0.3,
      optchain: 0.5,
      await: aw ? 5 : 0,
      assign: vars.some((v) => v.mutable) ? 0.8 : 0,
      arguments: ctx.hasArguments ? 0.3 : 0,
      thisv: ctx.hasThis ? 0.4 : 0,
      superm: ctx.hasSuper ? 0.5 : 0,
      delete: 0.2,
      classexpr: aw ? 0.15 : 0,
      asyncCall: aw && ctx.callees.length > 0 ? 1 : 0,
      // constructs with their own await slots (see the methods below)
      ochain: 0.6,
      tmplconv: 0.3,
      objx: 0.35,
      names: 0.4,
      classx: 0.15,
      priv: ctx.hasPrivate ? 0.4 : 0,
      clsuse: this.visibleAll(ctx).some((v) => v.cls) ? 0.4 : 0,
    };
    for (const x of this.ex) if (x in table) table[x] = 0;
    const k = r.weighted(table);
    const sub = (d = depth - 1) => this.expr(ctx, d, aw);
    switch (k) {
      case "lit":
        return this.lit();
      case "var":
        return { k: "var", name: r.pick(vars).name };
      case "bin":
        return { k: "bin", op: r.pick(BIN_OPS), a: sub(), b: sub() };
      case "un":
        return { k: "un", op: r.pick(UN_OPS), a: sub() };
      case "cond":
        return { k: "cond", c: sub(), a: sub(), b: sub() };
      case "logic":
        return { k: "bin", op: r.pick(["&&", "||", "??"]), a: sub(), b: sub() };
      case "t":
        return { k: "call", fn: "t", args: [{ k: "lit", v: String(this.traceId++) }, sub()] };
      case "call":
        return r.chance(0.5) ? { k: "call", fn: "chk", args: [sub()] } : { k: "call", fn: "t", args: [{ k: "lit", v: String(this.traceId++) }, sub()] };
      case "mcall":
        return { k: "mcall", recv: { k: "raw", text: "O" }, name: "m", args: [sub(), sub()] };
      case "member": {
        // the object may itself be awaited: (await P(O)).v
        const obj =
          aw && r.chance(0.3)
            ? { k: "await", e: { k: "call", fn: r.pick(["P", "T"]), args: [{ k: "raw", text: "O" }] } }
            : r.chance(0.7)
              ? { k: "raw", text: "O" }
              : { k: "arr", items: [sub(), sub()] };
        return { k: "member", obj, name: r.pick(["v", "w", "g", "length"]) };
      }
      case "elemcall":
        // O[key](args): the receiver stays `this` even when the key or an argument is awaited
        return {
          k: "elemcall",
          recv: { k: "raw", text: "O" },
          key: aw && r.chance(0.5) ? { k: "await", e: { k: "call", fn: "P", args: [{ k: "lit", v: '"m"' }] } } : { k: "lit", v: '"m"' },
          args: [sub(), sub()],
        };
      case "callee":
        // (await P(chk))(x): an awaited callee
        return {
          k: "dyncall",
          callee: { k: "await", e: { k: "call", fn: r.pick(["P", "D"]), args: [{ k: "raw", text: "chk" }, ...(r.chance(0.5) ? [{ k: "lit", v: "1" }] : [])] } },
          args: [sub()],
        };
      case "elem":
        return { k: "elem", obj: r.chance(0.5) ? { k: "raw", text: "O" } : { k: "arr", items: [sub(), sub(), sub()] }, key: sub() };
      case "tmpl":
        return { k: "tmpl", tag: null, quasis: ["", "-", ""], exprs: [sub(), sub()] };
      case "tagged":
        return { k: "tmpl", tag: "tag", quasis: ["<", ">"], exprs: [sub()] };
      case "arr":
        return { k: "arr", items: [sub(), r.chance(0.3) ? { k: "spread", e: { k: "arr", items: [sub(), sub()] } } : sub()] };
      case "obj":
        return {
          k: "obj",
          props: [
            { key: "a", value: sub() },
            r.chance(0.5)
              ? { computed: sub(), value: sub() }
              : r.chance(0.5) || this.ex.has("getter")
                ? { spread: { k: "raw", text: "O" } }
                : { getter: "g", value: this.expr({ ...ctx, awaitOK: false, hasArguments: false, hasThis: false, hasSuper: false, callees: [] }, depth - 1, false) },
          ],
        };
      case "seq":
        return { k: "seq", a: sub(), b: sub() };
      case "newbox":
        return { k: "member", obj: { k: "new", cls: "Box", args: [sub()] }, name: "v" };
      case "inop":
        return { k: "bin", op: "in", a: sub(), b: { k: "raw", text: "O" } };
      case "instof":
        return { k: "bin", op: "instanceof", a: r.chance(0.5) ? { k: "new", cls: "Box", args: [sub()] } : sub(), b: { k: "raw", text: "Box" } };
      case "optchain":
        return { k: "optcall", recv: { k: "raw", text: r.pick(["O", "O.n"]) }, name: "m", args: [sub(), sub()] };
      case "await":
        return { k: "await", e: this.awaitable(ctx, depth - 1, aw) };
      case "assign": {
        const v = r.pick(vars.filter((x) => x.mutable));
        return { k: "assign", name: v.name, op: r.pick(["=", "+=", "||=", "&&=", "??="]), e: sub() };
      }
      case "arguments":
        return { k: "raw", text: r.pick(["arguments.length", "arguments[0]", "arguments[1]"]) };
      case "thisv":
        return { k: "raw", text: "this.v" };
      case "superm":
        return { k: "supercall", name: "bm", args: [sub()] };
      case "delete":
        return { k: "delete", obj: { k: "obj", props: [{ key: "a", value: sub() }] }, key: sub() };
      case "classexpr":
        // (class { [key]() { return v } }) — the key computed (maybe awaited) at class evaluation
        return { k: "classexpr", key: sub(), value: this.expr({ ...ctx, awaitOK: false, hasArguments: false, hasThis: false, hasSuper: false, callees: [] }, depth - 2, false) };
      case "asyncCall":
        return { k: "await", e: this.asyncCall(ctx, depth - 1, aw) };
      case "ochain":
        return this.optChain(ctx, depth);
      case "tmplconv":
        return this.tmplConv(ctx, depth);
      case "objx":
        return { k: "call", fn: "sh", args: [this.objLit(ctx, depth)] };
      case "names":
        return this.names(ctx, depth);
      case "classx":
        return this.classExpr(ctx, depth);
      case "priv":
        return this.privExpr(ctx, depth);
      case "clsuse":
        return this.classUse(ctx, depth);
    }
    throw new Error(`unknown expression kind ${k}`);
  }

  /** A value whose ToPropertyKey / ToString the program logs: S (toString) or K (@@toPrimitive). */
  conv(key, symbolOK = true) {
    const r = this.r;
    const n = { k: "lit", v: String(this.traceId++) };
    const res = symbolOK && r.chance(0.25) ? { k: "raw", text: "sym" } : { k: "lit", v: JSON.stringify(key) };
    return { k: "call", fn: r.chance(0.5) ? "S" : "K", args: [n, res] };
  }

  /**
   * Optional chains with awaits in the base, the keys, the callee and the arguments, on null,
   * undefined and object bases: `(await P(O))?.m(x)`, `O?.[await P("m")](x)`, `O.n?.(x)`,
   * `(O?.m)(await x)` (a parenthesized chain as a callee), `delete o?.[await k]`,
   * `super.bm?.(await x)`. The shapes are chosen so that no link throws unless a short-circuit
   * is expected (a `(null?.m)(x)` call throws after its arguments: rarely, mostly in a try).
   */
  optChain(ctx, depth) {
    const r = this.r;
    const sub = () => this.expr(ctx, depth - 1);
    const args = () => Array.from({ length: r.int(0, 2) }, sub);
    const key = (name) => this.maybeAw(ctx, r.chance(0.2) ? this.conv(name, false) : { k: "lit", v: JSON.stringify(name) }, 0.5);
    const shape = r.weighted({ call: 3, read: 2, optcall: 1.5, paren: ctx.inTry ? 1.2 : 0.3, del: 1, superopt: ctx.hasSuper && !this.ex.has("superopt") ? 1 : 0 });
    if (shape === "superopt") {
      // super.bm?.(x), super[k]?.(x): `this` stays the current object
      const name = r.pick(["bm", "bm", "zz"]);
      return { k: "ochain", base: { k: "raw", text: "super" }, links: [r.chance(0.5) ? { name } : { key: key(name) }, { opt: true, call: args() }] };
    }
    if (shape === "del") {
      // delete base?.x[k]: a fresh object (O is shared), or null/undefined (the key never runs)
      const fresh = {
        k: "obj",
        props: [
          { key: "a", value: sub() },
          { key: "b", value: { k: "obj", props: [{ key: "c", value: { k: "lit", v: "1" } }] } },
        ],
      };
      const base = this.maybeAw(ctx, r.pick([fresh, fresh, { k: "lit", v: "null" }, { k: "raw", text: "O.n" }, { k: "lit", v: "undefined" }]));
      const links = r.chance(0.5) ? [{ opt: true, key: key(r.pick(["a", "b", "z"])) }] : [{ opt: true, name: "b" }, { key: key(r.pick(["c", "d"])) }];
      return { k: "ochain", del: true, base, links };
    }
    // the base: mostly O, else nullish
    const nullish = r.chance(0.35);
    const base = this.maybeAw(
      ctx,
      nullish
        ? r.pick([
            { k: "lit", v: "null" },
            { k: "lit", v: "undefined" },
            { k: "raw", text: "O.n" },
          ])
        : { k: "raw", text: "O" },
      0.45,
    );
    const first = r.chance(0.5) ? { opt: true, name: "m" } : { opt: true, key: key("m") };
    switch (shape) {
      case "call":
        // base?.m(args), base?.[k](args)
        return { k: "ochain", base, links: [first, { call: args() }] };
      case "optcall": {
        // O[k]?.(args) with k naming the method, a null property or nothing; base?.m?.(args)
        if (nullish || r.chance(0.5)) return { k: "ochain", base, links: [first, { opt: true, call: args() }] };
        return { k: "ochain", base, links: [{ key: key(r.pick(["m", "n", "zz"])) }, { opt: true, call: args() }] };
      }
      case "read": {
        // base?.v, base?.[k], base?.n?.v, base?.[k].length (after a short-circuit: skipped)
        const name = r.pick(["v", "w", "g", "n"]);
        const links = [r.chance(0.5) ? { opt: true, name } : { opt: true, key: key(name) }];
        if (name === "n") links.push({ opt: true, name: "v" });
        else if (r.chance(0.3)) links.push({ name: "toString" }, { call: [] });
        return { k: "ochain", base, links };
      }
      case "paren":
        // (base?.m)(args): the arguments run, then a nullish callee throws a TypeError
        return { k: "ochain", base, links: [first], paren: args() };
    }
    throw new Error(`unknown chain shape ${shape}`);
  }

  /** A template literal whose substitutions include objects converted with a logged ToString. */
  tmplConv(ctx, depth) {
    const r = this.r;
    const n = r.int(2, 3);
    const exprs = [];
    for (let i = 0; i < n; i++) {
      if (r.chance(0.5)) exprs.push(r.chance(0.85) ? this.conv("s" + i, false) : this.conv("s" + i));
      else exprs.push(this.maybeAw(ctx, this.expr(ctx, depth - 1), 0.6));
    }
    if (this.canAw(ctx) && !exprs.some((e) => e.k === "await")) exprs[r.int(1, n - 1)] = this.awaitOf(this.conv("w", false));
    const quasis = Array.from({ length: n + 1 }, (_, i) => (i === 0 || i === n ? "" : r.pick(["-", "|", ""])));
    return { k: "tmpl", tag: null, quasis, exprs };
  }

  /**
   * An anonymous function or class (named after its position natively), sometimes a named one,
   * or a class whose definition runs code (a static initializer, a computed key that may await).
   */
  anon(ctx, noAsync = false) {
    const r = this.r;
    const form = r.weighted({ arrow: 3, fn: 1.5, cls: 2, clsStatic: 1, clsKey: this.canAw(ctx) ? 1.5 : 0.5, asyncArrow: noAsync ? 0 : 0.5, named: 0.7 });
    const id = this.traceId++;
    if (form === "clsKey") return { k: "anon", form, id, key: this.maybeAw(ctx, r.chance(0.3) ? this.conv("m", false) : { k: "lit", v: '"m"' }, 0.7) };
    return { k: "anon", form, id };
  }

  /** `nm(...)`: the names of anonymous functions/classes in positions that name them, with an await beside. */
  names(ctx, depth) {
    const r = this.r;
    const sub = () => this.expr(ctx, Math.max(0, depth - 2));
    const slots = this.visibleAll(ctx).filter((v) => v.fnslot);
    const item = () => {
      const w = r.weighted({ bare: 1, prop: 2, cond: 1, logic: 1, arr: 1, slot: slots.length ? 2 : 0, protoVal: 0.4 });
      switch (w) {
        case "bare":
          return this.anon(ctx);
        case "prop": {
          // ({ F: f, v: await x }).F — named after its key (a computed one converted first)
          const keyed = r.chance(0.3);
          // (an async function under a computed key is named "" when compiled: a documented limit)
          const props = [
            keyed ? { computed: this.conv("F", false), value: this.anon(ctx, true) } : { key: "F", value: this.anon(ctx) },
            { key: "v", value: this.maybeAw(ctx, sub(), 0.7) },
          ];
          if (r.chance(0.5)) props.reverse();
          return { k: "member", obj: { k: "obj", props }, name: "F" };
        }
        case "protoVal":
          // ({ __proto__: class {} }): `__proto__: v` names nothing
          return {
            k: "call",
            fn: "Object.getPrototypeOf",
            args: [{ k: "obj", props: [{ proto: this.anon(ctx, this.ex.has("protoanon")) }, { key: "v", value: this.maybeAw(ctx, sub(), 0.7) }] }],
          };
        case "cond":
          return r.chance(0.5)
            ? { k: "cond", c: sub(), a: this.maybeAw(ctx, sub(), 0.7), b: this.anon(ctx) }
            : { k: "cond", c: sub(), a: this.anon(ctx), b: this.maybeAw(ctx, sub(), 0.7) };
        case "logic":
          return { k: "bin", op: r.pick(["||", "??", "&&"]), a: this.maybeAw(ctx, sub(), 0.5), b: this.anon(ctx) };
        case "arr":
          return { k: "elem", obj: { k: "arr", items: [this.anon(ctx), this.maybeAw(ctx, sub(), 0.7)] }, key: { k: "lit", v: "0" } };
        case "slot": {
          // fs ??= () => {} (named after fs, when it assigns)
          const v = r.pick(slots);
          return { k: "assign", name: v.name, op: r.pick(["??=", "||=", "&&=", "="]), e: this.anon(ctx) };
        }
      }
    };
    const items = Array.from({ length: r.int(1, 2) }, item);
    if (this.canAw(ctx) && r.chance(0.5)) items.splice(r.int(0, items.length), 0, this.awaitOf(this.expr(ctx, 0)));
    return { k: "call", fn: "nm", args: items };
  }

  /**
   * An object literal (logged through sh): computed keys converted by toString/@@toPrimitive
   * (also to a Symbol), `__proto__` shorthand (a local of that name) and `__proto__: v`, spreads
   * of objects with getters, anonymous function values, awaits between them.
   */
  objLit(ctx, depth) {
    const r = this.r;
    const sub = () => this.expr(ctx, Math.max(0, depth - 2));
    const props = [];
    let proto = false;
    const keys = ["a", "b", "c", "d"];
    for (let i = r.int(2, 4); i > 0; i--) {
      const w = r.weighted({ plain: 2, conv: 2, computed: 0.7, proto: proto ? 0 : 1, spread: 1, fn: 1, protoKey: 0.3 });
      switch (w) {
        case "plain":
          props.push({ key: keys.shift() ?? "e", value: this.maybeAw(ctx, sub(), 0.5) });
          break;
        case "conv":
          props.push({ computed: this.conv("k" + props.length), value: this.maybeAw(ctx, sub(), 0.5) });
          break;
        case "computed":
          props.push({ computed: this.maybeAw(ctx, sub(), 0.5), value: sub() });
          break;
        case "protoKey":
          props.push({ computed: { k: "lit", v: '"__proto__"' }, value: this.maybeAw(ctx, sub(), 0.5) });
          break;
        case "proto":
          proto = true;
          if (ctx.hasProto && r.chance(0.5) && !this.ex.has("protoshort")) props.push({ protoShort: true });
          else
            props.push({
              proto: this.maybeAw(ctx, r.pick([{ k: "lit", v: "null" }, { k: "obj", props: [{ key: "inh", value: { k: "lit", v: String(r.int(0, 9)) } }] }, sub()]), 0.4),
            });
          break;
        case "spread":
          props.push({
            spread: r.chance(0.6)
              ? { k: "call", fn: "GS", args: [{ k: "lit", v: String(this.traceId++) }] }
              : this.maybeAw(ctx, r.chance(0.5) ? { k: "raw", text: "O" } : sub(), 0.4),
          });
          break;
        case "fn":
          props.push({ key: keys.shift() ?? "e", value: this.anon(ctx) });
          break;
      }
    }
    if (this.canAw(ctx) && !JSON.stringify(props).includes('"await"')) props.push({ key: "z", value: this.awaitOf(this.expr(ctx, 0)) });
    return { k: "obj", props };
  }

  /** A named class expression reading its own name (static field, static block, method). */
  classExpr(ctx, depth) {
    const r = this.r;
    const name = `Nc${this.traceId++}`;
    const key = this.maybeAw(ctx, r.chance(0.3) ? this.conv("m", false) : { k: "lit", v: '"m"' }, 0.6);
    return { k: "classx", name, key, arg: this.maybeAw(ctx, this.expr(ctx, Math.max(0, depth - 2)), 0.4) };
  }

  /** `#p in x`, `this.#p`, `this.#p op= e` in a class method (its class declares #p). */
  privExpr(ctx, depth) {
    const r = this.r;
    const w = r.weighted({ in: 3, read: 1, write: 1 });
    if (w === "in") {
      const x = this.maybeAw(
        ctx,
        r.pick([
          { k: "raw", text: "this" },
          { k: "raw", text: "O" },
          { k: "raw", text: "this" },
        ]),
        0.6,
      );
      return { k: "privin", name: "#p", obj: x };
    }
    if (w === "read") return { k: "raw", text: "this.#p" };
    return { k: "privset", name: "#p", op: r.pick(["=", "+=", "??=", "||="]), e: this.expr(ctx, depth - 1) };
  }

  /** A use of a class declared in this function (its own-name reads, through a saved alias). */
  classUse(ctx, depth) {
    const r = this.r;
    const c = r.pick(this.visibleAll(ctx).filter((v) => v.cls));
    const w = r.weighted({ s: 1, m: 2, name: 0.5, priv: c.priv ? 1 : 0 });
    if (w === "s") return { k: "raw", text: `${c.alias}.s` };
    if (w === "name") return { k: "raw", text: `${c.alias}.name` };
    if (w === "m") return { k: "mcall", recv: { k: "new", cls: c.alias, args: [] }, name: "m", args: [this.maybeAw(ctx, this.expr(ctx, 0), 0.4)] };
    return {
      k: "rawcall",
      callee: `${c.alias}.hq`,
      args: [
        this.maybeAw(
          ctx,
          r.pick([
            { k: "new", cls: c.alias, args: [] },
            { k: "raw", text: "O" },
          ]),
          0.6,
        ),
      ],
    };
  }

  /** A call of another async function (one defined earlier: no recursion). */
  asyncCall(ctx, depth, aw) {
    const c = this.r.pick(ctx.callees);
    const args = [];
    for (let i = 0; i < this.r.int(0, 2); i++) args.push(this.expr(ctx, depth, aw));
    return { k: "rawcall", callee: c, args };
  }

  /** What an await waits on. `aw`: the operand may contain awaits itself (nested awaits). */
  awaitable(ctx, depth, aw) {
    const r = this.r;
    const sub = () => this.expr(ctx, Math.max(0, depth), aw);
    // Rejections mostly where a catch/finally is waiting, so most code still runs.
    const k = r.weighted({ value: 3, P: 3, T: 1.5, D: 2, R: ctx.inTry ? 1 : 0.2, TX: ctx.inTry ? 0.3 : 0.05, call: ctx.callees.length > 0 ? 2.5 : 0 });
    switch (k) {
      case "value":
        return sub();
      case "P":
      case "T":
      case "R":
      case "TX":
        return { k: "call", fn: k, args: [sub()] };
      case "D":
        return { k: "call", fn: "D", args: [sub(), { k: "lit", v: String(r.int(0, 4)) }] };
      case "call":
        return this.asyncCall(ctx, depth, aw);
    }
  }

  /** An expression whose root is an await (the only await form in --stmt-only mode). */
  rootAwait(ctx, depth) {
    return { k: "await", e: this.awaitable(ctx, depth, ctx.awaitOK && !this.stmtOnly) };
  }

  /** An expression for a statement position: sometimes a root await. */
  stmtExpr(ctx, depth, pAwait = 0.45) {
    if (ctx.awaitOK && this.r.chance(pAwait)) return this.rootAwait(ctx, depth);
    return this.expr(ctx, depth);
  }

  // ----- statements -----

  block(ctx, depth, n = this.r.int(1, 4)) {
    return this.withFrame(ctx, () => {
      const out = [];
      for (let i = 0; i < n; i++) out.push(this.stmt(ctx, depth));
      return out;
    });
  }

  stmt(ctx, depth) {
    const r = this.r;
    const vars = this.visible(ctx);
    const mutable = vars.filter((v) => v.mutable);
    const inLoop = ctx.jumps.some((j) => j.loop);
    const canBreak = ctx.jumps.some((j) => j.breakable);
    const labels = ctx.jumps.filter((j) => j.label);
    const nest = depth > 0;
    // A yield in an async generator's finally block could leave it native (two completions pending).
    const noJumps = false;
    const table = {
      decl: 5,
      assign: mutable.length > 0 ? 3 : 0,
      log: 3,
      exprstmt: 2,
      if: nest ? 3 : 0,
      for: nest ? 1.5 : 0,
      forof: nest ? 1.5 : 0,
      forin: nest ? 0.7 : 0,
      forawait: nest && ctx.awaitOK ? 1.2 : 0,
      while: nest ? 1 : 0,
      dowhile: nest ? 0.8 : 0,
      labeled: nest ? 0.6 : 0,
      switch: nest ? 1.2 : 0,
      try: nest ? 2.5 : 0,
      throw: ctx.inTry ? 1 : 0.2,
      return: noJumps ? 0 : 0.4,
      break: canBreak && !noJumps ? 1.2 : 0,
      continue: inLoop && !noJumps ? 1 : 0,
      labeledjump: labels.length > 0 && !noJumps ? 0.8 : 0,
      yield: ctx.inGen && !ctx.inFinally ? 2 : 0,
      closure: ctx.hasCl && (ctx.inLoopBody || vars.length > 0) ? 1.5 : 0,
      callclosure: ctx.hasCl ? 0.7 : 0,
      destructure: 0.8,
      dassign: 0.35,
      classdecl: nest ? 0.25 : 0,
      fnslot: 0.2,
      shadow: nest && !ctx.inSwitchCase && ctx.scope.length >= 3 && this.shadowable(ctx).length > 0 ? 0.3 : 0,
      block: nest ? 0.4 : 0,
    };
    for (const x of this.ex) if (x in table) table[x] = 0;
    const k = r.weighted(table);
    switch (k) {
      case "decl": {
        const kind = r.pick(["let", "const", "var", "let"]);
        const e = this.stmtExpr(ctx, 2);
        const name = this.fresh("v");
        this.declare(ctx, name, kind !== "const");
        return { k: "decl", kind, name, e };
      }
      case "shadow": {
        // Re-declare a visible name in this block: reads of it earlier in the block hit its TDZ.
        const name = r.pick(this.shadowable(ctx));
        const e = this.stmtExpr(ctx, 1);
        this.declare(ctx, name, true);
        return { k: "decl", kind: "let", name, e };
      }
      case "assign": {
        const v = r.pick(mutable);
        return { k: "assignstmt", name: v.name, op: r.pick(["=", "+=", "-=", "||=", "&&=", "??=", "="]), e: this.stmtExpr(ctx, 2) };
      }
      case "log":
        return { k: "log", label: `L${this.labelId++}`, args: [this.expr(ctx, 2), ...(r.chance(0.4) ? [this.expr(ctx, 1)] : [])] };
      case "exprstmt":
        return { k: "exprstmt", e: this.stmtExpr(ctx, 2, 0.7) };
      case "if":
        return {
          k: "if",
          c: this.stmtExpr(ctx, 2, 0.3),
          then: this.block(ctx, depth - 1),
          else: r.chance(0.5) ? this.block(ctx, depth - 1) : null,
        };
      case "for":
        return this.forStmt(ctx, depth);
      case "forof":
        return this.forOfIn(ctx, depth, "of");
      case "forin":
        return this.forOfIn(ctx, depth, "in");
      case "forawait":
        return this.forAwait(ctx, depth);
      case "while":
      case "dowhile":
        return this.whileStmt(ctx, depth, k === "dowhile");
      case "labeled": {
        // one label, or stacked ones (`a: b: for …`), each naming the same loop or block
        const labels = Array.from({ length: r.chance(0.35) ? r.int(2, 3) : 1 }, () => `lab${this.labelId++}`);
        const wrap = (body) => labels.reduceRight((b, label) => ({ k: "labeled", label, body: b }), body);
        if (r.chance(0.5)) {
          // a labeled loop
          ctx.pendingLabel = labels;
          const w = r.weighted({ for: 2, forof: 2, while: labels.length > 1 ? 1 : 0 });
          if (w === "while") {
            // printed inside the block that holds its counter: `{ let w = 0; a: b: while (…) … }`
            const loop = this.whileStmt(ctx, depth, false);
            loop.labels = labels;
            return loop;
          }
          return wrap(w === "for" ? this.forStmt(ctx, depth) : this.forOfIn(ctx, depth, "of"));
        }
        for (const label of labels) ctx.jumps.push({ label, loop: false, breakable: false });
        const body = this.block(ctx, depth - 1);
        for (const _ of labels) ctx.jumps.pop();
        return wrap({ k: "block", body });
      }
      case "switch":
        return this.switchStmt(ctx, depth);
      case "try":
        return this.tryStmt(ctx, depth);
      case "throw":
        return { k: "throw", e: r.chance(0.7) ? { k: "newerror", e: this.expr(ctx, 1) } : this.stmtExpr(ctx, 1, 0.3) };
      case "return":
        return { k: "return", e: this.stmtExpr(ctx, 2, 0.4) };
      case "yield":
        // `log("Yn", yield e)` (the value next() sends), `yield e;`, or `yield* [e, e]`
        if (r.chance(0.25)) return { k: "yield", star: true, items: [this.expr(ctx, 1), this.expr(ctx, 1)], label: null };
        return { k: "yield", star: false, e: this.stmtExpr(ctx, 2, 0.3), label: r.chance(0.6) ? `Y${this.labelId++}` : null };
      case "break": {
        return { k: "break", label: null };
      }
      case "continue":
        return { k: "continue", label: null };
      case "labeledjump": {
        const j = r.pick(labels);
        if (j.loop && r.chance(0.5)) return { k: "continue", label: j.label };
        return { k: "break", label: j.label };
      }
      case "closure": {
        // A closure over the current bindings (per-iteration `let` inside loops), called later.
        const c = { ...ctx, awaitOK: false, hasArguments: false, hasSuper: false };
        if (mutable.length > 0 && r.chance(0.35)) {
          const v = r.pick(mutable);
          return { k: "closure", body: { k: "assign", name: v.name, op: "+=", e: this.expr(c, 1) } };
        }
        return { k: "closure", body: this.expr(c, 2) };
      }
      case "callclosure":
        return { k: "callclosure", label: `C${this.labelId++}` };
      case "destructure":
        return r.chance(0.3) ? this.destructure(ctx) : this.destructureDecl(ctx);
      case "dassign":
        return this.destructureAssign(ctx);
      case "classdecl":
        return this.classDecl(ctx);
      case "fnslot": {
        // a binding that will hold functions: read only through nm(...) (never as a value)
        const name = this.fresh("fs");
        const init = r.weighted({ none: 1, null: 1, zero: 0.5, anon: 1 });
        this.declare(ctx, name, true, false, { hidden: true, fnslot: true });
        return {
          k: "fnslot",
          kind: r.pick(["let", "var"]),
          name,
          init: init === "anon" ? this.anon(ctx) : init === "null" ? { k: "lit", v: "null" } : init === "zero" ? { k: "lit", v: "0" } : null,
        };
      }
      case "block":
        return { k: "block", body: this.block(ctx, depth - 1) };
    }
    throw new Error(`unknown statement kind ${k}`);
  }

  loopBody(ctx, depth, labels) {
    const ls = labels && labels.length ? labels : [null];
    for (const label of ls) ctx.jumps.push({ label, loop: true, breakable: true });
    const saved = ctx.inLoopBody;
    ctx.inLoopBody = true;
    const body = this.block(ctx, depth - 1);
    ctx.inLoopBody = saved;
    for (const _ of ls) ctx.jumps.pop();
    return body;
  }

  /** The labels (a stack of them) the next loop is labeled with, if any. */
  takeLabel(ctx) {
    const l = ctx.pendingLabel ?? null;
    ctx.pendingLabel = null;
    return l;
  }

  forStmt(ctx, depth) {
    const r = this.r;
    const label = this.takeLabel(ctx);
    const i = this.fresh("i");
    const decl = r.pick(["let", "let", "var"]);
    const full = ctx.awaitOK && !this.stmtOnly;
    // for (let i = INIT; i < BOUND; i += STEP): INIT in 0..2, BOUND <= 4, STEP >= 1 (always ends)
    const init =
      full && r.chance(0.3)
        ? { k: "await", e: { k: "call", fn: r.pick(["P", "D"]), args: [{ k: "lit", v: String(r.int(0, 1)) }, ...(r.chance(0.5) ? [] : [])] } }
        : { k: "lit", v: String(r.int(0, 1)) };
    if (init.k === "await" && init.e.fn === "D") init.e.args.push({ k: "lit", v: String(r.int(0, 3)) });
    const bound = full && r.chance(0.3) ? { k: "await", e: { k: "call", fn: "P", args: [{ k: "lit", v: String(r.int(1, 3)) }] } } : { k: "lit", v: String(r.int(1, 3)) };
    const step = full && r.chance(0.2) ? { k: "await", e: { k: "call", fn: "T", args: [{ k: "lit", v: "1" }] } } : null;
    return this.withFrame(ctx, () => {
      this.declare(ctx, i, false);
      const body = this.loopBody(ctx, depth, label);
      return { k: "for", decl, i, init, bound, step, body };
    });
  }

  forOfIn(ctx, depth, kind) {
    const r = this.r;
    const label = this.takeLabel(ctx);
    const x = this.fresh("x");
    const decl = r.pick(["let", "const", "var", "const"]);
    let subject;
    if (kind === "of") {
      const w = r.weighted({ arr: 3, gen: 2, str: 0.5 });
      if (w === "arr") subject = { k: "arr", items: [this.expr(ctx, 1), this.expr(ctx, 1), ...(r.chance(0.5) ? [this.expr(ctx, 1)] : [])] };
      else if (w === "gen") subject = { k: "call", fn: "gen", args: [{ k: "lit", v: String(r.int(1, 3)) }] };
      else subject = { k: "lit", v: '"ab"' };
    } else {
      subject = {
        k: "obj",
        props: [
          { key: "a", value: this.expr(ctx, 1) },
          { key: "b", value: this.expr(ctx, 1) },
        ],
      };
    }
    if (ctx.awaitOK && r.chance(0.3)) subject = { k: "await", e: { k: "call", fn: r.pick(["P", "T", "D"]), args: [subject, ...(r.chance(0.5) ? [{ k: "lit", v: "2" }] : [])] } };
    return this.withFrame(ctx, () => {
      this.declare(ctx, x, decl !== "const");
      const body = this.loopBody(ctx, depth, label);
      return { k: kind === "of" ? "forof" : "forin", decl, x, subject, body };
    });
  }

  /**
   * `for await (… of …)` over an array (of promises, thenables, rejected promises), the sync
   * generator `gen` (closed on early exit), or `agen`, an async iterator whose `next()` and
   * `return()` log and settle after some ticks.
   */
  forAwait(ctx, depth) {
    const r = this.r;
    const label = this.takeLabel(ctx);
    const x = this.fresh("x");
    const decl = r.pick(["let", "const", "var", "const"]);
    const item = () =>
      r.chance(0.4) ? { k: "call", fn: r.pick(["P", "T", "D", "R"]), args: [this.expr(ctx, 1), ...(r.chance(0.3) ? [{ k: "lit", v: "2" }] : [])] } : this.expr(ctx, 1);
    const w = r.weighted({ arr: 2, gen: 1, agen: 2 });
    let subject;
    if (w === "arr") subject = { k: "arr", items: [item(), item(), ...(r.chance(0.5) ? [item()] : [])] };
    else subject = { k: "call", fn: w, args: [{ k: "lit", v: String(r.int(1, 3)) }] };
    if (r.chance(0.2)) subject = { k: "await", e: { k: "call", fn: "P", args: [subject] } };
    return this.withFrame(ctx, () => {
      this.declare(ctx, x, decl !== "const");
      const body = this.loopBody(ctx, depth, label);
      return { k: "forawait", decl, x, subject, body };
    });
  }

  whileStmt(ctx, depth, isDo) {
    const r = this.r;
    const label = this.takeLabel(ctx);
    const w = this.fresh("w");
    const bound = r.int(1, 3);
    // { let w = 0; while (w < N [&& cond]) { w++; ... } } — the counter is bumped first, so
    // `continue` cannot loop forever.
    // The condition always holds `w < N` (printed, not a node: shrinking cannot remove it).
    // `awaitFn`: stmt-only form `while (await P(w < N && extra))`; full mode may also put awaits
    // inside `extra` (`w < N && (await x) > 1`).
    const awaitFn = ctx.awaitOK && r.chance(0.35) ? r.pick(["P", "T", "D"]) : null;
    return this.withFrame(ctx, () => {
      // not shadowable: `w++` is printed at the top of the body, where a shadowing `let w`
      // would put it in its dead zone (and a compiler that misses that would loop forever)
      this.declare(ctx, w, false, false);
      const extra = r.chance(0.4) ? this.expr(ctx, 1) : null;
      const body = this.loopBody(ctx, depth, label);
      return { k: isDo ? "dowhile" : "while", w, bound, extra, awaitFn, body };
    });
  }

  switchStmt(ctx, depth) {
    const r = this.r;
    const disc = this.stmtExpr(ctx, 1, 0.35);
    const n = r.int(1, 3);
    const cases = [];
    ctx.jumps.push({ label: null, loop: false, breakable: true });
    const used = new Set();
    for (let i = 0; i < n; i++) {
      let v = r.int(0, 3);
      while (used.has(v)) v = (v + 1) % 5;
      used.add(v);
      const test = ctx.awaitOK && !this.stmtOnly && r.chance(0.2) ? { k: "await", e: { k: "call", fn: "P", args: [{ k: "lit", v: String(v) }] } } : { k: "lit", v: String(v) };
      const savedCase = ctx.inSwitchCase;
      ctx.inSwitchCase = true;
      const body = this.block(ctx, depth - 1, r.int(0, 2));
      ctx.inSwitchCase = savedCase;
      if (r.chance(0.5)) body.push({ k: "break", label: null });
      cases.push({ test, body });
    }
    if (r.chance(0.6)) {
      const savedCase = ctx.inSwitchCase;
      ctx.inSwitchCase = true;
      cases.splice(r.int(0, cases.length), 0, { test: null, body: this.block(ctx, depth - 1, r.int(0, 2)) });
      ctx.inSwitchCase = savedCase;
    }
    ctx.jumps.pop();
    return { k: "switch", disc, cases };
  }

  tryStmt(ctx, depth) {
    const r = this.r;
    const savedTry = ctx.inTry;
    ctx.inTry = true;
    const body = this.block(ctx, depth - 1);
    ctx.inTry = savedTry;
    const shape = r.weighted({ catch: 3, finally: 2, both: 3 });
    let param = null;
    let handler = null;
    if (shape !== "finally") {
      param = r.chance(0.85) ? this.fresh("e") : null;
      handler = this.withFrame(ctx, () => {
        const out = [];
        if (param) {
          this.declare(ctx, param, true);
          out.push({ k: "log", label: `caught${this.labelId++}`, args: [{ k: "call", fn: "em", args: [{ k: "var", name: param }] }] });
        }
        for (let i = r.int(0, 2); i > 0; i--) out.push(this.stmt(ctx, depth - 1));
        return out;
      });
    }
    const savedFinally = ctx.inFinally;
    ctx.inFinally = true;
    const fin = shape !== "catch" ? this.block(ctx, depth - 1, r.int(1, 3)) : null;
    ctx.inFinally = savedFinally;
    return { k: "try", body, param, handler, fin };
  }

  destructure(ctx) {
    const r = this.r;
    const kind = r.pick(["const", "let"]);
    const a = this.fresh("d");
    const b = this.fresh("d");
    const dflt = () => (r.chance(0.5) ? (ctx.awaitOK && !this.stmtOnly && r.chance(0.6) ? this.rootAwait(ctx, 1) : this.expr(ctx, 1)) : null);
    let node;
    if (r.chance(0.5)) {
      // const [a = D, b] = [E, E] (or an awaited array)
      const src = { k: "arr", items: [r.chance(0.4) ? { k: "lit", v: "undefined" } : this.expr(ctx, 1), this.expr(ctx, 1)] };
      node = {
        k: "destructure",
        kind,
        pattern: "array",
        names: [a, b],
        defaults: [dflt(), null],
        src: ctx.awaitOK && r.chance(0.3) ? { k: "await", e: { k: "call", fn: "P", args: [src] } } : src,
      };
    } else {
      // const { v: a = D, [key]: b } = O
      const key =
        ctx.awaitOK && !this.stmtOnly && r.chance(0.3) ? { k: "await", e: { k: "call", fn: "P", args: [{ k: "lit", v: '"w"' }] } } : { k: "lit", v: r.pick(['"w"', '"x"']) };
      node = {
        k: "destructure",
        kind,
        pattern: "object",
        names: [a, b],
        defaults: [dflt(), null],
        key,
        src: ctx.awaitOK && r.chance(0.3) ? { k: "await", e: { k: "call", fn: "P", args: [{ k: "raw", text: "O" }] } } : { k: "raw", text: "O" },
      };
    }
    this.declare(ctx, a, kind === "let");
    this.declare(ctx, b, kind === "let");
    return node;
  }

  /**
   * A destructuring pattern and a source matching it: identifiers with defaults (awaits, anonymous
   * functions named after the target), nested array/object patterns (with defaults of their own),
   * holes, rest elements and properties, computed keys (awaited, or converted by toString /
   * @@toPrimitive). `target()` makes a leaf: a fresh name (declarations) or an assignment target.
   * Returns { pat, src }; src is undefined where the default is meant to run.
   */
  pattern(ctx, depth, target) {
    const r = this.r;
    const w = depth > 0 ? r.weighted({ id: 3, arr: 1, obj: 1.2 }) : "id";
    const value = () => (r.chance(0.35) ? { k: "lit", v: "undefined" } : this.expr(ctx, 0));
    if (w === "id") {
      const t = target();
      let dflt = null;
      if (r.chance(0.45)) {
        const d = r.weighted({ expr: 1, await: this.canAw(ctx) ? 1.5 : 0, anon: t.fnOK ? 1.2 : 0 });
        dflt = d === "anon" ? this.anon(ctx) : d === "await" ? this.awaitOf(this.expr(ctx, 0)) : this.expr(ctx, 1);
        if (d === "anon") t.fnish = true;
      }
      return { pat: { pk: "id", t, dflt }, src: value() };
    }
    let pat, src;
    if (w === "arr") {
      const elems = [];
      const items = [];
      for (let i = r.int(1, 3); i > 0; i--) {
        if (r.chance(0.12)) {
          elems.push(null);
          items.push(this.expr(ctx, 0));
          continue;
        }
        const sub = this.pattern(ctx, depth - 1, target);
        elems.push(sub.pat);
        items.push(sub.src);
      }
      let rest = null;
      if (r.chance(0.25)) {
        rest = { pk: "id", t: target(true), dflt: null };
        items.push(this.expr(ctx, 0));
      }
      pat = { pk: "arr", elems, rest };
      src = { k: "arr", items };
    } else {
      const props = [];
      const srcProps = [];
      const names = ["v", "w", "x", "y"];
      for (let i = r.int(1, 3); i > 0; i--) {
        const name = names.splice(r.int(0, names.length - 1), 1)[0];
        const sub = this.pattern(ctx, depth - 1, target);
        const kw = r.weighted({ plain: 3, await: this.canAw(ctx) ? 1 : 0, conv: 1, lit: 0.3 });
        const key =
          kw === "plain"
            ? null
            : kw === "await"
              ? this.awaitOf({ k: "lit", v: JSON.stringify(name) })
              : kw === "conv"
                ? this.conv(name, false)
                : { k: "lit", v: JSON.stringify(name) };
        props.push({ name, key, pat: sub.pat });
        if (!(sub.src.k === "lit" && sub.src.v === "undefined" && r.chance(0.5))) srcProps.push({ key: name, value: sub.src });
      }
      let rest = null;
      if (r.chance(0.25)) {
        rest = { pk: "id", t: target(true), dflt: null };
        srcProps.push({ key: "z", value: this.expr(ctx, 0) });
      }
      pat = { pk: "obj", props, rest };
      src = { k: "obj", props: srcProps };
    }
    // a nested pattern with a default of its own: used when its source is missing
    if (r.chance(0.2)) {
      pat.dflt = this.maybeAw(ctx, src, 0.5);
      src = { k: "lit", v: "undefined" };
    }
    return { pat, src };
  }

  /** `const|let|var PATTERN = SOURCE;` then a log of every name it bound. */
  destructureDecl(ctx) {
    const r = this.r;
    const kind = r.pick(["const", "let", "var", "const"]);
    const targets = [];
    const target = () => {
      const t = { name: this.fresh("d"), fnOK: true };
      targets.push(t);
      return t;
    };
    let { pat, src } = this.pattern(ctx, r.chance(0.35) ? 2 : 1, target);
    ({ pat, src } = topLevel(pat, src));
    if (ctx.awaitOK && r.chance(0.3)) src = this.awaitOf(src);
    for (const t of targets) this.declare(ctx, t.name, kind !== "const", false, t.fnish ? { hidden: true } : null);
    return { k: "dpat", kind, pat, src, label: `D${this.labelId++}`, logs: targets.map((t) => ({ k: "var", name: t.name })) };
  }

  /**
   * `(PATTERN = SOURCE);` assigning existing variables, function slots (named after them) and
   * members of TG (`TG.a`, `TG[await P("b")]`: unnamed), then a log of the targets.
   */
  destructureAssign(ctx) {
    const r = this.r;
    const all = this.visibleAll(ctx);
    const vars = all.filter((v) => v.mutable && !v.hidden);
    const slots = all.filter((v) => v.fnslot);
    const logs = [];
    const used = new Set();
    const target = (rest = false) => {
      const w = r.weighted({ var: vars.length ? 2 : 0, slot: slots.length && !rest ? 1 : 0, member: 1 });
      if (w === "member") {
        const name = `m${this.traceId++}`;
        const computed = this.canAw(ctx) && r.chance(0.4);
        if (!used.has("TG")) (used.add("TG"), logs.push({ k: "call", fn: "sh", args: [{ k: "raw", text: "TG" }] }));
        return { member: name, key: computed ? this.awaitOf({ k: "lit", v: JSON.stringify(name) }) : null, fnOK: true };
      }
      const v = r.pick(w === "var" ? vars : slots);
      if (!used.has(v.name)) (used.add(v.name), logs.push({ k: "var", name: v.name }));
      return { name: v.name, fnOK: w === "slot" };
    };
    let { pat, src } = this.pattern(ctx, r.int(1, 2), target);
    ({ pat, src } = topLevel(pat, src));
    if (ctx.awaitOK && r.chance(0.3)) src = this.awaitOf(src);
    return { k: "dpat", kind: null, pat, src, label: `A${this.labelId++}`, logs };
  }

  /**
   * A class declared in the function, next to awaits: its own name read by a static field, a
   * static block and a method (an inner binding: a later write of the outer one does not change
   * them), a computed key that may await, a private name checked by a static method. Later code
   * uses it through an alias (`const KlNc = KlN;`), and the outer binding is sometimes
   * overwritten.
   */
  classDecl(ctx) {
    const r = this.r;
    const name = `Kl${this.traceId++}`;
    const alias = `${name}c`;
    const key = this.maybeAw(ctx, r.chance(0.3) ? this.conv("m", false) : { k: "lit", v: '"m"' }, 0.5);
    const staticKey = this.canAw(ctx) && r.chance(0.4) ? this.awaitOf({ k: "lit", v: '"k"' }) : null;
    const priv = r.chance(0.4) && !this.ex.has("classpriv");
    const block = r.chance(0.5);
    const overwrite = r.chance(0.4);
    this.declare(ctx, alias, false, false, { hidden: true, cls: true, alias, priv });
    return { k: "classdecl", name, alias, key, staticKey, priv, block, overwrite };
  }

  // ----- functions and the program -----

  fn(index, callees) {
    const r = this.r;
    const kind = r.weighted({ decl: 4, arrow: 2, method: 2, classMethod: 2, ...(this.opts.agen ? { agen: 3 } : {}) });
    // an async generator is a declaration, an object literal method or a class method
    const shape = kind === "agen" ? r.weighted({ decl: 2, method: 1, classMethod: 1 }) : kind;
    const name = `f${index}`;
    const params = ["a", "b"].slice(0, r.int(0, 2));
    const ctx = {
      scope: [params.map((p) => ({ name: p, mutable: true }))],
      jumps: [],
      awaitOK: true,
      inLoopBody: false,
      hasArguments: kind !== "arrow",
      hasThis: shape === "method" || shape === "classMethod",
      hasSuper: shape === "classMethod",
      callees,
      pendingLabel: null,
      hasCl: false,
      inTry: false,
      inSwitchCase: false,
      hasPrivate: shape === "classMethod",
      hasProto: false,
      inGen: kind === "agen",
      inFinally: false,
    };
    const depth = r.int(2, 3);
    const body = [];
    // a local named __proto__, for `{ __proto__ }` shorthands (an own property, not the prototype)
    ctx.hasProto = r.chance(0.3);
    const useClosures = r.chance(0.6);
    ctx.hasCl = useClosures;
    const wrapFinally = useClosures && r.chance(0.5);
    const core = [];
    core.push({ k: "log", label: `${name} start`, args: params.map((p) => ({ k: "var", name: p })) });
    this.withFrame(ctx, () => {
      for (let i = r.int(2, 6); i > 0; i--) core.push(this.stmt(ctx, depth));
      core.push({ k: "return", e: this.stmtExpr(ctx, 2, 0.3) });
    });
    if (useClosures) body.push({ k: "raw", text: "const cl = [];" });
    if (ctx.hasProto) body.unshift({ k: "raw", text: `const __proto__ = { inh: ${index} };` });
    if (wrapFinally) body.push({ k: "try", body: core, param: null, handler: null, fin: [{ k: "raw", text: `log("${name} cl", cl.map((g) => g()));` }] });
    else body.push(...core);
    const call = shape === "decl" || shape === "arrow" ? name : shape === "method" ? `o${index}.${name}` : `c${index}.${name}`;
    return { k: "fn", kind, shape, name, index, params, body, call };
  }

  program() {
    const r = this.r;
    const fns = [];
    const callees = [];
    for (let i = r.int(1, 4), j = 0; j < i; j++) {
      const f = this.fn(j, [...callees]);
      fns.push(f);
      callees.push(f.call);
    }
    // main: start several calls concurrently, let them interleave, then await them in turn.
    const main = [];
    const n = r.int(1, 4);
    const started = [];
    for (let i = 0; i < n; i++) {
      const f = r.pick(fns);
      const args = f.params.map(() => ({ k: "lit", v: String(r.int(0, 5)) }));
      started.push(`p${i}`);
      let call = `${f.call}(${args.map((a) => a.v).join(", ")})`;
      // an async generator is consumed: to its end, up to an early break, or by hand
      if (f.kind === "agen") call = r.pick([`collect(${call})`, `take(${call}, ${r.int(1, 3)})`, `feed(${call}, ${r.int(0, 3)})`]);
      main.push({ k: "raw", text: `const p${i} = settle("c${i}", ${call});` });
    }
    if (r.chance(0.5)) main.push({ k: "raw", text: `log("main awaits");` });
    if (r.chance(0.5)) main.push({ k: "raw", text: `await Promise.all([${started.join(", ")}]);` });
    else for (const p of started) main.push({ k: "raw", text: `await ${p};` });
    main.push({ k: "raw", text: `log("main done");` });
    return { k: "program", fns, main };
  }
}

/** A whole pattern: never a bare name, and without a default of its own (its default is the source). */
function topLevel(pat, src) {
  if (pat.pk === "id") return { pat: { pk: "arr", elems: [pat], rest: null }, src: { k: "arr", items: [src] } };
  if (pat.dflt) {
    const d = pat.dflt;
    return { pat: { ...pat, dflt: null }, src: d };
  }
  return { pat, src };
}

export function generate(seed, opts = {}) {
  return new Gen(seed, opts).program();
}

// ---------------------------------------------------------------------------------------------
// Printing. Every compound expression is parenthesized, so precedence never matters (and the
// text parses the same as TypeScript, which fixtures use).

export function printExpr(e) {
  switch (e.k) {
    case "lit":
      return e.v;
    case "var":
      return e.name;
    case "raw":
      return e.text;
    case "bin":
      return `(${printExpr(e.a)} ${e.op} ${printExpr(e.b)})`;
    case "un":
      return `(${e.op}${printExpr(e.a)})`;
    case "cond":
      return `(${printExpr(e.c)} ? ${printExpr(e.a)} : ${printExpr(e.b)})`;
    case "call":
      return `${e.fn}(${e.args.map(printExpr).join(", ")})`;
    case "rawcall":
      return `${e.callee}(${e.args.map(printExpr).join(", ")})`;
    case "mcall":
      return `${printExpr(e.recv)}.${e.name}(${e.args.map(printExpr).join(", ")})`;
    case "optcall":
      return `${printExpr(e.recv)}?.${e.name}(${e.args.map(printExpr).join(", ")})`;
    case "elemcall":
      return `${printExpr(e.recv)}[${printExpr(e.key)}](${e.args.map(printExpr).join(", ")})`;
    case "dyncall":
      return `${printExpr(e.callee)}(${e.args.map(printExpr).join(", ")})`;
    case "supercall":
      return `super.${e.name}(${e.args.map(printExpr).join(", ")})`;
    case "member":
      return `${wrapObj(e.obj)}.${e.name}`;
    case "elem":
      return `${wrapObj(e.obj)}[${printExpr(e.key)}]`;
    case "tmpl": {
      let s = "`" + e.quasis[0];
      e.exprs.forEach((x, i) => (s += "${" + printExpr(x) + "}" + (e.quasis[i + 1] ?? "")));
      s += "`";
      return e.tag ? `${e.tag}${s}` : s;
    }
    case "arr":
      return `[${e.items.map(printExpr).join(", ")}]`;
    case "spread":
      return `...${printExpr(e.e)}`;
    case "obj":
      return `({ ${e.props
        .map((p) => {
          if (p.spread) return `...${printExpr(p.spread)}`;
          if (p.getter) return `get ${p.getter}() { return ${printExpr(p.value)}; }`;
          if (p.computed) return `[${printExpr(p.computed)}]: ${printExpr(p.value)}`;
          if (p.protoShort) return "__proto__";
          if (p.proto) return `__proto__: ${printExpr(p.proto)}`;
          return `${p.key}: ${printExpr(p.value)}`;
        })
        .join(", ")} })`;
    case "seq":
      return `(${printExpr(e.a)}, ${printExpr(e.b)})`;
    case "new":
      return `(new ${e.cls}(${e.args.map(printExpr).join(", ")}))`;
    case "await":
      return `(await ${printExpr(e.e)})`;
    case "assign":
      return `(${e.name} ${e.op} ${printExpr(e.e)})`;
    case "delete":
      return `(delete ${wrapObj(e.obj)}[${printExpr(e.key)}])`;
    case "classexpr":
      return `(new (class { [${printExpr(e.key)}]() { return 1; } v = ${printExpr(e.value)}; })()).v`;
    case "newerror":
      return `new Error("#" + ${printExpr(e.e)})`;
    case "arrow":
      return `(() => ${printExpr(e.body)})`;
    case "ochain": {
      let t = wrapObj(e.base);
      for (const l of e.links) {
        if (l.opt) t += "?.";
        if (l.name) t += (l.opt ? "" : ".") + l.name;
        else if (l.key) t += `[${printExpr(l.key)}]`;
        else t += `(${l.call.map(printExpr).join(", ")})`;
      }
      if (e.paren) return `(${t})(${e.paren.map(printExpr).join(", ")})`;
      if (e.del) return `(delete ${t})`;
      return t;
    }
    case "anon":
      switch (e.form) {
        case "arrow":
          return `(() => ${e.id})`;
        case "asyncArrow":
          return `(async () => ${e.id})`;
        case "fn":
          return `function () { return ${e.id}; }`;
        case "cls":
          return `class {}`;
        case "clsStatic":
          return `class { static s = log("static", ${e.id}); }`;
        case "clsKey":
          return `class { [${printExpr(e.key)}]() {} }`;
        case "named":
          return e.id % 2 ? `function nf${e.id}() {}` : `class Nn${e.id} { static s = log("static", Nn${e.id}.name); }`;
      }
      throw new Error(`unknown anon form ${e.form}`);
    case "classx":
      return `(new (class ${e.name} { static s = ${e.name}.name; static { log("block", ${e.name}.name, this === ${e.name}); } [${printExpr(e.key)}](x) { return [${e.name}.s, ${e.name}.name, x]; } })()).m(${printExpr(e.arg)})`;
    case "privin":
      return `(${e.name} in ${wrapObj(e.obj)})`;
    case "privset":
      return `(this.${e.name} ${e.op} ${printExpr(e.e)})`;
  }
  throw new Error(`cannot print expression ${e.k}`);
}

function printTarget(t) {
  if (t.member) return t.key ? `TG[${printExpr(t.key)}]` : `TG.${t.member}`;
  return t.name;
}

function printPattern(p) {
  const d = p.dflt ? ` = ${printExpr(p.dflt)}` : "";
  switch (p.pk) {
    case "id":
      return printTarget(p.t) + d;
    case "arr": {
      const parts = p.elems.map((x) => (x ? printPattern(x) : ""));
      if (p.rest) parts.push("..." + printPattern(p.rest));
      else if (parts.length && parts[parts.length - 1] === "") parts.push(""); // keep a trailing hole
      return `[${parts.join(", ")}]${d}`;
    }
    case "obj": {
      const parts = p.props.map((x) => `${x.key ? `[${printExpr(x.key)}]` : x.name}: ${printPattern(x.pat)}`);
      if (p.rest) parts.push("..." + printPattern(p.rest));
      return `{ ${parts.join(", ")} }${d}`;
    }
  }
  throw new Error(`unknown pattern ${p.pk}`);
}

function wrapObj(o) {
  const s = printExpr(o);
  return o.k === "var" || o.k === "raw" ? s : `(${s})`;
}

function printBlock(stmts, ind) {
  return `{\n${stmts.map((s) => printStmt(s, ind + "  ")).join("\n")}${stmts.length ? "\n" : ""}${ind}}`;
}

export function printStmt(s, ind = "") {
  switch (s.k) {
    case "raw":
      return ind + s.text;
    case "decl":
      return `${ind}${s.kind} ${s.name} = ${printExpr(s.e)};`;
    case "assignstmt":
      return `${ind}${s.name} ${s.op} ${printExpr(s.e)};`;
    case "log":
      return `${ind}log(${JSON.stringify(s.label)}${s.args.map((a) => ", " + printExpr(a)).join("")});`;
    case "exprstmt": {
      const t = printExpr(s.e);
      return `${ind}${/^\{|^class\b|^function\b|^let\b|^async\b/.test(t) ? `void ${t}` : t};`;
    }
    case "if":
      return `${ind}if (${printExpr(s.c)}) ${printBlock(s.then, ind)}${s.else ? ` else ${printBlock(s.else, ind)}` : ""}`;
    case "for":
      return `${ind}for (${s.decl} ${s.i} = ${printExpr(s.init)}; ${s.i} < ${printExpr(s.bound)}; ${s.i} += ${s.step ? printExpr(s.step) : "1"}) ${printBlock(s.body, ind)}`;
    case "forof":
      return `${ind}for (${s.decl} ${s.x} of ${printExpr(s.subject)}) ${printBlock(s.body, ind)}`;
    case "forin":
      return `${ind}for (${s.decl} ${s.x} in ${printExpr(s.subject)}) ${printBlock(s.body, ind)}`;
    case "forawait":
      return `${ind}for await (${s.decl} ${s.x} of ${printExpr(s.subject)}) ${printBlock(s.body, ind)}`;
    case "while": {
      const cond = loopCond(s);
      return `${ind}{\n${ind}  let ${s.w} = 0;\n${ind}  ${(s.labels ?? []).map((l) => l + ": ").join("")}while (${cond}) ${printBlock([{ k: "raw", text: `${s.w}++;` }, ...s.body], ind + "  ")}\n${ind}}`;
    }
    case "dowhile": {
      const cond = loopCond(s);
      return `${ind}{\n${ind}  let ${s.w} = 0;\n${ind}  do ${printBlock([{ k: "raw", text: `${s.w}++;` }, ...s.body], ind + "  ")} while (${cond});\n${ind}}`;
    }
    case "labeled":
      return `${ind}${s.label}: ${printStmt(s.body, ind).trimStart()}`;
    case "block":
      return `${ind}${printBlock(s.body, ind)}`;
    case "switch":
      return `${ind}switch (${printExpr(s.disc)}) {\n${s.cases
        .map((c) => `${ind}  ${c.test ? `case ${printExpr(c.test)}` : "default"}:${c.body.length ? "\n" + c.body.map((b) => printStmt(b, ind + "    ")).join("\n") : ""}`)
        .join("\n")}\n${ind}}`;
    case "try": {
      let out = `${ind}try ${printBlock(s.body, ind)}`;
      if (s.handler) out += ` catch${s.param ? ` (${s.param})` : ""} ${printBlock(s.handler, ind)}`;
      if (s.fin) out += ` finally ${printBlock(s.fin, ind)}`;
      if (!s.handler && !s.fin) out += ` finally {}`;
      return out;
    }
    case "throw":
      return `${ind}throw ${printExpr(s.e)};`;
    case "return":
      return `${ind}return ${printExpr(s.e)};`;
    case "yield": {
      const y = s.star ? `yield* [${s.items.map(printExpr).join(", ")}]` : `yield ${printExpr(s.e)}`;
      return s.label ? `${ind}log("${s.label}", ${y});` : `${ind}${y};`;
    }
    case "break":
      return `${ind}break${s.label ? " " + s.label : ""};`;
    case "continue":
      return `${ind}continue${s.label ? " " + s.label : ""};`;
    case "closure":
      return `${ind}cl.push(() => ${printExpr(s.body)});`;
    case "callclosure":
      return `${ind}log(${JSON.stringify(s.label)}, cl.length > 0 ? cl[cl.length - 1]() : "none");`;
    case "dpat": {
      const logLine = `\n${ind}log(${JSON.stringify(s.label)}, nm(${s.logs.map(printExpr).join(", ")}));`;
      if (s.kind) return `${ind}${s.kind} ${printPattern(s.pat)} = ${printExpr(s.src)};${logLine}`;
      return `${ind}(${printPattern(s.pat)} = ${printExpr(s.src)});${logLine}`;
    }
    case "fnslot":
      return `${ind}${s.kind} ${s.name}${s.init ? ` = ${printExpr(s.init)}` : ""};`;
    case "classdecl": {
      const n = s.name;
      const i2 = ind + "  ";
      const lines = [`${ind}class ${n} {`, `${i2}static s = ${n}.name;`, `${i2}[${printExpr(s.key)}](x) { return [${n}.name, x]; }`];
      if (s.block) lines.push(`${i2}static { log("block", ${n}.name, this === ${n}); }`);
      if (s.staticKey) lines.push(`${i2}static [${printExpr(s.staticKey)}] = ${n}.name;`);
      if (s.priv) lines.push(`${i2}#q = 1;`, `${i2}static hq(o) { return #q in o; }`);
      lines.push(`${ind}}`, `${ind}const ${s.alias} = ${n};`);
      if (s.overwrite) lines.push(`${ind}${n} = 0;`);
      return lines.join("\n");
    }
    case "destructure": {
      const d = (i) => (s.defaults[i] ? ` = ${printExpr(s.defaults[i])}` : "");
      if (s.pattern === "array") return `${ind}${s.kind} [${s.names[0]}${d(0)}, ${s.names[1]}${d(1)}] = ${printExpr(s.src)};`;
      return `${ind}${s.kind} { v: ${s.names[0]}${d(0)}, [${printExpr(s.key)}]: ${s.names[1]}${d(1)} } = ${printExpr(s.src)};`;
    }
  }
  throw new Error(`cannot print statement ${s.k}`);
}

function loopCond(s) {
  const base = `${s.w} < ${s.bound}${s.extra ? ` && ${printExpr(s.extra)}` : ""}`;
  if (!s.awaitFn) return base;
  return `await ${s.awaitFn}(${base}${s.awaitFn === "D" ? ", 2" : ""})`;
}

function printFn(f) {
  const params = f.params.join(", ");
  const body = printBlock(f.body, "");
  switch (f.kind) {
    case "decl":
      return `async function ${f.name}(${params}) ${body}`;
    case "agen":
      if (f.shape === "method") return `const o${f.index} = {\n  v: ${f.index + 10},\n  async *${f.name}(${params}) ${indent(body)},\n};`;
      if (f.shape === "classMethod")
        return `class C${f.index} extends Base {\n  #p = ${f.index};\n  constructor() {\n    super();\n    this.v = ${f.index + 20};\n  }\n  async *${f.name}(${params}) ${indent(body)}\n}\nconst c${f.index} = new C${f.index}();`;
      return `async function* ${f.name}(${params}) ${body}`;
    case "arrow":
      return `const ${f.name} = async (${params}) => ${body};`;
    case "method":
      return `const o${f.index} = {\n  v: ${f.index + 10},\n  async ${f.name}(${params}) ${indent(body)},\n};`;
    case "classMethod":
      return `class C${f.index} extends Base {\n  #p = ${f.index};\n  constructor() {\n    super();\n    this.v = ${f.index + 20};\n  }\n  async ${f.name}(${params}) ${indent(body)}\n}\nconst c${f.index} = new C${f.index}();`;
  }
  throw new Error(`unknown function kind ${f.kind}`);
}

function indent(text) {
  return text
    .split("\n")
    .map((l, i) => (i === 0 || l === "" ? l : "  " + l))
    .join("\n");
}

/** The program's text: the helpers it uses, its functions, and `main`. */
export function print(program, header = "") {
  const fns = program.fns.map(printFn);
  const mainText = `async function main() ${printBlock(program.main, "")}`;
  const body = [...fns, mainText].join("\n\n");
  // Helpers used by the body (or by used helpers), in the library's order.
  const used = new Set();
  const uses = (text, name) => new RegExp(`(^|[^\\w$.])${name.replace(/\$/g, "\\$")}\\b`).test(text);
  for (const [name] of HELPERS) if (uses(body, name)) used.add(name);
  for (const [name, deps] of Object.entries(HELPER_DEPS)) if (used.has(name)) for (const d of deps) used.add(d);
  for (const [name, text] of HELPERS) if (used.has(name)) for (const [other] of HELPERS) if (other !== name && uses(text, other)) used.add(other);
  const helpers = HELPERS.filter(([name]) => used.has(name)).map(([, text]) => text);
  return `${header}${helpers.join("\n")}${helpers.length ? "\n\n" : ""}${body}\n`;
}

export function generateText(seed, opts = {}) {
  return print(generate(seed, opts));
}

// CLI: print one program.
import { fileURLToPath } from "node:url";
import path from "node:path";
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf("--seed");
  const seed = i >= 0 ? Number(argv[i + 1]) : 1;
  const x = argv.indexOf("--exclude");
  const exclude = x >= 0 ? argv[x + 1].split(",") : [];
  process.stdout.write(generateText(seed, { stmtOnly: argv.includes("--stmt-only"), agen: argv.includes("--agen"), exclude }));
}
