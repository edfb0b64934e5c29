/** Cron conversion, the Scheduler request, and the limit checks. */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { lower, yaml } from "./support.js";

const base = (extra: string) => `version: 1
pipeline: sched
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/p
${extra}
steps:
  call: { type: lambda, function: fn }
`;

test("time zone and disabled state reach the Scheduler request; no schedule, no file", () => {
  const out = lower(yaml(base(`schedule: { cron: "0 8 * * 1-5", timezone: Europe/Berlin, enabled: false }`)));
  const req = JSON.parse(out.files.find((f) => f.kind === "schedule")!.contents);
  expect([req.ScheduleExpression, req.ScheduleExpressionTimezone, req.State]).toEqual(["cron(0 8 ? * MON-FRI *)", "Europe/Berlin", "DISABLED"]);
  expect(lower(yaml(base(""))).files.map((f) => f.kind)).toEqual(["definition", "manifest"]);
});

test("a schedule that EventBridge cannot express is an error at the schedule's line", () => {
  const out = lower(yaml(base(`schedule: { cron: "0 0 1 * 1" }`)));
  expect(out.files).toEqual([]);
  expect(out.diagnostics.map((d) => [d.pos?.line, d.message])).toEqual([[6, "cron '0 0 1 * 1' restricts both day-of-month and day-of-week, which EventBridge cannot express; restrict only one of them"]]);
});

describe("limits", () => {
  test("an endpoint allowed to poll for 30 days would exceed 25,000 history events", () => {
    const p = yaml(`version: 1
pipeline: slow
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/p
steps:
  ep: { type: endpoint, name: e, model: "s3://b/m.tar.gz", image: "xgboost:1.7-1", instance: { type: ml.m5.large }, timeout: 30d }
`);
    const out = lower(p);
    const d = backend.checkLimits(p, out.files);
    expect(d.map((x) => x.code)).toEqual(["stepfunctions-history"]);
    expect(d[0].severity).toBe("error");
    // 86,400 polls of (Wait 2 + Task 5 + Choice 2 + Pass 2) events, less one Pass.
    expect(d[0].message).toContain("about 950");
    const ok = yaml(`version: 1
pipeline: fast
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/p
steps:
  ep: { type: endpoint, name: e, model: "s3://b/m.tar.gz", image: "xgboost:1.7-1", instance: { type: ml.m5.large }, timeout: 1h }
`);
    expect(backend.checkLimits(ok, lower(ok).files)).toEqual([]);
  });

  test("definition size, state name length and the machine name are checked", () => {
    const p = yaml(base(""));
    const big = { StartAt: "x".repeat(81), States: { ["x".repeat(81)]: { Type: "Pass", End: true, Comment: "y".repeat(1_000_000) } } };
    const d = backend.checkLimits({ ...p, name: "bad name" }, [{ path: "state-machine.asl.json", kind: "definition", contents: JSON.stringify(big) }]);
    expect(d.map((x) => x.code)).toEqual(["stepfunctions-name", "stepfunctions-size", "stepfunctions-state-name"]);
  });

  test("long step ids give state names within 80 characters", () => {
    const id = "e".repeat(79);
    const p = yaml(`version: 1
pipeline: long
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/p
steps:
  ${id}: { type: endpoint, name: e, model: "s3://b/m.tar.gz", image: "xgboost:1.7-1", instance: { type: ml.m5.large } }
`);
    const out = lower(p);
    expect(out.diagnostics).toEqual([]);
    const names = Object.keys(out.definition.States);
    // .model .config (create) .update .wait .status .check .count .failed .timeout .done
    expect(names.filter((n) => n.startsWith("eee")).length).toBe(11);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(80);
    expect(backend.checkLimits(p, out.files)).toEqual([]);
  });
});
