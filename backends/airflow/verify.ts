/**
 * The lifter checks its own work: the lifted pipeline is lowered again and
 * the new DAG is read back with the same reader; every task's arguments
 * (config requests included, with default_args applied) and the edges are
 * compared with the original's. A difference whose original value is plain
 * data is kept exactly as an Airflow setting of the step (`targets.airflow`,
 * which the lowering merges into the operator's arguments); a job name is
 * replaced by one unique per run and try (a warning); anything else is an
 * error naming the argument. Nothing the file does is changed silently.
 */
import { API_DEFAULTS } from "../../src/aws/api-defaults.js";
import { SDK_DEFAULTS } from "../../src/aws/requests/common.js";
import type { LiftInput, LiftResult } from "../../src/backend/types.js";
import { error, warning, type Diagnostic } from "../../src/diagnostics.js";
import type { Pipeline, Step, Value } from "../../src/ir/types.js";
import { mapResultsId } from "./names.js";
import { branchMembership, conditionsAfter, findCycle, transitiveReduction } from "../../src/ir/graph.js";
import { addableMember, JOB_OPERATIONS } from "../../src/aws/requests/members.js";
import { positionFreeJson } from "../../src/ir/values.js";
import { DEFAULT_CHECK_INTERVAL, planDag } from "./plan.js";
import { renderDag } from "./render.js";
import { PROFILES } from "./versions.js";
import { groupKey, groupNotKept, stepIdsOf } from "./lift-ids.js";
import { ruleText } from "./lift-empty.js";
import { functionOf } from "./lift-taskflow.js";
import { AIRFLOW_RETRY_DELAY, PRESETS, seconds, type Found, type FoundDag, type J, type Task } from "./lift.js";

export interface Reading {
  /** Reads an expression as an IR value (undefined when it is not one). */
  value(j: J): unknown;
  str(j: J | undefined): string | undefined;
  /** A Lambda task's payload object, comparable (undefined when unreadable). */
  payload(t: Task): string | undefined;
}

type Path = Array<string | number>;

/** Operator arguments the lowering writes, and what the operator does when they are absent. */
export const ABSENT_MEANS: Record<string, unknown> = {
  aws_conn_id: "aws_default",
  wait_for_completion: true,
  check_interval: 30,
  action_if_job_exists: "timestamp",
  check_if_job_exists: true,
  retries: 0,
  trigger_rule: "all_success",
  operation: "create",
  invocation_type: "RequestResponse",
  retry_exponential_backoff: false,
  job_poll_interval: 6,
};

/** Operators whose own defaults differ from the table above. */
const ABSENT_MEANS_FOR: Record<string, Record<string, unknown>> = {
  EmrAddStepsOperator: { wait_for_completion: false, waiter_delay: 30, waiter_max_attempts: 60 },
};

/** Arguments that change what a step does, not only how Airflow watches it: kept defaults are said. */
const MEANINGFUL = new Set(["wait_for_completion"]);

/** Request fields the lowering writes whose value is the service's own default when absent. */
export const REQUEST_DEFAULTS: Array<[RegExp, unknown]> = [
  // Members whose absence means the API's documented default, at any depth.
  ...Object.entries(API_DEFAULTS).map(([key, v]): [RegExp, unknown] => [new RegExp(`\\.${key}$`), v]),
  [/^config\.StoppingCondition\.MaxRuntimeInSeconds$/, SDK_DEFAULTS.trainingMaxRuntime],
  [/^config\.(ProcessingResources\.ClusterConfig|ResourceConfig|TrainingJobDefinition\.ResourceConfig|TransformResources)\.InstanceCount$/, SDK_DEFAULTS.instanceCount],
  [/^config\.EndpointConfig\.ProductionVariants\.\d+\.InitialVariantWeight$/, 1],
  [/^config\.EndpointConfig\.ProductionVariants\.\d+\.VariantName$/, "AllTraffic"],
  [/^config\.(Model\.PrimaryContainer|PrimaryContainer)\.Environment$/, {}],
  [/^extras\.InferenceSpecification\.Containers\.\d+\.Environment$/, {}],
  [/^extras\.ModelApprovalStatus$/, "PendingManualApproval"],
];

/** Whether an argument (`key`) or a request field (`config.A.B`, list indexes as numbers) has the value its absence means. */
export function isDefault(path: string, value: unknown): boolean {
  const d = path.includes(".") ? REQUEST_DEFAULTS.find(([re]) => re.test(path))?.[1] : ABSENT_MEANS[path];
  return d !== undefined && JSON.stringify(d) === JSON.stringify(value);
}

/** Arguments read structurally (their meaning is the step itself), not compared as data. */
const STRUCTURAL = new Set(["task_id", "python_callable", "payload", "doc_md", "mode", "poke_interval", "timeout", "dag", "ignore_downstream_trigger_rules"]);

