/**
 * Lifting SageMaker definitions back to the IR: every corpus file is lifted or
 * refused with errors naming each construct and its JSON path; lifting then
 * lowering gives a semantically equal definition.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import backend from "../../../backends/sagemaker/index.js";
import { normaliseJoins } from "../../../backends/sagemaker/lift/residual.js";
import { parseIsoDuration } from "../../../backends/sagemaker/lift/steps.js";
import { parseLocated } from "../../../backends/sagemaker/lift/jsonpos.js";
import { roundTrip } from "../../../backends/sagemaker/lift/roundtrip.js";
import { COMPACT, CORPUS, definition, fixture, lower } from "./support/load.js";
import { stripPositions } from "../../../src/ir/values.js";
import { loadPipelineFile, loadYamlText } from "../../../src/frontends/load.js";
import { printYaml } from "../../../src/frontends/yaml/print.js";
import { correctedValidator } from "./support/schema.js";

const read = (f: string) => readFileSync(join(CORPUS, f), "utf8");
const liftFile = (f: string) => backend.lift!({ file: f, text: read(f) });

/**
 * Every corpus file and what lifting it says, line:col of the JSON node first. Hand-checked:
 * a lifted file's warnings name what re-lowering writes differently (the same meaning, spelled
 * otherwise) or what the lifter had to assume; a refused file names each construct the
 * pipeline format cannot hold.
 */
