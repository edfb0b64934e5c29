/**
 * A wait Step Functions has no `.sync` form for (a Glue crawl): the call through the AWS SDK integration,
 * then GetCrawler polled until the crawler is READY again, its last crawl FAILED or CANCELLED failing the
 * step, as the Glue crawler_ready waiter takes it. Run in aws-local-stepfunctions with the calls answered.
 */
import { describe, expect, test } from "vitest";
import { aslValidator, awsError, lower, run, yaml } from "./support.js";

const PIPELINE = (extra = "", handler = "") => `
version: 1
pipeline: crawl-then-notify
region: eu-west-1
artifacts: s3://acme-ml/pipelines
${extra}
steps:
  crawl:
    type: aws
    service: glue
    action: StartCrawler
    request: { Name: "landing-\${{ params.zone }}" }
    wait: true
    timeout: 90s
${handler}
  notify:
    type: aws
    service: sns
    action: Publish
    depends_on: [crawl]
    request:
      TopicArn: arn:aws:sns:eu-west-1:111122223333:done
      Message: "crawl \${{ steps.crawl.response.Crawler.LastCrawl.Status }}"
parameters:
  zone: { type: string, default: orders }
`;

/** GetCrawler answers, one a call, the last repeated. */
const crawler = (...answers: Array<[string, string?]>) => {
  let i = 0;
  return () => {
    const [state, last] = answers[Math.min(i++, answers.length - 1)];
    return { Crawler: { Name: "landing-orders", State: state, ...(last ? { LastCrawl: { Status: last } } : {}) } };
  };
};