/** Operator arguments Airflow never renders as templates: text in them is plain, `{{` and all. */
const NEVER_RENDERED = new Set(["owner", "pool", "queue"]);

/** @task arguments that only say how TaskFlow hands the result on (the lifted step's report holds it whole). */
const TASKFLOW_ONLY = new Set(["multiple_outputs", "python_callable", "op_args", "op_kwargs"]);

/**
 * Operators lifted as the one AWS call they make (an aws step, which Airflow runs as a call in a Python
 * task): their own arguments are that call's request, and the task's other settings are compared.
 */
const CALL_OPERATORS: Readonly<Record<string, ReadonlySet<string>>> = {
  SnsPublishOperator: new Set(["target_arn", "message", "subject", "message_deduplication_id", "message_group_id", "message_attributes", "region_name"]),
  // How it waits (mode, deferrable) changes nothing it finds.
  S3KeySensor: new Set(["bucket_key", "bucket_name", "wildcard_match", "use_regex", "check_fn", "metadata_keys", "poke_interval", "timeout", "mode", "deferrable", "verify", "soft_fail", "exponential_backoff", "region_name"]),
  // How it waits (deferred or not), the console links and what a kill does change nothing the job run does.
  EmrServerlessStartJobOperator: new Set(["application_id", "execution_role_arn", "job_driver", "configuration_overrides", "config", "name", "client_request_token", "wait_for_completion", "waiter_max_attempts", "waiter_delay", "deferrable", "enable_application_ui_links", "cancel_on_kill", "region_name"]),
  // How it waits (deferred or not) changes nothing the application is.
  EmrServerlessCreateApplicationOperator: new Set(["release_label", "job_type", "client_request_token", "config", "wait_for_completion", "waiter_max_attempts", "waiter_delay", "deferrable", "region_name"]),
  EmrServerlessStopApplicationOperator: new Set(["application_id", "wait_for_completion", "waiter_max_attempts", "waiter_delay", "force_stop", "deferrable", "region_name"]),
  // Lifted as two steps (lift.ts firstParts): the stop's task takes the trigger rule, compared below.
  EmrServerlessDeleteApplicationOperator: new Set(["application_id", "wait_for_completion", "waiter_max_attempts", "waiter_delay", "force_stop", "deferrable", "region_name"]),
  StepFunctionStartExecutionOperator: new Set(["state_machine_arn", "name", "state_machine_input", "is_redrive_execution", "deferrable", "waiter_max_attempts", "waiter_delay", "region_name"]),
  // How often it looks at the query, and whether it waits deferred, change nothing the query does.
  // How it waits and fetches logs, and what it does when killed, change nothing the ECS task does (reattach is said).
  EcsRunTaskOperator: new Set(["task_definition", "cluster", "overrides", "launch_type", "capacity_provider_strategy", "volume_configurations", "group", "placement_constraints", "placement_strategy", "platform_version", "network_configuration", "tags", "awslogs_group", "awslogs_region", "awslogs_stream_prefix", "awslogs_fetch_interval", "container_name", "propagate_tags", "quota_retry", "reattach", "number_logs_exception", "wait_for_completion", "waiter_delay", "waiter_max_attempts", "deferrable", "stop_task_on_failure", "region_name"]),
  // How it waits, polls and fetches logs change nothing the job does.
  BatchOperator: new Set(["job_name", "job_definition", "job_queue", "container_overrides", "array_properties", "ecs_properties_override", "eks_properties_override", "node_overrides", "share_identifier", "scheduling_priority_override", "parameters", "retry_strategy", "job_id", "waiters", "max_retries", "status_retries", "tags", "wait_for_completion", "deferrable", "poll_interval", "awslogs_enabled", "awslogs_fetch_interval", "submit_job_timeout", "region_name"]),
  SqsPublishOperator: new Set(["sqs_queue", "message_content", "message_attributes", "delay_seconds", "message_group_id", "message_deduplication_id", "region_name"]),
  // How it waits (refused when it does) and the console links change nothing the cluster does; the emr_conn_id merge is said.
  EmrCreateJobFlowOperator: new Set(["job_flow_overrides", "emr_conn_id", "wait_for_completion", "wait_policy", "waiter_max_attempts", "waiter_delay", "deferrable", "region_name"]),
  // How it waits (refused when it does) and how much it logs change nothing the execution does.
  SageMakerStartPipelineOperator: new Set(["pipeline_name", "display_name", "pipeline_params", "wait_for_completion", "check_interval", "waiter_max_attempts", "verbose", "deferrable", "region_name"]),
  EmrTerminateJobFlowOperator: new Set(["job_flow_id", "wait_for_completion", "waiter_max_attempts", "waiter_delay", "deferrable", "region_name"]),
  // How often it looks at the crawler, and whether it waits deferred, change nothing the crawl does (a config of more than the Name is refused).
  GlueCrawlerOperator: new Set(["config", "poll_interval", "wait_for_completion", "deferrable", "fail_on_already_running", "region_name"]),
  AthenaOperator: new Set(["query", "database", "catalog", "output_location", "client_request_token", "workgroup", "query_execution_context", "result_configuration", "max_polling_attempts", "sleep_time", "deferrable", "log_query", "region_name"]),
};

