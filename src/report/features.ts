/**
 * The feature matrix: every feature the pipeline uses, where, and how each
 * target handles it, read from the backends' capability tables (never decided here).
 */
import type { Backend, Support } from "../backend/types.js";
import { FEATURES, featuresUsed, type FeatureId, type FeatureUse } from "../ir/features.js";
import type { Pipeline } from "../ir/types.js";
import type { FeatureCell, GraphNode, Report } from "./model.js";

/** Every use of every feature (the graph nodes are not needed: `featuresUsed` finds concurrency itself). */
export function featureUses(p: Pipeline, _nodes?: GraphNode[]): FeatureUse[] {
  return featuresUsed(p);
}

export function usedFeatures(uses: FeatureUse[]): Report["features"] {
  // Sets: a feature may be used by every one of thousands of steps.
  const where = new Map<FeatureId, Set<string>>();
  for (const u of uses) {
    const places = where.get(u.feature) ?? new Set<string>();
    places.add(u.step ?? "pipeline");
    where.set(u.feature, places);
  }
  return FEATURES.filter((f) => where.has(f.id)).map((f) => ({ id: f.id, title: f.title, uses: [...where.get(f.id)!] }));
}

const MISSING: FeatureCell = { support: "unsupported", note: "the backend does not declare this feature" };

export function featureCells(b: Backend, used: Report["features"]): { cells: Partial<Record<FeatureId, FeatureCell>>; counts: Record<Support, number> } {
  const cells: Partial<Record<FeatureId, FeatureCell>> = {};
  const counts: Record<Support, number> = { native: 0, emulated: 0, unsupported: 0 };
  for (const f of used) {
    const c = b.capabilities[f.id] ?? MISSING;
    cells[f.id] = c.warnOnly ? { support: c.support, note: c.note, warnOnly: true } : { support: c.support, note: c.note };
    counts[c.support]++;
  }
  return { cells, counts };
}

export const SUPPORT_RANK: Record<Support, number> = { native: 0, emulated: 1, unsupported: 2 };

