/**
 * EMR Serverless aws steps that wait, on Airflow: each task calls the action
 * through boto3's `emr-serverless` client with the API's own (camelCase)
 * request, then polls GetApplication / GetJobRun until the application or
 * job run reaches a final state. The DAG is lint-clean and lifts back; in
 * real Airflow against moto, an application is created, started, runs a
 * Spark job and is stopped.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import type { Pipeline, Step } from "../../../src/ir/types.js";
import { stripPositions } from "../../../src/ir/values.js";
import { airflowWithMoto, motoEnv } from "./support/airflow.js";
import { dagText, lowerFor, taskCalls } from "./support/fixtures.js";
import { ruffWorkspace, asksForAirflow3 } from "./support/ruff.js";

const ruff = ruffWorkspace();
const tmp = mkdtempSync(join(tmpdir(), "sy-af-emrs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ROLE = "arn:aws:iam::111122223333:role/emr-serverless-job";

/** Create (waiting, or not and read for the application's id), start, run a job, stop. */
const YAML = (createWaits: boolean) => {
  const id = createWaits ? "00app1" : "\${{ steps.create.outputs.applicationId }}";
  return `
version: 1
pipeline: spark-nightly
region: us-east-1
artifacts: s3://example-spark-artifacts/runs
parameters:
  day: { type: string, default: "2026-01-05" }
steps:
  create:
    type: aws
    service: emr-serverless
    action: CreateApplication
    wait: ${createWaits}
    request:
      name: nightly
      type: SPARK
      releaseLabel: emr-7.1.0
      initialCapacity:
        DRIVER: { workerCount: 1, workerConfiguration: { cpu: 2vCPU, memory: 4GB } }
      tags: { team: ml }
${createWaits ? "" : "    outputs: { applicationId: string }\n"}  start:
    type: aws
    service: emr-serverless
    action: StartApplication
    wait: true
    request: { applicationId: "${id}" }
    depends_on: [create]
    timeout: 30m
  job:
    type: aws
    service: emr-serverless
    action: StartJobRun
    wait: true
    request:
      applicationId: "${id}"
      executionRoleArn: ${ROLE}
      name: "nightly-\${{ params.day }}"
      jobDriver:
        sparkSubmit: { entryPoint: s3://b/jobs/etl.py, entryPointArguments: ["--day", "\${{ params.day }}"] }
      configurationOverrides:
        applicationConfiguration:
          - classification: spark-defaults
            properties: { spark.executor.memory: 8g }
    depends_on: [start]
  stop:
    type: aws
    service: emr-serverless
    action: StopApplication
    wait: true
    request: { applicationId: "${id}" }
    depends_on: [job]
`;
};

function pipeline(text: string): Pipeline {
  const r = loadYamlText(text, join(tmp, "spark-nightly.yaml"), tmp);
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d)).join("\n"));
  return r.pipeline;
}

