/**
 * `node --import async-machine/register` with `ASYNC_MACHINE_POLL` (the plugin's `"poll"` globs,
 * comma-separated): the files they match are compiled in poll mode — a call is a lazy
 * `PollMachine` — ES modules and CommonJS alike, while other files stay in promise mode and a
 * `/** @poll *\/` tag still works in them; the on-disk cache keeps the two modes apart; a bad
 * glob stops the program with a message naming the variable. Runs the built package (dist/).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";

const repo = path.resolve(__dirname, "../..");
const TIMEOUT = 120_000;
let app: string;

function node(args: string[], env: Record<string, string | undefined> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd: app, encoding: "utf8", timeout: TIMEOUT, env: { ...process.env, ASYNC_MACHINE_POLL: undefined, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What each module's `probe()` reports: is a call a PollMachine, did the call alone run the body, the awaited value. */
const PROBE = `
export async function probe(PollMachine) {
  const ran = [];
  async function work(n) { ran.push(n); await null; return n * 2; }
  /** @poll */ async function tagged() { await null; return "tagged"; }
  const call = work(21);
  const ranAtCall = ran.length > 0;
  const t = tagged();
  return { poll: call instanceof PollMachine, ranAtCall, value: await call, taggedPoll: t instanceof PollMachine, tagged: await t };
}
`;

beforeAll(() => {
  // Outside this package (its own files are never compiled), with the package linked in as a user has it.
  app = fs.mkdtempSync(path.join(os.tmpdir(), "async-machine-register-poll-"));
  fs.mkdirSync(path.join(app, "node_modules"));
  fs.symlinkSync(repo, path.join(app, "node_modules/async-machine"), "dir");
  fs.mkdirSync(path.join(app, "engine"));
  fs.writeFileSync(path.join(app, "engine/esm.mjs"), PROBE);
  fs.writeFileSync(path.join(app, "engine/cjs.cjs"), PROBE.replace("export async function probe", "exports.probe = async function probe"));
  fs.writeFileSync(path.join(app, "other.mjs"), PROBE);
  fs.writeFileSync(
    path.join(app, "app.mjs"),
    [
      'import { PollMachine } from "async-machine/runtime";',
      'import { createRequire } from "node:module";',
      'import * as esm from "./engine/esm.mjs";',
      'import * as other from "./other.mjs";',
      'const cjs = createRequire(import.meta.url)("./engine/cjs.cjs");',
      "console.log(JSON.stringify({ esm: await esm.probe(PollMachine), cjs: await cjs.probe(PollMachine), other: await other.probe(PollMachine) }));",
    ].join("\n"),
  );
});

afterAll(() => fs.rmSync(app, { recursive: true, force: true }));

const poll = { poll: true, ranAtCall: false, value: 42, taggedPoll: true, tagged: "tagged" };
const promise = { poll: false, ranAtCall: true, value: 42, taggedPoll: true, tagged: "tagged" };

test(
  "files matching ASYNC_MACHINE_POLL are compiled in poll mode, the others in promise mode (tags still count); the cache keeps the modes apart",
  () => {
    const without = node(["--import", "async-machine/register", "app.mjs"]);
    expect(without.stderr).toBe("");
    expect(JSON.parse(without.stdout)).toEqual({ esm: promise, cjs: promise, other: promise });
    for (const run of ["first", "cached"]) {
      const r = node(["--import", "async-machine/register", "app.mjs"], { ASYNC_MACHINE_POLL: "engine/**, ./nothing/*.ts" });
      expect(r.stderr, run).toBe("");
      expect(JSON.parse(r.stdout), run).toEqual({ esm: poll, cjs: poll, other: promise });
    }
  },
  TIMEOUT,
);

test(
  "a bad glob stops the program before it loads anything, naming the variable",
  () => {
    const r = node(["--import", "async-machine/register", "app.mjs"], { ASYNC_MACHINE_POLL: "engine/**,!engine/cjs.cjs" });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('async-machine: invalid ASYNC_MACHINE_POLL="engine/**,!engine/cjs.cjs": "poll[1]" is a negated glob ("!engine/cjs.cjs")');
  },
  TIMEOUT,
);
