/** Every other step kind, nested conditions and a non-series-parallel graph, validated and executed. */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadYamlText } from "../../../src/frontends/load.js";
import { KINDS as SOURCE, KINDS_DIR as dir } from "./pipelines.js";
import { s3GetObject, sagemaker } from "./services.js";
import { aslValidator, languageService, lower, run, type Handler } from "./support.js";

function load() {
  const r = loadYamlText(SOURCE, join(dir, "kinds.yaml"), dir);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.pipeline!;
}

const handlers = (score: number, exec = "exec-1"): Record<string, Handler> => ({
  prep: sagemaker.processing(),
  "prep.read.stats": s3GetObject({ [`bucket/kinds/${exec}/prep/out/stats.json`]: JSON.stringify({ score }) }),
  tune: (i) => ({
    HyperParameterTuningJobName: i.HyperParameterTuningJobName,
    HyperParameterTuningJobStatus: "Completed",
    BestTrainingJob: { TrainingJobName: "best-job-7", TrainingJobStatus: "Completed", FinalHyperParameterTuningJobObjectiveMetric: { MetricName: "validation:auc", Value: 0.91 } },
  }),
  "nb_0": sagemaker.processing(),
  "nb_1": sagemaker.processing(),
  mdl: sagemaker.createModel(),
  "ep.config": sagemaker.createEndpointConfig(),
  ep: sagemaker.createEndpoint(),
  "ep.update": sagemaker.createEndpoint(),
  "ep.status": sagemaker.describeEndpoint(["InService"]),
});

describe("all kinds", () => {
  const p = load();
  const out = lower(p);

  test("lowers without diagnostics; both validators accept it", async () => {
    expect(out.diagnostics).toEqual([]);
    expect(aslValidator(out.definition)).toMatchObject({ isValid: true, errors: [] });
    expect(await languageService(out.files[0].contents)).toEqual([]);
  });

  test("the condition that needs mdl waits for it: the added orderings are reported", () => {
    const s = out.summary as { addedOrderings: string[]; criticalPath: { ir: { steps: number }; lowered: { steps: number } } };
    expect(s.addedOrderings).toContain("mdl -> gate");
    expect(s.addedOrderings.every((x) => /^(tune|mdl) -> (gate|inner|bad)$/.test(x))).toBe(true);
    // IR: prep-tune-mdl-ep or prep-gate-inner-ep (4 steps); lowered: prep, tune, mdl, gate, inner, ep.
    expect(s.criticalPath.ir.steps).toBe(4);
    expect(s.criticalPath.lowered.steps).toBe(6);
  });

  test("a high score on dev deploys the tuned model; every task gets the right data", async () => {
    const r = await run(out.definition, { tries: 3 }, handlers(0.9));
    expect(r.status).toBe("SUCCEEDED");
    const tune = r.inputs.tune[0];
    expect(tune.HyperParameterTuningJobName).toMatch(/^[0-9a-f]{32}$/);
    expect(tune.HyperParameterTuningJobConfig).toEqual({
      Strategy: "Bayesian",
      HyperParameterTuningJobObjective: { Type: "Maximize", MetricName: "validation:auc" },
      ResourceLimits: { MaxNumberOfTrainingJobs: 4, MaxParallelTrainingJobs: 2 },
      ParameterRanges: {
        ContinuousParameterRanges: [{ Name: "eta", MinValue: "0.1", MaxValue: "0.3", ScalingType: "Auto" }],
        IntegerParameterRanges: [{ Name: "max_depth", MinValue: "3", MaxValue: "9", ScalingType: "Auto" }],
      },
    });
    expect(tune.TrainingJobDefinition.InputDataConfig[0].DataSource.S3DataSource.S3Uri).toBe("s3://bucket/kinds/exec-1/prep/out/train");
    expect(tune.TrainingJobDefinition.EnableManagedSpotTraining).toBe(true);
    expect(tune.TrainingJobDefinition.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 7200 });
    expect(tune.TrainingJobDefinition.Environment).toEqual({ STAGE: "dev" });
    const model = "s3://bucket/kinds/exec-1/tune/model/best-job-7/output/model.tar.gz";
    expect(r.inputs.mdl[0].PrimaryContainer.ModelDataUrl).toBe(model);
    expect(r.inputs["nb_1"][0].AppSpecification).toEqual({
      ImageUri: "123456789012.dkr.ecr.us-west-2.amazonaws.com/papermill:1",
      ContainerEntrypoint: ["papermill"],
      ContainerArguments: ["/opt/ml/processing/input/code/report.ipynb", "/opt/ml/processing/output/report.ipynb", "-k", "python3", "-p", "n", "2", "-p", "model", model, "-p", "tries", "3"],
    });
    expect(r.inputs["nb_0"][0].ProcessingOutputConfig.Outputs[0].S3Output.S3Uri).toBe("s3://bucket/kinds/exec-1/nb/0/output");
    expect(r.inputs["ep.config"][0].ProductionVariants[0].ModelName).toBe(r.inputs.mdl[0].ModelName);
    expect(r.inputs.ep[0].EndpointName).toBe("dev-ep");
    expect(r.output.steps.nb.map((x: { job_name: string }) => x.job_name)).toEqual([r.inputs["nb_0"][0].ProcessingJobName, r.inputs["nb_1"][0].ProcessingJobName]);
  });

  test("the inner condition's else is empty: on prod nothing is deployed and the run succeeds", async () => {
    const r = await run(out.definition, { tries: 3, stage: "prod" }, handlers(0.9));
    expect(r.status).toBe("SUCCEEDED");
    expect(r.started).not.toContain("ep");
  });

  test("a stage outside the list, or a low score, takes the outer else", async () => {
    for (const [input, score] of [[{ tries: 1, stage: "test" }, 0.9], [{ tries: 1 }, 0.1]] as const) {
      const r = await run(out.definition, input, handlers(score));
      expect(r.status).toBe("FAILED");
      expect([r.error, r.cause]).toEqual(["bad", "low score"]);
    }
  });

  test("a parameter without a default must be given", async () => {
    const r = await run(out.definition, {}, handlers(0.9));
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("MissingParameter");
    expect(r.started).toEqual([]);
  });
});
