/**
 * Errors the I/O leaves raise themselves (errors from the host — `ECONNRESET`, `EPIPE`, `ENOENT`
 * — are passed through unchanged, with their `code`). Each carries a Node-style `code` so a
 * caller can tell "the stream was already closed" from a host error without matching text.
 *
 * Example: `catch (e) { if ((e as IoError).code === "ERR_STREAM_DESTROYED") … }`
 */

export class IoError extends Error {
  override name = "IoError";
  readonly code: string;

  constructor(message: string, code: string) {
    super(`[async-machine] ${message}`);
    this.code = code;
  }
}

/** A second future polled while another is pending on the same reader or writer slot. */
export function busyError(what: string): IoError {
  return new IoError(`${what}: another operation is already pending on this stream (one at a time; drop the old future first)`, "ERR_IO_BUSY");
}
