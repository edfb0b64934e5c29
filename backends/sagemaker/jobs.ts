/**
 * Job steps (processing, training, tuning, transform, notebook): `Arguments` =
 * the Create*Job request minus the job name, keys in the SDK's order.
 */
import { basename } from "node:path";
import { dataProcessing } from "../../src/aws/transform.js";
import { codeLocation, outputLocation } from "../../src/ir/dataflow.js";
import { CODE_INPUT, DEFAULT_COMMAND, PROCESSING_CODE_DIR, processingScriptPath, trainingScriptPath } from "../../src/aws/containers.js";
import { effectiveInstance, effectiveTags, effectiveTimeout } from "../../src/ir/defaults.js";
import { NOTEBOOK_OUTPUT } from "../../src/ir/kinds.js";
import type { DataInput, EmrStep, Instance, JobNetwork, NotebookStep, Pos, ProcessingStep, Step, TrainingStep, TransformStep, TuningStep, Value } from "../../src/ir/types.js";
import { literalString } from "../../src/ir/values.js";
import { fail, type Ctx } from "./context.js";
import { error, warning } from "../../src/diagnostics.js";
import { missingRole, MISSING_ROLE_CODE, MISSING_ROLE_HINT } from "../../src/aws/role.js";
import { valueToPy } from "./expr.js";
import { resolveImage, type ImageScope } from "../../src/aws/images.js";
import type { Py } from "./pyjson.js";

/** The SDK's defaults where the IR says nothing. */
export const JOB_DEFAULTS = {
  volumeGb: 30,
  instanceCount: 1,
  /** Estimator `max_run` default; CreateTrainingJob requires a StoppingCondition. */
  trainingMaxRuntime: 86400,
  processingInput: "/opt/ml/processing/input",
  notebookChannel: "sagemaker_headless_execution_pipelinestep",
};

export function image(ctx: Ctx, v: Value, scope: ImageScope, _field: string): Py {
  // Text written in parts (a join of literals) is text too: it is resolved like any other.
  const py = literalString(v) ?? valueToPy(ctx, v);
  const text = typeof py === "string" ? py : undefined;
  if (text === undefined) return py;
  const r = resolveImage(text, ctx.p.region, scope);
  if ("error" in r) {
    // Worded as every target words it; the position names the field.
    fail(ctx, v.pos, r.error, "image-unknown");
    return text;
  }
  if (r.verbatim) ctx.diags.push(warning(v.pos, r.verbatim, { code: "image-verbatim" }));
  return r.uri;
}

export function role(ctx: Ctx, s: { id: string; pos: Pos }): string {
  if (!ctx.p.role) {
    ctx.diags.push(error(s.pos, missingRole(s.id), { code: MISSING_ROLE_CODE, hint: MISSING_ROLE_HINT }));
    return "";
  }
  return ctx.p.role;
}

export function tags(ctx: Ctx, s: Step): Py[] | undefined {
  const t = effectiveTags(ctx.p, s);
  const list = Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
  return list.length ? list : undefined;
}

export function environment(ctx: Ctx, s: Step): Record<string, Py> | undefined {
  const e = Object.entries(s.environment);
  return e.length ? Object.fromEntries(e.map(([k, v]) => [k, valueToPy(ctx, v, "string")])) : undefined;
}

function instanceOf(ctx: Ctx, s: Step): Instance | undefined {
  const i = effectiveInstance(ctx.p, s);
  if (!i) fail(ctx, s.pos, `step '${s.id}': no instance type (set 'instance' on the step or in defaults)`, "sagemaker-instance");
  return i;
}

const count = (ctx: Ctx, i: Instance | undefined): Py => (i?.count ? valueToPy(ctx, i.count) : JOB_DEFAULTS.instanceCount);
const volume = (ctx: Ctx, i: Instance | undefined): Py => (i?.volume_gb ? valueToPy(ctx, i.volume_gb) : JOB_DEFAULTS.volumeGb);
const itype = (ctx: Ctx, i: Instance | undefined): Py => (i ? valueToPy(ctx, i.type) : "");

