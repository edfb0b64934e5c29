/**
 * The pipeline's schedule as an EventBridge Scheduler `CreateSchedule` request
 * whose target is the universal `StartPipelineExecution` call (cron conversion
 * and the request shape are shared: src/aws/eventbridge.ts).
 */
import { scheduleRequest as eventBridgeSchedule } from "../../src/aws/eventbridge.js";
import type { Diagnostic } from "../../src/diagnostics.js";
import type { Pipeline } from "../../src/ir/types.js";

export const START_PIPELINE_TARGET = "arn:aws:scheduler:::aws-sdk:sagemaker:startPipelineExecution";

/** EventBridge Scheduler context attribute replaced by a UUID for each invocation. */
export const SCHEDULER_EXECUTION_ID = "<aws.scheduler.execution-id>";

export function scheduleRequest(p: Pipeline, pipelineName: string): { request?: Record<string, unknown>; diagnostics: Diagnostic[] } {
  return eventBridgeSchedule(p, {
    resource: pipelineName,
    what: "SageMaker pipeline",
    arn: START_PIPELINE_TARGET,
    // ClientRequestToken is required and idempotent: the scheduler's per-invocation id keeps every run distinct.
    input: JSON.stringify({ PipelineName: pipelineName, ClientRequestToken: SCHEDULER_EXECUTION_ID }),
  });
}
