/**
 * Members a job step adds to its request as written (`request:`): sent the
 * same by every target (SageMaker Get / Std:Join, Step Functions paths, Airflow
 * Jinja), refused where a field of the step writes the member or the API has
 * none of that name, refused by SageMaker where its definition takes none (the
 * table checked against the corrected schema), and lifted back from each
 * target's file, foreign ones included.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import sagemaker from "../../backends/sagemaker/index.js";
import stepfunctions from "../../backends/stepfunctions/index.js";
import airflow from "../../backends/airflow/index.js";
import { PIPELINE_MEMBERS } from "../../backends/sagemaker/request-members.js";
import { FIELD_MEMBERS, type JobOperation } from "../../src/aws/requests/members.js";
import { REQUEST_MEMBERS } from "../../src/aws/requests/constraints-data.js";
import { loadYamlText } from "../../src/frontends/load.js";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { diffPipelines } from "../../src/diff/compare.js";
import type { Pipeline } from "../../src/ir/types.js";
import { stripPositions } from "../../src/ir/values.js";
import { applyPatch, corrections, officialSchema } from "./sagemaker/support/schema.js";

const dir = mkdtempSync(join(tmpdir(), "sy-request-members-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const YAML = `version: 1
pipeline: debugged
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/debugged
parameters:
  debug_out: { type: string, default: "s3://bucket/debug" }
steps:
  train:
    type: training
    image: xgboost:1.7-1
    instance: ml.m5.large
    request:
      DebugHookConfig: { S3OutputPath: "\${{ params.debug_out }}/\${{ execution.id }}", CollectionConfigurations: [] }
      ProfilerConfig: { DisableProfiler: true }
  score:
    type: transform
    depends_on: [train]
    model: model-1
    instance: ml.m5.large
    input: { source: "s3://bucket/in" }
    request:
      ModelClientConfig: { InvocationsTimeoutInSeconds: 600, InvocationsMaxRetries: 2 }
`;

function load(text: string): Pipeline {
  const r = loadYamlText(text, join(dir, "debugged.yaml"), dir);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.pipeline!;
}
const file = (r: { files: Array<{ kind: string; contents: string }> }, kind: string) => r.files.find((f) => f.kind === kind)!.contents;

describe("lowering", () => {
  test("every target sends the members after those the fields write, each value encoded its own way", () => {
    const p = load(YAML);
    const sm = JSON.parse(file(sagemaker.lower(p, { baseDir: dir, options: {} }), "definition"));
    const train = sm.Steps.find((s: any) => s.Name === "train").Arguments;
    expect(Object.keys(train).slice(-2)).toEqual(["DebugHookConfig", "ProfilerConfig"]);
    expect(train.DebugHookConfig).toEqual({ S3OutputPath: { "Std:Join": { On: "", Values: [{ Get: "Parameters.debug_out" }, "/", { Get: "Execution.PipelineExecutionId" }] } }, CollectionConfigurations: [] });
    expect(sm.Steps.find((s: any) => s.Name === "score").Arguments.ModelClientConfig).toEqual({ InvocationsTimeoutInSeconds: 600, InvocationsMaxRetries: 2 });

    const asl = JSON.parse(file(stepfunctions.lower(p, { baseDir: dir, options: {} }), "definition"));
    expect(asl.States.train.Parameters.DebugHookConfig).toEqual({ "S3OutputPath.$": "States.Format('{}/{}', $.params.debug_out, $$.Execution.Name)", CollectionConfigurations: [] });
    expect(asl.States.train.Parameters.ProfilerConfig).toEqual({ DisableProfiler: true });

    const dag = file(airflow.lower(p, { baseDir: dir, options: {} }), "dag");
    expect(dag).toContain('"DebugHookConfig": {\n                "S3OutputPath": "{{ params[\'debug_out\'] }}/{{ run_id }}",\n                "CollectionConfigurations": [],\n            },');
    expect(dag).toContain('"ModelClientConfig": {\n                "InvocationsTimeoutInSeconds": 600,\n                "InvocationsMaxRetries": 2,\n            },');
  });

  test("a member a field writes, or one the API does not have, is refused at its value on every target; SageMaker also refuses what its definition takes nowhere", () => {
    const p = load(YAML.replace("      ProfilerConfig: { DisableProfiler: true }", "      ProfilerConfig: { DisableProfiler: true }\n      RoleArn: arn:aws:iam::111122223333:role/Other\n      DebugHookConfigs: {}\n      ExperimentConfig: { ExperimentName: e1 }"));
    const errors = (b: typeof sagemaker) => b.lower(p, { baseDir: dir, options: {} }).diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).replace(/^.*debugged\.yaml:/, ""));
    const shared = [
      "16:16: error: step 'train': CreateTrainingJob's 'RoleArn' is written from the step's own fields; set those instead of adding it under 'request'",
      expect.stringMatching(/^17:25: error: step 'train': 'DebugHookConfigs' is not a member of CreateTrainingJob's request; did you mean 'DebugHookConfig'\?\n  hint: members a step adds: CheckpointConfig, DebugHookConfig, /),
    ];
    expect(errors(stepfunctions)).toEqual(shared);
    expect(errors(airflow)).toEqual(shared);
    expect(errors(sagemaker)).toEqual([
      "16:16: error: step 'train': SageMaker Pipelines takes no 'RoleArn' in a Training step's Arguments (its definition schema has only CheckpointConfig, DebugHookConfig, DebugRuleConfigurations, ModelPackageConfig, ProfilerConfig, ProfilerRuleConfigurations, RetryStrategy, ServerlessJobConfig, TensorBoardOutputConfig of the members a step adds)",
      "17:25: error: step 'train': SageMaker Pipelines takes no 'DebugHookConfigs' in a Training step's Arguments (its definition schema has only CheckpointConfig, DebugHookConfig, DebugRuleConfigurations, ModelPackageConfig, ProfilerConfig, ProfilerRuleConfigurations, RetryStrategy, ServerlessJobConfig, TensorBoardOutputConfig of the members a step adds)",
      "18:25: error: step 'train': SageMaker Pipelines takes no 'ExperimentConfig' in a Training step's Arguments (the pipeline's experiment configuration sets each job's)",
      ...shared,
    ]);
  });
});

describe("SageMaker's table", () => {
  test("is the corrected schema's: each step type's Arguments members that a step may add, and no others", () => {
    const schema = applyPatch(officialSchema(), corrections()) as any;
    const argsOf = (def: string): Record<string, unknown> => {
      let a = schema.definitions[def].properties.Arguments;
      while (a.$ref) a = schema.definitions[a.$ref.split("/").pop()];
      return a.properties;
    };
    for (const [op, { stepType, members }] of Object.entries(PIPELINE_MEMBERS) as Array<[JobOperation, { stepType: string; members: readonly string[] }]>) {
      const allowed = Object.keys(argsOf(`${stepType}Step`));
      const addable = REQUEST_MEMBERS[op].filter((m) => !FIELD_MEMBERS[op].includes(m));
      expect([...members].sort(), op).toEqual(addable.filter((m) => allowed.includes(m)).sort());
    }
  });
});

describe("lifting", () => {
  test("each target's own file lifts back to the same pipeline, the members in `request`", () => {
    const p = load(YAML);
    const sources: Array<[typeof sagemaker, string, string]> = [
      [sagemaker, "definition", "pipeline.json"],
      [stepfunctions, "definition", "state-machine.asl.json"],
      [airflow, "dag", "debugged.py"],
    ];
    for (const [b, kind, name] of sources) {
      const r = b.lift!({ file: name, text: file(b.lower(p, { baseDir: dir, options: {} }), kind) });
      expect(r.diagnostics.filter((d) => d.severity === "error"), b.name).toEqual([]);
      const train = r.pipeline!.steps.find((s) => s.id === "train") as Extract<Pipeline["steps"][number], { kind: "training" }>;
      expect(Object.keys(train.request ?? {}), b.name).toEqual(["DebugHookConfig", "ProfilerConfig"]);
      expect(stripPositions(train.targets), b.name).toEqual({});
      // What the lifted pipeline does, compared with the original: the same (the SDK's default time limit is no timeout of its own).
      expect(diffPipelines(p, r.pipeline!), b.name).toEqual([]);
    }
  });

  test("a state machine written elsewhere: the job's DebugHookConfig, read from the execution input, is the step's request", () => {
    const machine = {
      StartAt: "Train",
      States: {
        Train: {
          Type: "Task",
          Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync",
          Parameters: {
            "TrainingJobName.$": "$$.Execution.Input['TrainingJobName']",
            AlgorithmSpecification: { TrainingImage: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1", TrainingInputMode: "File" },
            RoleArn: "arn:aws:iam::111122223333:role/R",
            OutputDataConfig: { S3OutputPath: "s3://bucket/models" },
            ResourceConfig: { InstanceCount: 1, InstanceType: "ml.m5.large", VolumeSizeInGB: 30 },
            StoppingCondition: { MaxRuntimeInSeconds: 3600 },
            HyperParameters: { "sagemaker_job_name.$": "$$.Execution.Input['TrainingJobName']" },
            DebugHookConfig: { "S3OutputPath.$": "$$.Execution.Input['DebugURL']" },
          },
          End: true,
        },
      },
    };
    const r = stepfunctions.lift!({ file: "m.asl.json", text: JSON.stringify(machine, null, 2) });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const s = r.pipeline!.steps[0] as Extract<Pipeline["steps"][number], { kind: "training" }>;
    expect(stripPositions(s.request)).toEqual({ DebugHookConfig: { kind: "map", entries: { S3OutputPath: { kind: "ref", ref: { scope: "params", name: "DebugURL" } } } } });
    // The SDK's hyperparameter carrying the job's name no longer does: said at it.
    expect(r.diagnostics.map((d) => d.message)).toContain(
      "$.States.Train.Parameters.HyperParameters['sagemaker_job_name.$']: hyperparameter 'sagemaker_job_name' is read from $$.Execution.Input['TrainingJobName'], as TrainingJobName was; Switchyard names the job itself, so it no longer carries the job's name",
    );
    expect(JSON.parse(file(stepfunctions.lower(r.pipeline!, { baseDir: dir, options: {} }), "definition")).States.Train.Parameters.DebugHookConfig).toEqual({ "S3OutputPath.$": "$.params.DebugURL" });
  });
});