/**
 * Operators lifted as a call in one form only (lift.ts glueStartsOnly: a GlueJobOperator that does not wait):
 * their call's arguments, and those that change nothing a run does that does not wait (logs, waiter, on kill).
 */
const CALL_WHEN_AWS: Readonly<Record<string, ReadonlySet<string>>> = {
  GlueJobOperator: new Set(["job_name", "script_args", "run_job_kwargs", "wait_for_completion", "deferrable", "verbose", "job_poll_interval", "waiter_delay", "waiter_max_attempts", "sleep_before_return", "stop_job_run_on_kill", "region_name"]),
};

/** Where SageMaker job and resource names sit, per operator: replaced by unique names. */
const NAME_PATHS: Record<string, RegExp> = {
  SageMakerProcessingOperator: /^config\.ProcessingJobName$/,
  SageMakerTrainingOperator: /^config\.TrainingJobName$/,
  SageMakerTransformOperator: /^config\.TransformJobName$/,
  SageMakerTuningOperator: /^config\.HyperParameterTuningJobName$/,
  SageMakerModelOperator: /^config\.ModelName$/,
  SageMakerEndpointOperator: /^config\.(Model\.ModelName|EndpointConfig\.EndpointConfigName|Endpoint\.EndpointConfigName|EndpointConfig\.ProductionVariants\.0\.ModelName)$/,
};

function clean(j: unknown): unknown {
  if (Array.isArray(j)) return j.map(clean);
  if (j && typeof j === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(j)) if (k !== "at" && k !== "via") out[k] = clean(v);
    return out;
  }
  return j;
}

function timedeltaSeconds(j: J): number | undefined {
  if (!("call" in j) || !/timedelta$/.test(j.call)) return undefined;
  const unit: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400, weeks: 604800 };
  let total = 0;
  for (const [k, v] of Object.entries(j.kwargs)) {
    if (!("const" in v) || typeof v.const !== "number" || !unit[k]) return undefined;
    total += v.const * unit[k];
  }
  if (j.args.length === 1 && "const" in j.args[0] && typeof j.args[0].const === "number") total += j.args[0].const * 86400;
  return total;
}

/** A comparable form of an expression: its IR value when it has one, else its tree. */
function norm(j: J, r: Reading): string {
  const td = timedeltaSeconds(j);
  if (td !== undefined) return JSON.stringify({ seconds: td });
  if ("attr" in j && "name" in j.attr[0] && j.attr[0].name === "TriggerRule") return JSON.stringify({ kind: "literal", value: j.attr[1].toLowerCase(), type: "string" });
  const v = r.value(j);
  if (v !== undefined) return positionFreeJson(v);
  return JSON.stringify(clean(j));
}

/** Plain data (JSON) written in the file, or undefined. */
export function staticJson(j: J): { v: unknown } | undefined {
  if ("const" in j) return j.jinja === undefined ? { v: j.const } : undefined;
  if ("attr" in j && "name" in j.attr[0] && j.attr[0].name === "TriggerRule") return { v: j.attr[1].toLowerCase() };
  if ("list" in j) {
    const items = j.list.map(staticJson);
    return items.every((x) => x) ? { v: items.map((x) => x!.v) } : undefined;
  }
  if ("dict" in j) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of j.dict) {
      const key = k && "const" in k && typeof k.const === "string" ? k.const : undefined;
      const val = staticJson(x);
      if (key === undefined || !val) return undefined;
      out[key] = val.v;
    }
    return { v: out };
  }
  return undefined;
}

export function entries(j: J): Array<[string, J]> | undefined {
  if (!("dict" in j)) return undefined;
  const out: Array<[string, J]> = [];
  for (const [k, v] of j.dict) {
    if (!k || !("const" in k) || typeof k.const !== "string") return undefined;
    out.push([k.const, v]);
  }
  return out;
}

interface Difference {
  path: Path;
  orig?: J;
  again?: J;
}

