/**
 * Neutral error classes -> SageMaker Pipelines retry exception types
 * (RetryPolicy.ExceptionType; SDK `workflow/retry.py` StepExceptionTypeEnum and
 * SageMakerJobExceptionTypeEnum). `timeout` has no SageMaker type: a job that
 * hits MaxRuntimeInSeconds fails and is not retried by the service.
 */
import type { ErrorClass } from "../../src/ir/types.js";

export const STEP_EXCEPTIONS = ["Step.SERVICE_FAULT", "Step.THROTTLING"] as const;
export const JOB_EXCEPTIONS = ["SageMaker.JOB_INTERNAL_ERROR", "SageMaker.CAPACITY_ERROR", "SageMaker.RESOURCE_LIMIT"] as const;

export const RETRY_EXCEPTIONS: Record<ErrorClass, readonly string[]> = {
  throttling: ["Step.THROTTLING"],
  capacity: ["SageMaker.CAPACITY_ERROR", "SageMaker.RESOURCE_LIMIT"],
  service: ["Step.SERVICE_FAULT"],
  job: ["SageMaker.JOB_INTERNAL_ERROR"],
  timeout: [],
  any: [...STEP_EXCEPTIONS, ...JOB_EXCEPTIONS],
};

/** Retry policies of the SDK are capped at 20 attempts (`MaxAttempts`). */
export const MAX_ATTEMPTS = 20;
