/**
 * Task groups of a DAG with a condition inside a condition's branch and a foreach step inside that:
 * groups nest as the branches do, the DAG lints clean and is formatted, and it lifts with no
 * warning back to the same file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { ROOT } from "../../support/python-env.js";
import { lowerFor, withoutHash } from "./support/fixtures.js";
import { asksForAirflow3, ruffWorkspace } from "./support/ruff.js";

const ruff = ruffWorkspace();

const FILE = join(ROOT, "test", "backends", "airflow", "pipelines", "nested-branches.yaml");
const r = loadYamlText(readFileSync(FILE, "utf8"), FILE);

describe.each(["2", "3"])("nested branches (Airflow %s)", (line) => {
  const dag = lowerFor(r.pipeline!, { airflow: line }).files[0].contents;

  test("each branch of two or more tasks is a group inside the branch around it, the copies a group inside that", () => {
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // Each `with` line and task assignment, as indented in the file.
    const outline = dag
      .split("\n")
      .filter((l) => /^ +(with TaskGroup\(|[a-z_0-9]+ = [A-Za-z]+\()/.test(l))
      .map((l) => (l.includes("TaskGroup") ? l : l.replace(/\(.*$/, "")));
    expect(outline).toEqual([
      "    first = LambdaInvokeFunctionOperator",
      "    outer = BranchPythonOperator",
      '    with TaskGroup("outer_then", prefix_group_id=False):',
      "        a = LambdaInvokeFunctionOperator",
      "        inner = BranchPythonOperator",
      '        with TaskGroup("inner_then", prefix_group_id=False):',
      "            b = LambdaInvokeFunctionOperator",
      '            with TaskGroup("c", prefix_group_id=False):',
      "                c_0 = LambdaInvokeFunctionOperator",
      "                c_1 = LambdaInvokeFunctionOperator",
      // `inner`'s else branch and `outer`'s have one task each: no group.
      "        x = LambdaInvokeFunctionOperator",
      "        d = LambdaInvokeFunctionOperator",
      "    e = LambdaInvokeFunctionOperator",
    ]);
    const findings = ruff.check(dag).filter((d) => !(line === "2" && asksForAirflow3(d)));
    expect(findings.map((d) => `${d.start_location.row}: ${d.code} ${d.message}`)).toEqual([]);
    expect(ruff.format(dag)).toBe(dag);
  });

  test("the DAG lifts with no warning to a pipeline that lowers to the same file", () => {
    const back = airflow.lift!({ file: "nested.py", text: dag, given: { artifacts: "s3://bucket-demo/nested" } });
    expect(back.diagnostics).toEqual([]);
    expect(withoutHash(lowerFor(back.pipeline!, { airflow: line }).files[0].contents)).toBe(withoutHash(dag));
  });
});
