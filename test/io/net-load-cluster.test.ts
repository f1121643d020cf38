/**
 * The NET load test's multi-process mode (bench/net/load.mjs --workers --holders), small: each
 * server program (native async/await, and the same program compiled in poll mode) runs as two
 * cluster workers sharing one port, and two holder processes open 150 connections each from
 * 127.0.0.2 and 127.0.0.3. Every connection sends a line and must get it back (--echo-idle),
 * both workers must have served some of them, the per-worker counts must add up to all of them,
 * and the run must end by itself with every process gone (load.mjs waits for each one's exit).
 *
 * Linux only: other systems route only 127.0.0.1 on loopback by default, and the mode's source
 * addresses are 127.0.0.2 and up.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { buildPollServer } from "../../bench/net/workload.mjs";

const NET = join(__dirname, "..", "..", "bench", "net");
const CONNECTIONS = 300;

interface LoadResult {
  idleConnections: number;
  requestsPerSecond: number;
  processes: {
    serverWorkers: number;
    idleHolders: number;
    idleSourceAddresses: string[];
    perWorker: { connections: number; heapBytes: number; rssBytes: number }[];
    idleOpened: number;
    idleEchoed: number;
  };
}

async function runLoad(serverFile: string): Promise<{ code: number | null; result: LoadResult; stderr: string }> {
  const args = [join(NET, "load.mjs"), `--server=${join(NET, serverFile)}`, "--workers=2", "--holders=2", `--idle=${CONNECTIONS}`, "--clients=4", "--seconds=1", "--echo-idle"];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
  child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  const last = stdout.trim().split("\n").pop() ?? "";
  return { code, result: (last.startsWith("{") ? JSON.parse(last) : undefined) as LoadResult, stderr };
}

describe.runIf(process.platform === "linux")("NET load test: two cluster workers, two holder processes", () => {
  beforeAll(() => buildPollServer(), 120_000);

  for (const serverFile of ["native-server.mjs", "poll-server.mjs"]) {
    test(`${serverFile}: every connection echoed, both workers served some`, async () => {
      const { code, result, stderr } = await runLoad(serverFile);
      expect(code, stderr).toBe(0);
      const p = result.processes;
      expect(p.serverWorkers).toBe(2);
      expect(p.idleHolders).toBe(2);
      expect(p.idleSourceAddresses).toEqual(["127.0.0.2", "127.0.0.3"]);
      expect(p.idleOpened).toBe(CONNECTIONS);
      expect(p.idleEchoed).toBe(CONNECTIONS);
      expect(p.perWorker).toHaveLength(2);
      for (const worker of p.perWorker) expect(worker.connections).toBeGreaterThan(0);
      expect(p.perWorker[0].connections + p.perWorker[1].connections).toBe(CONNECTIONS);
      expect(result.idleConnections).toBe(CONNECTIONS);
      expect(result.requestsPerSecond).toBeGreaterThan(0);
    });
  }
});
