/**
 * A pipeline that uses every IR feature, against three targets whose
 * capability tables between them hold native, emulated and unsupported
 * cells: every cell of the matrix must show what the backend declared.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { registerBackend } from "../../src/backend/registry.js";
import { loadPipelineFile } from "../../src/frontends/load.js";
import { FEATURE_IDS, FEATURES } from "../../src/ir/features.js";
import type { Pipeline } from "../../src/ir/types.js";
import { buildReport } from "../../src/report/build.js";
import { renderReport, runCheck } from "../../src/report/index.js";
import type { Report } from "../../src/report/model.js";
import { formatMicros } from "../../src/report/money.js";
import { builtinPriceTable } from "../../src/report/prices/table.js";
import { AIRFLOW, fakeBackend, SAGEMAKER, STEPFUNCTIONS } from "./support/backends.js";

let p: Pipeline;
let report: Report;
const backends = [SAGEMAKER({ lambdaInvocations: 1, sqsMessages: 1 }), STEPFUNCTIONS({ stateTransitions: 90 }), AIRFLOW({ airflowTasks: 14 })];

beforeAll(async () => {
  const r = await loadPipelineFile(join(__dirname, "fixtures", "all-features.yaml"));
  expect(r.diagnostics).toEqual([]);
  p = r.pipeline!;
  const b = buildReport(p, backends, builtinPriceTable(), {});
  expect(b.diagnostics).toEqual([]);
  report = b.report;
});

/** What migration-features.yaml adds: a schedule is a cron or a fixed rate, never both. */
const MIGRATION: string[] = [
  "kind:wait", "kind:glue", "kind:emr", "kind:aws", "kind:map", "retry.rules", "retry.jitter", "retry.error-names", "on-failure", "on-failure.errors", "on-failure.succeeds", "on-failure.several", "on-failure.read", "on-failure.continues", "on-failure.continues-errors", "schedule.rate",
  "expression.response", "expression.run-input", "expression.logical-date", "expression.variable", "aws.wait", "aws.wait.polled", "aws.repeat", "aws.callback", "lambda.repeat", "map.results", "map.read", "map.batch", "map.batch-each", "map.tolerate", "map.distributed", "map.results-to", "map.iteration-id", "fail.error",
  "function:exists", "function:split", "function:item", "function:length", "function:uuid", "function:json", "function:parse", "function:set", "function:object", "function:matches", "function:get", "function:default", "approval.function", "approval.token-field", "condition.after",
];
const USED = FEATURE_IDS.filter((f) => !MIGRATION.includes(f));

describe("feature matrix", () => {
  it("the fixture uses every feature, the migration fixture the rest", async () => {
    expect(report.features.map((f) => f.id)).toEqual(USED);
    const m = await loadPipelineFile(join(__dirname, "fixtures", "migration-features.yaml"));
    expect(m.diagnostics).toEqual([]);
    const b = buildReport(m.pipeline!, backends, builtinPriceTable(), {});
    const ids = b.report.features.map((f) => f.id);
    expect(ids.filter((f) => MIGRATION.includes(f)).sort()).toEqual([...MIGRATION].sort());
  });

  it("every cell is the backend's own capability entry", () => {
    for (const b of backends) for (const f of USED) expect(report.targets[b.name].features[f], `${b.name} ${f}`).toEqual(b.capabilities[f]);
    const all = Object.values(report.targets).flatMap((t) => Object.values(t.features).map((c) => c!.support));
    expect(new Set(all)).toEqual(new Set(["native", "emulated", "unsupported"]));
    expect(report.targets.sagemaker.counts).toEqual({ native: USED.length - 4, emulated: 3, unsupported: 1 });
  });

  it("names where each feature is used", () => {
    const where = Object.fromEntries(report.features.map((f) => [f.id, f.uses]));
    expect(where).toMatchObject({
      foreach: ["fan"], cache: ["prep"], "retry.error-classes": ["prep"], spot: ["fan"], "kind:notebook": ["explore"],
      "schedule.timezone": ["pipeline"], "parameters.enum": ["pipeline"], "condition.in": ["gate"], "condition.logic": ["gate"],
      "condition.report": ["gate"], "expression.arithmetic": ["side"], "expression.join": ["stop"], "depends-on": ["explore", "register", "host", "emr"],
      concurrency: ["pipeline"], targets: ["pipeline"],
    });
  });

  it("text, Markdown and HTML show every cell", () => {
    const text = renderReport(report, "text", false);
    const md = renderReport(report, "md", false);
    const html = renderReport(report, "html", false);
    const names = Object.keys(report.targets);
    expect(names).toEqual(["airflow", "sagemaker", "stepfunctions"]);
    for (const f of FEATURES.filter((x) => USED.includes(x.id))) {
      const expected = names.map((n) => report.targets[n].features[f.id]!.support);
      const row = text.split("\n").find((l) => l.startsWith(`  ${f.title}  `))!;
      expect(row.trim().split(/\s{2,}/).slice(-3), f.id).toEqual(expected);
      const mdRow = md.split("\n").find((l) => l.startsWith(`| ${f.title.replace(/\|/g, "\\|")} |`))!;
      expect(mdRow.split(" | ").slice(2).map((c) => c.replace(/^\S+ /, "").split(":")[0].replace(/ \|$/, "")), f.id).toEqual(expected);
      const htmlRow = html.split("\n").find((l) => l.startsWith(`<tr data-feature="${f.id}">`))!;
      expect([...htmlRow.matchAll(/<td class="(\w+)"/g)].map((m) => m[1]), f.id).toEqual(expected);
    }
    // Notes for what is not native, per target.
    expect(text).toContain("sagemaker      kind:notebook      unsupported  no notebook step type");
    expect(md).toContain("⚠️ emulated: a DynamoDB lookup before the job; costs 2 transitions and a read");
  });
});

