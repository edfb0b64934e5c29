import { condition, fail, fmt, lte, model, params, pipeline, processing, registerModel, training, transform } from "switchyard";

const p = params({
  input_data: { type: "string", default: "s3://example-ml-data/abalone/abalone-dataset.csv" },
  batch_data: { type: "string", default: "s3://example-ml-data/abalone/batch/" },
  processing_instance_type: { type: "string", default: "ml.m5.xlarge" },
  training_instance_type: { type: "string", default: "ml.m5.xlarge" },
  model_approval_status: {
    type: "string",
    default: "PendingManualApproval",
    enum: ["Approved", "Rejected", "PendingManualApproval"],
  },
  mse_threshold: { type: "float", default: 6.0 },
});

const preprocess = processing("preprocess", {
  image: "sklearn:1.2-1",
  instance: { type: p.processing_instance_type, count: 1 },
  code: "scripts/preprocessing.py",
  arguments: ["--input-data", p.input_data],
  outputs: {
    train: "/opt/ml/processing/train",
    validation: "/opt/ml/processing/validation",
    test: "/opt/ml/processing/test",
  },
  environment: { PYTHONUNBUFFERED: "1" },
  cache: "7d",
  estimate: "10m",
});

const train = training("train", {
  image: "xgboost:1.7-1",
  instance: { type: p.training_instance_type },
  hyperparameters: { objective: "reg:squarederror", num_round: 50, max_depth: 5, eta: 0.2 },
  inputs: {
    train: { source: preprocess.outputs.train, content_type: "text/csv" },
    validation: { source: preprocess.outputs.validation, content_type: "text/csv" },
  },
  timeout: "1h",
  estimate: "25m",
});

const evaluate = processing("evaluate", {
  image: "xgboost:1.7-1",
  instance: { type: "ml.m5.xlarge" },
  code: "scripts/evaluation.py",
  inputs: {
    model: { source: train.model, destination: "/opt/ml/processing/model" },
    test: { source: preprocess.outputs.test, destination: "/opt/ml/processing/test" },
  },
  outputs: { evaluation: "/opt/ml/processing/evaluation" },
  reports: { metrics: { output: "evaluation", file: "evaluation.json" } },
  estimate: "5m",
});

const register = registerModel("register", {
  model: train.model,
  image: "xgboost:1.7-1",
  package_group: "abalone-models",
  approval: p.model_approval_status,
  content_types: ["text/csv"],
  response_types: ["text/csv"],
  inference_instances: ["ml.t2.medium", "ml.m5.large"],
  transform_instances: ["ml.m5.large"],
  metrics: fmt`${evaluate.outputs.evaluation}/evaluation.json`,
});

const modelStep = model("model", { image: "xgboost:1.7-1", model: train.model });

const batchScore = transform("batch_score", {
  model: modelStep.name,
  instance: { type: "ml.m5.xlarge", count: 1 },
  input: { source: p.batch_data, content_type: "text/csv" },
  estimate: "15m",
});

const mseTooHigh = fail("mse_too_high", {
  message: fmt`MSE ${evaluate.reports.metrics.get("regression_metrics.mse.value")} is above ${p.mse_threshold}`,
});

const mseGate = condition("mse_gate", {
  if: lte(evaluate.reports.metrics.get("regression_metrics.mse.value"), p.mse_threshold),
  then: [register, modelStep, batchScore],
  else: [mseTooHigh],
});

export default pipeline({
  name: "abalone",
  description: "Train an XGBoost regressor on the UCI abalone data and register it when its MSE is low enough.",
  role: "arn:aws:iam::111122223333:role/SageMakerPipelineExecution",
  region: "us-east-1",
  artifacts: "s3://example-ml-artifacts/abalone",
  parameters: p,
  defaults: {
    retry: { attempts: 3, interval: "30s", backoff: 2.0 },
    timeout: "2h",
    tags: { project: "abalone" },
  },
  schedule: { cron: "0 6 * * 1" },
  steps: [preprocess, train, evaluate, mseGate],
});
