/** Property tests for the graph checks, on random DAGs written as YAML. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadYamlText } from "../../src/frontends/load.js";
import { ancestors, dependencies, findCycle, topoOrder, transitiveReduction } from "../../src/ir/graph.js";
import { MinHeap } from "../../src/util/min-heap.js";

/** A random DAG: edge i -> j only for i < j (so acyclic by construction). */
const dag = fc.integer({ min: 2, max: 14 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.uniqueArray(
      fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })).filter(([a, b]) => a < b),
      { selector: ([a, b]) => `${a}-${b}`, maxLength: n * 2 },
    ),
    viaData: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
  }),
);

/** Each step is a lambda; an edge is either `depends_on` or a data reference to an output. */
function yamlOf(n: number, edges: Array<[number, number]>, viaData: boolean[], extra: Array<[number, number]> = []): string {
  const lines = ["version: 1", "pipeline: g", "region: us-east-1", "artifacts: s3://bucket/p", "steps:"];
  for (let j = 0; j < n; j++) {
    const preds = edges.filter(([, b]) => b === j).map(([a]) => a);
    const data = preds.filter((_, k) => viaData[(j * 7 + k) % 64]);
    const explicit = [...preds.filter((p) => !data.includes(p)), ...extra.filter(([, b]) => b === j).map(([a]) => a)];
    lines.push(`  s${j}:`, "    type: lambda", "    function: arn:aws:lambda:us-east-1:111122223333:function:f", "    outputs: { r: string }");
    if (explicit.length) lines.push(`    depends_on: [${explicit.map((p) => `s${p}`).join(", ")}]`);
    if (data.length) {
      lines.push("    payload:");
      for (const p of data) lines.push(`      from_${p}: \${{ steps.s${p}.outputs.r }}`);
    }
  }
  return lines.join("\n") + "\n";
}

describe("graph checks on random DAGs", () => {
  it("accepts every DAG, and its order respects every edge", () => {
    fc.assert(
      fc.property(dag, ({ n, edges, viaData }) => {
        const r = loadYamlText(yamlOf(n, edges, viaData), "g.yaml", "/");
        expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const deps = dependencies(r.pipeline!);
        for (const [a, b] of edges) expect(deps.get(`s${b}`)).toContain(`s${a}`);
        const order = topoOrder(deps);
        expect(order).toHaveLength(n);
        const rank = new Map(order.map((id, i) => [id, i]));
        for (const [a, b] of edges) expect(rank.get(`s${a}`)!).toBeLessThan(rank.get(`s${b}`)!);
      }),
      { numRuns: 150 },
    );
  });

  it("topological order: of the steps ready, the first in source order goes first (the waiting list sorted before each take)", () => {
    // Keys in a shuffled source order, so ties are broken by it and not by the node numbers.
    const shuffled = dag.chain((g) => fc.shuffledSubarray([...Array(g.n).keys()], { minLength: g.n, maxLength: g.n }).map((keys) => ({ ...g, keys })));
    fc.assert(
      fc.property(shuffled, ({ edges, keys }) => {
        const deps = new Map<string, string[]>(keys.map((j) => [`s${j}`, edges.filter(([, b]) => b === j).map(([a]) => `s${a}`)]));
        const ids = [...deps.keys()];
        const done = new Set<string>();
        const expected: string[] = [];
        while (expected.length < ids.length) {
          const next = ids.find((id) => !done.has(id) && deps.get(id)!.every((d) => done.has(d)))!;
          done.add(next);
          expected.push(next);
        }
        expect(topoOrder(deps)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("the heap gives back what it holds, smallest first", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant(null)), { maxLength: 80 }), (ops) => {
        // A number is put in; null takes the smallest out.
        const heap = new MinHeap();
        const held: number[] = [];
        for (const op of ops) {
          if (op === null) {
            held.sort((a, b) => a - b);
            expect(heap.pop()).toBe(held.shift());
          } else {
            heap.push(op);
            held.push(op);
          }
          expect(heap.size).toBe(held.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a DAG with any back edge, printing a real cycle", () => {
    fc.assert(
      fc.property(
        dag.filter(({ edges }) => edges.length > 0),
        fc.nat(),
        ({ n, edges, viaData }, pick) => {
          // Close a cycle: from the target of some edge back to a node that reaches it.
          const [a, b] = edges[pick % edges.length];
          const withBack: Array<[number, number]> = [...edges, [b, a]];
          const text = yamlOf(n, edges, viaData, [[b, a]]);
          const r = loadYamlText(text, "g.yaml", "/");
          const cycleErrors = r.diagnostics.filter((d) => d.code === "cycle");
          expect(cycleErrors).toHaveLength(1);
          const ids = cycleErrors[0].message.replace("dependency cycle: ", "").split(" -> ");
          expect(ids[0]).toBe(ids[ids.length - 1]);
          const edgeSet = new Set(withBack.map(([x, y]) => `s${x}>s${y}`));
          for (let k = 0; k + 1 < ids.length; k++) expect(edgeSet.has(`${ids[k]}>${ids[k + 1]}`)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("finds a cycle through a chain of 20,000 steps written last step first (as deep as it is long)", () => {
    const n = 20_000;
    const deps = new Map<string, string[]>();
    for (let i = n - 1; i >= 0; i--) deps.set(`s${i}`, i > 0 ? [`s${i - 1}`] : []);
    expect(findCycle(deps)).toBeUndefined();
    // s0 waits for the last step: the cycle is every step, printed from where the walk met it again.
    deps.set("s0", [`s${n - 1}`]);
    const cycle = findCycle(deps)!;
    expect(cycle).toHaveLength(n + 1);
    expect(cycle[0]).toBe(cycle[n]);
    for (let k = 0; k < n; k++) expect(deps.get(cycle[k + 1])).toEqual([cycle[k]]);
  });

  it("transitive reduction keeps exactly the same reachability", () => {
    fc.assert(
      fc.property(dag, ({ n, edges }) => {
        const deps = new Map<string, string[]>();
        for (let j = 0; j < n; j++) deps.set(`s${j}`, edges.filter(([, b]) => b === j).map(([a]) => `s${a}`));
        const reduced = transitiveReduction(deps);
        expect(findCycle(deps)).toBeUndefined();
        const before = ancestors(deps);
        const after = ancestors(reduced);
        // The bitset ancestors are the steps a walk back from each step reaches.
        const walkBack = (id: string, seen = new Set<string>()): Set<string> => {
          for (const d of deps.get(id) ?? []) if (!seen.has(d)) walkBack(d, seen.add(d));
          return seen;
        };
        for (const id of deps.keys()) {
          const reached = walkBack(id);
          for (const o of deps.keys()) expect([id, o, before.get(id)!.has(o)]).toEqual([id, o, reached.has(o)]);
        }
        // Every pair ordered before is ordered after, and no other.
        for (const id of deps.keys()) for (const o of deps.keys()) expect([id, o, after.get(id)!.has(o)]).toEqual([id, o, before.get(id)!.has(o)]);
        // Minimal: removing any kept edge loses reachability.
        for (const [id, ds] of reduced) {
          for (const d of ds) {
            const without = new Map(reduced);
            without.set(id, ds.filter((x) => x !== d));
            expect(ancestors(without).get(id)!.has(d)).toBe(false);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
