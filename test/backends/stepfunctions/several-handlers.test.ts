/**
 * Several failure handlers on one step, tried in order (the first whose errors
 * match runs, as ASL Catch does): written in YAML and TypeScript, checked,
 * lowered to one catcher each, executed in aws-local-stepfunctions, refused by
 * the targets that cannot choose by error, and lifted back; catchers others
 * wrote into different states, or into a Choice on the error's name, lift as
 * such handlers.
 */
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import sagemaker from "../../../backends/sagemaker/index.js";
import backend from "../../../backends/stepfunctions/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { handlers, head, publish, sent } from "./notices.js";
import { aslValidator, lower, run, yaml, yamlAndTs } from "./support.js";


/** A Batch job whose timeout is told one way and any other failure another; both then fail the run. */
const TWO = `${head("export")}  submit:
    type: aws
    service: batch
    action: SubmitJob
    wait: true
    request: { jobName: j, jobQueue: q, jobDefinition: d }
    on_failure:
      - { steps: [late], on: [timeout] }
      - { steps: [broken, stop] }
${publish("done", "ok", "    depends_on: [submit]\n")}${publish("late", "timed out")}${publish("broken", "failed")}  stop:
    type: fail
    message: the export failed
    error: ExportFailed
    depends_on: [broken]
`;



const errors = (ds: ReadonlyArray<{ severity: string }>) => ds.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d as never));

describe("several failure handlers on one step", () => {
  test("YAML's list of handlers and the TypeScript DSL's give the same IR, in order", async () => {
    const r = await yamlAndTs(
      TWO,
      `import { awsCall, fail, pipeline } from "switchyard";
const notice = (id: string, Message: string) => awsCall(id, { service: "sns", action: "Publish", request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message } });
const late = notice("late", "timed out");
const broken = notice("broken", "failed");
const stop = fail("stop", { message: "the export failed", error: "ExportFailed", depends_on: [broken] });
const submit = awsCall("submit", {
  service: "batch", action: "SubmitJob", wait: true, request: { jobName: "j", jobQueue: "q", jobDefinition: "d" },
  on_failure: [{ steps: [late], on: ["timeout"] }, { steps: [broken, stop] }],
});
const done = awsCall("done", { service: "sns", action: "Publish", request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: "ok" }, depends_on: [submit] });
export default pipeline({ name: "export", region: "us-east-1", role: "arn:aws:iam::111122223333:role/pipeline", artifacts: "s3://bucket-1/p", steps: [submit, done, late, broken, stop] });
`,
    );
    expect(r.tsErrors).toEqual([]);
    expect(r.fromTs).toEqual(r.fromYaml);
    const submit = (r.fromYaml as any[]).find((s) => s.id === "submit");
    expect(submit.on_failure).toEqual([{ steps: ["late"], on: ["timeout"] }, { steps: ["broken", "stop"] }]);
  });

  test("one catcher a handler, in the handlers' order, each into its own states", () => {
    const r = lower(yaml(TWO));
    expect(errors(r.diagnostics)).toEqual([]);
    const def = r.definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    expect(def.States.submit.Catch).toEqual([
      { ErrorEquals: ["States.Timeout"], ResultPath: "$.error", Next: "late" },
      { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "broken" },
    ]);
    // The timeout's handler re-raises the error; the other ends at its fail step.
    expect(def.States.late.Next).toBe("late.reraise");
    expect(def.States.broken.Next).toBe("stop");
  });

  test("executed: a timeout runs the first handler only, another error the second, success neither", async () => {
    const def = lower(yaml(TWO)).definition;
    const timedOut = await run(def, {}, handlers(def, { j: "States.Timeout" }));
    expect([timedOut.status, timedOut.error, sent(def, timedOut)]).toEqual(["FAILED", "States.Timeout", ["j", "timed out"]]);
    const failed = await run(def, {}, handlers(def, { j: "States.TaskFailed" }));
    expect([failed.status, failed.error, sent(def, failed)]).toEqual(["FAILED", "ExportFailed", ["j", "failed"]]);
    const ok = await run(def, {}, handlers(def, {}));
    expect([ok.status, sent(def, ok)]).toEqual(["SUCCEEDED", ["j", "ok"]]);
  });

  test("the lowered machine lifts back to the same pipeline, handlers in order", () => {
    const p = yaml(TWO);
    const def = lower(p).definition;
    const back = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2) });
    expect(errors(back.diagnostics)).toEqual([]);
    expect(back.pipeline!.steps.find((s) => s.id === "submit")!.on_failure?.map((h) => [h.steps, h.on])).toEqual([
      [["late"], ["timeout"]],
      [["broken", "stop"], undefined],
    ]);
    expect(diffPipelines(p, { ...back.pipeline!, artifacts: p.artifacts, role: p.role })).toEqual([]);
  });

  test("checked: a handler the ones before it shadow, and a step that ends the run both ways, are errors at the handler", () => {
    const shadowed = loadYamlText(TWO.replace("      - { steps: [late], on: [timeout] }\n", "      - { steps: [late] }\n"), "p.yaml", "fixtures");
    expect(errors(shadowed.diagnostics)).toEqual([
      "p.yaml:15:9: error: step 'submit': failure handler 2 never runs: the handlers before it take every error it names (handlers are tried in order, the first that matches runs)\n  hint: put the handler for fewer errors first",
    ]);
    const both = loadYamlText(TWO.replace("      - { steps: [late], on: [timeout] }\n", "      - { steps: [broken], on: [timeout], ends: succeeded }\n"), "p.yaml", "fixtures");
    expect(errors(both.diagnostics)).toEqual([
      "p.yaml:15:9: error: step 'submit' names failure handler step 'broken' in two handlers, but the execution ends failed after one and succeeded after the other",
    ]);
  });

  test("a step in two handlers that run different steps with it is refused on Step Functions, naming it", () => {
    const shared = `${TWO.replace("      - { steps: [late], on: [timeout] }\n", "      - { steps: [late, stop], on: [timeout] }\n")}`;
    const p = yaml(shared);
    expect(errors(checkPipeline(p))).toEqual([]);
    expect(errors(lower(p).diagnostics)).toEqual([
      "inline.yaml:32:3: error: failure handler step 'stop' is in two handlers that run different steps with it; its state has one Next, so each handler needs steps of its own",
    ]);
  });

  test("Airflow and SageMaker Pipelines refuse several handlers by their capability rows", () => {
    const p = yaml(TWO);
    const at = (b: typeof airflow) => refusals(b, p).map((d) => formatDiagnostic(d)).filter((m) => m.includes("several failure handlers"));
    expect(at(airflow)).toEqual([
      "inline.yaml:15:9: error: step 'submit': several failure handlers on one step, each for its own errors is not supported by Apache Airflow on Amazon MWAA: choosing among handlers needs the error that failed the task; a trigger rule sees only that it failed",
    ]);
    // SageMaker Pipelines has no failure handler at all: it refuses the first, which says it.
    expect(refusals(sagemaker, p).map((d) => formatDiagnostic(d)).filter((m) => m.includes("failure handler"))[0]).toMatch(/^inline\.yaml:14:9: error: step 'submit': steps that run when a step fails \(failure handler\) is not supported by Amazon SageMaker Pipelines/);
  });
});

