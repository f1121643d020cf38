/**
 * Signals as futures: `aborted(signal)` is Ready with `signal.reason` once an `AbortSignal`
 * aborts; `processSignal("SIGINT")` is Ready with the signal's name once the process receives it.
 *
 * Waker contract: the first pending poll adds one listener; later polls only replace the stored
 * waker; the event removes the listener and wakes once. Dropping the future removes the
 * listener, so a select that raced work against `aborted(signal)` and finished leaves nothing on
 * the signal — and a dropped `processSignal("SIGINT")` gives Ctrl-C its default meaning back
 * (while one is pending, Node's default exit on that signal is replaced by the wake).
 *
 * Example (cancel on abort): `yield select([work, aborted(controller.signal)])`
 */
import type { Context } from "../context";
import { PENDING, type Poll } from "../poll";
import type { Waker } from "../waker";
import { OnceFuture } from "./once-future";

export class AbortFuture extends OnceFuture<unknown> {
  private waker: Waker | undefined = undefined;
  private listening = false;

  constructor(private readonly signal: AbortSignal) {
    super();
  }

  protected step(cx: Context): Poll<unknown> {
    if (this.signal.aborted) {
      this.release();
      return this.signal.reason;
    }
    this.waker = cx.waker;
    if (!this.listening) {
      this.listening = true;
      this.signal.addEventListener("abort", this.onAbort);
    }
    return PENDING;
  }

  protected release(): void {
    this.waker = undefined;
    if (!this.listening) return;
    this.listening = false;
    this.signal.removeEventListener("abort", this.onAbort);
  }

  private readonly onAbort = (): void => {
    const waker = this.waker;
    this.waker = undefined;
    waker?.wake();
  };
}

/** A future Ready with the signal's abort reason once it aborts (at once if it already has). */
export function aborted(signal: AbortSignal): AbortFuture {
  return new AbortFuture(signal);
}

export class ProcessSignalFuture extends OnceFuture<NodeJS.Signals> {
  private waker: Waker | undefined = undefined;
  private listening = false;
  private received = false;

  constructor(private readonly name: NodeJS.Signals) {
    super();
  }

  protected step(cx: Context): Poll<NodeJS.Signals> {
    if (this.received) return this.name;
    this.waker = cx.waker;
    if (!this.listening) {
      this.listening = true;
      process.on(this.name, this.onSignal);
    }
    return PENDING;
  }

  protected release(): void {
    this.waker = undefined;
    if (!this.listening) return;
    this.listening = false;
    process.off(this.name, this.onSignal);
  }

  private readonly onSignal = (): void => {
    this.received = true;
    const waker = this.waker;
    this.release();
    waker?.wake();
  };
}

/** A future Ready once the process receives `name` ("SIGINT", "SIGTERM"…), counted from its first poll. */
export function processSignal(name: NodeJS.Signals): ProcessSignalFuture {
  return new ProcessSignalFuture(name);
}
