/** `aws` steps: one Task each (aws-sdk or an optimized request-response integration), validated and executed. */
import { describe, expect, test } from "vitest";
import { awsCallOf, awsResource } from "../../../backends/stepfunctions/aws-calls.js";
import { aslValidator, awsError, lower, run, yaml } from "./support.js";

const HEAD = `version: 1
pipeline: calls
region: us-east-1
artifacts: s3://bucket/calls
`;

const PIPELINE = `${HEAD}parameters:
  doc: { type: string, default: "great product" }
steps:
  sentiment:
    type: aws
    service: comprehend
    action: DetectSentiment
    request: { LanguageCode: en, Text: "\${{ params.doc }}" }
    outputs: { Sentiment: string }
    retry: { attempts: 3, interval: 2, on: [throttling] }
    timeout: 30
  ask:
    type: aws
    service: bedrock-runtime
    action: InvokeModel
    request:
      ModelId: anthropic.claude-v2
      Body: { prompt: "Say \${{ steps.sentiment.outputs.Sentiment }}", max_tokens: 20 }
    outputs: { Body: string }
  record:
    type: aws
    service: dynamodb
    action: PutItem
    request:
      TableName: results
      Item: { id: { S: "\${{ execution.id }}" }, sentiment: { S: "\${{ steps.sentiment.outputs.Sentiment }}" } }
    depends_on: [ask]
  notify:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:done", Message: "sentiment \${{ steps.sentiment.outputs.Sentiment }}" }
    outputs: { MessageId: string }
    depends_on: [record]
  done:
    type: fail
    message: "sent \${{ steps.notify.outputs.MessageId }}"
`;

const out = lower(yaml(PIPELINE, "calls.yaml"));
const def = out.definition;

describe("aws steps on Step Functions", () => {
  test("resources: aws-sdk with the SDK's service id and a camelCase action, or the optimized integration", () => {
    expect(awsResource("comprehend", "DetectSentiment")).toEqual({ resource: "arn:aws:states:::aws-sdk:comprehend:detectSentiment" });
    expect(awsResource("bedrock-runtime", "Converse")).toEqual({ resource: "arn:aws:states:::aws-sdk:bedrockruntime:converse" });
    expect(awsResource("events", "ListRules")).toEqual({ resource: "arn:aws:states:::aws-sdk:eventbridge:listRules" });
    expect(awsResource("sns", "Publish")).toEqual({ resource: "arn:aws:states:::sns:publish" });
    expect(awsResource("no-such-service", "Go")).toHaveProperty("error");
    // Read back: both forms.
    expect(awsCallOf("arn:aws:states:::aws-sdk:bedrockruntime:converse")).toEqual({ service: "bedrock-runtime", action: "Converse" });
    expect(awsCallOf("arn:aws:states:::dynamodb:updateItem")).toEqual({ service: "dynamodb", action: "UpdateItem" });
    expect(awsCallOf("arn:aws:states:::glue:startJobRun.sync")).toBeUndefined();
  });

  test("lower without diagnostics to a machine asl-validator accepts", () => {
    expect(out.diagnostics).toEqual([]);
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    expect(def.States.sentiment).toEqual({
      Type: "Task",
      Resource: "arn:aws:states:::aws-sdk:comprehend:detectSentiment",
      Parameters: { LanguageCode: "en", "Text.$": "$.params.doc" },
      ResultSelector: { outputs: { "Sentiment.$": "$.Sentiment" } },
      ResultPath: "$.steps.sentiment",
      TimeoutSeconds: 30,
      Retry: [{ ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 2 }],
      Next: "ask",
    });
    expect(def.States.ask.Resource).toBe("arn:aws:states:::bedrock:invokeModel");
    expect(def.States.record.Resource).toBe("arn:aws:states:::dynamodb:putItem");
    expect(def.States.notify.Resource).toBe("arn:aws:states:::sns:publish");
  });

  test("a run sends each request with its expressions filled in and later steps read the declared outputs", async () => {
    const r = await run(def, { doc: "awful" }, {
      sentiment: () => ({ Sentiment: "NEGATIVE", SentimentScore: { Negative: 0.9 } }),
      ask: () => ({ Body: { completion: "NEGATIVE" }, ContentType: "application/json" }),
      record: () => ({}),
      notify: () => ({ MessageId: "m-1" }),
    });
    expect(r.finished).toEqual(["sentiment", "ask", "record", "notify"]);
    expect(r.inputs.sentiment[0]).toEqual({ LanguageCode: "en", Text: "awful" });
    expect(r.inputs.ask[0]).toEqual({ ModelId: "anthropic.claude-v2", Body: { prompt: "Say NEGATIVE", max_tokens: 20 } });
    expect(r.inputs.record[0]).toEqual({ TableName: "results", Item: { id: { S: "exec-1" }, sentiment: { S: "NEGATIVE" } } });
    expect(r.inputs.notify[0]).toEqual({ TopicArn: "arn:aws:sns:us-east-1:111122223333:done", Message: "sentiment NEGATIVE" });
    expect([r.status, r.error, r.cause]).toEqual(["FAILED", "done", "sent m-1"]);
  });

  test("a failing call is retried by its rule: two attempts fail, the third answers", async () => {
    let calls = 0;
    const r = await run(def, {}, {
      sentiment: () => {
        if (++calls < 3) throw awsError("States.TaskFailed", "Comprehend.TooManyRequestsException");
        return { Sentiment: "POSITIVE" };
      },
      ask: () => ({ Body: {} }),
      record: () => ({}),
      notify: () => ({ MessageId: "m-2" }),
    });
    expect(calls).toBe(3);
    expect(r.inputs.sentiment[0]).toEqual({ LanguageCode: "en", Text: "great product" });
    expect([r.status, r.cause]).toEqual(["FAILED", "sent m-2"]);
  });

  test("a service with no known SDK id is refused naming the step", () => {
    const r = lower(yaml(`${HEAD}steps:\n  x: { type: aws, service: made-up, action: Go }\n`, "bad.yaml"));
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/^step 'x': service 'made-up' has no known AWS SDK id/)]);
  });
});
