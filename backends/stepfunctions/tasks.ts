/** Each step kind as Task (and helper) states. */
import { scalarText } from "../../src/aws/scalar-text.js";
import { basename } from "node:path";
import { dataProcessing } from "../../src/aws/transform.js";
import { error, warning } from "../../src/diagnostics.js";
import { codeLocation } from "../../src/ir/dataflow.js";
import { CODE_INPUT, DEFAULT_COMMAND, PROCESSING_CODE_DIR, processingScriptPath, trainingScriptPath } from "../../src/aws/containers.js";
import { effectiveInstance, effectiveRetry, effectiveTags, effectiveTimeout } from "../../src/ir/defaults.js";
import { KINDS, NOTEBOOK_OUTPUT, TRANSFORM_OUTPUT } from "../../src/ir/kinds.js";
import type { DataInput, JobNetwork, Pos, Step, StepOf, Value } from "../../src/ir/types.js";
import { link, type Json, type State } from "./asl.js";
import { choiceRule } from "./choice.js";
import { repeatLoop } from "./repeat.js";
import { errorNames, integrationOf, type Integration } from "./errors.js";
import { awsTask, resultNote } from "./aws-calls.js";
import { resolveImage, type ImageScope } from "../../src/aws/images.js";
import { missingRole, MISSING_ROLE_CODE, MISSING_ROLE_HINT } from "../../src/aws/role.js";
import { copyName, jobNameExpr, modelNameExpr, resourceNameExpr, stateName, tuningJobNameExpr } from "./names.js";
import { asArg, asString, EXECUTION_NAME, outputExpr, outputKey, render, type RenderCtx, type Rendered } from "./render.js";
import { STARTED_BY_EXECUTION, startsExecution } from "../../src/aws/request-members.js";
import { member } from "./intrinsics.js";

export interface EmitCtx extends RenderCtx {
  /** Add a state; names are unique in the whole machine. */
  put(name: string, state: State): void;
  /** Reports some expression reads, by step id. */
  reportsUsed: Map<string, Set<string>>;
  /** Steps whose response some expression reads: their whole task result is kept. */
  responsesUsed: Set<string>;
  /** Seconds between endpoint status polls. */
  pollSeconds: number;
}

export const ARN = {
  processing: "arn:aws:states:::sagemaker:createProcessingJob.sync",
  training: "arn:aws:states:::sagemaker:createTrainingJob.sync",
  tuning: "arn:aws:states:::sagemaker:createHyperParameterTuningJob.sync",
  transform: "arn:aws:states:::sagemaker:createTransformJob.sync",
  model: "arn:aws:states:::sagemaker:createModel",
  endpointConfig: "arn:aws:states:::sagemaker:createEndpointConfig",
  createEndpoint: "arn:aws:states:::sagemaker:createEndpoint",
  updateEndpoint: "arn:aws:states:::sagemaker:updateEndpoint",
  describeEndpoint: "arn:aws:states:::aws-sdk:sagemaker:describeEndpoint",
  registerModel: "arn:aws:states:::aws-sdk:sagemaker:createModelPackage",
  lambda: "arn:aws:states:::lambda:invoke",
  approval: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
  approvalLambda: "arn:aws:states:::lambda:invoke.waitForTaskToken",
  getObject: "arn:aws:states:::aws-sdk:s3:getObject",
  glue: "arn:aws:states:::glue:startJobRun.sync",
  emr: "arn:aws:states:::elasticmapreduce:addStep.sync",
} as const;

/** Processing job paths (SageMaker Processing conventions). */
const NOTEBOOK_OUT_DIR = "/opt/ml/processing/output";
const DEFAULT_VOLUME_GB = 30;
/** Training StoppingCondition when no timeout is given (SageMaker's own default, 1 day). */
const DEFAULT_MAX_RUNTIME = 86400;
/** Endpoint rollout bound when the step has no timeout. */
const DEFAULT_ENDPOINT_TIMEOUT = 3600;

function set(obj: { [k: string]: Json }, key: string, r: Rendered): void {
  if ("lit" in r) obj[key] = r.lit;
  else if ("obj" in r) obj[key] = r.obj;
  else obj[`${key}.$`] = r.expr;
}

function userKeyOk(ctx: EmitCtx, key: string, pos: Pos): boolean {
  if (!key.endsWith(".$")) return true;
  ctx.diags.push(error(pos, `key '${key}' ends in '.$', which Step Functions would read as a path`, { code: "stepfunctions-key" }));
  return false;
}

/** A value sent as text; a scalar written out as the text every target sends (Python's str(), as the SageMaker SDK writes it). */
function requestText(ctx: EmitCtx, v: Value): Rendered {
  if (v.kind === "literal" && typeof v.value !== "string" && (v.value === null || typeof v.value !== "object")) return { lit: scalarText(v.value, v.type) };
  return asString(ctx, render(ctx, v), v.pos);
}

function strMap(ctx: EmitCtx, m: Record<string, Value>): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const k of Object.keys(m)) if (userKeyOk(ctx, k, m[k].pos)) set(out, k, requestText(ctx, m[k]));
  return out;
}

function anyMap(ctx: EmitCtx, m: Record<string, Value>): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const k of Object.keys(m)) if (userKeyOk(ctx, k, m[k].pos)) set(out, k, render(ctx, m[k]));
  return out;
}

/**
 * A payload template: maps and lists stay JSON with `.$` keys at any depth
 * (Step Functions fills in objects inside arrays too); only a list item that is
 * itself an expression makes the list a States.Array.
 */
