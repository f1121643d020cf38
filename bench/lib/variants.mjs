// Compiles one workload source (TypeScript) into every variant the benchmark compares.
// Each variant is a CommonJS module written under bench/work/build/<workload>/<variant>.js.
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const ts = require("typescript");
const babel = require("@babel/core");

export const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const rootDir = dirname(benchDir);

/**
 * The variants, in table order. `kind` groups them: the baseline, the downlevel peers (the
 * "1.5x faster than every downlevel peer" target is against these), ours, the reference.
 */
export const VARIANTS = [
  { id: "native", label: "native async/await (tsc → ES2022)", kind: "baseline" },
  { id: "ts-es2015", label: "TypeScript ES2015 (__awaiter + generators)", kind: "peer" },
  { id: "ts-es5", label: "TypeScript ES5 (__awaiter + __generator)", kind: "peer" },
  { id: "babel-regenerator", label: "Babel async-to-generator + regenerator", kind: "peer" },
  { id: "async-to-promises", label: "babel-plugin-transform-async-to-promises", kind: "peer" },
  { id: "async-machine", label: "async-machine (promise mode)", kind: "ours" },
  {
    id: "poll",
    label:
      'async-machine poll mode (compiled: transform(src, { mode: "poll" }); the driver\'s await spawns it on the default executor; B1, E and S from their <file>.poll.ts forms, which spawn what a lazy call cannot start)',
    kind: "ours",
  },
  { id: "handwritten", label: "hand-written state machine (reference)", kind: "reference" },
  {
    id: "floor",
    label:
      "floor: the least this representation costs with native semantics (A1: one private reaction per await; C: the generated resume function, a Machine-shaped object and frame, and the least native driver)",
    kind: "reference",
  },
];

function tsToJs(source, fileName, target) {
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      target,
      module: ts.ModuleKind.CommonJS,
      // TypeScript 6 deprecates target ES5; it still emits it with this acknowledgement.
      ignoreDeprecations: "6.0",
      removeComments: false,
    },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    throw new Error(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; "));
  }
  return out.outputText;
}

function babelJs(js, plugins) {
  return babel.transformSync(js, {
    babelrc: false,
    configFile: false,
    sourceType: "script",
    compact: false,
    plugins,
  }).code;
}

/**
 * Builds `variant` of a workload. Returns `{ file, status, note, compiled, skipped }` where
 * status is "ok", "partial" (some async functions left native: the module still runs, but the
 * numbers are not all ours), "unavailable" (no such variant for this workload) or
 * "compile-error" (the compiler crashed; `note` says how).
 */
export function buildVariant(workload, variant, outRoot) {
  // A workload whose native form relies on what a lazy poll-mode call cannot do (B1 starts
  // `pong(…)` by calling it; E's harness calls `task(…)` and expects it suspended) has a poll-mode
  // form beside it, <file>.poll.ts, that spawns those calls; the poll variant compiles that one.
  const pollForm = join(benchDir, "workloads", `${workload.file}.poll.ts`);
  const own = variant.id === "poll" && existsSync(pollForm) ? `${workload.file}.poll` : workload.file;
  const srcFile = join(benchDir, "workloads", `${own}.ts`);
  const source = readFileSync(srcFile, "utf8");
  const fileName = `bench/workloads/${own}.ts`;
  const outFile = join(outRoot, workload.id, `${variant.id}.js`);
  mkdirSync(dirname(outFile), { recursive: true });
  const result = { file: outFile, status: "ok", note: "", compiled: undefined, skipped: [] };
  let code;
  try {
    switch (variant.id) {
      case "native":
        code = tsToJs(source, fileName, ts.ScriptTarget.ES2022);
        break;
      case "ts-es2015":
        code = tsToJs(source, fileName, ts.ScriptTarget.ES2015);
        break;
      case "ts-es5":
        code = tsToJs(source, fileName, ts.ScriptTarget.ES5);
        break;
      case "babel-regenerator":
        code = babelJs(tsToJs(source, fileName, ts.ScriptTarget.ES2022), [
          // async generators and `for await` (G) first, to generators with Babel's helpers
          require.resolve("@babel/plugin-transform-async-generator-functions"),
          require.resolve("@babel/plugin-transform-async-to-generator"),
          require.resolve("@babel/plugin-transform-regenerator"),
        ]);
        break;
      case "async-to-promises":
        code = babelJs(tsToJs(source, fileName, ts.ScriptTarget.ES2022), [[require.resolve("babel-plugin-transform-async-to-promises"), { inlineHelpers: true }]]);
        break;
      case "poll":
      case "async-machine": {
        // The library entry from dist/ (npm run bench builds it first).
        const { transform } = require(join(rootDir, "dist", "transformer", "index.js"));
        const out = transform(source, { fileName, runtime: "require", ...(variant.id === "poll" ? { mode: "poll" } : {}) });
        result.compiled = out.compiled;
        result.skipped = (out.skipped ?? []).map((s) => ({ name: s.name, line: s.line, column: s.column, reason: s.reason }));
        const errors = (out.diagnostics ?? []).filter((d) => d.category === "error");
        if (errors.length) result.note = errors.map((d) => `${d.line}:${d.column} ${d.message}`).join("; ");
        if (result.skipped.length > 0) {
          result.status = "partial";
          result.note =
            `${result.skipped.length} of ${result.skipped.length + (out.compiled ?? 0)} async functions left native: ` +
            result.skipped.map((s) => `${s.name} (line ${s.line}: ${s.reason})`).join("; ");
        }
        code = tsToJs(out.code, fileName, ts.ScriptTarget.ES2022);
        break;
      }
      case "floor": {
        const floor = join(benchDir, "floor", `${workload.file}.js`);
        if (!existsSync(floor)) return { ...result, file: undefined, status: "unavailable", note: "no floor program for this workload" };
        code = readFileSync(floor, "utf8");
        break;
      }
      case "handwritten": {
        const hand = join(benchDir, "handwritten", `${workload.file}.js`);
        if (!existsSync(hand)) return { ...result, file: undefined, status: "unavailable", note: "no hand-written machine for this workload" };
        code = readFileSync(hand, "utf8");
        break;
      }
      default:
        throw new Error(`unknown variant ${variant.id}`);
    }
  } catch (error) {
    return {
      ...result,
      file: undefined,
      status: "compile-error",
      note: String(error?.stack ?? error)
        .split("\n")
        .slice(0, 3)
        .join(" | "),
    };
  }
  writeFileSync(outFile, code);
  return result;
}