function compare(a: J | undefined, b: J | undefined, path: Path, ra: Reading, rb: Reading, out: Difference[]): void {
  if (!a && !b) return;
  if (a && b && norm(a, ra) === norm(b, rb)) return;
  const ea = a && entries(a);
  const eb = b && entries(b);
  if (ea && eb) {
    const keys = [...new Set([...ea.map(([k]) => k), ...eb.map(([k]) => k)])];
    for (const k of keys) compare(ea.find(([x]) => x === k)?.[1], eb.find(([x]) => x === k)?.[1], [...path, k], ra, rb, out);
    return;
  }
  if ((ea && !b) || (eb && !a)) {
    // One side leaves a whole object out: compare field by field (absent fields may be defaults).
    for (const [k, x] of (ea ?? eb)!) compare(a ? x : undefined, b ? x : undefined, [...path, k], ra, rb, out);
    return;
  }
  if (a && b && "list" in a && "list" in b && a.list.length === b.list.length) {
    a.list.forEach((x, i) => compare(x, b.list[i], [...path, i], ra, rb, out));
    return;
  }
  out.push({ path, orig: a, again: b });
}

/** A task's arguments with the DAG's default_args applied (they apply to every operator argument). */
function effectiveKwargs(t: Task, dag: FoundDag, joinsBranches = false): Record<string, J> {
  const d = dag.kwargs.default_args;
  const out: Record<string, J> = {};
  for (const [k, v] of (d && entries(d)) ?? []) out[k] = v;
  const all = { ...out, ...t.kwargs };
  // A task after an empty join that was taken out waits as that join did; Airflow 1's name for the rule is the same rule.
  const rule = ruleText(all.trigger_rule);
  // one_success joins as it does where the lift took it as a join (one task a branch, nothing else before it).
  if ((joinsBranches && t.joins?.length && rule === "all_success") || (joinsBranches && rule === "one_success") || rule === "none_failed_or_skipped") all.trigger_rule = { const: "none_failed_min_one_success", at: all.trigger_rule?.at };
  return all;
}

function setPath(bag: Record<string, unknown>, path: Path, value: unknown): void {
  let cur = bag;
  for (const k of path.slice(0, -1)) {
    if (typeof cur[k as string] !== "object" || cur[k as string] === null) cur[k as string] = {};
    cur = cur[k as string] as Record<string, unknown>;
  }
  cur[path[path.length - 1] as string] = value;
}

function getJ(j: J | undefined, path: Path): J | undefined {
  let cur = j;
  for (const k of path) {
    if (!cur) return undefined;
    if (typeof k === "number") cur = "list" in cur ? cur.list[k] : undefined;
    else cur = entries(cur)?.find(([x]) => x === k)?.[1];
  }
  return cur;
}


export interface VerifyDeps {
  read(text: string): Found | Diagnostic;
  reading(found: Found): Reading;
}

/**
 * Transitive reduction of an edge set (the edges no longer path implies), as sorted `a >> b` lines.
 * Bitsets (graph.ts): O(n·e/32), where a search from every edge's tail took O(e·(n + e)): 0.4 s at 1,000 tasks.
 */
function reduce(edges: Array<[string, string]>): string[] {
  const deps = new Map<string, Set<string>>();
  for (const [a, b] of edges) {
    if (!deps.has(a)) deps.set(a, new Set());
    const ds = deps.get(b);
    if (ds) ds.add(a);
    else deps.set(b, new Set([a]));
  }
  const lines = (m: Map<string, Iterable<string>>) => [...m].flatMap(([b, ds]) => [...ds].map((a) => `${a} >> ${b}`)).sort();
  const asLists = new Map([...deps].map(([b, ds]) => [b, [...ds]]));
  // A cycle (the lift refuses one before this) has no reduction: the edges are compared as they are.
  return findCycle(asLists) ? lines(asLists) : lines(transitiveReduction(asLists));
}

/** The pipeline's maps: each map step's steps, and the task that gathers its results (plan.ts). */
interface MapShape {
  /** A map's step -> the map. */
  memberOf: Map<string, string>;
  /** A map's results task id -> the map. */
  results: Map<string, string>;
}

function mapShape(p: Pipeline): MapShape {
  const memberOf = new Map<string, string>();
  const results = new Map<string, string>();
  for (const s of p.steps) {
    if (s.kind !== "map") continue;
    for (const m of s.steps) memberOf.set(m, s.id);
    results.set(mapResultsId(s.id), s.id);
  }
  return { memberOf, results };
}

/**
 * The DAG's edges between the steps they lift to, reduced. A map is one node to the rest: an edge into or out
 * of its iterations is the map's, its results task is the map, and a group mapped over a task's result follows
 * that task (Airflow's `.expand(...)` edge, which the reader does not list).
 */
