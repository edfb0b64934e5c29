/**
 * A repeated call whose interval is read from the data (`repeat.interval: ${{ params.wait_time }}`),
 * as the AWS job-poller sample and the machines copied from it wait `SecondsPath: $.wait_time`:
 * read from YAML and TypeScript alike, type-checked, lowered to a Wait with SecondsPath (executed,
 * the real wait read from the execution's input), refused with a timeout on Step Functions (which
 * bounds the calls by counting them an interval apart), lifted back from our own machines, and
 * lifted from machines written elsewhere in that shape: the original and the machine lowered from
 * its lift make the same calls and end the same way.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import { dependencies } from "../../../src/ir/graph.js";
import type { Step, Value } from "../../../src/ir/types.js";
import { aslValidator, lower, run, yaml, yamlAndTs } from "./support.js";

const PIPELINE = (extra = "") => `version: 1
pipeline: job-poller
region: eu-west-1
artifacts: s3://job-poller-artifacts/runs
parameters:
  wait_time: { type: integer, default: 30 }
steps:
  submit:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:submit-job
    payload: { name: nightly }
    outputs: { job_id: string }
  status:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:job-status
    payload: { job_id: "\${{ steps.submit.outputs.job_id }}" }
    outputs: { state: string }
    repeat:
      until: "\${{ steps.status.outputs.state != 'RUNNING' }}"
      interval: "\${{ params.wait_time }}"
      max_calls: 5
${extra}`;

const TS = `import { lambda, params, pipeline, expr } from "switchyard";

const p = params({ wait_time: { type: "integer", default: 30 } });
const submit = lambda("submit", {
  function: "arn:aws:lambda:eu-west-1:111122223333:function:submit-job",
  payload: { name: "nightly" },
  outputs: { job_id: "string" },
});
const status = lambda("status", {
  function: "arn:aws:lambda:eu-west-1:111122223333:function:job-status",
  payload: { job_id: submit.outputs.job_id },
  outputs: { state: "string" },
  repeat: { until: expr("steps.status.outputs.state != 'RUNNING'"), interval: p.wait_time, max_calls: 5 },
});

export default pipeline({
  name: "job-poller",
  region: "eu-west-1",
  artifacts: "s3://job-poller-artifacts/runs",
  parameters: p,
  steps: [submit, status],
});
`;

const errors = (text: string) => loadYamlText(text, "p.yaml", ".").diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0]);
const shown = (v: number | Value) => (typeof v === "number" ? v : printExpr(v));
const statusOf = (steps: Step[]) => steps.find((s) => s.id === "status") as Extract<Step, { kind: "lambda" }>;

/** The start answers a job id; the status says RUNNING until the answers run out, then DONE. */
function answers(running: number) {
  let left = running;
  return {
    submit: () => ({ Payload: { job_id: "j-1" } }),
    status: () => ({ Payload: { state: left-- > 0 ? "RUNNING" : "DONE" } }),
  };
}

describe("repeat.interval read from the data, in the IR", () => {
  test("YAML and TypeScript give the same repeat, its interval the parameter", async () => {
    const { tsErrors, fromYaml, fromTs } = await yamlAndTs(PIPELINE(), TS);
    expect(tsErrors).toEqual([]);
    expect(fromTs).toEqual(fromYaml);
    expect(shown(statusOf(fromYaml as Step[]).repeat!.interval)).toBe("params.wait_time");
  });

  test("refused: seconds that are not a whole number, the step's own result, a step that has not run yet", () => {
    expect(errors(PIPELINE().replace("wait_time: { type: integer, default: 30 }", "wait_time: { type: string, default: '30' }"))).toEqual([
      "p.yaml:20:22: error: repeat.interval of step 'status' must be whole seconds (an integer), not string",
    ]);
    expect(errors(PIPELINE().replace('interval: "${{ params.wait_time }}"', 'interval: "${{ steps.status.response.retry_after }}"'))).toEqual([
      "p.yaml:20:22: error: step 'status' refers to itself in steps.status.response.retry_after",
    ]);
    const bad = loadYamlText(PIPELINE().replace('interval: "${{ params.wait_time }}"', "interval: ten seconds"), "p.yaml", ".").diagnostics.map((d) => formatDiagnostic(d));
    expect(bad).toEqual(["p.yaml:20:17: error: 'ten seconds' is not a duration in step 'status' (repeat.interval)\n  hint: write it like 30s, 10m, 2h, 7d or 1h30m, or as an expression ${{ ... }} of whole seconds"]);
  });

  test("an earlier step's output orders the step after it, as any value does", () => {
    const p = yaml(PIPELINE().replace("outputs: { job_id: string }", "outputs: { job_id: string, poll_every: integer }").replace("payload: { job_id: \"${{ steps.submit.outputs.job_id }}\" }", "payload: { job: j-1 }").replace('interval: "${{ params.wait_time }}"', 'interval: "${{ steps.submit.outputs.poll_every }}"'));
    expect(dependencies(p).get("status")).toEqual(["submit"]);
  });
});

