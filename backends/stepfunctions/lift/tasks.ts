/** Task states of known integrations as IR steps; any field without an IR meaning is refused. */
import type { DataInput, DataOutput, Instance, JobKms, JobNetwork, Pos, RetryPolicy, ErrorClass, Step, StepCommon, Value } from "../../../src/ir/types.js";
import { ARN } from "../tasks.js";
import { dataProcessingFields } from "../../../src/aws/transform.js";
import { ERROR_CLASSES } from "../../../src/ir/types.js";
import { substitutionHint } from "../../../src/backend/substitute.js";
import { errorNames, integrationOf, RETRY_ERRORS, SHARED_NAMES, type Integration } from "../errors.js";
export { integrationOf } from "../errors.js";
import { canonical, field, liftValue, quietly, refuse, warn, wholeState, type Flow, type LiftCtx } from "./flow.js";
import type { JPath } from "./source.js";
import { isDeepStrictEqual } from "node:util";
import { CODE_INPUT, DEFAULT_COMMAND, PROCESSING_CODE_DIR } from "../../../src/aws/containers.js";
import { outputSuffix } from "../../../src/ir/dataflow.js";
import { TRANSFORM_OUTPUT } from "../../../src/ir/kinds.js";
import { jobNameExpr, modelNameExpr, tuningJobNameExpr } from "../names.js";
import { isShorthand, verbatimImage } from "../../../src/aws/images.js";
import { isAwsCall, liftAwsTask } from "./aws.js";
import { addableMember, type JobOperation } from "../../../src/aws/requests/members.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

/** Task fields every lifted task may carry; the rest of the state is refused field by field. */
const TASK_FIELDS = new Set(["Type", "Resource", "Parameters", "Next", "End", "Comment", "TimeoutSeconds", "Retry", "ResultPath", "ResultSelector", "Catch"]);

/** Fields the IR decides itself: dropped with a warning saying so. */
const DECIDED_BY_IR = new Set(["TrainingJobName", "ProcessingJobName", "TransformJobName", "HyperParameterTuningJobName", "ModelName", "RoleArn", "ExecutionRoleArn"]);

/** Remove known keys (plain or `.$`) and refuse what is left. */
/**
 * A categorical range's values: a list of texts, as written or (text lowering
 * would not leave plain in a list) built by States.Array. The IR holds literal
 * texts only.
 */
function categories(ctx: LiftCtx, flow: Flow, r: Obj, at: JPath): string[] {
  const v = field(ctx, flow, r, "Values", at);
  if (v === undefined) return [];
  const items = v.kind === "list" ? v.items : [v];
  if (items.every((x) => x.kind === "literal" && typeof x.value !== "object")) return items.map((x) => String((x as { value: unknown }).value));
  refuse(ctx, [...at, "Values.$" in r ? "Values.$" : "Values"], "the values of a categorical range are read from the data; the IR keeps a list of texts written out");
  return [];
}

/** AppManaged false is the API's default, which the SageMaker SDK writes out: no field of its own. */
const appManagedDefault = (o: Obj): string[] => (o.AppManaged === false ? ["AppManaged"] : []);

/**
 * Top-level members of a job's request that no IR field holds but a step may add as written (`request`):
 * lifted as values, and named in `known` so leftovers() passes them.
 */
