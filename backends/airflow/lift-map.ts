/**
 * Mapped task groups read back as map steps. A `@task_group` function called
 * with `.expand(<param>=<task>.output)` runs its tasks once an item of the list
 * the task returned (Airflow's dynamic task mapping); the reader marks such a
 * group with `expand`. As the lowering writes a map (plan.ts): the items task
 * returns `sy_items(<items>, '<map>')` and is the map step itself, and a task
 * returning `sy_results(ti, '<map>', lambda index: <result>)` (or None) after
 * the group gathers the results. A group over any other task's result is a map
 * step named after the group, over that task's result.
 */
import { error, type Diagnostic } from "../../src/diagnostics.js";
import type { MapRead, MapStep, Pos, Step, StepCommon, Value } from "../../src/ir/types.js";
import type { FoundDag, FoundGroup, Task } from "./lift.js";
import { mapResultsId } from "./names.js";

/** What lift.ts gives this module: reading values and task ids. */
export interface MapReader {
  str(j: unknown): string | undefined;
  value(j: unknown, pos: Pos): Value | undefined;
  pos(line: number, col?: number): Pos;
  /** A task's whole result as a value (a Lambda's payload, an aws task's response), if it has one. */
  resultOf(taskId: string, pos: Pos): Value | undefined;
  /** A lambda's body as a value, its parameter `param` read as the item. */
  valueOfItem(j: unknown, param: string, pos: Pos): Value | undefined;
}

export interface MappedGroup {
  group: FoundGroup;
  /** The task whose result is the list, or the list written in the file (the reader's node). */
  items?: Task;
  written?: unknown;
  /** The items task is the map step (the lowering's shape): its callable returns sy_items(...). */
  own: boolean;
  /** The map step's id. */
  id: string;
  /** The task that gathers the results (not a step), if any. */
  results?: Task;
  members: Task[];
}

/** The function a PythonOperator calls, when it is one `return <call>` statement: that call. */
type Callables = Record<string, Array<{ return?: unknown }>>;
function returned(t: Task, functions: Callables): { call: string; args: unknown[]; kwargs: Record<string, { const?: unknown }> } | { const: null } | undefined {
  const c = t.kwargs.python_callable;
  const fn = c && "name" in c ? functions[c.name] : undefined;
  const ret = fn?.length === 1 ? (fn[0].return as { call?: string; args?: unknown[]; kwargs?: Record<string, { const?: unknown }>; const?: unknown } | undefined) : undefined;
  if (ret && typeof ret.call === "string") return { call: ret.call, args: ret.args ?? [], kwargs: ret.kwargs ?? {} };
  if (ret && "const" in ret && ret.const === null) return { const: null };
  return undefined;
}

const isPython = (t: Task) => t.cls.split(".").pop() === "PythonOperator";

/** The DAG's mapped task groups, with their items and results tasks; problems for those that cannot be read. */
export function mappedGroups(R: MapReader, dag: FoundDag, functions: Callables, idOf: (v: string) => string, diags: Diagnostic[]): MappedGroup[] {
  const byVar = new Map(dag.tasks.map((t) => [t.var, t]));
  const out: MappedGroup[] = [];
  for (const g of dag.groups ?? []) {
    if (!g.expand) continue;
    const members = g.tasks.map((v) => byVar.get(v)!).filter(Boolean);
    if (g.expand.task === null) {
      // Over a list written in the file.
      out.push({ group: g, written: g.expand.items, own: false, id: g.id, members });
      continue;
    }
    const items = byVar.get(g.expand.task)!;
    const ret = isPython(items) ? returned(items, functions) : undefined;
    const own = !!ret && "call" in ret && ret.call === "sy_items" && R.str(ret.args[1]) === R.str(items.kwargs.task_id);
    const id = own ? idOf(items.var) : g.id;
    const itemsId = R.str(items.kwargs.task_id);
    // The results task: after the group, reading each iteration (or returning nothing), named `<map>_results`.
    const results = dag.tasks.find((t) => {
      if (!isPython(t) || members.includes(t)) return false;
      const r = returned(t, functions);
      if (r && "call" in r) return (r.call === "sy_results" && R.str(r.args[1]) === itemsId) || (r.call === "sy_write_results" && R.str(r.args[2]) === itemsId) || (r.call === "sy_tolerated" && R.str(r.args[r.args.length - 2]) === itemsId);
      return !!r && itemsId !== undefined && R.str(t.kwargs.task_id) === mapResultsId(itemsId) && dag.edges.some(([a, b]) => a === items.var && b === t.var);
    });
    if (members.some((m) => (dag.groups ?? []).some((o) => o !== g && o.expand && o.tasks.includes(m.var)))) {
      diags.push(error(R.pos(g.line, g.col), `mapped task group '${g.id}' holds another mapped task group; a map step holds no other map`, { code: "lift-mapped" }));
      continue;
    }
    out.push({ group: g, items, own, id, ...(results ? { results } : {}), members });
  }
  return out;
}

