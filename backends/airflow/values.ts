/**
 * IR values as Python. Two places need them:
 * - plain Python (branch, fail, approval and payload functions): user text is
 *   a Python literal;
 * - templated operator fields, which Jinja renders at run time: user text must
 *   stay text, so it is either outside Jinja (`literal(...)`, or plain when it
 *   holds nothing Jinja reads) or reached by index into the module's
 *   `SY_TEXT` tuple. Jinja source is only ever generated code and safe names.
 */
import { scalarText } from "../../src/aws/scalar-text.js";
import { explicitDestination, outputLocation } from "../../src/ir/dataflow.js";
import type { PathSegment, Pipeline, Pos, Ref, Step, Value } from "../../src/ir/types.js";
import { code, list, dict, none, num, str, bool, call, type Py } from "./python/node.js";
import { parsePathText } from "../../src/ir/expr/path-text.js";

/** What a value compiler needs to know about the DAG being written. */
export interface RefEnv {
  pipeline: Pipeline;
  /** The Airflow line the DAG is written for. */
  line: "2" | "3";
  steps: Map<string, Step>;
  /** Task ids of a step, one per foreach item (or one). */
  taskIds(step: string): string[];
  isForeach(step: string): boolean;
  /** Index of a string in `SY_TEXT` (added on first use). */
  text(s: string): number;
  /** Says that a value has no Airflow form (the DAG is then not written). */
  refuse(pos: Pos, message: string): void;
  /** A step whose own values are read from the local `response` (a repeated call's condition). */
  self?: string;
  /** `item` is this local variable (a batched map's `each`, written as a lambda of the item as read). */
  localItem?: string;
  /** The step whose values are being written (a failure handler's step reads its failure). */
  current?: string;
  /** The steps whose failure runs a handler step (its failure is theirs). */
  failing(step: string): string[];
  /** The map a step runs in, innermost (its task is in the map's mapped task group), or undefined. */
  mapOf(step: string): string | undefined;
  /** The task that gathers a map's results. */
  resultsTask(map: string): string;
  /**
   * The map whose iteration the code being written runs in, and that
   * iteration's index: a map's results task reads each iteration in turn.
   * Absent: the current step's own map, at the task's own `ti.map_index`.
   */
  iterating?: { map: string; index: Py };
}

export type Mode = "python" | "jinja";

