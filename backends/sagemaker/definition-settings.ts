/**
 * Pipeline-level `targets.sagemaker.settings` keys that shape the definition's
 * own members rather than a step type's Arguments. A lifted definition keeps
 * what the pipeline format does not model (Metadata, a PipelineExperimentConfig
 * other than the SDK default or none at all, MlflowConfig) through these, so
 * re-lowering writes the same definition.
 */
import type { Py } from "./pyjson.js";

/** Members written as given, replacing the generated ones (`null` is written as null). */
export const DEFINITION_KEY = "Definition";
/** Names of members to leave out (a definition without Metadata, or without PipelineExperimentConfig: experiment tracking off). */
export const OMIT_KEY = "DefinitionOmits";

/** The SDK's order of the definition's members; others go before Steps. */
const ORDER = ["Version", "Metadata", "Parameters", "PipelineExperimentConfig", "MlflowConfig", "Steps"];

export function applyDefinitionSettings(def: Record<string, Py>, settings: Record<string, unknown> | undefined): Record<string, Py> {
  const over = (settings?.[DEFINITION_KEY] ?? {}) as Record<string, Py>;
  const omit = new Set(Array.isArray(settings?.[OMIT_KEY]) ? (settings![OMIT_KEY] as string[]) : []);
  const merged: Record<string, Py> = { ...def, ...over };
  const keys = [...ORDER.filter((k) => k !== "Steps"), ...Object.keys(merged).filter((k) => !ORDER.includes(k)), "Steps"];
  return Object.fromEntries(keys.filter((k) => k in merged && !omit.has(k)).map((k) => [k, merged[k]]));
}
