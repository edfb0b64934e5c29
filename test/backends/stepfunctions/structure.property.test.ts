/**
 * The concurrency plan on generated DAGs: every dependency is kept; a
 * series-parallel DAG gets no ordering it did not have; and lowered machines
 * of random lambda DAGs, executed locally, start no step before its
 * dependencies finish.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ancestors } from "../../../src/ir/graph.js";
import { seriesParallel, shapePairs, type Shape } from "../../../backends/stepfunctions/structure.js";
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

describe("series-parallel plan", () => {
  test("every unit appears once and every dependency is ordered; added pairs are exactly the extra ones", () => {
    fc.assert(
      fc.property(dagArb(9), ({ ids, deps }) => {
        const { shape, added } = seriesParallel(ids, deps);
        expect([...units(shape)].sort()).toEqual([...ids].sort());
        const imposed = new Set(shapePairs(shape).map(([a, b]) => `${a}>${b}`));
        const needed = closure(ids, deps);
        for (const pair of needed) expect(imposed.has(pair)).toBe(true);
        const extra = [...imposed].filter((x) => !needed.has(x)).sort();
        expect(added.map(([a, b]) => `${a}>${b}`).sort()).toEqual(extra);
      }),
      { numRuns: 300 },
    );
  });

  test("a series-parallel DAG gets no added ordering", () => {
    fc.assert(
      fc.property(spArb, (sp) => {
        const { ids, deps } = spDag(sp);
        const { shape, added } = seriesParallel(ids, deps);
        expect(added).toEqual([]);
        const imposed = new Set(shapePairs(shape).map(([a, b]) => `${a}>${b}`));
        expect(imposed).toEqual(closure(ids, deps));
      }),
      { numRuns: 300 },
    );
  });

  test("the N graph (a->c, b->c, b->d) gets exactly one added ordering", () => {
    const deps = new Map([["a", []], ["b", []], ["c", ["a", "b"]], ["d", ["b"]]]);
    const { added } = seriesParallel(["a", "b", "c", "d"], deps);
    expect(added).toEqual([["a", "d"]]);
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
