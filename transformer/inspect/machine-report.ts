/**
 * The inspection report of one compiled function: what `async-machine inspect` prints — the
 * machine's description (emit/machine-description.ts: states, live variables, offsets, sizes,
 * layout hash) and its state-to-state transitions (transitions.ts).
 *
 * In:  a compiled function as the file's plan lists it (transform-file.ts).
 * Out: plain data; the JSON format serializes exactly this (see cli/README.md), in this key
 *      order: name, line, column, frameSize, capturedSize, captures, states, transitions, hash.
 */
import type * as ts from "typescript";
import type { MachineDescription } from "../emit/machine-description";
import { describeCompiled, type CompiledMachineInfo } from "../transform-file";
import { computeTransitions, type Transition } from "./transitions";

export interface FunctionReport extends MachineDescription {
  readonly transitions: readonly Transition[];
}

export function buildMachineReport(tsApi: typeof ts, sourceFile: ts.SourceFile, info: CompiledMachineInfo): FunctionReport {
  const { hash, ...description } = describeCompiled(tsApi, sourceFile, info);
  return { ...description, transitions: computeTransitions(info.result.lowered.cfg), hash };
}
