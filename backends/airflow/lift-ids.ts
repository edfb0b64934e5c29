/** The step ids a DAG's tasks lift to. */
import { placesText } from "../../src/util/places.js";
import { warning, type Diagnostic } from "../../src/diagnostics.js";
import type { FoundDag, FoundGroup, J, Task } from "./lift.js";

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

/** The warning for a task group the lifted pipeline does not keep (none for a group with no task). */
export function groupNotKept(file: string, dag: FoundDag, g: FoundGroup, str: (j: J | undefined) => string | undefined): Diagnostic | undefined {
  const taskId = (t: Task) => str(t.kwargs.task_id) ?? t.var;
  const ids = stepIdsOf(dag, str);
  const inGroup = new Set(g.tasks);
  const members = dag.tasks.filter((t) => inGroup.has(t.var));
  if (!members.length) return undefined;
  // Eight named, the rest counted: groups inside groups would name every task again at each level.
  const named = placesText(members.map((t) => (t.prefix ? `'${t.prefix}.${taskId(t)}' as step '${ids.get(t.var)}'` : `'${taskId(t)}'`)));
  // A mapped group is its map step; what changes is only its tasks' ids (the lowering writes its group unprefixed).
  if (g.expand) return warning({ file, line: g.line, col: g.col }, `mapped task group '${g.id}' is lifted as a map step; its tasks' ids lose the group's prefix: ${named}`, { code: "lift-task-group" });
  return warning({ file, line: g.line, col: g.col }, `task group '${g.id}' is not kept (a pipeline has no groups): its tasks are lifted as steps of the pipeline, ${named}, and its dependencies as theirs`, { code: "lift-task-group" });
}

/** A group as the UI shows it: where it is, its id, how it is made and its tasks' ids. */
export function groupKey(dag: FoundDag, g: FoundGroup, str: (j: J | undefined) => string | undefined): string {
  const byVar = new Map(dag.tasks.map((t) => [t.var, str(t.kwargs.task_id) ?? t.var]));
  return JSON.stringify([g.parent, g.id, g.prefixed, g.plain, g.tasks.map((v) => byVar.get(v))]);
}
