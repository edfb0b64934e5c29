/**
 * Series-parallel structure of a DAG: the shape of nested Parallel states.
 *
 * A set of nodes whose order splits into independent parts becomes a Parallel;
 * one whose nodes split into "all of A before all of B" becomes a sequence.
 * A series-parallel order decomposes fully, so no ordering is added. Any other
 * set (it contains an "N") must be cut into A | B, ordering all of A before all
 * of B. The cut is chosen to keep the lowered critical path short (in weighted
 * time), then to add the fewest ordered pairs.
 *
 * Six strategies are planned and the best kept (shorter critical path, then
 * fewer added pairs; "lookahead" only when shorter; past LOOKAHEAD_STEPS, the
 * first as short as the DAG is kept):
 * - "cut": decompose; at each prime set, try every prefix of five linear
 *   extensions (topological, earliest start, earliest finish, latest start,
 *   latest finish). A prefix A of a linear extension is closed downwards, so
 *   the longest path of A is the largest longest-path-ending-here in A, that of
 *   B the largest longest-path-starting-here in B, and the comparable pairs
 *   across the cut are the sum over A of (descendants − ancestors) in the set:
 *   every candidate costs O(1) after one pass. Each set costs
 *   O(m log m + e_m + m²/32) (the last term: ancestor counts from bitsets).
 *   A set of more than LARGE_SET steps is cut only into parts of at
 *   least 1/128 of it, which bounds the number of cuts.
 * - "thirds", "quarters", "sixths": the same, with parts of at least that
 *   share of each set (see LEAST_PART): better on wide DAGs, where the best cut
 *   of the moment is not. No one share is best on every DAG.
 * - "lookahead": quarters, but the large sets try each share's cut with both
 *   sides planned (see LOOKAHEAD_DEPTHS).
 * - "levels": plain topological levels (a sequence of Parallels, one per level
 *   of the longest path in steps), the baseline: the layout kept is never longer.
 */
import { Reach, topoIndices } from "../../src/ir/reach.js";

export type Shape = { t: "unit"; id: string } | { t: "seq"; items: Shape[] } | { t: "par"; branches: Shape[] };

export type Strategy = "cut" | "thirds" | "quarters" | "sixths" | "levels" | "lookahead";

export interface ShapeResult {
  shape: Shape;
  /**
   * Orderings the shape adds, as edges [a, b]: b waits for a, a being last in
   * one part of a sequence and b first in the next, where the input did not
   * already order them. With the input's own edges they give every ordered
   * pair the shape imposes.
   */
  added: Array<[string, string]>;
  /** Ordered pairs the shape imposes that the input did not (its transitive closure's growth). */
  addedPairs: number;
  /** Longest weighted path of the shape. */
  length: number;
  strategy: Strategy;
}

/** `ids` in source order; `deps` maps each id to its predecessors (ids outside `ids` are ignored). */
export function seriesParallel(
  ids: string[],
  deps: Map<string, string[]>,
  weight: (id: string) => number = () => 1,
  only?: Strategy,
): ShapeResult {
  if (ids.length === 0) return { shape: { t: "seq", items: [] }, added: [], addedPairs: 0, length: 0, strategy: "cut" };
  // One step is laid out as itself by every strategy: not planned six times (a condition's branches are mostly one step).
  if (ids.length === 1) return { shape: { t: "unit", id: ids[0] }, added: [], addedPairs: 0, length: weight(ids[0]), strategy: only ?? "cut" };
  const g = indexGraph(ids, deps);
  const w = g.ids.map(weight);
  const reach = new Reach(g.preds);
  const closure = reach.pairs();
  const results: ShapeResult[] = [];
  const strategies = only ? [only] : ids.length > LOOKAHEAD_STEPS ? STRATEGIES.filter((s) => s !== "lookahead") : STRATEGIES;
  // No layout is shorter than the DAG: once one is as short, lookahead (kept only when shorter) is not planned.
  const floor = only ? 0 : dagLength(g, w);
  for (const strategy of strategies) {
    if (strategy === "lookahead" && results.some((r) => r.length <= floor)) continue;
    // Past LOOKAHEAD_STEPS, a layout as short as the DAG ends the search: the others could only add fewer
    // orderings, and each costs a plan of the whole scope (10,000 steps: four more plans, 0.5 s).
    if (ids.length > LOOKAHEAD_STEPS && results.some((r) => r.length <= floor)) break;
    const shape =
      strategy === "levels" ? levelShape(g) : strategy === "lookahead" ? cutShape(g, w, reach, LEAST_PART.quarters, { from: lookaheadFrom(ids.length), depth: lookaheadDepth(ids.length) }) : cutShape(g, w, reach, LEAST_PART[strategy]);
    const named = rename(shape, g.ids);
    results.push({ shape: named, added: [], addedPairs: shapePairCount(named) - closure, length: shapeLength(shape, (v) => w[v]), strategy });
  }
  // Lookahead's layout is kept only where it is shorter: among equals the others' are more regular
  // (fewer pairs once fail steps are attached, fewer values passed when the machine is split).
  const best = results.reduce((a, b) => (b.length < a.length || (b.length === a.length && b.addedPairs < a.addedPairs && b.strategy !== "lookahead") ? b : a));
  const at = new Map(g.ids.map((id, i) => [id, i]));
  best.added = boundaryEdges(best.shape).filter(([a, b]) => !reach.before(at.get(a)!, at.get(b)!));
  return best;
}