const EXPECTED: Record<string, { lifted: boolean; diagnostics: string[] }> = {
  "ack-e2e-kmeans-processing-envsubst.json": {lifted: true, diagnostics: [
    "1:1 warning: no AWS region found in the definition; assuming us-east-1",
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/ack-e2e-kmeans-processing-envsubst' for files the pipeline adds",
    "1:897 warning: the execution role '$SAGEMAKER_EXECUTION_ROLE_ARN' (at JSON path /Steps/0/Arguments/RoleArn) is not an IAM role ARN (a template placeholder?); kept as written",
  ]},
  "ack-samples-abalone-training-only.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/ack-samples-abalone-training-only' for files the pipeline adds",
    "8:28 warning: the execution role '<YOUR_SAGEMAKER_ROLE_ARN>' (at JSON path /Steps/0/Arguments/RoleArn) is not an IAM role ARN (a template placeholder?); kept as written",
  ]},
  "aws-samples-idea-to-prod-2023-processing-train-eval-condition-register.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://sagemaker-us-east-1-906545278380/aws-samples-idea-to-prod-2023-processing-train-eval-condition-register' for files the pipeline adds",
    "1:8408 warning: the Std:Join at JSON path /Steps/3/Arguments/ElseSteps/0/Arguments/ErrorMessage is written with On \"\" and its separators inside the values (the same string)",
  ]},
  "airflow-systest-31-nested-conditions.json": {lifted: true, diagnostics: [
    "1:1 warning: no AWS region found in the definition; assuming us-east-1",
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/airflow-systest-31-nested-conditions' for files the pipeline adds",
  ]},
  "aws-samples-build-train-deploy-workflow.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://sagemaker-eu-west-1-009319036446/aws-samples-build-train-deploy-workflow' for files the pipeline adds",
    "1:6740 warning: the Std:Join of one value at JSON path /Steps/2/Arguments/HyperParameters/model_archive is written as that value (a string, or a step property that is a string already)",
    "1:8316 warning: the Std:Join of one value at JSON path /Steps/3/Arguments/HyperParameters/model_archive is written as that value (a string, or a step property that is a string already)",
  ]},
  "aws-samples-customer-churn-xgboost-clarify-register.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://customer-churn-sm-pipeline/aws-samples-customer-churn-xgboost-clarify-register' for files the pipeline adds",
    "1:1154 warning: the execution role 'arn:aws:iam::XXXXXXXXXX:role/service-role/AmazonSageMaker-ExecutionRole-20201013T163487' (at JSON path /Steps/0/Arguments/RoleArn) is not an IAM role ARN (a template placeholder?); kept as written",
    "1:9286 warning: DependsOn 'ChurnCreateModel' at JSON path /Steps/3/Arguments/IfSteps/2/DependsOn is left out: the step's data references already order it after that step",
  ]},
  "aws-samples-dynamic-framework-two-models-register-transform.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://sagemaker-us-east-1-327206644775/aws-samples-dynamic-framework-two-models-register-transform' for files the pipeline adds",
    "1:1574 warning: the Std:Join at JSON path /Steps/0/Arguments/ProcessingOutputConfig/Outputs/0/S3Output/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "1:1930 warning: the Std:Join at JSON path /Steps/0/Arguments/ProcessingOutputConfig/Outputs/1/S3Output/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "1:2417 warning: the cache expiry '10d' at JSON path /Steps/0/CacheConfig/ExpireAfter is written 'P10D' (the same duration)",
    "1:4176 warning: DependsOn 'falcon-text-summarization-preprocess' at JSON path /Steps/1/DependsOn is left out: the step's data references already order it after that step",
    "1:4266 warning: the cache expiry '10d' at JSON path /Steps/1/CacheConfig/ExpireAfter is written 'P10D' (the same duration)",
    "1:5393 warning: DependsOn 'falcon-text-summarization-tuning' at JSON path /Steps/2/DependsOn is left out: the step's data references already order it after that step",
    "1:7091 warning: the Std:Join at JSON path /Steps/3/Arguments/ProcessingOutputConfig/Outputs/0/S3Output/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "1:7562 warning: the cache expiry '10d' at JSON path /Steps/3/CacheConfig/ExpireAfter is written 'P10D' (the same duration)",
    "1:8940 warning: DependsOn 'calhousing-Preprocessing' at JSON path /Steps/4/DependsOn is left out: the step's data references already order it after that step",
    "1:9018 warning: the cache expiry '10d' at JSON path /Steps/4/CacheConfig/ExpireAfter is written 'P10D' (the same duration)",
    "1:9578 warning: DependsOn 'calhousing-Training' at JSON path /Steps/5/DependsOn is left out: the step's data references already order it after that step",
    "1:9834 warning: the Std:Join at JSON path /Steps/6/Arguments/TransformInput/DataSource/S3DataSource/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "1:10056 warning: the Std:Join at JSON path /Steps/6/Arguments/TransformOutput/S3OutputPath is written with On \"\" and its separators inside the values (the same string)",
    "1:10338 warning: DependsOn 'calhousing-CreateModel-CreateModel' at JSON path /Steps/6/DependsOn is left out: the step's data references already order it after that step",
    "1:10393 warning: the disabled CacheConfig at JSON path /Steps/6/CacheConfig is left out (the step is not cached either way)",
    "1:12858 warning: DependsOn 'calhousing-Transform' at JSON path /Steps/7/DependsOn is left out: the step's data references already order it after that step",
    "1:12899 warning: the disabled CacheConfig at JSON path /Steps/7/CacheConfig is left out (the step is not cached either way)",
  ]},
  "aws-samples-scheduled-processing-only.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://sagemaker-eu-west-1-859755744029/aws-samples-scheduled-processing-only' for files the pipeline adds",
  ]},
  "aws-samples-serial-inference-pytorch-pipeline-model.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://pytorch-serial-inference-demo/aws-samples-serial-inference-pytorch-pipeline-model' for files the pipeline adds",
    "1:2999 warning: the cache expiry '30d' at JSON path /Steps/0/CacheConfig/ExpireAfter is written 'P30D' (the same duration)",
    "1:4507 warning: the cache expiry '30d' at JSON path /Steps/1/CacheConfig/ExpireAfter is written 'P30D' (the same duration)",
    "1:5441 warning: the Std:Join of one value at JSON path /Steps/2/Arguments/HyperParameters/model_archive is written as that value (a string, or a step property that is a string already)",
    "1:8182 warning: the Std:Join of one value at JSON path /Steps/4/Arguments/HyperParameters/model_archive is written as that value (a string, or a step property that is a string already)",
  ]},
  "aws-samples-serial-inference-sklearn-pipeline-model.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://sklearn-mlops-inf-pipeline-demo/aws-samples-serial-inference-sklearn-pipeline-model' for files the pipeline adds",
    "1:3020 warning: the cache expiry '30d' at JSON path /Steps/0/CacheConfig/ExpireAfter is written 'P30D' (the same duration)",
  ]},
  "label-studio-blog-webhook-retrain-segmentation.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://showcase-bucket/label-studio-blog-webhook-retrain-segmentation' for files the pipeline adds",
    "1:1007 warning: the execution role '$SageMakerRoleArn' (at JSON path /Steps/0/Arguments/RoleArn) is not an IAM role ARN (a template placeholder?); kept as written",
  ]},
  "sagemaker-examples-abalone-condition-register-transform-fail.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://sagemaker-us-west-2-000000000000/sagemaker-examples-abalone-condition-register-transform-fail' for files the pipeline adds",
    "1:8185 warning: the Std:Join at JSON path /Steps/3/Arguments/ElseSteps/0/Arguments/ErrorMessage is written with On \"\" and its separators inside the values (the same string)",
  ]},
  "sagemaker-examples-lambda-step-deploy-endpoint.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://sagemaker-us-west-2-000000000000/sagemaker-examples-lambda-step-deploy-endpoint' for files the pipeline adds",
    "1:2417 warning: the cache expiry '30d' at JSON path /Steps/0/CacheConfig/ExpireAfter is written 'P30D' (the same duration)",
    "1:4123 warning: the cache expiry '30d' at JSON path /Steps/1/CacheConfig/ExpireAfter is written 'P30D' (the same duration)",
    "1:5903 warning: the cache expiry '30d' at JSON path /Steps/2/CacheConfig/ExpireAfter is written 'P30D' (the same duration)",
  ]},
  "sagemaker-examples-local-mode-repack-model.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://sagemaker-us-east-1-572539092864/sagemaker-examples-local-mode-repack-model' for files the pipeline adds",
    "1:7543 warning: the Std:Join of one value at JSON path /Steps/3/Arguments/IfSteps/0/Arguments/HyperParameters/model_archive is written as that value (a string, or a step property that is a string already)",
    "1:9022 warning: the Std:Join at JSON path /Steps/3/Arguments/IfSteps/2/Arguments/TransformInput/DataSource/S3DataSource/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "1:9483 warning: the Std:Join at JSON path /Steps/3/Arguments/ElseSteps/0/Arguments/ErrorMessage is written with On \"\" and its separators inside the values (the same string)",
  ]},
  "sagemaker-examples-quality-clarify-check-steps.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://sagemaker-us-east-2-682101512330/sagemaker-examples-quality-clarify-check-steps' for files the pipeline adds",
  ]},
  "sagemaker-examples-tuning-step-top-model.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://sagemaker-us-east-2-682101512330/sagemaker-examples-tuning-step-top-model' for files the pipeline adds",
    "1:1628 warning: the Std:Join at JSON path /Steps/0/Arguments/ProcessingOutputConfig/Outputs/0/S3Output/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "1:1950 warning: the Std:Join at JSON path /Steps/0/Arguments/ProcessingOutputConfig/Outputs/1/S3Output/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "1:2271 warning: the Std:Join at JSON path /Steps/0/Arguments/ProcessingOutputConfig/Outputs/2/S3Output/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "1:4503 warning: the cache expiry '30d' at JSON path /Steps/1/CacheConfig/ExpireAfter is written 'P30D' (the same duration)",
    "1:5370 warning: the Std:Join at JSON path /Steps/3/Arguments/PrimaryContainer/ModelDataUrl is written with On \"\" and its separators inside the values (the same string)",
    "1:7578 warning: the cache expiry '30d' at JSON path /Steps/4/CacheConfig/ExpireAfter is written 'P30D' (the same duration)",
  ]},
  "sdk-unittest-all-condition-operators.json": {lifted: true, diagnostics: [
    "1:1 warning: no AWS region found in the definition; assuming us-east-1",
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/sdk-unittest-all-condition-operators' for files the pipeline adds",
  ]},
  "sdk-unittest-callback-outputs.json": {lifted: true, diagnostics: [
    "1:1 warning: no AWS region found in the definition; assuming us-east-1",
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/sdk-unittest-callback-outputs' for files the pipeline adds",
  ]},
  "sdk-unittest-emr-new-cluster.json": {lifted: true, diagnostics: [
    "1:1 warning: no AWS region found in the definition; assuming us-east-1",
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/sdk-unittest-emr-new-cluster' for files the pipeline adds",
  ]},
  "sdk-unittest-emr-steps.json": {lifted: true, diagnostics: [
    "1:1 warning: no AWS region found in the definition; assuming us-east-1",
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/sdk-unittest-emr-steps' for files the pipeline adds",
  ]},
  "sdk-unittest-experiment-config-custom.json": {lifted: true, diagnostics: [
    "1:1 warning: no AWS region found in the definition; assuming us-east-1",
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/sdk-unittest-experiment-config-custom' for files the pipeline adds",
  ]},
  "sdk-unittest-experiment-config-null.json": {lifted: true, diagnostics: [
    "1:1 warning: no AWS region found in the definition; assuming us-east-1",
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/sdk-unittest-experiment-config-null' for files the pipeline adds",
  ]},
  "sdk-unittest-experiment-config-property.json": {lifted: true, diagnostics: [
    "1:1 warning: no AWS region found in the definition; assuming us-east-1",
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/sdk-unittest-experiment-config-property' for files the pipeline adds",
  ]},
  "sdk-unittest-feature-processor-describe-pipeline.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://bugbash-schema-update/sdk-unittest-feature-processor-describe-pipeline' for files the pipeline adds",
  ]},
  "sdk-unittest-lambda-outputs.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/sdk-unittest-lambda-outputs' for files the pipeline adds",
  ]},
  "sdk-unittest-parameter-in-custom-step.json": {lifted: true, diagnostics: [
    "1:1 warning: no AWS region found in the definition; assuming us-east-1",
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/sdk-unittest-parameter-in-custom-step' for files the pipeline adds",
  ]},
  "sdk-v3-eval-template-base-model-only-all.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://test-bucket/sdk-v3-eval-template-base-model-only-all' for files the pipeline adds",
  ]},
  "sdk-v3-eval-template-custom-scorer-base-model.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://test-bucket/sdk-v3-eval-template-custom-scorer-base-model' for files the pipeline adds",
  ]},
  "sdk-v3-eval-template-deterministic-kms.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://test-bucket/sdk-v3-eval-template-deterministic-kms' for files the pipeline adds",
  ]},
  "sdk-v3-eval-template-deterministic-vpc.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://test-bucket/sdk-v3-eval-template-deterministic-vpc' for files the pipeline adds",
  ]},
  "sdk-v3-eval-template-inspect-ai-vpc-env.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://bucket/sdk-v3-eval-template-inspect-ai-vpc-env' for files the pipeline adds",
    "38:45 warning: S3DataDistributionType at JSON path /Steps/0/Arguments/InputDataConfig/0/DataSource/S3DataSource/S3DataDistributionType is written out as the API's default, \"FullyReplicated\"",
  ]},
  "sdk-v3-unittest-mlflow-config.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/sdk-v3-unittest-mlflow-config' for files the pipeline adds",
  ]},
  "terraform-provider-docs-jsonencode-fail.json": {lifted: true, diagnostics: [
    "1:1 warning: no AWS region found in the definition; assuming us-east-1",
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/terraform-provider-docs-jsonencode-fail' for files the pipeline adds",
  ]},
  "aws-samples-mlops-workshop-condition-register-fail.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://mlops-us-east-2-178209678406/aws-samples-mlops-workshop-condition-register-fail' for files the pipeline adds",
    "71:38 warning: the Std:Join at JSON path /Steps/0/Arguments/ProcessingInputs/0/S3Input/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "109:42 warning: the Std:Join at JSON path /Steps/0/Arguments/ProcessingOutputConfig/Outputs/0/S3Output/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "135:42 warning: the Std:Join at JSON path /Steps/0/Arguments/ProcessingOutputConfig/Outputs/1/S3Output/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "170:37 warning: the Std:Join at JSON path /Steps/1/Arguments/OutputDataConfig/S3OutputPath is written with On \"\" and its separators inside the values (the same string)",
    "222:37 warning: the Std:Join at JSON path /Steps/1/Arguments/DebugHookConfig/S3OutputPath is written with On \"\" and its separators inside the values (the same string)",
    "252:37 warning: the Std:Join at JSON path /Steps/1/Arguments/ProfilerConfig/S3OutputPath is written with On \"\" and its separators inside the values (the same string)",
    "342:42 warning: the Std:Join at JSON path /Steps/2/Arguments/ProcessingOutputConfig/Outputs/0/S3Output/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "403:50 warning: the Std:Join at JSON path /Steps/3/Arguments/IfSteps/0/Arguments/ModelMetrics/ModelQuality/Statistics/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "461:45 warning: the Std:Join at JSON path /Steps/3/Arguments/ElseSteps/0/Arguments/ErrorMessage is written with On \"\" and its separators inside the values (the same string)",
  ]},
  "devalent-realtime-train-eval-condition-register.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://realtime-predictions-code/devalent-realtime-train-eval-condition-register' for files the pipeline adds",
  ]},
  "devalent-realtime-wrangler-tuning-lambda-condition.json": {lifted: true, diagnostics: [
    "1:1 warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://realtime-predictions-code/devalent-realtime-wrangler-tuning-lambda-condition' for files the pipeline adds",
    "203:25 warning: the Std:Join at JSON path /Steps/1/Arguments/AppSpecification/ContainerArguments/1 is written with On \"\" and its separators inside the values (the same string)",
    "218:25 warning: the Std:Join at JSON path /Steps/1/Arguments/AppSpecification/ContainerArguments/3 is written with On \"\" and its separators inside the values (the same string)",
    "261:42 warning: the Std:Join at JSON path /Steps/1/Arguments/ProcessingOutputConfig/Outputs/0/S3Output/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "283:42 warning: the Std:Join at JSON path /Steps/1/Arguments/ProcessingOutputConfig/Outputs/1/S3Output/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "395:46 warning: the Std:Join at JSON path /Steps/2/Arguments/TrainingJobDefinition/InputDataConfig/0/DataSource/S3DataSource/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "419:46 warning: the Std:Join at JSON path /Steps/2/Arguments/TrainingJobDefinition/InputDataConfig/1/DataSource/S3DataSource/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "474:25 warning: the Std:Join at JSON path /Steps/3/Arguments/AppSpecification/ContainerArguments/1 is written with On \"\" and its separators inside the values (the same string)",
    "542:42 warning: the Std:Join at JSON path /Steps/3/Arguments/ProcessingOutputConfig/Outputs/0/S3Output/S3Uri is written with On \"\" and its separators inside the values (the same string)",
    "617:40 warning: the Std:Join at JSON path /Steps/4/Arguments/IfSteps/0/Arguments/classes is written with On \"\" and its separators inside the values (the same string)",
    "631:40 warning: the Std:Join at JSON path /Steps/4/Arguments/IfSteps/0/Arguments/columns is written with On \"\" and its separators inside the values (the same string)",
    "645:43 warning: the Std:Join at JSON path /Steps/4/Arguments/IfSteps/0/Arguments/evaluation is written with On \"\" and its separators inside the values (the same string)",
  ]},
};

