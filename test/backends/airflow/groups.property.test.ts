/**
 * Task groups of foreach copies (groups.ts), found from task ids alone: on
 * random id lists made of stems, copy suffixes and ids that look like copies,
 * every group found keeps Airflow's rules, and no run that could be a group is
 * left out.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { copyGroups } from "../../../backends/airflow/groups.js";

const stem = fc.constantFrom("fan", "a", "a_0", "x-y", "x.y", "fan_1", "_", "");
const id = fc.oneof(
  stem.filter((s) => s !== ""),
  fc.tuple(stem, fc.nat({ max: 3 })).map(([s, n]) => `${s}_${n}`),
  stem.map((s) => `${s}.upstream_join_id`),
);
/** Task ids in file order, each once (Airflow refuses a duplicate). */
const ids = fc.uniqueArray(id, { maxLength: 14 });
const groupKey = /^[A-Za-z0-9_-]{1,200}$/;

describe("task groups of copies", () => {
  it("each group is a run `<s>_0`, `<s>_1`, ... of two or more tasks whose stem Airflow can take as a group id", () => {
    fc.assert(
      fc.property(ids, (xs) => {
        const taken = new Set(xs);
        let end = 0;
        for (const g of copyGroups(xs)) {
          expect(g.from).toBeGreaterThanOrEqual(end);
          expect(g.to - g.from).toBeGreaterThanOrEqual(2);
          expect(xs.slice(g.from, g.to)).toEqual(xs.slice(g.from, g.to).map((_, k) => `${g.id}_${k}`));
          expect(g.id).toMatch(groupKey);
          for (const clash of [g.id, `${g.id}.upstream_join_id`, `${g.id}.downstream_join_id`]) expect(taken.has(clash)).toBe(false);
          end = g.to;
        }
      }),
      { numRuns: 3000, seed: 20261204 },
    );
  });

  it("no two tasks `<s>_0`, `<s>_1` in a row with a stem that can name a group are left outside a group", () => {
    fc.assert(
      fc.property(ids, (xs) => {
        const taken = new Set(xs);
        const inGroup = new Set(copyGroups(xs).flatMap((g) => xs.slice(g.from, g.to)));
        for (let i = 0; i + 1 < xs.length; i++) {
          const s = xs[i].endsWith("_0") ? xs[i].slice(0, -2) : undefined;
          if (s === undefined || xs[i + 1] !== `${s}_1` || !groupKey.test(s)) continue;
          if (taken.has(s) || taken.has(`${s}.upstream_join_id`) || taken.has(`${s}.downstream_join_id`)) continue;
          expect(inGroup.has(xs[i])).toBe(true);
          expect(inGroup.has(xs[i + 1])).toBe(true);
        }
      }),
      { numRuns: 3000, seed: 20261204 },
    );
  });

  it("examples", () => {
    expect(copyGroups(["prep", "fan_0", "fan_1", "fan_2", "end"])).toEqual([{ id: "fan", from: 1, to: 4 }]);
    // One copy is no group; a stem that is a task's id cannot be one; dots are not allowed in group ids.
    expect(copyGroups(["fan_0", "end"])).toEqual([]);
    expect(copyGroups(["fan", "fan_0", "fan_1"])).toEqual([]);
    expect(copyGroups(["x.y_0", "x.y_1"])).toEqual([]);
    // Copies of copies group by their own stem; a run stops where the numbering does.
    expect(copyGroups(["a_0_0", "a_0_1", "a_1_0", "a_1_1", "b_0", "b_1", "b_3"])).toEqual([
      { id: "a_0", from: 0, to: 2 },
      { id: "a_1", from: 2, to: 4 },
      { id: "b", from: 4, to: 6 },
    ]);
  });
});
