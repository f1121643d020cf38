// Runs trace scenarios in a child process (loaded with `node -r test/inspect/child/register-ts.cjs`),
// for scenarios that may hang the process they run in: a synchronous infinite loop stops the
// fixture harness's own timers, and its watchdog then kills the process. The parent reads one
// JSON line per event: `{ started: name }` before a scenario runs, `{ finished: name, … traces }`
// after, so a scenario that never finishes is known by name.
//
//   node -r register-ts.cjs run-scenarios.cjs <scenarios.json>
//   scenarios.json: [{ name, src, mode: "promise" | "poll" }]
const fs = require("node:fs");
const path = require("node:path");
const { runNative, runCompiled, runCompiledPoll, withoutTicks } = require(path.join(__dirname, "..", "..", "helpers", "trace.ts"));

async function main() {
  const scenarios = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  for (const { name, src, mode } of scenarios) {
    fs.writeSync(1, JSON.stringify({ started: name }) + "\n");
    const fileName = "scenario.ts";
    const native = await runNative(src, fileName);
    const compiled = mode === "poll" ? await runCompiledPoll(src, fileName) : await runCompiled(src, fileName);
    const comparable = (trace) => (mode === "poll" ? withoutTicks(trace) : trace);
    fs.writeSync(
      1,
      JSON.stringify({
        finished: name,
        compiledFunctions: compiled.result.compiled,
        native: { outcome: native.outcome, trace: comparable(native.trace) },
        compiled: { outcome: compiled.outcome, trace: comparable(compiled.trace) },
      }) + "\n",
    );
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    fs.writeSync(2, String((error && error.stack) || error) + "\n");
    process.exit(1);
  },
);