/** SDK unit-test stand-ins (`CustomStep`): Training Arguments `{"input_data": ...}` that the service would reject. */
const STAND_INS = new Set([
  "sdk-unittest-experiment-config-custom.json",
  "sdk-unittest-experiment-config-null.json",
  "sdk-unittest-experiment-config-property.json",
  "sdk-unittest-parameter-in-custom-step.json",
  "sdk-v3-unittest-mlflow-config.json",
]);

const CORPUS_FILES = readdirSync(CORPUS).filter((f) => f.endsWith(".json")).sort();
const LIFTED = Object.keys(EXPECTED).filter((f) => EXPECTED[f].lifted);
const lines = (r: { diagnostics: Array<{ pos?: { line: number; col: number }; severity: string; message: string }> }) => r.diagnostics.map((d) => `${d.pos!.line}:${d.pos!.col} ${d.severity}: ${d.message}`);

/**
 * JSON pointers where two definitions differ, key order aside; a Std:Join that differs is
 * reported once, at the join.
 */
function differences(a: unknown, b: unknown, path = ""): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const obj = (x: unknown): x is J => x !== null && typeof x === "object" && !Array.isArray(x);
  if (obj(a) && obj(b) && !("Std:Join" in a)) return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => differences(a[k], b[k], `${path}/${k}`));
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((x, i) => differences(x, b[i], `${path}/${i}`));
  return [path];
}