/** The portable request fields (network isolation, VPC, KMS keys, entry point, manifests, explicit output locations). */
const vpcConfig = (ctx: Ctx, n: JobNetwork | undefined): Py | undefined =>
  n?.vpc ? { SecurityGroupIds: n.vpc.security_groups.map((v) => valueToPy(ctx, v, "string")), Subnets: n.vpc.subnets.map((v) => valueToPy(ctx, v, "string")) } : undefined;

/** Processing's NetworkConfig (the SDK always writes EnableNetworkIsolation; so does a pipeline that says `isolation`). */
function networkConfig(ctx: Ctx, n: JobNetwork | undefined): Py | undefined {
  if (!n) return undefined;
  return compact({ EnableNetworkIsolation: n.isolation, EnableInterContainerTrafficEncryption: n.encrypt_traffic, VpcConfig: vpcConfig(ctx, n) });
}

const kmsKey = (ctx: Ctx, v: Value | undefined): Py | undefined => (v ? valueToPy(ctx, v, "string") : undefined);

/** S3DataType of an input: S3Prefix unless the input says it is a manifest. */
const dataType = (inp: DataInput | undefined): string => inp?.data_type ?? "S3Prefix";

/** Drop undefined members, keeping order. */
export function compact(o: Record<string, Py | undefined>): Record<string, Py> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, Py>;
}

function output(ctx: Ctx, s: Step, name: string, explicit?: Value): Py {
  return valueToPy(ctx, explicit ?? outputLocation(ctx.p, s.id, name, s.pos, ctx.itemIndex));
}

export function processingArgs(ctx: Ctx, s: ProcessingStep): Record<string, Py> {
  const inst = instanceOf(ctx, s);
  const s3Input = (name: string, uri: Py, local: string, inp?: DataInput): Py => ({
    InputName: name,
    AppManaged: false,
    S3Input: {
      S3Uri: uri,
      LocalPath: local,
      S3DataType: dataType(inp),
      S3InputMode: inp?.mode ?? "File",
      S3DataDistributionType: inp?.distribution ?? "FullyReplicated",
      S3CompressionType: inp?.compression ?? "None",
    },
  });
  const inputs: Py[] = Object.entries(s.inputs).map(([name, inp]) =>
    s3Input(name, valueToPy(ctx, inp.source), inp.destination ?? `${JOB_DEFAULTS.processingInput}/${name}`, inp),
  );
  if (s.code) inputs.push(s3Input(CODE_INPUT, codeLocation(ctx.p, s.code), PROCESSING_CODE_DIR));
  const outputs: Py[] = Object.entries(s.outputs).map(([name, out]) => ({
    OutputName: name,
    AppManaged: false,
    S3Output: { S3Uri: output(ctx, s, name, out.destination), LocalPath: out.path, S3UploadMode: out.upload ?? "EndOfJob" },
  }));
  const timeout = effectiveTimeout(ctx.p, s);
  const { network, kms } = s;
  return compact({
    ProcessingResources: { ClusterConfig: compact({ InstanceType: itype(ctx, inst), InstanceCount: count(ctx, inst), VolumeSizeInGB: volume(ctx, inst), VolumeKmsKeyId: kmsKey(ctx, kms?.volume) }) },
    AppSpecification: compact({
      ImageUri: image(ctx, s.image, "training", "image"),
      // The SDK's order: arguments before the entry point.
      ContainerArguments: s.arguments.length ? s.arguments.map((a) => valueToPy(ctx, a, "string")) : undefined,
      ContainerEntrypoint: s.code ? [...(s.command ?? DEFAULT_COMMAND), processingScriptPath(s.code)] : s.command,
    }),
    RoleArn: role(ctx, s),
    ProcessingInputs: inputs.length ? inputs : undefined,
    ProcessingOutputConfig: outputs.length ? compact({ Outputs: outputs, KmsKeyId: kmsKey(ctx, kms?.output) }) : undefined,
    Environment: environment(ctx, s),
    NetworkConfig: networkConfig(ctx, network),
    StoppingCondition: timeout !== undefined ? { MaxRuntimeInSeconds: wholeSeconds(timeout) } : undefined,
    Tags: tags(ctx, s),
  });
}

