/**
 * Job steps (processing, training, tuning, transform, notebook, EMR):
 * `Arguments` = the request minus the job name (SageMaker Pipelines names the
 * job). The requests are built once for every target in src/aws/requests.
 */
import { basename } from "node:path";
import { codeLocation } from "../../src/ir/dataflow.js";
import { effectiveTags, effectiveTimeout } from "../../src/ir/defaults.js";
import { NOTEBOOK_OUTPUT } from "../../src/ir/kinds.js";
import type { EmrStep, NotebookStep, ProcessingStep, TrainingStep, TransformStep, TuningStep } from "../../src/ir/types.js";
import { environment, image, outputUri, resources, role, wholeSeconds } from "../../src/aws/requests/common.js";
import { checkedHadoopJarStep } from "../../src/aws/requests/emr.js";
import { processingRequest } from "../../src/aws/requests/processing.js";
import { trainingRequest, tuningRequest } from "../../src/aws/requests/training.js";
import { transformRequest } from "../../src/aws/requests/transform.js";
import { k, list, obj, text, userMap, type Req } from "../../src/aws/requests/tree.js";
import { fail, type Ctx } from "./context.js";
import { encodeArgs, requestCtx } from "./request-encoding.js";
import { checkAddedMembers } from "./request-members.js";
import type { Py } from "./pyjson.js";

/** The input channel the SDK's NotebookJobStep gives the notebook's folder. */
const NOTEBOOK_CHANNEL = "sagemaker_headless_execution_pipelinestep";

export const processingArgs = (ctx: Ctx, s: ProcessingStep): Record<string, Py> => (checkAddedMembers(ctx, s, "CreateProcessingJob"), encodeArgs(ctx, processingRequest(requestCtx(ctx), s)));
export const trainingArgs = (ctx: Ctx, s: TrainingStep): Record<string, Py> => (checkAddedMembers(ctx, s, "CreateTrainingJob"), encodeArgs(ctx, trainingRequest(requestCtx(ctx), s)));
export const tuningArgs = (ctx: Ctx, s: TuningStep): Record<string, Py> => (checkAddedMembers(ctx, s, "CreateHyperParameterTuningJob"), encodeArgs(ctx, tuningRequest(requestCtx(ctx), s)));
export const transformArgs = (ctx: Ctx, s: TransformStep): Record<string, Py> => (checkAddedMembers(ctx, s, "CreateTransformJob"), encodeArgs(ctx, transformRequest(requestCtx(ctx), s)));

/** The SDK's NotebookJobStep: a training job running the scheduler entry point (reference §2.3); only SageMaker runs a notebook so. */
export function notebookArgs(ctx: Ctx, s: NotebookStep, name: string): Record<string, Py> {
  const rc = requestCtx(ctx);
  const res = resources(rc, s);
  if (res.instance?.count && !(res.instance.count.kind === "literal" && res.instance.count.value === 1)) {
    fail(ctx, res.instance.count.pos, `step '${s.id}': a notebook job runs on one instance (the SDK's NotebookJobStep sets InstanceCount 1)`, "sagemaker-notebook-count");
  }
  const code = codeLocation(ctx.p, s.notebook);
  const prefix = name.replace(/^[^a-zA-Z0-9]+/, "").replace(/[^a-zA-Z0-9-]/g, "-");
  const env = environment(s, true) as Extract<Req, { t: "obj" }>;
  const fixed: Record<string, string> = {
    AWS_DEFAULT_REGION: ctx.p.region,
    SM_JOB_DEF_VERSION: "1.0",
    SM_ENV_NAME: "sagemaker-default-env",
    SM_SKIP_EFS_SIMULATION: "true",
    SM_EXECUTION_INPUT_PATH: `/opt/ml/input/data/${NOTEBOOK_CHANNEL}`,
    SM_KERNEL_NAME: s.kernel,
    SM_INPUT_NOTEBOOK_NAME: basename(s.notebook.path),
    SM_OUTPUT_NOTEBOOK_NAME: `${prefix}.ipynb`,
  };
  // The scheduler's own variables follow the author's (and win over them, as in the SDK).
  const entries = env.entries.filter(([key]) => !(key in fixed));
  for (const [key, v] of Object.entries(fixed)) entries.push([key, k(v)]);
  const t = effectiveTags(ctx.p, s);
  const tags = [
    ...Object.entries(t),
    ["sagemaker:name", name],
    ["sagemaker:notebook-name", basename(s.notebook.path)],
    ["sagemaker:notebook-job-origin", "PIPELINE_STEP"],
    ["sagemaker:is-studio-archived", "false"],
  ].map(([Key, Value]) => obj({ Key: k(Key), Value: k(Value) }));
  return encodeArgs(
    ctx,
    obj({
      RoleArn: role(rc, s),
      RetryStrategy: obj({ MaximumRetryAttempts: k(1) }),
      StoppingCondition: obj({ MaxRuntimeInSeconds: k(wholeSeconds(effectiveTimeout(ctx.p, s) ?? 2 * 86400)) }),
      EnableInterContainerTrafficEncryption: k(false),
      AlgorithmSpecification: obj({ TrainingImage: image(rc, s.image, "training"), TrainingInputMode: k("File"), ContainerEntrypoint: list([k("amazon_sagemaker_scheduler")]) }),
      InputDataConfig: list([
        obj({
          ChannelName: k(NOTEBOOK_CHANNEL),
          DataSource: obj({ S3DataSource: obj({ S3DataType: k("S3Prefix"), S3Uri: k(code.slice(0, code.lastIndexOf("/"))), S3DataDistributionType: k("FullyReplicated") }) }),
        }),
      ]),
      OutputDataConfig: obj({ S3OutputPath: outputUri(rc, s, NOTEBOOK_OUTPUT) }),
      ResourceConfig: obj({ VolumeSizeInGB: res.volume, InstanceCount: k(1), InstanceType: res.type }),
      Tags: list(tags),
      Environment: { t: "obj", entries, user: true },
      HyperParameters: userMap(s.parameters),
    }),
  );
}

/** The SDK's EMRStep on an existing cluster: AddJobFlowSteps' StepConfig without a Name (the service names the step). */
export function emrArgs(ctx: Ctx, s: EmrStep): Record<string, Py> {
  if (s.name !== undefined) {
    fail(ctx, s.name.pos, `step '${s.id}': SageMaker Pipelines names the EMR steps it adds itself; remove 'name' or compile for Step Functions or Airflow`, "sagemaker-emr-name");
  }
  if (s.action_on_failure !== undefined) {
    fail(ctx, s.pos, `step '${s.id}': SageMaker EMR steps take no ActionOnFailure (the service sets it); remove 'action_on_failure' or compile for Step Functions or Airflow`, "sagemaker-emr-action");
  }
  return encodeArgs(ctx, obj({ ClusterId: text(s.cluster_id), StepConfig: obj({ HadoopJarStep: checkedHadoopJarStep(requestCtx(ctx), s) }) }));
}
