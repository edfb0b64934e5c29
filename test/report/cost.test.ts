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

/** The lines, without the ML storage and CloudWatch Logs lines every target has (tested on their own below). */
const amounts = (r: Report, t: string) =>
  r.targets[t].cost.lines.filter((l) => !SHARED.has(l.component)).map((l) => [l.component, l.step ?? "", l.period, l.amountUsd]);
const SHARED = new Set(["ML storage volume", "CloudWatch Logs ingestion"]);
/** Whole micro-dollars of each amount, added as integers: how the report totals. */
const micros = (...xs: number[]) => xs.reduce((a, x) => a + Math.round(x * 1e6), 0);
/** A month of run lines: each line's amount × runs, rounded once. */
const monthly = (runs: number, ...xs: number[]) => micros(...xs.map((x) => x * runs));
/** The ML storage of one job: GB × hours / 730 h a month × $/GB-month. */
const storage = (gb: number, hours: number, region: string) => ((gb * hours) / 730) * price("sagemaker", "ml-storage", region);

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
  // Each job also carries the default 30 GB ML storage volume for its hours.
  const volumes = [10, 25, 5, 15].map((m) => storage(30, m / 60, "us-east-1"));
  const jobAmounts = [...jobs.map((j) => j[3] as number), ...volumes];
  const jobsMicros = micros(...jobAmounts);
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
    expect(r.targets.sagemaker.cost.perRunMicros).toBe(jobsMicros);
    expect(r.targets.sagemaker.cost.monthlyMicros).toBe(monthly(runs, ...jobAmounts));
    // 4 runs: 153,333 + 383,333 + 76,667 + 230,000 + 3,836 + 9,589 + 1,918 + 5,753.
    expect(monthly(runs, ...jobAmounts)).toBe(864_429);
    expect(jobsPerRun).toBeCloseTo(0.2108333, 6); // 55 min of a $0.23/h instance
    // 30 GB for 55 minutes at $0.14 a GB-month: 30 × 55/60 / 730 × 0.14 = $0.005274
    expect(micros(...volumes)).toBe(959 + 2397 + 479 + 1438);
    expect(jobsMicros).toBe(38333 + 95833 + 19167 + 57500 + 959 + 2397 + 479 + 1438);
  });

  it("stepfunctions: transitions at the published price, free tier apart", async () => {
    const r = report(await load("abalone.yaml"));
    const perTransition = price("stepfunctions", "standard-transition", "us-east-1");
    expect(perTransition).toBe(0.025 / 1000);
    expect(amounts(r, "stepfunctions")).toEqual([...jobs, ["state transitions", "", "run", 40 * perTransition]]);
    const c = r.targets.stepfunctions.cost;
    expect(c.freeTier).toEqual([expect.objectContaining({ quantity: 160, amountUsd: -160 * perTransition, note: expect.stringContaining("account-wide") })]);
    expect(c.perRunMicros).toBe(jobsMicros + 1000);
    expect(c.monthlyMicros).toBe(monthly(runs, ...jobAmounts) + 4000 - 4000);
  });

  it("airflow: the smallest class that runs 3 tasks at once (mw1.micro), its NAT gateway, plus the jobs", async () => {
    const r = report(await load("abalone.yaml"));
    const env = price("mwaa", "environment:mw1.micro", "us-east-1");
    const nat = price("vpc", "nat-gateway-hour", "us-east-1");
    const c = r.targets.airflow.cost;
    expect(amounts(r, "airflow")).toEqual([
      ...jobs,
      ["MWAA environment mw1.micro", "", "month", 730 * env],
      ["MWAA metadata database storage", "", "month", null],
      ["NAT gateway (MWAA runs in private subnets)", "", "month", 730 * nat],
    ]);
    expect(c.lines.find((l) => l.component === "MWAA metadata database storage")!.unitPriceUsd).toBe(0.1);
    // $0.258 × 730 = $188.34; $0.045 × 730 = $32.85 (one NAT gateway, always on).
    expect(c.monthlyMicros).toBe(monthly(runs, ...jobAmounts) + 188_340_000 + 32_850_000);
    expect(c.unpriced).toEqual(["MWAA metadata database storage", "CloudWatch Logs ingestion"]);
    expect(c.notes).toContain("no additional worker: mw1.micro's worker runs 3 tasks at once, the pipeline at most 3");
  });

  it("every target has the jobs' ML storage volumes and CloudWatch Logs (unknown volume)", async () => {
    const r = report(await load("abalone.yaml"));
    for (const t of ["airflow", "sagemaker", "stepfunctions"]) {
      const vols = r.targets[t].cost.lines.filter((l) => l.component === "ML storage volume");
      expect(vols.map((l) => [l.step, l.amountUsd])).toEqual(["preprocess", "train", "evaluate", "batch_score"].map((s, i) => [s, volumes[i]]));
      expect(r.targets[t].cost.lines.find((l) => l.component === "CloudWatch Logs ingestion")).toMatchObject({ quantity: null, amountUsd: null, unitPriceUsd: 0.5 });
    }
  });

  it("says the instance types come from parameter defaults", async () => {
    const r = report(await load("abalone.yaml"));
    const pre = r.targets.sagemaker.cost.lines.find((l) => l.step === "preprocess")!;
    expect(pre.note).toContain("${{ params.processing_instance_type }} priced at the parameter's default ml.m5.xlarge");
  });

  it("a break-even run rate where always-on MWAA beats Step Functions transitions", async () => {
    const r = report(await load("abalone.yaml"));
    // MWAA mw1.micro $188.34 and a NAT gateway $32.85 a month vs 40 transitions ($0.001) a run,
    // with 4,000 free transitions ($0.10) a month: (188.34 + 32.85 + 0.10) / 0.001.
    const n = 221290;
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
  const runLines = [featuresJob, storage(30, 20 / 60, region), sweep, 3 * storage(30, 30 / 60, region), lambda, sqs];
  const perRun = micros(...runLines);

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
    expect(c.perRunMicros).toBe(perRun);
    // 30 SQS requests a month fall inside the 1M free requests.
    expect(c.freeTier).toEqual([expect.objectContaining({ quantity: 30, amountUsd: -30 * sqs })]);
    expect(c.monthlyMicros).toBe(monthly(runs, ...runLines) + micros(endpoint) - micros(30 * sqs));
    expect(c.lines.find((l) => l.step === "sweep")!.note).toContain("× 3 foreach copies");
    expect(c.lines.find((l) => l.component === "Lambda duration")!.unitPriceUsd).toBe(0.0000166667);
  });

  it("stepfunctions and airflow add their orchestration to the same jobs", async () => {
    const r = report(await load("churn.yaml"));
    const t = 40 * price("stepfunctions", "standard-transition", region);
    const sf = r.targets.stepfunctions.cost;
    expect(sf.perRunMicros).toBe(perRun + micros(t));
    expect(sf.monthlyMicros).toBe(monthly(runs, ...runLines, t) + micros(endpoint) - micros(1200 * (t / 40)) - micros(30 * sqs));
    const af = r.targets.airflow.cost;
    // The sweep runs 3 jobs at once: mw1.micro's one worker runs 3.
    const fixed = micros(730 * price("mwaa", "environment:mw1.micro", region), 730 * price("vpc", "nat-gateway-hour", region));
    expect(af.monthlyMicros).toBe(monthly(runs, ...runLines) + micros(endpoint) + fixed - micros(30 * sqs));
  });

  it("steps in an else branch are not priced, and say so", async () => {
    const r = report(await load("churn.yaml"));
    expect(r.targets.sagemaker.cost.notes).toContain("not on the expected path (an else branch), not priced: too_weak");
  });
});