function template(ctx: EmitCtx, v: Value): Rendered {
  if (v.kind === "map") {
    const out: { [k: string]: Json } = {};
    for (const k of Object.keys(v.entries)) if (userKeyOk(ctx, k, v.entries[k].pos)) set(out, k, template(ctx, v.entries[k]));
    return { obj: out };
  }
  if (v.kind === "list") {
    const items = v.items.map((x) => template(ctx, x));
    if (items.some((x) => "expr" in x)) return render(ctx, v);
    return { obj: items.map((x) => ("lit" in x ? x.lit : (x as { obj: Json }).obj)) as unknown as { [k: string]: Json } };
  }
  return render(ctx, v);
}

function image(ctx: EmitCtx, v: Value, scope: ImageScope): Rendered {
  const r = render(ctx, v);
  if ("lit" in r && typeof r.lit === "string") {
    const res = resolveImage(r.lit, ctx.p.region, scope);
    if ("error" in res) {
      ctx.diags.push(error(v.pos, res.error, { code: "image-unknown" }));
      return { lit: r.lit };
    }
    if (res.verbatim) ctx.diags.push(warning(v.pos, res.verbatim, { code: "image-verbatim" }));
    return { lit: res.uri };
  }
  return r;
}

function role(ctx: EmitCtx, s: Step): string {
  if (!ctx.p.role) ctx.diags.push(error(s.pos, missingRole(s.id), { code: MISSING_ROLE_CODE, hint: MISSING_ROLE_HINT }));
  return ctx.p.role ?? "";
}

function tags(ctx: EmitCtx, s: Step): Json[] {
  const t = effectiveTags(ctx.p, s);
  return Object.keys(t).map((k) => ({ Key: k, Value: t[k] }));
}

function withTags(ctx: EmitCtx, s: Step, obj: { [k: string]: Json }): { [k: string]: Json } {
  const t = tags(ctx, s);
  if (t.length) obj.Tags = t;
  return obj;
}

function resources(ctx: EmitCtx, s: Step): { type: Rendered; count: Rendered; volume: Rendered } {
  const inst = effectiveInstance(ctx.p, s);
  if (!inst) ctx.diags.push(error(s.pos, `step '${s.id}': an instance type is needed (here or in defaults.instance)`, { code: "stepfunctions-instance" }));
  return {
    type: inst ? render(ctx, inst.type) : { lit: null },
    count: inst?.count ? render(ctx, inst.count) : { lit: 1 },
    volume: inst?.volume_gb ? render(ctx, inst.volume_gb) : { lit: DEFAULT_VOLUME_GB },
  };
}

function retry(ctx: EmitCtx, s: Step, integration: Integration): Json[] | undefined {
  const rules = (effectiveRetry(ctx.p, s) ?? []).filter((r) => r.attempts > 1);
  if (!rules.length) return undefined;
  // One retrier per rule, in order: each keeps its own attempt counter, as in the IR.
  return rules.map((r) => {
    const shared = r.on.filter((c) => c !== "timeout" && c !== "any");
    if (integration === "aws" && shared.length && shared.length < 4 && !r.on.includes("any")) {
      ctx.diags.push(warning(r.pos, `step '${s.id}': retry on ${shared.join(", ")} also retries every other failure of the call (States.TaskFailed): Step Functions names each service's errors its own way`, { code: "stepfunctions-retry-broadened" }));
    }
    const out: { [k: string]: Json } = { ErrorEquals: errorNames(integration, r.on), IntervalSeconds: Math.max(1, Math.round(r.interval)), MaxAttempts: r.attempts - 1, BackoffRate: r.backoff };
    if (r.max_delay !== undefined) out.MaxDelaySeconds = Math.max(1, Math.round(r.max_delay));
    if (r.jitter) out.JitterStrategy = "FULL";
    return out;
  });
}

/** Most attempts one job can make: the rules' attempts add up when different errors recur. */
function attempts(ctx: EmitCtx, s: Step): number {
  return 1 + (effectiveRetry(ctx.p, s) ?? []).reduce((n, r) => n + r.attempts - 1, 0);
}

/** A Task state with the step's retry policy and timeout. */
function task(ctx: EmitCtx, s: Step, resource: string, integration: Integration, params: { [k: string]: Json }, extra: State = {}): State {
  const st: State = { Type: "Task", Resource: resource, Parameters: params, ...extra };
  const t = effectiveTimeout(ctx.p, s);
  if (t !== undefined && KINDS[s.kind].timeout && st.TimeoutSeconds === undefined) st.TimeoutSeconds = Math.max(1, Math.ceil(t));
  const r = retry(ctx, s, integration);
  if (r) st.Retry = r;
  return st;
}

function s3Input(ctx: EmitCtx, name: string, inp: DataInput, dest: string): Json {
  const s3: { [k: string]: Json } = { LocalPath: inp.destination ?? dest, S3DataType: inp.data_type ?? "S3Prefix", S3InputMode: inp.mode === "Pipe" ? "Pipe" : "File" };
  set(s3, "S3Uri", asString(ctx, render(ctx, inp.source), inp.pos));
  s3.S3DataDistributionType = inp.distribution ?? "FullyReplicated";
  if (inp.compression) s3.S3CompressionType = inp.compression;
  return { InputName: name, S3Input: s3 };
}

function channel(ctx: EmitCtx, name: string, inp: DataInput, mode: string | undefined): Json {
  const src: { [k: string]: Json } = { S3DataType: inp.data_type ?? "S3Prefix" };
  set(src, "S3Uri", asString(ctx, render(ctx, inp.source), inp.pos));
  src.S3DataDistributionType = inp.distribution ?? "FullyReplicated";
  const c: { [k: string]: Json } = { ChannelName: name, DataSource: { S3DataSource: src } };
  if (inp.content_type) c.ContentType = inp.content_type;
  if (inp.compression) c.CompressionType = inp.compression;
  const m = inp.mode ?? mode;
  if (m) c.InputMode = m;
  return c;
}

