/**
 * A model step's response (`steps.M.response`): CreateModel's answer on Step
 * Functions (executed: the function gets the model's ARN), DescribeModel's on
 * SageMaker Pipelines (a property, one path at a time) and Airflow (the
 * operator's XCom under "Model"); ModelArn reads the same value everywhere.
 */
import { describe, expect, test } from "vitest";
import { lower as lowerSfn, run, yaml as sfnYaml, findState } from "./stepfunctions/support.js";
import { lambdaInvoke, sagemaker as sm } from "./stepfunctions/services.js";
import { definition, errors } from "./sagemaker/support/load.js";
import { dagText } from "./airflow/support/fixtures.js";

const PIPELINE = `version: 1
pipeline: model-arn
region: us-east-1
role: arn:aws:iam::111122223333:role/pipeline
artifacts: s3://bucket-1/p
steps:
  m:
    type: model
    image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/xgb:1
    model: s3://bucket-1/model.tar.gz
  tell:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:tell
    payload: { arn: "\${{ steps.m.response.ModelArn }}" }
WHOLE`;

const whole = (on: boolean) => PIPELINE.replace("WHOLE", on ? `  all:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:all
    payload: "\${{ steps.m.response }}"
` : "");

describe("a model step's response", () => {
  test("Step Functions keeps CreateModel's answer when read: the functions get the ARN, and the whole answer", async () => {
    const def = lowerSfn(sfnYaml(whole(true))).definition;
    expect(findState(def, "m").ResultSelector).toEqual({ "arn.$": "$.ModelArn", "response.$": "$" });
    const got: Record<string, unknown> = {};
    const r = await run(def, {}, {
      m: sm.createModel(),
      tell: lambdaInvoke((p) => ((got.tell = p), {})),
      all: lambdaInvoke((p) => ((got.all = p), {})),
    });
    expect(r.status).toBe("SUCCEEDED");
    const arn = (got.tell as { arn: string }).arn;
    expect(arn).toMatch(/^arn:aws:sagemaker:us-east-1:111122223333:model\/m-/);
    expect(got.all).toEqual({ ModelArn: arn });
  });

  test("Step Functions keeps nothing more when no step reads it", () => {
    const p = sfnYaml(PIPELINE.replace("WHOLE", "").replace("payload: { arn: \"${{ steps.m.response.ModelArn }}\" }", "payload: { name: \"${{ steps.m.name }}\" }"));
    expect(findState(lowerSfn(p).definition, "m").ResultSelector).toEqual({ "arn.$": "$.ModelArn" });
  });

  test("SageMaker Pipelines reads a path as the step's property; the whole response is refused at its position", () => {
    const d = definition(sfnYaml(whole(false)));
    const tell = d.Steps.find((s) => s.Name === "tell")!;
    expect(JSON.stringify(tell)).toContain('{"Get":"Steps.m.ModelArn"}');
    const inMap = whole(true).replace('payload: "${{ steps.m.response }}"', 'payload: { all: "${{ steps.m.response }}" }');
    expect(errors(sfnYaml(inMap))).toEqual([expect.stringMatching(/^inline\.yaml:18:\d+: .*one property of a step at a time, not its whole response/)]);
    // A payload given whole is no named arguments: refused, not sent empty.
    expect(errors(sfnYaml(whole(true)))).toEqual([
      "inline.yaml:18:19: step 'all': the payload is one value given whole, and a SageMaker Lambda step sends named arguments only: write the payload as a map of fields",
    ]);
  });

  test("Airflow reads DescribeModel's response from the operator's XCom, under Model", () => {
    const dag = dagText(sfnYaml(whole(true)));
    expect(dag).toContain('sy_response(ti, "m", "Model", "ModelArn")');
    expect(dag).toContain('sy_response(ti, "m", "Model")');
  });
});
