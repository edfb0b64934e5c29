/**
 * SageMaker steps -> IR steps. Each SDK step type becomes its neutral kind;
 * types the IR has no kind for (EMR, QualityCheck, ClarifyCheck, AutoML,
 * EndpointConfig, Endpoint, ...) become `passthrough` steps for this target.
 * What a neutral kind does not model is recovered afterwards as step settings
 * (see residual.ts), so nothing in `Arguments` is lost.
 */
import type { DataInput, ErrorClass, Instance, MetricDefinition, ParameterRange, RetryPolicy, ScalarType, Step, StepCommon, Value } from "../../../src/ir/types.js";
import { OUTPUT_TYPES } from "../other-steps.js";
import { RETRY_EXCEPTIONS } from "../retry.js";
import { JOB_STEP_TYPES } from "../step-types.js";
import { pointer } from "./jsonpos.js";
import { conditionsFrom, posAt, refuse, valueFrom, type LiftCtx } from "./values.js";

type J = Record<string, any>;
const isObj = (x: unknown): x is J => x !== null && typeof x === "object" && !Array.isArray(x);

/** ISO-8601 (`P30D`, `PT1H`) or the `30d` spelling real pipelines used, in seconds. */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^P?(?:(\d+)D)?(?:T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(text.trim());
  if (!m || text.trim().replace(/^P/i, "") === "") return undefined;
  const [, d, h, mi, s] = m.map((x) => (x === undefined ? 0 : Number(x))) as number[];
  return d * 86400 + h * 3600 + mi * 60 + s;
}

const SCALAR: Record<string, ScalarType> = Object.fromEntries(Object.entries(OUTPUT_TYPES).map(([k, v]) => [v, k as ScalarType]));

function retryFrom(c: LiftCtx, policies: unknown, ptr: string, type: string): RetryPolicy | undefined {
  if (!Array.isArray(policies) || !policies.length) return undefined;
  const first: J = isObj(policies[0]) ? policies[0] : {};
  const types = new Set<string>();
  for (const [i, p] of (policies as J[]).entries()) {
    const at = `${ptr}/${i}`;
    if (!isObj(p)) {
      refuse(c, at, "a retry policy that is not an object");
      continue;
    }
    if (p.ExpireAfterMin !== undefined || typeof p.MaxAttempts !== "number") refuse(c, at, "a retry policy limited by ExpireAfterMin instead of MaxAttempts");
    if (p.MaxAttempts !== first.MaxAttempts || p.IntervalSeconds !== first.IntervalSeconds || p.BackoffRate !== first.BackoffRate) refuse(c, at, "retry policies with different attempts, interval or backoff on one step");
    for (const t of [p.ExceptionType].flat()) types.add(String(t));
  }
  const applicable = RETRY_EXCEPTIONS.any.filter((t) => t.startsWith("Step.") || JOB_STEP_TYPES.has(type));
  let on: ErrorClass[];
  if (applicable.every((t) => types.has(t)) && types.size === applicable.length) on = ["any"];
  else {
    on = (["throttling", "service", "job", "capacity"] as ErrorClass[]).filter((k) => RETRY_EXCEPTIONS[k].some((t) => types.has(t)));
    const covered = new Set(on.flatMap((k) => RETRY_EXCEPTIONS[k]));
    for (const t of types) if (!covered.has(t)) refuse(c, ptr, `the retry exception type '${t}'`);
    for (const t of covered) if (!types.has(t)) refuse(c, ptr, `a retry on '${[...types].join(", ")}' without '${t}' (they form one error class)`);
  }
  return { attempts: (first.MaxAttempts ?? 0) + 1, interval: first.IntervalSeconds ?? 1, backoff: first.BackoffRate ?? 2, on, pos: posAt(c, ptr) };
}

function tagsFrom(c: LiftCtx, tags: unknown, ptr: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(tags)) return out;
  tags.forEach((t: J, i) => {
    if (typeof t?.Key === "string" && typeof t?.Value === "string") out[t.Key] = t.Value;
    else refuse(c, `${ptr}/${i}`, "a tag that is not a literal key and value");
  });
  return out;
}

function envFrom(c: LiftCtx, env: unknown, ptr: string): Record<string, Value> {
  if (!isObj(env)) return {};
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, valueFrom(c, v, ptr + pointer([k]))]));
}