/** ContainerArguments / entrypoints: a literal array, or States.Array over strings. */
function stringArray(ctx: EmitCtx, vals: Array<{ r: Rendered; pos: Pos }>): Rendered {
  const strs = vals.map((x) => asString(ctx, x.r, x.pos));
  if (strs.every((x) => "lit" in x)) return { lit: strs.map((x) => (x as { lit: Json }).lit) };
  return { expr: `States.Array(${strs.map((x, i) => asArg(ctx, x, vals[i].pos)).join(", ")})`, type: "list" };
}

/** A list of values as a literal array or States.Array (subnets, security groups, arguments). */
function valueList(ctx: EmitCtx, vals: Value[]): Rendered {
  return stringArray(ctx, vals.map((v) => ({ r: requestText(ctx, v), pos: v.pos })));
}

/** VpcConfig of a job's network settings. */
function vpcConfig(ctx: EmitCtx, n: JobNetwork | undefined): { [k: string]: Json } | undefined {
  if (!n?.vpc) return undefined;
  const vpc: { [k: string]: Json } = {};
  set(vpc, "SecurityGroupIds", valueList(ctx, n.vpc.security_groups));
  set(vpc, "Subnets", valueList(ctx, n.vpc.subnets));
  return vpc;
}

/** Training and tuning jobs: isolation, traffic encryption and VPC are top-level request members. */
function trainingNetwork(ctx: EmitCtx, n: JobNetwork | undefined, body: { [k: string]: Json }): void {
  if (n?.isolation !== undefined) body.EnableNetworkIsolation = n.isolation;
  if (n?.encrypt_traffic !== undefined) body.EnableInterContainerTrafficEncryption = n.encrypt_traffic;
  const vpc = vpcConfig(ctx, n);
  if (vpc) body.VpcConfig = vpc;
}

function kmsKey(ctx: EmitCtx, obj: { [k: string]: Json }, key: string, v: Value | undefined): void {
  if (v) set(obj, key, asString(ctx, render(ctx, v), v.pos));
}

function environment(ctx: EmitCtx, s: Step, obj: { [k: string]: Json }, key = "Environment"): void {
  if (Object.keys(s.environment).length) obj[key] = strMap(ctx, s.environment);
}

function stopping(ctx: EmitCtx, s: Step): { [k: string]: Json } {
  return { MaxRuntimeInSeconds: Math.ceil(effectiveTimeout(ctx.p, s) ?? DEFAULT_MAX_RUNTIME) };
}

/** Report reads after a step: s3:getObject, then the file parsed into `$.steps.<id>.reports.<r>.json`. */
function reportReads(ctx: EmitCtx, s: StepOf<"processing">, index: number | undefined, next: string | undefined): string | undefined {
  const used = [...(ctx.reportsUsed.get(s.id) ?? [])].sort();
  let after = next;
  for (const r of used.reverse()) {
    const rep = s.reports[r];
    const name = stateName(copyName(s.id, index), `.read.${r}`);
    const { bucket, key } = outputKey(ctx, s.id, rep.output, rep.file, rep.pos, index);
    const params: { [k: string]: Json } = { Bucket: bucket };
    set(params, "Key", key);
    const st: State = {
      Type: "Task",
      Resource: ARN.getObject,
      Parameters: params,
      ResultSelector: { "json.$": "States.StringToJson($.Body)" },
      ResultPath: `$.steps${member(s.id)}.reports${member(r)}`,
    };
    const rt = retry(ctx, s, "s3");
    if (rt) st.Retry = rt;
    ctx.put(name, link(st, after));
    after = name;
  }
  return after;
}

/** `entry` undefined: the image's own entry point runs. */
function processingParams(ctx: EmitCtx, s: StepOf<"processing"> | StepOf<"notebook">, index: number | undefined, args: Rendered, entry: Rendered | undefined): { [k: string]: Json } {
  const res = resources(ctx, s);
  const cluster: { [k: string]: Json } = {};
  set(cluster, "InstanceCount", res.count);
  set(cluster, "InstanceType", res.type);
  set(cluster, "VolumeSizeInGB", res.volume);
  if (s.kind === "processing") kmsKey(ctx, cluster, "VolumeKmsKeyId", s.kms?.volume);
  const app: { [k: string]: Json } = {};
  set(app, "ImageUri", image(ctx, s.image, "training"));
  if (entry) set(app, "ContainerEntrypoint", entry);
  if (!("lit" in args) || (Array.isArray(args.lit) && args.lit.length)) set(app, "ContainerArguments", args);
  const params: { [k: string]: Json } = { "ProcessingJobName.$": jobNameExpr(s.id, index, attempts(ctx, s)), RoleArn: role(ctx, s), AppSpecification: app, ProcessingResources: { ClusterConfig: cluster } };
  const inputs: Json[] = [];
  const code = s.kind === "processing" ? s.code : s.notebook;
  if (code) inputs.push({ InputName: CODE_INPUT, S3Input: { S3Uri: codeLocation(ctx.p, code), LocalPath: PROCESSING_CODE_DIR, S3DataType: "S3Prefix", S3InputMode: "File" } });
  if (s.kind === "processing") for (const k of Object.keys(s.inputs)) inputs.push(s3Input(ctx, k, s.inputs[k], `/opt/ml/processing/input/${k}`));
  if (inputs.length) params.ProcessingInputs = inputs;
  const outs: Array<[string, string, string]> =
    s.kind === "processing" ? Object.keys(s.outputs).map((k) => [k, s.outputs[k].path, s.outputs[k].upload ?? "EndOfJob"]) : [[NOTEBOOK_OUTPUT, NOTEBOOK_OUT_DIR, "EndOfJob"]];
  if (outs.length) {
    params.ProcessingOutputConfig = {
      Outputs: outs.map(([k, path, mode]) => {
        const o: { [k: string]: Json } = { LocalPath: path, S3UploadMode: mode };
        set(o, "S3Uri", outputExpr(ctx, s.id, k, s.pos, index));
        return { OutputName: k, S3Output: o };
      }),
    };
    if (s.kind === "processing") kmsKey(ctx, params.ProcessingOutputConfig as { [k: string]: Json }, "KmsKeyId", s.kms?.output);
  }
  if (s.kind === "processing" && s.network) {
    const net: { [k: string]: Json } = {};
    if (s.network.isolation !== undefined) net.EnableNetworkIsolation = s.network.isolation;
    if (s.network.encrypt_traffic !== undefined) net.EnableInterContainerTrafficEncryption = s.network.encrypt_traffic;
    const vpc = vpcConfig(ctx, s.network);
    if (vpc) net.VpcConfig = vpc;
    params.NetworkConfig = net;
  }
  // Processing jobs may leave the stopping condition out (the service's own limit applies), as the other targets do.
  if (effectiveTimeout(ctx.p, s) !== undefined) params.StoppingCondition = stopping(ctx, s);
  environment(ctx, s, params);
  return withTags(ctx, s, params);
}

