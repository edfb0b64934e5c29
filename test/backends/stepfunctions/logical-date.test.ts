/**
 * The date a run is for on Step Functions: cut out of `$$.Execution.StartTime` with intrinsics (a
 * scheduled execution starts at its scheduled time), within a field's 10 calls, valid ASL, and
 * executed: the date sent is the execution's start date, with and without dashes. On a schedule
 * with intervals the date is the interval's start, which JSONPath cannot compute: refused at the step.
 */
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import backend from "../../../backends/stepfunctions/index.js";
import { aslValidator, lower, run, yaml } from "./support.js";

const text = (intervals: boolean) => `version: 1
pipeline: dated
role: arn:aws:iam::111122223333:role/Pipelines
region: us-east-1
artifacts: s3://switchyard-artifacts
schedule:
  cron: "30 2 * * *"${intervals ? "\n  intervals: true" : ""}
steps:
  tell:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:us-east-1:111122223333:dated
      Subject: \${{ execution.logical_date }}
      Message: "curated dt=\${{ execution.logical_date_nodash }} at \${{ execution.start_time }}"
`;

describe("execution.logical_date on Step Functions", () => {
  const def = lower(yaml(text(false), "dated.yaml")).definition;

  test("the date before StartTime's T; without dashes, its parts in the text's one States.Format", () => {
    const params = def.States.tell.Parameters;
    expect(params["Subject.$"]).toBe("States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0)");
    expect(params["Message.$"]).toBe(
      "States.Format('curated dt={}{}{} at {}', States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, '-'), 0), States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, '-'), 1), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, '-'), 2), 'T'), 0), $$.Execution.StartTime)",
    );
    expect(aslValidator(def).isValid).toBe(true);
  });

  test("executed: the date and the date without dashes are those of the execution's start", async () => {
    // aws-local-stepfunctions starts the execution now (its StartTime is not the harness's): read it back from the message.
    const r = await run(def, {}, { tell: () => ({ MessageId: "m-1" }) });
    expect(r.status).toBe("SUCCEEDED");
    const [sent] = r.inputs.tell;
    const m = /^curated dt=(\d{8}) at (\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.exec(sent.Message);
    expect(m, sent.Message).not.toBeNull();
    const [, compact, y, mo, d] = m!;
    expect(compact).toBe(`${y}${mo}${d}`);
    expect(sent.Subject).toBe(`${y}-${mo}-${d}`);
  });

  test("on a schedule with intervals it is refused at each read, naming the step and why", () => {
    const r = backend.lower(yaml(text(true), "dated.yaml"), { baseDir: "." });
    expect(r.files).toEqual([]);
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      "dated.yaml:16:20: error: step 'tell': execution.logical_date on a schedule with intervals is the start of the interval before the run, which JSONPath cannot compute from the execution's start time",
      "dated.yaml:17:32: error: step 'tell': execution.logical_date_nodash on a schedule with intervals is the start of the interval before the run, which JSONPath cannot compute from the execution's start time",
    ]);
  });
});
