/**
 * The EMR idiom of adding a step and watching it: `EmrAddStepsOperator >>
 * EmrStepSensor(step_id="{{ ti.xcom_pull(task_ids='add')[0] }}")`. The sensor
 * waits for the one step the operator added, as a neutral emr step waits for
 * its own, so the two are lifted as that one step; the sensor's timeout becomes
 * the step's, and the tasks after the sensor follow the step.
 */
import type { FoundDag, J, Task } from "./lift.js";

/** The sensor's defaults: what it waits for, and what fails it. */
const TARGET = ["COMPLETED"];
const FAILED = ["CANCELLED", "FAILED", "INTERRUPTED"];

/** A Jinja template of one `{{ ... }}` part, or the expression itself: that expression. */
function soleExpression(j: J): J | undefined {
  if ("const" in j && j.jinja && j.jinja.length === 1 && !("text" in j.jinja[0])) return j.jinja[0] as J;
  return "const" in j ? undefined : j;
}

/** The task an `xcom_pull(task_ids=...)[0]` (or `task.output[0]`) reads the first item of: its task id or variable. */
function firstPulled(j: J): { taskId?: string; var?: string } | undefined {
  if (!("sub" in j)) return undefined;
  const [base, index] = j.sub;
  if (!("const" in index) || index.const !== 0) return undefined;
  // `add.output[0]`: the task's XComArg.
  if ("xcom_of" in base && base.xcom_of?.length === 1 && "src" in base && base.src.endsWith(".output")) return { var: base.xcom_of[0] };
  if ("xcom" in base && base.xcom !== undefined && !(base.keys ?? []).length) return { var: base.xcom };
  if (!("call" in base) || !/^(ti|task_instance)\.xcom_pull$/.test(base.call)) return undefined;
  const key = base.kwargs.key;
  if (key && !("const" in key && key.const === "return_value")) return undefined;
  const t = base.kwargs.task_ids ?? base.args[0];
  return t && "const" in t && typeof t.const === "string" ? { taskId: t.const } : undefined;
}

/** A list of strings written out, or undefined. */
function strings(j: J | undefined): string[] | undefined {
  if (!j || !("list" in j)) return undefined;
  const out = j.list.map((x) => ("const" in x && typeof x.const === "string" && !x.jinja ? x.const : undefined));
  return out.every((x) => x !== undefined) ? (out as string[]) : undefined;
}

const same = (a: string[] | undefined, b: string[]) => a !== undefined && a.length === b.length && a.every((x) => b.includes(x));
const positionFree = (j: J | undefined) => JSON.stringify(j, (k, v) => (k === "at" ? undefined : v));

/**
 * Sensors that watch the step an EmrAddStepsOperator right before them added (and wait for nothing else), with
 * the sensor's default target and failed states: sensor variable -> the operator's variable.
 */
export function watchedSteps(dag: FoundDag, taskIdOf: (t: Task) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const byVar = new Map(dag.tasks.map((t) => [t.var, t]));
  const byTaskId = new Map(dag.tasks.map((t) => [taskIdOf(t), t]));
  for (const s of dag.tasks) {
    if (s.cls.split(".").pop() !== "EmrStepSensor" || !s.kwargs.step_id) continue;
    const expr = soleExpression(s.kwargs.step_id);
    const pulled = expr && firstPulled(expr);
    const add = pulled ? (pulled.var !== undefined ? byVar.get(pulled.var) : byTaskId.get(pulled.taskId)) : undefined;
    if (!add || add.cls.split(".").pop() !== "EmrAddStepsOperator") continue;
    if (positionFree(add.kwargs.job_flow_id) !== positionFree(s.kwargs.job_flow_id)) continue;
    if ((s.kwargs.target_states && !same(strings(s.kwargs.target_states), TARGET)) || (s.kwargs.failed_states && !same(strings(s.kwargs.failed_states), FAILED))) continue;
    const ups = dag.edges.filter(([, b]) => b === s.var).map(([a]) => a);
    if (ups.length !== 1 || ups[0] !== add.var) continue;
    out.set(s.var, add.var);
  }
  return out;
}
