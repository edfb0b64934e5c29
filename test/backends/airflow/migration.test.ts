/**
 * The constructs migration added (fixed-rate schedule, retry max delay, failure
 * handlers, wait, Glue and EMR steps, the portable job request fields), as the
 * Airflow backend lowers them: real Airflow imports the DAG with the expected
 * operators, trigger rules and edges, dag.test() shows a failure handler run
 * and the run end failed, and the DAG lifts back to the same file.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { loadPipelineFile } from "../../../src/frontends/load.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { ROOT } from "../../support/python-env.js";
import { startMoto, type Moto } from "../../support/moto.js";
import { motoEnv, startAirflow, type Airflow } from "./support/airflow.js";
import { lowerFor, withoutHash } from "./support/fixtures.js";

const FILE = join(ROOT, "test", "backends", "airflow", "pipelines", "migration.yaml");

async function load(): Promise<Pipeline> {
  const r = await loadPipelineFile(FILE);
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

test("the capability table lets every construct through, and refuses several retry rules naming the step", async () => {
  const p = await load();
  expect(refusals(airflow, p).filter((d) => d.severity === "error")).toEqual([]);
  const etl = p.steps.find((s) => s.id === "etl")!;
  etl.retry = [
    { attempts: 3, interval: 10, backoff: 1, on: ["throttling"], pos: etl.pos },
    { attempts: 2, interval: 60, backoff: 1, on: ["any"], pos: etl.pos },
  ];
  const errors = refusals(airflow, p).filter((d) => d.severity === "error");
  expect(errors.map((d) => d.message).join("\n")).toMatch(/etl/);
  expect(errors.map((d) => d.message).join("\n")).toMatch(/one retry policy/);
});

describe.each(["2", "3"] as const)("Airflow %s", (line) => {
  test("the DAG lifts back to a pipeline that lowers to the same file", async () => {
    const text = lowerFor(await load(), { airflow: line }).files[0].contents;
    const r = airflow.lift!({ file: "migration.py", text });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // Every output has its own destination, so only the artifacts prefix is a guess (a bucket).
    expect(r.diagnostics.map((d) => d.code)).toEqual(["lift-artifacts"]);
    expect(withoutHash(lowerFor(r.pipeline!, { airflow: line }).files[0].contents)).toBe(withoutHash(text));
    const lifted = r.pipeline!;
    expect(lifted.schedule?.every).toBe(21600);
    expect(lifted.steps.find((s) => s.id === "spark")!.on_failure?.[0].steps).toEqual(["cleanup", "give_up"]);
    // The task that fails the run after 'alert' is the pipeline's own ending (lowering adds it again), not a step.
    expect(lifted.steps.find((s) => s.id === "etl")!.on_failure?.[0].steps).toEqual(["alert"]);
    expect(lifted.steps.map((s) => s.id)).not.toContain("etl_failed");
  });

  describe("in real Airflow", () => {
    let af: Airflow;
    let moto: Moto;
    beforeAll(async () => {
      af = startAirflow(line);
      moto = await startMoto("moto", { MOTO_ACCOUNT_ID: "111122223333" });
      mkdirSync(join(af.home, "dags"), { recursive: true });
      writeFileSync(join(af.home, "dags", "migration.py"), lowerFor(await load(), { airflow: line }).files[0].contents);
      // The run copy retries nothing (dag.test() would wait out each retry delay) and polls every second.
      const quick = await load();
      delete quick.defaults.retry;
      mkdirSync(join(af.home, "run"), { recursive: true });
      writeFileSync(join(af.home, "run", "migration.py"), lowerFor(quick, { airflow: line, "check-interval": "1" }).files[0].contents);
    });
    afterAll(async () => {
      await moto?.stop();
      af?.dispose();
    });

    test("DagBag imports it with the operators, trigger rules and edges of each construct", () => {
      const r = af.check(["inspect", join(af.home, "dags")]);
      expect(r.import_errors).toEqual({});
      const t = r.dags["migration-airflow"].tasks;
      const view = Object.fromEntries(Object.entries(t as Record<string, { operator: string; trigger_rule: string; upstream: string[] }>).map(([id, x]) => [id, [x.operator, x.trigger_rule, x.upstream]]));
      expect(view).toEqual({
        etl: ["GlueJobOperator", "all_success", []],
        alert: ["LambdaInvokeFunctionOperator", "one_failed", ["etl"]],
        etl_failed: ["PythonOperator", "all_success", ["alert"]],
        pause: ["PythonOperator", "all_success", ["etl"]],
        spark: ["EmrAddStepsOperator", "all_success", ["pause"]],
        // spark's handlers must not run when spark never ran (one_failed would): a check task lets them go on only if it failed.
        spark_failed_check: ["PythonOperator", "all_done", ["spark"]],
        cleanup: ["LambdaInvokeFunctionOperator", "all_success", ["spark_failed_check"]],
        give_up: ["PythonOperator", "all_success", ["cleanup"]],
        prep: ["SageMakerProcessingOperator", "all_success", ["spark"]],
        fit: ["SageMakerTrainingOperator", "all_success", ["prep"]],
      });
    });

    test("dag.test(): the Glue job fails (no such job), its handler runs, the run ends failed; the normal path and spark's handlers never run", () => {
      const spec = join(af.home, "spec.json");
      writeFileSync(spec, JSON.stringify({ line, region: "eu-west-1", endpoint: moto.url, logical_date: "2025-01-06T00:00:00+00:00", conf: { pause_seconds: 0 } }));
      const r = af.check(["run", join(af.home, "run", "migration.py"), spec], motoEnv(moto.url, "eu-west-1"));
      expect(r.state).toBe("failed");
      expect(r.tasks.etl).toBe("failed");
      // etl has no upstream task, so one_failed alone is exact for it; the alert Lambda ran (and failed: moto has no such function).
      expect(r.tasks.alert).toBe("failed");
      expect(r.tasks.etl_failed).toBe("upstream_failed");
      // spark never ran: its check skips its handlers.
      expect(r.tasks.spark).toBe("upstream_failed");
      expect(r.tasks.spark_failed_check).toBe("skipped");
      expect(r.tasks.give_up).toBe("skipped");
      expect(r.tasks.pause).toBe("upstream_failed");
      expect(r.tasks.cleanup).toBe("skipped");
      expect(r.tasks.prep).toBe("upstream_failed");
    });
  });
});
