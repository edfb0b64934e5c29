/**
 * The run's input (`execution.input`), a step's service response
 * (`steps.S.response`), a Lambda payload given as one value and aws steps
 * that wait for their job, on Airflow: what the DAG file says (every path key
 * as an escaped literal, lint-clean), what the helpers do at run time
 * (against stand-ins: missing parts, each kind's XCom, the poll loop), lifting
 * our own output back exactly and the hand-written idioms, and real Airflow 2
 * and 3 running the DAG against moto, the Athena query polled to success.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ruffWorkspace, asksForAirflow3, expectLintClean } from "./support/ruff.js";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { waitable } from "../../../src/aws/waitable.js";
import { waitJob } from "../../../backends/airflow/plan.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import type { Pipeline, Step, Value } from "../../../src/ir/types.js";
import { stripPositions } from "../../../src/ir/values.js";
import { ROOT } from "../../support/python-env.js";
import { airflowWithMoto, motoEnv } from "./support/airflow.js";
import { ancestorsOf, dagText, expectedGraph, expectedOrder, helperDefs, lowerFor, withoutHash } from "./support/fixtures.js";

const ruff = ruffWorkspace();
const tmp = mkdtempSync(join(tmpdir(), "sy-af-dataflow-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A key Jinja, Python quoting and JSONPath would each read as something else. */
const KEY = "day-of {{ x }} it's \"q\"";

const YAML = `
version: 1
pipeline: query-events
region: eu-west-1
role: arn:aws:iam::111122223333:role/SageMakerRole
artifacts: s3://example-events-artifacts/runs
steps:
  prepare:
    type: processing
    image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/prep:1
    instance: { type: ml.m5.large }
    command: [python3, /opt/prep.py]
    arguments: ["--day", "\${{ execution.input.detail.DAYKEY }}", "--in", "\${{ execution.pipeline_name }}"]
    outputs:
      clean: /opt/ml/processing/clean
  classify:
    type: lambda
    function: classify-event
    payload: \${{ execution.input }}
  query:
    type: aws
    service: athena
    action: StartQueryExecution
    wait: true
    request:
      QueryString: "SELECT * FROM events WHERE label = '\${{ steps.classify.response.label }}'"
      ResultConfiguration:
        OutputLocation: \${{ execution.input['results at'] }}
    outputs: { QueryExecution: string }
    timeout: 10m
  announce:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: \${{ execution.input.topics[0] }}
      Message: "\${{ steps.query.response.QueryExecution.QueryExecutionId }} \${{ steps.query.response.QueryExecution.Status.State }} \${{ steps.prepare.response.ProcessingJobStatus }} \${{ steps.prepare.response.AppSpecification.ContainerArguments[1] }} \${{ steps.classify.response.scores[1] }} in \${{ execution.pipeline_name }}"
    outputs: { MessageId: string }
`;

function pipeline(text = YAML): Pipeline {
  const r = loadYamlText(text, join(tmp, "query-events.yaml"), tmp);
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => `${d.pos?.line}:${d.pos?.col} ${d.message}`).join("\n"));
  // The hostile key is put in the IR directly (the YAML would need it quoted twice over).
  const prepare = r.pipeline.steps.find((s) => s.id === "prepare") as Extract<Step, { kind: "processing" }>;
  const day = prepare.arguments[1];
  if (day.kind !== "ref" || day.ref.scope !== "execution" || day.ref.name !== "input") throw new Error("unexpected fixture");
  day.ref.path = ["detail", KEY];
  return r.pipeline;
}

/** Python source in ast.unparse's form (one line per statement, single quotes). */
const canonical = (src: string) => execFileSync("python3", ["-c", "import ast, sys; print(ast.unparse(ast.parse(sys.stdin.read())), end='')"], { input: src, encoding: "utf8" });

/** A top-level function or helper of the DAG file, as text. */
function defOf(dag: string, name: string): string {
  const at = dag.indexOf(`def ${name}(`);
  if (at < 0) throw new Error(`no ${name} in the DAG`);
  const end = dag.indexOf("\n\n\n", at);
  return dag.slice(at, end < 0 ? undefined : end);
}

