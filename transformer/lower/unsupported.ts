/**
 * Thrown by the lowering and the emitter for input they do not compile: the function is then
 * left native, exactly as written, and reported with the reason.
 */
import type * as ts from "typescript";

export class Unsupported extends Error {
  constructor(
    readonly node: ts.Node,
    readonly reason: string,
  ) {
    super(reason);
  }
}
