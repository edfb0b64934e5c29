/**
 * The date a run is for on Step Functions: cut out of `$$.Execution.StartTime` with intrinsics (a
 * scheduled execution starts at its scheduled time), within a field's 10 calls, valid ASL, and
 * executed: the date sent is the execution's start date, with and without dashes. On a schedule
 * with intervals the date is the interval's start: one JSONata Pass state works it out from the
 * scheduled time the schedule hands the run, less the schedule's period (executed with the jsonata
 * library, as aws-local-stepfunctions runs JSONPath only); a schedule without a fixed period is
 * refused at the step.
 */
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import backend from "../../../backends/stepfunctions/index.js";
import { aslValidator, lower, run, yaml } from "./support.js";
import { RUN_VALUES_STATE } from "../../../backends/stepfunctions/logical-date.js";

const text = (intervals: boolean, schedule = 'cron: "30 2 * * *"') => `version: 1
pipeline: dated
role: arn:aws:iam::111122223333:role/Pipelines
region: us-east-1
artifacts: s3://switchyard-artifacts
schedule:
  ${schedule}${intervals ? "\n  intervals: true" : ""}
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

  test("without intervals the schedule hands the run nothing", () => {
    const r = backend.lower(yaml(text(false), "dated.yaml"), { baseDir: "." });
    expect(JSON.parse(r.files.find((f) => f.kind === "schedule")!.contents).Target.Input).toBe("{}");
    expect(JSON.stringify(def)).not.toContain("JSONata");
  });
});

describe("execution.logical_date on a schedule with intervals", () => {
  const out = backend.lower(yaml(text(true), "dated.yaml"), { baseDir: "." });
  const def = JSON.parse(out.files.find((f) => f.kind === "definition")!.contents);

  test("the schedule hands each run its scheduled time; one JSONata Pass after the set-up works the date out", () => {
    expect(out.diagnostics).toEqual([]);
    expect(JSON.parse(out.files.find((f) => f.kind === "schedule")!.contents).Target.Input).toBe('{"scheduled time":"<aws.scheduler.scheduled-time>"}');
    expect(def.StartAt).toBe("Set up");
    expect(def.States["Set up"].Next).toBe(RUN_VALUES_STATE);
    expect(def.States[RUN_VALUES_STATE]).toEqual({
      Type: "Pass",
      QueryLanguage: "JSONata",
      Output:
        "{% ($scheduled := $states.context.Execution.Input.`scheduled time`; $date := $scheduled ? $fromMillis($toMillis($scheduled) - 86400000, '[Y0001]-[M01]-[D01]') : $substringBefore($states.context.Execution.StartTime, 'T'); $merge([$states.input, {\"params\": $merge([$states.input.params, {\"_logical_date\": $date}])}])) %}",
      Next: "tell",
    });
    const params = def.States.tell.Parameters;
    expect(params["Subject.$"]).toBe("$.params._logical_date");
    expect(params["Message.$"]).toBe(
      "States.Format('curated dt={}{}{} at {}', States.ArrayGetItem(States.StringSplit($.params._logical_date, '-'), 0), States.ArrayGetItem(States.StringSplit($.params._logical_date, '-'), 1), States.ArrayGetItem(States.StringSplit($.params._logical_date, '-'), 2), $$.Execution.StartTime)",
    );
    const v = aslValidator(def);
    expect(v.errors).toEqual([]);
    expect(v.isValid).toBe(true);
  });

  test("a scheduled run is for the day before its scheduled time (the interval it covers); a run started by hand, for the day it started", async () => {
    const sent = async (input: unknown) => {
      const r = await run(def, input, { tell: () => ({ MessageId: "m-1" }) });
      expect(r.status, r.cause).toBe("SUCCEEDED");
      expect(r.started).toEqual([RUN_VALUES_STATE, "tell"]);
      return r.inputs.tell[0];
    };
    // Across the end of a leap February, and of a year.
    expect(await sent({ "scheduled time": "2024-03-01T02:30:00Z" })).toMatchObject({ Subject: "2024-02-29", Message: expect.stringMatching(/^curated dt=20240229 at /) });
    expect(await sent({ "scheduled time": "2025-01-01T02:30:00Z" })).toMatchObject({ Subject: "2024-12-31", Message: expect.stringMatching(/^curated dt=20241231 at /) });
    // The harness starts every execution at 2026-01-05T06:00:00Z.
    expect(await sent({})).toMatchObject({ Subject: "2026-01-05", Message: expect.stringMatching(/^curated dt=20260105 at /) });
  });

  test("the period is the schedule's: a rate, or a cron firing evenly", async () => {
    for (const [schedule, time, date] of [
      ["every: 6h", "2024-03-01T03:00:00Z", "2024-02-29"],
      ["every: 6h", "2024-03-01T09:00:00Z", "2024-03-01"],
      ['cron: "15 * * * *"', "2024-03-01T00:15:00Z", "2024-02-29"],
      ['cron: "0 6 * * 1"', "2024-03-04T06:00:00Z", "2024-02-26"],
      ['cron: "0 0 * * *"\n  timezone: UTC', "2024-03-01T00:00:00Z", "2024-02-29"],
    ]) {
      const m = backend.lower(yaml(text(true, schedule), "dated.yaml"), { baseDir: "." });
      expect(m.diagnostics, schedule).toEqual([]);
      const d = JSON.parse(m.files.find((f) => f.kind === "definition")!.contents);
      const r = await run(d, { "scheduled time": time }, { tell: () => ({ MessageId: "m-1" }) });
      expect(r.inputs.tell[0].Subject, `${schedule} at ${time}`).toBe(date);
    }
  });

  test("a map's iterations and a step after a parameter check read the same date", async () => {
    const p = yaml(
      `version: 1