describe("lowering", () => {
  test.each(["2", "3"])("Airflow %s: helpers read the conf and the responses; the payload is the input as JSON; lint-clean and formatted", (line) => {
    const r = airflow.lower(pipeline(), { baseDir: tmp, options: { airflow: line } });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const dag = r.files.find((f) => f.kind === "dag")!.contents;
    // Templated fields reach the key through SY_TEXT (user text is never Jinja source).
    expect(dag).toContain(`"{{ sy_input(dag_run, 'detail', SY_TEXT[0]) }}"`);
    expect(defOf(dag, "classify_payload")).toBe("def classify_payload(dag_run):\n    return json.dumps(sy_input(dag_run), sort_keys=True)");
    // Python callables get the same values as plain literals (compared in ast.unparse's one-line form).
    const query = canonical(defOf(dag, "query_call"));
    expect(query).toContain("sy_response(ti, 'classify', None, 'label')");
    expect(query).toContain("'OutputLocation': sy_input(dag_run, 'results at')");
    const announce = canonical(defOf(dag, "announce_call"));
    expect(announce).toContain("'TopicArn': sy_input(dag_run, 'topics', 0)");
    expect(announce).toContain("sy_response(ti, 'query', None, 'QueryExecution', 'Status', 'State')");
    expect(announce).toContain("sy_response(ti, 'prepare', 'Processing', 'AppSpecification', 'ContainerArguments', 1)");
    expect(announce).toContain("sy_response(ti, 'classify', None, 'scores', 1)");
    // The wait: GetQueryExecution every 60 s, at most the 10-minute timeout's worth of polls.
    expect(query).toContain(
      "{'describe': 'GetQueryExecution', 'request': {'QueryExecutionId': ['response', 'QueryExecutionId']}, 'status': ['QueryExecution', 'Status', 'State'], 'succeeded': ['SUCCEEDED'], 'failed': ['FAILED', 'CANCELLED'], 'interval': 60, 'polls': 11})",
    );
    expect(query).toMatch(/^def query_call\(ti, dag_run\):\n    return sy_aws_wait\('athena', 'StartQueryExecution', /);
    expect(dag).toContain('"sy_input": sy_input,');
    expect(dag).toMatch(/^from switchyard_helpers_[0-9a-f]{8} import \(\n    sy_aws,\n    sy_aws_wait,\n    sy_cat,\n    sy_input,\n    sy_job_name,\n    sy_response,\n\)$/m);
    expect(dag).toContain("sy_aws_wait = partial(sy_aws_wait, region=REGION)\n");
    expectLintClean(ruff, dag, line);
    expect(dag).toMatch(/^[\x0a\x20-\x7e]*$/);
  });

  test("the usage report says the waiting step polls from a worker slot", () => {
    const p = pipeline();
    const u = airflow.usage!(p, airflow.lower(p, { baseDir: tmp, options: {} }).files);
    expect(u.notes).toContain("2 AWS API call(s) from aws steps (billed by each service)");
    expect(u.notes).toContain("1 aws step(s) wait for their job: one Describe call every check_interval seconds, from a worker slot, until it ends");
  });

  test("any path key reaches the file as the same text, in Python and in Jinja", () => {
    const key = fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom(KEY, "{{", "}}", "{%", "'", "\\", "\r\n", "\u2028", "é"));
    fc.assert(
      fc.property(fc.array(fc.oneof(key, fc.nat({ max: 5 })), { maxLength: 4 }), key, (path, field) => {
        const p = pipeline();
        const at = p.pos;
        const input: Value = { kind: "ref", ref: { scope: "execution", name: "input", path }, pos: at };
        const response: Value = { kind: "ref", ref: { scope: "steps", step: "classify", attr: "response", path }, pos: at };
        (p.steps.find((s) => s.id === "prepare") as Extract<Step, { kind: "processing" }>).arguments = [input];
        (p.steps.find((s) => s.id === "announce") as Extract<Step, { kind: "aws" }>).request = { [field]: response };
        const dag = dagText(p);
        expect(ruff.format(dag)).toBe(dag);
        // Read back with Python's ast: the Jinja text with SY_TEXT resolved, and the callable's arguments.
        const script = [
          "import ast, json, sys",
          "tree = ast.parse(sys.stdin.read())",
          "consts = {t.targets[0].id: ast.literal_eval(t.value) for t in tree.body if isinstance(t, ast.Assign) and isinstance(t.targets[0], ast.Name) and t.targets[0].id == 'SY_TEXT'}",
          "fn = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == 'announce_call')",
          "req = fn.body[0].value.args[2]",
          "(k,), (v,) = req.keys, req.values",
          "args = [ast.literal_eval(a) for a in v.args[1:]]",
          "tpl = next(n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.startswith('{{ sy_input(dag_run'))",
          "jargs = ast.parse(tpl[3:-3].strip(), mode='eval').body.args[1:]",
          "jin = [consts['SY_TEXT'][a.slice.value] if isinstance(a, ast.Subscript) else a.value for a in jargs]",
          "print(json.dumps({'key': ast.literal_eval(k), 'call': v.func.id, 'args': args, 'jinja': jin}))",
        ].join("\n");
        const out = JSON.parse(execFileSync("python3", ["-c", script], { input: dag, encoding: "utf8" }));
        expect(out).toEqual({ key: field, call: "sy_response", args: ["classify", null, ...path], jinja: path });
      }),
      { numRuns: 15, seed: 20261202 },
    );
  });

  test("a passthrough step's response is refused at the reference, naming it", () => {
    const p = pipeline();
    const announce = p.steps.find((s) => s.id === "announce") as Extract<Step, { kind: "aws" }>;
    const pos = { file: "x.yaml", line: 7, col: 9 };
    p.steps.push({ id: "legacy", kind: "passthrough", target: "stepfunctions", type: "Task", body: {}, depends_on: [], tags: {}, environment: {}, targets: {}, pos } as unknown as Step);
    announce.request.Subject = { kind: "ref", ref: { scope: "steps", step: "legacy", attr: "response", path: ["x"] }, pos };
    const r = lowerFor(p);
    expect(r.files).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === "airflow-unsupported-value").map((d) => `${d.pos?.line}:${d.pos?.col} ${d.message}`)).toEqual([
      "7:9 steps.legacy.response cannot be read on Airflow: a stepfunctions 'Task' step carried over from another target runs no Airflow task",
    ]);
  });
});

