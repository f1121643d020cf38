// Workload F: generates a TypeScript project with exactly `total` async functions (loops,
// try/catch/finally, awaits inside expressions, async arrows, async methods, compiled code
// calling compiled code), plus a main.ts that runs every one of them and prints a checksum, so
// the plain and the plugin build can be compared for output as well as for time and size.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// Each template: (name, index, prev) → { code, asyncCount, calls: [expressions to run in main] }
export const TEMPLATES = [
  // 0: loop, await in a compound assignment
  (name, k) => ({
    asyncCount: 1,
    code: `export async function ${name}(n: number): Promise<number> {
  let total = ${k % 17};
  for (let i = 0; i < n; i++) {
    total += await value(i * ${(k % 5) + 1});
  }
  return total;
}`,
    calls: [`${name}(n)`],
  }),
  // 1: try/catch/finally around awaits
  (name, k) => ({
    asyncCount: 1,
    code: `export async function ${name}(n: number): Promise<number> {
  let acc: number = ${k % 13};
  try {
    const v = await value(n + ${k % 7});
    if (v % 3 === 0) throw new Error("bad " + v);
    acc += v;
  } catch (error) {
    acc -= (error as Error).message.length;
  } finally {
    acc *= 2;
  }
  return acc;
}`,
    calls: [`${name}(n)`],
  }),
  // 2: awaits inside larger expressions
  (name, k) => ({
    asyncCount: 1,
    code: `export async function ${name}(n: number): Promise<number> {
  const a = (await value(n)) + (await value(n + ${k % 9})) * 2;
  return Math.max(a, await value(${k % 11})) - ${k % 3};
}`,
    calls: [`${name}(n)`],
  }),
  // 3: await in a loop condition, early return
  (name, k) => ({
    asyncCount: 1,
    code: `export async function ${name}(n: number): Promise<number> {
  let k = 0;
  while ((await value(k)) < n + ${k % 4}) {
    k++;
    if (k > 50) return -1;
  }
  return k;
}`,
    calls: [`${name}(n)`],
  }),
  // 4: awaits in object literals, templates and call arguments
  (name, k) => ({
    asyncCount: 1,
    code: `interface Item${k} { id: number; name: string }
export async function ${name}(n: number): Promise<number> {
  const item: Item${k} = { id: n, name: \`item\${await value(n + ${k % 6})}\` };
  return item.name.length + combine(await value(n), item.id);
}`,
    calls: [`${name}(n)`],
  }),
  // 5: compiled code calling compiled code (the previous function of the file)
  (name, k, prev) => ({
    asyncCount: 1,
    code: `export async function ${name}(n: number): Promise<number> {
  const before = await ${prev}(n);
  const after = n > 1 ? await ${prev}(n - 1) : 0;
  return before - after + ${k % 10};
}`,
    calls: [`${name}(n)`],
  }),
  // 6: async arrows, for…of over their promises
  (name, k) => ({
    asyncCount: 2,
    code: `export async function ${name}(n: number): Promise<number> {
  const parts = [1, 2, 3, n].map(async (x: number) => x * ${(k % 4) + 1} + (await value(x)));
  let sum = 0;
  for (const p of parts) sum += await p;
  return sum;
}`,
    calls: [`${name}(n)`],
  }),
  // 7: a class with async methods using this and a switch
  (name, k) => ({
    asyncCount: 2,
    code: `export class ${name} {
  private readonly base: number = ${k % 19};
  async load(n: number): Promise<number> {
    const v = await value(n);
    switch (v % 3) {
      case 0: return this.base + v;
      case 1: return this.base - v;
      default: return await this.twice(v);
    }
  }
  async twice(v: number): Promise<number> {
    return (await value(v)) * 2 + this.base;
  }
}`,
    calls: [`new ${name}().load(n)`],
  }),
];

/** Writes the project under `dir`; returns { files, asyncFunctions }. */
export function generateProject(dir, total, perFile = 50) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(
    join(dir, "src", "util.ts"),
    `// Sometimes a plain value, sometimes a promise, sometimes a promise from a timer-free chain.
export function value(x: number): number | Promise<number> {
  if (x % 4 === 0) return x;
  if (x % 4 === 1) return Promise.resolve(x);
  return Promise.resolve(x).then((v) => v);
}
export function combine(a: number, b: number): number {
  return a * 31 + b;
}
`,
  );
  let count = 0;
  let fileIndex = 0;
  const mains = [];
  const budget = total - 1; // main() is the last async function
  while (count + 2 <= budget) {
    const modName = `m${String(fileIndex).padStart(3, "0")}`;
    const parts = [`import { value, combine } from "./util";`, `void combine;`];
    const calls = [];
    let prev = undefined;
    let inFile = 0;
    // each file ends with runAll(), one more async function
    while (inFile < perFile && count + 1 + 1 <= budget) {
      const k = count;
      let t = k % TEMPLATES.length;
      if (t === 5 && prev === undefined) t = 0; // needs a previous function
      let made = TEMPLATES[t](`f${k}`, k, prev);
      if (count + made.asyncCount + 1 > budget) {
        t = 0;
        made = TEMPLATES[0](`f${k}`, k, prev);
      }
      parts.push(made.code);
      calls.push(...made.calls);
      count += made.asyncCount;
      inFile += made.asyncCount;
      if (t !== 7) prev = `f${k}`;
    }
    parts.push(`export async function runAll(n: number): Promise<number> {
  let sum = 0;
${calls.map((c) => `  sum = (sum * 7 + (await ${c})) % 1000000007;`).join("\n")}
  return sum;
}`);
    count += 1; // runAll is an async function too
    writeFileSync(join(dir, "src", `${modName}.ts`), parts.join("\n\n") + "\n");
    mains.push(modName);
    fileIndex++;
  }
  writeFileSync(
    join(dir, "src", "main.ts"),
    `${mains.map((m) => `import * as ${m} from "./${m}";`).join("\n")}

const modules = [${mains.join(", ")}];
async function main(): Promise<void> {
  let checksum = 0;
  for (const n of [1, 2, 3, 4]) {
    for (const m of modules) checksum = (checksum * 31 + (await m.runAll(n))) % 1000000007;
  }
  console.log(String(checksum));
}
main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`,
  );
  count += 1; // main
  const base = {
    module: "commonjs",
    moduleResolution: "node10",
    target: "ES2022",
    lib: ["ES2022"],
    types: [],
    strict: true,
    rootDir: "src",
    skipLibCheck: true,
    ignoreDeprecations: "6.0",
    declaration: false,
    sourceMap: false,
  };
  // Explicit `console`/`process` types without @types/node: keep the build about our code.
  writeFileSync(
    join(dir, "src", "env.d.ts"),
    `declare const console: { log(...a: unknown[]): void; error(...a: unknown[]): void };\ndeclare const process: { exitCode: number | undefined };\n`,
  );
  const config = (outDir, plugins) => JSON.stringify({ compilerOptions: { ...base, outDir, ...(plugins ? { plugins } : {}) }, include: ["src/**/*.ts"] }, null, 2);
  writeFileSync(join(dir, "tsconfig.plain.json"), config("out-plain"));
  writeFileSync(join(dir, "tsconfig.plugin.json"), config("out-plugin", [{ transform: "async-machine/plugin" }]));
  writeFileSync(join(dir, "tsconfig.plugin-production.json"), config("out-plugin-production", [{ transform: "async-machine/plugin", profile: "production" }]));
  return { files: mains.length + 3, asyncFunctions: count };
}
