/** Which SageMaker step types take which envelope fields (reference §2.2), as data. */
import type { StepKind } from "../../src/ir/types.js";

/** Steps that run a SageMaker job: `SageMaker.*` retry exception types apply. */
export const JOB_STEP_TYPES: ReadonlySet<string> = new Set(["Processing", "Training", "Tuning", "Transform"]);
/** `RetryPolicies` is allowed on these. */
export const RETRY_STEP_TYPES: ReadonlySet<string> = new Set(["Processing", "Training", "Tuning", "Transform", "Model", "RegisterModel", "EMR", "AutoML", "EndpointConfig"]);
/** `CacheConfig` is allowed on these. */
export const CACHE_STEP_TYPES: ReadonlySet<string> = new Set(["Processing", "Training", "Tuning", "Transform", "Lambda", "Callback", "EMR", "QualityCheck", "ClarifyCheck", "AutoML"]);
/** IR kinds whose timeout becomes `StoppingCondition.MaxRuntimeInSeconds`. */
export const TIMEOUT_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(["processing", "training", "tuning", "notebook"]);
