/**
 * The schedule as an EventBridge Scheduler CreateSchedule request whose target
 * is the state machine (Scheduler calls StartExecution with the target input).
 */
import { error, type Diagnostic } from "../../src/diagnostics.js";
import { parseCron } from "../../src/ir/cron.js";
import type { Pipeline } from "../../src/ir/types.js";

const DOW_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Five-field day-of-week (0-7, 0 and 7 = Sunday) to EventBridge's 1-7 (1 = Sunday). */
function dowField(f: string): string {
  return f
    .split(",")
    .map((part) => {
      const [range, step] = part.split("/");
      const conv = (x: string) => {
        if (/^[0-7]$/.test(x)) return DOW_NAMES[Number(x) % 7];
        return x.toUpperCase();
      };
      const r = range === "*" ? "*" : range.split("-").map(conv).join("-");
      return step ? `${r === "*" ? "1" : r}/${step}` : r;
    })
    .filter((x, i, all) => all.indexOf(x) === i)
    .join(",");
}

/** `*\/n` is written `start/n` in EventBridge. */
function stepField(f: string, start: string): string {
  return f.replace(/^\*\//, `${start}/`).replace(/,\*\//g, `,${start}/`);
}

/** `cron(min hour dom month dow year)`, or an error text. */
export function eventBridgeCron(text: string): { expr: string } | { error: string } {
  const c = parseCron(text);
  if ("error" in c) return { error: c.error };
  let dom = stepField(c.dayOfMonth, "1");
  let dow = c.dayOfWeek === "*" ? "*" : dowField(c.dayOfWeek);
  if (dow === "*") dow = "?";
  else if (dom === "*") dom = "?";
  else return { error: "EventBridge cannot fire on a day of the month OR a day of the week; give one of them as '*'" };
  return { expr: `cron(${stepField(c.minute, "0")} ${stepField(c.hour, "0")} ${dom} ${stepField(c.month, "1")} ${dow} *)` };
}

/** The account of an IAM role ARN. */
function accountOf(arn: string | undefined): string | undefined {
  return arn ? /^arn:aws[a-z-]*:iam::([0-9]{12}):/.exec(arn)?.[1] : undefined;
}

export function stateMachineArn(p: Pipeline): string | undefined {
  const account = accountOf(p.role);
  return account ? `arn:aws:states:${p.region}:${account}:stateMachine:${p.name}` : undefined;
}

export function scheduleRequest(p: Pipeline): { request?: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const s = p.schedule!;
  const cron = eventBridgeCron(s.cron);
  if ("error" in cron) return { diagnostics: [error(s.pos, `schedule '${s.cron}': ${cron.error}`, { code: "stepfunctions-schedule" })] };
  const arn = stateMachineArn(p);
  if (!arn) return { diagnostics: [error(s.pos, "a schedule needs the pipeline's 'role' (an IAM role ARN): its account names the state machine and the role starts it", { code: "stepfunctions-schedule" })] };
  return {
    request: {
      Name: p.name,
      Description: `Starts the ${p.name} state machine`,
      ScheduleExpression: cron.expr,
      ScheduleExpressionTimezone: s.timezone ?? "UTC",
      FlexibleTimeWindow: { Mode: "OFF" },
      State: s.enabled === false ? "DISABLED" : "ENABLED",
      Target: { Arn: arn, RoleArn: p.role, Input: "{}" },
    },
    diagnostics: [],
  };
}
