/**
 * The error runtime/inspect throws for misuse it can explain (a snapshot of a finished machine,
 * an unserializable variable, a function that is not registered or whose code changed). One
 * class with a fixed prefix, as STYLE.md asks of runtime errors; the message says what to do.
 */
export class InspectError extends Error {
  override name = "InspectError";
  constructor(message: string, options?: ErrorOptions) {
    super(`[async-machine] ${message}`, options);
  }
}
