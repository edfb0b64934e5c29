/**
 * A transform step's input filter, join and output filter (CreateTransformJob's
 * DataProcessing): the same member on every target (SageMaker definition valid
 * against the corrected official schema), read back by every lifter, printed
 * in both syntaxes; a member the IR cannot hold is refused by name.
 */
import { describe, expect, test } from "vitest";
import sfn from "../../backends/stepfunctions/index.js";
import sagemaker from "../../backends/sagemaker/index.js";
import airflow from "../../backends/airflow/index.js";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadYamlText } from "../../src/frontends/load.js";
import { printYaml } from "../../src/frontends/yaml/print.js";
import { printTypeScript } from "../../src/frontends/typescript/print.js";
import type { Pipeline, Step } from "../../src/ir/types.js";
import { correctedValidator } from "./sagemaker/support/schema.js";
import { findState } from "./stepfunctions/support.js";

const YAML = `version: 1
pipeline: score-csv
region: us-east-1
role: arn:aws:iam::111122223333:role/pipeline
artifacts: s3://bucket-1/p
steps:
  score:
    type: transform
    model: churn-model-7
    instance: ml.m5.large
    input: { source: s3://bucket-1/in/test.csv, content_type: text/csv, split_type: Line }
    output: { accept: text/csv, assemble_with: Line }
    input_filter: "$[1:]"
    join_source: Input
    output_filter: "$[0,-1]"
`;

const WANT = { InputFilter: "$[1:]", JoinSource: "Input", OutputFilter: "$[0,-1]" };

function load(text = YAML): Pipeline {
  const r = loadYamlText(text, "score-csv.yaml", "/tmp");
  expect(r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
  return r.pipeline!;
}

const fields = (s: Step | undefined) => {
  const t = s as Extract<Step, { kind: "transform" }>;
  return { input_filter: t.input_filter, join_source: t.join_source, output_filter: t.output_filter };
};

describe("a transform step's DataProcessing", () => {
  test("every target sends the same member", () => {
    const p = load();
    const asl = JSON.parse(sfn.lower(p, { baseDir: "/tmp", options: {} }).files.find((f) => f.kind === "definition")!.contents);
    expect(findState(asl, "score").Parameters.DataProcessing).toEqual(WANT);
    const def = JSON.parse(sagemaker.lower(p, { baseDir: "/tmp", options: {} }).files.find((f) => f.kind === "definition")!.contents);
    expect(def.Steps[0].Arguments.DataProcessing).toEqual(WANT);
    const validate = correctedValidator();
    expect(validate(def) ? [] : validate.errors).toEqual([]);
    const dag = airflow.lower(p, { baseDir: "/tmp", options: {} }).files.find((f) => f.kind === "dag")!.contents;
    expect(dag).toMatch(/"DataProcessing": \{\s*"InputFilter": "\$\[1:\]",\s*"JoinSource": "Input",\s*"OutputFilter": "\$\[0,-1\]",?\s*\}/);
  });

  test("each lifter reads it back", () => {
    const p = load();
    const want = fields(p.steps[0]);
    expect(want).toEqual({ input_filter: "$[1:]", join_source: "Input", output_filter: "$[0,-1]" });
    const asl = sfn.lower(p, { baseDir: "/tmp", options: {} }).files.find((f) => f.kind === "definition")!.contents;
    expect(fields(sfn.lift!({ file: "m.asl.json", text: asl }).pipeline?.steps[0])).toEqual(want);
    const def = sagemaker.lower(p, { baseDir: "/tmp", options: {} }).files.find((f) => f.kind === "definition")!.contents;
    expect(fields(sagemaker.lift!({ file: "p.json", text: def }).pipeline?.steps[0])).toEqual(want);
    const dag = airflow.lower(p, { baseDir: "/tmp", options: {} }).files.find((f) => f.kind === "dag")!.contents;
    const back = airflow.lift!({ file: "score_csv.py", text: dag, given: { artifacts: "s3://bucket-1/p" } });
    expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(fields(back.pipeline?.steps[0])).toEqual(want);
    expect(back.pipeline?.steps[0].targets).toEqual({});
  });

  test("both syntaxes print it", () => {
    const p = load();
    expect(printYaml(p)).toContain('input_filter: $[1:]\n    join_source: Input\n    output_filter: $[0,-1]');
    expect(printTypeScript(p)).toMatch(/input_filter: "\$\[1:\]",\s+join_source: "Input",\s+output_filter: "\$\[0,-1\]"/);
  });

  test("a member the IR cannot hold is refused, naming the field", () => {
    const machine = (dp: unknown) =>
      JSON.stringify({
        StartAt: "T",
        States: {
          T: {
            Type: "Task",
            Resource: "arn:aws:states:::sagemaker:createTransformJob.sync",
            Parameters: {
              TransformJobName: "t-1",
              ModelName: "m-1",
              TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: "s3://bucket-1/in/" } } },
              TransformOutput: { S3OutputPath: "s3://bucket-1/out/" },
              TransformResources: { InstanceCount: 1, InstanceType: "ml.m5.large" },
              DataProcessing: dp,
            },
            End: true,
          },
        },
      }, null, 2);
    const errors = (dp: unknown) => sfn.lift!({ file: "m.asl.json", text: machine(dp) }).diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
    expect(errors({ "InputFilter.$": "$.filter" })).toEqual(["$.States.T.Parameters.DataProcessing['InputFilter.$']: DataProcessing.InputFilter is taken from the data at run time; the IR holds it as text written out"]);
    expect(errors({ JoinSource: "Output" })).toEqual(["$.States.T.Parameters.DataProcessing.JoinSource: DataProcessing.JoinSource must be None or Input, written out"]);
  });
});