function addedMembers(ctx: LiftCtx, flow: Flow, p: Obj, op: JobOperation, known: string[], at: JPath): Record<string, Value> | undefined {
  const out: Record<string, Value> = {};
  for (const k of Object.keys(p)) {
    const base = k.endsWith(".$") ? k.slice(0, -2) : k;
    if (known.includes(base) || DECIDED_BY_IR.has(base) || !addableMember(op, base)) continue;
    known.push(base);
    const v = field(ctx, flow, p, base, at);
    if (v) out[base] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * A value read from where the job's name was read (the SDK passes it as the `sagemaker_job_name`
 * hyperparameter): the name is Switchyard's now, so the value no longer names the job. Said at each.
 */
function sameAsJobName(ctx: LiftCtx, p: Obj, nameKey: string, members: unknown, at: JPath, what: string): void {
  const from = p[`${nameKey}.$`];
  if (typeof from !== "string" || !isObj(members)) return;
  for (const [k, v] of Object.entries(members)) {
    if (k.endsWith(".$") && v === from) warn(ctx, [...at, k], `${what} '${k.slice(0, -2)}' is read from ${from}, as ${nameKey} was; Switchyard names the job itself, so it no longer carries the job's name`);
  }
}

function leftovers(ctx: LiftCtx, obj: Obj, known: string[], at: JPath, what: string): void {
  for (const k of Object.keys(obj)) {
    const base = k.endsWith(".$") ? k.slice(0, -2) : k;
    if (known.includes(base)) continue;
    if (base in ctx.expectedNames && isDeepStrictEqual(obj[k], ctx.expectedNames[base])) continue;
    if ((base === "RoleArn" || base === "ExecutionRoleArn") && DECIDED_BY_IR.has(base)) {
      // The pipeline has one role: the same role here is kept exactly; another would run the job as someone else.
      if (k === base && (obj[k] === ctx.role || (ctx.givenRole && obj[k] === ctx.fileRole))) continue;
      const written = k === base ? JSON.stringify(obj[k]) : `taken from '${String(obj[k])}'`;
      if (ctx.givenRole) warn(ctx, [...at, k], `${base} ${written} is replaced by the role given with --role (${ctx.givenRole}): a pipeline runs every job as one role`);
      else if (ctx.role) refuse(ctx, [...at, k], `${base} ${written} differs from the role the other jobs run as (${ctx.role}): a pipeline runs every job as one role`, "give the role every job should run as with --role");
      else refuse(ctx, [...at, k], `${base} ${written} is no IAM role ARN written out: a pipeline runs every job as one literal role`, "give it with --role");
      continue;
    }
    if (DECIDED_BY_IR.has(base)) {
      warn(ctx, [...at, k], `${base} is not kept: Switchyard names the jobs and models it creates`);
      continue;
    }
    refuse(ctx, [...at, k], `field '${base}' of ${what} has no IR equivalent`);
  }
}

/** What every lifted step starts from: its id, the state's name where it differs, and its dependencies. */
export function common(id: string, name: string, pos: Pos, deps: string[]): StepCommon {
  return { id, ...(id !== name ? { display_name: name } : {}), depends_on: deps, tags: {}, environment: {}, targets: {}, pos };
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

/** Every ordered choice of distinct classes, smallest first (largest first where `largest`). */
function arrangements(cls: readonly ErrorClass[], largest: boolean): ErrorClass[][] {
  const out: ErrorClass[][] = [];
  const grow = (prefix: ErrorClass[]) => {
    for (const c of cls) {
      if (prefix.includes(c)) continue;
      out.push([...prefix, c]);
      grow([...prefix, c]);
    }
  };
  grow([]);
  return out.sort((a, b) => (largest ? b.length - a.length : a.length - b.length));
}

/** The integrations an approval step is read from: where the request goes and which member carries it. */
const APPROVAL_CHANNELS: Record<string, { integration: string; target: "QueueUrl" | "FunctionName"; body: "MessageBody" | "Payload"; what: string }> = {
  "arn:aws:states:::sqs:sendMessage.waitForTaskToken": { integration: "sqs:sendMessage", target: "QueueUrl", body: "MessageBody", what: "an SQS message" },
  "arn:aws:states:::lambda:invoke.waitForTaskToken": { integration: "lambda:invoke", target: "FunctionName", body: "Payload", what: "a Lambda invocation" },
};

/**
 * The error classes whose names, as lowering writes them, are exactly these names (in order if possible), and
 * exactly the names of `also` (the same rule lowered for other integrations, which can tell apart classes that
 * share a name here).
 */
export function classesFor(integration: Integration, names: string[], also: ReadonlyArray<{ integration: Integration; names: string[] }> = []): ErrorClass[] | undefined {
  if (names.includes("States.ALL")) return names.length === 1 ? ["any"] : undefined;
  const cls = ERROR_CLASSES.filter((c) => c !== "any");
  let sameSet: ErrorClass[] | undefined;
  // Where classes share a name, the largest set lowering maps to these names is what they mean.
  for (const on of arrangements(cls, SHARED_NAMES.includes(integration))) {
    const n = errorNames(integration, on);
    if (isDeepStrictEqual(n, names) && also.every((a) => isDeepStrictEqual(errorNames(a.integration, on), a.names))) return on;
    if (!sameSet && n.length === names.length && n.every((x) => names.includes(x))) sameSet = on;
  }
  return sameSet;
}

/**
 * Where no classes lower to exactly these names: the classes whose names hold every one of them with the fewest
 * others (the names lowering adds, which the rule then matches too), in the order the names first appear; none
 * when a name belongs to no class (a service's own exception, such as Glue.CrawlerRunningException).
 */
export function coverFor(integration: Integration, names: string[]): { on: ErrorClass[]; added: string[] } | undefined {
  if (!names.length || names.includes("States.ALL")) return undefined;
  const cls = ERROR_CLASSES.filter((c) => c !== "any");
  let best: { on: ErrorClass[]; added: string[] } | undefined;
  for (let mask = 1; mask < 1 << cls.length; mask++) {
    const on = cls.filter((_, i) => mask & (1 << i));
    const lowered = errorNames(integration, on);
    // States.Timeout also matches a missed heartbeat: it stands for States.HeartbeatTimeout too.
    if (!names.every((n) => lowered.includes(n) || (n === "States.HeartbeatTimeout" && lowered.includes("States.Timeout")))) continue;
    const added = lowered.filter((n) => !names.includes(n));
    if (!best || added.length < best.added.length || (added.length === best.added.length && on.length < best.on.length)) best = { on, added };
  }
  if (!best) return undefined;
  // In the order the file names them, as lowering writes the user's order.
  const first = (c: ErrorClass) => Math.min(...RETRY_ERRORS[integration][c].map((n) => (names.includes(n) ? names.indexOf(n) : names.length)));
  return { on: [...best.on].sort((a, b) => first(a) - first(b)), added: best.added };
}

/** The warning of error names read as the classes that cover them: what lowering writes besides (a retrier retries, a handler catches). */
export function coverWarning(names: string[], cover: { on: ErrorClass[]; added: string[] }, does: string): string {
  const classes = `${cover.on.map((c) => `'${c}'`).join(" and ")} error ${cover.on.length > 1 ? "classes" : "class"}`;
  const heartbeat = names.includes("States.HeartbeatTimeout") ? " (States.Timeout matches a missed heartbeat as well as TimeoutSeconds)" : "";
  return `errors ${JSON.stringify(names)} are read as the IR's ${classes}, which on this service also ${cover.added.length > 1 ? "name" : "names"} ${cover.added.join(", ")}: lowered again, the ${does} ${cover.added.length > 1 ? "those" : "that"} too${heartbeat}`;
}

/** What the IR's error classes are called on an integration: the hint of a refusal of other names. */
export function errorClassesHint(integration: Integration): string {
  const shown = ERROR_CLASSES.map((c) => `${c} (${RETRY_ERRORS[integration][c].join(", ")})`);
  return `the IR's error classes are, on this service: ${shown.join("; ")}; other Step Functions errors (States.*) have none`;
}

/**
 * Error names split into those the IR's classes are called on these integrations (and any other `States.*`,
 * Step Functions' own), and the rest: a function's or a service's own errors, which the IR names as written.
 */
export function splitErrorNames(integrations: readonly Integration[], names: string[]): { known: string[]; own: string[] } {
  const table = new Set(integrations.flatMap((i) => Object.values(RETRY_ERRORS[i]).flat()));
  const known = names.filter((n) => table.has(n) || n.startsWith("States."));
  // A name written twice matches what it matches once.
  return { known, own: [...new Set(names.filter((n) => !known.includes(n)))] };
}

/** One ASL retrier as an IR policy; error names mapped back through the table. */
function liftRetrier(ctx: LiftCtx, r: Obj, at: JPath, integration: Integration, also: ReadonlyArray<{ integration: Integration; names: string[] }>): RetryPolicy | undefined {
  const { known: names, own } = splitErrorNames([integration], (Array.isArray(r.ErrorEquals) ? r.ErrorEquals : []).map(String));
  const knownAlso = also.map((a) => ({ integration: a.integration, names: splitErrorNames([a.integration], a.names).known }));
  let on = names.length ? (classesFor(integration, names, knownAlso) ?? classesFor(integration, names)) : [];
  const cover = on ? undefined : coverFor(integration, names);
  if (cover) {
    on = cover.on;
    // No name added: States.Timeout stands for a missed heartbeat named beside it, and matches the same errors.
    if (cover.added.length) warn(ctx, [...at, "ErrorEquals"], coverWarning(names, cover, "retrier retries"));
  }
  let ok = true;
  if (!on) ok = !!refuse(ctx, [...at, "ErrorEquals"], `errors ${JSON.stringify(names)} are not the names of any IR error classes on this service`, errorClassesHint(integration));
  if (on?.includes("any") && own.length) ok = !!refuse(ctx, [...at, "ErrorEquals"], "States.ALL must be the only error a retrier names");
  for (const k of Object.keys(r)) if (!["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"].includes(k)) ok = !!refuse(ctx, [...at, k], `retrier field '${k}' has no IR equivalent`);
  if (r.JitterStrategy !== undefined && r.JitterStrategy !== "FULL" && r.JitterStrategy !== "NONE") ok = !!refuse(ctx, [...at, "JitterStrategy"], `JitterStrategy '${String(r.JitterStrategy)}' has no IR equivalent`);
  if (!ok || !on) return undefined;
  return {
    attempts: (num(r.MaxAttempts) ?? 3) + 1,
    interval: num(r.IntervalSeconds) ?? 1,
    backoff: num(r.BackoffRate) ?? 2,
    on,
    ...(own.length ? { errors: own } : {}),
    ...(typeof r.MaxDelaySeconds === "number" ? { max_delay: r.MaxDelaySeconds } : {}),
    ...(r.JitterStrategy === "FULL" ? { jitter: true } : {}),
    pos: ctx.src.pos(at),
  };
}

/**
 * Retry: one IR rule per retrier, in order, each with its own attempt counter (never merged). `also`: other
 * Task states of the same step, whose retriers name the same classes for their own integrations.
 */
export function liftRetry(ctx: LiftCtx, st: Obj, at: JPath, also: Obj[] = []): RetryPolicy[] | undefined {
  const rs = st.Retry;
  if (!Array.isArray(rs) || !rs.length) return undefined;
  const namesOf = (x: Obj, i: number) => (Array.isArray(x.Retry) && isObj(x.Retry[i]) && Array.isArray((x.Retry[i] as Obj).ErrorEquals) ? ((x.Retry[i] as Obj).ErrorEquals as unknown[]).map(String) : undefined);
  const others = (i: number) => also.flatMap((x) => (namesOf(x, i) ? [{ integration: integrationOf(String(x.Resource)), names: namesOf(x, i)! }] : []));
  const rules = rs.map((r, i) => liftRetrier(ctx, r as Obj, [...at, "Retry", i], integrationOf(String(st.Resource)), others(i)));
  // A retrier that never retries (MaxAttempts 0) is not lowered back: it is refused rather than dropped.
  rules.forEach((r, i) => r && r.attempts <= 1 && refuse(ctx, [...at, "Retry", i, "MaxAttempts"], "a retrier with MaxAttempts 0 (which only stops later retriers from matching) has no IR equivalent"));
  return rules.every((r) => r && r.attempts > 1) ? (rules as RetryPolicy[]) : undefined;
}

/**
 * Rules already read from a step's job state (`integration`), read again together with another Task state of
 * the same step (a report read), whose error names can tell apart classes that share a name in the job's.
 */
export function refineRetry(rules: RetryPolicy[], integration: Integration, other: Obj): void {
  rules.forEach((r, i) => {
    const rs = Array.isArray(other.Retry) ? (other.Retry as Obj[]) : [];
    const names = rs[i] && Array.isArray(rs[i].ErrorEquals) ? (rs[i].ErrorEquals as unknown[]).map(String) : undefined;
    if (!names || !r.on.length) return;
    const otherIntegration = integrationOf(String(other.Resource));
    const on = classesFor(integration, errorNames(integration, r.on), [{ integration: otherIntegration, names: splitErrorNames([otherIntegration], names).known }]);
    if (on) r.on = on;
  });
}

/** Request members that are objects or lists in the API: taking one whole from a path hides its fields. */
const STRUCT_FIELDS = new Set([
  "AlgorithmSpecification", "ResourceConfig", "InputDataConfig", "OutputDataConfig", "StoppingCondition", "HyperParameters", "StaticHyperParameters",
  "PrimaryContainer", "Containers", "TransformInput", "TransformOutput", "TransformResources", "AppSpecification", "ProcessingResources",
  "ProcessingInputs", "ProcessingOutputConfig", "Environment", "ProductionVariants", "HyperParameterTuningJobConfig", "TrainingJobDefinition",
  "Payload", "MessageBody", "Tags", "Arguments", "DataSource", "S3DataSource", "S3Input", "S3Output", "ClusterConfig", "VpcConfig", "NetworkConfig",
  "HadoopJarStep", "Step", "InferenceSpecification",
]);

/** Refuse every `Field.$` (at any depth) that takes a whole request object from a path; true if one was found. */
function wholeObjects(ctx: LiftCtx, o: unknown, at: JPath, allowTop: ReadonlySet<string> = new Set()): boolean {
  let found = false;
  if (Array.isArray(o)) o.forEach((x, i) => (found = wholeObjects(ctx, x, [...at, i]) || found));
  else if (isObj(o)) {
    for (const [k, v] of Object.entries(o)) {
      const base = k.endsWith(".$") ? k.slice(0, -2) : undefined;
      if (base !== undefined && STRUCT_FIELDS.has(base) && !allowTop.has(base)) {
        refuse(ctx, [...at, k], `${base} is taken whole from '${String(v)}' at run time; the IR needs its fields written out`);
        found = true;
      } else found = wholeObjects(ctx, v, [...at, k]) || found;
    }
  }
  return found;
}

/** The request fields (at any depth) taken whole from a path, as written (`Field.$`). */
/** Members the IR holds as written-out numbers only (a step's timeout): taken from a path, the request goes as it is. */
const LITERAL_ONLY = new Set(["MaxRuntimeInSeconds", "MaxWaitTimeInSeconds", "MaxPendingTimeInSeconds"]);

function wholeFields(o: unknown, out: string[] = []): string[] {
  if (Array.isArray(o)) o.forEach((x) => wholeFields(x, out));
  else if (isObj(o)) {
    for (const [k, v] of Object.entries(o)) {
      if (k.endsWith(".$") && (STRUCT_FIELDS.has(k.slice(0, -2)) || LITERAL_ONLY.has(k.slice(0, -2)))) out.push(k.slice(0, -2));
      else wholeFields(v, out);
    }
  }
  return out;
}

/** SageMaker resources that are step kinds, and the resource an aws step sends them through when their request is taken whole from data. */
const WHOLE_REQUEST_AS_AWS: Readonly<Record<string, string>> = {
  ...Object.fromEntries([ARN.training, ARN.processing, ARN.transform, ARN.tuning].map((r) => [r, r])),
  [ARN.model]: ARN.model.replace(":::sagemaker:", ":::aws-sdk:sagemaker:"),
};

/** S3DataType as the IR's data_type (absent for the default S3Prefix); false when refused. */
function dataType(ctx: LiftCtx, s3: Obj, at: JPath): { data_type?: "ManifestFile" | "AugmentedManifestFile" } | false {
  const t = s3.S3DataType;
  if (t === undefined || t === "S3Prefix") return {};
  if (t === "ManifestFile" || t === "AugmentedManifestFile") return { data_type: t };
  refuse(ctx, [...at, "S3DataType"], `S3DataType '${String(t)}' has no IR equivalent`);
  return false;
}

export function instance(ctx: LiftCtx, flow: Flow, o: Obj | undefined, at: JPath, keys: { type: string; count: string; volume?: string; also?: string[] }): Instance | undefined {
  if (!o) return undefined;
  const type = field(ctx, flow, o, keys.type, at);
  if (!type) return undefined;
  const count = field(ctx, flow, o, keys.count, at, "integer");
  const volume = keys.volume ? field(ctx, flow, o, keys.volume, at, "integer") : undefined;
  leftovers(ctx, o, [keys.type, keys.count, ...(keys.volume ? [keys.volume] : []), ...(keys.also ?? [])], at, "the instance settings");
  return { type, ...(count ? { count } : {}), ...(volume ? { volume_gb: volume } : {}), pos: ctx.src.pos(at) };
}

export function strMap(ctx: LiftCtx, flow: Flow, o: unknown, at: JPath): Record<string, Value> {
  const v = isObj(o) ? liftValue(ctx, flow, o, at) : undefined;
  return v && v.kind === "map" ? v.entries : {};
}

/**
 * An output location: one of the IR's own layout (`<artifacts>/<execution>/<step>/<output>`)
 * fixes `artifacts` (undefined is returned); any other is returned to be kept as the output's destination.
 */
function outputAt(ctx: LiftCtx, flow: Flow, obj: Obj | undefined, key: string, at: JPath, step: string, output: string): Value | undefined {
  const v = obj ? field(ctx, flow, obj, key, at) : undefined;
  if (v?.kind === "join" && v.parts.length === 3) {
    const [a, e, b] = v.parts;
    if (a.kind === "literal" && typeof a.value === "string" && a.value.endsWith("/") && e.kind === "ref" && e.ref.scope === "execution" && e.ref.name === "id" && b.kind === "literal" && b.value === outputSuffix(step, output, ctx.copyIndex)) {
      const artifacts = a.value.slice(0, -1);
      if (ctx.artifacts === undefined || ctx.artifacts === artifacts) {
        ctx.artifacts = artifacts;
        return undefined;
      }
    }
  }
  // Any other location is kept as the output's own destination.
  return v;
}

/** A code file Switchyard uploaded: `<artifacts>/code/<sha256 prefix>/<file>`. */
function codeFile(ctx: LiftCtx, uri: unknown, at: JPath): import("../../../src/ir/types.js").CodeFile | undefined {
  const m = typeof uri === "string" ? /^(s3:\/\/.+)\/code\/([0-9a-f]{16})\/([^/]+)$/.exec(uri) : null;
  if (!m || (ctx.artifacts !== undefined && ctx.artifacts !== m[1])) return undefined;
  ctx.artifacts = m[1];
  warn(ctx, at, `code file '${m[3]}' is read from ${uri}: put that file beside the lifted pipeline`);
  return { path: m[3], sha256: m[2], pos: ctx.src.pos(at) };
}

/** VpcConfig { Subnets, SecurityGroupIds } as the IR's vpc. */
function liftVpc(ctx: LiftCtx, flow: Flow, o: unknown, at: JPath): JobNetwork["vpc"] | undefined {
  if (!isObj(o)) return undefined;
  const list = (k: string) => {
    const v = field(ctx, flow, o, k, at);
    return v?.kind === "list" ? v.items : v ? [v] : [];
  };
  leftovers(ctx, o, ["Subnets", "SecurityGroupIds"], at, "VpcConfig");
  return { subnets: list("Subnets"), security_groups: list("SecurityGroupIds"), pos: ctx.src.pos(at) };
}

/** Network settings of a job: isolation, traffic encryption, VPC (training: top-level members; processing: NetworkConfig). */
function liftNetwork(ctx: LiftCtx, flow: Flow, o: Obj, at: JPath): JobNetwork | undefined {
  const iso = o.EnableNetworkIsolation;
  const enc = o.EnableInterContainerTrafficEncryption;
  for (const [k, v] of [["EnableNetworkIsolation", iso], ["EnableInterContainerTrafficEncryption", enc]] as const) if (v !== undefined && typeof v !== "boolean") refuse(ctx, [...at, k], `${k} must be a literal true or false`);
  const vpc = liftVpc(ctx, flow, o.VpcConfig, [...at, "VpcConfig"]);
  if (iso === undefined && enc === undefined && !vpc) return undefined;
  return { ...(typeof iso === "boolean" ? { isolation: iso } : {}), ...(typeof enc === "boolean" ? { encrypt_traffic: enc } : {}), ...(vpc ? { vpc } : {}), pos: ctx.src.pos(at) };
}

function liftKms(ctx: LiftCtx, flow: Flow, volume: [Obj | undefined, JPath], output: [Obj | undefined, JPath], at: JPath): JobKms | undefined {
  const v = volume[0] ? field(ctx, flow, volume[0], "VolumeKmsKeyId", volume[1]) : undefined;
  const o = output[0] ? field(ctx, flow, output[0], "KmsKeyId", output[1]) : undefined;
  return v || o ? { ...(v ? { volume: v } : {}), ...(o ? { output: o } : {}), pos: ctx.src.pos(at) } : undefined;
}

/**
 * A literal image is kept as written, unless the IR would read it as a shorthand
 * (xgboost:1.7-1) and send another image; text that is no registry URI is kept with a warning.
 */
function imageUri(ctx: LiftCtx, v: Value | undefined, at: JPath): Value | undefined {
  if (v?.kind !== "literal" || typeof v.value !== "string") return v;
  if (isShorthand(v.value)) return refuse(ctx, at, `image '${v.value}' has no registry, so the IR would read it as an image shorthand and send another image`);
  const why = verbatimImage(v.value);
  const sub = /\$\{[^{}]*\}/.exec(v.value)?.[0];
  if (why) warn(ctx, at, why, sub ? substitutionHint(sub) : undefined);
  return v;
}

/** Tags as a Key/Value list of literal strings. */
export function liftTags(ctx: LiftCtx, t: unknown, at: JPath): Record<string, string> | undefined {
  if (t === undefined) return {};
  if (!Array.isArray(t) || !t.every((x) => isObj(x) && typeof x.Key === "string" && typeof x.Value === "string" && Object.keys(x).length === 2)) {
    refuse(ctx, at, "Tags other than a list of literal Key/Value strings have no IR equivalent");
    return undefined;
  }
  return Object.fromEntries((t as Obj[]).map((x) => [x.Key as string, x.Value as string]));
}

/** A job's StoppingCondition: SageMaker's own default (1 day) is no timeout at all. */
function stoppingTimeout(ctx: LiftCtx, base: StepCommon, stop: unknown, at: JPath): void {
  if (isObj(stop)) leftovers(ctx, stop, ["MaxRuntimeInSeconds"], at, "StoppingCondition");
  if (!isObj(stop) || typeof stop.MaxRuntimeInSeconds !== "number") return;
  if (base.timeout === undefined) {
    if (stop.MaxRuntimeInSeconds !== 86400) base.timeout = stop.MaxRuntimeInSeconds;
  } else if (stop.MaxRuntimeInSeconds !== Math.ceil(base.timeout)) {
    // The IR has one timeout: the state's TimeoutSeconds and the job's MaxRuntimeInSeconds both become it.
    warn(ctx, [...at, "MaxRuntimeInSeconds"], `MaxRuntimeInSeconds ${stop.MaxRuntimeInSeconds} is not kept: the lifted job may run as long as the state's TimeoutSeconds (${base.timeout})`);
  }
}

/**
 * A notebook step as lowering writes it: papermill runs the uploaded notebook
 * (`<code dir>/<nb> <output dir>/<nb> -k <kernel> [-p name value]...`) and the
 * executed copy goes to the `output` output.
 */
function notebookOf(entry: string[] | undefined, args: Value | undefined, inputs: Record<string, DataInput>, code: import("../../../src/ir/types.js").CodeFile | undefined, outputs: Record<string, DataOutput>): { notebook: import("../../../src/ir/types.js").CodeFile; kernel: string; parameters: Record<string, Value> } | undefined {
  if (!code || !isDeepStrictEqual(entry, ["papermill"]) || Object.keys(inputs).length || args?.kind !== "list") return undefined;
  const out = outputs.output;
  if (!out || Object.keys(outputs).length !== 1 || out.path !== "/opt/ml/processing/output") return undefined;
  const a = args.items;
  const lit = (i: number) => (a[i]?.kind === "literal" ? (a[i] as { value: unknown }).value : undefined);
  if (lit(0) !== `${PROCESSING_CODE_DIR}/${code.path}` || lit(1) !== `/opt/ml/processing/output/${code.path}` || lit(2) !== "-k" || typeof lit(3) !== "string" || (a.length - 4) % 3 !== 0) return undefined;
  const parameters: Record<string, Value> = {};
  for (let i = 4; i < a.length; i += 3) {
    if (lit(i) !== "-p" || typeof lit(i + 1) !== "string") return undefined;
    parameters[lit(i + 1) as string] = a[i + 2];
  }
  return { notebook: code, kernel: lit(3) as string, parameters };
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
  for (const k of Object.keys(st)) {
    if (TASK_FIELDS.has(k) || (k === "OutputPath" && typeof st.OutputPath === "string") || (k === "InputPath" && st.InputPath === "$")) continue;
    // An own foreach copy that keeps no result hands back {} (see ownResult).
    if (k === "OutputPath" && st.OutputPath === null && ctx.own && ctx.copyIndex !== undefined) continue;
    if (k === "HeartbeatSeconds" && typeof st.HeartbeatSeconds === "number") continue;
    refuse(ctx, [...at, k], `field '${k}' of a Task state has no IR equivalent`);
  }
  const base = common(id, name, pos, deps);
  // A heartbeat is a Step Functions setting of the step, which lowering writes into its Task state again (other targets say they do not apply it).
  if (typeof st.HeartbeatSeconds === "number") base.targets.stepfunctions = { settings: { HeartbeatSeconds: st.HeartbeatSeconds }, pos: ctx.src.pos([...at, "HeartbeatSeconds"]) };
  const retry = liftRetry(ctx, st, at);
  if (retry) base.retry = retry;
  if (typeof st.TimeoutSeconds === "number") base.timeout = st.TimeoutSeconds;
  // AWS SAM / CloudFormation (and the docs, as <PARTITION>) write the partition as a placeholder; it is `aws` here.
  const resource = String(st.Resource).replace(/^arn:(\$\{(AWS::Partition|[Pp]artition)\}|<PARTITION>):/, "arn:aws:");
  let p = (isObj(st.Parameters) ? st.Parameters : {}) as Obj;
  const pAt = paramsAt ?? [...at, "Parameters"];
  const attemptsN = 1 + (base.retry ?? []).reduce((n, r) => n + r.attempts - 1, 0);
  // Resource names that are exactly what lowering writes for this step are not worth a warning.
  ctx.expectedNames = {
    TrainingJobName: jobNameExpr(id, ctx.copyIndex, attemptsN),
    ProcessingJobName: jobNameExpr(id, ctx.copyIndex, attemptsN),
    TransformJobName: jobNameExpr(id, ctx.copyIndex, attemptsN),
    HyperParameterTuningJobName: tuningJobNameExpr(id, ctx.copyIndex),
    ModelName: modelNameExpr(id, ctx.copyIndex),
    ...(ctx.role ? { RoleArn: ctx.role, ExecutionRoleArn: ctx.role } : {}),
  };
  if (resource.includes(":sagemaker:") && !isAwsCall(resource) && "Tags" in p) {
    const t = liftTags(ctx, p.Tags, [...pAt, "Tags"]);
    if (t) base.tags = t;
    p = { ...p };
    delete p.Tags;
  }
  // "X needs Y" only when reading Y did not already say why it failed.
  const errorsNow = () => ctx.diags.filter((d) => d.severity === "error").length + ctx.quietFails;
  const e0 = errorsNow();
  const need = (where: JPath, msg: string) => (errorsNow() > e0 ? undefined : refuse(ctx, where, msg));
  // A job started without waiting is one API call: an aws step, sent through the SDK integration.
  const start = SAGEMAKER_SYNC.exec(resource);
  if (start && !start[2]) {
    const sdk = resource.replace("arn:aws:states:::sagemaker:", "arn:aws:states:::aws-sdk:sagemaker:");
    warn(ctx, [...at, "Resource"], `${start[1]} without .sync only starts the job: lifted as an aws step that calls the action and does not wait, written back through ${sdk.replace("arn:aws:states:::", "")} (the same request; service errors then carry that integration's names)`);
    return liftAwsTask(ctx, flow, st, at, base, sdk) ?? undefined;
  }
  // A SageMaker job or model whose request objects are taken whole from the data (the Data Science SDK's
  // ExecutionInput placeholders): the IR's job steps hold fields written out, an aws step holds the request as it is.
  const asAws = WHOLE_REQUEST_AS_AWS[resource];
  const taken = asAws ? [...new Set(wholeFields(st.Parameters))] : [];
  if (asAws && taken.length) {
    const call = asAws.replace(/^arn:aws:states:::(aws-sdk:)?/, "");
    warn(ctx, [...at, "Resource"], `the request takes ${taken.join(", ")} ${taken.every((x) => LITERAL_ONLY.has(x)) ? "" : "whole "}from the data at run time: lifted as an aws step that sends it as written (${call}${call.endsWith(".sync") ? ", waiting for the job" : ""}), not as a ${resource.includes("createModel") ? "model" : "job"} step; Switchyard does not name the resource, and SageMaker Pipelines cannot run it`);
    return liftAwsTask(ctx, flow, st, at, base, asAws) ?? undefined;
  }
  // An aws request is the API's own: its members are read as values, whatever their shape.
  // A Lambda payload may be one value (the IR's payload_value).
  // A function's payload is its own data, whatever its keys are called: only the request around it is looked into.
  const request = resource === "arn:aws:states:::lambda:invoke" && isObj(st.Parameters) ? Object.fromEntries(Object.entries(st.Parameters).filter(([k]) => k !== "Payload" && k !== "Payload.$")) : st.Parameters;
  if (!isAwsCall(resource) && wholeObjects(ctx, request, pAt)) return undefined;
  const sync = SAGEMAKER_SYNC.exec(resource);
  if (sync?.[1] === "createTrainingJob") {
    const algo = isObj(p.AlgorithmSpecification) ? p.AlgorithmSpecification : {};
    const image = imageUri(ctx, field(ctx, flow, algo, "TrainingImage", [...pAt, "AlgorithmSpecification"]), [...pAt, "AlgorithmSpecification", "TrainingImage"]);
    if (!image) return need(pAt, "a training job needs AlgorithmSpecification.TrainingImage");
    leftovers(ctx, algo, ["TrainingImage", "TrainingInputMode", "MetricDefinitions", "ContainerEntrypoint", "ContainerArguments"], [...pAt, "AlgorithmSpecification"], "AlgorithmSpecification");
    const metrics = Array.isArray(algo.MetricDefinitions) ? (algo.MetricDefinitions as Obj[]) : [];
    const metric_definitions = metrics.map((m, i) => ({ name: String(m.Name), regex: String(m.Regex), pos: ctx.src.pos([...pAt, "AlgorithmSpecification", "MetricDefinitions", i]) }));
    const inputs: Record<string, DataInput> = {};
    let code: import("../../../src/ir/types.js").CodeFile | undefined;
    for (const [i, ch] of ((p.InputDataConfig as Obj[]) ?? []).entries()) {
      const cAt = [...pAt, "InputDataConfig", i];
      const s3 = (isObj(ch.DataSource) && isObj(ch.DataSource.S3DataSource) ? ch.DataSource.S3DataSource : {}) as Obj;
      if (ch.ChannelName === CODE_INPUT && !code) {
        const c = codeFile(ctx, s3.S3Uri, cAt);
        if (c && isDeepStrictEqual(algo.ContainerEntrypoint, [...DEFAULT_COMMAND, `/opt/ml/input/data/${CODE_INPUT}/${c.path}`])) {
          code = c;
          continue;
        }
      }
      const source = field(ctx, flow, s3, "S3Uri", [...cAt, "DataSource", "S3DataSource"]);
      if (!source) return need(cAt, "a channel needs DataSource.S3DataSource.S3Uri");
      const dt = dataType(ctx, s3, [...cAt, "DataSource", "S3DataSource"]);
      if (!dt) return undefined;
      leftovers(ctx, s3, ["S3Uri", "S3DataType", "S3DataDistributionType"], [...cAt, "DataSource", "S3DataSource"], "an S3 data source");
      leftovers(ctx, ch, ["ChannelName", "DataSource", "ContentType", "CompressionType", "InputMode"], cAt, "a channel");
      inputs[String(ch.ChannelName)] = {
        source,
        ...dt,
        pos: ctx.src.pos(cAt),
        ...(typeof ch.ContentType === "string" ? { content_type: ch.ContentType } : {}),
        ...(s3.S3DataDistributionType === "ShardedByS3Key" ? { distribution: "ShardedByS3Key" as const } : {}),
        ...(ch.CompressionType === "Gzip" || ch.CompressionType === "None" ? { compression: ch.CompressionType } : {}),
        ...(ch.InputMode === "File" || ch.InputMode === "Pipe" || ch.InputMode === "FastFile" ? { mode: ch.InputMode } : {}),
      };
    }
    const algoAt = [...pAt, "AlgorithmSpecification"];
    const entryV = !code ? field(ctx, flow, algo, "ContainerEntrypoint", algoAt) : undefined;
    const argsV = field(ctx, flow, algo, "ContainerArguments", algoAt);
    for (const [k, v] of [["ContainerEntrypoint", entryV], ["ContainerArguments", argsV]] as const) if (v && v.kind !== "list") refuse(ctx, [...algoAt, k], `${k} must be a list the IR can read item by item`);
    const odc = (isObj(p.OutputDataConfig) ? p.OutputDataConfig : undefined) as Obj | undefined;
    const output_path = odc ? outputAt(ctx, flow, odc, "S3OutputPath", [...pAt, "OutputDataConfig"], id, "model") : undefined;
    if (odc) leftovers(ctx, odc, ["S3OutputPath", "KmsKeyId"], [...pAt, "OutputDataConfig"], "OutputDataConfig");
    const network = liftNetwork(ctx, flow, p, pAt);
    const kms = liftKms(ctx, flow, [isObj(p.ResourceConfig) ? p.ResourceConfig : undefined, [...pAt, "ResourceConfig"]], [odc, [...pAt, "OutputDataConfig"]], pAt);
    let spot: { max_wait: number; pos: Pos } | undefined;
    const stop = isObj(p.StoppingCondition) ? p.StoppingCondition : {};
    if (p.EnableManagedSpotTraining === true && typeof stop.MaxWaitTimeInSeconds === "number") {
      leftovers(ctx, stop, ["MaxRuntimeInSeconds", "MaxWaitTimeInSeconds"], [...pAt, "StoppingCondition"], "StoppingCondition");
      spot = { max_wait: stop.MaxWaitTimeInSeconds, pos: ctx.src.pos([...pAt, "EnableManagedSpotTraining"]) };
      // Lowering caps the run at the spot wait: only a different cap is a timeout of its own.
      if (typeof stop.MaxRuntimeInSeconds === "number" && stop.MaxRuntimeInSeconds !== Math.min(base.timeout ?? 86400, spot.max_wait) && base.timeout === undefined) base.timeout = stop.MaxRuntimeInSeconds;
    } else stoppingTimeout(ctx, base, p.StoppingCondition, [...pAt, "StoppingCondition"]);
    if (p.EnableManagedSpotTraining !== undefined && !spot) refuse(ctx, [...pAt, "EnableManagedSpotTraining"], "managed spot training needs StoppingCondition.MaxWaitTimeInSeconds");
    // A tuning job's training definition calls them StaticHyperParameters.
    const hpKey = "StaticHyperParameters" in p ? "StaticHyperParameters" : "HyperParameters";
    const trainingKnown = ["AlgorithmSpecification", "InputDataConfig", "OutputDataConfig", "ResourceConfig", "StoppingCondition", hpKey, "Environment", "EnableManagedSpotTraining", "EnableNetworkIsolation", "EnableInterContainerTrafficEncryption", "VpcConfig"];
    // A tuning job's training definition adds nothing: its own members are the tuning job's request.
    const request = hpKey === "HyperParameters" ? addedMembers(ctx, flow, p, "CreateTrainingJob", trainingKnown, pAt) : undefined;
    sameAsJobName(ctx, p, "TrainingJobName", p[hpKey], [...pAt, hpKey], "hyperparameter");
    leftovers(ctx, p, trainingKnown, pAt, "a training job");
    leftovers(ctx, stop, ["MaxRuntimeInSeconds", ...(spot ? ["MaxWaitTimeInSeconds"] : [])], [...pAt, "StoppingCondition"], "StoppingCondition");
    const inst = instance(ctx, flow, p.ResourceConfig as Obj, [...pAt, "ResourceConfig"], { type: "InstanceType", count: "InstanceCount", volume: "VolumeSizeInGB", also: ["VolumeKmsKeyId"] });
    return {
      ...base,
      environment: strMap(ctx, flow, p.Environment, [...pAt, "Environment"]),
      kind: "training",
      ...(entryV?.kind === "list" ? { entrypoint: entryV.items } : {}),
      ...(argsV?.kind === "list" ? { container_arguments: argsV.items } : {}),
      ...(output_path ? { output_path } : {}),
      ...(network ? { network } : {}),
      ...(kms ? { kms } : {}),
      image,
      ...(inst ? { instance: inst } : {}),
      hyperparameters: strMap(ctx, flow, p[hpKey], [...pAt, hpKey]),
      ...(code ? { code } : {}),
      inputs,
      metric_definitions,
      ...(spot ? { spot } : {}),
      ...(algo.TrainingInputMode && algo.TrainingInputMode !== "File" ? { input_mode: algo.TrainingInputMode as "Pipe" | "FastFile" } : {}),
      ...(request ? { request } : {}),
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
            ? { type, values: categories(ctx, flow, r, rAt), pos: ctx.src.pos(rAt) }
            : { type, min: Number(r.MinValue), max: Number(r.MaxValue), ...(typeof r.ScalingType === "string" ? { scaling: r.ScalingType as "Auto" } : {}), pos: ctx.src.pos(rAt) };
      }
    }
    leftovers(ctx, objective, ["Type", "MetricName"], [...cAt, "HyperParameterTuningJobObjective"], "the tuning objective");
    leftovers(ctx, limits, ["MaxNumberOfTrainingJobs", "MaxParallelTrainingJobs"], [...cAt, "ResourceLimits"], "the tuning limits");
    leftovers(ctx, cfg, ["Strategy", "HyperParameterTuningJobObjective", "ResourceLimits", "ParameterRanges", "TrainingJobEarlyStoppingType"], cAt, "the tuning configuration");
    // The training definition reads like a training job's parameters.
    const train = liftTaskBody(ctx, flow, name, id, { ...st, Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Parameters: def }, at, deps, dAt);
    const tuningKnown = ["HyperParameterTuningJobConfig", "TrainingJobDefinition"];
    const request = addedMembers(ctx, flow, p, "CreateHyperParameterTuningJob", tuningKnown, pAt);
    leftovers(ctx, p, tuningKnown, pAt, "a tuning job");
    if (!train || train.kind !== "training") return undefined;
    return {
      ...train,
      ...(request ? { request } : {}),
      // The job's tags are the tuning job's own (read above), not its training definition's.
      tags: base.tags,
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
    const image = imageUri(ctx, field(ctx, flow, app, "ImageUri", aAt), [...aAt, "ImageUri"]);
    if (!image) return need(aAt, "a processing job needs AppSpecification.ImageUri");
    leftovers(ctx, app, ["ImageUri", "ContainerEntrypoint", "ContainerArguments"], aAt, "AppSpecification");
    // Text the machine cannot write literally is a constant ($.const) in a States.Array: still fixed text.
    const entryV = "ContainerEntrypoint.$" in app ? field(ctx, flow, app, "ContainerEntrypoint", aAt) : undefined;
    const fixed = entryV?.kind === "list" && entryV.items.every((x) => x.kind === "literal" && typeof x.value === "string") ? entryV.items.map((x) => String((x as { value: string }).value)) : undefined;
    const entry = Array.isArray(app.ContainerEntrypoint) && app.ContainerEntrypoint.every((x) => typeof x === "string") ? (app.ContainerEntrypoint as string[]) : fixed;
    const args = field(ctx, flow, app, "ContainerArguments", aAt);
    // Without ContainerEntrypoint the image's own entry point runs: a step with neither code nor command.
    const entryKey = ["ContainerEntrypoint", "ContainerEntrypoint.$"].find((k) => k in app);
    if (!entry && entryKey) refuse(ctx, [...aAt, entryKey], "ContainerEntrypoint must be a list of literal strings: the IR's command is fixed text");
    if (args && args.kind !== "list") refuse(ctx, [...aAt, "ContainerArguments"], "ContainerArguments must be a list the IR can read item by item");
    const inputs: Record<string, DataInput> = {};
    let code: import("../../../src/ir/types.js").CodeFile | undefined;
    let command = entry;
    for (const [i, inp] of ((p.ProcessingInputs as Obj[]) ?? []).entries()) {
      const iAt = [...pAt, "ProcessingInputs", i];
      const s3 = (isObj(inp.S3Input) ? inp.S3Input : {}) as Obj;
      if (inp.InputName === CODE_INPUT && !code && s3.LocalPath === PROCESSING_CODE_DIR) {
        const c = codeFile(ctx, s3.S3Uri, iAt);
        const first = args?.kind === "list" ? args.items[0] : undefined;
        const args0 = first?.kind === "literal" ? first.value : undefined;
        if (c && entry && ((entry.length > 1 && entry[entry.length - 1] === `${PROCESSING_CODE_DIR}/${c.path}`) || (isDeepStrictEqual(entry, ["papermill"]) && args0 === `${PROCESSING_CODE_DIR}/${c.path}`))) {
          code = c;
          command = entry.length > 1 ? entry.slice(0, -1) : entry;
          continue;
        }
      }
      if (!isObj(inp.S3Input)) return refuse(ctx, iAt, "only S3 processing inputs (S3Input) can be lifted");
      const source = field(ctx, flow, s3, "S3Uri", [...iAt, "S3Input"]);
      if (!source) return need(iAt, "a processing input needs S3Input.S3Uri");
      const dt = dataType(ctx, s3, [...iAt, "S3Input"]);
      if (!dt) return undefined;
      leftovers(ctx, s3, ["S3Uri", "LocalPath", "S3DataType", "S3InputMode", "S3DataDistributionType", "S3CompressionType"], [...iAt, "S3Input"], "an S3 input");
      leftovers(ctx, inp, ["InputName", "S3Input", ...appManagedDefault(inp)], iAt, "a processing input");
      inputs[String(inp.InputName)] = {
        source,
        ...dt,
        pos: ctx.src.pos(iAt),
        ...(typeof s3.LocalPath === "string" ? { destination: s3.LocalPath } : {}),
        ...(s3.S3DataDistributionType === "ShardedByS3Key" ? { distribution: "ShardedByS3Key" as const } : {}),
        ...(s3.S3CompressionType === "Gzip" || s3.S3CompressionType === "None" ? { compression: s3.S3CompressionType } : {}),
        ...(s3.S3InputMode === "Pipe" ? { mode: "Pipe" as const } : {}),
      };
    }
    const outputs: Record<string, DataOutput> = {};
    const poc = (isObj(p.ProcessingOutputConfig) ? p.ProcessingOutputConfig : {}) as Obj;
    leftovers(ctx, poc, ["Outputs", "KmsKeyId"], [...pAt, "ProcessingOutputConfig"], "ProcessingOutputConfig");
    // An empty NetworkConfig is what an empty `network` lowers to.
    const pnet = isObj(p.NetworkConfig) ? (liftNetwork(ctx, flow, p.NetworkConfig, [...pAt, "NetworkConfig"]) ?? (Object.keys(p.NetworkConfig).length ? undefined : { pos: ctx.src.pos([...pAt, "NetworkConfig"]) })) : undefined;
    if (isObj(p.NetworkConfig)) leftovers(ctx, p.NetworkConfig, ["EnableNetworkIsolation", "EnableInterContainerTrafficEncryption", "VpcConfig"], [...pAt, "NetworkConfig"], "NetworkConfig");
    for (const [i, o] of ((poc.Outputs as Obj[]) ?? []).entries()) {
      const oAt = [...pAt, "ProcessingOutputConfig", "Outputs", i];
      const s3 = (isObj(o.S3Output) ? o.S3Output : {}) as Obj;
      const destination = outputAt(ctx, flow, s3, "S3Uri", [...oAt, "S3Output"], id, String(o.OutputName));
      leftovers(ctx, s3, ["S3Uri", "LocalPath", "S3UploadMode"], [...oAt, "S3Output"], "an S3 output");
      leftovers(ctx, o, ["OutputName", "S3Output", ...appManagedDefault(o)], oAt, "a processing output");
      outputs[String(o.OutputName)] = { path: String(s3.LocalPath), ...(s3.S3UploadMode === "Continuous" ? { upload: "Continuous" as const } : {}), ...(destination ? { destination } : {}), pos: ctx.src.pos(oAt) };
    }
    stoppingTimeout(ctx, base, p.StoppingCondition, [...pAt, "StoppingCondition"]);
    const notebook = notebookOf(entry, args, inputs, code, outputs);
    const processingKnown = ["AppSpecification", "ProcessingResources", "ProcessingInputs", "ProcessingOutputConfig", "StoppingCondition", "Environment", "NetworkConfig"];
    const request = addedMembers(ctx, flow, p, "CreateProcessingJob", processingKnown, pAt);
    leftovers(ctx, p, processingKnown, pAt, "a processing job");
    const res = isObj(p.ProcessingResources) && isObj(p.ProcessingResources.ClusterConfig) ? (p.ProcessingResources.ClusterConfig as Obj) : undefined;
    const inst = instance(ctx, flow, res, [...pAt, "ProcessingResources", "ClusterConfig"], { type: "InstanceType", count: "InstanceCount", volume: "VolumeSizeInGB", also: ["VolumeKmsKeyId"] });
    const pkms = liftKms(ctx, flow, [res, [...pAt, "ProcessingResources", "ClusterConfig"]], [poc, [...pAt, "ProcessingOutputConfig"]], pAt);
    if (notebook && (pnet || pkms || request)) return refuse(ctx, pAt, "network or KMS settings or other request members on a notebook run have no IR equivalent (a notebook step has none)");
    if (notebook) return { ...base, environment: strMap(ctx, flow, p.Environment, [...pAt, "Environment"]), kind: "notebook", image, ...(inst ? { instance: inst } : {}), ...notebook };
    return {
      ...base,
      environment: strMap(ctx, flow, p.Environment, [...pAt, "Environment"]),
      kind: "processing",
      ...(pnet ? { network: pnet } : {}),
      ...(pkms ? { kms: pkms } : {}),
      ...(request ? { request } : {}),
      image,
      ...(inst ? { instance: inst } : {}),
      ...(code ? { code } : {}),
      ...(command && !(code && isDeepStrictEqual(command, DEFAULT_COMMAND)) ? { command } : {}),
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
    const tdt = dataType(ctx, s3, [...tAt, "DataSource", "S3DataSource"]);
    if (!tdt) return undefined;
    leftovers(ctx, s3, ["S3Uri", "S3DataType"], [...tAt, "DataSource", "S3DataSource"], "an S3 data source");
    leftovers(ctx, ti, ["DataSource", "ContentType", "SplitType", "CompressionType"], tAt, "TransformInput");
    const to = (isObj(p.TransformOutput) ? p.TransformOutput : {}) as Obj;
    const tdest = outputAt(ctx, flow, to, "S3OutputPath", [...pAt, "TransformOutput"], id, TRANSFORM_OUTPUT);
    const tkOut = field(ctx, flow, to, "KmsKeyId", [...pAt, "TransformOutput"]);
    const trs = (isObj(p.TransformResources) ? p.TransformResources : {}) as Obj;
    const tkVol = field(ctx, flow, trs, "VolumeKmsKeyId", [...pAt, "TransformResources"]);
    leftovers(ctx, to, ["S3OutputPath", "Accept", "AssembleWith", "KmsKeyId"], [...pAt, "TransformOutput"], "TransformOutput");
    const transformKnown = ["ModelName", "TransformInput", "TransformOutput", "TransformResources", "BatchStrategy", "MaxPayloadInMB", "MaxConcurrentTransforms", "DataProcessing", "Environment"];
    const request = addedMembers(ctx, flow, p, "CreateTransformJob", transformKnown, pAt);
    leftovers(ctx, p, transformKnown, pAt, "a transform job");
    const dpAt = [...pAt, "DataProcessing"];
    if (p.DataProcessing !== undefined && !isObj(p.DataProcessing)) refuse(ctx, dpAt, "DataProcessing must be an object");
    const dpGiven = (isObj(p.DataProcessing) ? p.DataProcessing : {}) as Obj;
    // A member taken from the data (`Key.$`) is no text written out; the rest is read as every lifter reads it.
    for (const k of Object.keys(dpGiven).filter((x) => x.endsWith(".$"))) refuse(ctx, [...dpAt, k], `DataProcessing.${k.slice(0, -2)} is taken from the data at run time; the IR holds it as text written out`);
    const dp = dataProcessingFields(Object.fromEntries(Object.entries(dpGiven).filter(([k]) => !k.endsWith(".$"))));
    for (const x of dp.problems) refuse(ctx, [...dpAt, x.key], x.why);
    const inst = instance(ctx, flow, p.TransformResources as Obj, [...pAt, "TransformResources"], { type: "InstanceType", count: "InstanceCount", also: ["VolumeKmsKeyId"] });
    return {
      ...base,
      environment: strMap(ctx, flow, p.Environment, [...pAt, "Environment"]),
      kind: "transform",
      model,
      ...(request ? { request } : {}),
      ...(inst ? { instance: inst } : {}),
      input: {
        source,
        ...tdt,
        pos: ctx.src.pos(tAt),
        ...(typeof ti.ContentType === "string" ? { content_type: ti.ContentType } : {}),
        ...(typeof ti.SplitType === "string" ? { split_type: ti.SplitType as "Line" } : {}),
        ...(ti.CompressionType === "Gzip" || ti.CompressionType === "None" ? { compression: ti.CompressionType } : {}),
      },
      output: { ...(typeof to.Accept === "string" ? { accept: to.Accept } : {}), ...(to.AssembleWith === "Line" || to.AssembleWith === "None" ? { assemble_with: to.AssembleWith } : {}), ...(tdest ? { destination: tdest } : {}) },
      ...(tkOut || tkVol ? { kms: { ...(tkVol ? { volume: tkVol } : {}), ...(tkOut ? { output: tkOut } : {}), pos: ctx.src.pos(pAt) } } : {}),
      ...(p.BatchStrategy === "MultiRecord" || p.BatchStrategy === "SingleRecord" ? { strategy: p.BatchStrategy } : {}),
      ...(typeof p.MaxPayloadInMB === "number" ? { max_payload_mb: p.MaxPayloadInMB } : {}),
      ...(typeof p.MaxConcurrentTransforms === "number" ? { max_concurrent: p.MaxConcurrentTransforms } : {}),
      ...dp.fields,
    };
  }
  if (resource === "arn:aws:states:::sagemaker:createModel") {
    const pc = (isObj(p.PrimaryContainer) ? p.PrimaryContainer : {}) as Obj;
    const cAt = [...pAt, "PrimaryContainer"];
    const image = imageUri(ctx, field(ctx, flow, pc, "Image", cAt), [...cAt, "Image"]);
    const model = field(ctx, flow, pc, "ModelDataUrl", cAt);
    if (!image || !model) return need(cAt, "a model needs PrimaryContainer.Image and ModelDataUrl");
    // `Mode: SingleModel` is the API's default: the same model without it.
    leftovers(ctx, pc, ["Image", "ModelDataUrl", "Environment", ...(pc.Mode === "SingleModel" ? ["Mode"] : [])], cAt, "PrimaryContainer");
    leftovers(ctx, p, ["PrimaryContainer"], pAt, "a model");
    return { ...base, environment: strMap(ctx, flow, pc.Environment, [...cAt, "Environment"]), kind: "model", image, model };
  }
  if (resource === "arn:aws:states:::lambda:invoke" || /^arn:aws:lambda:[a-z0-9-]+:[0-9]+:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.test(resource)) {
    const legacy = !resource.startsWith("arn:aws:states:::");
    let fn: Value | undefined;
    let payload: Record<string, Value> = {};
    let whole: Value | undefined;
    if (legacy) {
      fn = { kind: "literal", value: resource, type: "string", pos: ctx.src.pos([...at, "Resource"]) };
      // Without Parameters the function is given the state's data (below InputPath): one value, when it can be named.
      if (st.Parameters === undefined) {
        whole = wholeState(ctx, flow, [...at, "Resource"], "the payload (the state has no Parameters, so the function receives its input)");
        if (!whole) return undefined;
      } else if (isObj(st.Parameters)) payload = strMap(ctx, flow, p, pAt);
      else whole = liftValue(ctx, flow, st.Parameters, pAt);
    } else {
      fn = field(ctx, flow, p, "FunctionName", pAt);
      // A sample's stand-in (`{REGION}`, `<account_number>`) is no function anyone can call.
      const stub = typeof p.FunctionName === "string" ? /\{[A-Za-z][A-Za-z0-9_-]*\}|<[A-Za-z][A-Za-z0-9_ -]*>/.exec(p.FunctionName)?.[0] : undefined;
      if (stub) warn(ctx, [...pAt, "FunctionName"], `FunctionName '${p.FunctionName}' holds '${stub}', a stand-in for a value to fill in (no function has this name); it is kept as this literal text`);
      if (!fn) return need(pAt, "lambda:invoke needs FunctionName");
      if ("Payload.$" in p || (p.Payload !== undefined && !isObj(p.Payload))) {
        whole = field(ctx, flow, p, "Payload", pAt);
        if (!whole) return undefined;
      } else payload = strMap(ctx, flow, p.Payload, [...pAt, "Payload"]);
      leftovers(ctx, p, ["FunctionName", "Payload"], pAt, "a Lambda invocation");
      ctx.lambdaWrapped.add(id);
    }
    // A whole payload that is a map written out is named fields, as lowering writes them.
    if (whole?.kind === "map") return { ...base, kind: "lambda", function: fn, payload: whole.entries, outputs: {} };
    return { ...base, kind: "lambda", function: fn, payload, ...(whole ? { payload_value: whole } : {}), outputs: {} };
  }
  const approvalVia = APPROVAL_CHANNELS[resource];
  if (approvalVia) {
    const target = field(ctx, flow, p, approvalVia.target, pAt);
    if (!target) return need(pAt, `${approvalVia.integration} needs ${approvalVia.target}`);
    const body = (isObj(p[approvalVia.body]) ? p[approvalVia.body] : {}) as Obj;
    const rest: Obj = {};
    const tokens: string[] = [];
    for (const [k, v] of Object.entries(body)) {
      if (k.endsWith(".$") && v === "$$.Task.Token") tokens.push(k.slice(0, -2));
      else rest[k] = v;
    }
    if (tokens.length !== 1) return refuse(ctx, [...pAt, approvalVia.body], tokens.length ? `the request carries $$.Task.Token under ${tokens.length} keys (${tokens.join(", ")}); an approval sends it once` : `the request must carry $$.Task.Token in a top-level field of ${approvalVia.body}`);
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(tokens[0])) return refuse(ctx, [...pAt, approvalVia.body, `${tokens[0]}.$`], `the task token's key '${tokens[0]}' is not a name the IR keeps (letters, digits, _ and -)`);
    leftovers(ctx, p, [approvalVia.target, approvalVia.body], pAt, approvalVia.what);
    if (base.retry) return refuse(ctx, [...at, "Retry"], "an approval step never retries in the IR (a retried message would ask twice)");
    const channel = approvalVia.target === "QueueUrl" ? { queue: target } : { function: target };
    // Switchyard's own request: token, execution, step, and the user's message.
    if (ctx.own && tokens[0] === "token" && isObj(rest.message) && rest["execution.$"] === "$$.Execution.Id" && rest.step === id && Object.keys(rest).length === 3) {
      return { ...base, kind: "approval", ...channel, message: strMap(ctx, flow, rest.message, [...pAt, approvalVia.body, "message"]), outputs: {} };
    }
    // Anyone else's: the message's own fields, the token under the key it was sent under.
    return { ...base, kind: "approval", ...channel, token_field: tokens[0], message: strMap(ctx, flow, rest, [...pAt, approvalVia.body]), outputs: {} };
  }
  if (resource === "arn:aws:states:::aws-sdk:sagemaker:createModelPackage") {
    const inf = (isObj(p.InferenceSpecification) ? p.InferenceSpecification : {}) as Obj;
    const c = (Array.isArray(inf.Containers) && isObj(inf.Containers[0]) ? inf.Containers[0] : {}) as Obj;
    const cAt = [...pAt, "InferenceSpecification", "Containers", 0];
    const image = imageUri(ctx, field(ctx, flow, c, "Image", cAt), [...cAt, "Image"]);
    const model = field(ctx, flow, c, "ModelDataUrl", cAt);
    const group = field(ctx, flow, p, "ModelPackageGroupName", pAt);
    if (!image || !model || !group) return need(pAt, "a model package needs ModelPackageGroupName and a container with Image and ModelDataUrl");
    const approval = field(ctx, flow, p, "ModelApprovalStatus", pAt);
    const mm = isObj(p.ModelMetrics) ? p.ModelMetrics : undefined;
    const stats = mm && isObj(mm.ModelQuality) && isObj(mm.ModelQuality.Statistics) ? (mm.ModelQuality.Statistics as Obj) : undefined;
    const sAt = [...pAt, "ModelMetrics", "ModelQuality", "Statistics"];
    const metrics = stats && stats.ContentType === "application/json" ? field(ctx, flow, stats, "S3Uri", sAt) : undefined;
    if (mm && (!metrics || Object.keys(mm).length !== 1 || Object.keys(mm.ModelQuality as Obj).length !== 1 || Object.keys(stats!).length !== 2)) {
      refuse(ctx, [...pAt, "ModelMetrics"], "ModelMetrics other than one JSON ModelQuality.Statistics file have no IR equivalent");
    }
    leftovers(ctx, p, ["ModelPackageGroupName", "ModelApprovalStatus", "InferenceSpecification", "ModelMetrics"], pAt, "a model package");
    leftovers(ctx, inf, ["Containers", "SupportedContentTypes", "SupportedResponseMIMETypes", "SupportedRealtimeInferenceInstanceTypes", "SupportedTransformInstanceTypes"], [...pAt, "InferenceSpecification"], "InferenceSpecification");
    leftovers(ctx, c, ["Image", "ModelDataUrl", "Environment"], cAt, "a model package container");
    if (Array.isArray(inf.Containers) && inf.Containers.length > 1) refuse(ctx, [...pAt, "InferenceSpecification", "Containers", 1], "a model package with several containers has no IR equivalent");
    // Content types are literal text in the IR: anything else is refused, never dropped.
    const strs = (k: string): string[] => {
      const x = inf[k];
      if (`${k}.$` in inf || (x !== undefined && !(Array.isArray(x) && x.every((y) => typeof y === "string")))) {
        refuse(ctx, [...pAt, "InferenceSpecification", `${k}.$` in inf ? `${k}.$` : k], `${k} holds something other than literal text, which the IR keeps only as written strings`);
        return [];
      }
      return (x as string[] | undefined) ?? [];
    };
    // Instance types may come from the state data (a parameter): each one a value.
    const instanceTypes = (k: string): Value[] => {
      const v = field(ctx, flow, inf, k, [...pAt, "InferenceSpecification"]);
      if (v === undefined) return [];
      if (v.kind === "list") return v.items;
      refuse(ctx, [...pAt, "InferenceSpecification", `${k}.$`], `${k} taken whole from a path at run time; the IR needs the list written out`);
      return [];
    };
    return {
      ...base,
      environment: strMap(ctx, flow, c.Environment, [...cAt, "Environment"]),
      kind: "register-model",
      model,
      image,
      package_group: group,
      ...(approval ? { approval } : {}),
      ...(metrics ? { metrics } : {}),
      content_types: strs("SupportedContentTypes"),
      response_types: strs("SupportedResponseMIMETypes"),
      inference_instances: instanceTypes("SupportedRealtimeInferenceInstanceTypes"),
      transform_instances: instanceTypes("SupportedTransformInstanceTypes"),
    };
  }
  if (resource === "arn:aws:states:::glue:startJobRun.sync") {
    const job = field(ctx, flow, p, "JobName", pAt);
    if (!job) return need(pAt, "glue:startJobRun needs JobName");
    const args = isObj(p.Arguments) ? strMap(ctx, flow, p.Arguments, [...pAt, "Arguments"]) : {};
    const worker_type = field(ctx, flow, p, "WorkerType", pAt);
    const workers = field(ctx, flow, p, "NumberOfWorkers", pAt, "integer");
    leftovers(ctx, p, ["JobName", "Arguments", "WorkerType", "NumberOfWorkers"], pAt, "a Glue job run");
    return { ...base, kind: "glue", job, arguments: args, ...(worker_type ? { worker_type } : {}), ...(workers ? { workers } : {}) };
  }
  // Without .sync the run is only started: an aws step (src/aws calls), which does not wait, as Step Functions does not.
  if (resource === "arn:aws:states:::elasticmapreduce:addStep.sync") {
    const cluster = field(ctx, flow, p, "ClusterId", pAt);
    const stp = (isObj(p.Step) ? p.Step : {}) as Obj;
    const sAt = [...pAt, "Step"];
    const hj = (isObj(stp.HadoopJarStep) ? stp.HadoopJarStep : {}) as Obj;
    const hAt = [...sAt, "HadoopJarStep"];
    const jar = field(ctx, flow, hj, "Jar", hAt);
    if (!cluster || !jar) return need(pAt, "elasticmapreduce:addStep needs ClusterId and Step.HadoopJarStep.Jar");
    const argsV = field(ctx, flow, hj, "Args", hAt);
    if (argsV && argsV.kind !== "list") refuse(ctx, [...hAt, "Args"], "Args must be a list the IR can read item by item");
    const main_class = field(ctx, flow, hj, "MainClass", hAt);
    const properties: Record<string, Value> = {};
    for (const [i, kv] of ((Array.isArray(hj.Properties) ? hj.Properties : []) as Obj[]).entries()) {
      const v = field(ctx, flow, kv, "Value", [...hAt, "Properties", i]);
      if (typeof kv.Key !== "string" || !v) refuse(ctx, [...hAt, "Properties", i], "a property needs a literal Key and a Value");
      else properties[kv.Key] = v;
    }
    const action = stp.ActionOnFailure;
    if (action !== undefined && action !== "CONTINUE" && action !== "CANCEL_AND_WAIT" && action !== "TERMINATE_CLUSTER") refuse(ctx, [...sAt, "ActionOnFailure"], `ActionOnFailure '${String(action)}' has no IR equivalent`);
    // EMR shows the step under its Name: the step's id when they are the same, else its name.
    const named = stp.Name !== undefined || stp["Name.$"] !== undefined;
    const name = named && stp.Name !== id ? field(ctx, flow, stp, "Name", sAt) : undefined;
    if (!named) warn(ctx, sAt, `the EMR step has no Name (AddJobFlowSteps needs one): the lifted step is named '${id}'`);
    leftovers(ctx, hj, ["Jar", "Args", "MainClass", "Properties"], hAt, "HadoopJarStep");
    leftovers(ctx, stp, ["Name", "ActionOnFailure", "HadoopJarStep"], sAt, "an EMR step");
    leftovers(ctx, p, ["ClusterId", "Step"], pAt, "an EMR step request");
    return {
      ...base,
      kind: "emr",
      cluster_id: cluster,
      ...(name ? { name } : {}),
      jar,
      args: argsV?.kind === "list" ? argsV.items : [],
      ...(main_class ? { main_class } : {}),
      properties,
      ...(typeof action === "string" ? { action_on_failure: action as "CONTINUE" } : {}),
    };
  }
  const aws = liftAwsTask(ctx, flow, st, at, base, resource);
  if (aws !== null) return aws;
  if (/^\$\{[^}]*\}$/.test(resource)) return refuse(ctx, [...at, "Resource"], `resource '${resource}' is a deployment-time substitution, so which service it calls is unknown`, substitutionHint(resource));
  if (/^arn:[^:]*:[^:]*:?lambda:/.test(resource)) {
    const f = resource.split(":");
    const why = f[2] === "" && f[3] === "lambda" ? ": its service field is empty, 'lambda' standing where the region goes" : "";
    return refuse(ctx, [...at, "Resource"], `resource '${resource}' is not a well-formed Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)${why}`);
  }
  return refuse(ctx, [...at, "Resource"], `resource '${resource}' has no IR step kind`);
}