describe("a Glue crawl waited for on Step Functions", () => {
  const r = lower(yaml(PIPELINE()));
  const def = r.definition;

  test("the call, then GetCrawler with the same name, at most as many polls as fit in the timeout, 30 s apart; valid ASL", () => {
    expect(r.diagnostics).toEqual([]);
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    expect(def.States.crawl).toMatchObject({ Resource: "arn:aws:states:::aws-sdk:glue:startCrawler", Parameters: { "Name.$": "States.Format('landing-{}', $.params.zone)" }, Next: "crawl.status" });
    expect(def.States["crawl.status"]).toMatchObject({ Resource: "arn:aws:states:::aws-sdk:glue:getCrawler", Parameters: { "Name.$": "States.Format('landing-{}', $.params.zone)" } });
    // 90 s at 30 s a poll: the first at once and three more.
    expect(def.States["crawl.check"].Choices[1]).toMatchObject({ NumericGreaterThanEquals: 4, Next: "crawl.timeout" });
    expect(def.States["crawl.wait"]).toEqual({ Type: "Wait", Seconds: 30, Next: "crawl.count" });
  });

  test("polls until READY; the final GetCrawler response is the step's result", async () => {
    const out = await run(def, {}, { crawl: () => ({}), "crawl.status": crawler(["RUNNING"], ["RUNNING"], ["READY", "SUCCEEDED"]), notify: (i) => ({ MessageId: "m-1", Message: i.Message }) });
    expect(out.status).toBe("SUCCEEDED");
    expect(out.started).toEqual(["crawl", "crawl.status", "crawl.status", "crawl.status", "notify"]);
    expect(out.inputs["crawl.status"][0]).toEqual({ Name: "landing-orders" });
    expect(out.inputs.notify[0].Message).toBe("crawl SUCCEEDED");
  });

  test.each(["FAILED", "CANCELLED"])("a last crawl %s fails the step", async (how) => {
    const out = await run(def, {}, { crawl: () => ({}), "crawl.status": crawler(["RUNNING"], ["STOPPING"], ["READY", how]), notify: () => ({}) });
    expect(out).toMatchObject({ status: "FAILED", error: "States.TaskFailed" });
    expect(out.cause).toBe("glue:StartCrawler of step 'crawl' ended with Crawler.LastCrawl.Status FAILED or CANCELLED");
    expect(out.started).not.toContain("notify");
  });

  test("still running after the polls that fit in the timeout: States.Timeout", async () => {
    const out = await run(def, {}, { crawl: () => ({}), "crawl.status": crawler(["RUNNING"]), notify: () => ({}) });
    expect(out).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    expect(out.started.filter((x) => x === "crawl.status")).toHaveLength(4);
  });

  test("the call's own error (a crawler already running) fails the step at once", async () => {
    const out = await run(def, {}, { crawl: () => { throw awsError("Glue.CrawlerRunningException"); }, "crawl.status": crawler(["READY"]), notify: () => ({}) });
    expect(out).toMatchObject({ status: "FAILED", error: "Glue.CrawlerRunningException" });
    expect(out.started).toEqual(["crawl"]);
  });

  test("a failure handler runs for a failed crawl and for the timeout, as for the calls' errors", async () => {
    const h = lower(yaml(PIPELINE("", "    on_failure: { steps: [alert] }\n  alert:\n    type: aws\n    service: sns\n    action: Publish\n    request: { TopicArn: 'arn:aws:sns:eu-west-1:111122223333:alerts', Message: 'crawl failed' }")));
    expect(h.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(aslValidator(h.definition)).toMatchObject({ isValid: true, errors: [] });
    const handlers = (status: () => unknown) => ({ crawl: () => ({}), "crawl.status": status, notify: () => ({}), alert: () => ({ MessageId: "a-1" }) });
    const failed = await run(h.definition, {}, handlers(crawler(["READY", "FAILED"])));
    expect(failed.started).toEqual(["crawl", "crawl.status", "alert"]);
    // The handler ends the run as the failure would have.
    expect(failed).toMatchObject({ status: "FAILED", error: "States.TaskFailed" });
    const late = await run(h.definition, {}, handlers(crawler(["RUNNING"])));
    expect(late.started.at(-1)).toBe("alert");
    expect(late).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    const thrown = await run(h.definition, {}, { ...handlers(crawler(["READY"])), crawl: () => { throw awsError("Glue.EntityNotFoundException"); } });
    expect(thrown.started).toEqual(["crawl", "alert"]);
  });

  test("a repeat past its max_calls hands its error to the step's failure handler too (its own Fail state, not a Catch)", async () => {
    const r = lower(
      yaml(`
version: 1
pipeline: poll-then-alert
region: eu-west-1
artifacts: s3://acme-ml/pipelines
steps:
  status:
    type: aws
    service: athena
    action: GetQueryExecution
    request: { QueryExecutionId: abc }
    repeat: { until: "\${{ steps.status.response.QueryExecution.Status.State == 'SUCCEEDED' }}", interval: 10s, max_calls: 3, error: QueryStuck }
    on_failure: { errors: [QueryStuck], steps: [alert] }
  alert:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:a", Message: "\${{ failure.Error }}: \${{ failure.Cause }}" }
`),
    );
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
    const out = await run(r.definition, {}, { status: () => ({ QueryExecution: { Status: { State: "RUNNING" } } }), alert: (i) => ({ MessageId: "a-1", Message: i.Message }) });
    expect(out.started).toEqual(["status", "status", "status", "alert"]);
    // The counter's Fail is a Pass that puts the error where a Catch would, then goes on to the handler.
    const limit = r.definition.States["status.limit"];
    expect(limit).toMatchObject({ Type: "Pass", Parameters: { Error: "QueryStuck", Cause: expect.stringContaining("3") }, ResultPath: "$.error", Next: "alert" });
    expect(out.inputs.alert[0].Message).toBe(`QueryStuck: ${limit.Parameters.Cause}`);
    expect(out).toMatchObject({ status: "FAILED", error: "QueryStuck" });
  });

  test("retry rules retry each call, not the crawl: a warning names the step", () => {
    const w = lower(yaml(PIPELINE("defaults:\n  retry: { attempts: 3, interval: 10s }")));
    expect(w.diagnostics.map((d) => `${d.severity} ${d.code} ${d.message}`)).toEqual([
      "warning stepfunctions-polled-retry step 'crawl': its retry rules retry each call (StartCrawler, GetCrawler); a job that ends badly fails the step and is not started again, where a retried Airflow task starts it again (Step Functions has no .sync form for glue:StartCrawler)",
    ]);
    expect(w.definition.States.crawl.Retry).toEqual(w.definition.States["crawl.status"].Retry);
  });
});
