/**
 * The control-flow plan: which steps run in sequence and which in Parallel
 * branches. A condition and every step in its branches form one unit of the
 * scope around it; each branch is planned as its own scope.
 */
import { ancestors, branchMembership, dependencies, topoOrder } from "../../src/ir/graph.js";
import type { Pipeline } from "../../src/ir/types.js";
import { criticalPath, seriesParallel, shapePairs, type Shape } from "./structure.js";

export interface Plan {
  /** Shape of the top scope, over unit ids. */
  shape: Shape;
  /** For each condition: the shapes of its branches. */
  branches: Map<string, { then: Shape; else: Shape }>;
  /** Orderings the plan adds to the pipeline's own, as [before, after] step ids. */
  added: Array<[string, string]>;
  /** Longest path in estimated seconds (steps without an estimate count 0) and in steps. */
  criticalPath: { ir: { seconds: number; steps: number }; lowered: { seconds: number; steps: number } };
}

export function planPipeline(p: Pipeline): Plan {
  const deps = dependencies(p);
  const membership = branchMembership(p);
  const branches = new Map<string, { then: Shape; else: Shape }>();
  const members = new Map<string, string[]>();
  const allMembers = (id: string): string[] => {
    const hit = members.get(id);
    if (hit) return hit;
    const s = p.steps.find((x) => x.id === id)!;
    const out = [id];
    if (s.kind === "condition") for (const m of [...s.then, ...s.else]) out.push(...allMembers(m));
    members.set(id, out);
    return out;
  };

  const planScope = (scope: string[]): Shape => {
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
    const shape = seriesParallel(scope, unitDeps).shape;
    for (const u of scope) {
      const s = p.steps.find((x) => x.id === u)!;
      if (s.kind === "condition") branches.set(u, { then: planScope(s.then), else: planScope(s.else) });
    }
    return shape;
  };
  const top = p.steps.filter((s) => !membership.has(s.id)).map((s) => s.id);
  const shape = planScope(top);

  // The step-level order the plan imposes: a condition before both its branches.
  const expand = (s: Shape): Shape => {
    if (s.t === "seq") return { t: "seq", items: s.items.map(expand) };
    if (s.t === "par") return { t: "par", branches: s.branches.map(expand) };
    const b = branches.get(s.id);
    return b ? { t: "seq", items: [s, { t: "par", branches: [expand(b.then), expand(b.else)] }] } : s;
  };
  const pairs = shapePairs(expand(shape));
  const anc = ancestors(deps);
  const added = pairs.filter(([a, b]) => !anc.get(b)!.has(a));

  const effective = new Map<string, string[]>([...deps.keys()].map((k) => [k, [...deps.get(k)!]]));
  for (const [a, b] of pairs) effective.get(b)!.push(a);
  const est = new Map(p.steps.map((s) => [s.id, s.estimate ?? 0]));
  const cp = (d: Map<string, string[]>) => ({
    seconds: criticalPath(topoOrder(d), (id) => d.get(id)!, (id) => est.get(id)!),
    steps: criticalPath(topoOrder(d), (id) => d.get(id)!, () => 1),
  });
  return { shape, branches, added, criticalPath: { ir: cp(deps), lowered: cp(effective) } };
}
