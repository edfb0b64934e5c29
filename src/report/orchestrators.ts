/**
 * How each target's orchestrator is billed, as data. A target not listed here
 * (a third-party backend) gets its jobs priced and its orchestration marked unpriced.
 */
export type OrchestratorPricing =
  | { model: "none"; service: string; item: string; title: string }
  | { model: "transitions"; service: string; item: string; freeItem: string; title: string }
  | { model: "environment"; service: string; title: string };

export const ORCHESTRATORS: Record<string, OrchestratorPricing> = {
  sagemaker: { model: "none", service: "sagemaker-pipelines", item: "orchestration", title: "SageMaker Pipelines orchestration" },
  stepfunctions: { model: "transitions", service: "stepfunctions", item: "standard-transition", freeItem: "free-standard-transitions", title: "Step Functions Standard" },
  airflow: { model: "environment", service: "mwaa", title: "Amazon MWAA environment" },
};

/**
 * Small services a run may use, from the backend's usage counts; when a
 * backend gives none, one request per step of `fallbackKind` on the expected
 * path (a Lambda step invokes once; an approval sends one SQS message).
 */
export const SMALL_SERVICES = [
  { fact: "lambdaInvocations", service: "lambda", item: "request", freeItem: undefined, component: "Lambda requests", unit: "request", fallbackKind: "lambda" },
  { fact: "sqsMessages", service: "sqs", item: "standard-request", freeItem: "free-requests", component: "SQS requests", unit: "request", fallbackKind: "approval" },
  // The counted S3 requests are almost all reads (step reports, approval decisions), so they are priced as GETs.
  { fact: "s3Requests", service: "s3", item: "get-request", freeItem: undefined, component: "S3 requests (priced as GET: report and decision reads)", unit: "request", fallbackKind: undefined },
] as const;
