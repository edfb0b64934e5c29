/**
 * Five-field cron (minute hour day-of-month month day-of-week), validated with
 * cron-parser. Backends convert the fields to their own dialect.
 */
import { createRequire } from "node:module";
import type { CronExpressionParser as Parser } from "cron-parser";
import type { Schedule } from "./types.js";

/** cron-parser (and luxon under it) load only for a cron the plain-syntax check cannot vouch for. */
function cronParser(): typeof Parser {
  return (createRequire(import.meta.url)("cron-parser") as typeof import("cron-parser")).CronExpressionParser;
}

/** Inclusive bounds of each field, in order. */
const FIELD_RANGES: ReadonlyArray<readonly [number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
const ITEM = /^(?:\*|(0|[1-9]\d?)(?:-(0|[1-9]\d?))?)(?:\/([1-9]\d?))?$/;

/**
 * True when every field is made of plain numbers, ranges and steps in bounds, in a form
 * cron-parser is known to accept (a subset: anything else is left to cron-parser).
 */
export function plainCronValid(parts: readonly string[]): boolean {
  const highest: number[] = [];
  for (let f = 0; f < 5; f++) {
    const [min, max] = FIELD_RANGES[f];
    const items = parts[f].split(",");
    let top = 0;
    const seen = new Set<number>();
    for (const item of items) {
      const m = ITEM.exec(item);
      if (!m) return false;
      const single = m[1] !== undefined && m[2] === undefined && m[3] === undefined;
      // Lists of anything but distinct single values (duplicates, overlapping ranges) go to cron-parser.
      if (items.length > 1 && !single) return false;
      if (m[1] === undefined) {
        // `*` is every value there is; `*/n` lists explicit ones.
        if (m[3] !== undefined) top = max;
        continue;
      }
      const a = Number(m[1]);
      const b = m[2] === undefined ? a : Number(m[2]);
      if (a < min || b > max || a > b) return false;
      if (single && seen.has(a)) return false;
      seen.add(a);
      top = Math.max(top, m[3] === undefined ? b : max);
    }
    // Sunday written both as 0 and 7 is a duplicate to cron-parser.
    if (f === 4 && seen.has(0) && seen.has(7)) return false;
    highest.push(top);
  }
  // A day of the month some listed month lacks is cron-parser's to judge.
  return highest[2] <= 28 || parts[3] === "*";
}

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
  if (!plainCronValid(parts)) {
    try {
      cronParser().parse(parts.join(" "), { tz: "UTC", currentDate: new Date(Date.UTC(2026, 0, 1)) });
    } catch (e) {
      return { error: (e as Error).message.replace(/^Error: /, "") };
    }
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
  const it = cronParser().parse(text, { tz: timezone, currentDate: new Date(WINDOW_START - 1) });
  let n = 0;
  for (;;) {
    const next = it.next().getTime();
    if (next >= end) return n;
    n++;
  }
}

/** The values a plain field item lists (`*`, `a`, `a-b`, with `/step`), or undefined for any other form. */
function expand(field: string, min: number, max: number): number[] | undefined {
  const out = new Set<number>();
  for (const item of field.split(",")) {
    const m = ITEM.exec(item);
    if (!m) return undefined;
    const from = m[1] === undefined ? min : Number(m[1]);
    // `a/step` runs to the field's end, as in cron-parser.
    const to = m[1] === undefined || (m[2] === undefined && m[3] !== undefined) ? max : Number(m[2] ?? m[1]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The seconds between one firing and the next when they are always the same (UTC, no calendar
 * effects): every day at the same minutes, evenly spaced round the clock (`30 6 * * *`, every six
 * hours, every quarter of an hour), or once a week (`0 6 * * 1`); undefined for any other cron (weekdays only, some
 * months, days of the month, uneven lists), whose gaps vary.
 */
export function cronPeriod(text: string): number | undefined {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) return undefined;
  const [minute, hour, dom, month, dow] = parts;
  const minutes = expand(minute, 0, 59);
  const hours = expand(hour, 0, 23);
  const months = expand(month, 1, 12);
  const days = expand(dow, 0, 7)?.map((d) => d % 7);
  if (!minutes || !hours || dom !== "*" || months?.length !== 12 || !days) return undefined;
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m));
  const week = new Set(days).size;
  if (week === 1) return times.length === 1 ? 7 * 86_400 : undefined;
  if (week !== 7) return undefined;
  const gap = (times[0] + 1440 - times[times.length - 1]) * 60;
  for (let i = 1; i < times.length; i++) if ((times[i] - times[i - 1]) * 60 !== gap) return undefined;
  return gap;
}

/** Zones whose days are always 24 hours. */
const UTC_ZONES: ReadonlySet<string> = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT"]);

/** The fixed time between one scheduled run and the next, or why the schedule has none. */
export function schedulePeriod(s: Schedule): { seconds: number } | { reason: string } {
  if (s.every !== undefined) return { seconds: s.every };
  if (s.timezone !== undefined && !UTC_ZONES.has(s.timezone)) return { reason: `its schedule runs in ${s.timezone}, whose days are not all 24 hours long` };
  const seconds = cronPeriod(s.cron ?? "");
  return seconds !== undefined ? { seconds } : { reason: `cron '${s.cron}' fires at uneven gaps, so the scheduled time before a run is no fixed time earlier` };
}
