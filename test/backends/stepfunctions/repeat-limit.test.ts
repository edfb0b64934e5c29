/**
 * A repeated call with a bound on its calls (`repeat.max_calls`, with the
 * error and message it fails with): read from YAML and TypeScript, checked,
 * lowered to a counter on Step Functions (validated, executed), lifted back
 * exactly from our own machines, and read from the counters machines written
 * elsewhere keep in their state data (a Pass that sets it, a Pass that adds
 * to it with States.MathAdd, a Choice rule on it into a Fail): the original
 * and the machine lowered from the lifted pipeline make the same calls and
 * end the same way.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import type { Step } from "../../../src/ir/types.js";
import { aslValidator, lower, run, yaml, yamlAndTs } from "./support.js";

const PIPELINE = (timeout = "") => `version: 1
pipeline: wait-for-export
region: eu-west-1
artifacts: s3://export-watch-artifacts/runs
steps:
  start:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:start-export
    payload: { table: orders }
    outputs: { export_id: string }
  status:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:export-status
    payload: { export_id: "\${{ steps.start.outputs.export_id }}" }
    outputs: { state: string }
    repeat:
      until: "\${{ steps.status.outputs.state == 'DONE' }}"
      interval: 30s
      max_calls: 4
      error: ExportNotReady
      message: the export did not finish after 4 checks
${timeout}`;

const TS = `import { lambda, pipeline, expr } from "switchyard";

const start = lambda("start", {
  function: "arn:aws:lambda:eu-west-1:111122223333:function:start-export",
  payload: { table: "orders" },
  outputs: { export_id: "string" },
});
const status = lambda("status", {
  function: "arn:aws:lambda:eu-west-1:111122223333:function:export-status",
  payload: { export_id: start.outputs.export_id },
  outputs: { state: "string" },
  repeat: {
    until: expr("steps.status.outputs.state == 'DONE'"),
    interval: "30s",
    max_calls: 4,
    error: "ExportNotReady",
    message: "the export did not finish after 4 checks",
  },
});

export default pipeline({
  name: "wait-for-export",
  region: "eu-west-1",
  artifacts: "s3://export-watch-artifacts/runs",
  steps: [start, status],
});
`;

/** Lambda handlers: the start, then the status answering each state in turn. */
function answers(states: string[]) {
  const left = [...states];
  return {
    start: () => ({ Payload: { export_id: "x-1" } }),
    status: () => ({ Payload: { state: left.shift() ?? "RUNNING" } }),
  };
}

const errors = (text: string) => loadYamlText(text, "p.yaml", ".").diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0]);

describe("repeat.max_calls in the IR", () => {
  test("YAML and TypeScript give the same repeat, bound, error and message", async () => {
    const { tsErrors, fromYaml, fromTs } = await yamlAndTs(PIPELINE(), TS);
    expect(tsErrors).toEqual([]);
    expect(fromTs).toEqual(fromYaml);
    const status = (fromYaml as Step[]).find((s) => s.id === "status") as Extract<Step, { kind: "lambda" }>;
    expect({ ...status.repeat, until: undefined }).toEqual({ until: undefined, interval: 30, max_calls: 4, error: "ExportNotReady", message: "the export did not finish after 4 checks" });
  });

  test("refused: a bound under 1 or not whole (the schema), an error or a message without a bound (the checks)", () => {
    expect(errors(PIPELINE().replace("max_calls: 4", "max_calls: 0"))).toEqual(["p.yaml:19:18: error: step 'status' (repeat.max_calls) must be >= 1"]);
    expect(errors(PIPELINE().replace("max_calls: 4", "max_calls: 2.5"))).toEqual(["p.yaml:19:18: error: step 'status' (repeat.max_calls) must be an integer, not 2.5"]);
    expect(errors(PIPELINE().replace("error: ExportNotReady", 'error: ""'))).toEqual([
      "p.yaml:17:7: error: 'repeat.error' of step 'status' is empty: name the error the step fails with, or leave it out (RepeatLimitExceeded)",
    ]);
    expect(errors(PIPELINE().replace("      max_calls: 4\n", ""))).toEqual([
      "p.yaml:17:7: error: step 'status' gives 'repeat.error' without 'repeat.max_calls': the step fails with it only after that many calls",
    ]);
  });
});

