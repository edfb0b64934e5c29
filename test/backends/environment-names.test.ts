/**
 * Environment variable names reach SageMaker containers on every target, and
 * the SageMaker APIs take only `[a-zA-Z_][a-zA-Z0-9_]*`: another name is an
 * error at its value, on each target, before anything is written.
 */
import { describe, expect, it } from "vitest";
import airflow from "../../backends/airflow/index.js";
import sagemaker from "../../backends/sagemaker/index.js";
import stepfunctions from "../../backends/stepfunctions/index.js";
import { loadYamlText } from "../../src/frontends/load.js";

const { pipeline: p, diagnostics } = loadYamlText(
  `version: 1
pipeline: env
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/p
steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.xlarge
    environment:
      GOOD_NAME: "1"
      _also_good2: "2"
      "with space": "3"
      1ST: "4"
`,
  "env.yaml",
);

describe("environment variable names", () => {
  it("a name SageMaker would refuse is an error on every target, at its value; good names pass", () => {
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    for (const b of [sagemaker, stepfunctions, airflow]) {
      const r = b.lower(p!, { baseDir: ".", options: {} });
      expect(r.files, b.name).toEqual([]);
      expect(r.diagnostics.map((d) => [d.code, d.pos?.line, d.message]), b.name).toEqual([
        ["environment-name", 14, `step 'prep': environment variable name "with space" is not one SageMaker accepts`],
        ["environment-name", 15, `step 'prep': environment variable name "1ST" is not one SageMaker accepts`],
      ]);
    }
  });
});
