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

/**
 * How many times the schedule fires in a reference 30-day window (a fixed
 * window, so the answer does not depend on today's date).
 */
export function runsPerMonth(text: string, timezone = "UTC"): number {
  const start = Date.UTC(2026, 0, 1);
  const end = start + 30 * 86400 * 1000;
  const it = CronExpressionParser.parse(text, { tz: timezone, currentDate: new Date(start - 1), endDate: new Date(end) });
  let n = 0;
  while (it.hasNext()) {
    it.next();
    n++;
    if (n > 50_000) break;
  }
  return n;
}
