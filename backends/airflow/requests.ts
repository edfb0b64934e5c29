/**
 * SageMaker create-job requests as `config` dicts (boto3 request shapes), one
 * builder per step kind. Values that are known only at run time are Jinja
 * strings (see values.ts); job names come from `sy_job_name` per run and try.
 */
import { codeLocation, outputLocation } from "../../src/ir/dataflow.js";
import { dataProcessing } from "../../src/aws/transform.js";
import { CODE_INPUT, DEFAULT_COMMAND, PROCESSING_CODE_DIR, processingScriptPath, trainingScriptPath } from "../../src/aws/containers.js";
import { effectiveInstance, effectiveTags, effectiveTimeout } from "../../src/ir/defaults.js";
import type { DataInput, Instance, JobNetwork, Pipeline, Step, StepOf, Value } from "../../src/ir/types.js";
import { literalString } from "../../src/ir/values.js";
import { resolveImage, type ImageScope } from "../../src/aws/images.js";
import { MISSING_ROLE } from "../../src/aws/role.js";
import { error, warning, type Diagnostic } from "../../src/diagnostics.js";
import { dict, list, num, str, bool, type Py } from "./python/node.js";
import { templated, templatedText, type RefEnv } from "./values.js";

/** Limits on job names (SageMaker `CreateXJob` name patterns). */
export const JOB_NAME_LIMIT = 63;
export const TUNING_NAME_LIMIT = 32;
const DEFAULT_VOLUME_GB = 30;
const DEFAULT_MAX_RUNTIME = 86400;

export interface RequestContext {
  p: Pipeline;
  env: RefEnv;
  task: string;
  /** Errors found while building (reported with the step's position). */
  /** Problems with the step: a message (plan.ts adds the step and its place), or a diagnostic at its own place. */
  problems: Array<string | Diagnostic>;
}

type Entries = Array<[string, Py]>;

function jobName(task: string, limit = JOB_NAME_LIMIT): Py {
  const lim = limit === JOB_NAME_LIMIT ? "" : `, ${limit}`;
  return str(`{{ sy_job_name('${task}', run_id, ti.try_number${lim}) }}`);
}

function image(v: Value, c: RequestContext, scope: ImageScope = "training"): Py {
  const text = literalString(v);
  if (text === undefined) return templated(v, c.env, true);
  const r = resolveImage(text, c.p.region, scope);
  if ("error" in r) {
    // At the image, worded as every target words it.
    c.problems.push(v.pos ? error(v.pos, r.error, { code: "image-unknown" }) : r.error);
    return str(text);
  }
  if (r.verbatim) c.problems.push(warning(v.pos, r.verbatim, { code: "image-verbatim" }));
  return templatedText(r.uri);
}

function role(c: RequestContext): Py {
  // plan.ts prefixes the step, giving the same message as every other target.
  if (!c.p.role) c.problems.push(MISSING_ROLE);
  return templatedText(c.p.role ?? "");
}

function instance(s: Step, c: RequestContext, count = true): Entries {
  const i: Instance | undefined = effectiveInstance(c.p, s);
  if (!i) {
    c.problems.push("needs an instance type (`instance.type` or `defaults.instance`)");
    return [];
  }
  const out: Entries = [];
  if (count) out.push(["InstanceCount", i.count ? templated(i.count, c.env) : num(1)]);
  out.push(["InstanceType", templated(i.type, c.env, true)]);
  return out;
}

function volume(s: Step, c: RequestContext): Py {
  const i = effectiveInstance(c.p, s);
  return i?.volume_gb ? templated(i.volume_gb, c.env) : num(DEFAULT_VOLUME_GB);
}

function tags(s: Step, c: RequestContext): Entries {
  const t = effectiveTags(c.p, s);
  const keys = Object.keys(t);
  return keys.length ? [["Tags", list(keys.map((k) => dict([["Key", templatedText(k)], ["Value", templatedText(t[k])]])))]] : [];
}

