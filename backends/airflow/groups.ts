/**
 * Task groups of a DAG: a foreach step's copies are shown as one group in
 * Airflow's UI, so a DAG of thousands of copies stays readable.
 *
 * The group is found from task ids alone, not from the foreach: a run of tasks
 * `<s>_0`, `<s>_1`, … (at least two, in that order, one after another) whose
 * stem `<s>` is no task's id. Copies lifted back as steps of their own keep
 * those ids and that order, so they are grouped again as they were.
 * `prefix_group_id=False` keeps each task's id as it is without the group.
 */

export interface TaskGroupRun {
  /** The group id: the copies' stem (the foreach step's id). */
  id: string;
  /** Its tasks: indexes `from` (inclusive) to `to` (exclusive) of the task list. */
  from: number;
  to: number;
}

/**
 * Airflow's group key rule (`^[\w-]+$`, ASCII here, at most 200 characters).
 * Task and group ids share one namespace, with two join ids per group.
 */
function canName(stem: string, taskIds: ReadonlySet<string>): boolean {
  return /^[A-Za-z0-9_-]{1,200}$/.test(stem) && !taskIds.has(stem) && !taskIds.has(`${stem}.upstream_join_id`) && !taskIds.has(`${stem}.downstream_join_id`);
}

/** The groups of a DAG whose tasks have these ids, in file order. Linear in the number of tasks. */
export function copyGroups(taskIds: readonly string[]): TaskGroupRun[] {
  const ids = new Set(taskIds);
  const out: TaskGroupRun[] = [];
  let i = 0;
  while (i < taskIds.length) {
    const stem = taskIds[i].endsWith("_0") ? taskIds[i].slice(0, -2) : "";
    let j = i + 1;
    if (stem) while (j < taskIds.length && taskIds[j] === `${stem}_${j - i}`) j++;
    if (stem && j - i >= 2 && canName(stem, ids)) {
      out.push({ id: stem, from: i, to: j });
      i = j;
    } else i++;
  }
  return out;
}