/** The map step of a group whose items task is the lowering's (its callable returns sy_items(...)). */
export function ownMapStep(R: MapReader, m: MappedGroup, common: StepCommon, functions: Callables, diags: Diagnostic[]): Step {
  const ret = returned(m.items!, functions) as { call: string; args: unknown[]; kwargs?: Record<string, { const?: unknown }> };
  const read = readOf(R, ret.args[0], common.pos);
  const items = read ? undefined : R.value(ret.args[0], common.pos);
  if (!items && !read) diags.push(error(common.pos, `task '${common.id}': cannot read the items of map '${common.id}'`, { code: "lift-mapped" }));
  const kw = (ret.kwargs ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(kw)) if (k !== "batch" && k !== "each") diags.push(error(common.pos, `task '${common.id}': sy_items(...) takes batch= and each=, not ${k}=`, { code: "lift-mapped" }));
  // `batch=N`: the list cut into lists of N, one an iteration; `each=lambda item: {...}`: each item reshaped first.
  const n = (kw.batch as { const?: unknown } | undefined)?.const;
  const lambda = kw.each as { lambda?: string | null; body?: unknown } | undefined;
  const each = lambda && typeof lambda.lambda === "string" && lambda.body ? R.valueOfItem(lambda.body, lambda.lambda, common.pos) : undefined;
  if (kw.each !== undefined && each?.kind !== "map") diags.push(error(common.pos, `task '${common.id}': cannot read what each item of map '${common.id}' becomes (each=lambda item: {...}, a dict)`, { code: "lift-mapped" }));
  if (kw.each !== undefined && typeof n !== "number") diags.push(error(common.pos, `task '${common.id}': each= reshapes the items of a batched map, and sy_items(...) has no batch=`, { code: "lift-mapped" }));
  const batch = typeof n === "number" ? { max_items: n, ...(each?.kind === "map" ? { each } : {}), pos: common.pos } : undefined;
  return { ...common, kind: "map", steps: [], ...(items ? { items } : {}), ...(read ? { read } : {}), ...(batch ? { batch } : {}) };
}

const READ_FORMATS: ReadonlyArray<MapRead["format"]> = ["json", "jsonl", "csv", "manifest"];

/** The items read from S3 (`sy_read_items(bucket, '<map>', prefix=..., key=..., format=..., columns=[...], max_items=N)`), if the items are that call and every part reads. */
function readOf(R: MapReader, node: unknown, pos: Pos): MapRead | undefined {
  const c = node as { call?: string; args?: unknown[]; kwargs?: Record<string, unknown> } | undefined;
  if (c?.call !== "sy_read_items" || !c.args?.length) return undefined;
  const kw = c.kwargs ?? {};
  const bucket = R.value(c.args[0], pos);
  const prefix = kw.prefix === undefined ? undefined : R.value(kw.prefix, pos);
  const key = kw.key === undefined ? undefined : R.value(kw.key, pos);
  const format = (kw.format as { const?: unknown } | undefined)?.const;
  const columns = (kw.columns as { list?: Array<{ const?: unknown }> } | undefined)?.list?.map((x) => x.const);
  const max = (kw.max_items as { const?: unknown } | undefined)?.const;
  const ok =
    bucket &&
    (kw.prefix === undefined || prefix) &&
    (kw.key === undefined || key) &&
    (format === undefined || READ_FORMATS.includes(format as MapRead["format"])) &&
    (kw.columns === undefined || (columns && columns.every((x) => typeof x === "string"))) &&
    (max === undefined || typeof max === "number") &&
    Object.keys(kw).every((k) => ["prefix", "key", "format", "columns", "max_items"].includes(k));
  if (!ok) return undefined;
  return {
    bucket: bucket!,
    ...(prefix ? { prefix } : {}),
    ...(key ? { key } : {}),
    ...(format !== undefined ? { format: format as MapRead["format"] } : {}),
    ...(columns ? { columns: columns as string[] } : {}),
    ...(typeof max === "number" ? { max_items: max } : {}),
    pos,
  };
}

/**
 * The result each iteration gives back (the body of the results task's `lambda index: ...`), and
 * where the results are written when they are (`sy_write_results(ti, run_id, '<map>', <lambda or None>, <bucket>, <prefix or None>)`).
 */