/** Text Jinja's lexer leaves alone as template data (and that cannot start a tag next to one). */
export function jinjaDataSafe(s: string): boolean {
  return !/[{}%#\r\n]/.test(s);
}

/** Strings that may be written as a quoted Jinja string literal. */
const JINJA_STRING_SAFE = /^[A-Za-z0-9_.\-/: ]*$/;

/** A string constant in an expression of the given mode. */
function strIn(s: string, mode: Mode, env: RefEnv): Py {
  if (mode === "python") return str(s);
  if (JINJA_STRING_SAFE.test(s)) return code(`'${s}'`);
  return code(`SY_TEXT[${env.text(s)}]`);
}

/** Generated names (task ids, keys we choose) in an expression; never user text. */
function nameIn(s: string, mode: Mode): Py {
  return mode === "python" ? str(s) : code(`'${s}'`);
}

/**
 * The date a run is for. With intervals the DAG's timetable is a data-interval one and `ds` is the
 * interval's start. Without, the scheduled time: on Airflow 2 the data interval's end on every
 * timetable the DAG may be written with (a fixed rate's timedelta is a data-interval timetable
 * there), and the time a run was triggered by hand. Airflow 3 gives a run triggered without a
 * logical date no data interval (the context has no data_interval_end), so there it is the run's
 * run_after, which every run has: the scheduled time, or when it was triggered.
 */
function logicalDate(nodash: boolean, intervals: boolean, mode: Mode, line: "2" | "3"): Py {
  const filter = nodash ? "ds_nodash" : "ds";
  if (intervals) return code(filter);
  const time = line === "3" ? "dag_run.run_after" : "data_interval_end";
  return mode === "jinja" ? code(`${time} | ${filter}`) : code(`${time}.strftime("${nodash ? "%Y%m%d" : "%Y-%m-%d"}")`);
}

/** Names Jinja cannot read as an attribute of `var.value` (its method `get`, and words of its syntax). */
const NOT_ATTRIBUTES = new Set(["get", "and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "True", "False", "None", "for", "import", "from", "as", "with", "recursive"]);

/**
 * An Airflow Variable's text, read when the task runs: `{{ var.value.x }}` (its `get` for a name
 * that is not an attribute), or in Python the helper that calls `Variable.get`. An unset variable
 * fails the task, as a missing SSM parameter fails the Step Functions state.
 */
function variable(name: string, mode: Mode): Py {
  if (mode === "python") return helper("sy_variable", [str(name)]);
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !NOT_ATTRIBUTES.has(name) ? code(`var.value.${name}`) : code(`var.value.get('${name}')`);
}

function helper(name: string, parts: Py[]): Py {
  return call(name, parts);
}

function xcom(task: string, keys: string[], mode: Mode, ti: Py = code("ti")): Py {
  return helper("sy_xcom", [ti, nameIn(task, mode), ...keys.map((k) => nameIn(k, mode))]);
}

/** The map whose iteration the code being written runs in, with the iteration's index, if any. */
function iteration(env: RefEnv): { map: string; index: Py } | undefined {
  if (env.iterating) return env.iterating;
  const map = env.current === undefined ? undefined : env.mapOf(env.current);
  return map === undefined ? undefined : { map, index: code("ti.map_index") };
}

/** One iteration's item (or a part of it) of a map the code runs in. */
function mapItem(map: string, path: PathSegment[], pos: Pos, mode: Mode, env: RefEnv): Py {
  const it = iteration(env);
  if (!it || it.map !== map) {
    env.refuse(pos, `the item of map step '${map}' is read outside its iterations`);
    return none;
  }
  return helper("sy_map_item", [code("ti"), nameIn(map, mode), it.index, ...pathArgs(path, mode, env)]);
}

/**
 * Where an operator puts a step's service response in its XCom result: under
 * a key (the SageMaker operators return `{"Training": <DescribeTrainingJob>}`),
 * or the result itself (`null`: a Lambda task's payload text, which
 * sy_response decodes; the response an aws task's callable returns). The
 * lifter reads hand-written `xcom_pull(...)[...]` with the same table.
 */
export const RESPONSE_IN_XCOM: Readonly<Record<string, string | null>> = {
  SageMakerProcessingOperator: "Processing",
  SageMakerTrainingOperator: "Training",
  SageMakerTuningOperator: "Tuning",
  SageMakerTransformOperator: "Transform",
  SageMakerModelOperator: "Model",
  LambdaInvokeFunctionOperator: null,
  PythonOperator: null,
};

/**
 * Operators whose XCom result is one member of their call's response (the provider returns that member
 * alone), read only by the lifter: `.output` and `xcom_pull(...)` of them are that member of the lifted
 * aws step's response. The lowering writes no such operator (an aws step's task returns the response).
 */
export const XCOM_IS_RESPONSE_MEMBER: Readonly<Record<string, PathSegment[]>> = {
  EmrCreateJobFlowOperator: ["JobFlowId"],
  // Lifted as a CreateApplication that waits: the id is in the final GetApplication response every target keeps.
  EmrServerlessCreateApplicationOperator: ["application", "applicationId"],
  SageMakerStartPipelineOperator: ["PipelineExecutionArn"],
};

/** A GlueJobOperator's XCom result: the run's id, a member of StartJobRun's response where the task is lifted as that call. */
export const GLUE_RUN_ID: PathSegment[] = ["JobRunId"];

/** The operator of each kind that has a response (kinds not listed have none on Airflow). */
const RESPONSE_OPERATOR: Partial<Record<Step["kind"], string>> = {
  processing: "SageMakerProcessingOperator",
  notebook: "SageMakerProcessingOperator",
  training: "SageMakerTrainingOperator",
  tuning: "SageMakerTuningOperator",
  transform: "SageMakerTransformOperator",
  model: "SageMakerModelOperator",
  lambda: "LambdaInvokeFunctionOperator",
  aws: "PythonOperator",
};

/** A path into JSON as helper arguments: keys are user text, indexes numbers. */
function pathArgs(path: PathSegment[], mode: Mode, env: RefEnv): Py[] {
  return path.map((seg) => (typeof seg === "number" ? num(seg, false) : strIn(seg, mode, env)));
}

const JOB_NAME_KEYS: Partial<Record<Step["kind"], string[]>> = {
  processing: ["Processing", "ProcessingJobName"],
  notebook: ["Processing", "ProcessingJobName"],
  training: ["Training", "TrainingJobName"],
  tuning: ["Tuning", "HyperParameterTuningJobName"],
  transform: ["Transform", "TransformJobName"],
};

/** A job's outputs are S3 locations; a Lambda's, an approval's and an aws call's are values it returns. */
function outputsAreLocations(s: Step): s is Exclude<Step, { kind: "lambda" | "approval" | "aws" }> {
  return s.kind !== "lambda" && s.kind !== "approval" && s.kind !== "aws";
}

/** The value of a step reference for one task (one foreach copy). */
function stepRef(ref: Extract<Ref, { scope: "steps" }>, task: string, index: number | undefined, pos: Pos, mode: Mode, env: RefEnv, ti: Py = code("ti")): Py {
  const s = env.steps.get(ref.step)!;
  const p = env.pipeline;
  switch (ref.attr) {
    case "outputs":
      if (!outputsAreLocations(s)) {
        return helper("sy_output", [ti, nameIn(task, mode), strIn(ref.name, mode, env), nameIn(s.outputs[ref.name] ?? "string", mode)]);
      }
      return compile(outputLocation(p, ref.step, ref.name, pos, index), mode, env);
    case "model":
      if (s.kind === "tuning") {
        const prefix = compile(s.output_path ?? outputLocation(p, ref.step, "model", pos, index), mode, env);
        return helper("sy_cat", [prefix, nameIn("/", mode), xcom(task, ["Tuning", "BestTrainingJob", "TrainingJobName"], mode, ti), nameIn("/output/model.tar.gz", mode)]);
      }
      return xcom(task, ["Training", "ModelArtifacts", "S3ModelArtifacts"], mode, ti);
    case "name":
      if (s.kind === "model") return xcom(task, ["Model", "ModelName"], mode, ti);
      // The endpoint the step deployed, as the service describes it (its name may be computed).
      if (s.kind === "endpoint") return xcom(task, ["Endpoint", "EndpointName"], mode, ti);
      return strIn(task, mode, env);
    case "job_name":
      return xcom(task, JOB_NAME_KEYS[s.kind] ?? [], mode, ti);
    case "arn":
      if (s.kind === "endpoint") return xcom(task, ["Endpoint", "EndpointArn"], mode, ti);
      return xcom(task, [], mode, ti);
    case "response": {
      const operator = RESPONSE_OPERATOR[s.kind];
      if (operator === undefined) {
        const why = s.kind === "passthrough" ? `a ${s.target} '${s.type}' step carried over from another target runs no Airflow task` : `a ${s.kind} step has no service response`;
        env.refuse(pos, `steps.${ref.step}.response cannot be read on Airflow: ${why}`);
        return none;
      }
      const key = RESPONSE_IN_XCOM[operator];
      return helper("sy_response", [ti, nameIn(task, mode), key === null ? none : nameIn(key, mode), ...pathArgs(ref.path, mode, env)]);
    }
    case "results":
      // The list the map's results task returned, one result an iteration.
      return subscript(xcom(env.resultsTask(ref.step), [], mode), ref.path, mode, env);
    case "item":
      return mapItem(ref.step, ref.path, pos, mode, env);
    case "reports": {
      const report = "reports" in s ? (s as { reports: Record<string, { output: string; file: string }> }).reports[ref.report] : undefined;
      if (!report) throw new Error(`step ${ref.step} has no report ${ref.report}`);
      const where = compile(outputLocation(p, ref.step, report.output, pos, index), mode, env);
      const read = helper("sy_report", [where, strIn(report.file, mode, env)]);
      return subscript(read, ref.path, mode, env);
    }
  }
}

function subscript(base: Py, path: PathSegment[], mode: Mode, env: RefEnv): Py {
  if (!path.length) return base;
  if (mode === "python") return call("sy_get", [base, ...path.map((seg) => (typeof seg === "number" ? num(seg, false) : str(seg)))]);
  const parts: Array<string | Py> = [base];
  for (const seg of path) parts.push("[", typeof seg === "number" ? num(seg, false) : strIn(seg, mode, env), "]");
  return code(...parts);
}

function ref(v: Extract<Value, { kind: "ref" }>, mode: Mode, env: RefEnv): Py {
  const r = v.ref;
  switch (r.scope) {
    case "params": {
      const read = code("params[", nameIn(r.name, mode), "]");
      // Jinja prints Python's True/False; the pipeline language writes true/false.
      const boolean = env.pipeline.parameters.find((x) => x.name === r.name)?.type === "boolean";
      return mode === "jinja" && boolean ? helper("sy_str", [read]) : read;
    }
    case "execution":
      // The run's conf; a missing part fails the task (as Step Functions fails the state).
      if (r.name === "input") return helper("sy_input", [code("dag_run"), ...pathArgs(r.path, mode, env)]);
      if (r.name === "logical_date" || r.name === "logical_date_nodash") return logicalDate(r.name === "logical_date_nodash", !!env.pipeline.schedule?.intervals, mode, env.line);
      return r.name === "id" ? code("run_id") : r.name === "pipeline_name" ? code("dag_run.dag_id") : code("dag_run.start_date.isoformat()");
    case "item": {
      if (env.localItem !== undefined) return subscript(code(env.localItem), r.path, mode, env);
      // A foreach step's items are substituted before lowering; what is left is a map's.
      const it = iteration(env);
      if (!it) throw new Error("item references outside a map are substituted before lowering");
      return mapItem(it.map, r.path, v.pos, mode, env);
    }
    case "iteration": {
      // `<run id>/<map>/<map index>`: unique in the run, as a map index is only within its map.
      const it = iteration(env);
      if (!it) {
        env.refuse(v.pos, "iteration.id is read outside a map's iterations");
        return none;
      }
      return helper("sy_iteration_id", [code("run_id"), nameIn(it.map, mode), it.index]);
    }
    case "variables":
      return variable(r.name, mode);
    case "task":
      // Refused with the callback step itself (capability aws.callback): no DAG run has a task token.
      env.refuse(v.pos, "task.token is a Step Functions task token; an Airflow task has none (a callback step is not supported here)");
      return none;
    case "failure": {
      // The failed task kept its error in XCom (sy_keep_failure, its on_failure_callback).
      const failing = env.failing(env.current ?? "");
      const map = failing.find((id) => env.steps.get(id)?.kind === "map");
      if (map !== undefined) {
        env.refuse(v.pos, `the failure of map step '${map}' is the error of one of its iterations' tasks, which Airflow keeps per map index; it is not read here`);
        return none;
      }
      const tasks = failing.flatMap((id) => env.taskIds(id));
      return helper("sy_failure", [code("ti"), list(tasks.map((t) => nameIn(t, mode))), ...pathArgs(r.path, mode, env)]);
    }
    case "steps": {
      if (r.step === env.self && mode === "python" && (r.attr === "response" || r.attr === "outputs")) {
        return call("sy_get", [code("response"), ...(r.attr === "outputs" ? [str(r.name)] : r.path.map((seg) => (typeof seg === "number" ? num(seg, false) : str(seg))))]);
      }
      const tasks = env.taskIds(r.step);
      if (env.isForeach(r.step)) return list(tasks.map((t, i) => stepRef(r, t, i, v.pos, mode, env)));
      // A step of a map is read in the same iteration: the task instance of that map index.
      const inMap = env.mapOf(r.step);
      if (inMap !== undefined && r.attr !== "results" && r.attr !== "item") {
        const it = iteration(env);
        if (!it || it.map !== inMap) {
          env.refuse(v.pos, `steps.${r.step} runs once an item of map step '${inMap}' and is read outside its iterations`);
          return none;
        }
        return stepRef(r, tasks[0], undefined, v.pos, mode, env, helper("sy_ti", [code("ti"), it.index]));
      }
      return stepRef(r, tasks[0], undefined, v.pos, mode, env);
    }
  }
}

const JINJA_OPS: Record<string, string> = { "==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "+": "+", "-": "-", "*": "*", "/": "/" };
/** In Python the operators are calls (`operator.le(a, b)`), so long conditions break like any call. */
const PY_OPS: Record<string, string> = { "==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge", "+": "add", "-": "sub", "*": "mul", "/": "truediv" };

/** An IR value as an expression (Python, or Jinja's Python-like syntax). */
export function compile(v: Value, mode: Mode, env: RefEnv): Py {
  switch (v.kind) {
    case "literal":
      if (v.value === null) return mode === "python" ? none : code("none");
      if (typeof v.value === "string") return strIn(v.value, mode, env);
      if (typeof v.value === "boolean") return bool(v.value);
      return num(v.value, v.type === "float" || !Number.isInteger(v.value));
    case "list":
      return list(v.items.map((x) => compile(x, mode, env)));
    case "map":
      if (mode === "python") return dict(Object.entries(v.entries).map(([k, x]) => [k, compile(x, mode, env)]));
      // Jinja: `dict(...)` cannot take arbitrary keys, and `}}` would end the tag; build from pairs.
      return helper("sy_dict", [list(Object.entries(v.entries).map(([k, x]) => list([strIn(k, mode, env), compile(x, mode, env)])))]);
    case "ref":
      return ref(v, mode, env);
    case "join":
      return helper("sy_cat", joinParts(v).map((x) => compile(x, mode, env)));
    case "compare":
    case "arith":
      if (mode === "python") return call(`operator.${PY_OPS[v.op]}`, [compile(v.left, mode, env), compile(v.right, mode, env)]);
      return code("(", compile(v.left, mode, env), ` ${JINJA_OPS[v.op]} `, compile(v.right, mode, env), ")");
    case "in":
      if (mode === "python") {
        const test = call("operator.contains", [compile(v.list, mode, env), compile(v.value, mode, env)]);
        return v.negated ? call("operator.not_", [test]) : test;
      }
      return code("(", compile(v.value, mode, env), v.negated ? " not in " : " in ", compile(v.list, mode, env), ")");
    case "logic":
      // Both sides are evaluated (reading a value has no side effect worth skipping).
      if (mode === "python") return call(v.op === "and" ? "all" : "any", [list(v.operands.map((x) => compile(x, mode, env)))]);
      return code("(", ...v.operands.flatMap((x, i) => (i ? [` ${v.op} `, compile(x, mode, env)] : [compile(x, mode, env)])), ")");
    case "not":
      if (mode === "python") return call("operator.not_", [compile(v.operand, mode, env)]);
      return code("(not ", compile(v.operand, mode, env), ")");
    case "call":
      return fnCall(v, mode, env);
  }
}

/** The language's functions; helpers keep Step Functions' meaning (src/ir/expr/functions.ts). */
function fnCall(v: Extract<Value, { kind: "call" }>, mode: Mode, env: RefEnv): Py {
  const args = v.args.map((a) => compile(a, mode, env));
  switch (v.fn) {
    case "exists":
      // Reading a part that is not there fails; in Python that is caught. Jinja has no way to catch it.
      if (mode === "jinja") {
        env.refuse(v.pos, "exists() is read in conditions and repeat.until only (Python), not in a templated operator field");
        return none;
      }
      // The read is passed uncalled (the function and its arguments), so sy_exists can catch its failure.
      if (args[0].t !== "call") {
        env.refuse(v.pos, "exists() takes a path into the run's input or a step's response");
        return none;
      }
      return helper("sy_exists", [code(args[0].fn), ...args[0].args]);
    case "split":
      return helper("sy_split", args);
    case "item":
      return helper("sy_item", args);
    case "length":
      return mode === "python" ? call("len", args) : code("(", args[0], " | length)");
    case "uuid":
      return helper("sy_uuid", []);
    case "json":
      return helper("sy_json", args);
    case "parse":
      return helper("sy_parse", args);
    case "set": {
      // set(set(x, k1, v1), k2, v2) is one call, sy_set(x, k1, v1, k2, v2): a lifted machine's state data sets
      // a result at a time, and n calls one inside another passed the 200 parentheses Python reads (and the
      // printer's indentation grew the file with the square of n).
      const inner = args[0];
      if (inner?.t === "call" && inner.fn === "sy_set" && !inner.kwargs.length) return helper("sy_set", [...inner.args, ...args.slice(1)]);
      return helper("sy_set", args);
    }
    case "object":
      return helper("sy_object", args);
    case "matches":
      return helper("sy_matches", args);
    case "default": {
      // A variable's own default (Variable.get's), or the run's input read with a fallback.
      const [of] = v.args;
      if (of?.kind === "ref" && of.ref.scope === "variables") {
        return mode === "python" ? helper("sy_variable", [str(of.ref.name), args[1]]) : code("var.value.get(", strIn(of.ref.name, mode, env), ", ", args[1], ")");
      }
      if (of?.kind === "ref" && of.ref.scope === "execution" && of.ref.name === "input") return helper("sy_input_or", [code("dag_run"), args[1], ...pathArgs(of.ref.path, mode, env)]);
      env.refuse(v.pos, "default() takes a path into the run's input or a variable");
      return none;
    }
    case "add_days":
      // Airflow's own macro, in templates and in Python (the task context's `macros`).
      return call("macros.ds_add", args);
    case "get": {
      // The path's keys are user text: each goes through compile as a literal, as any text does.
      const path = v.args[1]?.kind === "literal" && typeof v.args[1].value === "string" ? (parsePathText(v.args[1].value) ?? []) : [];
      const segs = path.map((s) => compile({ kind: "literal", value: s, type: typeof s === "number" ? "integer" : "string", pos: v.pos }, mode, env));
      return helper("sy_at", [args[0], ...segs]);
    }
  }
}

/** A join's parts with nested joins inlined and neighbouring literal strings merged. */
export function joinParts(v: Extract<Value, { kind: "join" }>, out: Value[] = []): Value[] {
  // Into one list, nested joins included (this runs for every templated text of every task).
  for (const part of v.parts) {
    if (part.kind === "join") {
      joinParts(part, out);
      continue;
    }
    const last = out[out.length - 1];
    if (last && last.kind === "literal" && typeof last.value === "string" && part.kind === "literal" && typeof part.value === "string") {
      out[out.length - 1] = { ...last, value: last.value + part.value };
    } else out.push(part);
  }
  return out;
}

function isRuntime(v: Value): boolean {
  return !(v.kind === "literal" || (v.kind === "list" && v.items.every((x) => !isRuntime(x))) || (v.kind === "map" && Object.values(v.entries).every((x) => !isRuntime(x))));
}

function jinja(expr: Py): string {
  return `{{ ${flat(expr)} }}`;
}

/** Inline text of a Jinja-mode expression (made of generated code only). */
function flat(n: Py): string {
  switch (n.t) {
    case "expr":
      return n.parts.map((p) => (typeof p === "string" ? p : flat(p))).join("");
    case "list":
      return "[" + n.items.map(flat).join(", ") + "]";
    case "num":
      return String(n.v) + (n.float && Number.isInteger(n.v) ? ".0" : "");
    case "bool":
      return n.v ? "true" : "false";
    case "none":
      return "none";
    case "call":
      return `${n.fn}(` + n.args.map(flat).join(", ") + ")";
    default:
      throw new Error(`unexpected ${n.t} in a Jinja expression`);
  }
}

/** A string constant in a templated field: plain when Jinja leaves it alone, else `literal(...)`. */
export function templatedText(s: string): Py {
  return jinjaDataSafe(s) ? str(s) : call("literal", [str(s)]);
}

/**
 * A value for a templated operator field. Literals stay Python literals;
 * anything known only at run time becomes a Jinja string. With `asString`,
 * numbers and booleans are written as the strings SageMaker expects.
 */
export function templated(v: Value, env: RefEnv, asString = false): Py {
  v = explicitLocation(v, env);
  if (!isRuntime(v)) {
    switch (v.kind) {
      case "literal":
        if (typeof v.value === "string") return templatedText(v.value);
        // As text: what every target sends (Python's str(), as the SageMaker SDK writes it).
        if (asString) return str(scalarText(v.value, v.type));
        return compile(v, "python", env);
      case "list":
        return list(v.items.map((x) => templated(x, env, asString)));
      case "map":
        return dict(Object.entries(v.entries).map(([k, x]) => [k, templated(x, env, asString)]));
      default:
        break;
    }
  }
  // A job output's location inside text is written out too: one way to write an S3 URI. (Only where
  // it is the run's place under the artifacts, which the lifter reads back anywhere in text; an output's
  // own destination built from parts stays one value, read back as that output.)
  const parts = v.kind === "join" ? textParts(v, env) : [];
  if (v.kind === "join" && parts.every((x) => x.kind !== "literal" || (typeof x.value === "string" && jinjaDataSafe(x.value)))) {
    // Readable form: literal text as template data around `{{ }}` tags.
    return str(parts.map((x) => (x.kind === "literal" ? String(x.value) : jinja(compile(x, "jinja", env)))).join(""));
  }
  if (v.kind === "list") return list(v.items.map((x) => templated(x, env, asString)));
  if (v.kind === "map") return dict(Object.entries(v.entries).map(([k, x]) => [k, templated(x, env, asString)]));
  return str(jinja(compile(v, "jinja", env)));
}

/** A join's parts, each job output's location at the run's place under the artifacts written out as its own parts. */
function textParts(v: Extract<Value, { kind: "join" }>, env: RefEnv): Value[] {
  const out: Value[] = [];
  for (const x of joinParts(v)) {
    const y = explicitLocation(x, env);
    if (y.kind === "join" && !hasDestination(x, env)) out.push(...joinParts(y));
    else out.push(y);
  }
  return out;
}

/**
 * A reference to a job's output is its S3 location (its own `destination`, or
 * the artifacts prefix, run id and step), so a templated field writes it as
 * the step that produces it does: `s3://bucket/prefix/{{ run_id }}/prep/train`.
 */
function explicitLocation(v: Value, env: RefEnv): Value {
  if (v.kind !== "ref" || v.ref.scope !== "steps" || v.ref.attr !== "outputs" || env.isForeach(v.ref.step)) return v;
  const s = env.steps.get(v.ref.step);
  return s && outputsAreLocations(s) ? outputLocation(env.pipeline, v.ref.step, v.ref.name, v.pos) : v;
}

/** Whether a value is a reference to an output written to its own `destination`. */
function hasDestination(v: Value, env: RefEnv): boolean {
  return v.kind === "ref" && v.ref.scope === "steps" && v.ref.attr === "outputs" && explicitDestination(env.pipeline, v.ref.step, v.ref.name) !== undefined;
}

/** A Python expression that evaluates to the text of a value (for messages). */
export function pythonText(v: Value, env: RefEnv): Py {
  if (v.kind === "literal" && typeof v.value === "string") return str(v.value);
  if (v.kind === "join") return compile(v, "python", env);
  return helper("sy_cat", [compile(v, "python", env)]);
}
