/**
 * Members a job step adds to its request as written (`request:`): any member
 * of the operation's request (botocore's model, constraints-data.ts) that no
 * field of the step writes, appended after those the fields write, the same
 * on every target.
 */
import { error } from "../../diagnostics.js";
import type { Step, Value } from "../../ir/types.js";
import { didYouMean } from "../../util/suggest.js";
import type { RequestCtx } from "./common.js";
import { REQUEST_MEMBERS } from "./constraints-data.js";
import { val, type Req } from "./tree.js";

export type JobOperation = "CreateTrainingJob" | "CreateHyperParameterTuningJob" | "CreateProcessingJob" | "CreateTransformJob";

/** The step kinds that add members, and the request each one's are members of. */
export const JOB_OPERATIONS: Partial<Record<Step["kind"], JobOperation>> = {
  processing: "CreateProcessingJob",
  training: "CreateTrainingJob",
  tuning: "CreateHyperParameterTuningJob",
  transform: "CreateTransformJob",
};

/** The members a step's own fields write (whether this step sets them or not): set through those fields, never added. */
export const FIELD_MEMBERS: Record<JobOperation, readonly string[]> = {
  CreateTrainingJob: [
    "TrainingJobName", "AlgorithmSpecification", "OutputDataConfig", "StoppingCondition", "ResourceConfig", "RoleArn", "InputDataConfig",
    "HyperParameters", "Tags", "EnableManagedSpotTraining", "Environment", "VpcConfig", "EnableNetworkIsolation", "EnableInterContainerTrafficEncryption",
  ],
  CreateHyperParameterTuningJob: ["HyperParameterTuningJobName", "HyperParameterTuningJobConfig", "TrainingJobDefinition", "TrainingJobDefinitions", "Tags"],
  CreateProcessingJob: [
    "ProcessingJobName", "ProcessingResources", "AppSpecification", "RoleArn", "ProcessingInputs", "ProcessingOutputConfig", "Environment", "NetworkConfig",
    "StoppingCondition", "Tags",
  ],
  CreateTransformJob: [
    "TransformJobName", "ModelName", "TransformInput", "TransformOutput", "TransformResources", "BatchStrategy", "MaxPayloadInMB", "MaxConcurrentTransforms",
    "DataProcessing", "Environment", "Tags",
  ],
};

/** Whether `member` may be added as written to `op`'s request. */
export function addableMember(op: JobOperation, member: string): boolean {
  return (REQUEST_MEMBERS[op] ?? []).includes(member) && !FIELD_MEMBERS[op].includes(member);
}

/** The request with the step's added members after the written ones; each member that cannot be added is an error at its value. */
export function withAddedMembers<N>(ctx: RequestCtx, s: Step & { request?: Record<string, Value> }, op: JobOperation, req: Req<N>): Req<N> {
  if (!s.request || req.t !== "obj") return req;
  const entries = [...req.entries];
  for (const [member, v] of Object.entries(s.request)) {
    if (FIELD_MEMBERS[op].includes(member)) {
      ctx.diags.push(error(v.pos, `step '${s.id}': ${op}'s '${member}' is written from the step's own fields; set those instead of adding it under 'request'`, { code: "request-member" }));
    } else if (!(REQUEST_MEMBERS[op] ?? []).includes(member)) {
      const addable = (REQUEST_MEMBERS[op] ?? []).filter((m) => !FIELD_MEMBERS[op].includes(m));
      ctx.diags.push(error(v.pos, `step '${s.id}': '${member}' is not a member of ${op}'s request${didYouMean(member, addable)}`, { code: "request-member", hint: `members a step adds: ${addable.join(", ")}` }));
    } else entries.push([member, val(v)]);
  }
  return { ...req, entries };
}
