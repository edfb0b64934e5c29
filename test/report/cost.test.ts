/**
 * Hand-checked cost figures for the two bundled examples, per target. Every
 * expected number is worked out here from the price table's records, line by
 * line, with the quantities read off the fixture files.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipelineFile } from "../../src/frontends/load.js";
import type { Pipeline } from "../../src/ir/types.js";
import { buildReport } from "../../src/report/build.js";
import type { Report } from "../../src/report/model.js";
import { builtinPriceTable } from "../../src/report/prices/table.js";
import { AIRFLOW, SAGEMAKER, STEPFUNCTIONS } from "./support/backends.js";

const ROOT = join(__dirname, "..", "..");
const TABLE = JSON.parse(readFileSync(join(ROOT, "src/report/prices/prices-2026-11.json"), "utf8")) as {
  prices: Array<{ service: string; item: string; region: string; usd: number; per: number }>;
};
/** USD per unit, straight from the JSON file. */
function price(service: string, item: string, region: string): number {
  const r = TABLE.prices.find((p) => p.service === service && p.item === item && p.region === region);
  if (!r) throw new Error(`test table lookup: ${service} ${item} ${region}`);
  return r.usd / r.per;
}

async function load(name: string): Promise<Pipeline> {
  const r = await loadPipelineFile(join(ROOT, "fixtures", name));
  expect(r.diagnostics).toEqual([]);
  return r.pipeline!;
}

function report(p: Pipeline, opts: { runsPerMonth?: number; region?: string; mwaaClass?: string } = {}): Report {
  const r = buildReport(p, [SAGEMAKER(), STEPFUNCTIONS({ stateTransitions: 40 }), AIRFLOW({ airflowTasks: 8 })], builtinPriceTable(), opts);
  expect(r.diagnostics).toEqual([]);
  return r.report;
}

const amounts = (r: Report, t: string) => r.targets[t].cost.lines.map((l) => [l.component, l.step ?? "", l.period, l.amountUsd]);

