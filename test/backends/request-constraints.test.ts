/**
 * Written-out request text is checked against botocore's service model at compile time, the same on
 * every target: the table (src/aws/requests/constraints-data.ts) is what the generator writes from
 * the botocore the SageMaker SDK environment pins, and what the API would refuse is an error at the
 * value, naming the member and the rule.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { FUNCTION_COMMAND } from "../../src/aws/function-step.js";
import { compileAll } from "../../src/cli/commands.js";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadYamlText } from "../../src/frontends/load.js";
import { ensureVenv, ROOT } from "../support/python-env.js";

const TARGETS = ["sagemaker", "stepfunctions", "airflow"] as const;

test("the table is the one the generator writes from botocore's SageMaker, Glue and EMR models", () => {
  const venv = ensureVenv("sagemaker-sdk");
  const written = execFileSync(venv.python, [join(ROOT, "scripts", "write-request-constraints.py")], { encoding: "utf8" });
  expect(written).toBe(readFileSync(join(ROOT, "src", "aws", "requests", "constraints-data.ts"), "utf8"));
});

describe("text the API would refuse", () => {
  const file = join(ROOT, "fixtures", "constraints.yaml");
  const yaml = `version: 1
pipeline: constraints
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket-demo/constraints
defaults:
  instance: ml.m5.large
steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    command: [python3, -c, "print(1)"]
    arguments: [--note, "${"x".repeat(257)}"]
    tags: { owner: "O'Brien {team}" }
  train:
    type: training
    image: xgboost:1.7-1
    inputs: { train: { source: "bucket-demo/in" } }
  serve:
    type: endpoint
    model: s3://bucket-demo/model.tar.gz
    image: xgboost:1.7-1
    name: demo_endpoint
`;

  test.each(TARGETS)("%s: each is an error at the value, naming the member and the rule", async (target) => {
    const loaded = loadYamlText(yaml, file);
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const [r] = await compileAll(loaded.pipeline!, [target], file, {});
    const errors = r.diagnostics.filter((d) => d.code === "request-constraint").map((d) => formatDiagnostic(d).split("\n")[0]);
    expect(errors).toEqual([
      `${file}:13:26: error: step 'prep': AppSpecification.ContainerArguments "${"x".repeat(257)}" is 257 characters, over the 256 CreateProcessingJob takes`,
      `${file}:9:3: error: step 'prep': Tags.Value "O'Brien {team}" does not match the pattern CreateProcessingJob takes (TagValue: ([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*))`,
      `${file}:18:33: error: step 'train': InputDataConfig.DataSource.S3DataSource.S3Uri "bucket-demo/in" does not match the pattern CreateTrainingJob takes (S3Uri: (https|s3)://([^/]+)/?(.*))`,
      `${file}:23:11: error: step 'serve': EndpointName "demo_endpoint" does not match the pattern CreateEndpoint takes (EndpointName: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})`,
    ]);
    // A failed compile writes nothing.
    expect(r.files).toEqual([]);
  });
});

test.each(TARGETS)("%s: a step output written to its own destination is checked as the text it is", async (target) => {
  const file = join(ROOT, "fixtures", "constraints-output.yaml");
  const loaded = loadYamlText(
    `version: 1
pipeline: constraints-output
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket-demo/constraints
defaults:
  instance: ml.m5.large
steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    command: [python3, -c, "print(1)"]
    outputs: { out: { path: /opt/ml/processing/out, destination: "s3://bucket-demo/fixed" } }
  serve:
    type: endpoint
    model: s3://bucket-demo/model.tar.gz
    image: xgboost:1.7-1
    name: \${{ steps.prep.outputs.out }}
`,
    file,
  );
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const [r] = await compileAll(loaded.pipeline!, [target], file, {});
  expect(r.diagnostics.filter((d) => d.code === "request-constraint").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
    `${file}:18:15: error: step 'serve': EndpointName "s3://bucket-demo/fixed" does not match the pattern CreateEndpoint takes (EndpointName: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})`,
  ]);
});

describe("Glue and EMR text the API would refuse (StartJobRun, AddJobFlowSteps)", () => {
  const file = join(ROOT, "fixtures", "constraints-jobs.yaml");
  const HEAD = `version: 1
pipeline: constraints-jobs
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket-demo/constraints
steps:
`;
  const EMR = `  spark:
    type: emr
    cluster_id: j-1ABCDEF
    jar: command-runner.jar
    args: [spark-submit, "bell\\u0007"]
`;
  const GLUE = `  etl:
    type: glue
    job: "${"j".repeat(256)}"
    arguments: { --day: "2026-12-02" }
`;
  const errorsFor = async (target: string, steps: string) => {
    const loaded = loadYamlText(HEAD + steps, file);
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const [r] = await compileAll(loaded.pipeline!, [target], file, {});
    return r.diagnostics.filter((d) => d.code === "request-constraint").map((d) => formatDiagnostic(d).split("\n")[0]);
  };
  const arg = (line: number) =>
    `${file}:${line}:26: error: step 'spark': Steps.HadoopJarStep.Args "bell\\u0007" does not match the pattern AddJobFlowSteps takes (XmlString: [\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*)`;

  test.each(["stepfunctions", "airflow"])("%s: the EMR argument and the Glue job name, each at its value", async (target) => {
    expect(await errorsFor(target, EMR + GLUE)).toEqual([arg(11), `${file}:14:11: error: step 'etl': JobName "${"j".repeat(256)}" is 256 characters, over the 255 StartJobRun takes`]);
  });

  test("sagemaker: the EMR argument (SageMaker Pipelines has no Glue step)", async () => {
    expect(await errorsFor("sagemaker", EMR)).toEqual([arg(11)]);
  });
});

test("a function step's bootstrap travels in entry point items the API takes (at most 256 characters each)", () => {
  expect(FUNCTION_COMMAND.every((x) => x.length <= 256)).toBe(true);
  expect(FUNCTION_COMMAND.join("").length).toBeGreaterThan(256);
});
