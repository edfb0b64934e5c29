/**
 * Lifting the logical date: `{{ ds }}` and `{{ ds_nodash }}` are execution.logical_date(_nodash),
 * whose meaning the schedule decides. A data-interval timetable (Airflow 2's reading of a cron string
 * or a timedelta; CronDataIntervalTimetable on both lines) gives the schedule intervals; a trigger
 * timetable, no schedule, or a file for Airflow 3 does not. What the lowering writes lifts back to
 * the same file. A DAG id made from the file's name is read.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { stripPositions } from "../../../src/ir/values.js";
import { ROOT } from "../../support/python-env.js";
import { lowerFor, withoutHash } from "./support/fixtures.js";

const GIVEN = { artifacts: "s3://acme-lake/pipelines", role: "arn:aws:iam::111122223333:role/R", region: "eu-west-1" };

/** A DAG whose Glue job gets the date: `imports` and `dag` are the lines that differ. */
const dag = (dagArgs: string, value = "{{ ds }}", imports = "from airflow import DAG") => `from datetime import datetime, timedelta

${imports}
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.timetables.interval import CronDataIntervalTimetable
from airflow.timetables.trigger import CronTriggerTimetable

with DAG(dag_id="dated", start_date=datetime(2024, 1, 1), catchup=False, ${dagArgs}):
    GlueJobOperator(task_id="curate", job_name="curate", script_args={"--day": "${value}"})
`;

function lift(text: string, file = "dated.py") {
  const r = airflow.lift!({ file, text, given: GIVEN });
  return { r, lines: r.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0]), day: r.pipeline && stripPositions((r.pipeline.steps[0] as { arguments?: unknown }).arguments) };
}

const date = (name: string) => ({ "--day": { kind: "ref", ref: { scope: "execution", name } } });

