/**
 * The concurrency plan on generated DAGs: every dependency is kept; a
 * series-parallel DAG gets no ordering it did not have; and lowered machines
 * of random lambda DAGs, executed locally, start no step before its
 * dependencies finish.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ancestors } from "../../../src/ir/graph.js";
import { LARGE_SET, LOOKAHEAD_STEPS, seriesParallel, shapePairs, STRATEGIES, type Shape, type Strategy } from "../../../backends/stepfunctions/structure.js";
import { aslValidator, lower, run, yaml } from "./support.js";
import { lambdaInvoke } from "./services.js";

/** A random DAG: node i may depend on any j < i. */
const dagArb = (max: number) =>
  fc.integer({ min: 1, max }).chain((n) =>
    fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }).map((m) => {
      const ids = Array.from({ length: n }, (_, i) => `s${i}`);
      const deps = new Map(ids.map((id, i) => [id, ids.filter((_, j) => j < i && m[i][j])]));
      return { ids, deps };
    }),
  );

/** A random series-parallel DAG, built by series and parallel composition. */
type SP = { t: "leaf" } | { t: "s" | "p"; a: SP; b: SP };
const spArb: fc.Arbitrary<SP> = fc.letrec<{ sp: SP }>((tie) => ({
  sp: fc.oneof({ maxDepth: 5, depthIdentifier: "sp" }, fc.constant<SP>({ t: "leaf" }), fc.record({ t: fc.constantFrom<"s" | "p">("s", "p"), a: tie("sp"), b: tie("sp") })),
})).sp;

function spDag(sp: SP): { ids: string[]; deps: Map<string, string[]> } {
  const ids: string[] = [];
  const deps = new Map<string, string[]>();
  // Returns [sources, sinks] of the composed part.
  const build = (x: SP): [string[], string[]] => {
    if (x.t === "leaf") {
      const id = `n${ids.length}`;
      ids.push(id);
      deps.set(id, []);
      return [[id], [id]];
    }
    const [as, ak] = build(x.a);
    const [bs, bk] = build(x.b);
    if (x.t === "p") return [[...as, ...bs], [...ak, ...bk]];
    for (const s of bs) deps.get(s)!.push(...ak);
    return [as, bk];
  };
  build(sp);
  return { ids, deps };
}

function closure(ids: string[], deps: Map<string, string[]>): Set<string> {
  const anc = ancestors(new Map(ids.map((id) => [id, deps.get(id)!])));
  const out = new Set<string>();
  for (const [id, as] of anc) for (const a of as) out.add(`${a}>${id}`);
  return out;
}

function units(s: Shape): string[] {
  return s.t === "unit" ? [s.id] : (s.t === "seq" ? s.items : s.branches).flatMap(units);
}

/**
 * A random DAG: up to `max` nodes, each with at most `most` predecessors among any of the earlier
 * ones, and weights of 0 to 3,600 s. With 7 it is dense; with 3, wide (many steps read no other).
 */
const randomDagArb = (max: number, most: number) =>
  fc.integer({ min: 1, max }).chain((n) =>
    fc.tuple(
      fc.array(fc.array(fc.nat(), { maxLength: most }), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min: 0, max: 3600 }), { minLength: n, maxLength: n }),
    ).map(([picks, secs]) => {
      const ids = Array.from({ length: n }, (_, i) => `s${i}`);
      const deps = new Map(ids.map((id, i) => [id, i === 0 ? [] : [...new Set(picks[i].map((x) => ids[x % i]))]]));
      const weight = new Map(ids.map((id, i) => [id, secs[i]]));
      return { ids, deps, weight: (id: string) => weight.get(id)! };
    }),
  );

/** Whether the shape runs a before b: their lowest common part is a sequence with a's item first. */
function precedes(shape: Shape): (a: string, b: string) => boolean {
  const path = new Map<string, Array<[Shape, number]>>();
  const rec = (s: Shape, trail: Array<[Shape, number]>) => {
    if (s.t === "unit") path.set(s.id, trail);
    else (s.t === "seq" ? s.items : s.branches).forEach((x, i) => rec(x, [...trail, [s, i]]));
  };
  rec(shape, []);
  return (a, b) => {
    const pa = path.get(a)!;
    const pb = path.get(b)!;
    let i = 0;
    while (i < pa.length && i < pb.length && pa[i][1] === pb[i][1]) i++;
    return i < pa.length && i < pb.length && pa[i][0].t === "seq" && pa[i][1] < pb[i][1];
  };
}

