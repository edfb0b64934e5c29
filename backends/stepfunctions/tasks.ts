/** Each step kind as Task (and helper) states; SageMaker requests come from src/aws/requests. */
import { error, warning } from "../../src/diagnostics.js";
import { effectiveRetry, effectiveTimeout } from "../../src/ir/defaults.js";
import { KINDS } from "../../src/ir/kinds.js";
import type { Step, StepOf, Value } from "../../src/ir/types.js";
import { stepConfig } from "../../src/aws/requests/emr.js";
import { startJobRunRequest } from "../../src/aws/requests/glue.js";
import { endpointConfigRequest, endpointRequest, modelPackageRequest, modelRequest, servesModelStep } from "../../src/aws/requests/model.js";
import { papermillRequest, processingRequest } from "../../src/aws/requests/processing.js";
import { trainingRequest, tuningRequest } from "../../src/aws/requests/training.js";
import { transformRequest } from "../../src/aws/requests/transform.js";
import { k, own, text, without, type Req } from "../../src/aws/requests/tree.js";
import { link, type Json, type State } from "./asl.js";
import { choiceRule } from "./choice.js";
import { repeatLoop } from "./repeat.js";
import { waitSeconds } from "./wait-seconds.js";
import { errorNames, integrationOf, type Integration } from "./errors.js";
import { awsTask, resultNote, sdkCasing, sdkResource } from "./aws-calls.js";
import { responsePath, upper1, type ActionCasing } from "./sdk-casing.js";
import { DEFAULT_WAIT_SECONDS, type WaitableAction } from "../../src/aws/waitable.js";
import { copyName, jobNameExpr, modelNameExpr, OWN_FAIL, POLLED_START, resourceNameExpr, stateName, tuningJobNameExpr } from "./names.js";
import { asString, EXECUTION_NAME, outputKey, render, type RenderCtx, type Rendered } from "./render.js";
import { encodeParams, requestCtx, requestText, set, userKeyOk } from "./request-encoding.js";
import { STARTED_BY_EXECUTION, startsExecution } from "../../src/aws/request-members.js";
import { crowdedIn, member, type Crowded } from "./intrinsics.js";
import { INTRINSICS_PER_FIELD } from "./gather.js";
import { spreadTemplate, VALUES_PATH } from "./spread.js";

export interface EmitCtx extends RenderCtx {
  /** Add a state; names are unique in the whole machine. */
  put(name: string, state: State): void;
  /** Reports some expression reads, by step id. */
  reportsUsed: Map<string, Set<string>>;
  /** Steps whose response some expression reads: their whole task result is kept. */
  /** The steps whose response some step reads, and its top members read ("": the whole). */
  responsesUsed: Map<string, Set<string>>;
  /** Seconds between endpoint status polls. */
  pollSeconds: number;
  /** Writing one machine of a split, whose problems the whole machine's build has said already. */
  piece?: boolean;
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

/** Endpoint rollout bound when the step has no timeout. */
const DEFAULT_ENDPOINT_TIMEOUT = 3600;

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
/** Parameters holding one value under `key` (`key.$` when computed), as a payload template writes it. */
export function oneParameter(ctx: EmitCtx, key: string, v: Value): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  set(out, key, template(ctx, v));
  return out;
}

