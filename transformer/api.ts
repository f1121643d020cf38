/**
 * The public shapes of the transform: options in, code + map + diagnostics + the list of
 * functions left native out. Shared by the library entry, the tsc plugin and the CLI.
 */
import type { NotCompiledCode } from "./not-compiled";
import type { Profile } from "./profile";

export type { Profile } from "./profile";

/** How generated code reaches the runtime. */
export type RuntimeMode =
  /** `import * as $am from "async-machine/runtime/compiled"` (ES modules). */
  | "import"
  /** `const $am = require("async-machine/runtime/compiled")` (CommonJS). */
  | "require"
  /** The runtime's code inlined at the top: a self-contained script (test harnesses, test262). */
  | "inline";

export interface TransformOptions {
  /** Used in diagnostics, in state-enum comments and in source maps. */
  fileName: string;
  /** Default `"import"`. */
  runtime?: RuntimeMode;
  /** Module specifier of the runtime for `import`/`require` (default `async-machine/runtime/compiled`: what generated code calls, and nothing else). */
  runtimeSpecifier?: string;
  /**
   * The file will be emitted strict whatever its source says: TypeScript's `alwaysStrict`, on
   * unless set to false (TypeScript 6 deprecates false). Default false: the source's own
   * strictness (a module, a "use strict" prologue or directive, a class body).
   */
  alwaysStrict?: boolean;
  /**
   * The source map of the input text (a source map v3 object or its JSON), when the input was
   * itself generated (tsc's `.js.map`, a loader's map). The result's map then leads to the
   * input's original sources instead of the input text.
   */
  inputSourceMap?: TransformResult["map"] | string;
  /**
   * `"poll"`: the file's async functions become lazy, cancellable futures the executor runs
   * (README "Poll mode"). Default `"promise"`. A function's own `/** @poll *\/` or
   * `/** @promise *\/` tag overrides it.
   */
  mode?: "promise" | "poll";
  /**
   * `"development"` (the default): every machine carries its state names and the metadata task
   * dumps, async stack traces and snapshots read. `"production"`: none of it, no comments in the
   * generated code, and short names shared by sibling machines — smaller output, the same
   * behaviour (README "Profiles"; transformer/profile.ts).
   */
  profile?: Profile;
}

/** An async function left native (unchanged), and why. */
export interface SkippedFunction {
  /** The function's name as the source gives it (`<anonymous>` when it has none). */
  name: string;
  fileName: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Why, as a stable code (the table in transformer/not-compiled.ts; README "Why a function stays native"). */
  code: NotCompiledCode;
  /** Why, for people: the code's message. */
  reason: string;
}

/** A message about the input, with its position (1-based line and column). */
export interface TransformDiagnostic {
  fileName: string;
  line: number;
  column: number;
  message: string;
  category: "error" | "warning";
}

export interface TransformResult {
  code: string;
  /** Source map v3 (JSON object) from the input text to `code`. */
  map: { version: number; sources: string[]; names: string[]; mappings: string; file?: string; sourcesContent?: (string | null)[] };
  diagnostics: TransformDiagnostic[];
  skipped: SkippedFunction[];
  /** How many async functions became machines. */
  compiled: number;
}
