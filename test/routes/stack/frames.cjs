// Child of stack-frames.test.ts: runs a small program (native, or compiled by transform() with
// its inline source map) under --enable-source-maps and prints, for each error it catches, the
// stack frames that point into the program's own file.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { transform } = require("../../../dist/transformer");

const source = [
  "function fail(what) { throw new Error(what); }", // 1
  "class FileStore {", // 2
  "  async validate(items) {", // 3
  "    for (const item of items) {", // 4
  "      await null;", // 5
  "      if (item > 2) fail('bad ' + item);", // 6
  "    }", // 7
  "  }", // 8
  "  static async open(name) { await null; throw new Error(name); }", // 9
  "}", // 10
  "async function load(n) {", // 11
  "  await null;", // 12
  "  throw new Error('load ' + n);", // 13
  "}", // 14
  "const check = async (n) => { await null; return fail('check ' + n); };", // 15
  "const frames = (error) => error.stack.split('\\n').slice(1).map((l) => l.trim());", // 16
  "const anonymous = [0].map(async () => { await null; throw new Error('anonymous'); })[0];", // 17
  "module.exports = { native: /^async\\b/.test(String(load)), done: Promise.allSettled([new FileStore().validate([1, 2, 3]), FileStore.open('x'), load(1), check(2), anonymous])", // 18
  "  .then((results) => results.map((r) => frames(r.reason))) };", // 19
].join("\n");

const compiled = process.argv[2] === "compiled";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "async-machine-frames-"));
const file = path.join(dir, "program.js");
if (compiled) {
  const result = transform(source, { fileName: "program.js", runtime: "require", runtimeSpecifier: require.resolve("../../../dist/runtime") });
  fs.writeFileSync(file, result.code + "\n//# sourceMappingURL=data:application/json;base64," + Buffer.from(JSON.stringify({ ...result.map, sources: [file] })).toString("base64") + "\n");
} else {
  fs.writeFileSync(file, source);
}
const program = require(file);
program.done.then((frames) => {
  fs.rmSync(dir, { recursive: true, force: true });
  // The program's own frames, and the files every other frame points at (do they exist?).
  // Node's source-map formatter writes every unnamed frame it maps as `at <anonymous> (file…)`
  // (native code with a map too), V8's own formatter as `at file…`: one form for both.
  const own = frames.map((f) => f.filter((l) => l.includes(file)).map((l) => l.replace(dir, "<dir>").replace(/^at <anonymous> \((.*)\)$/, "at $1")));
  const others = frames.flat().filter((l) => !l.includes(file)).map((l) => /\((.*?):\d+:\d+\)$/.exec(l)?.[1] ?? l);
  console.log(JSON.stringify({ compiled: !program.native, frames: own, others: others.map((f) => ({ file: f, exists: fs.existsSync(f) })) }));
});
