/**
 * `aws` steps (one AWS API action, request-response) on Airflow: a
 * PythonOperator whose callable calls the boto3 method through AwsBaseHook
 * when the task runs. The generated Python is lint-clean and keeps every
 * request string literal (no Jinja in between); in real Airflow 2 and 3 the
 * DAG imports, and dag.test() publishes to an SNS topic in moto, a later step
 * reading the first publish's MessageId.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ruffWorkspace, expectLintClean } from "./support/ruff.js";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { airflowWithMoto, motoEnv } from "./support/airflow.js";
import { ancestorsOf, dagText, expectedGraph, expectedOrder, helperDefs, taskCalls } from "./support/fixtures.js";

const ruff = ruffWorkspace();
const tmp = mkdtempSync(join(tmpdir(), "sy-aws-call-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Text Jinja, Python quoting or a shell would each read as something else. */
const HOSTILE = "{{ 7*7 }} {% if true %}x{% endif %} {# c #} it's \"q\" \\ back\nslash ${HOME} %s \u00e9\ud83d\ude00";

const YAML = `
version: 1
pipeline: model-events
region: eu-west-1
artifacts: s3://example-events-artifacts/runs
parameters:
  topic_arn:
    type: string
    default: arn:aws:sns:eu-west-1:111122223333:model-events
steps:
  announce:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: \${{ params.topic_arn }}
      Subject: model ready
      Message: ${JSON.stringify(HOSTILE)}
      MessageAttributes:
        stage: { DataType: String, StringValue: "{{ ds }}" }
    outputs: { MessageId: string }
    retry: { attempts: 4, interval: 5s, backoff: 2 }
    timeout: 2m
  record:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: \${{ params.topic_arn }}
      Message: announced \${{ steps.announce.outputs.MessageId }} in \${{ execution.id }}
    outputs: { MessageId: string }
`;

function pipeline(text = YAML): Pipeline {
  const r = loadYamlText(text, join(tmp, "model-events.yaml"), tmp);
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

/** The literal arguments of `sy_aws(...)` in each `<task>_call` function, read back with Python's ast. */
function callArgs(dag: string): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(taskCalls(dag)).map(([name, c]) => {
      expect(c.fn).toBe("sy_aws");
      return [name, c.args];
    }),
  );
}

