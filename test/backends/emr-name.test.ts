/**
 * An emr step's `name` (StepConfig.Name on the cluster; the step's id by
 * default): written by Step Functions and Airflow, refused by SageMaker
 * Pipelines (which names the steps it adds), lifted back from a machine whose
 * step is named otherwise than its state.
 */
import { describe, expect, test } from "vitest";
import stepfunctions from "../../backends/stepfunctions/index.js";
import sagemaker from "../../backends/sagemaker/index.js";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadYamlText } from "../../src/frontends/load.js";
import { printTemplate } from "../../src/ir/expr/print.js";
import type { Step } from "../../src/ir/types.js";
import { dagText } from "./airflow/support/fixtures.js";

const YAML = `version: 1
pipeline: lake
region: us-east-1
role: arn:aws:iam::111122223333:role/Jobs
artifacts: s3://acme-lake-artifacts/runs
parameters:
  day: { type: string, default: "2025-01-01" }
steps:
  sessionize:
    type: emr
    cluster_id: j-1K48XXXXXXHCB
    name: "sessionize-\${{ params.day }}"
    jar: command-runner.jar
    args: [spark-submit, s3://acme-lake/jobs/sessionize.py]
`;

describe("an emr step's name", () => {
  const p = loadYamlText(YAML, "lake.yaml", ".").pipeline!;

  test("Step Functions and Airflow send it as the step's Name; without it, the step's id", () => {
    const def = JSON.parse(stepfunctions.lower(p, { baseDir: ".", options: {} }).files.find((f) => f.kind === "definition")!.contents);
    expect(def.States.sessionize.Parameters.Step["Name.$"]).toBe("States.Format('sessionize-{}', $.params.day)");
    expect(dagText(p, { airflow: "2" })).toContain(`"Name": "sessionize-{{ params['day'] }}",`);
    const plain = loadYamlText(YAML.replace('    name: "sessionize-\${{ params.day }}"\n', ""), "lake.yaml", ".").pipeline!;
    const def2 = JSON.parse(stepfunctions.lower(plain, { baseDir: ".", options: {} }).files.find((f) => f.kind === "definition")!.contents);
    expect(def2.States.sessionize.Parameters.Step.Name).toBe("sessionize");
  });

  test("SageMaker Pipelines refuses it, naming the step", () => {
    const out = sagemaker.lower(p, { baseDir: ".", options: {} });
    expect(out.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      "lake.yaml:12:12: error: step 'sessionize': SageMaker Pipelines names the EMR steps it adds itself; remove 'name' or compile for Step Functions or Airflow",
    ]);
  });

  test("a machine's step named otherwise than its state lifts with that name, and lowers to the same Step again", () => {
    const text = stepfunctions.lower(p, { baseDir: ".", options: {} }).files.find((f) => f.kind === "definition")!.contents;
    const r = stepfunctions.lift!({ file: "m.asl.json", text });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const s = r.pipeline!.steps.find((x) => x.id === "sessionize") as Extract<Step, { kind: "emr" }>;
    expect(printTemplate(s.name!)).toBe("sessionize-${{ params.day }}");
    const again = JSON.parse(stepfunctions.lower(r.pipeline!, { baseDir: ".", options: {} }).files.find((f) => f.kind === "definition")!.contents);
    expect(again.States.sessionize.Parameters.Step).toEqual(JSON.parse(text).States.sessionize.Parameters.Step);
  });
});