describe("{{ ds }} and the schedule", () => {
  test.each([
    ["schedule=None", undefined, []],
    ['schedule=CronTriggerTimetable("30 2 * * *", timezone="UTC")', false, []],
    ['schedule_interval="30 2 * * *"', true, []],
    ["schedule_interval=timedelta(hours=6)", true, []],
    ['schedule=CronDataIntervalTimetable("30 2 * * *", timezone="UTC")', true, []],
    [
      'schedule="@daily"',
      true,
      [
        "dated.py:9:70: warning: {{ ds }} on schedule \"@daily\" is read as Airflow 2 reads it, the start of the interval a run covers (the file imports nothing from airflow.sdk); Airflow 3 reads it as the run's scheduled time",
      ],
    ],
  ] as const)("%s: {{ ds }} is the logical date; intervals %s", (args, intervals, warnings) => {
    const { r, lines, day } = lift(dag(args));
    expect(lines.filter((l) => !l.includes("connection's region"))).toEqual(warnings);
    expect(day).toEqual(date("logical_date"));
    expect(r.pipeline!.schedule?.intervals).toBe(intervals === false ? undefined : intervals);
  });

  test.each([
    ["{{ data_interval_start | ds }}", "logical_date"],
    ["{{ logical_date | ds_nodash }}", "logical_date_nodash"],
    ["{{ execution_date.strftime('%Y-%m-%d') }}", "logical_date"],
    ["{{ data_interval_start.strftime('%Y%m%d') }}", "logical_date_nodash"],
  ])("%s is {{ ds }} written otherwise (the logical date is the data interval's start on every timetable): on schedule_interval, with intervals", (value, name) => {
    const { r, lines, day } = lift(dag('schedule_interval="30 2 * * *"', value));
    expect(lines.filter((l) => !l.includes("connection's region"))).toEqual([]);
    expect(day).toEqual(date(name));
    expect(r.pipeline!.schedule?.intervals).toBe(true);
  });

  test("{{ macros.ds_add(ds, -6) }} is add_days() of the logical date; of another date too", () => {
    const { r, lines, day } = lift(dag('schedule_interval="30 2 * * *"', "{{ macros.ds_add(ds, -6) }}/{{ macros.ds_add(params.day, 1) }}").replace("catchup=False, ", 'catchup=False, params={"day": "2024-01-01"}, '));
    expect(lines.filter((l) => !l.includes("connection's region"))).toEqual([]);
    expect(day).toEqual({
      "--day": {
        kind: "join",
        parts: [
          { kind: "call", fn: "add_days", args: [{ kind: "ref", ref: { scope: "execution", name: "logical_date" } }, { kind: "literal", value: -6, type: "integer" }] },
          { kind: "literal", value: "/", type: "string" },
          { kind: "call", fn: "add_days", args: [{ kind: "ref", ref: { scope: "params", name: "day" } }, { kind: "literal", value: 1, type: "integer" }] },
        ],
      },
    });
    expect(r.pipeline!.schedule?.intervals).toBe(true);
  });

  const shifted = (days: number) => ({ kind: "call", fn: "add_days", args: [{ kind: "ref", ref: { scope: "execution", name: "logical_date" } }, { kind: "literal", value: days, type: "integer" }] });

  test("{{ yesterday_ds }} and {{ tomorrow_ds }} are add_days() of the logical date by one day, as Airflow 2 computes them", () => {
    const { lines, day } = lift(dag('schedule_interval="30 2 * * *"', "{{ yesterday_ds }}{{ tomorrow_ds }}"));
    expect(lines.filter((l) => !l.includes("connection's region"))).toEqual([]);
    expect(day).toEqual({ "--day": { kind: "join", parts: [shifted(-1), shifted(1)] } });
  });

  test.each([
    ['schedule_interval="@daily"', -1, 1],
    ['schedule_interval="0 6 * * 1"', -7, 7],
    ["schedule_interval=timedelta(days=2)", -2, 2],
    ['schedule=CronTriggerTimetable("30 2 * * *", timezone="UTC")', -1, 1],
  ])("%s: {{ prev_ds }} and {{ next_ds }} are the logical date moved by the schedule's period, with a warning about runs triggered by hand", (args, before, after) => {
    const { lines, day } = lift(dag(args, "{{ prev_ds }}{{ next_ds }}"));
    expect(day).toEqual({ "--day": { kind: "join", parts: [shifted(before), shifted(after)] } });
    expect(lines.filter((l) => !l.includes("connection's region") && !l.includes("is read as Airflow 2 reads it"))).toEqual([
      `dated.py:9:70: warning: {{ prev_ds }} is lifted as add_days(execution.logical_date, ${before}): the scheduled run before this one on every run, where Airflow 2 gives a run triggered by hand its own date`,
      `dated.py:9:70: warning: {{ next_ds }} is lifted as add_days(execution.logical_date, ${after}): the scheduled run after this one on every run, where Airflow 2 gives a run triggered by hand its own date`,
    ]);
  });

  test.each([
    ["schedule=None", "the DAG has no schedule"],
    ['schedule_interval="0 * * * *"', "its schedule's period (3600 s) is no whole number of days"],
    ['schedule_interval="0 6 * * 1-5"', "cron '0 6 * * 1-5' fires at uneven gaps, so the scheduled time before a run is no fixed time earlier"],
    ['schedule=CronTriggerTimetable("0 6 * * *", timezone="Europe/Dublin")', "its schedule runs in Europe/Dublin, whose days are not all 24 hours long"],
  ])("%s: {{ prev_ds }} is refused, saying why", (args, why) => {
    const { r, lines } = lift(dag(args, "{{ prev_ds }}"));
    expect(r.pipeline).toBeUndefined();
    expect(lines.filter((l) => l.includes("error"))).toEqual([`dated.py:9:70: error: {{ prev_ds }} is the date of the scheduled run before this one, which a pipeline reads as a number of days from the logical date, and ${why}`]);
  });

  test("a file for Airflow 3 (airflow.sdk) reads a cron string as a trigger: no intervals, nothing said", () => {
    const { r, lines, day } = lift(dag('schedule="@daily"', "{{ ds_nodash }}", "from airflow.sdk import DAG"));
    expect(lines.filter((l) => !l.includes("connection's region"))).toEqual([]);
    expect(day).toEqual(date("logical_date_nodash"));
    expect(r.pipeline!.schedule).toMatchObject({ cron: "0 0 * * *" });
    expect(r.pipeline!.schedule?.intervals).toBeUndefined();
  });

  test("a data-interval timetable without {{ ds }} keeps its intervals; a cron string does not get them", () => {
    expect(lift(dag('schedule=CronDataIntervalTimetable("30 2 * * *", timezone="UTC")', "x")).r.pipeline!.schedule?.intervals).toBe(true);
    expect(lift(dag('schedule_interval="30 2 * * *"', "x")).r.pipeline!.schedule?.intervals).toBeUndefined();
  });

  test("{{ data_interval_end | ds }} is the scheduled time: refused where {{ ds }} on the same schedule is the interval's start", () => {
    const ok = lift(dag('schedule=CronTriggerTimetable("30 2 * * *", timezone="UTC")', "{{ data_interval_end | ds_nodash }}"));
    expect(ok.day).toEqual(date("logical_date_nodash"));
    const text = dag('schedule_interval="30 2 * * *"', "{{ data_interval_end | ds }}").replace(
      '    GlueJobOperator(task_id="curate"',
      '    GlueJobOperator(task_id="stage", job_name="stage", script_args={"--day": "{{ ds }}"})\n    GlueJobOperator(task_id="curate"',
    );
    const { r, lines } = lift(text);
    expect(r.pipeline).toBeUndefined();
    expect(lines.filter((l) => l.includes("error"))).toEqual([
      "dated.py:10:70: error: the date of the data interval's end (the scheduled time) is read where {{ ds }} on this schedule is the interval's start: a pipeline has one logical date",
    ]);
  });
});

