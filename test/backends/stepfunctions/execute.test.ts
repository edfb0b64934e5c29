/**
 * The fixtures' state machines executed in aws-local-stepfunctions, every Task
 * answered locally with the response shape of the real service.
 */
import { describe, expect, test } from "vitest";
import { ancestors, dependencies } from "../../../src/ir/graph.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { approve, lambdaInvoke, s3GetObject, sagemaker } from "./services.js";
import { awsError, fixture, lower, run, type Handler, type RunOutcome } from "./support.js";

/** Every step whose tasks ran started only after every task of every ancestor had finished. */
function expectPrecedence(p: Pipeline, out: { started: string[]; log: string[] }): void {
  const anc = ancestors(dependencies(p));
  const mine = (id: string, n: string) => n === id || n.startsWith(`${id}.`);
  let checked = 0;
  for (const s of p.steps) {
    const firstStart = out.log.findIndex((e) => e.startsWith("start:") && mine(s.id, e.slice(6)));
    if (firstStart < 0) continue;
    for (const a of anc.get(s.id)!) {
      const ends = out.log.map((e, i) => [e, i] as const).filter(([e]) => e.startsWith("end:") && mine(a, e.slice(4)));
      const starts = out.log.filter((e) => e.startsWith("start:") && mine(a, e.slice(6)));
      expect(ends.length).toBe(starts.length);
      for (const [e, i] of ends) {
        expect(i, `${e} before start of ${s.id}`).toBeLessThan(firstStart);
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(0);
}

/** Wrap handlers so one log holds starts and ends in real order. */
function logged(handlers: Record<string, Handler>): { handlers: Record<string, Handler>; log: string[] } {
  const log: string[] = [];
  const out: Record<string, Handler> = {};
  for (const [k, h] of Object.entries(handlers)) {
    out[k] = async (i) => {
      log.push(`start:${k}`);
      await new Promise((r) => setTimeout(r, 1));
      try {
        return await h(i);
      } finally {
        log.push(`end:${k}`);
      }
    };
  }
  return { handlers: out, log };
}

async function runLogged(def: unknown, input: unknown, handlers: Record<string, Handler>, exec?: string) {
  const l = logged(handlers);
  const out = await run(def, input, l.handlers, exec);
  return Object.assign(out, { log: l.log });
}

const abaloneHandlers = (mse: number, extra: Record<string, Handler> = {}, exec = "exec-1"): Record<string, Handler> => ({
  preprocess: sagemaker.processing(),
  train: sagemaker.training(),
  evaluate: sagemaker.processing(),
  "evaluate.read.metrics": s3GetObject({
    [`example-ml-artifacts/abalone/${exec}/evaluate/evaluation/evaluation.json`]: JSON.stringify({ regression_metrics: { mse: { value: mse, standard_deviation: 0.1 } } }),
  }),
  register: sagemaker.createModelPackage(),
  model: sagemaker.createModel(),
  batch_score: sagemaker.transform(),
  ...extra,
});

describe("abalone in aws-local-stepfunctions", async () => {
  const p = await fixture("abalone", { dropCache: true });
  const { definition } = lower(p);

  test("MSE under the threshold: register, model and batch_score run after the gate, in dependency order", async () => {
    const out = await runLogged(definition, {}, abaloneHandlers(4.2));
    expect(out.status).toBe("SUCCEEDED");
    expect([...out.started].sort()).toEqual(["batch_score", "evaluate", "evaluate.read.metrics", "model", "preprocess", "register", "train"]);
    expectPrecedence(p, out);
    // Data reached the jobs: the model artifact of train, the report from evaluate's output.
    expect(out.inputs.model[0].PrimaryContainer.ModelDataUrl).toBe("s3://example-ml-artifacts/abalone/exec-1/train/model/" + out.inputs.train[0].TrainingJobName + "/output/model.tar.gz");
    expect(out.inputs.batch_score[0].ModelName).toBe(out.inputs.model[0].ModelName);
    expect(out.inputs.register[0].ModelApprovalStatus).toBe("PendingManualApproval");
    expect(out.inputs.register[0].ModelMetrics.ModelQuality.Statistics.S3Uri).toBe("s3://example-ml-artifacts/abalone/exec-1/evaluate/evaluation/evaluation.json");
    expect(out.inputs.preprocess[0].AppSpecification.ContainerArguments).toEqual(["--input-data", "s3://example-ml-data/abalone/abalone-dataset.csv"]);
    expect(out.output.steps.register.arn).toBe("arn:aws:sagemaker:us-east-1:111122223333:model-package/abalone-models/1");
  });

  test("MSE above the threshold: the else branch fails the execution with the formatted message", async () => {
    const out = await runLogged(definition, {}, abaloneHandlers(9.9));
    expect(out.status).toBe("FAILED");
    expect(out.error).toBe("mse_too_high");
    expect(out.cause).toBe("MSE 9.9 is above 6");
    expect(out.started).not.toContain("register");
    expect(out.started).not.toContain("batch_score");
  });

  test("execution input overrides parameter defaults", async () => {
    const out = await runLogged(definition, { mse_threshold: 10, model_approval_status: "Approved", training_instance_type: "ml.c5.2xlarge" }, abaloneHandlers(9.9));
    expect(out.status).toBe("SUCCEEDED");
    expect(out.inputs.register[0].ModelApprovalStatus).toBe("Approved");
    expect(out.inputs.train[0].ResourceConfig.InstanceType).toBe("ml.c5.2xlarge");
    expect(out.inputs.preprocess[0].ProcessingResources.ClusterConfig.InstanceType).toBe("ml.m5.xlarge");
  });

  test("a value outside a parameter's enum, or of the wrong type, fails before any job starts", async () => {
    for (const input of [{ model_approval_status: "Maybe" }, { mse_threshold: "ten" }, { input_data: 3 }]) {
      const out = await runLogged(definition, input, abaloneHandlers(1));
      expect([out.status, out.error]).toEqual(["FAILED", "InvalidParameter"]);
      expect(out.started).toEqual([]);
    }
  });

  test("a failed training attempt is retried (3 attempts in all), then the execution fails", async () => {
    let calls = 0;
    const flaky = await runLogged(definition, {}, abaloneHandlers(1, {
      train: (i) => {
        if (calls++ === 0) throw awsError("SageMaker.AmazonSageMakerException", "ThrottlingException: Rate exceeded");
        return sagemaker.training()(i);
      },
    }));
    expect(flaky.status).toBe("SUCCEEDED");
    expect(flaky.inputs.train).toHaveLength(2);

    let attempts = 0;
    const broken = await runLogged(definition, {}, abaloneHandlers(1, {
      train: () => {
        attempts++;
        throw awsError("States.TaskFailed", "AlgorithmError: training failed");
      },
    }));
    expect(broken.status).toBe("FAILED");
    expect(broken.error).toBe("States.TaskFailed");
    expect(attempts).toBe(3);
    expect(broken.started).not.toContain("evaluate");
  });

  test("job names are unique per execution, valid and at most 63 characters even for long execution names", async () => {
    const long = "x_".repeat(40);
    const a = await runLogged(definition, {}, abaloneHandlers(1, {}, long), long);
    const b = await runLogged(definition, {}, abaloneHandlers(1, {}, "another"), "another");
    expect([a.status, b.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    for (const out of [a, b]) for (const k of ["preprocess", "train", "evaluate", "batch_score"]) {
      const i = out.inputs[k][0];
      const name = i.ProcessingJobName ?? i.TrainingJobName ?? i.TransformJobName;
      expect(name).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/);
      expect(name.length).toBeLessThanOrEqual(63);
    }
    expect(a.inputs.train[0].TrainingJobName).not.toBe(b.inputs.train[0].TrainingJobName);
    expect(a.inputs.train[0].TrainingJobName).not.toBe(a.inputs.preprocess[0].ProcessingJobName);
  });
});

const churnHandlers = (auc: number, extra: Record<string, Handler> = {}, seen: any[] = []): Record<string, Handler> => ({
  features: sagemaker.processing(),
  "sweep_0": sagemaker.training(),
  "sweep_1": sagemaker.training(),
  "sweep_2": sagemaker.training(),
  pick_best: lambdaInvoke((payload) => ({ best_model: payload.models[1], best_auc: auc })),
  approve: approve({ approved: true }, seen),
  "deploy.model": sagemaker.createModel(),
  "deploy.config": sagemaker.createEndpointConfig(),
  deploy: sagemaker.createEndpoint(),
  "deploy.update": sagemaker.createEndpoint(),
  "deploy.status": sagemaker.describeEndpoint(["Creating", "Creating", "InService"]),
  ...extra,
});

describe("churn in aws-local-stepfunctions", async () => {
  const p = await fixture("churn");
  const { definition } = lower(p);

  test("sweep copies run in parallel, pick_best gets their models in item order, approval then rollout", async () => {
    const seen: any[] = [];
    const out = await runLogged(definition, {}, churnHandlers(0.9, {}, seen));
    expect(out.status).toBe("SUCCEEDED");
    expectPrecedence(p, out);
    const models = out.inputs.pick_best[0].Payload.models;
    expect(models).toEqual([0, 1, 2].map((i) => `s3://example-churn-artifacts/pipelines/exec-1/sweep/${i}/model/${out.inputs[`sweep_${i}`][0].TrainingJobName}/output/model.tar.gz`));
    expect(out.inputs.pick_best[0].Payload.training_jobs).toEqual([0, 1, 2].map((i) => out.inputs[`sweep_${i}`][0].TrainingJobName));
    expect([0, 1, 2].map((i) => out.inputs[`sweep_${i}`][0].HyperParameters)).toEqual([
      { objective: "binary:logistic", eval_metric: "auc", num_round: "200", max_depth: "4", eta: "0.3" },
      { objective: "binary:logistic", eval_metric: "auc", num_round: "200", max_depth: "6", eta: "0.2" },
      { objective: "binary:logistic", eval_metric: "auc", num_round: "200", max_depth: "8", eta: "0.1" },
    ]);
    // The approver gets the token and the message.
    expect(seen[0].MessageBody.message).toEqual({ model: models[1], auc: 0.9 });
    expect(typeof seen[0].MessageBody.token).toBe("string");
    expect(out.inputs["deploy.model"][0].PrimaryContainer.ModelDataUrl).toBe(models[1]);
    // Three polls: Creating, Creating, InService.
    expect(out.inputs["deploy.status"]).toHaveLength(3);
    expect(out.output.steps.deploy).toEqual({ name: "churn-prod", arn: "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/churn-prod" });
    expect(out.started).not.toContain("deploy.update");
  });

  test("an existing endpoint is updated instead of created", async () => {
    const out = await runLogged(definition, {}, churnHandlers(0.9, {
      deploy: () => {
        throw awsError("SageMaker.AmazonSageMakerException", "Cannot create already existing endpoint");
      },
    }));
    expect(out.status).toBe("SUCCEEDED");
    expect(out.inputs["deploy.update"]).toHaveLength(1);
  });

  test("an endpoint that fails to roll out fails the execution", async () => {
    const out = await runLogged(definition, {}, churnHandlers(0.9, { "deploy.status": sagemaker.describeEndpoint(["Creating", "Failed"]) }));
    expect(out.status).toBe("FAILED");
    expect(out.error).toBe("EndpointFailed");
  });

  test("an endpoint still not InService at its bound fails with States.Timeout", async () => {
    const out = await runLogged(definition, {}, churnHandlers(0.9, { "deploy.status": sagemaker.describeEndpoint(["Creating"]) }));
    expect(out.status).toBe("FAILED");
    expect(out.error).toBe("States.Timeout");
    // defaults.timeout is 3h: 360 polls of 30 s.
    expect(out.inputs["deploy.status"]).toHaveLength(360);
  });

  test("AUC below the minimum takes the else branch: no approval, too_weak fails the run", async () => {
    const out = await runLogged(definition, {}, churnHandlers(0.5));
    expect(out.status).toBe("FAILED");
    expect(out.error).toBe("too_weak");
    expect(out.cause).toBe("Best AUC 0.5 is below 0.82");
    expect(out.started).not.toContain("approve");
  });

  test("features retries only capacity and throttling errors", async () => {
    let n = 0;
    const out = await runLogged(definition, {}, churnHandlers(0.9, {
      features: (i) => {
        if (n++ < 2) throw awsError("SageMaker.ResourceLimitExceededException");
        return sagemaker.processing()(i);
      },
    }));
    expect(out.status).toBe("SUCCEEDED");
    expect(out.inputs.features).toHaveLength(3);
    const failed = await runLogged(definition, {}, churnHandlers(0.9, {
      features: () => {
        throw awsError("States.TaskFailed", "ClientError: bad script");
      },
    }));
    expect(failed.status).toBe("FAILED");
    expect(failed.inputs.features).toHaveLength(1);
  });
});
