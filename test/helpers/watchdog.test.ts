/**
 * The fixture harness's watchdog (./watchdog.ts), in child processes: a run that never returns
 * to the event loop is named on stderr and its process killed; a disarmed watchdog stays quiet.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { REGISTER_TS } from "../inspect/support";

const WATCHDOG = path.join(__dirname, "watchdog.ts");

function child(body: string) {
  const script = `const w = require(${JSON.stringify(WATCHDOG)});\n${body}`;
  return spawnSync(process.execPath, ["-r", REGISTER_TS, "-e", script], { encoding: "utf8", timeout: 120_000 });
}

describe("fixture harness watchdog", () => {
  test("a synchronous infinite loop past the deadline is named and killed", () => {
    const r = child(`w.arm("fixtures/loops/spins/input.ts (compiled)", 300); for (;;) {}`);
    expect(r.signal).toBe("SIGKILL");
    expect(r.stderr).toContain("fixture harness: fixtures/loops/spins/input.ts (compiled) has not returned to the event loop");
  });

  test("a disarmed watchdog lets a long synchronous stretch finish", () => {
    const r = child(`w.arm("quick", 300); w.disarm(); const end = Date.now() + 800; while (Date.now() < end) {} console.log("done");`);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("done");
    expect(r.stderr).toBe("");
  });
});
