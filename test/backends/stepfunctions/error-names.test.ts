/**
 * Errors named as a function or service reports them (`errors:` beside the
 * classes in `on`): a Lambda function's own `ResourcePending`, retried to wait
 * for a resource, and `ResourceFailed`, caught into a handler; a service's
 * `Glue.CrawlerRunningException`. Lowered as written after the classes' names,
 * lifted back from machines written elsewhere, and run: the same calls before
 * and after.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import sagemaker from "../../../backends/sagemaker/index.js";
import airflow from "../../../backends/airflow/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { awsError, lower, run, yaml } from "./support.js";

const HEAD = `version: 1
pipeline: forecast-ops
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/forecast
`;
const FN = "arn:aws:lambda:us-east-1:111122223333:function:create-dataset";

const PIPELINE = `${HEAD}steps:
  create:
    type: lambda
    function: ${FN}
    payload: { a: 1 }
    retry:
      - { attempts: 101, interval: 1s, backoff: 1.5, errors: [ResourcePending] }
      - { attempts: 3, on: [throttling], errors: [Lambda.Unknown] }
    on_failure: { steps: [notify], errors: [ResourceFailed] }
  crawl:
    type: aws
    service: glue
    action: StartCrawler
    request: { Name: storm }
    depends_on: [create]
    retry: { attempts: 4, interval: 5s, errors: [Glue.CrawlerRunningException] }
  notify:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: failed }
`;

describe("lowering", () => {
  test("retriers and the catcher name the errors as written, after the classes' names", () => {
    const def = lower(yaml(PIPELINE)).definition;
    expect(def.States.create.Retry).toEqual([
      { ErrorEquals: ["ResourcePending"], IntervalSeconds: 1, MaxAttempts: 100, BackoffRate: 1.5 },
      { ErrorEquals: ["Lambda.TooManyRequestsException", "Lambda.Unknown"], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 },
    ]);
    expect(def.States.create.Catch).toEqual([{ ErrorEquals: ["ResourceFailed"], ResultPath: "$.error", Next: "notify" }]);
    expect(def.States.crawl.Retry).toEqual([{ ErrorEquals: ["Glue.CrawlerRunningException"], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }]);
  });

  test("the pipeline lifts back from its machine to the same machine", () => {
    const first = lower(yaml(PIPELINE));
    const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(first.definition, null, 2) });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const create = r.pipeline!.steps.find((s) => s.id === "create")!;
    expect(create.retry?.map((x) => [x.on, x.errors, x.attempts])).toEqual([
      [[], ["ResourcePending"], 101],
      [["throttling"], ["Lambda.Unknown"], 3],
    ]);
    expect(create.on_failure).toMatchObject([{ steps: ["notify"], errors: ["ResourceFailed"] }]);
    expect(create.on_failure?.[0].on).toBeUndefined();
    expect(lower(r.pipeline!).definition).toEqual(first.definition);
  });

  test("SageMaker refuses named errors at each rule; Airflow retries every error (emulated) and refuses a handler for some errors only", () => {
    const p = yaml(PIPELINE.replace(/  crawl:[\s\S]*?(?=  notify:)/, ""));
    const where = (b: typeof sagemaker) => refusals(b, p).map((d) => `${d.pos?.line}:${d.pos?.col} ${d.message}`);
    expect(where(sagemaker).filter((m) => m.includes("named as their function"))).toEqual([
      "12:9 step 'create': retry on errors named as their function or service reports them is not supported by Amazon SageMaker Pipelines: RetryPolicies match only the ExceptionTypes SageMaker defines (Step.*, SageMaker.*), not a function's or another service's own errors",
      "13:9 step 'create': retry on errors named as their function or service reports them is not supported by Amazon SageMaker Pipelines: RetryPolicies match only the ExceptionTypes SageMaker defines (Step.*, SageMaker.*), not a function's or another service's own errors",
    ]);
    expect(where(airflow)).toContain(
      "14:17 step 'create': failure handler for some errors only is not supported by Apache Airflow on Amazon MWAA: a trigger rule sees that a task failed, not which error failed it, so the handler would run for every error",
    );
    expect(airflow.capabilities["retry.error-names"].support).toBe("emulated");
  });
});

describe("checks", () => {
  const check = (retry: string) => {
    const r = loadYamlText(`${HEAD}steps:\n  create:\n    type: lambda\n    function: ${FN}\n    retry: ${retry}\n`, "p.yaml", "fixtures");
    return [...r.diagnostics, ...(r.pipeline ? checkPipeline(r.pipeline) : [])].filter((d) => d.severity === "error").map((d) => formatDiagnostic(d));
  };

  test("named errors beside 'any', twice, or Step Functions' own are refused at the rule", () => {
    expect(check("{ on: [any], errors: [ResourcePending] }")).toEqual(["p.yaml:10:12: error: step 'create': its retry rule names errors beside 'any', which matches every error already"]);
    expect(check("{ errors: [A, A] }")).toEqual(["p.yaml:10:12: error: step 'create': its retry rule names error 'A' twice"]);
    expect(check("{ errors: [States.Timeout] }")).toEqual([
      "p.yaml:10:12: error: step 'create': its retry rule names 'States.Timeout', an error Step Functions itself reports; named errors are a function's or service's own\n  hint: write Step Functions' errors as classes in 'on': States.ALL is any, States.Timeout timeout, States.TaskFailed job",
    ]);
    expect(check("{ errors: [] }")).toHaveLength(1);
    expect(check('{ errors: [" "] }')).toEqual(["p.yaml:10:12: error: step 'create': its retry rule names an empty error"]);
    expect(check("{ errors: [ResourcePending], attempts: 100000000 }")).toEqual([]);
  });
});

describe("a machine written elsewhere", () => {
  // The Amazon Forecast samples' idiom: a function raises ResourcePending until its resource is ready.
  const MACHINE = {
    StartAt: "Create-Dataset",
    States: {
      "Create-Dataset": {
        Type: "Task",
        Resource: FN,
        Retry: [{ ErrorEquals: ["ResourcePending"], IntervalSeconds: 1, BackoffRate: 1.5, MaxAttempts: 100 }],
        Catch: [{ ErrorEquals: ["ResourceFailed", "Lambda.ServiceException"], ResultPath: "$.serviceError", Next: "Failed" }],
        Next: "Done",
      },
      Done: { Type: "Succeed" },
      Failed: { Type: "Fail", Error: "DatasetFailed", Cause: "the dataset could not be created" },
    },
  };
  const text = JSON.stringify(MACHINE, null, 2);

  test("lifts: the own names as errors, a class's name as the class", () => {
    const r = backend.lift!({ file: "m.asl.json", text });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const s = r.pipeline!.steps[0];
    expect(s.retry?.map((x) => [x.on, x.errors, x.attempts, x.backoff])).toEqual([[[], ["ResourcePending"], 101, 1.5]]);
    expect(s.on_failure).toMatchObject([{ steps: ["Failed"], on: ["service"], errors: ["ResourceFailed"] }]);
  });

  test.each([
    ["pending twice, then ready", ["ResourcePending", "ResourcePending"], "SUCCEEDED", 3],
    ["failed", ["ResourcePending", "ResourceFailed"], "FAILED", 2],
    ["an error neither retried nor caught", ["ValueError"], "FAILED", 1],
  ])("run, before and after: %s", async (_, thrown, status, calls) => {
    const r = backend.lift!({ file: "m.asl.json", text });
    const again = lower(r.pipeline!).definition;
    const outcome = async (def: unknown) => {
      const errs = [...thrown];
      let n = 0;
      const fn = () => {
        n++;
        const e = errs.shift();
        if (e) throw awsError(e);
        return { ok: true };
      };
      const handlers = Object.fromEntries(Object.entries((def as typeof MACHINE).States).filter(([, st]) => st.Type === "Task").map(([k]) => [k, fn]));
      const o = await run(def, {}, handlers);
      return { status: o.status, error: o.error, calls: n };
    };
    const before = await outcome(MACHINE);
    expect(before.status).toBe(status);
    expect(before.calls).toBe(calls);
    expect(await outcome(again)).toEqual(before);
    if (thrown.includes("ResourceFailed")) expect(before.error).toBe("DatasetFailed");
  });

  test("catchers through Pass states that set a message no state reads, into one Fail, are one handler; a name written twice is one name", () => {
    const m = {
      StartAt: "Check",
      States: {
        Check: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: FN, Payload: { a: 1 } },
          Retry: [{ ErrorEquals: ["function.MaxDepthError", "function.MaxDepthError"], IntervalSeconds: 1, MaxAttempts: 2 }],
          Catch: [
            { ErrorEquals: ["com.example.ClickLoggerException"], Next: "Caught" },
            { ErrorEquals: ["States.ALL"], Next: "Uncaught" },
          ],
          End: true,
        },
        Caught: { Type: "Pass", Result: "The function returned an error.", Next: "Failure" },
        Uncaught: { Type: "Pass", Result: "Invocation failed.", Next: "Failure" },
        Failure: { Type: "Fail", Error: "Failed", Cause: "Execution Failed!" },
      },
    };
    const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(m, null, 2) });
    expect(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message).filter((x) => !x.startsWith("$: "))).toEqual([]);
    const s = r.pipeline!.steps[0];
    expect(s.retry?.map((x) => [x.on, x.errors])).toEqual([[[], ["function.MaxDepthError"]]]);
    expect(s.on_failure).toMatchObject([{ steps: ["Failure"] }]);
    expect(s.on_failure?.[0].on ?? s.on_failure?.[0].errors).toBeUndefined();
    expect(r.pipeline!.steps.map((x) => x.id)).toEqual(["Check", "Failure"]);
  });

  test("States.ALL beside an own name is refused; a Step Functions error with no class, caught only to fail, is read as every error, said", () => {
    const bad = structuredClone(MACHINE) as any;
    bad.States["Create-Dataset"].Retry[0].ErrorEquals = ["ResourcePending", "States.ALL"];
    bad.States["Create-Dataset"].Catch[0].ErrorEquals = ["States.Permissions"];
    const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(bad, null, 2) });
    expect(r.pipeline).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([
      "m.asl.json:9:26: error: $.States['Create-Dataset'].Retry[0].ErrorEquals: States.ALL must be the only error a retrier names",
    ]);
    expect(r.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message)).toContain(
      "$.States['Create-Dataset'].Catch[0].ErrorEquals: errors [\"States.Permissions\"] are not the names of IR error classes; the Catch only fails the execution at Fail state 'Failed', so it is read as a handler of every error of 'Create-Dataset': other errors, which failed the execution under their own names, now fail it at 'Failed' too",
    );
  });
});