describe("abalone (us-east-1, cron '0 6 * * 1')", () => {
  // Jobs: preprocess 10 min, train 25 min, evaluate 5 min, batch_score 15 min, all ml.m5.xlarge × 1.
  const proc = price("sagemaker", "processing:ml.m5.xlarge", "us-east-1");
  const train = price("sagemaker", "training:ml.m5.xlarge", "us-east-1");
  const xform = price("sagemaker", "transform:ml.m5.xlarge", "us-east-1");
  const jobs = [
    ["processing ml.m5.xlarge", "preprocess", "run", (10 / 60) * proc],
    ["training ml.m5.xlarge", "train", "run", (25 / 60) * train],
    ["processing ml.m5.xlarge", "evaluate", "run", (5 / 60) * proc],
    ["transform ml.m5.xlarge", "batch_score", "run", (15 / 60) * xform],
  ];
  const jobsPerRun = (10 / 60) * proc + (25 / 60) * train + (5 / 60) * proc + (15 / 60) * xform;
  // Mondays 06:00 UTC in 2026-01-01 .. 2026-01-30: the 5th, 12th, 19th and 26th.
  const runs = 4;

  it("counts the runs from the schedule", async () => {
    expect(report(await load("abalone.yaml")).runsPerMonth).toMatchObject({ value: 4, basis: "schedule" });
  });

  it("sagemaker: the jobs and no orchestration fee", async () => {
    const r = report(await load("abalone.yaml"));
    expect(amounts(r, "sagemaker")).toEqual([...jobs, ["SageMaker Pipelines orchestration", "", "run", 0]]);
    const fee = r.targets.sagemaker.cost.lines.at(-1)!;
    expect(fee.price.confirmed).toBe(false);
    expect(r.targets.sagemaker.cost.perRunUsd).toBeCloseTo(jobsPerRun, 12);
    expect(r.targets.sagemaker.cost.monthlyUsd).toBeCloseTo(jobsPerRun * runs, 12);
    expect(jobsPerRun).toBeCloseTo(0.2108333, 6); // 55 min of a $0.23/h instance
  });

  it("stepfunctions: transitions at the published price, free tier apart", async () => {
    const r = report(await load("abalone.yaml"));
    const perTransition = price("stepfunctions", "standard-transition", "us-east-1");
    expect(perTransition).toBe(0.025 / 1000);
    expect(amounts(r, "stepfunctions")).toEqual([...jobs, ["state transitions", "", "run", 40 * perTransition]]);
    const c = r.targets.stepfunctions.cost;
    expect(c.freeTier).toEqual([expect.objectContaining({ quantity: 160, amountUsd: -160 * perTransition })]);
    expect(c.perRunUsd).toBeCloseTo(jobsPerRun + 40 * perTransition, 12);
    expect(c.monthlyUsd).toBeCloseTo((jobsPerRun + 40 * perTransition) * runs - 160 * perTransition, 12);
  });

  it("airflow: an always-on mw1.small environment plus the jobs", async () => {
    const r = report(await load("abalone.yaml"));
    const env = price("mwaa", "environment:mw1.small", "us-east-1");
    const c = r.targets.airflow.cost;
    expect(amounts(r, "airflow")).toEqual([
      ...jobs,
      ["MWAA environment mw1.small", "", "month", 730 * env],
      ["additional workers", "", "month", 0],
      ["additional schedulers", "", "month", 0],
      ["metadata database storage", "", "month", null],
    ]);
    expect(c.lines.find((l) => l.component === "metadata database storage")!.unitPriceUsd).toBe(0.1);
    expect(c.monthlyUsd).toBeCloseTo(jobsPerRun * runs + 730 * 0.49, 9);
    expect(c.monthlyUsd).toBeCloseTo(358.5433333, 6);
  });

  it("says the instance types come from parameter defaults", async () => {
    const r = report(await load("abalone.yaml"));
    const pre = r.targets.sagemaker.cost.lines.find((l) => l.step === "preprocess")!;
    expect(pre.note).toContain("${{ params.processing_instance_type }} priced at the parameter's default ml.m5.xlarge");
  });

  it("a break-even run rate where always-on MWAA beats Step Functions transitions", async () => {
    const r = report(await load("abalone.yaml"));
    // MWAA $357.70 a month vs 40 transitions ($0.001) a run, with 4,000 free transitions ($0.10) a month.
    const n = Math.ceil((730 * 0.49 + 4000 * 0.000025) / (40 * 0.000025));
    expect(n).toBe(357800);
    expect(r.breakEven?.runsPerMonth).toBe(n);
  });

  it("--runs-per-month, --region and --mwaa-class change the figures", async () => {
    const r = report(await load("abalone.yaml"), { runsPerMonth: 100, region: "eu-central-1", mwaaClass: "mw1.large" });
    const de = price("sagemaker", "training:ml.m5.xlarge", "eu-central-1");
    expect(r.targets.sagemaker.cost.lines.find((l) => l.step === "train")!.amountUsd).toBeCloseTo((25 / 60) * de, 12);
    expect(r.targets.airflow.cost.lines.find((l) => l.component.startsWith("MWAA environment"))).toMatchObject({
      component: "MWAA environment mw1.large",
      amountUsd: 730 * price("mwaa", "environment:mw1.large", "eu-central-1"),
    });
    expect(r.runsPerMonth).toMatchObject({ value: 100, basis: "flag" });
    expect(r.notes.join("\n")).toContain("priced in eu-central-1 (--region); the pipeline says us-east-1");
  });
});

