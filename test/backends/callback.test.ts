/**
 * An aws step with `callback: true`: its request carries ${{ task.token }}, and the step
 * waits until the party it reaches sends the token back. Step Functions writes the
 * integration's .waitForTaskToken form (run in aws-local-stepfunctions, whose handler
 * answers as that party would); the lifter reads such states back, and Airflow and
 * SageMaker refuse the step by name.
 */
import { describe, expect, test } from "vitest";
import sfn from "../../backends/stepfunctions/index.js";
import sagemaker from "../../backends/sagemaker/index.js";
import airflow from "../../backends/airflow/index.js";
import { refusals } from "../../src/backend/refusals.js";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadYamlText } from "../../src/frontends/load.js";
import { diffPipelines } from "../../src/diff/compare.js";
import { findState, lower, run, yaml } from "./stepfunctions/support.js";

const PIPELINE = `version: 1
pipeline: export
region: eu-west-2
role: arn:aws:iam::111122223333:role/R
artifacts: s3://bucket-1/p
steps:
  ask:
    type: aws
    service: sns
    action: Publish
    callback: true
    request:
      TopicArn: "arn:aws:sns:eu-west-2:111122223333:exports"
      Message: "export \${{ execution.input.consignmentId }}"
      MessageAttributes: { token: { DataType: String, StringValue: "\${{ task.token }}" } }
    outputs: { location: string }
  tell:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:eu-west-2:111122223333:t", Message: "exported to \${{ steps.ask.outputs.location }}" }
`;

describe("callback: true", () => {
  test("Step Functions: the .waitForTaskToken form with $$.Task.Token; the answer is the step's response", async () => {
    const def = lower(yaml(PIPELINE)).definition;
    const ask = findState(def, "ask");
    expect(ask.Resource).toBe("arn:aws:states:::sns:publish.waitForTaskToken");
    expect(ask.Parameters.MessageAttributes).toEqual({ token: { DataType: "String", "StringValue.$": "$$.Task.Token" } });
    const r = await run(def, { consignmentId: "c-7" }, { ask: () => ({ location: "s3://exports/c-7.zip" }), tell: () => ({ MessageId: "m" }) });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.inputs.ask[0].Message).toBe("export c-7");
    expect(typeof r.inputs.ask[0].MessageAttributes.token.StringValue).toBe("string");
    expect(r.inputs.tell[0].Message).toBe("exported to s3://exports/c-7.zip");
  });

  test("Step Functions: our machine lifts back to the same pipeline", () => {
    const p = yaml(PIPELINE);
    const back = sfn.lift!({ file: "e.asl.json", text: JSON.stringify(lower(p).definition, null, 2), given: { artifacts: "s3://bucket-1/p", role: "arn:aws:iam::111122223333:role/R", region: "eu-west-2" } });
    expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(diffPipelines(p, back.pipeline!)).toEqual([]);
  });

  test("the token only where a callback step sends it; a callback step must send it, and neither waits nor repeats", () => {
    const errs = (text: string) => loadYamlText(text, "p.yaml", "/tmp").diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    expect(errs(PIPELINE.replace("exported to", "token \${{ task.token }} exported to"))).toEqual([
      "p.yaml:21:86: error: task.token is only available in the request of an aws step with 'callback: true' (what the party that answers sends back)",
    ]);
    const both = errs(PIPELINE.replace("callback: true", "callback: true\n    wait: true"));
    expect(both).toContainEqual("p.yaml:7:3: error: step 'ask' has both 'wait' and 'callback': a call either waits for its job or for its task token to be sent back");
    const noToken = errs(PIPELINE.replace(', MessageAttributes: { token: { DataType: String, StringValue: "${{ task.token }}" } }', "").replace(/\n      MessageAttributes: .*\n/, "\n"));
    expect(noToken).toEqual(["p.yaml:7:3: error: step 'ask' has 'callback: true' but its request carries no ${{ task.token }}: nobody could send the token back\n  hint: put ${{ task.token }} where the party that answers reads it (a message field, a container's environment)"]);
  });

  test("Airflow refuses it by name, SageMaker by its kind", () => {
    const p = yaml(PIPELINE);
    expect(refusals(airflow, p).map((d) => d.message)).toContainEqual(expect.stringContaining("step 'ask': an AWS call that carries a task token and waits until it is sent back (callback) is not supported by Apache Airflow on Amazon MWAA"));
    // SageMaker calls no AWS API at all: the step's kind is what it refuses.
    expect(refusals(sagemaker, p).map((d) => d.message)).toContainEqual(expect.stringContaining("step 'ask': aws step is not supported by Amazon SageMaker Pipelines"));
  });
});
