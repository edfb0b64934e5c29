/**
 * SageMaker steps -> IR steps. Each SDK step type becomes its neutral kind;
 * types the IR has no kind for (EMR, QualityCheck, ClarifyCheck, AutoML,
 * EndpointConfig, Endpoint, ...) become `passthrough` steps for this target.
 * What a neutral kind does not model is recovered afterwards as step settings
 * (see residual.ts), so nothing in `Arguments` is lost.
 */
import type { DataInput, JobKms, JobNetwork, ErrorClass, Instance, MetricDefinition, ParameterRange, RetryPolicy, ScalarType, Step, StepCommon, Value } from "../../../src/ir/types.js";
import { OUTPUT_TYPES } from "../other-steps.js";
import { RETRY_EXCEPTIONS } from "../retry.js";
import { JOB_STEP_TYPES } from "../step-types.js";
import { pointer } from "./jsonpos.js";
import { conditionsFrom, passthroughReason, posAt, refuse, valueFrom, type LiftCtx } from "./values.js";
import { normaliseJoins } from "./residual.js";
import { isDeepStrictEqual } from "node:util";
import { dataProcessingFields } from "../../../src/aws/transform.js";
import { SDK_DEFAULTS } from "../../../src/aws/requests/common.js";

/** DataProcessing's filters and join; anything else in it (a property, an unknown key) refused by name. */
function transformFilters(c: LiftCtx, dp: unknown, at: string): ReturnType<typeof dataProcessingFields>["fields"] {
  if (dp === undefined) return {};
  if (dp === null || typeof dp !== "object" || Array.isArray(dp)) {
    refuse(c, at, "a DataProcessing that is not an object");
    return {};
  }
  const r = dataProcessingFields(dp as Record<string, unknown>);
  for (const x of r.problems) refuse(c, `${at}/${x.key}`, `the DataProcessing field '${x.key}' as written here`);
  return r.fields;
}

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

/** The service's defaults for a retry policy's members (SDK `workflow/retry.py`). */
export const RETRY_DEFAULTS = { IntervalSeconds: 1, BackoffRate: 2.0 };

/**
 * RetryPolicies -> retry rules, in order. Each policy is a rule on the error classes its
 * exception types make up; a Step.* policy followed by a SageMaker.* policy with the same
 * settings (how lowering writes one rule) is one rule again.
 */