describe("costs of every kind of billable step", () => {
  const region = "us-west-2";
  const t = builtinPriceTable();
  const hourly = (use: string, type: string) => {
    const r = t.data.prices.find((x) => x.service === "sagemaker" && x.item === `${use}:${type}` && x.region === region)!;
    return r.usd / r.per;
  };

  it("prices parameters at their defaults, foreach copies, tuning trials, counts and the endpoint", () => {
    const shared = new Set(["ML storage volume", "CloudWatch Logs ingestion"]);
    const lines = report.targets.sagemaker.cost.lines.filter((l) => !shared.has(l.component)).map((l) => [l.step ?? l.component, l.quantity, l.amountUsd]);
    expect(lines).toEqual([
      ["prep", 2 * 0.5, 2 * 0.5 * hourly("processing", "ml.c5.xlarge")], // ${{ params.size }} × ${{ params.workers }} = 2
      ["side", 0.1, 0.1 * hourly("processing", "ml.t3.medium")],
      ["fan", 2 * 1, 2 * hourly("training", "ml.m5.xlarge")], // 2 foreach copies × 1 h
      ["tune", 4 * (20 / 60), 4 * (20 / 60) * hourly("training", "ml.m5.2xlarge")], // max_jobs 4
      ["explore", null, null], // no estimate: unknown, never $0
      ["score", 2 * 0.25, 2 * 0.25 * hourly("transform", "ml.m5.xlarge")],
      ["host", 730, 730 * hourly("hosting", "ml.m5.large")],
      ["SageMaker Pipelines orchestration", 1, 0],
      ["Lambda requests", 1, 0.2 / 1e6],
      ["SQS requests", 1, 0.4 / 1e6],
      ["Lambda duration", null, null],
    ]);
    expect(report.targets.sagemaker.cost.notes).toContain("no estimate, so their cost is unknown and left out of the totals: explore");
    expect(report.targets.sagemaker.cost.noEstimate).toEqual(["explore"]);
    expect(report.targets.sagemaker.cost.lines.find((l) => l.step === "prep")!.note).toBe(
      "30 min estimate × 2 instances; ${{ params.size }} priced at the parameter's default ml.c5.xlarge; ${{ params.workers }} priced at the parameter's default 2",
    );
    // Thursday 06:00 in Pacific/Kiritimati: 4 runs in the window.
    expect(report.runsPerMonth.value).toBe(4);
  });

  it("sizes the MWAA environment by the widest layer, with extra workers when one is not enough", () => {
    // Layer 1 holds side's successor emr, fan ×2, tune, explore and gate: 6 tasks at once. mw1.micro runs 3 at most
    // (one worker); mw1.small runs 5 a worker, so one extra worker, for as long as the layer runs: unknown, since
    // explore has no estimate.
    const lines = report.targets.airflow.cost.lines;
    expect(lines.find((l) => l.component.startsWith("MWAA environment"))!.component).toBe("MWAA environment mw1.small");
    expect(lines.find((l) => l.component.startsWith("additional workers"))).toMatchObject({
      component: "additional workers (mw1.small)",
      period: "run",
      quantity: null,
      amountUsd: null,
      unitPriceUsd: 0.055,
    });
  });

  it("ranks the targets from the data: results, then cost, then risk", () => {
    const r = report.recommendation.ranking;
    // Each lacks a feature that changes results, so all are excluded; among them sagemaker and stepfunctions
    // cost the same (no orchestration fee; 90 transitions a run inside the free tier), and stepfunctions has less
    // risk (1 emulated feature against 3); airflow pays for an always-on environment.
    const sm = report.targets.sagemaker.cost.monthlyMicros;
    expect(report.targets.stepfunctions.cost.monthlyMicros).toBe(sm);
    expect(r.map((x) => [x.target, x.rank, x.sameResults, x.costBand, x.risk])).toEqual([
      ["stepfunctions", 1, false, 0, 1],
      ["sagemaker", 2, false, 0, 3],
      ["airflow", 3, false, 1, 1],
    ]);
    const m = (x: number) => formatMicros(x);
    const known = "compared on what is known (no estimate for: explore; those jobs cost the same on every target)";
    expect(r[0].reasons).toEqual([
      "excluded: does not give the same results (kind:passthrough unsupported)",
      `cost: ${m(sm)} a month at 4 runs, tied with sagemaker (${m(sm)}: within 5% or $1); ${known}`,
      "risk 1: 1 emulated feature (cache)",
    ]);
    const af = report.targets.airflow.cost.monthlyMicros;
    expect(r[2].reasons[1]).toBe(`cost: ${m(af)} a month at 4 runs, ${m(af - sm)} a month more than sagemaker (${m(sm)}); ${known}`);
    expect(report.recommendation.summary).toBe("no target runs this pipeline with the same results: see why each is excluded");
  });
});

