/**
 * Task groups of a DAG, so that a DAG of thousands of tasks stays readable in
 * Airflow's UI: a condition branch's tasks, and a foreach step's copies.
 *
 * - A branch: the tasks of the steps a condition's `then` (or `else`) lists,
 *   when they are written one after another and are two or more; the group is
 *   `<condition>_then` (or `_else`). A branch inside another branch is its own
 *   group; the outer one is then not one run of tasks, and has none.
 * - Copies: a run of tasks `<s>_0`, `<s>_1`, … (two or more, in that order)
 *   whose stem is no task's id; the group is `<s>`, inside the branch group
 *   that holds the whole run, if any. It is found from task ids alone, so
 *   copies lifted back as steps of their own are grouped again.
 *
 * Every group has `prefix_group_id=False`: task ids are the same with or
 * without groups.
 */

export interface TaskGroupRun {
  /** The group id. */
  id: string;
  /** Its tasks: indexes `from` (inclusive) to `to` (exclusive) of the task list. */
  from: number;
  to: number;
  /** 0 for a group of the DAG, 1 for a group of copies inside a branch's group. */
  depth: number;
}

/**
 * Airflow's group key rule (`^[\w-]+$`, ASCII here, at most 200 characters).
 * Task and group ids share one namespace, with two join ids per group.
 */
function canName(id: string, taskIds: ReadonlySet<string>, groupIds: ReadonlySet<string>): boolean {
  return /^[A-Za-z0-9_-]{1,200}$/.test(id) && !taskIds.has(id) && !groupIds.has(id) && !taskIds.has(`${id}.upstream_join_id`) && !taskIds.has(`${id}.downstream_join_id`);
}

/** Runs of copies `<s>_0`, `<s>_1`, … in a list of task ids. Linear in the number of tasks. */
export function copyRuns(taskIds: readonly string[]): Array<{ id: string; from: number; to: number }> {
  const out: Array<{ id: string; from: number; to: number }> = [];
  let i = 0;
  while (i < taskIds.length) {
    const stem = taskIds[i].endsWith("_0") ? taskIds[i].slice(0, -2) : "";
    let j = i + 1;
    if (stem) while (j < taskIds.length && taskIds[j] === `${stem}_${j - i}`) j++;
    if (stem && j - i >= 2) {
      out.push({ id: stem, from: i, to: j });
      i = j;
    } else i++;
  }
  return out;
}

/**
 * The groups of a DAG whose tasks are these, in file order (`branch`: the
 * group id of the innermost condition branch the task's step is in). Groups
 * come in file order, a group before the groups inside it. Linear in the
 * number of tasks.
 */
export function taskGroups(tasks: ReadonlyArray<{ taskId: string; branch?: string }>): TaskGroupRun[] {
  const taskIds = new Set(tasks.map((t) => t.taskId));
  const named = new Set<string>();
  // Each branch's tasks, and whether they are one run.
  const runs = new Map<string, { from: number; to: number; broken: boolean }>();
  tasks.forEach((t, i) => {
    if (t.branch === undefined) return;
    const r = runs.get(t.branch);
    if (!r) runs.set(t.branch, { from: i, to: i + 1, broken: false });
    else if (r.to === i) r.to = i + 1;
    else r.broken = true;
  });
  const branches: TaskGroupRun[] = [];
  for (const [id, r] of runs) {
    if (r.broken || r.to - r.from < 2 || !canName(id, taskIds, named)) continue;
    named.add(id);
    branches.push({ id, from: r.from, to: r.to, depth: 0 });
  }
  // The branch group each task is in, to place a run of copies.
  const inBranch = new Int32Array(tasks.length).fill(-1);
  branches.forEach((g, n) => inBranch.fill(n, g.from, g.to));
  const out = [...branches];
  for (const c of copyRuns(tasks.map((t) => t.taskId))) {
    const outer = inBranch[c.from];
    // A run that leaves its branch's group, or goes into one, is not a group; nor is one the size of its branch's group.
    if (inBranch[c.to - 1] !== outer || (outer < 0 && inBranch.subarray(c.from, c.to).some((b) => b >= 0))) continue;
    if (outer >= 0 && branches[outer].from === c.from && branches[outer].to === c.to) continue;
    if (!canName(c.id, taskIds, named)) continue;
    named.add(c.id);
    out.push({ id: c.id, from: c.from, to: c.to, depth: outer >= 0 ? 1 : 0 });
  }
  return out.sort((a, b) => a.from - b.from || a.depth - b.depth);
}
