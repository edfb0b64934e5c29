/**
 * Task groups of a DAG, so that a DAG of thousands of tasks stays readable in
 * Airflow's UI: a condition branch's tasks, and a foreach step's copies.
 *
 * - A branch: the tasks of the steps in a condition's `then` (or `else`),
 *   those of the conditions inside it included, when they are written one
 *   after another and are two or more; the group is `<condition>_then` (or
 *   `_else`). A branch inside another is a group inside the other's. The
 *   planner writes each branch's tasks one after another (`branchRunsOrder`).
 * - Copies: a run of tasks `<s>_0`, `<s>_1`, … (two or more, in that order)
 *   whose stem is no task's id and that lies in one group (or none); the group
 *   is `<s>`, inside that one. It is found from task ids alone, so copies
 *   lifted back as steps of their own are grouped again.
 *
 * Every group has `prefix_group_id=False`: task ids are the same with or
 * without groups.
 *
 * Groups nest at most MAX_GROUP_DEPTH deep: each is a `with` block, and
 * CPython compiles at most 20 blocks one inside another ("too many statically
 * nested blocks"; past 100 levels of indentation its parser refuses the file
 * too), so conditions nested twenty deep wrote a DAG Airflow could not
 * import. The tasks of deeper branches stay in the innermost group written.
 */

/** Groups inside groups, at most: with the DAG's own `with`, three blocks under CPython's 20. */
export const MAX_GROUP_DEPTH = 16;

export interface TaskGroupRun {
  /** The group id. */
  id: string;
  /** Its tasks: indexes `from` (inclusive) to `to` (exclusive) of the task list. */
  from: number;
  to: number;
  /** How many groups it is inside. */
  depth: number;
}

/**
 * Airflow's group key rule (`^[\w-]+$`, ASCII here, at most 200 characters).
 * Task and group ids share one namespace, with two join ids per group.
 */
function canName(id: string, taskIds: ReadonlySet<string>, groupIds: ReadonlySet<string>): boolean {
  return /^[A-Za-z0-9_-]{1,200}$/.test(id) && !taskIds.has(id) && !groupIds.has(id) && !taskIds.has(`${id}.upstream_join_id`) && !taskIds.has(`${id}.downstream_join_id`);
}

/**
 * An order of items (tasks, with the group ids of the branches each is in,
 * outermost first) in which every branch's items are one run: items keep
 * their order, except that a branch's later items move up to follow its
 * first one (and so on inside it). Linear in items times nesting depth.
 */
export function branchRunsOrder(branches: ReadonlyArray<readonly string[] | undefined>): number[] {
  interface Run {
    items: Array<number | Run>;
  }
  const root: Run = { items: [] };
  const runs = new Map<string, Run>();
  branches.forEach((bs, i) => {
    let at = root;
    for (const b of bs ?? []) {
      let r = runs.get(b);
      if (!r) {
        r = { items: [] };
        runs.set(b, r);
        at.items.push(r);
      }
      at = r;
    }
    at.items.push(i);
  });
  const out: number[] = [];
  const flat = (r: Run): void => {
    for (const x of r.items) if (typeof x === "number") out.push(x);
    else flat(x);
  };
  flat(root);
  return out;
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
 * The groups of a DAG whose tasks are these, in file order (`branches`: the
 * group ids of the condition branches the task's step is in, outermost
 * first). Groups come in file order, a group before the groups inside it.
 * Linear in the number of tasks and branches they are in.
 */
export function taskGroups(tasks: ReadonlyArray<{ taskId: string; branches?: readonly string[] }>): TaskGroupRun[] {
  const taskIds = new Set(tasks.map((t) => t.taskId));
  const named = new Set<string>();
  // Each branch's tasks (its inner branches' too), and whether they are one run. Branches nest, so
  // two that are each one run are one inside the other or apart.
  const runs = new Map<string, { from: number; to: number; broken: boolean }>();
  tasks.forEach((t, i) => {
    for (const b of t.branches ?? []) {
      const r = runs.get(b);
      if (!r) runs.set(b, { from: i, to: i + 1, broken: false });
      else if (r.to === i) r.to = i + 1;
      else r.broken = true;
    }
  });
  const groups: Array<{ id: string; from: number; to: number }> = [];
  for (const [id, r] of runs) {
    if (r.broken || r.to - r.from < 2 || !canName(id, taskIds, named)) continue;
    named.add(id);
    groups.push({ id, from: r.from, to: r.to });
  }
  // Outer groups first: a later group starting at the same task is inside it.
  groups.sort((a, b) => a.from - b.from || b.to - a.to);
  // The innermost group of each task, to place a run of copies.
  const innermost = new Int32Array(tasks.length).fill(-1);
  groups.forEach((g, n) => innermost.fill(n, g.from, g.to));
  for (const c of copyRuns(tasks.map((t) => t.taskId))) {
    const at = innermost[c.from];
    // All in one group (or none), and smaller than it.
    if (innermost.subarray(c.from, c.to).some((x) => x !== at)) continue;
    if (at >= 0 && groups[at].from === c.from && groups[at].to === c.to) continue;
    if (!canName(c.id, taskIds, named)) continue;
    named.add(c.id);
    groups.push({ id: c.id, from: c.from, to: c.to });
  }
  groups.sort((a, b) => a.from - b.from || b.to - a.to);
  // Depth: the groups still open where each starts.
  const open: number[] = [];
  return groups
    .map((g) => {
      while (open.length && open[open.length - 1] <= g.from) open.pop();
      open.push(g.to);
      return { ...g, depth: open.length - 1 };
    })
    .filter((g) => g.depth < MAX_GROUP_DEPTH);
}
