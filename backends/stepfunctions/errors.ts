/**
 * Neutral retry error classes as Step Functions error names, per integration.
 * Sources: the Step Functions error-handling page and the service integration
 * pages (SageMaker, Lambda, AWS SDK); see the backend reference, section 1.5.
 */
import { awsCallOf } from "./aws-calls.js";
import type { ErrorClass } from "../../src/ir/types.js";

/** The error a failure handler in a Parallel branch ends with, for the outermost Parallel to end the execution succeeded. */
export const ABSORBED = "Switchyard.Succeeded";

export type Integration = "sagemaker" | "sagemaker-sdk" | "lambda" | "sqs" | "s3" | "glue" | "glue-sdk" | "emr" | "aws";

export const RETRY_ERRORS: Record<Integration, Record<ErrorClass, string[]>> = {
  sagemaker: {
    throttling: ["SageMaker.AmazonSageMakerException"],
    capacity: ["SageMaker.ResourceLimitExceededException"],
    service: ["SageMaker.AmazonSageMakerException"],
    // A `.sync` job that ends Failed or Stopped surfaces as States.TaskFailed.
    job: ["States.TaskFailed"],
    timeout: ["States.Timeout"],
    any: ["States.ALL"],
  },
  "sagemaker-sdk": {
    throttling: ["SageMaker.ThrottlingException"],
    capacity: ["SageMaker.ResourceLimitExceededException"],
    service: ["SageMaker.SageMakerException"],
    job: ["States.TaskFailed"],
    timeout: ["States.Timeout"],
    any: ["States.ALL"],
  },
  lambda: {
    throttling: ["Lambda.TooManyRequestsException"],
    capacity: ["Lambda.TooManyRequestsException"],
    // The transient service errors the Step Functions best practice retries, in its order (CDK's LambdaInvoke default too).
    service: ["Lambda.ClientExecutionTimeoutException", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"],
    job: ["States.TaskFailed"],
    timeout: ["States.Timeout"],
    any: ["States.ALL"],
  },
  sqs: {
    throttling: ["SQS.SdkClientException"],
    capacity: ["SQS.SdkClientException"],
    service: ["SQS.AmazonSQSException"],
    job: ["States.TaskFailed"],
    timeout: ["States.Timeout"],
    any: ["States.ALL"],
  },
  // Service errors surface as `<Service>.<exception name>` (the Glue and EMR API error codes).
  glue: {
    throttling: ["Glue.ThrottlingException"],
    capacity: ["Glue.ResourceNumberLimitExceededException"],
    service: ["Glue.InternalServiceException"],
    job: ["States.TaskFailed"],
    timeout: ["States.Timeout"],
    any: ["States.ALL"],
  },
  // Through aws-sdk, an error of Glue's with no exception of its own is the SDK's base one (as SageMaker's and S3's below).
  "glue-sdk": {
    throttling: ["Glue.ThrottlingException"],
    capacity: ["Glue.ResourceNumberLimitExceededException"],
    service: ["Glue.GlueException"],
    job: ["States.TaskFailed"],
    timeout: ["States.Timeout"],
    any: ["States.ALL"],
  },
  emr: {
    throttling: ["EMR.ThrottlingException"],
    capacity: ["EMR.InternalServerErrorException"],
    service: ["EMR.InternalServerException"],
    job: ["States.TaskFailed"],
    timeout: ["States.Timeout"],
    any: ["States.ALL"],
  },
  // Any other service's API errors (`<Service>.<Exception>`) differ per service and action: every
  // class but timeout is a task failure there, so a rule on any of them retries every failure.
  aws: {
    throttling: ["States.TaskFailed"],
    capacity: ["States.TaskFailed"],
    service: ["States.TaskFailed"],
    job: ["States.TaskFailed"],
    timeout: ["States.Timeout"],
    any: ["States.ALL"],
  },
  s3: {
    throttling: ["S3.SlowDownException"],
    capacity: ["S3.SlowDownException"],
    service: ["S3.S3Exception"],
    job: ["States.TaskFailed"],
    timeout: ["States.Timeout"],
    any: ["States.ALL"],
  },
};

/** The error names a retry policy matches on one integration, deduplicated, in table order. */
export function errorNames(integration: Integration, on: ErrorClass[]): string[] {
  if (on.includes("any")) return ["States.ALL"];
  const out: string[] = [];
  for (const c of on) for (const n of RETRY_ERRORS[integration][c]) if (!out.includes(n)) out.push(n);
  return out;
}

/** Integrations where several classes share one name: that name, read back, means all of them. */
export const SHARED_NAMES: readonly Integration[] = ["aws"];

/** The integration whose error names a Task's retriers use. */
export function integrationOf(resource: string): Integration {
  if (/:::glue:/.test(resource)) return "glue";
  if (/:::elasticmapreduce:/.test(resource)) return "emr";
  if (/^arn:aws:states:::sagemaker:/.test(resource)) return "sagemaker";
  if (/^arn:aws:states:::aws-sdk:sagemaker:/.test(resource)) return "sagemaker-sdk";
  if (/:::aws-sdk:s3:/.test(resource)) return "s3";
  if (/:::aws-sdk:glue:/.test(resource)) return "glue-sdk";
  if (/:::sqs:/.test(resource)) return "sqs";
  // Any other AWS call (aws-sdk, an optimized integration ../aws-calls.ts lists, or another form of one) names the service's own errors.
  if (/^arn:aws:states:::(aws-sdk|sns|dynamodb|events|bedrock|athena|batch|codebuild|states):/.test(resource) || awsCallOf(resource)) return "aws";
  return "lambda";
}