describe("the helpers at run time (stand-ins for the task context and boto3)", () => {
  const dag = dagText(pipeline());
  const helpers = helperDefs(dag, ["sy_cast", "sy_walk", "sy_input", "sy_response", "sy_aws", "sy_aws_wait"]);
  function run(body: string): any {
    const script = `import base64, datetime, json, types
REGION = "eu-west-1"
class AirflowException(Exception):
    pass
class AirflowFailException(AirflowException):
    pass
SLEPT, CALLS = [], []
class time:
    @staticmethod
    def sleep(s):
        SLEPT.append(s)
class AwsBaseHook:
    def __init__(self, aws_conn_id, client_type, region_name):
        pass
    def get_conn(self):
        return CLIENT
def attempt(f, *a):
    try:
        return ["ok", f(*a)]
    except Exception as e:
        return [type(e).__name__, str(e)]
${helpers}
out = {}
${body}
out["slept"], out["calls"] = SLEPT, CALLS
print(json.dumps(out))`;
    return JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" }));
  }

  test("sy_input and sy_response read a path; a part that is not there fails the task without retry, naming the path", () => {
    const out = run(`
run = types.SimpleNamespace(conf={"detail": {"day": "mon", "n": [1, 2]}, "s": "text"})
empty = types.SimpleNamespace(conf=None)
XCOM = {"fn": '{"label": "hot", "scores": [0.1, 0.9]}', "train": {"Training": {"TrainingJobStatus": "Completed"}}, "call": {"Count": 3}}
ti = types.SimpleNamespace(xcom_pull=lambda task_ids: XCOM[task_ids])
out["input"] = [attempt(sy_input, run), attempt(sy_input, run, "detail", "n", 1), attempt(sy_input, empty)]
out["missing"] = [attempt(sy_input, run, "detail", "month"), attempt(sy_input, run, "detail", "n", 2), attempt(sy_input, run, "s", 0), attempt(sy_input, run, "detail", 0), attempt(sy_input, empty, "x")]
out["response"] = [attempt(sy_response, ti, "fn", None, "scores", 1), attempt(sy_response, ti, "train", "Training", "TrainingJobStatus"), attempt(sy_response, ti, "call", None), attempt(sy_response, ti, "fn", None)]
out["no_response"] = [attempt(sy_response, ti, "train", "Training", "FailureReason"), attempt(sy_response, ti, "call", None, "Count", "x")]
`);
    expect(out.input).toEqual([["ok", { detail: { day: "mon", n: [1, 2] }, s: "text" }], ["ok", 2], ["ok", {}]]);
    expect(out.missing).toEqual([
      ["AirflowFailException", "the run's input (dag_run.conf) has no ['detail']['month']"],
      ["AirflowFailException", "the run's input (dag_run.conf) has no ['detail']['n'][2]"],
      ["AirflowFailException", "the run's input (dag_run.conf) has no ['s'][0]"],
      ["AirflowFailException", "the run's input (dag_run.conf) has no ['detail'][0]"],
      ["AirflowFailException", "the run's input (dag_run.conf) has no ['x']"],
    ]);
    expect(out.response).toEqual([["ok", 0.9], ["ok", "Completed"], ["ok", { Count: 3 }], ["ok", { label: "hot", scores: [0.1, 0.9] }]]);
    expect(out.no_response).toEqual([
      ["AirflowFailException", "the response of task train has no ['FailureReason']"],
      ["AirflowFailException", "the response of task call has no ['Count']['x']"],
    ]);
  });

  test("sy_aws returns the whole response as JSON data (no ResponseMetadata) and checks the declared outputs", () => {
    const out = run(`
import io
class Client:
    class meta:
        method_to_api_mapping = {"generate_data_key": "GenerateDataKey", "invoke": "Invoke"}
    def generate_data_key(self, **request):
        CALLS.append(request)
        return {"KeyId": "k", "CiphertextBlob": b"\\xff\\x00", "When": datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc), "ResponseMetadata": {"RequestId": "r"}}
    def invoke(self, **request):
        return {"Payload": io.BytesIO(b'{"a": 1}'), "List": ({"b": b"x"},)}
CLIENT = Client()
out["kms"] = attempt(sy_aws, "kms", "GenerateDataKey", {"KeyId": "k"}, {"KeyId": "string"})
out["lambda"] = attempt(sy_aws, "lambda", "Invoke", {}, {})
out["missing"] = attempt(sy_aws, "kms", "GenerateDataKey", {}, {"Plaintext": "string"})
out["badly_typed"] = attempt(sy_aws, "kms", "GenerateDataKey", {}, {"KeyId": "integer"})
`);
    expect(out.kms).toEqual(["ok", { KeyId: "k", CiphertextBlob: "/wA=", When: "2026-01-02T00:00:00+00:00" }]);
    expect(out.lambda).toEqual(["ok", { Payload: '{"a": 1}', List: [{ b: "x" }] }]);
    expect(out.missing).toEqual(["KeyError", `"kms GenerateDataKey returned no 'Plaintext'"`]);
    expect(out.badly_typed[0]).toBe("ValueError");
  });

  test("sy_aws_wait starts the job, polls Describe with the id from the start response until a final status, and fails with the status and reason", () => {
    const job = `{"describe": "GetQueryExecution", "request": {"QueryExecutionId": ["response", "QueryExecutionId"], "WorkGroup": ["request", "WorkGroup"]}, "status": ["QueryExecution", "Status", "State"], "succeeded": ["SUCCEEDED"], "failed": ["FAILED", "CANCELLED"], "interval": 7, "polls": 4}`;
    const out = run(`
class Client:
    states = []
    class meta:
        method_to_api_mapping = {"start_query_execution": "StartQueryExecution", "get_query_execution": "GetQueryExecution"}
    def start_query_execution(self, **request):
        CALLS.append(["start", request])
        return {"QueryExecutionId": "q-1", "ResponseMetadata": {}}
    def get_query_execution(self, **request):
        CALLS.append(["get", request])
        state, reason = self.states.pop(0)
        status = {"State": state, "SubmissionDateTime": datetime.datetime(2026, 1, 2)}
        if reason:
            status["StateChangeReason"] = reason
            status["AthenaError"] = {"ErrorMessage": "syntax"}
        return {"QueryExecution": {"QueryExecutionId": "q-1", "Status": status}}
CLIENT = Client()
JOB = ${job}
def phase(states, outputs={}):
    del CALLS[:], SLEPT[:]
    CLIENT.states = list(states)
    got = attempt(sy_aws_wait, "athena", "StartQueryExecution", {"QueryString": "SELECT 1", "WorkGroup": "wg"}, outputs, JOB)
    return {"result": got, "calls": list(CALLS), "slept": list(SLEPT)}
out["ok"] = phase([["QUEUED", None], ["RUNNING", None], ["SUCCEEDED", None]], {"QueryExecution": "string"})
out["failed"] = phase([["RUNNING", None], ["FAILED", "line 1: bad"]])
out["still"] = phase([["RUNNING", None]] * 4)
out["no_output"] = phase([["SUCCEEDED", None]], {"Missing": "string"})
`);
    expect(out.ok.result).toEqual(["ok", { QueryExecution: { QueryExecutionId: "q-1", Status: { State: "SUCCEEDED", SubmissionDateTime: "2026-01-02T00:00:00" } } }]);
    expect(out.ok.calls).toEqual([
      ["start", { QueryString: "SELECT 1", WorkGroup: "wg" }],
      ["get", { QueryExecutionId: "q-1", WorkGroup: "wg" }],
      ["get", { QueryExecutionId: "q-1", WorkGroup: "wg" }],
      ["get", { QueryExecutionId: "q-1", WorkGroup: "wg" }],
    ]);
    // The first poll at once, then one interval before each next one.
    expect(out.ok.slept).toEqual([7, 7]);
    expect(out.failed.result).toEqual(["AirflowException", 'athena StartQueryExecution: the job ended FAILED (StateChangeReason: line 1: bad; AthenaError: {"ErrorMessage": "syntax"})']);
    expect(out.still.result).toEqual(["AirflowException", "athena StartQueryExecution: the job is still RUNNING after 4 polls"]);
    expect(out.still.calls).toHaveLength(5);
    expect(out.still.slept).toEqual([7, 7, 7]);
    expect(out.no_output.result).toEqual(["KeyError", `"athena GetQueryExecution returned no 'Missing'"`]);
  });

  test("an ECS task: failures in RunTask's answer fail at once; stopped, every container must have exited 0; the default cluster is left out of DescribeTasks", () => {
    const row = waitable("ecs", "RunTask")!;
    const job = JSON.stringify(waitJob(row, 6, 30));
    const out = run(`
class Client:
    answers = []
    failures = []
    class meta:
        method_to_api_mapping = {"run_task": "RunTask", "describe_tasks": "DescribeTasks"}
    def run_task(self, **request):
        return {"tasks": [{"taskArn": "arn:aws:ecs:eu-west-1:111122223333:task/c/t1"}], "failures": self.failures}
    def describe_tasks(self, **request):
        CALLS.append(request)
        return {"tasks": [self.answers.pop(0)], "failures": []}
CLIENT = Client()
JOB = json.loads(${JSON.stringify(job)})
def phase(answers, request, failures=[]):
    del CALLS[:], SLEPT[:]
    CLIENT.answers, CLIENT.failures = list(answers), failures
    got = attempt(sy_aws_wait, "ecs", "RunTask", request, {}, JOB)
    return {"result": got[0] if got[0] != "ok" else "ok", "error": got[1] if got[0] != "ok" else None, "calls": list(CALLS)}
running = {"lastStatus": "RUNNING", "containers": [{"name": "app"}]}
out["ok"] = phase([running, {"lastStatus": "STOPPED", "containers": [{"name": "app", "exitCode": 0}, {"name": "log_router", "exitCode": 0}]}], {"cluster": "c", "taskDefinition": "t"})
out["sidecar"] = phase([{"lastStatus": "STOPPED", "containers": [{"name": "app", "exitCode": 0}, {"name": "log_router", "exitCode": 137}]}], {"taskDefinition": "t"})
out["never_ran"] = phase([{"lastStatus": "STOPPED", "stoppedReason": "CannotPullContainerError", "containers": [{"name": "app"}]}], {"taskDefinition": "t"})
out["placement"] = phase([], {"taskDefinition": "t"}, [{"arn": "arn:aws:ecs:eu-west-1:111122223333:container-instance/x", "reason": "RESOURCE:MEMORY"}])
`);
    expect(out.ok).toEqual({ result: "ok", error: null, calls: [{ cluster: "c", tasks: ["arn:aws:ecs:eu-west-1:111122223333:task/c/t1"] }, { cluster: "c", tasks: ["arn:aws:ecs:eu-west-1:111122223333:task/c/t1"] }] });
    expect(out.sidecar).toEqual({ result: "AirflowException", error: "ecs RunTask: the job ended STOPPED, exitCode not 0 (log_router: 137)", calls: [{ tasks: ["arn:aws:ecs:eu-west-1:111122223333:task/c/t1"] }] });
    expect(out.never_ran.error).toBe("ecs RunTask: the job ended STOPPED, exitCode not 0 (app: never ran)");
    expect(out.placement).toEqual({ result: "AirflowException", error: 'ecs RunTask: failures: [{"arn": "arn:aws:ecs:eu-west-1:111122223333:container-instance/x", "reason": "RESOURCE:MEMORY"}]', calls: [] });
  });

  test("a failed job's reason is found beside its status whatever the service calls it: EMR Serverless' stateDetails", () => {
    const job = `{"describe": "GetJobRun", "request": {"applicationId": ["request", "applicationId"], "jobRunId": ["response", "jobRunId"]}, "status": ["jobRun", "state"], "succeeded": ["SUCCESS"], "failed": ["FAILED", "CANCELLED"], "interval": 5, "polls": 3}`;
    const out = run(`
class Client:
    class meta:
        method_to_api_mapping = {"start_job_run": "StartJobRun", "get_job_run": "GetJobRun"}
    def start_job_run(self, **request):
        return {"applicationId": request["applicationId"], "jobRunId": "jr-1"}
    def get_job_run(self, **request):
        CALLS.append(request)
        return {"jobRun": {"applicationId": "app-1", "jobRunId": "jr-1", "state": "FAILED", "stateDetails": "Job failed, ExitCode: 1"}}
CLIENT = Client()
out["failed"] = attempt(sy_aws_wait, "emr-serverless", "StartJobRun", {"applicationId": "app-1"}, {}, ${job})
`);
    expect(out.failed).toEqual(["AirflowException", "emr-serverless StartJobRun: the job ended FAILED (stateDetails: Job failed, ExitCode: 1)"]);
    expect(out.calls).toEqual([{ applicationId: "app-1", jobRunId: "jr-1" }]);
  });
});

