/**
 * Snapshot and restore of a machine suspended at an await: what "offsets, not pointers" buys.
 * Nothing in a machine's frame points into the machine, so its state number and frame values
 * are the whole of it; they can be written out as plain data and a new machine built from them,
 * in this process or in another one that loaded the same compiled code.
 *
 *     const data = snapshot(machineOrItsPromise);        // plain JSON-compatible data
 *     fs.writeFileSync("wf.json", JSON.stringify(data));
 *     // later, maybe in another process:
 *     registerFunctions(approveOrder);                   // the compiled function(s) to resume
 *     const result = await restore(JSON.parse(text), { value: decision });   // or { error }
 *
 * `snapshot` copies; the original machine is untouched and still resumes when its await settles
 * (drop it if the restored copy is to be the only one). It throws an InspectError naming the
 * variable and the state when a live value cannot be serialized (serialize.ts: functions and the
 * closures' environments they hold, symbols, class instances, promises), and when the machine
 * reads `super` after its first await (the home object cannot be serialized). `this` and the
 * arguments object are saved only when code after the first await reads them.
 *
 * `restore` finds the function by the snapshot's id among registered functions (a snapshot
 * registers its own function, so restoring in the same process needs nothing), refuses a
 * function whose hash differs (describe-machine.ts: with MachineInfo, the layout hash — what the
 * machine holds at each state changed, while code between awaits may change and still resume;
 * without it, a hash of the resume function's code — any change is refused), rebuilds the
 * machine at the snapshot's state and, one microtask later (code after an await never runs
 * synchronously in its caller), resumes it with the value or error. It returns the machine's
 * promise. With task tracking on, the restored machine is tracked like a started one.
 *
 * Registering a compiled function probes it: it is called once with a start hook that throws
 * before the machine's first step, so none of its code runs (see hooks.ts). Native async
 * functions and other functions are refused without being called.
 */
import { FutureMachine, Machine, ReservedState, type StateEnum } from "../machine";
import { describeMachine, PRODUCTION_NOTE, stateNameOf, type FunctionDescription } from "./describe-machine";
import { InspectError } from "./errors";
import { setProbeHook } from "./hooks";
import { computeIntegrity, verifyIntegrity, type HmacKey, type Integrity } from "./integrity";
import { Decoder, Encoder, MalformedData, NotSerializable, type Json } from "./serialize";
import { machineOfPromise, track } from "./tracking";
import { GeneratorMachine, restoredGenerator } from "../async-generator";

export const SNAPSHOT_FORMAT = "async-machine/snapshot@1";

export interface MachineSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly function: {
    /** Stable id (MachineInfo.id, or the function's name when the transformer gave no info). */
    readonly id: string;
    readonly name: string;
    /** Layout hash (MachineInfo) or code hash; restore refuses a function whose hash differs. */
    readonly hash: string;
    readonly source: "info" | "code";
  };
  /** The suspend state (3…) and its name. */
  readonly state: number;
  readonly stateName: string;
  /** Encoded frame, one entry per offset. */
  readonly frame: readonly Json[];
  /** Encoded captured variables, or null when the machine has none. */
  readonly captures: readonly Json[] | null;
  /** Present when code after the first await reads them. */
  readonly this?: Json;
  readonly arguments?: readonly Json[];
  readonly outerArguments?: readonly Json[];
  readonly newTarget?: Json;
  /** Variable names by frame offset and capture offset (for people reading a snapshot). */
  readonly variables: { readonly frame: readonly (string | null)[]; readonly captures: readonly (string | null)[] };
  /** With `snapshot(…, { hmacKey })`: an HMAC of the rest of the data, checked by `restore`. */
  readonly integrity?: Integrity;
}

export interface SnapshotOptions {
  /**
   * Live values to write by name rather than by content (a database handle, a module, a
   * function): each is written `{ "$": "reference", "name" }` and resolves on restore only
   * through the `references` the restoring caller passes.
   */
  readonly references?: Readonly<Record<string, unknown>>;
  /** Adds `integrity`: an HMAC-SHA256 of the snapshot under this key. */
  readonly hmacKey?: HmacKey;
}

