/**
 * The AWS-API path on a local moto server (Step Functions interpreter on,
 * state reset before each execution): moto accepts the machines, runs the
 * parameter handling and a real SQS task-token round trip. moto cannot run
 * SageMaker `.sync` tasks, so abalone runs there up to its first job.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startMoto, type Moto } from "../../support/moto.js";
import { fixture, lower, yaml } from "./support.js";

let moto: Moto;

async function call(target: string, body: unknown): Promise<any> {
  const service = target.startsWith("AmazonSQS") ? "sqs" : "states";
  const r = await fetch(moto.url, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": target,
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${target}: ${r.status} ${text}`);
  return JSON.parse(text);
}

/** Forget everything and turn the interpreter back on (moto needs it before each execution). */
async function reset(): Promise<void> {
  await moto.reset();
  const r = await fetch(`${moto.url}/moto-api/config`, { method: "POST", body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }) });
  expect(r.ok).toBe(true);
}

async function start(name: string, definition: string, input: unknown): Promise<string> {
  const sm = await call("AWSStepFunctions.CreateStateMachine", { name, definition, roleArn: "arn:aws:iam::123456789012:role/sfn" });
  const ex = await call("AWSStepFunctions.StartExecution", { stateMachineArn: sm.stateMachineArn, name: "run-1", input: JSON.stringify(input) });
  return ex.executionArn;
}

async function finished(arn: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const d = await call("AWSStepFunctions.DescribeExecution", { executionArn: arn });
    if (d.status !== "RUNNING") return d;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the execution did not finish");
}

async function enteredStates(arn: string): Promise<string[]> {
  const h = await call("AWSStepFunctions.GetExecutionHistory", { executionArn: arn });
  return h.events.filter((e: any) => e.stateEnteredEventDetails).map((e: any) => e.stateEnteredEventDetails.name);
}

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

describe("abalone on moto", () => {
  test("moto accepts the machine and runs parameter handling up to the first SageMaker job", async () => {
    const def = lower(await fixture("abalone", { dropCache: true })).files[0].contents;
    await reset();
    const ok = await start("abalone", def, {});
    const d = await finished(ok);
    expect(await enteredStates(ok)).toEqual(["Read input", "Merge parameters", "Check parameters"]);
    // moto has no `.sync` SageMaker integration; the machine got as far as the job.
    expect(d.cause).toContain("Unsupported sync callback procedure in resource arn:aws:states:::sagemaker:createProcessingJob.sync");

    await reset();
    const bad = await start("abalone", def, { model_approval_status: "Maybe" });
    const f = await finished(bad);
    expect([f.status, f.error]).toEqual(["FAILED", "InvalidParameter"]);
    expect(await enteredStates(bad)).toEqual(["Read input", "Merge parameters", "Check parameters", "Invalid parameter"]);
  });
});

describe("an approval round trip through SQS on moto", () => {
  const machine = (queue: string) =>
    lower(
      yaml(`version: 1
pipeline: approval-flow
region: us-east-1
artifacts: s3://bucket/p
parameters:
  threshold: { type: float, default: 0.5 }
steps:
  ask:
    type: approval
    queue: ${queue}
    message: { note: "It's {ok}?", threshold: "\${{ params.threshold }}" }
    outputs: { approved: boolean, score: float }
    timeout: 1h
  gate:
    type: condition
    if: \${{ steps.ask.outputs.approved and steps.ask.outputs.score >= params.threshold }}
    then: []
    else: [rejected]
  rejected:
    type: fail
    message: "rejected with score \${{ steps.ask.outputs.score }}"
`),
    ).files[0].contents;

  async function roundTrip(answer: { approved: boolean; score: number }, input: unknown) {
    await reset();
    const q = await call("AmazonSQS.CreateQueue", { QueueName: "approvals" });
    const arn = await start("approval-flow", machine(q.QueueUrl), input);
    let msg: any;
    for (let i = 0; i < 600 && !msg; i++) {
      const r = await call("AmazonSQS.ReceiveMessage", { QueueUrl: q.QueueUrl, WaitTimeSeconds: 0 });
      msg = r.Messages?.[0];
      if (!msg) await new Promise((res) => setTimeout(res, 50));
    }
    expect(msg).toBeDefined();
    const body = JSON.parse(msg.Body);
    await call("AWSStepFunctions.SendTaskSuccess", { taskToken: body.token, output: JSON.stringify(answer) });
    return { body, result: await finished(arn) };
  }

  test("the approver gets the token and the message; approving finishes the run", async () => {
    const { body, result } = await roundTrip({ approved: true, score: 0.7 }, {});
    expect(body.step).toBe("ask");
    expect(body.message).toEqual({ note: "It's {ok}?", threshold: 0.5 });
    expect(body.execution).toMatch(/:execution:approval-flow:run-1$/);
    expect(result.status).toBe("SUCCEEDED");
    expect(JSON.parse(result.output).steps.ask).toEqual({ outputs: { approved: true, score: 0.7 } });
  });

  test("a score under the threshold given at start fails with the formatted message", async () => {
    const { result } = await roundTrip({ approved: true, score: 0.7 }, { threshold: 0.9 });
    expect([result.status, result.error, result.cause]).toEqual(["FAILED", "rejected", "rejected with score 0.7"]);
  });
});

describe("an endpoint rollout on moto", () => {
  test("createModel, createEndpointConfig, createEndpoint, then the poll loop sees InService", async () => {
    const p = yaml(`version: 1
pipeline: endpoint-flow
role: arn:aws:iam::123456789012:role/R
region: us-east-1
artifacts: s3://bucket/p
parameters:
  name: { type: string, default: my-ep }
steps:
  ep: { type: endpoint, name: "\${{ params.name }}", model: "s3://b/m.tar.gz", image: "xgboost:1.7-1", instance: { type: ml.m5.large }, timeout: 2m }
`);
    const def = lower(p).definition;
    // The poll interval is shortened for the local run; everything else is as generated.
    def.States["ep.wait"].Seconds = 1;
    await reset();
    const arn = await start("endpoint-flow", JSON.stringify(def), {});
    const d = await finished(arn);
    expect(d.status).toBe("SUCCEEDED");
    expect(JSON.parse(d.output).steps.ep).toEqual({ arn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-ep", name: "my-ep" });
    expect(await enteredStates(arn)).toEqual(["Read input", "Merge parameters", "Check parameters", "ep.model", "ep.config", "ep", "ep.wait", "ep.status", "ep.check", "ep.done"]);
  });
});
