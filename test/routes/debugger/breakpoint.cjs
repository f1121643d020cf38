// Child of debugger.test.ts: compiles a small async function with transform(), loads it with
// its inline source map, sets a breakpoint through the Node inspector at the generated line the
// map gives for an original line, runs the function, and prints where the debugger paused
// (mapped back to the original) as JSON.
const fs = require("node:fs");
const inspector = require("node:inspector");
const os = require("node:os");
const path = require("node:path");
const { eachMapping, originalPositionFor, TraceMap } = require("@jridgewell/trace-mapping");
const { transform } = require("../../../dist/transformer");

const lines = [
  "async function g(n) { return n; }", // 1
  "async function work(n) {", // 2
  "  let total = 0;", // 3
  "  for (let i = 0; i < n; i++) {", // 4
  "    total += await g(i);", // 5
  "    total *= 2;", // 6
  "  }", // 7
  "  return total;", // 8
  "}", // 9
  "module.exports = { work, g };", // 10
];
const line = Number(process.argv[2]);
// `ends-without-return`: line 8 is `module.exports.total = total;`, so `work` runs to its closing `}`.
if (process.argv[4] === "ends-without-return") lines[7] = "  module.exports.total = total;";
const source = lines.join("\n");
// `native`: the same source run as it is (the referee), its breakpoint set at the line's start.
const native = process.argv[3] === "native";
const result = native
  ? {
      code: source,
      map: {
        version: 3,
        sources: ["work.js"],
        names: [],
        mappings: source
          .split("\n")
          .map((_, i) => (i === 0 ? "AAAA" : "AACA"))
          .join(";"),
      },
    }
  : transform(source, { fileName: "work.js", runtime: "require", runtimeSpecifier: require.resolve("../../../dist/runtime") });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "async-machine-debug-"));
const file = path.join(dir, "work.js");
fs.writeFileSync(file, result.code + "\n//# sourceMappingURL=data:application/json;base64," + Buffer.from(JSON.stringify(result.map)).toString("base64") + "\n");
const map = new TraceMap(result.map);
// As a debugger client does: the first generated position the map leads to the original line,
// or to the next original line that has one (a line with no code of its own, such as `}`).
let at;
for (let wanted = line; !at && wanted <= source.split("\n").length; wanted++) {
  eachMapping(map, (m) => {
    if (!at && m.originalLine === wanted) at = { line: m.generatedLine, column: m.generatedColumn };
  });
}
if (!at) {
  console.log(JSON.stringify({ unmapped: line }));
  process.exit(0);
}

const session = new inspector.Session();
session.connect();
const paused = [];
session.on("Debugger.paused", ({ params }) => {
  const top = params.callFrames[0];
  const original = originalPositionFor(map, { line: top.location.lineNumber + 1, column: top.location.columnNumber });
  paused.push({ line: original.line, generatedLine: top.location.lineNumber + 1 });
  session.post("Debugger.resume");
});
session.post("Debugger.enable", () => {
  session.post("Debugger.setBreakpointByUrl", { url: require("node:url").pathToFileURL(file).href, lineNumber: at.line - 1, columnNumber: at.column }, (error) => {
    if (error) throw error;
    const loaded = require(file);
    const { work } = loaded;
    work(3).then((returned) => {
      const value = returned ?? loaded.total;
      session.post("Debugger.disable");
      fs.rmSync(dir, { recursive: true, force: true });
      console.log(JSON.stringify({ value, compiled: !/^async\b/.test(String(work)), paused }));
    });
  });
});