describe("EMR Serverless waits lowered for Airflow", () => {
  const r = lowerFor(pipeline(YAML(true)));
  const dag = r.files.find((f) => f.kind === "dag")?.contents ?? "";

  test("each task calls sy_aws_wait with the emr-serverless client's action, the API's request, and the job its row gives; lint-clean", () => {
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const got = taskCalls(dag);
    const app = (from: string) => ({ describe: "GetApplication", request: { applicationId: [from, "applicationId"] }, status: ["application", "state"] });
    const run = { describe: "GetJobRun", request: { applicationId: ["response", "applicationId"], jobRunId: ["response", "jobRunId"] }, status: ["jobRun", "state"] };
    expect(Object.fromEntries(Object.entries(got).map(([k, c]) => [k, [c.fn, c.args[0], c.args[1]]]))).toEqual({
      create_call: ["sy_aws_wait", "emr-serverless", "CreateApplication"],
      start_call: ["sy_aws_wait", "emr-serverless", "StartApplication"],
      job_call: ["sy_aws_wait", "emr-serverless", "StartJobRun"],
      stop_call: ["sy_aws_wait", "emr-serverless", "StopApplication"],
    });
    // Polled every 60 s; the most polls follow from the step's timeout (a day without one).
    expect(got.create_call.args[4]).toEqual({ ...app("response"), succeeded: ["CREATED"], failed: ["TERMINATED"], interval: 60, polls: 1441 });
    expect(got.start_call.args[4]).toEqual({ ...app("request"), succeeded: ["STARTED"], failed: ["TERMINATED"], interval: 60, polls: 31 });
    expect(got.job_call.args[4]).toEqual({ ...run, succeeded: ["SUCCESS"], failed: ["FAILED", "CANCELLED"], interval: 60, polls: 1441 });
    expect(got.stop_call.args[4]).toEqual({ ...app("request"), succeeded: ["STOPPED"], failed: ["TERMINATED"], interval: 60, polls: 1441 });
    // The request as boto3 takes it: camelCase members, worker types and Spark properties as written; no clientToken (boto3 fills it in).
    expect(got.create_call.args[2]).toEqual({ name: "nightly", type: "SPARK", releaseLabel: "emr-7.1.0", initialCapacity: { DRIVER: { workerCount: 1, workerConfiguration: { cpu: "2vCPU", memory: "4GB" } } }, tags: { team: "ml" } });
    expect(got.job_call.args[2]).toEqual(expect.stringContaining("'configurationOverrides': {'applicationConfiguration': [{'classification': 'spark-defaults', 'properties': {'spark.executor.memory': '8g'}}]}"));
    expect(got.job_call.args[2]).not.toEqual(expect.stringContaining("clientToken"));
    expect(ruff.check(dag).filter((d) => !asksForAirflow3(d)).map((d) => `${d.start_location.row}:${d.start_location.column} ${d.code} ${d.message}`)).toEqual([]);
  });

  test("the DAG lifts back to the same steps, which lower to the same file", () => {
    const back = airflow.lift!({ file: "spark-nightly.py", text: dag, given: { artifacts: "s3://example-spark-artifacts/runs" } });
    expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const view = (p: Pipeline) => p.steps.map((s) => s as Extract<Step, { kind: "aws" }>).map((s) => stripPositions([s.id, s.service, s.action, s.request, s.wait]));
    expect(view(back.pipeline!)).toEqual(view(pipeline(YAML(true))));
    const again = lowerFor(back.pipeline!).files.find((f) => f.kind === "dag")!.contents;
    expect(again.replace(/^# IR sha256:.*$/m, "")).toBe(dag.replace(/^# IR sha256:.*$/m, ""));
  });
});

/** A dag.test() run starts Airflow and talks to moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: EMR Serverless waits in real Airflow against moto", (line) => {
  // moto reports a new application STARTED at once, never CREATED: here the create call does not wait.
  const p = pipeline(YAML(false));
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line }) }), DAG_RUN_TIMEOUT);

  test(
    "dag.test() creates the application, waits for it started, runs the job to SUCCESS and waits for it stopped",
    () => {
      const spec = join(env.af.home, "spec.json");
      // A topic only so that the run reports each task's XCom.
      writeFileSync(spec, JSON.stringify({ endpoint: env.moto.url, region: p.region, line, logical_date: "2026-02-03T04:05:06+00:00", topics: [{ name: "unused", queue: "unused-seen" }] }));
      const r = env.af.check(["run", join(env.af.home, "dags", `${p.name}.py`), spec], motoEnv(env.moto.url, p.region));
      expect(r.tasks).toEqual({ create: "success", start: "success", job: "success", stop: "success" });
      expect(r.state).toBe("success");
      const app = r.xcom.create.applicationId as string;
      expect(app).toMatch(/^[0-9a-z]+$/);
      // A waiting task's result is the final Describe response.
      expect(r.xcom.start.application).toMatchObject({ applicationId: app, state: "STARTED" });
      expect(r.xcom.job.jobRun).toMatchObject({ applicationId: app, state: "SUCCESS", executionRole: ROLE });
      expect(r.xcom.stop.application).toMatchObject({ applicationId: app, state: "STOPPED" });
      // What moto holds afterwards: the job run as requested (worker types and Spark properties as written).
      const script = `import boto3, json, sys
c = boto3.client("emr-serverless", region_name="${p.region}", endpoint_url=sys.argv[1], aws_access_key_id="testing", aws_secret_access_key="testing")
app = c.get_application(applicationId=sys.argv[2])["application"]
(run,) = c.list_job_runs(applicationId=sys.argv[2])["jobRuns"]
job = c.get_job_run(applicationId=sys.argv[2], jobRunId=run["id"])["jobRun"]
print(json.dumps({"state": app["state"], "capacity": app.get("initialCapacity"), "job": {k: job.get(k) for k in ("name", "jobDriver", "configurationOverrides")}}))`;
      const seen = JSON.parse(execFileSync(env.af.venv.python, ["-c", script, env.moto.url, app], { encoding: "utf8" }));
      expect(seen).toEqual({
        state: "STOPPED",
        capacity: { DRIVER: { workerCount: 1, workerConfiguration: { cpu: "2vCPU", memory: "4GB" } } },
        job: {
          name: "nightly-2026-01-05",
          jobDriver: { sparkSubmit: { entryPoint: "s3://b/jobs/etl.py", entryPointArguments: ["--day", "2026-01-05"] } },
          configurationOverrides: { applicationConfiguration: [{ classification: "spark-defaults", properties: { "spark.executor.memory": "8g" } }] },
        },
      });
    },
    DAG_RUN_TIMEOUT,
  );
});