export function template(ctx: EmitCtx, v: Value): Rendered {
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

function retry(ctx: EmitCtx, s: Step, integration: Integration): Json[] | undefined {
  const rules = (effectiveRetry(ctx.p, s) ?? []).filter((r) => r.attempts > 1);
  if (!rules.length) return undefined;
  // One retrier per rule, in order: each keeps its own attempt counter, as in the IR.
  return rules.map((r) => {
    const shared = r.on.filter((c) => c !== "timeout" && c !== "any");
    if (integration === "aws" && shared.length && shared.length < 4 && !r.on.includes("any")) {
      ctx.diags.push(warning(r.pos, `step '${s.id}': retry on ${shared.join(", ")} also retries every other failure of the call (States.TaskFailed): Step Functions names each service's errors its own way`, { code: "stepfunctions-retry-broadened" }));
    }
    // Named errors after the classes' names, as written: the function's or the service's own.
    const out: { [k: string]: Json } = { ErrorEquals: [...errorNames(integration, r.on), ...(r.errors ?? [])], IntervalSeconds: Math.max(1, Math.round(r.interval)), MaxAttempts: r.attempts - 1, BackoffRate: r.backoff };
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

/** Kinds whose container takes environment variables (an endpoint only when it creates its own model). */
const ENVIRONMENT_KINDS: ReadonlySet<Step["kind"]> = new Set(["processing", "training", "tuning", "transform", "model", "register-model", "notebook", "endpoint"]);

function usesModelStep(ctx: RenderCtx, s: StepOf<"endpoint">): boolean {
  return servesModelStep(s, (id) => ctx.byId.get(id)?.kind);
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

/** A SageMaker request as the Task's Parameters. */
function job(ctx: EmitCtx, s: Step, r: Req<Rendered>): { [k: string]: Json } {
  return encodeParams(ctx, r, s.pos);
}

/** A job's name: unique per execution, copy and attempt. */
function jobName(ctx: EmitCtx, s: Step, index: number | undefined): Req<Rendered> {
  return own({ expr: jobNameExpr(s.id, index, attempts(ctx, s)), type: "string" });
}

/**
 * A ResultSelector, with the task's whole result (`from`: a Lambda's Payload,
 * else the result itself) under `response` when some step reads it; kept only
 * then, as state data is limited to 256 KiB.
 */
function selecting(ctx: EmitCtx, s: Step, sel: { [k: string]: Json }, from = "$"): { [k: string]: Json } {
  return ctx.responsesUsed.has(s.id) ? { ...sel, "response.$": from } : sel;
}

/**
 * The states `emit` writes for a step, after a Pass that computes what its values read
 * below an intrinsic's result (get() of parse(), ...): `<step>.values`, into `$.values`.
 * Returns the entry state's name.
 */
function withValues(ctx: EmitCtx, s: Step, index: number | undefined, emit: () => string): string {
  // Each part once (an intrinsic by its text, a template by its JSON), numbered in turn.
  const values: Array<string | { [k: string]: Json }> = [];
  const numbers = new Map<string, number>();
  const outer = ctx.hoist;
  ctx.hoist = (part) => {
    const key = typeof part === "string" ? part : `\u0000${JSON.stringify(part)}`;
    let i = numbers.get(key);
    if (i === undefined) numbers.set(key, (i = values.push(part) - 1));
    return `${VALUES_PATH}.v${i}`;
  };
  // The step's own states, to find a field whose expression calls more intrinsic functions than a field may.
  const put = ctx.put;
  // A list, not an object keyed by state names: each name is new, and an object would take a shape for each.
  const own: Array<[string, State]> = [];
  ctx.put = (name, state) => {
    own.push([name, state]);
    put.call(ctx, name, state);
  };
  let entry: string;
  try {
    entry = emit();
    // The first state's fields are read from the step's input, which the values Pass sees too.
    const params = own.findLast(([name]) => name === entry)?.[1].Parameters;
    if (params !== null && typeof params === "object" && !Array.isArray(params)) spreadTemplate(params, s.id, ctx.hoist);
    if (values.length) {
      const pre = stateName(copyName(s.id, index), ".values");
      const parameters = Object.fromEntries(values.map((e, i) => (typeof e === "string" ? [`v${i}.$`, e] : [`v${i}`, e])));
      ctx.put(pre, { Type: "Pass", Parameters: parameters, ResultPath: VALUES_PATH, Next: entry });
      entry = pre;
    }
  } finally {
    ctx.hoist = outer;
    ctx.put = put;
  }
  // Said once per step, not once per foreach copy, by the whole machine's build.
  if (!index && !ctx.piece) {
    // A name put twice (said as an error when put) is one state: the last put, where the name was first put.
    const states = new Set(own.map(([name]) => name)).size === own.length ? own : Object.entries(Object.fromEntries(own));
    const crowded: Crowded[] = [];
    for (const [name, st] of states) crowdedIn(name, st, crowded);
    for (const c of crowded) {
      ctx.diags.push(
        error(s.pos, `step '${s.id}': field '${c.field}' of state '${c.state}' would call ${c.calls} intrinsic functions, more than the ${INTRINSICS_PER_FIELD} AWS Step Functions allows in one field`, {
          code: "stepfunctions-intrinsics",
          hint: "compute part of the expression in an earlier step, or write it with fewer nested functions",
        }),
      );
    }
  }
  return entry;
}

export { VALUES_PATH };

/** States for one step (one foreach copy); returns the entry state's name. */
export function emitStep(ctx: EmitCtx, s: Step, index: number | undefined, next: string | undefined): string {
  return withValues(ctx, s, index, () => emitStepStates(ctx, s, index, next));
}

function emitStepStates(ctx: EmitCtx, s: Step, index: number | undefined, next: string | undefined): string {
  ctx.step = s.id;
  const name = stateName(copyName(s.id, index));
  const result = `$.steps${member(s.id)}`;
  const hasReports = (ctx.reportsUsed.get(s.id)?.size ?? 0) > 0;
  switch (s.kind) {
    case "processing": {
      const after = hasReports ? reportReads(ctx, s, index, next) : next;
      const sel: { [k: string]: Json } = { "job_name.$": "$.ProcessingJobName" };
      if (hasReports) sel.reports = {};
      const params = job(ctx, s, processingRequest(requestCtx(ctx, index), s, jobName(ctx, s, index)));
      ctx.put(name, link(task(ctx, s, ARN.processing, "sagemaker", params, { ResultSelector: selecting(ctx, s, sel), ResultPath: result }), after));
      return name;
    }
    case "notebook": {
      // Papermill runs the notebook in a processing job; the executed copy lands in the `output` output.
      const params = job(ctx, s, papermillRequest(requestCtx(ctx, index), s, jobName(ctx, s, index)));
      ctx.put(name, link(task(ctx, s, ARN.processing, "sagemaker", params, { ResultSelector: { "job_name.$": "$.ProcessingJobName" }, ResultPath: result }), next));
      return name;
    }
    case "training": {
      const params = job(ctx, s, trainingRequest(requestCtx(ctx, index), s, jobName(ctx, s, index)));
      ctx.put(name, link(task(ctx, s, ARN.training, "sagemaker", params, {
        ResultSelector: selecting(ctx, s, { "model.$": "$.ModelArtifacts.S3ModelArtifacts", "job_name.$": "$.TrainingJobName" }),
        ResultPath: result,
      }), next));
      return name;
    }
    case "tuning": {
      const params = job(ctx, s, tuningRequest(requestCtx(ctx, index), s, own({ expr: tuningJobNameExpr(s.id, index), type: "string" })));
      ctx.put(name, link(task(ctx, s, ARN.tuning, "sagemaker", params, {
        ResultSelector: selecting(ctx, s, { "best_job.$": "$.BestTrainingJob.TrainingJobName", "job_name.$": "$.HyperParameterTuningJobName" }),
        ResultPath: result,
      }), next));
      return name;
    }
    case "transform": {
      const params = job(ctx, s, transformRequest(requestCtx(ctx, index), s, jobName(ctx, s, index)));
      ctx.put(name, link(task(ctx, s, ARN.transform, "sagemaker", params, { ResultSelector: selecting(ctx, s, { "job_name.$": "$.TransformJobName" }), ResultPath: result }), next));
      return name;
    }
    case "model": {
      const params = job(ctx, s, modelRequest(requestCtx(ctx, index), s, own({ expr: modelNameExpr(s.id, index), type: "string" })));
      ctx.put(name, link(task(ctx, s, ARN.model, "sagemaker", params, { ResultSelector: selecting(ctx, s, { "arn.$": "$.ModelArn" }), ResultPath: result }), next));
      return name;
    }
    case "register-model": {
      const params = job(ctx, s, modelPackageRequest(requestCtx(ctx, index), s));
      ctx.put(name, link(task(ctx, s, ARN.registerModel, "sagemaker-sdk", params, { ResultSelector: { "arn.$": "$.ModelPackageArn" }, ResultPath: result }), next));
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
      const loop = s.repeat ? repeatLoop(ctx, s, index, name, next) : undefined;
      ctx.put(name, link(task(ctx, s, ARN.lambda, "lambda", params, { ResultSelector: selecting(ctx, s, { outputs: outs }, "$.Payload"), ResultPath: result }), loop ? loop.after : next));
      return loop ? loop.entry : name;
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
      // The response members read: declared outputs, and references into the response.
      const read = new Set([...Object.keys(s.outputs), ...(ctx.responsesUsed.get(s.id) ?? [])]);
      const res = awsTask(s.service, s.action, s.request, !!s.wait, read);
      if ("error" in res) {
        ctx.diags.push(error(s.pos, `step '${s.id}': ${res.error}`, { code: "stepfunctions-aws-service", ...(res.hint ? { hint: res.hint } : {}) }));
        return name;
      }
      // A callback: the integration's .waitForTaskToken form, answered by whoever gets the token.
      if (s.callback) res.resource = `${res.resource}.waitForTaskToken`;
      const note = s.callback ? undefined : resultNote(s.service, s.action, Object.keys(s.outputs), !!s.wait, res.resource);
      if (note) ctx.diags.push(warning(s.pos, `step '${s.id}': ${note}`, { code: "stepfunctions-aws-result" }));
      const params = (template(ctx, { kind: "map", entries: res.request, pos: s.pos }) as { obj: { [k: string]: Json } }).obj;
      if (res.polled) return emitPolled(ctx, s, index, next, res.polled, res.resource, params);
      const outs: { [k: string]: Json } = {};
      // A callback's result is what the token's sender returns, as it returns it.
      const casing = s.callback ? undefined : res.result;
      for (const o of Object.keys(s.outputs)) outs[`${o}.$`] = `$${sfnPath(casing, [o])}`;
      const loop = s.repeat ? repeatLoop(ctx, s, index, name, next) : undefined;
      // The run's id links a started execution to this one only as this execution's ARN.
      const input = startsExecution(s.service, s.action) ? params.Input : undefined;
      const key = `${STARTED_BY_EXECUTION}.$`;
      if (input && typeof input === "object" && !Array.isArray(input) && input[key] === EXECUTION_NAME) input[key] = "$$.Execution.Id";
      ctx.put(name, link(task(ctx, s, res.resource, integrationOf(res.resource), params, { ResultSelector: selecting(ctx, s, { outputs: outs }), ResultPath: result }), loop ? loop.after : next));
      return loop ? loop.entry : name;
    }
    case "wait": {
      const w = waitSeconds(ctx, s.id, s.seconds);
      ctx.put(name, link(w.wait, next));
      if (!w.compute) return name;
      const pre = stateName(copyName(s.id, index), ".seconds");
      ctx.put(pre, { ...w.compute, Next: name });
      return pre;
    }
    case "glue": {
      const params = job(ctx, s, startJobRunRequest(requestCtx(ctx, index), s));
      ctx.put(name, link(task(ctx, s, ARN.glue, "glue", params, { ResultPath: null }), next));
      return name;
    }
    case "emr": {
      const params: { [k: string]: Json } = {};
      set(params, "ClusterId", requestText(ctx, s.cluster_id));
      params.Step = job(ctx, s, stepConfig(requestCtx(ctx, index), s, s.name ? text(s.name) : k(s.id)));
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
  const rc = requestCtx(ctx, index);
  const configName = own<Rendered>({ expr: resourceNameExpr(s.id, index, "epconfig"), type: "string" });
  let modelName: Req<Rendered>;
  let entry: string;
  if (usesModelStep(ctx, s)) {
    modelName = text(s.model);
    entry = n(".config");
  } else {
    const mname = resourceNameExpr(s.id, index, "epmodel");
    modelName = own({ expr: mname, type: "string" });
    entry = n(".model");
    ctx.put(entry, quick(ctx, s, ARN.model, "sagemaker", job(ctx, s, modelRequest(rc, s, modelName)), { ResultPath: null, Next: n(".config") }));
  }
  ctx.put(n(".config"), quick(ctx, s, ARN.endpointConfig, "sagemaker", job(ctx, s, endpointConfigRequest(rc, s, configName, modelName)), { ResultSelector: { polls: 0 }, ResultPath: result, Next: name0(s, index) }));
  const ep = endpointRequest(rc, s, configName);
  // Create, or update when an endpoint of that name exists (CreateEndpoint then fails).
  ctx.put(name0(s, index), quick(ctx, s, ARN.createEndpoint, "sagemaker", job(ctx, s, ep), {
    ResultPath: null,
    Catch: [{ ErrorEquals: ["SageMaker.AmazonSageMakerException"], ResultPath: null, Next: n(".update") }],
    Next: n(".wait"),
  }));
  ctx.put(n(".update"), quick(ctx, s, ARN.updateEndpoint, "sagemaker", job(ctx, s, without(ep, "Tags")), { ResultPath: null, Next: n(".wait") }));
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
      { Or: ["Failed", "OutOfService", "UpdateRollbackFailed"].map((x) => ({ Variable: `${result}.last.status`, StringEquals: x })), Next: n(OWN_FAIL.failed) },
      { Variable: `${result}.polls`, NumericGreaterThanEquals: maxPolls - 1, Next: n(OWN_FAIL.timeout) },
    ],
    Default: n(".count"),
  });
  ctx.put(n(".count"), { Type: "Pass", Parameters: { "polls.$": `States.MathAdd(${result}.polls, 1)` }, ResultPath: result, Next: n(".wait") });
  ctx.put(n(OWN_FAIL.failed), { Type: "Fail", Error: "EndpointFailed", Cause: `endpoint rollout of step '${s.id}' ended in a failed state` });
  ctx.put(n(OWN_FAIL.timeout), { Type: "Fail", Error: "States.Timeout", Cause: `endpoint of step '${s.id}' was not InService after ${maxPolls} polls` });
  const done: { [k: string]: Json } = { "arn.$": `${result}.last.arn` };
  set(done, "name", endpointName);
  ctx.put(n(".done"), link({ Type: "Pass", Parameters: done, ResultPath: result }, next));
  return entry;
}

/**
 * A wait Step Functions has no `.sync` form for (a row of src/aws/waitable.ts without `sfn`), polled as
 * Airflow polls it: the call, then the Describe action at once and every pollSeconds, at most as many
 * times as fit in the step's timeout (a day without one). A succeeded status (and, where the row has one,
 * an outcome that is not a failed one) ends the step with the final Describe response as its result.
 */
function emitPolled(ctx: EmitCtx, s: StepOf<"aws">, index: number | undefined, next: string | undefined, row: WaitableAction, resource: string, params: { [k: string]: Json }): string {
  const n = (suffix: string) => stateName(copyName(s.id, index), suffix);
  const result = `$.steps${member(s.id)}`;
  // Both calls go through the AWS SDK integration, which spells a camelCase API's members in PascalCase.
  const started = sdkCasing(row.service, row.action);
  const described = sdkCasing(row.service, row.describe.action);
  const name = (c: ActionCasing | undefined, k: string) => (c ? String(responsePath(c, [k], true)[0]) : k);
  const describe: { [k: string]: Json } = {};
  for (const [api, src] of Object.entries(row.describe.request)) {
    const k = described ? upper1(api) : api;
    // The start call's request member as written (a constant, or the same path or intrinsic), or its response's.
    const [apiTop, ...rest] = src.path;
    const top = started ? upper1(String(apiTop)) : String(apiTop);
    const given = src.from === "request" && !rest.length && !src.list ? (top in params ? [top, params[top]] : `${top}.$` in params ? [`${top}.$`, params[`${top}.$`]] : undefined) : undefined;
    const from = `${result}.started${sfnPath(started, src.path)}`;
    if (given) describe[given[0] === top ? k : `${k}.$`] = given[1];
    else if (src.from === "response") describe[`${k}.$`] = src.list ? `States.Array(${from})` : from;
    else if (!src.optional) throw new Error(`${row.service}:${row.action}: the Describe request's ${api} is not read from the request's top member`);
  }
  const outs: { [k: string]: Json } = {};
  for (const o of Object.keys(s.outputs)) outs[`${o}.$`] = `$${member(name(described, o))}`;
  const at = (path: Array<string | number>) => `${result}.last${sfnPath(described, path)}`;
  const polls = Math.ceil((effectiveTimeout(ctx.p, s) ?? DEFAULT_WAIT_SECONDS) / ctx.pollSeconds) + 1;
  const first = stateName(copyName(s.id, index));
  // A retry retries a call; where other targets retry the task, it also starts a job that failed again.
  if (!index && !ctx.piece && effectiveRetry(ctx.p, s)?.length) {
    ctx.diags.push(warning(s.pos, `step '${s.id}': its retry rules retry each call (${row.action}, ${row.describe.action}); a job that ends badly fails the step and is not started again, where a retried Airflow task starts it again (Step Functions has no .sync form for ${row.service}:${row.action})`, { code: "stepfunctions-polled-retry" }));
  }
  ctx.put(first, quick(ctx, s, resource, integrationOf(resource), params, { ResultSelector: { ...POLLED_START }, ResultPath: result, Next: n(".status") }));
  ctx.put(n(".status"), quick(ctx, s, (sdkResource(row.service, row.describe.action) as { resource: string }).resource, integrationOf(resource), describe, { ResultPath: `${result}.last`, Next: n(".check") }));
  const any = (path: Array<string | number>, values: readonly string[]): { [k: string]: Json } =>
    values.length === 1 ? { Variable: at(path), StringEquals: values[0] } : { Or: values.map((x) => ({ Variable: at(path), StringEquals: x })) };
  const ended = row.outcome ? n(".outcome") : n(".done");
  ctx.put(n(".check"), {
    Type: "Choice",
    Comment: `poll: at most ${polls} times, ${ctx.pollSeconds} s apart`,
    Choices: [
      { ...any(row.status, row.succeeded), Next: ended },
      ...(row.failed.length ? [{ ...any(row.status, row.failed), Next: n(OWN_FAIL.failed) }] : []),
      { Variable: `${result}.polls`, NumericGreaterThanEquals: polls, Next: n(OWN_FAIL.timeout) },
    ],
    Default: n(".wait"),
  });
  ctx.put(n(".wait"), { Type: "Wait", Seconds: ctx.pollSeconds, Next: n(".count") });
  ctx.put(n(".count"), { Type: "Pass", Parameters: { "polls.$": `States.MathAdd(${result}.polls, 1)`, "started.$": `${result}.started` }, ResultPath: result, Next: n(".status") });
  if (row.outcome) {
    // Ended: how, where the row says (a crawler READY again, its last crawl FAILED). Absent, it did not fail.
    const o = row.outcome;
    ctx.put(n(".outcome"), { Type: "Choice", Choices: [{ Not: { Variable: at(o.path), IsPresent: true }, Next: n(".done") }, { ...any(o.path, o.failed), Next: n(OWN_FAIL.failed) }], Default: n(".done") });
  }
  const what = `${row.service}:${row.action} of step '${s.id}'`;
  const how = row.outcome ? `${row.outcome.path.join(".")} ${row.outcome.failed.join(" or ")}` : `${row.status.join(".")} ${row.failed.join(" or ")}`;
  ctx.put(n(OWN_FAIL.failed), { Type: "Fail", Error: "States.TaskFailed", Cause: `${what} ended with ${how}` });
  ctx.put(n(OWN_FAIL.timeout), { Type: "Fail", Error: "States.Timeout", Cause: `${what} had not ended after ${polls} ${row.describe.action} calls` });
  ctx.put(n(".done"), link({ Type: "Pass", Parameters: selecting(ctx, s, { outputs: Object.fromEntries(Object.entries(outs).map(([k, v]) => [k, `${result}.last${String(v).slice(1)}`])) }, `${result}.last`), ResultPath: result }, next));
  return first;
}

/** A path into a response as JSONPath members and indexes, recased where the AWS SDK integration spells the API's members in PascalCase. */
function sfnPath(c: ActionCasing | undefined, path: readonly (string | number)[]): string {
  return (c ? responsePath(c, path, true) : path).map((x) => (typeof x === "number" ? `[${x}]` : member(x))).join("");
}

function name0(s: Step, index: number | undefined): string {
  return stateName(copyName(s.id, index));
}

/** The Choice of a condition step; `then`/`else` are the entries of its branches. */
export function emitCondition(ctx: EmitCtx, s: StepOf<"condition">, thenEntry: string, elseEntry: string): string {
  return withValues(ctx, s, undefined, () => {
    ctx.step = s.id;
    const rule = choiceRule(ctx, s.if, ctx.hoist) ?? { Variable: "$", IsPresent: true };
    const name = stateName(s.id);
    ctx.put(name, { Type: "Choice", Choices: [{ ...rule, Next: thenEntry }], Default: elseEntry });
    return name;
  });
}
