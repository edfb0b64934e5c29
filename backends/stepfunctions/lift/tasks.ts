/** Task states of known integrations as IR steps; any field without an IR meaning is refused. */
import type { DataInput, DataOutput, Instance, Pos, RetryPolicy, ErrorClass, Step, StepCommon, Value } from "../../../src/ir/types.js";
import { ERROR_CLASSES } from "../../../src/ir/types.js";
import { RETRY_ERRORS } from "../errors.js";
import { canonical, field, liftValue, quietly, refuse, warn, type Flow, type LiftCtx } from "./flow.js";
import type { JPath } from "./source.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

/** Task fields every lifted task may carry; the rest of the state is refused field by field. */
const TASK_FIELDS = new Set(["Type", "Resource", "Parameters", "Next", "End", "Comment", "TimeoutSeconds", "Retry", "ResultPath", "ResultSelector"]);

/** Fields the IR decides itself: dropped with a warning saying so. */
const DECIDED_BY_IR = new Set(["TrainingJobName", "ProcessingJobName", "TransformJobName", "HyperParameterTuningJobName", "ModelName", "RoleArn", "ExecutionRoleArn"]);

/** Remove known keys (plain or `.$`) and refuse what is left. */
function leftovers(ctx: LiftCtx, obj: Obj, known: string[], at: JPath, what: string): void {
  for (const k of Object.keys(obj)) {
    const base = k.endsWith(".$") ? k.slice(0, -2) : k;
    if (known.includes(base)) continue;
    if (DECIDED_BY_IR.has(base)) {
      warn(ctx, [...at, k], `${base} is not kept: Switchyard names resources and takes the role from the pipeline`);
      continue;
    }
    refuse(ctx, [...at, k], `field '${base}' of ${what} has no IR equivalent`);
  }
}