/** Longest weighted path of a DAG. */
function dagLength(ids: string[], deps: Map<string, string[]>, weight: (id: string) => number): number {
  const end = new Map<string, number>();
  for (const id of ids) end.set(id, Math.max(0, ...deps.get(id)!.map((d) => end.get(d)!)) + weight(id));
  return Math.max(0, ...end.values());
}

describe("series-parallel plan", () => {
  test("every unit appears once and every dependency is ordered; added edges generate exactly the extra pairs", () => {
    fc.assert(
      fc.property(dagArb(9), ({ ids, deps }) => {
        const { shape, added, addedPairs } = seriesParallel(ids, deps);
        expect([...units(shape)].sort()).toEqual([...ids].sort());
        const imposed = new Set(shapePairs(shape).map(([a, b]) => `${a}>${b}`));
        const needed = closure(ids, deps);
        for (const pair of needed) expect(imposed.has(pair)).toBe(true);
        const extra = [...imposed].filter((x) => !needed.has(x));
        expect(addedPairs).toBe(extra.length);
        for (const [a, b] of added) expect(extra).toContain(`${a}>${b}`);
        const withAdded = new Map(ids.map((id) => [id, [...deps.get(id)!, ...added.filter(([, b]) => b === id).map(([a]) => a)]]));
        expect(closure(ids, withAdded)).toEqual(imposed);
      }),
      { numRuns: 300 },
    );
  });

  test("random DAGs up to 300 steps: every dependency honoured, never longer than plain topological levels", () => {
    fc.assert(
      fc.property(randomDagArb(300, 7), ({ ids, deps, weight }) => {
        const best = seriesParallel(ids, deps, weight);
        const levels = seriesParallel(ids, deps, weight, "levels");
        expect([...units(best.shape)].sort()).toEqual([...ids].sort());
        const before = precedes(best.shape);
        for (const id of ids) for (const d of deps.get(id)!) expect(before(d, id)).toBe(true);
        expect(best.length).toBeGreaterThanOrEqual(dagLength(ids, deps, weight));
        expect(best.length <= levels.length).toBe(true);
        if (best.length === levels.length) expect(best.addedPairs).toBeLessThanOrEqual(levels.addedPairs);
      }),
      { numRuns: 60 },
    );
  });

  test(`DAGs of more than ${LARGE_SET} steps, cut into parts of some size: every dependency honoured, never longer than levels, the critical path kept at equal weights`, () => {
    // Shaped like the bench's: each step reads up to 7 of the 50 steps before it, so no series cut or
    // parallel split takes the set under the size where parts may be of any size.
    const bigDag = fc.record({ seed: fc.integer({ min: 1, max: 2 ** 30 }), n: fc.integer({ min: 2 * LARGE_SET, max: 3 * LARGE_SET }) }).map(({ seed, n }) => {
      let x = seed;
      const rand = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
      const ids = Array.from({ length: n }, (_, i) => `s${i}`);
      const deps = new Map(ids.map((id, i) => [id, i === 0 ? [] : [...new Set(Array.from({ length: Math.floor(rand() * 8) }, () => ids[i - 1 - Math.floor(rand() * Math.min(50, i))]))]]));
      const secs = new Map(ids.map((id) => [id, Math.floor(rand() * 3601)]));
      return { ids, deps, weight: (id: string) => secs.get(id)! };
    });
    fc.assert(
      fc.property(bigDag, ({ ids, deps, weight }) => {
        const cut = seriesParallel(ids, deps, weight, "cut");
        expect([...units(cut.shape)].sort()).toEqual([...ids].sort());
        const before = precedes(cut.shape);
        for (const id of ids) for (const d of deps.get(id)!) expect(before(d, id)).toBe(true);
        expect(cut.length).toBeGreaterThanOrEqual(dagLength(ids, deps, weight));
        expect(cut.length).toBeLessThanOrEqual(seriesParallel(ids, deps, weight, "levels").length);
        expect(seriesParallel(ids, deps, () => 1, "cut").length).toBe(dagLength(ids, deps, () => 1));
      }),
      { numRuns: 3 },
    );
  });

  test("wide random DAGs up to 300 steps: every dependency honoured, the best of the layouts kept", () => {
    fc.assert(
      fc.property(randomDagArb(300, 3), ({ ids, deps, weight }) => {
        const best = seriesParallel(ids, deps, weight);
        expect([...units(best.shape)].sort()).toEqual([...ids].sort());
        const before = precedes(best.shape);
        for (const id of ids) for (const d of deps.get(id)!) expect(before(d, id)).toBe(true);
        expect(best.length).toBeGreaterThanOrEqual(dagLength(ids, deps, weight));
        for (const one of STRATEGIES) expect(best.length).toBeLessThanOrEqual(seriesParallel(ids, deps, weight, one).length);
      }),
      { numRuns: 100 },
    );
  });

  test("lookahead is never longer than quarters, and honours every dependency", () => {
    // Quarters' cut is among those lookahead tries, and each side it plans is planned at least as well.
    let shorter = 0;
    fc.assert(
      fc.property(randomDagArb(120, 3), ({ ids, deps, weight }) => {
        const look = seriesParallel(ids, deps, weight, "lookahead");
        const quarters = seriesParallel(ids, deps, weight, "quarters");
        expect(look.length).toBeLessThanOrEqual(quarters.length);
        if (look.length < quarters.length) shorter++;
        expect([...units(look.shape)].sort()).toEqual([...ids].sort());
        const before = precedes(look.shape);
        for (const id of ids) for (const d of deps.get(id)!) expect(before(d, id)).toBe(true);
      }),
      { numRuns: 150 },
    );
    // It does find shorter layouts (a third of small random DAGs, bench/layout.mjs).
    expect(shorter).toBeGreaterThan(0);
  });

  test("the best cut of the moment is shortsighted where cuts into larger parts are not", () => {
    // a(3) -> b(1) -> e(4), b -> h(1); c(1) -> f(3), c -> i(4); d(2) -> f, d -> h. The DAG's critical path: a, b, e = 8.
    const deps = new Map([["a", []], ["b", ["a"]], ["c", []], ["d", []], ["e", ["b"]], ["f", ["c", "d"]], ["h", ["d", "b"]], ["i", ["c"]]]);
    const secs = new Map([["a", 3], ["b", 1], ["c", 1], ["d", 2], ["e", 4], ["f", 3], ["h", 1], ["i", 4]]);
    const ids = [...deps.keys()];
    const plan = (only?: Strategy) => seriesParallel(ids, deps, (id) => secs.get(id)!, only);
    // Peeling a, then b: a, b, then (c, then (d, then f | h) | i) | e = 3 + 1 + max(1 + max(2 + 3, 4), 4) = 10.
    expect(plan("cut").length).toBe(10);
    // Levels a|c|d, b|f|i, e|h = 3 + 4 + 4 = 11.
    expect(plan("levels").length).toBe(11);
    // Two of the eight first: a | c, then (b, then (d, then f | h) | e) | i = 3 + max(1 + max(2 + 3, 4), 4) = 9.
    const best = plan();
    // Thirds and quarters of 8 both leave parts of 2 at least: the first listed is kept.
    expect(best.strategy).toBe("thirds");
    expect(plan("quarters").length).toBe(9);
    expect(best.length).toBe(9);
    const seq = (...items: Shape[]): Shape => ({ t: "seq", items });
    const par = (...branches: Shape[]): Shape => ({ t: "par", branches });
    const u = (id: string): Shape => ({ t: "unit", id });
    expect(best.shape).toEqual(seq(par(u("a"), u("c")), par(seq(u("b"), par(seq(u("d"), par(u("f"), u("h"))), u("e"))), u("i"))));
  });

  test("planning both sides of a cut finds what the best cut of the moment misses", () => {
    // a(2) -> b(2) -> j(5), b -> i(3) -> l(2), b -> f(3), c(2) -> f, c -> l, a -> d(1). The DAG's critical path: a, b, j = 9.
    const deps = new Map([["a", []], ["b", ["a"]], ["c", []], ["d", ["a"]], ["f", ["b", "c"]], ["i", ["b"]], ["j", ["b"]], ["l", ["c", "i"]]]);
    const secs = new Map([["a", 2], ["b", 2], ["c", 2], ["d", 1], ["f", 3], ["i", 3], ["j", 5], ["l", 2]]);
    const ids = [...deps.keys()];
    const plan = (only?: Strategy) => seriesParallel(ids, deps, (id) => secs.get(id)!, only);
    // After a, the set {b, c, f, i, j, l} cut after b or after {b, c} both count 2 + 5 = 7; b alone adds fewer
    // pairs, but then {c, f, i, l} must be cut again: c | i, then f | l = 3 + 3. a, b, ... = 2 + 2 + 6 = 10.
    for (const one of ["cut", "thirds", "quarters", "sixths"] as const) expect(plan(one).length).toBe(10);
    // Levels a|c, b|d, f|i|j, l = 2 + 2 + 5 + 2 = 11.
    expect(plan("levels").length).toBe(11);
    // Planning both sides: after {b, c}, f | (i, l) | j is series-parallel: a, then ((b | c), then f | (i, l) | j) | d = 2 + 2 + 5 = 9.
    const best = plan();
    expect(best.strategy).toBe("lookahead");
    expect(best.length).toBe(9);
    const seq = (...items: Shape[]): Shape => ({ t: "seq", items });
    const par = (...branches: Shape[]): Shape => ({ t: "par", branches });
    const u = (id: string): Shape => ({ t: "unit", id });
    expect(best.shape).toEqual(seq(u("a"), par(seq(par(u("b"), u("c")), par(u("f"), seq(u("i"), u("l")), u("j"))), u("d"))));
  });

  test("with equal weights the plan keeps the DAG's critical path", () => {
    fc.assert(
      fc.property(randomDagArb(300, 7), ({ ids, deps }) => {
        const r = seriesParallel(ids, deps, () => 1, "cut");
        expect(r.length).toBe(dagLength(ids, deps, () => 1));
      }),
      { numRuns: 60 },
    );
  });

  test("past LOOKAHEAD_STEPS, the first layout as short as the DAG is kept: the other layouts are not planned", () => {
    // A wide random DAG of 2,500 steps (at most 3 inputs each, from any earlier step), made by a fixed LCG.
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const n = LOOKAHEAD_STEPS + 500;
    const ids = Array.from({ length: n }, (_, i) => `s${i}`);
    const deps = new Map(ids.map((id, i) => [id, i === 0 ? [] : [...new Set(Array.from({ length: Math.floor(rnd() * 4) }, () => ids[Math.floor(rnd() * i)]))]]));
    const floor = dagLength(ids, deps, () => 1);
    const cut = seriesParallel(ids, deps, () => 1, "cut");
    const sixths = seriesParallel(ids, deps, () => 1, "sixths");
    // Both are as short as the DAG; sixths adds fewer pairs, so a search of every layout would keep it.
    expect([cut.length, sixths.length]).toEqual([floor, floor]);
    expect(sixths.addedPairs).toBeLessThan(cut.addedPairs);
    const best = seriesParallel(ids, deps);
    expect(best.strategy).toBe("cut");
    expect(best.shape).toEqual(cut.shape);
    expect(best.length).toBe(floor);
  });

  test("a series-parallel DAG gets no added ordering", () => {
    fc.assert(
      fc.property(spArb, (sp) => {
        const { ids, deps } = spDag(sp);
        const { shape, added, addedPairs } = seriesParallel(ids, deps);
        expect(added).toEqual([]);
        expect(addedPairs).toBe(0);
        const imposed = new Set(shapePairs(shape).map(([a, b]) => `${a}>${b}`));
        expect(imposed).toEqual(closure(ids, deps));
      }),
      { numRuns: 300 },
    );
  });

  test("the N graph (a->c, b->c, b->d) gets exactly one added ordering", () => {
    const deps = new Map([["a", []], ["b", []], ["c", ["a", "b"]], ["d", ["b"]]]);
    const { added, addedPairs, length } = seriesParallel(["a", "b", "c", "d"], deps);
    expect(added).toEqual([["a", "d"]]);
    expect(addedPairs).toBe(1);
    expect(length).toBe(2);
  });

  test("weights move the cut: a long a->c and a long b->d keep their own branches", () => {
    // a(10)->c(1), b(1)->c, b->d(10): cutting {a,b} | {c,d} costs 20; {b} | {a,c,d} and {a,b,d} | {c} cost 12.
    const deps = new Map([["a", []], ["b", []], ["c", ["a", "b"]], ["d", ["b"]]]);
    const w = new Map([["a", 10], ["b", 1], ["c", 1], ["d", 10]]);
    const r = seriesParallel(["a", "b", "c", "d"], deps, (id) => w.get(id)!);
    expect(r.length).toBe(12);
    expect(seriesParallel(["a", "b", "c", "d"], deps, (id) => w.get(id)!, "levels").length).toBe(20);
  });
});

