/** The execution role every target's SageMaker calls need: one wording, whichever target lowers the step. */
export const MISSING_ROLE = "SageMaker jobs need the pipeline's 'role' (an IAM role ARN), and none is set";
export const MISSING_ROLE_CODE = "missing-role";
export const MISSING_ROLE_HINT = "add 'role: arn:aws:iam::<account>:role/<name>' to the pipeline (in TypeScript: role in pipeline({ ... }))";

/** The message for one step, as each backend reports it. */
export const missingRole = (stepId: string) => `step '${stepId}': ${MISSING_ROLE}`;

/** Step kinds whose SageMaker requests carry the pipeline's role on every target (RoleArn, ExecutionRoleArn). */
export const ROLE_STEP_KINDS: ReadonlySet<string> = new Set(["processing", "training", "tuning", "model", "notebook"]);

/** An IAM role ARN, as a lifted pipeline's role must be. */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
