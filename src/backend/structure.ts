/**
 * A structure view for targets that schedule a list of steps by their data
 * dependencies (SageMaker's `Steps`, Airflow's tasks), with each condition's
 * branches nested under it. The backend gives its own labels and copy names.
 */
import { branchMembership } from "../ir/graph.js";
import type { Pipeline, Step } from "../ir/types.js";
import type { StructureNode } from "./types.js";

export interface GroupedLabels {
  top: string;
  then: string;
  else: string;
  condition: (id: string) => string;
  /** The target's name for step `id` (copy `index` of a foreach step). */
  name: (id: string, index?: number) => string;
}

export function groupedStructure(p: Pipeline, labels: GroupedLabels): StructureNode {
  const membership = branchMembership(p);
  const byId = new Map(p.steps.map((s) => [s.id, s]));
  const nodes = (s: Step): StructureNode[] => {
    if (s.kind === "condition") {
      const group = (ids: string[], label: string): StructureNode => ({ t: "group", label, items: ids.flatMap((id) => nodes(byId.get(id)!)) });
      return [{ t: "choice", step: s.id, label: labels.condition(s.id), then: group(s.then, labels.then), else: group(s.else, labels.else) }];
    }
    if (s.foreach) return s.foreach.items.map((_, i) => ({ t: "step", step: s.id, label: labels.name(s.id, i) }));
    return [{ t: "step", step: s.id, label: labels.name(s.id) }];
  };
  return { t: "group", label: labels.top, items: p.steps.filter((s) => !membership.has(s.id)).flatMap(nodes) };
}
