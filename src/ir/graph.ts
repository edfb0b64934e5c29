/** The step graph: who depends on whom, branches, order and cycles. */
import type { FailureHandler, Pipeline, Step, Value } from "./types.js";
import { walkStepValues, walkValue } from "./walk.js";
import { Reach, topoIndices } from "./reach.js";

/** Step ids a value refers to (an enclosing map's current item is read inside it, not after it). */
export function refsInValue(v: Value, out = new Set<string>()): Set<string> {
  walkValue(v, (n) => {
    if (n.kind === "ref" && n.ref.scope === "steps" && n.ref.attr !== "item") out.add(n.ref.step);
  });
  return out;
}

/** Step ids whose results this step reads (data dependencies). */
export function dataDependencies(s: Step): Set<string> {
  const out = new Set<string>();
  // A map's result reads its own steps once each iteration has run them: they are inside it, not before it
  // (its batch's each may not read them at all, which the reference check says).
  walkStepValues(s, (v, field) => {
    if (s.kind !== "map" || (field !== "result" && field !== "batch.each")) refsInValue(v, out);
    else for (const id of refsInValue(v)) if (!s.steps.includes(id)) out.add(id);
  });
  // A transform reads the model named by another step; a report is read through its step.
  out.delete(s.id);
  return out;
}

export interface BranchInfo {
  /** The condition, or the map whose steps run once per item. */
  condition: string;
  /** A condition's branch, or `each` for a map's steps. */
  branch: "then" | "else" | "each";
}

/** For each step inside a condition branch or a map: which condition (or map) and which branch. */
export function branchMembership(p: Pipeline): Map<string, BranchInfo> {
  const m = new Map<string, BranchInfo>();
  for (const s of p.steps) {
    if (s.kind === "map") for (const id of s.steps) if (!m.has(id)) m.set(id, { condition: s.id, branch: "each" });
    if (s.kind !== "condition") continue;
    for (const id of s.then) if (!m.has(id)) m.set(id, { condition: s.id, branch: "then" });
    for (const id of s.else) if (!m.has(id)) m.set(id, { condition: s.id, branch: "else" });
  }
  return m;
}

/** The branches (and maps) a step is in, innermost first: its own, then the one its condition or map is in, and so on. */
export function branchesAround(branches: ReadonlyMap<string, BranchInfo>, id: string): BranchInfo[] {
  const out: BranchInfo[] = [];
  const seen = new Set<string>();
  for (let b = branches.get(id); b && !seen.has(b.condition); b = branches.get(b.condition)) {
    seen.add(b.condition);
    out.push(b);
  }
  return out;
}

/**
 * The conditions a step waits for from outside their branches (`depends_on` names them): it runs once
 * the condition has decided, and waits for the steps of its branches it names that ran.
 */
export function conditionsAfter(s: Step, branches: ReadonlyMap<string, BranchInfo>, kinds: ReadonlyMap<string, Step["kind"]>): string[] {
  return s.depends_on.filter((d) => kinds.get(d) === "condition" && !branchesAround(branches, s.id).some((b) => b.condition === d));
}

/** For each step run once per item of a map: the map, innermost first. */
export function mapsAround(p: Pipeline): Map<string, string[]> {
  const branches = branchMembership(p);
  const out = new Map<string, string[]>();
  for (const s of p.steps) {
    const maps = branchesAround(branches, s.id).filter((b) => b.branch === "each").map((b) => b.condition);
    if (maps.length) out.set(s.id, maps);
  }
  return out;
}

/** Whether a step reads the failure that ran its handler (`failure`, `failure.Cause`). */
export function readsFailure(s: Step): boolean {
  let hit = false;
  walkStepValues(s, (v) => walkValue(v, (n) => {
    if (n.kind === "ref" && n.ref.scope === "failure") hit = true;
  }));
  return hit;
}

/** The steps any of a step's failure handlers runs, each once, in the order the handlers name them. */
export function handlerSteps(s: Step): string[] {
  return [...new Set((s.on_failure ?? []).flatMap((h) => h.steps))];
}

/** The handler that lets the step's failure pass (`ends: continues`), if it has one. */
export const letPass = (s: Step): FailureHandler | undefined => s.on_failure?.find((h) => h.ends === "continues");

/** For each step named in some `on_failure`: the steps whose failure runs it, in source order. */
export function failureHandlers(p: Pipeline): Map<string, string[]> {
  const m = new Map<string, string[]>();
  // Appended in place: a copy per step made many steps sharing one handler quadratic.
  for (const s of p.steps) {
    for (const id of handlerSteps(s)) {
      const list = m.get(id);
      if (list) list.push(s.id);
      else m.set(id, [s.id]);
    }
  }
  return m;
}

