/**
 * Sensors that watch what the operator right before them started, lifted with
 * it as one step that waits:
 * - `EmrAddStepsOperator >> EmrStepSensor(step_id="{{ ti.xcom_pull(task_ids='add')[0] }}")`: the one step
 *   the operator added, as a neutral emr step waits for its own;
 * - `GlueJobOperator(wait_for_completion=False) >> GlueJobSensor(run_id=start.output)`: the job run the
 *   operator started (the provider examples' idiom), as a neutral glue step waits for its run.
 * The sensor's timeout becomes the step's, and the tasks after the sensor follow the step.
 */
import type { FoundDag, J, Task } from "./lift.js";

/** A sensor that watches what an operator started, and how it is told which. */
export interface Watch {
  sensor: string;
  operator: string;
  /** The step kind the operator is lifted as. */
  kind: "emr" | "glue";
  /** What the operator starts, and how it is said to, in messages ("the step 'add' adds"). */
  what: string;
  verb: string;
  /** The sensor's argument naming it: the operator's XCom result, or its first item (`[0]`). */
  arg: string;
  first: boolean;
  /** Arguments both must give alike (the cluster, the job). */
  same: string[];
  /** Arguments that change what the sensor waits for: only their defaults are lifted. */
  states: Record<string, string[]>;
  /** The sensor's poke interval, and its argument counting deferred looks with their default. */
  poke: number;
  looks: [string, number];
  /** What the lifted step does otherwise than the sensor, said with the lift. */
  caveat?: string;
}

export const WATCHES: readonly Watch[] = [
  {
    sensor: "EmrStepSensor",
    operator: "EmrAddStepsOperator",
    kind: "emr",
    what: "step",
    verb: "adds",
    arg: "step_id",
    first: true,
    same: ["job_flow_id"],
    states: { target_states: ["COMPLETED"], failed_states: ["CANCELLED", "FAILED", "INTERRUPTED"] },
    poke: 60,
    looks: ["max_attempts", 60],
  },
  {
    sensor: "GlueJobSensor",
    operator: "GlueJobOperator",
    kind: "glue",
    what: "job run",
    verb: "starts",
    arg: "run_id",
    first: false,
    same: ["job_name"],
    states: {},
    poke: 120,
    looks: ["max_retries", 60],
    caveat: "the GlueJobSensor fails when the run ends STOPPED; the lifted glue step fails so on Step Functions, but on Airflow it waits as GlueJobOperator does, which takes STOPPED as done",
  },
];

/** A Jinja template of one `{{ ... }}` part, or the expression itself: that expression. */
function soleExpression(j: J): J | undefined {
  if ("const" in j && j.jinja && j.jinja.length === 1 && !("text" in j.jinja[0])) return j.jinja[0] as J;
  return "const" in j ? undefined : j;
}

/** The task whose XCom result an expression is (`xcom_pull(task_ids=...)`, `task.output`): its task id or variable. */
function pulled(base: J): { taskId?: string; var?: string } | undefined {
  if ("xcom_of" in base && base.xcom_of?.length === 1 && "src" in base && base.src.endsWith(".output")) return { var: base.xcom_of[0] };
  if ("xcom" in base && base.xcom !== undefined && !(base.keys ?? []).length) return { var: base.xcom };
  if (!("call" in base) || !/^(ti|task_instance)\.xcom_pull$/.test(base.call)) return undefined;
  const key = base.kwargs.key;
  if (key && !("const" in key && key.const === "return_value")) return undefined;
  const t = base.kwargs.task_ids ?? base.args[0];
  return t && "const" in t && typeof t.const === "string" ? { taskId: t.const } : undefined;
}

/** The task an `xcom_pull(task_ids=...)[0]` (or `task.output[0]`) reads the first item of. */
function firstPulled(j: J): { taskId?: string; var?: string } | undefined {
  if (!("sub" in j)) return undefined;
  const [base, index] = j.sub;
  if (!("const" in index) || index.const !== 0) return undefined;
  return pulled(base);
}

/** A list of strings written out, or undefined. */
function strings(j: J | undefined): string[] | undefined {
  if (!j || !("list" in j)) return undefined;
  const out = j.list.map((x) => ("const" in x && typeof x.const === "string" && !x.jinja ? x.const : undefined));
  return out.every((x) => x !== undefined) ? (out as string[]) : undefined;
}

const same = (a: string[] | undefined, b: string[]) => a !== undefined && a.length === b.length && a.every((x) => b.includes(x));
const positionFree = (j: J | undefined) => JSON.stringify(j, (k, v) => (k === "at" ? undefined : v));
const className = (t: Task) => t.cls.split(".").pop()!;

/**
 * Sensors that watch what the operator right before them started (and wait for nothing else), with the
 * sensor's default states: sensor variable -> the operator's variable.
 */
export function watchedSteps(dag: FoundDag, taskIdOf: (t: Task) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const byVar = new Map(dag.tasks.map((t) => [t.var, t]));
  const byTaskId = new Map(dag.tasks.map((t) => [taskIdOf(t), t]));
  for (const s of dag.tasks) {
    const w = WATCHES.find((x) => x.sensor === className(s));
    if (!w || !s.kwargs[w.arg]) continue;
    const expr = soleExpression(s.kwargs[w.arg]);
    const from = expr && (w.first ? firstPulled(expr) : pulled(expr));
    const op = from ? (from.var !== undefined ? byVar.get(from.var) : byTaskId.get(from.taskId)) : undefined;
    if (!op || className(op) !== w.operator) continue;
    if (w.same.some((k) => positionFree(op.kwargs[k]) !== positionFree(s.kwargs[k]))) continue;
    if (Object.entries(w.states).some(([k, dflt]) => s.kwargs[k] && !same(strings(s.kwargs[k]), dflt))) continue;
    const ups = dag.edges.filter(([, b]) => b === s.var).map(([a]) => a);
    if (ups.length !== 1 || ups[0] !== op.var) continue;
    out.set(s.var, op.var);
  }
  return out;
}

/** The watch a sensor task is lifted by. */
export const watchOf = (sensor: Task): Watch | undefined => WATCHES.find((x) => x.sensor === className(sensor));