export type Outcome = { readonly value: unknown } | { readonly error: unknown };

export interface RestoreOptions {
  /**
   * Compiled functions to resume in. They are registered, and when given they are the only
   * candidates: one whose hash differs is refused even if a matching version is registered.
   */
  readonly functions?: readonly Function[];
  /**
   * The allow list of live values the data may refer to, by name: a slot tagged
   * `{ "$": "reference", "name": "db" }` decodes to `references.db`, and `{ "$": "global" }` to
   * `references.globalThis`. Default: none — such data is refused (what the compiled function
   * itself captured needs nothing: captures are restored as values, and its closures' scope is
   * the code's own).
   */
  readonly references?: Readonly<Record<string, unknown>>;
  /** Refuses data whose `integrity` is missing or does not match this key, before decoding it. */
  readonly hmacKey?: HmacKey;
}

/** Registered compiled functions by id. */
const registry = new Map<string, FunctionDescription[]>();

function register(d: FunctionDescription): void {
  const list = registry.get(d.id) ?? [];
  if (!list.some((x) => x.resume === d.resume)) list.push(d);
  registry.set(d.id, list);
}

export function snapshot(target: Machine | Promise<unknown>, options: SnapshotOptions = {}): MachineSnapshot {
  const m = target instanceof Machine ? target : machineOfPromise(target);
  if (m === undefined) {
    throw new InspectError(
      "snapshot: the argument is neither a compiled machine nor the promise of a tracked one. Call enableTaskTracking() before the function starts, or pass the Machine (startMachine returns it).",
    );
  }
  const d = describeMachine(m);
  if (d.source === "production") throw new InspectError(`snapshot: ${d.name} was ${PRODUCTION_NOTE}; a snapshot needs its layout.`);
  const stateName = stateNameOf(d, m.s);
  const where = `state ${stateName} of ${d.name}`;
  if (m.s < 3) {
    const what = m.s === 0 ? "has not started" : m.s === 1 ? "has returned" : "has thrown";
    throw new InspectError(`snapshot: ${d.name} ${what}; only a machine suspended at an await can be snapshotted.`);
  }
  if (d.uses.super) throw new InspectError(`snapshot: ${where} reads \`super\` after its first await; the method's home object cannot be serialized.`);
  if (m instanceof GeneratorMachine && m.returnPending) {
    throw new InspectError(
      `snapshot: ${where} is in a \`finally\` block run for a return completion (a \`return()\` from outside, or a \`return x\`); the completion waits in the generator object, not in the machine, and cannot be serialized. Snapshot the generator before that completion or after its finally blocks.`,
    );
  }

  const slotNames = d.slots[m.s];
  const frameNames = Array.from({ length: m.f.length }, (_, i) => slotNames?.[i] ?? (m.f[i] === undefined ? null : `f[${i}]`));
  const captureNames = (m.c ?? []).map((_, i) => d.captures[i] ?? `c[${i}]`);
  const roots: Array<[unknown, string]> = [];
  m.f.forEach((v, i) => roots.push([v, frameNames[i] ?? `f[${i}]`]));
  (m.c ?? []).forEach((v, i) => roots.push([v, captureNames[i]]));
  if (d.uses.this) roots.push([m.t, "this"]);
  if (d.uses.arguments) Array.from(m.a ?? []).forEach((v, i) => roots.push([v, `arguments[${i}]`]));
  if (d.uses.outerArguments) Array.from(m.o ?? []).forEach((v, i) => roots.push([v, `arguments[${i}] (of the enclosing function)`]));
  if (d.uses.newTarget) roots.push([m.n, "new.target"]);

  const encoder = new Encoder(new Map(ownEntries(options.references, "snapshot").map(([name, value]) => [value, name])));
  const encode = <T>(f: () => T): T => {
    try {
      return f();
    } catch (error) {
      if (error instanceof NotSerializable) {
        throw new InspectError(`snapshot: cannot serialize '${error.path}', live at ${where}: it holds ${error.what}.`, { cause: error });
      }
      throw error;
    }
  };
  encode(() => roots.forEach(([v, path]) => encoder.scan(v, path)));
  const data = encode(() => ({
    format: SNAPSHOT_FORMAT,
    function: { id: d.id, name: d.name, hash: d.hash, source: d.source },
    state: m.s,
    stateName,
    frame: m.f.map((v, i) => encoder.encode(v, frameNames[i] ?? `f[${i}]`)),
    captures: m.c === undefined ? null : m.c.map((v, i) => encoder.encode(v, captureNames[i])),
    ...(d.uses.this ? { this: encoder.encode(m.t, "this") } : {}),
    ...(d.uses.arguments ? { arguments: Array.from(m.a ?? [], (v, i) => encoder.encode(v, `arguments[${i}]`)) } : {}),
    ...(d.uses.outerArguments ? { outerArguments: Array.from(m.o ?? [], (v, i) => encoder.encode(v, `arguments[${i}]`)) } : {}),
    ...(d.uses.newTarget ? { newTarget: encoder.encode(m.n, "new.target") } : {}),
    variables: { frame: frameNames, captures: captureNames },
  }));
  register(d);
  if (options.hmacKey !== undefined) return { ...data, integrity: computeIntegrity(data, options.hmacKey) } as MachineSnapshot;
  return data as MachineSnapshot;
}

