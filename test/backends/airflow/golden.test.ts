/**
 * The fixtures' DAG files against hand-checked golden files, and ruff (in
 * Node, via WebAssembly) finds nothing in them: E, F and the Airflow rules
 * (for the Airflow 2 profile the Airflow-3 migration rules are left out, since
 * they ask for Airflow 3 imports), and `ruff format` leaves them unchanged.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ruffWorkspace, asksForAirflow3, expectLintClean as lintClean } from "./support/ruff.js";
import { describe, expect, test } from "vitest";
import { ROOT } from "../../support/python-env.js";
import { loadFixture, lowerFor } from "./support/fixtures.js";
import { HELPERS } from "../../../backends/airflow/helper-module.js";
import { loadYamlText } from "../../../src/frontends/load.js";

const GOLDEN = join(ROOT, "test", "backends", "airflow", "golden");
const ruff = ruffWorkspace();

const expectLintClean = (text: string, line: string) => lintClean(ruff, text, line);

describe.each(["2", "3"])("Airflow %s profile", (line) => {
  test.each(["abalone", "churn"])("%s: DAG file equals the golden file, lints clean and is formatted", async (name) => {
    const p = await loadFixture(name);
    const r = lowerFor(p, { airflow: line });
    const dag = r.files.find((f) => f.kind === "dag")!;
    expect(dag.path).toBe(`dags/${p.name}.py`);
    expect(dag.contents).toBe(readFileSync(join(GOLDEN, `${name}.af${line}.py`), "utf8"));
    expectLintClean(dag.contents, line);
    expect(dag.contents).toMatch(/^[\x0a\x20-\x7e]*$/);
  });

  test("the helper module equals the golden file, lints clean, is formatted, and is named by its digest", async () => {
    const [a, c] = await Promise.all(["abalone", "churn"].map(async (n) => lowerFor(await loadFixture(n), { airflow: line }).files.find((f) => f.kind === "helpers")!));
    // One module for every DAG of a line.
    expect(c).toEqual(a);
    expect(a.contents).toBe(readFileSync(join(GOLDEN, `switchyard_helpers.af${line}.py`), "utf8"));
    expect(a.path).toBe(`dags/switchyard_helpers_${createHash("sha256").update(a.contents).digest("hex").slice(0, 8)}.py`);
    expectLintClean(a.contents, line);
    // What it defines is what the table says a DAG may import from it.
    const defined = [...a.contents.matchAll(/^(?:def|class) ([A-Za-z_][A-Za-z0-9_]*)/gm)].map((m) => m[1]).sort();
    expect(defined).toEqual(Object.keys(HELPERS).sort());
    // Nothing in it belongs to one DAG.
    expect(a.contents).not.toMatch(/\b(DAG_ID|REGION)\b/);
  });

  test("a DAG imports only the helpers it calls, and binds those that need its id or Region", async () => {
    const r = lowerFor(await loadFixture("abalone"), { airflow: line });
    const dag = r.files.find((f) => f.kind === "dag")!.contents;
    const module = r.files.find((f) => f.kind === "helpers")!.path.slice("dags/".length, -".py".length);
    expect(dag).toContain(`from ${module} import (\n    SyRegisterModelVersionOperator,\n    sy_cat,\n    sy_get,\n    sy_job_name,\n    sy_report,\n    sy_xcom,\n)\n`);
    expect(dag).toContain('REGION = "us-east-1"\n\nsy_job_name = partial(sy_job_name, dag_id=DAG_ID)\nsy_report = partial(sy_report, region=REGION)\n');
    expect(dag).not.toMatch(/^def sy_/m);
    // A pipeline that calls no helper gets no module.
    const plain = loadYamlText("version: 1\npipeline: plain\nregion: us-east-1\nartifacts: s3://bucket-demo/p\nsteps:\n  f: { type: lambda, function: \"arn:aws:lambda:us-east-1:111122223333:function:f\" }\n", "plain.yaml");
    expect(lowerFor(plain.pipeline!, { airflow: line }).files.map((f) => f.kind)).toEqual(["dag", "requirements"]);
  });

  test("requirements.txt equals the golden file", async () => {
    const r = lowerFor(await loadFixture("abalone"), { airflow: line });
    expect(r.files.find((f) => f.kind === "requirements")!.contents).toBe(readFileSync(join(GOLDEN, `requirements.af${line}.txt`), "utf8"));
  });
});

test("the Airflow 3 profile imports from airflow.sdk and the standard provider only (no Airflow 2 paths)", async () => {
  const files = lowerFor(await loadFixture("churn"), { airflow: "3" }).files;
  const text = files.map((f) => f.contents).join("\n");
  expect(files[0].contents).toContain("from airflow.sdk import DAG, Param, TaskGroup\n");
  expect(files[1].contents).toContain("from airflow.sdk import PokeReturnValue, Variable\n");
  expect(text).not.toMatch(/from airflow import|airflow\.operators\.|airflow\.models\.|airflow\.sensors\.|airflow\.utils\.|execution_date|schedule_interval/);
  const found = ruff.check(text).filter((d) => asksForAirflow3(d));
  expect(found).toEqual([]);
});

test("the same input gives byte-identical output under another time zone and locale", async () => {
  const p = await loadFixture("abalone");
  const before = lowerFor(p).files[0].contents;
  const tz = process.env.TZ;
  process.env.TZ = "Asia/Kolkata";
  try {
    expect(lowerFor(await loadFixture("abalone")).files[0].contents).toBe(before);
  } finally {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
});