function channels(ctx: Ctx, s: TrainingStep | TuningStep): Py[] {
  const out: Py[] = Object.entries(s.inputs).map(([name, inp]) =>
    compact({
      DataSource: { S3DataSource: { S3DataType: dataType(inp), S3Uri: valueToPy(ctx, inp.source), S3DataDistributionType: inp.distribution ?? "FullyReplicated" } },
      ContentType: inp.content_type,
      CompressionType: inp.compression,
      ChannelName: name,
      InputMode: inp.mode,
    }),
  );
  if (s.code) {
    out.push({
      DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: codeLocation(ctx.p, s.code), S3DataDistributionType: "FullyReplicated" } },
      ChannelName: CODE_INPUT,
    });
  }
  return out;
}

/** AlgorithmSpecification; a training script runs from its own input channel. */
function algorithm(ctx: Ctx, s: TrainingStep | TuningStep): Record<string, Py> {
  const entry = s.entrypoint;
  if (s.kind === "training" && s.code && entry) fail(ctx, entry[0]?.pos ?? s.pos, `step '${s.id}': a local script ('code') runs with its own entry point (python3 <script>); remove 'entrypoint' or 'code'`, "sagemaker-entrypoint");
  return compact({
    TrainingInputMode: s.input_mode ?? "File",
    TrainingImage: image(ctx, s.image, "training", "image"),
    MetricDefinitions: s.metric_definitions.length ? s.metric_definitions.map((m) => ({ Name: m.name, Regex: m.regex })) : undefined,
    ContainerEntrypoint:
      s.kind === "training" && s.code ? [...DEFAULT_COMMAND, trainingScriptPath(s.code)] : s.entrypoint?.map((v) => valueToPy(ctx, v, "string")),
    ContainerArguments: s.container_arguments?.map((v) => valueToPy(ctx, v, "string")),
  });
}

/** The network and encryption members a training job definition takes (CreateTrainingJob, TrainingJobDefinition). */
function trainingNetwork(ctx: Ctx, s: TrainingStep | TuningStep): Record<string, Py | undefined> {
  const n = s.network;
  return { EnableNetworkIsolation: n?.isolation, EnableInterContainerTrafficEncryption: n?.encrypt_traffic, VpcConfig: vpcConfig(ctx, n) };
}

const outputData = (ctx: Ctx, s: TrainingStep | TuningStep): Py =>
  compact({ S3OutputPath: output(ctx, s, "model", s.output_path), KmsKeyId: kmsKey(ctx, s.kms?.output) });

const resources = (ctx: Ctx, s: TrainingStep | TuningStep, inst: Instance | undefined): Py =>
  compact({ VolumeSizeInGB: volume(ctx, inst), InstanceCount: count(ctx, inst), InstanceType: itype(ctx, inst), VolumeKmsKeyId: kmsKey(ctx, s.kms?.volume) });

/** The API's time limits are whole seconds, at least one: a fraction rounds up, so a job is never stopped early. */
const wholeSeconds = (t: number): number => Math.max(1, Math.ceil(t));

function stopping(ctx: Ctx, s: TrainingStep | TuningStep): Record<string, Py> {
  const t = effectiveTimeout(ctx.p, s) ?? JOB_DEFAULTS.trainingMaxRuntime;
  // Spot: MaxWait covers waiting for capacity plus running, so the run itself fits inside it (the API's rule).
  const run = s.spot ? Math.min(wholeSeconds(t), wholeSeconds(s.spot.max_wait)) : wholeSeconds(t);
  return compact({ MaxRuntimeInSeconds: run, MaxWaitTimeInSeconds: s.spot ? wholeSeconds(s.spot.max_wait) : undefined });
}

function hyper(ctx: Ctx, h: Record<string, Value>): Record<string, Py> | undefined {
  const e = Object.entries(h);
  return e.length ? Object.fromEntries(e.map(([k, v]) => [k, valueToPy(ctx, v, "string")])) : undefined;
}