function trainingLike(ctx: EmitCtx, s: StepOf<"training"> | StepOf<"tuning">, index: number | undefined) {
  const res = resources(ctx, s);
  const rc: { [k: string]: Json } = {};
  set(rc, "InstanceCount", res.count);
  set(rc, "InstanceType", res.type);
  set(rc, "VolumeSizeInGB", res.volume);
  kmsKey(ctx, rc, "VolumeKmsKeyId", s.kms?.volume);
  const algo: { [k: string]: Json } = {};
  set(algo, "TrainingImage", image(ctx, s.image, "training"));
  algo.TrainingInputMode = s.input_mode ?? "File";
  if (s.metric_definitions.length) algo.MetricDefinitions = s.metric_definitions.map((m) => ({ Name: m.name, Regex: m.regex }));
  const hp = strMap(ctx, s.hyperparameters);
  // A training script arrives as its own input channel and runs as the container's entrypoint.
  if (s.code) algo.ContainerEntrypoint = [...DEFAULT_COMMAND, trainingScriptPath(s.code)];
  else if (s.entrypoint) set(algo, "ContainerEntrypoint", valueList(ctx, s.entrypoint));
  if (s.container_arguments) set(algo, "ContainerArguments", valueList(ctx, s.container_arguments));
  const out: { [k: string]: Json } = {};
  set(out, "S3OutputPath", s.output_path ? asString(ctx, render(ctx, s.output_path), s.output_path.pos) : outputExpr(ctx, s.id, "model", s.pos, index));
  kmsKey(ctx, out, "KmsKeyId", s.kms?.output);
  const stop = stopping(ctx, s);
  const body: { [k: string]: Json } = {
    AlgorithmSpecification: algo,
    RoleArn: role(ctx, s),
    InputDataConfig: [
      ...Object.keys(s.inputs).map((k) => channel(ctx, k, s.inputs[k], undefined)),
      ...(s.code
        ? [{ ChannelName: CODE_INPUT, DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: codeLocation(ctx.p, s.code), S3DataDistributionType: "FullyReplicated" } } }]
        : []),
    ],
    OutputDataConfig: out,
    ResourceConfig: rc,
    StoppingCondition: stop,
  };
  trainingNetwork(ctx, s.network, body);
  if (s.spot) {
    body.EnableManagedSpotTraining = true;
    // MaxWait covers waiting for capacity plus running, so the run itself fits inside it.
    stop.MaxRuntimeInSeconds = Math.min(stop.MaxRuntimeInSeconds as number, Math.ceil(s.spot.max_wait));
    stop.MaxWaitTimeInSeconds = Math.ceil(s.spot.max_wait);
  }
  environment(ctx, s, body);
  return { body, hp };
}

/** Kinds whose container takes environment variables (an endpoint only when it creates its own model). */
const ENVIRONMENT_KINDS: ReadonlySet<Step["kind"]> = new Set(["processing", "training", "tuning", "transform", "model", "notebook", "endpoint"]);

function usesModelStep(ctx: RenderCtx, s: StepOf<"endpoint">): boolean {
  return s.model.kind === "ref" && s.model.ref.scope === "steps" && s.model.ref.attr === "name" && ctx.byId.get(s.model.ref.step)?.kind === "model";
}

/** Environment variables that would have nowhere to go are refused, not dropped. */
export function environmentRefusals(ctx: RenderCtx): void {
  for (const s of ctx.p.steps) {
    if (!Object.keys(s.environment).length) continue;
    const first = Object.values(s.environment)[0];
    if (!ENVIRONMENT_KINDS.has(s.kind)) {
      ctx.diags.push(error(first.pos, `step '${s.id}': a ${s.kind} step runs no container, so its environment cannot be set in AWS Step Functions`, { code: "stepfunctions-environment" }));
    } else if (s.kind === "endpoint" && usesModelStep(ctx, s)) {
      ctx.diags.push(error(first.pos, `step '${s.id}': the endpoint serves model step '${(s.model as { ref: { step: string } }).ref.step}'; set the environment there`, { code: "stepfunctions-environment" }));
    }
  }
}

/** A Task without the step timeout (the endpoint's timeout bounds its poll loop instead). */
function quick(ctx: EmitCtx, s: Step, resource: string, integration: Integration, params: { [k: string]: Json }, extra: State = {}): State {
  const st = task(ctx, s, resource, integration, params, extra);
  delete st.TimeoutSeconds;
  return st;
}

/**
 * A ResultSelector, with the task's whole result (`from`: a Lambda's Payload,
 * else the result itself) under `response` when some step reads it; kept only
 * then, as state data is limited to 256 KiB.
 */
function selecting(ctx: EmitCtx, s: Step, sel: { [k: string]: Json }, from = "$"): { [k: string]: Json } {
  return ctx.responsesUsed.has(s.id) ? { ...sel, "response.$": from } : sel;
}

