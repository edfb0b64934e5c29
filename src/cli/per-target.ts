/**
 * Problems from several targets as one list: a problem every target words the same
 * (the same place, severity and message) is one line naming all the targets it concerns,
 * and a missing pipeline `role` is one line at the pipeline naming the steps that need it.
 */
import { MISSING_ROLE, MISSING_ROLE_CODE, MISSING_ROLE_HINT } from "../aws/role.js";
import { error, type Diagnostic } from "../diagnostics.js";
import type { Pos } from "../ir/types.js";

const ROLE_STEP = new RegExp(`^step '(.*)': ${MISSING_ROLE.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

export function mergeTargetDiagnostics(results: ReadonlyArray<{ target: string; diagnostics: readonly Diagnostic[] }>, pipelinePos?: Pos): Diagnostic[] {
  const groups = new Map<string, { d: Diagnostic; targets: string[] }>();
  const role = { steps: [] as string[], targets: [] as string[] };
  for (const r of results) {
    for (const d of r.diagnostics) {
      const step = ROLE_STEP.exec(d.message)?.[1];
      if (step !== undefined) {
        if (!role.steps.includes(step)) role.steps.push(step);
        if (!role.targets.includes(r.target)) role.targets.push(r.target);
        continue;
      }
      const key = JSON.stringify([d.pos?.file, d.pos?.line, d.pos?.col, d.severity, d.message]);
      const g = groups.get(key);
      if (!g) groups.set(key, { d, targets: [r.target] });
      else {
        if (!g.targets.includes(r.target)) g.targets.push(r.target);
        if (!g.d.hint && d.hint) g.d = { ...g.d, hint: d.hint };
        if (!g.d.code && d.code) g.d = { ...g.d, code: d.code };
      }
    }
  }
  const out = [...groups.values()].map(({ d, targets }) => ({ ...d, message: `${targets.join(", ")}: ${d.message}` }));
  if (role.steps.length) {
    const steps = role.steps.map((s) => `'${s}'`).join(", ");
    out.push(error(pipelinePos, `${role.targets.join(", ")}: ${MISSING_ROLE} (step${role.steps.length > 1 ? "s" : ""} ${steps})`, { code: MISSING_ROLE_CODE, hint: MISSING_ROLE_HINT }));
  }
  return out;
}