interface IndexGraph {
  /** Ids in topological order; node i is ids[i]. */
  ids: string[];
  preds: number[][];
  succs: number[][];
}

/** Renumber `ids` in topological order (source order among ready nodes), keeping edges inside the set. */
function indexGraph(ids: string[], deps: Map<string, string[]>): IndexGraph {
  const at = new Map(ids.map((id, i) => [id, i]));
  const srcPreds = ids.map((id) => {
    const out = new Set<number>();
    for (const d of deps.get(id) ?? []) {
      const i = at.get(d);
      if (i !== undefined && d !== id) out.add(i);
    }
    return [...out];
  });
  const order = topoIndices(ids.length, srcPreds);
  const pos = new Int32Array(ids.length);
  order.forEach((v, i) => (pos[v] = i));
  const preds = order.map((v) => srcPreds[v].map((p) => pos[p]).sort((a, b) => a - b));
  const succs: number[][] = order.map(() => []);
  preds.forEach((ps, v) => ps.forEach((p) => succs[p].push(v)));
  return { ids: order.map((v) => ids[v]), preds, succs };
}

/** An index shape: units are node numbers. */
type IShape = { t: "unit"; v: number } | { t: "seq"; items: IShape[] } | { t: "par"; branches: IShape[] };

function rename(s: IShape, ids: string[]): Shape {
  if (s.t === "unit") return { t: "unit", id: ids[s.v] };
  if (s.t === "seq") return { t: "seq", items: s.items.map((x) => rename(x, ids)) };
  return { t: "par", branches: s.branches.map((x) => rename(x, ids)) };
}

function shapeLength(s: IShape, w: (v: number) => number): number {
  if (s.t === "unit") return w(s.v);
  if (s.t === "seq") return s.items.reduce((n, x) => n + shapeLength(x, w), 0);
  return s.branches.reduce((n, x) => Math.max(n, shapeLength(x, w)), 0);
}

/** Longest weighted path of the DAG (nodes in topological order). */
function dagLength(g: IndexGraph, w: number[]): number {
  const end = new Float64Array(g.ids.length);
  let max = 0;
  for (let v = 0; v < g.ids.length; v++) {
    let start = 0;
    for (const p of g.preds[v]) if (end[p] > start) start = end[p];
    end[v] = start + w[v];
    if (end[v] > max) max = end[v];
  }
  return max;
}

/** Plain topological levels: level = 1 + the highest level of a predecessor. */
function levelShape(g: IndexGraph): IShape {
  const level = new Int32Array(g.ids.length);
  const groups: number[][] = [];
  for (let v = 0; v < g.ids.length; v++) {
    let l = 0;
    for (const p of g.preds[v]) l = Math.max(l, level[p] + 1);
    level[v] = l;
    (groups[l] ??= []).push(v);
  }
  const items: IShape[] = groups.map((vs) => (vs.length === 1 ? { t: "unit", v: vs[0] } : { t: "par", branches: vs.map((v) => ({ t: "unit", v })) }));
  return items.length === 1 ? items[0] : { t: "seq", items };
}