describe("lifting", () => {
  test.each(["2", "3"])("Airflow %s: our own output lifts to the same IR values and lowers back to the same file", (line) => {
    const p = pipeline();
    const text = lowerFor(p, { airflow: line }).files[0].contents;
    const r = airflow.lift!({ file: "query-events.py", text });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.diagnostics).toEqual([]);
    const lifted = r.pipeline!;
    expect(checkPipeline(lifted).filter((d) => d.severity === "error")).toEqual([]);
    expect(withoutHash(lowerFor(lifted, { airflow: line }).files[0].contents)).toBe(withoutHash(text));
    const by = (id: string) => lifted.steps.find((s) => s.id === id)!;
    const original = (id: string) => p.steps.find((s) => s.id === id)!;
    const same = (a: unknown, b: unknown) => expect(stripPositions(a)).toEqual(stripPositions(b));
    same((by("prepare") as Extract<Step, { kind: "processing" }>).arguments, (original("prepare") as Extract<Step, { kind: "processing" }>).arguments);
    same((by("classify") as Extract<Step, { kind: "lambda" }>).payload_value, (original("classify") as Extract<Step, { kind: "lambda" }>).payload_value);
    for (const id of ["query", "announce"]) {
      const [a, b] = [by(id) as Extract<Step, { kind: "aws" }>, original(id) as Extract<Step, { kind: "aws" }>];
      same([a.service, a.action, a.request, a.outputs, a.wait], [b.service, b.action, b.request, b.outputs, b.wait]);
    }
    expect(by("query").timeout).toBe(600);
  });

  test("any path, in a templated field and in a callable, reads back as the same reference", () => {
    const key = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom(KEY, "{{", "}}", "'", "\\", "\u2028", "é"));
    fc.assert(
      fc.property(fc.array(fc.oneof(key, fc.nat({ max: 5 })), { maxLength: 3 }), (path) => {
        const p = pipeline();
        const at = p.pos;
        (p.steps.find((s) => s.id === "prepare") as Extract<Step, { kind: "processing" }>).arguments = [{ kind: "ref", ref: { scope: "execution", name: "input", path }, pos: at }];
        (p.steps.find((s) => s.id === "announce") as Extract<Step, { kind: "aws" }>).request = { Message: { kind: "ref", ref: { scope: "steps", step: "prepare", attr: "response", path }, pos: at } };
        const r = airflow.lift!({ file: "q.py", text: dagText(p) });
        expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const lifted = r.pipeline!;
        expect(stripPositions((lifted.steps.find((s) => s.id === "prepare") as Extract<Step, { kind: "processing" }>).arguments)).toEqual([{ kind: "ref", ref: { scope: "execution", name: "input", path } }]);
        expect(stripPositions((lifted.steps.find((s) => s.id === "announce") as Extract<Step, { kind: "aws" }>).request)).toEqual({ Message: { kind: "ref", ref: { scope: "steps", step: "prepare", attr: "response", path } } });
      }),
      { numRuns: 8, seed: 20261203 },
    );
  });

  test("a poll interval other than the default is said; a job polled otherwise than the table says is refused", () => {
    const text = dagText(pipeline(), { "check-interval": "5" });
    const r = airflow.lift!({ file: "q.py", text });
    expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([
      "lift-aws-wait: task 'query': it polls its job every 5 s; the lifted pipeline polls every 60 s unless compiled with --check-interval 5",
      // The SageMaker operator's interval is an operator argument, kept as such.
      "lift-airflow-setting: task 'prepare': check_interval is kept as Airflow settings (targets.airflow); other targets do not apply it",
    ]);
    expect(withoutHash(dagText(r.pipeline!, { "check-interval": "5" }))).toBe(withoutHash(text));
    const edited = airflow.lift!({ file: "q.py", text: text.replace('"failed": ["FAILED", "CANCELLED"]', '"failed": ["FAILED"]') });
    expect(edited.pipeline).toBeUndefined();
    expect(edited.diagnostics.map((d) => d.message)).toEqual([
      "task 'query': it polls athena:StartQueryExecution's job otherwise than the action's job is known to be polled (GetQueryExecution until QueryExecution.Status.State is one of SUCCEEDED, FAILED, CANCELLED)",
    ]);
  });

  test("hand-written: dag_run.conf[...] in a templated field is the run's input, ti.xcom_pull(...)['Processing'][...] the job's response", () => {
    const text = readFileSync(join(ROOT, "test", "backends", "airflow", "lift", "handwritten_processing.py"), "utf8").replace(
      `"HyperParameters": {"epochs": "{{ params.epochs }}"},`,
      `"HyperParameters": {"epochs": "{{ params.epochs }}", "day": "{{ dag_run.conf['day'] }}", "first": "day {{ dag_run.conf['days'][0] }}", "prepared": "{{ ti.xcom_pull(task_ids='prepare')['Processing']['ProcessingOutputConfig']['Outputs'][0]['S3Output']['S3Uri'] }}"},`,
    );
    const r = airflow.lift!({ file: "handwritten.py", text });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const fit = r.pipeline!.steps.find((s) => s.id === "fit") as Extract<Step, { kind: "training" }>;
    const pos = undefined;
    expect(stripPositions(fit.hyperparameters)).toEqual(
      stripPositions({
        epochs: { kind: "ref", ref: { scope: "params", name: "epochs" }, pos },
        day: { kind: "ref", ref: { scope: "execution", name: "input", path: ["day"] }, pos },
        first: { kind: "join", parts: [{ kind: "literal", value: "day ", type: "string", pos }, { kind: "ref", ref: { scope: "execution", name: "input", path: ["days", 0] }, pos }], pos },
        prepared: { kind: "ref", ref: { scope: "steps", step: "prepare", attr: "response", path: ["ProcessingOutputConfig", "Outputs", 0, "S3Output", "S3Uri"] }, pos },
      }),
    );
    expect(checkPipeline(r.pipeline!).filter((d) => d.severity === "error")).toEqual([]);
  });

  test("hand-written: a branch on json.loads(ti.xcom_pull(...))[...] of a Lambda task reads the function's response; the payload reads the conf", () => {
    const text = readFileSync(join(ROOT, "test", "backends", "airflow", "lift", "handwritten_processing.py"), "utf8")
      .replace("from datetime import datetime, timedelta", "import json\nfrom datetime import datetime, timedelta\n\nfrom airflow.exceptions import AirflowFailException\nfrom airflow.operators.python import BranchPythonOperator, PythonOperator\nfrom airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator")
      .replace(
        "@dag(",
        'def choose(ti):\n    if json.loads(ti.xcom_pull(task_ids="score"))["metrics"][0] > 0.8:\n        return "fit"\n    return "stop"\n\n\ndef stop_run():\n    raise AirflowFailException("too weak")\n\n\n@dag(',
      )
      .replace(
        "    chain(prepare, fit)",
        `    score = LambdaInvokeFunctionOperator(task_id="score", function_name="score-data", payload=json.dumps({"day": "{{ dag_run.conf['day'] }}"}), region_name="eu-west-1")\n    gate = BranchPythonOperator(task_id="gate", python_callable=choose)\n    stop = PythonOperator(task_id="stop", python_callable=stop_run)\n    chain(prepare, score, gate, [fit, stop])`,
      );
    const r = airflow.lift!({ file: "handwritten.py", text });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const gate = r.pipeline!.steps.find((s) => s.id === "gate") as Extract<Step, { kind: "condition" }>;
    const pos = undefined;
    expect(stripPositions(gate.if)).toEqual(
      stripPositions({
        kind: "compare",
        op: ">",
        left: { kind: "ref", ref: { scope: "steps", step: "score", attr: "response", path: ["metrics", 0] }, pos },
        right: { kind: "literal", value: 0.8, type: "float", pos },
        pos,
      }),
    );
    expect([gate.then, gate.else]).toEqual([["fit"], ["stop"]]);
    const score = r.pipeline!.steps.find((s) => s.id === "score") as Extract<Step, { kind: "lambda" }>;
    expect(stripPositions(score.payload)).toEqual({ day: { kind: "ref", ref: { scope: "execution", name: "input", path: ["day"] } } });
  });
});

