/** What one run uses besides the jobs: Lambda invocations and SQS messages along the expected path. */
import type { OutputFile, UsageFacts } from "../../src/backend/types.js";
import type { Pipeline } from "../../src/ir/types.js";

interface SmStep {
  Type: string;
  Arguments?: { IfSteps?: SmStep[]; ElseSteps?: SmStep[] };
}

export function usage(_p: Pipeline, files: OutputFile[]): UsageFacts {
  const def = files.find((f) => f.kind === "definition");
  let lambda = 0;
  let sqs = 0;
  const visit = (steps: SmStep[]) => {
    for (const s of steps) {
      if (s.Type === "Lambda") lambda++;
      if (s.Type === "Callback") sqs++;
      // Expected path: every condition takes its IfSteps.
      if (s.Type === "Condition") visit(s.Arguments?.IfSteps ?? []);
    }
  };
  if (def) visit((JSON.parse(def.contents) as { Steps: SmStep[] }).Steps);
  return {
    lambdaInvocations: lambda,
    sqsMessages: sqs,
    notes: [
      "SageMaker Pipelines itself has no published orchestration fee (unconfirmed); jobs are billed by their instances",
      `${lambda} Lambda invocation(s) and ${sqs} SQS callback message(s) per run, counting each condition's IfSteps`,
    ],
  };
}