pipeline: dated-map
role: arn:aws:iam::111122223333:role/Pipelines
region: us-east-1
artifacts: s3://switchyard-artifacts
schedule:
  cron: "0 4 * * *"
  intervals: true
parameters:
  topic: { type: string, enum: [a, b], default: a }
  regions: { type: string, default: "eu,us" }
steps:
  each:
    type: map
    items: \${{ split(params.regions, ',') }}
    steps: [tell]
  tell:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: "arn:aws:sns:us-east-1:111122223333:\${{ params.topic }}"
      Message: "\${{ item }} \${{ execution.logical_date }}"
`,
      "dated-map.yaml",
    );
    const m = lower(p);
    expect(m.diagnostics).toEqual([]);
    const v = aslValidator(m.definition);
    expect(v.errors).toEqual([]);
    expect(v.isValid).toBe(true);
    expect(m.definition.States["Check parameters"].Default).toBe(RUN_VALUES_STATE);
    expect(m.definition.States[RUN_VALUES_STATE].Next).toBe("each.items");
    expect(m.definition.States.each.Type).toBe("Map");
    const r = await run(m.definition, { topic: "b", "scheduled time": "2024-01-01T04:00:00Z" }, { tell: () => ({ MessageId: "m-1" }) });
    expect(r.status, r.cause).toBe("SUCCEEDED");
    expect(r.inputs.tell.map((i: { TopicArn: string; Message: string }) => [i.TopicArn.split(":").pop(), i.Message]).sort()).toEqual([
      ["b", "eu 2023-12-31"],
      ["b", "us 2023-12-31"],
    ]);
  });

  test("a schedule without a fixed period is refused at each read, naming the step and why", () => {
    const errors = (schedule: string) =>
      backend
        .lower(yaml(text(true, schedule), "dated.yaml"), { baseDir: "." })
        .diagnostics.filter((d) => d.severity === "error")
        .map((d) => formatDiagnostic(d).split("\n")[0]);
    expect(errors('cron: "30 2 * * 1-5"')).toEqual([
      "dated.yaml:16:20: error: step 'tell': execution.logical_date on a schedule with intervals is the scheduled time one period before the run's, and cron '30 2 * * 1-5' fires at uneven gaps, so the scheduled time before a run is no fixed time earlier",
      "dated.yaml:17:32: error: step 'tell': execution.logical_date_nodash on a schedule with intervals is the scheduled time one period before the run's, and cron '30 2 * * 1-5' fires at uneven gaps, so the scheduled time before a run is no fixed time earlier",
    ]);
    expect(errors('cron: "30 2 * * *"\n  timezone: Europe/Berlin')[0]).toBe(
      "dated.yaml:17:20: error: step 'tell': execution.logical_date on a schedule with intervals is the scheduled time one period before the run's, and its schedule runs in Europe/Berlin, whose days are not all 24 hours long",
    );
  });

  test("lifting the machine alone is refused at the state: it does not name the schedule the date needs", () => {
    const r = backend.lift!({ file: "dated.asl.json", text: JSON.stringify(def, null, 2), given: { region: "us-east-1", artifacts: "s3://switchyard-artifacts" } });
    expect(r.pipeline).toBeUndefined();
    const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0]);
    expect(errors[0]).toBe(
      `dated.asl.json:15:17: error: $.States['${RUN_VALUES_STATE}'].Output: this state works out values the run reads (the date a run is for, from the scheduled time its input gives or the execution's start, dates some days from it, the run's input with fallbacks); the machine does not say which schedule starts it, and the pipeline's date needs that schedule`,
    );
    // Each read of the date is named too.
    expect(errors.slice(1).every((e) => e.includes("reads parameter '_logical_date'"))).toBe(true);
    expect(errors).toHaveLength(3);
  });

  test("a parameter named as the kept date is refused", () => {
    const src = text(true).replace("steps:\n", "parameters:\n  _logical_date: { type: string, default: x }\nsteps:\n");
    const r = backend.lower(yaml(src, "dated.yaml"), { baseDir: "." });
    expect(r.files).toEqual([]);
    expect(r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      "dated.yaml:10:3: error: parameter '_logical_date': the machine keeps values a run reads under names starting '_logical_date' beside the parameters",
    ]);
  });
});

