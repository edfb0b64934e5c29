/**
 * Task groups (groups.ts), on random task lists made of copy-like ids and
 * nested branch memberships: every group keeps Airflow's rules (one namespace
 * with the task ids, the group key pattern), groups nest properly, a branch's
 * group holds all its tasks (its inner branches' too), a copies' group is a
 * run `<s>_0`, `<s>_1`, … inside one group; and no group that could be made is
 * left out.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { branchRunsOrder, taskGroups } from "../../../backends/airflow/groups.js";

const stem = fc.constantFrom("fan", "a", "a_0", "x-y", "x.y", "g_then", "_", "");
const id = fc.oneof(
  stem.filter((s) => s !== ""),
  fc.tuple(stem, fc.nat({ max: 3 })).map(([s, n]) => `${s}_${n}`),
  stem.map((s) => `${s}.upstream_join_id`),
);
/** The branches a task's step is in, outermost first: `h_then` is a branch inside `g_then`. */
const branches = fc.constantFrom<readonly string[]>([], ["g_then"], ["g_then", "h_then"], ["g_then", "h_else"], ["g_else"], ["fan"], ["x.y_then"]);
/** Tasks in file order, each task id once (Airflow refuses a duplicate). */
const tasks = fc.uniqueArray(fc.record({ taskId: id, branches }), { maxLength: 14, selector: (t) => t.taskId });
const groupKey = /^[A-Za-z0-9_-]{1,200}$/;
const joinIds = (g: string) => [`${g}.upstream_join_id`, `${g}.downstream_join_id`];
const inside = (a: { from: number; to: number }, b: { from: number; to: number }) => a.from >= b.from && a.to <= b.to;

describe("task groups", () => {
  it("keep Airflow's rules, nest properly, and hold a whole branch or a run of copies in one group", () => {
    fc.assert(
      fc.property(tasks, (ts) => {
        const taken = new Set(ts.map((t) => t.taskId));
        const groups = taskGroups(ts);
        const ids = groups.map((g) => g.id);
        expect(new Set(ids).size).toBe(ids.length);
        groups.forEach((g, n) => {
          expect(g.id).toMatch(groupKey);
          for (const clash of [g.id, ...joinIds(g.id)]) expect(taken.has(clash)).toBe(false);
          expect(g.to - g.from).toBeGreaterThanOrEqual(2);
          // In file order; any two are apart or one inside the other; depth counts the groups around it.
          if (n) expect(g.from).toBeGreaterThanOrEqual(groups[n - 1].from);
          for (const o of groups) if (o !== g) expect(o.to <= g.from || o.from >= g.to || inside(o, g) || inside(g, o)).toBe(true);
          expect(g.depth).toBe(groups.slice(0, n).filter((o) => inside(g, o)).length);
          const members = ts.slice(g.from, g.to);
          // Every task of the branch (inner branches included) and only those, or else a run of copies.
          const isBranch = members.every((t) => t.branches.includes(g.id)) && ts.filter((t) => t.branches.includes(g.id)).length === members.length;
          if (!isBranch) {
            expect(members.map((t) => t.taskId)).toEqual(members.map((_, k) => `${g.id}_${k}`));
            // No group starts or ends inside a run of copies.
            for (const o of groups) if (o !== g) expect(o.to <= g.from || o.from >= g.to || inside(g, o)).toBe(true);
          }
        });
      }),
      { numRuns: 3000, seed: 20261204 },
    );
  });

  it("leaves out no branch that is one run of two or more tasks and can name a group", () => {
    fc.assert(
      fc.property(tasks, (ts) => {
        const taken = new Set(ts.map((t) => t.taskId));
        const grouped = new Set(taskGroups(ts).map((g) => g.id));
        for (const b of new Set(ts.flatMap((t) => t.branches))) {
          const at = ts.flatMap((t, i) => (t.branches.includes(b) ? [i] : []));
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
    const t = (taskId: string, ...branches: string[]) => ({ taskId, branches });
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
    // A condition inside a branch: its branch is a group inside the outer one.
    expect(taskGroups([t("outer"), t("a", "outer_then"), t("inner", "outer_then"), t("b", "outer_then", "inner_then"), t("c", "outer_then", "inner_then"), t("d", "outer_then")])).toEqual([
      { id: "outer_then", from: 1, to: 6, depth: 0 },
      { id: "inner_then", from: 3, to: 5, depth: 1 },
    ]);
  });

  it("branchRunsOrder writes every branch's tasks as one run, moving a task only up to its branch", () => {
    const lists = fc.array(branches, { maxLength: 16 });
    fc.assert(
      fc.property(lists, (bs) => {
        const order = branchRunsOrder(bs);
        expect([...order].sort((a, b) => a - b)).toEqual(bs.map((_, i) => i));
        const after = order.map((i) => bs[i]);
        // Each branch one run: what taskGroups needs to make its group.
        for (const b of new Set(bs.flat())) {
          const at = after.flatMap((x, i) => (x.includes(b) ? [i] : []));
          expect(at[at.length - 1] - at[0] + 1).toBe(at.length);
        }
        // Tasks in the same branches keep their order; a branch's run starts where its first task was first reached.
        for (let i = 0; i < order.length; i++) for (let j = i + 1; j < order.length; j++) if (bs[order[i]].join() === bs[order[j]].join()) expect(order[i]).toBeLessThan(order[j]);
        // Already one run each: nothing moves.
        expect(branchRunsOrder(after)).toEqual(after.map((_, i) => i));
      }),
      { numRuns: 3000, seed: 20261204 },
    );
  });
});
