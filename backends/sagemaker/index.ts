/** The SageMaker Pipelines backend: definition JSON, schedule and code manifest; lifting back to the IR. */
import type { Backend } from "../../src/backend/types.js";
import { CAPABILITIES } from "./capabilities.js";
import { checkLimits } from "./check.js";
import { canLift, lift } from "./lift/index.js";
import { LIMITS } from "./limits.js";
import { lower } from "./lower.js";
import { usage } from "./usage.js";

const backend: Backend = {
  name: "sagemaker",
  title: "Amazon SageMaker Pipelines",
  capabilities: CAPABILITIES,
  limits: LIMITS,
  lower,
  checkLimits,
  canLift,
  lift,
  usage,
};

export default backend;