describe("repeat.max_calls on Step Functions", () => {
  test("a counter and a Choice rule into a Fail of the error and message; valid ASL", () => {
    const r = lower(yaml(PIPELINE()));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const st = r.definition.States;
    expect(st["status.polls"]).toEqual({ Type: "Pass", Result: { status: 1 }, ResultPath: "$.polls", Next: "status" });
    expect(st["status.until"].Choices[1]).toEqual({ Variable: "$.polls.status", NumericGreaterThanEquals: 4, Next: "status.limit" });
    expect(st["status.limit"]).toEqual({ Type: "Fail", Error: "ExportNotReady", Cause: "the export did not finish after 4 checks" });
    expect(st["status.count"]).toEqual({ Type: "Pass", Parameters: { "status.$": "States.MathAdd($.polls.status, 1)" }, ResultPath: "$.polls", Next: "status" });
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
  });

  test("runs: four calls that never see DONE fail the execution with the error and message; DONE at the third call goes on", async () => {
    const def = lower(yaml(PIPELINE())).definition;
    const never = await run(def, {}, answers([]));
    expect(never).toMatchObject({ status: "FAILED", error: "ExportNotReady", cause: "the export did not finish after 4 checks" });
    expect(never.started.filter((x) => x === "status")).toHaveLength(4);
    const soon = await run(def, {}, answers(["RUNNING", "RUNNING", "DONE"]));
    expect(soon.status).toBe("SUCCEEDED");
    expect(soon.started.filter((x) => x === "status")).toHaveLength(3);
  });

  test("the first bound reached ends it: a timeout that allows fewer calls fails with States.Timeout; one that allows more leaves max_calls", () => {
    const short = lower(yaml(PIPELINE("    timeout: 1m\n"))).definition.States;
    expect(short["status.until"].Choices[1]).toEqual({ Variable: "$.polls.status", NumericGreaterThanEquals: 2, Next: "status.timeout" });
    expect(short["status.timeout"].Error).toBe("States.Timeout");
    expect(short["status.limit"]).toBeUndefined();
    const long = lower(yaml(PIPELINE("    timeout: 1h\n"))).definition.States;
    expect(long["status.until"].Choices[1]).toEqual({ Variable: "$.polls.status", NumericGreaterThanEquals: 4, Next: "status.limit" });
  });

  test.each([
    ["an error and a message", PIPELINE()],
    ["the default error and message", PIPELINE().replace("      error: ExportNotReady\n      message: the export did not finish after 4 checks\n", "")],
  ])("our own machine lifts back to the same repeat and lowers to the same definition (%s)", (_, text) => {
    const first = lower(yaml(text));
    const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
    expect(lifted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const status = lifted.pipeline!.steps.find((s) => s.id === "status") as Extract<Step, { kind: "lambda" }>;
    const given = yaml(text).steps.find((s) => s.id === "status") as Extract<Step, { kind: "lambda" }>;
    expect([status.repeat!.max_calls, status.repeat!.error, status.repeat!.message]).toEqual([given.repeat!.max_calls, given.repeat!.error, given.repeat!.message]);
    expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
  });
});

function lift(def: unknown) {
  const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2), given: { region: "eu-west-1", artifacts: "s3://crawl-artifacts/runs" } });
  return { ...r, text: r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0]) };
}
const task = (resource: string, extra: Record<string, unknown> = {}) => ({ Type: "Task", Resource: resource, ...extra });

/**
 * Written as public machines keep a count of retries: a Pass sets it to 0 beside the input before the first
 * call; after a Choice on the status, a second Choice fails the run once the count reaches the limit; a Wait,
 * then a Pass adds 1 (rebuilding the data from the members it lists) and goes back to the call.
 */
