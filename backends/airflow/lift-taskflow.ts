/**
 * TaskFlow `@task` functions lifted as function steps (src/aws/function-step.ts):
 * the function's source, as written, goes to a Python file beside the lifted
 * pipeline with the module imports and constants it reads; its call's literal
 * arguments become JSON arguments, and another function step's result (an
 * XComArg) is that step's `result` output, downloaded as an input and read back
 * as JSON, so values keep their types. Plain module-level helper functions they
 * call are carried too, with what they read. What cannot be carried exactly (mapped
 * calls, the Airflow context, module names that are not imports or constants,
 * run-time values) is refused, naming the task and the line.
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { error, warning } from "../../src/diagnostics.js";
import { FUNCTION_COMMAND, FUNCTION_RESULT, FUNCTION_RESULT_DIR, FUNCTION_RESULT_FILE, functionArgumentJson, functionResultArgument, functionResultInput } from "../../src/aws/function-step.js";
import type { DataInput, Step, StepCommon, Value } from "../../src/ir/types.js";
import type { J, Lifter, Task, TaskflowFunction, TaskflowNeed } from "./lift.js";

/** The job a lifted @task function runs in: a SageMaker image with Python 3 and the common data libraries. */
export const TASKFLOW_JOB = { image: "sklearn:1.4-2", instance: "ml.m5.large" } as const;

/**
 * TaskFlow decorators (without the `airflow.decorators.` / `airflow.sdk.` prefix): null when lifted as a
 * function step, else why not. `@task.branch` and `@task.short_circuit` are condition steps instead (lift.ts).
 */
export const TASKFLOW_DECORATORS: Record<string, string | null> = {
  task: null,
  "task.python": null,
  "task.virtualenv": "it runs in a virtualenv the worker builds for it",
  "task.external_python": "it runs under another Python installed on the worker",
  "task.docker": "it runs in a Docker container the worker starts",
  "task.kubernetes": "it runs in a Kubernetes pod",
  "task.short_circuit": "it skips the tasks after it when it returns a false value",
  "task.sensor": "it pokes until it returns true",
  "task.bash": "it runs the shell command it returns on the worker",
  "task.pyspark": "it runs with a Spark session from an Airflow connection",
  "task.run_if": "it decides at run time whether the task runs",
  "task.skip_if": "it decides at run time whether the task is skipped",
};

/**
 * Arguments only a Python task has: refused, since the processing operator would not take them. The others
 * are compared with the lifted task's and kept as Airflow settings when plain data, as for any operator.
 */
const PYTHON_ONLY: Record<string, string> = {
  templates_dict: "renders templates into the Airflow context",
  templates_exts: "renders templates into the Airflow context",
  op_args: "passes arguments from the decorator",
  op_kwargs: "passes arguments from the decorator",
  show_return_value_in_logs: "logs the return value on the worker",
  python_callable: "names another callable",
};

/** A return annotation from which Airflow infers multiple_outputs. */
const MAPPING_RETURN = /^(dict|Dict|typing\.Dict|Mapping|typing\.Mapping|collections\.abc\.Mapping)\b/;

export function decoratorKind(decorator: string): string {
  return decorator.replace(/^@/, "").replace(/^(airflow\.decorators\.|airflow\.sdk\.)/, "");
}

/** Whether a @task call's result has one XCom per key of the dict it returns (a PythonOperator's only when it says so). */
function multipleOutputs(fn: TaskflowFunction, t: Task): boolean {
  const j = t.kwargs.multiple_outputs ?? fn.kwargs.multiple_outputs;
  if (j && "const" in j) return j.const === true;
  return t.callable === undefined && fn.returns !== undefined && MAPPING_RETURN.test(fn.returns);
}

/** The arguments by which a PythonOperator passes its function's arguments: read as the call's, not refused. */
const OPERATOR_CALL = new Set(["python_callable", "op_args", "op_kwargs"]);

