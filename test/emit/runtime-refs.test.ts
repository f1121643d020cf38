/**
 * The lowering's references to the machine and the runtime are data (lower/runtime-refs.ts):
 * emit replaces a placeholder by what `LoweredFunction.runtimeRefs` says it stands for, found by
 * node identity. A placeholder missing from that map is a broken invariant: the transform fails
 * with an internal error naming the function, never prints it as an identifier. (buildCfg is
 * replaced here by one that drops the arguments placeholder from the map of `leaky`.) User
 * identifiers spelled like placeholders are checked against native by
 * fixtures/bindings/runtime-like-names.
 */
import { describe, expect, it, vi } from "vitest";
import { transform } from "../../transformer";

vi.mock("../../transformer/lower/build-cfg", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../transformer/lower/build-cfg")>();
  return {
    ...original,
    buildCfg: (...args: Parameters<typeof original.buildCfg>) => {
      const lowered = original.buildCfg(...args);
      if (args[1].name?.getText() !== "leaky") return lowered;
      const runtimeRefs = new Map([...lowered.runtimeRefs].filter(([, ref]) => ref.kind !== "args"));
      return { ...lowered, runtimeRefs };
    },
  };
});

describe("runtime references of the lowering", () => {
  it("a placeholder missing from the function's runtime references is an internal error naming the function", () => {
    const src = "export async function fine(a = 1) { await a; }\nexport async function leaky(a = 1) {\n  await a;\n}\n";
    expect(() => transform(src, { fileName: "src/x.ts" })).toThrow(
      "internal error in async function 'leaky' at src/x.ts:2:1: a placeholder ($am_args) that is not among the function's runtime references reached emit",
    );
    // Without the broken function the same code compiles: only `leaky`'s map lost an entry.
    const ok = transform("export async function fine(a = 1) { await a; }\n", { fileName: "src/x.ts" });
    expect(ok.compiled).toBe(1);
    expect(ok.code).not.toContain("$am_args");
  });

  it("every placeholder of a function that uses the runtime is replaced", () => {
    // Parameters from the arguments, a rest parameter, a dead zone, for…of and for await helpers.
    const src = [
      "export async function all(a = 1, ...rest) {",
      "  for (const x of await rest) { await x; }",
      "  for await (const y of rest) { log(y, z); }",
      "  let z = await a;",
      "  const { p, ...others } = await a;",
      "  return [p, others, z];",
      "}",
    ].join("\n");
    const r = transform(src, { fileName: "src/all.ts" });
    expect(r.compiled).toBe(1);
    expect(r.code).not.toMatch(/\$am_/);
  });
});
