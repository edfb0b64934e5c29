/** The step ids a DAG's tasks lift to. */
import type { FoundDag, J, Task } from "./lift.js";

/**
 * A task's step id is its task_id as written. Airflow names a task made in a
 * `with TaskGroup(...)` block `<group>.<task_id>`; the IR has no groups and no
 * dots in ids, so such a task keeps its task_id, or is `<group>_<task_id>`
 * (dots as underscores) where two tasks have the same task_id.
 */
export function stepIdsOf(dag: FoundDag, str: (j: J | undefined) => string | undefined): Map<string, string> {
  const taskId = (t: Task) => str(t.kwargs.task_id) ?? t.var;
  const count = new Map<string, number>();
  for (const t of dag.tasks) count.set(taskId(t), (count.get(taskId(t)) ?? 0) + 1);
  return new Map(dag.tasks.map((t) => [t.var, t.prefix && count.get(taskId(t))! > 1 ? `${t.prefix.replace(/\./g, "_")}_${taskId(t)}` : taskId(t)]));
}