function common(id: string, name: string, pos: Pos, deps: string[]): StepCommon {
  return { id, ...(id !== name ? { display_name: name } : {}), depends_on: deps, tags: {}, environment: {}, targets: {}, pos };
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

/** Retry → one IR policy (the IR keeps one); error names mapped back through the table. */
function liftRetry(ctx: LiftCtx, st: Obj, at: JPath): RetryPolicy | undefined {
  const rs = st.Retry;
  if (!Array.isArray(rs) || !rs.length) return undefined;
  const first = rs[0] as Obj;
  const same = rs.every((r) => ["IntervalSeconds", "MaxAttempts", "BackoffRate"].every((k) => (r as Obj)[k] === first[k]) && !(r as Obj).MaxDelaySeconds && !(r as Obj).JitterStrategy);
  if (!same) return refuse(ctx, [...at, "Retry"], "retriers with different settings (or MaxDelaySeconds / JitterStrategy) have no IR equivalent: the IR has one retry policy a step");
  const on = new Set<ErrorClass>();
  for (const [i, r] of rs.entries()) {
    for (const [j, name] of ((r as Obj).ErrorEquals as string[]).entries()) {
      if (name === "States.ALL") on.add("any");
      else {
        const cls = ERROR_CLASSES.find((c) => c !== "any" && Object.values(RETRY_ERRORS).some((t) => t[c].includes(name)));
        if (!cls) return refuse(ctx, [...at, "Retry", i, "ErrorEquals", j], `error '${name}' matches no IR error class`);
        on.add(cls);
      }
    }
  }
  return {
    attempts: (num(first.MaxAttempts) ?? 3) + 1,
    interval: num(first.IntervalSeconds) ?? 1,
    backoff: num(first.BackoffRate) ?? 2,
    on: on.has("any") ? ["any"] : ERROR_CLASSES.filter((c) => on.has(c)),
    pos: ctx.src.pos([...at, "Retry"]),
  };
}

function instance(ctx: LiftCtx, flow: Flow, o: Obj | undefined, at: JPath, keys: { type: string; count: string; volume?: string }): Instance | undefined {
  if (!o) return undefined;
  const type = field(ctx, flow, o, keys.type, at);
  if (!type) return undefined;
  const count = field(ctx, flow, o, keys.count, at, "integer");
  const volume = keys.volume ? field(ctx, flow, o, keys.volume, at, "integer") : undefined;
  leftovers(ctx, o, [keys.type, keys.count, ...(keys.volume ? [keys.volume] : [])], at, "the instance settings");
  return { type, ...(count ? { count } : {}), ...(volume ? { volume_gb: volume } : {}), pos: ctx.src.pos(at) };
}

function strMap(ctx: LiftCtx, flow: Flow, o: unknown, at: JPath): Record<string, Value> {
  const v = isObj(o) ? liftValue(ctx, flow, o, at) : undefined;
  return v && v.kind === "map" ? v.entries : {};
}

/** The IR places outputs under `artifacts`; a lifted output location is not kept. */
function outputMoved(ctx: LiftCtx, at: JPath, uri: unknown): void {
  warn(ctx, at, `output location ${typeof uri === "string" ? uri : "(computed)"} is not kept: the IR writes outputs under the pipeline's artifacts prefix`);
}

export const SAGEMAKER_SYNC = /^arn:aws:states:::sagemaker:(createProcessingJob|createTrainingJob|createTransformJob|createHyperParameterTuningJob)(\.sync)?$/;

/**
 * Names the source chose (job and model names) are not kept, but a later
 * reference to the same value still means "that resource": job names become
 * aliases, model names map back to their model step.
 */
function recordNames(ctx: LiftCtx, flow: Flow, step: Step, p: Obj, pAt: JPath): void {
  const nameKey = { training: "TrainingJobName", processing: "ProcessingJobName", transform: "TransformJobName", tuning: "HyperParameterTuningJobName", model: "ModelName" }[step.kind as string];
  if (!nameKey) return;
  const v = quietly(ctx, () => field(ctx, flow, p, nameKey, pAt));
  if (!v) return;
  if (step.kind === "model") ctx.modelNames.set(canonical(ctx, v), step.id);
  else ctx.aliases.set(JSON.stringify({ kind: "ref", ref: { scope: "steps", step: step.id, attr: "job_name" } }), canonical(ctx, v));
}

/** A model name value that names a lifted model step becomes `steps.M.name`. */
function modelRef(ctx: LiftCtx, v: Value): Value {
  const m = ctx.modelNames.get(canonical(ctx, v));
  return m ? { kind: "ref", ref: { scope: "steps", step: m, attr: "name" }, pos: v.pos } : v;
}

export function liftTask(ctx: LiftCtx, flow: Flow, name: string, id: string, st: Obj, at: JPath, deps: string[]): Step | undefined {
  const s = liftTaskBody(ctx, flow, name, id, st, at, deps);
  if (s) recordNames(ctx, flow, s, (isObj(st.Parameters) ? st.Parameters : {}) as Obj, [...at, "Parameters"]);
  return s;
}

function liftTaskBody(ctx: LiftCtx, flow: Flow, name: string, id: string, st: Obj, at: JPath, deps: string[], paramsAt?: JPath): Step | undefined {
  const pos = ctx.src.pos(at);
  for (const k of Object.keys(st)) if (!TASK_FIELDS.has(k)) refuse(ctx, [...at, k], `field '${k}' of a Task state has no IR equivalent`);
  const base = common(id, name, pos, deps);
  const retry = liftRetry(ctx, st, at);
  if (retry) base.retry = [retry];
  if (typeof st.TimeoutSeconds === "number") base.timeout = st.TimeoutSeconds;
  // AWS SAM / CloudFormation write the partition as a substitution; it is `aws` here.
  const resource = String(st.Resource).replace(/^arn:\$\{(AWS::Partition|partition)\}:/, "arn:aws:");
  const p = (isObj(st.Parameters) ? st.Parameters : {}) as Obj;
  const pAt = paramsAt ?? [...at, "Parameters"];
  // "X needs Y" only when reading Y did not already say why it failed.
  const errorsNow = () => ctx.diags.filter((d) => d.severity === "error").length;
  const e0 = errorsNow();
  const need = (where: JPath, msg: string) => (errorsNow() > e0 ? undefined : refuse(ctx, where, msg));
  const sync = SAGEMAKER_SYNC.exec(resource);
  if (sync && !sync[2]) return refuse(ctx, [...at, "Resource"], `${sync[1]} without .sync only starts the job; IR steps wait for their job to finish`);
  if (sync?.[1] === "createTrainingJob") {
    const algo = isObj(p.AlgorithmSpecification) ? p.AlgorithmSpecification : {};
    const image = field(ctx, flow, algo, "TrainingImage", [...pAt, "AlgorithmSpecification"]);
    if (!image) return need(pAt, "a training job needs AlgorithmSpecification.TrainingImage");
    leftovers(ctx, algo, ["TrainingImage", "TrainingInputMode"], [...pAt, "AlgorithmSpecification"], "AlgorithmSpecification");
    const inputs: Record<string, DataInput> = {};
    for (const [i, ch] of ((p.InputDataConfig as Obj[]) ?? []).entries()) {
      const cAt = [...pAt, "InputDataConfig", i];
      const s3 = (isObj(ch.DataSource) && isObj(ch.DataSource.S3DataSource) ? ch.DataSource.S3DataSource : {}) as Obj;
      const source = field(ctx, flow, s3, "S3Uri", [...cAt, "DataSource", "S3DataSource"]);
      if (!source) return need(cAt, "a channel needs DataSource.S3DataSource.S3Uri");
      leftovers(ctx, s3, ["S3Uri", "S3DataType", "S3DataDistributionType"], [...cAt, "DataSource", "S3DataSource"], "an S3 data source");
      leftovers(ctx, ch, ["ChannelName", "DataSource", "ContentType", "CompressionType", "InputMode"], cAt, "a channel");
      inputs[String(ch.ChannelName)] = {
        source,
        pos: ctx.src.pos(cAt),
        ...(typeof ch.ContentType === "string" ? { content_type: ch.ContentType } : {}),
        ...(s3.S3DataDistributionType === "ShardedByS3Key" ? { distribution: "ShardedByS3Key" as const } : {}),
        ...(ch.CompressionType === "Gzip" ? { compression: "Gzip" as const } : {}),
      };
    }
    if (p.OutputDataConfig) outputMoved(ctx, [...pAt, "OutputDataConfig"], (p.OutputDataConfig as Obj).S3OutputPath);
    const stop = isObj(p.StoppingCondition) ? p.StoppingCondition : undefined;
    if (stop && base.timeout === undefined && typeof stop.MaxRuntimeInSeconds === "number") base.timeout = stop.MaxRuntimeInSeconds;
    // A tuning job's training definition calls them StaticHyperParameters.
    const hpKey = "StaticHyperParameters" in p ? "StaticHyperParameters" : "HyperParameters";
    leftovers(ctx, p, ["AlgorithmSpecification", "InputDataConfig", "OutputDataConfig", "ResourceConfig", "StoppingCondition", hpKey, "Environment"], pAt, "a training job");
    const inst = instance(ctx, flow, p.ResourceConfig as Obj, [...pAt, "ResourceConfig"], { type: "InstanceType", count: "InstanceCount", volume: "VolumeSizeInGB" });
    return {
      ...base,
      environment: strMap(ctx, flow, p.Environment, [...pAt, "Environment"]),
      kind: "training",
      image,
      ...(inst ? { instance: inst } : {}),
      hyperparameters: strMap(ctx, flow, p[hpKey], [...pAt, hpKey]),
      inputs,
      metric_definitions: [],
      ...(algo.TrainingInputMode && algo.TrainingInputMode !== "File" ? { input_mode: algo.TrainingInputMode as "Pipe" | "FastFile" } : {}),
    };
  }
  if (sync?.[1] === "createHyperParameterTuningJob") {
    const cfg = (isObj(p.HyperParameterTuningJobConfig) ? p.HyperParameterTuningJobConfig : {}) as Obj;
    const cAt = [...pAt, "HyperParameterTuningJobConfig"];
    const def = (isObj(p.TrainingJobDefinition) ? p.TrainingJobDefinition : {}) as Obj;
    const dAt = [...pAt, "TrainingJobDefinition"];
    const objective = (isObj(cfg.HyperParameterTuningJobObjective) ? cfg.HyperParameterTuningJobObjective : {}) as Obj;
    const limits = (isObj(cfg.ResourceLimits) ? cfg.ResourceLimits : {}) as Obj;
    if (typeof objective.MetricName !== "string" || (objective.Type !== "Minimize" && objective.Type !== "Maximize")) return need(cAt, "a tuning job needs a literal HyperParameterTuningJobObjective");
    const ranges: Record<string, import("../../../src/ir/types.js").ParameterRange> = {};
    const pr = (isObj(cfg.ParameterRanges) ? cfg.ParameterRanges : {}) as Obj;
    for (const [key, type] of [["ContinuousParameterRanges", "continuous"], ["IntegerParameterRanges", "integer"], ["CategoricalParameterRanges", "categorical"]] as const) {
      for (const [i, r] of ((pr[key] as Obj[]) ?? []).entries()) {
        const rAt = [...cAt, "ParameterRanges", key, i];
        leftovers(ctx, r, ["Name", "MinValue", "MaxValue", "ScalingType", "Values"], rAt, "a parameter range");
        ranges[String(r.Name)] =
          type === "categorical"
            ? { type, values: ((r.Values as unknown[]) ?? []).map(String), pos: ctx.src.pos(rAt) }
            : { type, min: Number(r.MinValue), max: Number(r.MaxValue), ...(typeof r.ScalingType === "string" ? { scaling: r.ScalingType as "Auto" } : {}), pos: ctx.src.pos(rAt) };
      }
    }
    leftovers(ctx, objective, ["Type", "MetricName"], [...cAt, "HyperParameterTuningJobObjective"], "the tuning objective");
    leftovers(ctx, limits, ["MaxNumberOfTrainingJobs", "MaxParallelTrainingJobs"], [...cAt, "ResourceLimits"], "the tuning limits");
    leftovers(ctx, cfg, ["Strategy", "HyperParameterTuningJobObjective", "ResourceLimits", "ParameterRanges", "TrainingJobEarlyStoppingType"], cAt, "the tuning configuration");
    // The training definition reads like a training job's parameters.
    const train = liftTaskBody(ctx, flow, name, id, { ...st, Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Parameters: def }, at, deps, dAt);
    leftovers(ctx, p, ["HyperParameterTuningJobConfig", "TrainingJobDefinition"], pAt, "a tuning job");
    if (!train || train.kind !== "training") return undefined;
    return {
      ...train,
      kind: "tuning",
      ranges,
      objective: { metric: objective.MetricName, type: objective.Type, pos: ctx.src.pos([...cAt, "HyperParameterTuningJobObjective"]) },
      strategy: (["Bayesian", "Random", "Hyperband", "Grid"].includes(String(cfg.Strategy)) ? cfg.Strategy : "Bayesian") as "Bayesian",
      max_jobs: num(limits.MaxNumberOfTrainingJobs) ?? 1,
      parallel_jobs: num(limits.MaxParallelTrainingJobs) ?? 1,
      ...(cfg.TrainingJobEarlyStoppingType === "Auto" || cfg.TrainingJobEarlyStoppingType === "Off" ? { early_stopping: cfg.TrainingJobEarlyStoppingType } : {}),
    };
  }
  if (sync?.[1] === "createProcessingJob") {
    const app = (isObj(p.AppSpecification) ? p.AppSpecification : {}) as Obj;
    const aAt = [...pAt, "AppSpecification"];
    const image = field(ctx, flow, app, "ImageUri", aAt);
    if (!image) return need(aAt, "a processing job needs AppSpecification.ImageUri");
    leftovers(ctx, app, ["ImageUri", "ContainerEntrypoint", "ContainerArguments"], aAt, "AppSpecification");
    const entry = Array.isArray(app.ContainerEntrypoint) && app.ContainerEntrypoint.every((x) => typeof x === "string") ? (app.ContainerEntrypoint as string[]) : undefined;
    const args = field(ctx, flow, app, "ContainerArguments", aAt);
    const inputs: Record<string, DataInput> = {};
    for (const [i, inp] of ((p.ProcessingInputs as Obj[]) ?? []).entries()) {
      const iAt = [...pAt, "ProcessingInputs", i];
      const s3 = (isObj(inp.S3Input) ? inp.S3Input : {}) as Obj;
      const source = field(ctx, flow, s3, "S3Uri", [...iAt, "S3Input"]);
      if (!source) return refuse(ctx, iAt, "only S3 processing inputs can be lifted");
      leftovers(ctx, s3, ["S3Uri", "LocalPath", "S3DataType", "S3InputMode", "S3DataDistributionType", "S3CompressionType"], [...iAt, "S3Input"], "an S3 input");
      leftovers(ctx, inp, ["InputName", "S3Input"], iAt, "a processing input");
      inputs[String(inp.InputName)] = {
        source,
        pos: ctx.src.pos(iAt),
        ...(typeof s3.LocalPath === "string" ? { destination: s3.LocalPath } : {}),
        ...(s3.S3DataDistributionType === "ShardedByS3Key" ? { distribution: "ShardedByS3Key" as const } : {}),
        ...(s3.S3CompressionType === "Gzip" ? { compression: "Gzip" as const } : {}),
      };
    }
    const outputs: Record<string, DataOutput> = {};
    const poc = isObj(p.ProcessingOutputConfig) ? p.ProcessingOutputConfig : {};
    for (const [i, o] of ((poc.Outputs as Obj[]) ?? []).entries()) {
      const oAt = [...pAt, "ProcessingOutputConfig", "Outputs", i];
      const s3 = (isObj(o.S3Output) ? o.S3Output : {}) as Obj;
      outputMoved(ctx, [...oAt, "S3Output"], s3.S3Uri ?? s3["S3Uri.$"]);
      outputs[String(o.OutputName)] = { path: String(s3.LocalPath), ...(s3.S3UploadMode === "Continuous" ? { upload: "Continuous" as const } : {}), pos: ctx.src.pos(oAt) };
    }
    const stop = isObj(p.StoppingCondition) ? p.StoppingCondition : undefined;
    if (stop && base.timeout === undefined && typeof stop.MaxRuntimeInSeconds === "number") base.timeout = stop.MaxRuntimeInSeconds;
    leftovers(ctx, p, ["AppSpecification", "ProcessingResources", "ProcessingInputs", "ProcessingOutputConfig", "StoppingCondition", "Environment"], pAt, "a processing job");
    const res = isObj(p.ProcessingResources) && isObj(p.ProcessingResources.ClusterConfig) ? (p.ProcessingResources.ClusterConfig as Obj) : undefined;
    const inst = instance(ctx, flow, res, [...pAt, "ProcessingResources", "ClusterConfig"], { type: "InstanceType", count: "InstanceCount", volume: "VolumeSizeInGB" });
    return {
      ...base,
      environment: strMap(ctx, flow, p.Environment, [...pAt, "Environment"]),
      kind: "processing",
      image,
      ...(inst ? { instance: inst } : {}),
      ...(entry ? { command: entry } : {}),
      arguments: args && args.kind === "list" ? args.items : [],
      inputs,
      outputs,
      reports: {},
    };
  }
  if (sync?.[1] === "createTransformJob") {
    const named = field(ctx, flow, p, "ModelName", pAt);
    if (!named) return need(pAt, "a transform job needs ModelName");
    const model = modelRef(ctx, named);
    const ti = (isObj(p.TransformInput) ? p.TransformInput : {}) as Obj;
    const tAt = [...pAt, "TransformInput"];
    const s3 = (isObj(ti.DataSource) && isObj(ti.DataSource.S3DataSource) ? ti.DataSource.S3DataSource : {}) as Obj;
    const source = field(ctx, flow, s3, "S3Uri", [...tAt, "DataSource", "S3DataSource"]);
    if (!source) return need(tAt, "a transform job needs TransformInput.DataSource.S3DataSource.S3Uri");
    leftovers(ctx, s3, ["S3Uri", "S3DataType"], [...tAt, "DataSource", "S3DataSource"], "an S3 data source");
    leftovers(ctx, ti, ["DataSource", "ContentType", "SplitType", "CompressionType"], tAt, "TransformInput");
    const to = (isObj(p.TransformOutput) ? p.TransformOutput : {}) as Obj;
    outputMoved(ctx, [...pAt, "TransformOutput"], to.S3OutputPath);
    leftovers(ctx, to, ["S3OutputPath", "Accept", "AssembleWith"], [...pAt, "TransformOutput"], "TransformOutput");
    leftovers(ctx, p, ["ModelName", "TransformInput", "TransformOutput", "TransformResources", "BatchStrategy", "MaxPayloadInMB", "MaxConcurrentTransforms", "Environment"], pAt, "a transform job");
    const inst = instance(ctx, flow, p.TransformResources as Obj, [...pAt, "TransformResources"], { type: "InstanceType", count: "InstanceCount" });
    return {
      ...base,
      environment: strMap(ctx, flow, p.Environment, [...pAt, "Environment"]),
      kind: "transform",
      model,
      ...(inst ? { instance: inst } : {}),
      input: {
        source,
        pos: ctx.src.pos(tAt),
        ...(typeof ti.ContentType === "string" ? { content_type: ti.ContentType } : {}),
        ...(typeof ti.SplitType === "string" ? { split_type: ti.SplitType as "Line" } : {}),
        ...(ti.CompressionType === "Gzip" ? { compression: "Gzip" as const } : {}),
      },
      output: { ...(typeof to.Accept === "string" ? { accept: to.Accept } : {}), ...(to.AssembleWith === "Line" || to.AssembleWith === "None" ? { assemble_with: to.AssembleWith } : {}) },
      ...(p.BatchStrategy === "MultiRecord" || p.BatchStrategy === "SingleRecord" ? { strategy: p.BatchStrategy } : {}),
      ...(typeof p.MaxPayloadInMB === "number" ? { max_payload_mb: p.MaxPayloadInMB } : {}),
      ...(typeof p.MaxConcurrentTransforms === "number" ? { max_concurrent: p.MaxConcurrentTransforms } : {}),
    };
  }
  if (resource === "arn:aws:states:::sagemaker:createModel") {
    const pc = (isObj(p.PrimaryContainer) ? p.PrimaryContainer : {}) as Obj;
    const cAt = [...pAt, "PrimaryContainer"];
    const image = field(ctx, flow, pc, "Image", cAt);
    const model = field(ctx, flow, pc, "ModelDataUrl", cAt);
    if (!image || !model) return need(cAt, "a model needs PrimaryContainer.Image and ModelDataUrl");
    leftovers(ctx, pc, ["Image", "ModelDataUrl", "Environment"], cAt, "PrimaryContainer");
    leftovers(ctx, p, ["PrimaryContainer"], pAt, "a model");
    return { ...base, environment: strMap(ctx, flow, pc.Environment, [...cAt, "Environment"]), kind: "model", image, model };
  }
  if (resource === "arn:aws:states:::lambda:invoke" || /^arn:aws:lambda:[a-z0-9-]+:[0-9]+:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.test(resource)) {
    const legacy = !resource.startsWith("arn:aws:states:::");
    let fn: Value | undefined;
    let payload: Record<string, Value> = {};
    if (legacy) {
      fn = { kind: "literal", value: resource, type: "string", pos: ctx.src.pos([...at, "Resource"]) };
      if (st.Parameters === undefined) warn(ctx, at, "the function received the whole state input; the lifted step sends an empty payload");
      else payload = strMap(ctx, flow, p, pAt);
    } else {
      fn = field(ctx, flow, p, "FunctionName", pAt);
      if (!fn) return need(pAt, "lambda:invoke needs FunctionName");
      payload = strMap(ctx, flow, p.Payload, [...pAt, "Payload"]);
      leftovers(ctx, p, ["FunctionName", "Payload"], pAt, "a Lambda invocation");
      ctx.lambdaWrapped.add(id);
    }
    return { ...base, kind: "lambda", function: fn, payload, outputs: {} };
  }
  if (resource === "arn:aws:states:::sqs:sendMessage.waitForTaskToken") {
    const queue = field(ctx, flow, p, "QueueUrl", pAt);
    if (!queue) return need(pAt, "sqs:sendMessage needs QueueUrl");
    const body = (isObj(p.MessageBody) ? p.MessageBody : {}) as Obj;
    const rest: Obj = {};
    let token = false;
    for (const [k, v] of Object.entries(body)) {
      if (k.endsWith(".$") && v === "$$.Task.Token") token = true;
      else rest[k] = v;
    }
    if (!token) return refuse(ctx, [...pAt, "MessageBody"], "the message must carry $$.Task.Token in a field of MessageBody");
    leftovers(ctx, p, ["QueueUrl", "MessageBody"], pAt, "an SQS message");
    delete base.retry;
    return { ...base, kind: "approval", queue, message: strMap(ctx, flow, rest, [...pAt, "MessageBody"]), outputs: {} };
  }
  if (resource === "arn:aws:states:::aws-sdk:sagemaker:createModelPackage") {
    const inf = (isObj(p.InferenceSpecification) ? p.InferenceSpecification : {}) as Obj;
    const c = (Array.isArray(inf.Containers) && isObj(inf.Containers[0]) ? inf.Containers[0] : {}) as Obj;
    const cAt = [...pAt, "InferenceSpecification", "Containers", 0];
    const image = field(ctx, flow, c, "Image", cAt);
    const model = field(ctx, flow, c, "ModelDataUrl", cAt);
    const group = field(ctx, flow, p, "ModelPackageGroupName", pAt);
    if (!image || !model || !group) return need(pAt, "a model package needs ModelPackageGroupName and a container with Image and ModelDataUrl");
    const approval = field(ctx, flow, p, "ModelApprovalStatus", pAt);
    leftovers(ctx, p, ["ModelPackageGroupName", "ModelApprovalStatus", "InferenceSpecification"], pAt, "a model package");
    const strs = (x: unknown) => (Array.isArray(x) ? x.filter((y): y is string => typeof y === "string") : []);
    return {
      ...base,
      kind: "register-model",
      model,
      image,
      package_group: group,
      ...(approval ? { approval } : {}),
      content_types: strs(inf.SupportedContentTypes),
      response_types: strs(inf.SupportedResponseMIMETypes),
      inference_instances: strs(inf.SupportedRealtimeInferenceInstanceTypes),
      transform_instances: strs(inf.SupportedTransformInstanceTypes),
    };
  }
  if (/^\$\{[^}]*\}$/.test(resource)) return refuse(ctx, [...at, "Resource"], `resource '${resource}' is a deployment-time substitution, so which service it calls is unknown`);
  return refuse(ctx, [...at, "Resource"], `resource '${resource}' has no IR step kind`);
}
