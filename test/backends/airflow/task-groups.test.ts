/**
 * Task groups of a DAG with a condition inside a condition's branch and a foreach step inside that:
 * groups nest as the branches do, the DAG lints clean and is formatted, and it lifts with no
 * warning back to the same file.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { MAX_GROUP_DEPTH } from "../../../backends/airflow/groups.js";
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

test("conditions nested 120 deep: groups stop at MAX_GROUP_DEPTH, so Python compiles the DAG (20 blocks one inside another at most), and it lifts back to the same file", () => {
  const depth = 120;
  const fn = "arn:aws:lambda:eu-west-1:111122223333:function:f";
  const lines = ["version: 1", "pipeline: deep-branches", "region: eu-west-1", "artifacts: s3://bucket-demo/deep", "parameters:", "  x: { type: integer, default: 1 }", "steps:"];
  for (let i = 0; i < depth; i++) {
    lines.push(`  c${i}:`, "    type: condition", `    if: \${{ params.x > ${i} }}`, `    then: [w${i}, ${i < depth - 1 ? `c${i + 1}` : "leaf"}]`, `    else: [e${i}]`);
    lines.push(`  w${i}:`, "    type: lambda", `    function: ${fn}`, `  e${i}:`, "    type: lambda", `    function: ${fn}`);
  }
  lines.push("  leaf:", "    type: lambda", `    function: ${fn}`);
  const loaded = loadYamlText(lines.join("\n") + "\n", join(ROOT, "fixtures", "deep-branches.yaml"), join(ROOT, "fixtures"));
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const dag = lowerFor(loaded.pipeline!).files[0].contents;
  const groups = dag.split("\n").filter((l) => l.includes("with TaskGroup("));
  // The outermost branches are groups, one inside the other, down to the limit.
  expect(groups).toHaveLength(MAX_GROUP_DEPTH);
  expect(groups.map((l) => l.indexOf("with"))).toEqual(Array.from({ length: MAX_GROUP_DEPTH }, (_, i) => 4 * (i + 1)));
  expect(dag).toContain(`"c${MAX_GROUP_DEPTH - 1}_then"`);
  expect(dag).not.toContain(`"c${MAX_GROUP_DEPTH}_then"`);
  // Compiled, not only parsed: the compiler is what counts nested blocks.
  execFileSync(process.env.SWITCHYARD_PYTHON ?? "python3", ["-c", "import sys; compile(sys.stdin.read(), 'deep.py', 'exec')"], { input: dag });
  const back = airflow.lift!({ file: "deep.py", text: dag, given: { artifacts: "s3://bucket-demo/deep" } });
  expect(back.diagnostics).toEqual([]);
  expect(withoutHash(lowerFor(back.pipeline!).files[0].contents)).toBe(withoutHash(dag));
});