function common(c: LiftCtx, s: J, ptr: string, type: string): StepCommon {
  if (s.DependsOn !== undefined && !(Array.isArray(s.DependsOn) && s.DependsOn.every((d: unknown) => typeof d === "string"))) refuse(c, ptr + "/DependsOn", "a DependsOn that is not a list of step names");
  const out: StepCommon = { id: s.Name, depends_on: Array.isArray(s.DependsOn) ? s.DependsOn.map(String) : [], tags: {}, environment: {}, targets: {}, pos: posAt(c, ptr) };
  if (typeof s.DisplayName === "string") out.display_name = s.DisplayName;
  if (typeof s.Description === "string") out.description = s.Description;
  const retry = retryFrom(c, s.RetryPolicies, ptr + "/RetryPolicies", type);
  if (retry) out.retry = [retry];
  if (isObj(s.CacheConfig) && s.CacheConfig.Enabled === true) {
    const secs = typeof s.CacheConfig.ExpireAfter === "string" ? parseIsoDuration(s.CacheConfig.ExpireAfter) : undefined;
    if (secs === undefined) refuse(c, ptr + "/CacheConfig/ExpireAfter", `the cache expiry '${s.CacheConfig.ExpireAfter}'`);
    else out.cache = secs;
  }
  return out;
}

function instance(c: LiftCtx, r: J | undefined, ptr: string, countKey = "InstanceCount"): Instance | undefined {
  if (!isObj(r) || r.InstanceType === undefined) return undefined;
  const out: Instance = { type: valueFrom(c, r.InstanceType, ptr + "/InstanceType"), pos: posAt(c, ptr) };
  if (r[countKey] !== undefined) out.count = valueFrom(c, r[countKey], `${ptr}/${countKey}`);
  if (r.VolumeSizeInGB !== undefined) out.volume_gb = valueFrom(c, r.VolumeSizeInGB, ptr + "/VolumeSizeInGB");
  return out;
}

const timeoutOf = (sc: unknown): number | undefined => (isObj(sc) && typeof sc.MaxRuntimeInSeconds === "number" ? sc.MaxRuntimeInSeconds : undefined);

function channels(c: LiftCtx, list: unknown, ptr: string): Record<string, DataInput> {
  const out: Record<string, DataInput> = {};
  if (!Array.isArray(list)) return out;
  list.forEach((ch: J, i) => {
    const at = `${ptr}/${i}`;
    const src = ch?.DataSource?.S3DataSource;
    if (!isObj(src)) return refuse(c, at, "an input channel that is not an S3 data source");
    const inp: DataInput = { source: valueFrom(c, src.S3Uri, at + "/DataSource/S3DataSource/S3Uri"), pos: posAt(c, at) };
    if (typeof ch.ContentType === "string") inp.content_type = ch.ContentType;
    if (src.S3DataDistributionType === "ShardedByS3Key") inp.distribution = "ShardedByS3Key";
    if (ch.CompressionType === "Gzip" || ch.CompressionType === "None") inp.compression = ch.CompressionType;
    if (["File", "Pipe", "FastFile"].includes(ch.InputMode)) inp.mode = ch.InputMode;
    out[String(ch.ChannelName)] = inp;
  });
  return out;
}

function metrics(a: J | undefined): MetricDefinition[] {
  return Array.isArray(a?.MetricDefinitions) ? a!.MetricDefinitions.filter(isObj).map((m: J) => ({ name: String(m.Name), regex: String(m.Regex), pos: { file: "", line: 1, col: 1 } })) : [];
}

const strList = (c: LiftCtx, x: unknown, ptr: string): string[] => {
  if (x === undefined) return [];
  if (Array.isArray(x) && x.every((v) => typeof v === "string")) return x as string[];
  refuse(c, ptr, "a list that is not written out as literal strings");
  return [];
};