/** States for one step (one foreach copy); returns the entry state's name. */
export function emitStep(ctx: EmitCtx, s: Step, index: number | undefined, next: string | undefined): string {
  ctx.step = s.id;
  const name = stateName(copyName(s.id, index));
  const result = `$.steps${member(s.id)}`;
  const hasReports = (ctx.reportsUsed.get(s.id)?.size ?? 0) > 0;
  switch (s.kind) {
    case "processing": {
      // A script runs under its command (python3 by default); without one the command is the whole entry point, and with neither the image's own runs.
      const entry: Rendered | undefined = s.code ? { lit: [...(s.command ?? DEFAULT_COMMAND), processingScriptPath(s.code)] } : s.command ? { lit: s.command } : undefined;
      const args = stringArray(ctx, s.arguments.map((a) => ({ r: requestText(ctx, a), pos: a.pos })));
      const after = s.kind === "processing" && hasReports ? reportReads(ctx, s, index, next) : next;
      const sel: { [k: string]: Json } = { "job_name.$": "$.ProcessingJobName" };
      if (hasReports) sel.reports = {};
      ctx.put(name, link(task(ctx, s, ARN.processing, "sagemaker", processingParams(ctx, s, index, args, entry), { ResultSelector: selecting(ctx, s, sel), ResultPath: result }), after));
      return name;
    }
    case "notebook": {
      // Papermill runs the notebook in a processing job; the executed copy lands in the `output` output.
      const nb = basename(s.notebook.path);
      const parts: Array<{ r: Rendered; pos: Pos }> = [
        { r: { lit: `${PROCESSING_CODE_DIR}/${nb}` }, pos: s.pos },
        { r: { lit: `${NOTEBOOK_OUT_DIR}/${nb}` }, pos: s.pos },
        { r: { lit: "-k" }, pos: s.pos },
        { r: { lit: s.kernel }, pos: s.pos },
      ];
      for (const k of Object.keys(s.parameters)) {
        parts.push({ r: { lit: "-p" }, pos: s.parameters[k].pos }, { r: { lit: k }, pos: s.parameters[k].pos }, { r: render(ctx, s.parameters[k]), pos: s.parameters[k].pos });
      }
      const params = processingParams(ctx, s, index, stringArray(ctx, parts), { lit: ["papermill"] });
      ctx.put(name, link(task(ctx, s, ARN.processing, "sagemaker", params, { ResultSelector: { "job_name.$": "$.ProcessingJobName" }, ResultPath: result }), next));
      return name;
    }
    case "training": {
      const { body, hp } = trainingLike(ctx, s, index);
      const params: { [k: string]: Json } = { "TrainingJobName.$": jobNameExpr(s.id, index, attempts(ctx, s)), ...body };
      if (Object.keys(hp).length) params.HyperParameters = hp;
      ctx.put(name, link(task(ctx, s, ARN.training, "sagemaker", withTags(ctx, s, params), {
        ResultSelector: selecting(ctx, s, { "model.$": "$.ModelArtifacts.S3ModelArtifacts", "job_name.$": "$.TrainingJobName" }),
        ResultPath: result,
      }), next));
      return name;
    }
    case "tuning": {
      const { body, hp } = trainingLike(ctx, s, index);
      const ranges: Record<string, Json[]> = { ContinuousParameterRanges: [], IntegerParameterRanges: [], CategoricalParameterRanges: [] };
      for (const k of Object.keys(s.ranges)) {
        const r = s.ranges[k];
        if (r.type === "categorical") ranges.CategoricalParameterRanges.push({ Name: k, Values: (r.values ?? []).map(String) });
        else {
          const e: { [k: string]: Json } = { Name: k, MinValue: String(r.min), MaxValue: String(r.max) };
          if (r.scaling) e.ScalingType = r.scaling;
          (r.type === "integer" ? ranges.IntegerParameterRanges : ranges.ContinuousParameterRanges).push(e);
        }
      }
      const cfg: { [k: string]: Json } = {
        Strategy: s.strategy,
        HyperParameterTuningJobObjective: { Type: s.objective.type, MetricName: s.objective.metric },
        ResourceLimits: { MaxNumberOfTrainingJobs: s.max_jobs, MaxParallelTrainingJobs: s.parallel_jobs },
        ParameterRanges: Object.fromEntries(Object.entries(ranges).filter(([, v]) => v.length)),
      };
      if (s.early_stopping) cfg.TrainingJobEarlyStoppingType = s.early_stopping;
      const def: { [k: string]: Json } = { ...body };
      if (Object.keys(hp).length) def.StaticHyperParameters = hp;
      const params: { [k: string]: Json } = { "HyperParameterTuningJobName.$": tuningJobNameExpr(s.id, index), HyperParameterTuningJobConfig: cfg, TrainingJobDefinition: def };
      ctx.put(name, link(task(ctx, s, ARN.tuning, "sagemaker", withTags(ctx, s, params), {
        ResultSelector: selecting(ctx, s, { "best_job.$": "$.BestTrainingJob.TrainingJobName", "job_name.$": "$.HyperParameterTuningJobName" }),
        ResultPath: result,
      }), next));
      return name;
    }
    case "transform": {
      const res = resources(ctx, s);
      const src: { [k: string]: Json } = { S3DataType: s.input.data_type ?? "S3Prefix" };
      set(src, "S3Uri", asString(ctx, render(ctx, s.input.source), s.input.pos));
      const input: { [k: string]: Json } = { DataSource: { S3DataSource: src } };
      if (s.input.content_type) input.ContentType = s.input.content_type;
      if (s.input.split_type) input.SplitType = s.input.split_type;
      if (s.input.compression) input.CompressionType = s.input.compression;
      const output: { [k: string]: Json } = {};
      set(output, "S3OutputPath", outputExpr(ctx, s.id, TRANSFORM_OUTPUT, s.pos, index));
      if (s.output.accept) output.Accept = s.output.accept;
      if (s.output.assemble_with) output.AssembleWith = s.output.assemble_with;
      kmsKey(ctx, output, "KmsKeyId", s.kms?.output);
      const tr: { [k: string]: Json } = {};
      set(tr, "InstanceCount", res.count);
      set(tr, "InstanceType", res.type);
      kmsKey(ctx, tr, "VolumeKmsKeyId", s.kms?.volume);
      const params: { [k: string]: Json } = { "TransformJobName.$": jobNameExpr(s.id, index, attempts(ctx, s)) };
      set(params, "ModelName", asString(ctx, render(ctx, s.model), s.model.pos));
      Object.assign(params, { TransformInput: input, TransformOutput: output, TransformResources: tr });
      if (s.strategy) params.BatchStrategy = s.strategy;
      if (s.max_payload_mb !== undefined) params.MaxPayloadInMB = s.max_payload_mb;
      if (s.max_concurrent !== undefined) params.MaxConcurrentTransforms = s.max_concurrent;
      const dp = dataProcessing(s);
      if (dp) params.DataProcessing = dp;
      environment(ctx, s, params);
      ctx.put(name, link(task(ctx, s, ARN.transform, "sagemaker", withTags(ctx, s, params), { ResultSelector: selecting(ctx, s, { "job_name.$": "$.TransformJobName" }), ResultPath: result }), next));
      return name;
    }
    case "model": {
      const container: { [k: string]: Json } = {};
      set(container, "Image", image(ctx, s.image, "inference"));
      set(container, "ModelDataUrl", asString(ctx, render(ctx, s.model), s.model.pos));
      environment(ctx, s, container);
      const params = withTags(ctx, s, { "ModelName.$": modelNameExpr(s.id, index), ExecutionRoleArn: role(ctx, s), PrimaryContainer: container });
      ctx.put(name, link(task(ctx, s, ARN.model, "sagemaker", params, { ResultSelector: selecting(ctx, s, { "arn.$": "$.ModelArn" }), ResultPath: result }), next));
      return name;
    }
    case "register-model": {
      const c: { [k: string]: Json } = {};
      set(c, "Image", image(ctx, s.image, "inference"));
      set(c, "ModelDataUrl", asString(ctx, render(ctx, s.model), s.model.pos));
      const inf: { [k: string]: Json } = { Containers: [c], SupportedContentTypes: s.content_types, SupportedResponseMIMETypes: s.response_types };
      const types = (vs: Value[]): Value => ({ kind: "list", items: vs, pos: s.pos });
      if (s.inference_instances.length) set(inf, "SupportedRealtimeInferenceInstanceTypes", render(ctx, types(s.inference_instances)));
      if (s.transform_instances.length) set(inf, "SupportedTransformInstanceTypes", render(ctx, types(s.transform_instances)));
      const params: { [k: string]: Json } = {};
      set(params, "ModelPackageGroupName", asString(ctx, render(ctx, s.package_group), s.package_group.pos));
      if (s.approval) set(params, "ModelApprovalStatus", asString(ctx, render(ctx, s.approval), s.approval.pos));
      params.InferenceSpecification = inf;
      if (s.metrics) {
        const st: { [k: string]: Json } = { ContentType: "application/json" };
        set(st, "S3Uri", asString(ctx, render(ctx, s.metrics), s.metrics.pos));
        params.ModelMetrics = { ModelQuality: { Statistics: st } };
      }
      ctx.put(name, link(task(ctx, s, ARN.registerModel, "sagemaker-sdk", withTags(ctx, s, params), { ResultSelector: { "arn.$": "$.ModelPackageArn" }, ResultPath: result }), next));
      return name;
    }
    case "endpoint":
      return emitEndpoint(ctx, s, index, next);
    case "lambda": {
      const params: { [k: string]: Json } = {};
      set(params, "FunctionName", asString(ctx, render(ctx, s.function), s.function.pos));
      // One value is the whole payload (a path or intrinsic under `Payload.$`); named fields make a map.
      if (s.payload_value) set(params, "Payload", template(ctx, s.payload_value));
      else params.Payload = (template(ctx, { kind: "map", entries: s.payload, pos: s.pos }) as { obj: { [k: string]: Json } }).obj;
      const outs: { [k: string]: Json } = {};
      for (const o of Object.keys(s.outputs)) outs[`${o}.$`] = `$.Payload${member(o)}`;
      ctx.put(name, link(task(ctx, s, ARN.lambda, "lambda", params, { ResultSelector: selecting(ctx, s, { outputs: outs }, "$.Payload"), ResultPath: result }), next));
      return name;
    }
    case "approval": {
      const params: { [k: string]: Json } = {};
      const to = (s.queue ?? s.function)!;
      set(params, s.queue ? "QueueUrl" : "FunctionName", asString(ctx, render(ctx, to), to.pos));
      // The message's own fields beside the token, or Switchyard's envelope.
      const body: { [k: string]: Json } = s.token_field
        ? { ...anyMap(ctx, s.message), [`${s.token_field}.$`]: "$$.Task.Token" }
        : { "token.$": "$$.Task.Token", "execution.$": "$$.Execution.Id", step: s.id, message: anyMap(ctx, s.message) };
      params[s.queue ? "MessageBody" : "Payload"] = body;
      const outs: { [k: string]: Json } = {};
      for (const o of Object.keys(s.outputs)) outs[`${o}.$`] = `$${member(o)}`;
      const extra: State = { ResultSelector: { outputs: outs }, ResultPath: result };
      if (!Object.keys(s.outputs).length) extra.ResultSelector = { outputs: {} };
      ctx.put(name, link(task(ctx, s, s.queue ? ARN.approval : ARN.approvalLambda, s.queue ? "sqs" : "lambda", params, extra), next));
      return name;
    }
    case "fail":
      return emitFail(ctx, s, index);
    case "condition":
      throw new Error("conditions are emitted by the plan");
    case "map":
      throw new Error("maps are emitted by the plan");
    case "passthrough":
      ctx.diags.push(error(s.pos, `step '${s.id}': a ${s.target} '${s.type}' step cannot be lowered to AWS Step Functions`, { code: "unsupported-passthrough" }));
      return name;
    case "aws": {
      const res = awsTask(s.service, s.action, s.request, !!s.wait);
      if ("error" in res) {
        ctx.diags.push(error(s.pos, `step '${s.id}': ${res.error}`, { code: "stepfunctions-aws-service" }));
        return name;
      }
      const outs: { [k: string]: Json } = {};
      for (const o of Object.keys(s.outputs)) outs[`${o}.$`] = `$${member(o)}`;
      const note = resultNote(s.service, s.action, Object.keys(s.outputs), !!s.wait, res.resource);
      if (note) ctx.diags.push(warning(s.pos, `step '${s.id}': ${note}`, { code: "stepfunctions-aws-result" }));
      const loop = s.repeat ? repeatLoop(ctx, s, index, name, next) : undefined;
      const params = (template(ctx, { kind: "map", entries: res.request, pos: s.pos }) as { obj: { [k: string]: Json } }).obj;
      // The run's id links a started execution to this one only as this execution's ARN.
      const input = startsExecution(s.service, s.action) ? params.Input : undefined;
      const key = `${STARTED_BY_EXECUTION}.$`;
      if (input && typeof input === "object" && !Array.isArray(input) && input[key] === EXECUTION_NAME) input[key] = "$$.Execution.Id";
      ctx.put(name, link(task(ctx, s, res.resource, integrationOf(res.resource), params, { ResultSelector: selecting(ctx, s, { outputs: outs }), ResultPath: result }), loop ? loop.after : next));
      return loop ? loop.entry : name;
    }
    case "wait": {
      const r = render(ctx, s.seconds);
      if ("lit" in r) ctx.put(name, link({ Type: "Wait", Seconds: r.lit }, next));
      else if ("expr" in r && r.expr.startsWith("$") && !r.expr.startsWith("$$")) ctx.put(name, link({ Type: "Wait", SecondsPath: r.expr }, next));
      else {
        // An intrinsic cannot be a SecondsPath: it is computed into $.wait.<id> first.
        const pre = stateName(copyName(s.id, index), ".seconds");
        ctx.put(pre, { Type: "Pass", Parameters: { [`${s.id}.$`]: "expr" in r ? r.expr : "$" }, ResultPath: "$.wait", Next: name });
        ctx.put(name, link({ Type: "Wait", SecondsPath: `$.wait${member(s.id)}` }, next));
        return pre;
      }
      return name;
    }
    case "glue": {
      const params: { [k: string]: Json } = {};
      set(params, "JobName", asString(ctx, render(ctx, s.job), s.job.pos));
      if (Object.keys(s.arguments).length) params.Arguments = strMap(ctx, s.arguments);
      if (s.worker_type) set(params, "WorkerType", asString(ctx, render(ctx, s.worker_type), s.worker_type.pos));
      if (s.workers) set(params, "NumberOfWorkers", render(ctx, s.workers));
      ctx.put(name, link(task(ctx, s, ARN.glue, "glue", params, { ResultPath: null }), next));
      return name;
    }
    case "emr": {
      const jar: { [k: string]: Json } = {};
      set(jar, "Jar", asString(ctx, render(ctx, s.jar), s.jar.pos));
      if (s.main_class) set(jar, "MainClass", asString(ctx, render(ctx, s.main_class), s.main_class.pos));
      if (s.args.length) set(jar, "Args", valueList(ctx, s.args));
      const props = Object.keys(s.properties);
      if (props.length) jar.Properties = props.map((k) => { const kv: { [k: string]: Json } = { Key: k }; set(kv, "Value", asString(ctx, render(ctx, s.properties[k]), s.properties[k].pos)); return kv; });
      const step: { [k: string]: Json } = { Name: s.id };
      if (s.action_on_failure) step.ActionOnFailure = s.action_on_failure;
      step.HadoopJarStep = jar;
      const params: { [k: string]: Json } = {};
      set(params, "ClusterId", asString(ctx, render(ctx, s.cluster_id), s.cluster_id.pos));
      params.Step = step;
      ctx.put(name, link(task(ctx, s, ARN.emr, "emr", params, { ResultPath: null }), next));
      return name;
    }
  }
}

