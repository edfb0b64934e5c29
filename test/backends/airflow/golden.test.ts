/**
 * The fixtures' DAG files against hand-checked golden files, and ruff (in
 * Node, via WebAssembly) finds nothing in them: E, F and the Airflow rules
 * (for the Airflow 2 profile the Airflow-3 migration rules are left out, since
 * they ask for Airflow 3 imports), and `ruff format` leaves them unchanged.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ruffWorkspace } from "./support/ruff.js";
import { describe, expect, test } from "vitest";
import { ROOT } from "../../support/python-env.js";
import { loadFixture, lowerFor } from "./support/fixtures.js";

const GOLDEN = join(ROOT, "test", "backends", "airflow", "golden");
const ruff = ruffWorkspace();

describe.each(["2", "3"])("Airflow %s profile", (line) => {
  test.each(["abalone", "churn"])("%s: DAG file equals the golden file, lints clean and is formatted", async (name) => {
    const p = await loadFixture(name);
    const r = lowerFor(p, { airflow: line });
    const dag = r.files.find((f) => f.kind === "dag")!;
    expect(dag.path).toBe(`dags/${p.name}.py`);
    expect(dag.contents).toBe(readFileSync(join(GOLDEN, `${name}.af${line}.py`), "utf8"));
    const findings = ruff
      .check(dag.contents)
      .filter((d) => !(line === "2" && (d.code ?? "").startsWith("airflow3-")))
      .map((d) => `${d.start_location.row}:${d.start_location.column} ${d.code} ${d.message}`);
    expect(findings).toEqual([]);
    expect(ruff.format(dag.contents)).toBe(dag.contents);
    expect(dag.contents).toMatch(/^[\x0a\x20-\x7e]*$/);
  });

  test("requirements.txt equals the golden file", async () => {
    const r = lowerFor(await loadFixture("abalone"), { airflow: line });
    expect(r.files.find((f) => f.kind === "requirements")!.contents).toBe(readFileSync(join(GOLDEN, `requirements.af${line}.txt`), "utf8"));
  });
});

test("the Airflow 3 profile imports from airflow.sdk and the standard provider only (no Airflow 2 paths)", async () => {
  const text = lowerFor(await loadFixture("churn"), { airflow: "3" }).files[0].contents;
  expect(text).toContain("from airflow.sdk import DAG, Param, PokeReturnValue");
  expect(text).not.toMatch(/from airflow import|airflow\.operators\.|airflow\.models\.|airflow\.sensors\.|execution_date|schedule_interval/);
  const found = ruff.check(text).filter((d) => (d.code ?? "").startsWith("airflow3-"));
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
