/**
 * The step graph as Mermaid or Graphviz DOT text. By default an edge implied by
 * another path is left out (the drawing shows what orders the steps); `allEdges` keeps every one.
 */
import { dependencies, transitiveReduction } from "../ir/graph.js";
import type { Pipeline } from "../ir/types.js";

export interface GraphOptions {
  allEdges?: boolean;
}

function edges(p: Pipeline, o: GraphOptions): Array<{ from: string; to: string; label?: string }> {
  const deps = o.allEdges ? dependencies(p) : transitiveReduction(dependencies(p));
  const out: Array<{ from: string; to: string; label?: string }> = [];
  const byId = new Map(p.steps.map((s) => [s.id, s]));
  for (const [to, ds] of deps) {
    for (const from of ds) {
      const c = byId.get(from);
      const label = c?.kind === "condition" ? (c.then.includes(to) ? "then" : c.else.includes(to) ? "else" : undefined) : undefined;
      out.push(label ? { from, to, label } : { from, to });
    }
  }
  return out;
}

const mermaidText = (s: string) => s.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");

export function toMermaid(p: Pipeline, o: GraphOptions = {}): string {
  const ids = new Map(p.steps.map((s, i) => [s.id, `s${i}`]));
  const lines = ["flowchart TD"];
  for (const s of p.steps) {
    const label = mermaidText(`${s.id}${s.foreach ? ` ×${s.foreach.items.length}` : ""}`) + `<br/><i>${s.kind}</i>`;
    lines.push(s.kind === "condition" ? `  ${ids.get(s.id)}{"${label}"}` : `  ${ids.get(s.id)}["${label}"]`);
  }
  for (const e of edges(p, o)) lines.push(`  ${ids.get(e.from)} -->${e.label ? `|${e.label}|` : ""} ${ids.get(e.to)}`);
  return lines.join("\n") + "\n";
}

const dotString = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

export function toDot(p: Pipeline, o: GraphOptions = {}): string {
  const lines = [`digraph ${dotString(p.name)} {`, "  rankdir=TB;", '  node [shape=box, fontname="Helvetica"];'];
  for (const s of p.steps) {
    const shape = s.kind === "condition" ? ", shape=diamond" : s.kind === "fail" ? ", shape=octagon" : "";
    lines.push(`  ${dotString(s.id)} [label=${dotString(`${s.id}${s.foreach ? ` ×${s.foreach.items.length}` : ""}\n${s.kind}`)}${shape}];`);
  }
  for (const e of edges(p, o)) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)}${e.label ? ` [label=${dotString(e.label)}]` : ""};`);
  lines.push("}");
  return lines.join("\n") + "\n";
}
