/**
 * IR features: the vocabulary shared by backends' capability tables, the
 * refusal check and the report. `featuresUsed` finds where a pipeline uses each.
 */
import { waitable } from "../aws/waitable.js";
import type { FnName, Pipeline, Pos, Step, StepKind, Value } from "./types.js";
import { FN_NAMES, FUNCTIONS } from "./expr/functions.js";
import { STEP_KINDS } from "./types.js";
import { walkStepValues, walkValue } from "./walk.js";
import { branchMembership, conditionsAfter, dependencies, topoOrder } from "./graph.js";
import { effectiveRetry, effectiveTimeout } from "./defaults.js";

export type FeatureId =
  | `kind:${StepKind}`
  | "foreach"
  | "condition.compare"
  | "condition.logic"
  | "condition.in"
  | "condition.report"
  | "condition.after"
  | "expression.arithmetic"
  | "expression.join"
  | "expression.response"
  | "expression.run-input"
  | "expression.logical-date"
  | "expression.variable"
  | "expression.logical-date.interval"
  | `function:${FnName}`
  | "aws.wait"
  | "aws.wait.polled"
  | "aws.repeat"
  | "aws.callback"
  | "lambda.repeat"
  | "map.results"
  | "map.read"
  | "map.batch"
  | "map.batch-each"
  | "map.tolerate"
  | "map.distributed"
  | "map.results-to"
  | "map.iteration-id"
  | "approval.function"
  | "approval.token-field"
  | "fail.error"
  | "retry"
  | "retry.error-classes"
  | "retry.error-names"
  | "retry.rules"
  | "retry.jitter"
  | "on-failure"
  | "on-failure.errors"
  | "on-failure.succeeds"
  | "on-failure.continues"
  | "on-failure.continues-errors"
  | "on-failure.several"
  | "on-failure.read"
  | "timeout"
  | "cache"
  | "schedule"
  | "schedule.timezone"
  | "schedule.rate"
  | "parameters"
  | "parameters.enum"
  | "tags"
  | "environment"
  | "depends-on"
  | "concurrency"
  | "spot"
  | "targets";

export interface FeatureInfo {
  id: FeatureId;
  title: string;
}

/** Every feature, in report order. */
export const FEATURES: readonly FeatureInfo[] = [
  ...STEP_KINDS.map((k) => ({ id: `kind:${k}` as FeatureId, title: `${k} step` })),
  { id: "foreach", title: "static fan-out (foreach)" },
  { id: "condition.compare", title: "condition: comparison" },
  { id: "condition.logic", title: "condition: and / or / not" },
  { id: "condition.in", title: "condition: in [list]" },
  { id: "condition.report", title: "condition on a value in a step's JSON report" },
  { id: "condition.after", title: "a step after a condition, outside its branches (depends_on the condition; with steps of its branches, it waits for those that ran)" },
  { id: "expression.arithmetic", title: "arithmetic in expressions" },
  { id: "expression.join", title: "text joined with expressions" },
  { id: "expression.response", title: "a value read from a step's service response" },
  { id: "expression.run-input", title: "a value read from the run's input document" },
  { id: "expression.logical-date", title: "the date a run is for (execution.logical_date)" },
  { id: "expression.logical-date.interval", title: "the date a run is for on a schedule with intervals (the start of the interval it covers)" },
  { id: "expression.variable", title: "a value kept outside the pipeline, read by name (variables.<name>)" },
  ...FN_NAMES.map((f) => ({ id: `function:${f}` as FeatureId, title: `${f}(): ${FUNCTIONS[f].summary}` })),
  { id: "aws.wait", title: "an AWS call that waits for the job it starts" },
  { id: "aws.wait.polled", title: "an AWS call that waits for a job Step Functions has no .sync form for (a Glue crawl)" },
  { id: "aws.repeat", title: "an AWS call repeated until its response says so (polling loop)" },
  { id: "aws.callback", title: "an AWS call that carries a task token and waits until it is sent back (callback)" },
  { id: "lambda.repeat", title: "a Lambda function invoked again until its result says so (polling loop)" },
  { id: "map.results", title: "a map's results (what each iteration gives back) read after it" },
  { id: "map.read", title: "a map over items read from S3 (objects under a prefix, records of a file)" },
  { id: "map.batch", title: "a map giving each iteration a batch of items" },
  { id: "map.batch-each", title: "a batched map reshaping each item before it is batched" },
  { id: "map.tolerate", title: "a map that tolerates some failed iterations" },
  { id: "map.distributed", title: "a map whose iterations run as child runs, thousands at once" },
  { id: "map.results-to", title: "a map whose results are written to S3, not kept in the run" },
  { id: "map.iteration-id", title: "a map's steps read their iteration's own id" },
  { id: "approval.function", title: "an approval request sent by invoking a Lambda function" },
  { id: "approval.token-field", title: "an approval request laid out by the pipeline (the answer's address under a named key)" },
  { id: "fail.error", title: "a fail step with a named error" },
  { id: "retry", title: "retry with backoff" },
  { id: "retry.error-classes", title: "retry only some error classes" },
  { id: "retry.error-names", title: "retry on errors named as their function or service reports them" },
  { id: "retry.rules", title: "several retry rules on one step" },
  { id: "retry.jitter", title: "retry waits with random jitter" },
  { id: "on-failure", title: "steps that run when a step fails (failure handler)" },
  { id: "on-failure.errors", title: "failure handler for some errors only" },
  { id: "on-failure.succeeds", title: "failure handler that ends the execution succeeded" },
  { id: "on-failure.continues", title: "failure let pass: the run goes on after the step as if it had succeeded" },
  { id: "on-failure.continues-errors", title: "failure let pass for some errors only" },
  { id: "on-failure.several", title: "several failure handlers on one step, each for its own errors" },
  { id: "on-failure.read", title: "failure handler steps that read the error (its name and message)" },
  { id: "timeout", title: "step timeout" },
  { id: "cache", title: "step result cache" },
  { id: "schedule", title: "cron schedule" },
  { id: "schedule.timezone", title: "schedule in a time zone" },
  { id: "schedule.rate", title: "schedule at a fixed rate" },
  { id: "parameters", title: "run parameters" },
  { id: "parameters.enum", title: "parameters restricted to a list" },
  { id: "tags", title: "tags on jobs" },
  { id: "environment", title: "container environment variables" },
  { id: "depends-on", title: "explicit ordering (depends_on)" },
  { id: "concurrency", title: "independent steps run concurrently" },
  { id: "spot", title: "managed spot training" },
  { id: "targets", title: "target-specific settings" },
];

