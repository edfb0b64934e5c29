/**
 * Approval steps whose request goes to a Lambda function, or is laid out as
 * the message's own fields with the answer's address under a named key
 * (`token_field`), as hand-written state machines do. Step Functions: executed
 * in aws-local-stepfunctions and lifted back; SageMaker: refused by name;
 * Airflow: imported by DagBag, the token-field request answered by an approver
 * in a real run against moto, and the DAG lifted back.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import sfn from "../../backends/stepfunctions/index.js";
import sagemaker from "../../backends/sagemaker/index.js";
import airflow from "../../backends/airflow/index.js";
import { refusals } from "../../src/backend/refusals.js";
import { diffPipelines } from "../../src/diff/compare.js";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadYamlText } from "../../src/frontends/load.js";
import { findState, lower, run, yaml } from "./stepfunctions/support.js";
import { dagText } from "./airflow/support/fixtures.js";
import { airflowWithMoto, motoEnv } from "./airflow/support/airflow.js";
import { ruffWorkspace, asksForAirflow3 } from "./airflow/support/ruff.js";

const PIPELINE = `version: 1
pipeline: approvals
region: us-east-1
role: arn:aws:iam::111122223333:role/pipeline
artifacts: s3://approvals-artifacts/runs
steps:
  by_queue:
    type: approval
    queue: https://sqs.us-east-1.amazonaws.com/111122223333/approvals
    token_field: TaskToken
    message: { model: "\${{ execution.id }}", note: "check the model" }
    outputs: { ticket: string }
    timeout: 10m
  by_function:
    type: approval
    depends_on: [by_queue]
    function: arn:aws:lambda:us-east-1:111122223333:function:ask-by-email
    message: { ticket: "\${{ steps.by_queue.outputs.ticket }}" }
    timeout: 10m
`;

describe("approvals through a function, laid out by the pipeline", () => {
  test("checked: a queue or a function, exactly one; a token field that is no field of the message", () => {
    const r = loadYamlText(`version: 1
pipeline: ap
region: us-east-1
role: arn:aws:iam::111122223333:role/R
artifacts: s3://bucket-1/p
steps:
  neither:
    type: approval
    message: { x: 1 }
  both:
    type: approval
    queue: https://sqs.us-east-1.amazonaws.com/111122223333/q
    function: f
    token_field: x
    message: { x: 1 }
`, "ap.yaml", "/tmp");
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "ap.yaml:7:3: error: approval step 'neither' sends its request to a queue or to a function: exactly one of 'queue' and 'function'",
      "ap.yaml:10:3: error: approval step 'both' sends its request to a queue or to a function: exactly one of 'queue' and 'function'",
      "ap.yaml:15:19: error: approval step 'both': its token_field 'x' is also a field of its message (the token would replace it)",
    ]);
  });

  test("Step Functions: SQS with the token under its key, Lambda with Switchyard's envelope; both answered", async () => {
    const def = lower(yaml(PIPELINE)).definition;
    expect(findState(def, "by_queue")).toMatchObject({
      Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/111122223333/approvals", MessageBody: { "model.$": "$$.Execution.Name", note: "check the model", "TaskToken.$": "$$.Task.Token" } },
    });
    expect(findState(def, "by_function")).toMatchObject({ Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", Parameters: { FunctionName: "arn:aws:lambda:us-east-1:111122223333:function:ask-by-email" } });
    const seen: Record<string, unknown> = {};
    const r = await run(def, {}, {
      by_queue: (i) => ((seen.queue = i.MessageBody), { ticket: "T-7" }),
      by_function: (i) => ((seen.function = i.Payload), {}),
    });
    expect(r.status).toBe("SUCCEEDED");
    expect(seen.queue).toEqual({ model: "exec-1", note: "check the model", TaskToken: "local-task-token" });
    expect(seen.function).toEqual({ token: "local-task-token", execution: "arn:aws:states:us-east-1:111122223333:execution:machine:exec-1", step: "by_function", message: { ticket: "T-7" } });
  });

  test("Step Functions: our own machine lifts back to the same approvals", () => {
    const p = yaml(PIPELINE);
    const back = sfn.lift!({ file: "approvals.asl.json", text: JSON.stringify(lower(p).definition, null, 2) });
    expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(diffPipelines(p, back.pipeline!).filter((d) => d.step === "by_queue" || d.step === "by_function")).toEqual([]);
  });

  test("SageMaker Pipelines refuses both at their positions: a Callback step sends its own message to a queue", () => {
    const msgs = refusals(sagemaker, yaml(PIPELINE)).map((d) => `${d.pos.line}: ${d.message}`);
    expect(msgs).toEqual([
      expect.stringMatching(/^7: step .by_queue.: .*laid out by the pipeline.*not supported by Amazon SageMaker Pipelines: a Callback step lays out its own message/),
      expect.stringMatching(/^17: step .by_function.: .*invoking a Lambda function.*not supported by Amazon SageMaker Pipelines: a Callback step sends its message to an SQS queue only/),
    ]);
  });

  test("Airflow: the sensor invokes the function or sends to the queue, lint-clean; the DAG lifts back", () => {
    const p = yaml(PIPELINE);
    const dag = dagText(p);
    // The sensor's helper, from the helper module, bound to the DAG's id and Region.
    expect(dag).toMatch(/^from switchyard_helpers_[0-9a-f]{8} import sy_approval, sy_cat, sy_output$/m);
    expect(dag).toContain("sy_approval = partial(sy_approval, dag_id=DAG_ID, region=REGION)\n");
    expect(dag).toMatch(/function="arn:aws:lambda:us-east-1:111122223333:function:ask-by-email"/);
    expect(dag).toMatch(/token_field="TaskToken"/);
    const findings = ruffWorkspace().check(dag).filter((d) => !asksForAirflow3(d));
    expect(findings.map((d) => `${d.start_location.row} ${d.code} ${d.message}`)).toEqual([]);
    const back = airflow.lift!({ file: "approvals.py", text: dag, given: { artifacts: "s3://approvals-artifacts/runs" } });
    expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(diffPipelines(p, back.pipeline!).filter((d) => d.step === "by_queue" || d.step === "by_function")).toEqual([]);
  });
});

/** A dag.test() run starts Airflow and talks to moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

const QUEUE_ONLY = PIPELINE.slice(0, PIPELINE.indexOf("  by_function:"));

describe.each(["2", "3"] as const)("Airflow %s: approvals in real Airflow", (line) => {
  const env = airflowWithMoto(line, () => ({ "approvals.py": dagText(yaml(PIPELINE), { airflow: line }), "approvals_queue.py": dagText(yaml(QUEUE_ONLY.replace("pipeline: approvals", "pipeline: approvals_queue")), { airflow: line, "check-interval": "1" }) }), DAG_RUN_TIMEOUT);

  test("DagBag imports the DAG with both channels", () => {
    const r = env.af.check(["inspect", join(env.af.home, "dags", "approvals.py")]);
    expect(r.import_errors).toEqual({});
    expect(Object.keys(r.dags.approvals.tasks).sort()).toEqual(["by_function", "by_queue"]);
  });

  test("the approver finds the decision's address under the token field, beside the message's fields", () => {
    const { af, moto } = env;
    const spec = join(af.home, "spec.json");
    writeFileSync(spec, JSON.stringify({
      endpoint: moto.url, region: "us-east-1", line, logical_date: "2026-02-03T04:05:06+00:00", queues: ["approvals"], objects: [{ uri: "s3://approvals-artifacts/runs/README", body: "artifacts" }],
      approver: { queue: "approvals", token_field: "TaskToken", decision: { approved: true, outputs: { ticket: "T-7" } } },
    }));
    const r = af.check(["run", join(af.home, "dags", "approvals_queue.py"), spec], motoEnv(moto.url, "us-east-1"));
    expect([r.state, r.tasks]).toEqual(["success", { by_queue: "success" }]);
    const [req] = r.jobs.requests_seen_by_approver;
    expect(Object.keys(req).sort()).toEqual(["TaskToken", "model", "note"]);
    expect(req.note).toBe("check the model");
    expect(req.TaskToken).toMatch(/^s3:\/\/approvals-artifacts\/runs\/.+\/by_queue\/approval\/decision\.json$/);
  }, DAG_RUN_TIMEOUT);
});
