/**
 * From the IR to what the DAG template prints: ids, tasks with their operator
 * arguments, the functions branch / fail / approval / payload tasks call, and
 * the dependency chains. Pure data; the template decides the layout.
 */
import { createHash } from "node:crypto";
import { error, warning, type Diagnostic } from "../../src/diagnostics.js";
import { effectiveRetry, effectiveTimeout, repeatEnd } from "../../src/ir/defaults.js";
import { expandForeach } from "../../src/ir/foreach.js";
import { branchesAround, branchMembership, dependencies, dependents, failureHandlers, handlerSteps, letPass, mapsAround, readsFailure } from "../../src/ir/graph.js";
import { KINDS } from "../../src/ir/kinds.js";
import { outputLocation } from "../../src/ir/dataflow.js";
import type { MapRead, Pipeline, RetryPolicy, Step, StepOf, Value } from "../../src/ir/types.js";
import { failText, positionFreeJson } from "../../src/ir/values.js";
import { FUNCTIONS } from "../../src/ir/expr/functions.js";
import { call, code, dict, inline, list, none, num, str, bool, type Py } from "./python/node.js";
import * as req from "./requests.js";
import { AIRFLOW_ID, ID_MAX, dagIdOf, copyId, mapResultsId, pythonName, RESERVED_NAMES } from "./names.js";
import { compile, pythonText, templated, templatedText, type RefEnv } from "./values.js";
import type { LineProfile } from "./versions.js";
import { DEFAULT_WAIT_SECONDS, waitable, type WaitableAction } from "../../src/aws/waitable.js";
import { jsonTextError, jsonTextMembers, STARTED_BY_EXECUTION, startsExecution, textOrJsonMembers } from "../../src/aws/request-members.js";
import { dependencyChains, necessaryEdges, type Link } from "./dependencies.js";
import { HELPERS, MODULE_NAMES } from "./helper-module.js";
import { codeNames, helperWords, macrosCalled, usedParts } from "./uses.js";
import { branchRunsOrder, taskGroups, type TaskGroupRun } from "./groups.js";

export interface Statement {
  indent: number;
  lead: string;
  value: Py;
  tail: string;
}

export interface FunctionView {
  name: string;
  args: string;
  body: Statement[];
}

export interface TaskView {
  variable: string;
  /** The variable is not the task id (the id is not a Python name); says so to the linter. */
  noqa: boolean;
  cls: string;
  kwargs: Array<[string, Py]>;
  taskId: string;
  stepId: string;
  kind: Step["kind"];
}

/** A map step's steps: a `@task_group` function, called with `.expand(item=<items task>.output)`. */
export interface MappedGroup {
  /** The group id. */
  id: string;
  /** The `@task_group` function's name. */
  fn: string;
  /** The variable of the task that returns the items. */
  items: string;
  from: number;
  to: number;
}

/** The step kinds a map's iteration may run on Airflow: tasks that need nothing but the iteration's index. */
const MAP_STEP_KINDS: ReadonlySet<Step["kind"]> = new Set(["lambda", "aws", "wait", "condition"]);

/**
 * The steps with each map's steps (and theirs) moved to follow the map, in
 * their order: a mapped task group is one block of the file.
 */
function mapRunsOrder(p: Pipeline, around: Map<string, string[]>): Pipeline {
  if (!around.size) return p;
  const members = new Map<string, Step[]>();
  for (const s of p.steps) {
    const m = around.get(s.id)?.[0];
    if (m !== undefined) members.set(m, [...(members.get(m) ?? []), s]);
  }
  const out: Step[] = [];
  const put = (s: Step) => {
    out.push(s);
    for (const x of members.get(s.id) ?? []) put(x);
  };
  for (const s of p.steps) if (!around.has(s.id)) put(s);
  return out.length === p.steps.length ? { ...p, steps: out } : p;
}

export interface DagPlan {
  dagId: string;
  /** The Airflow line the DAG is written for. */
  line: LineProfile["line"];
  irHash: string;
  imports: Array<{ module: string; names: string[] }>;
  /** `import x` lines. */
  modules: string[];
  constants: Array<[string, Py]>;
  /** The helper module's names the DAG imports (helper-module.ts). */
  helpers: string[];
  functions: FunctionView[];
  dagKwargs: Array<[string, Py]>;
  tasks: TaskView[];
  /** Task groups (groups.ts): runs of `tasks` shown as one group (a condition branch's, a foreach step's copies). */
  groups: TaskGroupRun[];
  /** Maps: the run of `tasks` (from, to) written in a mapped task group, expanded over the map's first task's result. */
  mapped: MappedGroup[];
  /** The edges the DAG needs, as chains (dependencies.ts: edges another path enforces are left out). */
  dependencies: Link[][];
  /** Task ids along the expected path and in all. */
  taskIds: string[];
  deps: ReadonlyMap<string, readonly string[]>;
}

/** Default poll interval of SageMaker operators, in seconds (the provider's default is 30). */
export const DEFAULT_CHECK_INTERVAL = 60;

const START_DATE = call("datetime.datetime", [num(2024), num(1), num(1)], [["tzinfo", code("datetime.timezone.utc")]]);

const PARAM_TYPES: Record<string, string> = { string: "string", integer: "integer", float: "number", boolean: "boolean" };

function seconds(n: number): Py {
  return call("datetime.timedelta", [], [["seconds", num(n)]]);
}

/** A task's retry arguments; what the DAG's default_args (`dflt`) set and this rule does not is undone. */
function retryArgs(r: RetryPolicy | undefined, dflt: RetryPolicy | undefined): Array<[string, Py]> {
  if (!r) return [["retries", num(0)]];
  const out: Array<[string, Py]> = [["retries", num(Math.max(0, r.attempts - 1))], ["retry_delay", seconds(r.interval)]];
  if (r.backoff > 1) out.push(["retry_exponential_backoff", bool(true)]);
  else if (dflt && dflt.backoff > 1) out.push(["retry_exponential_backoff", bool(false)]);
  if (r.max_delay !== undefined) out.push(["max_retry_delay", seconds(r.max_delay)]);
  else if (dflt?.max_delay !== undefined) out.push(["max_retry_delay", none]);
  return out;
}

const sameArgs = (a: Array<[string, Py]>, b: Array<[string, Py]>): boolean => JSON.stringify(a) === JSON.stringify(b);

function sameRetry(a: RetryPolicy | undefined, b: RetryPolicy | undefined): boolean {
  if (!a || !b) return a === b;
  return a.attempts === b.attempts && a.interval === b.interval && a.backoff === b.backoff && a.max_delay === b.max_delay;
}

/** EMR's step waiter polls every 30 s (the operator's default); attempts cover the step's timeout, else a day. */
const EMR_WAITER_DELAY = 30;
const EMR_DEFAULT_WAIT = 86400;

/** Without a step timeout, an aws step waits for its job at most a day (as EMR steps do). */

/**
 * The most calls of a repeated call (src/ir/defaults.ts), or None: no bound but the task's timeout; with the
 * error and message it fails with when max_calls is that bound (a timeout's is the helper's own).
 */
function repeatBound(p: Pipeline, step: StepOf<"aws"> | StepOf<"lambda">): [Py] | [Py, Py, Py] {
  // An interval read at run time leaves the timeout to the task's execution_timeout.
  const interval = step.repeat!.interval;
  const end = repeatEnd(step, typeof interval === "number" ? interval : undefined, effectiveTimeout(p, step));
  if (!end) return [none];
  return end.timedOut ? [num(end.calls, false)] : [num(end.calls, false), str(end.error), str(end.message)];
}


/** Seconds between the calls: the number, or the expression's value (read in Python, before the calls). */
function repeatInterval(step: StepOf<"aws"> | StepOf<"lambda">, env: RefEnv): Py {
  const interval = step.repeat!.interval;
  return typeof interval === "number" ? num(interval, false) : compile(interval, "python", env);
}

