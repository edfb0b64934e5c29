/**
 * Reachability bitsets against the closure computed the plain way (a search
 * from every node), on random DAGs numbered in topological order: which node
 * comes before which, ancestors and descendants counted inside a set over a
 * window of words, and the number of comparable pairs.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Reach } from "../../src/ir/reach.js";

/** Predecessors of nodes 0..n-1, each below the node (a DAG in topological order). */
const dag = fc.integer({ min: 1, max: 90 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, (_, v) => (v === 0 ? fc.constant<number[]>([]) : fc.uniqueArray(fc.integer({ min: 0, max: v - 1 }), { maxLength: 4 })))),
);

/** below[a][b]: a comes before b. */
function closure(preds: number[][]): boolean[][] {
  const n = preds.length;
  const below = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  for (let b = 0; b < n; b++) {
    const stack = [...preds[b]];
    while (stack.length) {
      const a = stack.pop()!;
      if (below[a][b]) continue;
      below[a][b] = true;
      stack.push(...preds[a]);
    }
  }
  return below;
}

describe("Reach", () => {
  test("before, pairs, and ancestors and descendants inside a set, as the closure says", () => {
    fc.assert(
      fc.property(dag, fc.infiniteStream(fc.boolean()), (preds, coin) => {
        const n = preds.length;
        const r = new Reach(preds);
        const below = closure(preds);
        let pairs = 0;
        for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
          expect(r.before(a, b)).toBe(below[a][b]);
          if (below[a][b]) pairs++;
        }
        expect(r.pairs()).toBe(pairs);
        const inSet = Array.from({ length: n }, () => coin.next().value as boolean);
        const mask = new Uint32Array(r.words);
        inSet.forEach((x, v) => {
          if (x) mask[v >>> 5] |= 1 << (v & 31);
        });
        // Every window of words, the whole one included.
        for (let lo = 0; lo < r.words; lo++) for (let hi = lo; hi < r.words; hi++) {
          const inWindow = (u: number) => inSet[u] && u >>> 5 >= lo && u >>> 5 <= hi;
          for (let v = 0; v < n; v++) {
            let anc = 0;
            let desc = 0;
            for (let u = 0; u < n; u++) if (inWindow(u)) {
              if (below[u][v]) anc++;
              if (below[v][u]) desc++;
            }
            expect(r.ancestorsIn(v, mask, lo, hi)).toBe(anc);
            expect(r.descendantsIn(v, mask, lo, hi)).toBe(desc);
          }
        }
      }),
      { numRuns: 150, seed: 20261204 },
    );
  });
});
