/**
 * The one table of reasons an async function stays native: a stable code and one message per
 * reason (what the function does that is not compiled, and what to do about it). `transform()`'s
 * `skipped`, the plugin's report, `strict` diagnostics and `inspect` carry the code; tests assert
 * codes, never the prose. A reason is decided once: what the scope analysis can see
 * (`checkSupported`) before lowering, the rest where lowering, placement or emit meets it.
 *
 * Bugs in the transformer are not reasons: `internalError` throws an `InternalError`, which the
 * file's compiler reports naming the file and the function, as a failure of the transform.
 */
import type * as ts from "typescript";

/** Code → message. Codes are kebab-case and never change meaning; add new ones at the end of their group. */
export const NOT_COMPILED = {
  // Decided from the scope analysis, before lowering (transform-function.ts checkSupported).
  "async-generator-finally-completion":
    "an async generator in which a `yield` could run while two return completions are pending (a `yield` in a `finally` block, or anywhere after a `break`/`continue` out of one, inside the `try` of another `finally` block that yields) is not compiled yet; move the inner `yield` out of the `finally`",
  "async-method-named-constructor":
    'a static async method named `constructor` is not compiled yet (TypeScript parses it as a constructor); write its key computed, `static async ["constructor"]()`, to compile it',
  "async-method-key-outside-statement":
    "an async method under a computed key whose class or object literal is not inside a statement of its function (a concise arrow body, a parameter default, a class field initializer, another member's key) is not compiled yet: its key is kept for the async-function shape in a variable declared before such a statement; give the arrow a block body or build the object in a statement",
  "too-deep": "the function nests deeper than the compiler's stack allows (its walks recurse over the syntax); split it into smaller functions",
  "direct-eval": "direct `eval` can reach any local, so the function stays native; call `(0, eval)(…)` (indirect) if it need not see locals",
  "with-statement": "a `with` statement makes bindings dynamic, so the function stays native; read the object's properties explicitly instead",
  "using-declaration":
    "`using` / `await using` declarations are not compiled yet (their disposal at scope exit would have to span awaits); dispose in a `finally` to compile the function",
  "super-outside-method": "`super` outside a method cannot be compiled; use it in a method",
  "derived-constructor-arrow-this":
    "an async arrow in a derived class's constructor that reads `this` is not compiled yet (its wrapper would read `this` when called, maybe before `super()`, where the native arrow reads it in its body); read `this` into a const after `super()` and use that",
  "annex-b-block-function":
    "a function declared in a block of sloppy code also sets a var of the enclosing function when its declaration runs (Annex B.3.3), and that var is read: not compiled yet; declare the function at the top of the function body or make the code strict",
  "var-arguments": "`var arguments` names the function's arguments object, which is not compiled yet; use another name",
  "parameter-sees-body":
    "a parameter default (or computed key) refers to a name the body declares: with parameter expressions the body's declarations live in an own environment (FunctionDeclarationInstantiation), which is not compiled yet; rename the body's declaration",
  "decorated-method-parameters":
    "a decorated method with a default, rest or pattern parameter is not compiled yet (its wrapper keeps only the parameters before the first default, which decorators and `design:paramtypes` would see); take plain parameters and apply defaults in the body",

  // Decided where the resume function would go (emit/resume-placement.ts, compile-functions.ts).
  "function-in-case-clause":
    "an async function declared in a `case` clause is not compiled yet (its binding spans the whole switch, where no statement always runs first to give it its async shape); declare it before the `switch`",
  "declaration-not-placeable":
    "an async function declaration whose resume function cannot be placed beside it (it reads a binding not visible there) is not compiled yet; make it a function expression assigned to a `const`",
  "method-not-placeable":
    "an async method whose resume function cannot be placed beside it (it reads `#private` names of an enclosing class, or a binding not visible there) is not compiled yet; move the class out of that scope",
  "class-scope-repeated-class":
    "an async method that needs its class's scope (`#private` names or the class's own name), in a class evaluated more than once (inside a function or loop), is not compiled yet; move the class to the top level",
  "class-scope-decorated-class":
    "an async method that needs its class's scope (`#private` names or the class's own name), in a decorated class, is not compiled yet; move the async work to a function outside the class",
  "nested-method-private-names":
    "an async method that uses `#private` names, in a class inside a compiled async function, is not compiled yet; move the class out of the async function",
  "nested-method-inner-binding":
    "an async method that reads a binding of a function, block or class nested in a compiled async function is not compiled yet (its resume function would sit at the top of the outer one, out of that binding's reach); move the class out of that scope",
  "async-generator-method-repeated":
    "an async generator method of an anonymous or decorated class, under a computed key, or an object literal's that uses `super`, made more than once per run of the statements around it (a concise arrow's body, a loop without a block, a parameter default, a class field's initializer), whose class or literal itself evaluates a `yield`, an `await` or a direct `eval` (or, anonymous, is named by a computed key), is not compiled yet (each evaluation's methods are bound by an arrow called where the class or literal stands, which cannot hold those); compute the key or value into a const first",
  "async-generator-method-spread":
    "an async generator method that uses `super`, followed by a spread (`...x`) in its object literal, is not compiled yet (the spread may replace it under the same key before it is given its shape); put the spread first",
  "async-generator-method-nested":
    "an async generator method of a decorated class declaration inside a compiled async function, or of a class expression or object literal there that itself evaluates a `yield` or a direct `eval` (or, anonymous, is named by a computed key), is not compiled yet (its class or literal is built by the outer machine's code, and an arrow around it binds its methods); move the class or literal out of the async function",

  // Decided by the lowering (lower/) and the emit of kept code (emit/rewrite-kept-code.ts).
  "await-in-statement": "`await` in this kind of statement is not compiled yet; move the `await` into a statement of its own",
  "await-in-expression": "`await` inside this kind of expression is not compiled yet; await into a const first",
  "await-in-anonymous-class": "`await` in an anonymous class declaration is not compiled yet; give the class a name",
  "class-key-closure-reads-class-name":
    "a closure in a computed key that reads its class's own name, in a class split at an `await`, is not compiled yet; compute the key before the class",
  "class-key-reads-class-name": "a computed key or `extends` before an `await` that reads the class's own name is not compiled yet; compute the key before the class",
  "await-in-class-member": "`await` inside a class member is not allowed here; await before the class",
  "await-in-super-arguments": "`await` in the arguments of `super(…)` is not compiled yet; await into a const before `super(…)`",
  "await-in-destructuring-target": "`await` inside a destructuring target is not compiled yet; await into a const first",
  "await-in-assignment-target": "`await` in an assignment to this kind of target is not compiled yet; await into a const first",
  "invalid-assignment-pattern": "this member or operator cannot be part of an assignment pattern",
  "await-in-for-in-of-target": "`await` in a for…in/of target is not compiled yet; assign inside the loop body",
  "enum-in-split-list": "an `enum` declaration in a statement list split at an `await` is not compiled yet; declare it outside the async function",
  "jsx-await-after-key":
    "an `await` in a JSX element at or after its `key` attribute is not compiled yet (the automatic JSX runtime evaluates `key` last); await into a const before the element",
  "kept-declaration-captures-env":
    "a function or class declaration in a block kept whole that captures a block-scoped binding living across an `await` (kept in an environment record) is not compiled yet; make it a function expression assigned to a `const`",
} as const satisfies Record<string, string>;

export type NotCompiledCode = keyof typeof NOT_COMPILED;

/** The message of `code`, with what the place adds (a syntax kind, a name) in parentheses. */
export function notCompiledMessage(code: NotCompiledCode, detail?: string): string {
  return detail === undefined ? NOT_COMPILED[code] : `${NOT_COMPILED[code]} (${detail})`;
}

/**
 * Thrown by the lowering and the emitter for input they do not compile: the function is then
 * left native, exactly as written, and reported with the code.
 */
export class Unsupported extends Error {
  constructor(
    readonly node: ts.Node,
    readonly code: NotCompiledCode,
    readonly detail?: string,
  ) {
    super(notCompiledMessage(code, detail));
  }
}

/** A broken invariant of the transformer (a bug, not a property of the input). */
export class InternalError extends Error {
  constructor(
    readonly node: ts.Node,
    readonly what: string,
  ) {
    super(`internal error: ${what}`);
  }
}

/** Fails with an `InternalError` at `node`: for states the transformer's own checks exclude. */
export function internalError(node: ts.Node, what: string): never {
  throw new InternalError(node, what);
}