/** A pipeline of lambda steps with the given dependencies. */
function lambdaPipeline(ids: string[], deps: Map<string, string[]>): string {
  const lines = ["version: 1", "pipeline: random", "region: us-east-1", "artifacts: s3://bucket/p", "steps:"];
  for (const id of ids) {
    lines.push(`  ${id}:`, "    type: lambda", `    function: fn-${id}`, "    outputs: { v: string }");
    const d = deps.get(id)!;
    if (d.length) {
      lines.push("    payload:");
      for (const x of d) lines.push(`      ${x}: \${{ steps.${x}.outputs.v }}`);
    }
  }
  return lines.join("\n") + "\n";
}

describe("lowered random DAGs", () => {
  test("a series-parallel pipeline compiles with no added ordering and its critical path unchanged", () => {
    fc.assert(
      fc.property(spArb, (sp) => {
        const { ids, deps } = spDag(sp);
        const { summary, diagnostics } = lower(yaml(lambdaPipeline(ids, deps)));
        expect(diagnostics).toEqual([]);
        const s = summary as { addedOrderings: string[]; criticalPath: { ir: unknown; lowered: unknown } };
        expect(s.addedOrderings).toEqual([]);
        expect(s.criticalPath.lowered).toEqual(s.criticalPath.ir);
      }),
      { numRuns: 60 },
    );
  });
});