export function mapResult(R: MapReader, m: MappedGroup, functions: Callables, diags: Diagnostic[]): { result?: Value; to?: MapStep["results_to"]; tolerate?: MapStep["tolerate"] } {
  if (!m.results) return {};
  const ret = returned(m.results, functions);
  if (!ret || !("call" in ret)) return {};
  const pos = R.pos(m.results.line, m.results.col);
  const cannot = (what: string) => diags.push(error(pos, `task '${R.str(m.results!.kwargs.task_id)}': cannot read ${what} of map '${m.id}'`, { code: "lift-mapped" }));
  // The failed iterations it tolerates: `sy_tolerated(ti, ..., count=N, percent=P)`, returned or passed as `failed=`.
  const bound = (call: { kwargs?: Record<string, { const?: unknown }> }): MapStep["tolerate"] => {
    const count = call.kwargs?.count?.const;
    const percent = call.kwargs?.percent?.const;
    if ((count !== undefined && typeof count !== "number") || (percent !== undefined && typeof percent !== "number")) cannot("the failed iterations tolerated");
    return { ...(typeof count === "number" ? { count } : {}), ...(typeof percent === "number" ? { percent } : {}), pos };
  };
  if (ret.call === "sy_tolerated") return { tolerate: bound(ret) };
  const failed = ret.kwargs.failed as { call?: string; kwargs?: Record<string, { const?: unknown }> } | undefined;
  const tolerate = failed?.call === "sy_tolerated" ? bound(failed) : undefined;
  if (failed && !tolerate) cannot("the failed iterations tolerated");
  const written = ret.call === "sy_write_results";
  const lambda = ret.args[written ? 3 : 2] as { lambda?: string | null; body?: unknown; const?: unknown } | undefined;
  const none = written && lambda !== undefined && "const" in lambda && lambda.const === null;
  const result = !none && lambda && lambda.lambda === "index" && lambda.body ? R.value(lambda.body, pos) : undefined;
  if (!none && !result) cannot("the result each iteration gives back");
  if (!written) return { ...(result ? { result } : {}), ...(tolerate ? { tolerate } : {}) };
  const bucket = R.value(ret.args[4], pos);
  const prefixNode = ret.args[5] as { const?: unknown } | undefined;
  const prefix = prefixNode && !("const" in prefixNode && prefixNode.const === null) ? R.value(prefixNode, pos) : undefined;
  if (!bucket || (prefixNode && !("const" in prefixNode && prefixNode.const === null) && !prefix)) cannot("where the results are written");
  return { ...(result ? { result } : {}), ...(bucket ? { to: { bucket, ...(prefix ? { prefix } : {}), pos } } : {}), ...(tolerate ? { tolerate } : {}) };
}

/**
 * The map steps, completed: their steps (the group's tasks), their result, their
 * concurrency (a bound every task of the group has, max_active_tis_per_dagrun);
 * a map over another task's result is added as a step of its own after that task.
 */
export function completeMaps(R: MapReader, maps: MappedGroup[], steps: Step[], byId: Map<string, Step>, idOf: (v: string) => string, functions: Callables, diags: Diagnostic[]): void {
  for (const m of maps) {
    const pos = R.pos(m.group.line, m.group.col);
    let step = byId.get(m.id);
    if (!m.own) {
      if (byId.has(m.id)) {
        diags.push(error(pos, `mapped task group '${m.group.id}': a map step named after it would have the id of another step`, { code: "lift-mapped" }));
        continue;
      }
      const itemsId = m.items ? idOf(m.items.var) : undefined;
      const items = m.items ? R.resultOf(R.str(m.items.kwargs.task_id) ?? m.items.var, pos) : R.value(m.written, pos);
      if (!items) {
        diags.push(error(pos, m.items ? `mapped task group '${m.group.id}' maps over the result of task '${itemsId}', which has no neutral value (an aws call's has)` : `mapped task group '${m.group.id}' maps over a list whose items have no neutral value`, { code: "lift-mapped" }));
        continue;
      }
      step = { id: m.id, kind: "map", items, steps: [], depends_on: itemsId !== undefined && byId.has(itemsId) ? [itemsId] : [], tags: {}, environment: {}, targets: {}, pos } as Step;
      // After the task it reads, else before the group's first task.
      const after = itemsId !== undefined ? byId.get(itemsId) : undefined;
      const first = m.members.map((t) => byId.get(idOf(t.var))).find((x) => x);
      steps.splice(after ? steps.indexOf(after) + 1 : first ? steps.indexOf(first) : steps.length, 0, step);
      byId.set(m.id, step);
    }
    if (!step || step.kind !== "map") continue;
    // A step in a branch of a condition of the map is the condition's (it runs in the map through it).
    const own = m.members.map((t) => idOf(t.var)).filter((id) => byId.has(id));
    const inBranch = new Set(own.flatMap((id) => {
      const c = byId.get(id)!;
      return c.kind === "condition" ? [...c.then, ...c.else] : [];
    }));
    step.steps = own.filter((id) => !inBranch.has(id));
    const { result, to, tolerate } = mapResult(R, m, functions, diags);
    if (result) step.result = result;
    if (to) step.results_to = to;
    if (tolerate) step.tolerate = tolerate;
    const bounds = m.members.map((t) => t.kwargs.max_active_tis_per_dagrun);
    const first = bounds[0] && "const" in bounds[0] ? bounds[0].const : undefined;
    if (typeof first === "number" && bounds.every((b) => b && "const" in b && b.const === first)) step.concurrency = first;
  }
}

/** The keyword arguments a mapped group's tasks have because they are in one (said by the map step instead). */
export const MAPPED_TASK_ARGS = ["max_active_tis_per_dagrun"] as const;