function environment(s: Step, c: RequestContext): Entries {
  const keys = Object.keys(s.environment);
  return keys.length ? [["Environment", dict(keys.map((k) => [k, templated(s.environment[k], c.env, true)]))]] : [];
}

function stopping(s: Step, c: RequestContext, extra: Entries = [], required = true, maxWait?: number): Entries {
  const t = effectiveTimeout(c.p, s);
  // Processing jobs may leave the stopping condition out (the service's own limit applies); training needs one.
  if (!required && t === undefined && !extra.length) return [];
  // Spot: MaxWait covers waiting for capacity plus running, so the run itself fits inside it.
  const run = Math.ceil(t ?? DEFAULT_MAX_RUNTIME);
  return [["StoppingCondition", dict([["MaxRuntimeInSeconds", num(maxWait !== undefined ? Math.min(run, Math.ceil(maxWait)) : run)], ...extra])]];
}

function loc(c: RequestContext, step: Step, output: string, index: number | undefined): Py {
  return templated(outputLocation(c.p, step.id, output, step.pos, index), c.env);
}

export function processing(s: StepOf<"processing">, c: RequestContext, index: number | undefined): Py {
  const inputs: Py[] = Object.entries(s.inputs).map(([name, inp]) =>
    dict([
      ["InputName", templatedText(name)],
      ["S3Input", s3Input(inp, inp.destination ?? `/opt/ml/processing/input/${name}`, c)],
    ]),
  );
  const entrypoint: Py[] = [];
  if (s.code) {
    inputs.push(dict([["InputName", str(CODE_INPUT)], ["S3Input", dict([["S3Uri", templatedText(codeLocation(c.p, s.code))], ["LocalPath", str(PROCESSING_CODE_DIR)], ["S3DataType", str("S3Prefix")], ["S3InputMode", str("File")]])]]));
    for (const part of s.command ?? DEFAULT_COMMAND) entrypoint.push(templatedText(part));
    entrypoint.push(templatedText(processingScriptPath(s.code)));
  } else if (s.command) {
    // Without a script, the command is the container's whole entry point.
    for (const part of s.command) entrypoint.push(templatedText(part));
  }
  const outputs = Object.entries(s.outputs).map(([name, o]) =>
    dict([
      ["OutputName", templatedText(name)],
      ["S3Output", dict([["S3Uri", loc(c, s, name, index)], ["LocalPath", templatedText(o.path)], ["S3UploadMode", str(o.upload ?? "EndOfJob")]])],
    ]),
  );
  const app: Entries = [["ImageUri", image(s.image, c)]];
  if (entrypoint.length) app.push(["ContainerEntrypoint", list(entrypoint)]);
  if (s.arguments.length) app.push(["ContainerArguments", list(s.arguments.map((a) => templated(a, c.env, true)))]);
  return processingRequest(s, c, app, inputs, outputs);
}

function processingRequest(s: Step, c: RequestContext, app: Entries, inputs: Py[], outputs: Py[]): Py {
  const kms = s.kind === "processing" ? s.kms : undefined;
  const entries: Entries = [
    ["ProcessingJobName", jobName(c.task)],
    ["RoleArn", role(c)],
    ["AppSpecification", dict(app)],
    ["ProcessingResources", dict([["ClusterConfig", dict([...instance(s, c), ["VolumeSizeInGB", volume(s, c)], ...kmsKey("VolumeKmsKeyId", kms?.volume, c)])]])],
  ];
  if (inputs.length) entries.push(["ProcessingInputs", list(inputs)]);
  if (outputs.length) entries.push(["ProcessingOutputConfig", dict([["Outputs", list(outputs)], ...kmsKey("KmsKeyId", kms?.output, c)])]);
  if (s.kind === "processing") entries.push(...processingNetwork(s.network, c));
  entries.push(...stopping(s, c, [], false), ...environment(s, c), ...tags(s, c));
  return dict(entries);
}

