/**
 * The `async-machine` command, run in-process (cli/run.ts) with captured output: every format
 * of `inspect`, its errors (exit 2 with a message that says what to do), and `build`'s refusals
 * and a real build through tspc.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../../cli/run";
import { ROOT, tempDir } from "./support";

const SAMPLE = `export async function retry(url: string, tries: number) {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const body = await fetchText(url);
      return body.length;
    } catch (e) {
      last = e;
      await sleep(10 * i);
    }
  }
  throw last;
}
export async function outer(n: number) {
  const inner = async (k: number) => {
    await null;
    return k * 2;
  };
  const a = await inner(n);
  return a + (await inner(a));
}
export async function evil(code: string) {
  await null;
  return eval(code);
}
declare function fetchText(url: string): Promise<string>;
declare function sleep(ms: number): Promise<void>;
`;

function cli(args: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = runCli(args, { cwd, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const dir = tempDir("cli");
fs.writeFileSync(path.join(dir, "sample.ts"), SAMPLE);

describe("async-machine inspect", () => {
  test("text: one table per machine, transitions, and functions left native with the reason", () => {
    const r = cli(["inspect", "sample.ts"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const text = r.stdout;
    expect(text).toContain("retry (sample.ts:1:1): 5 states, frame 4 slots, 0 captured");
    expect(text).toMatch(/^ {2}3 {2}AwaitFetchText_L5 +\d+ {2}5:20 +\[.*\] +fetchText\(url\)$/m);
    expect(text).toMatch(/AwaitSleep_L9 +-> AwaitFetchText_L5 {2}\(loop\)/);
    expect(text).toMatch(/AwaitFetchText_L5 +-> AwaitSleep_L9 {2}\(exception\)/);
    expect(text).toContain("outer (sample.ts:14:1)");
    expect(text).toContain("inner (sample.ts:15:17)");
    expect(text).toMatch(/left native\n {2}evil \(sample\.ts:22:1\): \[direct-eval\] direct `eval`/);
  });

  test("json: the documented shape", () => {
    const r = cli(["inspect", "sample.ts", "--format", "json"], dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(["version", "file", "functions", "skipped", "syntaxErrors"]);
    expect(report.version).toBe(1);
    expect(report.file).toBe("sample.ts");
    expect(report.functions.map((f: { name: string }) => f.name)).toEqual(["retry", "outer", "inner"]);
    const retry = report.functions[0];
    expect(Object.keys(retry)).toEqual(["name", "line", "column", "frameSize", "capturedSize", "captures", "states", "transitions", "hash", "mode"]);
    expect(retry.states.map((s: { index: number; name: string; kind: string }) => [s.index, s.name, s.kind])).toEqual([
      [0, "Unresumed", "unresumed"],
      [1, "Returned", "returned"],
      [2, "Panicked", "panicked"],
      [3, "AwaitFetchText_L5", "suspend"],
      [4, "AwaitSleep_L9", "suspend"],
    ]);
    const fetch = retry.states[3];
    expect(fetch).toMatchObject({ line: 5, column: 20, awaited: "fetchText(url)" });
    expect(fetch.live).toEqual(expect.arrayContaining(["url", "tries", "i"]));
    expect(fetch.fields.every((f: { storage: string; offset: number }) => f.storage === "frame" && f.offset >= 0)).toBe(true);
    expect(fetch.size).toBe(fetch.fields.length);
    expect(retry.transitions).toContainEqual({ from: 4, to: 3, kind: "loop" });
    expect(retry.transitions).toContainEqual({ from: 3, to: 4, kind: "exception" });
    expect(retry.transitions).toContainEqual({ from: 3, to: 1, kind: "normal" });
    for (const t of retry.transitions) expect(["normal", "loop", "exception", "finally"]).toContain(t.kind);
    expect(report.skipped).toEqual([{ name: "evil", line: 22, column: 1, code: "direct-eval", reason: expect.stringContaining("eval") }]);
  });

  test("json: stable across runs", () => {
    expect(cli(["inspect", "sample.ts", "--format=json"], dir).stdout).toBe(cli(["inspect", "sample.ts", "--format", "json"], dir).stdout);
  });

  test("mermaid: a stateDiagram-v2 within the grammar's safe alphabet", () => {
    const r = cli(["inspect", "sample.ts", "--format", "mermaid"], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("stateDiagram-v2");
    for (const line of lines.slice(1)) {
      // state/composite lines, descriptions (no further ':', ';' or '#'), transitions with an optional label
      expect(line).toMatch(/^\s*(state f\d+ \{|\}|f\d+ : [^:;#]+|(\[\*\]|f\d+_s\d+) --> (\[\*\]|f\d+_s\d+)( : [a-z]+)?|f\d+_s\d+ : [^:;#]+)$/);
    }
    expect(r.stdout).toContain("f0_s4 --> f0_s3 : loop");
  });

  test("dot: a digraph Graphviz accepts", () => {
    const r = cli(["inspect", "sample.ts", "--format", "dot"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^digraph "sample\.ts" \{\n/);
    expect(r.stdout).toContain(`"f0_s4" -> "f0_s3" [label="loop", style=dashed];`);
    const dot = spawnSync("dot", ["-Tsvg"], { input: r.stdout, encoding: "utf8" });
    if (dot.error) return; // Graphviz not installed here: the text checks above stand.
    expect(dot.stderr).toBe("");
    expect(dot.status).toBe(0);
  });

  test("--function selects by name; --expand prints the generated code", () => {
    const r = cli(["inspect", "sample.ts", "--function", "inner", "--expand"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^inner \(sample\.ts:15:17\)/);
    expect(r.stdout).not.toContain("retry");
    expect(r.stdout).toContain("  generated code");
    expect(r.stdout).toContain("inner$State = $am.states([");
    expect(r.stdout).toMatch(/function inner\$resume\(/);
    const json = JSON.parse(cli(["inspect", "sample.ts", "--function=retry", "--format", "json", "--expand"], dir).stdout);
    expect(json.functions[0].code).toContain("retry$resume");
    expect(cli(["inspect", "sample.ts", "--function", "evil"], dir).stdout).toMatch(/^left native\n {2}evil/);
  });

  test("usage errors exit 2 and say what to do", () => {
    const cases: Array<[string[], RegExp]> = [
      [["inspect"], /missing <file>\. Usage: async-machine inspect/],
      [["inspect", "nope.ts"], /cannot read 'nope\.ts': no such file\. Pass the path of one \.ts or \.js file/],
      [["inspect", "sample.txt"], /is not a TypeScript or JavaScript file/],
      [["inspect", "sample.ts", "--fromat", "json"], /unknown option '--fromat' for 'inspect' \(did you mean '--format'\?\)/],
      // Case does not count when suggesting (as for the plugin's options).
      [["inspect", "sample.ts", "--FUNCTION", "retry"], /unknown option '--FUNCTION' for 'inspect' \(did you mean '--function'\?\)/],
      [["inspect", "sample.ts", "--format", "yaml"], /unknown format 'yaml'\. Use one of: text, json, mermaid, dot/],
      [["inspect", "sample.ts", "--format", "dot", "--expand"], /--expand prints code, which dot cannot show/],
      [
        ["inspect", "sample.ts", "--function", "retri"],
        /no async function named 'retri' in sample\.ts; its async functions are: retry, outer, inner, evil \(left native\)\. Pass one of these names/,
      ],
      [["inspect", "sample.ts", "other.ts"], /inspect takes one file/],
      [["inspect", "sample.ts", "--function"], /option '--function' needs a value/],
      [["frobnicate"], /unknown command 'frobnicate'\. Commands: inspect, build/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args, dir);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout, args.join(" ")).toBe("");
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
  });

  test("--help, and no command at all", () => {
    expect(cli(["--help"], dir)).toMatchObject({ code: 0, stdout: expect.stringContaining("Usage: async-machine <command>") });
    expect(cli(["inspect", "--help"], dir)).toMatchObject({ code: 0, stdout: expect.stringContaining("--format FORMAT") });
    expect(cli(["build", "-h"], dir)).toMatchObject({ code: 0, stdout: expect.stringContaining("-p, --project PATH") });
    expect(cli([], dir)).toMatchObject({ code: 2, stdout: expect.stringContaining("Commands:") });
    expect(cli(["--version"], dir).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  test("JavaScript files, and files with syntax errors (exit 1, report still printed)", () => {
    fs.writeFileSync(path.join(dir, "plain.js"), "async function f(x) { const y = await x; return y + 1; }\n");
    expect(cli(["inspect", "plain.js"], dir)).toMatchObject({ code: 0, stdout: expect.stringContaining("f (plain.js:1:1)") });
    fs.writeFileSync(path.join(dir, "broken.ts"), "async function g() { await 1; }\nconst = ;\n");
    const r = cli(["inspect", "broken.ts"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("g (broken.ts:1:1)");
    expect(r.stderr).toMatch(/broken\.ts has syntax errors.*\n {2}broken\.ts:2:\d+ /);
  });
});

describe("async-machine build", () => {
  test("refuses TypeScript 7, which would build without the transform", () => {
    const project = tempDir("ts7");
    fs.mkdirSync(path.join(project, "node_modules", "typescript"), { recursive: true });
    fs.writeFileSync(path.join(project, "node_modules", "typescript", "package.json"), JSON.stringify({ name: "typescript", version: "7.0.0" }));
    fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { plugins: [{ transform: "async-machine/plugin" }] } }));
    const r = cli(["build"], project);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/async-machine build: async-machine needs TypeScript 6\.x: TypeScript 7 has no emit-transformer API/);
    expect(r.stderr).toMatch(/Found TypeScript 7\.0\.0\..*\(found at .*typescript[\\/]package\.json\)/);
  });

  test("refuses a tsconfig without the plugin, and a missing tsconfig", () => {
    const project = tempDir("noplugin");
    fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true } }));
    const r = cli(["build", "-p", "."], project);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no async-machine plugin entry.*Add \{ "transform": "async-machine\/plugin" \} to compilerOptions\.plugins/);
    expect(cli(["build", "-p", "missing.json"], project)).toMatchObject({ code: 2, stderr: expect.stringMatching(/no tsconfig at 'missing\.json'\. Pass -p/) });
    expect(cli(["build", "src"], project)).toMatchObject({ code: 2, stderr: expect.stringMatching(/build takes no file arguments/) });
  });

  test.skipIf(!fs.existsSync(path.join(ROOT, "dist", "transformer", "plugin.js")))("builds the example project through tspc", () => {
    const out = tempDir("build-out");
    const r = cli(["build", "-p", "examples/tsconfig.json", "--", "--outDir", out], ROOT);
    expect(r.stderr).toMatch(/^> tspc -p examples\/tsconfig\.json -- --outDir|^> tspc -p examples\/tsconfig\.json --outDir/);
    expect(r.code).toBe(0);
    const main = fs.readFileSync(path.join(out, "pool.js"), "utf8");
    expect(main).toMatch(/\.states\(\["Unresumed", "Returned", "Panicked"/);
  });
});
