/**
 * An aws step that starts a Step Functions execution and waits for it, on
 * Airflow: the execution's input, held as JSON data, is sent as its JSON
 * text; the execution is polled with DescribeExecution until it ends; the
 * DAG lifts back to the same step. Against a stand-in for boto3.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import type { Pipeline, Step } from "../../../src/ir/types.js";
import { stripPositions } from "../../../src/ir/values.js";
import { helperDefs, lowerFor } from "./support/fixtures.js";
import { ruffWorkspace, asksForAirflow3 } from "./support/ruff.js";

const ruff = ruffWorkspace();
const tmp = mkdtempSync(join(tmpdir(), "sy-af-start-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const YAML = (input: string, link = "") => `
version: 1
pipeline: nightly-parent
region: eu-west-1
artifacts: s3://example-artifacts/runs
parameters:
  day: { type: string, default: mon }
steps:
  child:
    type: aws
    service: stepfunctions
    action: StartExecution
    wait: true
    request:
      stateMachineArn: arn:aws:states:eu-west-1:111122223333:stateMachine:child
      input: ${input}${link}
    timeout: 10m
`;
const INPUT = `{ day: "\${{ params.day }}", "it's": ["{{ x }}", 2, { deep: true }] }`;

function pipeline(text: string): Pipeline {
  const r = loadYamlText(text, join(tmp, "nightly-parent.yaml"), tmp);
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d)).join("\n"));
  return r.pipeline;
}

function defOf(dag: string, name: string): string {
  const at = dag.indexOf(`def ${name}(`);
  if (at < 0) throw new Error(`no ${name} in the DAG`);
  const end = dag.indexOf("\n\n\n", at);
  return dag.slice(at, end < 0 ? undefined : end);
}

describe("stepfunctions StartExecution with wait, on Airflow", () => {
  const r = lowerFor(pipeline(YAML(INPUT)));
  const dag = r.files.find((f) => f.kind === "dag")?.contents ?? "";

  test("the input is sent as sy_json of the data; the execution is polled with DescribeExecution by its ARN; lint-clean", () => {
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const call = defOf(dag, "child_call");
    expect(call).toContain("sy_aws_wait(");
    expect(call).toContain('"input": sy_json(');
    expect(call).toMatch(/"describe": "DescribeExecution",\s+"request": \{"executionArn": \["response", "executionArn"\]\},\s+"status": \["status"\],\s+"succeeded": \["SUCCEEDED"\],\s+"failed": \["FAILED", "TIMED_OUT", "ABORTED"\]/);
    // Airflow 2 (the default line): Airflow 3's deprecation notes do not apply.
    expect(ruff.check(dag).filter((d) => !asksForAirflow3(d)).map((d) => `${d.start_location.row}:${d.start_location.column} ${d.code} ${d.message}`)).toEqual([]);
  });

  test("at run time: start_execution gets the input's compact JSON text, and the task ends with the execution (PENDING_REDRIVE polls on)", () => {
    const helpers = helperDefs(dag, ["sy_json", "sy_walk", "sy_cast", "sy_aws", "sy_aws_wait"]);
    const script = `import base64, datetime, json, types
REGION = "eu-west-1"
class AirflowException(Exception):
    pass
class AirflowFailException(AirflowException):
    pass
CALLS = []
class time:
    @staticmethod
    def sleep(s):
        pass
class Client:
    statuses = []
    class meta:
        method_to_api_mapping = {"start_execution": "StartExecution", "describe_execution": "DescribeExecution"}
    def start_execution(self, **request):
        CALLS.append(["start", request])
        return {"executionArn": "arn:aws:states:eu-west-1:111122223333:execution:child:e-1", "startDate": datetime.datetime(2026, 1, 2)}
    def describe_execution(self, **request):
        CALLS.append(["describe", request])
        status = self.statuses.pop(0)
        out = {"executionArn": request["executionArn"], "status": status}
        if status == "FAILED":
            out["error"], out["cause"] = "States.TaskFailed", "boom"
        return out
CLIENT = Client()
class AwsBaseHook:
    def __init__(self, aws_conn_id, client_type, region_name):
        assert client_type == "stepfunctions", client_type
    def get_conn(self):
        return CLIENT
${helpers}
${defOf(dag, "child_call")}
dag_run = types.SimpleNamespace(conf={})
params = {"day": "tue"}
def attempt(statuses):
    del CALLS[:]
    CLIENT.statuses = list(statuses)
    try:
        got = ["ok", child_call(**{k: v for k, v in {"dag_run": dag_run, "params": params, "ti": None}.items() if k in child_call.__code__.co_varnames})]
    except Exception as e:
        got = [type(e).__name__, str(e)]
    return {"result": got, "calls": list(CALLS)}
print(json.dumps({"ok": attempt(["RUNNING", "PENDING_REDRIVE", "SUCCEEDED"]), "failed": attempt(["FAILED"])}))`;
    const out = JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" }));
    const arn = "arn:aws:states:eu-west-1:111122223333:execution:child:e-1";
    expect(out.ok.calls).toEqual([
      ["start", { stateMachineArn: "arn:aws:states:eu-west-1:111122223333:stateMachine:child", input: '{"day":"tue","it\'s":["{{ x }}",2,{"deep":true}]}' }],
      ["describe", { executionArn: arn }],
      ["describe", { executionArn: arn }],
      ["describe", { executionArn: arn }],
    ]);
    expect(out.ok.result).toEqual(["ok", { executionArn: arn, status: "SUCCEEDED" }]);
    expect(out.failed.result).toEqual(["AirflowException", "stepfunctions StartExecution: the job ended FAILED (error: States.TaskFailed; cause: boom)"]);
  });

  test("the DAG lifts back to the same step, which lowers to the same file", () => {
    // The DAG names no S3 location the artifacts prefix could be read from.
    const back = airflow.lift!({ file: "nightly-parent.py", text: dag, given: { artifacts: "s3://example-artifacts/runs" } });
    expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const [a, b] = [back.pipeline!.steps[0] as Extract<Step, { kind: "aws" }>, pipeline(YAML(INPUT)).steps[0] as Extract<Step, { kind: "aws" }>];
    expect(stripPositions([a.service, a.action, a.request, a.wait])).toEqual(stripPositions([b.service, b.action, b.request, b.wait]));
    const again = lowerFor(back.pipeline!).files.find((f) => f.kind === "dag")!.contents;
    expect(again.replace(/^# IR sha256:.*$/m, "")).toBe(dag.replace(/^# IR sha256:.*$/m, ""));
  });

  test("an input given as text is an error; the link to a parent execution is sent as written, with a warning", () => {
    const text = lowerFor(pipeline(YAML(`'{"day":"mon"}'`)));
    expect(text.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "step 'child': 'input' of stepfunctions:StartExecution must be JSON data written out (an object or a list, whose members may be any values): it is sent as that data's JSON text, and a text or a value known only at run time could be either the data or its text",
    ]);
    const linked = lowerFor(pipeline(YAML(`{ day: mon, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: "\${{ execution.id }}" }`)));
    expect(linked.diagnostics.filter((d) => d.severity !== "info").map((d) => `${d.severity}: ${d.message}`)).toEqual([
      "warning: step 'child': AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID links a started execution to the Step Functions execution that started it, by that execution's ARN; a DAG run is none, so the member is sent as written and links nothing",
    ]);
  });
});
