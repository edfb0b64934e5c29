/** The DSL's names as data, shared by the reader and the printer. */
import type { CompareOp, StepKind } from "../../ir/types.js";

export const DSL_MODULE = "switchyard";

/** Builder function -> step kind (`function` is a processing step once built: src/aws/function-step.ts). */
export const BUILDER_KINDS: Record<string, StepKind> = {
  pythonFunction: "function" as StepKind,
  processing: "processing",
  training: "training",
  tuning: "tuning",
  transform: "transform",
  model: "model",
  registerModel: "register-model",
  endpoint: "endpoint",
  condition: "condition",
  map: "map",
  fail: "fail",
  lambda: "lambda",
  lambdaStep: "lambda",
  approval: "approval",
  notebook: "notebook",
  wait: "wait",
  glue: "glue",
  emr: "emr",
  awsCall: "aws",
  passthrough: "passthrough",
};

/** The builder of `type: function`, which the printer writes for a processing step that is exactly what it builds. */
export const FUNCTION_BUILDER = "pythonFunction";

/** Step kind -> the builder the printer writes. */
export const KIND_BUILDERS: Partial<Record<StepKind, string>> = {
  processing: "processing",
  training: "training",
  tuning: "tuning",
  transform: "transform",
  model: "model",
  "register-model": "registerModel",
  endpoint: "endpoint",
  condition: "condition",
  map: "map",
  fail: "fail",
  lambda: "lambda",
  approval: "approval",
  notebook: "notebook",
  wait: "wait",
  glue: "glue",
  emr: "emr",
  aws: "awsCall",
  passthrough: "passthrough",
};

export const COMPARE_OPS: Record<string, CompareOp> = { lt: "<", lte: "<=", gt: ">", gte: ">=", eq: "==", ne: "!=" };
export const COMPARE_NAMES: Record<CompareOp, string> = { "<": "lt", "<=": "lte", ">": "gt", ">=": "gte", "==": "eq", "!=": "ne" };