describe("aws steps lowered for Airflow", () => {
  test.each(["2", "3"])("Airflow %s: a PythonOperator per step calling sy_aws; lint-clean, formatted, request strings literal", (line) => {
    const r = airflow.lower(pipeline(), { baseDir: tmp, options: { airflow: line } });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const dag = r.files.find((f) => f.kind === "dag")!.contents;
    expect(dag).toMatch(/^from switchyard_helpers_[0-9a-f]{8} import sy_aws, sy_cat, sy_output$/m);
    expect(dag).toContain("sy_aws = partial(sy_aws, region=REGION)\n");
    expect(dag).toContain(line === "2" ? "from airflow.operators.python import PythonOperator" : "from airflow.providers.standard.operators.python import PythonOperator");
    // The task has nothing Jinja renders: only the id, the callable, retry and timeout.
    const task = dag.slice(dag.indexOf("    announce = PythonOperator("), dag.indexOf("    )\n", dag.indexOf("    announce = PythonOperator(")));
    expect(task).toContain('task_id="announce"');
    expect(task).toContain("python_callable=announce_call");
    expect(task).toContain("retries=3");
    expect(task).toContain("retry_exponential_backoff=True");
    expect(task).toContain("execution_timeout=datetime.timedelta(seconds=120)");
    expect(task).not.toMatch(/op_kwargs|op_args|templates_dict/);
    // The request reaches boto3 exactly as written: the hostile text, and `{{ ds }}` unrendered.
    const args = callArgs(dag);
    expect(args.announce_call[0]).toBe("sns");
    expect(args.announce_call[1]).toBe("Publish");
    expect(args.announce_call[2]).toBe("{'TopicArn': params['topic_arn'], 'Subject': 'model ready', 'Message': " + pyRepr(HOSTILE) + ", 'MessageAttributes': {'stage': {'DataType': 'String', 'StringValue': '{{ ds }}'}}}");
    expect(args.announce_call[3]).toEqual({ MessageId: "string" });
    // The later step reads the MessageId from XCom as a declared output, in plain Python.
    expect(args.record_call[2]).toBe("{'TopicArn': params['topic_arn'], 'Message': sy_cat('announced ', sy_output(ti, 'announce', 'MessageId', 'string'), ' in ', run_id)}");
    expect(dag).toContain("def record_call(ti, params, run_id):");
    expectLintClean(ruff, dag, line);
    expect(dag).toMatch(/^[\x0a\x20-\x7e]*$/);
  });

  test("any request string, key or service output name reaches the DAG file as the same Python literal", () => {
    const key = fc.string({ minLength: 1, maxLength: 12 });
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom(HOSTILE, "{{", "}}", "{%", "'''", '"""', "\\", "\r\n", "\u2028", "\ud800"));
    fc.assert(
      fc.property(fc.dictionary(key, text, { minKeys: 1, maxKeys: 5 }), fc.dictionary(key, fc.constantFrom("string", "integer", "float", "boolean"), { maxKeys: 3 }), (request, outputs) => {
        const p = pipeline();
        const step = p.steps.find((s) => s.id === "announce") as Extract<Pipeline["steps"][number], { kind: "aws" }>;
        step.request = Object.fromEntries(Object.entries(request).map(([k, v]) => [k, { kind: "literal", value: v, type: "string", pos: p.pos }]));
        step.outputs = outputs as typeof step.outputs;
        p.steps = [step];
        const dag = dagText(p);
        const args = callArgs(dag);
        expect(args.announce_call[2]).toEqual(request);
        expect(args.announce_call[3]).toEqual(outputs);
        // Quoted and split as `ruff format` would write them.
        expect(ruff.format(dag)).toBe(dag);
      }),
      { numRuns: 12, seed: 20261202 },
    );
  });

  test("sy_aws picks botocore's method for the action and returns the response as JSON data, declared outputs checked and read cast; an unknown action fails without retry", () => {
    const dag = dagText(pipeline());
    // The helpers from the module, bound to the DAG's Region as the DAG binds them.
    expect(dag).toContain("sy_aws = partial(sy_aws, region=REGION)");
    const helpers = helperDefs(dag, ["sy_cast", "sy_aws", "sy_output"]);
    // The helpers run against a stand-in for the hook's boto3 client (method names as botocore makes them).
    const script = `import base64, datetime, io, json, types
class AirflowFailException(Exception):
    pass
class Client:
    class meta:
        method_to_api_mapping = {"put_item": "PutItem", "invoke_model": "InvokeModel"}
    def put_item(self, **request):
        CALLS.append(request)
        return {"ConsumedCapacity": {"CapacityUnits": 1.5}, "Count": "3", "When": datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), "ResponseMetadata": {"RequestId": "r"}}
    def invoke_model(self, **request):
        return {"body": io.BytesIO(b'{"completion": "hi"}'), "contentType": "application/json"}
class AwsBaseHook:
    def __init__(self, aws_conn_id, client_type, region_name):
        HOOKS.append([aws_conn_id, client_type, region_name])
    def get_conn(self):
        return Client()
CALLS, HOOKS, out = [], [], {}
REGION = "eu-west-1"
${helpers}
out["put"] = sy_aws("dynamodb", "PutItem", {"TableName": "t", "Item": {"k": {"S": "{{ x }}"}}}, {"Count": "integer", "ConsumedCapacity": "string", "When": "string"})
out["invoke"] = sy_aws("bedrock-runtime", "InvokeModel", {"modelId": "m"}, {"body": "string"})
for action, outputs in (("Publish", {}), ("PutItem", {"Missing": "string"})):
    try:
        sy_aws("dynamodb", action, {}, outputs)
    except Exception as e:
        out[action] = [type(e).__name__, str(e)]
# What a later task reads: the declared outputs, cast.
ti = types.SimpleNamespace(xcom_pull=lambda task_ids: out["put"])
out["read"] = [sy_output(ti, "put", "Count", "integer"), sy_output(ti, "put", "ConsumedCapacity", "string"), sy_output(ti, "put", "When", "string")]
out["calls"], out["hooks"] = CALLS, HOOKS
print(json.dumps(out))`;
    const out = JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" }));
    // The task's result is the response as JSON data, without ResponseMetadata.
    expect(out.put).toEqual({ Count: "3", ConsumedCapacity: { CapacityUnits: 1.5 }, When: "2026-01-02T03:04:05+00:00" });
    expect(out.read).toEqual([3, '{"CapacityUnits": 1.5}', "2026-01-02T03:04:05+00:00"]);
    expect(out.invoke).toEqual({ body: '{"completion": "hi"}', contentType: "application/json" });
    expect(out.Publish).toEqual(["AirflowFailException", "dynamodb has no API action 'Publish'"]);
    expect(out.PutItem).toEqual(["KeyError", `"dynamodb PutItem returned no 'Missing'"`]);
    expect(out.calls[0]).toEqual({ TableName: "t", Item: { k: { S: "{{ x }}" } } });
    expect(out.hooks[0]).toEqual(["aws_default", "dynamodb", "eu-west-1"]);
  });

  test("the capability is native and the report counts the calls", () => {
    expect(airflow.capabilities["kind:aws"].support).toBe("native");
    const u = airflow.usage!(pipeline(), airflow.lower(pipeline(), { baseDir: tmp, options: {} }).files);
    expect(u.notes).toContain("2 AWS API call(s) from aws steps (billed by each service)");
  });
});

