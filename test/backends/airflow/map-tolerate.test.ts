/**
 * Maps that tolerate failed iterations, on Airflow: the results task runs once
 * every iteration is done (all_done), counts the map indexes where a task
 * failed, and fails past `count` or `percent` (then the map's failure handlers
 * run); within them a failed iteration's result is None and the run goes on.
 * The DAG lifts back to the same bounds; in real Airflow 2 and 3, dag.test()
 * runs one map within its bound and one past it.
 */
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { stripPositions } from "../../../src/ir/values.js";
import { airflowWithMoto, runDag } from "./support/airflow.js";
import { dagText, pythonFunction, withoutHash, yamlPipeline } from "./support/fixtures.js";
import { expectLintClean, ruffWorkspace } from "./support/ruff.js";

const ruff = ruffWorkspace();
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:checks";

/** Two maps over the same keys, one of them missing: `lenient` tolerates one failed iteration, `strict` 20% of them. */
const YAML = `version: 1
pipeline: object-checks
region: eu-west-1
artifacts: s3://example-checks-artifacts/runs
steps:
${["lenient", "strict"]
  .map(
    (id) => `  ${id}:
    type: map
    items: \${{ ['in/a.csv', 'in/missing.csv', 'in/b.csv'] }}
    steps: [${id}_head]
    tolerate: { ${id === "lenient" ? "count: 1" : "percent: 20"} }
    result: \${{ steps.${id}_head.response.ContentLength }}
    on_failure: [${id}_failed_note]
  ${id}_head:
    type: aws
    service: s3
    action: HeadObject
    request: { Bucket: example-checks-landing, Key: "\${{ item }}" }
  ${id}_after:
    type: aws
    service: sns
    action: Publish
    depends_on: [${id}]
    request: { TopicArn: "${TOPIC}", Subject: ${id}, Message: "\${{ json(steps.${id}.results) }}" }
  ${id}_failed_note:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "${TOPIC}", Subject: ${id} failed, Message: too many objects missing }
`,
  )
  .join("")}`;

const pipeline = (text = YAML): Pipeline => yamlPipeline(text, "object-checks.yaml");

describe("maps that tolerate failed iterations, lowered for Airflow", () => {
  const p = pipeline();

  test("the results task runs once every iteration is done and counts the failed ones against the bound; lint-clean on both lines", () => {
    const two = dagText(p, { airflow: "2" });
    const three = dagText(p, { airflow: "3" });
    expect(pythonFunction(two, "lenient_results_gather")).toBe(`def lenient_results_gather(ti):
    return sy_results(
        ti,
        "lenient",
        lambda index: sy_response(
            sy_ti(ti, index),
            "lenient_head",
            None,
            "ContentLength",
        ),
        failed=sy_tolerated(ti, "lenient", ["lenient_head"], count=1),
    )`);
    // Airflow 3 counts task instances through the API of the run.
    expect(pythonFunction(three, "strict_results_gather")).toContain(`failed=sy_tolerated(ti, run_id, "strict", ["strict_head"], percent=20),`);
    expect(two).toContain(`        task_id="lenient_results",
        python_callable=lenient_results_gather,
        trigger_rule="all_done",`);
    // The map's failure handler follows its results task alone: the iterations' own failures are tolerated.
    expect(two).toContain("lenient_head >> lenient_results >> [lenient_after, lenient_failed_note]\n");
    expectLintClean(ruff, two, "2");
    expectLintClean(ruff, three, "3");
  });

  test("the capability table says how; the DAG lifts back to the same bounds on both lines", () => {
    expect(airflow.capabilities["map.tolerate"].support).toBe("emulated");
    for (const line of ["2", "3"]) {
      const r = airflow.lift!({ file: "object-checks.py", text: dagText(p, { airflow: line }), given: { artifacts: p.artifacts } });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const bounds = Object.fromEntries(r.pipeline!.steps.filter((s) => s.kind === "map").map((s) => [s.id, stripPositions((s as { tolerate?: unknown }).tolerate)]));
      expect(bounds, line).toEqual({ lenient: { count: 1 }, strict: { percent: 20 } });
      expect(withoutHash(dagText(r.pipeline!, { airflow: line })), line).toBe(withoutHash(dagText(p, { airflow: line })));
    }
  });
});

const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: maps that tolerate failed iterations, in real Airflow against moto", (line) => {
  const p = pipeline();
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line }) }), DAG_RUN_TIMEOUT);

  test(
    "dag.test(): one missing object is within the lenient map's bound (its result None, the step after runs) and past the strict map's (its handler runs)",
    () => {
      const objects = ["in/a.csv", "in/b.csv"].map((k) => ({ uri: `s3://example-checks-landing/${k}`, body: `${k} body` }));
      const r = runDag(env, p, line, { objects, topics: [{ name: "checks", queue: "checks-seen" }] });
      // The strict map failed, so the run did.
      expect(r.state).toBe("failed");
      expect(r.tasks).toEqual({
        lenient: "success",
        "lenient_head[0]": "success",
        "lenient_head[1]": "failed",
        "lenient_head[2]": "success",
        lenient_results: "success",
        lenient_after: "success",
        lenient_failed_note: "skipped",
        lenient_failed: "skipped",
        strict: "success",
        "strict_head[0]": "success",
        "strict_head[1]": "failed",
        "strict_head[2]": "success",
        strict_results: "failed",
        strict_after: "upstream_failed",
        strict_failed_note: "success",
        strict_failed: "failed",
      });
      const sizes = ["in/a.csv body".length, null, "in/b.csv body".length];
      expect(r.xcom.lenient_results).toEqual(sizes);
      const seen = r.published.checks as Array<{ Subject: string; Message: string }>;
      expect(seen.map((m) => [m.Subject, m.Message]).sort()).toEqual([
        ["lenient", JSON.stringify(sizes)],
        ["strict failed", "too many objects missing"],
      ]);
    },
    DAG_RUN_TIMEOUT,
  );
});
