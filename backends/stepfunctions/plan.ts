/**
 * The control-flow plan: which steps run in sequence and which in Parallel
 * branches. A condition and every step in its branches form one unit of the
 * scope around it; each branch is planned as its own scope, first, so that a
 * condition unit weighs as much as its longer branch.
 */
import { branchMembership, dependencies } from "../../src/ir/graph.js";
import type { Pipeline, Step } from "../../src/ir/types.js";
import { Reach, topoIndices } from "../../src/ir/reach.js";
import { boundaryEdges, seriesParallel, shapePairCount, shapeWeight, type Shape, type Strategy } from "./structure.js";

export interface Plan {
  /** Shape of the top scope, over unit ids. */
  shape: Shape;
  /** For each condition: the shapes of its branches. */
  branches: Map<string, { then: Shape; else: Shape }>;
  /** For each map: the shape of the steps one item runs. */
  maps: Map<string, Shape>;
  /**
   * Orderings the plan adds, as [before, after] step ids: the edges that, with
   * the pipeline's own, give every order the plan imposes (see `addedPairs`).
   */
  added: Array<[string, string]>;
  /** Ordered pairs of steps the plan orders that the pipeline did not. */
  addedPairs: number;
  /** The strategy kept in each scope: "" for the top scope, else "<condition>.then" / "<condition>.else". */
  strategies: Record<string, Strategy>;
  /** Longest path in estimated seconds (steps without an estimate count 0) and in steps. */
  criticalPath: { ir: { seconds: number; steps: number }; lowered: { seconds: number; steps: number } };
}

/**
 * The weight the planner gives a step: its estimate; a step without one
 * counts as the median estimate of the others (1 s when none has one), so
 * steps without estimates count equally. Conditions and fail steps take no time.
 */
export function planningWeights(p: Pipeline): Map<string, number> {
  const given = p.steps.map((s) => s.estimate).filter((e): e is number => e !== undefined).sort((a, b) => a - b);
  const fallback = given.length ? given[Math.floor(given.length / 2)] : 1;
  return new Map(p.steps.map((s) => [s.id, instant(s) ? 0 : s.estimate ?? fallback]));
}

const instant = (s: Step) => s.kind === "condition" || s.kind === "fail";

/**
 * Whether running a unit always ends the execution failed: a fail step, or a
 * condition each of whose branches always reaches one (in sequence, or in a
 * Parallel branch, which fails the Parallel).
 */
export function alwaysFails(id: string, byId: Map<string, Step>, branches: Map<string, { then: Shape; else: Shape }>): boolean {
  const s = byId.get(id)!;
  if (s.kind === "fail") return true;
  const b = s.kind === "condition" ? branches.get(id) : undefined;
  if (!b) return false;
  const fails = (sh: Shape): boolean => (sh.t === "unit" ? alwaysFails(sh.id, byId, branches) : sh.t === "seq" ? sh.items.some(fails) : sh.branches.some(fails));
  return fails(b.then) && fails(b.else);
}

/**
 * `shape` with unit `f`, which ends the execution and which nothing waits for, added right after `deps`:
 * after the last item of a sequence holding one of them (beside the items after it), or after the
 * branches of a Parallel holding them (grouped into a Parallel of their own, where the others hold none).
 */
export function attachEnd(shape: Shape, f: string, deps: ReadonlySet<string>): Shape {
  const unit: Shape = { t: "unit", id: f };
  const holds = (s: Shape): boolean => (s.t === "unit" ? deps.has(s.id) : (s.t === "seq" ? s.items : s.branches).some(holds));
  // A sequence in a sequence, or a Parallel in a Parallel, is one (as the planner writes them).
  const seq = (items: Shape[]): Shape => {
    const flat = items.flatMap((x) => (x.t === "seq" ? x.items : [x]));
    return flat.length === 1 ? flat[0] : { t: "seq", items: flat };
  };
  const par = (branches: Shape[]): Shape => ({ t: "par", branches: branches.flatMap((x) => (x.t === "par" ? x.branches : [x])) });
  // The shape with `f` inside it, or undefined where `f` can only follow the whole of it.
  const place = (s: Shape): Shape | undefined => {
    if (s.t === "unit") return undefined;
    if (s.t === "par") {
      const at = s.branches.flatMap((b, i) => (holds(b) ? [i] : []));
      if (at.length === 1) {
        const b = s.branches[at[0]];
        const inside = place(b);
        return par(s.branches.map((x, i) => (i === at[0] ? (inside ?? seq([b, unit])) : x)));
      }
      if (at.length === s.branches.length) return undefined;
      const grouped = seq([par(at.map((i) => s.branches[i])), unit]);
      return par(s.branches.flatMap((x, i) => (i === at[0] ? [grouped] : at.includes(i) ? [] : [x])));
    }
    let j = s.items.length - 1;
    while (j >= 0 && !holds(s.items[j])) j--;
    const inside = place(s.items[j]);
    if (inside) return seq(s.items.map((x, i) => (i === j ? inside : x)));
    if (j === s.items.length - 1) return undefined;
    return seq([...s.items.slice(0, j + 1), par([seq(s.items.slice(j + 1)), unit])]);
  };
  const empty = shape.t === "seq" && shape.items.length === 0;
  if (empty) return unit;
  if (!deps.size) return par([shape, unit]);
  return place(shape) ?? seq([shape, unit]);
}

