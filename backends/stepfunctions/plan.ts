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

/** Whether a sequence in the shape has a unit that always fails before its last item. */
function failGoesOn(shape: Shape, ends: (id: string) => boolean): boolean {
  if (shape.t === "unit") return false;
  if (shape.t === "par") return shape.branches.some((b) => failGoesOn(b, ends));
  return shape.items.some((it, i) => (it.t === "unit" && ends(it.id) && i < shape.items.length - 1) || failGoesOn(it, ends));
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
    let r = seriesParallel(scope, unitDeps, (u) => unitWeight.get(u)!);
    // A fail step (or a condition whose every branch fails) ends the execution, so a sequence may not
    // go on after one. Where the shape puts one that nothing waits for ahead of other steps (a scope
    // that is not series-parallel), those run last instead, side by side, after the rest of the scope.
    const fails = (u: string) => alwaysFails(u, byId, branches);
    const ends = scope.filter((u) => fails(u) && !scope.some((o) => unitDeps.get(o)!.includes(u)));
    if (ends.length && failGoesOn(r.shape, fails)) {
      const rest = scope.filter((u) => !ends.includes(u));
      const before = seriesParallel(rest, unitDeps, (u) => unitWeight.get(u)!);
      const last: Shape = ends.length === 1 ? { t: "unit", id: ends[0] } : { t: "par", branches: ends.map((id): Shape => ({ t: "unit", id })) };
      const lead = before.shape.t === "seq" ? before.shape.items : [before.shape];
      r = { ...before, shape: lead.length ? { t: "seq", items: [...lead, last] } : last };
    }
    strategies[name] = r.strategy;
    return { shape: r.shape, length: r.length };
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
