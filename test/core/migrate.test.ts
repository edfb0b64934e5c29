/**
 * `switchyard migrate`: lift, write the neutral pipeline, compile for the new
 * target, explain it in MIGRATION.md; exit 1 only when something would be lost.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "bin", "switchyard.js");
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dir = mkdtempSync(join(tmpdir(), "switchyard-migrate-"));
const files = (d: string) => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(d.length + 1)).sort();

describe("switchyard migrate", () => {
  const compiled = join(dir, "compiled");
  expect(run(["compile", "fixtures/abalone.yaml", "--target", "airflow", "--out", compiled]).code).toBe(0);
  const dag = join(compiled, "airflow", "dags", "abalone.py");

  it("moves a DAG to Step Functions: the pipeline, the machine and MIGRATION.md, the same bytes every time", () => {
    const out = join(dir, "to-sfn");
    const r = run(["migrate", dag, "--to", "stepfunctions", "--out", out]);
    expect(r.code).toBe(0);
    expect(files(out)).toEqual(["MIGRATION.md", "pipeline.yaml", "stepfunctions/code-manifest.json", "stepfunctions/schedule.json", "stepfunctions/state-machine.asl.json"]);
    const doc = readFileSync(join(out, "MIGRATION.md"), "utf8");
    expect(doc.split("\n").slice(0, 6)).toEqual([
      "# Migration of `abalone.py` to AWS Step Functions",
      "",
      "- Read from: Apache Airflow on Amazon MWAA; 8 steps, 6 parameters, a schedule.",
      "- Neutral pipeline: `pipeline.yaml`.",
      "- AWS Step Functions: `stepfunctions/state-machine.asl.json`, `stepfunctions/schedule.json`, `stepfunctions/code-manifest.json`.",
      "- Outcome: compiled; 18 features carried over natively, 1 emulated, 0 unsupported; 2 lifting warning(s).",
    ]);
    // The one emulation, and how.
    expect(doc).toContain("| parameters restricted to a list | pipeline | emulated | the same Choice fails the execution (InvalidParameter) when a value is not in its list |");
    // What lifting kept approximately is named with its place.
    expect(doc).toMatch(/- .*abalone\.py:\d+:\d+: warning: task 'preprocess': its script preprocessing\.py is read from S3/);
    for (const h of ["## Features", "## Refused", "## Kept approximately or left out", "## Cost", "## Old and new requests"]) expect(doc).toContain(h);
    const again = join(dir, "to-sfn-again");
    expect(run(["migrate", dag, "--to", "stepfunctions", "--out", again]).code).toBe(0);
    for (const f of files(out)) expect(readFileSync(join(again, f), "utf8"), f).toBe(readFileSync(join(out, f), "utf8"));
  });

  it("reads the new file back with the pipeline's region, role and bucket where the file names none: only what it does differently is listed", () => {
    const src = join(dir, "lambdas.yaml");
    writeFileSync(
      src,
      `version: 1
pipeline: lambdas
region: eu-west-1
role: arn:aws:iam::111122223333:role/r
artifacts: s3://bucket-1/lambdas
steps:
  first: { type: lambda, function: first-fn }
  second: { type: lambda, function: second-fn, depends_on: [first] }
`,
    );
    const out = join(dir, "lambdas");
    expect(run(["migrate", src, "--to", "stepfunctions", "--out", out]).code).toBe(0);
    const doc = readFileSync(join(out, "MIGRATION.md"), "utf8");
    // A machine of two Lambda calls by name says no region, role or bucket; the pipeline's are not differences.
    expect(doc).toContain("`stepfunctions/state-machine.asl.json` read back gives the same pipeline: the same steps, requests, dependencies, branches, retries and schedule.");
    expect(doc).not.toMatch(/region: |role: |artifacts: /);
  });

  it("writes the neutral pipeline in TypeScript with --as ts", () => {
    const out = join(dir, "as-ts");
    expect(run(["migrate", dag, "--to", "sagemaker", "--out", out, "--as", "ts"]).code).toBe(0);
    expect(readFileSync(join(out, "pipeline.ts"), "utf8")).toMatch(/^import \{ .* \} from "switchyard";/);
    expect(existsSync(join(out, "sagemaker", "pipeline.json"))).toBe(true);
  });

  it("exits 1 when the new target would lose something: the refusal is listed, no target file is written", () => {
    const src = join(dir, "glue.yaml");
    writeFileSync(
      src,
      `version: 1
pipeline: nightly
region: us-east-1
role: arn:aws:iam::111122223333:role/r
artifacts: s3://bucket/nightly
steps:
  etl: { type: glue, job: nightly-etl }
`,
    );
    const out = join(dir, "refused");
    const r = run(["migrate", src, "--to", "sagemaker", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${src}:7:3: error: step 'etl': glue step is not supported by Amazon SageMaker Pipelines: SageMaker Pipelines has no Glue step; it needs a Lambda or a processing wrapper`);
    expect(files(out)).toEqual(["MIGRATION.md", "pipeline.yaml"]);
    const doc = readFileSync(join(out, "MIGRATION.md"), "utf8");
    expect(doc).toContain("- Outcome: **refused** (1 problem)");
    expect(doc).toContain("- Amazon SageMaker Pipelines: nothing written");
    expect(doc).toContain(`glue step is not supported by Amazon SageMaker Pipelines`);
  });

  it("a target no backend answers to is a usage error", () => {
    const r = run(["migrate", dag, "--to", "nomad", "--out", join(dir, "x")]);
    expect(r.code).toBe(2);
  });
});