export function trainingArgs(ctx: Ctx, s: TrainingStep): Record<string, Py> {
  const inst = instanceOf(ctx, s);
  const ins = channels(ctx, s);
  return compact({
    AlgorithmSpecification: algorithm(ctx, s),
    OutputDataConfig: outputData(ctx, s),
    StoppingCondition: stopping(ctx, s),
    ResourceConfig: resources(ctx, s, inst),
    RoleArn: role(ctx, s),
    InputDataConfig: ins.length ? ins : undefined,
    HyperParameters: hyper(ctx, s.hyperparameters),
    Tags: tags(ctx, s),
    EnableManagedSpotTraining: s.spot ? true : undefined,
    Environment: environment(ctx, s),
    ...trainingNetwork(ctx, s),
  });
}

const RANGE_KEYS = { continuous: "ContinuousParameterRanges", integer: "IntegerParameterRanges", categorical: "CategoricalParameterRanges" } as const;

export function tuningArgs(ctx: Ctx, s: TuningStep): Record<string, Py> {
  const inst = instanceOf(ctx, s);
  const ranges: Record<string, Py[]> = {};
  for (const [name, r] of Object.entries(s.ranges)) {
    const key = RANGE_KEYS[r.type];
    // The API takes range bounds and categorical values as strings.
    const entry =
      r.type === "categorical"
        ? { Name: name, Values: (r.values ?? []).map((x) => String(x)) }
        : compact({ Name: name, MinValue: String(r.min), MaxValue: String(r.max), ScalingType: r.scaling ?? "Auto" });
    (ranges[key] ??= []).push(entry);
  }
  const ins = channels(ctx, s);
  return compact({
    HyperParameterTuningJobConfig: compact({
      Strategy: s.strategy,
      ResourceLimits: { MaxNumberOfTrainingJobs: s.max_jobs, MaxParallelTrainingJobs: s.parallel_jobs },
      HyperParameterTuningJobObjective: { Type: s.objective.type, MetricName: s.objective.metric },
      ParameterRanges: ranges,
      TrainingJobEarlyStoppingType: s.early_stopping,
    }),
    TrainingJobDefinition: compact({
      StaticHyperParameters: hyper(ctx, s.hyperparameters),
      RoleArn: role(ctx, s),
      OutputDataConfig: outputData(ctx, s),
      StoppingCondition: stopping(ctx, s),
      ResourceConfig: resources(ctx, s, inst),
      AlgorithmSpecification: algorithm(ctx, s),
      InputDataConfig: ins.length ? ins : undefined,
      EnableManagedSpotTraining: s.spot ? true : undefined,
      Environment: environment(ctx, s),
      ...trainingNetwork(ctx, s),
    }),
    Tags: tags(ctx, s),
  });
}

export function transformArgs(ctx: Ctx, s: TransformStep): Record<string, Py> {
  const inst = instanceOf(ctx, s);
  return compact({
    ModelName: valueToPy(ctx, s.model),
    TransformInput: compact({
      DataSource: { S3DataSource: { S3DataType: dataType(s.input), S3Uri: valueToPy(ctx, s.input.source) } },
      ContentType: s.input.content_type,
      CompressionType: s.input.compression,
      SplitType: s.input.split_type,
    }),
    TransformOutput: compact({ S3OutputPath: output(ctx, s, "output", s.output.destination), Accept: s.output.accept, AssembleWith: s.output.assemble_with, KmsKeyId: kmsKey(ctx, s.kms?.output) }),
    TransformResources: compact({ InstanceCount: count(ctx, inst), InstanceType: itype(ctx, inst), VolumeKmsKeyId: kmsKey(ctx, s.kms?.volume) }),
    BatchStrategy: s.strategy,
    MaxPayloadInMB: s.max_payload_mb,
    MaxConcurrentTransforms: s.max_concurrent,
    DataProcessing: dataProcessing(s),
    Environment: environment(ctx, s),
    Tags: tags(ctx, s),
  });
}

