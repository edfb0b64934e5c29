/** SageMaker Pipelines limits used by checkLimits and the report. */
import type { Limit } from "../../src/backend/types.js";

const API = "botocore 1.43.11 sagemaker/2017-07-24/service-2.json";
const QUOTAS_2021 = "awsdocs/amazon-sagemaker-developer-guide doc_source/pipelines-quotas.md @ 8a0d72e4 (2021-06-25)";

export const LIMITS: Limit[] = [
  { id: "definition-bytes", description: "PipelineDefinition inline in CreatePipeline", value: 1_048_576, unit: "characters", source: `${API}: PipelineDefinition max 1048576` },
  { id: "definition-inline-sdk", description: "size from which the SDK uploads the definition to S3 (PipelineDefinitionS3Location)", value: 102_400, unit: "bytes", source: "aws/sagemaker-python-sdk master-v2 workflow/pipeline.py (PR #2825)" },
  { id: "pipeline-name", description: "pipeline name length", value: 256, unit: "characters", source: `${API}: PipelineName [a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}` },
  { id: "step-name", description: "step name length", value: 64, unit: "characters", source: "pipeline-definition.schema.json StepName ^[A-Za-z0-9\\-_]{1,64}$" },
  { id: "parameters", description: "parameters per pipeline", value: 200, unit: "parameters", source: QUOTAS_2021 },
  { id: "steps", description: "steps per pipeline (2021 quota; re-check in Service Quotas)", value: 50, unit: "steps", source: QUOTAS_2021 },
  { id: "branch-steps", description: "steps in IfSteps and in ElseSteps", value: 20, unit: "steps", source: QUOTAS_2021 },
  { id: "conditions", description: "conditions per ConditionStep", value: 200, unit: "conditions", source: QUOTAS_2021 },
  { id: "property-files", description: "PropertyFiles per pipeline", value: 10, unit: "files", source: QUOTAS_2021 },
  { id: "retry-attempts", description: "MaxAttempts of a retry policy", value: 20, unit: "attempts", source: "aws/sagemaker-python-sdk master-v2 workflow/retry.py" },
  { id: "error-message", description: "Fail step ErrorMessage length", value: 3072, unit: "characters", source: `${API}: FailStepMetadata.ErrorMessage` },
  { id: "execution-time", description: "pipeline execution time-out", value: 672, unit: "hours", source: "docs.amazonaws.cn sagemaker/latest/dg quotas (28 days)" },
  { id: "concurrent-executions", description: "concurrent pipeline executions per account", value: 20, unit: "executions", source: "docs.amazonaws.cn sagemaker/latest/dg quotas" },
];

export const limit = (id: string): number => LIMITS.find((l) => l.id === id)!.value;
