/**
 * A training step's local script reaches the job the same way on every target:
 * an input channel named `code` at its content-addressed key, run as the
 * container's entrypoint (src/aws/containers.ts).
 */
import { ruffWorkspace, asksForAirflow3 } from "./airflow/support/ruff.js";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import airflow from "../../backends/airflow/index.js";
import sagemaker from "../../backends/sagemaker/index.js";
import stepfunctions from "../../backends/stepfunctions/index.js";
import { loadYamlText } from "../../src/frontends/load.js";
import { codeLocation } from "../../src/ir/dataflow.js";

const FIXTURES = join(__dirname, "..", "..", "fixtures");
const { pipeline: p, diagnostics } = loadYamlText(
  `version: 1
pipeline: script-mode
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/p
steps:
  train:
    type: training
    image: xgboost:1.7-1
    instance: ml.m5.xlarge
    code: scripts/features.py
    inputs: { train: s3://bucket/data/ }
`,
  "script-mode.yaml",
  FIXTURES,
);
const train = p!.steps[0] as Extract<NonNullable<typeof p>["steps"][number], { kind: "training" }>;
const uri = codeLocation(p!, train.code!);
const ENTRY = ["python3", "/opt/ml/input/data/code/features.py"];

describe("training scripts", () => {
  it("load without problems", () => expect(diagnostics).toEqual([]));

  it("sagemaker: a code channel and the entrypoint", () => {
    const r = sagemaker.lower(p!, { baseDir: FIXTURES, options: {} });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const args = JSON.parse(r.files.find((f) => f.kind === "definition")!.contents).Steps[0].Arguments;
    expect(args.AlgorithmSpecification.ContainerEntrypoint).toEqual(ENTRY);
    expect(args.InputDataConfig.map((c: { ChannelName: string }) => c.ChannelName)).toEqual(["train", "code"]);
    expect(args.InputDataConfig[1].DataSource.S3DataSource.S3Uri).toBe(uri);
  });

  it("stepfunctions: a code channel and the entrypoint", () => {
    const r = stepfunctions.lower(p!, { baseDir: FIXTURES, options: {} });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const def = JSON.parse(r.files.find((f) => f.kind === "definition")!.contents);
    const task = Object.values<any>(def.States).find((s) => s.Resource === "arn:aws:states:::sagemaker:createTrainingJob.sync");
    expect(task.Parameters.AlgorithmSpecification.ContainerEntrypoint).toEqual(ENTRY);
    expect(task.Parameters.InputDataConfig.map((c: { ChannelName: string }) => c.ChannelName)).toEqual(["train", "code"]);
    expect(task.Parameters.InputDataConfig[1].DataSource.S3DataSource.S3Uri).toBe(uri);
    expect(task.Parameters.HyperParameters?.sagemaker_program).toBeUndefined();
  });

  it("airflow: a code channel and the entrypoint, lint-clean", () => {
    const r = airflow.lower(p!, { baseDir: FIXTURES, options: {} });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const text = r.files.find((f) => f.kind === "dag")!.contents.replace(/\s+/g, " ");
    expect(text).toContain(`"ContainerEntrypoint": [ "python3", "/opt/ml/input/data/code/features.py", ]`);
    expect(text).toContain(`{ "DataSource": { "S3DataSource": { "S3DataType": "S3Prefix", "S3Uri": "${uri}", "S3DataDistributionType": "FullyReplicated", }, }, "ChannelName": "code", }`);
    const ruff = ruffWorkspace();
    const dag = r.files.find((f) => f.kind === "dag")!.contents;
    expect(ruff.check(dag).filter((d) => !asksForAirflow3(d)).map((d) => d.message)).toEqual([]);
  });
});
