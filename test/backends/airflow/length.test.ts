/**
 * length() on Airflow: Python's len() where the DAG computes in Python (branch
 * callables, a call's request), Jinja's length filter in templated operator
 * fields; both lifted back to length(). In real Airflow against moto, a
 * listing of three objects takes the branch that counts them and publishes
 * the count.
 */
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { printExpr, printTemplate } from "../../../src/ir/expr/print.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import type { Pipeline, Step } from "../../../src/ir/types.js";
import { airflowWithMoto, runDag } from "./support/airflow.js";
import { dagText } from "./support/fixtures.js";

const TOPIC = "arn:aws:sns:us-east-1:111122223333:arrivals";
/** What a DAG does not say and lifting needs. */
const GIVEN = { artifacts: "s3://arrivals-artifacts/runs" };

/** A pipeline that lists the incoming objects first (its step `list`), then `rest`. */
const listing = (name: string, rest: string) => `version: 1
pipeline: ${name}
region: us-east-1
role: arn:aws:iam::111122223333:role/Jobs
artifacts: s3://arrivals-artifacts/runs
steps:
  list:
    type: aws
    service: s3
    action: ListObjectsV2
    request: { Bucket: arrivals-data, Prefix: incoming/ }
${rest}`;

const YAML = listing(
  "arrivals",
  `  gate:
    type: condition
    if: \${{ length(steps.list.response.Contents) > 2 }}
    then: [tell]
    else: [quiet]
  tell:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: ${TOPIC}, Subject: arrived, Message: "files: \${{ length(steps.list.response.Contents) }}" }
  quiet:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: ${TOPIC}, Subject: quiet, Message: "too few" }
`,
);

/** A job whose environment counts the listing: written in a templated operator field (Jinja). */
const TEMPLATED = listing(
  "counted",
  `  count:
    type: processing
    image: 683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3
    instance: ml.m5.xlarge
    command: [python3, -c, "import os; print(os.environ['FILES'])"]
    environment: { FILES: "\${{ length(steps.list.response.Contents) }}" }
`,
);

function load(text: string): Pipeline {
  const r = loadYamlText(text, "p.yaml", ".");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.pipeline!;
}

const step = (p: Pipeline, id: string) => p.steps.find((s) => s.id === id) as Step & Record<string, any>;

describe("length() lowered for Airflow", () => {
  test("Python's len() in the branch callable and in the request; lifted back, the same expressions", () => {
    const p = load(YAML);
    const dag = dagText(p, { airflow: "2" });
    expect(dag).toContain(`if operator.gt(len(sy_response(ti, "list", None, "Contents")), 2):`);
    expect(dag).toContain(`"Message": sy_cat(\n                "files: ",\n                len(sy_response(ti, "list", None, "Contents")),`);
    const lifted = airflow.lift!({ file: "arrivals.py", text: dag, given: GIVEN });
    expect(lifted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(printExpr(step(lifted.pipeline!, "gate").if)).toBe("length(steps.list.response.Contents) > 2");
    expect(printTemplate(step(lifted.pipeline!, "tell").request.Message)).toBe("files: ${{ length(steps.list.response.Contents) }}");
  });

  test("Jinja's length filter in a templated field; lifted back, the same expression", () => {
    const p = load(TEMPLATED);
    const dag = dagText(p, { airflow: "2" });
    expect(dag).toContain(`"FILES": "{{ (sy_response(ti, 'list', none, 'Contents') | length) }}"`);
    const lifted = airflow.lift!({ file: "counted.py", text: dag, given: GIVEN });
    expect(lifted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(printTemplate(step(lifted.pipeline!, "count").environment.FILES)).toBe("${{ length(steps.list.response.Contents) }}");
  });
});

/** A dag.test() run starts Airflow and talks to moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: length() in real Airflow against moto", (line) => {
  const p = load(YAML);
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line }) }), DAG_RUN_TIMEOUT);

  test(
    "three objects listed: the branch that counts them runs and publishes 'files: 3'; the other is skipped",
    () => {
      const objects = ["a.csv", "b.csv", "c.csv"].map((k) => ({ uri: `s3://arrivals-data/incoming/${k}`, body: "x" }));
      const r = runDag(env, p, line, { objects, topics: [{ name: "arrivals", queue: "arrivals-seen" }] });
      expect(r.tasks).toEqual({ list: "success", gate: "success", tell: "success", quiet: "skipped" });
      expect(r.published.arrivals.map((m: { Subject: string; Message: string }) => [m.Subject, m.Message])).toEqual([["arrived", "files: 3"]]);
    },
    DAG_RUN_TIMEOUT,
  );
});
