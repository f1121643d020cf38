/**
 * Stream adapters: Node Readable/Writable and web ReadableStream/WritableStream as read and write
 * futures, and chunks() for `for await`. Checks byte reads across chunk boundaries, object-mode
 * chunks, end of stream, errors reaching the reader, one operation at a time, backpressure
 * (a write pending while the stream is full writes nothing), and that a dropped read loses no data.
 */
import { PassThrough, Readable, Writable } from "node:stream";
import { ReadableStream, WritableStream } from "node:stream/web";
import { describe, expect, test } from "vitest";
import { Context, Executor, noopWaker, PENDING } from "../../runtime/index";
import { chunks, NodeReader, NodeWriter, WebReader, WebWriter } from "../../runtime/io/index";
import { CountingWaker } from "../runtime/support";
import { task, turns } from "./support";

function readAllBytes(reader: { read(buffer: Uint8Array): import("../../runtime/index").Future<number> }, size: number) {
  return task(function* () {
    const buffer = new Uint8Array(size);
    const parts: string[] = [];
    for (;;) {
      const n = (yield reader.read(buffer)) as number;
      if (n === 0) return parts;
      parts.push(Buffer.from(buffer.subarray(0, n)).toString());
    }
  });
}

describe("Node streams", () => {
  test("byte reads split chunks into the caller's buffer and end with 0", async () => {
    const reader = new NodeReader(Readable.from([Buffer.from("abcdefg"), Buffer.from("hi")], { objectMode: false }));
    expect(await new Executor().run(readAllBytes(reader, 3))).toEqual(["abc", "def", "g", "hi"]);
  });

  test("object-mode chunks through readChunk(); null at the end", async () => {
    const reader = new NodeReader(Readable.from([{ a: 1 }, "two", 3]));
    const result = await new Executor().run(
      task(function* () {
        const seen: unknown[] = [];
        for (let chunk; (chunk = yield reader.readChunk()) !== null;) seen.push(chunk);
        return seen;
      }),
    );
    expect(result).toEqual([{ a: 1 }, "two", 3]);
  });

  test("a stream error reaches the pending reader; a second concurrent read throws ERR_IO_BUSY", async () => {
    const stream = new PassThrough();
    const reader = new NodeReader(stream);
    const first = reader.read(new Uint8Array(4));
    const cx = new Context(new CountingWaker());
    expect(first.poll(cx)).toBe(PENDING);
    expect(() => reader.read(new Uint8Array(4)).poll(new Context(noopWaker))).toThrow(expect.objectContaining({ code: "ERR_IO_BUSY" }));
    const error = new Error("source failed");
    stream.destroy(error);
    await turns(1);
    expect((cx.waker as CountingWaker).wakes).toBe(1);
    expect(() => first.poll(cx)).toThrow(error);
    expect(() => reader.read(new Uint8Array(4)).poll(cx)).toThrow(error); // errors stick
  });

  test("a dropped pending read takes nothing: the next read gets the bytes", async () => {
    const stream = new PassThrough();
    const reader = new NodeReader(stream);
    const cx = new Context(noopWaker);
    const dropped = reader.read(new Uint8Array(8));
    expect(dropped.poll(cx)).toBe(PENDING);
    dropped.drop(cx);
    stream.end("kept");
    expect(await new Executor().run(readAllBytes(reader, 8))).toEqual(["kept"]);
  });

  test("backpressure: a write waits while the writable is over its high-water mark; a dropped waiting write writes nothing", async () => {
    const written: string[] = [];
    let finishWrite: (() => void) | undefined;
    const slowSink = new Writable({
      highWaterMark: 4,
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk.toString());
        finishWrite = callback;
      },
    });
    const writer = new NodeWriter(slowSink);
    const waker = new CountingWaker();
    const cx = new Context(waker);
    expect(writer.write("12345").poll(cx)).toBe(undefined); // taken: now over the mark
    const waiting = writer.write("second");
    expect(waiting.poll(cx)).toBe(PENDING);
    const dropped = writer.write("never");
    expect(() => dropped.poll(new Context(noopWaker))).toThrow(expect.objectContaining({ code: "ERR_IO_BUSY" }));
    waiting.drop(cx);
    finishWrite!();
    finishWrite = undefined;
    await turns(1);
    expect(waker.wakes).toBe(0); // 'drain' came after the drop: the slot was empty
    expect(written).toEqual(["12345"]);
    let ended = false;
    const result = new Executor().run(
      task(function* () {
        yield writer.write("third");
        yield writer.end();
        ended = true;
        return "ended";
      }),
    );
    // (A function: the sink sets finishWrite again, which the loop's narrowing would not see.)
    const finishPending = (): void => {
      finishWrite?.();
      finishWrite = undefined;
    };
    while (!ended) {
      finishPending();
      await turns(1);
    }
    expect(await result).toBe("ended");
    expect(written).toEqual(["12345", "third"]);
  });

  test("chunks(): a reader consumed with for await; break releases the reader", async () => {
    const stream = Readable.from(["a", "b", "c", "d"]);
    const seen: string[] = [];
    for await (const chunk of chunks<string>(new NodeReader(stream))) {
      seen.push(chunk);
      if (chunk === "c") break;
    }
    expect(seen).toEqual(["a", "b", "c"]);
    expect(stream.listenerCount("readable")).toBe(0);
  });
});

describe("web streams", () => {
  test("a ReadableStream read as bytes and as chunks; a stream error reaches the reader", async () => {
    const bytes = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("hello "));
        controller.enqueue(new TextEncoder().encode("web"));
        controller.close();
      },
    });
    expect(await new Executor().run(readAllBytes(new WebReader(bytes), 4))).toEqual(["hell", "o ", "web"]);

    const error = new Error("pull failed");
    let pulls = 0;
    const failing = new ReadableStream<string>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue("first");
        else controller.error(error);
      },
    });
    const reader = new WebReader(failing);
    const result = new Executor().run(
      task(function* () {
        const seen: unknown[] = [];
        for (;;) seen.push(yield reader.readChunk());
      }),
    );
    await expect(result).rejects.toBe(error);
  });

  test("a read dropped while reader.read() is in flight loses nothing", async () => {
    let enqueue!: (chunk: string) => void;
    const stream = new ReadableStream<string>({ start: (controller) => void (enqueue = (c) => controller.enqueue(c)) });
    const reader = new WebReader(stream);
    const cx = new Context(noopWaker);
    const dropped = reader.readChunk();
    expect(dropped.poll(cx)).toBe(PENDING);
    dropped.drop(cx);
    enqueue("survivor");
    expect(await new Executor().run(reader.readChunk())).toBe("survivor");
  });

  test("a WritableStream: writes wait on writer.ready when the queue is full, close waits for the sink", async () => {
    const written: string[] = [];
    const releases: (() => void)[] = [];
    const sink = new WritableStream<string>(
      {
        write(chunk) {
          written.push(chunk);
          return new Promise<void>((resolve) => releases.push(resolve));
        },
      },
      { highWaterMark: 1 },
    );
    const writer = new WebWriter(sink);
    let writes = 0;
    const done = new Executor().run(
      task(function* () {
        for (const chunk of ["a", "b", "c"]) {
          yield writer.write(chunk);
          writes++;
        }
        yield writer.close();
        return "closed";
      }),
    );
    await turns(2);
    expect(writes).toBeLessThan(3); // the queue is full: the writer waits for ready
    while (written.length < 3 || releases.length > 0) {
      releases.shift()?.();
      await turns(1);
    }
    expect(await done).toBe("closed");
    expect(written).toEqual(["a", "b", "c"]);
  });
});
