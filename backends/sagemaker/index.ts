/** The SageMaker Pipelines backend: definition JSON, schedule and code manifest; lifting back to the IR. */
import type { Backend } from "../../src/backend/types.js";
import { CAPABILITIES } from "./capabilities.js";
import { checkLimits } from "./check.js";
import { canLift, lift } from "./lift/index.js";
import { LIMITS } from "./limits.js";
import { lower } from "./lower.js";
import { usage } from "./usage.js";
import { groupedStructure } from "../../src/backend/structure.js";
import { copyName } from "./names.js";

const backend: Backend = {
  name: "sagemaker",
  title: "Amazon SageMaker Pipelines",
  capabilities: CAPABILITIES,
  limits: LIMITS,
  lower,
  checkLimits,
  canLift,
  lift,
  liftsTemplates: true,
  usage,
  // Top-level Steps run by their data dependencies; a Condition step holds its branches whole.
  structure: (p) =>
    groupedStructure(p, {
      top: "Steps (run as their data dependencies allow)",
      then: "IfSteps",
      else: "ElseSteps",
      condition: (id) => `${id} (Condition)`,
      name: (id, index) => copyName(id, index),
    }),
};

export default backend;
