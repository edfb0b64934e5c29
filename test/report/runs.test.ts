/**
 * Runs a month from a five-field cron, counted over the fixed window
 * 2026-01-01T00:00Z + 30 days (no clock): expected counts read off a calendar
 * (2026-01-01 is a Thursday).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/ir/types.js";
import { runsPerMonth } from "../../src/report/runs.js";

const pos = { file: "t.yaml", line: 1, col: 1 };
function pipeline(cron?: string, timezone?: string, enabled?: boolean): Pipeline {
  return {
    version: 1, name: "p", region: "us-east-1", artifacts: "s3://b/p", parameters: [], defaults: {}, steps: [], targets: {},
    source: { file: "t.yaml", format: "yaml" }, pos,
    ...(cron ? { schedule: { cron, pos, ...(timezone ? { timezone } : {}), ...(enabled === undefined ? {} : { enabled }) } } : {}),
  };
}

describe("runs a month", () => {
  it.each([
    ["0 6 * * 1", 4], // Mondays: Jan 5, 12, 19, 26
    ["0 6 * * 4", 5], // Thursdays: Jan 1, 8, 15, 22, 29
    ["30 2 * * *", 30],
    ["0 9 * * 1-5", 22], // Jan 1-2, then four full weeks Jan 5-30
    ["0 0 1 * *", 1],
    ["*/15 * * * *", 30 * 24 * 4],
    ["0 */6 * * *", 30 * 4],
    ["0 12 1,15 * *", 2],
  ])("%s -> %i", (cron, n) => {
    expect(runsPerMonth(pipeline(cron), undefined)).toMatchObject({ value: n, basis: "schedule" });
  });

  it("evaluates the cron in the schedule's time zone", () => {
    // Thursday 06:00 at UTC+14 is Wednesday 16:00 UTC: Jan 7, 14, 21, 28 (Dec 31 is before the window).
    const r = runsPerMonth(pipeline("0 6 * * 4", "Pacific/Kiritimati"), undefined);
    expect(r.value).toBe(4);
    expect(r.note).toContain("Pacific/Kiritimati");
  });

  it("the flag wins over the schedule; without either, one run is assumed and said", () => {
    expect(runsPerMonth(pipeline("30 2 * * *"), 7)).toMatchObject({ value: 7, basis: "flag" });
    expect(runsPerMonth(pipeline(), undefined)).toEqual({ value: 1, basis: "assumed", note: "1 run a month assumed (no schedule; give --runs-per-month)" });
    expect(runsPerMonth(pipeline("30 2 * * *", undefined, false), undefined)).toMatchObject({ value: 1, basis: "assumed" });
  });

  it("any daily schedule runs 30 times; every n minutes runs 43200 / n times", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 23 }), (m, h) => runsPerMonth(pipeline(`${m} ${h} * * *`), undefined).value === 30),
      { numRuns: 40 },
    );
    for (const n of [1, 2, 5, 10, 20, 30]) expect(runsPerMonth(pipeline(`*/${n} * * * *`), undefined).value).toBe(43200 / n);
  });
});
