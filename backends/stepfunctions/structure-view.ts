/** The state machine's arrangement for the report: sequences, Parallel branches and Choice states, from the plan. */
import type { StructureNode } from "../../src/backend/types.js";
import type { Pipeline } from "../../src/ir/types.js";
import { copyName } from "./names.js";
import { planPipeline } from "./plan.js";
import type { Shape } from "./structure.js";
import { withVariableReads } from "./variables.js";

export function structure(pipeline: Pipeline): StructureNode {
  const p = withVariableReads(pipeline);
  const plan = planPipeline(p);
  const byId = new Map(p.steps.map((s) => [s.id, s]));
  const view = (sh: Shape): StructureNode => {
    if (sh.t === "seq") return { t: "seq", items: sh.items.map(view) };
    if (sh.t === "par") return { t: "par", label: "Parallel", branches: sh.branches.map(view) };
    const s = byId.get(sh.id)!;
    if (s.kind === "condition") {
      const br = plan.branches.get(s.id)!;
      return { t: "choice", step: s.id, label: `${s.id} (Choice)`, then: view(br.then), else: view(br.else) };
    }
    if (s.foreach) {
      return { t: "par", label: `${s.id}: Parallel, one branch per item`, branches: s.foreach.items.map((_, i) => ({ t: "step", step: s.id, label: copyName(s.id, i) })) };
    }
    return { t: "step", step: s.id, label: s.id };
  };
  return view(plan.shape);
}