/** The function a task runs as a function step: a @task call's, or a PythonOperator's python_callable. */
export function functionOf(found: { taskflow: Record<string, TaskflowFunction>; callables?: Record<string, TaskflowFunction> }, t: Task): TaskflowFunction | undefined {
  if (t.cls === "@task") return found.taskflow[t.function!];
  return t.callable !== undefined && t.call ? found.callables?.[t.callable] : undefined;
}

const lit = (value: string, pos: Value["pos"]): Value => ({ kind: "literal", value, type: "string", pos });

/** Lifts the @task calls of one DAG and collects the functions they run into one file. */
export class TaskflowLift {
  /** Functions the lifted steps run, by name. */
  readonly used = new Map<string, TaskflowFunction>();
  /** Steps that run a function from the file. */
  readonly stepIds: string[] = [];
  readonly path: string;

  constructor(
    readonly L: Lifter,
    readonly byVar: Map<string, Task>,
    readonly idOf: (v: string) => string,
    dagFile: string,
  ) {
    this.path = `${basename(dagFile).replace(/\.py$/i, "").replace(/[^A-Za-z0-9_]/g, "_")}_tasks.py`;
  }

  /**
   * A @task call (or a PythonOperator calling `called`, a function of the file) as a function step, or
   * undefined when it is refused (the errors are in L.diags).
   */
  step(t: Task, common: StepCommon, called?: TaskflowFunction): Step | undefined {
    const L = this.L;
    const id = common.id;
    const pos = common.pos;
    const fn = called ?? L.found.taskflow[t.function!];
    const kind = called ? "task" : decoratorKind(fn.decorator);
    const what = called ? `the function ${fn.name} (defined at line ${fn.line}) a PythonOperator calls` : `a TaskFlow @${kind} function (${fn.name}, defined at line ${fn.line})`;
    const errorCount = () => L.diags.filter((d) => d.severity === "error").length;
    const errors = errorCount();
    const refuse = (at: Value["pos"], message: string) => L.diags.push(error(at, `task '${id}': ${message}`, { code: "lift-taskflow" }));
    const why = TASKFLOW_DECORATORS[kind];
    if (why !== null) {
      refuse(pos, `${what} has no neutral step kind: ${why ?? `@${kind} is not a plain Python function`}`);
      return undefined;
    }
    if (t.mapped) {
      refuse(pos, `${what} is mapped with .${t.mapped}(...), which makes one task per item at run time; a function step runs once`);
      return undefined;
    }
    if (fn.source_error) refuse(L.pos(fn.line, fn.col), `${what} cannot be written out on its own (${fn.source_error}: a multi-line string in it is less indented than the function)`);
    if (fn.async) refuse(L.pos(fn.line, fn.col), `${what} is async; a function step calls a plain function`);
    if (fn.decorators > 1) refuse(L.pos(fn.line, fn.col), `${what} has other decorators, which would not run in the processing job`);
    if (fn.decorator_args) refuse(L.pos(fn.line, fn.col), `${what}: its decorator is given positional arguments`);
    if (fn.varkw) refuse(L.pos(fn.line, fn.col), `${what} takes **${fn.varkw}, which Airflow fills with the task's context; the processing job has no Airflow context`);
    if (fn.posonly?.length) refuse(L.pos(fn.line, fn.col), `${what} has positional-only parameters (${fn.posonly.join(", ")}); a function step passes arguments by name`);
    if (fn.varargs) refuse(L.pos(fn.line, fn.col), `${what} takes *${fn.varargs}; a function step passes arguments by name`);
    for (const [k, does] of Object.entries(PYTHON_ONLY)) {
      const j = t.kwargs[k];
      if (j && !(called && OPERATOR_CALL.has(k))) refuse(L.at(j.at, fn.line), `${what} sets ${k}, which ${does}; a processing job has no counterpart`);
    }
    for (const need of fn.needs) this.checkNeed(need, what, refuse);

    // Arguments, by parameter name.
    const call = t.call ?? { args: [], kwargs: {} };
    if (call.spread) refuse(pos, `${what} is called with *args or **kwargs, which cannot be read one by one`);
    const named: Array<[string, J]> = [];
    call.args.forEach((a, i) => {
      const name = fn.positional[i];
      if (name === undefined) refuse(L.at(a.at, t.line, t.col), `${what} is called with more positional arguments than it takes`);
      else named.push([name, a]);
    });
    for (const [k, a] of Object.entries(call.kwargs)) named.push([k, a]);
    for (const p of fn.context_params) {
      if (!named.some(([k]) => k === p)) refuse(L.pos(fn.line, fn.col), `${what} takes the Airflow context variable ${p}, which the processing job does not have`);
    }
    const args: Value[] = [lit(fn.name, pos)];
    const inputs: Record<string, DataInput> = {};
    for (const [name, j] of named) {
      const at = L.at(j.at, t.line, t.col);
      if (!fn.params.includes(name)) {
        refuse(at, `${what} has no parameter ${name}`);
        continue;
      }
      const v = this.argument(j, at, `argument ${name}`, refuse, inputs);
      if (v) args.push(lit(name, at), v);
    }
    if (errorCount() > errors) return undefined;

    this.used.set(fn.name, fn);
    this.stepIds.push(id);
    L.diags.push(
      warning(
        pos,
        `task '${id}': the ${called ? "PythonOperator's" : "TaskFlow"} function ${fn.name} now runs as a SageMaker processing job (${TASKFLOW_JOB.image} on ${TASKFLOW_JOB.instance}, from ${this.path}) rather than on the Airflow worker; its arguments and its return value pass as JSON`,
        { code: "lift-taskflow" },
      ),
    );
    return {
      ...common,
      kind: "processing",
      image: lit(TASKFLOW_JOB.image, pos),
      instance: { type: lit(TASKFLOW_JOB.instance, pos), pos },
      code: { path: this.path, sha256: "0".repeat(64), pos },
      command: [...FUNCTION_COMMAND],
      arguments: args,
      inputs,
      outputs: { [FUNCTION_RESULT]: { path: FUNCTION_RESULT_DIR, pos } },
      reports: { [FUNCTION_RESULT]: { output: FUNCTION_RESULT, file: FUNCTION_RESULT_FILE, pos } },
    };
  }

