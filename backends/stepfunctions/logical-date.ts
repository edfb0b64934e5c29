/**
 * The date a run is for on a schedule with intervals (Airflow's data intervals) is the start of
 * the interval it covers: the scheduled time one period before its own. JSONPath has no date
 * arithmetic, so one JSONata Pass state, after the parameters are read, works it out: from the
 * scheduled time the schedule hands each run in its input (EventBridge Scheduler fills in
 * `<aws.scheduler.scheduled-time>`), less the schedule's period. A run started by hand, whose
 * input has no scheduled time, is for the day it started (as Airflow's manual runs are); one
 * started with `{"scheduled time": "2024-03-02T00:00:00Z"}` redoes that scheduled run.
 *
 * The date is kept beside the parameters, under `$.params._logical_date`, so every Map iteration
 * and child machine that is handed the parameters has it; a parameter of that name is refused.
 */
import { cronPeriod } from "../../src/ir/cron.js";
import type { Schedule } from "../../src/ir/types.js";
import type { State } from "./asl.js";

/** The input key the schedule fills with the scheduled time (a space: no parameter has it). */
export const SCHEDULED_TIME_KEY = "scheduled time";
/** Where the worked-out date is kept, in `$.params`. */
export const LOGICAL_DATE_KEY = "_logical_date";
/** The state's name (a space cannot occur in a step id). */
export const LOGICAL_DATE_STATE = "Work out logical date";

/** Zones whose days are always 24 hours. */
const UTC_ZONES: ReadonlySet<string> = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT"]);

/** The fixed time between one scheduled run and the next, or why the schedule has none. */
export function schedulePeriod(s: Schedule): { seconds: number } | { reason: string } {
  if (s.every !== undefined) return { seconds: s.every };
  if (s.timezone !== undefined && !UTC_ZONES.has(s.timezone)) return { reason: `its schedule runs in ${s.timezone}, whose days are not all 24 hours long` };
  const seconds = cronPeriod(s.cron ?? "");
  return seconds !== undefined ? { seconds } : { reason: `cron '${s.cron}' fires at uneven gaps, so the scheduled time before a run is no fixed time earlier` };
}

/** The schedule's input to each run: its scheduled time. */
export const SCHEDULED_INPUT = JSON.stringify({ [SCHEDULED_TIME_KEY]: "<aws.scheduler.scheduled-time>" });

/** The JSONata Pass state: the state as it was, with the date added to `params`. */
export function logicalDateState(periodSeconds: number, next: string): State {
  const scheduled = `$states.context.Execution.Input.\`${SCHEDULED_TIME_KEY}\``;
  const date = `$scheduled ? $fromMillis($toMillis($scheduled) - ${periodSeconds * 1000}, '[Y0001]-[M01]-[D01]') : $substringBefore($states.context.Execution.StartTime, 'T')`;
  return {
    Type: "Pass",
    QueryLanguage: "JSONata",
    Output: `{% ($scheduled := ${scheduled}; $merge([$states.input, {"params": $merge([$states.input.params, {"${LOGICAL_DATE_KEY}": ${date}}])}])) %}`,
    Next: next,
  };
}

/** The period in seconds of a state's Output that is this state's, or undefined (for the lifter). */
export function logicalDatePeriodOf(output: unknown): number | undefined {
  if (typeof output !== "string") return undefined;
  const [before, after] = String(logicalDateState(1, "").Output).split("1000");
  if (!output.startsWith(before) || !output.endsWith(after)) return undefined;
  const ms = output.slice(before.length, output.length - after.length);
  return /^[1-9][0-9]*000$/.test(ms) ? Number(ms) / 1000 : undefined;
}
