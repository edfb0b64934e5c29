/**
 * Tasks that do nothing (`EmptyOperator`, the older `DummyOperator`) mark the
 * start and end of a DAG or gather tasks. With the default trigger rule they
 * only order the tasks around them, so they are not lifted as steps: each one
 * is taken out and the tasks after it wait for the tasks before it, which is
 * the order Airflow keeps (a failure before it still stops the tasks after).
 * One that joins the branches of a condition (trigger_rule
 * none_failed_min_one_success, or one_success where each branch gives it one
 * task, which lift.ts checks) is taken out too: the tasks after it wait for
 * the tasks before it that ran (Task.joins), which the lifter reads as a step
 * after the condition. So is one a branch returns to do nothing when only
 * such joins follow it: that branch has no steps. Any other that sets another
 * trigger rule, or follows a branch (whose choice can skip it), decides
 * something and stays a task that has no neutral kind.
 */
import { warning, type Diagnostic } from "../../src/diagnostics.js";
import type { Found, J, Task } from "./lift.js";

const NOTHING = new Set(["EmptyOperator", "DummyOperator"]);
/** Trigger rules that join a condition's branches: run once no task before failed and one ran (Airflow 1's name too). */
export const JOIN_RULES = new Set(["none_failed_min_one_success", "none_failed_or_skipped"]);
/** Arguments that change nothing the task does. */
const INERT = new Set(["task_id", "dag", "doc_md", "doc", "task_display_name", "trigger_rule"]);

const str = (j: J | undefined): string | undefined => (j && "const" in j && typeof j.const === "string" ? j.const : undefined);

/** A trigger rule as Airflow spells it (`all_success` when not given; `TriggerRule.X` read as `x`), undefined when computed. */
export function ruleText(j: J | undefined): string | undefined {
  if (!j) return "all_success";
  return str(j) ?? ("attr" in j && "name" in j.attr[0] && j.attr[0].name === "TriggerRule" ? j.attr[1].toLowerCase() : undefined);
}

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
  const ruleOf = (t: Task): string | undefined => ruleText(t.kwargs.trigger_rule ?? defaultRule);
  const nothing = (t: Task | undefined) => t !== undefined && NOTHING.has(t.cls.split(".").pop()!) && !t.spread?.length && !Object.keys(t.kwargs).some((k) => !INERT.has(k));
  const joining = (t: Task | undefined) => t !== undefined && (JOIN_RULES.has(ruleOf(t) ?? "") || ruleOf(t) === "one_success" || (t.joins?.length ?? 0) > 0);
  // Tasks (variables) a branch names that were taken out: the branch does nothing there.
  const taken = new Set<string>();
  for (const t of [...dag.tasks]) {
    if (!nothing(t)) continue;
    const rule = ruleOf(t);
    const join = rule !== undefined && (JOIN_RULES.has(rule) || rule === "one_success");
    if (rule !== "all_success" && !join) continue;
    const ups = dag.edges.filter(([, b]) => b === t.var).map(([a]) => a);
    const downs = dag.edges.filter(([a]) => a === t.var).map(([, b]) => b);
    // After a branch: taken out only where it does nothing but lead to joins (an empty branch).
    if (!join && ups.some((u) => choosesTasks(byVar.get(u))) && !(ups.length === 1 && downs.length > 0 && downs.every((d) => joining(byVar.get(d))))) continue;
    if (!join && ups.some((u) => choosesTasks(byVar.get(u)))) taken.add(str(t.kwargs.task_id) ?? t.var);
    // The tasks after a join wait for the tasks before it that ran.
    if (join || taken.has(str(t.kwargs.task_id) ?? t.var)) for (const d of downs) {
      const down = byVar.get(d);
      if (!down) continue;
      down.joins = [...new Set([...(down.joins ?? []), ...ups])];
      if (rule === "one_success") down.joinRule = rule;
    }
    const kept = dag.edges.filter(([a, b]) => a !== t.var && b !== t.var);
    const seen = new Set(kept.map(([a, b]) => `${a}\u0000${b}`));
    for (const u of ups) for (const d of downs) if (!seen.has(`${u}\u0000${d}`)) {
      seen.add(`${u}\u0000${d}`);
      kept.push([u, d]);
    }
    dag.edges = kept;
    dag.tasks = dag.tasks.filter((x) => x !== t);
    const id = str(t.kwargs.task_id) ?? t.var;
    const message = join
      ? `task '${id}' (${t.cls}) does nothing but join branches, so it is not a step: the tasks after it wait for the tasks before it that ran, as they do in Airflow`
      : taken.has(id)
        ? `task '${id}' (${t.cls}) is a branch that does nothing, so it is not a step: that branch has no steps, and the tasks after it wait for the branch taken`
        : `task '${id}' (${t.cls}) does nothing, so it is not a step: the tasks after it wait for the tasks before it, as they do in Airflow`;
    out.push(warning({ file, line: t.line, col: t.col }, message, { code: "lift-empty-task" }));
  }
  dag.emptyBranches = taken;
  return out;
}