  /** One argument as the container argument the bootstrap reads (`json:` literal or `file:` result). */
  private argument(j: J, at: Value["pos"], what: string, refuse: (at: Value["pos"], m: string) => void, inputs: Record<string, DataInput>): Value | undefined {
    const L = this.L;
    if ("xcom" in j && j.xcom !== undefined) {
      const keys = j.keys ?? [];
      const up = this.byVar.get(j.xcom);
      const upId = this.idOf(j.xcom);
      const upFn = up && functionOf(L.found, up);
      if (!up || !upFn) {
        refuse(at, `${what} is ${j.src}, the whole result (XCom) of task '${upId}'${up ? ` (${up.cls.split(".").pop()})` : ""}, which has no neutral form; only a TaskFlow function's (or a PythonOperator's function's) return value can be passed`);
        return undefined;
      }
      if (keys.length > 1 || keys.some((k) => typeof k !== "string")) {
        refuse(at, `${what} is ${j.src}: a TaskFlow result is read by one string key (an XCom key), no deeper`);
        return undefined;
      }
      if (keys.length && !multipleOutputs(upFn, up)) {
        refuse(at, `${what} is ${j.src}, the XCom key ${JSON.stringify(keys[0])} of task '${upId}', which does not push one (it does not set multiple_outputs)`);
        return undefined;
      }
      const name = functionResultInput(upId);
      inputs[name] = { source: { kind: "ref", ref: { scope: "steps", step: upId, attr: "outputs", name: FUNCTION_RESULT }, pos: at }, destination: `/opt/ml/processing/input/${name}`, pos: at };
      return lit(functionResultArgument(upId, keys), at);
    }
    if ("list" in j || "dict" in j) {
      const inner = "list" in j ? j.list : j.dict.map(([, x]) => x);
      const deep = inner.find((x) => JSON.stringify(x).includes('"xcom":'));
      if (deep) {
        refuse(L.at(deep.at, at.line, at.col), `${what} holds a task's result (XCom) inside a ${"list" in j ? "list" : "dict"}; pass it as an argument of its own`);
        return undefined;
      }
    }
    const v = L.value(j, at);
    if (v && unsafeInteger(v)) {
      refuse(at, `${what} holds an integer beyond 2^53, which is not read exactly`);
      return undefined;
    }
    // The same JSON a `type: function` step's arguments are written as, so the lifted step prints as one.
    const json = v && functionArgumentJson(v);
    if (json !== undefined) return lit(`json:${json}`, at);
    if ("const" in j && j.jinja !== undefined) {
      refuse(at, `${what} is the Jinja template ${JSON.stringify(j.const)}, which Airflow renders on the worker before the call; pass a literal`);
      return undefined;
    }
    if (v) {
      refuse(at, `${what} is known only when the DAG runs (${describe(v)}); a function step's arguments are literals or other functions' results`);
      return undefined;
    }
    const w = L.why(j);
    refuse(w.at ? L.pos(w.at[0], w.at[1]) : at, `cannot read ${what}: ${w.text}`);
    return undefined;
  }

