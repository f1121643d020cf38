/**
 * The production profile (transformer/profile.ts): what it drops from the output (state enums,
 * MachineInfo, comments), the names sibling machines share, how every entry takes the option
 * (transform(), the plugin's and adapters' options, the CLI's --profile, the Node hook's
 * environment variable), and what the runtime's inspection tools say about a machine compiled
 * that way. That the machines behave as native is checked on every fixture by
 * test/fixtures.test.ts ("production-profile trace equals native trace").
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { transform } from "../../transformer/index";
import { resolvePluginOptions } from "../../transformer/config";
import { runCli } from "../../cli/run";
import * as runtime from "../../runtime/index";
import { disableTaskTracking, dumpTasks, enableTaskTracking, formatTasks, snapshot, trackedMachines, InspectError } from "../../runtime/inspect/index";
import { deferred, settle, tempDir, transpile } from "../inspect/support";

const SOURCE = `
export async function first(n: number, gate: Promise<number>) {
  let total = n;
  try {
    total += await gate;
  } finally {
    total++;
  }
  return total;
}
export async function second(n: number, gate: Promise<number>) {
  const inner = async (k: number) => (await gate) + k;
  const a = await inner(n);
  return a + (await inner(a));
}
`;

function compile(profile?: "development" | "production"): string {
  return transform(SOURCE, { fileName: "prod.ts", runtime: "require", runtimeSpecifier: "async-machine/runtime", profile }).code;
}

/** Evaluates the compiled module here, against the runtime the tests import. */
function load(code: string): Record<string, (...args: unknown[]) => Promise<unknown>> {
  const module = { exports: {} as Record<string, unknown> };
  const requireFn = (id: string): unknown => {
    if (id === "async-machine/runtime") return runtime;
    throw new Error(`unexpected require(${id})`);
  };
  new Function("require", "module", "exports", transpile(code, "module.ts"))(requireFn, module, module.exports);
  return module.exports as Record<string, (...args: unknown[]) => Promise<unknown>>;
}

afterEach(() => disableTaskTracking());