describe("repeat.interval read from the data, on Step Functions", () => {
  test("the loop's Wait reads the parameter (SecondsPath); valid ASL", () => {
    const r = lower(yaml(PIPELINE()));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.definition.States["status.wait"]).toEqual({ Type: "Wait", SecondsPath: "$.params.wait_time", Next: "status.count" });
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
  });

  test("the execution's input (no plain path of the data) is computed into $.wait once, before the first call", () => {
    const r = lower(yaml(PIPELINE().replace('interval: "${{ params.wait_time }}"', 'interval: "${{ execution.input.poll.seconds }}"')));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const st = r.definition.States;
    expect(st["status.seconds"]).toEqual({ Type: "Pass", Parameters: { "status.$": "$$.Execution.Input.poll.seconds" }, ResultPath: "$.wait", Next: "status.polls" });
    expect(st.submit.Next).toBe("status.seconds");
    expect(st["status.wait"]).toEqual({ Type: "Wait", SecondsPath: "$.wait.status", Next: "status.count" });
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
  });

  test("runs, the Wait reading the seconds given: three calls, DONE at the third; five RUNNING fail with the bound's error", async () => {
    const def = lower(yaml(PIPELINE())).definition;
    const done = await run(def, { wait_time: 0 }, answers(2), "exec-1", true);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.started.filter((x) => x === "status")).toHaveLength(3);
    const never = await run(def, { wait_time: 0 }, answers(99), "exec-2", true);
    expect(never).toMatchObject({ status: "FAILED", error: "RepeatLimitExceeded" });
    expect(never.started.filter((x) => x === "status")).toHaveLength(5);
  });

  test("a timeout bounds the calls by counting them an interval apart: refused with an interval read at run time, naming the step", () => {
    const r = lower(yaml(PIPELINE("    timeout: 10m\n")));
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      "inline.yaml:19:7: error: step 'status': its timeout of 600s bounds its calls by counting them 'repeat.interval' apart, and this interval is read at run time (params.wait_time)",
    ]);
  });

  test("our own machine lifts back to the same repeat and lowers to the same definition (a parameter; the execution's input)", () => {
    for (const text of [PIPELINE(), PIPELINE().replace('interval: "${{ params.wait_time }}"', 'interval: "${{ execution.input.poll.seconds }}"')]) {
      const first = lower(yaml(text));
      const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
      expect(lifted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(shown(statusOf(lifted.pipeline!.steps).repeat!.interval)).toBe(shown(statusOf(yaml(text).steps).repeat!.interval));
      expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
    }
  });
});

function lift(def: unknown) {
  const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2), given: { region: "eu-west-1", artifacts: "s3://poller-artifacts/runs" } });
  return { ...r, text: r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0]) };
}
const fn = (name: string) => `arn:aws:lambda:eu-west-1:111122223333:function:${name}`;

/**
 * Written as the job-poller sample and the machines copied from it are: the submit's result kept beside
 * the input, a Wait of the input's `wait_time` before each status check, the status kept beside them.
 */
const POLLER = {
  Comment: "Submit a job, then check its status every wait_time seconds until it completes",
  StartAt: "Submit Job",
  States: {
    "Submit Job": { Type: "Task", Resource: fn("submit-job"), ResultPath: "$.guid", Next: "Wait X Seconds" },
    "Wait X Seconds": { Type: "Wait", SecondsPath: "$.wait_time", Next: "Get Job Status" },
    "Get Job Status": { Type: "Task", Resource: fn("job-status"), InputPath: "$.guid", ResultPath: "$.status", Next: "Job Complete?" },
    "Job Complete?": {
      Type: "Choice",
      Choices: [
        { Variable: "$.status", StringEquals: "FAILED", Next: "Job Failed" },
        { Variable: "$.status", StringEquals: "SUCCEEDED", Next: "Get Final Job Status" },
      ],
      Default: "Wait X Seconds",
    },
    "Job Failed": { Type: "Fail", Cause: "AWS Batch Job Failed", Error: "DescribeJob returned FAILED" },
    "Get Final Job Status": { Type: "Task", Resource: fn("job-status"), InputPath: "$.guid", End: true },
  },
};

