/** The typed DSL: `import { pipeline, processing, ... } from "switchyard"`. */
export { Expr, execution, failure, runInput, variable, responseOf, outputOf, itemOf, expr, fmt, join, lt, lte, gt, gte, eq, ne, and, or, not, isIn } from "./expr.js";
export type { BooleanExpr, Condition, Count, Data, ExprType, NumberExpr, Operand, Scalar, StringExpr, Text } from "./expr.js";
export { params, type ParamSpec, type Params } from "./params.js";
export { foreach, mapItem, type Item, type MapItem } from "./foreach.js";
export {
  approval,
  awsCall,
  condition,
  emr,
  endpoint,
  fail,
  glue,
  lambda,
  lambdaStep,
  map,
  model,
  notebook,
  passthrough,
  processing,
  pythonFunction,
  registerModel,
  training,
  transform,
  tuning,
  wait,
} from "./steps.js";
export type * from "./steps.js";
export { pipeline, type PipelineDocument, type PipelineSpec, type StepList } from "./pipeline.js";