  private checkNeed(need: TaskflowNeed, what: string, refuse: (at: Value["pos"], m: string) => void): void {
    const at = this.L.pos(need.at[0], need.at[1]);
    const where = need.line !== undefined ? ` (line ${need.line})` : "";
    switch (need.kind) {
      case "const":
      case "function":
        return;
      case "import":
        if (/^airflow(\.|$)/.test(need.module ?? "")) refuse(at, `${what} uses ${need.name}, imported from ${need.module}${where}; the processing job has no Airflow`);
        return;
      case "enclosing":
        refuse(at, `${what} uses ${need.name} from the function it is defined in${where}; only module imports, constants and plain functions can be carried with it`);
        return;
      case "undefined":
        refuse(at, `${what} uses ${need.name}, which is not defined in the file`);
        return;
      default:
        refuse(at, `${what} uses the module-level name ${need.name}${where}, which is neither an import nor a constant; only module imports, constants and plain functions can be carried with it`);
    }
  }

  /** The file of every lifted function, with the imports and constants they read (undefined when none was lifted). */
  file(): { path: string; contents: string; sha256: string } | undefined {
    if (!this.used.size) return undefined;
    const fns = [...this.used.values()].sort((a, b) => a.line - b.line);
    const needs = new Map<string, TaskflowNeed>();
    for (const f of fns) for (const n of f.needs) if ((n.kind === "import" || n.kind === "const" || n.kind === "function") && n.text) needs.set(n.text, n);
    const byLine = (kind: string) =>
      [...needs.values()]
        .filter((n) => n.kind === kind)
        .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.text!.localeCompare(b.text!))
        .map((n) => n.text!);
    const future = [...new Set(fns.flatMap((f) => f.future))];
    const head = ['"""TaskFlow functions of an Airflow DAG, each run by a SageMaker processing job."""', ...future];
    const top = [head.join("\n"), byLine("import").join("\n"), byLine("const").join("\n")].filter((b) => b);
    const contents = `${[top.join("\n\n"), ...byLine("function"), ...fns.map((f) => f.source.replace(/\n+$/, ""))].join("\n\n\n")}\n`;
    return { path: this.path, contents, sha256: createHash("sha256").update(contents).digest("hex") };
  }
}

function unsafeInteger(v: Value): boolean {
  if (v.kind === "literal") return typeof v.value === "number" && v.type !== "float" && !Number.isSafeInteger(v.value);
  if (v.kind === "list") return v.items.some(unsafeInteger);
  if (v.kind === "map") return Object.values(v.entries).some(unsafeInteger);
  return false;
}

function describe(v: Value): string {
  if (v.kind === "ref") {
    const r = v.ref as { scope: string; name?: string; step?: string; attr?: string };
    if (r.scope === "params") return `the parameter ${r.name}`;
    if (r.scope === "steps") return `a result of step ${r.step}`;
    return `the run's ${r.name ?? r.scope}`;
  }
  if (v.kind === "join") return "text joined from run-time values";
  return `a ${v.kind} expression`;
}