describe("polling loops whose Wait reads its seconds from the data, in machines written elsewhere", () => {
  test("the job poller: the first Wait a wait step, the loop's interval the input's wait_time (a parameter), the ways out a condition after the call", () => {
    const r = lift(POLLER);
    expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
    const steps = r.pipeline!.steps;
    expect(steps.map((s) => `${s.id}:${s.kind}`)).toEqual(["Submit_Job:lambda", "Wait_X_Seconds:wait", "Get_Job_Status:lambda", "Job_Complete:condition", "Job_Failed:fail", "Get_Final_Job_Status:lambda"]);
    const get = steps.find((s) => s.id === "Get_Job_Status") as Extract<Step, { kind: "lambda" }>;
    expect([printExpr(get.repeat!.until), shown(get.repeat!.interval)]).toEqual(["steps.Get_Job_Status.response == 'FAILED' or steps.Get_Job_Status.response == 'SUCCEEDED'", "params.wait_time"]);
    expect(printExpr((steps.find((s) => s.id === "Wait_X_Seconds") as Extract<Step, { kind: "wait" }>).seconds)).toBe("params.wait_time");
    expect(r.pipeline!.parameters.map((p) => [p.name, p.type])).toEqual([["wait_time", "integer"]]);
  });

  const poller = (statuses: string[]) => {
    const left = [...statuses];
    const status = () => left.shift() ?? "RUNNING";
    // By state name in the original, by step id in the machine lowered from the lift.
    return {
      "Submit Job": () => "job-7",
      Submit_Job: () => ({ Payload: "job-7" }),
      "Get Job Status": () => status(),
      Get_Job_Status: () => ({ Payload: status() }),
      "Get Final Job Status": () => "SUCCEEDED",
      Get_Final_Job_Status: () => ({ Payload: "SUCCEEDED" }),
    };
  };

  test.each([
    ["succeeded at the third check: both check three times, then get the final status", ["RUNNING", "RUNNING", "SUCCEEDED"], { status: "SUCCEEDED" }, 3],
    ["failed at the second check: both fail with the Fail's error", ["RUNNING", "FAILED"], { status: "FAILED", error: "DescribeJob returned FAILED" }, 2],
  ])("the job poller and the machine lowered from its lift, executed with the waits the input gives: %s", async (_, statuses, end, checks) => {
    const again = lower(lift(POLLER).pipeline!).definition;
    expect(aslValidator(again)).toMatchObject({ isValid: true, errors: [] });
    const input = { wait_time: 0 };
    const before = await run(structuredClone(POLLER), input, poller(statuses), "exec-1", true);
    const after = await run(again, input, poller(statuses), "exec-1", true);
    expect(before).toMatchObject(end);
    expect(after).toMatchObject(end);
    expect(before.started.filter((x) => x === "Get Job Status")).toHaveLength(checks);
    expect(after.started.filter((x) => x === "Get_Job_Status")).toHaveLength(checks);
    // The same job asked about each time.
    expect(after.inputs.Get_Job_Status.map((i: { Payload: unknown }) => i.Payload)).toEqual(before.inputs["Get Job Status"]);
  });

  test("refused, saying why: seconds the call itself returns (they may differ at each wait)", () => {
    const own = {
      ...POLLER,
      States: {
        ...POLLER.States,
        "Get Job Status": { Type: "Task", Resource: fn("job-status"), InputPath: "$.guid", ResultPath: "$.status", Next: "Job Complete?" },
        "Job Complete?": { ...POLLER.States["Job Complete?"], Choices: [{ Variable: "$.status.state", StringEquals: "SUCCEEDED", Next: "Get Final Job Status" }], Default: "Wait Again" },
        "Wait Again": { Type: "Wait", SecondsPath: "$.status.retry_after", Next: "Get Job Status" },
      },
    };
    expect(lift(own).text.filter((x) => x.includes(" error: "))).toEqual([
      expect.stringContaining("$.States['Wait Again'].SecondsPath: the Wait 'Wait Again' takes its seconds from '$.status.retry_after', which 'Get Job Status' writes (steps.Get_Job_Status.response.retry_after), so each wait may differ, where a repeated call's interval is read before its calls"),
    ]);
  });
});