export function planPipeline(p: Pipeline): Plan {
  const deps = dependencies(p);
  const membership = branchMembership(p);
  const byId = new Map(p.steps.map((s) => [s.id, s]));
  const weights = planningWeights(p);
  const branches = new Map<string, { then: Shape; else: Shape }>();
  const maps = new Map<string, Shape>();
  const strategies: Record<string, Strategy> = {};
  const members = new Map<string, string[]>();
  const allMembers = (id: string): string[] => {
    const hit = members.get(id);
    if (hit) return hit;
    const s = byId.get(id)!;
    const out = [id];
    if (s.kind === "condition") for (const m of [...s.then, ...s.else]) out.push(...allMembers(m));
    if (s.kind === "map") for (const m of s.steps) out.push(...allMembers(m));
    members.set(id, out);
    return out;
  };
  /** A unit's weight: its own, plus, for a condition, its longer branch. */
  const unitWeight = new Map<string, number>();

  const planScope = (scope: string[], name: string): { shape: Shape; length: number } => {
    for (const u of scope) {
      const s = byId.get(u)!;
      let wgt = weights.get(u)!;
      if (s.kind === "condition") {
        const t = planScope(s.then, `${u}.then`);
        const e = planScope(s.else, `${u}.else`);
        branches.set(u, { then: t.shape, else: e.shape });
        wgt += Math.max(t.length, e.length);
      }
      if (s.kind === "map") {
        const b = planScope(s.steps, `${u}.each`);
        maps.set(u, b.shape);
        wgt += b.length;
      }
      unitWeight.set(u, wgt);
    }
    const inScope = new Set(scope);
    const unitOf = (x: string): string | undefined => {
      let cur: string | undefined = x;
      while (cur !== undefined && !inScope.has(cur)) cur = membership.get(cur)?.condition;
      return cur;
    };
    const unitDeps = new Map<string, string[]>();
    for (const u of scope) {
      const set = new Set<string>();
      for (const m of allMembers(u)) for (const d of deps.get(m) ?? []) {
        const du = unitOf(d);
        if (du !== undefined && du !== u) set.add(du);
      }
      unitDeps.set(u, [...set]);
    }
    const weight = (u: string) => unitWeight.get(u)!;
    // A fail step (or a condition whose every branch fails) ends the execution, so a sequence may not go
    // on after one, and nothing waits for one. Those that nothing in the scope waits for are left out of
    // the layout, which the rest of the scope is planned without, and each is then put right after the
    // steps it waits for, at the end of a branch of its own: they never delay or order any other step.
    const fails = (u: string) => alwaysFails(u, byId, branches);
    const waited = new Set(scope.flatMap((o) => unitDeps.get(o)!));
    const ends = scope.filter((u) => fails(u) && !waited.has(u));
    const r = seriesParallel(ends.length ? scope.filter((u) => !ends.includes(u)) : scope, unitDeps, weight);
    let shape = r.shape;
    for (const f of ends) shape = attachEnd(shape, f, new Set(unitDeps.get(f)));
    strategies[name] = r.strategy;
    return { shape, length: ends.length ? shapeWeight(shape, weight) : r.length };
  };
  const top = p.steps.filter((s) => !membership.has(s.id)).map((s) => s.id);
  const { shape } = planScope(top, "");

  // The step-level order the plan imposes: a condition before both its branches.
  const expand = (s: Shape): Shape => {
    if (s.t === "seq") return { t: "seq", items: s.items.map(expand) };
    if (s.t === "par") return { t: "par", branches: s.branches.map(expand) };
    const b = branches.get(s.id);
    const m = maps.get(s.id);
    if (m) return { t: "seq", items: [s, expand(m)] };
    return b ? { t: "seq", items: [s, { t: "par", branches: [expand(b.then), expand(b.else)] }] } : s;
  };
  const steps = expand(shape);

  const ids = p.steps.map((s) => s.id);
  const at = new Map(ids.map((id, i) => [id, i]));
  const preds = ids.map((id) => deps.get(id)!.map((d) => at.get(d)!));
  const order = topoIndices(ids.length, preds);
  const pos = new Int32Array(ids.length);
  order.forEach((v, i) => (pos[v] = i));
  const reach = new Reach(order.map((v) => preds[v].map((x) => pos[x]).sort((a, b) => a - b)));
  const added = boundaryEdges(steps).filter(([a, b]) => !reach.before(pos[at.get(a)!], pos[at.get(b)!]));
  const addedPairs = shapePairCount(steps) - reach.pairs();

  const est = (id: string) => byId.get(id)!.estimate ?? 0;
  const longest = (w: (id: string) => number) => {
    const end = new Float64Array(ids.length);
    let max = 0;
    for (const v of order) {
      let s = 0;
      for (const d of preds[v]) s = Math.max(s, end[d]);
      end[v] = s + w(ids[v]);
      max = Math.max(max, end[v]);
    }
    return max;
  };
  // The plan's order is series-parallel and contains the pipeline's, so its longest path is the shape's.
  return {
    shape,
    branches,
    maps,
    added,
    addedPairs,
    strategies,
    criticalPath: {
      ir: { seconds: longest(est), steps: longest(() => 1) },
      lowered: { seconds: shapeWeight(steps, est), steps: shapeWeight(steps, () => 1) },
    },
  };
}