describe("check", () => {
  it("fails on the named class or worse, with every problem at once", async () => {
    registerBackend(fakeBackend("reportcheck", "Check Target", SAGEMAKER().capabilities, {}));
    const un = await runCheck(p, { target: "reportcheck", failOn: "unsupported", color: false });
    expect(un.failed).toBe(true);
    expect(un.diagnostics.filter((d) => d.code === "unsupported-feature").map((d) => d.message)).toEqual([
      "step 'explore': notebook step is not supported by Check Target: no notebook step type",
    ]);
    expect(un.diagnostics.filter((d) => d.code === "unsupported-passthrough").map((d) => d.message)).toEqual([
      "step 'emr': a sagemaker 'EMR' step cannot be lowered to Check Target",
    ]);
    expect(un.output).toContain("used features: 32 native, 3 emulated, 1 unsupported; --fail-on unsupported: FAIL");
    const lines = un.output.split("\n");
    expect(lines.filter((l) => /^\s+\*?\s+\S/.test(l) && /native|emulated|unsupported/.test(l))).toHaveLength(FEATURE_IDS.length);
  });

  it("passes --fail-on unsupported when everything used is at most emulated, fails --fail-on emulated", async () => {
    const r = await loadPipelineFile(join(__dirname, "..", "..", "fixtures", "abalone.yaml"));
    registerBackend(fakeBackend("reportcheck2", "Check Target 2", STEPFUNCTIONS().capabilities, {}));
    const pass = await runCheck(r.pipeline!, { target: "reportcheck2", failOn: "unsupported", color: false });
    expect(pass.failed).toBe(false);
    expect(pass.diagnostics).toEqual([]);
    const fail = await runCheck(r.pipeline!, { target: "reportcheck2", failOn: "emulated", color: false });
    expect(fail.failed).toBe(true);
    expect(fail.diagnostics.map((d) => `${d.pos?.line}: ${d.message}`)).toEqual([
      "45: step 'preprocess': step result cache is emulated by Check Target 2, which fails --fail-on emulated: a DynamoDB lookup before the job; costs 2 transitions and a read",
    ]);
  });

  it("an unsupported feature the target only warns about fails the gate with an error that says so, once", async () => {
    const r = await loadPipelineFile(join(__dirname, "..", "..", "fixtures", "abalone.yaml"));
    const warnOnly = { ...STEPFUNCTIONS().capabilities, cache: { support: "unsupported" as const, warnOnly: true, note: "no result cache" } };
    registerBackend(fakeBackend("reportcheck3", "Check Target 3", warnOnly, {}));
    const fail = await runCheck(r.pipeline!, { target: "reportcheck3", failOn: "unsupported", color: false });
    expect(fail.failed).toBe(true);
    expect(fail.diagnostics.map((d) => `${d.severity} ${d.pos?.line}: ${d.message}`)).toEqual([
      "error 45: step 'preprocess': step result cache is not supported by Check Target 3, which fails --fail-on unsupported: no result cache",
    ]);
  });
});
