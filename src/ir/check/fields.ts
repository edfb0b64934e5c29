/** Field-level checks that need the whole pipeline: types of values in typed slots, instances, foreach. */
import { error, type Diagnostic } from "../../diagnostics.js";
import { KINDS } from "../kinds.js";
import { REPEAT_LIMIT_ERROR, type ErrorClass, type Pipeline, type Pos, type Step, type StepOf } from "../types.js";
import { refsInValue } from "../graph.js";
import { walkStepValues, walkValue } from "../walk.js";
import { expectBoolean, typeOf, type Type, type TypeEnv } from "./typing.js";
import { WAITABLE, waitable } from "../../aws/waitable.js";

/** Slots with a fixed type: field path suffix -> accepted types. */
const SLOT_TYPES: Array<{ suffix: string; types: Type[]; what: string }> = [
  { suffix: "instance.count", types: ["integer"], what: "an integer" },
  { suffix: "instance.volume_gb", types: ["integer"], what: "an integer" },
  { suffix: "instance.type", types: ["string"], what: "a string" },
  { suffix: "image", types: ["string"], what: "a string" },
  { suffix: "model", types: ["string", "list"], what: "a string" },
  { suffix: "function", types: ["string"], what: "a string" },
  { suffix: "queue", types: ["string"], what: "a string" },
  { suffix: "seconds", types: ["integer"], what: "an integer" },
  { suffix: "repeat.interval", types: ["integer"], what: "whole seconds (an integer)" },
  { suffix: "workers", types: ["integer"], what: "an integer" },
  { suffix: "job", types: ["string"], what: "a string" },
  { suffix: "cluster_id", types: ["string"], what: "a string" },
  { suffix: "jar", types: ["string"], what: "a string" },
  { suffix: "read.bucket", types: ["string"], what: "a string" },
  { suffix: "read.prefix", types: ["string"], what: "a string" },
  { suffix: "read.key", types: ["string"], what: "a string" },
  { suffix: "results_to.bucket", types: ["string"], what: "a string" },
  { suffix: "results_to.prefix", types: ["string"], what: "a string" },
];

/** `field` is `member` or ends with `.member` (without building that text for every value and slot). */
const endsWithMember = (field: string, member: string): boolean =>
  field === member || (field.length > member.length && field.endsWith(member) && field.charCodeAt(field.length - member.length - 1) === 46);

export function checkFields(p: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const baseEnv = {
    params: new Map(p.parameters.map((x) => [x.name, x])),
    steps: new Map(p.steps.map((s) => [s.id, s])),
  };
  for (const s of p.steps) {
    const env: TypeEnv = { ...baseEnv, current: s };
    walkStepValues(s, (v, field) => {
      if (s.kind === "condition" && field === "if") {
        expectBoolean(v, env, out, `the condition of step '${s.id}'`);
        return;
      }
      if (field === "repeat.until") {
        expectBoolean(v, env, out, `'repeat.until' of step '${s.id}'`);
        return;
      }
      const t = typeOf(v, env, out);
      const slot = SLOT_TYPES.find((x) => endsWithMember(field, x.suffix));
      if (slot && t !== "any" && !slot.types.includes(t)) {
        out.push(error(v.pos, `${field} of step '${s.id}' must be ${slot.what}, not ${t}`, { code: "type-field" }));
      }
    });
    checkInstance(p, s, out);
    checkRanges(s, out);
    if (s.kind === "processing") checkProcessingInputs(s, out);
    if (s.kind === "aws" && s.wait && !waitable(s.service, s.action)) {
      out.push(
        error(s.pos, `step '${s.id}': ${s.service}:${s.action} starts no job Switchyard knows how to wait for`, {
          code: "aws-wait",
          hint: `'wait: true' is for ${WAITABLE.map((w) => `${w.service}:${w.action}`).join(", ")}`,
        }),
      );
    }
    if ((s.kind === "aws" || s.kind === "lambda") && s.repeat) checkRepeat(s, out);
    if (s.kind === "map") checkMapSource(s, out);
    if (s.kind === "aws" && s.callback) checkCallback(s, out);
    if (s.kind === "approval" && !s.queue === !s.function) {
      out.push(error(s.pos, `approval step '${s.id}' sends its request to a queue or to a function: exactly one of 'queue' and 'function'`, { code: "approval-channel" }));
    }
    if (s.kind === "approval" && s.token_field !== undefined && s.token_field in s.message) {
      out.push(error(s.message[s.token_field].pos, `approval step '${s.id}': its token_field '${s.token_field}' is also a field of its message (the token would replace it)`, { code: "approval-token" }));
    }
    if ((s.kind === "training" || s.kind === "tuning") && s.code && s.entrypoint) {
      out.push(error(s.code.pos, `step '${s.id}' has both 'code' and 'entrypoint': a local script runs with its own entry point`, { code: "entrypoint-code" }));
    }
    for (const r of s.retry ?? []) checkErrorNames(r, `step '${s.id}': its retry rule`, out);
    for (const h of s.on_failure ?? []) checkErrorNames(h, `step '${s.id}': its failure handler`, out);
  }
  for (const r of p.defaults.retry ?? []) checkErrorNames(r, "the default retry rule", out);
  return out;
}

