/**
 * A failure handler that reads the error that ran it (`failure`,
 * `failure.Error`, `failure.Cause`): Step Functions reads the Catch's output at
 * $.error; Airflow keeps the failed task's error in XCom (sy_keep_failure) and
 * reads it back (sy_failure). Both lift back to the same pipeline, and a real
 * DAG run in Airflow 2 and 3 against moto publishes the error of a Lambda
 * function that does not exist.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import stepfunctions from "../../../backends/stepfunctions/index.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { featuresUsed } from "../../../src/ir/features.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { airflowWithMoto, motoEnv } from "./support/airflow.js";
import { aslValidator, awsError, lower, run } from "../stepfunctions/support.js";
import { dagText, tight } from "./support/fixtures.js";
import { ruffWorkspace, asksForAirflow3 } from "./support/ruff.js";

const ruff = ruffWorkspace();
const tmp = mkdtempSync(join(tmpdir(), "sy-failure-read-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const YAML = `
version: 1
pipeline: notify-failure
region: eu-west-1
artifacts: s3://example-alerts-artifacts/runs
steps:
  score:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:score-missing
    payload: { batch: nightly }
    on_failure: { steps: [notify, record] }
  notify:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:eu-west-1:111122223333:alerts
      Subject: "scoring failed"
      Message: "\${{ failure.Error }}: \${{ failure.Cause }}"
  record:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:eu-west-1:111122223333:alerts
      Message: "\${{ failure }}"
    depends_on: [notify]
`;

function load(text: string): ReturnType<typeof loadYamlText> {
  return loadYamlText(text, join(tmp, "notify-failure.yaml"), tmp);
}

function pipeline(): Pipeline {
  const r = load(YAML);
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

describe("a failure handler reads the error that ran it", () => {
  test("only a failure handler's steps read a failure, and a failure has only Error and Cause", () => {
    const outside = load(`${YAML}  later:\n    type: aws\n    service: sns\n    action: Publish\n    request: { TopicArn: x, Message: "\${{ failure.Cause }}" }\n`);
    expect(outside.diagnostics.map((d) => d.message)).toContain("failure.Cause is only available in a failure handler's steps (those a step's 'on_failure' names)");
    const field = load(YAML.replace("\${{ failure }}", "\${{ failure.Trace }}"));
    expect(field.diagnostics.map((d) => d.message)).toContain("failure.Trace: a failure has only 'Error' (its name) and 'Cause' (its message)");
    expect(featuresUsed(pipeline()).filter((u) => u.feature === "on-failure.read").map((u) => u.step)).toEqual(["notify", "notify", "record"]);
  });

  test("Step Functions: the handler's states read the Catch's output at $.error; executed, they get the function's error; the machine lifts back to the same pipeline", async () => {
    const p = pipeline();
    const def = lower(p).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    expect(def.States.score.Catch).toEqual([{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "notify" }]);
    expect(def.States.notify.Parameters["Message.$"]).toBe("States.Format('{}: {}', $.error.Error, $.error.Cause)");
    expect(def.States.record.Parameters["Message.$"]).toBe("$.error");
    const r = await run(def, {}, {
      score: () => {
        throw awsError("Lambda.ResourceNotFoundException", "Function not found: score-missing");
      },
      notify: () => ({ MessageId: "m-1" }),
      record: () => ({ MessageId: "m-2" }),
    });
    expect([r.status, r.error]).toEqual(["FAILED", "Lambda.ResourceNotFoundException"]);
    expect(r.inputs.notify.map((i) => i.Message)).toEqual(["Lambda.ResourceNotFoundException: Function not found: score-missing"]);
    expect(r.inputs.record.map((i) => i.Message)).toEqual([{ Error: "Lambda.ResourceNotFoundException", Cause: "Function not found: score-missing" }]);
    const back = stepfunctions.lift!({ file: "notify-failure.asl.json", text: JSON.stringify(def), given: { artifacts: p.artifacts } });
    expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(diffPipelines(p, back.pipeline!).map((d) => d.path ?? d)).toEqual([]);
  });

  test("Step Functions lifter: a Catch without ResultPath hands the error over as the whole data; catchers that put it at different places are a handler each when the handler reads it", () => {
    const machine = (catchers: object[], message: string) =>
      JSON.stringify({
        StartAt: "Score",
        States: {
          Score: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "arn:aws:lambda:eu-west-1:111122223333:function:score", Payload: { a: 1 } }, Catch: catchers, End: true },
          Notify: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:alerts", "Message.$": message }, Next: "Failed" },
          Failed: { Type: "Fail", Error: "ScoringFailed" },
        },
      });
    const whole = stepfunctions.lift!({ file: "m.asl.json", text: machine([{ ErrorEquals: ["States.ALL"], Next: "Notify" }], "$.Cause"), given: { artifacts: "s3://example-alerts-artifacts/runs" } });
    expect(whole.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const notify = whole.pipeline!.steps.find((s) => s.display_name === "Notify" || s.id === "Notify") as Extract<Pipeline["steps"][number], { kind: "aws" }>;
    expect(notify.request.Message).toMatchObject({ kind: "ref", ref: { scope: "failure", path: ["Cause"] } });
    // The input is gone once the error replaced it: a read of it is refused by name.
    const gone = stepfunctions.lift!({ file: "m.asl.json", text: machine([{ ErrorEquals: ["States.ALL"], Next: "Notify" }], "$.batch"), given: { artifacts: "s3://example-alerts-artifacts/runs" } });
    expect(gone.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual(["$.States.Notify.Parameters['Message.$']: path '$.batch' reads 'batch' of the error the Catch of state 'Score' caught, which has only Error and Cause"]);
    const split = stepfunctions.lift!({
      file: "m.asl.json",
      text: machine([{ ErrorEquals: ["Lambda.TooManyRequestsException"], ResultPath: "$.throttled", Next: "Notify" }, { ErrorEquals: ["States.ALL"], ResultPath: "$.other", Next: "Notify" }], "$.throttled.Cause"),
      given: { artifacts: "s3://example-alerts-artifacts/runs" },
    });
    expect(split.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // The throttled error is the failure its handler reads; the other handler's copy reads the input's '$.throttled', as the original does there.
    const score = split.pipeline!.steps.find((s) => s.id === "Score")!;
    expect(score.on_failure?.map((h) => [h.steps, h.on])).toEqual([[["Notify", "Failed"], ["throttling"]], [["Notify_2", "Failed_2"], undefined]]);
    const message = (id: string) => (split.pipeline!.steps.find((s) => s.id === id) as Extract<Pipeline["steps"][number], { kind: "aws" }>).request.Message;
    expect(message("Notify")).toMatchObject({ kind: "ref", ref: { scope: "failure", path: ["Cause"] } });
    expect(message("Notify_2")).toMatchObject({ kind: "ref", ref: { scope: "execution", name: "input", path: ["throttled", "Cause"] } });
  });

  test("Airflow: the failed task keeps its error, the handlers read it, the DAG is lint-clean and lifts back to the same pipeline", () => {
    const p = pipeline();
    for (const line of ["2", "3"] as const) {
      const dag = dagText(p, { airflow: line });
      expect(tight(dag)).toMatch(/score=LambdaInvokeFunctionOperator\((?:(?!\)score_failed).)*on_failure_callback=sy_keep_failure\)/s);
      expect(tight(dag)).toContain(tight('"Message": sy_cat(sy_failure(ti, ["score"], "Error"), ": ", sy_failure(ti, ["score"], "Cause"))'));
      expect(tight(dag)).toContain(tight('"Message": sy_text(sy_failure(ti, ["score"]))'));
      const findings = ruff.check(dag).filter((d) => line === "3" || !asksForAirflow3(d));
      expect(findings.map((d) => `${d.start_location.row}:${d.start_location.column} ${d.code} ${d.message}`)).toEqual([]);
      expect(ruff.format(dag)).toBe(dag);
      const back = airflow.lift!({ file: "notify-failure.py", text: dag, given: { artifacts: p.artifacts } });
      expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const body = (t: string) => t.replace(/^# IR sha256:.*$/m, "");
      expect(body(dagText(back.pipeline!, { airflow: line }))).toBe(body(dag));
      // The task that fails the run after the handlers is the pipeline's own ending, not a step of it.
      expect(diffPipelines(p, back.pipeline!).map((d) => d.path ?? d)).toEqual([]);
    }
  });
});

/** A dag.test() run starts Airflow and talks to moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: a failure handler in real Airflow against moto", (line) => {
  const p = pipeline();
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line }) }), DAG_RUN_TIMEOUT);

  test(
    "the function that does not exist fails its task; the handlers publish its error's name and message, then the run fails",
    () => {
      const { af, moto } = env;
      const spec = join(af.home, "spec.json");
      writeFileSync(spec, JSON.stringify({ endpoint: moto.url, region: p.region, line, logical_date: "2026-02-03T04:05:06+00:00", topics: [{ name: "alerts", queue: "alerts-seen" }] }));
      const r = af.check(["run", join(af.home, "dags", `${p.name}.py`), spec], motoEnv(moto.url, p.region));
      expect(r.tasks).toEqual({ score: "failed", notify: "success", record: "success", score_failed: "failed" });
      expect(r.state).toBe("failed");
      const seen: Array<{ Message: string; Subject: string | null }> = r.published.alerts;
      expect(seen).toHaveLength(2);
      const kept = JSON.parse(seen.find((m) => !m.Subject)!.Message);
      // Airflow 2 hands the callback the exception; Airflow 3.0's in-process dag.test() does not (capabilities say so).
      const expected = line === "2" ? { Error: "ResourceNotFoundException", Cause: expect.stringContaining("score-missing") } : { Error: "TaskFailed", Cause: "the task failed" };
      expect(kept).toEqual(expected);
      expect(seen.find((m) => m.Subject === "scoring failed")!.Message).toBe(`${kept.Error}: ${kept.Cause}`);
    },
    DAG_RUN_TIMEOUT,
  );
});
