/**
 * Task groups (groups.ts), on random task lists made of copy-like ids and
 * branch memberships: every group keeps Airflow's rules (one namespace with
 * the task ids, the group key pattern), groups nest properly, a branch's group
 * holds all its tasks, a copies' group is a run `<s>_0`, `<s>_1`, …; and no
 * group that could be made is left out.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { taskGroups } from "../../../backends/airflow/groups.js";

const stem = fc.constantFrom("fan", "a", "a_0", "x-y", "x.y", "g_then", "_", "");
const id = fc.oneof(
  stem.filter((s) => s !== ""),
  fc.tuple(stem, fc.nat({ max: 3 })).map(([s, n]) => `${s}_${n}`),
  stem.map((s) => `${s}.upstream_join_id`),
);
const branch = fc.option(fc.constantFrom("g_then", "g_else", "h_then", "fan", "x.y_then"), { nil: undefined });
/** Tasks in file order, each task id once (Airflow refuses a duplicate). */
const tasks = fc.uniqueArray(fc.record({ taskId: id, branch }), { maxLength: 14, selector: (t) => t.taskId });
const groupKey = /^[A-Za-z0-9_-]{1,200}$/;
const joinIds = (g: string) => [`${g}.upstream_join_id`, `${g}.downstream_join_id`];

describe("task groups", () => {
  it("keep Airflow's rules, nest properly, and hold a whole branch or a run of copies", () => {
    fc.assert(
      fc.property(tasks, (ts) => {
        const taken = new Set(ts.map((t) => t.taskId));
        const groups = taskGroups(ts);
        const ids = groups.map((g) => g.id);
        expect(new Set(ids).size).toBe(ids.length);
        let outerEnd = 0;
        let outer: { from: number; to: number } | undefined;
        for (const g of groups) {
          expect(g.id).toMatch(groupKey);
          for (const clash of [g.id, ...joinIds(g.id)]) expect(taken.has(clash)).toBe(false);
          expect(g.to - g.from).toBeGreaterThanOrEqual(2);
          if (g.depth === 0) {
            expect(g.from).toBeGreaterThanOrEqual(outerEnd);
            outerEnd = g.to;
            outer = g;
          } else {
            // Inside the last group of the DAG, and smaller than it.
            expect(outer && g.from >= outer.from && g.to <= outer.to && g.to - g.from < outer.to - outer.from).toBe(true);
          }
          const members = ts.slice(g.from, g.to);
          // Every task of the branch and only those, or else a run of copies.
          const isBranch = members.every((t) => t.branch === g.id) && ts.filter((t) => t.branch === g.id).length === members.length;
          if (!isBranch) {
            expect(members.map((t) => t.taskId)).toEqual(members.map((_, k) => `${g.id}_${k}`));
          }
        }
      }),
      { numRuns: 3000, seed: 20261204 },
    );
  });

  it("leaves out no branch that is one run of two or more tasks and can name a group", () => {
    fc.assert(
      fc.property(tasks, (ts) => {
        const taken = new Set(ts.map((t) => t.taskId));
        const grouped = new Set(taskGroups(ts).map((g) => g.id));
        for (const b of new Set(ts.map((t) => t.branch).filter((x) => x !== undefined))) {
          const at = ts.flatMap((t, i) => (t.branch === b ? [i] : []));
          const oneRun = at[at.length - 1] - at[0] + 1 === at.length;
          // Branch groups are named first: only a task id can take the name.
          if (oneRun && at.length >= 2 && groupKey.test(b) && ![b, ...joinIds(b)].some((x) => taken.has(x))) expect(grouped.has(b)).toBe(true);
        }
      }),
      { numRuns: 3000, seed: 20261204 },
    );
  });

  it("leaves out no run of copies outside every branch whose stem can name a group", () => {
    const plain = fc.uniqueArray(fc.record({ taskId: id }), { maxLength: 14, selector: (t) => t.taskId });
    fc.assert(
      fc.property(plain, (ts) => {
        const taken = new Set(ts.map((t) => t.taskId));
        const inGroup = new Set(taskGroups(ts).flatMap((g) => ts.slice(g.from, g.to).map((t) => t.taskId)));
        for (let i = 0; i + 1 < ts.length; i++) {
          const s = ts[i].taskId.endsWith("_0") ? ts[i].taskId.slice(0, -2) : undefined;
          if (s === undefined || ts[i + 1].taskId !== `${s}_1` || !groupKey.test(s) || [s, ...joinIds(s)].some((x) => taken.has(x))) continue;
          expect(inGroup.has(ts[i].taskId) && inGroup.has(ts[i + 1].taskId)).toBe(true);
        }
      }),
      { numRuns: 3000, seed: 20261204 },
    );
  });

  it("examples", () => {
    const t = (taskId: string, branch?: string) => ({ taskId, branch });
    expect(taskGroups([t("prep"), t("fan_0"), t("fan_1"), t("fan_2"), t("end")])).toEqual([{ id: "fan", from: 1, to: 4, depth: 0 }]);
    // One copy is no group; a stem that is a task's id cannot be one; dots are not allowed in group ids.
    expect(taskGroups([t("fan_0"), t("end")])).toEqual([]);
    expect(taskGroups([t("fan"), t("fan_0"), t("fan_1")])).toEqual([]);
    expect(taskGroups([t("x.y_0"), t("x.y_1")])).toEqual([]);
    // A branch's copies are a group inside the branch's group; a branch split in two runs has none.
    expect(taskGroups([t("gate"), t("fit_0", "gate_then"), t("fit_1", "gate_then"), t("score", "gate_then"), t("stop", "gate_else"), t("alarm")])).toEqual([
      { id: "gate_then", from: 1, to: 4, depth: 0 },
      { id: "fit", from: 1, to: 3, depth: 1 },
    ]);
    expect(taskGroups([t("a", "g_then"), t("b"), t("c", "g_then")])).toEqual([]);
  });
});
