/**
 * The members a job step may add to its request (`request:`) that SageMaker
 * Pipelines takes in the step's Arguments: the official definition schema with
 * our reviewed corrections (schema/corrections.json). The SDK leaves a job's
 * ExperimentConfig out of every step (the pipeline's experiment configuration
 * sets it), and the schema has it in none. test/backends/sagemaker/request-members.test.ts
 * checks this table against the corrected schema.
 */
import type { JobOperation } from "../../src/aws/requests/members.js";
import type { ProcessingStep, TrainingStep, TransformStep, TuningStep } from "../../src/ir/types.js";
import { fail, type Ctx } from "./context.js";

export const PIPELINE_MEMBERS: Record<JobOperation, { stepType: string; members: readonly string[] }> = {
  CreateTrainingJob: {
    stepType: "Training",
    members: ["CheckpointConfig", "DebugHookConfig", "DebugRuleConfigurations", "ModelPackageConfig", "ProfilerConfig", "ProfilerRuleConfigurations", "RetryStrategy", "ServerlessJobConfig", "TensorBoardOutputConfig"],
  },
  CreateHyperParameterTuningJob: { stepType: "Tuning", members: ["WarmStartConfig"] },
  CreateProcessingJob: { stepType: "Processing", members: [] },
  CreateTransformJob: { stepType: "Transform", members: ["ModelClientConfig"] },
};

/** Each added member SageMaker Pipelines does not take is an error at its value (the request builder refuses members of no use anywhere). */
export function checkAddedMembers(ctx: Ctx, s: ProcessingStep | TrainingStep | TuningStep | TransformStep, op: JobOperation): void {
  const { stepType, members } = PIPELINE_MEMBERS[op];
  for (const [member, v] of Object.entries(s.request ?? {})) {
    if (members.includes(member)) continue;
    const why = member === "ExperimentConfig" ? "the pipeline's experiment configuration sets each job's" : `its definition schema has ${members.length ? `only ${members.join(", ")} of the members a step adds` : "none of the members a step adds"}`;
    fail(ctx, v.pos, `step '${s.id}': SageMaker Pipelines takes no '${member}' in a ${stepType} step's Arguments (${why})`, "sagemaker-request-member");
  }
}
