/**
 * The date a run is for (`execution.logical_date`, `_nodash`) on Airflow. Without intervals it is
 * the date of the data interval's end (the scheduled time on every timetable, where `ds` alone is an
 * interval's start on a data-interval one), on Airflow 3 the run's run_after (the same time, and the
 * time a run triggered without a logical date was triggered, where it has no data interval); with
 * them, `ds` under CronDataIntervalTimetable. In
 * real Airflow 2 and 3 against moto, a run at a given logical date starts a Glue job with the date in
 * its arguments (Jinja, rendered by the operator) and publishes it from an aws step (Python); the
 * date six days before (`add_days`) is Airflow's `macros.ds_add` of it, in both.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { airflowWithMoto, runDag } from "./support/airflow.js";
import { dagText, taskCalls } from "./support/fixtures.js";

const tmp = mkdtempSync(join(tmpdir(), "sy-logical-date-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const yaml = (name: string, intervals: boolean) => `
version: 1
pipeline: ${name}
region: eu-west-1
artifacts: s3://example-dated-artifacts/runs
schedule:
  cron: "30 2 * * *"${intervals ? "\n  intervals: true" : ""}
steps:
  curate:
    type: glue
    job: ${name}-curate
    arguments:
      --day: \${{ execution.logical_date }}
      --target: s3://acme-lake/curated/dt=\${{ execution.logical_date_nodash }}/
      --since: \${{ add_days(execution.logical_date, -6) }}
  tell:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:eu-west-1:111122223333:${name}
      Message: curated \${{ execution.logical_date }} (\${{ execution.logical_date_nodash }}) since \${{ add_days(execution.logical_date, -6) }}
    depends_on: [curate]
`;

function pipeline(name: string, intervals: boolean): Pipeline {
  const r = loadYamlText(yaml(name, intervals), join(tmp, `${name}.yaml`), tmp);
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

const SCHEDULED = pipeline("dated-scheduled", false);
const INTERVALS = pipeline("dated-intervals", true);

describe("the logical date in the DAG", () => {
  test.each(["2", "3"])("Airflow %s: without intervals, the data interval's end (Airflow 3: the run's run_after) under CronTriggerTimetable; with them, ds under CronDataIntervalTimetable", (line) => {
    const plain = airflow.lower(SCHEDULED, { baseDir: tmp, options: { airflow: line } });
    expect(plain.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const a = plain.files.find((f) => f.kind === "dag")!.contents;
    const time = line === "3" ? "dag_run.run_after" : "data_interval_end";
    expect(a).toContain('schedule=CronTriggerTimetable("30 2 * * *", timezone="UTC")');
    expect(a).toContain(`"--day": "{{ ${time} | ds }}"`);
    expect(a).toContain(`"--target": "s3://acme-lake/curated/dt={{ ${time} | ds_nodash }}/"`);
    expect(a).toContain(`"--since": "{{ macros.ds_add(${time} | ds, -6) }}"`);
    expect(taskCalls(a).tell_call.args[2]).toBe(
      `{'TopicArn': 'arn:aws:sns:eu-west-1:111122223333:dated-scheduled', 'Message': sy_cat('curated ', ${time}.strftime('%Y-%m-%d'), ' (', ${time}.strftime('%Y%m%d'), ') since ', macros.ds_add(${time}.strftime('%Y-%m-%d'), -6))}`,
    );

    const iv = airflow.lower(INTERVALS, { baseDir: tmp, options: { airflow: line } });
    const b = iv.files.find((f) => f.kind === "dag")!.contents;
    expect(b).toContain("from airflow.timetables.interval import CronDataIntervalTimetable");
    expect(b).toContain('schedule=CronDataIntervalTimetable("30 2 * * *", timezone="UTC")');
    expect(b).toContain('"--day": "{{ ds }}"');
    expect(b).toContain('"--target": "s3://acme-lake/curated/dt={{ ds_nodash }}/"');
    expect(b).toContain('"--since": "{{ macros.ds_add(ds, -6) }}"');
    expect(b).not.toContain("data_interval_end");
    expect(b).not.toContain("run_after");
    expect(taskCalls(b).tell_call.args[2]).toBe("{'TopicArn': 'arn:aws:sns:eu-west-1:111122223333:dated-intervals', 'Message': sy_cat('curated ', ds, ' (', ds_nodash, ') since ', macros.ds_add(ds, -6))}");
  });
});

const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: the logical date in real Airflow against moto", (line) => {
  const env = airflowWithMoto(line, () => Object.fromEntries([SCHEDULED, INTERVALS].map((p) => [`${p.name}.py`, dagText(p, { airflow: line })])), DAG_RUN_TIMEOUT);

  test("scheduled runs, as each DAG's timetable plans them: the data interval's end is the scheduled time; with intervals, ds is the scheduled time before", () => {
    const plan = (p: Pipeline) => env.af.check(["scheduled", join(env.af.home, "dags", `${p.name}.py`), "2026-02-03T04:05:06+00:00", "2"]) as Array<Record<string, string>>;
    const day = (iso: string) => iso.slice(0, 10);
    // CronTriggerTimetable: the runs at 02:30 on the 4th and the 5th; {{ data_interval_end | ds }} is each one's own day.
    const plain = plan(SCHEDULED);
    expect(plain.map((r) => day(r.run_after))).toEqual(["2026-02-04", "2026-02-05"]);
    expect(plain.map((r) => [r.run_after, r.data_interval_end, r.logical_date])).toEqual(plain.map((r) => [r.run_after, r.run_after, r.run_after]));
    // CronDataIntervalTimetable: each run covers the day before it; {{ ds }} is the start of that interval.
    const iv = plan(INTERVALS);
    for (const r of iv) {
      expect(r.data_interval_end).toBe(r.run_after);
      expect(r.logical_date).toBe(r.data_interval_start);
      expect(Date.parse(r.run_after) - Date.parse(r.logical_date)).toBe(24 * 3600 * 1000);
    }
    expect(iv.map((r) => [day(r.run_after), day(r.logical_date)])).toEqual([
      ["2026-02-05", "2026-02-04"],
      ["2026-02-06", "2026-02-05"],
    ]);
  });

  test.each([SCHEDULED, INTERVALS])(
    "$name: a run at 2026-02-03T04:05 starts the Glue job with the date in its arguments and publishes it",
    (p) => {
      const r = runDag(env, p, line, { glue_jobs: [`${p.name}-curate`], topics: [{ name: p.name, queue: `${p.name}-seen` }] });
      expect(r.tasks).toEqual({ curate: "success", tell: "success" });
      expect(r.glue_job_runs[`${p.name}-curate`].map((x: { arguments: unknown }) => x.arguments)).toEqual([{ "--day": "2026-02-03", "--target": "s3://acme-lake/curated/dt=20260203/", "--since": "2026-01-28" }]);
      expect(r.published[p.name].map((m: { Message: string }) => m.Message)).toEqual(["curated 2026-02-03 (20260203) since 2026-01-28"]);
    },
    DAG_RUN_TIMEOUT,
  );

  if (line === "3") {
    test(
      "a run triggered without a logical date (as the API makes one; it has no data interval) takes the date it was triggered on",
      () => {
        const r = runDag(env, SCHEDULED, line, { glue_jobs: [`${SCHEDULED.name}-curate`], topics: [{ name: SCHEDULED.name, queue: `${SCHEDULED.name}-seen` }], triggered: true, logical_date: "2026-03-04T05:06:07+00:00" });
        expect(r.tasks).toEqual({ curate: "success", tell: "success" });
        const runs = r.glue_job_runs[`${SCHEDULED.name}-curate`].map((x: { arguments: unknown }) => x.arguments);
        // The moto server keeps the earlier test's run of the same job and message.
        expect(runs).toContainEqual({ "--day": "2026-03-04", "--target": "s3://acme-lake/curated/dt=20260304/", "--since": "2026-02-26" });
        expect(r.published[SCHEDULED.name].map((m: { Message: string }) => m.Message)).toContain("curated 2026-03-04 (20260304) since 2026-02-26");
      },
      DAG_RUN_TIMEOUT,
    );
  }
});
