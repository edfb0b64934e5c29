/**
 * Repeated aws calls and Lambda functions, named errors and the expression language's functions on
 * Airflow: the generated callables (lint-clean), the helpers' meaning (the same
 * as Step Functions' intrinsics), our own DAG lifted back to the same IR, and a
 * real DAG run in Airflow 2 and 3 against moto: a poll that sees the message
 * another task sent, a function invoked until its result says done, and a poll
 * that gives up after the calls its timeout allows.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { stripPositions } from "../../../src/ir/values.js";
import type { Pipeline, Step } from "../../../src/ir/types.js";
import { airflowWithMoto, motoEnv } from "./support/airflow.js";
import { dagText, tight } from "./support/fixtures.js";
import { ruffWorkspace, asksForAirflow3 } from "./support/ruff.js";
import { helperModule } from "../../../backends/airflow/render.js";

const ruff = ruffWorkspace();
const tmp = mkdtempSync(join(tmpdir(), "sy-repeat-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const YAML = `
version: 1
pipeline: poll-events
region: eu-west-1
artifacts: s3://example-events-artifacts/runs
parameters:
  topic_arn: { type: string, default: "arn:aws:sns:eu-west-1:111122223333:model-events" }
  queue_url: { type: string, default: "https://sqs.eu-west-1.amazonaws.com/111122223333/work" }
  status_every: { type: integer, default: 1 }
steps:
  send:
    type: aws
    service: sqs
    action: SendMessage
    request: { QueueUrl: "\${{ params.queue_url }}", MessageBody: train/churn/v7 }
  poll:
    type: aws
    service: sqs
    action: ReceiveMessage
    request: { QueueUrl: "\${{ params.queue_url }}", MaxNumberOfMessages: 1, VisibilityTimeout: 600 }
    depends_on: [send]
    repeat: { until: "\${{ exists(steps.poll.response.Messages) }}", interval: 1s }
  report:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: \${{ params.topic_arn }}
      Subject: \${{ item(split(steps.poll.response.Messages[0].Body, '/'), 1) }}
      Message: \${{ json(split(steps.poll.response.Messages[0].Body, '/')) }}
      MessageAttributes: { run: { DataType: String, StringValue: "\${{ uuid() }}" } }
  status:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:training-status
    payload: { message: "\${{ steps.poll.response.Messages[0].Body }}" }
    outputs: { state: string }
    repeat: { until: "\${{ steps.status.outputs.state != 'RUNNING' }}", interval: "\${{ params.status_every }}" }
  never:
    type: aws
    service: sqs
    action: ReceiveMessage
    request: { QueueUrl: "\${{ params.queue_url }}", MaxNumberOfMessages: 1 }
    depends_on: [report]
    repeat: { until: "\${{ exists(steps.never.response.Messages) }}", interval: 1s }
    timeout: 3s
  check:
    type: condition
    if: \${{ steps.poll.response.Messages[0].Body == 'train/churn/v7' }}
    then: [seen]
    else: [wrong]
  seen:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "\${{ params.topic_arn }}", Message: "\${{ set(steps.poll.response.Messages[0], 'checked', object('by', 'poll')) }}" }
  wrong:
    type: fail
    error: UnexpectedMessage
    message: "got \${{ steps.poll.response.Messages[0].Body }}"
`;

function pipeline(): Pipeline {
  const r = loadYamlText(YAML, join(tmp, "poll-events.yaml"), tmp);
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

/** The helper module the DAGs import (Airflow 2). */
const HELPER_TEXT = helperModule("2").text;

/** The body of a top-level function of the DAG or the helper module, by name. */
function defOf(dag: string, name: string): string {
  // A signature may span lines (its closing parenthesis at the start of one): the body ends at two blank lines.
  const at = dag.indexOf(`\ndef ${name}(`);
  if (at < 0) throw new Error(`no ${name} in the DAG`);
  const end = dag.indexOf("\n\n\n", at + 1);
  return dag.slice(at + 1, end < 0 ? undefined : end).trimEnd();
}