/**
 * Every step's direct predecessors: explicit `depends_on`, data references,
 * and, for a step in a branch, its condition. Keys in source order.
 */
export function dependencies(p: Pipeline): ReadonlyMap<string, readonly string[]> {
  let deps = dependenciesOf.get(p);
  if (!deps) dependenciesOf.set(p, (deps = computeDependencies(p)));
  return deps;
}

/** Worked out once per pipeline: the checks, the report and each backend ask for it (a pipeline is not changed once built). */
const dependenciesOf = new WeakMap<Pipeline, ReadonlyMap<string, readonly string[]>>();

function computeDependencies(p: Pipeline): Map<string, string[]> {
  const branches = branchMembership(p);
  const ids = new Set(p.steps.map((s) => s.id));
  const order = new Map(p.steps.map((s, i) => [s.id, i]));
  const deps = new Map<string, string[]>();
  for (const s of p.steps) {
    const set = new Set<string>(s.depends_on);
    for (const d of dataDependencies(s)) set.add(d);
    const b = branches.get(s.id);
    if (b) set.add(b.condition);
    deps.set(
      s.id,
      [...set].filter((d) => ids.has(d) && d !== s.id).sort((a, b) => order.get(a)! - order.get(b)!),
    );
  }
  return deps;
}

/** Direct successors, from `dependencies`. */
export function dependents(deps: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>([...deps.keys()].map((k) => [k, []]));
  for (const [s, ds] of deps) for (const d of ds) out.get(d)?.push(s);
  return out;
}

/**
 * A cycle as a list of ids (first repeated at the end), or undefined. Depth-first with a stack of its own:
 * a chain written last step first goes as deep as it is long (10,000 steps overflowed the call stack).
 */
export function findCycle(deps: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  // The path being walked, and for each of its steps the next dependency to look at.
  const path: string[] = [];
  const next: number[] = [];
  for (const root of deps.keys()) {
    if (state.has(root)) continue;
    state.set(root, 1);
    path.push(root);
    next.push(0);
    while (path.length) {
      const top = path.length - 1;
      const ds = deps.get(path[top]) ?? [];
      if (next[top] === ds.length) {
        state.set(path.pop()!, 2);
        next.pop();
        continue;
      }
      const d = ds[next[top]++];
      const st = state.get(d);
      if (st === 1) return [...path.slice(path.indexOf(d)), d].reverse();
      if (st === undefined) {
        state.set(d, 1);
        path.push(d);
        next.push(0);
      }
    }
  }
  return undefined;
}

/** Topological order; among ready steps, source order wins (stable and deterministic). O((n + e) log n). */
export function topoOrder(deps: ReadonlyMap<string, readonly string[]>): string[] {
  const ids = [...deps.keys()];
  const rank = new Map(ids.map((id, i) => [id, i]));
  const preds: number[][] = [];
  for (const id of ids) {
    const ps: number[] = [];
    for (const d of deps.get(id) ?? []) {
      const r = rank.get(d);
      // A step waiting for no step never becomes ready, as in a cycle.
      if (r === undefined) throw new Error("topoOrder: the graph has a cycle");
      ps.push(r);
    }
    preds.push(ps);
  }
  return topoIndices(ids.length, preds).map((i) => ids[i]);
}

/** Whether a step comes, directly or not, after another: one bit a pair (O(n²/32) words, not a set a step). */
export interface Ancestors extends Iterable<string> {
  has(id: string): boolean;
}

/** All ancestors of each step (transitive closure of `deps`), as bitsets over a topological order. */
export function ancestors(deps: ReadonlyMap<string, readonly string[]>): Map<string, Ancestors> {
  const order = topoOrder(deps);
  const index = new Map(order.map((id, i) => [id, i]));
  const reach = new Reach(order.map((id) => (deps.get(id) ?? []).map((d) => index.get(d)!)));
  return new Map(
    order.map((id, v) => [
      id,
      {
        has: (x: string) => {
          const u = index.get(x);
          return u !== undefined && reach.before(u, v);
        },
        // In topological order; only ancestors sit below v in it.
        *[Symbol.iterator]() {
          for (let u = 0; u < v; u++) if (reach.before(u, v)) yield order[u];
        },
      },
    ]),
  );
}

/** The same order with every edge implied by another path removed. */
export function transitiveReduction(deps: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const anc = ancestors(deps);
  const out = new Map<string, string[]>();
  for (const [id, ds] of deps) {
    out.set(id, ds.filter((d) => !ds.some((o) => o !== d && anc.get(o)!.has(d))));
  }
  return out;
}

export function stepById(p: Pipeline): Map<string, Step> {
  return new Map(p.steps.map((s) => [s.id, s]));
}