/** A dag.test() run starts Airflow and talks to moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: the DAG in real Airflow against moto", (line) => {
  const p = pipeline();
  const topic = "arn:aws:sns:eu-west-1:111122223333:query-events";
  const conf = { detail: { [KEY]: "2026-02-03" }, "results at": "s3://example-events-artifacts/athena/", topics: [topic] };
  // Polls every second instead of every minute.
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line, "check-interval": "1" }) }), DAG_RUN_TIMEOUT);

  async function seed(): Promise<void> {
    await env.moto.reset();
    const post = async (path: string, body: unknown) => expect((await fetch(`${env.moto.url}${path}`, { method: "POST", body: JSON.stringify(body) })).ok).toBe(true);
    // The Lambda answers without a container.
    await post("/moto-api/config", { lambda: { use_docker: false } });
    await post("/moto-api/static/lambda-simple/response", { account_id: "111122223333", region: "eu-west-1", results: [JSON.stringify({ label: "hot", scores: [0.25, 0.75] })] });
    // A query moves one state per GetQueryExecution: the first poll says RUNNING, the second SUCCEEDED.
    await post("/moto-api/state-manager/set-transition", { model_name: "athena::execution", transition: { progression: "manual", times: 1 } });
  }

  function run(runConf: unknown) {
    const spec = join(env.af.home, "spec.json");
    writeFileSync(spec, JSON.stringify({ endpoint: env.moto.url, region: p.region, line, logical_date: "2026-02-03T04:05:06+00:00", conf: runConf, xcom: true, topics: [{ name: "query-events", queue: "query-events-seen" }] }));
    return env.af.check(["run", join(env.af.home, "dags", `${p.name}.py`), spec], motoEnv(env.moto.url, p.region));
  }

  test("DagBag imports the DAG with the IR's tasks and dependencies", () => {
    const r = env.af.check(["inspect", join(env.af.home, "dags")]);
    expect(r.import_errors).toEqual({});
    const tasks = r.dags[p.name].tasks as Record<string, { upstream: string[]; operator: string }>;
    const graph = Object.fromEntries(Object.entries(tasks).map(([id, t]) => [id, t.upstream]));
    expect(graph).toEqual(expectedGraph(p));
    expect(ancestorsOf(graph)).toEqual(expectedOrder(p));
    expect(tasks.query.operator).toBe("PythonOperator");
  });

  test(
    "dag.test() with a conf: the query is polled until moto says SUCCEEDED; the message carries the conf, the Lambda's and the jobs' responses",
    async () => {
      await seed();
      const r = run(conf);
      expect(r.tasks).toEqual({ prepare: "success", classify: "success", query: "success", announce: "success" });
      expect(r.state).toBe("success");
      // The query's result is the final GetQueryExecution response (moto said RUNNING at the first poll).
      const q = r.xcom.query.QueryExecution;
      expect(q.Status.State).toBe("SUCCEEDED");
      expect(q.Query).toBe("SELECT * FROM events WHERE label = 'hot'");
      expect(q.ResultConfiguration.OutputLocation).toBe(`s3://example-events-artifacts/athena/${q.QueryExecutionId}.csv`);
      // The processing job got the key's value through Jinja (SY_TEXT), and its Describe response is read back.
      expect(r.requests[r.jobs.processing[0]].arguments).toEqual(["--day", "2026-02-03", "--in", "query-events"]);
      const [message] = r.published["query-events"];
      expect(message.Message).toBe(`${q.QueryExecutionId} SUCCEEDED Completed 2026-02-03 0.75 in query-events`);
      expect(r.xcom.announce.MessageId).toBe(message.MessageId);
    },
    DAG_RUN_TIMEOUT,
  );

  test(
    "dag.test() without the input's detail: the task that reads it fails; nothing after it runs",
    async () => {
      await seed();
      const r = run({ topics: [topic] });
      expect(r.state).toBe("failed");
      expect(r.tasks.prepare).toBe("failed");
      expect(r.tasks.announce).toBe("upstream_failed");
      expect(r.jobs.processing).toEqual([]);
    },
    DAG_RUN_TIMEOUT,
  );
});
