/**
 * Five-field cron (minute hour day-of-month month day-of-week), validated with
 * cron-parser. Backends convert the fields to their own dialect.
 */
import { CronExpressionParser } from "cron-parser";

export interface CronFields {
  minute: string;
  hour: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
}

export function parseCron(text: string): CronFields | { error: string } {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5 || parts.some((p) => p.startsWith("@"))) {
    return { error: `expected five fields, found ${parts[0]?.startsWith("@") ? "a macro" : parts.length}` };
  }
  try {
    CronExpressionParser.parse(parts.join(" "), { tz: "UTC", currentDate: new Date(Date.UTC(2026, 0, 1)) });
  } catch (e) {
    return { error: (e as Error).message.replace(/^Error: /, "") };
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts;
  return { minute, hour, dayOfMonth, month, dayOfWeek };
}

/** Start of the fixed reference window schedules are counted in (so counts never depend on today). */
export const WINDOW_START = Date.UTC(2026, 0, 1);
export const WINDOW_DAYS = 30;

/**
 * How many times the schedule fires in the reference 30-day window, evaluated
 * in `timezone`; half-open, so a firing at the window's closing instant is not counted.
 */
export function runsPerMonth(text: string, timezone = "UTC"): number {
  const end = WINDOW_START + WINDOW_DAYS * 86_400_000;
  const it = CronExpressionParser.parse(text, { tz: timezone, currentDate: new Date(WINDOW_START - 1) });
  let n = 0;
  for (;;) {
    const next = it.next().getTime();
    if (next >= end) return n;
    n++;
  }
}
