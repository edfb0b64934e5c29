/**
 * Stand-in backends for report tests: real Backend objects whose capability
 * tables and usage counts are fixed here, so expected figures can be worked
 * out by hand. The real backends are exercised by their own tests and by the
 * report test that uses whichever are present.
 */
import type { Backend, Capability, CapabilityTable, UsageFacts } from "../../../src/backend/types.js";
import { FEATURE_IDS, type FeatureId } from "../../../src/ir/features.js";

export function table(overrides: Partial<Record<FeatureId, Capability>>): CapabilityTable {
  const t = {} as CapabilityTable;
  for (const f of FEATURE_IDS) t[f] = overrides[f] ?? { support: "native", note: `${f} natively` };
  return t;
}

export function fakeBackend(name: string, title: string, caps: CapabilityTable, usage: UsageFacts | undefined): Backend {
  return {
    name,
    title,
    capabilities: caps,
    limits: [],
    lower: () => ({ files: [{ path: "out.txt", kind: "definition", contents: name }], diagnostics: [] }),
    checkLimits: () => [],
    ...(usage ? { usage: () => usage } : {}),
  };
}

export const SAGEMAKER = (usage: UsageFacts = {}) =>
  fakeBackend(
    "sagemaker",
    "Amazon SageMaker Pipelines",
    table({
      foreach: { support: "emulated", note: "one step per item, named <step>-<index>" },
      "kind:approval": { support: "emulated", note: "a Callback step that sends the request to the SQS queue" },
      "kind:notebook": { support: "unsupported", note: "no notebook step type" },
      "schedule.timezone": { support: "emulated", note: "EventBridge Scheduler with the time zone" },
    }),
    usage,
  );

export const STEPFUNCTIONS = (usage: UsageFacts = { stateTransitions: 40 }) =>
  fakeBackend(
    "stepfunctions",
    "AWS Step Functions",
    table({
      cache: { support: "emulated", note: "a DynamoDB lookup before the job; costs 2 transitions and a read" },
      "kind:passthrough": { support: "unsupported", note: "only the lifting target can lower it" },
    }),
    usage,
  );

export const AIRFLOW = (usage: UsageFacts = { airflowTasks: 8 }) =>
  fakeBackend(
    "airflow",
    "Apache Airflow on Amazon MWAA",
    table({
      cache: { support: "unsupported", note: "no step result cache in Airflow" },
      "condition.report": { support: "emulated", note: "a task reads the JSON file from S3 and pushes the value to XCom" },
    }),
    usage,
  );
