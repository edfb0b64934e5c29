/**
 * Tasks that do nothing (`EmptyOperator`, the older `DummyOperator`) mark the
 * start and end of a DAG or gather tasks. With the default trigger rule they
 * only order the tasks around them, so they are not lifted as steps: each one
 * is taken out and the tasks after it wait for the tasks before it, which is
 * the order Airflow keeps (a failure before it still stops the tasks after).
 * One that sets another trigger rule, or follows a branch (whose choice can
 * skip it), decides something and stays a task that has no neutral kind.
 */
import { warning, type Diagnostic } from "../../src/diagnostics.js";
import type { Found, J, Task } from "./lift.js";

const NOTHING = new Set(["EmptyOperator", "DummyOperator"]);
/** Arguments that change nothing the task does. */
const INERT = new Set(["task_id", "dag", "doc_md", "doc", "task_display_name", "trigger_rule"]);

const str = (j: J | undefined): string | undefined => (j && "const" in j && typeof j.const === "string" ? j.const : undefined);

function choosesTasks(t: Task | undefined): boolean {
  if (!t) return false;
  const cls = t.cls.split(".").pop()!;
  return /Branch|ShortCircuit/.test(cls) || (t.defined?.decorator ?? "").includes("branch") || (t.defined?.decorator ?? "").includes("short_circuit");
}

/** Takes the empty tasks out of the file's one DAG (changing `found`); a warning for each. */
export function contractEmptyTasks(found: Found, file: string): Diagnostic[] {
  if (found.dags.length !== 1) return [];
  const dag = found.dags[0];
  const defaults = dag.kwargs.default_args;
  const defaultRule = defaults && "dict" in defaults ? defaults.dict.find(([k]) => k && str(k) === "trigger_rule")?.[1] : undefined;
  const byVar = new Map(dag.tasks.map((t) => [t.var, t]));
  const out: Diagnostic[] = [];
  for (const t of [...dag.tasks]) {
    if (!NOTHING.has(t.cls.split(".").pop()!) || t.spread?.length) continue;
    if (Object.keys(t.kwargs).some((k) => !INERT.has(k))) continue;
    const rule = t.kwargs.trigger_rule ?? defaultRule;
    if (rule && str(rule) !== "all_success" && !(rule && "attr" in rule && rule.attr[1] === "ALL_SUCCESS")) continue;
    const ups = dag.edges.filter(([, b]) => b === t.var).map(([a]) => a);
    if (ups.some((u) => choosesTasks(byVar.get(u)))) continue;
    const downs = dag.edges.filter(([a]) => a === t.var).map(([, b]) => b);
    const kept = dag.edges.filter(([a, b]) => a !== t.var && b !== t.var);
    const seen = new Set(kept.map(([a, b]) => `${a}\u0000${b}`));
    for (const u of ups) for (const d of downs) if (!seen.has(`${u}\u0000${d}`)) {
      seen.add(`${u}\u0000${d}`);
      kept.push([u, d]);
    }
    dag.edges = kept;
    dag.tasks = dag.tasks.filter((x) => x !== t);
    const id = str(t.kwargs.task_id) ?? t.var;
    out.push(warning({ file, line: t.line, col: t.col }, `task '${id}' (${t.cls}) does nothing, so it is not a step: the tasks after it wait for the tasks before it, as they do in Airflow`, { code: "lift-empty-task" }));
  }
  return out;
}