describe("what cannot be priced is said, not invented", () => {
  it("an MWAA class the table does not know is an error that lists the classes", async () => {
    const p = await load("abalone.yaml");
    const r = buildReport(p, [AIRFLOW()], builtinPriceTable(), { mwaaClass: "mw1.huge" });
    expect(r.diagnostics.map((d) => [d.message, d.hint])).toEqual([
      ["airflow: unknown MWAA environment class 'mw1.huge'", "one of mw1.micro, mw1.small, mw1.medium, mw1.large, mw1.xlarge, mw1.2xlarge"],
    ]);
  });

  it("an instance type from a parameter without a default is a warning, and the step is left unpriced", async () => {
    const p = await load("abalone.yaml");
    delete p.parameters.find((x) => x.name === "training_instance_type")!.default;
    const r = buildReport(p, [SAGEMAKER()], builtinPriceTable(), {});
    expect(r.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ["warning", "step 'train': cannot price the instance type: ${{ params.training_instance_type }} has no default to price at"],
    ]);
    expect(r.report.targets.sagemaker.cost.lines.filter((l) => !SHARED.has(l.component)).map((l) => l.step ?? l.component)).toEqual([
      "preprocess",
      "evaluate",
      "batch_score",
      "SageMaker Pipelines orchestration",
    ]);
  });

  it("a backend without usage() leaves the transitions as a unit price", async () => {
    const p = await load("abalone.yaml");
    const r = buildReport(p, [STEPFUNCTIONS({})], builtinPriceTable(), {});
    const line = r.report.targets.stepfunctions.cost.lines.find((l) => l.component === "state transitions")!;
    expect(line).toMatchObject({ quantity: null, amountUsd: null, unitPriceUsd: 0.025 / 1000, note: "the backend gives no transition count" });
  });
});


