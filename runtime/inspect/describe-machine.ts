/**
 * What a compiled function's machines look like from the outside: id, hash, state names, the
 * await location of each state, the variable at each frame offset, the captured variables, and
 * which machine fields code after the first await reads. One description per resume function,
 * computed on first use and cached.
 *
 * In:  a Machine (its `resume`, `names` and frame length).
 * Out: a FunctionDescription — from `MachineInfo` when the transformer passed one to `states`
 *      (`source: "info"`); for code compiled in the production profile, which keeps neither,
 *      only the resume function's name (`source: "production"`, see PRODUCTION_NOTE); else
 *      derived from the resume function's code (`source: "code"`; see machine-info.ts for the
 *      conventions it reads).
 *
 * Invariant: read only by dumps, traces and snapshots, never by running machines.
 */
import { machineInfoOf, PRODUCTION_BUILD, type Machine, type MachineStates, type Resume } from "../machine";
import { fnv1a64 } from "./hash";
import { layoutHash } from "./layout-hash";
import { capturesOf, machineIdOf, slotNamesOf, usesOf } from "./machine-info";

export interface FunctionDescription {
  /** Stable id: `MachineInfo.id`, or the function name derived from the resume function's name. */
  readonly id: string;
  /** The layout hash (from `MachineInfo`, layout-hash.ts), or a hash of the resume function's code, state names and frame size. */
  readonly hash: string;
  readonly source: "info" | "code" | "production";
  readonly name: string;
  readonly file: string | undefined;
  readonly stateNames: readonly string[];
  readonly frameSize: number;
  /** Per state number: where its await is (line, and column and text when known). */
  readonly awaits: ReadonlyArray<
    | {
        readonly line: number;
        readonly column?: number;
        readonly awaited?: string;
        /** Where the input's source map leads the await, for a file compiled after another compiler (`MachineInfo.original`). */
        readonly original?: { readonly file: string; readonly line: number; readonly column: number };
      }
    | undefined
  >;
  /** Per state number: variable name by frame offset (`null`: unused in that state). */
  readonly slots: ReadonlyArray<ReadonlyArray<string | null> | undefined>;
  /** Captured variables by offset. */
  readonly captures: readonly (string | null)[];
  /** Machine fields code after the first await may read. */
  readonly uses: { readonly this: boolean; readonly arguments: boolean; readonly super: boolean; readonly outerArguments: boolean; readonly newTarget: boolean };
  readonly resume: Resume;
  readonly names: MachineStates;
}

/** What dumps, traces and snapshots say about a machine compiled in the production profile. */
export const PRODUCTION_NOTE =
  'compiled with profile "production", which keeps no state names, await locations or variable names; build with profile "development" (the default) to inspect it';

const cache = new WeakMap<Resume, FunctionDescription>();

export function describeMachine(m: Machine): FunctionDescription {
  let d = cache.get(m.resume);
  if (d === undefined) {
    d = describe(m.resume, m.names, m.f.length);
    cache.set(m.resume, d);
  }
  return d;
}

/** The state's name (`AwaitFetch_L12`), or `State<n>` for a machine without an enum. */
export function stateNameOf(d: FunctionDescription, state: number): string {
  return d.stateNames[state] ?? `State${state}`;
}

/** `file:line:column` of a state's await when known, else its line (`line 12`), else undefined. */
export function awaitLocation(d: FunctionDescription, state: number): string | undefined {
  const at = d.awaits[state];
  if (at === undefined) return undefined;
  const place = at.column !== undefined ? `${at.line}:${at.column}` : `${at.line}`;
  return d.file !== undefined ? `${d.file}:${place}` : `line ${place}`;
}

function enumNames(names: MachineStates): string[] {
  const out: string[] = [];
  if (names === undefined || names === PRODUCTION_BUILD) return out;
  for (let i = 0; typeof names[i] === "string"; i++) out.push(names[i] as string);
  return out;
}

function describe(resume: Resume, names: MachineStates, frameSize: number): FunctionDescription {
  if (names === PRODUCTION_BUILD) return describeProduction(resume, frameSize);
  const stateNames = enumNames(names);
  const info = machineInfoOf(names);
  if (info !== undefined) {
    const awaits: FunctionDescription["awaits"][number][] = [];
    const slots: Array<ReadonlyArray<string | null> | undefined> = [];
    info.awaits.forEach(([line, column, awaited], i) => {
      const original = info.original?.[i];
      awaits[i + 3] = original ? { line, column, awaited, original: { file: original[0], line: original[1], column: original[2] } } : { line, column, awaited };
    });
    slotNamesOf(info, frameSize).forEach((s, i) => (slots[i + 3] = s));
    return {
      id: machineIdOf(info),
      hash: info.hash ?? layoutHash({ stateNames, captures: capturesOf(info), slots: info.slots, env: info.env }),
      source: "info",
      name: info.name,
      file: info.file,
      stateNames,
      frameSize,
      awaits,
      slots,
      captures: capturesOf(info),
      uses: usesOf(info),
      resume,
      names,
    };
  }
  return describeFromCode(resume, names, stateNames, frameSize);
}

