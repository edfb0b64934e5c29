/**
 * Schedules for targets started by EventBridge Scheduler (SageMaker Pipelines,
 * Step Functions): five-field cron to EventBridge's six fields, and the
 * CreateSchedule request. One of day-of-month / day-of-week must be `?`;
 * days of the week are written by name (EventBridge numbers them 1-7, Unix cron
 * 0-7); `*\/n` is written `start/n`.
 */
import { error, type Diagnostic } from "../diagnostics.js";
import { parseCron } from "../ir/cron.js";
import type { Pipeline } from "../ir/types.js";

const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Unix day-of-week field -> EventBridge, item by item (`1-5` -> `MON-FRI`, `*\/2` -> `1/2`). */
export function convertDayOfWeek(field: string): string {
  return field
    .split(",")
    .map((part) => {
      const [range, step] = part.split("/");
      const name = (x: string) => (/^[0-7]$/.test(x) ? DAYS[Number(x) % 7] : x.toUpperCase());
      const r = range === "*" ? "*" : range.split("-").map(name).join("-");
      return step ? `${r === "*" ? "1" : r}/${step}` : r;
    })
    .filter((x, i, all) => all.indexOf(x) === i)
    .join(",");
}

/** `*\/n` becomes `start/n`, as EventBridge writes increments. */
function increments(field: string, start: string): string {
  return field.replace(/^\*\//, `${start}/`).replace(/,\*\//g, `,${start}/`);
}

/** `cron(min hour dom month dow year)`, or why it cannot be written. */
export function eventBridgeCron(text: string): { expression: string } | { error: string } {
  const c = parseCron(text);
  if ("error" in c) return { error: `invalid cron '${text}': ${c.error}` };
  let dom = increments(c.dayOfMonth, "1");
  let dow = c.dayOfWeek === "*" ? "*" : convertDayOfWeek(c.dayOfWeek);
  if (dow === "*") dow = "?";
  else if (dom === "*") dom = "?";
  else {
    // Unix cron fires when either field matches; EventBridge cannot say that.
    return { error: `cron '${text}' restricts both day-of-month and day-of-week, which EventBridge cannot express; restrict only one of them` };
  }
  return { expression: `cron(${increments(c.minute, "0")} ${increments(c.hour, "0")} ${dom} ${increments(c.month, "1").toUpperCase()} ${dow} *)` };
}

export interface ScheduleTarget {
  /** Schedule name (<= 64 characters). */
  name: string;
  description: string;
  /** The target ARN (a universal `aws-sdk` target or a resource ARN). */
  arn: string;
  /** The target's input, as JSON text. */
  input: string;
}

/** A fixed rate as EventBridge writes it: a whole number of minutes, hours or days. */
export function eventBridgeRate(seconds: number): { expression: string } | { error: string } {
  if (seconds < 60 || seconds % 60 !== 0) return { error: `a schedule every ${seconds} s cannot be written for EventBridge: rates are whole minutes (at least one)` };
  const units: Array<[number, string]> = [[86400, "day"], [3600, "hour"], [60, "minute"]];
  const [size, unit] = units.find(([n]) => seconds % n === 0)!;
  const n = seconds / size;
  return { expression: `rate(${n} ${unit}${n === 1 ? "" : "s"})` };
}

/** The CreateSchedule request for the pipeline's schedule, or an error at the schedule's position. */
export function scheduleRequest(p: Pipeline, target: ScheduleTarget): { request?: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const s = p.schedule;
  if (!s) return { diagnostics: [] };
  const cron = s.every !== undefined ? eventBridgeRate(s.every) : eventBridgeCron(s.cron ?? "");
  if ("error" in cron) return { diagnostics: [error(s.pos, cron.error, { code: "schedule" })] };
  if (!p.role) {
    return { diagnostics: [error(s.pos, "a schedule needs the pipeline's 'role': EventBridge Scheduler assumes it to start each run", { code: "schedule" })] };
  }
  return {
    request: {
      Name: target.name.slice(0, 64),
      Description: target.description,
      ScheduleExpression: cron.expression,
      ScheduleExpressionTimezone: s.timezone ?? "UTC",
      State: s.enabled === false ? "DISABLED" : "ENABLED",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: { Arn: target.arn, RoleArn: p.role, Input: target.input },
    },
    diagnostics: [],
  };
}
