/**
 * Airflow DAG files back to the IR. Python's own `ast` reads the file
 * (templates/airflow/lift_dag.py, run with python3; the DAG is never imported);
 * this module maps what it found: SageMaker, Lambda, branch, fail, approval and
 * generated aws tasks to step kinds, TaskFlow functions to function steps
 * (lift-taskflow.ts), Params, schedule, default_args and edges. Anything without a
 * neutral kind is refused, naming the task; all refusals at once.
 */
import { schedulePeriod } from "../../src/ir/cron.js";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LiftInput, LiftResult } from "../../src/backend/types.js";
import { FUNCTIONS } from "../../src/ir/expr/functions.js";
import { VARIABLE_NAME } from "../../src/ir/expr/parser.js";
import { repeatCalls, repeatEnd } from "../../src/ir/defaults.js";
import { watchedSteps, watchOf } from "./lift-step-sensor.js";
import { error, hasErrors, sortDiagnostics, warning, type Diagnostic } from "../../src/diagnostics.js";
import { checkPipeline } from "../../src/ir/check/index.js";
import { readsOfMade } from "../../src/ir/check/let-pass.js";
import { mapStepValues } from "../../src/ir/foreach.js";
import { mapRefs, walkStepValues, walkValue } from "../../src/ir/walk.js";
import { entries, staticJson, verifyLift } from "./verify.js";
import { groupNotKept, stepIdsOf } from "./lift-ids.js";
import { contractEmptyTasks, JOIN_RULES, ruleText } from "./lift-empty.js";
import { missingGiven, takeGiven, type GivenKey } from "../../src/backend/lift-given.js";
import { ROLE_STEP_KINDS } from "../../src/aws/role.js";
import { DEFAULT_CHECK_INTERVAL, handlersRanMessage, waitJob, type WaitJob } from "./plan.js";
import { jsonTextMembers, textOrJsonMembers } from "../../src/aws/request-members.js";
import { GLUE_RUN_ID, joinParts, RESPONSE_IN_XCOM, XCOM_IS_RESPONSE_MEMBER } from "./values.js";
import { waitable } from "../../src/aws/waitable.js";
import { decoratorKind, functionOf, TaskflowLift } from "./lift-taskflow.js";
import { FUNCTION_RESULT } from "../../src/aws/function-step.js";
import { completeMaps, mappedGroups, ownMapStep, type MapReader } from "./lift-map.js";
import { fromFailText, fromJson, literalOf, positionFreeJson, readKey as keyOf } from "../../src/ir/values.js";
import { outputLocation } from "../../src/ir/dataflow.js";
import { REPEAT_LIMIT_ERROR, type Repeat } from "../../src/ir/types.js";
import type { CodeFile, DataInput, DataOutput, JobKms, JobNetwork, Parameter, ParameterRange, PathSegment, Pipeline, Pos, RetryPolicy, ScalarType, Step, StepCommon, StepOf, Value } from "../../src/ir/types.js";
import { printPathText } from "../../src/ir/expr/path-text.js";

type At = { at?: [number, number]; via?: string };
type J = At &
  (
    | { const: string | number | boolean | null; float?: boolean; jinja?: Array<J | { text: string }> | null }
    | { name: string }
    | { attr: [J, string] }
    | { call: string; args: J[]; kwargs: Record<string, J>; spread?: J[] }
    | { sub: [J, J] }
    | { list: J[] }
    | { dict: Array<[J | null, J]> }
    | { src: string; fstring?: boolean; parts?: J[]; xcom_of?: string[]; item_of?: string; xcom?: string; keys?: Array<string | number>; output?: boolean; changed?: string }
    | { lambda: string | null; body: J }
  );

export interface Task {
  var: string;
  cls: string;
  kwargs: Record<string, J>;
  spread?: J[];
  line: number;
  col: number;
  /** A TaskFlow call: the @task function and where it is defined. */
  function?: string;
  defined?: { line: number; col: number; decorator: string };
  /** A TaskFlow call's arguments (a task's result is an `xcom` node). */
  call?: { args: J[]; kwargs: Record<string, J>; spread?: boolean };
  /** A mapped TaskFlow call (`expand`, `partial`). */
  mapped?: string;
  /** One of the tasks `Op.partial(task_id=...).expand(...)` makes over values written in the file: which, of how many. */
  copy_of?: { task_id: string; index: number; count: number; line: number; col: number };
  /** Made in a `with TaskGroup(...)` block that prefixes ids: the group's id, which Airflow puts before the task_id. */
  prefix?: string;
  /** A PythonOperator's python_callable, a function of the file (its arguments, written out, are in `call`). */
  callable?: string;
  /**
   * Upstream tasks (variables) this task waits for through an empty join task taken out of the DAG
   * (lift-empty.ts): it waits for those of them that ran, as that task did.
   */
  joins?: string[];
  /** The trigger rule of that join, where it was one_success (which runs it after the first task before it succeeds). */
  joinRule?: string;
}

/** A module-level name a @task function reads, and what binds it. */
export interface TaskflowNeed {
  name: string;
  kind: "import" | "const" | "function" | "other" | "enclosing" | "undefined";
  module?: string;
  text?: string;
  line?: number;
  at: [number, number];
}

/** A @task function as the reader found it. */
export interface TaskflowFunction {
  line: number;
  col: number;
  decorator: string;
  name: string;
  kwargs: Record<string, J>;
  decorator_args?: boolean;
  decorators: number;
  source: string;
  params: string[];
  positional: string[];
  posonly?: string[];
  required: string[];
  varargs?: string;
  varkw?: string;
  context_params: string[];
  returns?: string;
  needs: TaskflowNeed[];
  future: string[];
  async: boolean;
  /** Why the source, taken out of the file, does not parse. */
  source_error?: string;
  /** A @task.branch function's statements (if/return), read as a BranchPythonOperator's callable is. */
  body?: Stmt[];
}

type Stmt = { if?: J; then?: J; return?: J; raise?: J; call?: J; assign?: string; value?: J; other?: string; line: number; col?: number };

export interface FoundGroup {
  id: string;
  /** The group it is in. */
  parent: string | null;
  line: number;
  col: number;
  tasks: string[];
  prefixed: boolean;
  /** Made with its id alone (and prefix_group_id), as a lowered DAG makes its groups. */
  plain: boolean;
  /**
   * A mapped task group: `.expand(<param>=<task>.output)`, once an item of the list the task returned,
   * or `.expand(<param>=[...])` over a list written in the file (`items`, and no task).
   */
  expand?: { task: string | null; items?: unknown; param: string };
}

export interface FoundDag {
  kwargs: Record<string, J>;
  line: number;
  col: number;
  tasks: Task[];
  edges: Array<[string, string]>;
  problems: Array<{ line: number; col: number; message: string }>;
  /**
   * `with TaskGroup(...)` blocks (`tasks`: their tasks' variables, those of groups inside included).
   * The IR has no groups: a warning says so, except for a group that the DAG of the lifted pipeline
   * has again (groups.ts; checked in verify.ts).
   */
  groups?: FoundGroup[];
  /** Task ids of empty tasks a branch returns to do nothing, taken out of the DAG (lift-empty.ts): that branch has no steps. */
  emptyBranches?: Set<string>;
  /** EmrStepSensor tasks lifted into the emr step they watch (lift-step-sensor.ts): the sensor's task id -> that step's id. */
  watched?: Map<string, string>;
  /** Conditions the lift makes for the later ways of a branch callable (if/elif/else), to the step of the task whose callable it is. */
  laterWays?: Map<string, string>;
  /** Steps the lift makes first for a task it lifts as two (an EMR Serverless delete: stop, then delete), to that task's step. */
  firstParts?: Map<string, string>;
}

export interface Found {
  constants: Record<string, unknown>;
  functions: Record<string, Stmt[]>;
  taskflow: Record<string, TaskflowFunction>;
  /** The functions of the file PythonOperators call, described as @task functions are. */
  callables?: Record<string, TaskflowFunction>;
  dags: FoundDag[];
}

export type { J };

function script(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const f = join(dir, "templates", "airflow", "lift_dag.py");
    if (existsSync(f)) return f;
    dir = dirname(dir);
  }
  throw new Error("templates/airflow/lift_dag.py not found");
}