function dagEdges(dag: FoundDag, r: Reading, maps: MapShape, partOf?: Map<string, string>): string[] {
  // Tasks by the step ids they lift to (a task group's task may be renamed: lift-ids.ts); the task choosing
  // between the later ways of a branch callable is the original's branch task (whose callable chose them all),
  // and the first of a task's two steps is that task.
  const byVar = stepIdsOf(dag, (j) => r.str(j));
  const as = (id: string) => partOf?.get(id) ?? id;
  const edges: Array<[string, string]> = dag.edges.map(([a, b]) => [as(byVar.get(a) ?? a), as(byVar.get(b) ?? b)]);
  for (const g of dag.groups ?? []) {
    const first = g.tasks.map((v) => byVar.get(v) ?? v).find((x) => maps.memberOf.has(x));
    if (g.expand?.task && first) edges.push([byVar.get(g.expand.task) ?? g.expand.task, first]);
  }
  const out: Array<[string, string]> = [];
  for (const [a0, b0] of edges) {
    let [a, b] = [maps.results.get(a0) ?? a0, maps.results.get(b0) ?? b0];
    if (maps.memberOf.get(a) !== maps.memberOf.get(b)) [a, b] = [maps.memberOf.get(a) ?? a, maps.memberOf.get(b) ?? b];
    if (a !== b) out.push([a, b]);
  }
  return reduce(out);
}

