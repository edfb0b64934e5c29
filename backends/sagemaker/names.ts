/**
 * Names SageMaker sees. Step names are the IR ids (the IR's identifier rule is
 * a subset of SageMaker's), foreach copies are `<id>_<index>` (src/ir/names.ts). The pipeline name
 * may not contain `_` or `.`: both become `-` (a deterministic, documented
 * mapping, reported in the compile summary), anything else is an error.
 */
import { NAME_RULES } from "../../src/ir/names.js";

export const STEP_NAME = NAME_RULES.find((r) => r.target === "sagemaker" && r.what === "step")!;
export const PIPELINE_NAME = NAME_RULES.find((r) => r.target === "sagemaker" && r.what === "pipeline")!;
export const PARAMETER_NAME = NAME_RULES.find((r) => r.target === "sagemaker" && r.what === "parameter")!;

export { copyName } from "../../src/ir/names.js";

/** The SageMaker pipeline name for an IR pipeline name, or an error text. */
export function pipelineName(name: string): { name: string } | { error: string } {
  const mapped = name.replace(/[_.]/g, "-");
  if (mapped.length > PIPELINE_NAME.maxLength || !PIPELINE_NAME.pattern.test(mapped)) {
    return { error: `pipeline name '${name}' cannot be a SageMaker pipeline name (${PIPELINE_NAME.source}: letters, digits and inner hyphens, at most ${PIPELINE_NAME.maxLength} characters)` };
  }
  return { name: mapped };
}

export function validStepName(name: string): boolean {
  return name.length <= STEP_NAME.maxLength && STEP_NAME.pattern.test(name);
}