export function retryRulesFrom(c: LiftCtx, policies: unknown, ptr: string, type: string): RetryPolicy[] {
  if (!Array.isArray(policies) || !policies.length) return [];
  const rules: Array<RetryPolicy & { types: Set<string> }> = [];
  const seen = new Map<string, number>();
  for (const [i, p] of (policies as J[]).entries()) {
    const at = `${ptr}/${i}`;
    if (!isObj(p)) {
      refuse(c, at, "a retry policy that is not an object");
      continue;
    }
    if (p.ExpireAfterMin !== undefined || typeof p.MaxAttempts !== "number") {
      refuse(c, at, "a retry policy limited by ExpireAfterMin instead of MaxAttempts");
      continue;
    }
    const types = new Set([p.ExceptionType].flat().map(String));
    if ([...types].some((t) => t.startsWith("Step.")) && [...types].some((t) => t.startsWith("SageMaker."))) {
      // Lowering writes a rule as the SDK does, one policy for Step.* and one for SageMaker.* types, each counting its own attempts.
      refuse(c, at + "/ExceptionType", "a retry policy counting step (Step.*) and job (SageMaker.*) errors together");
      continue;
    }
    for (const t of types) {
      if (seen.has(t)) refuse(c, at + "/ExceptionType", `the retry exception type '${t}' in two retry policies (${seen.get(t)} and ${i})`);
      seen.set(t, i);
    }
    const interval = p.IntervalSeconds ?? RETRY_DEFAULTS.IntervalSeconds;
    const backoff = p.BackoffRate ?? RETRY_DEFAULTS.BackoffRate;
    const last = rules[rules.length - 1];
    // Lowering writes one rule as a Step.* policy followed by a SageMaker.* policy with the same settings.
    const split = last && [...last.types].every((t) => t.startsWith("Step.")) && [...types].every((t) => t.startsWith("SageMaker."));
    if (split && last.attempts === p.MaxAttempts + 1 && last.interval === interval && last.backoff === backoff) for (const t of types) last.types.add(t);
    else rules.push({ attempts: p.MaxAttempts + 1, interval, backoff, on: [], pos: posAt(c, at), types });
  }
  const applicable = RETRY_EXCEPTIONS.any.filter((t) => t.startsWith("Step.") || JOB_STEP_TYPES.has(type));
  return rules.map(({ types, ...rule }) => {
    if (applicable.every((t) => types.has(t)) && types.size === applicable.length) return { ...rule, on: ["any"] as ErrorClass[] };
    const on = (["throttling", "service", "job", "capacity"] as ErrorClass[]).filter((k) => RETRY_EXCEPTIONS[k].some((t) => types.has(t)));
    const covered = new Set(on.flatMap((k) => RETRY_EXCEPTIONS[k]));
    for (const t of types) if (!covered.has(t)) refuse(c, ptr, `the retry exception type '${t}'`);
    for (const t of covered) if (!types.has(t)) refuse(c, ptr, `a retry on '${[...types].join(", ")}' without '${t}' (they form one error class)`);
    return { ...rule, on };
  });
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
  const rules = retryRulesFrom(c, s.RetryPolicies, ptr + "/RetryPolicies", type);
  if (rules.length) out.retry = rules;
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

/**
 * A training job's time limit: none where it is the one lowering writes without a timeout (the SDK's
 * max_run, capped at a spot job's wait), which other targets would otherwise add as a limit of their own.
 */
function trainingTimeout(sc: unknown, spotWait: number | undefined): number | undefined {
  const t = timeoutOf(sc);
  return t === Math.min(SDK_DEFAULTS.trainingMaxRuntime, spotWait ?? Infinity) ? undefined : t;
}

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
    withFields(inp, { data_type: dataTypeFrom(src.S3DataType) });
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

/** Instance types: literal strings or expressions (a parameter's `Get`), one by one. */
const typeList = (c: LiftCtx, x: unknown, ptr: string): Value[] => {
  if (x === undefined) return [];
  if (!Array.isArray(x)) return (refuse(c, ptr, "a list that is not written out item by item"), []);
  return x.map((v, i) => valueFrom(c, v, `${ptr}/${i}`));
};

// ---- Portable request fields (network, KMS keys, entry point, manifests, explicit locations) ----

const literalBool = (x: unknown): x is boolean | undefined => x === undefined || typeof x === "boolean";

/** NetworkConfig-like members as the IR's network, or undefined (absent, or not plain booleans: then kept as settings). */
function networkFrom(c: LiftCtx, iso: unknown, enc: unknown, vpc: unknown, ptr: { vpc: string }): JobNetwork | undefined {
  if (iso === undefined && enc === undefined && vpc === undefined) return undefined;
  if (!literalBool(iso) || !literalBool(enc)) return undefined;
  const out: JobNetwork = { pos: posAt(c, ptr.vpc) };
  if (iso !== undefined) out.isolation = iso;
  if (enc !== undefined) out.encrypt_traffic = enc;
  if (vpc !== undefined) {
    const v = vpc as J;
    if (!isObj(v) || !Array.isArray(v.Subnets) || !Array.isArray(v.SecurityGroupIds) || Object.keys(v).length !== 2) return undefined;
    out.vpc = {
      subnets: v.Subnets.map((x: unknown, i: number) => valueFrom(c, x, `${ptr.vpc}/Subnets/${i}`)),
      security_groups: v.SecurityGroupIds.map((x: unknown, i: number) => valueFrom(c, x, `${ptr.vpc}/SecurityGroupIds/${i}`)),
      pos: posAt(c, ptr.vpc),
    };
  }
  return out;
}

function kmsFrom(c: LiftCtx, volume: unknown, output: unknown, ptr: { volume: string; output: string }): JobKms | undefined {
  if (volume === undefined && output === undefined) return undefined;
  const out: JobKms = { pos: posAt(c, volume !== undefined ? ptr.volume : ptr.output) };
  if (volume !== undefined) out.volume = valueFrom(c, volume, ptr.volume);
  if (output !== undefined) out.output = valueFrom(c, output, ptr.output);
  return out;
}

/** An output location, unless it is where lowering puts that output anyway (`<artifacts>/<execution id>/<step>/<output>`). */
function locationFrom(c: LiftCtx, x: unknown, step: string, output: string, ptr: string): Value | undefined {
  if (x === undefined) return undefined;
  if (c.artifacts !== undefined) {
    const usual = { "Std:Join": { On: "", Values: [`${c.artifacts}/`, { Get: "Execution.PipelineExecutionId" }, `/${step}/${output}`] } };
    if (isDeepStrictEqual(normaliseJoins(x), normaliseJoins(usual))) return undefined;
  }
  return valueFrom(c, x, ptr);
}

const MANIFESTS = new Set(["ManifestFile", "AugmentedManifestFile"]);
const dataTypeFrom = (x: unknown): DataType | undefined => (typeof x === "string" && MANIFESTS.has(x) ? (x as DataType) : undefined);
type DataType = "S3Prefix" | "ManifestFile" | "AugmentedManifestFile";

/** The portable fields of a training job definition (a Training step's Arguments, a Tuning step's TrainingJobDefinition). */
function trainingFields(c: LiftCtx, d: J, D: string, step: string, withEntry: boolean): Record<string, unknown> {
  const alg: J = d.AlgorithmSpecification ?? {};
  return {
    network: networkFrom(c, d.EnableNetworkIsolation, d.EnableInterContainerTrafficEncryption, d.VpcConfig, { vpc: D + "/VpcConfig" }),
    kms: kmsFrom(c, d.ResourceConfig?.VolumeKmsKeyId, d.OutputDataConfig?.KmsKeyId, { volume: D + "/ResourceConfig/VolumeKmsKeyId", output: D + "/OutputDataConfig/KmsKeyId" }),
    output_path: locationFrom(c, d.OutputDataConfig?.S3OutputPath, step, "model", D + "/OutputDataConfig/S3OutputPath"),
    entrypoint: withEntry ? valueList(c, alg.ContainerEntrypoint, D + "/AlgorithmSpecification/ContainerEntrypoint") : undefined,
    container_arguments: withEntry ? valueList(c, alg.ContainerArguments, D + "/AlgorithmSpecification/ContainerArguments") : undefined,
  };
}

const valueList = (c: LiftCtx, x: unknown, ptr: string): Value[] | undefined => (Array.isArray(x) ? x.map((v, i) => valueFrom(c, v, `${ptr}/${i}`)) : undefined);

/** Set the optional members that are defined (the IR leaves absent ones out). */
function withFields<T extends object>(target: T, fields: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  return target;
}

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
        withFields(d, { data_type: dataTypeFrom(s3.S3DataType) });
        inputs[String(inp.InputName)] = d;
      });
      const outputs: Record<string, { path: string; upload?: "EndOfJob" | "Continuous"; pos: any }> = {};
      (Array.isArray(a.ProcessingOutputConfig?.Outputs) ? a.ProcessingOutputConfig.Outputs : []).forEach((o: J, i: number) => {
        const at = `${A}/ProcessingOutputConfig/Outputs/${i}`;
        if (!isObj(o)) return refuse(c, at, "a processing output that is not an object");
        outputs[String(o.OutputName)] = withFields(
          { path: String(o.S3Output?.LocalPath ?? ""), upload: o.S3Output?.S3UploadMode === "Continuous" ? "Continuous" : undefined, pos: posAt(c, at) },
          { destination: locationFrom(c, o.S3Output?.S3Uri, String(s.Name), String(o.OutputName), at + "/S3Output/S3Uri") },
        );
      });
      const reports = Object.fromEntries(
        (Array.isArray(s.PropertyFiles) ? s.PropertyFiles.filter(isObj) : []).map((pf: J, i: number) => [pf.PropertyFileName, { output: pf.OutputName, file: pf.FilePath, pos: posAt(c, `${ptr}/PropertyFiles/${i}`) }]),
      );
      const cluster: J = a.ProcessingResources?.ClusterConfig ?? {};
      const net: J = a.NetworkConfig ?? {};
      const fields = {
        network: networkFrom(c, net.EnableNetworkIsolation, net.EnableInterContainerTrafficEncryption, net.VpcConfig, { vpc: A + "/NetworkConfig/VpcConfig" }),
        kms: kmsFrom(c, cluster.VolumeKmsKeyId, a.ProcessingOutputConfig?.KmsKeyId, { volume: A + "/ProcessingResources/ClusterConfig/VolumeKmsKeyId", output: A + "/ProcessingOutputConfig/KmsKeyId" }),
      };
      out.push(withFields({
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
      } as Step, fields));
      return;
    }
    case "Training": {
      const alg: J = a.AlgorithmSpecification ?? {};
      if (passthroughReason(s)) return passthrough(); // algorithm-name or notebook-less shapes: kept as they are
      out.push(withFields({
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
        timeout: trainingTimeout(a.StoppingCondition, a.EnableManagedSpotTraining === true ? a.StoppingCondition?.MaxWaitTimeInSeconds : undefined),
      } as Step, trainingFields(c, a, A, String(s.Name), true)));
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
      out.push(withFields({
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
      } as Step, trainingFields(c, def, D, String(s.Name), true)));
      return;
    }
    case "Transform": {
      const ti: J = a.TransformInput ?? {};
      const to: J = a.TransformOutput ?? {};
      const kms = kmsFrom(c, a.TransformResources?.VolumeKmsKeyId, to.KmsKeyId, { volume: A + "/TransformResources/VolumeKmsKeyId", output: A + "/TransformOutput/KmsKeyId" });
      out.push(withFields({
        ...base,
        kind: "transform",
        model: valueFrom(c, a.ModelName, A + "/ModelName"),
        instance: instance(c, a.TransformResources, A + "/TransformResources"),
        input: {
          source: valueFrom(c, ti.DataSource?.S3DataSource?.S3Uri, A + "/TransformInput/DataSource/S3DataSource/S3Uri"),
          content_type: ti.ContentType,
          compression: ti.CompressionType,
          split_type: ti.SplitType,
          ...(dataTypeFrom(ti.DataSource?.S3DataSource?.S3DataType) ? { data_type: dataTypeFrom(ti.DataSource?.S3DataSource?.S3DataType) } : {}),
          pos: posAt(c, A + "/TransformInput"),
        },
        output: withFields({ accept: to.Accept, assemble_with: to.AssembleWith }, { destination: locationFrom(c, to.S3OutputPath, String(s.Name), "output", A + "/TransformOutput/S3OutputPath") }),
        strategy: a.BatchStrategy,
        max_payload_mb: a.MaxPayloadInMB,
        max_concurrent: a.MaxConcurrentTransforms,
        ...transformFilters(c, a.DataProcessing, A + "/DataProcessing"),
        environment: envFrom(c, a.Environment, A + "/Environment"),
        tags: tagsFrom(c, a.Tags, A + "/Tags"),
      } as Step, { kms }));
      return;
    }
    case "Model": {
      if (passthroughReason(s)) return passthrough(); // multi-container models stay as written
      const pc: J = a.PrimaryContainer;
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
        inference_instances: typeList(c, spec.SupportedRealtimeInferenceInstanceTypes, I + "/SupportedRealtimeInferenceInstanceTypes"),
        transform_instances: typeList(c, spec.SupportedTransformInstanceTypes, I + "/SupportedTransformInstanceTypes"),
        metrics: a.ModelMetrics?.ModelQuality?.Statistics?.S3Uri !== undefined ? valueFrom(c, a.ModelMetrics.ModelQuality.Statistics.S3Uri, A + "/ModelMetrics/ModelQuality/Statistics/S3Uri") : undefined,
        environment: envFrom(c, ct.Environment, I + "/Containers/0/Environment"),
        tags: tagsFrom(c, a.Tags, A + "/Tags"),
      });
      return;
    }
    case "EMR": {
      if (passthroughReason(s)) return passthrough(); // a cluster of its own, or StepConfig members the kind does not hold
      const h: J = a.StepConfig.HadoopJarStep;
      const H = A + "/StepConfig/HadoopJarStep";
      out.push({
        ...base,
        kind: "emr",
        cluster_id: valueFrom(c, a.ClusterId, A + "/ClusterId"),
        jar: valueFrom(c, h.Jar, H + "/Jar"),
        args: valueList(c, h.Args, H + "/Args") ?? [],
        main_class: h.MainClass !== undefined ? valueFrom(c, h.MainClass, H + "/MainClass") : undefined,
        properties: Object.fromEntries((Array.isArray(h.Properties) ? h.Properties : []).map((p: J, i: number) => [p.Key, valueFrom(c, p.Value, `${H}/Properties/${i}/Value`)])),
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
