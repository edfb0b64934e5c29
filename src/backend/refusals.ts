/**
 * No feature is lost silently: every use of a feature a target marks
 * `unsupported` becomes an error naming the step and the reason, all at once.
 */
import { error, warning, type Diagnostic } from "../diagnostics.js";
import { FEATURES, PART_OF_KIND, featuresUsed, type FeatureUse } from "../ir/features.js";
import type { Pipeline } from "../ir/types.js";
import type { Backend } from "./types.js";

/** `uses`: featuresUsed(p), when several targets are checked. */
export function refusals(backend: Backend, p: Pipeline, uses: readonly FeatureUse[] = featuresUsed(p)): Diagnostic[] {
  const out: Diagnostic[] = [];
  const titles = new Map(FEATURES.map((f) => [f.id, f.title]));
  let byId: Map<string, Pipeline["steps"][number]> | undefined;
  for (const use of uses) {
    // Settings for another target are not applied here: said, so nothing vanishes unnoticed.
    if (use.target !== undefined && use.target !== backend.name) {
      // The first step of each id, as a search from the start finds it.
      byId ??= new Map([...p.steps].reverse().map((s) => [s.id, s]));
      const bag = use.step ? byId.get(use.step)?.targets[use.target] : p.targets[use.target];
      const keys = Object.keys(bag?.settings ?? {});
      if (keys.length) {
        const where = use.step ? `step '${use.step}': ` : "";
        out.push(warning(use.pos, `${where}${use.target} settings (${keys.join(", ")}) are not applied on ${backend.title}`, { code: "foreign-settings", hint: `settings under 'targets.${use.target}' reach only ${use.target}` }));
      }
      continue;
    }
    const cap = backend.capabilities[use.feature];
    if (cap && cap.support !== "unsupported") continue;
    const kind = PART_OF_KIND[use.feature];
    if (kind && backend.capabilities[kind]?.support === "unsupported") continue;
    const where = use.step ? `step '${use.step}': ` : "";
    const why = cap ? cap.note : "the backend does not declare this feature";
    const what = `${where}${titles.get(use.feature) ?? use.feature} is not supported by ${backend.title}: ${why}`;
    out.push(cap?.warnOnly ? warning(use.pos, `${what} (the step runs without it)`, { code: "unsupported-feature" }) : error(use.pos, what, { code: "unsupported-feature" }));
  }
  for (const s of p.steps) {
    if (s.kind === "passthrough" && s.target !== backend.name) {
      out.push(
        error(s.pos, `step '${s.id}': a ${s.target} '${s.type}' step cannot be lowered to ${backend.title}`, {
          code: "unsupported-passthrough",
          hint: `rewrite it with a neutral step kind, or compile for ${s.target} only`,
        }),
      );
    }
  }
  // The same feature in the same place is reported once.
  const seen = new Set<string>();
  return out.filter((d) => {
    const k = `${d.pos?.line}:${d.pos?.col}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
