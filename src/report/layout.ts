/**
 * A layered layout of the step graph for drawing: a step's layer is one more
 * than its deepest predecessor's; within a layer, source order. Edges are the
 * transitive reduction, so the drawing shows only what orders the steps.
 */
import { branchMembership, dependencies, topoOrder, transitiveReduction } from "../ir/graph.js";
import type { Pipeline } from "../ir/types.js";
import type { GraphNode } from "./model.js";

export function layeredGraph(p: Pipeline): { nodes: GraphNode[]; edges: Array<[string, string]> } {
  const deps = dependencies(p);
  const layer = new Map<string, number>();
  for (const id of topoOrder(deps)) layer.set(id, Math.max(-1, ...(deps.get(id) ?? []).map((d) => layer.get(d)!)) + 1);
  const branches = branchMembership(p);
  const used = new Map<number, number>();
  const nodes: GraphNode[] = p.steps.map((s) => {
    const l = layer.get(s.id)!;
    const slot = used.get(l) ?? 0;
    used.set(l, slot + 1);
    const b = branches.get(s.id);
    return { id: s.id, kind: s.kind, layer: l, slot, copies: s.foreach ? s.foreach.items.length : 1, ...(b ? { branch: `${b.condition}/${b.branch}` } : {}) };
  });
  const edges: Array<[string, string]> = [];
  for (const [id, ds] of transitiveReduction(deps)) for (const d of ds) edges.push([d, id]);
  return { nodes, edges };
}

/** The most steps (foreach copies counted) that can run at once, by layer. */
export function widestLayer(nodes: GraphNode[]): number {
  const width = new Map<number, number>();
  for (const n of nodes) width.set(n.layer, (width.get(n.layer) ?? 0) + n.copies);
  return Math.max(0, ...width.values());
}
