/**
 * The whole-pipeline plan on the bench's random pipelines (conditions and
 * their branches included, up to 300 steps): every dependency is honoured by
 * the shape the lowering emits, and the critical path never shrinks.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { dependencies } from "../../../src/ir/graph.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { planPipeline } from "../../../backends/stepfunctions/plan.js";
import type { Shape } from "../../../backends/stepfunctions/structure.js";
// @ts-expect-error: the bench generator is plain JavaScript
import { generate } from "../../../bench/generate.mjs";

const dir = mkdtempSync(join(tmpdir(), "sfn-plan-"));
mkdirSync(join(dir, "scripts"));
writeFileSync(join(dir, "scripts", "step.py"), "print('step')\n");

/** Position path of each step in the expanded shape (a condition before its branches). */
function positions(shape: Shape, branches: Map<string, { then: Shape; else: Shape }>): Map<string, Array<[Shape["t"], number]>> {
  const out = new Map<string, Array<[Shape["t"], number]>>();
  const rec = (s: Shape, trail: Array<[Shape["t"], number]>) => {
    if (s.t === "unit") {
      const b = branches.get(s.id);
      if (!b) return void out.set(s.id, trail);
      out.set(s.id, [...trail, ["seq", 0]]);
      rec(b.then, [...trail, ["seq", 1], ["par", 0]]);
      rec(b.else, [...trail, ["seq", 1], ["par", 1]]);
      return;
    }
    (s.t === "seq" ? s.items : s.branches).forEach((x, i) => rec(x, [...trail, [s.t, i]]));
  };
  rec(shape, []);
  return out;
}

function before(pa: Array<[Shape["t"], number]>, pb: Array<[Shape["t"], number]>): boolean {
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i][1] === pb[i][1]) i++;
  return i < pa.length && i < pb.length && pa[i][0] === "seq" && pa[i][1] < pb[i][1];
}

describe("plan of random pipelines", () => {
  test("every dependency is honoured; the lowered critical path is at least the pipeline's", () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 300 }), fc.integer({ min: 1, max: 1_000_000 }), (n, seed) => {
        const r = loadYamlText(generate("random", n, seed), join(dir, "p.yaml"), dir);
        expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const p = r.pipeline!;
        const plan = planPipeline(p);
        const pos = positions(plan.shape, plan.branches);
        expect([...pos.keys()].sort()).toEqual(p.steps.map((s) => s.id).sort());
        for (const [id, ds] of dependencies(p)) for (const d of ds) expect(before(pos.get(d)!, pos.get(id)!), `${d} -> ${id}`).toBe(true);
        expect(plan.criticalPath.lowered.seconds).toBeGreaterThanOrEqual(plan.criticalPath.ir.seconds);
        expect(plan.addedPairs).toBeGreaterThanOrEqual(0);
        for (const [a, b] of plan.added) expect(before(pos.get(a)!, pos.get(b)!)).toBe(true);
      }),
      { numRuns: 15 },
    );
  });
});
