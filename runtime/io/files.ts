/**
 * Files as futures, through `fs` callbacks (libuv's thread pool does the blocking calls):
 * `openFile(path, flags)` → `File`, then `read` / `write` of byte ranges at a position, and
 * `close`. Each operation is a callback-future.ts leaf and keeps its waker contract: started by
 * the first poll, one waker slot, woken once by the callback.
 *
 * Dropping an operation in flight cannot stop it. A dropped `openFile` closes the descriptor when
 * it arrives; a dropped `read` may still fill the caller's buffer when the thread pool gets to it
 * (do not reuse that buffer until the file is closed); a dropped `write` may still be written.
 * `File.close()` is a future too (close errors are reported); `File.closeNow()` closes without
 * waiting, for `finally` blocks.
 *
 * Example:
 *     const file = yield openFile(path, "r");
 *     try { const n = yield file.read(buf, 0, buf.length, 4096); } finally { file.closeNow(); }
 */
import * as fs from "node:fs";
import { CallbackFuture } from "./callback-future";

/** An open file descriptor. Positions are explicit: no shared cursor between concurrent reads. */
export class File {
  private closed = false;

  constructor(readonly fd: number) {}

  /** Reads up to `length` bytes at file `position` into `buffer[offset…]`; Ready with the count (0 at end of file). */
  read(buffer: Uint8Array, offset = 0, length = buffer.length - offset, position: number | bigint = 0): CallbackFuture<number> {
    return new CallbackFuture<number>((done) => fs.read(this.fd, buffer, offset, length, position, done));
  }

  /** Writes `buffer[offset, offset+length)` at file `position` (null: the file's current end in append mode); Ready with the count. */
  write(buffer: Uint8Array, offset = 0, length = buffer.length - offset, position: number | null = null): CallbackFuture<number> {
    return new CallbackFuture<number>((done) => fs.write(this.fd, buffer, offset, length, position, done));
  }

  /** Flushes the file's data to the device. */
  sync(): CallbackFuture<void> {
    return new CallbackFuture<void>((done) => fs.fsync(this.fd, done));
  }

  /** Closes the descriptor; Ready once closed. Closing twice is a no-op. */
  close(): CallbackFuture<void> {
    return new CallbackFuture<void>((done) => {
      if (this.markClosed()) fs.close(this.fd, done);
      else done(null);
    });
  }

  /** Closes the descriptor without waiting (errors ignored): for `finally` blocks. Idempotent. */
  closeNow(): void {
    if (this.markClosed()) fs.close(this.fd, ignore);
  }

  private markClosed(): boolean {
    if (this.closed) return false;
    this.closed = true;
    return true;
  }
}

function ignore(): void {}

/** A future of an open `File` (`flags` as in `fs.open`: "r", "w", "a+"…). */
export function openFile(path: fs.PathLike, flags: fs.OpenMode = "r", mode?: fs.Mode): CallbackFuture<File> {
  return new CallbackFuture<File>(
    (done) => fs.open(path, flags, mode, (error, fd) => done(error, error ? undefined : new File(fd))),
    (file) => file.closeNow(),
  );
}
