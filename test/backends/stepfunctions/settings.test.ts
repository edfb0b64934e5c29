/** `targets.stepfunctions` settings reach the state machine and the step's Task, and nothing else. */
import { expect, test } from "vitest";
import { lower, yaml } from "./support.js";

test("pipeline settings merge into the machine, step settings into the step's Task state", () => {
  const p = yaml(`version: 1
pipeline: settings
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/p
targets:
  stepfunctions: { Comment: "from settings", TimeoutSeconds: 3600, roleArn: "arn:aws:iam::111122223333:role/Machine" }
  sagemaker: { PipelineExperimentConfig: null }
steps:
  call:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:f
    targets:
      stepfunctions: { Comment: "call the function", HeartbeatSeconds: 60 }
  other:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:g
`);
  const { definition, diagnostics } = lower(p);
  expect(diagnostics).toEqual([]);
  expect(definition.Comment).toBe("from settings");
  expect(definition.TimeoutSeconds).toBe(3600);
  const find = (states: Record<string, any>, name: string): any => {
    for (const [k, st] of Object.entries(states)) {
      if (k === name) return st;
      for (const b of st.Branches ?? []) {
        const hit = find(b.States, name);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  expect(find(definition.States, "call")).toMatchObject({ Type: "Task", Comment: "call the function", HeartbeatSeconds: 60 });
  expect(find(definition.States, "other").Comment).toBeUndefined();
  expect(JSON.stringify(definition)).not.toContain("PipelineExperimentConfig");
  // The role is for deploying, not part of the definition.
  expect(JSON.stringify(definition)).not.toContain("role/Machine");
});

test("an unknown pipeline-level setting is an error at the settings", () => {
  const p = yaml(`version: 1
pipeline: settings
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/p
targets:
  stepfunctions: { Commnet: "typo" }
steps:
  call: { type: lambda, function: "arn:aws:lambda:us-east-1:111122223333:function:f" }
`);
  const { diagnostics } = lower(p);
  expect(diagnostics.map((d) => [d.pos?.line, d.message])).toEqual([[7, "unknown Step Functions setting 'Commnet'"]]);
});