describe.each(["2", "3"])("Airflow %s: what the lowering writes lifts back to the same file", (line) => {
  test.each([false, true])("intervals %s", (intervals) => {
    const yaml = `version: 1
pipeline: dated
region: eu-west-1
artifacts: s3://acme-lake/pipelines
schedule:
  cron: "30 2 * * *"${intervals ? "\n  intervals: true" : ""}
steps:
  curate:
    type: glue
    job: curate
    arguments: { --day: "\${{ execution.logical_date }}", --part: "dt=\${{ execution.logical_date_nodash }}", --since: "\${{ add_days(execution.logical_date, -6) }}" }
  tell:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:t", Message: "\${{ execution.logical_date }} \${{ execution.logical_date_nodash }} \${{ add_days(execution.logical_date, 7) }}" }
    depends_on: [curate]
`;
    const base = join(ROOT, "fixtures");
    const p = loadYamlText(yaml, join(base, "dated.yaml"), base).pipeline as Pipeline;
    const text = lowerFor(p, { airflow: line }).files[0].contents;
    const r = airflow.lift!({ file: "dated.py", text, given: GIVEN });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    expect(r.pipeline!.schedule?.intervals).toBe(intervals || undefined);
    expect(withoutHash(lowerFor(r.pipeline!, { airflow: line }).files[0].contents)).toBe(withoutHash(text));
  });
});

describe("a DAG id made from the file's name", () => {
  test.each([
    ['os.path.basename(__file__).replace(".py", "")', "import os\n", "daily_curate"],
    ["Path(__file__).stem", "from pathlib import Path\n", "daily_curate"],
    ["os.path.basename(__file__)", "import os\n", "daily_curate.py"],
  ])("%s", (expr, imp, id) => {
    const text = imp + dag("schedule=None", "x").replace('dag_id="dated"', `dag_id=${expr}`);
    const { r, lines } = lift(text, "dags/daily_curate.py");
    expect(lines.filter((l) => l.includes("error"))).toEqual([]);
    expect(r.pipeline!.name).toBe(id);
  });

  test("__file__ itself (its folder differs where the DAG runs) is not read", () => {
    const { lines } = lift("import os\n" + dag("schedule=None", "x").replace('dag_id="dated"', "dag_id=__file__"), "dags/daily_curate.py");
    expect(lines.filter((l) => l.includes("error"))).toEqual(["dags/daily_curate.py:9:1: error: the DAG id is computed and would become 'lifted'"]);
  });
});

describe("a Lambda payload written as JSON text with Jinja inside its strings", () => {
  const lambdaDag = (payload: string) => `from datetime import datetime

from airflow import DAG
from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator

with DAG(dag_id="dated", start_date=datetime(2024, 1, 1), schedule=None, catchup=False):
    LambdaInvokeFunctionOperator(task_id="note", function_name="note", payload=${payload})
`;

  test("lifts as the object it renders to: each string the text and values joined", () => {
    const { r, lines } = lift(lambdaDag(`'{"day": "{{ ds }}", "n": 3, "where": ["s3://b/dt={{ ds_nodash }}/", {"run": "{{ run_id }}"}]}'`));
    expect(lines.filter((l) => l.includes("error"))).toEqual([]);
    const step = r.pipeline!.steps[0] as { payload?: unknown };
    expect(stripPositions(step.payload)).toEqual({
      day: { kind: "ref", ref: { scope: "execution", name: "logical_date" } },
      n: { kind: "literal", value: 3, type: "integer" },
      where: {
        kind: "list",
        items: [
          { kind: "join", parts: [{ kind: "literal", value: "s3://b/dt=", type: "string" }, { kind: "ref", ref: { scope: "execution", name: "logical_date_nodash" } }, { kind: "literal", value: "/", type: "string" }] },
          { kind: "map", entries: { run: { kind: "ref", ref: { scope: "execution", name: "id" } } } },
        ],
      },
    });
  });

  test.each([
    [`'{"n": {{ params.n }}}'`, `the JSON text "{\\"n\\": {{ params.n }}}", whose Jinja is not all inside its strings (or which is no JSON object)`],
    [`'{"{{ ds }}": 1}'`, `the JSON text "{\\"{{ ds }}\\": 1}", whose Jinja is not all inside its strings (or which is no JSON object)`],
    [`'{"day": "{{ prev_ds.upper() }}"}'`, `the Jinja expression {{ prev_ds.upper() }} in "{\\"day\\": \\"{{ prev_ds.upper() }}\\"}", which has no neutral form`],
  ])("%s is refused, saying why", (payload, why) => {
    const { r, lines } = lift(lambdaDag(payload));
    expect(r.pipeline).toBeUndefined();
    expect(lines.filter((l) => l.includes("error"))).toEqual([`dated.py:7:80: error: task 'note': cannot read the payload: ${why}`]);
  });
});
