/**
 * Where SageMaker containers find a step's local code, the same for every
 * target (all of them run SageMaker jobs): processing scripts arrive as a
 * processing input, training scripts as an input channel, and both run as
 * `python3 <path>` unless the step gives its own command.
 */
import { basename } from "node:path";
import { error, type Diagnostic } from "../diagnostics.js";
import type { CodeFile, Pipeline } from "../ir/types.js";

/** LocalPath of the processing input that carries a processing or notebook step's code. */
export const PROCESSING_CODE_DIR = "/opt/ml/processing/input/code";
/** Input name / channel name of the code input. */
export const CODE_INPUT = "code";
/** The default interpreter. */
export const DEFAULT_COMMAND = ["python3"];

/** Where a processing step's script is inside the container. */
export function processingScriptPath(code: CodeFile): string {
  return `${PROCESSING_CODE_DIR}/${basename(code.path)}`;
}

/** Where a training step's script is inside the container (the `code` channel). */
export function trainingScriptPath(code: CodeFile): string {
  return `/opt/ml/input/data/${CODE_INPUT}/${basename(code.path)}`;
}

/**
 * Environment variable names the SageMaker APIs take (CreateProcessingJob,
 * CreateTrainingJob, CreateTransformJob, CreateModel, the tuning job's training
 * definition: `[a-zA-Z_][a-zA-Z0-9_]*`, botocore 1.44.5).
 */
export const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An error for each environment variable name no SageMaker container would be given. */
export function environmentNameErrors(p: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of p.steps) {
    for (const [name, v] of Object.entries(s.environment)) {
      if (ENVIRONMENT_NAME.test(name)) continue;
      out.push(
        error(v.pos, `step '${s.id}': environment variable name ${JSON.stringify(name)} is not one SageMaker accepts`, {
          code: "environment-name",
          hint: "names hold letters, digits and '_', and do not start with a digit",
        }),
      );
    }
  }
  return out;
}
