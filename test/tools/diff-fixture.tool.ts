// Developer tool, not part of `npm test` (it is a .tool.ts file, which the main vitest config
// does not pick up). Prints native vs compiled traces of the fixtures named in FIXTURES.
//   FIXTURES="basic/await-throw try/finally-throw" npx vitest run test/tools --config test/tools/vitest.tools.ts
import { readFileSync } from "node:fs";
import { test } from "vitest";
import { runCompiled, runNative, compileForSnapshot } from "../helpers/trace";

test("diff fixtures", async () => {
  for (const name of (process.env.FIXTURES ?? "").split(/\s+/).filter(Boolean)) {
    const file = `fixtures/${name}/input.ts`;
    const src = readFileSync(file, "utf8");
    const a = (await runNative(src, file)).trace;
    const b = await runCompiled(src, file);
    const lines = [`== ${name}${b.result?.skipped?.length ? " SKIPPED " + JSON.stringify(b.result.skipped.map((s: { reason: string }) => s.reason)) : ""}`];
    let shown = 0;
    for (let i = 0; i < Math.max(a.length, b.trace.length) && shown < Number(process.env.LINES ?? 4); i++) {
      if (a[i] !== b.trace[i]) {
        lines.push(`  #${i} native:   ${a[i]}\n      compiled: ${b.trace[i]}`);
        shown++;
      }
    }
    if (process.env.SHOW) lines.push(compileForSnapshot(src, file));
    console.log(lines.join("\n"));
  }
});