function emitFail(ctx: EmitCtx, s: StepOf<"fail">, index: number | undefined): string {
  const name = stateName(copyName(s.id, index));
  const msg = asString(ctx, render(ctx, s.message), s.message.pos);
  const err = s.error ? asString(ctx, render(ctx, s.error), s.error.pos) : { lit: s.id };
  if ("lit" in msg && "lit" in err) {
    ctx.put(name, { Type: "Fail", Error: String(err.lit), Cause: String(msg.lit) });
    return name;
  }
  // Computed parts are made by a Pass first: an intrinsic ErrorPath/CausePath is not run by every executor.
  const pre = stateName(copyName(s.id, index), ".message");
  const computed: { [k: string]: Json } = {};
  const fail: State = { Type: "Fail" };
  if ("lit" in err) fail.Error = String(err.lit);
  else {
    computed["error.$"] = (err as { expr: string }).expr;
    fail.ErrorPath = "$.fail.error";
  }
  if ("lit" in msg) fail.Cause = String(msg.lit);
  else {
    computed["cause.$"] = (msg as { expr: string }).expr;
    fail.CausePath = "$.fail.cause";
  }
  ctx.put(pre, { Type: "Pass", Parameters: computed, ResultPath: `$.fail`, Next: name });
  ctx.put(name, fail);
  return pre;
}

