/**
 * The DAG's dependency statements: the planned edges without those another
 * path already enforces, written as chains (`a >> b >> [c, d]`).
 *
 * An edge u >> c is left out only when the DAG run does exactly the same
 * without it. In Airflow a task's trigger rule looks at its direct upstream
 * tasks only, and a branching operator skips its direct downstream tasks only,
 * so the rule is:
 *
 * - A task is *transparent* when its trigger rule is all_success and no
 *   branching operator is directly before it: it runs only if every direct
 *   upstream succeeded, is skipped if one was skipped, and is upstream_failed
 *   if one failed. Its success therefore implies the success of every task
 *   reaching it through transparent tasks, and a skipped or failed task before
 *   it reaches it as the same state (or a failed one). A task a branch may skip
 *   is not: skipped by the branch, it would hide a failure before it.
 * - u >> c is dropped when c's trigger rule is all_success (a branch skipping
 *   c skips it either way), u does not skip its downstream
 *   tasks itself (a branch operator keeps every edge it chooses among), and
 *   another direct upstream x of c is reached from u through transparent tasks
 *   (x included). Then "x succeeded" already implies "u succeeded", and a
 *   skipped or failed u reaches c through x as the same state: c's state is the
 *   same with or without the edge.
 * - Edges into a task with any other trigger rule (one_failed,
 *   none_failed_min_one_success, all_done, ...) are all kept: those rules count
 *   their direct upstream tasks.
 *
 * Dropping all such edges at once is safe: taking, in topological order, the
 * kept upstream x of c that reaches the dropped ones (the relation is acyclic,
 * so a greatest one exists and is kept), every dropped u reaches c through x in
 * the reduced DAG too.
 *
 * Cost: with n tasks and e edges, the "reached through transparent tasks"
 * sets are bitsets, one OR of n/32 words per edge, so O(n·e/32) time and
 * O(n²/32) memory; the topological order is O((n + e) log n) and writing
 * the chains O(n + e). Nothing is worse than quadratic in the tasks for a DAG
 * with at least as many edges as tasks.
 */
import type { Py } from "./python/node.js";
import { topoIndices } from "../../src/ir/reach.js";

/** Operators that skip some of their direct downstream tasks: every edge out of them is part of what they do. */
export const SKIPS_DIRECT_DOWNSTREAM: ReadonlySet<string> = new Set([
  "BranchPythonOperator",
  "BranchExternalPythonOperator",
  "BranchPythonVirtualenvOperator",
  "BranchDateTimeOperator",
  "BranchDayOfWeekOperator",
  "BranchSQLOperator",
  "ShortCircuitOperator",
  "LatestOnlyOperator",
]);

/**
 * Operator arguments whose meaning depends on the task's direct downstream
 * tasks: a task that has one keeps its outgoing edges.
 */
const ABOUT_DOWNSTREAM: readonly string[] = ["wait_for_downstream"];

export interface DependencyTask {
  variable: string;
  cls: string;
  kwargs: ReadonlyArray<[string, Py]>;
}

/** One dependency statement: tasks and lists of tasks, joined by `>>`. */
export type Link = string | string[];

const kwarg = (kwargs: ReadonlyArray<[string, Py]>, name: string): Py | undefined => kwargs.find(([k]) => k === name)?.[1];

function defaultArg(dagKwargs: ReadonlyArray<[string, Py]>, name: string): Py | undefined {
  const d = kwarg(dagKwargs, "default_args");
  if (d?.t !== "dict") return undefined;
  return d.entries.find(([k]) => k.t === "str" && k.v === name)?.[1];
}

/** The task's trigger rule when it is written as a plain string; undefined when it is anything else (then no edge into it is dropped). */
function triggerRule(t: DependencyTask, dagKwargs: ReadonlyArray<[string, Py]>): string | undefined {
  const v = kwarg(t.kwargs, "trigger_rule") ?? defaultArg(dagKwargs, "trigger_rule");
  if (v === undefined) return "all_success";
  return v.t === "str" ? v.v : undefined;
}

function keepsOutgoing(t: DependencyTask, dagKwargs: ReadonlyArray<[string, Py]>): boolean {
  if (SKIPS_DIRECT_DOWNSTREAM.has(t.cls)) return true;
  return ABOUT_DOWNSTREAM.some((name) => {
    const v = kwarg(t.kwargs, name) ?? defaultArg(dagKwargs, name);
    return v !== undefined && !(v.t === "bool" && !v.v);
  });
}

