/** The capability rows of a step kind's options where the kind itself is refused: each says so once, pointing at the kind. */
import { PART_OF_KIND, type FeatureId, type OptionsOf } from "../ir/features.js";
import type { Capability } from "./types.js";

export function optionsOfRefusedKind<K extends FeatureId>(kind: K, note: string): Record<OptionsOf<K>, Capability> {
  const rows: Partial<Record<FeatureId, Capability>> = {};
  for (const [feature, of] of Object.entries(PART_OF_KIND) as Array<[FeatureId, FeatureId]>) if (of === kind) rows[feature] = { support: "unsupported", note };
  return rows as Record<OptionsOf<K>, Capability>;
}