describe("lifting catchers into different states", () => {
  const train = {
    Type: "Task",
    Resource: "arn:aws:states:::batch:submitJob.sync",
    Parameters: { JobName: "j", JobQueue: "q", JobDefinition: "d" },
  };
  const notice = (message: string, next: object) => ({ Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": message }, ...next });

  test("each catcher is a handler of its own, in the catchers' order; the machine does the same after lifting", async () => {
    const m = {
      StartAt: "Job",
      States: {
        Job: { ...train, End: true, Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Late" }, { ErrorEquals: ["States.ALL"], Next: "Broken" }] },
        Late: notice("$.Cause", { Next: "Give up" }),
        Broken: notice("$.Error", { End: true }),
        "Give up": { Type: "Fail", Error: "Late" },
      },
    };
    const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(m, null, 2) });
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.pipeline!.steps[0].on_failure?.map((h) => [h.steps, h.on, h.ends])).toEqual([
      [["Late", "Give_up"], ["timeout"], undefined],
      [["Broken"], undefined, "succeeded"],
    ]);
    const def = lower(r.pipeline!).definition;
    for (const e of ["States.Timeout", "States.TaskFailed"]) {
      const a = await run(m, {}, handlers(m, { j: e }));
      const b = await run(def, {}, handlers(def, { j: e }));
      expect([e, b.status, b.error, sent(def, b)]).toEqual([e, a.status, a.error, sent(m, a)]);
    }
  });

  test("a Catch into a Choice on $.Error (a Not, an Or, a Default) is a handler per name the Choice tells apart", async () => {
    const m = {
      StartAt: "Job",
      States: {
        Job: { ...train, End: true, Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "Which" }] },
        Which: {
          Type: "Choice",
          Choices: [
            { Or: [{ Variable: "$.failure.Error", StringEquals: "Batch.AWSBatchException" }, { Variable: "$.failure.Error", StringEquals: "Batch.ServerException" }], Next: "Service" },
            { Not: { Variable: "$.failure.Error", StringEquals: "States.Timeout" }, Next: "Broken" },
          ],
          Default: "Late",
        },
        Service: notice("$.failure.Cause", { End: true }),
        Broken: notice("$.failure.Error", { Next: "Stop" }),
        Late: notice("$.failure.Cause", { Next: "Stop" }),
        Stop: { Type: "Fail", Error: "Failed" },
      },
    };
    const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(m, null, 2) });
    expect(errors(r.diagnostics)).toEqual([]);
    const hs = r.pipeline!.steps[0].on_failure!;
    expect(hs.map((h) => [h.steps, h.on, h.errors, h.ends])).toEqual([
      [["Service"], undefined, ["Batch.AWSBatchException", "Batch.ServerException"], "succeeded"],
      [["Late", "Stop"], ["timeout"], undefined, undefined],
      [["Broken", "Stop_2"], undefined, undefined, undefined],
    ]);
    const def = lower(r.pipeline!).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    for (const e of ["Batch.AWSBatchException", "Batch.ServerException", "States.Timeout", "States.TaskFailed", "Batch.ClientException"]) {
      const a = await run(m, {}, handlers(m, { j: e }));
      const b = await run(def, {}, handlers(def, { j: e }));
      expect([e, b.status, b.error, sent(def, b)]).toEqual([e, a.status, a.error, sent(m, a)]);
    }
  });

  test("catchers that put the error at different places into states that read it: those states lifted once for each, a handler each", async () => {
    // A plain shape: both catchers into one state reading the error where each put it.
    const plain = {
      StartAt: "Job",
      States: {
        Job: { ...train, End: true, Catch: [{ ErrorEquals: ["Batch.AWSBatchException"], ResultPath: "$.serviceError", Next: "Tell" }, { ErrorEquals: ["States.ALL"], ResultPath: "$.statesError", Next: "Tell" }] },
        Tell: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "$.serviceError.Cause" }, End: true },
      },
    };
    const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(plain, null, 2) });
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.pipeline!.steps[0].on_failure?.map((h) => [h.steps, h.errors, h.ends])).toEqual([
      [["Tell"], ["Batch.AWSBatchException"], "succeeded"],
      [["Tell_2"], undefined, "succeeded"],
    ]);
    const def = lower(r.pipeline!).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    // The service's error is told with its cause; another error fails in the message's read, before and after.
    const told = { "Batch.AWSBatchException": "SUCCEEDED", "States.TaskFailed": "FAILED" };
    for (const [e, status] of Object.entries(told)) {
      const a = await run(plain, {}, handlers(plain, { j: e }));
      const b = await run(def, {}, handlers(def, { j: e }));
      expect([e, a.status]).toEqual([e, status]);
      expect([e, b.status, b.error, sent(def, b)]).toEqual([e, a.status, a.error, sent(plain, a)]);
    }
  });

  test("a Choice after a Catch that reads more than the error's name still branches the handler: refused as before", () => {
    const m = {
      StartAt: "Job",
      States: {
        Job: { ...train, End: true, Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "Which" }] },
        Which: { Type: "Choice", Choices: [{ Variable: "$.failure.Cause", StringEquals: "x", Next: "Broken" }], Default: "Stop" },
        Broken: notice("$.failure.Error", { Next: "Stop" }),
        Stop: { Type: "Fail", Error: "Failed" },
      },
    };
    const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(m, null, 2) });
    expect(r.pipeline).toBeUndefined();
    expect(errors(r.diagnostics).some((e) => e.includes("branches at Choice state 'Which'"))).toBe(true);
  });

  test("a Choice after a Catch without a Default that leaves some errors unmatched is refused, naming the error", () => {
    const m = {
      StartAt: "Job",
      States: {
        Job: { ...train, End: true, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Which" }] },
        Which: { Type: "Choice", Choices: [{ Variable: "$.Error", StringEquals: "States.Timeout", Next: "Stop" }] },
        Stop: { Type: "Fail", Error: "Failed" },
      },
    };
    const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(m, null, 2) });
    expect(r.pipeline).toBeUndefined();
    expect(errors(r.diagnostics)).toEqual([
      "m.asl.json:22:14: error: $.States.Which: Choice state 'Which' after a Catch matches no rule for errors it does not name and has no Default, so the execution would fail with States.NoChoiceMatched, which a failure handler cannot say",
    ]);
  });
});