const CRAWL = {
  Comment: "Start a Glue crawler, then poll until it is READY, at most 10 retries",
  StartAt: "Init",
  States: {
    Init: { Type: "Pass", Parameters: { "crawler.$": "$.crawler", retryCount: 0 }, Next: "StartCrawler" },
    StartCrawler: task("arn:aws:states:::aws-sdk:glue:startCrawler", { Parameters: { "Name.$": "$.crawler" }, ResultPath: null, Next: "GetCrawler" }),
    GetCrawler: task("arn:aws:states:::aws-sdk:glue:getCrawler", { Parameters: { "Name.$": "$.crawler" }, ResultPath: "$.crawl", Next: "IsReady" }),
    IsReady: { Type: "Choice", Choices: [{ Variable: "$.crawl.Crawler.State", StringEquals: "READY", Next: "Notify" }], Default: "CheckRetries" },
    CheckRetries: { Type: "Choice", Choices: [{ Variable: "$.retryCount", NumericGreaterThanEquals: 10, Next: "TooManyRetries" }], Default: "WaitABit" },
    WaitABit: { Type: "Wait", Seconds: 30, Next: "IncrementRetry" },
    IncrementRetry: { Type: "Pass", Parameters: { "crawler.$": "$.crawler", "retryCount.$": "States.MathAdd($.retryCount, 1)" }, Next: "GetCrawler" },
    Notify: task("arn:aws:states:::sns:publish", { Parameters: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:crawls", "Message.$": "$.crawl.Crawler.Name" }, End: true }),
    TooManyRetries: { Type: "Fail", Error: "MaxRetriesExceeded", Cause: "crawler not ready after 10 retries" },
  },
};

/**
 * The other common form: the count is kept with the input under `input` (a Pass wraps it first), the rule on
 * it leads back while it is under the limit, the Default fails, and the count is added to before the Wait.
 */
const EXPORT = {
  StartAt: "InitRetryCounter",
  States: {
    InitRetryCounter: { Type: "Pass", Parameters: { attempt: 1, "input.$": "$" }, Next: "Describe" },
    Describe: task("arn:aws:states:::aws-sdk:dynamodb:describeExport", { Parameters: { "ExportArn.$": "$.input.export_arn" }, ResultPath: "$.described", Next: "Finished?" }),
    "Finished?": {
      Type: "Choice",
      Choices: [
        { Variable: "$.described.ExportDescription.ExportStatus", StringEquals: "COMPLETED", Next: "Done" },
        { Variable: "$.described.ExportDescription.ExportStatus", StringEquals: "FAILED", Next: "ExportFailed" },
        { Variable: "$.attempt", NumericLessThan: 6, Next: "Increment" },
      ],
      Default: "StillRunning",
    },
    Increment: { Type: "Pass", Parameters: { "input.$": "$.input", "attempt.$": "States.MathAdd($.attempt, 1)" }, Next: "WaitBeforeRetry" },
    WaitBeforeRetry: { Type: "Wait", Seconds: 60, Next: "Describe" },
    Done: { Type: "Succeed" },
    ExportFailed: { Type: "Fail", Error: "ExportFailed" },
    StillRunning: { Type: "Fail", Error: "ExportTimedOut", Cause: "the export was still running after 6 checks" },
  },
};

describe("counters that machines written elsewhere keep", () => {
  test("a count from 0, failing at 10 or more, added to after the Wait: max_calls 11 (the eleventh call sees a count of 10), the Fail's error and cause", () => {
    const r = lift(CRAWL);
    expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
    expect(checkPipeline(r.pipeline!).filter((d) => d.severity === "error")).toEqual([]);
    const get = r.pipeline!.steps.find((s) => s.id === "GetCrawler") as Extract<Step, { kind: "aws" }>;
    expect({ ...get.repeat!, until: printExpr(get.repeat!.until), pos: undefined }).toEqual({ until: "steps.GetCrawler.response.Crawler.State == 'READY'", interval: 30, max_calls: 11, error: "MaxRetriesExceeded", message: "crawler not ready after 10 retries", pos: undefined });
    // No word about later calls: the Pass copies what the call reads.
    expect(r.text.filter((x) => x.includes("later calls"))).toEqual([]);
    expect(r.pipeline!.steps.map((s) => s.id)).toEqual(["StartCrawler", "GetCrawler", "Notify"]);
  });

  test("the count set by a Pass's Result at its own path (Result: 0, ResultPath: $.retryCount), and its rule beside the status rule in one Choice, are read the same", () => {
    // (Not executed here: aws-local-stepfunctions takes a Result of 0 for no Result.)
    const r = lift({
      ...CRAWL,
      States: {
        ...CRAWL.States,
        Init: { Type: "Pass", Result: 0, ResultPath: "$.retryCount", Next: "StartCrawler" },
        IsReady: {
          Type: "Choice",
          Choices: [
            { Variable: "$.crawl.Crawler.State", StringEquals: "READY", Next: "Notify" },
            { Variable: "$.retryCount", NumericGreaterThanEquals: 10, Next: "TooManyRetries" },
          ],
          Default: "WaitABit",
        },
        CheckRetries: undefined,
      },
    });
    expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
    expect((r.pipeline!.steps.find((s) => s.id === "GetCrawler") as Extract<Step, { kind: "aws" }>).repeat!.max_calls).toBe(11);
  });

  test("a count from 1 that loops while under 6, the Default failing, added to before the Wait: max_calls 6; the other ways out stay a condition after the call", () => {
    const r = lift(EXPORT);
    expect(r.text.filter((x) => x.includes(" error: "))).toEqual([]);
    const d = r.pipeline!.steps.find((s) => s.id === "Describe") as Extract<Step, { kind: "aws" }>;
    expect([printExpr(d.repeat!.until), d.repeat!.max_calls, d.repeat!.error, d.repeat!.message]).toEqual([
      "steps.Describe.response.ExportDescription.ExportStatus == 'COMPLETED' or steps.Describe.response.ExportDescription.ExportStatus == 'FAILED'",
      6,
      "ExportTimedOut",
      "the export was still running after 6 checks",
    ]);
    expect(r.pipeline!.steps.map((s) => `${s.id}:${s.kind}`)).toEqual(["Describe:aws", "Finished:condition", "ExportFailed:fail"]);
  });

  const crawler = (states: string[]) => {
    const left = [...states];
    return {
      StartCrawler: () => ({}),
      GetCrawler: (i: any) => ({ Crawler: { Name: i.Name, State: left.shift() ?? "RUNNING" } }),
      Notify: (i: any) => ({ MessageId: i.Message }),
      // The machine lowered from the lifted pipeline names its states by step id.
    };
  };
  const exporter = (states: string[]) => {
    const left = [...states];
    return { Describe: (i: any) => ({ ExportDescription: { ExportArn: i.ExportArn, ExportStatus: left.shift() ?? "IN_PROGRESS" } }) };
  };

  test.each([
    ["never ready: both fail with the Fail's error after 11 calls", [] as string[], { status: "FAILED", error: "MaxRetriesExceeded", cause: "crawler not ready after 10 retries" }, 11],
    ["ready at the third call: both publish", ["RUNNING", "RUNNING", "READY"], { status: "SUCCEEDED" }, 3],
  ])("the crawl machine and the machine lowered from its lift, executed: %s", async (_, states, end, calls) => {
    const again = lower(lift(CRAWL).pipeline!).definition;
    expect(aslValidator(again)).toMatchObject({ isValid: true, errors: [] });
    const [before, after] = [await run(structuredClone(CRAWL), { crawler: "orders" }, crawler(states)), await run(again, { crawler: "orders" }, crawler(states))];
    expect(before).toMatchObject(end);
    expect(after).toMatchObject(end);
    expect(before.inputs.GetCrawler).toHaveLength(calls);
    expect(after.inputs.GetCrawler).toEqual(before.inputs.GetCrawler);
    expect(after.inputs.Notify).toEqual(before.inputs.Notify);
  });

  test.each([
    ["still running: both fail with the Default's error after 6 calls", [] as string[], { status: "FAILED", error: "ExportTimedOut" }, 6],
    ["failed at the second call: both fail with ExportFailed", ["IN_PROGRESS", "FAILED"], { status: "FAILED", error: "ExportFailed" }, 2],
    ["completed at the sixth call: both succeed", ["IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "COMPLETED"], { status: "SUCCEEDED" }, 6],
  ])("the export machine and the machine lowered from its lift, executed: %s", async (_, states, end, calls) => {
    const again = lower(lift(EXPORT).pipeline!).definition;
    const input = { export_arn: "arn:aws:dynamodb:eu-west-1:111122223333:table/orders/export/1" };
    const [before, after] = [await run(structuredClone(EXPORT), input, exporter(states)), await run(again, input, exporter(states))];
    expect(before).toMatchObject(end);
    expect(after).toMatchObject(end);
    expect(before.inputs.Describe).toHaveLength(calls);
    expect(after.inputs.Describe).toEqual(before.inputs.Describe);
  });

  test("refused, saying why: a way out tested after the count; a rule that loops before it; a count that does not start from a number; one that never reaches its bound; a read of the count after the loop; a Fail that reads its error from the data", () => {
    const with_ = (states: Record<string, unknown>) => lift({ ...CRAWL, States: { ...CRAWL.States, ...states } }).text.filter((x) => x.includes(" error: "));
    // The count first, the status after it: the last call fails whatever it returned.
    expect(
      with_({
        IsReady: { Type: "Choice", Choices: [{ Variable: "$.retryCount", NumericGreaterThanEquals: 10, Next: "TooManyRetries" }, { Variable: "$.crawl.Crawler.State", StringEquals: "READY", Next: "Notify" }], Default: "WaitABit" },
      }),
    ).toEqual([expect.stringContaining("that counts its calls: a way out of the loop is tested after the count in '$.retryCount', so the last call fails the run whatever it returned")]);
    expect(
      with_({
        IsReady: { Type: "Choice", Choices: [{ Variable: "$.crawl.Crawler.State", StringEquals: "READY", Next: "Notify" }, { Variable: "$.crawl.Crawler.State", StringEquals: "STOPPING", Next: "WaitABit" }], Default: "CheckRetries" },
      }),
    ).toEqual([expect.stringContaining("that counts its calls: a rule leads back into the loop before the count in '$.retryCount' is tested, so those calls are not bounded by it")]);
    expect(with_({ Init: { Type: "Pass", Next: "StartCrawler" } })).toEqual([
      expect.stringMatching(/^m\.asl\.json:\d+:\d+: error: \$\.States\.CheckRetries\.Choices\[0\]\.Variable: the count of calls in '\$\.retryCount' does not start from a number set before the loop/),
    ]);
    expect(with_({ CheckRetries: { Type: "Choice", Choices: [{ Variable: "$.retryCount", NumericEquals: 10.5, Next: "TooManyRetries" }], Default: "WaitABit" } })).toEqual([
      expect.stringContaining("the count of calls in '$.retryCount' (from 0, 1 a call) never meets NumericEquals 10.5 within 100000 calls"),
    ]);
    // What the count holds after the loop is the calls made, which no lifted value holds: reading it is refused.
    expect(with_({ Notify: task("arn:aws:states:::sns:publish", { Parameters: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:crawls", "Message.$": "States.Format('ready after {} retries', $.retryCount)" }, End: true }) })).toEqual([
      expect.stringContaining("$.States.Notify.Parameters['Message.$']: path '$.retryCount' reads data whose meaning is unknown here (the count of calls the loop around 'GetCrawler' keeps: the lifted step's max_calls bounds the calls, and nothing holds how many were made)"),
    ]);
    expect(with_({ TooManyRetries: { Type: "Fail", ErrorPath: "$.crawl.Crawler.State" } })).toEqual([
      expect.stringContaining("the Fail state 'TooManyRetries' the count leads to takes its error from the data"),
    ]);
  });
});
