/**
 * How many runs a month the cost report assumes: the flag, else the schedule,
 * else one (said so). A schedule is counted with cron-parser over a fixed
 * window, [2026-01-01T00:00Z, +30 days), so the answer never depends on today.
 */
import { runsPerMonth as cronRuns } from "../ir/cron.js";
import type { Pipeline } from "../ir/types.js";
import type { Report } from "./model.js";

/** Occurrences of a five-field cron in the fixed window (see src/ir/cron.ts). */
export const cronRunsInWindow = (cron: string, timezone: string): number => cronRuns(cron, timezone);

export function runsPerMonth(p: Pipeline, flag: number | undefined): Report["runsPerMonth"] {
  if (flag !== undefined) return { value: flag, basis: "flag", note: `${flag} runs a month (--runs-per-month)` };
  if (p.schedule && p.schedule.enabled !== false) {
    const tz = p.schedule.timezone ?? "UTC";
    if (p.schedule.every !== undefined) {
      const n = Math.floor((30 * 86400) / p.schedule.every);
      return { value: n, basis: "schedule", note: `${n} runs a month: every ${p.schedule.every} s over 30 days` };
    }
    const n = cronRunsInWindow(p.schedule.cron ?? "", tz);
    return { value: n, basis: "schedule", note: `${n} runs a month: cron '${p.schedule.cron}' (${tz}) counted over 30 days from 2026-01-01` };
  }
  const why = p.schedule ? "the schedule starts disabled" : "no schedule";
  return { value: 1, basis: "assumed", note: `1 run a month assumed (${why}; give --runs-per-month)` };
}
