/**
 * `schedule.json` beside a lifted definition: the EventBridge Scheduler request
 * `compile` writes next to `pipeline.json`. It holds what the definition does
 * not: the pipeline's name and its schedule. Taken only when it reads back to
 * the same request; otherwise a warning says why it was left.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { warning, type Diagnostic } from "../../../src/diagnostics.js";
import { cronFromEventBridge, rateFromEventBridge } from "../../../src/aws/eventbridge.js";
import type { Pos, Schedule } from "../../../src/ir/types.js";

export const SCHEDULE_FILE = "schedule.json";

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === "object" && !Array.isArray(x);

/** The pipeline name and schedule a sibling schedule.json gives, with a warning for what is not taken. */
export function siblingSchedule(definitionFile: string, diags: Diagnostic[]): { name?: string; schedule?: Schedule } {
  const file = join(dirname(definitionFile), SCHEDULE_FILE);
  if (!existsSync(file)) return {};
  const pos: Pos = { file, line: 1, col: 1 };
  const leave = (why: string) => {
    diags.push(warning(pos, `${SCHEDULE_FILE} beside the definition is not taken: ${why}`, { code: "lift-schedule" }));
    return {};
  };
  let req: unknown;
  try {
    req = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return leave("it is not JSON");
  }
  if (!isObj(req) || !isObj(req.Target) || typeof req.Target.Arn !== "string" || !/:sagemaker:startPipelineExecution$/.test(req.Target.Arn)) {
    return leave("it is not a schedule that starts a SageMaker pipeline");
  }
  let input: unknown;
  try {
    input = JSON.parse(String(req.Target.Input));
  } catch {
    return leave("its Target.Input is not JSON");
  }
  if (!isObj(input) || typeof input.PipelineName !== "string") return leave("its Target.Input names no PipelineName");
  const extra = Object.keys(input).filter((k) => k !== "PipelineName" && k !== "ClientRequestToken");
  if (extra.length) return leave(`it sends ${extra.join(", ")}, which a pipeline's schedule does not hold (its runs take the parameters' defaults)`);
  const expr = String(req.ScheduleExpression ?? "");
  const cron = expr.startsWith("cron(") ? cronFromEventBridge(expr) : undefined;
  const every = expr.startsWith("rate(") ? rateFromEventBridge(expr) : undefined;
  if (cron === undefined && every === undefined) return leave(`its ScheduleExpression '${expr}' has no five-field cron or fixed-rate equivalent`);
  const tz = typeof req.ScheduleExpressionTimezone === "string" ? req.ScheduleExpressionTimezone : undefined;
  const schedule: Schedule = {
    ...(cron !== undefined ? { cron } : { every }),
    ...(tz && tz !== "UTC" ? { timezone: tz } : {}),
    ...(req.State === "DISABLED" ? { enabled: false } : {}),
    pos,
  };
  diags.push(warning(pos, `the pipeline's name '${input.PipelineName}' and its schedule are taken from ${SCHEDULE_FILE} beside the definition`, { code: "lift-schedule" }));
  return { name: input.PipelineName, schedule };
}