function basename(path: string): string {
  return path.split("/").pop() ?? path;
}

function s3Input(inp: DataInput, localPath: string, c: RequestContext): Py {
  return dict([
    ["S3Uri", templated(inp.source, c.env, true)],
    ["LocalPath", templatedText(localPath)],
    ["S3DataType", str(inp.data_type ?? "S3Prefix")],
    ["S3InputMode", str(inp.mode === "Pipe" ? "Pipe" : "File")],
    ["S3DataDistributionType", str(inp.distribution ?? "FullyReplicated")],
    ...(inp.compression ? ([["S3CompressionType", str(inp.compression)]] as Entries) : []),
  ]);
}

/** The notebook kind runs as a processing job whose entry point is papermill. */
export function notebook(s: StepOf<"notebook">, c: RequestContext, index: number | undefined): Py {
  const name = basename(s.notebook.path);
  const args: Py[] = [templatedText(`${PROCESSING_CODE_DIR}/${name}`), templatedText(`/opt/ml/processing/output/${name}`), str("-k"), templatedText(s.kernel)];
  for (const [k, v] of Object.entries(s.parameters)) args.push(str("-p"), templatedText(k), templated(v, c.env, true));
  const inputs = [dict([["InputName", str(CODE_INPUT)], ["S3Input", dict([["S3Uri", templatedText(codeLocation(c.p, s.notebook))], ["LocalPath", str(PROCESSING_CODE_DIR)], ["S3DataType", str("S3Prefix")], ["S3InputMode", str("File")]])]])];
  const outputs = [dict([["OutputName", str("output")], ["S3Output", dict([["S3Uri", loc(c, s, "output", index)], ["LocalPath", str("/opt/ml/processing/output")], ["S3UploadMode", str("EndOfJob")]])]])];
  return processingRequest(s, c, [["ImageUri", image(s.image, c)], ["ContainerEntrypoint", list([str("papermill"), ...args])]], inputs, outputs);
}

function channels(s: StepOf<"training"> | StepOf<"tuning">, c: RequestContext): Py {
  // A training script arrives as its own channel (see src/aws/containers.ts).
  const code: Py[] = s.code
    ? [dict([["ChannelName", str(CODE_INPUT)], ["DataSource", dict([["S3DataSource", dict([["S3DataType", str("S3Prefix")], ["S3Uri", templatedText(codeLocation(c.p, s.code))], ["S3DataDistributionType", str("FullyReplicated")]])]])]])]
    : [];
  return list([
    ...Object.entries(s.inputs).map(([name, inp]) => {
      const e: Entries = [
        ["ChannelName", templatedText(name)],
        ["DataSource", dict([["S3DataSource", dict([["S3DataType", str(inp.data_type ?? "S3Prefix")], ["S3Uri", templated(inp.source, c.env, true)], ["S3DataDistributionType", str(inp.distribution ?? "FullyReplicated")]])]])],
      ];
      if (inp.content_type) e.push(["ContentType", templatedText(inp.content_type)]);
      if (inp.compression) e.push(["CompressionType", str(inp.compression)]);
      if (inp.mode) e.push(["InputMode", str(inp.mode)]);
      return dict(e);
    }),
    ...code,
  ]);
}

function algorithm(s: StepOf<"training"> | StepOf<"tuning">, c: RequestContext): Py {
  const e: Entries = [["TrainingImage", image(s.image, c)], ["TrainingInputMode", str(s.input_mode ?? "File")]];
  if (s.kind === "training" && s.code) e.push(["ContainerEntrypoint", list([...DEFAULT_COMMAND.map(str), templatedText(trainingScriptPath(s.code))])]);
  else if (s.entrypoint?.length) e.push(["ContainerEntrypoint", list(s.entrypoint.map((x) => templated(x, c.env, true)))]);
  if (s.container_arguments?.length) e.push(["ContainerArguments", list(s.container_arguments.map((x) => templated(x, c.env, true)))]);
  if (s.metric_definitions.length) {
    e.push(["MetricDefinitions", list(s.metric_definitions.map((m) => dict([["Name", templatedText(m.name)], ["Regex", templatedText(m.regex)]])))]);
  }
  return dict(e);
}