/**
 * The least part a cut leaves, by strategy, for a set of m steps with no
 * parallel parts and no sequence cut.
 * - "cut": any part, up to LARGE_SET steps; above, 1/128 of the set. The
 *   best prefix of a large set is mostly a few steps (on random DAGs), and each
 *   cut costs O(m): peeling 10,000 steps so took some 1,200 cuts and most of
 *   the planning time. With a least part, a set takes O(128 · log m) cuts; on
 *   the bench's DAGs it also adds fewer orderings and keeps the critical path.
 * - "thirds", "quarters", "sixths": that share of the set. The best cut of the
 *   moment is shortsighted on wide DAGs: each small part peeled goes in
 *   sequence, and their lengths add up (a 1,000-step DAG whose steps read any
 *   earlier step: 6.0× its critical path peeled, 1.2× cut in quarters, 1.6× in
 *   levels). Cuts near the middle leave large parts that keep their own
 *   parallelism. Each share alone has a 90th percentile over 1.25× on wide
 *   DAGs of 1,000 steps; the best of the three is under it (bench/layout.mjs).
 *   Halves added nothing to them; eighths lowered a percentile by 0.02 at
 *   most, for another plan of the whole.
 */
export const LARGE_SET = 1024;
const LEAST_PART: Record<Exclude<Strategy, "levels" | "lookahead">, (m: number) => number> = {
  cut: (m) => (m > LARGE_SET ? Math.floor(m / 128) : 1),
  thirds: (m) => Math.floor(m / 3),
  quarters: (m) => Math.floor(m / 4),
  sixths: (m) => Math.floor(m / 6),
};
export const STRATEGIES: readonly Strategy[] = ["cut", "thirds", "quarters", "sixths", "levels", "lookahead"];

/**
 * "lookahead": at a prime set of at least a third of the scope (and 4 steps), the best cut of each
 * share is tried with both sides planned whole (in quarters), and the shortest kept, down to a
 * depth; each level costs up to four plans of its set. Depths by scope size (random DAGs, planning
 * the lookahead alone): 3 levels take 0.15–0.19 s at 1,000 steps, 2 levels 0.14–0.18 s at 2,000;
 * past 2,000 steps it is not planned (10,000 steps: 1.1–1.4 s more for a path shorter by 0.2%),
 * nor where another layout is already as short as the DAG.
 */
const LOOKAHEAD_DEPTHS: ReadonlyArray<{ upTo: number; depth: number }> = [
  { upTo: 1000, depth: 3 },
  { upTo: 2000, depth: 2 },
];
export const LOOKAHEAD_STEPS = LOOKAHEAD_DEPTHS[LOOKAHEAD_DEPTHS.length - 1].upTo;
const lookaheadDepth = (n: number) => LOOKAHEAD_DEPTHS.find((d) => n <= d.upTo)?.depth ?? 1;
const lookaheadFrom = (n: number) => Math.max(4, Math.ceil(n / 3));
/** The shares whose best cuts lookahead tries. */
const LOOKAHEAD_SHARES = ["cut", "thirds", "quarters", "sixths"] as const;

/** Which longest paths a set's nodes still have right (paths in cutShape). */
const HEAD = 1;
const TAIL = 2;

/**
 * The decomposition with the best cut at each prime set, of parts no smaller than `least` of the set's size;
 * from a prime set of `look.from` steps, `look.depth` levels deep, the cut whose two sides planned whole are shortest ("lookahead").
 */
