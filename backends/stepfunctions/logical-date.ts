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
 * and child machine that is handed the parameters has it; so are the dates add_days() moves it to
 * (`_logical_date_minus_6`), also without intervals, and the run's input and variables read with
 * a fallback (input-defaults.ts). A parameter whose name starts so is refused.
 */
import type { Value } from "../../src/ir/types.js";
import type { State } from "./asl.js";

/** The input key the schedule fills with the scheduled time (a space: no parameter has it). */
export const SCHEDULED_TIME_KEY = "scheduled time";
/** Where the worked-out date is kept, in `$.params`. */
export const LOGICAL_DATE_KEY = "_logical_date";
/** The state's name (a space cannot occur in a step id). */
export const RUN_VALUES_STATE = "Work out run values";

/** The schedule's input to each run: its scheduled time. */
export const SCHEDULED_INPUT = JSON.stringify({ [SCHEDULED_TIME_KEY]: "<aws.scheduler.scheduled-time>" });

/** The key of the logical date moved by `days` (add_days() of it). */
export function shiftedKey(days: number): string {
  return `${LOGICAL_DATE_KEY}_${days < 0 ? "minus" : "plus"}_${Math.abs(days)}`;
}

/** The days an `add_days(execution.logical_date, n)` moves the date by, or undefined for any other call. */
export function logicalDateShift(v: Value): number | undefined {
  if (v.kind !== "call" || v.fn !== "add_days") return undefined;
  const [date, days] = v.args;
  const isDate = date?.kind === "ref" && date.ref.scope === "execution" && date.ref.name === "logical_date";
  return isDate && days?.kind === "literal" && typeof days.value === "number" && Number.isInteger(days.value) ? days.value : undefined;
}

/**
 * What the state works out: the date with intervals (`period`, seconds), the dates moved by these
 * days, and values of the run's input with their fallbacks (key and JSONata, input-defaults.ts).
 */
export interface DatesNeeded {
  period?: number;
  shifts: number[];
  /** With `variable`, a variable's fallback (`{"Value": ...}`), which a Task state after this one replaces by the variable's value where it is set. */
  defaults: Array<{ key: string; jsonata: string; variable?: string }>;
}

const DATE_PICTURE = "'[Y0001]-[M01]-[D01]'";

/**
 * The JSONata Pass state: the state as it was, with the dates added to `params`. The date is
 * the scheduled time less the period with intervals (the start date without a scheduled time),
 * else the execution's start date; each moved date is that date and a number of days.
 */
export function logicalDateState(needed: DatesNeeded, next: string): State {
  const started = "$substringBefore($states.context.Execution.StartTime, 'T')";
  const date = needed.period !== undefined ? `$scheduled ? $fromMillis($toMillis($scheduled) - ${needed.period * 1000}, ${DATE_PICTURE}) : ${started}` : started;
  const entries = [
    ...(needed.period !== undefined ? [`"${LOGICAL_DATE_KEY}": $date`] : []),
    ...needed.shifts.map((d) => `"${shiftedKey(d)}": $fromMillis($toMillis($date) ${d < 0 ? "-" : "+"} ${Math.abs(d) * 86_400_000}, ${DATE_PICTURE})`),
    ...needed.defaults.map((d) => `"${d.key}": ${d.jsonata}`),
  ];
  const scheduled = needed.period !== undefined ? `$scheduled := $states.context.Execution.Input.\`${SCHEDULED_TIME_KEY}\`; ` : "";
  return {
    Type: "Pass",
    QueryLanguage: "JSONata",
    Output: `{% (${scheduled}$date := ${date}; $merge([$states.input, {"params": $merge([$states.input.params, {${entries.join(", ")}}])}])) %}`,
    Next: next,
  };
}

/** Whether a state's Output is this state's (for the lifter). */
export function isRunValuesOutput(output: unknown): boolean {
  return typeof output === "string" && output.startsWith("{% (") && /\{"params": \$merge\(\[\$states\.input\.params, \{"_(logical_date|input_or_|variable_or_)/.test(output) && output.endsWith("}])}])) %}");
}