describe("transform() with profile production", () => {
  test("development is the default: the output is the same as with profile development", () => {
    expect(compile()).toBe(compile("development"));
    expect(compile()).toContain(".states([");
  });

  test("no state enum, no MachineInfo, no comments; the wrapper passes 0 for the enum", () => {
    const code = compile("production");
    expect(code).not.toContain(".states(");
    expect(code).not.toContain("$State");
    expect(code).not.toContain("/*");
    expect(code).toContain("$am.startWithFrame($R, 0, this, [n, gate])");
  });

  test("resume functions are named $R, $R_1…, one created in an IIFE $RL; the runtime gives each its function's name", async () => {
    const code = compile("production");
    expect(code).not.toContain("$resume");
    expect(code).toContain("function $R($m, $v, $t)");
    expect(code).toContain("function $R_1($m, $v, $t)");
    expect(code).toContain("function $RL($m_1, $v_1, $t_1)");
    const gate = Promise.resolve(1);
    const { first, second } = load(code);
    expect([first.name, second.name]).toEqual(["first", "second"]);
    const native = load(SOURCE);
    expect(await first(2, gate)).toBe(await native.first(2, gate));
    expect(await second(2, gate)).toBe(await native.second(2, gate));
    // A frame of a resume function reads as the function's own.
    const thrower = load(
      transform(`export async function failing(gate: Promise<number>) { await gate; throw new Error("x"); }`, {
        fileName: "t.ts",
        runtime: "require",
        runtimeSpecifier: "async-machine/runtime",
        profile: "production",
      }).code,
    ).failing;
    const error = (await thrower(gate).catch((e: Error) => e)) as Error;
    expect(/\n\s+at (\S+) /.exec(error.stack ?? "")?.[1]).toBe("failing");
  });

  test("sibling machines share their own names; a nested machine gets its own (both profiles)", () => {
    for (const [profile, first, second, inner] of [
      ["production", "$R", "$R_1", "$RL"],
      ["development", "first$resume", "second$resume", "inner$resume"],
    ] as const) {
      const code = compile(profile);
      expect(code).toContain(`function ${first}($m, $v, $t)`);
      expect(code).toContain(`function ${second}($m, $v, $t)`);
      expect(code).toContain(`function ${inner}($m_1, $v_1, $t_1)`);
    }
  });

  test("resume functions created in an IIFE with their wrapper reuse one name; the wrapper names them (both profiles)", async () => {
    const src = `export async function both(xs: number[]) {
  const a = await Promise.all(xs.map(async (x) => (await x) + 1));
  const b = await Promise.all(xs.map(async (x) => (await x) * 2));
  const c = await Promise.all(xs.map(async (x) => { await x; return new Error("at " + x).stack!.split("\\n")[1]; }));
  return [a, b, c];
}`;
    for (const [profile, name] of [
      ["production", "$RL"],
      ["development", "anonymous_$resume"],
    ] as const) {
      const code = transform(src, { fileName: "both.ts", runtime: "require", runtimeSpecifier: "async-machine/runtime", profile }).code;
      expect(code.split(`function ${name}(`)).toHaveLength(4);
      expect(code).not.toContain(`${name}_1`);
      expect(code).not.toContain("$am.named(");
      const [a, b, c] = (await load(code).both([1, 2])) as [number[], number[], string[]];
      expect([a, b]).toEqual([
        [2, 3],
        [2, 4],
      ]);
      // The arrows' frames are anonymous, as native ones are: the resume function is named "".
      for (const frame of c) expect(frame).not.toMatch(/\$resume|\$R/);
    }
  });

  test("a name the source uses is still never taken", () => {
    const src = `const $m = 1; async function a() { await 1; return $m; } async function b() { await 2; return $m; }`;
    const code = transform(src, { fileName: "x.ts", profile: "production" }).code;
    expect(code).toContain("function $R($m_1, $v, $t)");
    expect(code).toContain("function $R_1($m_1, $v, $t)");
    const taken = `const $R = 1; async function a() { await 1; return $R; }`;
    expect(transform(taken, { fileName: "x.ts", profile: "production" }).code).toContain("function $R_1($m, $v, $t)");
  });

  test("temporaries never live together share a name; those live together do not", async () => {
    const src = `export async function spill(f: (x: number) => Promise<number>) {
  let sum = 1;
  sum = (sum * 7 + (await f(1))) % 97;
  sum = (sum * 7 + (await f(2))) % 97;
  sum = (sum * 7 + (await f(3))) % 97;
  return [sum, await f(4), await f(5), await f(6)];
}`;
    const code = transform(src, { fileName: "spill.ts", runtime: "require", runtimeSpecifier: "async-machine/runtime", profile: "production" }).code;
    const dev = transform(src, { fileName: "spill.ts", runtime: "require", runtimeSpecifier: "async-machine/runtime", profile: "development" }).code;
    expect(dev).toContain("$operand_2");
    // The three sums' operands share one name, the array's first elements (live together) two;
    // shared names are short.
    expect(code).toContain("let f, sum, $o, $o_1;");
    const f = async (x: number) => x * 10;
    const run = async (js: string) => load(js).spill(f);
    expect(await run(code)).toEqual(await run(dev));
    expect(await run(code)).toEqual([(((((1 * 7 + 10) % 97) * 7 + 20) % 97) * 7 + 30) % 97, 40, 50, 60]);
  });

  test("a resume function prints on one line per case (a nested switch: one per its cases)", () => {
    const code = compile("production");
    const resume = code.slice(code.indexOf("function $R("), code.indexOf("\n}", code.indexOf("function $R(")) + 2);
    // The header, the dispatch and the try on the first line; each case one line of its own.
    expect(resume).toMatch(/^function \$R\(\$m, \$v, \$t\) \{ let [^\n]*\$mc: for \(;;\) \{ try \{ switch \(\$l\) \{\n/);
    expect(resume).toMatch(/\n {4}case 0: \{ [^\n]*return \$m\.await\(\$v\); \}\n/);
    for (const line of resume.split("\n")) expect(line).toMatch(/^ {0,8}[^ ]/);
    // Development keeps one statement per line.
    expect(compile("development")).toMatch(/\n {16}case 0 \/\* Unresumed \*\/:\n {20}/);
  });

  test("is smaller", () => {
    expect(compile("production").length).toBeLessThan(compile("development").length * 0.8);
  });
});

describe("the option in every entry", () => {
  test("plugin and adapter options: profile is checked, development by default", () => {
    expect(resolvePluginOptions({}).profile).toBe("development");
    expect(resolvePluginOptions({ profile: "production" }).profile).toBe("production");
    expect(() => resolvePluginOptions({ profile: "prod" })).toThrow(/"profile" must be one of "development", "production", got "prod"/);
    expect(() => resolvePluginOptions({ profil: "production" })).toThrow(/did you mean "profile"/);
  });

  test("compile --profile production writes production output; a bad value is a usage error", () => {
    const dir = tempDir("profile");
    const js = `exports.f = f; async function f(a) { await a; return a; }\n`;
    fs.writeFileSync(path.join(dir, "a.js"), js);
    fs.writeFileSync(path.join(dir, "b.js"), js);
    const io = (out: string[]) => ({ cwd: dir, stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t) });
    const errors: string[] = [];
    expect(runCli(["compile", "a.js", "--profile", "bogus"], io(errors))).toBe(2);
    expect(errors.join("")).toContain("--profile must be 'development' or 'production', got 'bogus'");
    expect(runCli(["compile", "a.js", "--profile", "production"], io([]))).toBe(0);
    expect(runCli(["compile", "b.js"], io([]))).toBe(0);
    const a = fs.readFileSync(path.join(dir, "a.js"), "utf8");
    const b = fs.readFileSync(path.join(dir, "b.js"), "utf8");
    expect(a).toContain("startWithFrame($R, 0, this, [a])");
    expect(a).not.toContain(".states(");
    expect(b).toContain(".states([");
  });

  test("inspect --profile production: the same layout, the production code with --expand", () => {
    const dir = tempDir("profile-inspect");
    fs.writeFileSync(path.join(dir, "prod.ts"), SOURCE);
    const run = (...args: string[]) => {
      let stdout = "";
      const code = runCli(["inspect", "prod.ts", "--format", "json", ...args], { cwd: dir, stdout: (t) => void (stdout += t), stderr: () => {} });
      expect(code).toBe(0);
      return JSON.parse(stdout);
    };
    const dev = run("--expand");
    const prod = run("--expand", "--profile", "production");
    expect(prod.profile).toBe("production");
    expect(dev.profile).toBeUndefined();
    const layout = (r: { functions: { states: unknown; frameSize: number; hash: string }[] }) => r.functions.map((f) => [f.states, f.frameSize, f.hash]);
    expect(layout(prod)).toEqual(layout(dev));
    expect(prod.functions[0].code).not.toContain(".states(");
    expect(dev.functions[0].code).toContain(".states(");
  });
});

describe("inspection of a machine compiled in production profile", () => {
  test("it runs as the development build does", async () => {
    const dev = load(compile("development"));
    const prod = load(compile("production"));
    expect(await prod.first(1, Promise.resolve(2))).toBe(await dev.first(1, Promise.resolve(2)));
    expect(await prod.second(1, Promise.resolve(2))).toBe(await dev.second(1, Promise.resolve(2)));
  });

  test("dumpTasks names the function and says what the profile dropped", async () => {
    const mod = load(compile("production"));
    enableTaskTracking();
    const gate = deferred<number>();
    const done = mod.first(1, gate.promise);
    await settle();
    const [m] = trackedMachines();
    expect(m.stateName).toBe("State3");
    const [stack] = dumpTasks();
    expect(stack.frames[0]).toMatchObject({ function: "first", stateName: "State3", location: undefined, production: true });
    expect(formatTasks()).toContain('compiled with profile "production", which keeps no state names, await locations or variable names');
    gate.resolve(1);
    expect(await done).toBe(3);
  });

  test("snapshot refuses it, naming the profile", async () => {
    const mod = load(compile("production"));
    enableTaskTracking();
    const gate = deferred<number>();
    const done = mod.first(1, gate.promise);
    await settle();
    expect(() => snapshot(done)).toThrow(InspectError);
    expect(() => snapshot(done)).toThrow(/first was compiled with profile "production".*build with profile "development"/);
    gate.resolve(1);
    await done;
  });
});
