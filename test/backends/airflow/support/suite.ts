/**
 * The generated DAGs in real Airflow with the Amazon provider at MWAA's pins:
 * DagBag imports them, their graph orders the tasks as the IR does, and dag.test() runs each
 * fixture end to end against moto, every condition both ways. Shared by the
 * Airflow 2 and Airflow 3 test files.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Pipeline } from "../../../../src/ir/types.js";
import { loadYamlText } from "../../../../src/frontends/load.js";
import { ROOT } from "../../../support/python-env.js";
import { startMoto, type Moto } from "../../../support/moto.js";
import { motoEnv, startAirflow, type Airflow } from "./airflow.js";
import { ancestorsOf, dagText, expectedGraph, expectedOrder, loadFixture, writeDagFolder } from "./fixtures.js";

/** A dag.test() run starts Airflow and polls moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

export function airflowSuite(line: "2" | "3"): void {
  let af: Airflow;
  let moto: Moto;
  const pipelines: Record<string, Pipeline> = {};

  beforeAll(async () => {
    af = startAirflow(line);
    moto = await startMoto("moto", { MOTO_ACCOUNT_ID: "111122223333" });
    mkdirSync(join(af.home, "dags"), { recursive: true });
    mkdirSync(join(af.home, "run"), { recursive: true });
    for (const name of ["abalone", "churn"]) {
      const p = await loadFixture(name);
      pipelines[name] = p;
      writeDagFolder(join(af.home, "dags"), p, { airflow: line });
      // The run copies poll moto every second instead of every minute.
      writeFileSync(join(af.home, "run", `${p.name}.py`), dagText(p, { airflow: line, "check-interval": "1" }));
    }
    // Task groups three deep, in a folder of their own.
    const nested = join(ROOT, "test", "backends", "airflow", "pipelines", "nested-branches.yaml");
    writeDagFolder(join(af.home, "nested"), loadYamlText(readFileSync(nested, "utf8"), nested).pipeline!, { airflow: line });
  });

  afterAll(async () => {
    await moto?.stop();
    af?.dispose();
  });

  describe(`Airflow ${line} DagBag`, () => {
    test("imports every fixture's DAG with no import errors, with the IR's tasks and dependencies", () => {
      // As compiled: the helper module beside the DAGs, found through the DAGs folder alone.
      const r = af.check(["inspect", join(af.home, "dags")], { PYTHONPATH: "" });
      expect(r.import_errors).toEqual({});
      for (const p of Object.values(pipelines)) {
        const dag = r.dags[p.name];
        expect(dag, p.name).toBeDefined();
        const graph = Object.fromEntries(Object.entries(dag.tasks as Record<string, { upstream: string[] }>).map(([id, t]) => [id, t.upstream]));
        expect(graph).toEqual(expectedGraph(p, line));
        // Edges another path enforces are not written; every ordering the IR has still holds.
        expect(ancestorsOf(graph)).toEqual(expectedOrder(p));
        expect(dag.params).toEqual(p.parameters.map((x) => x.name).sort());
        expect(dag.catchup).toBe(false);
      }
    });

    test("branch members wait for their condition; fail and condition tasks never retry", () => {
      const r = af.check(["inspect", join(af.home, "dags")]);
      const abalone = r.dags.abalone.tasks;
      expect(abalone.mse_gate.operator).toBe("BranchPythonOperator");
      expect(abalone.mse_too_high.retries).toBe(0);
      expect(abalone.train.retries).toBe(2); // attempts: 3
      const churn = r.dags["churn-nightly"].tasks;
      expect(churn.features.retries).toBe(4); // attempts: 5
      expect(churn.approve.operator).toBe("PythonSensor");
      expect(churn.pick_best.operator).toBe("LambdaInvokeFunctionOperator");
    });

    test("a foreach step's copies, and a condition branch of two or more steps, are each a task group; task ids are unchanged", () => {
      const r = af.check(["inspect", join(af.home, "dags")]);
      const grouped = (dag: string) => Object.entries(r.dags[dag].tasks as Record<string, { group: string | null }>).filter(([, t]) => t.group !== null).map(([id, t]) => [id, t.group]);
      expect(grouped("churn-nightly")).toEqual([
        ["approve", "auc_gate_then"],
        ["deploy", "auc_gate_then"],
        ["sweep_0", "sweep"],
        ["sweep_1", "sweep"],
        ["sweep_2", "sweep"],
      ]);
      // The else branch has one step: no group.
      expect(grouped("abalone")).toEqual([
        ["batch_score", "mse_gate_then"],
        ["model", "mse_gate_then"],
        ["register", "mse_gate_then"],
      ]);
    });

    test("a branch inside a branch is a group inside the outer one's, and copies in it a group inside that", () => {
      const r = af.check(["inspect", join(af.home, "nested")], { PYTHONPATH: "" });
      expect(r.import_errors).toEqual({});
      const tasks = r.dags.nested.tasks as Record<string, { group: string | null }>;
      // Each task's innermost group (None: the DAG's own).
      expect(Object.fromEntries(Object.entries(tasks).map(([id, t]) => [id, t.group]))).toEqual({
        first: null,
        outer: null,
        a: "outer_then",
        inner: "outer_then",
        b: "inner_then",
        c_0: "c",
        c_1: "c",
        x: "outer_then",
        d: "outer_then",
        e: null,
      });
      expect(r.dags.nested.groups).toEqual({ c: "inner_then", inner_then: "outer_then", outer_then: null });
    });
  });

  async function seedLambda(result: Record<string, unknown>) {
    await fetch(`${moto.url}/moto-api/config`, { method: "POST", body: JSON.stringify({ lambda: { use_docker: false } }) });
    await fetch(`${moto.url}/moto-api/static/lambda-simple/response`, {
      method: "POST",
      body: JSON.stringify({ account_id: "111122223333", region: "eu-west-1", results: [JSON.stringify(result)] }),
    });
  }

  function run(p: Pipeline, spec: Record<string, unknown>) {
    const file = join(af.home, `spec-${p.name}.json`);
    writeFileSync(file, JSON.stringify({ endpoint: moto.url, region: p.region, line, ...spec }));
    return af.check(["run", join(af.home, "run", `${p.name}.py`), file], motoEnv(moto.url, p.region));
  }

  describe(`Airflow ${line} dag.test() against moto`, () => {
    const abaloneObjects = (runId: string, mse: number) => {
      const a = `s3://example-ml-artifacts/abalone/${runId}`;
      return [
        { uri: "s3://example-ml-data/abalone/abalone-dataset.csv", body: "1,2,3" },
        { uri: "s3://example-ml-data/abalone/batch/part-0.csv", body: "1,2,3" },
        // SageMaker checks that training and transform inputs exist; moto's jobs write nothing.
        { uri: `${a}/preprocess/train/train.csv`, body: "1,2" },
        { uri: `${a}/preprocess/validation/validation.csv`, body: "1,2" },
        { uri: `${a}/preprocess/test/test.csv`, body: "1,2" },
        { uri: `${a}/evaluate/evaluation/evaluation.json`, body: JSON.stringify({ regression_metrics: { mse: { value: mse } } }) },
      ];
    };

    test("abalone: MSE under the threshold registers, creates the model and batch-scores", async () => {
      await moto.reset();
      const runId = "manual__2026-01-05T06:00:00+00:00";
      const r = run(pipelines.abalone, { logical_date: "2026-01-05T06:00:00+00:00", objects: abaloneObjects(runId, 4.5), package_groups: ["abalone-models"] });
      expect(r.run_id).toBe(runId);
      expect(r.state).toBe("success");
      expect(r.tasks).toEqual({
        preprocess: "success",
        train: "success",
        evaluate: "success",
        mse_gate: "success",
        register: "success",
        model: "success",
        batch_score: "success",
        mse_too_high: "skipped",
      });
      expect(r.jobs.model_packages).toBe(1);
      expect(r.jobs.transform).toHaveLength(1);
      // Each step found its inputs where the producer was told to write, without asking it.
      const train = r.requests[r.jobs.training[0]];
      expect(train.inputs.train).toBe(`s3://example-ml-artifacts/abalone/${runId}/preprocess/train`);
      const evaluate = r.requests[r.jobs.processing.find((n: string) => n.startsWith("evaluate-"))];
      expect(evaluate.inputs.model).toBe(`s3://example-ml-artifacts/abalone/${runId}/train/model/${r.jobs.training[0]}/output/model.tar.gz`);
      const preprocess = r.requests[r.jobs.processing.find((n: string) => n.startsWith("preprocess-"))];
      expect(preprocess.arguments).toEqual(["--input-data", "s3://example-ml-data/abalone/abalone-dataset.csv"]);
      for (const name of [...r.jobs.processing, ...r.jobs.training, ...r.jobs.transform, ...r.jobs.models]) {
        expect(name).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
      }
    }, DAG_RUN_TIMEOUT);

    test("abalone: MSE over the threshold fails the run at mse_too_high and skips the registration branch", async () => {
      await moto.reset();
      const runId = "manual__2026-01-12T06:00:00+00:00";
      const r = run(pipelines.abalone, { logical_date: "2026-01-12T06:00:00+00:00", objects: abaloneObjects(runId, 9.25), package_groups: [] });
      expect(r.state).toBe("failed");
      expect(r.tasks.mse_too_high).toBe("failed");
      for (const t of ["register", "model", "batch_score"]) expect(r.tasks[t]).toBe("skipped");
      expect(r.jobs.transform).toEqual([]);
    }, DAG_RUN_TIMEOUT);

    const churnObjects = (runId: string) => {
      const a = `s3://example-churn-artifacts/pipelines/${runId}`;
      return [
        { uri: "s3://example-churn-data/raw/part-0.csv", body: "1,2" },
        { uri: `${a}/features/train/train.csv`, body: "1,2" },
        { uri: `${a}/features/validation/validation.csv`, body: "1,2" },
      ];
    };

    test("churn: three sweep jobs in item order, the Lambda pick, an SQS approval answered by an approver, then the endpoint", async () => {
      await moto.reset();
      await seedLambda({ best_model: "s3://example-churn-artifacts/models/best.tar.gz", best_auc: 0.91 });
      const runId = "manual__2026-01-06T02:30:00+00:00";
      const r = run(pipelines.churn, {
        logical_date: "2026-01-06T02:30:00+00:00",
        objects: churnObjects(runId),
        queues: ["churn-approvals"],
        endpoints: ["churn-prod"],
        approver: { queue: "churn-approvals", decision: { approved: true, outputs: {} } },
      });
      expect(r.state).toBe("success");
      expect(r.tasks).toEqual({
        features: "success",
        "sweep_0": "success",
        "sweep_1": "success",
        "sweep_2": "success",
        pick_best: "success",
        auc_gate: "success",
        approve: "success",
        deploy: "success",
        too_weak: "skipped",
      });
      expect(r.jobs.endpoints).toEqual(["churn-prod"]);
      // Item order: sweep_<n> ran with the n-th item's hyperparameters.
      const depth = (prefix: string) => r.requests[r.jobs.training.find((n: string) => n.startsWith(prefix))].hyperparameters.max_depth;
      expect([depth("sweep-0-"), depth("sweep-1-"), depth("sweep-2-")]).toEqual(["4", "6", "8"]);
      // The approver got one request carrying the message values read from the Lambda result.
      expect(r.jobs.requests_seen_by_approver).toHaveLength(1);
      const req = r.jobs.requests_seen_by_approver[0];
      expect(req.message).toEqual({ model: "s3://example-churn-artifacts/models/best.tar.gz", auc: 0.91 });
      expect(req.decision_uri).toBe(`s3://example-churn-artifacts/pipelines/${runId}/approve/approval/decision.json`);
    }, DAG_RUN_TIMEOUT);

    test("churn: an AUC under min_auc fails the run at too_weak; approval and deployment are skipped", async () => {
      await moto.reset();
      await seedLambda({ best_model: "s3://example-churn-artifacts/models/best.tar.gz", best_auc: 0.5 });
      const runId = "manual__2026-01-07T02:30:00+00:00";
      const r = run(pipelines.churn, { logical_date: "2026-01-07T02:30:00+00:00", objects: churnObjects(runId), queues: ["churn-approvals"], endpoints: ["churn-prod"] });
      expect(r.state).toBe("failed");
      expect(r.tasks.too_weak).toBe("failed");
      expect(r.tasks.approve).toBe("skipped");
      expect(r.tasks.deploy).toBe("skipped");
      expect(r.jobs.endpoints).toEqual([]);
    }, DAG_RUN_TIMEOUT);
  });
}