/**
 * Named errors are the function's or service's own: the Step Functions names the
 * classes stand for are written as classes (one spelling, one meaning on every target).
 */
function checkErrorNames(r: { on?: ErrorClass[]; errors?: string[]; pos: Pos }, what: string, out: Diagnostic[]): void {
  if (!r.errors) return;
  if (r.on?.includes("any")) out.push(error(r.pos, `${what} names errors beside 'any', which matches every error already`, { code: "error-names" }));
  const seen = new Set<string>();
  for (const name of r.errors) {
    if (seen.has(name)) out.push(error(r.pos, `${what} names error '${name}' twice`, { code: "error-names" }));
    seen.add(name);
    if (!name.trim()) out.push(error(r.pos, `${what} names an empty error`, { code: "error-names" }));
    else if (name.startsWith("States.")) {
      out.push(
        error(r.pos, `${what} names '${name}', an error Step Functions itself reports; named errors are a function's or service's own`, {
          code: "error-names",
          hint: "write Step Functions' errors as classes in 'on': States.ALL is any, States.Timeout timeout, States.TaskFailed job",
        }),
      );
    }
  }
}

/**
 * What CreateProcessingJob's ProcessingS3Input takes, narrower than a training
 * channel: File or Pipe, S3Prefix or ManifestFile, Gzip only in Pipe mode.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProcessingS3Input.html
 */
function checkProcessingInputs(s: StepOf<"processing">, out: Diagnostic[]): void {
  for (const [name, inp] of Object.entries(s.inputs)) {
    const where = `step '${s.id}': processing input '${name}'`;
    if (inp.mode === "FastFile") out.push(error(inp.pos, `${where}: mode FastFile is for training channels; a processing input takes File or Pipe`, { code: "processing-input" }));
    if (inp.data_type === "AugmentedManifestFile") out.push(error(inp.pos, `${where}: data_type AugmentedManifestFile is for training channels; a processing input takes S3Prefix or ManifestFile`, { code: "processing-input" }));
    if (inp.compression === "Gzip" && inp.mode !== "Pipe") out.push(error(inp.pos, `${where}: Gzip compression needs mode Pipe (SageMaker decompresses only what it streams)`, { code: "processing-input" }));
  }
}

/** A map's items come from one place; what is read, batched and tolerated is said in full. */
function checkMapSource(s: StepOf<"map">, out: Diagnostic[]): void {
  const code = "map-items";
  if (!s.items === !s.read) out.push(error(s.pos, `map '${s.id}' takes its items from a list or from S3: exactly one of 'items' and 'read'`, { code, hint: "items: ${{ steps.x.response.Items }}, or read: { bucket: my-bucket, prefix: in/ }" }));
  const r = s.read;
  if (r) {
    if (r.prefix && r.key) out.push(error(r.pos, `map '${s.id}' reads the objects under a prefix or the records of one object: not both 'read.prefix' and 'read.key'`, { code }));
    if (r.key && !r.format) out.push(error(r.pos, `map '${s.id}' reads the records of one object: 'read.format' says how they are written (json, jsonl, csv or manifest)`, { code }));
    if (!r.key && r.format) out.push(error(r.pos, `map '${s.id}': 'read.format' is for the records of one object ('read.key'); without a key the map reads the objects' listing`, { code }));
    if (r.columns && r.format !== "csv") out.push(error(r.pos, `map '${s.id}': 'read.columns' names the columns of a CSV file, and 'read.format' is ${r.format ?? "absent"}`, { code }));
  }
  if (s.results_to && !s.result) out.push(error(s.results_to.pos, `map '${s.id}' writes its results to S3: give it 'result', what each iteration gives back`, { code, hint: "result: ${{ steps.<last step>.response }}" }));
  if (s.batch && s.batch.max_items === undefined && s.batch.max_bytes === undefined) out.push(error(s.batch.pos, `map '${s.id}': 'batch' needs max_items, max_bytes or both`, { code }));
  if (s.tolerate && s.tolerate.count === undefined && s.tolerate.percent === undefined) out.push(error(s.tolerate.pos, `map '${s.id}': 'tolerate' needs count, percent or both`, { code }));
}