function cutShape(g: IndexGraph, w: number[], reach: Reach, least: (m: number) => number, look = { from: Infinity, depth: 0 }): IShape {
  const n = g.ids.length;
  let lookDepth = 0;
  const mark = new Int32Array(n);
  let stamp = 0;
  const parent = new Int32Array(n);
  const mask = new Uint32Array(reach.words);
  const anc = new Int32Array(n);
  const desc = new Int32Array(n);
  const start = new Float64Array(n);
  const head = new Float64Array(n);
  const tail = new Float64Array(n);
  const after = new Float64Array(n);
  const suffix = new Float64Array(n + 1);

  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };

  /** Weakly connected components of the set (the set is convex, so these are its parallel parts), in order of first member. */
  const components = (S: number[], st: number): number[][] => {
    for (const v of S) parent[v] = v;
    for (const v of S) for (const p of g.preds[v]) if (mark[p] === st) {
      const a = find(v);
      const b = find(p);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
    // Most sets a cut leaves are connected: find that out before grouping.
    const root = find(S[0]);
    let connected = true;
    for (const v of S) if (find(v) !== root) {
      connected = false;
      break;
    }
    if (connected) return [S];
    const byRoot = new Map<number, number[]>();
    for (const v of S) {
      const r = find(v);
      const list = byRoot.get(r);
      if (list) list.push(v);
      else byRoot.set(r, [v]);
    }
    return [...byRoot.values()];
  };

  const setMask = (S: number[]): [number, number] => {
    for (const v of S) mask[v >>> 5] |= 1 << (v & 31);
    return [S[0] >>> 5, S[S.length - 1] >>> 5];
  };

  /** Ancestor and descendant counts of each node inside the set, from the bitsets. */
  const counts = (S: number[]) => {
    const [lo, hi] = setMask(S);
    for (const v of S) {
      anc[v] = reach.ancestorsIn(v, mask, lo, hi);
      desc[v] = reach.descendantsIn(v, mask, lo, hi);
    }
    mask.fill(0, lo, hi + 1);
  };

  /**
   * After a cut A | B of a set whose counts are known: A keeps its ancestor
   * counts (it is closed downwards) and B its descendant counts (closed
   * upwards); the other counts are taken again, over whichever side spans
   * fewer words.
   */
  const splitCounts = (a: number[], b: number[]) => {
    const spanA = (a[a.length - 1] >>> 5) - (a[0] >>> 5);
    const spanB = (b[b.length - 1] >>> 5) - (b[0] >>> 5);
    if (spanA <= spanB) {
      const [lo, hi] = setMask(a);
      for (const v of a) desc[v] = reach.descendantsIn(v, mask, lo, hi);
      for (const v of b) anc[v] -= reach.ancestorsIn(v, mask, lo, hi);
      mask.fill(0, lo, hi + 1);
    } else {
      const [lo, hi] = setMask(b);
      for (const v of a) desc[v] -= reach.descendantsIn(v, mask, lo, hi);
      for (const v of b) anc[v] = reach.ancestorsIn(v, mask, lo, hi);
      mask.fill(0, lo, hi + 1);
    }
  };

  /**
   * Candidate linear extensions of a set: topological, then by earliest start,
   * earliest finish, latest start and latest finish. Orders of a set restricted
   * to a part of it stay linear extensions, so a loop that cuts pieces off a
   * large set keeps its orders (reading past the nodes it cut off) and sorts
   * again only once it has shrunk by an eighth.
   */
  interface Orders {
    lists: number[][];
    sortedAt: number;
  }
  const sortOrders = (S: number[]): Orders => {
    const byKey = (key: Float64Array, sign: 1 | -1) => [...S].sort((x, y) => sign * (key[x] - key[y]) || x - y);
    return { lists: [S, byKey(start, 1), byKey(head, 1), byKey(tail, -1), byKey(after, -1)], sortedAt: S.length };
  };

  /**
   * Longest weighted paths ending at (head) and starting from (tail) each node, inside the set;
   * `known`: those still right from a larger set (HEAD for a part closed downwards, TAIL upwards).
   */
  const paths = (S: number[], st: number, known: number) => {
    if (!(known & HEAD)) for (const v of S) {
      let s = 0;
      for (const p of g.preds[v]) if (mark[p] === st && head[p] > s) s = head[p];
      start[v] = s;
      head[v] = s + w[v];
    }
    if (!(known & TAIL)) for (let i = S.length - 1; i >= 0; i--) {
      const v = S[i];
      let t = 0;
      for (const c of g.succs[v]) if (mark[c] === st && tail[c] > t) t = tail[c];
      after[v] = t;
      tail[v] = t + w[v];
    }
  };

  /** The prefix of a candidate order that gives the shortest A-then-B, then the fewest added pairs. */
  const bestCut = (S: number[], st: number, orders: Orders, leastOf: (m: number) => number = least): { a: number[]; b: number[] } => {
    const m = S.length;
    const kMin = Math.max(1, leastOf(m));
    const kMax = m - kMin;
    // `end`: the position in the order just after A's last member. Orders may still hold nodes
    // cut off earlier (mark differs): they are skipped.
    // The best so far as scalars: a record per improvement was most of this function's garbage.
    let bestLen = Infinity;
    let bestAdded = Infinity;
    let bestOrder = S;
    let bestEnd = 1;
    for (const order of orders.lists) {
      const L = order.length;
      suffix[L] = 0;
      for (let i = L - 1; i >= 0; i--) {
        const v = order[i];
        suffix[i] = mark[v] === st && tail[v] > suffix[i + 1] ? tail[v] : suffix[i + 1];
      }
      let cross = 0;
      let prefix = 0;
      let k = 0;
      for (let i = 0; i < L && k < kMax; i++) {
        const v = order[i];
        if (mark[v] !== st) continue;
        k++;
        cross += desc[v] - anc[v];
        if (head[v] > prefix) prefix = head[v];
        if (k < kMin) continue;
        const len = prefix + suffix[i + 1];
        const added = k * (m - k) - cross;
        if (len < bestLen || (len === bestLen && added < bestAdded)) {
          bestLen = len;
          bestAdded = added;
          bestOrder = order;
          bestEnd = i + 1;
        }
      }
    }
    // Both sides in topological order: sort the prefix, filter the set for the rest.
    const a: number[] = [];
    for (let i = 0; i < bestEnd; i++) if (mark[bestOrder[i]] === st) a.push(bestOrder[i]);
    a.sort((x, y) => x - y);
    const sa = ++stamp;
    for (const v of a) mark[v] = sa;
    const b = S.filter((v) => mark[v] !== sa);
    return { a, b };
  };

  /** The orders of a set for a part that keeps most of it (nodes outside the part are skipped when read). */
  const restrict = (orders: Orders | undefined, keep: number[]): Orders | undefined => {
    if (!orders || keep.length * 8 < orders.sortedAt * 7) return undefined;
    return { lists: [keep, ...orders.lists.slice(1)], sortedAt: orders.sortedAt };
  };

  // Sets are convex (a path between two members stays inside), so edges inside a set tell its order.
  // `counted`: anc/desc already hold the counts inside `set`; `known`: the paths still right for it.
  const build = (set: number[], counted: boolean, inherited?: Orders, knownPaths = 0): IShape => {
    const items: IShape[] = [];
    let S = set;
    let orders = inherited;
    let known = knownPaths;
    // The B side of a cut is taken in this loop rather than by recursion, to keep the stack shallow.
    for (;;) {
      if (S.length === 1) {
        items.push({ t: "unit", v: S[0] });
        break;
      }
      const st = ++stamp;
      for (const v of S) mark[v] = st;
      const comps = components(S, st);
      if (comps.length > 1) {
        // Comparable nodes share a component, so the counts inside a component are the set's.
        // A component that keeps most of the set keeps its orders too.
        // A component holds every path of its nodes inside the set.
        items.push({ t: "par", branches: comps.map((c) => build(c, counted, restrict(orders, c), known)) });
        break;
      }
      if (!counted) counts(S);
      counted = true;
      const m = S.length;
      const cuts: number[] = [];
      let cross = 0;
      for (let k = 1; k < m; k++) {
        cross += desc[S[k - 1]] - anc[S[k - 1]];
        if (cross === k * (m - k)) cuts.push(k);
      }
      if (cuts.length) {
        // Every node of an earlier part is an ancestor, of a later part a descendant.
        cuts.push(m);
        let from = 0;
        const parts: number[][] = [];
        for (const k of cuts) {
          const part = S.slice(from, k);
          for (const v of part) {
            anc[v] -= from;
            desc[v] -= m - k;
          }
          parts.push(part);
          from = k;
        }
        const last = parts.pop()!;
        // The first part is closed downwards, the last upwards.
        parts.forEach((part, i) => pushSeq(items, build(part, true, undefined, i === 0 ? known & HEAD : 0)));
        orders = restrict(orders, last);
        S = last;
        known &= TAIL;
        continue;
      }
      paths(S, st, known);
      orders ??= sortOrders(S);
      if (m >= look.from && lookDepth < look.depth) {
        // The best cut of the moment counts each side's longest path, which planning it may lengthen:
        // plan both sides of each share's cut (counts and paths taken again: the plans overwrite them).
        const cuts: Array<{ a: number[]; b: number[] }> = [];
        for (const share of LOOKAHEAD_SHARES) {
          for (const v of S) mark[v] = st;
          const c = bestCut(S, st, orders, LEAST_PART[share]);
          if (!cuts.some((x) => x.a.length === c.a.length && x.a.every((v, i) => v === c.a[i]))) cuts.push(c);
        }
        let best: IShape[] = [];
        let bestLen = Infinity;
        let bestPairs = Infinity;
        lookDepth++;
        for (const { a, b } of cuts) {
          const sides = [build(a, false), build(b, false)];
          const len = shapeLength(sides[0], (v) => w[v]) + shapeLength(sides[1], (v) => w[v]);
          const pairs = a.length * b.length + shapePairCount(sides[0]) + shapePairCount(sides[1]);
          if (len < bestLen || (len === bestLen && pairs < bestPairs)) {
            bestLen = len;
            bestPairs = pairs;
            best = sides;
          }
        }
        lookDepth--;
        for (const side of best) pushSeq(items, side);
        break;
      }
      const { a, b } = bestCut(S, st, orders);
      splitCounts(a, b);
      orders = restrict(orders, b);
      // A prefix of a linear extension is closed downwards: its heads stand, and the rest's tails.
      pushSeq(items, build(a, true, undefined, HEAD));
      S = b;
      known = TAIL;
    }
    return items.length === 1 ? items[0] : { t: "seq", items };
  };
  return build(Array.from({ length: n }, (_, i) => i), false);
}

