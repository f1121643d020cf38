/**
 * Stack frames through compiled functions read as native ones: the frames in the program's own
 * file name the user's function (`FileStore.validate`, a static `FileStore.open`, `load`, an
 * arrow's `check`, none for an anonymous arrow), not the resume function (`Machine.FileStore_validate$resume`), at the
 * original line and column through the source map. The child (stack/frames.cjs) prints those
 * frames for five errors; the native run of the same program is the referee. The frames of
 * the runtime that drives a resumed machine remain (V8 shows no frame below a resumed native
 * async function): they map to the runtime's TypeScript sources, shipped beside dist/.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect, test } from "vitest";

function framesOf(mode: "native" | "compiled"): { compiled: boolean; frames: string[][]; others: { file: string; exists: boolean }[] } {
  const r = spawnSync(process.execPath, ["--enable-source-maps", path.join(__dirname, "stack/frames.cjs"), mode], { encoding: "utf8", timeout: 60_000 });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
}

test("frames in the user's file name the user's functions at their original positions, as native", () => {
  const native = framesOf("native");
  const compiled = framesOf("compiled");
  expect(native.compiled).toBe(false);
  expect(compiled.compiled).toBe(true);
  expect(native.frames[0]).toEqual(["at fail (<dir>/program.js:1:29)", "at FileStore.validate (<dir>/program.js:6:21)"]);
  expect(compiled.frames).toEqual(native.frames);
}, 120_000);

test("the runtime's own frames (the driver below a resumed machine) point at its TypeScript sources, which ship with the package", () => {
  const { others } = framesOf("compiled");
  expect(others.length).toBeGreaterThan(0);
  for (const frame of others) expect(frame).toEqual({ file: expect.stringMatching(/\/runtime\/[\w/-]+\.ts$/), exists: true });
  const shipped = (require("../../package.json") as { files: string[] }).files;
  expect(shipped).toContain("runtime/**/*.ts");
}, 120_000);