function trainingCore(s: StepOf<"training"> | StepOf<"tuning">, c: RequestContext, index: number | undefined): Entries {
  const e: Entries = [["AlgorithmSpecification", algorithm(s, c)], ["RoleArn", role(c)]];
  if (Object.keys(s.inputs).length || s.code) e.push(["InputDataConfig", channels(s, c)]);
  e.push(
    ["OutputDataConfig", dict([["S3OutputPath", s.output_path ? templated(s.output_path, c.env, true) : loc(c, s, "model", index)], ...kmsKey("KmsKeyId", s.kms?.output, c)])],
    ["ResourceConfig", dict([...instance(s, c), ["VolumeSizeInGB", volume(s, c)], ...kmsKey("VolumeKmsKeyId", s.kms?.volume, c)])],
    ...stopping(s, c, s.spot ? [["MaxWaitTimeInSeconds", num(Math.ceil(s.spot.max_wait))]] : [], true, s.spot?.max_wait),
  );
  if (s.spot) e.push(["EnableManagedSpotTraining", bool(true)]);
  e.push(...trainingNetwork(s.network, c));
  return e;
}

function kmsKey(key: string, v: Value | undefined, c: RequestContext): Entries {
  return v ? [[key, templated(v, c.env, true)]] : [];
}

function vpc(n: JobNetwork | undefined, c: RequestContext): Py | undefined {
  if (!n?.vpc) return undefined;
  return dict([
    ["SecurityGroupIds", list(n.vpc.security_groups.map((x) => templated(x, c.env, true)))],
    ["Subnets", list(n.vpc.subnets.map((x) => templated(x, c.env, true)))],
  ]);
}

/** Training and tuning jobs carry network settings at the request's top level. */
function trainingNetwork(n: JobNetwork | undefined, c: RequestContext): Entries {
  const e: Entries = [];
  const v = vpc(n, c);
  if (v) e.push(["VpcConfig", v]);
  if (n?.isolation !== undefined) e.push(["EnableNetworkIsolation", bool(n.isolation)]);
  if (n?.encrypt_traffic !== undefined) e.push(["EnableInterContainerTrafficEncryption", bool(n.encrypt_traffic)]);
  return e;
}

/** Processing jobs hold them in NetworkConfig. */
function processingNetwork(n: JobNetwork | undefined, c: RequestContext): Entries {
  if (!n) return [];
  const e: Entries = [];
  if (n.encrypt_traffic !== undefined) e.push(["EnableInterContainerTrafficEncryption", bool(n.encrypt_traffic)]);
  if (n.isolation !== undefined) e.push(["EnableNetworkIsolation", bool(n.isolation)]);
  const v = vpc(n, c);
  if (v) e.push(["VpcConfig", v]);
  return e.length ? [["NetworkConfig", dict(e)]] : [];
}

function hyperparameters(s: StepOf<"training"> | StepOf<"tuning">, c: RequestContext): Py {
  return dict(Object.entries(s.hyperparameters).map(([k, v]) => [k, templated(v, c.env, true)]));
}

export function training(s: StepOf<"training">, c: RequestContext, index: number | undefined): Py {
  const core = trainingCore(s, c, index);
  const e: Entries = [["TrainingJobName", jobName(c.task)], core[0], core[1]];
  if (Object.keys(s.hyperparameters).length) e.push(["HyperParameters", hyperparameters(s, c)]);
  e.push(...core.slice(2), ...environment(s, c), ...tags(s, c));
  return dict(e);
}

function range(n: number | undefined): Py {
  return str(n === undefined ? "" : String(n));
}