describe("repeated calls and functions lowered for Airflow", () => {
  const dag = dagText(pipeline());

  test("the callables: a repeated call with its condition on the response, the bound its timeout gives, the functions as helpers", () => {
    expect(tight(defOf(dag, "poll_call"))).toContain(tight('lambda response: sy_exists(sy_get, response, "Messages"), 1, None)'));
    // 3 s at 1 s apart: three calls, the waits between them (2 s) within the timeout.
    expect(tight(defOf(dag, "never_call"))).toContain(tight('lambda response: sy_exists(sy_get, response, "Messages"), 1, 3)'));
    const report = tight(defOf(dag, "report_call"));
    expect(report).toContain(tight('"Subject": sy_item(sy_split(sy_response(ti, "poll", None, "Messages", 0, "Body"), "/"), 1)'));
    expect(report).toContain(tight('"Message": sy_json(sy_split(sy_response(ti, "poll", None, "Messages", 0, "Body"), "/"))'));
    expect(report).toContain(tight('"StringValue": sy_uuid()'));
    // A repeated Lambda function: one Python task, its payload the JSON text the operator would send, its condition on the decoded result.
    // Its interval read from a parameter when the task runs.
    expect(tight(defOf(dag, "status_call"))).toBe(
      tight(`def status_call(ti, params):
    return sy_lambda_repeat(
        "arn:aws:lambda:eu-west-1:111122223333:function:training-status",
        json.dumps({"message": sy_response(ti, "poll", None, "Messages", 0, "Body")}, sort_keys=True),
        {"state": "string"},
        lambda response: operator.ne(sy_get(response, "state"), "RUNNING"),
        params["status_every"],
        None,
    )`),
    );
    expect(dag).toMatch(/status = PythonOperator\(task_id="status", python_callable=status_call\)/);
    // Data known only at run time as a message: sent as text if it is text, else as its JSON text.
    expect(tight(defOf(dag, "seen_call"))).toContain(tight('"Message": sy_text(sy_set(sy_response(ti, "poll", None, "Messages", 0), "checked", sy_object("by", "poll")))'));
    expect(defOf(dag, "wrong_fail")).toContain('"UnexpectedMessage: got "');
    // The DAG is for Airflow 2 (the default): the rules about Airflow 3's new module paths do not apply.
    const findings = ruff.check(dag).filter((d) => !asksForAirflow3(d));
    expect(findings.map((d) => `${d.start_location.row}:${d.start_location.column} ${d.code} ${d.message}`)).toEqual([]);
    expect(ruff.format(dag)).toBe(dag);
  });

  test("sy_lambda_repeat invokes until the condition holds and returns the function's JSON text; a function error or a missing output fails at once; the bound ends it", () => {
    const script = `import json
class AirflowException(Exception):
    pass
${defOf(HELPER_TEXT, "sy_cast")}
class time:
    slept = []
    @staticmethod
    def sleep(s):
        time.slept.append(s)
def sy_get(value, *path):
    for key in path:
        value = value[key]
    return value
CALLS = []
ANSWERS = []
def sy_aws(service, action, request, outputs, *, region):
    CALLS.append([service, action, request, outputs, region])
    return ANSWERS.pop(0)
${defOf(HELPER_TEXT, "sy_lambda_repeat")}
def attempt(answers, calls, *limit):
    CALLS.clear()
    time.slept.clear()
    ANSWERS[:] = answers
    try:
        out = ["ok", sy_lambda_repeat("fn", '{"a": 1}', {"state": "string", "n": "integer"}, lambda r: sy_get(r, "state") != "RUNNING", 2.5, calls, *limit, region="eu-west-1")]
    except (AirflowException, KeyError, ValueError) as e:
        out = [type(e).__name__, str(e)]
    return out + [len(CALLS), list(time.slept), CALLS[0]]
running = {"StatusCode": 200, "Payload": '{"state": "RUNNING", "n": 1}'}
print(json.dumps([
    attempt([running, running, {"StatusCode": 200, "Payload": '{"state": "DONE", "n": 3}'}], None),
    attempt([running, {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": '{"errorMessage": "boom"}'}], None),
    attempt([running, running, running], 2),
    attempt([running, running, running], 2, "ExportNotReady", "not done after 2 checks"),
    attempt([{"StatusCode": 200, "Payload": '{"state": "DONE"}'}], None),
    attempt([{"StatusCode": 200, "Payload": '{"state": "DONE", "n": "x"}'}], None),
]))`;
    const out = JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" }));
    const request = ["lambda", "Invoke", { FunctionName: "fn", InvocationType: "RequestResponse", Payload: '{"a": 1}' }, {}, "eu-west-1"];
    expect(out).toEqual([
      ["ok", '{"state": "DONE", "n": 3}', 3, [2.5, 2.5], request],
      ["AirflowException", 'Lambda function fn failed: {"errorMessage": "boom"}', 2, [2.5], request],
      ["AirflowException", "Lambda function fn: the condition did not hold after 2 calls", 2, [2.5], request],
      // With max_calls the bound: the repeat's error and message.
      ["AirflowException", "ExportNotReady: not done after 2 checks", 2, [2.5], request],
      // A declared output missing, or not of its type, fails the task.
      ["KeyError", "\"Lambda function fn returned no 'n'\"", 1, [], request],
      ["ValueError", "invalid literal for int() with base 10: 'x'", 1, [], request],
    ]);
  });

  test("the helpers mean what Step Functions' intrinsics mean: empty parts dropped, compact JSON, a missing part is not there", () => {
    // parse() of a document the run is given as text.
    const parsing = loadYamlText(
      "version: 1\npipeline: p\nregion: eu-west-1\nartifacts: s3://example-events-artifacts/p\nsteps:\n  tell:\n    type: aws\n    service: sns\n    action: Publish\n    request: { TopicArn: t, Message: \"${{ json(parse(execution.input.doc)) }}\" }\n",
      join(tmp, "p.yaml"),
      tmp,
    );
    expect(parsing.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(dagText(parsing.pipeline!)).toContain("sy_json(sy_parse(");
    const helpers = [...["sy_get", "sy_exists", "sy_split", "sy_item", "sy_uuid", "sy_json", "sy_set", "sy_object", "sy_text"].map((h) => defOf(HELPER_TEXT, h)), defOf(HELPER_TEXT, "sy_parse")].join("\n\n\n");
    const script = `import json, uuid
class AirflowFailException(Exception):
    pass
def attempt(f, *a):
    try:
        return ["ok", f(*a)]
    except Exception as e:
        return [type(e).__name__, str(e)]
${helpers}
out = {
    "split": [sy_split("a//b/", "/"), sy_split("", "/"), sy_split("a::b", "::")],
    "json": [sy_json({"b": [1, 2.5, None], "a": "é\\"x"}), sy_json("s")],
    "exists": [sy_exists(sy_get, {"a": [1]}, "a", 0), sy_exists(sy_get, {"a": [1]}, "a", 1), sy_exists(sy_get, {"a": None}, "a", "b")],
    "item": [sy_item(["a", "b"], 1), attempt(sy_item, ["a"], 1), attempt(sy_item, ["a"], -1)],
    "uuid": [len(sy_uuid()), sy_uuid() != sy_uuid(), uuid.UUID(sy_uuid()).version],
    "set": [sy_set({"a": 1, "b": 2}, "a", {"c": None}), sy_set({}, "k", [1]), attempt(sy_set, [1], "k", 2), attempt(sy_set, "s", "k", 2), sy_set({"a": 1}, "b", 2, "a", 3, "c", [4]), attempt(sy_set, None, "k", 1, "j", 2)],
    "text": [sy_text("plain {x}"), sy_text({"a": [1, "é"]}), sy_text(5), sy_text(None)],
    "object": [sy_set(sy_object("Payload", [1, None]), "n", 2), sy_object("k", {"a": "b"})],
    "parse": [sy_parse('{"a": [1, null]}'), sy_parse("2"), attempt(sy_parse, {"a": 1})],
}
print(json.dumps(out, ensure_ascii=False))`;
    const out = JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" }));
    expect(out).toEqual({
      split: [["a", "b"], [], ["a", "b"]],
      json: ['{"b":[1,2.5,null],"a":"é\\"x"}', '"s"'],
      exists: [true, false, false],
      item: ["b", ["AirflowFailException", "no item 1 in a list of 1"], ["AirflowFailException", "no item -1 in a list of 1"]],
      uuid: [36, true, 4],
      // More keys after the first: each set in turn, as set() over set() (a later key wins).
      set: [{ a: { c: null }, b: 2 }, { k: [1] }, ["AirflowFailException", "set() needs an object, not list"], ["AirflowFailException", "set() needs an object, not str"], { a: 3, b: 2, c: [4] }, ["AirflowFailException", "set() needs an object, not NoneType"]],
      text: ["plain {x}", '{"a":[1,"é"]}', "5", "null"],
      object: [{ Payload: [1, null], n: 2 }, { k: { a: "b" } }],
      parse: [{ a: [1, null] }, 2, ["AirflowFailException", "parse() needs JSON text, not dict"]],
    });
  });

  test("set() over set() is one sy_set call with each key and value in turn, however many (Python reads 200 parentheses one inside another at most), and lifts back as the same set() calls", () => {
    const n = 300;
    // Written as one call (the parser reads 100 levels of nesting at most); the IR holds n calls, one inside the other.
    const expr = `set(execution.input, ${Array.from({ length: n }, (_, i) => `'r${i}', object('Payload', ${i})`).join(", ")})`;
    const yaml = `version: 1\npipeline: p\nregion: eu-west-1\nartifacts: s3://example-events-artifacts/p\nsteps:\n  gather:\n    type: lambda\n    function: arn:aws:lambda:eu-west-1:111122223333:function:f\n    payload: \${{ ${expr} }}\n`;
    const loaded = loadYamlText(yaml, join(tmp, "set.yaml"), tmp);
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const dag = dagText(loaded.pipeline!);
    const call = `sy_set(sy_input(dag_run), ${Array.from({ length: n }, (_, i) => `"r${i}", sy_object("Payload", ${i})`).join(", ")})`;
    expect(tight(dag)).toContain(tight(call));
    expect(dag.match(/sy_set\(/g)).toHaveLength(1);
    // Python compiles it (one call nested 300 deep did not: too many nested parentheses).
    execFileSync("python3", ["-c", "import sys; compile(sys.stdin.read(), 'dag.py', 'exec')"], { input: dag });
    const back = airflow.lift!({ file: "set.py", text: dag, given: { artifacts: "s3://example-events-artifacts/p" } });
    expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const gather = back.pipeline!.steps[0] as Extract<Step, { kind: "lambda" }>;
    expect(printExpr(gather.payload_value!)).toBe(expr);
    let depth = 0;
    for (let v = gather.payload_value!; v.kind === "call" && v.fn === "set"; v = v.args[0]) depth++;
    expect(depth).toBe(n);
  });

  test.each(["2", "3"] as const)("Airflow %s: our own DAG lifts back to the same repeats, functions and error name", (line) => {
    const p = pipeline();
    const text = dagText(p, { airflow: line });
    const r = airflow.lift!({ file: "poll-events.py", text, given: { artifacts: "s3://example-events-artifacts/runs" } });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const byId = new Map(r.pipeline!.steps.map((s) => [s.id, s]));
    const poll = byId.get("poll") as Extract<Step, { kind: "aws" }>;
    expect([printExpr(poll.repeat!.until), poll.repeat!.interval]).toEqual(["exists(steps.poll.response.Messages)", 1]);
    const never = byId.get("never") as Extract<Step, { kind: "aws" }>;
    expect([never.repeat!.interval, never.timeout]).toEqual([1, 3]);
    const status = byId.get("status") as Extract<Step, { kind: "lambda" }>;
    const every = status.repeat!.interval;
    expect([printExpr(status.repeat!.until), typeof every === "number" ? every : printExpr(every), status.outputs, printExpr(status.payload.message)]).toEqual(["steps.status.outputs.state != 'RUNNING'", "params.status_every", { state: "string" }, "steps.poll.response.Messages[0].Body"]);
    const report = byId.get("report") as Extract<Step, { kind: "aws" }>;
    expect(printExpr(report.request.Subject)).toBe("item(split(steps.poll.response.Messages[0].Body, '/'), 1)");
    expect(printExpr(report.request.Message)).toBe("json(split(steps.poll.response.Messages[0].Body, '/'))");
    const seen = byId.get("seen") as Extract<Step, { kind: "aws" }>;
    expect(printExpr(seen.request.Message)).toBe("set(steps.poll.response.Messages[0], 'checked', object('by', 'poll'))");
    // The same DAG again, but for the header's hash of the IR (the lifted pipeline's name and positions differ).
    const body = (t: string) => t.replace(/^# IR sha256:.*$/m, "");
    expect(body(dagText(r.pipeline!, { airflow: line }))).toBe(body(text));
    expect(diffPipelines(p, r.pipeline!).map((d) => d.path ?? d)).toEqual([]);
    expect(stripPositions(report.request)).toEqual(stripPositions((p.steps.find((s) => s.id === "report") as Extract<Step, { kind: "aws" }>).request));
  });

  test("max_calls: the bound, with the error and message it fails with, are the helper's arguments (a timeout that allows fewer calls wins); our own DAG lifts them back", () => {
    const text0 = YAML.replace(
      "    repeat: { until: \"\${{ steps.status.outputs.state != 'RUNNING' }}\", interval: \"\${{ params.status_every }}\" }",
      "    repeat: { until: \"\${{ steps.status.outputs.state != 'RUNNING' }}\", interval: \"\${{ params.status_every }}\", max_calls: 5, error: StillRunning, message: the job is still running }",
    ).replace("interval: 1s }\n    timeout: 3s", "interval: 1s, max_calls: 2 }\n    timeout: 3s");
    const r0 = loadYamlText(text0, join(tmp, "poll-events.yaml"), tmp);
    expect(r0.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const text = dagText(r0.pipeline!);
    expect(tight(defOf(text, "status_call"))).toContain(tight(`lambda response: operator.ne(sy_get(response, "state"), "RUNNING"), params["status_every"], 5, "StillRunning", "the job is still running", )`));
    // Two calls, fewer than the three the timeout allows: the default error and message.
    expect(tight(defOf(text, "never_call"))).toContain(tight(`lambda response: sy_exists(sy_get, response, "Messages"), 1, 2, "RepeatLimitExceeded", "step 'never': the condition did not hold after 2 calls", )`));
    const r = airflow.lift!({ file: "poll-events.py", text, given: { artifacts: "s3://example-events-artifacts/runs" } });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const byId = new Map(r.pipeline!.steps.map((s) => [s.id, s as Extract<Step, { kind: "aws" | "lambda" }>]));
    expect([byId.get("status")!.repeat!.max_calls, byId.get("status")!.repeat!.error, byId.get("status")!.repeat!.message]).toEqual([5, "StillRunning", "the job is still running"]);
    expect([byId.get("never")!.repeat!.max_calls, byId.get("never")!.repeat!.error, byId.get("never")!.repeat!.message]).toEqual([2, undefined, undefined]);
    const body = (t: string) => t.replace(/^# IR sha256:.*$/m, "");
    expect(body(dagText(r.pipeline!))).toBe(body(text));
    expect(diffPipelines(r0.pipeline!, r.pipeline!).map((d) => d.path ?? d)).toEqual([]);
  });

  test("an interval with a fraction of a second lifts back as it is", () => {
    const r0 = loadYamlText(YAML.replace("interval: 1s }\n    timeout: 3s", "interval: 1.5 }\n    timeout: 3s"), join(tmp, "poll-events.yaml"), tmp);
    expect(r0.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const text = dagText(r0.pipeline!);
    // 3 s at 1.5 s apart: two calls.
    expect(tight(defOf(text, "never_call"))).toContain(tight('lambda response: sy_exists(sy_get, response, "Messages"), 1.5, 2)'));
    const r = airflow.lift!({ file: "poll-events.py", text, given: { artifacts: "s3://example-events-artifacts/runs" } });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const never = r.pipeline!.steps.find((s) => s.id === "never") as Extract<Step, { kind: "aws" }>;
    expect([never.repeat!.interval, never.timeout]).toEqual([1.5, 3]);
    const body = (t: string) => t.replace(/^# IR sha256:.*$/m, "");
    expect(body(dagText(r.pipeline!))).toBe(body(text));
  });
});

test("a fail step's error and message, both written out, are one text in the DAG, read back as the error and the message", () => {
  const r = loadYamlText("version: 1\npipeline: f\nregion: us-east-1\nartifacts: s3://example-bucket/f\nsteps:\n  stop:\n    type: fail\n    error: Bad.Input\n    message: the input was bad\n", join(tmp, "f.yaml"), tmp);
  const dag = dagText(r.pipeline!);
  expect(defOf(dag, "stop_fail")).toBe('def stop_fail():\n    raise AirflowFailException("Bad.Input: the input was bad")');
  const back = airflow.lift!({ file: "f.py", text: dag, given: { artifacts: "s3://example-bucket/f" } });
  const stop = back.pipeline!.steps[0] as Extract<Step, { kind: "fail" }>;
  expect([printExpr(stop.error!), printExpr(stop.message)]).toEqual(["'Bad.Input'", "'the input was bad'"]);
});

/** A dag.test() run starts Airflow and talks to moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: repeated calls in real Airflow against moto", (line) => {
  const p = pipeline();
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line }) }), DAG_RUN_TIMEOUT);

  test(
    "the poll returns the message the first task sent; the report publishes parts of it; the function is invoked until it says done; the last poll gives up after three calls and fails the run",
    async () => {
      const { af, moto } = env;
      // moto answers each invocation with the next of these results (no function runs).
      await fetch(`${moto.url}/moto-api/config`, { method: "POST", body: JSON.stringify({ lambda: { use_docker: false } }) });
      const results = [{ state: "RUNNING" }, { state: "RUNNING" }, { state: "DONE", step: 3 }].map((x) => JSON.stringify(x));
      await fetch(`${moto.url}/moto-api/static/lambda-simple/response`, { method: "POST", body: JSON.stringify({ account_id: "111122223333", region: p.region, results }) });
      const spec = join(af.home, "spec.json");
      writeFileSync(spec, JSON.stringify({ endpoint: moto.url, region: p.region, line, logical_date: "2026-02-03T04:05:06+00:00", queues: ["work"], topics: [{ name: "model-events", queue: "model-events-seen" }] }));
      const r = af.check(["run", join(af.home, "dags", `${p.name}.py`), spec], motoEnv(moto.url, p.region));
      expect(r.tasks).toEqual({ send: "success", poll: "success", report: "success", status: "success", never: "failed", check: "success", seen: "success", wrong: "skipped" });
      // The third result ended the loop: it is the task's result, the function's JSON text as the Lambda operator returns it.
      // (Airflow 3 hands the JSON text back decoded.)
      expect(typeof r.xcom.status === "string" ? JSON.parse(r.xcom.status) : r.xcom.status).toEqual({ state: "DONE", step: 3 });
      expect(r.state).toBe("failed");
      expect(r.xcom.poll.Messages.map((m: { Body: string }) => m.Body)).toEqual(["train/churn/v7"]);
      const seen: Array<{ Message: string; Subject: string | null }> = r.published["model-events"];
      expect(seen.filter((m) => m.Subject).map((m) => [m.Subject, m.Message])).toEqual([["churn", '["train","churn","v7"]']]);
      // An object as the message is sent as its compact JSON text, as Step Functions' sns:publish sends it.
      const checked = seen.filter((m) => !m.Subject).map((m) => m.Message);
      expect(checked).toHaveLength(1);
      expect(checked[0]).not.toMatch(/", "|": /);
      expect(JSON.parse(checked[0])).toMatchObject({ Body: "train/churn/v7", checked: { by: "poll" } });
    },
    DAG_RUN_TIMEOUT,
  );
});
