/** The backend's data and refusals: ids, options, capability table, pins, usage. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { PROFILES } from "../../../backends/airflow/versions.js";
import { helperModule } from "../../../backends/airflow/render.js";
import { refusals } from "../../../src/backend/refusals.js";
import { FEATURE_IDS } from "../../../src/ir/features.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { ROOT } from "../../support/python-env.js";
import { loadFixture, lowerFor } from "./support/fixtures.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { ruffWorkspace, asksForAirflow3 } from "./support/ruff.js";

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe("ids", () => {
  test("a pipeline name with characters Airflow refuses gives a sanitised DAG id and file name", async () => {
    const p = clone(await loadFixture("abalone"));
    p.name = "abalone nightly/v2";
    const r = lowerFor(p);
    expect(r.files.map((f) => f.path)).toEqual(["dags/abalone_nightly_v2.py", `dags/${helperModule("2").name}.py`, "requirements.txt"]);
    expect(r.files[0].contents).toContain('DAG_ID = "abalone_nightly_v2"');
  });

  test("a step id that is not a Python name keeps its task id and gets a derived variable", async () => {
    const p = clone(await loadFixture("abalone"));
    const fail = p.steps.find((s) => s.id === "mse_too_high")!;
    fail.id = "mse-too-high";
    for (const s of p.steps) if (s.kind === "condition") s.else = ["mse-too-high"];
    const text = lowerFor(p).files[0].contents;
    expect(text).toContain('mse_too_high_task = PythonOperator(  # noqa: AIR001\n        task_id="mse-too-high",');
    expect(text).toContain("mse_gate >> [register, model, batch_score, mse_too_high_task]");
  });
});

describe("options", () => {
  test("--airflow accepts 2 and 3 only; --check-interval whole seconds", async () => {
    const p = await loadFixture("abalone");
    expect(lowerFor(p, { airflow: "4" }).diagnostics.map((d) => d.message)).toEqual(["--airflow must be 2 or 3 (got '4')"]);
    expect(lowerFor(p, { "check-interval": "0.5" }).diagnostics.map((d) => d.message)).toEqual(["--check-interval must be whole seconds from 1 to 3600 (got '0.5')"]);
    expect(lowerFor(p, { "check-interval": "5" }).files[0].contents).toContain("check_interval=5,");
  });

  test("a step cache is reported as not applied: a warning at the step, not an error and not silence", async () => {
    const p = await loadFixture("abalone");
    const found = refusals(airflow, p);
    expect(found.map((d) => [d.severity, d.code, d.pos?.line])).toEqual([["warning", "unsupported-feature", p.steps[0].pos.line]]);
    expect(found[0].message).toContain("step 'preprocess': step result cache is not supported by Apache Airflow on Amazon MWAA");
    expect(lowerFor(p).diagnostics).toEqual([]);
  });
});

describe("capabilities", () => {
  test("every IR feature has an entry with a note", () => {
    expect(Object.keys(airflow.capabilities).sort()).toEqual([...FEATURE_IDS].sort());
    for (const c of Object.values(airflow.capabilities)) expect(c.note.length).toBeGreaterThan(10);
  });

  test("both fixtures compile with no refusal; a passthrough step from another target is refused", async () => {
    for (const f of ["abalone", "churn"]) expect(refusals(airflow, await loadFixture(f)).filter((d) => d.severity === "error")).toEqual([]);
    const p = clone(await loadFixture("abalone"));
    p.steps.push({ id: "emr", kind: "passthrough", target: "sagemaker", type: "EMR", body: {}, depends_on: [], tags: {}, environment: {}, targets: {}, pos: p.pos });
    expect(refusals(airflow, p).map((d) => d.code)).toContain("unsupported-passthrough");
  });
});

describe("requirements", () => {
  test.each(["2", "3"] as const)("every pin of the Airflow %s profile is the pin of MWAA's constraints file", (line) => {
    const profile = PROFILES[line];
    const constraints = readFileSync(join(ROOT, "backends", "airflow", "constraints", `mwaa-${profile.mwaa}.txt`), "utf8");
    const pins = new Map(constraints.split("\n").filter((l) => l.includes("==")).map((l) => l.trim().split("==") as [string, string]));
    for (const r of profile.requirements) expect(pins.get(r.name), r.name).toBe(r.version);
    expect(constraints).toContain(`constraints-${profile.airflow}/constraints-3.12.txt`);
  });
});

describe("usage", () => {
  test("counts tasks on the expected path, Lambda calls, SQS messages and report reads", async () => {
    const churn = await loadFixture("churn");
    const u = airflow.usage!(churn, lowerFor(churn).files);
    // features, 3 sweeps, pick_best, auc_gate, then-branch approve + deploy; too_weak is off the path.
    expect(u.airflowTasks).toBe(8);
    expect(u.lambdaInvocations).toBe(1);
    expect(u.sqsMessages).toBe(1);
    const abalone: Pipeline = await loadFixture("abalone");
    const a = airflow.usage!(abalone, lowerFor(abalone).files);
    expect(a.airflowTasks).toBe(7);
    expect(a.s3Requests).toBe(1);
    expect(a.notes?.[0]).toBe("7 task(s) run on the expected path; the DAG has 8 task(s)");
  });
});

describe("targets.airflow settings", () => {
  test("merge into the operator's arguments and the SageMaker request key by key; the DAG's into DAG arguments", async () => {
    const p = clone(await loadFixture("abalone"));
    const train = p.steps.find((s) => s.id === "train")!;
    train.targets.airflow = { settings: { pool: "sagemaker", config: { StoppingCondition: { MaxWaitTimeInSeconds: 7200 }, EnableNetworkIsolation: true, Note: "{{ x }}" } }, pos: train.pos };
    p.targets.airflow = { settings: { max_active_runs: 3, dagrun_timeout: null }, pos: p.pos };
    const text = lowerFor(p).files[0].contents;
    expect(text).toContain('"StoppingCondition": {\n                "MaxRuntimeInSeconds": 3600,\n                "MaxWaitTimeInSeconds": 7200,\n            },');
    // Strings merged into a templated argument stay text, like every other user string there.
    expect(text).toContain('"EnableNetworkIsolation": True,\n            "Note": literal("{{ x }}"),\n        },');
    expect(text).toContain('pool="sagemaker",\n    )');
    expect(text).toContain("max_active_runs=3,");
    expect(text).toContain("dagrun_timeout=None,");
  });

  test("a setting that is not an argument name, or that would change an id, is an error", async () => {
    const p = clone(await loadFixture("abalone"));
    p.targets.airflow = { settings: { dag_id: "other", "bad-key": 1 }, pos: p.pos };
    expect(lowerFor(p).diagnostics.map((d) => d.message)).toEqual(["airflow setting 'dag_id' is not a DAG argument name", "airflow setting 'bad-key' is not a DAG argument name"]);
  });
});

describe("imports", () => {
  test("only what the code calls: no timetable for a fixed rate, no module a user's text merely names", () => {
    const r = loadYamlText(
      `version: 1
pipeline: imports
region: us-east-1
artifacts: s3://bucket-demo/imports
schedule: { every: 1h }
steps:
  stop: { type: fail, message: "see operator.getitem, time.sleep(1) and json.dumps" }
`,
      "imports.yaml",
    );
    for (const line of ["2", "3"]) {
      const dag = lowerFor(r.pipeline!, { airflow: line }).files.find((f) => f.kind === "dag")!.contents;
      expect(dag).toContain("schedule=datetime.timedelta(seconds=3600)");
      expect(dag).toContain('"see operator.getitem, time.sleep(1) and json.dumps"');
      expect(dag.split("\n").filter((l) => l.startsWith("import "))).toEqual(["import datetime"]);
      expect(dag).not.toContain("CronTriggerTimetable");
    }
  });
});

describe("failure handlers", () => {
  test("the DAG that waits for a failure is lint-clean on both Airflow lines, step ids with '-' included", () => {
    const r = loadYamlText(
      `version: 1
pipeline: handlers
region: us-east-1
artifacts: s3://bucket-demo/handlers
steps:
  first: { type: lambda, function: "arn:aws:lambda:us-east-1:111122223333:function:f" }
  work: { type: lambda, depends_on: [first], function: "arn:aws:lambda:us-east-1:111122223333:function:f", on_failure: [stop] }
  other: { type: lambda, function: "arn:aws:lambda:us-east-1:111122223333:function:f", on_failure: [stop] }
  stop: { type: fail, message: failed }
  with-dash: { type: lambda, depends_on: [first], function: "arn:aws:lambda:us-east-1:111122223333:function:f", on_failure: [stop-too] }
  stop-too: { type: fail, message: failed }
`,
      "handlers.yaml",
    );
    const ruff = ruffWorkspace();
    for (const line of ["2", "3"]) {
      const files = lowerFor(r.pipeline!, { airflow: line }).files;
      const dag = files.find((f) => f.kind === "dag")!.contents;
      const helpers = files.find((f) => f.kind === "helpers")!;
      expect(dag).toContain(`from ${helperModule(line as "2" | "3").name} import sy_failed\n`);
      expect(helpers.contents).toContain(line === "3" ? "def sy_failed(ti, run_id, task_ids):" : "def sy_failed(ti, task_ids):");
      for (const text of [dag, helpers.contents]) {
        // Airflow 2 DAGs keep the Airflow 2 imports that ruff's Airflow 3 rules flag.
        const findings = ruff.check(text).filter((d) => !(line === "2" && asksForAirflow3(d)));
        expect(findings.map((d) => `${d.start_location.row} ${d.code} ${d.message}`)).toEqual([]);
      }
    }
  });
});