export function tuning(s: StepOf<"tuning">, c: RequestContext, index: number | undefined): Py {
  const ints: Py[] = [];
  const conts: Py[] = [];
  const cats: Py[] = [];
  for (const [name, r] of Object.entries(s.ranges)) {
    if (r.type === "categorical") cats.push(dict([["Name", templatedText(name)], ["Values", list((r.values ?? []).map((x) => templatedText(String(x))))]]));
    else {
      const d = dict([["Name", templatedText(name)], ["MinValue", range(r.min)], ["MaxValue", range(r.max)], ["ScalingType", str(r.scaling ?? "Auto")]]);
      (r.type === "integer" ? ints : conts).push(d);
    }
  }
  const ranges: Entries = [];
  if (ints.length) ranges.push(["IntegerParameterRanges", list(ints)]);
  if (conts.length) ranges.push(["ContinuousParameterRanges", list(conts)]);
  if (cats.length) ranges.push(["CategoricalParameterRanges", list(cats)]);
  const config: Entries = [
    ["Strategy", str(s.strategy)],
    ["HyperParameterTuningJobObjective", dict([["Type", str(s.objective.type)], ["MetricName", templatedText(s.objective.metric)]])],
    ["ResourceLimits", dict([["MaxNumberOfTrainingJobs", num(s.max_jobs)], ["MaxParallelTrainingJobs", num(s.parallel_jobs)]])],
    ["ParameterRanges", dict(ranges)],
  ];
  if (s.early_stopping) config.push(["TrainingJobEarlyStoppingType", str(s.early_stopping)]);
  const def: Entries = [];
  if (Object.keys(s.hyperparameters).length) def.push(["StaticHyperParameters", hyperparameters(s, c)]);
  def.push(...trainingCore(s, c, index));
  if (Object.keys(s.environment).length) def.push(...environment(s, c));
  return dict([
    ["HyperParameterTuningJobName", jobName(c.task, TUNING_NAME_LIMIT)],
    ["HyperParameterTuningJobConfig", dict(config)],
    ["TrainingJobDefinition", dict(def)],
    ...tags(s, c),
  ]);
}

export function transform(s: StepOf<"transform">, c: RequestContext, index: number | undefined): Py {
  const input: Entries = [["DataSource", dict([["S3DataSource", dict([["S3DataType", str(s.input.data_type ?? "S3Prefix")], ["S3Uri", templated(s.input.source, c.env, true)]])]])]];
  if (s.input.content_type) input.push(["ContentType", templatedText(s.input.content_type)]);
  if (s.input.split_type) input.push(["SplitType", str(s.input.split_type)]);
  if (s.input.compression) input.push(["CompressionType", str(s.input.compression)]);
  const output: Entries = [["S3OutputPath", loc(c, s, "output", index)]];
  if (s.output.accept) output.push(["Accept", templatedText(s.output.accept)]);
  if (s.output.assemble_with) output.push(["AssembleWith", str(s.output.assemble_with)]);
  output.push(...kmsKey("KmsKeyId", s.kms?.output, c));
  const e: Entries = [
    ["TransformJobName", jobName(c.task)],
    ["ModelName", templated(s.model, c.env, true)],
    ["TransformInput", dict(input)],
    ["TransformOutput", dict(output)],
    ["TransformResources", dict([...instance(s, c).reverse(), ...kmsKey("VolumeKmsKeyId", s.kms?.volume, c)])],
  ];
  if (s.strategy) e.push(["BatchStrategy", str(s.strategy)]);
  if (s.max_payload_mb !== undefined) e.push(["MaxPayloadInMB", num(s.max_payload_mb)]);
  if (s.max_concurrent !== undefined) e.push(["MaxConcurrentTransforms", num(s.max_concurrent)]);
  const dp = dataProcessing(s);
  if (dp) e.push(["DataProcessing", dict(Object.entries(dp).map(([k, v]) => [k, str(v)]))]);
  e.push(...environment(s, c), ...tags(s, c));
  return dict(e);
}