/** A callback step hands its token to whoever answers, and only waits for that answer. */
function checkCallback(s: Extract<Step, { kind: "aws" }>, out: Diagnostic[]): void {
  const code = "aws-callback";
  if (s.wait) out.push(error(s.pos, `step '${s.id}' has both 'wait' and 'callback': a call either waits for its job or for its task token to be sent back`, { code }));
  if (s.repeat) out.push(error(s.repeat.pos, `step '${s.id}' has both 'callback' and 'repeat': a callback step is answered once`, { code }));
  let carries = false;
  for (const v of Object.values(s.request)) walkValue(v, (n) => {
    if (n.kind === "ref" && n.ref.scope === "task") carries = true;
  });
  if (!carries) out.push(error(s.pos, `step '${s.id}' has 'callback: true' but its request carries no \${{ task.token }}: nobody could send the token back`, { code, hint: "put \${{ task.token }} where the party that answers reads it (a message field, a container's environment)" }));
}

/** A polling loop must read what each call returned, or it would never end (or never repeat). */
function checkRepeat(s: StepOf<"aws"> | StepOf<"lambda">, out: Diagnostic[]): void {
  const r = s.repeat!;
  const code = "repeat";
  if (s.kind === "aws" && s.wait) out.push(error(r.pos, `step '${s.id}' has both 'wait' and 'repeat': a call either waits for its job or is repeated until a condition holds`, { code }));
  if (!refsInValue(r.until).has(s.id)) {
    const example = s.kind === "aws" ? `steps.${s.id}.response.Status == 'SUCCEEDED'` : `steps.${s.id}.response.status == 'done'`;
    out.push(error(r.until.pos, `'repeat.until' of step '${s.id}' never reads the step's own ${s.kind === "aws" ? "response" : "result"}, so every call would see the same answer`, { code, hint: `read what the call returned, e.g. \${{ ${example} }}` }));
  }
  if (s.foreach) out.push(error(r.pos, `step '${s.id}' has both 'foreach' and 'repeat': repeat one call per step`, { code }));
  if (typeof r.interval === "number" && r.interval < 1) out.push(error(r.pos, `'repeat.interval' of step '${s.id}' must be at least 1s`, { code }));
  if (r.error === "") out.push(error(r.pos, `'repeat.error' of step '${s.id}' is empty: name the error the step fails with, or leave it out (${REPEAT_LIMIT_ERROR})`, { code }));
  if (r.max_calls === undefined && (r.error !== undefined || r.message !== undefined)) out.push(error(r.pos, `step '${s.id}' gives 'repeat.${r.error !== undefined ? "error" : "message"}' without 'repeat.max_calls': the step fails with it only after that many calls`, { code, hint: "add max_calls, or leave the error out (a timeout ends the calls with States.Timeout)" }));
}

function checkInstance(p: Pipeline, s: Step, out: Diagnostic[]): void {
  if (!KINDS[s.kind].instance || s.kind === "endpoint") return;
  const own = (s as { instance?: unknown }).instance;
  if (!own && !p.defaults.instance) {
    out.push(error(s.pos, `step '${s.id}' needs an instance type`, { code: "instance-missing", hint: "add `instance: ml.m5.xlarge` to the step, or `defaults.instance` to the pipeline" }));
  }
}

function checkRanges(s: Step, out: Diagnostic[]): void {
  if (s.kind !== "tuning") return;
  if (s.code) {
    out.push(error(s.code.pos, `step '${s.id}': a tuning job cannot run a local script: SageMaker's tuning API has no entrypoint override`, {
      code: "tuning-code",
      hint: "use an image that contains the training script",
    }));
  }
  for (const [name, r] of Object.entries(s.ranges)) {
    if (r.type === "categorical") {
      if (!r.values?.length) out.push(error(r.pos, `categorical range '${name}' needs 'values'`, { code: "range" }));
    } else if (r.min === undefined || r.max === undefined) {
      out.push(error(r.pos, `${r.type} range '${name}' needs 'min' and 'max'`, { code: "range" }));
    } else if (r.min > r.max) {
      out.push(error(r.pos, `range '${name}' has min ${r.min} above max ${r.max}`, { code: "range" }));
    }
    if (name in s.hyperparameters) out.push(error(r.pos, `'${name}' is both a fixed hyperparameter and a tuning range`, { code: "range" }));
  }
  if (s.parallel_jobs > s.max_jobs) out.push(error(s.pos, `parallel_jobs (${s.parallel_jobs}) exceeds max_jobs (${s.max_jobs}) in step '${s.id}'`, { code: "range" }));
  if (!s.metric_definitions.some((m) => m.name === s.objective.metric) && !s.objective.metric.includes(":")) {
    out.push(error(s.objective.pos, `objective metric '${s.objective.metric}' is not among the metric_definitions of step '${s.id}'`, { code: "objective" }));
  }
}
