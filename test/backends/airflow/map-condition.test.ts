/**
 * Conditions inside a map on Airflow: the condition is a PythonOperator that
 * returns the task ids it chose, and each branch has a task (`<id>_takes_then`,
 * `<id>_takes_else`) that skips itself unless its branch was chosen, so the
 * branch not taken is skipped in that iteration only. The DAG lifts back to the
 * same condition; in real Airflow 2 and 3, dag.test() runs each item down its
 * own branch (one step reading its iteration's id, `<run id>/<map>/<index>`).
 */
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { airflowWithMoto, runDag } from "./support/airflow.js";
import { dagText, pythonFunction, withoutHash, yamlPipeline } from "./support/fixtures.js";
import { expectLintClean, ruffWorkspace } from "./support/ruff.js";

const ruff = ruffWorkspace();
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:sorted";

const YAML = `version: 1
pipeline: sort-items
region: eu-west-1
artifacts: s3://example-sort-artifacts/runs
steps:
  each:
    type: map
    items: \${{ ['keep-1', 'drop-2', 'keep-3'] }}
    steps: [check]
    result: \${{ item }}
  check:
    type: condition
    if: \${{ matches(item, 'keep-*') }}
    then: [kept, kept_after]
    else: [dropped]
  kept:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "${TOPIC}", Subject: kept, Message: "\${{ item }}" }
    outputs: { MessageId: string }
  kept_after:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "${TOPIC}", Subject: after, Message: "\${{ item }} after \${{ steps.kept.outputs.MessageId }}" }
  dropped:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "${TOPIC}", Subject: dropped, Message: "\${{ item }} in \${{ iteration.id }}" }
  summary:
    type: aws
    service: sns
    action: Publish
    depends_on: [each]
    request: { TopicArn: "${TOPIC}", Subject: summary, Message: "\${{ json(steps.each.results) }}" }
`;

const pipeline = (text = YAML): Pipeline => yamlPipeline(text, "sort-items.yaml");

/** A function of the DAG, from its `def` line to the blank lines after it. */

describe("a condition inside a map, lowered for Airflow", () => {
  const p = pipeline();
  const text = dagText(p);

  test("the condition returns the chosen task ids; a task a branch skips itself unless chosen; the branch's first tasks follow it", () => {
    expect(pythonFunction(text, "check_branch")).toBe(`def check_branch(ti):
    if sy_matches(sy_map_item(ti, "each", ti.map_index), "keep-*"):
        return ["kept", "kept_after"]
    return ["dropped"]`);
    expect(pythonFunction(text, "check_takes_then_check")).toBe(`def check_takes_then_check(ti):
    sy_branch(ti, "check", ["kept", "kept_after"])`);
    expect(pythonFunction(text, "check_takes_else_check")).toBe(`def check_takes_else_check(ti):
    sy_branch(ti, "check", ["dropped"])`);
    expect(text).toContain(`        check = PythonOperator(task_id="check", python_callable=check_branch)\n`);
    expect(text).not.toContain("BranchPythonOperator");
    // No join rule inside a branch: a skipped `takes` task skips the branch's tasks after it.
    expect(text).not.toMatch(/task_id="(kept|kept_after|dropped)",[^)]*trigger_rule/);
    expect(text.slice(text.indexOf("    each >> each_results\n"))).toBe(`    each >> each_results
    check >> [check_takes_then, check_takes_else]
    check_takes_then >> kept >> kept_after >> each_results
    check_takes_else >> dropped >> each_results >> summary
`);
    for (const line of ["2", "3"] as const) expectLintClean(ruff, dagText(p, { airflow: line }), line);
  });

  test("the DAG lifts back to the same condition in the same map, and lowers to the same DAG", () => {
    const r = airflow.lift!({ file: "sort-items.py", text, given: { artifacts: p.artifacts } });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const byId = new Map(r.pipeline!.steps.map((s) => [s.id, s]));
    expect([...byId.keys()].sort()).toEqual(["check", "dropped", "each", "kept", "kept_after", "summary"]);
    const check = byId.get("check") as Extract<Pipeline["steps"][number], { kind: "condition" }>;
    expect([check.kind, check.then, check.else]).toEqual(["condition", ["kept", "kept_after"], ["dropped"]]);
    expect((byId.get("each") as { steps: string[] }).steps).toEqual(["check"]);
    expect(withoutHash(dagText(r.pipeline!))).toBe(withoutHash(text));
  });

  test("a step whose id is the task id a branch's task would take is refused, naming both", () => {
    const clash = YAML.replace("  summary:\n", "  check_takes_else:\n    type: wait\n    seconds: 1\n    depends_on: [each]\n  summary:\n");
    const r = airflow.lower(pipeline(clash), { baseDir: "/p", options: {} });
    expect(r.files).toEqual([]);
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual(["condition step 'check': the task that takes its else branch, 'check_takes_else', has the task id of step 'check_takes_else'"]);
  });
});

const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: a condition inside a map in real Airflow against moto", (line) => {
  const p = pipeline();
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line }) }), DAG_RUN_TIMEOUT);

  test(
    "dag.test(): each item goes down its own branch; the other branch is skipped in that iteration only; the results are gathered",
    () => {
      const r = runDag(env, p, line, { topics: [{ name: "sorted", queue: "sorted-seen" }] });
      expect(r.state).toBe("success");
      expect(r.tasks).toEqual({
        each: "success",
        "check[0]": "success",
        "check[1]": "success",
        "check[2]": "success",
        "check_takes_then[0]": "success",
        "check_takes_then[1]": "skipped",
        "check_takes_then[2]": "success",
        "check_takes_else[0]": "skipped",
        "check_takes_else[1]": "success",
        "check_takes_else[2]": "skipped",
        "kept[0]": "success",
        "kept[1]": "skipped",
        "kept[2]": "success",
        "kept_after[0]": "success",
        "kept_after[1]": "skipped",
        "kept_after[2]": "success",
        "dropped[0]": "skipped",
        "dropped[1]": "success",
        "dropped[2]": "skipped",
        each_results: "success",
        summary: "success",
      });
      const seen = r.published.sorted as Array<{ Subject: string; Message: string; MessageId: string }>;
      const subject = (s: string) => seen.filter((m) => m.Subject === s).map((m) => m.Message).sort();
      expect(subject("kept")).toEqual(["keep-1", "keep-3"]);
      // The iteration's id: the run's, the map's and the map index.
      expect(subject("dropped")).toEqual([`drop-2 in ${r.run_id}/each/1`]);
      // Each iteration's second message names its own first one.
      const kept = seen.filter((m) => m.Subject === "kept");
      expect(subject("after")).toEqual(kept.map((m) => `${m.Message} after ${m.MessageId}`).sort());
      expect(subject("summary")).toEqual([JSON.stringify(["keep-1", "drop-2", "keep-3"])]);
    },
    DAG_RUN_TIMEOUT,
  );
});
