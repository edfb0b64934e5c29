/**
 * No feature is lost silently: every use of a feature a target marks
 * `unsupported` becomes an error naming the step and the reason, all at once.
 */
import { error, warning, type Diagnostic } from "../diagnostics.js";
import { FEATURES, PART_OF_KIND, featuresUsed, type FeatureUse } from "../ir/features.js";
import type { Pipeline } from "../ir/types.js";
import type { Backend } from "./types.js";
import { PLACES_NAMED } from "../util/places.js";

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
  // The same feature in the same place is reported once; used at more than PLACES_NAMED places in one step, once
  // at its first use with the number of places (a step whose payload sets 500 results used object() 500 times:
  // 126,000 lines for one pipeline).
  const groups = new Map<string, Set<string>>();
  const kept: Array<{ d: Diagnostic; places: Set<string> }> = [];
  for (const d of out) {
    const key = JSON.stringify([d.severity, d.code, d.message, d.hint]);
    const place = `${d.pos?.file}:${d.pos?.line}:${d.pos?.col}`;
    let places = groups.get(key);
    if (!places) groups.set(key, (places = new Set()));
    if (places.has(place)) continue;
    places.add(place);
    kept.push({ d, places });
  }
  const first = new Set<Set<string>>();
  return kept.flatMap(({ d, places }) => {
    if (places.size <= PLACES_NAMED) return [d];
    if (first.has(places)) return [];
    first.add(places);
    return [{ ...d, message: `${d.message} (used at ${places.size} places in ${d.message.startsWith("step '") ? "the step" : "the pipeline"}; the first is here)` }];
  });
}