/** One SageMaker step (and, for a condition, its branches) as IR steps, in order. */
export function liftStep(c: LiftCtx, s: J, ptr: string, out: Step[]): void {
  if (!isObj(s) || typeof s.Name !== "string" || typeof s.Type !== "string") return refuse(c, ptr, "a step without a string Name and Type");
  const a: J = isObj(s.Arguments) ? s.Arguments : {};
  const A = ptr + "/Arguments";
  const base = common(c, s, ptr, String(s.Type));
  const passthrough = () => {
    const { Name: _n, DependsOn: _d, ...body } = s;
    out.push({ ...base, retry: undefined, cache: undefined, kind: "passthrough", target: "sagemaker", type: String(s.Type), body });
  };
  if (s.PropertyFiles !== undefined && s.Type !== "Processing") refuse(c, ptr + "/PropertyFiles", "PropertyFiles on a non-processing step");
  switch (s.Type) {
    case "Processing": {
      const app: J = a.AppSpecification ?? {};
      const inputs: Record<string, DataInput> = {};
      (Array.isArray(a.ProcessingInputs) ? a.ProcessingInputs : []).forEach((inp: J, i: number) => {
        const at = `${A}/ProcessingInputs/${i}`;
        if (!isObj(inp) || !isObj(inp.S3Input)) return refuse(c, at, "a processing input that is not S3 (dataset definition)");
        const s3 = inp.S3Input;
        const d: DataInput = { source: valueFrom(c, s3.S3Uri, at + "/S3Input/S3Uri"), destination: typeof s3.LocalPath === "string" ? s3.LocalPath : undefined, pos: posAt(c, at) };
        if (["File", "Pipe", "FastFile"].includes(s3.S3InputMode)) d.mode = s3.S3InputMode;
        if (s3.S3DataDistributionType === "ShardedByS3Key") d.distribution = "ShardedByS3Key";
        if (s3.S3CompressionType === "Gzip") d.compression = "Gzip";
        inputs[String(inp.InputName)] = d;
      });
      const outputs: Record<string, { path: string; upload?: "EndOfJob" | "Continuous"; pos: any }> = {};
      (Array.isArray(a.ProcessingOutputConfig?.Outputs) ? a.ProcessingOutputConfig.Outputs : []).forEach((o: J, i: number) => {
        const at = `${A}/ProcessingOutputConfig/Outputs/${i}`;
        if (!isObj(o)) return refuse(c, at, "a processing output that is not an object");
        outputs[String(o.OutputName)] = { path: String(o.S3Output?.LocalPath ?? ""), upload: o.S3Output?.S3UploadMode === "Continuous" ? "Continuous" : undefined, pos: posAt(c, at) };
      });
      const reports = Object.fromEntries(
        (Array.isArray(s.PropertyFiles) ? s.PropertyFiles.filter(isObj) : []).map((pf: J, i: number) => [pf.PropertyFileName, { output: pf.OutputName, file: pf.FilePath, pos: posAt(c, `${ptr}/PropertyFiles/${i}`) }]),
      );
      out.push({
        ...base,
        kind: "processing",
        image: valueFrom(c, app.ImageUri, A + "/AppSpecification/ImageUri"),
        instance: instance(c, a.ProcessingResources?.ClusterConfig, A + "/ProcessingResources/ClusterConfig"),
        command: Array.isArray(app.ContainerEntrypoint) ? app.ContainerEntrypoint.map(String) : undefined,
        arguments: Array.isArray(app.ContainerArguments) ? app.ContainerArguments.map((x: unknown, i: number) => valueFrom(c, x, `${A}/AppSpecification/ContainerArguments/${i}`)) : [],
        inputs,
        outputs,
        reports,
        environment: envFrom(c, a.Environment, A + "/Environment"),
        tags: tagsFrom(c, a.Tags, A + "/Tags"),
        timeout: timeoutOf(a.StoppingCondition),
      });
      return;
    }
    case "Training": {
      const alg: J = a.AlgorithmSpecification ?? {};
      if (alg.TrainingImage === undefined) return passthrough(); // algorithm-name or notebook-less shapes: kept as they are
      out.push({
        ...base,
        kind: "training",
        image: valueFrom(c, alg.TrainingImage, A + "/AlgorithmSpecification/TrainingImage"),
        instance: instance(c, a.ResourceConfig, A + "/ResourceConfig"),
        hyperparameters: isObj(a.HyperParameters) ? Object.fromEntries(Object.entries(a.HyperParameters).map(([k, v]) => [k, valueFrom(c, v, A + "/HyperParameters" + pointer([k]))])) : {},
        inputs: channels(c, a.InputDataConfig, A + "/InputDataConfig"),
        metric_definitions: metrics(alg),
        input_mode: ["Pipe", "FastFile"].includes(alg.TrainingInputMode) ? alg.TrainingInputMode : undefined,
        spot: a.EnableManagedSpotTraining === true && typeof a.StoppingCondition?.MaxWaitTimeInSeconds === "number" ? { max_wait: a.StoppingCondition.MaxWaitTimeInSeconds, pos: posAt(c, A) } : undefined,
        environment: envFrom(c, a.Environment, A + "/Environment"),
        tags: tagsFrom(c, a.Tags, A + "/Tags"),
        timeout: timeoutOf(a.StoppingCondition),
      });
      return;
    }
    case "Tuning": {
      const cfg: J = a.HyperParameterTuningJobConfig ?? {};
      const def: J = a.TrainingJobDefinition ?? {};
      const D = A + "/TrainingJobDefinition";
      const ranges: Record<string, ParameterRange> = {};
      for (const [key, type] of [["ContinuousParameterRanges", "continuous"], ["IntegerParameterRanges", "integer"], ["CategoricalParameterRanges", "categorical"]] as const) {
        const list: unknown = isObj(cfg.ParameterRanges) ? cfg.ParameterRanges[key] : undefined;
        (Array.isArray(list) ? list : []).forEach((r: J, i: number) => {
          const at = `${A}/HyperParameterTuningJobConfig/ParameterRanges/${key}/${i}`;
          if (!isObj(r) || typeof r.Name !== "string") return refuse(c, at, "a parameter range without a name");
          const num = (x: unknown) => (typeof x === "string" && x.trim() !== "" && Number.isFinite(Number(x)) ? Number(x) : undefined);
          if (type === "categorical") ranges[r.Name] = { type, values: r.Values, pos: posAt(c, at) };
          else {
            const min = num(r.MinValue);
            const max = num(r.MaxValue);
            if (min === undefined || max === undefined) refuse(c, at, "a parameter range whose bounds are not literal numbers");
            ranges[r.Name] = { type, min, max, scaling: r.ScalingType, pos: posAt(c, at) };
          }
        });
      }
      const obj: J = cfg.HyperParameterTuningJobObjective ?? {};
      out.push({
        ...base,
        kind: "tuning",
        image: valueFrom(c, def.AlgorithmSpecification?.TrainingImage, D + "/AlgorithmSpecification/TrainingImage"),
        instance: instance(c, def.ResourceConfig, D + "/ResourceConfig"),
        hyperparameters: isObj(def.StaticHyperParameters) ? Object.fromEntries(Object.entries(def.StaticHyperParameters).map(([k, v]) => [k, valueFrom(c, v, D + "/StaticHyperParameters" + pointer([k]))])) : {},
        inputs: channels(c, def.InputDataConfig, D + "/InputDataConfig"),
        metric_definitions: metrics(def.AlgorithmSpecification),
        ranges,
        objective: { metric: String(obj.MetricName), type: obj.Type === "Maximize" ? "Maximize" : "Minimize", pos: posAt(c, A) },
        strategy: cfg.Strategy ?? "Bayesian",
        max_jobs: cfg.ResourceLimits?.MaxNumberOfTrainingJobs ?? 1,
        parallel_jobs: cfg.ResourceLimits?.MaxParallelTrainingJobs ?? 1,
        early_stopping: cfg.TrainingJobEarlyStoppingType,
        environment: envFrom(c, def.Environment, D + "/Environment"),
        tags: tagsFrom(c, a.Tags, A + "/Tags"),
        timeout: timeoutOf(def.StoppingCondition),
      });
      return;
    }
    case "Transform": {
      const ti: J = a.TransformInput ?? {};
      const to: J = a.TransformOutput ?? {};
      out.push({
        ...base,
        kind: "transform",
        model: valueFrom(c, a.ModelName, A + "/ModelName"),
        instance: instance(c, a.TransformResources, A + "/TransformResources"),
        input: {
          source: valueFrom(c, ti.DataSource?.S3DataSource?.S3Uri, A + "/TransformInput/DataSource/S3DataSource/S3Uri"),
          content_type: ti.ContentType,
          compression: ti.CompressionType,
          split_type: ti.SplitType,
          pos: posAt(c, A + "/TransformInput"),
        },
        output: { accept: to.Accept, assemble_with: to.AssembleWith },
        strategy: a.BatchStrategy,
        max_payload_mb: a.MaxPayloadInMB,
        max_concurrent: a.MaxConcurrentTransforms,
        environment: envFrom(c, a.Environment, A + "/Environment"),
        tags: tagsFrom(c, a.Tags, A + "/Tags"),
      });
      return;
    }
    case "Model": {
      const pc: J | undefined = a.PrimaryContainer;
      if (!isObj(pc) || pc.Image === undefined || pc.ModelDataUrl === undefined) return passthrough(); // multi-container models stay as written
      out.push({
        ...base,
        kind: "model",
        image: valueFrom(c, pc.Image, A + "/PrimaryContainer/Image"),
        model: valueFrom(c, pc.ModelDataUrl, A + "/PrimaryContainer/ModelDataUrl"),
        environment: envFrom(c, pc.Environment, A + "/PrimaryContainer/Environment"),
        tags: tagsFrom(c, a.Tags, A + "/Tags"),
      });
      return;
    }
    case "RegisterModel": {
      const spec: J = a.InferenceSpecification ?? {};
      const ct: J = spec.Containers?.[0] ?? {};
      const I = A + "/InferenceSpecification";
      out.push({
        ...base,
        kind: "register-model",
        model: valueFrom(c, ct.ModelDataUrl, I + "/Containers/0/ModelDataUrl"),
        image: valueFrom(c, ct.Image, I + "/Containers/0/Image"),
        package_group: valueFrom(c, a.ModelPackageGroupName, A + "/ModelPackageGroupName"),
        approval: a.ModelApprovalStatus !== undefined ? valueFrom(c, a.ModelApprovalStatus, A + "/ModelApprovalStatus") : undefined,
        content_types: strList(c, spec.SupportedContentTypes, I + "/SupportedContentTypes"),
        response_types: strList(c, spec.SupportedResponseMIMETypes, I + "/SupportedResponseMIMETypes"),
        inference_instances: strList(c, spec.SupportedRealtimeInferenceInstanceTypes, I + "/SupportedRealtimeInferenceInstanceTypes"),
        transform_instances: strList(c, spec.SupportedTransformInstanceTypes, I + "/SupportedTransformInstanceTypes"),
        metrics: a.ModelMetrics?.ModelQuality?.Statistics?.S3Uri !== undefined ? valueFrom(c, a.ModelMetrics.ModelQuality.Statistics.S3Uri, A + "/ModelMetrics/ModelQuality/Statistics/S3Uri") : undefined,
        environment: envFrom(c, ct.Environment, I + "/Containers/0/Environment"),
        tags: tagsFrom(c, a.Tags, A + "/Tags"),
      });
      return;
    }
    case "Fail":
      out.push({ ...base, kind: "fail", message: valueFrom(c, a.ErrorMessage ?? "", A + "/ErrorMessage") });
      return;
    case "Lambda":
    case "Callback": {
      const outputs: Record<string, ScalarType> = {};
      (Array.isArray(s.OutputParameters) ? s.OutputParameters : []).forEach((o: J, i: number) => {
        if (!isObj(o)) return refuse(c, `${ptr}/OutputParameters/${i}`, "an output parameter that is not an object");
        const t = SCALAR[o.OutputType ?? "String"];
        if (!t) refuse(c, `${ptr}/OutputParameters/${i}`, `the output type '${o.OutputType}'`);
        outputs[String(o.OutputName)] = t ?? "string";
      });
      const args = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, valueFrom(c, v, A + pointer([k]))]));
      if (s.Type === "Lambda") out.push({ ...base, kind: "lambda", function: valueFrom(c, s.FunctionArn, ptr + "/FunctionArn"), payload: args, outputs });
      else out.push({ ...base, kind: "approval", queue: valueFrom(c, s.SqsQueueUrl, ptr + "/SqsQueueUrl"), message: args, outputs });
      return;
    }
    case "Condition": {
      const branch = (key: "IfSteps" | "ElseSteps") => (Array.isArray(a[key]) ? (a[key] as J[]) : []);
      out.push({
        ...base,
        kind: "condition",
        if: conditionsFrom(c, Array.isArray(a.Conditions) ? a.Conditions : [], A + "/Conditions"),
        then: branch("IfSteps").map((x) => String(x.Name)),
        else: branch("ElseSteps").map((x) => String(x.Name)),
      });
      branch("IfSteps").forEach((x, i) => liftStep(c, x, `${A}/IfSteps/${i}`, out));
      branch("ElseSteps").forEach((x, i) => liftStep(c, x, `${A}/ElseSteps/${i}`, out));
      return;
    }
    default:
      passthrough();
  }
}
