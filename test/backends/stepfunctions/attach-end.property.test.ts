/**
 * A fail step nothing waits for is added to a planned layout right after the
 * steps it waits for (plan.ts attachEnd): on random DAGs, it comes after each of
 * them, last in its sequence, and the order between all other steps is exactly
 * what it was (it delays and orders nothing).
 */
import fc from "fast-check";
import { expect, test } from "vitest";
import { attachEnd } from "../../../backends/stepfunctions/plan.js";
import { seriesParallel, type Shape } from "../../../backends/stepfunctions/structure.js";

type Trail = Array<[Shape["t"], number]>;

function positions(shape: Shape): Map<string, Trail> {
  const out = new Map<string, Trail>();
  const rec = (s: Shape, trail: Trail) => {
    if (s.t === "unit") return void out.set(s.id, trail);
    (s.t === "seq" ? s.items : s.branches).forEach((x, i) => rec(x, [...trail, [s.t, i]]));
  };
  rec(shape, []);
  return out;
}

/** Whether the shape runs `a` before `b`: they part in a sequence, `a`'s item first. */
function before(pa: Trail, pb: Trail): boolean {
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i][1] === pb[i][1] && pa[i][0] === pb[i][0]) i++;
  return i < pa.length && i < pb.length && pa[i][0] === "seq" && pa[i][1] < pb[i][1];
}

/** Whether `id` is an item of a sequence with items after it (a Parallel holding it may be followed: it fails when `id` does). */
function goesOn(s: Shape, id: string): boolean {
  if (s.t === "unit") return false;
  if (s.t === "par") return s.branches.some((b) => goesOn(b, id));
  return s.items.some((x, i) => (x.t === "unit" && x.id === id && i < s.items.length - 1) || goesOn(x, id));
}

/** No sequence directly inside a sequence, no Parallel directly inside a Parallel, none of one item. */
function canonical(s: Shape): boolean {
  if (s.t === "unit") return true;
  const parts = s.t === "seq" ? s.items : s.branches;
  return parts.length > 1 && parts.every((x) => x.t !== s.t && canonical(x));
}

const dagArb = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.tuple(
    fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j), { maxLength: Math.min(i, 3) }))),
    fc.array(fc.subarray(Array.from({ length: n }, (_, j) => j), { maxLength: Math.min(n, 3) }), { minLength: 1, maxLength: 3 }),
  ),
);

test("random layouts: each end after what it waits for, last in its sequence, and every other order unchanged", () => {
  fc.assert(
    fc.property(dagArb, ([preds, ends]) => {
      const ids = preds.map((_, i) => `s${i}`);
      const deps = new Map(ids.map((id, i) => [id, preds[i].map((j) => ids[j])]));
      let shape = seriesParallel(ids, deps).shape;
      const was = positions(shape);
      ends.forEach((waits, k) => (shape = attachEnd(shape, `f${k}`, new Set(waits.map((j) => ids[j])))));
      const now = positions(shape);
      expect(canonical(shape) || shape.t === "unit").toBe(true);
      for (const a of ids) for (const b of ids) expect(before(now.get(a)!, now.get(b)!), `${a} ${b}`).toBe(before(was.get(a)!, was.get(b)!));
      ends.forEach((waits, k) => {
        const f = now.get(`f${k}`)!;
        for (const j of waits) expect(before(now.get(ids[j])!, f), `${ids[j]} before f${k}`).toBe(true);
        expect(goesOn(shape, `f${k}`), `a sequence goes on after f${k}`).toBe(false);
      });
    }),
    { numRuns: 400, seed: 20261203 },
  );
});
