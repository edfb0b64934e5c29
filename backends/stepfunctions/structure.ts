/**
 * Series-parallel structure of a DAG: the shape of nested Parallel states.
 *
 * A set of nodes whose order splits into independent parts becomes a Parallel;
 * one whose nodes split into "all of A before all of B" becomes a sequence.
 * A series-parallel order decomposes fully, so no ordering is added. Any other
 * order (it contains an "N") is made series-parallel by one cut A | B chosen to
 * add the fewest ordered pairs; those pairs are returned.
 */
import { topoOrder } from "../../src/ir/graph.js";

export type Shape = { t: "unit"; id: string } | { t: "seq"; items: Shape[] } | { t: "par"; branches: Shape[] };

export interface ShapeResult {
  shape: Shape;
  /** Pairs [a, b] the shape orders (a before b) that the input did not. */
  added: Array<[string, string]>;
}

/** `ids` in source order; `deps` maps each id to its predecessors (ids outside `ids` are ignored). */
export function seriesParallel(ids: string[], deps: Map<string, string[]>, weight: (id: string) => number = () => 1): ShapeResult {
  const inSet = new Set(ids);
  const rank = new Map(ids.map((id, i) => [id, i]));
  const anc = new Map<string, Set<string>>();
  const order = topo(ids, deps, inSet, rank);
  for (const id of order) {
    const s = new Set<string>();
    for (const d of deps.get(id) ?? []) {
      if (!inSet.has(d)) continue;
      s.add(d);
      for (const a of anc.get(d)!) s.add(a);
    }
    anc.set(id, s);
  }
  const before = (a: string, b: string) => anc.get(b)!.has(a);
  const added: Array<[string, string]> = [];

  const build = (set: string[]): Shape => {
    if (set.length === 1) return { t: "unit", id: set[0] };
    const comps = components(set, before);
    if (comps.length > 1) return { t: "par", branches: comps.map(build) };
    const sorted = order.filter((id) => set.includes(id));
    for (let k = 1; k < sorted.length; k++) {
      const a = sorted.slice(0, k);
      const b = sorted.slice(k);
      if (a.every((x) => b.every((y) => before(x, y)))) return seq(build(a), build(b));
    }
    const cut = bestCut(sorted, before, anc, weight);
    for (const x of cut.a) for (const y of cut.b) if (!before(x, y)) added.push([x, y]);
    return seq(build(cut.a), build(cut.b));
  };
  const shape = ids.length === 0 ? { t: "seq" as const, items: [] } : build(order);
  return { shape, added };
}

function seq(a: Shape, b: Shape): Shape {
  const items = [...(a.t === "seq" ? a.items : [a]), ...(b.t === "seq" ? b.items : [b])];
  return { t: "seq", items };
}

/** `ids` in dependency order (ties by `rank`), looking only at edges inside `inSet`. */
function topo(ids: string[], deps: Map<string, string[]>, inSet: Set<string>, rank: Map<string, number>): string[] {
  const sorted = [...ids].sort((a, b) => rank.get(a)! - rank.get(b)!);
  return topoOrder(new Map(sorted.map((id) => [id, (deps.get(id) ?? []).filter((d) => inSet.has(d))])));
}

/** Connected components of the comparability graph, each in the given order, ordered by first member. */
function components(set: string[], before: (a: string, b: string) => boolean): string[][] {
  const comp = new Map<string, number>();
  let n = 0;
  for (const s of set) {
    if (comp.has(s)) continue;
    const stack = [s];
    comp.set(s, n);
    while (stack.length) {
      const x = stack.pop()!;
      for (const y of set) if (!comp.has(y) && (before(x, y) || before(y, x))) {
        comp.set(y, n);
        stack.push(y);
      }
    }
    n++;
  }
  const out: string[][] = Array.from({ length: n }, () => []);
  for (const s of set) out[comp.get(s)!].push(s);
  return out;
}

/**
 * The downward-closed split A | B adding the fewest new ordered pairs; ties go
 * to the smaller lengthening of the longest weighted path, then to the earlier
 * cut. Candidates: prefixes of the order, each node's ancestors (with it), and
 * everything not after a node.
 */
function bestCut(
  sorted: string[],
  before: (a: string, b: string) => boolean,
  anc: Map<string, Set<string>>,
  weight: (id: string) => number,
): { a: string[]; b: string[] } {
  const cands: string[][] = [];
  for (let k = 1; k < sorted.length; k++) cands.push(sorted.slice(0, k));
  for (const v of sorted) {
    cands.push(sorted.filter((x) => x === v || before(x, v)));
    cands.push(sorted.filter((x) => x !== v && !before(v, x)));
  }
  let best: { a: string[]; b: string[]; cost: number; len: number } | undefined;
  for (const a of cands) {
    if (a.length === 0 || a.length === sorted.length) continue;
    const inA = new Set(a);
    const b = sorted.filter((x) => !inA.has(x));
    let cost = 0;
    for (const x of a) for (const y of b) if (!before(x, y)) cost++;
    const len = longest(a, anc, weight) + longest(b, anc, weight);
    if (!best || cost < best.cost || (cost === best.cost && len < best.len)) best = { a, b, cost, len };
  }
  return best!;
}

/** Longest weighted chain inside `set` (in topological order). */
function longest(set: string[], anc: Map<string, Set<string>>, weight: (id: string) => number): number {
  const inSet = new Set(set);
  const end = new Map<string, number>();
  let max = 0;
  for (const id of set) {
    let start = 0;
    for (const a of anc.get(id)!) if (inSet.has(a)) start = Math.max(start, end.get(a) ?? 0);
    end.set(id, start + weight(id));
    max = Math.max(max, start + weight(id));
  }
  return max;
}

/** Every ordered pair [a, b] the shape imposes. */
export function shapePairs(shape: Shape): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const rec = (s: Shape): string[] => {
    if (s.t === "unit") return [s.id];
    if (s.t === "par") return s.branches.flatMap(rec);
    const parts = s.items.map(rec);
    for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) for (const a of parts[i]) for (const b of parts[j]) out.push([a, b]);
    return parts.flat();
  };
  rec(shape);
  return out;
}

/** Longest weighted path through a DAG given as predecessor lists (`order` topological). */
export function criticalPath(order: string[], preds: (id: string) => Iterable<string>, weight: (id: string) => number): number {
  const end = new Map<string, number>();
  let max = 0;
  for (const id of order) {
    let start = 0;
    for (const d of preds(id)) start = Math.max(start, end.get(d) ?? 0);
    end.set(id, start + weight(id));
    max = Math.max(max, end.get(id)!);
  }
  return max;
}