/** How the generated task polls the job an aws step starts (the `job` argument of sy_aws_wait). */
export interface WaitJob {
  describe: string;
  /** Describe request member -> ["request" | "response", ...path in the start call's request or response]. */
  request: Record<string, Array<string | number>>;
  status: Array<string | number>;
  succeeded: string[];
  failed: string[];
  /** A list in the final response whose items must each have this member 0 (ECS containers' exit codes). */
  exit_codes?: { list: Array<string | number>; member: string };
  /** A list in the start call's response that fails the step when not empty. */
  start_failures?: string[];
  /** Where a succeeded status says only that the job ended: the member that says how, and its values that fail. */
  outcome?: { path: Array<string | number>; failed: string[] };
  /** Seconds between polls, and the most polls (the first is at once): the timeout over the interval, plus one. */
  interval: number;
  polls: number;
}

export function waitJob(row: WaitableAction, interval: number, timeout: number | undefined): WaitJob {
  // The table's paths are member names; a number (or an all-digit segment) is a list index.
  const seg = (x: string | number) => (typeof x === "string" && /^\d+$/.test(x) ? Number(x) : x);
  return {
    describe: row.describe.action,
    // A member the Describe action takes as a list of one (`["list", from, ...path]`).
    // `["optional", ...]`: left out when the start call's request has no such member.
    request: Object.fromEntries(Object.entries(row.describe.request).map(([k, src]) => [k, [...(src.optional ? ["optional"] : []), ...(src.list ? ["list"] : []), src.from, ...src.path.map(seg)]])),
    status: row.status.map(seg),
    succeeded: [...row.succeeded],
    failed: [...row.failed],
    ...(row.exitCodes ? { exit_codes: { list: row.exitCodes.list.map(seg), member: row.exitCodes.member } } : {}),
    ...(row.startFailures ? { start_failures: [...row.startFailures] } : {}),
    ...(row.outcome ? { outcome: { path: row.outcome.path.map(seg), failed: [...row.outcome.failed] } } : {}),
    interval,
    polls: Math.ceil((timeout ?? DEFAULT_WAIT_SECONDS) / interval) + 1,
  };
}

/**
 * An aws step's request as boto3 takes it: JSON-text members (held as the
 * data, src/aws/request-members.ts) as that data's JSON text.
 */
function awsRequest(step: Extract<Step, { kind: "aws" }>, problems: Array<string | Diagnostic>): Record<string, Value> {
  const out = { ...step.request };
  const why = jsonTextError(step.service, step.action, out);
  if (why) {
    problems.push(why);
    return out;
  }
  for (const m of jsonTextMembers(step.service, step.action)) {
    const v = out[m];
    if (!v || (v.kind !== "map" && v.kind !== "list")) continue;
    const link = startsExecution(step.service, step.action) && v.kind === "map" ? v.entries[STARTED_BY_EXECUTION] : undefined;
    if (link) problems.push(warning(link.pos, `step '${step.id}': ${STARTED_BY_EXECUTION} links a started execution to the Step Functions execution that started it, by that execution's ARN; a DAG run is none, so the member is sent as written and links nothing`, { code: "airflow-aws-request" }));
    out[m] = { kind: "call", fn: "json", args: [v], pos: v.pos };
  }
  return out;
}

/** Whether a value is text whatever the run: a string literal, a join, a function giving text, a name. */
function isText(v: Value): boolean {
  if (v.kind === "literal") return typeof v.value === "string";
  if (v.kind === "join") return true;
  if (v.kind === "call") return FUNCTIONS[v.fn].result === "string";
  return v.kind === "ref" && v.ref.scope === "steps" && (v.ref.attr === "name" || v.ref.attr === "job_name" || v.ref.attr === "arn" || v.ref.attr === "model");
}

export interface PlanOptions {
  checkInterval: number;
}

/** What the task that fails the run after failure handlers with no fail step says (the lifter knows it by this). */
export function handlersRanMessage(failing: string[]): string {
  return failing.length === 1 ? `step ${failing[0]} failed; its failure handlers ran` : `one of the steps ${failing.join(", ")} failed; their failure handlers ran`;
}

/** The group ids of the condition branches a step is in, outermost first. */
function branchGroups(branches: ReturnType<typeof branchMembership>, stepId: string): string[] {
  return branchesAround(branches, stepId)
    .filter((b) => b.branch !== "each")
    .map((b) => `${b.condition}_${b.branch}`)
    .reverse();
}

