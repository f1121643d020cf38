/**
 * The snapshot value encoding (runtime/inspect/serialize.ts): everything it accepts survives
 * JSON and decoding with its identity structure (shared and circular references); everything it
 * refuses names the path and what was found.
 */
import { describe, expect, test } from "vitest";
import { TDZ } from "../../runtime/helpers";
import { Decoder, Encoder, MalformedData, NotSerializable, type Json } from "../../runtime/inspect/serialize";

function roundTrip(values: unknown[], allowed: ReadonlyMap<string, unknown> = new Map()): unknown[] {
  const encoder = new Encoder();
  values.forEach((v, i) => encoder.scan(v, `v${i}`));
  const data = JSON.parse(JSON.stringify(values.map((v, i) => encoder.encode(v, `v${i}`)))) as Json[];
  const decoder = new Decoder(allowed);
  return data.map((d) => decoder.decode(d));
}

function refusal(value: unknown): string {
  try {
    new Encoder().scan(value, "x");
  } catch (e) {
    expect(e).toBeInstanceOf(NotSerializable);
    return (e as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("serialize", () => {
  test("nothing is lost silently and no user code runs: holes, extra properties, element getters and extra error properties are refused; Map and Set are read with the built-in iterators", () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(refusal({ list: [1, , 3] })).toMatch(/x\.list\[1\].*a hole of a sparse array/);
    const withTotal = Object.assign([1, 2], { total: 3 });
    expect(refusal(withTotal)).toMatch(/an array with an extra property "total"/);
    let calls = 0;
    const withGetter = [1, 2];
    Object.defineProperty(withGetter, 0, {
      get() {
        calls++;
        return "from getter";
      },
      enumerable: true,
    });
    expect(refusal(withGetter)).toMatch(/x\[0\].*a getter\/setter element/);
    expect(refusal(Object.assign(new Error("open failed"), { code: "ENOENT" }))).toMatch(/an Error with an own property code/);
    expect(refusal(new Error("wrapped", { cause: { path: "/x" } }))).toMatch(/an Error with an own property cause/);
    const map = new Map([["k", 1]]);
    (map as unknown as Record<symbol, unknown>)[Symbol.iterator] = function* () {
      calls++;
      yield ["patched", "entries"];
    };
    const set = new Set([1]);
    (set as unknown as Record<symbol, unknown>)[Symbol.iterator] = function* () {
      calls++;
      yield 2;
    };
    const [m, st] = roundTrip([map, set]) as [Map<unknown, unknown>, Set<unknown>];
    expect([...m.entries()]).toEqual([["k", 1]]);
    expect([...st.values()]).toEqual([1]);
    expect(calls).toBe(0);
  });

  test("plain data and the tagged values round-trip", () => {
    const values = [
      undefined,
      null,
      true,
      "text",
      42,
      -0,
      NaN,
      Infinity,
      -Infinity,
      10n ** 30n,
      TDZ,
      "(globalThis: below)",
      [1, undefined, [2]],
      { a: 1, nested: { b: [true] }, $: "dollar key", "odd key": 2 },
      new Date(86_400_000),
      new Date(NaN),
      new Map<unknown, unknown>([
        ["k", 1],
        [{ o: 1 }, [2]],
      ]),
      new Set([1, "two"]),
      /a+b/gi,
      new TypeError("bad"),
      new Uint8Array([1, 2, 255]),
      new Float64Array([1.5, -2]),
      new Uint8Array([9, 8]).buffer,
    ];
    const back = roundTrip(values);
    expect(back).toEqual(values);
    expect(Object.is(back[5], -0)).toBe(true);
    expect(back[10]).toBe(TDZ);
    expect(roundTrip([globalThis], new Map([["globalThis", globalThis]]))[0]).toBe(globalThis);
    expect(back[19]).toBeInstanceOf(TypeError);
    expect((back[19] as Error).stack).toBe((values[19] as Error).stack);
  });

  test('an own "__proto__" key stays an own key: not dropped when encoding, no prototype set when decoding', () => {
    const value = JSON.parse('{"__proto__": {"admin": true}, "x": 1}') as Record<string, unknown>;
    const encoder = new Encoder();
    encoder.scan(value, "v");
    const data = encoder.encode(value, "v");
    expect(Object.keys(data as object)).toEqual(["__proto__", "x"]);
    expect(JSON.stringify(data)).toBe('{"__proto__":{"admin":true},"x":1}');
    // Decoding data that has the key (as JSON.parse gives it) makes an own property, not a prototype.
    const back = new Decoder().decode(JSON.parse(JSON.stringify(data)) as Json) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(back.admin).toBeUndefined();
    expect(Object.keys(back)).toEqual(["__proto__", "x"]);
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")!.value).toEqual({ admin: true });
    // The same through a shared object ("def") and an object with a "$" key ("object").
    const tagged = JSON.parse('{"$": 1, "__proto__": {"admin": true}}');
    const [a, b, c] = roundTrip([value, value, tagged]) as Record<string, unknown>[];
    expect(a).toBe(b);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(Object.keys(a)).toEqual(["__proto__", "x"]);
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
    expect(Object.keys(c)).toEqual(["$", "__proto__"]);
  });

  test("shared and circular references keep their identity, across roots", () => {
    const shared = { n: 1 };
    const cycle: Record<string, unknown> = { name: "c" };
    cycle.self = cycle;
    const list: unknown[] = [shared];
    list.push(list);
    const map = new Map<string, unknown>();
    map.set("me", map);
    const [a, b, c, l, m] = roundTrip([shared, { again: shared }, cycle, list, map]) as [any, any, any, any, any];
    expect(b.again).toBe(a);
    expect(c.self).toBe(c);
    expect(l[0]).toBe(a);
    expect(l[1]).toBe(l);
    expect(m.get("me")).toBe(m);
  });

  test("refuses what cannot be rebuilt, naming the path", () => {
    expect(refusal({ cb: () => 1 })).toBe("x.cb holds a function (cb); functions and the closures' environments they hold cannot be serialized");
    expect(refusal([Symbol("s")])).toBe("x[0] holds a symbol (Symbol(s))");
    expect(refusal({ when: Promise.resolve() })).toBe("x.when holds a Promise");
    class Account {}
    expect(refusal({ acct: new Account() })).toMatch(/^x\.acct holds an instance of Account \(only plain objects/);
    expect(
      refusal({
        get g() {
          return 1;
        },
      }),
    ).toBe("x.g holds a getter/setter property");
    expect(refusal(Buffer.from("a"))).toMatch(/^x holds an instance of Buffer \(copy it into a plain typed array/);
    expect(refusal(new Map([["k", new WeakMap()]]))).toMatch(/^x\.get\(…0\) holds an instance of WeakMap/);
    expect(refusal({ [Symbol("k")]: 1 })).toBe("x holds an object with symbol keys");
  });

  test("decoding treats data as untrusted: globalThis and named references only through the allow list", () => {
    expect(decodeRefusal({ $: "global" })).toBe('x: a reference to "globalThis", which the caller did not allow (pass it in the restore options\' references)');
    expect(decodeRefusal({ $: "reference", name: "db" })).toMatch(/^x: a reference to "db", which the caller did not allow/);
    const db = { query() {} };
    const encoder = new Encoder(new Map([[db, "db"]]));
    encoder.scan({ conn: db }, "x");
    expect(encoder.encode({ conn: db }, "x")).toEqual({ conn: { $: "reference", name: "db" } });
    const back = new Decoder(new Map([["db", db]])).decode(JSON.parse(JSON.stringify(encoder.encode({ conn: db }, "x"))), "x") as { conn: unknown };
    expect(back.conn).toBe(db);
  });

  test("decoding rebuilds only what the format allows: unknown or inherited names, wrong field types and early references are refused, naming the path", () => {
    expect(decodeRefusal({ a: [{ $: "error", name: "constructor", message: "m", stack: null }] })).toMatch(
      /^x\.a\[0\]: an error tag naming "constructor", which is not a built-in error class/,
    );
    expect(decodeRefusal({ $: "error", name: "toString", message: "m" })).toMatch(/naming "toString", which is not a built-in error class/);
    expect(decodeRefusal({ $: "bytes", type: "constructor", v: "AAAA" })).toMatch(/^x: a bytes tag of type "constructor", which is not ArrayBuffer or a built-in typed array/);
    expect(decodeRefusal({ $: "bytes", type: "Float64Array", v: "AAA=" })).toMatch(/^x: a bytes tag whose length does not fit a Float64Array/);
    expect(decodeRefusal({ $: "bytes", type: "Uint8Array", v: "!!" })).toMatch(/^x: a bytes tag whose v is not base64/);
    expect(decodeRefusal({ $: "number", v: "12" })).toMatch(/^x: a number tag with v "12"/);
    expect(decodeRefusal({ $: "bigint", v: "1e3" })).toMatch(/^x: a bigint tag whose v is not a decimal integer string/);
    expect(decodeRefusal({ $: "date", v: 5 })).toMatch(/^x: a date tag whose v is neither null nor a date string/);
    expect(decodeRefusal({ $: "regexp", source: "(", flags: "" })).toMatch(/^x: a regexp tag that does not compile/);
    expect(decodeRefusal({ $: "map", v: [[1]] })).toMatch(/^x\.v\[0\]: a map entry that is not a \[key, value\] pair/);
    expect(decodeRefusal({ $: "set", v: 1 })).toMatch(/^x\.v: not an array/);
    expect(decodeRefusal({ $: "object", v: [1] })).toMatch(/^x\.v: not an object/);
    expect(
      decodeRefusal([
        { $: "ref", id: 1 },
        { $: "def", id: 1, v: {} },
      ]),
    ).toMatch(/^x\[0\]: a reference to object #1 before it is defined/);
    expect(
      decodeRefusal([
        { $: "def", id: 1, v: {} },
        { $: "def", id: 1, v: {} },
      ]),
    ).toMatch(/^x\[1\]: a second definition of object #1/);
    expect(decodeRefusal({ $: "def", id: "1", v: {} })).toMatch(/^x: a definition whose id "1" is not a positive integer/);
    expect(decodeRefusal({ $: 7 })).toMatch(/^x: a tag that is not a string/);
    expect(decodeRefusal({ k: { $: "function", v: "return 1" } })).toBe('x.k: an unknown tag "function"');
    // An inherited "$" is not a tag: the object decodes as plain data.
    const inherited = Object.create({ $: "global" }) as Json;
    expect(new Decoder().decode(inherited, "x")).toEqual({});
    // What the encoder writes still decodes: the built-in error classes by their own name.
    const [error] = roundTrip([new RangeError("r")]) as [Error];
    expect(error).toBeInstanceOf(RangeError);
  });
});

/** The MalformedData message decoding `data` throws. */
function decodeRefusal(data: unknown): string {
  try {
    new Decoder().decode(data as Json, "x");
  } catch (e) {
    expect(e).toBeInstanceOf(MalformedData);
    return (e as Error).message;
  }
  throw new Error("expected the data to be refused");
}
