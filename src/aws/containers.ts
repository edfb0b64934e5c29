/**
 * Where SageMaker containers find a step's local code, the same for every
 * target (all of them run SageMaker jobs): processing scripts arrive as a
 * processing input, training scripts as an input channel, and both run as
 * `python3 <path>` unless the step gives its own command.
 */
import { basename } from "node:path";
import type { CodeFile } from "../ir/types.js";

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
