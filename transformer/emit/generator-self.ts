/**
 * Where a compiled async generator's wrapper reads itself from, recorded by the wrapper's emit
 * (wrapper.ts) and read where the wrapper becomes a value (function-values.ts, placement-edits.ts)
 * and where its class or literal is shaped (method-shape.ts). Its own module, so those readers
 * do not import the wrapper's emit (nor it theirs).
 */
import type * as ts from "typescript";

/**
 * The name of the binding a compiled async generator's wrapper reads itself from: bound where the
 * wrapper becomes a value (function-values.ts), or, for a method, declared beside its class or
 * object literal and set once that is built (method-shape.ts).
 */
export const generatorSelf = new WeakMap<ts.Node, string>();

/** The same binding by the source method (for the class or literal of kept code around it: method-shape.ts withAsyncMethodShape). */
export const generatorMethodSelf = new WeakMap<ts.Node, string>();

/** The private static field of its class a compiled async generator method reads itself from (method-shape.ts classSelfOf). */
export const generatorClassSelf = new WeakMap<ts.Node, ClassSelf>();

/** The private static field of a named class that one of its generator methods reads itself from (method-shape.ts classSelfOf). */
export interface ClassSelf {
  className: string;
  field: string;
  /** Its computed key is captured into a key holder as the class is built (holdsComputedKey). */
  holdsKey: boolean;
}