function emitEndpoint(ctx: EmitCtx, s: StepOf<"endpoint">, index: number | undefined, next: string | undefined): string {
  const base = copyName(s.id, index);
  const n = (suffix: string) => stateName(base, suffix);
  const result = `$.steps${member(s.id)}`;
  const endpointName = asString(ctx, render(ctx, s.name), s.name.pos);
  const modelRef = usesModelStep(ctx, s);
  let modelName: Rendered;
  let entry: string;
  const configName = resourceNameExpr(s.id, index, "epconfig");
  const res = resources(ctx, s);
  if (modelRef) {
    modelName = asString(ctx, render(ctx, s.model), s.model.pos);
    entry = n(".config");
  } else {
    if (!s.image) ctx.diags.push(error(s.pos, `step '${s.id}': 'image' is needed to deploy a model artifact`, { code: "stepfunctions-endpoint-image" }));
    const c: { [k: string]: Json } = {};
    if (s.image) set(c, "Image", image(ctx, s.image, "inference"));
    set(c, "ModelDataUrl", asString(ctx, render(ctx, s.model), s.model.pos));
    environment(ctx, s, c);
    const mname = resourceNameExpr(s.id, index, "epmodel");
    modelName = { expr: mname, type: "string" };
    entry = n(".model");
    ctx.put(entry, quick(ctx, s, ARN.model, "sagemaker", withTags(ctx, s, { "ModelName.$": mname, ExecutionRoleArn: role(ctx, s), PrimaryContainer: c }), { ResultPath: null, Next: n(".config") }));
  }
  const variant: { [k: string]: Json } = { VariantName: "AllTraffic" };
  set(variant, "ModelName", modelName);
  set(variant, "InstanceType", res.type);
  set(variant, "InitialInstanceCount", res.count);
  const cfg = withTags(ctx, s, { "EndpointConfigName.$": configName, ProductionVariants: [variant] });
  ctx.put(n(".config"), quick(ctx, s, ARN.endpointConfig, "sagemaker", cfg, { ResultSelector: { polls: 0 }, ResultPath: result, Next: name0(s, index) }));
  const ep: { [k: string]: Json } = { "EndpointConfigName.$": configName };
  set(ep, "EndpointName", endpointName);
  // Create, or update when an endpoint of that name exists (CreateEndpoint then fails).
  ctx.put(name0(s, index), quick(ctx, s, ARN.createEndpoint, "sagemaker", withTags(ctx, s, { ...ep }), {
    ResultPath: null,
    Catch: [{ ErrorEquals: ["SageMaker.AmazonSageMakerException"], ResultPath: null, Next: n(".update") }],
    Next: n(".wait"),
  }));
  ctx.put(n(".update"), quick(ctx, s, ARN.updateEndpoint, "sagemaker", { ...ep }, { ResultPath: null, Next: n(".wait") }));
  // A bounded poll loop stands in for `.sync`, which endpoints do not have.
  const maxPolls = Math.max(1, Math.ceil((effectiveTimeout(ctx.p, s) ?? DEFAULT_ENDPOINT_TIMEOUT) / ctx.pollSeconds));
  ctx.put(n(".wait"), { Type: "Wait", Comment: `poll: at most ${maxPolls} times`, Seconds: ctx.pollSeconds, Next: n(".status") });
  const desc: { [k: string]: Json } = {};
  set(desc, "EndpointName", endpointName);
  const statusTask = quick(ctx, s, ARN.describeEndpoint, "sagemaker-sdk", desc, {
    ResultSelector: { "status.$": "$.EndpointStatus", "arn.$": "$.EndpointArn" },
    ResultPath: `${result}.last`,
    Next: n(".check"),
  });
  ctx.put(n(".status"), statusTask);
  ctx.put(n(".check"), {
    Type: "Choice",
    Choices: [
      { Variable: `${result}.last.status`, StringEquals: "InService", Next: n(".done") },
      { Or: ["Failed", "OutOfService", "UpdateRollbackFailed"].map((x) => ({ Variable: `${result}.last.status`, StringEquals: x })), Next: n(".failed") },
      { Variable: `${result}.polls`, NumericGreaterThanEquals: maxPolls - 1, Next: n(".timeout") },
    ],
    Default: n(".count"),
  });
  ctx.put(n(".count"), { Type: "Pass", Parameters: { "polls.$": `States.MathAdd(${result}.polls, 1)` }, ResultPath: result, Next: n(".wait") });
  ctx.put(n(".failed"), { Type: "Fail", Error: "EndpointFailed", Cause: `endpoint rollout of step '${s.id}' ended in a failed state` });
  ctx.put(n(".timeout"), { Type: "Fail", Error: "States.Timeout", Cause: `endpoint of step '${s.id}' was not InService after ${maxPolls} polls` });
  const done: { [k: string]: Json } = { "arn.$": `${result}.last.arn` };
  set(done, "name", endpointName);
  ctx.put(n(".done"), link({ Type: "Pass", Parameters: done, ResultPath: result }, next));
  return entry;
}

function name0(s: Step, index: number | undefined): string {
  return stateName(copyName(s.id, index));
}

/** The Choice of a condition step; `then`/`else` are the entries of its branches. */
export function emitCondition(ctx: EmitCtx, s: StepOf<"condition">, thenEntry: string, elseEntry: string): string {
  ctx.step = s.id;
  const rule = choiceRule(ctx, s.if) ?? { Variable: "$", IsPresent: true };
  const name = stateName(s.id);
  ctx.put(name, { Type: "Choice", Choices: [{ ...rule, Next: thenEntry }], Default: elseEntry });
  return name;
}
