// Child of debugger.test.ts: compiles `work` (or keeps it native), pauses at a breakpoint on
// original line 5 (`total += await g(i)`), then steps over and over, as a client does with the
// runtime in its ignore list (`Debugger.setBlackboxPatterns`, what VS Code's `skipFiles` and
// DevTools' ignore list send): pauses at generated positions the map has no line for are
// stepped through (a client's smart step). Prints the original lines it paused on, as JSON.
const fs = require("node:fs");
const inspector = require("node:inspector");
const os = require("node:os");
const path = require("node:path");
const url = require("node:url");
const { eachMapping, originalPositionFor, TraceMap } = require("@jridgewell/trace-mapping");
const { transform } = require("../../../dist/transformer");

const source = [
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
].join("\n");
const native = process.argv[2] === "native";
const runtimeDir = path.dirname(require.resolve("../../../dist/runtime"));
const result = native
  ? { code: source, map: { version: 3, sources: ["work.js"], names: [], mappings: source.split("\n").map((_, i) => (i === 0 ? "AAAA" : "AACA")).join(";") } }
  : transform(source, { fileName: "work.js", runtime: "require", runtimeSpecifier: require.resolve("../../../dist/runtime") });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "async-machine-step-"));
const file = path.join(dir, "work.js");
fs.writeFileSync(file, result.code + "\n//# sourceMappingURL=data:application/json;base64," + Buffer.from(JSON.stringify(result.map)).toString("base64") + "\n");
const map = new TraceMap(result.map);
let at;
eachMapping(map, (m) => {
  if (!at && m.originalLine === 5) at = { line: m.generatedLine, column: m.generatedColumn };
});

const session = new inspector.Session();
session.connect();
const scripts = new Map();
session.on("Debugger.scriptParsed", ({ params }) => scripts.set(params.scriptId, params.url));
const lines = [];
let breakpointId;
session.on("Debugger.paused", ({ params }) => {
  const top = params.callFrames[0].location;
  if (scripts.get(top.scriptId) !== url.pathToFileURL(file).href) return session.post("Debugger.resume"); // left the function
  if (breakpointId) session.post("Debugger.removeBreakpoint", { breakpointId: breakpointId });
  breakpointId = undefined;
  const line = originalPositionFor(map, { line: top.lineNumber + 1, column: top.columnNumber }).line;
  if (line !== null && line !== lines[lines.length - 1]) lines.push(line);
  session.post("Debugger.stepOver");
});
session.post("Debugger.enable", () => {
  const pattern = runtimeDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  session.post("Debugger.setBlackboxPatterns", { patterns: [pattern] }, () => {
    session.post("Debugger.setBreakpointByUrl", { url: url.pathToFileURL(file).href, lineNumber: at.line - 1, columnNumber: at.column }, (error, r) => {
      if (error) throw error;
      breakpointId = r.breakpointId;
      const { work } = require(file);
      work(3).then((value) => {
        session.post("Debugger.disable");
        fs.rmSync(dir, { recursive: true, force: true });
        console.log(JSON.stringify({ value, compiled: !/^async\b/.test(String(work)), lines }));
      });
    });
  });
});
