/**
 * Child processes as futures: `spawnProcess(command, args)` starts a child (Node's
 * `child_process.spawn`: no shell), its piped stdout / stderr are `NodeReader`s, its stdin a
 * `NodeWriter`, and `wait()` is a future of how it exited.
 *
 * Waker contract: the handle listens to the child's 'exit' and 'error' from the moment it is
 * made (so neither is missed and a spawn failure such as `ENOENT` never crashes the process as an
 * unhandled 'error'); `wait()` is one waiting slot like a read, Ready with `{ code, signal }` once
 * the child exited, or throwing the spawn error. The pipes follow node-streams.ts. Dropping a
 * pending `wait()` only empties the slot: the child keeps running. `close()` is what releases
 * everything — it kills a child still running and destroys the pipes — for `finally` blocks.
 *
 * Like any pipe, an unread stdout fills up (the host stops reading past its high-water mark) and
 * then blocks a child that writes a lot: read it while waiting (`join`), or pass `stdio: "ignore"`.
 *
 * Example:
 *     const child = spawnProcess("git", ["status"]);
 *     try { const [out, exit] = yield join([readAllOf(child.stdout!), child.wait()]); }
 *     finally { child.close(); }
 */
import * as childProcess from "node:child_process";
import type { Context } from "../context";
import type { Poll } from "../poll";
import { NodeReader, NodeWriter, WaitSlot } from "./node-streams";
import { OnceFuture } from "./once-future";

/** How a child ended: an exit code, or the signal that killed it. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ChildProcessHandle {
  readonly process: childProcess.ChildProcess;
  readonly stdout: NodeReader | undefined;
  readonly stderr: NodeReader | undefined;
  readonly stdin: NodeWriter | undefined;
  readonly slot = new WaitSlot();
  private exit: ExitStatus | undefined = undefined;
  private error: { value: unknown } | undefined = undefined;

  constructor(child: childProcess.ChildProcess) {
    this.process = child;
    child.on("exit", this.onExit);
    child.on("error", this.onError);
    this.stdout = child.stdout ? new NodeReader(child.stdout) : undefined;
    this.stderr = child.stderr ? new NodeReader(child.stderr) : undefined;
    this.stdin = child.stdin ? new NodeWriter(child.stdin) : undefined;
  }

  /** A future of the child's exit status; throws if it could not be started. */
  wait(): WaitFuture {
    return new WaitFuture(this);
  }

  /** Sends `signal` (default SIGTERM) to a running child. */
  kill(signal: NodeJS.Signals | number = "SIGTERM"): boolean {
    return this.exit === undefined && this.process.kill(signal);
  }

  /** Kills the child if it still runs and destroys its pipes. Idempotent. */
  close(): void {
    if (this.exit === undefined && this.error === undefined && this.process.exitCode === null && this.process.signalCode === null) this.process.kill("SIGKILL");
    this.process.stdout?.destroy();
    this.process.stderr?.destroy();
    this.process.stdin?.destroy();
  }

  pollWait(owner: object, cx: Context): Poll<ExitStatus> {
    if (this.exit !== undefined) {
      this.slot.leave(owner);
      return this.exit;
    }
    if (this.error !== undefined) throw this.error.value;
    return this.slot.park(owner, cx, "wait");
  }

  private readonly onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    this.exit = { code, signal };
    this.slot.wake();
  };

  private readonly onError = (error: unknown): void => {
    // A failed kill is reported here too; only an error before the child ran ends `wait()`.
    if (this.exit === undefined && this.process.pid === undefined) this.error ??= { value: error };
    this.slot.wake();
  };
}

export class WaitFuture extends OnceFuture<ExitStatus> {
  constructor(private readonly child: ChildProcessHandle) {
    super();
  }

  protected step(cx: Context): Poll<ExitStatus> {
    return this.child.pollWait(this, cx);
  }

  protected release(): void {
    this.child.slot.leave(this);
  }
}

/** Starts `command` with `args` (stdio piped unless `options.stdio` says otherwise). */
export function spawnProcess(command: string, args: readonly string[] = [], options: childProcess.SpawnOptions = {}): ChildProcessHandle {
  return new ChildProcessHandle(childProcess.spawn(command, args, options));
}