export const FEATURE_IDS: readonly FeatureId[] = FEATURES.map((f) => f.id);

/** Features that are options of another (a step kind, the failure handler): where that one is refused, so are they, and saying so twice helps no one. */
const PART_OF = {
  "aws.wait": "kind:aws",
  "aws.wait.polled": "kind:aws",
  "aws.repeat": "kind:aws",
  "aws.callback": "kind:aws",
  "lambda.repeat": "kind:lambda",
  "map.results": "kind:map",
  "map.read": "kind:map",
  "map.batch": "kind:map",
  "map.batch-each": "kind:map",
  "map.tolerate": "kind:map",
  "map.distributed": "kind:map",
  "map.results-to": "kind:map",
  "map.iteration-id": "kind:map",
  "approval.function": "kind:approval",
  "approval.token-field": "kind:approval",
  "on-failure.errors": "on-failure",
  "on-failure.succeeds": "on-failure",
  "on-failure.continues": "on-failure",
  "on-failure.continues-errors": "on-failure",
  "on-failure.several": "on-failure",
  "on-failure.read": "on-failure",
} as const satisfies Partial<Record<FeatureId, FeatureId>>;
export const PART_OF_KIND: Partial<Record<FeatureId, FeatureId>> = PART_OF;

/** The features that are options of `K`. */
export type OptionsOf<K extends FeatureId> = { [F in keyof typeof PART_OF]: (typeof PART_OF)[F] extends K ? F : never }[keyof typeof PART_OF];

export interface FeatureUse {
  feature: FeatureId;
  /** The step that uses it, or undefined for pipeline-level use. */
  step?: string;
  /** For `targets`: which target's settings; only that backend is concerned. */
  target?: string;
  pos: Pos;
}

function valueFeatures(v: Value, step: Step, inCondition: boolean, intervals: boolean, out: FeatureUse[]): void {
  walkValue(v, (n) => {
    const use = (feature: FeatureId) => out.push({ feature, step: step.id, pos: n.pos });
    if (n.kind === "arith") use("expression.arithmetic");
    else if (n.kind === "call") use(`function:${n.fn}`);
    else if (n.kind === "join") use("expression.join");
    else if (n.kind === "ref" && n.ref.scope === "steps" && n.ref.attr === "response") use("expression.response");
    else if (n.kind === "ref" && n.ref.scope === "execution" && n.ref.name === "input") use("expression.run-input");
    else if (n.kind === "ref" && n.ref.scope === "execution" && (n.ref.name === "logical_date" || n.ref.name === "logical_date_nodash")) use(intervals ? "expression.logical-date.interval" : "expression.logical-date");
    else if (n.kind === "ref" && n.ref.scope === "variables") use("expression.variable");
    else if (n.kind === "ref" && n.ref.scope === "failure") use("on-failure.read");
    else if (n.kind === "ref" && n.ref.scope === "iteration") use("map.iteration-id");
    else if (inCondition && n.kind === "compare") use("condition.compare");
    else if (inCondition && (n.kind === "logic" || n.kind === "not")) use("condition.logic");
    else if (inCondition && n.kind === "in") use("condition.in");
    else if (inCondition && n.kind === "ref" && n.ref.scope === "steps" && n.ref.attr === "reports") use("condition.report");
  });
}

