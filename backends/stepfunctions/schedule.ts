/**
 * The schedule as an EventBridge Scheduler CreateSchedule request whose target
 * is the state machine (Scheduler calls StartExecution with the target input:
 * an empty object, so every parameter takes its default; with intervals, the
 * run's scheduled time, from which the machine works out the date it is for).
 */
import { scheduleRequest as eventBridgeSchedule } from "../../src/aws/eventbridge.js";
import { error, type Diagnostic } from "../../src/diagnostics.js";
import type { Pipeline } from "../../src/ir/types.js";
import { SCHEDULED_INPUT } from "./logical-date.js";

/** The account of an IAM role ARN. */
function accountOf(arn: string | undefined): string | undefined {
  return arn ? /^arn:aws[a-z-]*:iam::([0-9]{12}):/.exec(arn)?.[1] : undefined;
}

export function stateMachineArn(p: Pipeline): string | undefined {
  const account = accountOf(p.role);
  return account ? `arn:aws:states:${p.region}:${account}:stateMachine:${p.name}` : undefined;
}

export function scheduleRequest(p: Pipeline): { request?: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const arn = stateMachineArn(p);
  if (!arn) {
    return { diagnostics: [error(p.schedule?.pos, "a schedule needs the pipeline's 'role' (an IAM role ARN): its account names the state machine and the role starts it", { code: "stepfunctions-schedule" })] };
  }
  return eventBridgeSchedule(p, { resource: p.name, what: "state machine", arn, input: p.schedule?.intervals ? SCHEDULED_INPUT : "{}" });
}
