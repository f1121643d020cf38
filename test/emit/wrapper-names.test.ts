/**
 * The names a compiled function's wrapper and its stack frames carry, against native: a
 * declaration's wrapper is swapped in by `$am.asyncFunction(method, resume)`, which names the
 * resume function too; an arrow is named by the property holding it (a computed key for
 * `__proto__`, which as a plain key would set the prototype instead).
 */
import { describe, expect, test } from "vitest";
import { transform } from "../../transformer/index";
import type { Profile } from "../../transformer/profile";
import * as runtime from "../../runtime/index";
import { transpile } from "../inspect/support";

const SOURCE = `
export async function declared(fail: boolean) { await 1; if (fail) throw new Error("x"); return 1; }
export const arrow = async (fail: boolean) => { await 1; if (fail) throw new Error("x"); return 2; };
let __proto__ = async () => { await 1; return 3; };
export const protoArrow = __proto__;
export const holder = { "a b": async () => { await 1; return 4; }, default: async () => 5 };
export const unnamed = [async () => 6][0];
`;

type Exports = Record<string, unknown> & { holder: Record<string, unknown> };

function load(code: string): Exports {
  const module = { exports: {} as Record<string, unknown> };
  const requireFn = (id: string): unknown => {
    if (id === "async-machine/runtime") return runtime;
    throw new Error(`unexpected require(${id})`);
  };
  new Function("require", "module", "exports", transpile(code, "names.ts"))(requireFn, module, module.exports);
  return module.exports as Exports;
}

const compiled = (profile: Profile): Exports => load(transform(SOURCE, { fileName: "names.ts", runtime: "require", runtimeSpecifier: "async-machine/runtime", profile }).code);

/** What can be seen of each function: its name, its shape, and the frame a throw after an await shows. */
async function observe(m: Exports): Promise<unknown[]> {
  const fns = [m.declared, m.arrow, m.protoArrow, m.holder["a b"], m.holder.default, m.unnamed] as Array<(fail?: boolean) => Promise<unknown>>;
  const AsyncFunction = Object.getPrototypeOf(async () => {});
  const seen: unknown[] = fns.map((f) => [f.name, Object.getPrototypeOf(f) === AsyncFunction, Object.hasOwn(f, "prototype")]);
  for (const f of [m.declared, m.arrow] as Array<(fail: boolean) => Promise<unknown>>) {
    const error = (await f(true).catch((e: Error) => e)) as Error;
    seen.push(/\n\s+at (\S+) /.exec(error.stack ?? "")?.[1]);
  }
  seen.push(await Promise.all(fns.map((f) => f(false))));
  return seen;
}

describe("wrapper and frame names", () => {
  test.each(["development", "production"] as const)("profile %s: as native's", async (profile) => {
    const code = transform(SOURCE, { fileName: "names.ts", runtime: "require", runtimeSpecifier: "async-machine/runtime", profile }).code;
    expect(code).not.toContain("async ");
    expect(code).toContain(profile === "production" ? "}, $R);" : "declared$resume);");
    const native = await observe(load(SOURCE));
    expect(native[0]).toEqual(["declared", true, false]);
    expect(native[2]).toEqual(["__proto__", true, false]);
    expect(await observe(compiled(profile))).toEqual(native);
  });
});
