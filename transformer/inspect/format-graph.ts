/**
 * The state graphs of an inspection report, for diagram tools:
 *   - `formatMermaid`: a Mermaid `stateDiagram-v2` (one composite state per function when the
 *     report has several), renderable in GitHub Markdown and mermaid.live;
 *   - `formatDot`: a Graphviz digraph (one cluster per function): `dot -Tsvg`.
 *
 * Node ids are `f<function>_s<state>` (function = position in the report), so two functions'
 * states never collide. Edge labels carry the transition kind when it is not `normal`.
 * Mermaid text is kept to a safe alphabet (identifiers, digits, `[]@,.$ ()-`): awaited source text
 * is left out there (it is in the text, JSON and DOT forms), because Mermaid has no escape for
 * every character source code can contain. DOT strings are escaped (`\` and `"`).
 *
 * Invariant: deterministic, like the text form.
 */
import type { FileFunctionReport, FileReport } from "./file-report";
import { displayName, type StateReport } from "../emit/machine-description";

const RESERVED_SHAPES: Record<string, string> = { returned: "doublecircle", panicked: "doubleoctagon" };

export function formatMermaid(report: FileReport): string {
  const lines = ["stateDiagram-v2"];
  const nested = report.functions.length > 1;
  report.functions.forEach((fn, f) => {
    const indent = nested ? "    " : "  ";
    if (nested) lines.push(`  state f${f} {`);
    const id = (s: number): string => `f${f}_s${s}`;
    lines.push(`${indent}[*] --> ${id(0)}`);
    for (const s of fn.states) {
      lines.push(`${indent}${id(s.index)} : ${mermaidText(`${s.index} ${s.name}`)}`);
      if (s.kind === "suspend") {
        lines.push(`${indent}${id(s.index)} : ${mermaidText(`await at L${s.line} C${s.column}, size ${s.size}`)}`);
        lines.push(`${indent}${id(s.index)} : ${mermaidText(`live [${s.fields.map(displayName).join(", ")}]`)}`);
      }
    }
    for (const t of fn.transitions) lines.push(`${indent}${id(t.from)} --> ${id(t.to)}${t.kind === "normal" ? "" : ` : ${t.kind}`}`);
    lines.push(`${indent}${id(1)} --> [*]`, `${indent}${id(2)} --> [*]`);
    if (nested) lines.push("  }", `  f${f} : ${mermaidText(`${fn.name} line ${fn.line}`)}`);
  });
  if (report.functions.length === 0) lines.push("  %% no compiled async functions");
  return lines.join("\n") + "\n";
}

/** Mermaid has no general escape: keep a safe alphabet, replace the rest. */
function mermaidText(text: string): string {
  // DESCR is `:[^:\n;]+` and `#` starts a comment (mermaid stateDiagram.jison).
  return text.replace(/[^A-Za-z0-9_$@,.()[\] -]/g, "_");
}

export function formatDot(report: FileReport): string {
  const lines = [`digraph ${dotString(report.file)} {`, `  graph [rankdir=TB, fontname="Helvetica"];`, `  node [shape=box, fontname="Courier"];`, `  edge [fontname="Helvetica"];`];
  report.functions.forEach((fn, f) => {
    lines.push(`  subgraph ${dotString(`cluster_${f}`)} {`);
    lines.push(`    label=${dotString(clusterLabel(report.file, fn))};`);
    for (const s of fn.states) {
      const shape = RESERVED_SHAPES[s.kind];
      lines.push(`    ${dotString(`f${f}_s${s.index}`)} [label=${dotString(stateLabel(s))}${shape ? `, shape=${shape}` : ""}];`);
    }
    lines.push("  }");
    for (const t of fn.transitions) {
      const attrs = t.kind === "normal" ? "" : ` [label=${dotString(t.kind)}, ${EDGE_STYLE[t.kind]}]`;
      lines.push(`  ${dotString(`f${f}_s${t.from}`)} -> ${dotString(`f${f}_s${t.to}`)}${attrs};`);
    }
  });
  lines.push("}");
  return lines.join("\n") + "\n";
}

const EDGE_STYLE: Record<string, string> = {
  loop: "style=dashed",
  exception: "color=red, fontcolor=red",
  finally: "color=darkorange, fontcolor=darkorange, style=dotted",
};

function clusterLabel(file: string, fn: FileFunctionReport): string {
  return `${fn.name} (${file}:${fn.line}:${fn.column}), frame ${fn.frameSize}, captured ${fn.capturedSize}`;
}

function stateLabel(s: StateReport): string {
  const lines = [`${s.index} ${s.name}`];
  if (s.kind === "suspend") {
    lines.push(`await @ ${s.line}:${s.column}  ${s.awaited ?? ""}`.trimEnd());
    lines.push(`live [${s.fields.map(displayName).join(", ")}]  size ${s.size}`);
  } else if (s.kind === "unresumed" && s.live.length > 0) {
    lines.push(`args [${s.live.join(", ")}]`);
  }
  return lines.join("\n");
}

/** A DOT quoted string; `\n` inside becomes a centered line break. */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}