export function verifyLift(input: LiftInput, found: Found, lifted: LiftResult, deps: VerifyDeps): LiftResult {
  const p = lifted.pipeline!;
  const diags: Diagnostic[] = [...lifted.diagnostics];
  const line = /\bairflow\.sdk\b/.test(input.text) ? "3" : "2";
  const orig = found.dags[0];
  const ro = deps.reading(found);
  const origIds = stepIdsOf(orig, (j) => ro.str(j));
  const steps = new Map(p.steps.map((s) => [s.id, s]));
  const kinds = new Map(p.steps.map((s) => [s.id, s.kind]));
  const branches = branchMembership(p);
  const maps = mapShape(p);
  const taskPos = (t: Task) => ({ file: input.file, line: t.line, col: t.col });
  const at = (t: Task, j: J | undefined) => (j?.at ? { file: input.file, line: j.at[0], col: j.at[1] } : taskPos(t));
  const kept = new Map<string, string[]>();
  // A task lifted as two steps: its step's id -> the first step's (whose task the tasks before it and its trigger rule lead to).
  const firstOf = new Map([...(orig.firstParts ?? [])].map(([first, whole]) => [whole, first]));
  // The DAG's order with each first step standing for its task.
  const asOrig = new Map([...(orig.laterWays ?? []), ...(orig.firstParts ?? [])]);
  let last: { dag: FoundDag; r: Reading } | undefined;
  for (let round = 0; round < 2; round++) {
    const planned = planDag(p, PROFILES[line], { checkInterval: DEFAULT_CHECK_INTERVAL });
    if (!planned.plan) return { diagnostics: [...diags.filter((d) => d.severity === "error"), ...planned.diagnostics.map((d) => ({ ...d, message: `the lifted pipeline does not lower again: ${d.message}` }))] };
    const again = deps.read(renderDag(planned.plan));
    if ("severity" in again) throw new Error(`re-lowered DAG unreadable: ${again.message}`);
    const ra = deps.reading(again);
    const mine = again.dags[0];
    last = { dag: mine, r: ra };
    const byId = new Map(mine.tasks.map((t) => [ra.str(t.kwargs.task_id)!, t]));
    const problems: Diagnostic[] = [];
    let absorbed = false;
    for (const t of orig.tasks) {
      const id = origIds.get(t.var)!;
      // A sensor lifted into the emr step it watches is that step (lift-step-sensor.ts).
      if (orig.watched?.has(id)) continue;
      const m = byId.get(id);
      const step = steps.get(id);
      if (!m) {
        problems.push(error(taskPos(t), `task '${id}' is missing from the lifted pipeline`, { code: "lift-verify" }));
        continue;
      }
      // A generated task that is no step (the check before failure handlers) is generated again from the pipeline.
      if (!step) continue;
      const cls = t.cls.split(".").pop()!;
      // A task after an empty join waits as the join did where the lifted step joins a condition's branches;
      // inside a branch (the join waited for that branch alone) its own rule stands.
      const ko0 = effectiveKwargs(t, orig, conditionsAfter(step, branches, kinds).length > 0);
      const km = effectiveKwargs(m, mine);
      const first = firstOf.get(id);
      if (first) {
        const rule = byId.get(first) && effectiveKwargs(byId.get(first)!, mine).trigger_rule;
        if (rule) km.trigger_rule = rule;
        else delete km.trigger_rule;
      }
      // What is kept of the original's settings goes to the step whose task applies it.
      const keptOn = (path: Path) => (first && path[0] === "trigger_rule" ? steps.get(first)! : step);
      // The sensor after it waited for the step it adds: the lifted step waits, for as long as the sensor did (said when lifted).
      const watching = [...(orig.watched?.values() ?? [])].includes(id);
      // (Its own waiter settings never applied, as it did not wait: the lifted step's cover the sensor's timeout.)
      const asLowered = (k: string) => (km[k] ? { [k]: km[k] } : {});
      const ko = watching ? { ...ko0, wait_for_completion: { const: true } as J, ...asLowered("execution_timeout"), ...asLowered("waiter_delay"), ...asLowered("waiter_max_attempts"), ...asLowered("job_poll_interval") } : ko0;
      const diffs: Difference[] = [];
      // A @task becomes a processing job that runs the same function: its own settings are compared, not the job's request.
      // A PythonOperator calling a function of the file that was lifted as a function step is compared as a @task is.
      const viaOperator = t.cls !== "@task" && functionOf(found, t) !== undefined && m.cls.split(".").pop() === "SageMakerProcessingOperator";
      // A @task.branch function is a condition step, compared as a BranchPythonOperator is.
      const taskflow = (t.cls === "@task" && step.kind !== "condition") || viaOperator;
      if (taskflow && (m.cls.split(".").pop() !== "SageMakerProcessingOperator" || ra.str(getJ(km.config, ["AppSpecification", "ContainerArguments", 0])) !== (t.function ?? t.callable))) {
        problems.push(error(taskPos(t), `task '${id}': the lifted task does not run the function ${t.function}`, { code: "lift-verify" }));
      }
      const call = CALL_OPERATORS[cls] ?? (step.kind === "aws" ? CALL_WHEN_AWS[cls] : undefined);
      if (call && ko.region_name && ro.str(ko.region_name) !== p.region) problems.push(error(at(t, ko.region_name), `task '${id}': it calls ${cls.replace(/Operator$/, "")} in region ${ro.str(ko.region_name) ?? "(computed)"}, and the lifted pipeline's calls are made in ${p.region}`, { code: "lift-verify" }));
      for (const k of taskflow ? Object.keys(ko).filter((x) => !TASKFLOW_ONLY.has(x)) : call ? Object.keys(ko).filter((x) => !call.has(x)) : [...new Set([...Object.keys(ko), ...Object.keys(km)])]) {
        if (STRUCTURAL.has(k)) continue;
        compare(ko[k], km[k], [k], ro, ra, diffs);
      }
      if (cls === "LambdaInvokeFunctionOperator") {
        const a = ro.payload(t);
        if (a === undefined || a !== ra.payload(m)) problems.push(error(taskPos(t), `task '${id}': the lifted payload differs from the original`, { code: "lift-verify" }));
      }
      for (const d of diffs) {
        const where = d.path.join(".");
        // A role given with --role replaces the DAG's in every config (takeGiven said so once).
        if (input.given?.role !== undefined && /^config\.(RoleArn|ExecutionRoleArn)$/.test(where) && d.again && ra.str(d.again) === input.given.role) continue;
        if (NAME_PATHS[cls]?.test(where)) {
          if (round === 0) diags.push(warning(at(t, d.orig), `task '${id}': ${where} ${d.orig ? `(${ro.str(d.orig) ?? "computed"}) ` : ""}is replaced by a name unique to each run and try`, { code: "lift-job-name" }));
          continue;
        }
        // Airflow's own retry delay, written out where the original left it to the default.
        if (!d.orig && d.path[d.path.length - 1] === "retry_delay" && d.again && seconds(d.again) === AIRFLOW_RETRY_DELAY) continue;
        // How a task that never retries would wait between tries (a default_args retry_delay) changes nothing it does.
        if (d.path.length === 1 && RETRY_ONLY.has(String(d.path[0])) && neverRetries(ko.retries) && neverRetries(km.retries)) continue;
        if (!d.orig) {
          const key = d.path[0] as string;
          const dflt = d.path.length === 1 ? (ABSENT_MEANS_FOR[cls]?.[key] ?? ABSENT_MEANS[key]) : REQUEST_DEFAULTS.find(([re]) => re.test(where))?.[1];
          const mineJson = d.again && staticJson(d.again);
          if (dflt !== undefined && mineJson && JSON.stringify(mineJson.v) === JSON.stringify(dflt)) continue;
          if (d.path.length === 1 && dflt !== undefined && round === 0) {
            // Say the operator's own default explicitly, so the lifted DAG behaves as the original.
            keep(keptOn([key]), [key], dflt, MEANINGFUL.has(key));
            continue;
          }
          if (where === "config.StoppingCondition.MaxRuntimeInSeconds" && mineJson && step.timeout !== undefined && mineJson.v === Math.ceil(step.timeout)) {
            if (round === 0) diags.push(warning(taskPos(t), `task '${id}': its execution_timeout (${step.timeout} s) also becomes the job's MaxRuntimeInSeconds: the job now stops when the task times out, where the original left it running`, { code: "lift-timeout" }));
            continue;
          }
          if (key === "region_name" && d.path.length === 1) {
            if (round === 0) diags.push(warning(taskPos(t), `task '${id}' uses its connection's region; the lifted DAG names region ${p.region}`, { code: "lift-region" }));
            continue;
          }
          problems.push(error(taskPos(t), `task '${id}': lifting would add ${where} (${d.again ? ra.str(d.again) ?? JSON.stringify(staticJson(d.again)?.v ?? "a computed value") : ""}), which the original does not set`, { code: "lift-verify" }));
          continue;
        }
        // A whole request member no field writes (DebugHookConfig, ExperimentConfig, ...): the step adds it as written, on every target.
        // A SageMaker operator's config is the request of the step's kind.
        const op = cls.startsWith("SageMaker") ? JOB_OPERATIONS[step.kind] : undefined;
        const member = d.path[0] === "config" && typeof d.path[1] === "string" ? d.path[1] : undefined;
        if (round === 0 && op && member && addableMember(op, member) && !getJ(km.config, [member])) {
          const s = step as { request?: Record<string, Value> };
          if (s.request?.[member]) continue;
          const v = ro.value(getJ(ko.config, [member])!) as Value | undefined;
          if (v) {
            s.request = { ...(s.request ?? {}), [member]: v };
            absorbed = true;
            continue;
          }
        }
        // Keep the original's plain data exactly, at the deepest object (settings merge objects key by key, replace lists whole).
        const listAt = d.path.findIndex((x) => typeof x === "number");
        const path = listAt < 0 ? d.path : d.path.slice(0, listAt);
        const whole = listAt < 0 ? d.orig : getJ(ko[d.path[0] as string], path.slice(1));
        const data = whole && (path.length === 1 && NEVER_RENDERED.has(path[0] as string) && "const" in whole && typeof whole.const === "string" ? { v: whole.const } : staticJson(whole));
        if (data && round === 0 && !(path.length === 1 && path[0] === "task_id")) {
          keep(keptOn(path), path, data.v);
          continue;
        }
        const w = d.orig;
        // A callback (an alert, most often) is Python Airflow runs on the worker: no pipeline holds it.
        const when = /^on_(failure|success|retry|execute|skipped)_callback$/.exec(where)?.[1];
        if (when && !d.again) {
          problems.push(error(at(t, w), `task '${id}': ${where} is ${describe(w, ro)}, Python that Airflow runs when the task ${when === "execute" ? "starts" : when === "skipped" ? "is skipped" : when === "retry" ? "is retried" : when === "success" ? "succeeds" : "fails"}, which a pipeline cannot hold`, { code: "lift-verify", ...(when === "failure" ? { hint: "a failure handler (on_failure) with a step that notifies is the pipeline's form of an alert; write it, then lift the DAG without the callback" } : {}) }));
          continue;
        }
        problems.push(error(at(t, w), `task '${id}': ${where} cannot be kept: ${d.again ? "the lifted pipeline writes it differently and " : ""}it is ${describe(w, ro)}`, { code: "lift-verify" }));
      }
    }
    for (const t of mine.tasks) {
      const id = ra.str(t.kwargs.task_id)!;
      // A map's items and results tasks are the map step's (the original's group stands for them).
      // The conditions of a branch callable's later ways were said when lifted.
      if (maps.results.has(id) || steps.get(id)?.kind === "map" || asOrig.has(id)) continue;
      if (!orig.tasks.some((x) => origIds.get(x.var) === id)) problems.push(error(p.pos, `the lifted pipeline adds task '${id}'`, { code: "lift-verify" }));
    }
    const params = (d: FoundDag, r: Reading) =>
      Object.fromEntries(
        (d.kwargs.params && entries(d.kwargs.params) ? entries(d.kwargs.params)! : []).map(([k, j]) => {
          const dv = "call" in j && /Param$/.test(j.call) ? (j.args[0] ?? j.kwargs.default) : j;
          return [k, dv ? norm(dv, r) : "(no default)"];
        }),
      );
    const po = params(orig, ro);
    const pm = params(mine, ra);
    for (const k of new Set([...Object.keys(po), ...Object.keys(pm)])) {
      if (po[k] !== pm[k]) problems.push(error(p.pos, `parameter '${k}' ${k in pm ? (k in po ? "has another default when lifted" : "is added by lifting") : "is lost in lifting"}`, { code: "lift-verify" }));
    }
    const so = scheduleOf(orig, ro);
    const sm = scheduleOf(mine, ra);
    if (so !== sm) problems.push(error(p.pos, `the schedule ${so} would become ${sm}`, { code: "lift-verify" }));
    const idO = ro.str(orig.kwargs.dag_id);
    const idM = ra.str(mine.kwargs.dag_id);
    if (idO !== idM) problems.push(error(p.pos, `the DAG id ${idO === undefined ? "is computed" : `'${idO}'`} and would become '${idM}'`, { code: "lift-verify" }));
    const eo = dagEdges(orig, ro, maps, orig.watched);
    const em = dagEdges(mine, ra, maps, asOrig);
    const lost = eo.filter((e) => !em.includes(e));
    const added = em.filter((e) => !eo.includes(e));
    if (lost.length || added.length) problems.push(error(p.pos, `the lifted pipeline orders the tasks differently: ${[...lost.map((e) => `loses ${e}`), ...added.map((e) => `adds ${e}`)].join(", ")}`, { code: "lift-verify" }));
    if (problems.length) return { diagnostics: [...diags.filter((d) => d.severity === "error"), ...problems] };
    if (!absorbed) break;
    absorbed = false;

    function keep(step: Step, path: Path, value: unknown, say = true): void {
      const bag = (step.targets.airflow ??= { settings: {}, pos: step.pos });
      setPath(bag.settings, path, value);
      // An operator default said explicitly changes nothing anywhere; only request data kept for Airflow alone is news.
      if (say) kept.set(step.id, [...(kept.get(step.id) ?? []), path.join(".")]);
      absorbed = true;
    }
    if (round === 1) break;
  }
  // A task group is kept where the DAG of the lifted pipeline makes it again (groups.ts); the others are said.
  const again = new Set((last?.dag.groups ?? []).map((g) => groupKey(last!.dag, g, (j) => last!.r.str(j))));
  for (const g of orig.groups ?? []) {
    if (g.prefixed || !g.plain || again.has(groupKey(orig, g, (j) => ro.str(j)))) continue;
    const lost = groupNotKept(input.file, orig, g, (j) => ro.str(j));
    if (lost) diags.push(lost);
  }
  for (const [id, paths] of kept) {
    diags.push(warning(steps.get(id)!.pos, `task '${id}': ${[...new Set(paths)].join(", ")} ${paths.length > 1 ? "are" : "is"} kept as Airflow settings (targets.airflow); other targets do not apply ${paths.length > 1 ? "them" : "it"}`, { code: "lift-airflow-setting" }));
  }
  return { pipeline: p, diagnostics: diags };
}

