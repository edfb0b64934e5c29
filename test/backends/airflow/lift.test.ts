/**
 * Lifting DAG files back to the IR (Python's ast reads them; nothing is
 * imported): our own output re-lowers to the same file, and a hand-written
 * SageMaker DAG lifts with its params, schedule, retries and edges.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import { dependencies } from "../../../src/ir/graph.js";
import { ROOT } from "../../support/python-env.js";
import { loadFixture, lowerFor } from "./support/fixtures.js";

const HERE = join(ROOT, "test", "backends", "airflow");
const withoutHash = (s: string) => s.replace(/^# IR sha256:.*$/m, "");

describe.each(["2", "3"])("our own Airflow %s output", (line) => {
  test.each(["abalone", "churn"])("%s lifts to a checked IR that lowers back to the same DAG file", async (name) => {
    const text = readFileSync(join(HERE, "golden", `${name}.af${line}.py`), "utf8");
    expect(airflow.canLift!({ file: `${name}.py`, text })).toBe(true);
    const r = airflow.lift!({ file: `${name}.py`, text });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const p = r.pipeline!;
    expect(checkPipeline(p).filter((d) => d.severity === "error")).toEqual([]);
    const again = lowerFor(p, { airflow: line }).files[0].contents;
    // A foreach is lifted unrolled: each copy is its own step, so its output folder is `<step>_<n>` instead of `<step>/<n>`.
    expect(withoutHash(again)).toBe(withoutHash(text).replace(/\/sweep\/(\d)\/model/g, "/sweep_$1/model"));
    const original = await loadFixture(name);
    expect(p.parameters.map((x) => [x.name, x.type, x.default, x.enum])).toEqual(original.parameters.map((x) => [x.name, x.type, x.default, x.enum]));
    expect(p.schedule?.cron).toBe(original.schedule?.cron);
  });
});

test("a lifted abalone has the fixture's steps, kinds and dependencies", async () => {
  const p = airflow.lift!({ file: "abalone.py", text: readFileSync(join(HERE, "golden", "abalone.af2.py"), "utf8") }).pipeline!;
  const original = await loadFixture("abalone");
  expect(p.steps.map((s) => [s.id, s.kind])).toEqual(original.steps.map((s) => [s.id, s.kind]));
  expect(dependencies(p)).toEqual(dependencies(original));
  const gate = p.steps.find((s) => s.kind === "condition")!;
  expect(gate.kind === "condition" && [gate.then, gate.else]).toEqual([["register", "model", "batch_score"], ["mse_too_high"]]);
});

describe("hand-written DAGs", () => {
  const text = readFileSync(join(HERE, "lift", "handwritten_processing.py"), "utf8");

  test("a @dag-decorated SageMaker DAG lifts with params, schedule preset, retries and chain() edges", () => {
    const r = airflow.lift!({ file: "handwritten_processing.py", text });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["lift-output-location", "lift-artifacts"]);
    const p = r.pipeline!;
    expect(p.name).toBe("sagemaker_processing_example");
    expect(p.region).toBe("eu-west-1");
    expect(p.role).toBe("arn:aws:iam::111122223333:role/SageMakerRole");
    expect(p.artifacts).toBe("s3://my-ml-bucket");
    expect(p.schedule?.cron).toBe("0 0 * * *");
    expect(p.defaults.retry).toMatchObject([{ attempts: 3, interval: 300, backoff: 1 }]);
    expect(p.defaults.tags).toEqual({ team: "ml" });
    expect(p.parameters.map((x) => [x.name, x.type, x.default, x.enum])).toEqual([
      ["instance_type", "string", "ml.m5.large", ["ml.m5.large", "ml.m5.xlarge"]],
      ["epochs", "integer", 10, undefined],
    ]);
    expect(p.steps.map((s) => [s.id, s.kind, s.depends_on])).toEqual([
      ["prepare", "processing", []],
      ["fit", "training", ["prepare"]],
    ]);
    const fit = p.steps[1];
    expect(fit.kind === "training" && fit.hyperparameters.epochs).toMatchObject({ kind: "ref", ref: { scope: "params", name: "epochs" } });
    expect(checkPipeline(p).filter((d) => d.severity === "error")).toEqual([]);
  });

  test("a task with no neutral kind is refused by name, every one at once", () => {
    const more = text.replace(
      "    chain(prepare, fit)",
      '    notify = BashOperator(task_id="notify", bash_command="echo done")\n    check = PythonOperator(task_id="check", python_callable=print)\n    chain(prepare, fit, notify)',
    );
    const r = airflow.lift!({ file: "dag.py", text: more });
    expect(r.pipeline).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.pos?.line}: ${d.message}`)).toEqual([
      "56: task 'notify': BashOperator has no neutral step kind, so the DAG cannot be lifted as a whole",
      "57: task 'check': a PythonOperator is lifted only when it fails the run with a message (raise AirflowFailException(...))",
    ]);
  });

  test("canLift accepts DAG files only", () => {
    expect(airflow.canLift!({ file: "x.yaml", text })).toBe(false);
    expect(airflow.canLift!({ file: "x.py", text: "print('hello')" })).toBe(false);
  });
});
