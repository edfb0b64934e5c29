/**
 * What each step kind is, as data: which references it exposes, which common
 * fields apply to it, and whether it runs a billable SageMaker job.
 */
import type { ScalarType, Step, StepKind } from "./types.js";

export type StepAttr = "outputs" | "model" | "name" | "job_name" | "arn" | "reports" | "response" | "results" | "item";

export interface KindInfo {
  /** Attributes `steps.S.<attr>` may read. */
  attrs: readonly StepAttr[];
  /** Retry, timeout and cache are meaningful for this kind. */
  retry: boolean;
  timeout: boolean;
  cache: boolean;
  /** Runs on SageMaker instances (and so takes `instance` and defaults.instance). */
  instance: boolean;
  /** Billed per second of compute (the cost report needs an `estimate`). */
  billable: boolean;
  /** One-line description, for help and reports. */
  summary: string;
}

export const KINDS: Record<StepKind, KindInfo> = {
  processing: {
    attrs: ["outputs", "reports", "job_name", "name", "response"],
    retry: true, timeout: true, cache: true, instance: true, billable: true,
    summary: "run a script in a container on SageMaker Processing",
  },
  training: {
    attrs: ["model", "job_name", "name", "response"],
    retry: true, timeout: true, cache: true, instance: true, billable: true,
    summary: "train a model with a SageMaker training job",
  },
  tuning: {
    attrs: ["model", "job_name", "name", "response"],
    retry: true, timeout: true, cache: true, instance: true, billable: true,
    summary: "hyperparameter tuning job; `model` is the best training job's model",
  },
  transform: {
    attrs: ["outputs", "job_name", "name", "response"],
    retry: true, timeout: true, cache: true, instance: true, billable: true,
    summary: "batch transform; `outputs.output` is where predictions land",
  },
  model: {
    attrs: ["name", "response"],
    retry: true, timeout: false, cache: false, instance: false, billable: false,
    summary: "create a SageMaker model from an artifact and an image",
  },
  "register-model": {
    attrs: ["arn", "name"],
    retry: true, timeout: false, cache: false, instance: false, billable: false,
    summary: "register a model version in a model package group",
  },
  endpoint: {
    attrs: ["name", "arn"],
    retry: true, timeout: true, cache: false, instance: true, billable: true,
    summary: "deploy (create or update) a real-time endpoint",
  },
  condition: {
    attrs: [],
    retry: false, timeout: false, cache: false, instance: false, billable: false,
    summary: "branch on an expression",
  },
  map: {
    attrs: ["results", "item"],
    retry: false, timeout: false, cache: false, instance: false, billable: false,
    summary: "run steps once for each item of a list known at run time",
  },
  fail: {
    attrs: [],
    retry: false, timeout: false, cache: false, instance: false, billable: false,
    summary: "stop the execution as failed, with a message",
  },
  lambda: {
    attrs: ["outputs", "name", "response"],
    retry: true, timeout: true, cache: true, instance: false, billable: false,
    summary: "invoke an AWS Lambda function; declared outputs are read from its result",
  },
  approval: {
    attrs: ["outputs", "name"],
    retry: false, timeout: true, cache: false, instance: false, billable: false,
    summary: "wait for a human or external decision sent through an SQS queue",
  },
  notebook: {
    attrs: ["outputs", "job_name", "name"],
    retry: true, timeout: true, cache: false, instance: true, billable: true,
    summary: "run a Jupyter notebook with parameters on a SageMaker instance",
  },
  wait: {
    attrs: [],
    retry: false, timeout: false, cache: false, instance: false, billable: false,
    summary: "pause for a number of seconds",
  },
  glue: {
    attrs: ["name"],
    retry: true, timeout: true, cache: false, instance: false, billable: false,
    summary: "run an AWS Glue job and wait for it",
  },
  emr: {
    attrs: ["name"],
    retry: true, timeout: true, cache: false, instance: false, billable: false,
    summary: "add a step to a running EMR cluster and wait for it",
  },
  aws: {
    attrs: ["outputs", "name", "response"],
    retry: true, timeout: true, cache: false, instance: false, billable: false,
    summary: "call one AWS API action; declared outputs are read from its response",
  },
  passthrough: {
    attrs: ["name", "response"],
    retry: true, timeout: true, cache: true, instance: false, billable: false,
    summary: "a target-specific step carried through unchanged (lifted)",
  },
};

/** The implicit output of a transform step. */
export const TRANSFORM_OUTPUT = "output";
/** The implicit output of a notebook step (the executed notebook and its files). */
export const NOTEBOOK_OUTPUT = "output";

/** Output names a step exposes under `outputs`, with their types. */
export function stepOutputs(step: Step): Record<string, ScalarType> {
  switch (step.kind) {
    case "processing":
      return Object.fromEntries(Object.keys(step.outputs).map((k) => [k, "string" as const]));
    case "transform":
      return { [TRANSFORM_OUTPUT]: "string" };
    case "notebook":
      return { [NOTEBOOK_OUTPUT]: "string" };
    case "lambda":
    case "approval":
    case "aws":
      return step.outputs;
    default:
      return {};
  }
}
