/**
 * Builds the `MachineInfo` of a compiled function (runtime/inspect/machine-info.ts): the data a
 * task dump, an async stack trace and a snapshot need at run time, emitted as the second
 * argument of the state enum:
 *
 *     var approve$State = $am.states(["Unresumed", …], { v: 3, name: "approve", file: "src/orders.ts", … });
 *
 * What the runtime can rebuild is left out (format version 3, runtime/inspect/machine-info.ts):
 * the id when it is `file#name`, the captures when there are none, and `uses` but for the
 * facts that hold — most machines read neither `this` nor `arguments` after an await.
 *
 * Wired in transform-file.ts (`attachMachineInfo`): every compiled function's state enum carries it.
 *
 * In:  a MachineSummary (machine-description.ts), the file id (project-relative, `/`-separated), the
 *      function's scope facts.
 * Out: plain data, JSON-compatible, and the object literal node that spells it.
 *
 * Invariant: the info carries no hash; the runtime derives the layout hash from it
 * (runtime/inspect/layout-hash.ts) and gets `summary.hash`, what `inspect --format json` prints —
 * so a refused restore can be explained with the CLI.
 */
import type * as ts from "typescript";
import type { MachineInfo } from "../../runtime/inspect/machine-info";
import type { OriginalPositionOf } from "../input-map-positions";
import type { MachineSummary } from "./machine-description";

export interface MachineInfoOptions {
  /** Project-relative file name with `/` separators. */
  readonly file: string;
  /** True when another function of the file has the same name: the id then ends in `@<line>`. */
  readonly duplicateName: boolean;
  /** The function's scope facts (analyze/scopes.ts). */
  readonly facts: { readonly usesThis: boolean; readonly usesArguments: boolean; readonly usesSuper: boolean; readonly usesNewTarget: boolean };
  readonly isArrow: boolean;
  /** Where the input's source map leads a position of the text, when the text was itself generated. */
  readonly originalPositionOf?: OriginalPositionOf;
}

export function buildMachineInfo(summary: MachineSummary, options: MachineInfoOptions): MachineInfo {
  const uses = {
    this: options.facts.usesThis,
    arguments: options.facts.usesArguments && !options.isArrow,
    super: options.facts.usesSuper,
    outerArguments: options.facts.usesArguments && options.isArrow,
    newTarget: options.facts.usesNewTarget && options.isArrow,
  };
  const used = Object.fromEntries(Object.entries(uses).filter(([, holds]) => holds));
  return {
    v: 3,
    ...(options.duplicateName && { id: `${options.file}#${summary.name}@${summary.line}` }),
    name: summary.name,
    file: options.file,
    line: summary.line,
    awaits: summary.awaits,
    ...(options.originalPositionOf && { original: summary.awaits.map(([line, column]) => options.originalPositionOf!(line, column) ?? null) }),
    slots: summary.slots,
    ...(summary.captures.length > 0 && { captures: summary.captures }),
    ...(summary.env && { env: summary.env }),
    ...(Object.keys(used).length > 0 && { uses: used }),
  };
}

/** The object literal that spells `value` (plain JSON data only). */
export function machineInfoLiteral(tsApi: typeof ts, value: MachineInfo): ts.Expression {
  const F = tsApi.factory;
  const build = (v: unknown): ts.Expression => {
    if (v === null) return F.createNull();
    if (typeof v === "string") return F.createStringLiteral(v);
    if (typeof v === "number") return v < 0 ? F.createPrefixMinus(F.createNumericLiteral(-v)) : F.createNumericLiteral(v);
    if (typeof v === "boolean") return v ? F.createTrue() : F.createFalse();
    if (Array.isArray(v)) return F.createArrayLiteralExpression(v.map(build), /*multiLine*/ false);
    const entries = Object.entries(v as Record<string, unknown>);
    // (Property names are marked as never substituted: the module transform would otherwise
    // ask of each whether it names an import — about 15 per machine.)
    const key = (k: string): ts.PropertyName =>
      /^[A-Za-z_$][\w$]*$/.test(k) ? tsApi.setEmitFlags(F.createIdentifier(k), tsApi.EmitFlags.NoSubstitution) : F.createStringLiteral(k);
    return F.createObjectLiteralExpression(
      entries.map(([k, x]) => F.createPropertyAssignment(key(k), build(x))),
      /*multiLine*/ false,
    );
  };
  return build(value);
}