describe("lowered random DAGs executed in aws-local-stepfunctions", () => {
  test("no step starts before its dependencies finish, and each gets its dependencies' outputs", async () => {
    await fc.assert(
      fc.asyncProperty(dagArb(7), async ({ ids, deps }) => {
        const p = yaml(lambdaPipeline(ids, deps));
        const { definition, diagnostics, summary } = lower(p);
        expect(diagnostics).toEqual([]);
        expect(aslValidator(definition).isValid).toBe(true);
        const log: string[] = [];
        const handlers = Object.fromEntries(
          ids.map((id) => [
            id,
            async (i: any) => {
              log.push(`start:${id}`);
              await new Promise((r) => setTimeout(r, 1));
              log.push(`end:${id}`);
              return lambdaInvoke(() => ({ v: `out-${id}` }))(i);
            },
          ]),
        );
        const out = await run(definition, {}, handlers);
        expect(out.status).toBe("SUCCEEDED");
        for (const id of ids) {
          for (const d of deps.get(id)!) expect(log.indexOf(`end:${d}`)).toBeLessThan(log.indexOf(`start:${id}`));
          const payload = out.inputs[id][0].Payload;
          expect(payload).toEqual(Object.fromEntries(deps.get(id)!.map((d) => [d, `out-${d}`])));
        }
        expect(Array.isArray((summary as { addedOrderings: unknown }).addedOrderings)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});
