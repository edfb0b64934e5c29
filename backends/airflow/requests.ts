/**
 * SageMaker requests as operators' `config` dicts (boto3 request shapes),
 * built once for every target in src/aws/requests; job names come from
 * `sy_job_name` per run and try.
 */
import { endpointConfigRequest, endpointRequest, modelPackageRequest, modelRequest, servesModelStep } from "../../src/aws/requests/model.js";
import { papermillRequest, processingRequest } from "../../src/aws/requests/processing.js";
import { trainingRequest, tuningRequest } from "../../src/aws/requests/training.js";
import { transformRequest } from "../../src/aws/requests/transform.js";
import { startJobRunRequest } from "../../src/aws/requests/glue.js";
import { stepConfig } from "../../src/aws/requests/emr.js";
import type { RequestCtx } from "../../src/aws/requests/common.js";
import { own, text, without, type Req } from "../../src/aws/requests/tree.js";
import type { Diagnostic } from "../../src/diagnostics.js";
import type { Pipeline, StepOf } from "../../src/ir/types.js";
import { dict, str, type Py } from "./python/node.js";
import { encode } from "./request-encoding.js";
import type { RefEnv } from "./values.js";

/** Limits on job names (SageMaker `CreateXJob` name patterns). */
export const JOB_NAME_LIMIT = 63;
export const TUNING_NAME_LIMIT = 32;

export interface RequestContext {
  p: Pipeline;
  env: RefEnv;
  task: string;
  /** Problems with the step: a message (plan.ts adds the step and its place), or a diagnostic at its own place. */
  problems: Array<string | Diagnostic>;
}

const shared = (c: RequestContext, index: number | undefined): RequestCtx => ({ p: c.p, index, diags: c.problems });

function jobName(c: RequestContext, limit = JOB_NAME_LIMIT): Req<Py> {
  const lim = limit === JOB_NAME_LIMIT ? "" : `, ${limit}`;
  return own(str(`{{ sy_job_name('${c.task}', run_id, ti.try_number${lim}) }}`));
}

export const processing = (s: StepOf<"processing">, c: RequestContext, index: number | undefined): Py => encode(c.env, processingRequest(shared(c, index), s, jobName(c)));
/** The notebook kind runs as a processing job whose entry point is papermill. */
export const notebook = (s: StepOf<"notebook">, c: RequestContext, index: number | undefined): Py => encode(c.env, papermillRequest(shared(c, index), s, jobName(c)));
export const training = (s: StepOf<"training">, c: RequestContext, index: number | undefined): Py => encode(c.env, trainingRequest(shared(c, index), s, jobName(c)));
export const tuning = (s: StepOf<"tuning">, c: RequestContext, index: number | undefined): Py => encode(c.env, tuningRequest(shared(c, index), s, jobName(c, TUNING_NAME_LIMIT)));
export const transform = (s: StepOf<"transform">, c: RequestContext, index: number | undefined): Py => encode(c.env, transformRequest(shared(c, index), s, jobName(c)));
export const model = (s: StepOf<"model">, c: RequestContext, index: number | undefined): Py => encode(c.env, modelRequest(shared(c, index), s, jobName(c)));

/** The endpoint operator's config: the model (unless a model step made it), the endpoint config and the endpoint. */
export function endpoint(s: StepOf<"endpoint">, c: RequestContext, index: number | undefined): Py {
  const rc = shared(c, index);
  const sections: Array<[string, Py]> = [];
  let modelName: Req<Py>;
  if (servesModelStep(s, (id) => c.env.steps.get(id)?.kind)) modelName = text(s.model);
  else {
    sections.push(["Model", encode(c.env, modelRequest(rc, s, jobName(c)))]);
    modelName = jobName(c);
  }
  sections.push(["EndpointConfig", encode(c.env, endpointConfigRequest(rc, s, jobName(c), modelName))]);
  sections.push(["Endpoint", encode(c.env, endpointRequest(rc, s, jobName(c)))]);
  return dict(sections);
}

/** `extras` of the register-model operator: the whole CreateModelPackage request but the group (an argument of its own). */
export function registerModel(s: StepOf<"register-model">, c: RequestContext, index: number | undefined): Py {
  return encode(c.env, without(modelPackageRequest(shared(c, index), s), "ModelPackageGroupName"));
}

/** GlueJobOperator's arguments from StartJobRun: the job name, its arguments, the rest as `run_job_kwargs`. */
export function glue(s: StepOf<"glue">, c: RequestContext, index: number | undefined): Array<[string, Py]> {
  const req = startJobRunRequest(shared(c, index), s);
  const member = (key: string) => (req.t === "obj" ? req.entries.find(([k]) => k === key)?.[1] : undefined);
  const rest = without(req, "JobName", "Arguments");
  const args = member("Arguments");
  return [
    ["job_name", encode(c.env, member("JobName")!)],
    ["script_args", args ? encode(c.env, args) : dict([])],
    ...(rest.t === "obj" && rest.entries.length ? ([["run_job_kwargs", encode(c.env, rest)]] as Array<[string, Py]>) : []),
  ];
}

/** The one AddJobFlowSteps step of EmrAddStepsOperator, named as the step says or after its task; ActionOnFailure only when the step sets it, as on Step Functions. */
export function emrStep(s: StepOf<"emr">, c: RequestContext, index: number | undefined, taskId: string): Py {
  return encode(c.env, stepConfig(shared(c, index), s, s.name ? text(s.name) : own(str(taskId))));
}
