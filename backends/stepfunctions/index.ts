/** The AWS Step Functions backend: Standard workflows in Amazon States Language (JSONPath). */
import type { Backend } from "../../src/backend/types.js";
import { CAPABILITIES } from "./capabilities.js";
import { checkLimits, LIMITS } from "./limits.js";
import { canLift, liftAsl } from "./lift/index.js";
import { lowerPipeline } from "./lower.js";
import { usage } from "./usage.js";
import { structure } from "./structure-view.js";

const backend: Backend = {
  name: "stepfunctions",
  title: "AWS Step Functions",
  capabilities: CAPABILITIES,
  limits: LIMITS,
  lower: (pipeline) => lowerPipeline(pipeline),
  checkLimits,
  usage: (_pipeline, files) => usage(files),
  structure,
  canLift,
  lift: liftAsl,
  liftsTemplates: true,
};

export default backend;
