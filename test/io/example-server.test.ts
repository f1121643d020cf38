/**
 * The example server (examples/server/, poll-mode async functions compiled through the tsc
 * plugin) run as a real process on loopback: lines are echoed, the client generator's echoes all
 * come back, a silent connection is closed by its idle timeout (its scope cancels the pending
 * read), and SIGINT cancels every open connection — each one's `finally` closes its socket — and
 * the process then exits by itself with code 0, which it can only do with no handle left open.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import * as net from "node:net";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";

const root = join(__dirname, "..", "..");
const dist = join(root, "examples", "server", "dist");

interface Server {
  child: ChildProcess;
  port: number;
  output: string[];
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

async function startServer(idleMs: number): Promise<Server> {
  const child = spawn(process.execPath, [join(dist, "main.js"), "--port=0", `--idle-ms=${idleMs}`], { stdio: ["ignore", "pipe", "inherit"] });
  const output: string[] = [];
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  let text = "";
  child.stdout!.on("data", (data: Buffer) => {
    text += data.toString();
    for (let nl; (nl = text.indexOf("\n")) !== -1; text = text.slice(nl + 1)) output.push(text.slice(0, nl));
  });
  await until(() => output.length > 0);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(output[0])?.[1]);
  expect(port).toBeGreaterThan(0);
  return { child, port, output, exited };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(condition()).toBe(true);
}

async function client(port: number): Promise<{ socket: net.Socket; lines: string[]; closed: Promise<unknown> }> {
  const socket = net.connect({ port, host: "127.0.0.1" });
  socket.on("error", () => {});
  const closed = once(socket, "close");
  const lines: string[] = [];
  let text = "";
  socket.on("data", (data: Buffer) => {
    text += data.toString();
    for (let nl; (nl = text.indexOf("\n")) !== -1; text = text.slice(nl + 1)) lines.push(text.slice(0, nl));
  });
  await once(socket, "connect");
  return { socket, lines, closed };
}

describe("example server (poll mode, compiled by the tsc plugin)", () => {
  beforeAll(() => {
    const build = spawnSync(process.execPath, [join(root, "examples", "server", "run.mjs"), "build"], { encoding: "utf8" });
    expect(build.stderr + build.stdout).toContain("0 left native");
    expect(build.status).toBe(0);
  }, 180_000);

  test("echoes lines; the client generator's echoes all come back; a silent connection is closed by its idle timeout", async () => {
    const server = await startServer(1_000);
    try {
      const busy = await client(server.port);
      busy.socket.write("hello\nwor");
      busy.socket.write("ld\n");
      await until(() => busy.lines.length === 2);
      expect(busy.lines).toEqual(["hello", "world"]);
      busy.socket.end();
      await busy.closed; // the server saw our end of stream and closed its side
      await until(() => server.output.includes("connection 0 closed (end)"));

      const generated = spawnSync(process.execPath, [join(dist, "client.js"), `--port=${server.port}`, "--connections=20", "--lines=5"], { encoding: "utf8", timeout: 60_000 });
      expect(generated.stdout).toMatch(/^20 connections × 5 lines: 100\/100 echoed back in \d+ ms\n$/);
      expect(generated.status).toBe(0);

      const silent = await client(server.port);
      await silent.closed; // closed by the server, never by us
      await until(() => server.output.includes("connection 21 closed (idle)"));
      expect(silent.lines).toEqual([]);
    } finally {
      server.child.kill("SIGINT");
      await server.exited;
    }
  }, 90_000);

  test("SIGINT cancels every connection, each finally closes its socket, and the process exits 0 on its own", async () => {
    const server = await startServer(600_000);
    const clients = await Promise.all(Array.from({ length: 5 }, () => client(server.port)));
    clients.forEach((c, i) => c.socket.write(`ping ${i}\n`));
    await until(() => clients.every((c, i) => c.lines[0] === `ping ${i}`));
    clients[4].socket.write("a partial line with no newline yet");

    server.child.kill("SIGINT");
    const [code, signal] = await server.exited;
    await Promise.all(clients.map((c) => c.closed)); // every socket was closed by the server
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const closedLines = server.output.filter((line) => line.startsWith("connection ")).sort();
    expect(closedLines).toEqual([0, 1, 2, 3, 4].map((id) => `connection ${id} closed (cancelled)`));
    expect(server.output.at(-1)).toBe("shut down: 5 accepted, 5 closed (0 idle), 0 open, 5 lines echoed");
  }, 90_000);
});
