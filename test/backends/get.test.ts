/**
 * get(value, 'a.b[0]'): the part of a computed value at a path written out, such as
 * a field of a JSON document parse() read. Step Functions computes the function first
 * in a Pass before the step (JSONPath cannot read into an intrinsic's result) and runs
 * the same in aws-local-stepfunctions; Airflow reads it in Python (sy_at); SageMaker
 * refuses it. Both lifters read it back, and a real machine's read below
 * States.StringToJson lifts to it.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import sfn from "../../backends/stepfunctions/index.js";
import sagemaker from "../../backends/sagemaker/index.js";
import airflow from "../../backends/airflow/index.js";
import { refusals } from "../../src/backend/refusals.js";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadYamlText } from "../../src/frontends/load.js";
import { parseExpression } from "../../src/ir/expr/parser.js";
import { parsePathText, printPathText } from "../../src/ir/expr/path-text.js";
import { printExpr } from "../../src/ir/expr/print.js";
import type { Step } from "../../src/ir/types.js";
import { diffPipelines } from "../../src/diff/compare.js";
import { findState, lower, run, yaml } from "./stepfunctions/support.js";
import { dagText, helperDefs } from "./airflow/support/fixtures.js";

const PIPELINE = `version: 1
pipeline: transcript
region: us-east-1
role: arn:aws:iam::111122223333:role/R
artifacts: s3://bucket-1/p
steps:
  read:
    type: aws
    service: s3
    action: GetObject
    request: { Bucket: bucket-1, Key: transcript.json }
  tell:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: "arn:aws:sns:us-east-1:111122223333:t"
      Message: "\${{ get(parse(steps.read.response.Body), 'results.transcripts[0].transcript') }}"
      Subject: "\${{ get(parse(steps.read.response.Body), 'results.language') }}"
  done:
    type: condition
    depends_on: [tell]
    if: \${{ get(parse(steps.read.response.Body), "['job status']") == 'COMPLETED' }}
    else: [stop]
  stop:
    type: fail
    error: NotDone
    message: the transcription is not done
`;

const document = (status: string) => JSON.stringify({ results: { transcripts: [{ transcript: "hello there" }], language: "en-GB" }, "job status": status });

describe("get()", () => {
  test("paths written out: keys, indexes and quoted keys, printed back the same", () => {
    expect(parsePathText("results.transcripts[0].transcript")).toEqual(["results", "transcripts", 0, "transcript"]);
    expect(parsePathText("['job status'].a")).toEqual(["job status", "a"]);
    expect(parsePathText("['it\\'s']")).toEqual(["it's"]);
    for (const bad of ["", ".a", "a.", "a..b", "a[x]", "a['b"]) expect(parsePathText(bad), bad).toBeUndefined();
    for (const path of [["a", 0, "b c"], ["x-y", "it's", 3]]) expect(parsePathText(printPathText(path))).toEqual(path);
    // Of a reference with a path, it is that reference with a longer path.
    expect(printExpr(parseExpression("get(steps.read.response, 'a[1].b')", () => ({ file: "f", line: 1, col: 1 })))).toBe("steps.read.response.a[1].b");
    expect(printExpr(parseExpression("get(parse(steps.read.response.Body), 'a[1]')", () => ({ file: "f", line: 1, col: 1 })))).toBe("get(parse(steps.read.response.Body), 'a[1]')");
  });

  test("the path must be written out, and be a path", () => {
    const errs = (expr: string) => loadYamlText(PIPELINE.replace("'results.language'", expr), "p.yaml", "/tmp").diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    expect(errs("steps.read.response.Key")).toEqual(["p.yaml:19:58: error: get() takes its path written out as text ('a.b[0]'): every target reads a fixed path"]);
    expect(errs("'a..b'")).toEqual(["p.yaml:19:58: error: get() path 'a..b' is not a path: keys separated by '.', indexes from 0 as [0], other keys quoted as ['a b']"]);
  });

  test("Step Functions: a Pass before the step parses the document once; the runs read the parts", async () => {
    const def = lower(yaml(PIPELINE)).definition;
    expect(findState(def, "tell.values")).toEqual({ Type: "Pass", Parameters: { "v0.$": "States.StringToJson($.steps.read.response.Body)" }, ResultPath: "$.values", Next: "tell" });
    expect(findState(def, "tell").Parameters).toEqual({
      TopicArn: "arn:aws:sns:us-east-1:111122223333:t",
      "Message.$": "$.values.v0.results.transcripts[0].transcript",
      "Subject.$": "$.values.v0.results.language",
    });
    expect(findState(def, "done").Choices[0]).toMatchObject({ Variable: "$.values.v0['job status']", StringEquals: "COMPLETED" });
    const go = (status: string) => run(def, {}, { read: () => ({ Body: document(status), ContentType: "application/json" }), tell: () => ({ MessageId: "m" }) });
    const ok = await go("COMPLETED");
    expect(ok.status).toBe("SUCCEEDED");
    expect(ok.inputs.tell[0]).toEqual({ TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "hello there", Subject: "en-GB" });
    expect((await go("IN_PROGRESS")).status).toBe("FAILED");
  });

  test("Step Functions: our machine lifts back to the same pipeline", () => {
    const p = yaml(PIPELINE);
    const back = sfn.lift!({ file: "t.asl.json", text: JSON.stringify(lower(p).definition, null, 2), given: { artifacts: "s3://bucket-1/p", role: "arn:aws:iam::111122223333:role/R" } });
    expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(diffPipelines(p, back.pipeline!)).toEqual([]);
  });

  test("Step Functions: each foreach copy computes its own values in its branch, and lifts back to one foreach step", async () => {
    const p = yaml(`version: 1
pipeline: copies
region: us-east-1
artifacts: s3://bucket-1/p
steps:
  read:
    type: aws
    service: s3
    action: GetObject
    request: { Bucket: bucket-1, Key: langs.json }
  tell:
    type: aws
    service: sns
    action: Publish
    foreach: [{ lang: en }, { lang: fr }]
    request:
      TopicArn: "arn:aws:sns:us-east-1:111122223333:t"
      Message: "\${{ get(parse(steps.read.response.Body), 'greeting') }} \${{ item.lang }}"
`);
    const def = lower(p).definition;
    const branches = findState(def, "tell").Branches as Array<{ StartAt: string }>;
    expect(branches.map((b) => b.StartAt)).toEqual(["tell_0.values", "tell_1.values"]);
    const r = await run(def, {}, { read: () => ({ Body: JSON.stringify({ greeting: "hi" }) }), tell_0: () => ({ MessageId: "a" }), tell_1: () => ({ MessageId: "b" }) });
    expect(r.status).toBe("SUCCEEDED");
    expect([r.inputs.tell_0[0].Message, r.inputs.tell_1[0].Message]).toEqual(["hi en", "hi fr"]);
    const back = sfn.lift!({ file: "c.asl.json", text: JSON.stringify(def, null, 2), given: { artifacts: "s3://bucket-1/p" } });
    expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(lower(back.pipeline!).definition).toEqual(def);
  });

  test("Step Functions: a step's own response cannot be read below a function before the step runs", () => {
    const p = yaml(`version: 1
pipeline: own
region: us-east-1
artifacts: s3://bucket-1/p
steps:
  poll:
    type: aws
    service: s3
    action: GetObject
    request: { Bucket: bucket-1, Key: status.json }
    repeat: { until: "\${{ get(parse(steps.poll.response.Body), 'done') == true }}", interval: 10s }
`);
    const r = sfn.lower(p, { baseDir: "/tmp", options: {} });
    expect(r.files).toEqual([]);
    expect(r.diagnostics.map(formatDiagnostic)).toContainEqual(expect.stringContaining("get() below a function of step 'poll's own response cannot be computed before the step runs"));
  });

  test("Airflow: sy_at reads the part, and a part that is not there fails without retry, naming it; the DAG lifts back", () => {
    const p = yaml(PIPELINE);
    const dag = dagText(p);
    expect(dag).toMatch(/^from switchyard_helpers_[0-9a-f]{8} import sy_at, sy_aws, sy_parse, sy_response, sy_text$/m);
    // SNS's Message is text: a value that is not is sent as its JSON text (sy_text), as on every aws step.
    expect(dag.replace(/\s+/g, " ")).toContain('"Message": sy_text( sy_at( sy_parse(sy_response(ti, "read", None, "Body")), "results", "transcripts", 0, "transcript", ), )');
    expect(dag.replace(/\s+/g, " ")).toContain('sy_at(sy_parse(sy_response(ti, "read", None, "Body")), "job status")');
    const script = `import json
class AirflowFailException(Exception):
    pass
${helperDefs(dag, ["sy_walk", "sy_parse", "sy_at"])}
doc = sy_parse(${JSON.stringify(document("COMPLETED"))})
out = [sy_at(doc, "results", "transcripts", 0, "transcript"), sy_at(doc, "job status")]
try:
    sy_at(doc, "results", "transcripts", 1)
except AirflowFailException as e:
    out.append(str(e))
print(json.dumps(out))`;
    expect(JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" }))).toEqual(["hello there", "COMPLETED", "the value get() reads has no ['results']['transcripts'][1]"]);
    const back = airflow.lift!({ file: "transcript.py", text: dag, given: { artifacts: "s3://bucket-1/p", role: "arn:aws:iam::111122223333:role/R" } });
    expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const tell = back.pipeline!.steps.find((s) => s.id === "tell") as Extract<Step, { kind: "aws" }>;
    expect(printExpr(tell.request.Message)).toBe("get(parse(steps.read.response.Body), 'results.transcripts[0].transcript')");
  });

  test("SageMaker refuses it at its position", () => {
    const refused = refusals(sagemaker, yaml(PIPELINE)).filter((d) => d.message.includes("get()"));
    expect(refused.map((d) => `${d.pos.line}:${d.pos.col}`)).toEqual(["18:21", "19:21", "23:13"]);
  });
});