/** The SDK's NotebookJobStep: a training job running the scheduler entry point (reference §2.3). */
export function notebookArgs(ctx: Ctx, s: NotebookStep, name: string): Record<string, Py> {
  const inst = instanceOf(ctx, s);
  if (inst?.count && !(inst.count.kind === "literal" && inst.count.value === 1)) {
    fail(ctx, inst.count.pos, `step '${s.id}': a notebook job runs on one instance (the SDK's NotebookJobStep sets InstanceCount 1)`, "sagemaker-notebook-count");
  }
  const code = codeLocation(ctx.p, s.notebook);
  const prefix = name.replace(/^[^a-zA-Z0-9]+/, "").replace(/[^a-zA-Z0-9-]/g, "-");
  const env: Record<string, Py> = {
    ...(environment(ctx, s) ?? {}),
    AWS_DEFAULT_REGION: ctx.p.region,
    SM_JOB_DEF_VERSION: "1.0",
    SM_ENV_NAME: "sagemaker-default-env",
    SM_SKIP_EFS_SIMULATION: "true",
    SM_EXECUTION_INPUT_PATH: `/opt/ml/input/data/${JOB_DEFAULTS.notebookChannel}`,
    SM_KERNEL_NAME: s.kernel,
    SM_INPUT_NOTEBOOK_NAME: basename(s.notebook.path),
    SM_OUTPUT_NOTEBOOK_NAME: `${prefix}.ipynb`,
  };
  const t = effectiveTags(ctx.p, s);
  const nbTags = [
    ...Object.entries(t).map(([Key, Value]) => ({ Key, Value })),
    { Key: "sagemaker:name", Value: name },
    { Key: "sagemaker:notebook-name", Value: basename(s.notebook.path) },
    { Key: "sagemaker:notebook-job-origin", Value: "PIPELINE_STEP" },
    { Key: "sagemaker:is-studio-archived", Value: "false" },
  ];
  const params = Object.entries(s.parameters);
  return compact({
    RoleArn: role(ctx, s),
    RetryStrategy: { MaximumRetryAttempts: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: wholeSeconds(effectiveTimeout(ctx.p, s) ?? 2 * 86400) },
    EnableInterContainerTrafficEncryption: false,
    AlgorithmSpecification: { TrainingImage: image(ctx, s.image, "training", "image"), TrainingInputMode: "File", ContainerEntrypoint: ["amazon_sagemaker_scheduler"] },
    InputDataConfig: [
      {
        ChannelName: JOB_DEFAULTS.notebookChannel,
        DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: code.slice(0, code.lastIndexOf("/")), S3DataDistributionType: "FullyReplicated" } },
      },
    ],
    OutputDataConfig: { S3OutputPath: output(ctx, s, NOTEBOOK_OUTPUT) },
    ResourceConfig: { VolumeSizeInGB: volume(ctx, inst), InstanceCount: 1, InstanceType: itype(ctx, inst) },
    Tags: nbTags,
    Environment: env,
    HyperParameters: params.length ? Object.fromEntries(params.map(([k, v]) => [k, valueToPy(ctx, v, "string")])) : undefined,
  });
}


/** The SDK's EMRStep on an existing cluster: AddJobFlowSteps' StepConfig without a Name (the service names the step). */
export function emrArgs(ctx: Ctx, s: EmrStep): Record<string, Py> {
  if (s.action_on_failure !== undefined) {
    fail(ctx, s.pos, `step '${s.id}': SageMaker EMR steps take no ActionOnFailure (the service sets it); remove 'action_on_failure' or compile for Step Functions or Airflow`, "sagemaker-emr-action");
  }
  const props = Object.entries(s.properties).map(([Key, v]) => ({ Key, Value: valueToPy(ctx, v, "string") }));
  return {
    ClusterId: valueToPy(ctx, s.cluster_id, "string"),
    StepConfig: {
      HadoopJarStep: compact({
        Args: s.args.length ? s.args.map((a) => valueToPy(ctx, a, "string")) : undefined,
        Jar: valueToPy(ctx, s.jar, "string"),
        MainClass: s.main_class ? valueToPy(ctx, s.main_class, "string") : undefined,
        Properties: props.length ? props : undefined,
      }),
    },
  };
}