/** The edges the DAG needs (rule above), in the order they were planned, without repeats. */
export function necessaryEdges(tasks: readonly DependencyTask[], dagKwargs: ReadonlyArray<[string, Py]>, edges: ReadonlyArray<[string, string]>): Array<[string, string]> {
  const n = tasks.length;
  const index = new Map(tasks.map((t, i) => [t.variable, i]));
  const ups: number[][] = tasks.map(() => []);
  const unique: Array<[number, number]> = [];
  // An edge's key is a number (u·n + c): no text made and hashed per edge.
  const seen = new Set<number>();
  for (const [a, b] of edges) {
    const u = index.get(a);
    const c = index.get(b);
    if (u === undefined || c === undefined) throw new Error(`dependency statements: no task '${u === undefined ? a : b}'`);
    if (seen.has(u * n + c)) continue;
    seen.add(u * n + c);
    unique.push([u, c]);
    ups[c].push(u);
  }
  const allSuccess = tasks.map((t) => triggerRule(t, dagKwargs) === "all_success");
  const transparent = allSuccess.map((yes, i) => yes && !ups[i].some((u) => SKIPS_DIRECT_DOWNSTREAM.has(tasks[u].cls)));
  const words = (n + 31) >>> 5;
  // reached[x]: the tasks whose success x's success implies; empty unless x is transparent, else x's direct
  // upstream tasks and reached[] of each (those with a path to x whose every task after the first is transparent).
  const reached = new Uint32Array(n * words);
  // The words of each row that may be non-zero (lo > hi: none): unions read only those, which on DAGs
  // whose tasks are numbered near their topological order is about half of every row.
  const lo = new Int32Array(n).fill(words);
  const hi = new Int32Array(n).fill(-1);
  for (const x of topoIndices(n, ups)) {
    if (!transparent[x]) continue;
    const row = x * words;
    let l = words;
    let h = -1;
    for (const u of ups[x]) {
      const uw = u >>> 5;
      reached[row + uw] |= 1 << (u & 31);
      for (let w = lo[u], from = u * words; w <= hi[u]; w++) reached[row + w] |= reached[from + w];
      l = Math.min(l, uw, lo[u]);
      h = Math.max(h, uw, hi[u]);
    }
    lo[x] = l;
    hi[x] = h;
  }
  // implied[c]: the union of reached[x] over c's direct upstream tasks x.
  const implied = new Uint32Array(words);
  const drop = new Set<number>();
  const has = (x: number, u: number) => (reached[x * words + (u >>> 5)] & (1 << (u & 31))) !== 0;
  for (let c = 0; c < n; c++) {
    const up = ups[c];
    if (!allSuccess[c] || up.length < 2) continue;
    const dropped = (u: number) => {
      if (!keepsOutgoing(tasks[u], dagKwargs)) drop.add(u * n + c);
    };
    // Few upstream tasks (most tasks): each one looked up in the others' rows, not their rows' union made.
    if (up.length <= words) {
      for (const u of up) if (up.some((x) => has(x, u))) dropped(u);
      continue;
    }
    let l = words;
    let h = -1;
    for (const x of up) {
      for (let w = lo[x], from = x * words; w <= hi[x]; w++) implied[w] |= reached[from + w];
      l = Math.min(l, lo[x]);
      h = Math.max(h, hi[x]);
    }
    for (const u of up) if (implied[u >>> 5] & (1 << (u & 31))) dropped(u);
    if (h >= l) implied.fill(0, l, h + 1);
  }
  return unique.filter(([u, c]) => !drop.has(u * n + c)).map(([u, c]) => [tasks[u].variable, tasks[c].variable]);
}

/**
 * The edges as chains, deterministic: statements start at tasks in topological
 * order (ties in declaration order); a task's downstream tasks are written
 * together (one task, or a list in declaration order); a chain goes on from a
 * task once every edge into it is written (`a >> b >> c`), and from a list whose
 * tasks all lead to one task that waits for them alone (`a >> [b, c] >> d`).
 */
export function dependencyChains(tasks: readonly DependencyTask[], edges: ReadonlyArray<[string, string]>): Link[][] {
  const n = tasks.length;
  const index = new Map(tasks.map((t, i) => [t.variable, i]));
  const ups: number[][] = tasks.map(() => []);
  const downs: number[][] = tasks.map(() => []);
  for (const [a, b] of edges) {
    ups[index.get(b)!].push(index.get(a)!);
    downs[index.get(a)!].push(index.get(b)!);
  }
  for (const d of downs) d.sort((x, y) => x - y);
  const unwritten = ups.map((u) => u.length);
  const pending = downs.map((d) => [...d]);
  const name = (i: number) => tasks[i].variable;
  const take = (x: number): number[] => {
    const ds = pending[x];
    pending[x] = [];
    for (const d of ds) unwritten[d]--;
    return ds;
  };
  const chains: Link[][] = [];
  for (const start of topoIndices(n, ups)) {
    if (!pending[start].length) continue;
    const chain: Link[] = [name(start)];
    let at = start;
    for (;;) {
      const ds = take(at);
      if (ds.length === 1) {
        chain.push(name(ds[0]));
        at = ds[0];
        if (unwritten[at] === 0 && pending[at].length) continue;
        break;
      }
      chain.push(ds.map(name));
      const joins = pending[ds[0]];
      const w = joins.length === 1 ? joins[0] : undefined;
      if (w === undefined || unwritten[w] !== ds.length || !ds.every((d) => pending[d].length === 1 && pending[d][0] === w)) break;
      for (const d of ds) take(d);
      chain.push(name(w));
      at = w;
      if (!pending[at].length) break;
    }
    chains.push(chain);
  }
  return chains;
}