function pushSeq(items: IShape[], s: IShape): void {
  if (s.t === "seq") items.push(...s.items);
  else items.push(s);
}

/** Ordered pairs a shape (or an index shape) imposes, counted without listing them. */
export function shapePairCount(shape: Shape | IShape): number {
  const rec = (s: Shape | IShape): { size: number; pairs: number } => {
    if (s.t === "unit") return { size: 1, pairs: 0 };
    const parts = (s.t === "seq" ? s.items : s.branches).map(rec);
    let size = 0;
    let pairs = 0;
    for (const p of parts) {
      if (s.t === "seq") pairs += size * p.size;
      size += p.size;
      pairs += p.pairs;
    }
    return { size, pairs };
  };
  return rec(shape).pairs;
}

/** First and last units of a shape (its minimal and maximal elements). */
function ends(s: Shape, which: "first" | "last"): string[] {
  if (s.t === "unit") return [s.id];
  if (s.t === "par") return s.branches.flatMap((b) => ends(b, which));
  if (s.items.length === 0) return [];
  return ends(s.items[which === "first" ? 0 : s.items.length - 1], which);
}

/** For each sequence, the edges from the last units of each part to the first units of the next: they generate the shape's order. */
export function boundaryEdges(shape: Shape): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const rec = (s: Shape): void => {
    if (s.t === "unit") return;
    const parts = s.t === "seq" ? s.items : s.branches;
    parts.forEach(rec);
    if (s.t !== "seq") return;
    for (let i = 0; i + 1 < parts.length; i++) {
      const next = ends(parts[i + 1], "first");
      for (const a of ends(parts[i], "last")) for (const b of next) out.push([a, b]);
    }
  };
  rec(shape);
  return out;
}

/** Every ordered pair [a, b] the shape imposes (quadratic: for small shapes and tests). */
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

/** Longest weighted path through a shape: a sequence adds up, a Parallel takes its longest branch. */
export function shapeWeight(shape: Shape, weight: (id: string) => number): number {
  if (shape.t === "unit") return weight(shape.id);
  if (shape.t === "seq") return shape.items.reduce((n, x) => n + shapeWeight(x, weight), 0);
  return shape.branches.reduce((n, x) => Math.max(n, shapeWeight(x, weight)), 0);
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
