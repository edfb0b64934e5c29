/**
 * `import --region --role --artifacts`: what every lifter takes from the user when the
 * file does not say it, and how a value given wins over the file's (with a warning).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import sagemaker from "../../backends/sagemaker/index.js";
import stepfunctions from "../../backends/stepfunctions/index.js";
import { checkGiven } from "../../src/backend/lift-given.js";
import { formatDiagnostic, type Diagnostic } from "../../src/diagnostics.js";

const CORPUS = join(__dirname, "..", "..", "fixtures", "corpus");
const read = (target: string, file: string) => ({ file, text: readFileSync(join(CORPUS, target, file), "utf8") });
const about = (ds: Diagnostic[]) => ds.filter((d) => /^lift-(region|role|artifacts)$/.test(d.code ?? "") || (d.code === "lift-changed" && /Region|live under/.test(d.message))).map((d) => formatDiagnostic(d));
const GIVEN = { region: "eu-west-1", role: "arn:aws:iam::111122223333:role/Given", artifacts: "s3://acme-ml/given" };

describe("a SageMaker definition", () => {
  it("that names no region, role or artifacts location takes them from the options, and assumes nothing", () => {
    const f = read("sagemaker", "airflow-systest-31-nested-conditions.json");
    expect(about(sagemaker.lift!(f).diagnostics)).toEqual([
      "airflow-systest-31-nested-conditions.json:1:1: warning: no AWS region found in the definition; assuming us-east-1\n  hint: give the region with --region",
      "airflow-systest-31-nested-conditions.json:1:1: warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://example-bucket/airflow-systest-31-nested-conditions' for files the pipeline adds\n  hint: give the location with --artifacts, or set 'artifacts' in the lifted pipeline, if steps are added that write outputs or upload code",
    ]);
    const r = sagemaker.lift!({ ...f, given: GIVEN });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(about(r.diagnostics)).toEqual([]);
    expect([r.pipeline!.region, r.pipeline!.role, r.pipeline!.artifacts]).toEqual([GIVEN.region, GIVEN.role, GIVEN.artifacts]);
  });

  it("that names others takes the options, and says where they differ", () => {
    const f = read("sagemaker", "sagemaker-examples-abalone-condition-register-transform-fail.json");
    const r = sagemaker.lift!({ ...f, given: { region: "eu-west-1", role: "arn:aws:iam::000000000000:role/SageMakerRole" } });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // The role given is the file's own: nothing to say of it. No artifacts location was given: the guess stays.
    expect(about(r.diagnostics).map((l) => l.split("\n")[0])).toEqual([
      "sagemaker-examples-abalone-condition-register-transform-fail.json:1:1: warning: the pipeline's AWS region is eu-west-1 (--region); the file gives us-west-2 (in its image URIs and ARNs)",
      "sagemaker-examples-abalone-condition-register-transform-fail.json:1:1: warning: no artifacts location in the definition (no code or output written under one prefix); assuming 's3://sagemaker-us-west-2-000000000000/sagemaker-examples-abalone-condition-register-transform-fail' for files the pipeline adds",
    ]);
    expect([r.pipeline!.region, r.pipeline!.role]).toEqual(["eu-west-1", "arn:aws:iam::000000000000:role/SageMakerRole"]);
  });
});

describe("a state machine", () => {
  it("takes the options over its ARNs and its guess of a bucket, and says where they differ", () => {
    const f = read("stepfunctions", "awsdocs-sample-processing-feature-transform-train.asl.json");
    expect(about(stepfunctions.lift!(f).diagnostics).map((l) => l.split("\n")[0])).toEqual([
      "awsdocs-sample-processing-feature-transform-train.asl.json:1:1: warning: $: outputs and code will live under s3://featuretransform-bucketforcodeanddata-1jn1le6gadwfz/switchyard (give another with --artifacts, or set 'artifacts' in the lifted pipeline)",
    ]);
    const r = stepfunctions.lift!({ ...f, given: GIVEN });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(about(r.diagnostics)).toEqual([
      "awsdocs-sample-processing-feature-transform-train.asl.json:1:1: warning: the pipeline's AWS region is eu-west-1 (--region); the file gives sa-east-1 (in its ARNs)",
      "awsdocs-sample-processing-feature-transform-train.asl.json:1:1: warning: the pipeline's IAM role is arn:aws:iam::111122223333:role/Given (--role); the file gives arn:aws:iam::1234567890:role/SageMakerAPIExecutionRole-AIDACKCEVSQ6C2EXAMPLE (the RoleArn of its SageMaker calls)",
    ]);
    expect([r.pipeline!.region, r.pipeline!.role, r.pipeline!.artifacts]).toEqual([GIVEN.region, GIVEN.role, GIVEN.artifacts]);
  });
});

describe("the options as typed", () => {
  it("are checked, and a trailing slash of the artifacts location dropped", () => {
    expect(checkGiven({ region: "eu-west-1", role: "arn:aws:iam::111122223333:role/a/b", artifacts: "s3://acme-ml/p/" })).toEqual({ given: { region: "eu-west-1", role: "arn:aws:iam::111122223333:role/a/b", artifacts: "s3://acme-ml/p" } });
    expect(checkGiven({})).toEqual({ given: {} });
    expect(checkGiven({ region: "Europe" })).toEqual({ problem: '--region must be a Region name such as us-east-1, not "Europe"' });
    expect(checkGiven({ role: "arn:aws:iam::1:role/x" })).toEqual({ problem: '--role must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), not "arn:aws:iam::1:role/x"' });
    expect(checkGiven({ artifacts: "acme-ml/p" })).toEqual({ problem: '--artifacts must be an S3 location (s3://<bucket>/<prefix>), not "acme-ml/p"' });
  });
});
