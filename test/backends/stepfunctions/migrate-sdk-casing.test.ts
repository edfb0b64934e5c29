/**
 * A public state machine of AWS SDK integration calls to EMR Serverless (fixtures/corpus, serverless-patterns:
 * startJobRun, then getJobRun polled until the run's JobRun.State is final), written as Step Functions spells
 * them (PascalCase), moved to Airflow and run in real Airflow 2 against moto: boto3 gets the API's own
 * member names (applicationId, jobRunId) and the poll reads jobRun.state. The machine's Terraform
 * placeholders are filled in as its deployment would fill them; its application id is read from the run's
 * input, as moto makes the id up.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { airflowWithMoto, runDag } from "../airflow/support/airflow.js";
import { dagText } from "../airflow/support/fixtures.js";
import { ROOT } from "../../support/python-env.js";

const FILE = "serverless-patterns-emr-serverless-poll-tf.asl.json";
const ROLE = "arn:aws:iam::111122223333:role/emr-serverless-jobs";
const text = readFileSync(join(ROOT, "fixtures", "corpus", "stepfunctions", FILE), "utf8")
  .replaceAll('"ApplicationId": "${aws_emrserverless_application.emr_serverless.id}"', '"ApplicationId.$": "$.app"')
  .replaceAll("${aws_emrserverless_application.emr_serverless.name}", "clicklogger")
  .replaceAll("${aws_iam_role.emr_serverless_role.arn}", ROLE)
  .replaceAll("s3://${aws_s3_bucket.job_source_s3_bucket.id}/${var.jar_name}", "s3://clicklogger-jobs/clicklogger.jar");

const lifted = backend.lift!({ file: FILE, text, given: { region: "us-east-1", artifacts: "s3://clicklogger-artifacts/pipelines" } });

describe("the EMR Serverless polling machine moved to Airflow", () => {
  test("lifts with no error, its requests and the poll's condition in the API's spelling", () => {
    expect(lifted.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(text).not.toContain("${");
    const dag = dagText(lifted.pipeline!, { airflow: "2" });
    expect(dag).toContain('"jobRunId": sy_response(ti, "StartEMRServerlessJob", None, "jobRunId"),');
    expect(dag).not.toMatch(/"(ApplicationId|JobRunId|JobRun|State)"/);
  });

  const env = airflowWithMoto("2", () => ({ [`${lifted.pipeline!.name}.py`]: dagText(lifted.pipeline!, { airflow: "2" }) }), 10 * 60 * 1000);

  test(
    "runs in Airflow 2 against moto: one job run of the application, with the machine's driver and the input's date, polled to SUCCESS",
    () => {
      const r = runDag(env, lifted.pipeline!, "2", { emr_applications: [{ name: "clicklogger", conf: "app" }], conf: { InputDate: "2026-02-03" } });
      expect(r.state, JSON.stringify(r.tasks)).toBe("success");
      expect(r.emr_job_runs).toEqual([
        {
          name: "clicklogger",
          executionRole: ROLE,
          jobDriver: {
            sparkSubmit: {
              entryPoint: "s3://clicklogger-jobs/clicklogger.jar",
              entryPointArguments: ["2026-02-03", "us-east-1-clicklogger-dev-firehose-delivery-078876706719", "us-east-1-pattern-sfn-emrserverless-dev-output-078876706719"],
              sparkSubmitParameters: "--class com.examples.clicklogger.Loggregator",
            },
          },
          configurationOverrides: null,
          state: "SUCCESS",
        },
      ]);
    },
    10 * 60 * 1000,
  );
});