export function canLift(input: LiftInput): boolean {
  return /\.py$/i.test(input.file) && /\bairflow\b/.test(input.text) && /\bDAG\s*\(|@dag\b/.test(input.text);
}

const OPS: Record<string, "==" | "!=" | "<" | "<=" | ">" | ">="> = { "operator.eq": "==", "operator.ne": "!=", "operator.lt": "<", "operator.le": "<=", "operator.gt": ">", "operator.ge": ">=" };
const ARITH: Record<string, "+" | "-" | "*" | "/"> = { "operator.add": "+", "operator.sub": "-", "operator.mul": "*", "operator.truediv": "/" };
export const PRESETS: Record<string, string> = { "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *" };

export class Lifter {
  diags: Diagnostic[] = [];
  /**
   * Errors about what the pipeline would leave out (a DAG's callbacks) that do not stop it being built: the
   * pipeline is still checked against the DAG, so the problems the check finds are listed with them.
   */
  held: Diagnostic[] = [];
  /** While reading a repeated call's condition: its step and the lambda's parameter (the call's response). */
  self?: { step: string; param: string };
  /** While reading a batched map's `each=lambda item: ...`: the lambda's parameter, the item as read. */
  localItem?: string;
  /** While reading a @task.branch function: its parameters, bound to what its call passes (a value, or a function step's result). */
  locals?: Map<string, Value>;
  /** Task id -> step id (foreach copies keep their own ids: lifted unrolled). */
  steps = new Map<string, Step>();
  /** Declared outputs seen in `sy_output(ti, task, name, type)` uses. */
  outputs = new Map<string, Record<string, ScalarType>>();
  reports = new Map<string, Map<string, { output: string; file: string }>>();
  /** Reports read from an output written to its own destination: which step's is known once every task is read. */
  pendingReports: Array<{ where: Value; file: string; ref: { step: string; report: string }; pos: Pos }> = [];
  artifacts?: string;
  /** Airflow ids of tasks in task groups (`group.task`) -> their step ids. */
  airflowIds = new Map<string, string>();
  /** Task ids of the tasks that gather maps' results (lift-map.ts) -> the maps' step ids. */
  mapResults = new Map<string, string>();
  /** Variables of operators a sensor after them watches (lift-step-sensor.ts): lifted with the sensor as a step that waits. */
  watchedOperators = new Set<string>();
  /**
   * Where the logical date is read: `ds` itself (`bare`), whose meaning depends on the timetable, or the
   * date of the data interval's end (the scheduled time on every timetable); the schedule decides at the end.
   */
  dateReads: Array<{ bare: boolean; pos: Pos }> = [];
  /** `{{ prev_ds }}` and `{{ next_ds }}`: add_days() of the logical date by the schedule's period, which the schedule gives at the end. */
  scheduleShifts: Array<{ name: string; at: Value; problem?: string; pos: Pos }> = [];

  constructor(
    readonly file: string,
    readonly found: Found,
  ) {}

  pos(line: number, col = 1): Pos {
    return { file: this.file, line, col };
  }

  /** The position of a node, else of its statement. */
  at(at: [number, number] | undefined, line: number, col = 1): Pos {
    return at ? this.pos(at[0], at[1]) : this.pos(line, col);
  }

  constant(name: string): unknown {
    return this.found.constants[name];
  }

  str(j: J | undefined): string | undefined {
    const v = j && this.value(j, this.pos(1));
    return v && v.kind === "literal" && typeof v.value === "string" ? v.value : undefined;
  }

  /** A Python or Jinja expression as an IR value; undefined when it is not one we can read. */
  value(j: J, pos: Pos): Value | undefined {
    if (this.locals && ("name" in j || "sub" in j)) {
      const l = this.local(j, pos);
      if (l) return l;
    }
    if ("const" in j) {
      if (j.jinja) return this.jinja(j.jinja, pos);
      if (j.jinja === null) return undefined;
      const v = j.const;
      const type: ScalarType | undefined = typeof v === "string" ? "string" : typeof v === "boolean" ? "boolean" : typeof v === "number" ? (j.float ? "float" : "integer") : undefined;
      return type ? { kind: "literal", value: v, type, pos } : { kind: "literal", value: v, pos };
    }
    if ("name" in j) {
      if (j.name === "run_id") return { kind: "ref", ref: { scope: "execution", name: "id" }, pos };
      if (j.name === "ds" || j.name === "ds_nodash") return this.logicalDate(j.name === "ds_nodash", true, pos);
      // Airflow 2's dates around ds: the day before and after, and the scheduled runs' before and after.
      if (j.name === "yesterday_ds" || j.name === "tomorrow_ds") return this.addDays(j.name === "yesterday_ds" ? -1 : 1, pos);
      if (j.name === "prev_ds" || j.name === "next_ds") {
        const days = this.daysBetweenRuns();
        const shifted = this.addDays(typeof days === "number" ? (j.name === "prev_ds" ? -days : days) : 0, pos);
        this.scheduleShifts.push({ name: j.name, at: shifted.args[1], problem: typeof days === "string" ? days : undefined, pos });
        return shifted;
      }
      if (this.localItem !== undefined && j.name === this.localItem) return { kind: "ref", ref: { scope: "item", path: [] }, pos };
      const c = this.constant(j.name);
      if (c === undefined || (typeof c === "object" && c !== null)) return undefined;
      return this.value({ const: c as string | number | boolean | null, float: typeof c === "number" && !Number.isInteger(c) }, pos);
    }
    if ("list" in j) {
      const items = j.list.map((x) => this.value(x, pos));
      return items.every((x) => x) ? { kind: "list", items: items as Value[], pos } : undefined;
    }
    if ("dict" in j) {
      const entries: Record<string, Value> = {};
      for (const [k, v] of j.dict) {
        const key = k && "const" in k && typeof k.const === "string" ? k.const : undefined;
        const val = this.value(v, pos);
        if (key === undefined || !val) return undefined;
        entries[key] = val;
      }
      return { kind: "map", entries, pos };
    }
    const input = confPath(j);
    if (input) return { kind: "ref", ref: { scope: "execution", name: "input", path: input }, pos };
    // An f-string of values the file does not write out (a Variable read when the file is parsed): their text joined.
    if ("src" in j && j.fstring && j.parts) {
      const parts = j.parts.map((x) => this.value(x, pos));
      if (!parts.every((x) => x)) return undefined;
      // One value alone is that value (its text), as the lowering writes it back.
      return parts.length === 1 ? parts[0] : { kind: "join", parts: parts as Value[], pos };
    }
    // A mapped task group's parameter: the iteration's item.
    if ("src" in j && j.item_of !== undefined) return { kind: "ref", ref: { scope: "item", path: [] }, pos };
    // `<task>.output`: the task's XCom result, as xcom_pull(task_ids=<its id>) reads it.
    if ("src" in j && j.xcom_of?.length === 1 && j.src.endsWith(".output") && !j.changed) return this.xcomRef(this.taskIdOf(j.xcom_of[0]), [], pos);
    if ("sub" in j) {
      const [base, key] = j.sub;
      if ("name" in base && base.name === "params" && "const" in key && typeof key.const === "string") return { kind: "ref", ref: { scope: "params", name: key.const }, pos };
      // `context["params"]["x"]` in a callable that takes **context.
      if ("sub" in base && "name" in base.sub[0] && ["context", "kwargs"].includes(base.sub[0].name) && "const" in base.sub[1] && base.sub[1].const === "params" && "const" in key && typeof key.const === "string") {
        return { kind: "ref", ref: { scope: "params", name: key.const }, pos };
      }
      const pulled = xcomPull(j);
      if (pulled) return this.xcomRef(pulled.task, pulled.keys, pos, pulled.decoded);
      if ("name" in base && base.name === "SY_TEXT" && "const" in key && typeof key.const === "number") {
        const texts = this.constant("SY_TEXT") as string[] | undefined;
        return texts && typeof texts[key.const] === "string" ? { kind: "literal", value: texts[key.const], type: "string", pos } : undefined;
      }
      // Any other index: item() of a list; a key written out, get() of an object (a JSON Variable's member).
      const list = this.value(base, pos);
      const index = this.value(key, pos);
      if (list && index?.kind === "literal" && typeof index.value === "string") return { kind: "call", fn: "get", args: [list, { kind: "literal", value: printPathText([index.value]), type: "string", pos }], pos };
      return list && index && index.kind === "literal" && typeof index.value === "number" ? { kind: "call", fn: "item", args: [list, index], pos } : undefined;
    }
    if ("attr" in j) {
      if ("name" in j.attr[0] && j.attr[0].name === "params") return { kind: "ref", ref: { scope: "params", name: j.attr[1] }, pos };
      // Jinja's `var.value.x` (an Airflow Variable's text) and `var.json.x` (its text parsed as JSON).
      const accessor = variableAccessor(j.attr[0]);
      if (accessor) return this.variable(j.attr[1], accessor === "json", pos);
      // The DAG's id, as the lowering writes execution.pipeline_name (and Jinja's `dag.dag_id`).
      if ("name" in j.attr[0] && ["dag_run", "dag"].includes(j.attr[0].name) && j.attr[1] === "dag_id") return { kind: "ref", ref: { scope: "execution", name: "pipeline_name" }, pos };
      return undefined;
    }
    // The run's start time, as the lowering writes execution.start_time.
    if ("call" in j && j.call === "dag_run.start_date.isoformat" && !j.args.length && !Object.keys(j.kwargs).length) return { kind: "ref", ref: { scope: "execution", name: "start_time" }, pos };
    // The date of the data interval's end, as the lowering writes execution.logical_date (Jinja's filter, Python's strftime).
    // Airflow 3's run_after is the same time where a run has a data interval (the lowering writes it there).
    if ("call" in j && (j.call === "jinja.ds" || j.call === "jinja.ds_nodash") && j.args.length === 1 && isScheduledTime(j.args[0])) return this.logicalDate(j.call === "jinja.ds_nodash", false, pos);
    // The logical date's own time (the data interval's start on every timetable): {{ ds }} written otherwise.
    if ("call" in j && (j.call === "jinja.ds" || j.call === "jinja.ds_nodash") && j.args.length === 1 && "name" in j.args[0] && LOGICAL_TIMES.has(j.args[0].name)) return this.logicalDate(j.call === "jinja.ds_nodash", true, pos);
    const strftime = "call" in j && j.call.endsWith(".strftime") && j.args.length === 1 && !Object.keys(j.kwargs).length && "const" in j.args[0] && (j.args[0].const === "%Y-%m-%d" || j.args[0].const === "%Y%m%d") ? { of: j.call.slice(0, -".strftime".length), nodash: j.args[0].const === "%Y%m%d" } : undefined;
    if (strftime && (strftime.of === "data_interval_end" || strftime.of === "dag_run.run_after")) return this.logicalDate(strftime.nodash, false, pos);
    if (strftime && LOGICAL_TIMES.has(strftime.of)) return this.logicalDate(strftime.nodash, true, pos);
    if ("call" in j) return this.call(j, pos);
    return undefined;
  }

  /** An Airflow Variable's text (parsed as JSON for `var.json`); undefined for a key no variable name may be. */
  /** Variables read by `Variable.get` in an operator's arguments, said once each. */
  private parsedReads = new Set<string>();

  /**
   * `Variable.get` in an operator's argument (a module constant's, a factory function's) runs when the
   * file is parsed; the lifted step reads the variable when it runs. Not in a callable's body (`locals`),
   * which runs with the task.
   */
  private readAtParse(j: J & { call: string }, name: string, json: boolean, pos: Pos): void {
    if (j.call !== "Variable.get" || this.locals || this.parsedReads.has(name)) return;
    this.parsedReads.add(name);
    this.diags.push(
      warning(j.at ? this.pos(j.at[0], j.at[1]) : pos, `Variable.get("${name}") runs when the file is parsed (each time the scheduler parses it), not when a task runs; the lifted pipeline reads the variable when its step runs: the same value unless the variable changes between a parse and the run`, {
        code: "lift-variable",
        hint: `Airflow reads a variable when the task runs in a template: {{ var.${json ? "json" : "value"}.${name} }}`,
      }),
    );
  }

  variable(name: string, json: boolean, pos: Pos): Value | undefined {
    if (!VARIABLE_NAME.test(name)) return undefined;
    const read: Value = { kind: "ref", ref: { scope: "variables", name }, pos };
    return json ? { kind: "call", fn: "parse", args: [read], pos } : read;
  }

  private scheduleDays?: number | string;

  /**
   * The whole days from one scheduled run to the next (Airflow 2's prev_ds and next_ds are that far from ds), or why
   * there is no such number: the schedule has none, runs at uneven gaps or in a zone whose days vary, or is not days.
   */
  daysBetweenRuns(): number | string {
    if (this.scheduleDays !== undefined) return this.scheduleDays;
    const dag = this.found.dags[0];
    const { schedule } = dag ? readSchedule(this, dag, this.pos(dag.line)) : { schedule: undefined };
    if (!schedule) return (this.scheduleDays = "the DAG has no schedule");
    const period = schedulePeriod(schedule);
    if ("reason" in period) return (this.scheduleDays = period.reason);
    return (this.scheduleDays = period.seconds % 86_400 === 0 ? period.seconds / 86_400 : `its schedule's period (${period.seconds} s) is no whole number of days`);
  }

  /** add_days() of `{{ ds }}`. */
  addDays(days: number, pos: Pos): Extract<Value, { kind: "call" }> {
    return { kind: "call", fn: "add_days", args: [this.logicalDate(false, true, pos), { kind: "literal", value: days, type: "integer", pos }], pos };
  }

  logicalDate(nodash: boolean, bare: boolean, pos: Pos): Value {
    this.dateReads.push({ bare, pos });
    return { kind: "ref", ref: { scope: "execution", name: nodash ? "logical_date_nodash" : "logical_date" }, pos };
  }

  jinja(parts: Array<J | { text: string }>, pos: Pos): Value | undefined {
    const out: Value[] = [];
    for (const p of parts) {
      if ("text" in p) out.push({ kind: "literal", value: p.text, type: "string", pos });
      else {
        const v = this.value(p as J, pos);
        if (!v) return undefined;
        out.push(v);
      }
    }
    return out.length === 1 ? out[0] : { kind: "join", parts: out, pos };
  }

  taskStep(id: string | undefined): string | undefined {
    return id === undefined ? undefined : id;
  }

  call(j: Extract<J, { call: string }>, pos: Pos): Value | undefined {
    const args = () => j.args.map((a) => this.value(a, pos));
    const two = () => {
      const [l, r] = args();
      return l && r ? [l, r] : undefined;
    };
    if (j.call === "literal" || j.call.endsWith(".literal") || j.call === "sy_str") return j.args[0] && this.value(j.args[0], pos);
    if (OPS[j.call]) {
      const lr = two();
      return lr && { kind: "compare", op: OPS[j.call], left: lr[0], right: lr[1], pos };
    }
    if (ARITH[j.call]) {
      const lr = two();
      return lr && { kind: "arith", op: ARITH[j.call], left: lr[0], right: lr[1], pos };
    }
    if (j.call === "operator.contains") {
      const lr = two();
      return lr && { kind: "in", value: lr[1], list: lr[0], negated: false, pos };
    }
    if (j.call === "operator.not_") {
      const [x] = args();
      // `not in` is written not_(contains(...)); a `not` around that stays a `not`.
      if (x && x.kind === "in" && !x.negated) return { ...x, negated: true };
      return x && { kind: "not", operand: x, pos };
    }
    if ((j.call === "all" || j.call === "any") && j.args[0] && "list" in j.args[0]) {
      const ops = j.args[0].list.map((x) => this.value(x, pos));
      return ops.every((x) => x) ? { kind: "logic", op: j.call === "all" ? "and" : "or", operands: ops as Value[], pos } : undefined;
    }
    // The language's functions, as the lowering writes them (backends/airflow/values.ts).
    if (j.call === "sy_exists" && j.args.length >= 1 && "name" in j.args[0]) {
      const inner = this.value({ call: j.args[0].name, args: j.args.slice(1), kwargs: {}, at: j.at }, pos);
      return inner && { kind: "call", fn: "exists", args: [inner], pos };
    }
    // get(value, 'a.b[0]'): sy_at(value, "a", "b", 0).
    if (j.call === "sy_at" && j.args.length >= 2) {
      const [value, ...rest] = j.args.map((x) => this.value(x, pos));
      const path = rest.map((x) => (x?.kind === "literal" && (typeof x.value === "string" || (typeof x.value === "number" && Number.isInteger(x.value) && x.value >= 0)) ? x.value : undefined));
      if (!value || path.some((s) => s === undefined)) return undefined;
      return { kind: "call", fn: "get", args: [value, { kind: "literal", value: printPathText(path as PathSegment[]), type: "string", pos }], pos };
    }
    // sy_set(x, k1, v1, k2, v2, ...): set() one key after another.
    if (j.call === "sy_set" && j.args.length > 3 && (j.args.length - 1) % 2 === 0) {
      const a = args();
      if (!a.every((x) => x)) return undefined;
      let out = a[0]!;
      for (let i = 1; i < a.length; i += 2) out = { kind: "call", fn: "set", args: [out, a[i]!, a[i + 1]!], pos };
      return out;
    }
    // Airflow's macro (the task context's `macros` in Python, as the lowering writes add_days()).
    if (j.call === "macros.ds_add" && j.args.length === 2 && !Object.keys(j.kwargs).length) {
      const [date, days] = args();
      return date && days && { kind: "call", fn: "add_days", args: [date, days], pos };
    }
    const fn = ({ sy_split: "split", sy_item: "item", len: "length", sy_uuid: "uuid", sy_json: "json", sy_parse: "parse", sy_set: "set", sy_object: "object", sy_matches: "matches" } as const)[j.call as "sy_split"];
    if (fn && j.args.length === FUNCTIONS[fn].params.length) {
      const a = args();
      return a.every((x) => x) ? { kind: "call", fn, args: a as Value[], pos } : undefined;
    }
    if (j.call === "sy_cat" && j.args.length === 4) {
      // A tuning step's model: <output prefix>/<best training job>/output/model.tar.gz.
      const best = j.args[2];
      const keys = best && "call" in best && best.call === "sy_xcom" ? best.args.slice(2).map((k) => this.str(k)).join("/") : "";
      const task = best && "call" in best ? this.str(best.args[1]) : undefined;
      if (keys === "Tuning/BestTrainingJob/TrainingJobName" && task && this.str(j.args[1]) === "/" && this.str(j.args[3]) === "/output/model.tar.gz") {
        return { kind: "ref", ref: { scope: "steps", step: task, attr: "model" }, pos };
      }
    }
    if (j.call === "sy_cat" || j.call === "sy_dict") {
      if (j.call === "sy_dict") return undefined;
      const parts = args();
      // One part is still a join: text, written as sy_cat(...) where the value alone is written otherwise.
      return parts.every((x) => x) ? { kind: "join", parts: parts as Value[], pos } : undefined;
    }
    if (j.call === "sy_xcom") {
      const task = this.str(j.args[1]);
      const keys = j.args.slice(2).map((k) => this.str(k));
      if (!task || keys.some((k) => k === undefined)) return undefined;
      return this.xcomRef(task, keys as string[], pos);
    }
    const pulled = xcomPull(j);
    if (pulled) return this.xcomRef(pulled.task, pulled.keys, pos, pulled.decoded);
    // `var.value.get('x')` in Jinja, `Variable.get("x")` in Python (the lowering's sy_variable("x")).
    const accessor = j.call === "var.value.get" ? "value" : j.call === "var.json.get" ? "json" : undefined;
    if ((accessor || j.call === "Variable.get" || j.call === "sy_variable") && j.args.length === 1 && !Object.keys(j.kwargs).length) {
      const name = this.str(j.args[0]);
      const read = name === undefined ? undefined : this.variable(name, accessor === "json", pos);
      if (read) this.readAtParse(j, name!, false, pos);
      return read;
    }
    // With a default (the second argument, or Variable.get's default_var=, Airflow 3's default=): default() of the
    // variable's text. A JSON variable (var.json, deserialize_json=True) is that text parsed, and its default the value
    // itself: parse() of default() with the default's JSON text (data written out).
    if (accessor || j.call === "Variable.get" || j.call === "sy_variable") {
      const { deserialize_json: asJson, ...kwargs } = j.kwargs;
      const json = accessor === "json" || (!!asJson && "const" in asJson && asJson.const === true);
      if (asJson && !("const" in asJson && typeof asJson.const === "boolean")) return undefined;
      const kw = Object.keys(kwargs);
      const fbJ = j.args.length === 2 && !kw.length ? j.args[1] : j.args.length === 1 && kw.length === 1 && (kw[0] === "default_var" || kw[0] === "default") ? kwargs[kw[0]] : undefined;
      const name = j.args.length && (fbJ || !kw.length) ? this.str(j.args[0]) : undefined;
      const read = name === undefined ? undefined : this.variable(name, false, pos);
      const fallback = fbJ && this.value(fbJ, pos);
      if (!read || (fbJ && !fallback)) return undefined;
      // A JSON variable's default is kept as its JSON text, which parse() gives back: data written out only.
      const data = json && fallback ? literalOf(fallback) : undefined;
      if (json && fallback && data === undefined) return undefined;
      const text: Value = fallback ? { kind: "call", fn: "default", args: [read, json ? { kind: "literal", value: JSON.stringify(data), type: "string", pos } : fallback], pos } : read;
      this.readAtParse(j, name!, json, pos);
      return json ? { kind: "call", fn: "parse", args: [text], pos } : text;
    }
    // `dag_run.conf.get('k', fallback)` (None without one), and the lowering's sy_input_or(dag_run, fallback, *path): default() of the run's input.
    if (j.call === "dag_run.conf.get" && (j.args.length === 1 || j.args.length === 2) && !Object.keys(j.kwargs).length) {
      const key = this.str(j.args[0]);
      const fallback = j.args[1] ? this.value(j.args[1], pos) : ({ kind: "literal", value: null, pos } as Value);
      return key !== undefined && fallback ? { kind: "call", fn: "default", args: [{ kind: "ref", ref: { scope: "execution", name: "input", path: [key] }, pos }, fallback], pos } : undefined;
    }
    if (j.call === "sy_input_or" && j.args.length >= 3 && "name" in j.args[0] && j.args[0].name === "dag_run" && !Object.keys(j.kwargs).length) {
      const path = this.path(j.args.slice(2));
      const fallback = this.value(j.args[1], pos);
      return path && fallback ? { kind: "call", fn: "default", args: [{ kind: "ref", ref: { scope: "execution", name: "input", path }, pos }, fallback], pos } : undefined;
    }
    if (j.call === "sy_input" && j.args[0] && "name" in j.args[0] && j.args[0].name === "dag_run") {
      const path = this.path(j.args.slice(1));
      return path && { kind: "ref", ref: { scope: "execution", name: "input", path }, pos };
    }
    // A failure handler's read of the error its failed task kept (sy_keep_failure).
    if (j.call === "sy_failure" && j.args[0] && "name" in j.args[0] && j.args[0].name === "ti" && j.args[1] && "list" in j.args[1]) {
      const path = this.path(j.args.slice(2));
      return path && { kind: "ref", ref: { scope: "failure", path }, pos };
    }
    if (j.call === "sy_response" && j.args.length >= 3) {
      const task = this.str(j.args[1]);
      const keyJ = j.args[2];
      const key = "const" in keyJ && keyJ.const === null ? null : this.str(keyJ);
      const path = this.path(j.args.slice(3));
      // The key must be where this task's operator puts its response (read from the file's own task).
      const expected = task === undefined ? undefined : this.responseKey(task);
      if (!task || key === undefined || !path || (expected !== undefined && expected !== key)) return undefined;
      return { kind: "ref", ref: { scope: "steps", step: task, attr: "response", path }, pos };
    }
    // One iteration's item of a map, as the lowering writes it (the map index is the task's or the results task's).
    if (j.call === "sy_map_item" && j.args.length >= 3) {
      const path = this.path(j.args.slice(3));
      return path && { kind: "ref", ref: { scope: "item", path }, pos };
    }
    // The id of the iteration a map's task runs in.
    if (j.call === "sy_iteration_id" && j.args.length === 3) return { kind: "ref", ref: { scope: "iteration", name: "id" }, pos };
    if (j.call === "sy_output") {
      const task = this.str(j.args[1]);
      const name = this.str(j.args[2]);
      const type = this.str(j.args[3]) as ScalarType | undefined;
      if (!task || !name || !type) return undefined;
      this.outputs.set(task, { ...(this.outputs.get(task) ?? {}), [name]: type });
      return { kind: "ref", ref: { scope: "steps", step: task, attr: "outputs", name }, pos };
    }
    // In a batched map's each: the item as read.
    if (j.call === "sy_get" && this.localItem !== undefined && j.args[0] && "name" in j.args[0] && j.args[0].name === this.localItem) {
      const path = this.path(j.args.slice(1));
      return path && { kind: "ref", ref: { scope: "item", path }, pos };
    }
    // In a repeated call's condition: the response of the call just made.
    if (j.call === "sy_get" && this.self && j.args[0] && "name" in j.args[0] && j.args[0].name === this.self.param) {
      const path = this.path(j.args.slice(1));
      return path && { kind: "ref", ref: { scope: "steps", step: this.self.step, attr: "response", path }, pos };
    }
    if (j.call === "sy_get" && j.args[0] && "call" in j.args[0] && j.args[0].call === "sy_report") {
      const path: PathSegment[] = [];
      for (const a of j.args.slice(1)) {
        if (!("const" in a) || (typeof a.const !== "string" && typeof a.const !== "number")) return undefined;
        path.push(a.const);
      }
      return this.report(j.args[0], path, pos);
    }
    if (j.call === "sy_report") return this.report(j, [], pos);
    return undefined;
  }

  /** The task id of a task variable of the DAG. */
  taskIdOf(v: string): string {
    for (const d of this.found.dags) for (const t of d.tasks) if (t.var === v) return this.str(t.kwargs.task_id) ?? v;
    return v;
  }

  /** Path segments written as helper arguments: text (maybe by SY_TEXT index) or whole numbers. */
  path(args: J[]): PathSegment[] | undefined {
    const out: PathSegment[] = [];
    for (const a of args) {
      if ("const" in a && typeof a.const === "number" && Number.isInteger(a.const) && a.const >= 0 && a.jinja === undefined) out.push(a.const);
      else {
        const s = this.str(a);
        if (s === undefined) return undefined;
        out.push(s);
      }
    }
    return out;
  }

  /** The task of the DAG with this task id. */
  taskById(id: string): Task | undefined {
    for (const d of this.found.dags) for (const t of d.tasks) if ((this.str(t.kwargs.task_id) ?? t.var) === id) return t;
    return undefined;
  }

  /**
   * Where a task's service response sits in its XCom result: under a key for
   * SageMaker operators, the result itself (null) for Lambda and generated aws
   * tasks; undefined when the task is not one of those.
   */
  responseKey(id: string): string | null | undefined {
    const t = this.taskById(id);
    if (!t) return undefined;
    const cls = t.cls.split(".").pop()!;
    if (cls !== "PythonOperator") return RESPONSE_IN_XCOM[cls];
    // A PythonOperator has a response only as a generated aws task.
    const call = this.returnedCall(t);
    return call === "sy_aws" || call === "sy_aws_wait" || call === "sy_aws_repeat" || call === "sy_lambda_repeat" ? null : undefined;
  }

  /** Whether the task invokes a Lambda function (its XCom result is the function's JSON text). */
  invokesLambda(id: string): boolean {
    const t = this.taskById(id);
    const cls = t?.cls.split(".").pop();
    return cls === "LambdaInvokeFunctionOperator" || (cls === "PythonOperator" && this.returnedCall(t!) === "sy_lambda_repeat");
  }

  /** The function a PythonOperator's one-statement callable returns a call of (a generated task's helper). */
  private returnedCall(t: Task): string | undefined {
    const fn = t.kwargs.python_callable && "name" in t.kwargs.python_callable ? this.found.functions[t.kwargs.python_callable.name] : undefined;
    const ret = fn?.length === 1 ? fn[0].return : undefined;
    return ret && "call" in ret ? ret.call : undefined;
  }

  /** A parameter of the function being read (see locals), or a key below one. */
  private local(j: J, pos: Pos): Value | undefined {
    if ("name" in j) {
      const v = this.locals?.get(j.name);
      return v && { ...v, pos };
    }
    if (!("sub" in j)) return undefined;
    const base = this.local(j.sub[0], pos);
    const key = j.sub[1];
    if (!base || !("const" in key) || (typeof key.const !== "string" && typeof key.const !== "number")) return undefined;
    // A key below a function's result (its report): the report one key deeper.
    if (base.kind === "ref" && base.ref.scope === "steps" && base.ref.attr === "reports") return { ...base, ref: { ...base.ref, path: [...base.ref.path, key.const] } };
    return keyOf(base, key.const);
  }

  /** A value inside a task's XCom result (the describe-job response of SageMaker operators). */
  xcomRef(airflowId: string, keys: PathSegment[], pos: Pos, decoded = false): Value | undefined {
    const map = this.mapResults.get(airflowId);
    if (map !== undefined) return decoded ? undefined : { kind: "ref", ref: { scope: "steps", step: map, attr: "results", path: keys }, pos };
    const task = this.airflowIds.get(airflowId) ?? airflowId;
    // Inside a SageMaker operator's result, an aws task's or a Lambda's decoded payload: the step's response, unless a narrower reference says it.
    const within = this.responseKey(task);
    const response = (path: PathSegment[]): Value => ({ kind: "ref", ref: { scope: "steps", step: task, attr: "response", path }, pos });
    // An operator whose XCom result is one member of its call's response (a text, with nothing below it).
    const t = this.taskById(task);
    // An id the operator reads from its first call's response, where the step that waits keeps another on each target.
    if (XCOM_ID_OF_WAITED_CALL.has(t?.cls.split(".").pop() ?? "")) return undefined;
    const member = XCOM_IS_RESPONSE_MEMBER[t?.cls.split(".").pop() ?? ""] ?? (t && glueStartsOnly(t, this.watchedOperators) ? GLUE_RUN_ID : undefined);
    if (member) return keys.length || decoded ? undefined : response(member);
    const lambda = this.invokesLambda(task);
    if (decoded) return lambda ? response(keys) : undefined;
    if (within === null && !lambda) return response(keys);
    const narrow = keys.every((k) => typeof k === "string") ? this.xcomAttr(task, keys as string[], pos) : undefined;
    if (narrow) return narrow;
    if (typeof within === "string" && keys[0] === within) return response(keys.slice(1));
    return undefined;
  }

  xcomAttr(task: string, keys: string[], pos: Pos): Value | undefined {
    const key = keys.join("/");
    const attr =
      key === "Training/ModelArtifacts/S3ModelArtifacts"
        ? "model"
        : key.endsWith("JobName")
          ? "job_name"
          : key === "Model/ModelName" || key === "Endpoint/EndpointName"
            ? "name"
            : key === "Endpoint/EndpointArn" || key === ""
              ? "arn"
              : undefined;
    return attr ? { kind: "ref", ref: { scope: "steps", step: task, attr }, pos } : undefined;
  }

  /** The first part of an expression that value() cannot read, said in words, with where it is. */
  why(j: J, outer?: [number, number]): { at?: [number, number]; text: string } {
    const at = j.at ?? outer;
    if (this.value(j, this.pos(1)) !== undefined) return { at, text: "" };
    if ("const" in j) {
      if (j.jinja === null) return { at, text: `the Jinja template ${JSON.stringify(j.const)} (only {{ expression }} parts can be read)` };
      if (j.jinja) {
        for (const p of j.jinja) if (!("text" in p) && this.value(p as J, this.pos(1)) === undefined) return { at, text: `the Jinja expression {{ ${jinjaText(p as J)} }} in ${JSON.stringify(j.const)}, which has no neutral form` };
      }
      return { at, text: JSON.stringify(j.const) };
    }
    if ("list" in j) for (const x of j.list) if (this.value(x, this.pos(1)) === undefined) return this.why(x, at);
    if ("dict" in j) {
      for (const [k, x] of j.dict) {
        if (!k || !("const" in k) || typeof k.const !== "string") return { at: k?.at ?? at, text: k ? `the computed key ${jinjaText(k)}` : "a `**` spread" };
        if (this.value(x, this.pos(1)) === undefined) return this.why(x, at);
      }
    }
    if ("call" in j) {
      const helper = SDK_HELPERS.has(j.call.split(".").pop()!);
      if (helper) return { at, text: `a call to the SageMaker SDK helper ${j.call}(...), which builds the request when the file is parsed` };
      if (j.call === "literal" || j.call.endsWith(".literal") || j.call === "sy_str" || j.call === "sy_cat" || j.call.startsWith("operator.")) for (const a of j.args) if (this.value(a, this.pos(1)) === undefined) return this.why(a, at);
      return { at, text: `a call to ${j.call}(...)` };
    }
    if ("name" in j) return { at, text: `the name ${j.name}, which is not a constant written in the file` };
    if ("src" in j && j.changed) return { at, text: `${j.src}, whose value the file changes after writing it (${j.changed}), so the value written is not the one the task gets` };
    if ("src" in j && j.xcom_of) {
      const ids = j.xcom_of.map((x) => this.taskIdOf(x));
      const waited = ids.map((x) => this.taskById(x)?.cls.split(".").pop() ?? "").find((c) => XCOM_ID_OF_WAITED_CALL.has(c));
      if (waited) return { at, text: `${j.src}, the id ${waited} returns from its first call's response; the lifted step waits and keeps the final Describe response, not that one` };
      return { at, text: `${j.src}, the result (XCom) of task ${ids.map((x) => `'${x}'`).join(", ")} at run time` };
    }
    if ("src" in j && j.fstring && j.parts) {
      const unread = j.parts.find((x) => this.value(x, this.pos(1)) === undefined);
      if (unread) return this.why(unread, at);
    }
    if ("src" in j) return { at, text: j.fstring ? `the f-string ${j.src}, which is computed when the file is parsed` : `\`${j.src}\`` };
    return { at, text: `\`${jinjaText(j)}\`` };
  }

  /** `sy_report(<artifacts>/<run>/<step>/<output>, file)` -> a report of that step. */
  report(j: Extract<J, { call: string }>, path: PathSegment[], pos: Pos): Value | undefined {
    const where = this.value(j.args[0], pos);
    const file = this.str(j.args[1]);
    if (!where || !file) return undefined;
    const last = where.kind === "join" ? where.parts[where.parts.length - 1] : undefined;
    const m = last && last.kind === "literal" && typeof last.value === "string" ? /^\/([^/]+)\/([^/]+)$/.exec(last.value) : null;
    if (!m) {
      const ref = { scope: "steps" as const, step: "", attr: "reports" as const, report: "", path };
      this.pendingReports.push({ where, file, ref, pos });
      return { kind: "ref", ref, pos };
    }
    const [, step, output] = m;
    const byStep = this.reports.get(step) ?? new Map();
    byStep.set(output, { output, file });
    this.reports.set(step, byStep);
    return { kind: "ref", ref: { scope: "steps", step, attr: "reports", report: output, path }, pos };
  }

  /** The literal part of an output location before the run id: the pipeline's artifacts prefix. */
  noteArtifacts(v: Value | undefined): void {
    if (this.artifacts || !v || v.kind !== "join") return;
    const [first, second] = v.parts;
    if (first?.kind === "literal" && typeof first.value === "string" && second?.kind === "ref" && second.ref.scope === "execution") {
      this.artifacts = first.value.replace(/\/$/, "");
    }
  }
}

function get(j: J | undefined, ...keys: string[]): J | undefined {
  let cur = j;
  for (const k of keys) {
    if (!cur || !("dict" in cur)) return undefined;
    const hit: [J | null, J] | undefined = cur.dict.find(([key]) => key !== null && "const" in key && key.const === k);
    cur = hit?.[1];
  }
  return cur;
}

/**
 * GlueJobOperator arguments that create or update the job definition before the run starts (the hook's
 * get_or_create_glue_job / create_or_update_glue_job); a Glue step or call starts an existing job.
 */
const GLUE_JOB_DEFINITION = ["script_location", "s3_bucket", "iam_role_name", "iam_role_arn", "create_job_kwargs", "update_config", "num_of_dpus", "concurrent_run_limit", "retry_limit", "replace_script_file", "job_desc"];

/**
 * A GlueJobOperator that only starts the run (wait_for_completion=False written out, not deferrable, no job definition
 * arguments, no GlueJobSensor after it watching the run): lifted as the StartJobRun call, which does not wait either.
 * Its XCom result is the run's id.
 */
function glueStartsOnly(t: Task, watchedOperators: ReadonlySet<string>): boolean {
  if (t.cls.split(".").pop() !== "GlueJobOperator" || watchedOperators.has(t.var)) return false;
  const off = (j: J | undefined) => j !== undefined && "const" in j && j.const === false;
  const deferrable = t.kwargs.deferrable;
  return off(t.kwargs.wait_for_completion) && (deferrable === undefined || off(deferrable)) && GLUE_JOB_DEFINITION.every((k) => t.kwargs[k] === undefined || isNone(t.kwargs[k]!));
}

/** Why common operators have no neutral kind, said with the refusal. */
const NO_KIND: Record<string, string> = {
  TimeDeltaSensor: "it waits until a time after the data interval's end; a neutral wait starts when the step starts",
  TimeDeltaSensorAsync: "it waits until a time after the data interval's end; a neutral wait starts when the step starts",
  JobSensor: "it watches a job another task started; start that job with wait_for_completion=True instead",
  BashOperator: "it runs a shell command in the worker",
  S3CreateObjectOperator: "S3 object operations are not pipeline steps",
  S3DeleteObjectsOperator: "S3 object operations are not pipeline steps",
  S3CreateBucketOperator: "S3 bucket operations are not pipeline steps",
  S3DeleteBucketOperator: "S3 bucket operations are not pipeline steps",
  EmptyOperator: "a task that does nothing orders other tasks; write the order as dependencies",
  DummyOperator: "a task that does nothing orders other tasks; write the order as dependencies",
};

/** BatchOperator's arguments sent as they are (when given), and the SubmitJob request members they become. */
const BATCH_SUBMIT_ARGS: ReadonlyArray<[string, string]> = [
  ["array_properties", "arrayProperties"],
  ["container_overrides", "containerOverrides"],
  ["ecs_properties_override", "ecsPropertiesOverride"],
  ["eks_properties_override", "eksPropertiesOverride"],
  ["node_overrides", "nodeOverrides"],
  ["retry_strategy", "retryStrategy"],
  ["share_identifier", "shareIdentifier"],
  ["scheduling_priority_override", "schedulingPriorityOverride"],
];

/** EcsRunTaskOperator's arguments sent as they are, and the RunTask request members they become. */
const ECS_RUN_TASK_ARGS: ReadonlyArray<[string, string]> = [
  ["volume_configurations", "volumeConfigurations"],
  ["platform_version", "platformVersion"],
  ["group", "group"],
  ["placement_constraints", "placementConstraints"],
  ["placement_strategy", "placementStrategy"],
  ["network_configuration", "networkConfiguration"],
  ["propagate_tags", "propagateTags"],
];

/** SnsPublishOperator's arguments and the Publish request members the provider sends them as. */
const SNS_PUBLISH_ARGS: ReadonlyArray<[string, string]> = [
  ["target_arn", "TargetArn"],
  ["message", "Message"],
  ["subject", "Subject"],
  ["message_deduplication_id", "MessageDeduplicationId"],
  ["message_group_id", "MessageGroupId"],
];
const isNone = (j: J) => "const" in j && j.const === null;

/**
 * Operators lifted as an aws step that waits whose XCom result is an id from the call's own response (the
 * job run's): the waited step keeps the final Describe response, where the id is below the run's other members.
 */
const XCOM_ID_OF_WAITED_CALL = new Set(["EmrServerlessStartJobOperator"]);

/** Operators whose `config` is a SageMaker request. */
const OPERATOR_KINDS = new Set(["SageMakerProcessingOperator", "SageMakerTrainingOperator", "SageMakerTuningOperator", "SageMakerTransformOperator", "SageMakerModelOperator", "SageMakerEndpointOperator"]);

/** Helpers of `sagemaker.workflow.airflow` that build operator configs from SDK objects. */
const SDK_HELPERS = new Set([
  "training_config",
  "tuning_config",
  "transform_config",
  "transform_config_from_estimator",
  "model_config",
  "model_config_from_estimator",
  "deploy_config",
  "deploy_config_from_estimator",
  "processing_config",
]);

/** The run's logical date as a time, which every timetable makes its data interval's start: what {{ ds }} writes the date of. */
const LOGICAL_TIMES: ReadonlySet<string> = new Set(["logical_date", "data_interval_start", "execution_date"]);

/** `data_interval_end`, or Airflow 3's `dag_run.run_after`: the time a run is scheduled for (or was triggered). */
function isScheduledTime(j: J): boolean {
  if ("name" in j) return j.name === "data_interval_end";
  return "attr" in j && j.attr[1] === "run_after" && "name" in j.attr[0] && j.attr[0].name === "dag_run";
}

/** Jinja's `var.value` or `var.json`: which accessor of Airflow Variables `j` is. */
function variableAccessor(j: J): "value" | "json" | undefined {
  if (!("attr" in j) || !("name" in j.attr[0]) || j.attr[0].name !== "var") return undefined;
  return j.attr[1] === "value" || j.attr[1] === "json" ? j.attr[1] : undefined;
}

/** `dag_run.conf["a"][0]` (in Jinja or Python): the path into the run's conf. */
function confPath(j: J): PathSegment[] | undefined {
  const path: PathSegment[] = [];
  let cur = j;
  while ("sub" in cur) {
    const k = cur.sub[1];
    if (!("const" in k) || k.jinja !== undefined || !(typeof k.const === "string" || (typeof k.const === "number" && Number.isInteger(k.const) && k.const >= 0))) return undefined;
    path.unshift(k.const);
    cur = cur.sub[0];
  }
  return "attr" in cur && cur.attr[1] === "conf" && "name" in cur.attr[0] && cur.attr[0].name === "dag_run" ? path : undefined;
}

/** `ti.xcom_pull(task_ids="t")["a"]["b"]`: the task and the keys. */
function xcomPull(j: J): { task: string; keys: PathSegment[]; decoded: boolean } | undefined {
  const keys: PathSegment[] = [];
  let cur = j;
  while ("sub" in cur) {
    const k = cur.sub[1];
    if (!("const" in k) || !(typeof k.const === "string" || (typeof k.const === "number" && Number.isInteger(k.const) && k.const >= 0))) return undefined;
    keys.unshift(k.const);
    cur = cur.sub[0];
  }
  // `json.loads(ti.xcom_pull(...))[...]`: a Lambda task's payload text, decoded.
  const decoded = "call" in cur && cur.call === "json.loads" && cur.args.length === 1;
  if (decoded && "call" in cur) cur = cur.args[0];
  if (!("call" in cur) || !/^(ti|task_instance)\.xcom_pull$/.test(cur.call)) return undefined;
  const t = cur.kwargs.task_ids ?? cur.args[0];
  const key = cur.kwargs.key;
  if (key && !("const" in key && key.const === "return_value")) return undefined;
  return t && "const" in t && typeof t.const === "string" ? { task: t.const, keys, decoded } : undefined;
}

/** An expression tree back as short Python-like text (for messages). */
function jinjaText(j: J): string {
  if ("const" in j) return JSON.stringify(j.const);
  if ("name" in j) return j.name;
  if ("attr" in j) return `${jinjaText(j.attr[0])}.${j.attr[1]}`;
  if ("call" in j) return `${j.call}(${[...j.args.map(jinjaText), ...Object.entries(j.kwargs).map(([k, v]) => `${k}=${jinjaText(v)}`)].join(", ")})`;
  if ("sub" in j) return `${jinjaText(j.sub[0])}[${jinjaText(j.sub[1])}]`;
  if ("list" in j) return `[${j.list.map(jinjaText).join(", ")}]`;
  if ("dict" in j) return "{...}";
  if ("lambda" in j) return `lambda ${j.lambda}: ${jinjaText(j.body)}`;
  return j.src;
}

/**
 * A string argument Airflow never renders (doc_md, a DAG's description and tags, a Param's description): its
 * text as written, `{{` and all.
 */
export function plainText(j: J | undefined): string | undefined {
  return j && "const" in j && typeof j.const === "string" ? j.const : undefined;
}

function items(j: J | undefined): J[] {
  return j && "list" in j ? j.list : [];
}

/** default_args the pipeline holds itself (its retry and timeout defaults), or says it does not keep (the dates). */
const DEFAULT_ARGS_IN_IR = new Set(["retries", "retry_delay", "retry_exponential_backoff", "max_retry_delay", "execution_timeout", "start_date", "end_date"]);

/** Airflow's retry_delay when a task and its default_args give none (BaseOperator's default, 5 minutes). */
export const AIRFLOW_RETRY_DELAY = 300;

/** A duration written as seconds or as timedelta(...), in seconds. */
export function seconds(j: J | undefined): number | undefined {
  if (!j) return undefined;
  if ("const" in j && typeof j.const === "number") return j.const;
  if ("call" in j && /timedelta$/.test(j.call)) {
    const unit: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
    let total = 0;
    for (const [k, v] of Object.entries(j.kwargs)) if ("const" in v && typeof v.const === "number" && unit[k]) total += v.const * unit[k];
    return total;
  }
  return undefined;
}

/**
 * The reader's output for the texts read last. A lift reads the DAG, then the DAG its pipeline lowers to, to
 * compare them; when that is the same text (a DAG Switchyard wrote), the reader need not run again (1.7 s
 * for 1,000 tasks). Kept as text: each read parses its own copy, which the lift may change.
 */
const READ_TEXTS = new Map<string, string>();
const READS_KEPT = 2;
/**
 * The header of a DAG Switchyard wrote: two comment lines, the second the hash of the pipeline it was written
 * from, which the lifted pipeline does not have again (positions differ). The reader never sees comments, so
 * texts that differ only there read the same. Only when the first line is a comment too: then no string is
 * open on the second.
 */
const IR_HASH_LINE = /^(#[^\r\n]*\r?\n# IR sha256:)[0-9a-f]{64}(?=\r?\n)/;
export const readKey = (text: string) => text.replace(IR_HASH_LINE, "$1");

/** The DAG file as Python's ast sees it, or why it cannot be read. */
export function readDag(text: string, file: string): Found | Diagnostic {
  const python = process.env.SWITCHYARD_PYTHON ?? "python3";
  let out: string;
  try {
    // The file's name, which `os.path.basename(__file__)` reads (a DAG id made from it); its folder differs where the DAG runs.
    const name = file.split(/[\\/]/).pop() ?? file;
    const key = `${name}\n${readKey(text)}`;
    out = READ_TEXTS.get(key) ?? execFileSync(python, [script(), name], { input: text, encoding: "utf8", maxBuffer: 64 << 20, stdio: ["pipe", "pipe", "pipe"] });
    READ_TEXTS.delete(key);
    READ_TEXTS.set(key, out);
    if (READ_TEXTS.size > READS_KEPT) READ_TEXTS.delete(READ_TEXTS.keys().next().value!);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      return error({ file, line: 1, col: 1 }, `${python} is not on PATH: importing an Airflow DAG needs Python 3 to read the file (it is parsed, never run)`, { code: "lift-python", hint: "install Python 3, or set SWITCHYARD_PYTHON to a Python 3 interpreter" });
    }
    const msg = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split("\n").pop();
    return error({ file, line: 1, col: 1 }, `cannot read the DAG file with Python: ${msg}`, { code: "lift-parse" });
  }
  const parsed = JSON.parse(out) as Found & { syntax?: { line: number; col: number; message: string } };
  if (parsed.syntax) return error({ file, line: parsed.syntax.line, col: parsed.syntax.col }, `Python syntax error: ${parsed.syntax.message}`, { code: "lift-parse" });
  return parsed;
}

export function lift(input: LiftInput): LiftResult {
  const read = readDag(input.text, input.file);
  if ("severity" in read) return { diagnostics: [read] };
  const empty = contractEmptyTasks(read, input.file);
  const { held = [], ...found } = liftFound(input, read);
  const lifted = { ...found, diagnostics: [...empty, ...found.diagnostics] };
  if (!lifted.pipeline) return lifted;
  // What the front ends check (a DAG whose tasks wait for each other in a cycle, which Airflow refuses too) before the lift is lowered again.
  const checked = checkPipeline(lifted.pipeline);
  if (hasErrors(checked)) return { diagnostics: sortDiagnostics([...lifted.diagnostics, ...checked, ...held]) };
  const verified = verifyLift(input, read, lifted, {
    read: (text) => readDag(text, input.file),
    reading: (f) => {
      const L = new Lifter(input.file, f);
      return {
        value: (j) => L.value(j, L.pos(1)),
        str: (j) => L.str(j),
        payload: (t) => {
          const r = readPayload(L, t);
          if (typeof r === "object" && "entries" in r) return positionFreeJson(r.entries);
          return typeof r === "object" && "value" in r ? positionFreeJson({ value: r.value }) : undefined;
        },
      };
    },
  });
  // Held errors refuse the lift, beside what the check of the pipeline found.
  if (held.length) return { diagnostics: sortDiagnostics([...verified.diagnostics, ...held]) };
  return verified.pipeline && lifted.files ? { ...verified, files: lifted.files } : verified;
}

function liftFound(input: LiftInput, found: Found): LiftResult & { held?: Diagnostic[] } {
  const L = new Lifter(input.file, found);
  if (found.dags.length !== 1) {
    return { diagnostics: [error(L.pos(1), `expected one DAG in the file, found ${found.dags.length}`, { code: "lift-dag-count" })] };
  }
  const dag = found.dags[0];
  for (const p of dag.problems) L.diags.push(error(L.pos(p.line, p.col), p.message, { code: "lift-unsupported" }));
  if (!dag.tasks.length && !dag.problems.length) return { diagnostics: [...L.diags, error(L.pos(dag.line, dag.col), "the DAG has no task the reader found, so there is no pipeline to lift", { code: "lift-empty" })] };
  const byVar = new Map(dag.tasks.map((t) => [t.var, t]));
  const taskIds = groupedIds(L, dag);
  // Mapped task groups are map steps (lift-map.ts); the task that gathers a map's results stands for the map.
  const mapReader: MapReader = {
    str: (j) => L.str(j as J),
    value: (j, at) => L.value(j as J, at),
    pos: (line, col) => L.pos(line, col),
    resultOf: (task, at) => L.xcomRef(task, [], at),
    valueOfItem: (j, param, at) => {
      L.localItem = param;
      try {
        return L.value(j as J, at);
      } finally {
        L.localItem = undefined;
      }
    },
  };
  const maps = mappedGroups(mapReader, dag, found.functions as never, taskIds, L.diags);
  const resultsTasks = new Map(maps.filter((m) => m.results).map((m) => [m.results!.var, m]));
  for (const m of resultsTasks.values()) L.mapResults.set(L.str(m.results!.kwargs.task_id) ?? m.results!.var, m.id);
  // An EmrStepSensor watching the step an EmrAddStepsOperator added is that step (lift-step-sensor.ts).
  const watched = watchedSteps(dag, (t) => L.str(t.kwargs.task_id));
  L.watchedOperators = new Set(watched.values());
  const idOf = (v: string) => {
    const x = watched.get(v) ?? v;
    return resultsTasks.get(x)?.id ?? taskIds(x);
  };
  const taskflow = new TaskflowLift(L, byVar, idOf, input.file);

  const steps: Step[] = [];
  /** Output locations as written: kept as explicit destinations where they are not the default layout. */
  const explicit: Array<{ step: string; name: string; value: Value; set: (v: Value) => void }> = [];
  /** Generated failure checks: task id -> the steps whose failure they let through. */
  const gates = new Map<string, string[]>();
  /** Tasks that let the failures of the tasks they list pass (sy_passed), by their ids. */
  const passers = new Map<string, { ids: string[]; pos: Pos }>();
  const defaultArgs = dag.kwargs.default_args;
  const dflt = (k: string) => get(defaultArgs, k);
  if (defaultArgs && !("dict" in defaultArgs)) L.diags.push(error(L.at(defaultArgs.at, dag.line), `default_args is ${L.why(defaultArgs).text}; write it as a dict in the file`, { code: "lift-value" }));
  // A condition inside a map (plan.ts): a PythonOperator returning the chosen task ids, and a task a branch
  // calling sy_branch(ti, '<condition>', [...]) that skips its iteration's branch unless chosen. The
  // condition reads back as a branch; the `takes` tasks are not steps, and an edge from one is the condition's.
  const takesOf = new Map<string, string>();
  for (const t of dag.tasks) {
    const c = t.kwargs.python_callable;
    const fn = t.cls.split(".").pop() === "PythonOperator" && c && "name" in c ? found.functions[c.name] : undefined;
    const call = fn?.length === 1 ? fn[0].call : undefined;
    const cond = call && "call" in call && call.call === "sy_branch" && call.args.length === 3 ? L.str(call.args[1]) : undefined;
    if (cond !== undefined && dag.tasks.some((x) => L.str(x.kwargs.task_id) === cond)) takesOf.set(t.var, cond);
  }
  const conditionsInMaps = new Set(takesOf.values());
  // Step ids the lift makes for the later ways of a branch callable, none of them a task's.
  const taken = new Set(dag.tasks.map((t) => idOf(t.var)));
  const freshId = (base: string) => {
    let fresh = base;
    for (let n = 2; taken.has(fresh); n++) fresh = `${base}_${n}`;
    taken.add(fresh);
    return fresh;
  };
  dag.laterWays = new Map();
  dag.firstParts = new Map();
  for (const t of dag.tasks) {
    if (resultsTasks.has(t.var) || takesOf.has(t.var) || watched.has(t.var)) continue;
    const pos = L.pos(t.line, t.col);
    const id = idOf(t.var);
    /** The conditions of a branch callable's later ways (branchOf), lifted after its own. */
    const extra: StepOf<"condition">[] = [];
    /** A step the task's operator makes first, before the call of the task's own step (lifted before it). */
    let firstPart: Step | undefined;
    if (t.spread?.length) L.diags.push(error(pos, `task '${id}': arguments passed with ** (${t.spread.map((x) => L.why(x).text || "a dict").join(", ")}) cannot be read one by one`, { code: "lift-value" }));
    let cfg = t.kwargs.config;
    const doc = plainText(t.kwargs.doc_md);
    const common: StepCommon = { id, ...(doc !== undefined ? { description: doc } : {}), depends_on: [], tags: {}, environment: {}, targets: {}, pos };
    const v = (j: J | undefined): Value | undefined => (j ? L.value(j, L.at(j.at, t.line, t.col)) : undefined);
    const need = (j: J | undefined, what: string): Value => {
      const x = v(j);
      if (!x) {
        if (!j) L.diags.push(error(pos, `task '${id}': ${what} is missing`, { code: "lift-value" }));
        else {
          const w = L.why(j);
          L.diags.push(error(L.at(w.at, t.line, t.col), `task '${id}': cannot read ${what}: ${w.text}`, { code: w.text.includes("Jinja") ? "lift-jinja" : "lift-value" }));
        }
      }
      return x ?? { kind: "literal", value: "", type: "string", pos };
    };
    /**
     * How long an AWS provider operator waits: waiter_max_attempts looks, waiter_delay seconds apart (the
     * provider's defaults when not given); undefined, said, when either is not a number written in the file.
     */
    const waiter = (attemptsByDefault: number, delayByDefault = 60): { attempts: number; delay: number } | undefined => {
      const num = (j: J | undefined, dflt: number) => (j && "const" in j && typeof j.const === "number" ? j.const : j ? undefined : dflt);
      const attempts = num(t.kwargs.waiter_max_attempts, attemptsByDefault);
      const delay = num(t.kwargs.waiter_delay, delayByDefault);
      if (attempts !== undefined && delay !== undefined) return { attempts, delay };
      L.diags.push(error(pos, `task '${id}': waiter_max_attempts and waiter_delay are not numbers written in the file`, { code: "lift-value" }));
      return undefined;
    };
    /** The operator looks at what it waits for every `delay` s: said where the lifted pipeline's default differs. */
    const looksEvery = (delay: number, what: string) => {
      if (delay !== DEFAULT_CHECK_INTERVAL) L.diags.push(warning(pos, `task '${id}': it looks at ${what} every ${delay} s; the lifted pipeline looks every ${DEFAULT_CHECK_INTERVAL} s unless compiled with --check-interval ${delay}`, { code: "lift-aws-wait" }));
    };
    /** An argument given and not None. */
    // An operator's own argument, or default_args' where the task leaves it out (Airflow fills every argument an
    // operator takes from default_args so; one written None stays None).
    const given = (k: string): J | undefined => {
      const j = k in t.kwargs ? t.kwargs[k] : dflt(k);
      return j && !isNone(j) ? j : undefined;
    };
    /** A dict argument written in the file (absent or None: nothing), its members set into a request beside the operator's own. */
    const membersInto = (into: Record<string, Value>, k: string): void => {
      const j = given(k);
      if (!j) return;
      const read = v(j);
      if (read?.kind === "map") Object.assign(into, read.entries);
      else if (read) L.diags.push(error(L.at(j.at, t.line, t.col), `task '${id}': its ${k} is not a dict written in the file`, { code: "lift-value" }));
      else need(j, `its ${k}`);
    };
    /** The first of these arguments that asks the operator to wait (given, and not False written out): where it is said, or undefined. */
    const waitAsked = (...args: string[]): J | undefined => args.map((k) => t.kwargs[k]).find((j) => j && !("const" in j && (j.const === false || j.const === null)));
    /** The operator gives up after its looks: the step's timeout, unless the task has a shorter one. */
    const boundedBy = (s: Step, w: { attempts: number; delay: number }) => {
      if (s.timeout === undefined || s.timeout > w.attempts * w.delay) s.timeout = w.attempts * w.delay;
    };
    if (cfg && !("dict" in cfg) && OPERATOR_KINDS.has(t.cls.split(".").pop()!)) {
      const w = L.why(cfg);
      L.diags.push(error(L.at(w.at, t.line, t.col), `task '${id}': its config is ${w.text || "not a dict"}; write the request as a dict in the file to lift it`, { code: "lift-config" }));
      continue;
    }
    const env = (j: J | undefined) => {
      if (!j) return;
      const m = need(j, "the environment");
      if (m.kind === "map") step!.environment = m.entries;
    };
    const instance = (type?: J, count?: J, volume?: J) => {
      const i = { type: need(type, "the instance type"), pos } as NonNullable<Extract<Step, { kind: "processing" }>["instance"]>;
      const c = count ? need(count, "the instance count") : undefined;
      if (c && !(c.kind === "literal" && c.value === 1)) i.count = c;
      const vol = volume ? need(volume, "the volume size") : undefined;
      if (vol && !(vol.kind === "literal" && vol.value === 30)) i.volume_gb = vol;
      return i;
    };
    const dataType = (inp: DataInput, j: J | undefined) => {
      const d = L.str(j);
      if (d && d !== "S3Prefix") inp.data_type = d as never;
    };
    const kmsOf = (volume: J | undefined, output: J | undefined): JobKms | undefined => {
      if (!volume && !output) return undefined;
      return { ...(volume ? { volume: need(volume, "the volume KMS key") } : {}), ...(output ? { output: need(output, "the output KMS key") } : {}), pos };
    };
    /** Network settings (flags on `flags`, VPC in `vpcJ`) and KMS keys of a job request. */
    const networkKms = (flags: J | undefined, vpcJ: J | undefined, volume: J | undefined, output: J | undefined): { network?: JobNetwork; kms?: JobKms } => {
      const out: { network?: JobNetwork; kms?: JobKms } = {};
      const iso = get(flags, "EnableNetworkIsolation");
      const enc = get(flags, "EnableInterContainerTrafficEncryption");
      const net: JobNetwork = { pos };
      if (iso && "const" in iso && typeof iso.const === "boolean") net.isolation = iso.const;
      if (enc && "const" in enc && typeof enc.const === "boolean") net.encrypt_traffic = enc.const;
      if (vpcJ) net.vpc = { subnets: items(get(vpcJ, "Subnets")).map((x) => need(x, "a subnet")), security_groups: items(get(vpcJ, "SecurityGroupIds")).map((x) => need(x, "a security group")), pos };
      if (net.isolation !== undefined || net.encrypt_traffic !== undefined || net.vpc) out.network = net;
      const k = kmsOf(volume, output);
      if (k) out.kms = k;
      return out;
    };
    /** The generated notebook job: papermill <code>/<nb> <output>/<nb> -k <kernel> (-p name value)*, the notebook as the code input. */
    const notebookOf = (entry: J[], inputs: Record<string, DataInput>, outputs: Record<string, DataOutput>) => {
      const texts = entry.map((x) => L.str(x));
      const codeIn = inputs.code;
      const uri = codeIn?.source.kind === "literal" && typeof codeIn.source.value === "string" ? /\/code\/([0-9a-f]{16,64})\/([^/]+\.ipynb)$/.exec(codeIn.source.value) : null;
      if (texts[0] !== "papermill" || !uri || Object.keys(inputs).length !== 1 || Object.keys(outputs).join() !== "output") return undefined;
      if (texts[1] !== `/opt/ml/processing/input/code/${uri[2]}` || texts[2] !== `/opt/ml/processing/output/${uri[2]}` || texts[3] !== "-k" || texts[4] === undefined) return undefined;
      const parameters: Record<string, Value> = {};
      for (let i = 5; i < entry.length; i += 3) {
        const name = texts[i + 1];
        if (texts[i] !== "-p" || name === undefined || !entry[i + 2]) return undefined;
        parameters[name] = need(entry[i + 2], `notebook parameter ${name}`);
      }
      L.diags.push(warning(pos, `task '${id}': its notebook ${uri[2]} is read from S3 (${String(codeIn.source.kind === "literal" ? codeIn.source.value : "")}); put the file next to the pipeline to deploy it again`, { code: "lift-code" }));
      return { notebook: { path: uri[2], sha256: uri[1], pos }, kernel: texts[4]!, parameters };
    };
    const tuningFields = (tc: J | undefined) => {
      const num = (j: J | undefined, what: string): number => {
        const x = L.str(j) ?? (j && "const" in j && typeof j.const === "number" ? String(j.const) : undefined);
        if (x === undefined || Number.isNaN(Number(x))) L.diags.push(error(pos, `task '${id}': cannot read ${what}`, { code: "lift-value" }));
        return Number(x);
      };
      const ranges: Record<string, ParameterRange> = {};
      const TYPES = { IntegerParameterRanges: "integer", ContinuousParameterRanges: "continuous", CategoricalParameterRanges: "categorical" } as const;
      // In the request's own order: the ranges' order is the pipeline's.
      const pr = get(tc, "ParameterRanges");
      const present = (pr && "dict" in pr ? pr.dict : []).map(([k]) => (k ? L.str(k) : undefined)).filter((k): k is keyof typeof TYPES => k !== undefined && k in TYPES);
      for (const [key, type] of present.map((k) => [k, TYPES[k]] as const)) {
        for (const r of items(get(tc, "ParameterRanges", key))) {
          const name = L.str(get(r, "Name")) ?? "";
          const scaling = L.str(get(r, "ScalingType"));
          ranges[name] =
            type === "categorical"
              ? { type, values: items(get(r, "Values")).map((x) => L.str(x) ?? ""), pos }
              : { type, min: num(get(r, "MinValue"), `the minimum of ${name}`), max: num(get(r, "MaxValue"), `the maximum of ${name}`), ...(scaling && scaling !== "Auto" ? { scaling: scaling as never } : {}), pos };
        }
      }
      const early = L.str(get(tc, "TrainingJobEarlyStoppingType"));
      return {
        ranges,
        objective: { metric: L.str(get(tc, "HyperParameterTuningJobObjective", "MetricName")) ?? "", type: (L.str(get(tc, "HyperParameterTuningJobObjective", "Type")) ?? "Minimize") as "Minimize", pos },
        strategy: (L.str(get(tc, "Strategy")) ?? "Bayesian") as "Bayesian",
        max_jobs: num(get(tc, "ResourceLimits", "MaxNumberOfTrainingJobs"), "MaxNumberOfTrainingJobs"),
        parallel_jobs: num(get(tc, "ResourceLimits", "MaxParallelTrainingJobs"), "MaxParallelTrainingJobs"),
        ...(early ? { early_stopping: early as "Off" } : {}),
      };
    };
    const retries = t.kwargs.retries;
    if (retries && "const" in retries && typeof retries.const === "number") {
      const r: RetryPolicy = { attempts: retries.const + 1, interval: seconds(t.kwargs.retry_delay) ?? seconds(dflt("retry_delay")) ?? AIRFLOW_RETRY_DELAY, backoff: 1, on: ["any"], pos };
      const exp = t.kwargs.retry_exponential_backoff ?? dflt("retry_exponential_backoff");
      if (exp && "const" in exp && exp.const === true) r.backoff = 2;
      const maxDelay = seconds(t.kwargs.max_retry_delay ?? dflt("max_retry_delay"));
      if (maxDelay !== undefined) r.max_delay = maxDelay;
      common.retry = [r];
    }
    const timeout = seconds(t.kwargs.execution_timeout);
    if (timeout !== undefined) common.timeout = timeout;
    /** A branch callable's `if <condition>: return <ids>` then `return <ids>` as a condition step; undefined (said) when it is not that. */
    const branchStep = (whole: Stmt[] | undefined, what: string, notFound: string, shortCircuit?: string[]): Step | undefined => {
      // Locals assigned first (`auc = metrics["auc"]`) are read where the condition names them; `ti = context["ti"]` names what `ti` is already.
      const lead = whole ? whole.findIndex((st) => st.assign === undefined) : 0;
      const assigns = whole ? whole.slice(0, lead < 0 ? whole.length : lead) : [];
      const fn = whole?.slice(assigns.length);
      const outer = L.locals;
      const locals = new Map(outer ?? []);
      for (const a of assigns) {
        const ctxTi = a.assign === "ti" && a.value && "sub" in a.value && "name" in a.value.sub[0] && ["context", "kwargs"].includes(a.value.sub[0].name) && "const" in a.value.sub[1] && a.value.sub[1].const === "ti";
        if (ctxTi) continue;
        L.locals = locals;
        const val = a.value ? v(a.value) : undefined;
        L.locals = outer;
        if (!val) {
          L.diags.push(error(a.value ? L.at(L.why(a.value).at, a.line) : pos, `task '${id}': ${what} can be lifted only when its locals read parameters or step results; ${a.assign} is ${a.value ? L.why(a.value).text : "not read"}`, { code: "lift-branch" }));
          return undefined;
        }
        locals.set(a.assign!, val);
      }
      L.locals = locals.size ? locals : outer;
      try {
        return shortCircuit ? shortCircuitOf(fn, what, notFound, shortCircuit) : branchOf(fn, what, notFound);
      } finally {
        L.locals = outer;
      }
    };
    const branchOf = (fn: Stmt[] | undefined, what: string, notFound: string): Step | undefined => {
      // `if c1: return a` / `elif c2: return b` / ... / `return z`: the ifs in order, then the return.
      const arms = fn ? fn.slice(0, -1) : [];
      const other = fn?.[fn.length - 1]?.return;
      // A branch callable returns one task id or a list of them.
      // An empty task a branch returns to do nothing was taken out: that branch has no steps there.
      const ids = (j: J | undefined) => ("list" in (j ?? {}) ? items(j) : j ? [j] : []).map((x) => L.str(x)).filter((x) => x === undefined || !dag.emptyBranches?.has(x)).map((x) => (x === undefined ? x : (L.airflowIds.get(x) ?? x)));
      const conds = arms.map((a) => (a.if ? v(a.if) : undefined));
      const armIds = [...arms.map((a) => ids(a.then)), ids(other)];
      const unread = arms.findIndex((a, i) => a.if && !conds[i]);
      if (!fn || !arms.length || arms.some((a) => !a.if || a.then === undefined) || unread >= 0 || !other || armIds.flat().some((x) => x === undefined)) {
        const why = !fn
          ? notFound
          : unread >= 0
            ? `its condition reads ${L.why(arms[unread].if!).text}`
            : "its callable is not of the form 'if <condition>: return <task ids>' (then any 'elif <condition>: return <task ids>') then 'return <task ids>' or 'else: return <task ids>'";
        // Where the function leaves the form: its first statement that is no if/return (else the task).
        const odd = fn?.find((x, i) => (i < fn.length - 1 ? !x.if || x.then === undefined : !x.return));
        L.diags.push(error(unread >= 0 ? L.at(L.why(arms[unread].if!).at, arms[unread].line) : odd ? L.pos(odd.line, odd.col) : pos, `task '${id}': ${what} can be lifted only when ${unread >= 0 ? "its conditions read parameters or step results" : "it is an if/return function"}; ${why}`, { code: "lift-branch" }));
        return undefined;
      }
      // Tasks every way returns run whichever way it goes: after the condition, in no branch.
      const lists = armIds as string[][];
      const every = new Set(lists[0].filter((x) => lists.every((l) => l.includes(x))));
      const some = [...new Set(lists.flat())].filter((x) => !every.has(x) && lists.filter((l) => l.includes(x)).length > 1);
      if (some.length) {
        L.diags.push(error(pos, `task '${id}': ${what} returns ${some.map((x) => `'${x}'`).join(", ")} in some of its ${lists.length} ways but not all; a step is in one branch of a condition`, { code: "lift-branch" }));
        return undefined;
      }
      const own = lists.map((l) => l.filter((x) => !every.has(x)));
      // Three ways or more: a condition for each if, each the else branch of the one before (Python tries them in order).
      const inner = arms.slice(1).map((a, i) => {
        const cid = freshId(`${id}_${i + 2}`);
        return { ...common, id: cid, depends_on: [], pos: L.at(L.why(a.if!).at, a.line), kind: "condition", if: conds[i + 1]!, then: own[i + 1], else: own[i + 2] } as StepOf<"condition">;
      });
      inner.forEach((c, i) => {
        if (i < inner.length - 1) c.else = [inner[i + 1].id];
        delete c.retry;
        delete c.timeout;
        delete c.description;
      });
      const out: Step = { ...common, kind: "condition", if: conds[0]!, then: own[0], else: inner.length ? [inner[0].id] : own[1] };
      delete out.retry;
      if (inner.length) {
        extra.push(...inner);
        L.diags.push(warning(pos, `task '${id}': its callable chooses one of ${lists.length} ways; a condition has two branches, so it is lifted as ${inner.length + 1} conditions, ${[id, ...inner.map((c) => c.id)].map((x) => `'${x}'`).join(", ")}, each the else branch of the one before (lowered to Airflow, ${inner.length > 1 ? "tasks" : "a task"} ${inner.map((c) => `'${c.id}'`).join(", ")} ${inner.length > 1 ? "choose" : "chooses"} between the later ways)`, { code: "lift-branch-ways" }));
      }
      return out;
    };
    /**
     * A short-circuit callable's `return <condition>` as a condition step whose then branch is every task after
     * it: when the condition does not hold, Airflow skips them all (and with ignore_downstream_trigger_rules=False,
     * the tasks after them by their trigger rules, the same where every rule is all_success).
     */
    const shortCircuitOf = (fn: Stmt[] | undefined, what: string, notFound: string, after: string[]): Step | undefined => {
      const ret = fn?.length === 1 && !fn[0].if ? fn[0].return : undefined;
      const cond = ret ? v(ret) : undefined;
      if (!cond) {
        const why = !fn ? notFound : ret ? `its condition reads ${L.why(ret).text}` : "its callable is not of the form 'return <condition>'";
        L.diags.push(error(ret ? L.at(L.why(ret).at, fn![0].line) : pos, `task '${id}': ${what} can be lifted only when it returns a condition on parameters or step results; ${why}`, { code: "lift-branch" }));
        return undefined;
      }
      const out: Step = { ...common, kind: "condition", if: cond, then: after, else: [] };
      delete out.retry;
      return out;
    };
    /**
     * The tasks right after a short circuit (its then branch); undefined, said, where a task after it has
     * a trigger rule other than all_success: the short circuit skips every task after it whatever its rule.
     */
    const shortCircuited = (what: string): string[] | undefined => {
      const below = new Set<string>();
      const walk = (x: string) => {
        for (const [a, b] of dag.edges) if (a === x && !below.has(b)) {
          below.add(b);
          walk(b);
        }
      };
      walk(t.var);
      const other = [...below].map((b) => byVar.get(b)).filter((x): x is Task => x !== undefined && triggerRule(x) !== "all_success");
      for (const o of other) L.diags.push(error(L.pos(o.line, o.col), `task '${L.str(o.kwargs.task_id) ?? o.var}' follows ${what} '${id}' with trigger_rule '${triggerRule(o) ?? "(computed)"}'; the short circuit skips it whatever its rule, which a step in a condition's branch with that rule cannot say`, { code: "lift-branch" }));
      if (other.length) return undefined;
      const direct = dag.edges.filter(([a]) => a === t.var).map(([, b]) => byVar.get(b)).filter((x): x is Task => x !== undefined);
      return direct.map((d) => L.str(d.kwargs.task_id) ?? d.var).map((x) => L.airflowIds.get(x) ?? x);
    };
    const cls = t.cls.split(".").pop()!;
    let step: Step | undefined;
    switch (cls === "PythonOperator" && conditionsInMaps.has(L.str(t.kwargs.task_id) ?? "") ? "BranchPythonOperator" : cls) {
      case "SageMakerProcessingOperator": {
        const app = get(cfg, "AppSpecification");
        const cluster = get(cfg, "ProcessingResources", "ClusterConfig");
        const inputs: Record<string, DataInput> = {};
        for (const i of items(get(cfg, "ProcessingInputs"))) {
          const name = L.str(get(i, "InputName"));
          if (!name) continue;
          const inp: DataInput = { source: need(get(i, "S3Input", "S3Uri"), `input ${name}`), destination: L.str(get(i, "S3Input", "LocalPath")), pos };
          dataType(inp, get(i, "S3Input", "S3DataType"));
          const dist = L.str(get(i, "S3Input", "S3DataDistributionType"));
          if (dist && dist !== "FullyReplicated") inp.distribution = dist as never;
          const comp = L.str(get(i, "S3Input", "S3CompressionType"));
          if (comp) inp.compression = comp as never;
          if (L.str(get(i, "S3Input", "S3InputMode")) === "Pipe") inp.mode = "Pipe";
          inputs[name] = inp;
        }
        const outputs: Record<string, DataOutput> = {};
        for (const o of items(get(cfg, "ProcessingOutputConfig", "Outputs"))) {
          const name = L.str(get(o, "OutputName"));
          const where = need(get(o, "S3Output", "S3Uri"), `the location of output ${name}`);
          L.noteArtifacts(where);
          if (!name) continue;
          const out: DataOutput = { path: L.str(get(o, "S3Output", "LocalPath")) ?? `/opt/ml/processing/${name}`, pos };
          const upload = L.str(get(o, "S3Output", "S3UploadMode"));
          if (upload === "Continuous") out.upload = upload;
          outputs[name] = out;
          explicit.push({ step: id, name, value: where, set: (x) => (out.destination = x) });
        }
        const rawEntry = items(get(app, "ContainerEntrypoint"));
        // papermill with the notebook's arguments (as every target writes it), or all in the entry point (as older DAGs do).
        const papermill = rawEntry.length === 1 && L.str(rawEntry[0]) === "papermill" ? [...rawEntry, ...items(get(app, "ContainerArguments"))] : rawEntry;
        const nb = notebookOf(papermill, inputs, outputs);
        if (nb) {
          step = { ...common, kind: "notebook", ...nb, image: need(get(app, "ImageUri"), "the image"), instance: instance(get(cluster, "InstanceType"), get(cluster, "InstanceCount"), get(cluster, "VolumeSizeInGB")) };
          env(get(cfg, "Environment"));
          break;
        }
        const entry = rawEntry.map((x) => L.str(x)).filter((x): x is string => x !== undefined);
        // A script uploaded to `<artifacts>/code/<hash>/<file>` and run from /opt/ml/processing/input/code is the step's code.
        let code: CodeFile | undefined;
        const codeIn = inputs.code;
        const codeUri = codeIn?.source.kind === "literal" && typeof codeIn.source.value === "string" ? /\/code\/([0-9a-f]{16,64})\/([^/]+)$/.exec(codeIn.source.value) : null;
        if (codeUri && codeIn.destination === "/opt/ml/processing/input/code" && entry[entry.length - 1] === `/opt/ml/processing/input/code/${codeUri[2]}`) {
          code = { path: codeUri[2], sha256: codeUri[1], pos };
          delete inputs.code;
          entry.pop();
          L.diags.push(warning(pos, `task '${id}': its script ${codeUri[2]} is read from S3 (${String(codeIn.source.kind === "literal" ? codeIn.source.value : "")}); put the file next to the pipeline to deploy it again`, { code: "lift-code" }));
        }
        step = {
          ...common,
          kind: "processing",
          image: need(get(app, "ImageUri"), "the image"),
          instance: instance(get(cluster, "InstanceType"), get(cluster, "InstanceCount"), get(cluster, "VolumeSizeInGB")),
          ...(code ? { code } : {}),
          ...(entry.length && !(code && entry.length === 1 && entry[0] === "python3") ? { command: entry } : {}),
          arguments: items(get(app, "ContainerArguments")).map((x) => need(x, "an argument")),
          inputs,
          outputs,
          reports: {},
          ...networkKms(get(cfg, "NetworkConfig"), get(cfg, "NetworkConfig", "VpcConfig"), get(cluster, "VolumeKmsKeyId"), get(cfg, "ProcessingOutputConfig", "KmsKeyId")),
        };
        env(get(cfg, "Environment"));
        break;
      }
      case "SageMakerTrainingOperator":
      case "SageMakerTuningOperator": {
        // A tuning job's training definition reads like a training job's request.
        const tuningCfg = cls === "SageMakerTuningOperator" ? cfg : undefined;
        const cfgT = tuningCfg ? get(tuningCfg, "TrainingJobDefinition") : cfg;
        const res = get(cfgT, "ResourceConfig");
        const inputs: Record<string, DataInput> = {};
        for (const c of items(get(cfgT, "InputDataConfig"))) {
          const name = L.str(get(c, "ChannelName"));
          const ct = L.str(get(c, "ContentType"));
          if (!name) continue;
          const inp: DataInput = { source: need(get(c, "DataSource", "S3DataSource", "S3Uri"), `channel ${name}`), ...(ct ? { content_type: ct } : {}), pos };
          const dist = L.str(get(c, "DataSource", "S3DataSource", "S3DataDistributionType"));
          if (dist && dist !== "FullyReplicated") inp.distribution = dist as never;
          const comp = L.str(get(c, "CompressionType"));
          if (comp) inp.compression = comp as never;
          const mode = L.str(get(c, "InputMode"));
          if (mode) inp.mode = mode as never;
          dataType(inp, get(c, "DataSource", "S3DataSource", "S3DataType"));
          inputs[name] = inp;
        }
        // A script uploaded to `<artifacts>/code/<hash>/<file>`, given as the `code` channel and run by the entry point, is the step's code.
        let code: CodeFile | undefined;
        const codeIn = inputs.code;
        const codeUri = codeIn?.source.kind === "literal" && typeof codeIn.source.value === "string" ? /\/code\/([0-9a-f]{16,64})\/([^/]+)$/.exec(codeIn.source.value) : null;
        const entry = items(get(cfgT, "AlgorithmSpecification", "ContainerEntrypoint")).map((x) => L.str(x));
        if (codeUri && entry.length === 2 && entry[0] === "python3" && entry[1] === `/opt/ml/input/data/code/${codeUri[2]}`) {
          code = { path: codeUri[2], sha256: codeUri[1], pos };
          delete inputs.code;
          L.diags.push(warning(pos, `task '${id}': its script ${codeUri[2]} is read from S3 (${String(codeIn.source.kind === "literal" ? codeIn.source.value : "")}); put the file next to the pipeline to deploy it again`, { code: "lift-code" }));
        }
        const inputMode = L.str(get(cfgT, "AlgorithmSpecification", "TrainingInputMode"));
        const outPath = need(get(cfgT, "OutputDataConfig", "S3OutputPath"), "the output path");
        L.noteArtifacts(outPath);
        const hp = v(get(cfgT, tuningCfg ? "StaticHyperParameters" : "HyperParameters"));
        const algo = get(cfgT, "AlgorithmSpecification");
        const ownEntry = code ? [] : items(get(algo, "ContainerEntrypoint")).map((x) => need(x, "the entry point"));
        const containerArgs = items(get(algo, "ContainerArguments")).map((x) => need(x, "a container argument"));
        step = {
          ...common,
          kind: "training",
          image: need(get(cfgT, "AlgorithmSpecification", "TrainingImage"), "the training image"),
          instance: instance(get(res, "InstanceType"), get(res, "InstanceCount"), get(res, "VolumeSizeInGB")),
          hyperparameters: hp?.kind === "map" ? hp.entries : {},
          ...(code ? { code } : {}),
          ...(inputMode && inputMode !== "File" ? { input_mode: inputMode as never } : {}),
          inputs,
          metric_definitions: items(get(cfgT, "AlgorithmSpecification", "MetricDefinitions")).map((m) => ({ name: L.str(get(m, "Name")) ?? "", regex: L.str(get(m, "Regex")) ?? "", pos })),
          ...(ownEntry.length ? { entrypoint: ownEntry } : {}),
          ...(containerArgs.length ? { container_arguments: containerArgs } : {}),
          ...networkKms(cfgT, get(cfgT, "VpcConfig"), get(res, "VolumeKmsKeyId"), get(cfgT, "OutputDataConfig", "KmsKeyId")),
        };
        // Managed spot training: its wait bound is the spot step's max_wait.
        const spotOn = get(cfgT, "EnableManagedSpotTraining");
        const maxWait = get(cfgT, "StoppingCondition", "MaxWaitTimeInSeconds");
        if (spotOn && "const" in spotOn && spotOn.const === true && maxWait && "const" in maxWait && typeof maxWait.const === "number") (step as Extract<Step, { kind: "training" }>).spot = { max_wait: maxWait.const, pos };
        if (tuningCfg) step = { ...step, kind: "tuning", ...tuningFields(get(tuningCfg, "HyperParameterTuningJobConfig")) } as Step;
        const training = step as Extract<Step, { kind: "training" | "tuning" }>;
        explicit.push({ step: id, name: "model", value: outPath, set: (x) => (training.output_path = x) });
        env(get(cfgT, "Environment"));
        break;
      }
      case "SageMakerTransformOperator": {
        const ti = get(cfg, "TransformInput");
        const ct = L.str(get(ti, "ContentType"));
        const res = get(cfg, "TransformResources");
        const outUri = need(get(cfg, "TransformOutput", "S3OutputPath"), "the output location");
        L.noteArtifacts(outUri);
        step = {
          ...common,
          kind: "transform",
          model: need(get(cfg, "ModelName"), "the model name"),
          instance: instance(get(res, "InstanceType"), get(res, "InstanceCount")),
          input: { source: need(get(ti, "DataSource", "S3DataSource", "S3Uri"), "the input"), ...(ct ? { content_type: ct } : {}), pos },
          output: {},
        };
        const transform = step;
        explicit.push({ step: id, name: "output", value: outUri, set: (x) => (transform.output.destination = x) });
        dataType(step.input, get(ti, "DataSource", "S3DataSource", "S3DataType"));
        const tkms = kmsOf(get(res, "VolumeKmsKeyId"), get(cfg, "TransformOutput", "KmsKeyId"));
        if (tkms) step.kms = tkms;
        const split = L.str(get(ti, "SplitType"));
        if (split) step.input.split_type = split as never;
        const comp = L.str(get(ti, "CompressionType"));
        if (comp) step.input.compression = comp as never;
        const accept = L.str(get(cfg, "TransformOutput", "Accept"));
        if (accept) step.output.accept = accept;
        const assemble = L.str(get(cfg, "TransformOutput", "AssembleWith"));
        if (assemble) step.output.assemble_with = assemble as never;
        const strategy = L.str(get(cfg, "BatchStrategy"));
        if (strategy) step.strategy = strategy as never;
        const payloadMb = get(cfg, "MaxPayloadInMB");
        if (payloadMb && "const" in payloadMb && typeof payloadMb.const === "number") step.max_payload_mb = payloadMb.const;
        const conc = get(cfg, "MaxConcurrentTransforms");
        if (conc && "const" in conc && typeof conc.const === "number") step.max_concurrent = conc.const;
        // Filters and join as text written out; anything else stays for the check against the DAG to name.
        const inFilter = L.str(get(cfg, "DataProcessing", "InputFilter"));
        if (inFilter) step.input_filter = inFilter;
        const join = L.str(get(cfg, "DataProcessing", "JoinSource"));
        if (join === "None" || join === "Input") step.join_source = join;
        const outFilter = L.str(get(cfg, "DataProcessing", "OutputFilter"));
        if (outFilter) step.output_filter = outFilter;
        env(get(cfg, "Environment"));
        break;
      }
      case "SageMakerModelOperator":
        step = { ...common, kind: "model", image: need(get(cfg, "PrimaryContainer", "Image"), "the image"), model: need(get(cfg, "PrimaryContainer", "ModelDataUrl"), "the model artifact") };
        env(get(cfg, "PrimaryContainer", "Environment"));
        break;
      case "SageMakerEndpointOperator": {
        const variant = items(get(cfg, "EndpointConfig", "ProductionVariants"))[0];
        const fromModel = get(cfg, "Model");
        step = {
          ...common,
          kind: "endpoint",
          name: need(get(cfg, "Endpoint", "EndpointName"), "the endpoint name"),
          model: fromModel ? need(get(fromModel, "PrimaryContainer", "ModelDataUrl"), "the model artifact") : need(get(variant, "ModelName"), "the model name"),
          ...(fromModel ? { image: need(get(fromModel, "PrimaryContainer", "Image"), "the image") } : {}),
          instance: instance(get(variant, "InstanceType"), get(variant, "InitialInstanceCount")),
        };
        env(get(fromModel, "PrimaryContainer", "Environment"));
        break;
      }
      case "SageMakerRegisterModelVersionOperator":
      case "SyRegisterModelVersionOperator": {
        const spec = get(t.kwargs.extras, "InferenceSpecification");
        // The operator sends extras over the specification it builds from image_uri and model_url.
        const containers = items(get(spec, "Containers"));
        if (containers.length > 1) L.diags.push(error(pos, `task '${id}': a model version of ${containers.length} containers (an inference pipeline) has no neutral form: register-model serves one image`, { code: "lift-value" }));
        const container = spec ? (containers[0] ?? null) : undefined;
        const strs = (j: J | undefined) => items(j).map((x) => L.str(x)).filter((x): x is string => x !== undefined);
        const metrics = v(get(t.kwargs.extras, "ModelMetrics", "ModelQuality", "Statistics", "S3Uri"));
        const approval = v(get(t.kwargs.extras, "ModelApprovalStatus"));
        step = {
          ...common,
          kind: "register-model",
          model: need(container === undefined ? t.kwargs.model_url : get(container ?? undefined, "ModelDataUrl"), "the model artifact"),
          image: need(container === undefined ? t.kwargs.image_uri : get(container ?? undefined, "Image"), "the image"),
          package_group: need(t.kwargs.package_group_name, "the package group"),
          ...(approval ? { approval } : {}),
          content_types: spec ? strs(get(spec, "SupportedContentTypes")) : ["text/csv"],
          response_types: spec ? strs(get(spec, "SupportedResponseMIMETypes")) : ["text/csv"],
          inference_instances: items(get(spec, "SupportedRealtimeInferenceInstanceTypes")).map((x) => need(x, "an instance type")),
          transform_instances: items(get(spec, "SupportedTransformInstanceTypes")).map((x) => need(x, "an instance type")),
          ...(metrics ? { metrics } : {}),
        };
        env(get(container ?? undefined, "Environment"));
        break;
      }
      case "LambdaInvokeFunctionOperator": {
        const read = readPayload(L, t);
        if (typeof read === "string") L.diags.push(error(pos, `task '${id}': ${read}`, { code: "lift-value" }));
        else if ("why" in read) L.diags.push(error(L.at(read.why.at, t.line, t.col), `task '${id}': cannot read the payload: ${read.why.text}`, { code: "lift-value" }));
        step = {
          ...common,
          kind: "lambda",
          function: need(t.kwargs.function_name, "the function"),
          payload: typeof read === "object" && "entries" in read ? read.entries : {},
          ...(typeof read === "object" && "value" in read ? { payload_value: read.value } : {}),
          outputs: {},
        };
        break;
      }
      case "SnsPublishOperator": {
        // The provider's SnsHook publishes {TargetArn, MessageStructure: json, Message: {"default": message}, Subject, ...}:
        // the one message every protocol gets, which a plain Message is too.
        const request: Record<string, Value> = {};
        for (const [arg, member] of SNS_PUBLISH_ARGS) if (t.kwargs[arg] && !isNone(t.kwargs[arg])) request[member] = need(t.kwargs[arg], `its ${arg}`);
        if (t.kwargs.message_attributes && !isNone(t.kwargs.message_attributes)) L.diags.push(error(L.at(t.kwargs.message_attributes.at, t.line, t.col), `task '${id}': message_attributes are typed by their Python values when the task runs (str, number, bytes, list), which a neutral request does not say; publish without them, or as an aws step whose request gives MessageAttributes`, { code: "lift-unsupported" }));
        step = { ...common, kind: "aws", service: "sns", action: "Publish", request, outputs: {} };
        break;
      }
      case "AthenaOperator": {
        // The provider starts the query (StartQueryExecution) and polls it to its end, failing on FAILED or CANCELLED:
        // an athena call that waits for its query (waitable.ts).
        const context: Record<string, Value> = {};
        const results: Record<string, Value> = {};
        const merged = (j: J | undefined, into: Record<string, Value>, what: string) => {
          if (!j || isNone(j)) return;
          const v = need(j, what);
          if (v.kind === "map") Object.assign(into, v.entries);
          else L.diags.push(error(L.at(j.at, t.line, t.col), `task '${id}': ${what} is not a dict written in the file`, { code: "lift-value" }));
        };
        merged(given("query_execution_context"), context, "its query_execution_context");
        merged(given("result_configuration"), results, "its result_configuration");
        // The operator sets these over what the dicts hold.
        context.Database = need(given("database"), "its database");
        const catalog = given("catalog");
        context.Catalog = catalog ? need(catalog, "its catalog") : { kind: "literal", value: "AwsDataCatalog", type: "string", pos };
        const output = given("output_location");
        if (output) results.OutputLocation = need(output, "its output_location");
        const request: Record<string, Value> = { QueryString: need(t.kwargs.query, "its query"), QueryExecutionContext: { kind: "map", entries: context, pos } };
        if (Object.keys(results).length) request.ResultConfiguration = { kind: "map", entries: results, pos };
        const token = given("client_request_token");
        if (token) request.ClientRequestToken = need(token, "its client_request_token");
        const workgroup = given("workgroup");
        request.WorkGroup = workgroup ? need(workgroup, "its workgroup") : { kind: "literal", value: "primary", type: "string", pos };
        const attempts = given("max_polling_attempts");
        if (attempts) L.diags.push(error(L.at(attempts.at, t.line, t.col), `task '${id}': max_polling_attempts fails the task after that many looks at the query, where a neutral call waits for its query until the step's timeout; give the task an execution_timeout instead`, { code: "lift-unsupported" }));
        step = { ...common, kind: "aws", service: "athena", action: "StartQueryExecution", request, wait: true, outputs: {} };
        break;
      }
      case "GlueCrawlerOperator": {
        // The provider creates the crawler from its config, or updates it where the config differs from what the crawler
        // has (its Tags too), then starts it (StartCrawler) and, with wait_for_completion (the default) or deferrable, waits
        // as the Glue crawler_ready waiter does: READY again, the last crawl FAILED or CANCELLED failing the task. A config
        // of the name alone changes nothing: a glue call that waits for its crawl (waitable.ts).
        const members = cfg && "dict" in cfg ? cfg.dict.map(([k]) => (k ? L.str(k) : undefined)) : [];
        const others = members.filter((k) => k !== "Name");
        if (!cfg || !("dict" in cfg)) {
          L.diags.push(error(pos, `task '${id}': its config is not a dict written in the file`, { code: "lift-config" }));
          break;
        }
        if (others.length) {
          L.diags.push(
            error(L.at(cfg.at, t.line, t.col), `task '${id}': its config also gives ${others.map((k) => k ?? "a computed key").join(", ")}: the operator creates the crawler from it, or updates the crawler where it differs, before it starts a crawl, which no neutral call does`, {
              code: "lift-unsupported",
              hint: "create or update the crawler outside the DAG and give the config its Name alone",
            }),
          );
        }
        const running = given("fail_on_already_running");
        if (running && !("const" in running && running.const === true)) {
          L.diags.push(error(L.at(running.at, t.line, t.col), `task '${id}': fail_on_already_running is not True: the operator then waits for a crawl already running instead of failing, which a neutral call does not do`, { code: "lift-unsupported" }));
        }
        const deferrable = given("deferrable");
        const deferred = !!deferrable && "const" in deferrable && deferrable.const === true;
        if (deferrable && !("const" in deferrable && typeof deferrable.const === "boolean")) L.diags.push(error(L.at(deferrable.at, t.line, t.col), `task '${id}': deferrable is not True or False written in the file`, { code: "lift-value" }));
        const flag = given("wait_for_completion");
        if (flag && !("const" in flag && typeof flag.const === "boolean")) L.diags.push(error(L.at(flag.at, t.line, t.col), `task '${id}': wait_for_completion is not True or False written in the file`, { code: "lift-value" }));
        const waits = deferred || !flag || ("const" in flag && flag.const === true);
        const interval = given("poll_interval");
        const delay = !interval ? 5 : "const" in interval && typeof interval.const === "number" ? interval.const : undefined;
        if (delay === undefined) L.diags.push(error(L.at(interval!.at, t.line, t.col), `task '${id}': poll_interval is not a number written in the file`, { code: "lift-value" }));
        step = { ...common, kind: "aws", service: "glue", action: "StartCrawler", request: { Name: need(get(cfg, "Name"), "the crawler's Name") }, ...(waits ? { wait: true } : {}), outputs: {} };
        if (waits && delay !== undefined) {
          // The waiter looks 1,000 times (the trigger 1,500), poll_interval apart.
          boundedBy(step, { attempts: deferred ? 1500 : 1000, delay });
          looksEvery(delay, "its crawler");
        }
        break;
      }
      case "StepFunctionStartExecutionOperator": {
        // The provider starts the execution (StartExecution, its input as JSON text) and, only when deferrable, waits
        // for it to succeed, at most waiter_max_attempts × waiter_delay seconds (30 × 60 by default).
        const request: Record<string, Value> = { stateMachineArn: need(t.kwargs.state_machine_arn, "its state_machine_arn") };
        if (t.kwargs.name && !isNone(t.kwargs.name)) request.name = need(t.kwargs.name, "its name");
        const input = t.kwargs.state_machine_input;
        if (input && !isNone(input)) {
          const text = "const" in input && typeof input.const === "string" && !input.jinja ? input.const : undefined;
          let data: Value | undefined;
          if (text !== undefined) {
            try {
              data = fromJson(JSON.parse(text), L.at(input.at, t.line, t.col));
            } catch {
              data = undefined;
            }
          } else data = need(input, "its state_machine_input");
          if (data && (data.kind === "map" || data.kind === "list")) request.input = data;
          else L.diags.push(error(L.at(input.at, t.line, t.col), `task '${id}': its state_machine_input is ${text !== undefined ? "text that is not a JSON object or list" : "not a dict or list written in the file"}; the execution's input is JSON data written out`, { code: "lift-value" }));
        }
        if (t.kwargs.is_redrive_execution && !("const" in t.kwargs.is_redrive_execution && t.kwargs.is_redrive_execution.const === false)) {
          L.diags.push(error(L.at(t.kwargs.is_redrive_execution.at, t.line, t.col), `task '${id}': is_redrive_execution redrives an earlier execution (RedriveExecution), which is no step`, { code: "lift-unsupported" }));
        }
        const deferrable = t.kwargs.deferrable;
        const waits = !!deferrable && "const" in deferrable && deferrable.const === true;
        if (!deferrable) L.diags.push(warning(pos, `task '${id}': the operator waits for the execution only when deferrable, and Airflow's operators.default_deferrable is false unless the environment sets it: lifted as a call that starts the execution and does not wait`, { code: "lift-call" }));
        else if (!("const" in deferrable) || typeof deferrable.const !== "boolean") L.diags.push(error(L.at(deferrable.at, t.line, t.col), `task '${id}': deferrable is not True or False written in the file`, { code: "lift-value" }));
        const bound = waits ? waiter(30) : undefined;
        step = { ...common, kind: "aws", service: "stepfunctions", action: "StartExecution", request, ...(waits ? { wait: true } : {}), outputs: {} };
        if (bound) boundedBy(step, bound);
        break;
      }
      case "EmrServerlessCreateApplicationOperator": {
        // The provider creates the application (CreateApplication: its release label and type, the config dict's
        // members beside them), always waits until it is CREATED (waiter_max_attempts × waiter_delay, 25 × 60 by
        // default), then starts it (StartApplication, waiting until STARTED with wait_for_completion). Its XCom
        // result is the application's id.
        const request: Record<string, Value> = {
          releaseLabel: need(t.kwargs.release_label, "its release_label"),
          type: need(t.kwargs.job_type, "its job_type"),
        };
        membersInto(request, "config");
        const token = given("client_request_token");
        if (token && !("const" in token && token.const === "")) request.clientToken = need(token, "its client_request_token");
        const bound = waiter(25);
        L.diags.push(
          warning(pos, `task '${id}': the operator also starts the application (StartApplication) once it is created; the lifted step creates it only, and a job run starts an application created with auto-start (the default) by itself`, {
            code: "lift-call",
            hint: "for an application created without auto-start, add an aws step after it: service emr-serverless, action StartApplication, wait: true",
          }),
        );
        step = { ...common, kind: "aws", service: "emr-serverless", action: "CreateApplication", request, wait: true, outputs: {} };
        if (bound) {
          boundedBy(step, bound);
          looksEvery(bound.delay, "the application");
        }
        break;
      }
      case "EmrServerlessStopApplicationOperator":
      case "EmrServerlessDeleteApplicationOperator": {
        // Stop: StopApplication, waiting until STOPPED with wait_for_completion (after cancelling the running jobs
        // with force_stop). Delete: the same stop, always waited for, then DeleteApplication: two calls.
        const deletes = t.cls.endsWith("DeleteApplicationOperator");
        const force = given("force_stop");
        if (force && !("const" in force && force.const === false)) L.diags.push(error(L.at(force.at, t.line, t.col), `task '${id}': force_stop cancels the application's running job runs (ListJobRuns, CancelJobRun each) before it stops it, which no one call does`, { code: "lift-unsupported" }));
        const flag = t.kwargs.wait_for_completion;
        const waits = !flag || ("const" in flag && flag.const === true);
        if (flag && !("const" in flag && typeof flag.const === "boolean")) L.diags.push(error(L.at(flag.at, t.line, t.col), `task '${id}': wait_for_completion is not True or False written in the file`, { code: "lift-value" }));
        const applicationId = need(t.kwargs.application_id, "its application_id");
        // The delete always waits for its stop; its own wait_for_completion is for the delete.
        const stopWaits = deletes || waits;
        const bound = stopWaits ? waiter(25) : undefined;
        const stop: Step = { ...structuredClone(common), ...(deletes ? { id: freshId(`${id}_stop`) } : {}), kind: "aws", service: "emr-serverless", action: "StopApplication", request: { applicationId }, ...(stopWaits ? { wait: true } : {}), outputs: {} };
        if (bound) {
          boundedBy(stop, bound);
          looksEvery(bound.delay, "the application");
        }
        if (!deletes) {
          step = stop;
          break;
        }
        // Two steps: the stop (where the task's upstream tasks and trigger rule lead) and the delete (the task's id).
        firstPart = stop;
        step = { ...common, kind: "aws", service: "emr-serverless", action: "DeleteApplication", request: { applicationId: structuredClone(applicationId) }, outputs: {} };
        L.diags.push(warning(pos, `task '${id}': the operator stops the application (StopApplication, waiting until it is STOPPED), then deletes it (DeleteApplication): lifted as two steps, '${stop.id}' then '${id}', each with the task's retries and execution_timeout; the tasks before it and its trigger rule lead to the stop`, { code: "lift-call" }));
        if (waits) L.diags.push(warning(pos, `task '${id}': the operator then waits until the deleted application is TERMINATED (GetApplication, ${bound ? `at most ${bound.attempts * bound.delay} s` : "waiter_max_attempts × waiter_delay"}); the lifted delete step does not wait`, { code: "lift-call" }));
        break;
      }
      case "EmrServerlessStartJobOperator": {
        // The provider starts the application unless it is started (StartApplication, waiting for it), starts the job
        // run (StartJobRun, the config dict's members beside its own) and, with wait_for_completion (the default), waits
        // for it to succeed, at most waiter_max_attempts × waiter_delay seconds (25 × 60 by default), cancelling it past that.
        const request: Record<string, Value> = {
          applicationId: need(t.kwargs.application_id, "its application_id"),
          executionRoleArn: need(t.kwargs.execution_role_arn, "its execution_role_arn"),
          jobDriver: need(t.kwargs.job_driver, "its job_driver"),
        };
        membersInto(request, "config");
        // Its own name, then the config's; without either the provider makes one up (emr_serverless_job_airflow_<uuid>), which names nothing a step reads.
        if (t.kwargs.name && !isNone(t.kwargs.name)) request.name = need(t.kwargs.name, "its name");
        if (t.kwargs.configuration_overrides && !isNone(t.kwargs.configuration_overrides)) request.configurationOverrides = need(t.kwargs.configuration_overrides, "its configuration_overrides");
        if (t.kwargs.client_request_token && !isNone(t.kwargs.client_request_token)) request.clientToken = need(t.kwargs.client_request_token, "its client_request_token");
        const flag = t.kwargs.wait_for_completion;
        const waits = !flag || ("const" in flag && flag.const === true);
        if (flag && !("const" in flag && typeof flag.const === "boolean")) L.diags.push(error(L.at(flag.at, t.line, t.col), `task '${id}': wait_for_completion is not True or False written in the file`, { code: "lift-value" }));
        const bound = waits ? waiter(25) : undefined;
        L.diags.push(
          warning(pos, `task '${id}': the operator starts the EMR Serverless application first when it is not started; the lifted step starts the job run only, which starts an application created with auto-start (the default) by itself`, {
            code: "lift-call",
            hint: "for an application created without auto-start, add an aws step before it: service emr-serverless, action StartApplication, wait: true",
          }),
        );
        step = { ...common, kind: "aws", service: "emr-serverless", action: "StartJobRun", request, ...(waits ? { wait: true } : {}), outputs: {} };
        if (bound) {
          const { attempts, delay } = bound;
          boundedBy(step, bound);
          L.diags.push(warning(pos, `task '${id}': past its ${attempts * delay} s of waiting the operator cancels the job run; the lifted step's timeout fails the step, and only Step Functions' .sync integration cancels the run too`, { code: "lift-call" }));
          if (delay !== DEFAULT_CHECK_INTERVAL) L.diags.push(warning(pos, `task '${id}': it polls its job run every ${delay} s; the lifted pipeline polls every ${DEFAULT_CHECK_INTERVAL} s unless compiled with --check-interval ${delay}`, { code: "lift-aws-wait" }));
        }
        break;
      }
      case "EcsRunTaskOperator": {
        // The provider runs one task (RunTask: its arguments as the request members below, startedBy the task's owner)
        // and, with wait_for_completion (the default), waits until it stops, at most waiter_max_attempts × waiter_delay
        // seconds (1,000,000 × 6 by default), failing when a container exited with another code than 0: an ecs call
        // that waits for its task (waitable.ts).
        const request: Record<string, Value> = {
          cluster: need(t.kwargs.cluster, "its cluster"),
          taskDefinition: need(t.kwargs.task_definition, "its task_definition"),
          overrides: need(t.kwargs.overrides, "its overrides"),
          startedBy: t.kwargs.owner ? need(t.kwargs.owner, "its owner") : dflt("owner") ? need(dflt("owner"), "the owner in default_args") : { kind: "literal", value: "airflow", type: "string", pos },
        };
        const strategy = given("capacity_provider_strategy");
        const launch = t.kwargs.launch_type;
        if (strategy) request.capacityProviderStrategy = need(strategy, "its capacity_provider_strategy");
        else if (!launch) request.launchType = { kind: "literal", value: "EC2", type: "string", pos };
        else if (!isNone(launch) && !("const" in launch && launch.const === "")) request.launchType = need(launch, "its launch_type");
        for (const [arg, member] of ECS_RUN_TASK_ARGS) if (given(arg)) request[member] = need(given(arg), `its ${arg}`);
        const tags = given("tags");
        if (tags) {
          // A dict of tags becomes RunTask's list of {key, value}.
          const m = need(tags, "its tags");
          if (m.kind === "map") request.tags = { kind: "list", items: Object.entries(m.entries).map(([k, x]) => ({ kind: "map", entries: { key: { kind: "literal", value: k, type: "string", pos: x.pos }, value: x }, pos: x.pos }) as Value), pos: m.pos };
          else L.diags.push(error(L.at(tags.at, t.line, t.col), `task '${id}': its tags are not a dict written in the file`, { code: "lift-value" }));
        }
        if (given("quota_retry")) L.diags.push(error(L.at(given("quota_retry")!.at, t.line, t.col), `task '${id}': quota_retry starts the task again when RunTask fails for capacity or quota, which no neutral call does; give the step a retry rule instead`, { code: "lift-unsupported" }));
        const reattach = t.kwargs.reattach;
        if (reattach && !("const" in reattach && reattach.const === false)) L.diags.push(warning(L.at(reattach.at, t.line, t.col), `task '${id}': with reattach, a retried task looks for the ECS task it started before (startedBy a UUID of the task instance) and follows it; the lifted step starts a new one each try, startedBy its owner`, { code: "lift-call" }));
        const flag = t.kwargs.wait_for_completion;
        const waits = !flag || ("const" in flag && flag.const === true);
        if (flag && !("const" in flag && typeof flag.const === "boolean")) L.diags.push(error(L.at(flag.at, t.line, t.col), `task '${id}': wait_for_completion is not True or False written in the file`, { code: "lift-value" }));
        step = { ...common, kind: "aws", service: "ecs", action: "RunTask", request, ...(waits ? { wait: true } : {}), outputs: {} };
        const bound = waits ? waiter(1000000, 6) : undefined;
        if (bound) {
          boundedBy(step, bound);
          looksEvery(bound.delay, "its ECS task");
        }
        break;
      }
      case "SqsPublishOperator": {
        // The provider sends one message (SendMessage): the queue URL, the body, DelaySeconds (0 unless given) and
        // MessageAttributes ({} unless given) always, the FIFO group and deduplication ids when given.
        const body = t.kwargs.message_content;
        const text = body ? need(body, "its message_content") : undefined;
        if (text && (text.kind === "map" || text.kind === "list")) L.diags.push(error(L.at(body!.at, t.line, t.col), `task '${id}': its message_content is not text; SendMessage sends a message body as text`, { code: "lift-value" }));
        const attrs = given("message_attributes") ? need(given("message_attributes"), "its message_attributes") : undefined;
        if (attrs && attrs.kind !== "map") L.diags.push(error(L.at(t.kwargs.message_attributes!.at, t.line, t.col), `task '${id}': its message_attributes are not a dict written in the file`, { code: "lift-value" }));
        const request: Record<string, Value> = {
          QueueUrl: need(t.kwargs.sqs_queue, "its sqs_queue"),
          MessageBody: text ?? need(body, "its message_content"),
          DelaySeconds: given("delay_seconds") ? need(given("delay_seconds"), "its delay_seconds") : { kind: "literal", value: 0, type: "integer", pos },
          MessageAttributes: attrs ?? { kind: "map", entries: {}, pos },
        };
        for (const [arg, member] of [["message_group_id", "MessageGroupId"], ["message_deduplication_id", "MessageDeduplicationId"]]) if (given(arg)) request[member] = need(given(arg), `its ${arg}`);
        step = { ...common, kind: "aws", service: "sqs", action: "SendMessage", request, outputs: {} };
        break;
      }
      case "SageMakerStartPipelineOperator": {
        // The provider's SageMakerHook.start_pipeline: StartPipelineExecution of the pipeline, its display name
        // ("airflow-triggered-execution" unless given), its parameters a list of {Name, Value} (a dict's items in
        // order; [] when not given). Its XCom result is the execution's ARN (XCOM_IS_RESPONSE_MEMBER).
        const request: Record<string, Value> = {
          PipelineName: need(t.kwargs.pipeline_name, "its pipeline_name"),
          PipelineExecutionDisplayName: given("display_name") ? need(given("display_name"), "its display_name") : { kind: "literal", value: "airflow-triggered-execution", type: "string", pos },
        };
        // A list is sent as it is (the {Name, Value} items written out).
        const params = given("pipeline_params");
        const read = params && ("dict" in params || "list" in params) ? need(params, "its pipeline_params") : undefined;
        if (params && !read) L.diags.push(error(L.at(params.at, t.line, t.col), `task '${id}': its pipeline_params is not a dict (or a list) written in the file`, { code: "lift-value" }));
        const entries = read?.kind === "map" ? Object.entries(read.entries) : [];
        request.PipelineParameters =
          read?.kind === "list" ? read : { kind: "list", items: entries.map(([k, x]): Value => ({ kind: "map", entries: { Name: { kind: "literal", value: k, type: "string", pos }, Value: x }, pos })), pos };
        const waits = waitAsked("wait_for_completion", "deferrable");
        if (waits) {
          L.diags.push(
            error(L.at(waits.at, t.line, t.col), `task '${id}': waiting for the pipeline execution (wait_for_completion, deferrable) is not lifted: no neutral call waits for StartPipelineExecution`, {
              code: "lift-unsupported",
              hint: "start the execution without waiting, or run the SageMaker pipeline's steps as steps of this one",
            }),
          );
        }
        step = { ...common, kind: "aws", service: "sagemaker", action: "StartPipelineExecution", request, outputs: {} };
        break;
      }
      case "BatchOperator": {
        // The provider submits the job (SubmitJob: its arguments as the request members below; parameters and tags
        // always, {} when not given) and, with wait_for_completion (the default), waits until it succeeds or fails:
        // a batch call that waits for its job (waitable.ts).
        const dict = (arg: string) => {
          const j = t.kwargs[arg];
          if (!j || isNone(j)) return { kind: "map", entries: {}, pos } as Value;
          const m = need(j, `its ${arg}`);
          if (m.kind !== "map") L.diags.push(error(L.at(j.at, t.line, t.col), `task '${id}': its ${arg} are not a dict written in the file`, { code: "lift-value" }));
          return m;
        };
        const request: Record<string, Value> = {
          jobName: need(t.kwargs.job_name, "its job_name"),
          jobQueue: need(t.kwargs.job_queue, "its job_queue"),
          jobDefinition: need(t.kwargs.job_definition, "its job_definition"),
          parameters: dict("parameters"),
          tags: dict("tags"),
        };
        for (const [arg, member] of BATCH_SUBMIT_ARGS) if (given(arg)) request[member] = need(given(arg), `its ${arg}`);
        const limit = given("submit_job_timeout");
        if (limit) request.timeout = { kind: "map", entries: { attemptDurationSeconds: need(limit, "its submit_job_timeout") }, pos };
        const flag = t.kwargs.wait_for_completion;
        const deferred = t.kwargs.deferrable && !("const" in t.kwargs.deferrable && t.kwargs.deferrable.const === false);
        const waits = deferred || !flag || ("const" in flag && flag.const === true);
        if (flag && !("const" in flag && typeof flag.const === "boolean")) L.diags.push(error(L.at(flag.at, t.line, t.col), `task '${id}': wait_for_completion is not True or False written in the file`, { code: "lift-value" }));
        step = { ...common, kind: "aws", service: "batch", action: "SubmitJob", request, ...(waits ? { wait: true } : {}), outputs: {} };
        if (waits) {
          L.diags.push(
            warning(pos, `task '${id}': the operator gives up on its job after max_retries status checks (4,200 by default, a few seconds apart); the lifted step waits for the job until its timeout`, {
              code: "lift-aws-wait",
              ...(common.timeout === undefined ? { hint: "give the task an execution_timeout to bound the wait (on Airflow a step without one waits a day at most)" } : {}),
            }),
          );
        }
        break;
      }
      case "S3KeySensor": {
        // The sensor looks for the key (HeadObject) every poke_interval until its timeout. A listing from the key,
        // one object at most, holds the key itself first when it exists (a key sorts before every longer one):
        // the call repeats until that first object is the key.
        const bad = (k: string, why: string) => t.kwargs[k] && !("const" in t.kwargs[k] && (t.kwargs[k].const === false || t.kwargs[k].const === null)) && L.diags.push(error(L.at(t.kwargs[k].at, t.line, t.col), `task '${id}': ${k} ${why}`, { code: "lift-unsupported" }));
        bad("wildcard_match", "matches keys by a pattern, which a neutral condition does not");
        bad("use_regex", "matches keys by a regular expression, which a neutral condition does not");
        bad("check_fn", "is a Python function run on the worker over the objects found");
        bad("soft_fail", "skips the task instead of failing it when the key never comes, which a step does not");
        bad("exponential_backoff", "lengthens each wait, where a repeated call waits a fixed interval");
        const keyJ = t.kwargs.bucket_key;
        let bucket = t.kwargs.bucket_name && !isNone(t.kwargs.bucket_name) ? need(t.kwargs.bucket_name, "its bucket_name") : undefined;
        let key = keyJ && !("list" in keyJ) ? need(keyJ, "its bucket_key") : undefined;
        if (keyJ && "list" in keyJ) L.diags.push(error(L.at(keyJ.at, t.line, t.col), `task '${id}': bucket_key is a list of keys, all awaited at once; lift one sensor a key`, { code: "lift-unsupported" }));
        // Without bucket_name, bucket_key is a whole s3:// URL.
        if (!bucket && key) {
          const url = key.kind === "literal" && typeof key.value === "string" ? /^s3:\/\/([^/]+)\/(.+)$/.exec(key.value) : null;
          if (url) {
            bucket = { kind: "literal", value: url[1], type: "string", pos: key.pos };
            key = { kind: "literal", value: url[2], type: "string", pos: key.pos };
          } else {
            L.diags.push(error(L.at(keyJ!.at, t.line, t.col), `task '${id}': without bucket_name, bucket_key must be an s3://bucket/key URL written out`, { code: "lift-value" }));
            key = undefined;
          }
        }
        // Seconds or a timedelta, as the sensor takes them; absent, its defaults (60 s, 7 days).
        const interval = t.kwargs.poke_interval ? seconds(t.kwargs.poke_interval) : 60;
        const limit = t.kwargs.timeout ? seconds(t.kwargs.timeout) : 7 * 24 * 3600;
        if (interval === undefined || limit === undefined) L.diags.push(error(pos, `task '${id}': poke_interval and timeout are not seconds or a timedelta written in the file`, { code: "lift-value" }));
        if (!bucket || !key || interval === undefined || limit === undefined) break;
        const first = (path: PathSegment[]): Value => ({ kind: "ref", ref: { scope: "steps", step: id, attr: "response", path }, pos });
        const until: Value = {
          kind: "logic",
          op: "and",
          operands: [
            { kind: "call", fn: "exists", args: [first(["Contents", 0, "Key"])], pos },
            // A key computed at run time is compared with the listing's Prefix, the key as sent (an output, so that
            // it is compared as text everywhere): the pipeline's conditions have no syntax for text joined inside them.
            { kind: "compare", op: "==", left: first(["Contents", 0, "Key"]), right: key.kind === "literal" ? key : first(["Prefix"]), pos },
          ],
          pos,
        };
        step = { ...common, kind: "aws", service: "s3", action: "ListObjectsV2", request: { Bucket: bucket, Prefix: key, MaxKeys: { kind: "literal", value: 1, type: "integer", pos } }, repeat: { until, interval, pos }, outputs: key.kind === "literal" ? {} : { Prefix: "string" } };
        // The sensor's timeout bounds all its looks, as a repeated step's does (the task's own, when shorter, stays).
        if (step.timeout === undefined || step.timeout > limit) step.timeout = limit;
        L.diags.push(warning(pos, `task '${id}': the sensor's looks (HeadObject) are one ListObjectsV2 of the key each, which needs s3:ListBucket where HeadObject needs s3:GetObject`, { code: "lift-call" }));
        break;
      }
      case "BranchPythonOperator": {
        const fnJ = t.kwargs.python_callable;
        step = branchStep(fnJ && "name" in fnJ ? found.functions[fnJ.name] : undefined, "a BranchPythonOperator", `its callable ${fnJ ? jinjaText(fnJ) : "(none)"} is not a function defined in the file`);
        break;
      }
      case "ShortCircuitOperator": {
        const fnJ = t.kwargs.python_callable;
        const ids = shortCircuited("ShortCircuitOperator");
        if (ids) step = branchStep(fnJ && "name" in fnJ ? found.functions[fnJ.name] : undefined, "a ShortCircuitOperator", `its callable ${fnJ ? jinjaText(fnJ) : "(none)"} is not a function defined in the file`, ids);
        break;
      }
      case "@task": {
        const fn = L.found.taskflow[t.function!];
        const kind = decoratorKind(fn.decorator);
        if (kind !== "task.branch" && kind !== "task.short_circuit") {
          step = taskflow.step(t, common);
          break;
        }
        // A @task.branch function decides as a BranchPythonOperator's callable does (a @task.short_circuit one as a
        // ShortCircuitOperator's): by the parameters, context and step results it reads, and by its arguments, each a
        // value written in the file or a TaskFlow function step's result.
        const what = `a TaskFlow @${kind} function (${fn.name}, defined at line ${fn.line})`;
        const after = kind === "task.short_circuit" ? shortCircuited(`@${kind} task`) : undefined;
        if (kind === "task.short_circuit" && !after) break;
        const call = t.call ?? { args: [], kwargs: {} };
        const locals = new Map<string, Value>();
        const bad = (at: Pos, m: string) => L.diags.push(error(at, `task '${id}': ${what} ${m}`, { code: "lift-branch" }));
        const bind = (name: string | undefined, j: J) => {
          const at = L.at(j.at, t.line, t.col);
          if (name === undefined || !fn.params.includes(name)) return void bad(at, name === undefined ? "is called with more positional arguments than it takes" : `has no parameter ${name}`);
          const up = "xcom" in j && j.xcom !== undefined ? byVar.get(j.xcom) : undefined;
          if ("xcom" in j && j.xcom !== undefined) {
            const keys = j.keys ?? [];
            if (!up || !functionOf(found, up) || keys.length) return void bad(at, `takes ${name} from ${j.src}, which is not a TaskFlow function's whole result (only such a result, or a value written in the file, is read)`);
            locals.set(name, { kind: "ref", ref: { scope: "steps", step: idOf(j.xcom), attr: "reports", report: FUNCTION_RESULT, path: [] }, pos: at });
            return;
          }
          const v = L.value(j, at);
          if (!v) return void bad(at, `takes ${name} as ${L.why(j).text}, which is neither a value written in the file nor a function's result`);
          locals.set(name, v);
        };
        if (t.mapped) bad(pos, `is mapped with .${t.mapped}(...); a condition step decides once`);
        else if (call.spread) bad(pos, "is called with *args or **kwargs, which cannot be read one by one");
        else {
          call.args.forEach((a, i) => bind(fn.positional[i], a));
          for (const [k, a] of Object.entries(call.kwargs)) bind(k, a);
          const passed = new Set([...call.args.map((_, i) => fn.positional[i]), ...Object.keys(call.kwargs)]);
          const unbound = fn.params.filter((x) => !passed.has(x) && !fn.context_params.includes(x) && fn.required.includes(x));
          if (unbound.length) bad(pos, `is called without ${unbound.join(", ")}`);
          else if (locals.size === call.args.length + Object.keys(call.kwargs).length) {
            L.locals = locals;
            try {
              step = branchStep(fn.body, what, "", after);
            } finally {
              L.locals = undefined;
            }
            if (step && locals.size) for (const dep of [...locals.values()].flatMap((x) => (x.kind === "ref" && x.ref.scope === "steps" ? [x.ref.step] : []))) if (!step.depends_on.includes(dep)) step.depends_on.push(dep);
          }
        }
        break;
      }
      case "PythonOperator": {
        const ownMap = maps.find((m) => m.own && m.items === t);
        if (ownMap) {
          step = ownMapStep(mapReader, ownMap, common, found.functions as never, L.diags);
          delete step.retry;
          delete step.timeout;
          break;
        }
        const fn = t.kwargs.python_callable && "name" in t.kwargs.python_callable ? found.functions[t.kwargs.python_callable.name] : undefined;
        const sleep = fn?.length === 1 ? fn[0].call : undefined;
        if (sleep && "call" in sleep && sleep.call === "sy_failed" && triggerRule(t) === "all_done") {
          // The generated check before failure handlers: not a step (the handlers' on_failure says it).
          const ids = items(sleep.args[sleep.args.length - 1]).map((x) => L.str(x)).filter((x): x is string => x !== undefined);
          gates.set(id, ids);
          break;
        }
        if (sleep && "call" in sleep && sleep.call === "sy_passed" && triggerRule(t) === "all_done") {
          // The generated task after steps whose failure is let pass: not a step (their on_failure says it).
          passers.set(id, { ids: items(sleep.args[sleep.args.length - 1]).map((x) => L.str(x)).filter((x): x is string => x !== undefined), pos: L.pos(t.line, t.col) });
          break;
        }
        if (sleep && "call" in sleep && /^(time\.)?sleep$/.test(sleep.call) && sleep.args.length === 1) {
          // A task that only sleeps is a wait that starts when the task starts.
          step = { ...common, kind: "wait", seconds: need(sleep.args[0], "the seconds to wait") };
          delete step.retry;
          delete step.timeout;
          break;
        }
        const ret = fn?.length === 1 ? fn[0].return : undefined;
        if (ret && "call" in ret && (ret.call === "sy_aws" || ret.call === "sy_aws_wait" || ret.call === "sy_aws_repeat")) {
          step = readAwsCall(L, ret, common, t, id, common.timeout ?? seconds(dflt("execution_timeout")));
          break;
        }
        if (ret && "call" in ret && ret.call === "sy_lambda_repeat") {
          step = readLambdaRepeat(L, ret, common, t, id, common.timeout ?? seconds(dflt("execution_timeout")));
          break;
        }
        const raise = fn?.length === 1 ? fn[0].raise : undefined;
        const message = raise && "call" in raise && /AirflowFailException$/.test(raise.call) && raise.args[0] ? v(raise.args[0]) : undefined;
        const called = t.callable !== undefined && t.call ? L.found.callables?.[t.callable] : undefined;
        if (!message && called) {
          // Any other function of the file, called with arguments written out: run as a function step, as a @task is.
          step = taskflow.step(t, common, called);
          break;
        }
        if (!message) {
          L.diags.push(error(pos, `task '${id}': a PythonOperator is lifted when it calls a function of the file with arguments written out (op_args, op_kwargs), or fails the run with a message (raise AirflowFailException(...))`, { code: "lift-unsupported" }));
          break;
        }
        step = { ...common, kind: "fail", ...fromFailText(message) };
        delete step.retry;
        break;
      }
      case "PythonSensor": {
        const fn = t.kwargs.python_callable && "name" in t.kwargs.python_callable ? found.functions[t.kwargs.python_callable.name] : undefined;
        const ret = fn?.[0]?.return;
        if (!ret || !("call" in ret) || ret.call !== "sy_approval") {
          L.diags.push(error(pos, `task '${id}': a PythonSensor is lifted only as a generated approval`, { code: "lift-unsupported" }));
          break;
        }
        const msg = v(ret.kwargs.message);
        const outs = v(ret.kwargs.outputs);
        const wait = seconds(t.kwargs.timeout);
        step = {
          ...common,
          kind: "approval",
          ...(ret.kwargs.function ? { function: need(ret.kwargs.function, "the function") } : { queue: need(ret.kwargs.queue, "the queue") }),
          ...(ret.kwargs.token_field && L.str(ret.kwargs.token_field) !== undefined ? { token_field: L.str(ret.kwargs.token_field) } : {}),
          message: msg?.kind === "map" ? msg.entries : {},
          outputs: outs?.kind === "map" ? (Object.fromEntries(Object.entries(outs.entries).map(([k, x]) => [k, (x.kind === "literal" ? x.value : "string") as ScalarType])) as Record<string, ScalarType>) : {},
          ...(wait !== undefined ? { timeout: wait } : {}),
        };
        delete step.retry;
        break;
      }
      case "GlueJobOperator": {
        const args = t.kwargs.script_args ? need(t.kwargs.script_args, "the job arguments") : undefined;
        const run = t.kwargs.run_job_kwargs;
        if (glueStartsOnly(t, L.watchedOperators)) {
          // start_job_run(JobName=..., Arguments=script_args, **run_job_kwargs) and no more: the API call, which does not wait.
          const request: Record<string, Value> = { JobName: need(t.kwargs.job_name, "the job name") };
          if (args?.kind === "map") request.Arguments = args;
          else if (args) L.diags.push(error(L.at(t.kwargs.script_args!.at, t.line, t.col), `task '${id}': its script_args is not a dict written in the file`, { code: "lift-value" }));
          membersInto(request, "run_job_kwargs");
          step = { ...common, kind: "aws", service: "glue", action: "StartJobRun", request, outputs: {} };
          break;
        }
        const wt = get(run, "WorkerType");
        const nw = get(run, "NumberOfWorkers");
        step = {
          ...common,
          kind: "glue",
          job: need(t.kwargs.job_name, "the job name"),
          arguments: args?.kind === "map" ? args.entries : {},
          ...(wt ? { worker_type: need(wt, "the worker type") } : {}),
          ...(nw ? { workers: need(nw, "the number of workers") } : {}),
        };
        break;
      }
      case "EmrCreateJobFlowOperator": {
        // The provider's EmrHook.create_job_flow: RunJobFlow with the extra of the connection emr_conn_id names
        // ("emr_default" unless given; an empty start when the environment has no such connection or it is None),
        // job_flow_overrides set over it. Its XCom result is the cluster's id (XCOM_IS_RESPONSE_MEMBER).
        const overrides = given("job_flow_overrides");
        const written = overrides && "dict" in overrides ? need(overrides, "its job_flow_overrides") : undefined;
        if (overrides && !written) L.diags.push(error(L.at(overrides.at, t.line, t.col), `task '${id}': its job_flow_overrides is not a dict written in the file (a text is read as a Python literal when the task runs)`, { code: "lift-value" }));
        const request = written?.kind === "map" ? written.entries : {};
        const conn = t.kwargs.emr_conn_id;
        if (!conn || !isNone(conn)) {
          const name = conn ? L.str(conn) : "emr_default";
          L.diags.push(
            warning(pos, `task '${id}': the operator starts from the extra of Airflow connection ${name === undefined ? "emr_conn_id" : `'${name}'`} where the environment has it, and sets job_flow_overrides over it; the lifted step sends job_flow_overrides alone`, {
              code: "lift-call",
              hint: "write the connection's settings into job_flow_overrides, or set emr_conn_id=None where the environment has no such connection",
            }),
          );
        }
        const waits = waitAsked("wait_for_completion", "wait_policy", "deferrable");
        if (waits) {
          L.diags.push(
            error(L.at(waits.at, t.line, t.col), `task '${id}': waiting for the cluster (wait_for_completion, wait_policy, deferrable) is not lifted: the provider's waiter takes RUNNING and TERMINATED as done, where a neutral RunJobFlow that waits takes WAITING alone`, {
              code: "lift-unsupported",
              hint: "start the cluster without waiting: the steps an EmrAddStepsOperator adds run once it is ready",
            }),
          );
        }
        step = { ...common, kind: "aws", service: "emr", action: "RunJobFlow", request, outputs: {} };
        break;
      }
      case "EmrTerminateJobFlowOperator": {
        // The provider's TerminateJobFlows of the one cluster; deferrable, it then waits until the cluster is TERMINATED
        // (TERMINATED_WITH_ERRORS fails it), at most waiter_max_attempts × waiter_delay seconds (20 × 60 by default).
        const unknown = waitAsked("wait_for_completion");
        if (unknown) L.diags.push(error(L.at(unknown.at, t.line, t.col), `task '${id}': wait_for_completion is no argument of EmrTerminateJobFlowOperator, which waits when deferrable`, { code: "lift-unsupported" }));
        const deferrable = t.kwargs.deferrable;
        if (deferrable && !("const" in deferrable && typeof deferrable.const === "boolean")) L.diags.push(error(L.at(deferrable.at, t.line, t.col), `task '${id}': deferrable is not True or False written in the file`, { code: "lift-value" }));
        const waits = !!deferrable && "const" in deferrable && deferrable.const === true;
        const bound = waits ? waiter(20) : undefined;
        step = { ...common, kind: "aws", service: "emr", action: "TerminateJobFlows", request: { JobFlowIds: { kind: "list", items: [need(t.kwargs.job_flow_id, "the cluster id (job_flow_id)")], pos } }, ...(waits ? { wait: true } : {}), outputs: {} };
        if (bound) boundedBy(step, bound);
        break;
      }
      case "EmrAddStepsOperator": {
        const list = items(t.kwargs.steps);
        if (!t.kwargs.steps || !("list" in t.kwargs.steps) || list.length !== 1) {
          L.diags.push(error(L.at(t.kwargs.steps?.at, t.line, t.col), `task '${id}': an EmrAddStepsOperator is lifted when its steps are a list of one step written in the file (a neutral emr step adds one)`, { code: "lift-emr" }));
          break;
        }
        const jar = get(list[0], "HadoopJarStep");
        const props: Record<string, Value> = {};
        for (const kv of items(get(jar, "Properties"))) {
          const k = L.str(get(kv, "Key"));
          if (k !== undefined) props[k] = need(get(kv, "Value"), `property ${k}`);
        }
        const action = L.str(get(list[0], "ActionOnFailure"));
        const main = get(jar, "MainClass");
        // The step's Name, where it is not the task's id (the lowering's default).
        const nameJ = get(list[0], "Name");
        const named = nameJ && L.str(nameJ) !== L.str(t.kwargs.task_id) ? need(nameJ, "the step's Name") : undefined;
        step = {
          ...common,
          kind: "emr",
          cluster_id: need(t.kwargs.job_flow_id, "the cluster id (job_flow_id)"),
          ...(named ? { name: named } : {}),
          jar: need(get(jar, "Jar"), "the jar"),
          args: items(get(jar, "Args")).map((x) => need(x, "a step argument")),
          ...(main ? { main_class: need(main, "the main class") } : {}),
          properties: props,
          ...(action ? { action_on_failure: action as never } : {}),
        };
        break;
      }
      default: {
        const why = NO_KIND[cls] ?? (/Sensor$/.test(cls) && /(SageMaker|Glue|Emr)/.test(cls) ? NO_KIND.JobSensor : undefined);
        L.diags.push(error(pos, `task '${id}': ${t.cls} has no neutral step kind${why ? ` (${why})` : ""}, so the DAG cannot be lifted as a whole`, { code: "lift-unsupported" }));
      }
    }
    if (!step) continue;
    const tags = get(cfg ?? t.kwargs.extras, "Tags") ?? (cls === "SageMakerEndpointOperator" ? get(cfg, "Endpoint", "Tags") : undefined);
    for (const tag of items(tags)) {
      const k = L.str(get(tag, "Key"));
      const val = L.str(get(tag, "Value"));
      if (k !== undefined && val !== undefined) step.tags[k] = val;
    }
    if (firstPart) {
      steps.push(firstPart);
      L.steps.set(firstPart.id, firstPart);
      dag.firstParts.set(firstPart.id, id);
    }
    steps.push(step);
    L.steps.set(id, step);
    for (const c of extra) {
      steps.push(c);
      L.steps.set(c.id, c);
      dag.laterWays.set(c.id, id);
    }
  }

  watchedInto(L, dag, watched, idOf);
  completeMaps(mapReader, maps, steps, L.steps, idOf, found.functions as never, L.diags);
  // A failure check's tasks of a map are the map's: its steps are the map's iterations.
  const inMap = new Set(maps.flatMap((m) => m.members.map((t) => idOf(t.var))));
  for (const [gate, ids] of gates) gates.set(gate, ids.filter((x) => !inMap.has(x)));
  // Edges become explicit ordering (condition membership and data references imply the rest again); the edges
  // into a map's results task are the map's own (its iterations end there).
  // An edge into or out of a map's iterations (a group in a dependency stands for its tasks) is the map's.
  const mapOfStep = new Map(maps.flatMap((m) => m.members.map((t) => [idOf(t.var), m.id] as const)));
  const taskIdOfCondition = new Map(dag.tasks.map((t) => [L.str(t.kwargs.task_id), t.var]));
  for (const [up, down] of dag.edges) {
    if (resultsTasks.has(down) || takesOf.has(down)) continue;
    let d = idOf(down);
    let u = idOf(takesOf.has(up) ? (taskIdOfCondition.get(takesOf.get(up)) ?? up) : up);
    if (mapOfStep.get(d) !== mapOfStep.get(u)) [d, u] = [mapOfStep.get(d) ?? d, mapOfStep.get(u) ?? u];
    const s = L.steps.get(d);
    // After a task that lets failures pass: after the steps whose failures it lets pass.
    for (const x of passers.get(u)?.ids ?? [u]) if (s && x !== s.id && L.steps.has(x) && !s.depends_on.includes(x)) s.depends_on.push(x);
  }
  // A task lifted as two steps: the tasks before it lead to its first; its own step follows that one alone.
  for (const [first, whole] of dag.firstParts) {
    const [a, b] = [L.steps.get(first)!, L.steps.get(whole)!];
    a.depends_on = b.depends_on.filter((x) => x !== first);
    b.depends_on = [first];
  }
  for (const { ids, pos } of passers.values()) {
    for (const x of ids) {
      const s = L.steps.get(x);
      if (s) s.on_failure = [{ steps: [], ends: "continues", pos }];
    }
  }
  allDoneAfterFirst(L, dag, steps, idOf, mapOfStep);
  // A task a later way returns follows that way's condition, not the task whose callable returns it.
  for (const [inner, root] of dag.laterWays) {
    const c = L.steps.get(inner) as StepOf<"condition">;
    for (const x of [...c.then, ...c.else]) {
      const s = L.steps.get(x);
      if (s && !dag.laterWays.has(x)) s.depends_on = s.depends_on.map((d) => (d === root ? inner : d)).filter((d, i, all) => all.indexOf(d) === i);
    }
  }
  branchClosure(L, dag, steps, idOf);
  failureClosure(L, dag, steps, idOf, gates);
  // A location as text: a join inside a join (a location built on another's) is the same text as its parts in place.
  const textKey = (v: Value): string => positionFreeJson(v.kind === "join" ? joinParts(v) : [v]);
  for (const r of L.pendingReports) {
    const where = textKey(r.where);
    const at = explicit.find((e) => textKey(e.value) === where);
    if (!at) {
      L.diags.push(error(r.pos, `a report is read from ${positionFreeJson(r.where)}, which is no output of a lifted step`, { code: "lift-value" }));
      continue;
    }
    [r.ref.step, r.ref.report] = [at.step, at.name];
    const byStep = L.reports.get(at.step) ?? new Map();
    byStep.set(at.name, { output: at.name, file: r.file });
    L.reports.set(at.step, byStep);
  }
  for (const s of steps) {
    // A repeated function's call names its outputs; any other Lambda task's are those the DAG reads.
    if (s.kind === "lambda") s.outputs = { ...s.outputs, ...(L.outputs.get(s.id) ?? {}) };
    // A repeated call's condition reads `response[name]` for an output as for a member of the response: an output it declares is read as that output.
    if ((s.kind === "lambda" || s.kind === "aws") && s.repeat) {
      const outs = s.outputs;
      s.repeat.until = mapRefs(s.repeat.until, (v) => {
        const r = v.ref;
        return r.scope === "steps" && r.step === s.id && r.attr === "response" && r.path.length === 1 && typeof r.path[0] === "string" && r.path[0] in outs ? { ...v, ref: { scope: "steps", step: s.id, attr: "outputs", name: r.path[0] } } : v;
      });
    }
    if (s.kind === "processing") {
      for (const [name, r] of L.reports.get(s.id) ?? []) s.reports[name] = { ...r, pos: s.pos };
    }
  }

  const given = input.given;
  if (!L.artifacts || given?.artifacts) {
    // Uploaded code lives under `<artifacts>/code/<hash>/`; else, for a hand-written DAG, take the bucket its outputs go to.
    const all = JSON.stringify(dag.tasks.map((t) => t.kwargs));
    const code = all.match(/"(s3:\/\/[^"]+)\/code\/[0-9a-f]{16,64}\/[^"/]+"/);
    const any = all.match(/"s3:\/\/([a-z0-9.-]+)\//);
    L.artifacts = takeGiven("artifacts", given, L.artifacts ?? code?.[1], L.pos(dag.line), "where its code and outputs are written", L.diags);
    if (!L.artifacts && any) {
      L.artifacts = `s3://${any[1]}`;
      L.diags.push(warning(L.pos(dag.line), `the artifacts prefix is taken to be ${L.artifacts} (where outputs of steps added to the lifted pipeline go)`, { code: "lift-artifacts", hint: "give another with --artifacts" }));
    }
  }
  if (L.artifacts) {
    const layout = { artifacts: L.artifacts, steps: [] } as unknown as Pipeline;
    for (const e of explicit) {
      const dflt = outputLocation(layout, e.step, e.name, e.value.pos);
      if (positionFreeJson(dflt) !== positionFreeJson(e.value)) e.set(e.value);
    }
  }
  // Locations `<artifacts>/<run id>/<step>/<output>` of a lifted step are references to that output.
  if (L.artifacts) {
    const prefix = `${L.artifacts}/`;
    // The lowering merges neighbouring text, so text next to text in a join was something else: an output's own destination.
    const given = new Map<string, { step: string; name: string }>();
    for (const e of explicit) {
      if (e.value.kind === "literal" && typeof e.value.value === "string" && !given.has(e.value.value)) given.set(e.value.value, { step: e.step, name: e.name });
    }
    const joinOwners = new Map<string, { step: string; name: string }>();
    for (const e of explicit) {
      const key = positionFreeJson(e.value);
      if (e.value.kind === "join" && !joinOwners.has(key)) joinOwners.set(key, { step: e.step, name: e.name });
    }
    const outputRef = (d: { step: string; name: string }, pos: Pos): Value => ({ kind: "ref", ref: { scope: "steps", step: d.step, attr: "outputs", name: d.name }, pos });
    /** The output whose own destination is this join, if one is. */
    const givenJoin = (x: Value): Value | undefined => {
      const d = x.kind === "join" ? joinOwners.get(positionFreeJson(x)) : undefined;
      return d && outputRef(d, x.pos);
    };
    const destination = (x: Value): Value => {
      const d = x.kind === "literal" && typeof x.value === "string" ? given.get(x.value) : undefined;
      return d ? outputRef(d, x.pos) : x;
    };
    const isText = (x: Value | undefined) => x?.kind === "literal" && typeof x.value === "string";
    const relink = (x: Value): Value => {
      switch (x.kind) {
        case "join": {
          // A destination's reference lowers to the same text as the destination itself, so either reading re-lowers the same.
          // A join inside a join was a reference too (the lowering inlines nested joins): an output's own destination.
          const parts = x.parts.map((p) => givenJoin(p) ?? relink(p)).map((p, i, all) => (isText(p) && (isText(all[i - 1]) || isText(all[i + 1])) ? destination(p) : p));
          // `<artifacts>/`, the run id, `/<step>/<output>`: anywhere in the text (the lowering writes a location
          // inside other text as text), each is that output.
          const flat = parts.flatMap((p) => (p.kind === "join" ? p.parts : [p]));
          const text = (value: string): Value => ({ kind: "literal", value, type: "string", pos: x.pos });
          const out: Value[] = [];
          for (let i = 0; i < flat.length; i++) {
            const [a, b, c] = [flat[i], flat[i + 1], flat[i + 2]];
            const m = c?.kind === "literal" && typeof c.value === "string" ? /^\/([^/]+)\/([^/]+)(\/.*)?$/s.exec(c.value) : null;
            const owner = m ? L.steps.get(m[1]) : undefined;
            if (a?.kind === "literal" && typeof a.value === "string" && a.value.endsWith(prefix) && b?.kind === "ref" && b.ref.scope === "execution" && b.ref.name === "id" && m && owner && ["processing", "transform", "notebook"].includes(owner.kind)) {
              const before = a.value.slice(0, -prefix.length);
              if (before) out.push(text(before));
              out.push({ kind: "ref", ref: { scope: "steps", step: m[1], attr: "outputs", name: m[2] }, pos: x.pos });
              if (m[3]) out.push(text(m[3]));
              i += 2;
            } else out.push(a);
          }
          // A location that is the whole text is the reference; any other join of one part stays a join
          // (it is written sy_cat(...) where the part alone is written otherwise).
          return out.length === 1 && out[0].kind === "ref" && out[0] !== flat[0] ? out[0] : { ...x, parts: out };
        }
        case "list":
          return { ...x, items: x.items.map(relink) };
        case "map":
          return { ...x, entries: Object.fromEntries(Object.entries(x.entries).map(([k, e]) => [k, relink(e)])) };
        case "compare":
        case "arith":
          return { ...x, left: relink(x.left), right: relink(x.right) };
        case "in":
          return { ...x, value: relink(x.value), list: relink(x.list) };
        case "logic":
          return { ...x, operands: x.operands.map(relink) };
        case "not":
          return { ...x, operand: relink(x.operand) };
        case "call":
          // Text built from parts inside a function's argument was a reference too (the language cannot write it otherwise).
          return { ...x, args: x.args.map((a) => givenJoin(a) ?? relink(a)) };
        default:
          return x;
      }
    };
    steps.forEach((st, i) => {
      // A whole value built as an output's own destination is, from a step that waits for that output's step, the
      // output itself (a reference lowers to its destination's text; the reference, not the destination's parts, is what it waits for).
      const field = (x: Value): Value => {
        const own = givenJoin(x);
        return own?.kind === "ref" && own.ref.scope === "steps" && own.ref.step !== st.id && st.depends_on.includes(own.ref.step) ? own : relink(x);
      };
      const next = mapStepValues(st, field);
      // Register-model `metrics` is not among the values mapStepValues visits on every kind; map it here too.
      steps[i] = next;
      L.steps.set(next.id, next);
    });
  }

  // The expression language joins text only in a field's own text: text built from parts inside a function's argument is refused.
  for (const st of steps) {
    walkStepValues(st, (v) => {
      const inCall = (x: Value): void => {
        if (x.kind === "call") {
          for (const a of x.args) {
            if (a.kind === "join") L.diags.push(error(a.pos, `task '${st.id}': ${x.fn}()'s argument is text built from parts, which a pipeline expression cannot write inside a function`, { code: "lift-value" }));
            else inCall(a);
          }
        }
        else if (x.kind === "join") x.parts.forEach(inCall);
        else if (x.kind === "list") x.items.forEach(inCall);
        else if (x.kind === "map") Object.values(x.entries).forEach(inCall);
      };
      inCall(v);
    });
  }

  // Pipeline-level facts.
  const pos = L.pos(dag.line);
  const fileRegion = L.str(t0(dag.tasks, "region_name")) ?? L.str(get(dag.kwargs.default_args, "region_name")) ?? (typeof found.constants.REGION === "string" ? found.constants.REGION : undefined);
  const region = takeGiven("region", given, fileRegion, pos, "region_name", L.diags);
  let fileRole: string | undefined;
  for (const t of dag.tasks) fileRole ??= L.str(get(t.kwargs.config, "RoleArn")) ?? L.str(get(t.kwargs.config, "ExecutionRoleArn"));
  const role = takeGiven("role", given, fileRole, pos, "the RoleArn of its SageMaker configs", L.diags);
  // TaskFlow functions and Lambda calls name no region, role or bucket: what the DAG does not give, the options must.
  const missing: GivenKey[] = [];
  if (!region) missing.push("region");
  if (!role && steps.some((s) => ROLE_STEP_KINDS.has(s.kind))) missing.push("role");
  if (!L.artifacts) missing.push("artifacts");
  // Only for a DAG that otherwise lifts: a refused task (a config from an XCom) may be what holds them.
  if (missing.length && !L.diags.some((d) => d.severity === "error")) L.diags.push(missingGiven(missing, pos, "the DAG"));
  const parameters: Parameter[] = [];
  const params = dag.kwargs.params;
  for (const [k, pv] of params && "dict" in params ? params.dict : []) {
    const name = k && "const" in k && typeof k.const === "string" ? k.const : undefined;
    if (!name) continue;
    const isParam = "call" in pv && /Param$/.test(pv.call);
    const dv = isParam ? (pv.args[0] ?? pv.kwargs.default) : pv;
    // A parameter's values are data, never rendered: text in them is plain.
    const asValue = (j: J): Value | undefined => (plainText(j) !== undefined ? { kind: "literal", value: plainText(j)!, type: "string", pos } : L.value(j, pos));
    const d = dv ? asValue(dv) : undefined;
    const typeName = isParam ? L.str(pv.kwargs.type) : undefined;
    const type: ScalarType =
      typeName === "number" ? "float" : typeName === "integer" ? "integer" : typeName === "boolean" ? "boolean" : typeName === "string" ? "string" : d?.kind === "literal" && d.type ? d.type : "string";
    const prm: Parameter = { name, type, pos };
    if (d?.kind === "literal" && d.value !== null) prm.default = d.value;
    const en = isParam && pv.kwargs.enum && "list" in pv.kwargs.enum ? pv.kwargs.enum.list.map(asValue) : undefined;
    if (en) prm.enum = en.map((x) => (x?.kind === "literal" ? x.value : "")) as Array<string | number | boolean>;
    for (const [k, j] of Object.entries(isParam ? pv.kwargs : {})) {
      if (!["type", "enum", "description", "default"].includes(k)) L.diags.push(warning(L.at(j.at, dag.line), `parameter '${name}': ${k}=${jinjaText(j)} is not kept (a pipeline parameter has a type, a default and an enum)`, { code: "lift-param" }));
    }
    const desc = isParam ? plainText(pv.kwargs.description) : undefined;
    if (desc !== undefined) prm.description = desc;
    parameters.push(prm);
  }
  const dagSettings: Record<string, unknown> = {};
  const read = readSchedule(L, dag, pos);
  L.diags.push(...read.diags);
  const { sched } = read;
  const schedule = read.schedule;
  liftDateReads(L, schedule, sched, "schedule_interval" in dag.kwargs, input.text);
  // DAG arguments the lifter does not model: plain data stays as DAG settings (exact on Airflow), the rest is said.
  // A scheduled DAG created paused is a schedule that is not enabled (as the lowering writes it).
  const paused = dag.kwargs.is_paused_upon_creation;
  const startsPaused = !!schedule && !!paused && "const" in paused && paused.const === true;
  if (schedule && startsPaused) schedule.enabled = false;
  // The pipeline's description is the DAG's doc_md; a `description` (a line in the DAG list) is a DAG setting.
  const MODELLED = new Set(["dag_id", "schedule", "schedule_interval", "timetable", "params", "default_args", "tags", "doc_md", "user_defined_macros", "start_date", "end_date", "catchup", ...(startsPaused ? ["is_paused_upon_creation"] : [])]);
  for (const [k, j] of Object.entries(dag.kwargs)) {
    if (MODELLED.has(k)) continue;
    const data = k === "description" && plainText(j) !== undefined ? { v: plainText(j) } : staticJson(j);
    // A callback acts (a notification, a call) when the run ends: left out, the lifted run would not do it.
    if (/_callback$/.test(k) && !isNone(j)) {
      L.held.push(
        error(L.at(j.at, dag.line), `DAG argument ${k}=${jinjaText(j)} is Python that Airflow runs when the run ${k.startsWith("on_success") ? "succeeds" : k.startsWith("on_failure") ? "fails" : "misses its SLA"}, which a pipeline cannot hold`, {
          code: "lift-callback",
          hint: k.startsWith("on_success") ? "a last step after every other that notifies is the pipeline's form of it; write it, then lift the DAG without the callback" : "a failure handler (on_failure) with a step that notifies is the pipeline's form of an alert; write it, then lift the DAG without the callback",
        }),
      );
    } else if (data) dagSettings[k] = data.v;
    else L.diags.push(warning(L.at(j.at, dag.line), `DAG argument ${k}=${jinjaText(j)} is not kept`, { code: "lift-dag-arg" }));
  }
  // default_args the pipeline does not model stay the DAG's default_args: Airflow gives each only to the operators
  // that take it (an AthenaOperator's database, every task's owner), where a task's own argument would reach one
  // that does not (and fail the DAG's import).
  const ownArgs: Record<string, unknown> = {};
  for (const [k, j] of (defaultArgs && entries(defaultArgs)) ?? []) {
    const data = DEFAULT_ARGS_IN_IR.has(k) ? undefined : staticJson(j);
    if (data) ownArgs[k] = data.v;
  }
  if (Object.keys(ownArgs).length) dagSettings.default_args = ownArgs;
  const end = dag.kwargs.end_date ?? get(defaultArgs, "end_date");
  if (end && !("const" in end && end.const === null) && schedule) {
    L.diags.push(warning(L.at(end.at, dag.line), `end_date=${jinjaText(end)} (no scheduled runs after it) is not kept: the lifted schedule does not end`, { code: "lift-dag-arg" }));
  }
  const catchup = dag.kwargs.catchup;
  if (catchup && "const" in catchup && catchup.const === true && schedule) {
    L.diags.push(warning(L.at(catchup.at, dag.line), "catchup=True (runs for every missed interval since start_date) is not kept: the lifted DAG runs only from now on", { code: "lift-dag-arg" }));
  }
  const defaults: Pipeline["defaults"] = {};
  const r = dflt("retries");
  // No retries but a delay written out: a default rule of one attempt (as the lowering writes one).
  if (r && "const" in r && typeof r.const === "number" && (r.const > 0 || (r.const === 0 && dflt("retry_delay")))) {
    const exp = dflt("retry_exponential_backoff");
    const maxDelay = seconds(dflt("max_retry_delay"));
    defaults.retry = [{ attempts: r.const + 1, interval: seconds(dflt("retry_delay")) ?? AIRFLOW_RETRY_DELAY, backoff: exp && "const" in exp && exp.const === true ? 2 : 1, on: ["any"], ...(maxDelay !== undefined ? { max_delay: maxDelay } : {}), pos }];
  }
  const to = seconds(dflt("execution_timeout"));
  if (to !== undefined) defaults.timeout = to;
  const tagList = items(dag.kwargs.tags).map((x) => plainText(x)).filter((x): x is string => x !== undefined && x.includes(":"));
  // `key:value` DAG tags are the pipeline's default tags when every job carries them (as the lowering writes them).
  const dagTags = Object.fromEntries(tagList.map((x) => [x.slice(0, x.indexOf(":")), x.slice(x.indexOf(":") + 1)]));
  const jobSteps = steps.filter((s) => !["condition", "fail", "approval", "lambda", "aws"].includes(s.kind));
  if (tagList.length && jobSteps.every((s) => Object.entries(dagTags).every(([k, val]) => s.tags[k] === val))) {
    defaults.tags = dagTags;
    for (const s of steps) for (const [k, val] of Object.entries(dagTags)) if (s.tags[k] === val) delete s.tags[k];
  }
  const allTags = items(dag.kwargs.tags).map((x) => plainText(x));
  const generated = new Set([...Object.entries(defaults.tags ?? {}).map(([k, val]) => `${k}:${val}`), "switchyard"]);
  if (dag.kwargs.tags && (allTags.some((x) => x === undefined || !generated.has(x)) || !allTags.includes("switchyard"))) {
    if (allTags.every((x) => x !== undefined)) dagSettings.tags = allTags;
    else L.diags.push(warning(L.at(dag.kwargs.tags.at, dag.line), "the DAG's tags are computed; they are not kept", { code: "lift-dag-arg" }));
  }
  // A step's own settings equal to the defaults are the defaults.
  for (const s of steps) {
    const [a, b] = [s.retry?.[0], defaults.retry?.[0]];
    if (a && b && s.retry!.length === 1 && a.attempts === b.attempts && a.interval === b.interval && a.backoff === b.backoff && a.max_delay === b.max_delay) delete s.retry;
  }
  const errors = L.diags.filter((d) => d.severity === "error");
  if (errors.length) return { diagnostics: [...L.diags, ...L.held] };
  // The functions' file is complete only now: its hash is every lifted function's code.
  const code = taskflow.file();
  for (const s of steps) if (code && taskflow.stepIds.includes(s.id) && s.kind === "processing") s.code = { path: code.path, sha256: code.sha256, pos: s.pos };
  const description = plainText(dag.kwargs.doc_md);
  const pipeline: Pipeline = {
    version: 1,
    name: L.str(dag.kwargs.dag_id) ?? "lifted",
    ...(description !== undefined ? { description } : {}),
    ...(role ? { role } : {}),
    region: region!,
    artifacts: L.artifacts!,
    parameters,
    defaults,
    ...(schedule ? { schedule } : {}),
    steps,
    targets: Object.keys(dagSettings).length ? { airflow: { settings: dagSettings, pos } } : {},
    source: { file: input.file, format: "lifted" },
    pos,
  };
  return { pipeline, diagnostics: L.diags, held: L.held, ...(code ? { files: [{ path: code.path, contents: code.contents }] } : {}) };
}

/** The DAG's schedule as a pipeline's (without intervals read from {{ ds }}: liftDateReads), with what cannot be read of it. */
function readSchedule(L: Lifter, dag: FoundDag, pos: Pos): { schedule: Pipeline["schedule"]; sched: J | undefined; diags: Diagnostic[] } {
  const sched = dag.kwargs.schedule ?? dag.kwargs.schedule_interval;
  let schedule: Pipeline["schedule"];
  const diags: Diagnostic[] = [];
  const schedPos = sched ? L.at(sched.at, dag.line) : pos;
  const isDataset = (j: J): boolean => ("call" in j && /(^|\.)(Dataset|Asset|DatasetAll|DatasetAny|AssetAll|AssetAny)$/.test(j.call)) || ("list" in j && j.list.some(isDataset)) || ("src" in j && /[|&]/.test(j.src));
  if (sched && isDataset(sched)) diags.push(error(schedPos, `schedule ${jinjaText(sched)} is a dataset schedule (the DAG runs when datasets are updated), which has no neutral form`, { code: "lift-schedule" }));
  else if (sched && "const" in sched && (sched.const === "@once" || sched.const === "@continuous")) diags.push(error(schedPos, `schedule '${sched.const}' has no neutral form (a pipeline is started by a cron schedule or by hand)`, { code: "lift-schedule" }));
  else if (sched && !("const" in sched) && !("call" in sched && /(CronTriggerTimetable|CronDataIntervalTimetable|DeltaDataIntervalTimetable|timedelta)$/.test(sched.call))) diags.push(error(schedPos, `schedule ${jinjaText(sched)} has no neutral form`, { code: "lift-schedule" }));
  if (sched && "call" in sched && /CronTriggerTimetable$|CronDataIntervalTimetable$/.test(sched.call)) {
    const cron = L.str(sched.args[0]);
    const tz = L.str(sched.kwargs.timezone);
    if (cron) schedule = { cron, ...(tz && tz !== "UTC" ? { timezone: tz } : {}), pos };
  } else if (sched && "const" in sched && typeof sched.const === "string") {
    const cron = PRESETS[sched.const] ?? sched.const;
    if (cron.split(/\s+/).length === 5) schedule = { cron, pos };
    else diags.push(error(schedPos, `schedule '${sched.const}' is not a five-field cron`, { code: "lift-schedule" }));
  } else if (sched && "call" in sched && /timedelta$/.test(sched.call)) {
    const every = seconds(sched);
    if (every && every > 0) schedule = { every, pos };
    else diags.push(error(schedPos, `schedule ${jinjaText(sched)} is not a positive fixed rate`, { code: "lift-schedule" }));
  } else if (sched && "call" in sched && /DeltaDataIntervalTimetable$/.test(sched.call)) {
    const every = sched.args[0] && seconds(sched.args[0]);
    if (every && every > 0) schedule = { every, intervals: true, pos };
    else diags.push(error(schedPos, `schedule ${jinjaText(sched)} is not a positive fixed rate`, { code: "lift-schedule" }));
  }
  if (schedule && sched && "call" in sched && /CronDataIntervalTimetable$/.test(sched.call)) schedule.intervals = true;
  return { schedule, sched, diags };
}

/**
 * What `{{ ds }}` means on the DAG's schedule. A data-interval timetable (Airflow 2's reading of a cron
 * string or a timedelta, Airflow 3's of neither) makes it the start of the interval a run covers: the
 * schedule has intervals. The date of the data interval's end is the scheduled time on any timetable,
 * which a pipeline with intervals cannot also read.
 */
function liftDateReads(L: Lifter, schedule: Pipeline["schedule"], sched: J | undefined, airflow2Argument: boolean, text: string): void {
  const bare = L.dateReads.filter((r) => r.bare);
  if (schedule && !schedule.intervals && bare.length && sched && ("const" in sched || ("call" in sched && /timedelta$/.test(sched.call)))) {
    const airflow3 = /\bairflow\.sdk\b/.test(text);
    if (!airflow3) {
      schedule.intervals = true;
      if (!airflow2Argument) {
        L.diags.push(
          warning(bare[0].pos, `{{ ds }} on schedule ${jinjaText(sched)} is read as Airflow 2 reads it, the start of the interval a run covers (the file imports nothing from airflow.sdk); Airflow 3 reads it as the run's scheduled time`, {
            code: "lift-logical-date",
            hint: "the lifted schedule has intervals (a data-interval timetable, CronDataIntervalTimetable or DeltaDataIntervalTimetable), which both lines read alike",
          }),
        );
      }
    }
  }
  // Only the reads the pipeline keeps (a value may be read more than once while a task is lifted), each said once.
  const kept = new Set<object>();
  for (const st of L.steps.values()) walkStepValues(st, (v) => walkValue(v, (n) => n.kind === "call" && n.fn === "add_days" && n.args[1] && kept.add(n.args[1])));
  const said = new Set<string>();
  for (const s of L.scheduleShifts) {
    if (!kept.has(s.at)) continue;
    const key = `${s.name} ${s.pos.line}:${s.pos.col}`;
    if (said.has(key)) continue;
    said.add(key);
    const which = s.name === "prev_ds" ? "before" : "after";
    if (s.problem) {
      L.diags.push(error(s.pos, `{{ ${s.name} }} is the date of the scheduled run ${which} this one, which a pipeline reads as a number of days from the logical date, and ${s.problem}`, { code: "lift-logical-date" }));
    } else {
      const days = s.at.kind === "literal" ? s.at.value : 0;
      L.diags.push(warning(s.pos, `{{ ${s.name} }} is lifted as add_days(execution.logical_date, ${days}): the scheduled run ${which} this one on every run, where Airflow 2 gives a run triggered by hand its own date`, { code: "lift-logical-date" }));
    }
  }
  if (schedule?.intervals) {
    for (const r of L.dateReads.filter((x) => !x.bare)) {
      L.diags.push(error(r.pos, "the date of the data interval's end (the scheduled time) is read where {{ ds }} on this schedule is the interval's start: a pipeline has one logical date", { code: "lift-logical-date" }));
    }
  }
}

function jsonValue(x: unknown, pos: Pos): Value {
  if (Array.isArray(x)) return { kind: "list", items: x.map((i) => jsonValue(i, pos)), pos };
  if (x !== null && typeof x === "object") return { kind: "map", entries: Object.fromEntries(Object.entries(x).map(([k, i]) => [k, jsonValue(i, pos)])), pos };
  if (typeof x === "string") return { kind: "literal", value: x, type: "string", pos };
  if (typeof x === "number") return { kind: "literal", value: x, type: Number.isInteger(x) ? "integer" : "float", pos };
  if (typeof x === "boolean") return { kind: "literal", value: x, type: "boolean", pos };
  return { kind: "literal", value: null, pos };
}

/**
 * A Lambda task's payload as the object it sends: a JSON text, json.dumps({...})
 * written in the file, or a generated payload function returning json.dumps({...}).
 */
export function readPayload(L: Lifter, t: Task): { entries: Record<string, Value> } | { value: Value } | { why: { at?: [number, number]; text: string } } | string {
  const p = t.kwargs.payload;
  const pos = L.pos(t.line, t.col);
  if (!p) return { entries: {} };
  const fnName = "const" in p && p.jinja && p.jinja.length === 1 && "call" in p.jinja[0] ? (p.jinja[0] as { call: string }).call : undefined;
  const body = fnName ? L.found.functions[fnName]?.find((s) => s.return)?.return : undefined;
  const dumped = body && "call" in body && body.call === "json.dumps" ? L.value(body.args[0], pos) : undefined;
  if (dumped?.kind === "map") return { entries: dumped.entries };
  // Any other value is the whole payload (`payload: ${{ execution.input }}`).
  if (dumped) return { value: dumped };
  if ("const" in p && typeof p.const === "string" && p.jinja === undefined) {
    try {
      const parsed = JSON.parse(p.const) as unknown;
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return "the payload is not a JSON object";
      return { entries: (jsonValue(parsed, pos) as Extract<Value, { kind: "map" }>).entries };
    } catch {
      return "the payload is not a JSON object";
    }
  }
  if ("call" in p && p.call === "json.dumps" && p.args.length === 1) {
    const m = L.value(p.args[0], pos);
    if (m?.kind === "map") return { entries: m.entries };
    return { why: L.why(p.args[0]) };
  }
  if ("const" in p && typeof p.const === "string" && p.jinja) {
    const why = L.why(p);
    if (why.text) return { why };
    const read = jsonWithJinja(L, p.jinja, pos);
    if (read) return read;
    return { why: { at: p.at, text: `the JSON text ${JSON.stringify(p.const)}, whose Jinja is not all inside its strings (or which is no JSON object)` } };
  }
  // JSON text known when the task runs (a mapped task group's item): the function gets the value it parses to.
  const text = "src" in p && p.item_of !== undefined ? L.value(p, pos) : undefined;
  if (text) return { value: { kind: "call", fn: "parse", args: [text], pos } };
  return { why: L.why(p) };
}

/**
 * A payload written as JSON text with `{{ expression }}`s inside its strings (`'{"day": "{{ ds }}"}'`):
 * the object it renders to, each such string the text and values joined. Each expression stands in
 * the text as a mark of private-use characters, which JSON keeps as they are inside a string.
 */
function jsonWithJinja(L: Lifter, parts: Array<J | { text: string }>, pos: Pos): { entries: Record<string, Value> } | undefined {
  const values: Value[] = [];
  let text = "";
  for (const part of parts) {
    if ("text" in part) {
      if (/[\uE000\uE001]/.test(part.text)) return undefined;
      text += part.text;
      continue;
    }
    const v = L.value(part as J, pos);
    if (!v) return undefined;
    text += `\uE000${values.length}\uE001`;
    values.push(v);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  let used = 0;
  const back = (x: unknown): Value | undefined => {
    if (typeof x === "string" && x.includes("\uE000")) {
      const out: Value[] = [];
      for (const [i, piece] of x.split(/\uE000(\d+)\uE001/).entries()) {
        if (i % 2 === 1) {
          out.push(values[Number(piece)]);
          used++;
        } else if (piece) out.push({ kind: "literal", value: piece, type: "string", pos });
      }
      return out.length === 1 && out[0].kind !== "literal" ? out[0] : { kind: "join", parts: out, pos };
    }
    if (Array.isArray(x)) {
      const items = x.map(back);
      return items.every((i) => i) ? { kind: "list", items: items as Value[], pos } : undefined;
    }
    if (x !== null && typeof x === "object") {
      const entries: Record<string, Value> = {};
      for (const [k, v] of Object.entries(x)) {
        // A key with an expression in it is no key known when compiling.
        if (k.includes("\uE000")) return undefined;
        const got = back(v);
        if (!got) return undefined;
        entries[k] = got;
      }
      return { kind: "map", entries, pos };
    }
    return jsonValue(x, pos);
  };
  const m = back(parsed);
  // Every expression inside a string: one outside them would have broken the JSON, or become a key.
  return m && m.kind === "map" && used === values.length ? { entries: m.entries } : undefined;
}

/**
 * `sy_aws_repeat(..., lambda response: <condition>, interval, calls[, error, message])`: the
 * step's `repeat`. The most calls follow from the interval and the step's
 * timeout, or are its `max_calls` (with the error and message it then fails with, where given);
 * a bound past what the timeout allows is lifted with a warning.
 */
function readRepeat<S extends StepOf<"aws"> | StepOf<"lambda">>(L: Lifter, ret: Extract<J, { call: string }>, step: S, t: Task, id: string, timeout: number | undefined): S | undefined {
  const [untilJ, intervalJ, callsJ, errorJ, messageJ] = ret.args.slice(ret.call === "sy_lambda_repeat" ? 3 : 4);
  const pos = L.at(ret.at, t.line, t.col);
  // Seconds written out, or read before the calls (a parameter, an earlier task's output).
  const interval: number | Value | undefined =
    intervalJ && "const" in intervalJ ? (typeof intervalJ.const === "number" && intervalJ.const >= 1 ? intervalJ.const : undefined) : intervalJ && L.value(intervalJ, L.at(intervalJ.at, t.line, t.col));
  const fixed = typeof interval === "number" ? interval : undefined;
  const calls = callsJ && "const" in callsJ && (callsJ.const === null || (typeof callsJ.const === "number" && Number.isInteger(callsJ.const) && callsJ.const >= 1)) ? callsJ.const : undefined;
  const text = (j: J | undefined) => (j && "const" in j && typeof j.const === "string" && j.jinja === undefined ? j.const : undefined);
  const [errorName, message] = [text(errorJ), text(messageJ)];
  let until: Value | undefined;
  if (untilJ && "lambda" in untilJ && untilJ.lambda !== null) {
    L.self = { step: id, param: untilJ.lambda };
    until = L.value(untilJ.body, L.at(untilJ.body.at, t.line, t.col));
    L.self = undefined;
  }
  const named = errorJ === undefined || (errorName !== undefined && message !== undefined && typeof calls === "number");
  if (!until || interval === undefined || calls === undefined || !named) {
    const bad = !until ? untilJ : interval === undefined ? intervalJ : calls === undefined ? callsJ : errorName === undefined ? errorJ : messageJ;
    const w = bad ? L.why(bad) : { at: undefined, text: "an argument is missing" };
    const args = ret.call === "sy_lambda_repeat" ? "function_name, payload, outputs" : "service, action, request, outputs";
    L.diags.push(error(L.at(w.at, t.line, t.col), `task '${id}': cannot read its ${ret.call}(${args}, until, interval, calls[, error, message]) call${w.text ? `: ${w.text}` : ""}`, { code: "lift-value" }));
    return undefined;
  }
  const repeat: Repeat = { until, interval, pos };
  const byTime = repeatCalls(fixed, timeout) ?? null;
  if (calls !== null && (byTime === null || calls <= byTime) && (calls !== byTime || errorName !== undefined)) {
    // Fewer calls than the timeout allows (or as many, failing with an error of its own): max_calls.
    repeat.max_calls = calls;
    if (errorName !== undefined && errorName !== REPEAT_LIMIT_ERROR) repeat.error = errorName;
    const end = repeatEnd({ id, repeat: { ...repeat } }, fixed, timeout);
    if (message !== undefined && message !== end?.message) repeat.message = message;
  } else if (calls !== byTime) {
    L.diags.push(warning(pos, `task '${id}': it calls at most ${calls ?? "an unbounded number of"} times; the lifted pipeline calls ${byTime === null ? (timeout !== undefined ? "until the condition holds, within its timeout" : "until the condition holds") : `at most ${byTime} times (its timeout over the interval)`}`, { code: "lift-aws-repeat" }));
  }
  return { ...step, repeat };
}

/**
 * `return sy_lambda_repeat(function_name, json.dumps(payload, sort_keys=True),
 * lambda response: <condition>, interval, calls)`: a lambda step that repeats.
 */
function readLambdaRepeat(L: Lifter, ret: Extract<J, { call: string }>, common: StepCommon, t: Task, id: string, timeout: number | undefined): Step | undefined {
  const pos = L.at(ret.at, t.line, t.col);
  const [fnJ, payloadJ, outputsJ] = ret.args;
  const fn = fnJ ? L.value(fnJ, pos) : undefined;
  const dumps = payloadJ && "call" in payloadJ && payloadJ.call === "json.dumps" && payloadJ.args.length === 1 ? payloadJ.args[0] : undefined;
  const body = dumps ? L.value(dumps, pos) : undefined;
  const outs = outputsJ && staticJson(outputsJ)?.v;
  const outputsOk = outs !== null && typeof outs === "object" && !Array.isArray(outs) && Object.values(outs).every((x) => typeof x === "string" && ["string", "integer", "float", "boolean"].includes(x));
  if (!fn || !body || !outputsOk || (ret.args.length !== 6 && ret.args.length !== 8)) {
    const bad = !fn ? fnJ : !body ? (dumps ?? payloadJ) : outputsJ;
    const w = bad ? L.why(bad) : { at: ret.at, text: "" };
    L.diags.push(error(L.at(w.at, t.line, t.col), `task '${id}': cannot read its sy_lambda_repeat(function_name, payload, outputs, until, interval, calls[, error, message]) call${w.text ? `: ${w.text}` : dumps ? "" : ": the payload is not json.dumps(...) of a value"}`, { code: "lift-value" }));
    return undefined;
  }
  const step: StepOf<"lambda"> = { ...common, kind: "lambda", function: fn, payload: body.kind === "map" ? body.entries : {}, ...(body.kind === "map" ? {} : { payload_value: body }), outputs: outs as Record<string, ScalarType> };
  return readRepeat(L, ret, step, t, id, timeout);
}

/**
 * The request with the members the lowering sends as text or JSON text
 * (sy_text, sy_json of data written out) as the values the IR holds.
 */
function unwrapText(requestJ: J, service: string | undefined, action: string | undefined): J {
  const either = service && action ? textOrJsonMembers(service, action) : [];
  if (!either.length || !("dict" in requestJ)) return requestJ;
  const dict = requestJ.dict.map(([k, v]): [J | null, J] => {
    const key = k && "const" in k ? k.const : undefined;
    if (typeof key !== "string" || !either.includes(key) || !("call" in v) || v.args.length !== 1 || Object.keys(v.kwargs).length) return [k, v];
    if (v.call === "sy_text" || (v.call === "sy_json" && ("dict" in v.args[0] || "list" in v.args[0]))) return [k, v.args[0]];
    return [k, v];
  });
  return { ...requestJ, dict };
}

/**
 * A generated aws task's callable, `return sy_aws(service, action, request,
 * outputs)` or `return sy_aws_wait(..., job)`, as an aws step. The job must be
 * the one the waitable table gives for the action (else the task polls
 * something the pipeline cannot say); its poll interval and count follow from
 * the lowering's check interval and the step's timeout, and are said when they differ.
 */
function readAwsCall(L: Lifter, ret: Extract<J, { call: string }>, common: StepCommon, t: Task, id: string, timeout: number | undefined): Step | undefined {
  const pos = L.at(ret.at, t.line, t.col);
  const [serviceJ, actionJ, requestJ, outputsJ, jobJ] = ret.args;
  const service = L.str(serviceJ);
  const action = L.str(actionJ);
  const request = requestJ ? L.value(unwrapText(requestJ, service, action), pos) : undefined;
  const outs = outputsJ && staticJson(outputsJ)?.v;
  const types = new Set(["string", "integer", "float", "boolean"]);
  const outputsOk = outs !== null && typeof outs === "object" && !Array.isArray(outs) && Object.values(outs).every((x) => typeof x === "string" && types.has(x));
  const wait = ret.call === "sy_aws_wait";
  const repeat = ret.call === "sy_aws_repeat";
  if (!service || !action || request?.kind !== "map" || !outputsOk || !(wait ? [5] : repeat ? [7, 9] : [4]).includes(ret.args.length)) {
    const bad = !service ? serviceJ : !action ? actionJ : request?.kind !== "map" ? requestJ : outputsJ;
    const w = bad ? L.why(bad) : { at: ret.at, text: "" };
    L.diags.push(error(L.at(w.at, t.line, t.col), `task '${id}': cannot read its ${ret.call}(service, action, request, outputs${wait ? ", job" : ""}) call${w.text ? `: ${w.text}` : ""}`, { code: "lift-value" }));
    return undefined;
  }
  // A JSON-text member is sent as sy_json of the data, which is what the IR holds (src/aws/request-members.ts).
  const entries = { ...request.entries };
  for (const m of jsonTextMembers(service, action)) {
    const v = entries[m];
    if (!v) continue;
    if (v.kind === "call" && v.fn === "json" && (v.args[0]?.kind === "map" || v.args[0]?.kind === "list")) entries[m] = v.args[0];
    else {
      L.diags.push(error(pos, `task '${id}': its request's '${m}' is not sy_json of JSON data written out (an object or a list), which is how the pipeline holds ${service}:${action}'s '${m}'`, { code: "lift-value" }));
      return undefined;
    }
  }
  const step: Step = { ...common, kind: "aws", service, action, request: entries, outputs: outs as Record<string, ScalarType> };
  // Errors the call lets pass (sy_aws passes=[...]): the step's failure let pass for those errors.
  const passesJ = ret.kwargs.passes;
  if (passesJ) {
    const passes = staticJson(passesJ)?.v;
    if (!Array.isArray(passes) || !passes.length || !passes.every((x) => typeof x === "string" && x.length > 0) || wait || repeat) {
      L.diags.push(error(L.at(L.why(passesJ).at, t.line, t.col), `task '${id}': cannot read the errors its ${ret.call}(...) call lets pass (passes=): a list of error names written out, on a call made once`, { code: "lift-value" }));
      return undefined;
    }
    step.on_failure = [{ steps: [], errors: passes as string[], ends: "continues", pos: L.at(L.why(passesJ).at, t.line, t.col) }];
  }
  if (repeat) return readRepeat(L, ret, step, t, id, timeout);
  if (!wait) return step;
  const row = waitable(service, action);
  const job = staticJson(jobJ)?.v as WaitJob | undefined;
  if (!row || !job || typeof job !== "object" || !(typeof job.interval === "number" && job.interval > 0) || typeof job.polls !== "number") {
    L.diags.push(error(pos, `task '${id}': it waits for a job of ${service}:${action}, which ${row ? "it polls as computed at run time" : "is not an action whose job Switchyard knows how to wait for"}`, { code: "lift-aws-wait" }));
    return undefined;
  }
  const expected = waitJob(row, job.interval, timeout);
  const how = (x: WaitJob) => JSON.stringify([x.describe, x.request, x.status, x.succeeded, x.failed, x.exit_codes ?? null, x.start_failures ?? null]);
  if (how(job) !== how(expected)) {
    L.diags.push(error(pos, `task '${id}': it polls ${service}:${action}'s job otherwise than the action's job is known to be polled (${expected.describe} until ${expected.status.join(".")} is one of ${[...expected.succeeded, ...expected.failed].join(", ")})`, { code: "lift-aws-wait" }));
    return undefined;
  }
  if (job.interval !== DEFAULT_CHECK_INTERVAL) {
    L.diags.push(warning(pos, `task '${id}': it polls its job every ${job.interval} s; the lifted pipeline polls every ${DEFAULT_CHECK_INTERVAL} s unless compiled with --check-interval ${job.interval}`, { code: "lift-aws-wait" }));
  }
  if (job.polls !== expected.polls) {
    L.diags.push(warning(pos, `task '${id}': it polls its job at most ${job.polls} times; the lifted pipeline polls for the step's timeout (${expected.polls} times)`, { code: "lift-aws-wait" }));
  }
  return { ...step, wait: true };
}

/** A task's trigger rule as Airflow spells it (`all_success` when not given). */
/** BaseSensorOperator's defaults: a poke a minute, for at most seven days. */
const SENSOR_TIMEOUT = 7 * 24 * 3600;

/**
 * A sensor watching what the operator before it started (lift-step-sensor.ts: an EmrStepSensor the step an
 * EmrAddStepsOperator added, a GlueJobSensor the run a GlueJobOperator started) is lifted into that step, which
 * waits for it: the sensor's timeout (its deferred looks, when deferrable) bounds the step; soft_fail (a sensor
 * that times out is skipped, not failed) is refused.
 */
function watchedInto(L: Lifter, dag: FoundDag, watched: Map<string, string>, idOf: (v: string) => string): void {
  dag.watched = new Map();
  const byVar = new Map(dag.tasks.map((t) => [t.var, t]));
  for (const [sensorVar, addVar] of watched) {
    const s = byVar.get(sensorVar)!;
    const w = watchOf(s)!;
    const sensorId = L.str(s.kwargs.task_id) ?? s.var;
    const step = L.steps.get(idOf(addVar));
    const at = L.pos(s.line, s.col);
    if (step?.kind !== w.kind) continue;
    dag.watched.set(sensorId, step.id);
    const soft = s.kwargs.soft_fail;
    if (soft && !("const" in soft && soft.const === false)) {
      L.diags.push(error(L.at(soft.at, s.line, s.col), `task '${sensorId}': soft_fail skips the sensor (and what follows it) when the ${w.what} it watches does not end in time, where the ${w.kind} step it is lifted into fails`, { code: "lift-unsupported" }));
      continue;
    }
    const num = (j: J | undefined, dflt: number) => (j === undefined ? dflt : (seconds(j) ?? ("const" in j && typeof j.const === "number" ? j.const : undefined)));
    const deferrable = s.kwargs.deferrable && !("const" in s.kwargs.deferrable && s.kwargs.deferrable.const === false);
    const poke = num(s.kwargs.poke_interval, w.poke);
    const [looksArg, looks] = w.looks;
    const bound = deferrable ? (poke === undefined ? undefined : (num(s.kwargs[looksArg], looks) ?? NaN) * poke) : num(s.kwargs.timeout, SENSOR_TIMEOUT);
    if (bound === undefined || Number.isNaN(bound) || poke === undefined) {
      L.diags.push(error(at, `task '${sensorId}': its ${deferrable ? `${looksArg} and poke_interval` : "timeout and poke_interval"} are not numbers written in the file`, { code: "lift-value" }));
      continue;
    }
    if (step.timeout === undefined || step.timeout > bound) step.timeout = bound;
    L.diags.push(warning(at, `task '${sensorId}': the ${w.sensor} watching the ${w.what} '${step.id}' ${w.verb} is lifted into that step, which waits for it (for at most ${bound} s, the sensor's ${deferrable ? `${looksArg} × poke_interval` : "timeout"}); the tasks after the sensor follow the step`, { code: "lift-sensor" }));
    if (w.caveat) L.diags.push(warning(at, `task '${sensorId}': ${w.caveat}`, { code: "lift-sensor" }));
    if (poke !== DEFAULT_CHECK_INTERVAL) L.diags.push(warning(at, `task '${sensorId}': it looks at the ${w.what} every ${poke} s; the lifted pipeline looks every ${DEFAULT_CHECK_INTERVAL} s unless compiled with --check-interval ${poke}`, { code: "lift-aws-wait" }));
  }
}

/**
 * The "always notify" idiom: a task with trigger_rule all_done after first tasks (nothing before them) that
 * lead to it alone runs whether they succeeded or failed, and the run ends as it does (they are no leaves):
 * their failures are let pass. Where a step reads what they make (nothing, once one failed), the rule stays
 * an Airflow setting of the task (verify.ts keeps it, with a warning).
 */
function allDoneAfterFirst(L: Lifter, dag: FoundDag, steps: Step[], idOf: (v: string) => string, mapOfStep: Map<string, string>): void {
  const ups = new Map<string, Set<string>>();
  const downs = new Map<string, Set<string>>();
  for (const [a, b] of dag.edges) {
    if (!ups.has(b)) ups.set(b, new Set());
    ups.get(b)!.add(a);
    if (!downs.has(a)) downs.set(a, new Set());
    downs.get(a)!.add(b);
  }
  for (const t of dag.tasks) {
    if (triggerRule(t) !== "all_done") continue;
    const after = L.steps.get(idOf(t.var));
    const before = [...(ups.get(t.var) ?? [])];
    if (!after || mapOfStep.has(after.id) || !before.length) continue;
    const first = before.map((u) => (ups.has(u) || [...downs.get(u)!].some((d) => d !== t.var) ? undefined : L.steps.get(idOf(u))));
    if (first.some((s) => !s || mapOfStep.has(s.id) || s.kind === "condition" || s.kind === "fail" || s.kind === "map" || s.on_failure?.length)) continue;
    const ids = new Set(first.map((s) => s!.id));
    let reads = false;
    readsOfMade(steps, ids, () => (reads = true));
    if (reads) continue;
    const pos = L.at(t.kwargs.trigger_rule?.at, t.line, t.col);
    for (const s of first) s!.on_failure = [{ steps: [], ends: "continues", pos }];
  }
}

function triggerRule(t: Task | undefined): string | undefined {
  return ruleText(t?.kwargs.trigger_rule);
}

/**
 * A hand-written branch returns the tasks right after it; Airflow skips the
 * others, and a skip flows on to every task that waits for all of its
 * upstream tasks. So a condition's branch is the returned tasks plus every
 * task whose upstream tasks include one of them (and none of the other
 * branch). A task that waits for a branch with another trigger rule joins the
 * branches, which a pipeline cannot say.
 */
/** What a one_success join that is no join of the branch taken should say instead. */
const ONE_SUCCESS_HINT = "use trigger_rule='none_failed_min_one_success', which waits for every task before it that runs";

function branchClosure(L: Lifter, dag: FoundDag, steps: Step[], idOf: (v: string) => string): void {
  const taskOf = new Map(dag.tasks.map((t) => [idOf(t.var), t]));
  const listed = new Set(steps.flatMap((s) => (s.kind === "condition" ? [...s.then, ...s.else] : [])));
  // The condition whose returned tasks list a step (a branch's first tasks).
  const listedBy = new Map<string, string>();
  for (const s of steps) if (s.kind === "condition") for (const id of [...s.then, ...s.else]) if (!listedBy.has(id)) listedBy.set(id, s.id);
  // Joins found, with the tasks they wait for: checked once every branch is known.
  const joined: Array<{ s: Step; c: StepOf<"condition">; ups: string[]; afterCondition: boolean }> = [];
  // Steps after an empty one_success join read as joining a branch (or within one), or refused on the way: the others are said at the end.
  const oneSuccessSaid = new Set<string>();
  for (const c of steps) {
    if (c.kind !== "condition") continue;
    const side = new Map<string, "then" | "else">();
    for (const id of c.then) side.set(id, "then");
    for (const id of c.else) side.set(id, "else");
    const always = new Set<string>();
    // Steps that wait through an empty join for tasks of this condition: they join its branches.
    const joinedFrom = (s: Step) => new Set((taskOf.get(s.id)?.joins ?? []).map(idOf));
    const joins = (s: Step) => JOIN_RULES.has(triggerRule(taskOf.get(s.id)) ?? "") || triggerRule(taskOf.get(s.id)) === "one_success" || joinedFrom(s).size > 0;
    // The branch a step is in, through the conditions inside the branch (whose own tasks they list).
    const sideOf = (id: string): "then" | "else" | undefined => {
      const seen = new Set<string>();
      for (let cur: string | undefined = id; cur !== undefined && !seen.has(cur); cur = listedBy.get(cur)) {
        seen.add(cur);
        const at = side.get(cur);
        if (at) return at;
      }
      return undefined;
    };
    for (const s of steps) {
      if (!s.depends_on.includes(c.id)) continue;
      // After an empty join (or an empty branch) taken out: the branch never named it, and need not.
      if (!side.has(s.id) && joinedFrom(s).has(c.id)) {
        // A one_success join right after the condition would run once the condition has decided, not after a branch.
        if (taskOf.get(s.id)?.joinRule === "one_success") {
          oneSuccessSaid.add(s.id);
          L.diags.push(error(s.pos, `task '${s.id}' follows an empty join with trigger_rule 'one_success' that waits for '${c.id}' itself: the join runs once '${c.id}' has decided, before either branch ends, which a step after '${c.id}' cannot say`, { code: "lift-branch-join", hint: ONE_SUCCESS_HINT }));
        }
        always.add(s.id);
        continue;
      }
      if (!side.has(s.id)) {
        // Returned by both branches (or by neither).
        const t = taskOf.get(dag.laterWays?.get(c.id) ?? c.id)!;
        const fn = t.kwargs.python_callable && "name" in t.kwargs.python_callable ? L.found.functions[t.kwargs.python_callable.name] : undefined;
        const all = JSON.stringify(fn ?? []);
        const named = [s.id, ...[...L.airflowIds].filter(([, step]) => step === s.id).map(([airflowId]) => airflowId)];
        if (!named.some((n) => all.includes(JSON.stringify(n)))) L.diags.push(error(s.pos, `task '${s.id}' follows branch '${c.id}', whose callable never returns it, so Airflow always skips it`, { code: "lift-branch" }));
        always.add(s.id);
      }
    }
    let grew = true;
    while (grew) {
      grew = false;
      for (const s of steps) {
        if (s.id === c.id || side.has(s.id) || always.has(s.id) || listed.has(s.id)) continue;
        const rule = triggerRule(taskOf.get(s.id));
        // A join: it waits for the tasks of either branch that ran (those of conditions inside them too),
        // so it runs after the condition whichever branch it took, where it waits for both branches or
        // for the condition too; waiting for one branch alone, it is skipped with that branch as any task
        // is. Waiting for a branch task directly too (not through an empty join), it is skipped with it.
        const join = joins(s);
        const sides = new Set(s.depends_on.map((d) => (join ? sideOf(d) : side.get(d))).filter((x) => x !== undefined));
        if (!sides.size) continue;
        const via = joinedFrom(s);
        const direct = new Set(s.depends_on.filter((d) => !via.has(d) || rule !== "all_success").map((d) => side.get(d)).filter((x) => x !== undefined));
        // one_success runs it after the first task before it succeeds: waiting for the branch taken only where each
        // branch gives it one task and nothing else comes before it.
        const oneSuccess = rule === "one_success" || taskOf.get(s.id)?.joinRule === "one_success";
        if (oneSuccess && sides.size === 1 && s.depends_on.length === 1) {
          oneSuccessSaid.add(s.id);
          side.set(s.id, [...sides][0]!);
          grew = true;
          continue;
        }
        // The tasks the one_success rule is on: the task's own, or those of the empty join before it.
        const firstOf = rule === "one_success" ? s.depends_on : [...via];
        const perSide = (x: "then" | "else") => firstOf.filter((d) => sideOf(d) === x).length;
        if (join && oneSuccess && !(perSide("then") === 1 && perSide("else") === 1 && firstOf.length === 2)) {
          oneSuccessSaid.add(s.id);
          L.diags.push(error(s.pos, `task '${s.id}'${rule === "one_success" ? "" : " (after an empty join)"} joins the branches of '${c.id}' with trigger_rule 'one_success', which runs it once the first task before it succeeds: that is waiting for the branch taken only where each branch gives it one task and nothing else comes before it`, { code: "lift-branch-join", hint: ONE_SUCCESS_HINT }));
          always.add(s.id);
          continue;
        }
        if (join && !(rule === "all_success" && direct.size) && (sides.size > 1 || s.depends_on.includes(c.id))) {
          if (oneSuccess) oneSuccessSaid.add(s.id);
          joined.push({ s, c, ups: s.depends_on.filter((d) => sideOf(d) !== undefined), afterCondition: s.depends_on.includes(c.id) });
          if (!s.depends_on.includes(c.id)) s.depends_on.push(c.id);
          always.add(s.id);
          continue;
        }
        if (rule !== "all_success" && !JOIN_RULES.has(rule ?? "") && rule !== "one_success") {
          const inBranch = s.depends_on.filter((d) => (join ? sideOf(d) : side.get(d)) !== undefined);
          L.diags.push(
            error(s.pos, `task '${s.id}' waits for ${inBranch.map((d) => `'${d}'`).join(" and ")}, in a branch of '${c.id}', with trigger_rule '${rule ?? "(computed)"}': a step after a task a branch may skip runs when that task succeeds, or (joining the branches) when the branch taken did`, { code: "lift-branch-join" }),
          );
          always.add(s.id);
          continue;
        }
        if (sides.size > 1) {
          L.diags.push(error(s.pos, `task '${s.id}' waits for both branches of '${c.id}', so Airflow always skips it`, { code: "lift-branch" }));
          always.add(s.id);
          continue;
        }
        side.set(s.id, [...sides][0]!);
        grew = true;
      }
    }
    const order = (which: "then" | "else") => steps.filter((s) => side.get(s.id) === which).map((s) => s.id);
    c.then = order("then");
    c.else = order("else");
  }
  // Airflow runs a join once one task before it succeeded: after a branch, one of its tasks there must
  // run whenever that branch does, not only when a condition inside it chose it (the lifted step would
  // run where Airflow skips the join).
  const conditions = new Map(steps.filter((x): x is StepOf<"condition"> => x.kind === "condition").map((x) => [x.id, x]));
  /** Whether one of `ups` runs whenever a branch of these steps does: one directly in it, or, for a condition directly in it, one in each of its branches. */
  const covered = (ups: string[], branch: string[]): boolean => {
    const inside = new Set(branch.flatMap((id) => [...(conditions.get(id)?.then ?? []), ...(conditions.get(id)?.else ?? [])]));
    const direct = branch.filter((id) => !inside.has(id));
    return direct.some((id) => ups.includes(id)) || direct.some((id) => conditions.has(id) && covered(ups, conditions.get(id)!.then) && covered(ups, conditions.get(id)!.else));
  };
  // An empty one_success join of several tasks that joins no branches ran the tasks after it once the first of
  // them succeeded; a step waits for all of them. (On a task itself the rule is kept as an Airflow setting.)
  for (const s of steps) {
    const t = taskOf.get(s.id);
    if (t?.joinRule !== "one_success" || oneSuccessSaid.has(s.id) || (t.joins?.length ?? 0) < 2) continue;
    L.diags.push(error(s.pos, `task '${s.id}' follows an empty join with trigger_rule 'one_success', which runs it once the first of the tasks before the join succeeds; a step waits for all the steps before it`, { code: "lift-branch-join", hint: ONE_SUCCESS_HINT }));
  }
  for (const { s, c, ups, afterCondition } of joined) {
    if (afterCondition) continue;
    for (const [name, branch] of [["then", c.then], ["else", c.else]] as const) {
      if (!covered(ups, branch)) L.diags.push(error(s.pos, `task '${s.id}' joins the branches of '${c.id}', but none of the tasks it waits for in the ${name} branch runs whenever that branch does; Airflow then skips it, which a step after '${c.id}' cannot say`, { code: "lift-branch-join", hint: `have '${s.id}' also wait for '${c.id}', or for a task its ${name} branch always runs` }));
    }
  }
}

/**
 * Tasks with trigger_rule one_failed run when a task they wait for fails: they
 * are that task's failure handlers, with every task that waits only for them.
 * A pipeline ends failed after its handlers; so must the DAG (a failing task
 * among or after the handlers), else the handlers are not a neutral on_failure.
 */
function failureClosure(L: Lifter, dag: FoundDag, steps: Step[], idOf: (v: string) => string, gates: Map<string, string[]>): void {
  const taskOf = new Map(dag.tasks.map((t) => [idOf(t.var), t]));
  const byId = new Map(steps.map((s) => [s.id, s]));
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    for (const d of byId.get(id)?.depends_on ?? []) if (!seen.has(d)) ancestors(d, seen.add(d));
    return seen;
  };
  const groups = new Map<string, { roots: string[]; failing: string[]; through: string[] }>();
  const add = (root: string, failing: string[], through: string[]) => {
    const key = failing.join(",");
    const g = groups.get(key) ?? { roots: [], failing, through };
    g.roots.push(root);
    groups.set(key, g);
  };
  for (const s of steps) {
    if (triggerRule(taskOf.get(s.id)) === "one_failed") {
      // one_failed fires when an upstream task failed, or never ran because a task before it failed:
      // the handlers of that task and of every task before it.
      const direct = s.depends_on.filter((d) => byId.has(d));
      const all = new Set(direct.flatMap((d) => [d, ...ancestors(d)]));
      add(s.id, steps.filter((x) => all.has(x.id)).map((x) => x.id), direct);
    }
  }
  for (const [gate, failing] of gates) {
    for (const [a, b] of dag.edges) if (idOf(a) === gate && byId.has(idOf(b))) add(idOf(b), failing, []);
  }
  for (const { roots, failing, through } of groups.values()) {
    const members = new Set(roots);
    let grew = true;
    while (grew) {
      grew = false;
      for (const s of steps) {
        if (members.has(s.id) || !s.depends_on.length || !s.depends_on.every((d) => members.has(d))) continue;
        members.add(s.id);
        grew = true;
      }
    }
    const group = steps.filter((s) => members.has(s.id));
    if (!group.some((s) => s.kind === "fail")) {
      L.diags.push(error(byId.get(roots[0])!.pos, `task '${roots[0]}' runs when ${failing.map((f) => `'${f}'`).join(" or ")} fails, and no task among or after it fails: a failure handler is lifted with the task that then ends the run failed (one that raises AirflowFailException, as the lowering writes it), not with the run's failure left to other tasks`, { code: "lift-on-failure" }));
      continue;
    }
    for (const r of roots) byId.get(r)!.depends_on = byId.get(r)!.depends_on.filter((d) => !through.includes(d));
    // The task lowering adds to fail the run after handlers without a fail step: the pipeline's own ending, no step of it.
    const added = group.find((s) => s.kind === "fail" && !s.error && s.message.kind === "literal" && s.message.value === handlersRanMessage(failing) && group.length > 1 && !group.some((o) => o.depends_on.includes(s.id)));
    if (added) {
      steps.splice(steps.indexOf(added), 1);
      L.steps.delete(added.id);
    }
    // A failing task the reader refused (an error already says so) has no step to hold the handler.
    for (const f of failing) {
      const s = byId.get(f);
      if (s) s.on_failure = [{ steps: group.filter((x) => x !== added).map((x) => x.id), pos: s.pos }];
    }
  }
}

/** The first task's value of a keyword argument. */
function t0(tasks: Task[], key: string): J | undefined {
  for (const t of tasks) if (t.kwargs[key]) return t.kwargs[key];
  return undefined;
}

/** One warning a mapped task lifted as one step a value. */
function mappedCopies(L: Lifter, dag: FoundDag, ids: Map<string, string>): void {
  const seen = new Set<string>();
  for (const t of dag.tasks) {
    const m = t.copy_of;
    if (!m || seen.has(`${m.line}:${m.col}`)) continue;
    seen.add(`${m.line}:${m.col}`);
    const copies = dag.tasks.filter((x) => x.copy_of?.line === m.line && x.copy_of.col === m.col).map((x) => `'${ids.get(x.var)}'`);
    L.diags.push(warning(L.pos(m.line, m.col), `task '${m.task_id}' is mapped over ${m.count} values written in the file (dynamic task mapping): it is lifted as one step a value, ${copies.join(", ")}, where Airflow runs one task '${m.task_id}' with map indexes 0 to ${m.count - 1}`, { code: "lift-mapped" }));
  }
}

/** Step ids by task variable (lift-ids.ts); one warning a task group, which the IR does not keep. */
function groupedIds(L: Lifter, dag: FoundDag): (v: string) => string {
  const taskId = (t: Task) => L.str(t.kwargs.task_id) ?? t.var;
  const ids = stepIdsOf(dag, (j) => L.str(j));
  for (const t of dag.tasks) if (t.prefix) L.airflowIds.set(`${t.prefix}.${taskId(t)}`, ids.get(t.var)!);
  mappedCopies(L, dag, ids);
  // A group whose ids have its prefix, or made with more than its id, is never made again; the others are
  // checked against the DAG of the lifted pipeline (verify.ts).
  for (const g of dag.groups ?? []) if (g.prefixed || !g.plain) {
    const lost = groupNotKept(L.file, dag, g, (j) => L.str(j));
    if (lost) L.diags.push(lost);
  }
  return (v: string) => ids.get(v) ?? v;
}