/**
 * The fallback: read the generated code's own annotations.
 *   - a state's case starts by loading every slot it keeps (code of that age did; today's loads
 *     only what the resume reads, and always carries MachineInfo): `order_1 = $f[0] /* order *\/;`,
 *     or `order = $f[0];` where the register is named for the variable, where
 *     `const $f = $m.f;` opens the function (older code wrote `$m.f[0]`)
 *     (a `$`-named left side is a temporary; a suspend may skip storing a slot that still holds
 *     its value, so the stores before `$m.s = 3` are not a complete list);
 *   - captured variables are read as `$m.c[0] /* name *\/`;
 *   - the Unresumed case (`case 0 /* Unresumed *\/:` up to the next case at its indentation) is
 *     the only code that runs before the first await: machine fields read only there are not
 *     needed to resume (parameters are bound on entry, before any await).
 */
/**
 * A machine compiled in the production profile: its resume function's name, and nothing else to
 * go by (the function's, given at run time; `$R`, `$R_1`… where none was: a computed key).
 */
function describeProduction(resume: Resume, frameSize: number): FunctionDescription {
  const name = resume.name.replace(/^\$R(_\d+)?$|\$resume(_\d+)?$/, "") || "<anonymous>";
  return {
    id: name,
    hash: "",
    source: "production",
    name,
    file: undefined,
    stateNames: [],
    frameSize,
    awaits: [],
    slots: [],
    captures: [],
    uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false },
    resume,
    names: PRODUCTION_BUILD,
  };
}

function describeFromCode(resume: Resume, names: MachineStates, stateNames: string[], frameSize: number): FunctionDescription {
  const code = Function.prototype.toString.call(resume);
  const m = /^[^(]*\(\s*([\w$]+)/.exec(code)?.[1] ?? "$m";
  const q = m.replace(/\$/g, "\\$");
  const lines = code.split("\n");

  const slots: Array<Array<string | null> | undefined> = [];
  const resumeCase = /^\s*case (\d+) \/\* [\w$]+ \*\/:/;
  // The frame is read once into a local (`const $f = $m.f;`); code from before that read `$m.f[0]`.
  const frameLocal = new RegExp(`^\\s*const ([\\w$]+) = ${q}\\.f;`, "m").exec(code)?.[1];
  const frameRef = frameLocal === undefined ? `${q}\\.f` : `(?:${q}\\.f|${frameLocal.replace(/\$/g, "\\$")})`;
  // (A load whose register is named for the variable carries no comment: `acc = $f[0];`.)
  const loadSlot = new RegExp(`^\\s*([\\w$]+) = ${frameRef}\\[(\\d+)\\](?: /\\* (.+?) \\*/)?;`);
  lines.forEach((line, i) => {
    const c = resumeCase.exec(line);
    if (!c || Number(c[1]) < 3) return;
    const names: Array<string | null> = new Array(frameSize).fill(null);
    for (let j = i + 1; j < lines.length; j++) {
      const l = loadSlot.exec(lines[j]);
      if (!l) break;
      const [, target, offset, comment] = l;
      names[Number(offset)] = comment === undefined ? target : target.startsWith("$") && !comment.startsWith("$") ? `$${comment}` : comment;
    }
    slots[Number(c[1])] = names;
  });

  const captures: Array<string | null> = [];
  for (const c of code.matchAll(new RegExp(`${q}\\.c\\[(\\d+)\\] /\\* (.+?) \\*/`, "g"))) captures[Number(c[1])] ??= c[2];
  for (let i = 0; i < captures.length; i++) captures[i] ??= null;

  const awaits = stateNames.map((name, state) => {
    const line = state >= 3 ? /_L(\d+)$/.exec(name)?.[1] : undefined;
    return line !== undefined ? { line: Number(line) } : undefined;
  });

  const after = codeAfterStart(lines);
  const reads = (field: string): boolean => new RegExp(`${q}\\.${field}\\b`).test(after);
  const name = resume.name.replace(/\$resume(_\d+)?$/, "") || "<anonymous>";
  return {
    id: name,
    hash: fnv1a64(`code/1 ${frameSize}\n${stateNames.join(",")}\n${code}`),
    source: "code",
    name,
    file: undefined,
    stateNames,
    frameSize,
    awaits,
    slots,
    captures,
    uses: { this: reads("t"), arguments: reads("a"), super: reads("h"), outerArguments: reads("o"), newTarget: reads("n") },
    resume,
    names,
  };
}

/** The resume function's code without its Unresumed case (see describeFromCode). */
function codeAfterStart(lines: string[]): string {
  const start = lines.findIndex((l) => /^\s*case 0 \/\* Unresumed \*\/:/.test(l));
  if (start < 0) return lines.join("\n");
  const indent = /^\s*/.exec(lines[start])![0];
  // The case ends at the next non-blank line indented no deeper than its `case` (the next case
  // label or the switch's closing brace).
  let end = start + 1;
  while (end < lines.length && (lines[end].trim() === "" || /^\s*/.exec(lines[end])![0].length > indent.length)) end++;
  return [...lines.slice(0, start), ...lines.slice(end)].join("\n");
}