describe("add_days() of the logical date on Step Functions", () => {
  const dated = (intervals: boolean) =>
    text(intervals)
      .replace("Subject: ${{ execution.logical_date }}", "Subject: ${{ add_days(execution.logical_date, 1) }}")
      .replace('Message: "curated dt=${{ execution.logical_date_nodash }} at ${{ execution.start_time }}"', 'Message: "from ${{ add_days(execution.logical_date, -7) }} to ${{ execution.logical_date }}"');

  test.each([false, true])("intervals %s: the first states work out each date moved, and the run sends them", async (intervals) => {
    const out = backend.lower(yaml(dated(intervals), "dated.yaml"), { baseDir: "." });
    expect(out.diagnostics).toEqual([]);
    const d = JSON.parse(out.files.find((f) => f.kind === "definition")!.contents);
    const v = aslValidator(d);
    expect(v.errors).toEqual([]);
    expect(v.isValid).toBe(true);
    expect(d.States.tell.Parameters["Subject.$"]).toBe("$.params._logical_date_plus_1");
    const reads = intervals ? "$.params._logical_date" : "States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0)";
    expect(d.States.tell.Parameters["Message.$"]).toBe(`States.Format('from {} to {}', $.params._logical_date_minus_7, ${reads})`);
    const sent = async (input: unknown) => {
      const r = await run(d, input, { tell: () => ({ MessageId: "m-1" }) });
      expect(r.status, r.cause).toBe("SUCCEEDED");
      return r.inputs.tell[0];
    };
    if (intervals) {
      // The run scheduled at 2024-03-08T02:30Z is for 2024-03-07.
      expect(await sent({ "scheduled time": "2024-03-08T02:30:00Z" })).toEqual({ TopicArn: "arn:aws:sns:us-east-1:111122223333:dated", Subject: "2024-03-08", Message: "from 2024-02-29 to 2024-03-07" });
    } else {
      // The harness's JSONata context starts at 2026-01-05T06:00:00Z; aws-local-stepfunctions' own StartTime is today, so only the moved dates are pinned.
      const m = await sent({});
      expect(m.Subject).toBe("2026-01-06");
      expect(m.Message).toMatch(/^from 2025-12-29 to \d{4}-\d{2}-\d{2}$/);
    }
  });

  test("add_days() of another date, or by days read at run time, is refused naming the step", () => {
    const src = text(false)
      .replace("steps:\n", "parameters:\n  day: { type: string, default: '2024-01-01' }\n  n: { type: integer, default: 1 }\nsteps:\n")
      .replace("Subject: ${{ execution.logical_date }}", "Subject: ${{ add_days(params.day, 1) }}")
      .replace('Message: "curated dt=${{ execution.logical_date_nodash }} at ${{ execution.start_time }}"', 'Message: "${{ add_days(execution.logical_date, params.n) }}"');
    const r = backend.lower(yaml(src, "dated.yaml"), { baseDir: "." });
    expect(r.files).toEqual([]);
    const msg = "add_days() moves the run's logical date by a number of days written out in Step Functions (JSONPath has no date arithmetic): add_days(execution.logical_date, -1)";
    expect(r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([`dated.yaml:18:20: error: step 'tell': ${msg}`, `dated.yaml:19:21: error: step 'tell': ${msg}`]);
  });
});