/** Makes compiled functions known to `restore` (their code is not run: see the module header). */
export function registerFunctions(...functions: Function[]): void {
  for (const fn of functions) register(probe(fn));
}

class ProbeSignal {
  constructor(readonly machine: Machine) {}
}

function probe(fn: Function): FunctionDescription {
  if (typeof fn !== "function") throw new InspectError(`registerFunctions: expected a compiled async function, got ${typeof fn}.`);
  const code = Function.prototype.toString.call(fn);
  const label = fn.name ? `'${fn.name}'` : "an anonymous function";
  if (/^\s*async\b/.test(code))
    throw new InspectError(
      `registerFunctions: ${label} is a native async function (not compiled by async-machine), so it has no machine to restore. Check that its file is built through the plugin.`,
    );
  if (!/[\w$]\.start(?:WithFrame|Generator|GeneratorWithArguments)?\(\s*[\w$.#]+\s*,/.test(code))
    throw new InspectError(`registerFunctions: ${label} is not a compiled async function (its body does not start a machine).`);
  let machine: Machine | undefined;
  setProbeHook((m) => {
    throw new ProbeSignal(m);
  });
  try {
    fn.call(undefined);
  } catch (signal) {
    if (!(signal instanceof ProbeSignal)) throw new InspectError(`registerFunctions: probing ${label} threw before its machine started.`, { cause: signal });
    machine = signal.machine;
  } finally {
    setProbeHook(undefined);
  }
  if (machine === undefined) throw new InspectError(`registerFunctions: ${label} returned without starting a machine; it is not a compiled async function.`);
  const d = describeMachine(machine);
  if (d.source === "production") throw new InspectError(`registerFunctions: ${label} was ${PRODUCTION_NOTE}; it cannot be restored from a snapshot.`);
  return d;
}

export function restore(data: MachineSnapshot, outcome: Outcome, options: RestoreOptions = {}): Promise<unknown> {
  if (data === null || typeof data !== "object" || data.format !== SNAPSHOT_FORMAT) {
    throw new InspectError(`restore: not a snapshot of format ${SNAPSHOT_FORMAT} (got format ${JSON.stringify((data as { format?: unknown } | null)?.format)}).`);
  }
  if (options !== null && typeof options === "object" && options.hmacKey !== undefined) {
    const problem = verifyIntegrity(data, options.hmacKey);
    if (problem !== undefined) throw new InspectError(`restore: refused before decoding: ${problem}.`);
  }
  checkSnapshotShape(data);
  if (outcome === null || typeof outcome !== "object" || "value" in outcome === "error" in outcome) {
    throw new InspectError("restore: the outcome must be { value } (the await's result) or { error } (a rejection), exactly one of them.");
  }
  if (options === null || typeof options !== "object")
    throw new InspectError(`restore: the options must be an object such as { functions: [fn] }, got ${options === null ? "null" : typeof options}.`);
  if (options.functions !== undefined && !Array.isArray(options.functions)) {
    throw new InspectError(`restore: options.functions must be an array of compiled functions (restore(data, outcome, { functions: [fn] })), got ${typeof options.functions}.`);
  }
  if (!Number.isInteger(data.state) || data.state < ReservedState.FirstSuspend) {
    // 0 (Unresumed) would run the body from the top with the frame's slots as its parameters;
    // 1 (Returned) and 2 (Panicked) have no case in the resume function, which would then return
    // without awaiting anything, forever. snapshot() never writes these.
    throw new InspectError(
      `restore: the snapshot's state ${JSON.stringify(data.state)} (${JSON.stringify(data.stateName)}) is not a suspend state (3 or more); only a machine suspended at an await can be restored.`,
    );
  }
  const preferred = (options.functions ?? []).map(probe);
  preferred.forEach(register);
  const d = lookup(data, preferred);
  if (data.state >= d.stateNames.length || d.stateNames[data.state] !== data.stateName) {
    throw new InspectError(`restore: ${d.name} has no state ${data.state} named ${data.stateName}; the snapshot does not belong to this code.`);
  }
  if (data.frame.length !== d.frameSize) throw new InspectError(`restore: the snapshot's frame has ${data.frame.length} slots, ${d.name}'s has ${d.frameSize}.`);

  const { frame, captures, thisArg, args, outer, newTarget } = decodeSlots(data, new Decoder(new Map(ownEntries(options.references, "restore"))));

  if (isGeneratorDescription(d)) {
    // An async generator's machine (its `Start` state marks it): a new generator object resumes it.
    const g = new GeneratorMachine(d.resume, frame, d.names as StateEnum | undefined, thisArg, args, /*home*/ undefined);
    g.s = data.state;
    g.c = captures;
    track(g);
    return restoredGenerator(g, "value" in outcome ? outcome.value : outcome.error, !("value" in outcome)) as unknown as Promise<unknown>;
  }
  const m = new FutureMachine(d.resume, frame, d.names, thisArg, args, /*home*/ undefined, outer, newTarget);
  m.s = data.state;
  m.c = captures;
  track(m);
  // Resumes the await the snapshot was taken at, with the given outcome awaited natively.
  return m.run(outcome);
}

/** Is it an async generator's machine? Only theirs have a `Start` state (first of the suspends). */
function isGeneratorDescription(d: FunctionDescription): boolean {
  return d.stateNames[ReservedState.FirstSuspend] === "Start";
}

/** The slots' values, decoded; data the format does not allow is refused naming its path. */
function decodeSlots(data: MachineSnapshot, decoder: Decoder) {
  try {
    return {
      frame: data.frame.map((v, i) => decoder.decode(v, `frame[${i}]`)),
      captures: data.captures === null ? undefined : data.captures.map((v, i) => decoder.decode(v, `captures[${i}]`)),
      thisArg: data.this === undefined ? undefined : decoder.decode(data.this, "this"),
      args: data.arguments === undefined ? [] : data.arguments.map((v, i) => decoder.decode(v, `arguments[${i}]`)),
      outer: data.outerArguments === undefined ? undefined : data.outerArguments.map((v, i) => decoder.decode(v, `outerArguments[${i}]`)),
      newTarget: data.newTarget === undefined ? undefined : decoder.decode(data.newTarget, "newTarget"),
    };
  } catch (error) {
    if (error instanceof MalformedData) throw new InspectError(`restore: refused '${error.path}' in the snapshot data: ${error.what}.`, { cause: error });
    if (error instanceof RangeError) throw new InspectError("restore: refused the snapshot data: it is nested too deeply to decode.", { cause: error });
    throw error;
  }
}

/** The own enumerable entries of an options object of named references (none when absent). */
function ownEntries(references: Readonly<Record<string, unknown>> | undefined, caller: string): Array<[string, unknown]> {
  if (references === undefined) return [];
  if (references === null || typeof references !== "object")
    throw new InspectError(`${caller}: options.references must be an object of named values, such as { references: { db } }.`);
  return Object.keys(references).map((name) => [name, references[name]]);
}

/** Refuses data that has the format tag but not the fields restore reads (truncated or hand-edited). */
function checkSnapshotShape(data: MachineSnapshot): void {
  const problems: string[] = [];
  const fn = data.function as unknown;
  if (fn === null || typeof fn !== "object") problems.push("'function' is missing (an object { id, name, hash, source })");
  else {
    for (const key of ["id", "name", "hash"] as const) {
      if (typeof (fn as Record<string, unknown>)[key] !== "string") problems.push(`'function.${key}' is not a string`);
    }
  }
  if (typeof data.state !== "number") problems.push("'state' is not a number");
  if (typeof data.stateName !== "string") problems.push("'stateName' is not a string");
  if (!Array.isArray(data.frame)) problems.push("'frame' is not an array");
  if (data.captures !== null && !Array.isArray(data.captures)) problems.push("'captures' is neither null nor an array");
  if (data.arguments !== undefined && !Array.isArray(data.arguments)) problems.push("'arguments' is not an array");
  if (data.outerArguments !== undefined && !Array.isArray(data.outerArguments)) problems.push("'outerArguments' is not an array");
  if (problems.length > 0) throw new InspectError(`restore: malformed snapshot data: ${problems.join("; ")}. Pass the object snapshot() returned (or its JSON, parsed) unchanged.`);
}

const NativePromise = Promise;

function lookup(data: MachineSnapshot, preferred: readonly FunctionDescription[]): FunctionDescription {
  const { id, hash, name } = data.function;
  // Functions given explicitly are the only candidates: falling back to the registry would
  // silently resume another (older) version when the given one's hash differs.
  if (preferred.length > 0 && !preferred.some((d) => d.id === id)) {
    throw new InspectError(
      `restore: none of the functions passed in { functions } has the snapshot's id '${id}' (they have ${[...new Set(preferred.map((d) => `'${d.id}'`))].join(", ")}); pass the compiled '${name}' the snapshot was taken from.`,
    );
  }
  const candidates = preferred.length > 0 ? preferred.filter((d) => d.id === id) : (registry.get(id) ?? []);
  const matching = candidates.filter((d) => d.hash === hash);
  if (matching.length > 0) {
    const distinct = [...new Set(matching.map((d) => d.resume))];
    if (distinct.length > 1 && !preferred.some((d) => d.id === id && d.hash === hash)) {
      throw new InspectError(
        `restore: ${distinct.length} registered functions have id '${id}' and the snapshot's hash; pass the one to resume in restore(…, { functions: [${name}] }).`,
      );
    }
    return matching[0];
  }
  if (candidates.length > 0) {
    const now = candidates[0];
    if (now.source === "info") {
      // A layout hash: code between awaits may change and still resume; a different layout may not.
      throw new InspectError(
        `restore: the compiled code of '${name}' (id '${id}') changed since the snapshot was taken: its state layout differs (layout hash ${hash}, now ${now.hash}; \`async-machine inspect --format json\` prints a file's hashes). A snapshot resumes only in code whose machine has the layout it was taken with: restore with the build that took it, or start the function anew.`,
      );
    }
    throw new InspectError(
      `restore: the compiled code of '${name}' (id '${id}') changed since the snapshot was taken (hash ${hash}, now ${now.hash}); a snapshot resumes only in the code that took it. Restore with the build that took it, or start the function anew.`,
    );
  }
  throw new InspectError(
    `restore: no compiled function with id '${id}' is registered in this process. Load the same compiled code and pass the function: restore(snapshot, outcome, { functions: [${name}] }) or registerFunctions(${name}).`,
  );
}
