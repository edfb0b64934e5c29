/**
 * The pipeline's cron schedule as an EventBridge Scheduler `CreateSchedule`
 * request whose target is the universal `StartPipelineExecution` call.
 * Five-field cron becomes EventBridge's six fields `cron(m h dom mon dow year)`:
 * one of day-of-month / day-of-week must be `?`, days of the week are named
 * (`SUN`-`SAT`; EventBridge numbers them 1-7, Unix cron 0-7).
 */
import { parseCron } from "../../src/ir/cron.js";
import type { Pipeline } from "../../src/ir/types.js";
import type { Py } from "./pyjson.js";

export const START_PIPELINE_TARGET = "arn:aws:scheduler:::aws-sdk:sagemaker:startPipelineExecution";

/** EventBridge Scheduler context attribute replaced by a UUID for each invocation. */
export const SCHEDULER_EXECUTION_ID = "<aws.scheduler.execution-id>";

const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

function dayName(token: string): string {
  return /^[0-7]$/.test(token) ? DAYS[Number(token)] : token.toUpperCase();
}

/** Unix day-of-week field -> EventBridge, item by item (`1-5` -> `MON-FRI`, `*\/2` kept). */
export function convertDayOfWeek(field: string): string {
  return field
    .split(",")
    .map((item) => {
      const [base, step] = item.split("/");
      const conv = base === "*" ? "*" : base.split("-").map(dayName).join("-");
      return step === undefined ? conv : `${conv}/${step}`;
    })
    .join(",");
}

/** `cron(...)` for EventBridge, or an error text. */
export function eventBridgeCron(cron: string): { expression: string } | { error: string } {
  const f = parseCron(cron);
  if ("error" in f) return { error: `invalid cron '${cron}': ${f.error}` };
  const domAny = f.dayOfMonth === "*" || f.dayOfMonth === "?";
  const dowAny = f.dayOfWeek === "*" || f.dayOfWeek === "?";
  if (!domAny && !dowAny) {
    // Unix cron fires when either field matches; EventBridge cannot say that.
    return { error: `cron '${cron}' restricts both day-of-month and day-of-week, which EventBridge cannot express (one must be '?'); restrict only one of them` };
  }
  const dom = dowAny ? f.dayOfMonth.replace("?", "*") : "?";
  const dow = dowAny ? "?" : convertDayOfWeek(f.dayOfWeek);
  return { expression: `cron(${f.minute} ${f.hour} ${dom} ${f.month.toUpperCase()} ${dow} *)` };
}

export function scheduleRequest(p: Pipeline, pipelineName: string, expression: string): Py {
  const s = p.schedule!;
  return {
    Name: `${pipelineName}-schedule`.slice(0, 64),
    Description: `Starts the SageMaker pipeline ${pipelineName} on cron '${s.cron}'`,
    ScheduleExpression: expression,
    ScheduleExpressionTimezone: s.timezone ?? "UTC",
    State: s.enabled === false ? "DISABLED" : "ENABLED",
    FlexibleTimeWindow: { Mode: "OFF" },
    Target: {
      Arn: START_PIPELINE_TARGET,
      RoleArn: p.role ?? "",
      // ClientRequestToken is required and idempotent: the scheduler's per-invocation id keeps every run distinct.
      Input: JSON.stringify({ PipelineName: pipelineName, ClientRequestToken: SCHEDULER_EXECUTION_ID }),
    },
  };
}