export function planDag(given: Pipeline, profile: LineProfile, opts: PlanOptions): { plan?: DagPlan; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  // Steps in the order the file writes them: each condition branch's together, to be one task group
  // (the order of the file is not the order of the run). A DAG lifted back keeps that order.
  const branches = branchMembership(given);
  const order = branchRunsOrder(given.steps.map((s) => branchGroups(branches, s.id)));
  const byBranch = order.some((x, i) => x !== i) ? { ...given, steps: order.map((i) => given.steps[i]) } : given;
  const around = mapsAround(byBranch);
  const p = mapRunsOrder(byBranch, around);
  const mapOf = (id: string) => around.get(id)?.[0];
  const steps = new Map(p.steps.map((s) => [s.id, s]));
  const dagId = dagIdOf(p.name);
  if (!AIRFLOW_ID.test(dagId) || dagId.length > ID_MAX) diagnostics.push(error(p.pos, `pipeline name '${p.name}' gives DAG id '${dagId}', which Airflow does not accept (letters, digits, _ . -; at most ${ID_MAX})`));
  if (!/^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(p.region)) diagnostics.push(error(p.pos, `region '${p.region}' is not an AWS region name`));

  // Task ids: the step id, or `<id>_<n>` per foreach item. Collisions are errors.
  const idsOf = new Map<string, string[]>();
  const owner = new Map<string, Step>();
  for (const s of p.steps) {
    const ids = s.foreach ? s.foreach.items.map((_, i) => copyId(s.id, i)) : [s.id];
    idsOf.set(s.id, ids);
    for (const id of ids) {
      const prev = owner.get(id);
      if (prev) diagnostics.push(error(s.pos, `step '${s.id}': its task id '${id}' is also the task id of step '${prev.id}'`, { code: "airflow-task-id-collision" }));
      else owner.set(id, s);
      if (!AIRFLOW_ID.test(id) || id.length > ID_MAX) diagnostics.push(error(s.pos, `step '${s.id}': task id '${id}' is not a valid Airflow task id`));
    }
  }
  // Each map's own steps (one map deep: deeper ones are refused below), in the order of the steps.
  const membersOf = new Map<string, string[]>();
  for (const s of p.steps) {
    const m = mapOf(s.id);
    if (m !== undefined) membersOf.set(m, [...(membersOf.get(m) ?? []), s.id]);
  }
  // A map's results are gathered by a task of their own, `<map>_results`.
  const resultsOf = new Map<string, string>();
  for (const s of p.steps) {
    if (s.kind !== "map") continue;
    const id = mapResultsId(s.id);
    resultsOf.set(s.id, id);
    const prev = owner.get(id);
    if (prev) diagnostics.push(error(s.pos, `map step '${s.id}': the task that gathers its results, '${id}', has the task id of step '${prev.id}'`, { code: "airflow-task-id-collision" }));
    else owner.set(id, s);
    if (id.length > ID_MAX) diagnostics.push(error(s.pos, `map step '${s.id}': task id '${id}' is not a valid Airflow task id`));
  }
  // A failure let pass (on_failure ends: continues): a task `<step>_passed` after the step's tasks, whatever
  // they ended with (trigger_rule all_done), that the steps after it wait for instead. It goes on when they
  // succeeded or failed, fails when they never ran because a task before them failed, and is skipped with them.
  // The failed task is then no leaf of the run, so the run's state is that of the tasks after it.
  const passedOf = new Map<string, string>();
  const deps = dependencies(p);
  const successors = dependents(deps);
  const handlers = failureHandlers(p);
  // A first step whose later steps wait for it and such steps alone: they wait with trigger_rule all_done
  // (Airflow's "always notify" idiom) and no task is added. A first task never ends upstream_failed or
  // skipped, so all_done after it is exactly "it succeeded or failed".
  const allDone = allDoneAfterFirst(p, { deps, successors, handlers, branches, mapOf, idsOf });
  for (const s of p.steps) {
    // For named errors only, the call itself lets them pass (an aws step; see below): no task after it.
    const h = letPass(s);
    if (!h || h.on || h.errors || allDone.first.has(s.id)) continue;
    // (A map's own steps have no handlers in the IR.)
    if (s.kind === "map") {
      diagnostics.push(error(s.pos, `step '${s.id}': a failure let pass (on_failure ends: continues) of a map step has no Airflow form: the task that lets it pass would need the state of each iteration's task`, { code: "airflow-on-failure" }));
      continue;
    }
    const id = `${s.id}_passed`;
    passedOf.set(s.id, id);
    const prev = owner.get(id);
    if (prev) diagnostics.push(error(s.pos, `step '${s.id}': the task that lets its failure pass, '${id}', has the task id of step '${prev.id}'`, { code: "airflow-task-id-collision" }));
    else owner.set(id, s);
    if (id.length > ID_MAX) diagnostics.push(error(s.pos, `step '${s.id}': task id '${id}' is not a valid Airflow task id`));
  }
  // A condition inside a map chooses per iteration: a task a branch (`<condition>_takes_then`) skips itself,
  // and so the branch of that iteration, unless the condition chose it (Airflow's branch operators skip
  // by task, not by map index, in mapped task groups on several versions).
  const takesOf = new Map<string, { then?: string; else?: string }>();
  for (const s of p.steps) {
    if (s.kind !== "condition" || mapOf(s.id) === undefined) continue;
    const takes: { then?: string; else?: string } = {};
    for (const side of ["then", "else"] as const) {
      if (!s[side].length) continue;
      const id = `${s.id}_takes_${side}`;
      takes[side] = id;
      const prev = owner.get(id);
      if (prev) diagnostics.push(error(s.pos, `condition step '${s.id}': the task that takes its ${side} branch, '${id}', has the task id of step '${prev.id}'`, { code: "airflow-task-id-collision" }));
      else owner.set(id, s);
      if (id.length > ID_MAX) diagnostics.push(error(s.pos, `condition step '${s.id}': task id '${id}' is not a valid Airflow task id`));
    }
    takesOf.set(s.id, takes);
  }
  // What a later step waits for: a map's results task (after every iteration; upstream_failed when one
  // failed, which a handler's one_failed counts), any other step's tasks.
  const upIds = (d: string) => (passedOf.has(d) ? [passedOf.get(d)!] : resultsOf.has(d) ? [resultsOf.get(d)!] : idsOf.get(d)!);
  // The tasks that may fail for a step: a map's items task and its steps' tasks.
  // A map that tolerates failed iterations fails where its results task does.
  const failTasks = (d: string) => {
    if (!resultsOf.has(d)) return idsOf.get(d)!;
    const m = steps.get(d);
    return m?.kind === "map" && m.tolerate ? [d, resultsOf.get(d)!] : [d, ...(membersOf.get(d) ?? []).flatMap((x) => (passedOf.has(x) ? [passedOf.get(x)!] : idsOf.get(x)!))];
  };
  // What a mapped task group can hold: each iteration's tasks read their item and their own results by map index.
  for (const s of p.steps) {
    const m = mapOf(s.id);
    if (m === undefined) continue;
    const where = `step '${s.id}' runs once an item of map step '${m}'`;
    if (around.get(s.id)!.length > 1 || s.kind === "map") diagnostics.push(error(s.pos, `${where}${s.kind === "map" ? " and is a map itself" : ` inside map step '${around.get(s.id)![1]}'`}: Airflow maps a task group over a list one level deep only (a mapped task group cannot hold another)`));
    else if (!MAP_STEP_KINDS.has(s.kind) || ("repeat" in s && s.repeat)) diagnostics.push(error(s.pos, `${where}: on Airflow a map's steps are lambda, aws, wait or condition steps without repeat (the tasks of a mapped task group, each reading its iteration's item by map index); a ${s.kind} step${"repeat" in s && s.repeat ? " with repeat" : ""} is not written there`, { hint: "run the map on Step Functions, or give the step's work to a lambda or aws step" }));
  }
  if (diagnostics.length) return { diagnostics };

  const texts: string[] = [];
  // Each text's index: a look-up rather than a search of the list for every reference.
  const textIndex = new Map<string, number>();
  const refused = new Map<string, Diagnostic>();
  const env: RefEnv = {
    pipeline: p,
    line: profile.line,
    steps,
    taskIds: (id) => idsOf.get(id) ?? [],
    failing: (id) => handlers.get(id) ?? [],
    isForeach: (id) => steps.get(id)?.foreach !== undefined,
    mapOf,
    resultsTask: (id) => resultsOf.get(id)!,
    text(s) {
      const i = textIndex.get(s);
      if (i !== undefined) return i;
      textIndex.set(s, texts.length);
      texts.push(s);
      return texts.length - 1;
    },
    refuse(pos, message) {
      // A value may be compiled more than once (inline text for imports and macros): say it once.
      const key = `${pos.file}:${pos.line}:${pos.col}: ${message}`;
      if (!refused.has(key)) refused.set(key, error(pos, message, { code: "airflow-unsupported-value" }));
    },
  };

  // Python names: the task id where it is one, else a derived name.
  const used = new Set<string>(RESERVED_NAMES);
  const variableOf = new Map<string, { name: string; noqa: boolean }>();
  for (const s of p.steps) {
    const takes = takesOf.get(s.id);
    for (const id of [...idsOf.get(s.id)!, ...(resultsOf.has(s.id) ? [resultsOf.get(s.id)!] : []), ...(passedOf.has(s.id) ? [passedOf.get(s.id)!] : []), ...(takes?.then ? [takes.then] : []), ...(takes?.else ? [takes.else] : [])]) {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(id) && !used.has(id) && !/^sy_/i.test(id)) {
        used.add(id);
        variableOf.set(id, { name: id, noqa: false });
      } else variableOf.set(id, { name: pythonName(`${id}_task`, used), noqa: true });
    }
  }

  // Failure handlers (`handlers`): the first handler steps wait for the steps whose failure they handle (trigger_rule
  // one_failed); the rest follow them. Without a fail step among them, a last task fails the run.
  // Airflow's one_failed also fires when the upstream task never ran because a task before it failed. So it
  // is used alone only when the failing steps hold all their ancestors (whose failures reach them), waiting
  // for the last of them; otherwise a check task (trigger_rule all_done) lets the handlers go on only if one
  // of the steps failed. (A foreach step's copies, lifted back as steps of their own, give the same DAG.)
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    for (const d of deps.get(id) ?? []) if (!seen.has(d)) ancestors(d, seen.add(d));
    return seen;
  };
  const failureReaders = new Set(p.steps.filter((s) => handlers.has(s.id) && readsFailure(s)).map((s) => s.id));
  const handlerRoots = new Map<string, { direct?: string[]; failing: string[] }>();
  for (const [h, failing] of handlers) {
    if ((deps.get(h) ?? []).some((d) => handlers.has(d))) continue;
    const closed = failing.every((f) => [...ancestors(f)].every((a) => failing.includes(a)));
    const last = failing.filter((f) => !failing.some((o) => (deps.get(o) ?? []).includes(f)));
    handlerRoots.set(h, { ...(closed ? { direct: last } : {}), failing });
  }
  const functions: FunctionView[] = [];
  const tasks: TaskView[] = [];
  const problems: Diagnostic[] = [];
  /** Warnings of the requests (a plan is still made). */
  const warnings: Diagnostic[] = [];
  // Airflow has one retry policy per task; several rules are refused through the capability table.
  const defaultRetry = p.defaults.retry?.[0];
  const aws: Array<[string, Py]> = [["aws_conn_id", str("aws_default")], ["region_name", code("REGION")]];

  const fn = (base: string, body: Statement[]): string => {
    const name = pythonName(base, used);
    const text = body.map((b) => inline(b.value)).join("\n");
    const args = CONTEXT_ARGS.filter(([, re]) => re.test(text)).map(([a]) => a);
    functions.push({ name, args: args.join(", "), body });
    return name;
  };

  // Each map: its steps' tasks in a mapped task group, then the task that gathers the results.
  const mapped: MappedGroup[] = [];
  const groupIds = new Set<string>();
  const lastInMap = new Map<string, string>();
  for (const s of p.steps) if (s.kind === "map") lastInMap.set(s.id, membersOf.get(s.id)?.at(-1) ?? s.id);
  // The index of each map's items task in `tasks`: its group's tasks follow it.
  const itemsAt = new Map<string, number>();
  const closeMap = (m: Extract<Step, { kind: "map" }>) => {
    const from = itemsAt.get(m.id)! + 1;
    const taskId = resultsOf.get(m.id)!;
    const variable = variableOf.get(taskId)!;
    if (tasks.length > from) {
      // Airflow's group key rule (`^[\w-]+$`): a task id's dots become underscores. The function is a Python name.
      let groupId = `${m.id}_each`.replace(/[^A-Za-z0-9_-]/g, "_");
      while (owner.has(groupId) || groupIds.has(groupId)) groupId = `${groupId}_`;
      groupIds.add(groupId);
      mapped.push({ id: groupId, fn: pythonName(groupId, used), items: variableOf.get(m.id)!.name, from, to: tasks.length });
    }
    // Each iteration's result in item order, read with that iteration's index; nothing without `result`.
    env.current = m.id;
    env.iterating = { map: m.id, index: code("index") };
    const result = m.result ? code("lambda index: ", compile(m.result, "python", env)) : undefined;
    // Failed iterations a map tolerates: the task runs once every iteration is done, and fails past the bound;
    // a failed iteration's result is None (written as FAILED where results go to S3).
    // A step that lets its failure pass fails its iteration only where its gate does.
    const members = (membersOf.get(m.id) ?? []).flatMap((x) => (passedOf.has(x) ? [passedOf.get(x)!] : idsOf.get(x)!));
    const bounds: Array<[string, Py]> = [];
    if (m.tolerate?.count !== undefined) bounds.push(["count", num(m.tolerate.count, false)]);
    if (m.tolerate?.percent !== undefined) bounds.push(["percent", num(m.tolerate.percent)]);
    const tolerated = m.tolerate ? call("sy_tolerated", [code("ti"), ...(profile.line === "3" ? [code("run_id")] : []), str(m.id), list(members.map(str))], bounds) : undefined;
    const failed: Array<[string, Py]> = tolerated ? [["failed", tolerated]] : [];
    // Results written to S3 (as Step Functions' ResultWriter lays them out) are not kept in the run.
    const to = m.results_to;
    const each = to
      ? call("sy_write_results", [code("ti"), code("run_id"), str(m.id), result ?? none, compile(to.bucket, "python", env), to.prefix ? compile(to.prefix, "python", env) : none], failed)
      : result
        ? call("sy_results", [code("ti"), str(m.id), result], failed)
        : (tolerated ?? none);
    env.iterating = undefined;
    const name = fn(`${variable.name}_gather`, [{ indent: 4, lead: "return ", value: each, tail: "" }]);
    // It runs when the items task did, whether the iterations ran (an empty list skips them) or not.
    const kwargs: Array<[string, Py]> = [["task_id", str(taskId)], ["python_callable", code(name)], ["trigger_rule", str(m.tolerate ? "all_done" : "none_failed_min_one_success")]];
    if (defaultRetry) kwargs.push(["retries", num(0)]);
    tasks.push({ variable: variable.name, noqa: variable.noqa, cls: "PythonOperator", kwargs, taskId, stepId: m.id, kind: "map" });
  };

  /** The task after a step that lets its failure pass (sy_passed), and its edges from the step's tasks. */
  const gateEdges: Array<[string, string]> = [];
  const passGate = (stepId: string) => {
    const taskId = passedOf.get(stepId)!;
    const variable = variableOf.get(taskId)!;
    const ids = list(idsOf.get(stepId)!.map(str));
    const name = fn(`${variable.name}_gate`, [{ indent: 4, lead: "", value: call("sy_passed", profile.line === "3" ? [code("ti"), code("run_id"), ids] : [code("ti"), ids]), tail: "" }]);
    tasks.push({ variable: variable.name, noqa: variable.noqa, cls: "PythonOperator", kwargs: [["task_id", str(taskId)], ["python_callable", code(name)], ["trigger_rule", str("all_done")], ["retries", num(0)]], taskId, stepId, kind: steps.get(stepId)!.kind });
    for (const id of idsOf.get(stepId)!) gateEdges.push([variableOf.get(id)!.name, variable.name]);
  };

  for (const s of p.steps) {
    env.current = s.id;
    const copies = expandForeach(s);
    copies.forEach(({ index, step }, n) => {
      const taskId = idsOf.get(s.id)![n];
      const variable = variableOf.get(taskId)!;
      const ctx: req.RequestContext = { p, env, task: taskId, problems: [] };
      const kwargs: Array<[string, Py]> = [["task_id", str(taskId)]];
      let cls: string;
      const sagemaker = (c: string, config: Py, extra: Array<[string, Py]> = []) => {
        cls = c;
        kwargs.push(["config", config], ...aws, ...extra);
      };
      const jobArgs: Array<[string, Py]> = [["check_interval", num(opts.checkInterval)], ["action_if_job_exists", str("fail")]];
      switch (step.kind) {
        case "processing":
          sagemaker("SageMakerProcessingOperator", req.processing(step, ctx, index), [["wait_for_completion", bool(true)], ...jobArgs]);
          break;
        case "notebook":
          sagemaker("SageMakerProcessingOperator", req.notebook(step, ctx, index), [["wait_for_completion", bool(true)], ...jobArgs]);
          break;
        case "training":
          sagemaker("SageMakerTrainingOperator", req.training(step, ctx, index), [["wait_for_completion", bool(true)], ["check_if_job_exists", bool(true)], ...jobArgs]);
          break;
        case "tuning":
          sagemaker("SageMakerTuningOperator", req.tuning(step, ctx, index), [["wait_for_completion", bool(true)], ["check_interval", num(opts.checkInterval)]]);
          break;
        case "transform":
          sagemaker("SageMakerTransformOperator", req.transform(step, ctx, index), [
            ["wait_for_completion", bool(true)],
            ["check_if_job_exists", bool(true)],
            ...jobArgs,
          ]);
          break;
        case "model":
          sagemaker("SageMakerModelOperator", req.model(step, ctx, index));
          break;
        case "endpoint":
          sagemaker("SageMakerEndpointOperator", req.endpoint(step, ctx, index), [["wait_for_completion", bool(true)], ["check_interval", num(opts.checkInterval)], ["operation", str("create")]]);
          break;
        case "register-model":
          cls = "SyRegisterModelVersionOperator";
          kwargs.push(
            ["package_group_name", templated(step.package_group, env, true)],
            ["extras", req.registerModel(step, ctx, index)],
            ...aws,
          );
          break;
        case "lambda": {
          // The payload is JSON text: the named fields as an object, or the one value given.
          const body: Value = step.payload_value ?? { kind: "map", entries: step.payload, pos: step.pos };
          if (step.repeat) {
            // Invoked again from one Python task until the condition on the result holds (no operator loops).
            cls = "PythonOperator";
            const until = code("lambda response: ", compile(step.repeat.until, "python", { ...env, self: step.id }));
            const text = call("json.dumps", [compile(body, "python", env)], [["sort_keys", bool(true)]]);
            const outputs = dict(Object.entries(step.outputs).map(([k, t]) => [k, str(t)]));
            const value = call("sy_lambda_repeat", [compile(step.function, "python", env), text, outputs, until, repeatInterval(step, env), ...repeatBound(p, step)]);
            kwargs.push(["python_callable", code(fn(`${variable.name}_call`, [{ indent: 4, lead: "return ", value, tail: "" }]))]);
            break;
          }
          cls = "LambdaInvokeFunctionOperator";
          const payload = fn(`${variable.name}_payload`, [{ indent: 4, lead: "return ", value: call("json.dumps", [compile(body, "python", env)], [["sort_keys", bool(true)]]), tail: "" }]);
          kwargs.push(["function_name", templated(step.function, env, true)], ["payload", str(`{{ ${payload}(${fnArgs(functions, payload)}) }}`)], ["invocation_type", str("RequestResponse")], ...aws);
          break;
        }
        case "condition": {
          // Inside a map, the chosen task ids are only returned: each branch's `takes` task reads them.
          cls = takesOf.has(s.id) ? "PythonOperator" : "BranchPythonOperator";
          const succ = successors.get(s.id) ?? [];
          const inBranch = new Set([...step.then, ...step.else]);
          const always = succ.filter((id) => !inBranch.has(id));
          const ids = (members: string[]) => list([...members, ...always].flatMap((id) => idsOf.get(id) ?? []).map(str));
          const name = fn(`${variable.name}_branch`, [
            { indent: 4, lead: "if ", value: compile(step.if, "python", env), tail: ":" },
            { indent: 8, lead: "return ", value: ids(step.then), tail: "" },
            { indent: 4, lead: "return ", value: ids(step.else), tail: "" },
          ]);
          kwargs.push(["python_callable", code(name)]);
          break;
        }
        case "fail": {
          cls = "PythonOperator";
          // Airflow has no error names: a named error is written before the message.
          const name = fn(`${variable.name}_fail`, [{ indent: 4, lead: "raise ", value: call("AirflowFailException", [pythonText(failText(step), env)]), tail: "" }]);
          kwargs.push(["python_callable", code(name)]);
          break;
        }
        case "approval": {
          cls = "PythonSensor";
          const base = outputLocation(p, s.id, "approval", step.pos, index);
          const where = (file: string): Value => ({ kind: "join", parts: [base, { kind: "literal", value: `/${file}`, type: "string", pos: step.pos }], pos: step.pos });
          const name = fn(`${variable.name}_poke`, [
            {
              indent: 4,
              lead: "return ",
              value: call("sy_approval", [], [
                ["task_id", str(taskId)],
                ["run_id", code("run_id")],
                step.queue ? ["queue", compile(step.queue, "python", env)] : ["function", compile(step.function!, "python", env)],
                ["message", compile({ kind: "map", entries: step.message, pos: step.pos }, "python", env)],
                ["outputs", dict(Object.entries(step.outputs).map(([k, t]) => [k, str(t)]))],
                ["request_uri", compile(where("request.json"), "python", env)],
                ["decision_uri", compile(where("decision.json"), "python", env)],
                ...(step.token_field !== undefined ? [["token_field", str(step.token_field)] as [string, Py]] : []),
              ]),
              tail: "",
            },
          ]);
          const timeout = effectiveTimeout(p, step);
          kwargs.push(["python_callable", code(name)], ["mode", str("reschedule")], ["poke_interval", num(opts.checkInterval)]);
          if (timeout !== undefined) kwargs.push(["timeout", num(timeout)]);
          break;
        }
        case "wait": {
          // Sleeps in the worker from the moment the task starts: exactly the step's pause.
          cls = "PythonOperator";
          const name = fn(`${variable.name}_wait`, [{ indent: 4, lead: "", value: call("time.sleep", [compile(step.seconds, "python", env)]), tail: "" }]);
          kwargs.push(["python_callable", code(name)]);
          break;
        }
        case "glue": {
          cls = "GlueJobOperator";
          kwargs.push(...req.glue(step, ctx, index), ["wait_for_completion", bool(true)], ["job_poll_interval", num(opts.checkInterval)], ...aws);
          break;
        }
        case "emr": {
          cls = "EmrAddStepsOperator";
          const wait = effectiveTimeout(p, step) ?? EMR_DEFAULT_WAIT;
          kwargs.push(
            ["job_flow_id", templated(step.cluster_id, env, true)],
            ["steps", list([req.emrStep(step, ctx, index, taskId)])],
            ["wait_for_completion", bool(true)],
            ["waiter_delay", num(EMR_WAITER_DELAY)],
            ["waiter_max_attempts", num(Math.ceil(wait / EMR_WAITER_DELAY))],
            ...aws,
          );
          break;
        }
        case "aws": {
          // The call runs in the task (never at import), through the provider's connection; the
          // request is plain Python (no Jinja), the declared outputs go to XCom like a Lambda's.
          cls = "PythonOperator";
          const entries = awsRequest(step, ctx.problems);
          const either = textOrJsonMembers(step.service, step.action);
          // A member the integration takes as text or as data: data known only at run time goes as its JSON text.
          const request = dict(Object.entries(entries).map(([k, x]) => {
            const py = compile(x, "python", env);
            if (!either.includes(k) || isText(x)) return [k, py];
            return [k, x.kind === "map" || x.kind === "list" ? call("sy_json", [py]) : call("sy_text", [py])];
          }));
          const outputs = dict(Object.entries(step.outputs).map(([k, t]) => [k, str(t)]));
          // With `wait`, the same call, then the job polled as its row of the waitable table says.
          const row = step.wait ? waitable(step.service, step.action) : undefined;
          if (step.wait && !row) ctx.problems.push(`${step.service}:${step.action} starts no job Airflow knows how to wait for`);
          const passes = lettingPass(p, step, ctx.problems);
          const value = row
            ? call("sy_aws_wait", [str(step.service), str(step.action), request, outputs, jsonPy(waitJob(row, opts.checkInterval, effectiveTimeout(p, step)))])
            : step.repeat
              ? call("sy_aws_repeat", [str(step.service), str(step.action), request, outputs, code("lambda response: ", compile(step.repeat.until, "python", { ...env, self: step.id })), repeatInterval(step, env), ...repeatBound(p, step)])
              : call("sy_aws", [str(step.service), str(step.action), request, outputs], passes.length ? [["passes", list(passes.map(str))]] : []);
          const name = fn(`${variable.name}_call`, [{ indent: 4, lead: "return ", value, tail: "" }]);
          kwargs.push(["python_callable", code(name)]);
          break;
        }
        case "map": {
          // The items, evaluated once: the mapped task group of the map's steps expands over this task's result.
          cls = "PythonOperator";
          const items = step.read ? readItems(step.read, s.id, (v) => compile(v, "python", env)) : step.items ? compile(step.items, "python", env) : none;
          // A batch of items an iteration: the list cut into lists of max_items (a size in bytes has no Airflow form).
          if (step.batch?.max_bytes !== undefined) problems.push(error(step.batch.pos, `map step '${s.id}': batches of at most ${step.batch.max_bytes} bytes have no Airflow form (the items task cuts the list by count: give max_items)`));
          const batch: Array<[string, Py]> = step.batch?.max_items !== undefined ? [["batch", num(step.batch.max_items, false)]] : [];
          // Each item reshaped before it is batched: a lambda of the item as read.
          if (step.batch?.each) batch.push(["each", code("lambda item: ", compile(step.batch.each, "python", { ...env, localItem: "item" }))]);
          const name = fn(`${variable.name}_items`, [{ indent: 4, lead: "return ", value: call("sy_items", [items, str(s.id)], batch), tail: "" }]);
          kwargs.push(["python_callable", code(name)]);
          break;
        }
        case "passthrough":
          cls = "PythonOperator";
          problems.push(error(s.pos, `step '${s.id}': a ${step.target} '${step.type}' step cannot be lowered to Airflow`));
          break;
      }
      // Errors let pass by name are told apart only inside an aws step's call.
      const passing = letPass(step);
      if (step.kind !== "aws" && (passing?.on || passing?.errors)) ctx.problems.push("a failure let pass for some errors only is lowered for aws steps alone, whose call tells the errors apart; a trigger rule sees that a task failed, not which error failed it");
      for (const m of ctx.problems) {
        if (typeof m !== "string" && m.severity === "warning") warnings.push(m);
        else problems.push(typeof m === "string" ? error(s.pos, `step '${s.id}': ${m}`) : m);
      }

      // Retry and timeout: the DAG's default_args carry the pipeline defaults.
      const r = effectiveRetry(p, step)?.[0];
      if (!KINDS[step.kind].retry && defaultRetry) kwargs.push(["retries", num(0)]);
      // Arguments that say what default_args already say (Airflow has no backoff factor) are left to them.
      else if (KINDS[step.kind].retry && !sameRetry(r, defaultRetry) && !(defaultRetry && sameArgs(retryArgs(r, defaultRetry), retryArgs(defaultRetry, undefined)))) kwargs.push(...retryArgs(r, defaultRetry));
      const t = effectiveTimeout(p, step);
      if (step.kind !== "approval" && t !== undefined && t !== p.defaults.timeout) kwargs.push(["execution_timeout", seconds(t)]);
      if (step.kind === "approval" && p.defaults.timeout !== undefined) kwargs.push(["execution_timeout", none]);
      const b = branches.get(s.id);
      const preds = deps.get(s.id) ?? [];
      // A join: a step waits for one in a branch it is not in (or inside), which may be skipped.
      const around = b ? branchesAround(branches, s.id) : [];
      const joins = preds.some((d) => {
        const db = branches.get(d);
        return db && !around.some((x) => x.condition === db.condition && x.branch === db.branch);
      });
      if (handlerRoots.get(s.id)?.direct) kwargs.push(["trigger_rule", str("one_failed")]);
      if (allDone.after.has(s.id)) kwargs.push(["trigger_rule", str("all_done")]);
      // A handler that reads the failure finds it where the failed task kept it.
      if (handlerSteps(s).some((h) => failureReaders.has(h))) kwargs.push(["on_failure_callback", code("sy_keep_failure")]);
      else if (joins) kwargs.push(["trigger_rule", str("none_failed_min_one_success")]);
      // A map's concurrency bounds each of its tasks' running instances (Airflow cannot bound iterations as such).
      const inMap = mapOf(s.id);
      const concurrency = inMap === undefined ? undefined : (steps.get(inMap) as Extract<Step, { kind: "map" }>).concurrency;
      if (concurrency !== undefined) kwargs.push(["max_active_tis_per_dagrun", num(concurrency, false)]);
      if (step.description) kwargs.push(["doc_md", str(step.description)]);
      const bag = step.targets.airflow;
      if (bag) mergeSettings(kwargs, bag.settings, (k) => problems.push(error(bag.pos, `step '${s.id}': airflow setting '${k}' is not an operator argument name`)), ["task_id"]);
      if (step.kind === "map") itemsAt.set(s.id, tasks.length);
      tasks.push({ variable: variable.name, noqa: variable.noqa, cls: cls!, kwargs, taskId, stepId: s.id, kind: step.kind });
      // A map's step that lets its failure pass: its gate is in the map's task group, after it (same map index).
      if (passedOf.has(s.id) && mapOf(s.id) !== undefined) passGate(s.id);
      if (step.kind === "condition" && takesOf.has(s.id)) {
        for (const side of ["then", "else"] as const) {
          const id = takesOf.get(s.id)![side];
          if (!id) continue;
          const v = variableOf.get(id)!;
          const members = list(step[side].flatMap((x) => idsOf.get(x) ?? []).map(str));
          const name = fn(`${v.name}_check`, [{ indent: 4, lead: "", value: call("sy_branch", [code("ti"), str(taskId), members]), tail: "" }]);
          const gateArgs: Array<[string, Py]> = [["task_id", str(id)], ["python_callable", code(name)]];
          if (defaultRetry) gateArgs.push(["retries", num(0)]);
          tasks.push({ variable: v.name, noqa: v.noqa, cls: "PythonOperator", kwargs: gateArgs, taskId: id, stepId: s.id, kind: "condition" });
        }
      }
    });
    const m = s.kind === "map" ? s.id : mapOf(s.id);
    if (m !== undefined && lastInMap.get(m) === s.id) closeMap(steps.get(m) as Extract<Step, { kind: "map" }>);
  }
  // The tasks made so far are the steps' own; those below are made for failure handlers.
  const stepTasks = tasks.length;
  problems.push(...refused.values());
  // The run ends failed after the handlers: a task that fails, after each group of handlers with no fail step.
  const finals: Array<{ taskId: string; variable: string; after: string[]; failing: string[] }> = [];
  const handled = new Set<string>();
  for (const s of p.steps) {
    // A handler that ends succeeded, and several handlers on a step, are refused by the capability table: the first stands for all.
    const h = s.on_failure?.[0];
    if (!h || h.ends === "succeeded" || h.ends === "continues" || handled.has(h.steps.join(","))) continue;
    handled.add(h.steps.join(","));
    const group = h.steps;
    if (group.some((x) => steps.get(x)?.kind === "fail")) continue;
    const failing = p.steps.filter((x) => x.on_failure?.[0].steps.join(",") === group.join(",")).map((x) => x.id);
    const leaves = group.filter((h) => !group.some((o) => (deps.get(o) ?? []).includes(h)));
    let taskId = `${s.id}_failed`;
    while (owner.has(taskId) || finals.some((f) => f.taskId === taskId)) taskId = `${taskId}_`;
    const variable = pythonName(taskId, used);
    const message = handlersRanMessage(failing);
    const name = fn(`${variable}_fail`, [{ indent: 4, lead: "raise ", value: call("AirflowFailException", [str(message)]), tail: "" }]);
    tasks.push({ variable, noqa: variable !== taskId, cls: "PythonOperator", kwargs: [["task_id", str(taskId)], ["python_callable", code(name)], ...(defaultRetry ? ([["retries", num(0)]] as Array<[string, Py]>) : [])], taskId, stepId: s.id, kind: "fail" });
    finals.push({ taskId, variable, after: leaves, failing });
  }

  // Check tasks for handlers whose failing steps are not one step and its ancestors.
  const checks = new Map<string, string>();
  for (const [, r] of handlerRoots) {
    const key = r.failing.join(",");
    if (r.direct || checks.has(key)) continue;
    // Named after the first failing task (a foreach step's first copy), as its copies lifted back name it.
    let taskId = `${idsOf.get(r.failing[0])![0]}_failed_check`;
    while (owner.has(taskId) || tasks.some((t) => t.taskId === taskId)) taskId = `${taskId}_`;
    const variable = pythonName(taskId, used);
    const ids = list(r.failing.flatMap(failTasks).map(str));
    const name = fn(`${variable}_gate`, [{ indent: 4, lead: "", value: call("sy_failed", profile.line === "3" ? [code("ti"), code("run_id"), ids] : [code("ti"), ids]), tail: "" }]);
    tasks.push({ variable, noqa: variable !== taskId, cls: "PythonOperator", kwargs: [["task_id", str(taskId)], ["python_callable", code(name)], ["trigger_rule", str("all_done")], ["retries", num(0)]], taskId, stepId: r.failing[0], kind: "fail" });
    checks.set(key, variable);
  }

  // The tasks that let failures pass, after their steps' tasks (a map's steps' are made with them).
  for (const stepId of passedOf.keys()) if (mapOf(stepId) === undefined) passGate(stepId);
  const edges: Array<[string, string]> = [...gateEdges];

  // A step of a branch of a condition inside a map follows that branch's `takes` task, which follows the condition.
  const takesUp = (d: string, id: string): string[] | undefined => {
    const takes = takesOf.get(d);
    const c = steps.get(d);
    if (!takes || c?.kind !== "condition") return undefined;
    const side = c.then.includes(id) ? takes.then : c.else.includes(id) ? takes.else : undefined;
    return side ? [side] : undefined;
  };
  for (const [c, takes] of takesOf) for (const id of [takes.then, takes.else]) if (id) edges.push([variableOf.get(c)!.name, variableOf.get(id)!.name]);
  for (const s of p.steps) {
    for (const id of idsOf.get(s.id)!) {
      const r = handlerRoots.get(s.id);
      // A map's own tasks follow its items task through `.expand(item=<items>.output)`.
      const m = mapOf(s.id);
      for (const d of deps.get(s.id) ?? []) if (d !== m) for (const up of takesUp(d, s.id) ?? upIds(d)) edges.push([variableOf.get(up)!.name, variableOf.get(id)!.name]);
      for (const f of r?.direct ?? []) if (!(deps.get(s.id) ?? []).includes(f)) for (const up of upIds(f)) edges.push([variableOf.get(up)!.name, variableOf.get(id)!.name]);
      if (r && !r.direct) {
        const check = checks.get(r.failing.join(","))!;
        edges.push([check, variableOf.get(id)!.name]);
      }
    }
  }
  for (const [key, check] of checks) for (const f of key.split(",")) for (const up of upIds(f)) edges.unshift([variableOf.get(up)!.name, check]);
  for (const f of finals) for (const h of f.after) for (const up of idsOf.get(h)!) edges.push([variableOf.get(up)!.name, f.variable]);
  // A map's results task waits for its items task and for the last tasks of each iteration.
  const gatherDeps = new Map<string, string[]>();
  for (const [m, results] of resultsOf) {
    // The steps no other step of the map waits for.
    const own = membersOf.get(m) ?? [];
    const waitedFor = new Set(own.flatMap((o) => deps.get(o) ?? []));
    const last = own.filter((x) => !waitedFor.has(x));
    // (A last step that lets its failure pass ends its iteration with its gate.)
    const ends = [m, ...last.map((x) => passedOf.get(x) ?? x)];
    gatherDeps.set(results, ends);
    for (const up of ends) edges.push([variableOf.get(up)!.name, variableOf.get(results)!.name]);
  }

  // DAG arguments.
  const defaultArgs: Array<[string, Py]> = [];
  if (defaultRetry) defaultArgs.push(...retryArgs(defaultRetry, undefined));
  if (p.defaults.timeout !== undefined) defaultArgs.push(["execution_timeout", seconds(p.defaults.timeout)]);
  const params = p.parameters.map((prm): [string, Py] => {
    const a: Py[] = prm.default !== undefined ? [literalPy(prm.default, prm.type)] : [];
    const kw: Array<[string, Py]> = [["type", str(PARAM_TYPES[prm.type])]];
    if (prm.enum) kw.push(["enum", list(prm.enum.map((e) => literalPy(e, prm.type)))]);
    if (prm.description) kw.push(["description", str(prm.description)]);
    return [prm.name, call("Param", a, kw)];
  });
  // A fixed rate is a timedelta schedule: one run per interval, counted from the DAG's start date.
  // With intervals, a data-interval timetable on both lines (where ds is the interval's start; Airflow 3 reads a bare timedelta as a trigger).
  const schedule = !p.schedule
    ? none
    : p.schedule.every !== undefined
      ? p.schedule.intervals
        ? call("DeltaDataIntervalTimetable", [seconds(p.schedule.every)])
        : seconds(p.schedule.every)
      : call(p.schedule.intervals ? "CronDataIntervalTimetable" : "CronTriggerTimetable", [str(p.schedule.cron ?? "")], [["timezone", str(p.schedule.timezone ?? "UTC")]]);
  // Airflow refuses DAG tags over 100 characters; longer pipeline tags stay on the SageMaker resources only.
  const tagSet = new Set(Object.entries(p.defaults.tags ?? {}).map(([k, v]) => `${k}:${v}`).filter((t) => t.length <= 100));
  tagSet.add("switchyard");
  const dagKwargs: Array<[string, Py]> = [
    ["dag_id", code("DAG_ID")],
    ["schedule", schedule],
    ["start_date", START_DATE],
    ["catchup", bool(false)],
  ];
  if (p.schedule && p.schedule.enabled === false) dagKwargs.push(["is_paused_upon_creation", bool(true)]);
  dagKwargs.push(["tags", list([...tagSet].sort().map(str))]);
  if (params.length) dagKwargs.push(["params", dict(params)]);
  if (defaultArgs.length) dagKwargs.push(["default_args", dict(defaultArgs)]);
  if (p.description) dagKwargs.push(["doc_md", str(p.description)]);
  const dagBag = p.targets.airflow;
  if (dagBag) mergeSettings(dagKwargs, dagBag.settings, (k) => problems.push(error(dagBag.pos, `airflow setting '${k}' is not a DAG argument name`)), ["dag_id"]);
  if (problems.length) return { diagnostics: [...problems, ...warnings] };

  // What the generated text uses decides the helpers, macros and imports.
  // The tasks' arguments (where Jinja is) read where it can show, and the functions' bodies, each printed once, one line a statement.
  const parts = usedParts(tasks.flatMap((t) => t.kwargs.map(([, v]) => v)));
  const functionText = functions.flatMap((f) => f.body.map((b) => inline(b.value))).join("\n");
  // The helper module's names this DAG uses (its own text, or a task's class).
  const named = helperWords(parts.jinja, parts.words, parts.code, functionText);
  const classes = new Set(tasks.map((t) => t.cls));
  const helpers = new Set(Object.keys(HELPERS).filter((h) => named.has(h) || classes.has(h)));
  const macros: Array<[string, Py]> = [];
  const inJinja = macrosCalled(parts.jinja);
  for (const h of ["sy_job_name", "sy_xcom", "sy_output", "sy_cat", "sy_str", "sy_report", "sy_dict", "sy_response", "sy_input", "sy_input_or", "sy_failure", "sy_ti", "sy_map_item", "sy_split", "sy_item", "sy_uuid", "sy_json", "sy_parse", "sy_set", "sy_object", "sy_matches", "sy_at"]) if (inJinja.has(h)) macros.push([h, code(h)]);
  // The functions Jinja calls, read from the text once (not a search of it per function).
  const called = new Set([...parts.jinja.matchAll(/\{\{ ([A-Za-z_][A-Za-z0-9_]*)\(/g)].map((m) => m[1]));
  for (const f of functions) if (called.has(f.name)) macros.push([f.name, code(f.name)]);
  if (texts.length) macros.push(["SY_TEXT", code("SY_TEXT")]);
  if (macros.length) dagKwargs.push(["user_defined_macros", { t: "dict", entries: macros.map(([k, v]) => [str(k), v]) }]);

  const constants: Array<[string, Py]> = [["DAG_ID", str(dagId)], ["REGION", str(p.region)]];
  if (texts.length) constants.push(["SY_TEXT", { t: "tuple", items: texts.map(str) }]);

  // A mapped task group's tasks are drawn as its own (no branch groups inside it).
  const groups = taskGroups(tasks.map((t, i) => ({ taskId: t.taskId, branches: i < stepTasks && mapOf(t.stepId) === undefined ? branchGroups(branches, t.stepId) : undefined })));
  const names = new Set<string>(["DAG", "datetime"]);
  if (groups.length) names.add("TaskGroup");
  if (mapped.length) names.add("task_group");
  for (const t of tasks) if (!(t.cls in HELPERS)) names.add(t.cls);
  if (params.length) names.add("Param");
  if (p.schedule && p.schedule.every === undefined) names.add(p.schedule.intervals ? "CronDataIntervalTimetable" : "CronTriggerTimetable");
  if (p.schedule?.every !== undefined && p.schedule.intervals) names.add("DeltaDataIntervalTimetable");
  if (/\bliteral\(/.test(parts.code)) names.add("literal");
  // Modules and Airflow names are imported for the code that uses them, not for text that names them (a script, a message).
  const inCode = codeNames([parts.code, functionText], MODULE_NAMES, ["json", "operator", "time"]);
  for (const n of MODULE_NAMES) if (inCode.names.has(n)) names.add(n);
  const modules = new Set<string>(["datetime"]);
  for (const m of ["json", "operator", "time"]) if (inCode.modules.has(m)) modules.add(m);
  names.delete("datetime");
  const byModule = new Map<string, string[]>();
  for (const n of names) {
    const m = profile.imports[n];
    if (!m) throw new Error(`no import for ${n}`);
    byModule.set(m, [...(byModule.get(m) ?? []), n]);
  }
  const imports = [...byModule.keys()].sort().map((m) => ({ module: m, names: byModule.get(m)!.sort(cmpImport) }));

  const irHash = createHash("sha256").update(positionFreeJson({ ...given, source: undefined })).digest("hex");
  const flatDeps = new Map<string, string[]>();
  for (const s of p.steps) {
    const m = mapOf(s.id);
    for (const id of idsOf.get(s.id)!) flatDeps.set(id, (deps.get(s.id) ?? []).flatMap((d) => (d === m ? [d] : upIds(d))));
    if (resultsOf.has(s.id)) flatDeps.set(resultsOf.get(s.id)!, gatherDeps.get(resultsOf.get(s.id)!)!);
  }
  return {
    plan: {
      dagId,
      line: profile.line,
      irHash,
      imports,
      modules: [...modules].sort(),
      constants,
      helpers: [...helpers].sort(),
      functions,
      dagKwargs,
      tasks,
      groups,
      mapped,
      dependencies: dependencyChains(tasks, necessaryEdges(tasks, dagKwargs, edges)),
      taskIds: [...flatDeps.keys()],
      deps: flatDeps,
    },
    diagnostics: warnings,
  };
}

/** The task context a generated function takes, when its body names it. */
const CONTEXT_ARGS = (["ti", "params", "run_id", "dag_run", "data_interval_end", "ds", "ds_nodash", "macros"] as const).map((a) => [a, new RegExp(`\\b${a}\\b`)] as const);

/** isort order within a `from` import (ruff's default: constants, classes, then functions; case-sensitive). */
function cmpImport(a: string, b: string): number {
  const rank = (s: string) => (/^[A-Z0-9_]+$/.test(s) && s.length > 1 ? 0 : /^[A-Z]/.test(s) ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function fnArgs(functions: FunctionView[], name: string): string {
  return functions.find((f) => f.name === name)!.args;
}

function literalPy(v: string | number | boolean, type: string): Py {
  if (typeof v === "string") return str(v);
  if (typeof v === "boolean") return bool(v);
  return num(v, type === "float");
}

/**
 * `targets.airflow` settings merged into keyword arguments by the shared rule
 * (src/backend/settings.ts): objects merge key by key, anything else replaces;
 * new keys come after the generated ones. Ids are never replaced.
 */
function mergeSettings(kwargs: Array<[string, Py]>, settings: Record<string, unknown>, bad: (k: string) => void, fixed: string[]): void {
  for (const k of Object.keys(settings)) {
    if (!/^[a-z_][a-z0-9_]*$/.test(k) || fixed.includes(k)) {
      bad(k);
      continue;
    }
    const i = kwargs.findIndex(([n]) => n === k);
    const text = TEMPLATED_ARGS.has(k) ? templatedText : str;
    if (i < 0) kwargs.push([k, jsonPy(settings[k], text)]);
    else kwargs[i] = [k, mergePy(kwargs[i][1], settings[k], text)];
  }
}

function mergePy(base: Py, over: unknown, text: (s: string) => Py): Py {
  if (base.t !== "dict" || over === null || typeof over !== "object" || Array.isArray(over)) return jsonPy(over, text);
  const entries = [...base.entries];
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    const i = entries.findIndex(([key]) => key.t === "str" && key.v === k);
    if (i < 0) entries.push([str(k), jsonPy(v, text)]);
    else entries[i] = [entries[i][0], mergePy(entries[i][1], v, text)];
  }
  return { t: "dict", entries };
}

/** Operator arguments Jinja renders (their strings must stay text). */
const TEMPLATED_ARGS = new Set(["config", "extras", "function_name", "payload", "qualifier", "invocation_type", "image_uri", "model_url", "package_group_name", "package_group_desc", "package_desc", "op_args", "op_kwargs", "templates_dict"]);

/** Raw JSON from a `targets.airflow` bag. */
function jsonPy(j: unknown, text: (s: string) => Py = str): Py {
  if (j === null || j === undefined) return none;
  if (typeof j === "string") return text(j);
  if (typeof j === "number") return num(j);
  if (typeof j === "boolean") return bool(j);
  if (Array.isArray(j)) return list(j.map((x) => jsonPy(x, text)));
  return dict(Object.entries(j as Record<string, unknown>).map(([k, v]) => [k, jsonPy(v, text)]));
}

/** The items a map reads from S3 when it starts, as Step Functions' ItemReader gives them (the helper lists or reads them). */
function readItems(r: MapRead, mapId: string, value: (v: Value) => Py): Py {
  const kw: Array<[string, Py]> = [];
  if (r.prefix) kw.push(["prefix", value(r.prefix)]);
  if (r.key) kw.push(["key", value(r.key)]);
  if (r.format) kw.push(["format", str(r.format)]);
  if (r.columns) kw.push(["columns", list(r.columns.map(str))]);
  if (r.max_items !== undefined) kw.push(["max_items", num(r.max_items, false)]);
  return call("sy_read_items", [value(r.bucket), str(mapId)], kw);
}

/**
 * The error names an aws step's call lets pass (on_failure ends: continues with `errors`): names of
 * the service's errors, on one call made once (a retry comes before the let-pass on Step Functions).
 */
function lettingPass(p: Pipeline, s: StepOf<"aws">, problems: Array<string | Diagnostic>): string[] {
  const h = letPass(s);
  if (!h || !(h.on || h.errors)) return [];
  const say = (why: string) => problems.push(`a failure let pass for some errors only is lowered for named errors of a call made once: ${why}`);
  if (h.on) say(`this handler names error classes (${h.on.join(", ")}), which the call cannot tell apart; name the service's errors in 'errors'`);
  if (s.wait || s.repeat) say(`the step ${s.wait ? "waits for its job" : "repeats its call"}, and the task makes its later calls too`);
  if ((effectiveRetry(p, s)?.[0]?.attempts ?? 1) > 1) say("the step retries, and the let-pass would come before the retries");
  return h.errors ?? [];
}

interface StepGraph {
  deps: ReadonlyMap<string, readonly string[]>;
  successors: Map<string, string[]>;
  handlers: Map<string, string[]>;
  branches: ReturnType<typeof branchMembership>;
  mapOf: (id: string) => string | undefined;
  idsOf: Map<string, string[]>;
}

/**
 * The first steps (nothing before them) that let every failure pass and whose later steps wait for such
 * steps alone, and those later steps: each a plain task of its own, outside conditions and maps, no
 * failure handler, with no trigger rule set for Airflow. O(steps + dependencies): a step found not to
 * fit takes the first steps before it out once.
 */
export function allDoneAfterFirst(p: Pipeline, g: StepGraph): { first: Set<string>; after: Set<string> } {
  const plain = (s: Step) => !g.handlers.has(s.id) && !g.branches.get(s.id) && g.mapOf(s.id) === undefined && g.idsOf.get(s.id)!.length === 1;
  const first = new Set<string>();
  for (const s of p.steps) {
    const h = letPass(s);
    if (h && !h.on && !h.errors && s.kind !== "map" && plain(s) && !g.deps.get(s.id)?.length && g.successors.get(s.id)?.length) first.add(s.id);
  }
  if (!first.size) return { first, after: new Set() };
  const steps = new Map(p.steps.map((s) => [s.id, s]));
  const fits = (id: string) => {
    const s = steps.get(id)!;
    return s.kind !== "map" && plain(s) && s.targets.airflow?.settings.trigger_rule === undefined && (g.deps.get(id) ?? []).every((d) => first.has(d));
  };
  const unfit = new Set<string>();
  const queue = [...first].flatMap((a) => g.successors.get(a)!).filter((b) => !fits(b));
  while (queue.length) {
    const id = queue.pop()!;
    if (unfit.has(id)) continue;
    unfit.add(id);
    for (const d of g.deps.get(id) ?? []) if (first.delete(d)) queue.push(...g.successors.get(d)!);
  }
  return { first, after: new Set([...first].flatMap((a) => g.successors.get(a)!)) };
}