describe("MWAA sizing", () => {
  const wide = async () => {
    const r = await loadPipelineFile(join(ROOT, "test", "report", "fixtures", "wide.yaml"));
    expect(r.diagnostics).toEqual([]);
    return r.pipeline!;
  };
  const mwaa = (r: Report) => r.targets.airflow.cost.lines.filter((l) => !SHARED.has(l.component) && l.step === undefined);

  it("100 tasks at once: the smallest class that runs them, mw1.small, with 19 extra workers for the layer's 30 minutes", async () => {
    const r = buildReport(await wide(), [AIRFLOW()], builtinPriceTable(), { runsPerMonth: 10 });
    expect(r.diagnostics).toEqual([]);
    const worker = price("mwaa", "worker:mw1.small", "us-east-1");
    expect(mwaa(r.report).map((l) => [l.component, l.period, l.quantity, l.amountUsd])).toEqual([
      ["MWAA environment mw1.small", "month", 730, 730 * 0.49],
      ["MWAA metadata database storage", "month", null, null],
      ["NAT gateway (MWAA runs in private subnets)", "month", 730, 730 * 0.045],
      // 100 tasks, 5 a worker: 20 workers, 1 included; 19 × 0.5 h = 9.5 worker-hours a run at $0.055.
      ["additional workers (mw1.small)", "run", 9.5, 9.5 * worker],
    ]);
    expect(r.report.targets.airflow.cost.capacity).toEqual([]);
  });

  it("--mwaa-class mw1.micro on a wide foreach still reports: tasks wait, and the risk says so", async () => {
    const r = buildReport(await wide(), [AIRFLOW(), SAGEMAKER()], builtinPriceTable(), { mwaaClass: "mw1.micro" });
    expect(r.diagnostics).toEqual([]);
    expect(mwaa(r.report).map((l) => l.component)).toEqual(["MWAA environment mw1.micro", "MWAA metadata database storage", "NAT gateway (MWAA runs in private subnets)"]);
    const waits = "mw1.micro runs at most 3 tasks at once (1 worker, 3 tasks each): 97 tasks of the widest layer wait, so the run takes longer";
    expect(r.report.targets.airflow.cost.capacity).toEqual([waits]);
    const af = r.report.recommendation.ranking.find((x) => x.target === "airflow")!;
    expect(af.reasons[2]).toContain(waits);
  });

  it("a foreach wider than any class can run at once is priced on the largest class, with its extra workers", async () => {
    const p = await wide();
    const sweep = p.steps[0];
    sweep.foreach!.items = Array.from({ length: 2100 }, (_, i) => sweep.foreach!.items[i % sweep.foreach!.items.length]);
    const r = buildReport(p, [AIRFLOW()], builtinPriceTable(), {});
    expect(r.diagnostics).toEqual([]);
    // mw1.2xlarge: 80 tasks a worker, 25 workers at most = 2,000 at once; 24 extra workers for 30 minutes.
    expect(mwaa(r.report).map((l) => [l.component, l.quantity])).toEqual([
      ["MWAA environment mw1.2xlarge", 730],
      ["MWAA metadata database storage", null],
      ["NAT gateway (MWAA runs in private subnets)", 730],
      ["additional workers (mw1.2xlarge)", 12],
    ]);
    expect(r.report.targets.airflow.cost.capacity).toEqual([
      "mw1.2xlarge runs at most 2,000 tasks at once (25 workers, 80 tasks each): 100 tasks of the widest layer wait, so the run takes longer",
    ]);
  });

  it("--mwaa-shared prices only what one more DAG adds: no environment, network or metadata database", async () => {
    const r = buildReport(await wide(), [AIRFLOW()], builtinPriceTable(), { mwaaShared: true, runsPerMonth: 10 });
    expect(mwaa(r.report).map((l) => l.component)).toEqual(["additional workers (mw1.small)"]);
    expect(r.report.targets.airflow.cost.notes[0]).toBe(
      "shared environment (--mwaa-shared): the always-on mw1.small environment, its network and metadata database are paid already; only what this DAG adds is priced",
    );
    expect(r.report.breakEven).toBeUndefined();
  });
});

describe("unknown durations stay unknown", () => {
  it("a job without estimate is unknown, not $0, and the totals say they are a lower bound", async () => {
    const r = await loadPipelineFile(join(ROOT, "test", "report", "fixtures", "no-estimate.yaml"));
    const rep = buildReport(r.pipeline!, [SAGEMAKER()], builtinPriceTable(), {}).report;
    const c = rep.targets.sagemaker.cost;
    expect(c.lines.filter((l) => l.step).map((l) => [l.component, l.step, l.quantity, l.amountUsd])).toEqual([
      ["processing ml.m5.xlarge", "prep", 0.2, 0.2 * 0.23],
      ["ML storage volume", "prep", (30 * 0.2) / 730, ((30 * 0.2) / 730) * 0.14],
      ["training ml.m5.xlarge", "train", null, null],
      ["ML storage volume", "train", null, null],
      ["transform ml.m5.xlarge", "score", null, null],
      ["ML storage volume", "score", null, null],
    ]);
    expect(c.noEstimate).toEqual(["train", "score"]);
    // $0.046 and $0.00115068...: 46,000 + 1,151 micro-dollars.
    expect(c.perRunMicros).toBe(47_151);
    expect(c.lines.find((l) => l.step === "train")!.note).toContain(
      "managed spot training: priced on demand here; spot usually costs less but a job may wait or be interrupted (up to max_wait)",
    );
  });
});