function modelRequest(s: Step, image: Value, model: Value, c: RequestContext): Py {
  return dict([
    ["ModelName", jobName(c.task)],
    ["ExecutionRoleArn", role(c)],
    ["PrimaryContainer", dict([["Image", imageOf(image, c)], ["ModelDataUrl", templated(model, c.env, true)], ...environment(s, c)])],
    ...tags(s, c),
  ]);
}

/** A hosting (inference) image: models, model packages, endpoints. */
function imageOf(v: Value, c: RequestContext): Py {
  return image(v, c, "inference");
}

export function model(s: StepOf<"model">, c: RequestContext): Py {
  return modelRequest(s, s.image, s.model, c);
}

/** Whether the endpoint's `model` names a model made by a `model` step. */
function modelStepName(v: Value, c: RequestContext): boolean {
  return v.kind === "ref" && v.ref.scope === "steps" && v.ref.attr === "name" && c.env.steps.get(v.ref.step)?.kind === "model";
}

export function endpoint(s: StepOf<"endpoint">, c: RequestContext): Py {
  const sections: Entries = [];
  let modelName: Py;
  if (modelStepName(s.model, c)) modelName = templated(s.model, c.env, true);
  else {
    if (!s.image) c.problems.push("an endpoint built from a model artifact needs `image`");
    sections.push(["Model", modelRequest(s, s.image ?? s.model, s.model, c)]);
    modelName = jobName(c.task);
  }
  const variant = dict([["VariantName", str("AllTraffic")], ["ModelName", modelName], ...instanceFor(s, c), ["InitialVariantWeight", num(1.0, true)]]);
  sections.push(["EndpointConfig", dict([["EndpointConfigName", jobName(c.task)], ["ProductionVariants", list([variant])], ...tags(s, c)])]);
  sections.push(["Endpoint", dict([["EndpointName", templated(s.name, c.env, true)], ["EndpointConfigName", jobName(c.task)], ...tags(s, c)])]);
  return dict(sections);
}

function instanceFor(s: Step, c: RequestContext): Entries {
  return instance(s, c).map(([k, v]) => [k === "InstanceCount" ? "InitialInstanceCount" : k, v] as [string, Py]);
}

/** `extras` of the register-model operator: the whole CreateModelPackage request but the group. */
export function registerModel(s: StepOf<"register-model">, c: RequestContext): Py {
  const spec: Entries = [
    ["Containers", list([dict([["Image", imageOf(s.image, c)], ["ModelDataUrl", templated(s.model, c.env, true)]])])],
    ["SupportedContentTypes", list(s.content_types.map(templatedText))],
    ["SupportedResponseMIMETypes", list(s.response_types.map(templatedText))],
  ];
  if (s.inference_instances.length) spec.push(["SupportedRealtimeInferenceInstanceTypes", list(s.inference_instances.map((v) => templated(v, c.env, true)))]);
  if (s.transform_instances.length) spec.push(["SupportedTransformInstanceTypes", list(s.transform_instances.map((v) => templated(v, c.env, true)))]);
  const e: Entries = [
    ["InferenceSpecification", dict(spec)],
    ["ModelApprovalStatus", s.approval ? templated(s.approval, c.env, true) : str("PendingManualApproval")],
  ];
  if (s.metrics) {
    e.push(["ModelMetrics", dict([["ModelQuality", dict([["Statistics", dict([["ContentType", str("application/json")], ["S3Uri", templated(s.metrics, c.env, true)]])]])]])]);
  }
  e.push(...tags(s, c));
  return dict(e);
}

/** The operator's own `image_uri` / `model_url` (the same values `extras` carries). */
export function registerModelArgs(s: StepOf<"register-model">, c: RequestContext): Entries {
  return [
    ["image_uri", imageOf(s.image, c)],
    ["model_url", templated(s.model, c.env, true)],
  ];
}