describe("churn-nightly (eu-west-1, cron '30 2 * * *')", () => {
  const region = "eu-west-1";
  const featuresJob = (20 / 60) * price("sagemaker", "processing:ml.m5.2xlarge", region);
  const sweep = 3 * (30 / 60) * price("sagemaker", "training:ml.m5.xlarge", region); // foreach: 3 copies
  const endpoint = 2 * 730 * price("sagemaker", "hosting:ml.m5.large", region); // 2 instances, all month
  const lambda = 1 * price("lambda", "request", region);
  const sqs = 1 * price("sqs", "standard-request", region);
  const runs = 30;

  it("prices the foreach copies, the endpoint by the month, Lambda and SQS by request", async () => {
    const r = report(await load("churn.yaml"));
    expect(r.runsPerMonth.value).toBe(runs);
    expect(amounts(r, "sagemaker")).toEqual([
      ["processing ml.m5.2xlarge", "features", "run", featuresJob],
      ["training ml.m5.xlarge", "sweep", "run", sweep],
      ["hosting ml.m5.large", "deploy", "month", endpoint],
      ["SageMaker Pipelines orchestration", "", "run", 0],
      ["Lambda requests", "", "run", lambda],
      ["SQS requests", "", "run", sqs],
      ["Lambda duration", "", "run", null],
    ]);
    const c = r.targets.sagemaker.cost;
    expect(c.perRunUsd).toBeCloseTo(featuresJob + sweep + lambda + sqs, 12);
    // 30 SQS requests a month fall inside the 1M free requests.
    expect(c.freeTier).toEqual([expect.objectContaining({ quantity: 30, amountUsd: -30 * sqs })]);
    expect(c.monthlyUsd).toBeCloseTo((featuresJob + sweep + lambda + sqs) * runs + endpoint - 30 * sqs, 12);
    expect(c.lines.find((l) => l.step === "sweep")!.note).toContain("× 3 foreach copies");
    expect(c.lines.find((l) => l.component === "Lambda duration")!.unitPriceUsd).toBe(0.0000166667);
  });

  it("stepfunctions and airflow add their orchestration to the same jobs", async () => {
    const r = report(await load("churn.yaml"));
    const t = 40 * price("stepfunctions", "standard-transition", region);
    const sf = r.targets.stepfunctions.cost;
    expect(sf.perRunUsd).toBeCloseTo(featuresJob + sweep + lambda + sqs + t, 12);
    expect(sf.monthlyUsd).toBeCloseTo((featuresJob + sweep + lambda + sqs + t) * runs + endpoint - 1200 * (t / 40) - 30 * sqs, 12);
    const af = r.targets.airflow.cost;
    expect(af.monthlyUsd).toBeCloseTo((featuresJob + sweep + lambda + sqs) * runs + endpoint + 730 * price("mwaa", "environment:mw1.small", region) - 30 * sqs, 9);
  });

  it("steps in an else branch are not priced, and say so", async () => {
    const r = report(await load("churn.yaml"));
    expect(r.targets.sagemaker.cost.notes).toContain("not on the expected path (an else branch), not priced: too_weak");
  });
});

describe("what cannot be priced is said, not invented", () => {
  it("an MWAA class with no price is an error that names it", async () => {
    const p = await load("abalone.yaml");
    const r = buildReport(p, [AIRFLOW()], builtinPriceTable(), { mwaaClass: "mw1.micro" });
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "airflow: no price for MWAA environment class 'mw1.micro' in region 'us-east-1' in price table 2026-11 (built-in prices-2026-11.json)",
    ]);
  });

  it("an instance type from a parameter without a default is a warning, and the step is left unpriced", async () => {
    const p = await load("abalone.yaml");
    delete p.parameters.find((x) => x.name === "training_instance_type")!.default;
    const r = buildReport(p, [SAGEMAKER()], builtinPriceTable(), {});
    expect(r.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ["warning", "step 'train': cannot price the instance type: ${{ params.training_instance_type }} has no default to price at"],
    ]);
    expect(r.report.targets.sagemaker.cost.lines.map((l) => l.step ?? l.component)).toEqual(["preprocess", "evaluate", "batch_score", "SageMaker Pipelines orchestration"]);
  });

  it("a backend without usage() leaves the transitions as a unit price", async () => {
    const p = await load("abalone.yaml");
    const r = buildReport(p, [STEPFUNCTIONS({})], builtinPriceTable(), {});
    const line = r.report.targets.stepfunctions.cost.lines.find((l) => l.component === "state transitions")!;
    expect(line).toMatchObject({ quantity: null, amountUsd: null, unitPriceUsd: 0.025 / 1000, note: "the backend gives no transition count" });
  });
});

