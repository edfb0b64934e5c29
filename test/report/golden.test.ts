/**
 * Whole text reports, compared byte for byte with files checked by hand, made
 * with the real backends of this build (what `switchyard report` prints).
 *
 * Hand checks (micro-dollars; each line rounded once, then added):
 * - Defaults count at the steps they reach: abalone's default retry (backoff 2.0) is emulated on Airflow
 *   (risk 2 there), its 2 h default timeout reaches the four job steps.
 * - abalone-30 (--runs-per-month 30, us-east-1): jobs 10, 25, 5 and 15 min of ml.m5.xlarge at $0.23/h =
 *   38,333 + 95,833 + 19,167 + 57,500; their 30 GB volumes at $0.14/GB-month for those hours = 959 + 2,397 +
 *   479 + 1,438; per run 216,106 → $0.22. SageMaker: × 30 = $6.48. Step Functions adds 12 transitions
 *   (300) a run and takes 360 free ones (9,000) off: 6,492,180 − 9,000 = $6.48, a tie. MWAA: the 3 tasks
 *   at once fit mw1.micro ($0.258 × 730 = $188.34) plus a NAT gateway ($0.045 × 730 = $32.85): $227.67,
 *   $221.19 more. Ranking: SageMaker (risk 1: timeout emulated) before Step Functions (risk 2) at the same
 *   cost, then MWAA. Break-even: (221.19 + 0.10) / 0.0003 = 737,633.3 → 737,634 runs.
 * - churn (eu-west-1, 30 runs from its cron): features 20 min at $0.5149 = 171,633; sweep 3 × 30 min at
 *   $0.2569 = 385,350; volumes 1,918 + 8,630; Lambda and SQS requests under a micro-dollar each: per run
 *   567,531 → $0.57; × 30 + the endpoint (2 × 730 h × $0.1285 = $187.61) − 30 free SQS requests (12) =
 *   $204.64 on SageMaker; Step Functions' 78 transitions a run (2,340 a month) all fall in the free tier:
 *   $204.64 too; break-even (221.19 + 0.10) / 0.00195 = 113,482.1 → 113,483 runs; MWAA mw1.micro + NAT: $425.83. Step Functions ranks first on risk (1 against 4; foreach is native on every target).
 * - no-estimate: train and score have no estimate, so per run is "at least $0.05" (prep 12 min = 46,000 +
 *   its volume 1,151) and every target says it is ranked on what is known; the spot training note appears.
 *   Step Functions: no parameters, so one Set up state and the 4 steps, 5 transitions ($0.000125);
 *   break-even (221.19 + 0.10) / 0.000125 = 1,770,320 runs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipelineFile } from "../../src/frontends/load.js";
import { runReport } from "../../src/report/index.js";

const ROOT = join(__dirname, "..", "..");

async function text(file: string, opts: { runsPerMonth?: number } = {}): Promise<string> {
  const prev = process.cwd();
  process.chdir(ROOT);
  try {
    const p = await loadPipelineFile(file);
    expect(p.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const r = await runReport(p.pipeline!, { format: "text", color: false, ...opts });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return r.output;
  } finally {
    process.chdir(prev);
  }
}

const golden = (name: string) => readFileSync(join(__dirname, "golden", `${name}.txt`), "utf8");

describe("golden reports", () => {
  it("abalone at 30 runs a month", async () => {
    expect(await text("fixtures/abalone.yaml", { runsPerMonth: 30 })).toBe(golden("abalone-30"));
  });

  it("churn at its schedule's 30 runs a month", async () => {
    expect(await text("fixtures/churn.yaml")).toBe(golden("churn"));
  });

  it("a pipeline whose jobs have no estimate", async () => {
    const out = await text("test/report/fixtures/no-estimate.yaml");
    expect(out).toBe(golden("no-estimate"));
    expect(out).not.toMatch(/per run \$0\.00|lowest cost: \$0\.00/);
  });
});

describe("added orderings", () => {
  async function nshape(est?: Record<string, number>) {
    const prev = process.cwd();
    process.chdir(ROOT);
    try {
      const p = (await loadPipelineFile("test/report/fixtures/nshape.yaml")).pipeline!;
      for (const [id, s] of Object.entries(est ?? {})) p.steps.find((x) => x.id === id)!.estimate = s;
      const r = await runReport(p, { format: "json", color: false });
      return JSON.parse(r.output);
    } finally {
      process.chdir(prev);
    }
  }

  it("Step Functions on an N-shaped graph: the ordering it adds is a risk, with what it costs in time", async () => {
    const j = await nshape();
    const sf = j.recommendation.ranking.find((x: { target: string }) => x.target === "stepfunctions");
    expect(j.targets.stepfunctions.addedOrderings).toEqual(["prep_a -> train_d"]);
    // prep_a (10 min) before train_d changes nothing: prep_b (40 min) already precedes it; longest path b, d = 70 min.
    expect(sf.reasons[2]).toBe("risk 1: 1 added ordering (prep_a -> train_d): steps that could run together wait; the longest path through the estimates stays 70 min");
    expect(j.recommendation.ranking.find((x: { target: string }) => x.target === "sagemaker").risk).toBe(0);
  });

  it("when the added ordering lengthens the run, the reason says by how much", async () => {
    // a 50, b 10, c 10, d 50 min: the graph's longest path is 60 min (a, c or b, d). Every layout Step Functions can
    // nest adds an ordering; the best, train_d -> train_c, gives max(a, b + d) + c = 70 min (prep_a -> train_d
    // would give max(a, b) + max(c, d) = 100 min).
    const j = await nshape({ prep_a: 3000, prep_b: 600, train_c: 600, train_d: 3000 });
    expect(j.targets.stepfunctions.addedOrderings).toEqual(["train_d -> train_c"]);
    const reason = j.recommendation.ranking.find((x: { target: string }) => x.target === "stepfunctions").reasons[2];
    expect(reason).toBe(
      "risk 1: 1 added ordering (train_d -> train_c): steps that could run together wait; the longest path through the estimates grows from 60 min to 70 min",
    );
  });
});