/** Python's repr of a str (what ast.unparse prints for a string constant). */
function pyRepr(s: string): string {
  return execFileSync("python3", ["-c", "import sys, json; print(repr(json.loads(sys.stdin.read())), end='')"], { input: JSON.stringify(s), encoding: "utf8" });
}

/** A dag.test() run starts Airflow and talks to moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: aws steps in real Airflow against moto", (line) => {
  const p = pipeline();
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line }) }), DAG_RUN_TIMEOUT);

  test("DagBag imports the DAG with the IR's tasks and dependencies and the step's retries", () => {
    const r = env.af.check(["inspect", join(env.af.home, "dags")]);
    expect(r.import_errors).toEqual({});
    const dag = r.dags[p.name];
    const graph = Object.fromEntries(Object.entries(dag.tasks as Record<string, { upstream: string[] }>).map(([id, t]) => [id, t.upstream]));
    expect(graph).toEqual(expectedGraph(p));
    expect(ancestorsOf(graph)).toEqual(expectedOrder(p));
    expect(dag.tasks.announce.operator).toBe("PythonOperator");
    expect(dag.tasks.announce.retries).toBe(3);
    expect(dag.tasks.record.retries).toBe(0);
  });

  test(
    "dag.test() publishes to the SNS topic in moto; the later step's message carries the first MessageId",
    () => {
      const runId = "manual__2026-02-03T04:05:06+00:00";
      const spec = join(env.af.home, "spec.json");
      writeFileSync(spec, JSON.stringify({ endpoint: env.moto.url, region: p.region, line, logical_date: "2026-02-03T04:05:06+00:00", topics: [{ name: "model-events", queue: "model-events-seen" }] }));
      const r = env.af.check(["run", join(env.af.home, "dags", `${p.name}.py`), spec], motoEnv(env.moto.url, p.region));
      expect(r.run_id).toBe(runId);
      expect(r.tasks).toEqual({ announce: "success", record: "success" });
      expect(r.state).toBe("success");
      const seen: Array<{ MessageId: string; Message: string; Subject: string | null }> = r.published["model-events"];
      expect(seen).toHaveLength(2);
      const first = seen.find((m) => m.Subject === "model ready")!;
      const second = seen.find((m) => m !== first)!;
      // Published exactly as written: nothing rendered, nothing re-quoted.
      expect(first.Message).toBe(HOSTILE);
      expect(second.Message).toBe(`announced ${first.MessageId} in ${runId}`);
      // What the tasks returned to XCom is moto's response (its only member is the MessageId).
      expect(r.xcom.announce).toEqual({ MessageId: first.MessageId });
      expect(r.xcom.record).toEqual({ MessageId: second.MessageId });
    },
    DAG_RUN_TIMEOUT,
  );
});
