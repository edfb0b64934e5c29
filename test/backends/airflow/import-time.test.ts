/**
 * A DAG large enough that MWAA may not import it in time is said at compile time, from the import
 * times measured in limits.ts (bench/airflow-parse.mjs).
 */
import { describe, expect, test } from "vitest";
import { importSeconds } from "../../../backends/airflow/limits.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { lowerFor } from "./support/fixtures.js";

/** A pipeline of one Lambda step run once per item: `tasks` tasks. */
function fanOut(tasks: number, line = "2") {
  const r = loadYamlText(
    `version: 1
pipeline: wide
role: arn:aws:iam::111122223333:role/R
region: eu-west-1
artifacts: s3://bucket-demo/wide
steps:
  call:
    type: lambda
    function: f
    foreach: [${Array.from({ length: tasks }, (_, i) => `{ n: ${i} }`).join(", ")}]
    payload: { n: "\${{ item.n }}" }
`,
    "wide.yaml",
  );
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return lowerFor(r.pipeline!, { airflow: line }).diagnostics.filter((d) => d.code === "airflow-import-time").map((d) => formatDiagnostic(d));
}

describe("DagBag import time", () => {
  test("the estimate is the line's measure where there is one, and a straight line between measures", () => {
    expect(importSeconds("2", 1000)).toBeCloseTo(0.84);
    expect(importSeconds("2", 10000)).toBeCloseTo(19);
    expect(importSeconds("3", 10000)).toBeCloseTo(32.3);
    expect(importSeconds("2", 5500)).toBeCloseTo(0.84 + (4500 * 18.16) / 9000);
    // Past the last measure the last line goes on.
    expect(importSeconds("2", 20000)).toBeCloseTo(19 + 18.16 * (10000 / 9000));
  });

  test("a DAG whose import would take a third of MWAA's 30 s timeout or more is said, with the settings to raise", () => {
    // Airflow 2: about 9.9 s and 10.1 s.
    expect(fanOut(5500)).toEqual([]);
    expect(fanOut(5600)).toEqual([
      "wide.yaml:1:1: warning: the DAG has 5600 tasks: Airflow 2.11.2 takes about 10 s to import a generated DAG this size (measured on a 2-core machine), against MWAA's default DagBag import timeout of 30 s\n  hint: raise core.dagbag_import_timeout and core.dag_file_processor_timeout in the environment's Airflow configuration options",
    ]);
    // Airflow 3 is slower: about 9.6 s and 10.3 s.
    expect(fanOut(3500, "3")).toEqual([]);
    expect(fanOut(3700, "3").map((m) => m.split("\n")[0])).toEqual([
      "wide.yaml:1:1: warning: the DAG has 3700 tasks: Airflow 3.0.6 takes about 10 s to import a generated DAG this size (measured on a 2-core machine), against MWAA's default DagBag import timeout of 30 s",
    ]);
  });
});