/** Operator arguments that only say how a task retries. */
const RETRY_ONLY: ReadonlySet<string> = new Set(["retry_delay", "max_retry_delay", "retry_exponential_backoff"]);

/** Whether a task's retries (effective: its own, else default_args') are none: absent, or 0 written out. */
function neverRetries(j: J | undefined): boolean {
  if (!j) return true;
  const v = staticJson(j);
  return v !== undefined && (v.v === 0 || v.v === null);
}

/** When a DAG runs, in one comparable phrase: a five-field cron with its time zone, a fixed rate, or by hand. */
function scheduleOf(d: FoundDag, r: Reading): string {
  const j = d.kwargs.schedule ?? d.kwargs.schedule_interval;
  if (!j || ("const" in j && j.const === null)) return "by hand";
  const every = timedeltaSeconds(j);
  if (every !== undefined) return `every ${every} s`;
  const text = r.str(j);
  if (text !== undefined) return `cron '${PRESETS[text] ?? text}' UTC`;
  const interval = "call" in j && /DeltaDataIntervalTimetable$/.test(j.call) && j.args[0] ? timedeltaSeconds(j.args[0]) : undefined;
  if (interval !== undefined) return `every ${interval} s`;
  if ("call" in j && /CronTriggerTimetable$|CronDataIntervalTimetable$/.test(j.call) && j.args[0]) return `cron '${r.str(j.args[0])}' ${j.kwargs.timezone ? r.str(j.kwargs.timezone) : "UTC"}`;
  return jinjaTextOf(j);
}

function jinjaTextOf(j: J): string {
  return JSON.stringify(clean(j));
}

function describe(j: J | undefined, r: Reading): string {
  if (!j) return "absent";
  if ("const" in j && j.jinja !== undefined) return `the Jinja template ${JSON.stringify(j.const)}`;
  if ("call" in j) return `computed by ${j.call}(...)`;
  if ("name" in j) return `the name ${j.name}`;
  if ("src" in j) return `\`${j.src}\``;
  const s = r.str(j);
  return s !== undefined ? JSON.stringify(s) : "not plain data";
}
