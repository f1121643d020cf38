/**
 * AbortSignal and process signals as futures: Ready with the reason, listeners added by the
 * first pending poll only and removed by the event or by drop.
 */
import { getEventListeners } from "node:events";
import { describe, expect, test } from "vitest";
import { Context, Executor, PENDING, select } from "../../runtime/index";
import { aborted, processSignal } from "../../runtime/io/index";
import { ManualFuture } from "../runtime/support";

function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, "abort").length;
}

describe("signals", () => {
  test("aborted(signal): Ready with the reason; one listener while pending, none after", async () => {
    const controller = new AbortController();
    const future = aborted(controller.signal);
    expect(abortListeners(controller.signal)).toBe(0); // lazy
    const waiting = new Executor().run(future);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort("stop");
    expect(await waiting).toBe("stop");
    expect(abortListeners(controller.signal)).toBe(0);
    expect(future.poll(new Context({ wake() {} }))).toBe("stop");
  });

  test("a select that finished first drops aborted(signal): its listener is removed", async () => {
    const controller = new AbortController();
    const work = new ManualFuture<string>();
    const raced = new Executor().run(select([work, aborted(controller.signal)]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(abortListeners(controller.signal)).toBe(1);
    work.complete("done");
    expect(await raced).toEqual({ index: 0, value: "done" });
    expect(abortListeners(controller.signal)).toBe(0);
  });

  test("an already aborted signal is Ready on the first poll", () => {
    expect(aborted(AbortSignal.abort("early")).poll(new Context({ wake() {} }))).toBe("early");
  });

  test("processSignal: Ready once the signal arrives; the listener is gone afterwards and after a drop", async () => {
    const before = process.listenerCount("SIGUSR2");
    const future = processSignal("SIGUSR2");
    const waiting = new Executor().run(future);
    await new Promise((resolve) => setImmediate(resolve));
    expect(process.listenerCount("SIGUSR2")).toBe(before + 1);
    process.kill(process.pid, "SIGUSR2");
    expect(await waiting).toBe("SIGUSR2");
    expect(process.listenerCount("SIGUSR2")).toBe(before);

    const dropped = processSignal("SIGUSR2");
    const cx = new Context({ wake() {} });
    expect(dropped.poll(cx)).toBe(PENDING);
    expect(process.listenerCount("SIGUSR2")).toBe(before + 1);
    dropped.drop(cx);
    expect(process.listenerCount("SIGUSR2")).toBe(before);
  });
});
