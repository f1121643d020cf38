/**
 * `export default async function*` compiles (no script can hold it, so no fixture): named and
 * anonymous, each module run natively and compiled (`runtime: "inline"`) as ES modules in a
 * child Node, their outputs equal. The importer sees the generator's shape (name, length,
 * AsyncGeneratorFunction prototype, own `prototype`) and its values; a module that imports it
 * back calls it while its module is still being evaluated (hoisted declaration).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { transform } from "../../transformer";

const NAMED = `import { early } from "./cycle.mjs";
export const seenEarly = early;
export default async function* counted(n, step = 1) {
  for (let i = 0; i < n; i += step) yield [i, arguments.length];
  return "done";
}
`;
const ANONYMOUS = `export default async function* (x) {
  try {
    yield x;
    yield await Promise.resolve(x * 2);
  } finally {
    console.log("anonymous finally");
  }
}
`;
// Imported by the named module before it runs: the default export is called while that module is not evaluated yet.
const CYCLE = `import counted from "./named.mjs";
export const early = typeof counted === "function" ? counted.name : "not yet";
`;
const MAIN = `import counted from "./named.mjs";
import anonymous from "./anonymous.mjs";
import { seenEarly } from "./named.mjs";
const AGF = Object.getPrototypeOf(async function* () {});
for (const f of [counted, anonymous]) {
  const d = Object.getOwnPropertyDescriptor(f, "prototype");
  console.log(f.name, f.length, Object.getPrototypeOf(f) === AGF, d.writable, d.enumerable, d.configurable, Object.getPrototypeOf(d.value) === AGF.prototype);
  try { new f(); } catch (e) { console.log("new", e.constructor.name); }
}
console.log("early", seenEarly);
const all = [];
for await (const v of counted(5, 2)) all.push(v);
console.log(JSON.stringify(all));
const g = anonymous(3);
console.log(Object.getPrototypeOf(g) === anonymous.prototype);
console.log(JSON.stringify([await g.next(), await g.next(), await g.return("R"), await g.next()]));
`;

function runModules(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const r = spawnSync(process.execPath, [path.join(dir, "main.mjs")], { encoding: "utf8" });
  return r.stdout + r.stderr;
}

describe("export default async function*", () => {
  it("compiles, named and anonymous, and runs as native", { timeout: 60_000 }, () => {
    const sources = { "named.mjs": NAMED, "anonymous.mjs": ANONYMOUS, "cycle.mjs": CYCLE, "main.mjs": MAIN };
    const compiled: Record<string, string> = { ...sources };
    for (const name of ["named.mjs", "anonymous.mjs"]) {
      const r = transform(sources[name as keyof typeof sources], { fileName: name, runtime: "inline" });
      expect([name, r.compiled, r.skipped]).toEqual([name, 1, []]);
      compiled[name] = r.code;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "am-default-gen-"));
    try {
      fs.mkdirSync(path.join(dir, "native"));
      fs.mkdirSync(path.join(dir, "compiled"));
      const native = runModules(path.join(dir, "native"), sources);
      expect(native).toContain("counted 1 true true false false true");
      expect(runModules(path.join(dir, "compiled"), compiled)).toBe(native);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