type J = Record<string, any>;

/** Members lowering adds that the SDK left out; all are the API's defaults (or an empty map). */
const DEFAULT_MEMBERS = new Set(["StoppingCondition", "AppManaged", "S3InputMode", "S3DataDistributionType", "S3CompressionType", "S3UploadMode", "TrainingInputMode", "VolumeSizeInGB", "InstanceCount", "Environment", "S3DataType"]);

/** Members of `a` missing or different in `b` (`b` may have more). */
function notIn(a: unknown, b: unknown, path: string, extra: string[]): string[] {
  if (a !== null && typeof a === "object" && !Array.isArray(a) && b !== null && typeof b === "object" && !Array.isArray(b)) {
    for (const k of Object.keys(b as J)) if (!(k in (a as J))) extra.push(k);
    return Object.entries(a as J).flatMap(([k, v]) => notIn(v, (b as J)[k], `${path}/${k}`, extra));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((v, i) => notIn(v, b[i], `${path}/${i}`, extra));
  return isDeepStrictEqual(a, b) ? [] : [path];
}

function flatSteps(steps: J[], out: J[] = []): J[] {
  for (const s of steps) {
    out.push(s);
    if (s.Type === "Condition") flatSteps([...(s.Arguments.IfSteps ?? []), ...(s.Arguments.ElseSteps ?? [])], out);
  }
  return out;
}

/** Steps a step waits for: DependsOn and the steps its values read (the service orders by both). */
function waitsFor(s: J): string[] {
  const text = JSON.stringify({ a: s.Arguments, f: s.FunctionArn, q: s.SqsQueueUrl });
  const refs = [...text.matchAll(/"Steps\.([A-Za-z0-9_-]+)\./g)].map((m) => m[1]);
  return [...new Set([...(s.DependsOn ?? []), ...refs])].filter((x) => x !== s.Name).sort();
}

/** The parts of a step the service acts on, in a canonical form. */
function envelope(s: J): J {
  const retry = (s.RetryPolicies ?? []).map((r: J) => ({ ...r, ExceptionType: [r.ExceptionType].flat().sort() }));
  const types = retry.flatMap((r: J) => r.ExceptionType).sort();
  return {
    Type: s.Type,
    WaitsFor: s.Type === "Condition" ? waitsFor({ ...s, Arguments: s.Arguments.Conditions }) : waitsFor(s),
    DisplayName: s.DisplayName,
    Description: s.Description,
    Retry: retry.length ? { n: retry[0].MaxAttempts, i: retry[0].IntervalSeconds, b: retry[0].BackoffRate, types } : undefined,
    Cache: s.CacheConfig?.Enabled ? parseIsoDuration(s.CacheConfig.ExpireAfter) : undefined,
    PropertyFiles: s.PropertyFiles,
    FunctionArn: s.FunctionArn,
    SqsQueueUrl: s.SqsQueueUrl,
    OutputParameters: s.OutputParameters?.map((o: J) => ({ OutputName: o.OutputName, OutputType: o.OutputType ?? "String" })),
    Branches: s.Type === "Condition" ? [s.Arguments.IfSteps.map((x: J) => x.Name), s.Arguments.ElseSteps.map((x: J) => x.Name)] : undefined,
    Conditions: s.Type === "Condition" ? normaliseJoins(s.Arguments.Conditions) : undefined,
  };
}

function compare(original: J, relowered: J) {
  expect(relowered.Parameters ?? []).toEqual(original.Parameters ?? []);
  const a = flatSteps(original.Steps);
  const b = flatSteps(relowered.Steps);
  expect(b.map((s) => s.Name)).toEqual(a.map((s) => s.Name));
  expect(relowered.Steps.map((s: J) => s.Name)).toEqual(original.Steps.map((s: J) => s.Name));
  const extra: string[] = [];
  for (const [i, s] of a.entries()) {
    expect(envelope(b[i]), s.Name).toEqual(envelope(s));
    if (s.Type === "Condition") continue;
    expect(notIn(normaliseJoins(s.Arguments), normaliseJoins(b[i].Arguments), s.Name, extra), s.Name).toEqual([]);
  }
  expect([...new Set(extra)].filter((k) => !DEFAULT_MEMBERS.has(k))).toEqual([]);
}

describe("lifting the corpus", () => {
  it("lists every corpus file, and lifts at least 80% of them", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(CORPUS_FILES);
    expect(LIFTED.length).toBe(36);
    expect(LIFTED.length / CORPUS_FILES.length).toBeGreaterThanOrEqual(0.8);
  });

  it("recognises every corpus file and nothing else", () => {
    for (const f of CORPUS_FILES) expect(backend.canLift!({ file: f, text: read(f) }), f).toBe(true);
    expect(backend.canLift!({ file: "x.json", text: '{"StartAt": "A", "States": {}}' })).toBe(false);
    expect(backend.canLift!({ file: "x.yaml", text: "version: 1" })).toBe(false);
  });

  it.each(CORPUS_FILES)("%s: lifts with exactly the predicted warnings, or is refused construct by construct", (f) => {
    const r = liftFile(f);
    expect(lines(r)).toEqual(EXPECTED[f].diagnostics);
    expect(r.pipeline !== undefined).toBe(EXPECTED[f].lifted);
    if (!EXPECTED[f].lifted) for (const d of r.diagnostics.filter((x) => x.severity === "error")) expect(d.message).toMatch(/\(at JSON path \/[^)]*\)/);
  });

  it.each(LIFTED)("%s: re-lowers to the same definition, differing only where a warning says so", (f) => {
    const r = liftFile(f);
    expect(r.pipeline!.source.format).toBe("lifted");
    const out = backend.lower(r.pipeline!, { baseDir: CORPUS, options: {} });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const original = JSON.parse(read(f));
    const relowered = JSON.parse(out.files[0].contents);
    const said = r.diagnostics.filter((d) => d.code === "lift-respelled").map((d) => /JSON path (\S+)/.exec(d.message)![1]);
    expect(differences(original, relowered).sort()).toEqual(said.sort());
    compare(original, relowered);
    // The schema (with our corrections) takes the re-lowered file exactly when it takes the original.
    const v = correctedValidator();
    if (STAND_INS.has(f)) {
      expect(v(relowered)).toBe(false);
      expect(v.errors!.filter((e) => e.keyword === "additionalProperties").map((e) => e.params.additionalProperty)).toEqual(expect.arrayContaining(["input_data"]));
    } else expect(v(relowered) ? [] : v.errors).toEqual([]);
  });

  it.each(LIFTED)("%s: the lifted pipeline, printed as YAML and read back, compiles to the same definition", (f) => {
    const r = liftFile(f);
    const direct = backend.lower(r.pipeline!, { baseDir: CORPUS, options: {} }).files[0].contents;
    const loaded = loadYamlText(printYaml(r.pipeline!), "lifted.yaml", CORPUS);
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const again = backend.lower(loaded.pipeline!, { baseDir: CORPUS, options: {} });
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(JSON.parse(again.files[0].contents)).toEqual(JSON.parse(direct));
  });

  it("keeps the experiment configuration as written: absent stays absent, null stays null, MLflow stays", () => {
    const relower = (f: string) => JSON.parse(backend.lower(liftFile(f).pipeline!, { baseDir: CORPUS, options: {} }).files[0].contents);
    const tf = relower("terraform-provider-docs-jsonencode-fail.json");
    expect(Object.keys(tf)).toEqual(["Version", "Steps"]);
    expect(relower("sdk-unittest-experiment-config-null.json").PipelineExperimentConfig).toBeNull();
    expect(relower("sdk-unittest-experiment-config-custom.json").PipelineExperimentConfig).toEqual({ ExperimentName: "MyExperiment", TrialName: "MyTrial" });
    expect(relower("sdk-v3-unittest-mlflow-config.json").MlflowConfig).toEqual({
      MlflowResourceArn: "arn:aws:sagemaker:us-west-2:123456789012:mlflow-tracking-server/training-test",
      MlflowExperimentName: "training-test-experiment",
    });
    // Compact JSON (JSON.stringify, Terraform jsonencode, CDK) lifts like the SDK's spacing.
    const sdk = liftFile("sdk-unittest-feature-processor-describe-pipeline.json").pipeline!;
    const compact = backend.lift!({ file: "sdk-unittest-feature-processor-describe-pipeline.json", text: JSON.stringify(JSON.parse(read("sdk-unittest-feature-processor-describe-pipeline.json"))) }).pipeline!;
    expect(compact.role).toBe("arn:aws:iam::597217924798:role/Admin");
    expect(compact.role).toBe(sdk.role);
  });

  it("puts request fields other targets can send into the IR; only what no neutral field holds stays a SageMaker setting", () => {
    const s = liftFile("sdk-v3-eval-template-inspect-ai-vpc-env.json").pipeline!.steps[0] as any;
    expect(s.network.vpc.subnets.map((v: any) => v.value)).toEqual(["subnet-abc"]);
    expect(s.network.vpc.security_groups.map((v: any) => v.value)).toEqual(["sg-123"]);
    expect(s.kms.output.value).toBe("arn:aws:kms:us-east-1:123456789012:key/test-key");
    expect(s.output_path.value).toBe("s3://bucket/output");
    expect(s.targets.sagemaker.settings).toEqual({
      TrainingJobName: { "Std:Join": { On: "-", Values: ["inspectai-eval", { Get: "Execution.PipelineExecutionId" }] } },
      OutputDataConfig: { CompressionType: "NONE" },
    });
  });

  it("finds the artifacts location where this compiler writes code and outputs", async () => {
    const text = lower(await fixture("abalone.yaml")).files[0].contents;
    const r = backend.lift!({ file: "abalone.json", text });
    expect(r.pipeline!.artifacts).toBe((await fixture("abalone.yaml")).artifacts);
    expect(r.diagnostics.filter((d) => d.code === "lift-artifacts")).toEqual([]);
  });

  it("keeps a non-empty Metadata as written", () => {
    const def = { Version: "2020-12-01", Metadata: { team: "forecasting", ticket: 42 }, Parameters: [], Steps: [{ Name: "Stop", Type: "Fail", Arguments: { ErrorMessage: "no data" } }] };
    const r = backend.lift!({ file: "meta.json", text: JSON.stringify(def) });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const out = JSON.parse(backend.lower(r.pipeline!, { baseDir: ".", options: {} }).files[0].contents);
    expect(out).toEqual(def);
  });

  it("refuses, at its JSON path, any difference re-lowering would make that it cannot vouch for", () => {
    const text = '{"Version": "2020-12-01",\n "Steps": [{"Name": "A", "Type": "Fail", "Arguments": {"ErrorMessage": "x"}}]}';
    const loc = parseLocated(text, "d.json");
    if ("error" in loc) throw new Error(loc.error);
    const c = { file: "d.json", loc, diags: [], steps: new Map() };
    const relowered = { Version: "2020-12-01", Steps: [{ Name: "A", Type: "Fail", Arguments: { ErrorMessage: "y" } }] };
    expect(roundTrip(c, loc.value, relowered).map((d) => `${d.pos!.line}:${d.pos!.col} ${d.severity}: ${d.message}`)).toEqual([
      '2:72 error: lowering the lifted pipeline again writes "y" at JSON path /Steps/0/Arguments/ErrorMessage where the definition has "x"; not lifted, so nothing changes silently',
    ]);
    // The same meaning spelled otherwise is a warning, not an error.
    const joined = { Version: "2020-12-01", Steps: [{ Name: "A", Type: "Fail", Arguments: { ErrorMessage: { "Std:Join": { On: "", Values: ["x"] } } } }] };
    expect(roundTrip(c, joined, loc.value).map((d) => d.severity)).toEqual(["warning"]);
  });

  it("a role given with --role replaces the file's in the steps that ran as it (a placeholder too), said once", () => {
    const r = backend.lift!({ file: "ack-samples-abalone-training-only.json", text: read("ack-samples-abalone-training-only.json"), given: { role: "arn:aws:iam::111122223333:role/Given" } });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.pipeline!.role).toBe("arn:aws:iam::111122223333:role/Given");
    expect(r.pipeline!.steps[0].targets.sagemaker?.settings ?? {}).not.toHaveProperty("RoleArn");
    expect(r.diagnostics.filter((d) => /role/i.test(d.message)).map((d) => d.message)).toEqual([
      "the pipeline's IAM role is arn:aws:iam::111122223333:role/Given (--role); the file gives <YOUR_SAGEMAKER_ROLE_ARN> (the role its steps run as)",
    ]);
    expect(definition(r.pipeline!).Steps[0].Arguments.RoleArn).toBe("arn:aws:iam::111122223333:role/Given");
  });

  it("a training job's time limit is a timeout only where it is not the SDK's default max_run (capped at a spot job's wait)", () => {
    const job = (stop: Record<string, number>, spot = false) => ({
      Name: "T",
      Type: "Training",
      Arguments: {
        AlgorithmSpecification: { TrainingImage: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1", TrainingInputMode: "File" },
        OutputDataConfig: { S3OutputPath: "s3://b/models" },
        StoppingCondition: stop,
        ResourceConfig: { VolumeSizeInGB: 30, InstanceCount: 1, InstanceType: "ml.m5.large" },
        RoleArn: "arn:aws:iam::111122223333:role/R",
        ...(spot ? { EnableManagedSpotTraining: true } : {}),
      },
    });
    const timeout = (stop: Record<string, number>, spot = false) => {
      const def = { Version: "2020-12-01", Metadata: {}, Parameters: [], PipelineExperimentConfig: null, Steps: [job(stop, spot)] };
      const r = backend.lift!({ file: "d.json", text: JSON.stringify(def) });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(definition(r.pipeline!).Steps[0].Arguments.StoppingCondition).toEqual(stop);
      return r.pipeline!.steps[0].timeout;
    };
    expect(timeout({ MaxRuntimeInSeconds: 86400 })).toBeUndefined();
    expect(timeout({ MaxRuntimeInSeconds: 3600 })).toBe(3600);
    expect(timeout({ MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 7200 }, true)).toBeUndefined();
    expect(timeout({ MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 }, true)).toBe(3600);
  });

  it("the SDK's ExecutionVariables.PIPELINE_NAME is the run's pipeline name, and lowers back to it", () => {
    const name = { Get: "Execution.PipelineName" };
    const def = {
      Version: "2020-12-01",
      Metadata: {},
      Parameters: [],
      PipelineExperimentConfig: null,
      Steps: [{ Name: "A", Type: "Fail", Arguments: { ErrorMessage: { "Std:Join": { On: "", Values: ["failed in ", name, " run ", { Get: "Execution.PipelineExecutionId" }] } } } }],
    };
    const r = backend.lift!({ file: "d.json", text: JSON.stringify(def) });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(JSON.stringify(stripPositions(r.pipeline!.steps[0]))).toContain('{"kind":"ref","ref":{"scope":"execution","name":"pipeline_name"}}');
    expect(definition(r.pipeline!).Steps[0].Arguments.ErrorMessage).toEqual(def.Steps[0].Arguments.ErrorMessage);
  });

  it("names the SDK's @step result passing when a Std:JsonGet reads a JSON file from an S3Uri built at run time", () => {
    const get = { "Std:JsonGet": { S3Uri: { "Std:Join": { On: "/", Values: [{ Get: "Steps.evaluate.OutputDataConfig.S3OutputPath" }, "results.json"] } }, Path: "Result['auc']" } };
    const def = { Version: "2020-12-01", Steps: [{ Name: "gate", Type: "Condition", Arguments: { Conditions: [{ Type: "GreaterThan", LeftValue: get, RightValue: 0.7 }], IfSteps: [], ElseSteps: [] } }] };
    const r = backend.lift!({ file: "d.json", text: JSON.stringify(def) });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "a Std:JsonGet that does not read a step's PropertyFile at a literal path (a JSON file read from an S3Uri built at run time, as the SageMaker SDK's @step decorator passes a function's result) (at JSON path /Steps/0/Arguments/Conditions/0/LeftValue) has no equivalent in the pipeline format",
    ]);
  });

  it("gives line and column of the JSON node in multi-line files", () => {
    const text = '{\n  "Version": "2020-12-01",\n  "Steps": [\n    {"Name": "A", "Type": "Fail", "Arguments": {"ErrorMessage": {"Get": "Execution.PipelineArn"}}}\n  ]\n}\n';
    const r = backend.lift!({ file: "p.json", text });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.pos!.file}:${d.pos!.line}:${d.pos!.col}`)).toEqual(["p.json:4:65"]);
  });
});

describe("our own output", () => {
  it.each(["abalone.yaml", "churn.yaml", "kinds.yaml", "portable.yaml"])("%s: lower, lift, lower again gives the same definition", async (f) => {
    const p = f === "kinds.yaml" || f === "portable.yaml" ? (await loadPipelineFile(join(__dirname, "data", f))).pipeline! : await fixture(f);
    // A lifted notebook is a training job (there is no local notebook to upload), so its output has no reference; see below.
    for (const s of p.steps) if (s.kind === "approval") delete s.message.notebook;
    const first = lower(p).files[0].contents;
    const r = backend.lift!({ file: "pipeline.json", text: first });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === "lift-respelled" || d.code === "lift-artifacts")).toEqual([]);
    const again = backend.lower(r.pipeline!, { baseDir: ".", options: {} });
    expect(JSON.parse(again.files[0].contents)).toEqual(JSON.parse(first));
    // Without notebooks (lifted as training jobs, whose extra members come after the generated ones) byte for byte.
    if (f !== "kinds.yaml") expect(again.files[0].contents).toBe(first);
  });

  it.each(["abalone.yaml", "churn.yaml", "portable.yaml"])("%s: the indented pipeline.json lifts to the same pipeline as the --compact one", async (f) => {
    const p = f === "portable.yaml" ? (await loadPipelineFile(join(__dirname, "data", f))).pipeline! : await fixture(f);
    const indented = lower(p).files[0].contents;
    const compact = lower(p, COMPACT).files[0].contents;
    expect(indented).not.toBe(compact);
    const a = backend.lift!({ file: "pipeline.json", text: indented });
    const b = backend.lift!({ file: "pipeline.json", text: compact });
    expect(a.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // Positions name lines of the file read, which differ; everything else is the same.
    expect(stripPositions(a.pipeline)).toEqual(stripPositions(b.pipeline));
    expect(a.diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual(b.diagnostics.map((d) => [d.severity, d.code, d.message]));
    // Each step's position is its own line in the indented file; all are line 1 in the compact one.
    const lines = (r: typeof a) => r.pipeline!.steps.map((s) => s.pos?.line);
    expect(new Set(lines(b))).toEqual(new Set([1]));
    expect(new Set(lines(a)).size).toBe(a.pipeline!.steps.length);
    for (const s of a.pipeline!.steps) expect(indented.split("\n")[s.pos!.line - 1]).toContain("{");
  });

  it("lifts the portable request fields, EMR steps and retry rules into the neutral IR, not into SageMaker settings", async () => {
    const p = (await loadPipelineFile(join(__dirname, "data", "portable.yaml"))).pipeline!;
    const r = backend.lift!({ file: "portable-fields.json", text: lower(p).files[0].contents });
    const byId = new Map(r.pipeline!.steps.map((s) => [s.id, s as any]));
    for (const s of r.pipeline!.steps) expect(s.targets, s.id).toEqual({});
    const prepare = byId.get("prepare");
    expect(prepare.network.encrypt_traffic).toBe(true);
    expect(prepare.network.vpc.subnets.map((v: any) => v.ref?.name)).toEqual(["subnet"]);
    expect(prepare.kms.volume.value).toBe("arn:aws:kms:us-west-2:111122223333:key/vol");
    expect(prepare.inputs.images.data_type).toBe("ManifestFile");
    expect(prepare.outputs.train.destination.value).toBe("s3://example-portable/curated/train");
    expect(prepare.outputs.test.destination).toBeUndefined();
    expect(prepare.retry.map((x: any) => [x.attempts, x.interval, x.backoff, x.on])).toEqual([
      [3, 10, 2, ["throttling"]],
      [5, 60, 1.5, ["service", "capacity"]],
    ]);
    const train = byId.get("train");
    expect(train.entrypoint.map((v: any) => v.value)).toEqual(["/bin/bash", "/opt/ml/code/run.sh"]);
    expect(train.container_arguments.map((v: any) => v.value)).toEqual(["--epochs", "10"]);
    expect(train.output_path.value).toBe("s3://example-portable/models");
    expect(train.network.isolation).toBe(true);
    expect(byId.get("spark").kind).toBe("emr");
    expect(byId.get("spark").properties["mapreduce.job.reduces"].value).toBe("4");
    expect(byId.get("score").output.destination.value).toBe("s3://example-portable/scores");
    expect(byId.get("score").input.data_type).toBe("ManifestFile");
    const search = byId.get("search");
    expect([search.network, search.kms.output.value, search.output_path.value, search.inputs.train.data_type]).toEqual([
      { isolation: true, encrypt_traffic: true, pos: expect.anything() },
      "arn:aws:kms:us-west-2:111122223333:key/out",
      "s3://example-portable/tuning",
      "ManifestFile",
    ]);
  });

  it("lifts several retry policies as ordered rules; service defaults and reordered types are said, overlaps refused", () => {
    const def = (policies: unknown[]) =>
      JSON.stringify({
        Version: "2020-12-01",
        Steps: [{ Name: "T", Type: "Training", Arguments: { AlgorithmSpecification: { TrainingImage: "111122223333.dkr.ecr.us-west-2.amazonaws.com/t:1", TrainingInputMode: "File" }, OutputDataConfig: { S3OutputPath: "s3://b/o" }, StoppingCondition: { MaxRuntimeInSeconds: 86400 }, ResourceConfig: { VolumeSizeInGB: 30, InstanceCount: 1, InstanceType: "ml.m5.large" }, RoleArn: "arn:aws:iam::111122223333:role/R" }, RetryPolicies: policies }],
      });
    const two = [
      { ExceptionType: ["SageMaker.CAPACITY_ERROR", "SageMaker.RESOURCE_LIMIT"], MaxAttempts: 10, IntervalSeconds: 60, BackoffRate: 1.5 },
      { ExceptionType: ["Step.THROTTLING"], MaxAttempts: 3, IntervalSeconds: 5, BackoffRate: 2.0 },
    ];
    const r = backend.lift!({ file: "two.json", text: def(two) });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.pipeline!.steps[0].retry!.map((x) => [x.attempts, x.interval, x.backoff, x.on])).toEqual([
      [11, 60, 1.5, ["capacity"]],
      [4, 5, 2, ["throttling"]],
    ]);
    expect(JSON.parse(backend.lower(r.pipeline!, { baseDir: ".", options: {} }).files[0].contents).Steps[0].RetryPolicies).toEqual(two);
    // Only MaxAttempts: the service's defaults are written out; the types in the order of their classes.
    const bare = backend.lift!({ file: "bare.json", text: def([{ ExceptionType: ["Step.SERVICE_FAULT", "Step.THROTTLING"], MaxAttempts: 4 }]) });
    expect(bare.diagnostics.filter((d) => d.code === "lift-respelled").map((d) => d.message)).toEqual([
      "the retry policy's BackoffRate at JSON path /Steps/0/RetryPolicies/0/BackoffRate is written out as the service's default, 2",
      "the retry policy's IntervalSeconds at JSON path /Steps/0/RetryPolicies/0/IntervalSeconds is written out as the service's default, 1",
      "the exception types at JSON path /Steps/0/RetryPolicies/0/ExceptionType are written in another order (the same set)",
    ]);
    expect(bare.pipeline!.steps[0].retry!.map((x) => [x.attempts, x.interval, x.backoff, x.on])).toEqual([[5, 1, 2, ["throttling", "service"]]]);
    // As Studio's notebook scheduler writes it: one policy for all five types, one count for all; lowering would write two.
    const studio = backend.lift!({ file: "studio.json", text: def([{ ExceptionType: ["Step.SERVICE_FAULT", "Step.THROTTLING", "SageMaker.JOB_INTERNAL_ERROR", "SageMaker.CAPACITY_ERROR", "SageMaker.RESOURCE_LIMIT"], MaxAttempts: 4 }]) });
    expect(studio.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "a retry policy counting step (Step.*) and job (SageMaker.*) errors together (at JSON path /Steps/0/RetryPolicies/0/ExceptionType) has no equivalent in the pipeline format",
    ]);
    const overlap = backend.lift!({ file: "overlap.json", text: def([{ ExceptionType: ["Step.THROTTLING"], MaxAttempts: 3 }, { ExceptionType: ["Step.THROTTLING", "Step.SERVICE_FAULT"], MaxAttempts: 5 }]) });
    expect(overlap.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "the retry exception type 'Step.THROTTLING' in two retry policies (0 and 1) (at JSON path /Steps/0/RetryPolicies/1/ExceptionType) has no equivalent in the pipeline format",
    ]);
  });

  it("reads a reference to a notebook's output as a value in the lifted training job's response", async () => {
    const p = (await loadPipelineFile(join(__dirname, "data", "kinds.yaml"))).pipeline!;
    const json = lower(p).files[0].contents;
    const r = backend.lift!({ file: "pipeline.json", text: json });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // Lifted notebooks are training jobs: the notebook's output location is that job's OutputDataConfig.
    const use = r.pipeline!.steps.find((s) => JSON.stringify(s).includes('"response"'))!;
    expect(JSON.stringify(use)).toContain('"ref":{"scope":"steps","step":"report","attr":"response","path":["OutputDataConfig","S3OutputPath"]}');
    // Lowered again, the reference is the same property.
    expect(lower(r.pipeline!, COMPACT).files[0].contents).toContain(`"notebook": {"Get": "Steps.report.OutputDataConfig.S3OutputPath"}`);
  });

  it("never throws: any JSON gives a pipeline or diagnostics", () => {
    const step = fc.record({ Name: fc.oneof(fc.string(), fc.constant("S1")), Type: fc.constantFrom("Processing", "Training", "Tuning", "Transform", "Model", "RegisterModel", "Condition", "Fail", "Lambda", "Callback", "EMR", "X"), Arguments: fc.oneof(fc.jsonValue(), fc.constant({})) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ Version: fc.constant("2020-12-01"), Steps: fc.array(fc.oneof(step, fc.jsonValue()), { maxLength: 4 }), Parameters: fc.jsonValue() }, { requiredKeys: ["Steps"] })), (doc) => {
        const r = backend.lift!({ file: "f.json", text: JSON.stringify(doc) });
        expect(r.pipeline !== undefined || r.diagnostics.some((d) => d.severity === "error")).toBe(true);
        expect(r.diagnostics.filter((d) => d.code === "lift-internal")).toEqual([]);
      }),
      { numRuns: 1000, seed: 11 },
    );
    expect(backend.lift!({ file: "f.json", text: "{" }).diagnostics[0].message).toMatch(/^not JSON/);
  });
});
