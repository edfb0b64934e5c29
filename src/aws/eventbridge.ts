/**
 * Schedules for targets started by EventBridge Scheduler (SageMaker Pipelines,
 * Step Functions): five-field cron to EventBridge's six fields, and the
 * CreateSchedule request. One of day-of-month / day-of-week must be `?`;
 * days of the week are written by name (EventBridge numbers them 1-7, Unix cron
 * 0-7); `*\/n` is written `start/n`.
 */
import { createHash } from "node:crypto";
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

/** EventBridge Scheduler's schedule name rule (CreateSchedule Name). */
export const SCHEDULE_NAME = { max: 64, pattern: /^[0-9a-zA-Z_.-]+$/, source: "EventBridge Scheduler CreateSchedule Name, 1-64" } as const;

/**
 * The schedule of a pipeline, on every target that EventBridge starts:
 * `<the target's pipeline or machine name>-schedule`; a name too long keeps
 * its start and a hash of the whole, so two pipelines never share a schedule.
 */
export function scheduleName(resource: string): string {
  const full = `${resource}-schedule`;
  if (full.length <= SCHEDULE_NAME.max) return full;
  const hash = createHash("sha256").update(resource).digest("hex").slice(0, 8);
  return `${resource.slice(0, SCHEDULE_NAME.max - "-schedule".length - hash.length - 1)}-${hash}-schedule`;
}

export interface ScheduleTarget {
  /** The name of what the schedule starts (the schedule's name is derived from it). */
  resource: string;
  /** What it starts, for the description: "SageMaker pipeline", "state machine". */
  what: string;
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
      Name: scheduleName(target.resource),
      // The pipeline's own cron (five fields, as written) or the rate.
      Description: `Starts the ${target.what} ${target.resource} on ${s.every !== undefined ? cron.expression : `cron '${s.cron}'`}`,
      ScheduleExpression: cron.expression,
      ScheduleExpressionTimezone: s.timezone ?? "UTC",
      State: s.enabled === false ? "DISABLED" : "ENABLED",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: { Arn: target.arn, RoleArn: p.role, Input: target.input },
    },
    diagnostics: [],
  };
}

const DAY_NUMBERS: Record<string, string> = Object.fromEntries(DAYS.map((d, i) => [d, String(i)]));

/**
 * An EventBridge `cron(...)` expression back to five-field cron, or undefined
 * when it has no exact equivalent (a year, `L`, `W`, `#`) or would not convert
 * back to the same expression.
 */
export function cronFromEventBridge(expression: string): string | undefined {
  const m = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression.trim());
  if (!m) return undefined;
  const [, min, hour, dom, month, dow, year] = m;
  // Last day, nearest weekday and nth weekday have no five-field form (`WED` is a name, not `W`).
  if (year !== "*" || /[LW]/.test(dom) || /#|\dL|^L$/.test(dow)) return undefined;
  const back = (field: string, start: string) => field.split(",").map((p) => (p.startsWith(`${start}/`) ? `*/${p.slice(start.length + 1)}` : p)).join(",");
  const days = dow === "?" ? "*" : back(dow, "1").replace(/[A-Z]{3}/g, (d) => DAY_NUMBERS[d] ?? d);
  const text = `${back(min, "0")} ${back(hour, "0")} ${dom === "?" ? "*" : back(dom, "1")} ${back(month, "1")} ${days}`;
  const again = eventBridgeCron(text);
  return "expression" in again && again.expression === expression.trim() ? text : undefined;
}

/** `rate(n unit)` back to seconds, or undefined. */
export function rateFromEventBridge(expression: string): number | undefined {
  const m = /^rate\(([1-9][0-9]*) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!m) return undefined;
  const unit = m[2].startsWith("minute") ? 60 : m[2].startsWith("hour") ? 3600 : 86400;
  const seconds = Number(m[1]) * unit;
  const again = eventBridgeRate(seconds);
  return "expression" in again && again.expression === expression.trim() ? seconds : undefined;
}