/** Every use of every feature, in step order; deterministic. */
export function featuresUsed(p: Pipeline): FeatureUse[] {
  const out: FeatureUse[] = [];
  if (p.parameters.length) out.push({ feature: "parameters", pos: p.parameters[0].pos });
  for (const prm of p.parameters) if (prm.enum) out.push({ feature: "parameters.enum", pos: prm.pos });
  if (p.schedule) {
    out.push({ feature: "schedule", pos: p.schedule.pos });
    if (p.schedule.every !== undefined) out.push({ feature: "schedule.rate", pos: p.schedule.pos });
    if (p.schedule.timezone && p.schedule.timezone !== "UTC") out.push({ feature: "schedule.timezone", pos: p.schedule.pos });
  }
  for (const t of Object.keys(p.targets).sort()) out.push({ feature: "targets", target: t, pos: p.targets[t].pos });
  if (p.defaults.tags && Object.keys(p.defaults.tags).length) out.push({ feature: "tags", pos: p.defaults.pos ?? p.pos });
  if (hasIndependentSteps(p)) out.push({ feature: "concurrency", pos: p.pos });
  const kinds = new Map(p.steps.map((s) => [s.id, s.kind]));
  const membership = branchMembership(p);
  for (const s of p.steps) {
    const use = (feature: FeatureId, pos: Pos = s.pos) => out.push({ feature, step: s.id, pos });
    use(`kind:${s.kind}` as FeatureId);
    if (s.foreach) use("foreach", s.foreach.pos);
    // Defaults count at every step they reach.
    const retry = effectiveRetry(p, s);
    if (retry) {
      use("retry", retry[0].pos);
      for (const r of retry) if (r.on.length && !r.on.includes("any")) use("retry.error-classes", r.pos);
      for (const r of retry) if (r.errors) use("retry.error-names", r.pos);
      if (retry.length > 1) use("retry.rules", retry[1].pos);
      for (const r of retry) if (r.jitter) use("retry.jitter", r.pos);
    }
    for (const h of s.on_failure ?? []) {
      use("on-failure", h.pos);
      // A failure let pass for some errors is a feature of its own: a target may tell errors apart in a call, not in a handler.
      if ((h.on || h.errors) && h.ends !== "continues") use("on-failure.errors", h.pos);
      if (h.ends === "succeeded") use("on-failure.succeeds", h.pos);
      if (h.ends === "continues") use(h.on || h.errors ? "on-failure.continues-errors" : "on-failure.continues", h.pos);
    }
    if (s.on_failure && s.on_failure.length > 1) use("on-failure.several", s.on_failure[1].pos);
    // A wait some target polls for lack of a form of its own is a feature of its own.
    if (s.kind === "aws" && s.wait) use(waitable(s.service, s.action)?.sfn === undefined ? "aws.wait.polled" : "aws.wait");
    if (s.kind === "aws" && s.repeat) use("aws.repeat", s.repeat.pos);
    if (s.kind === "aws" && s.callback) use("aws.callback");
    if (s.kind === "lambda" && s.repeat) use("lambda.repeat", s.repeat.pos);
    if (s.kind === "map" && s.result) use("map.results", s.result.pos);
    if (s.kind === "map" && s.read) use("map.read", s.read.pos);
    if (s.kind === "map" && s.batch) use("map.batch", s.batch.pos);
    if (s.kind === "map" && s.batch?.each) use("map.batch-each", s.batch.each.pos);
    if (s.kind === "map" && s.tolerate) use("map.tolerate", s.tolerate.pos);
    if (s.kind === "map" && s.distributed) use("map.distributed", s.distributed.pos);
    if (s.kind === "map" && s.results_to) use("map.results-to", s.results_to.pos);
    if (s.kind === "approval" && s.function) use("approval.function", s.function.pos);
    if (s.kind === "approval" && s.token_field !== undefined) use("approval.token-field", s.pos);
    if (s.kind === "fail" && s.error) use("fail.error", s.error.pos);
    if (effectiveTimeout(p, s) !== undefined) use("timeout", s.timeout !== undefined ? s.pos : (p.defaults.pos ?? s.pos));
    if (s.cache !== undefined) use("cache");
    if (Object.keys(s.tags).length) use("tags");
    if (Object.keys(s.environment).length) use("environment");
    if (s.depends_on.length) use("depends-on");
    // Waiting for a condition from outside its branches (a branch member waits for its own condition anyway).
    if (conditionsAfter(s, membership, kinds).length) use("condition.after");
    if ((s.kind === "training" || s.kind === "tuning") && s.spot) use("spot", s.spot.pos);
    for (const t of Object.keys(s.targets).sort()) out.push({ feature: "targets", step: s.id, target: t, pos: s.targets[t].pos });
    walkStepValues(s, (v, field) => valueFeatures(v, s, s.kind === "condition" && field === "if", !!p.schedule?.intervals, out));
  }
  return out;
}

/**
 * Whether two steps have no order between them (so may run at once): a DAG's
 * topological order is unique, i.e. a chain, exactly when each step directly
 * depends on the one before it in that order.
 */
export function hasIndependentSteps(p: Pipeline): boolean {
  const deps = dependencies(p);
  let order: string[];
  try {
    order = topoOrder(deps);
  } catch {
    return false;
  }
  for (let i = 1; i < order.length; i++) if (!(deps.get(order[i]) ?? []).includes(order[i - 1])) return true;
  return false;
}
