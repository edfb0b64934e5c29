/**
 * `matches(text, pattern)`: a pattern written out, `*` any text, `\*` and `\\`
 * a literal star and backslash. Step Functions: a StringMatches Choice rule,
 * executed in aws-local-stepfunctions and lifted back; Airflow: sy_matches in
 * Python, with the same meaning; SageMaker refuses it; a pattern known only at
 * run time is a type error.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import sfn from "../../backends/stepfunctions/index.js";
import sagemaker from "../../backends/sagemaker/index.js";
import airflow from "../../backends/airflow/index.js";
import { refusals } from "../../src/backend/refusals.js";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadYamlText } from "../../src/frontends/load.js";
import { printExpr } from "../../src/ir/expr/print.js";
import { findState, lower, run, yaml } from "./stepfunctions/support.js";
import { dagText, helperDefs } from "./airflow/support/fixtures.js";

const PIPELINE = `version: 1
pipeline: model-ready
region: us-east-1
role: arn:aws:iam::111122223333:role/R
artifacts: s3://bucket-1/p
steps:
  look:
    type: aws
    service: lookoutvision
    action: DescribeModel
    request: { ProjectName: parts, ModelVersion: "1" }
  ready:
    type: condition
    depends_on: [look]
    if: \${{ matches(steps.look.response.ModelDescription.Status, '*RUNNING*') or matches(steps.look.response.ModelDescription.Status, 'a\\\\*b\\\\\\\\c') }}
    then: [tell]
    else: [stop]
  tell:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Message: running }
  stop:
    type: fail
    error: NotRunning
    message: the model is not running
`;

describe("matches()", () => {
  test("Step Functions: a StringMatches rule; runs decide as the pattern says", async () => {
    const def = lower(yaml(PIPELINE)).definition;
    expect(findState(def, "ready").Choices[0].Or).toEqual([
      { Variable: "$.steps.look.response.ModelDescription.Status", StringMatches: "*RUNNING*" },
      { Variable: "$.steps.look.response.ModelDescription.Status", StringMatches: "a\\*b\\\\c" },
    ]);
    const status = async (s: string) => (await run(def, {}, { look: () => ({ ModelDescription: { Status: s } }), tell: () => ({ MessageId: "m" }) })).status;
    expect(await status("HOSTING_RUNNING")).toBe("SUCCEEDED");
    expect(await status("STARTING_HOSTING")).toBe("FAILED");
  });

  test("Step Functions: StringMatches lifts back to matches(), and our machine to the same condition", () => {
    const back = sfn.lift!({ file: "m.asl.json", text: JSON.stringify(lower(yaml(PIPELINE)).definition, null, 2) });
    expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const ready = back.pipeline!.steps.find((s) => s.id === "ready") as Extract<(typeof back.pipeline)["steps"][number], { kind: "condition" }>;
    expect(printExpr(ready.if)).toBe("matches(steps.look.response.ModelDescription.Status, '*RUNNING*') or matches(steps.look.response.ModelDescription.Status, 'a\\\\*b\\\\\\\\c')");
  });

  test("Airflow: sy_matches means what StringMatches means; the DAG lifts back", () => {
    const dag = dagText(yaml(PIPELINE));
    expect(dag).toMatch(/^from switchyard_helpers_[0-9a-f]{8} import .*\bsy_matches\b/m);
    const helper = helperDefs(dag, ["sy_matches"]);
    const script = `import json, re\n${helper}\nprint(json.dumps([sy_matches(t, p) for t, p in json.loads(input())]))`;
    const cases: Array<[string, string, boolean]> = [
      ["HOSTING_RUNNING", "*RUNNING*", true],
      ["RUNNING", "*RUNNING*", true],
      ["STARTING", "*RUNNING*", false],
      ["a*b\\c", "a\\*b\\\\c", true],
      ["axb\\c", "a\\*b\\\\c", false],
      ["line\nbreak", "line*", true],
      ["a.b", "a.b", true],
      ["axb", "a.b", false],
      ["", "*", true],
    ];
    const out = JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify(cases.map(([t, p]) => [t, p])), encoding: "utf8" }));
    expect(out).toEqual(cases.map((c) => c[2]));
    const back = airflow.lift!({ file: "model_ready.py", text: dag, given: { artifacts: "s3://bucket-1/p" } });
    expect(back.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    const ready = back.pipeline!.steps.find((s) => s.id === "ready") as { if: Parameters<typeof printExpr>[0] };
    expect(printExpr(ready.if)).toContain("matches(steps.look.response.ModelDescription.Status, '*RUNNING*')");
  });

  test("SageMaker refuses it at its position; a pattern known only at run time is a type error", () => {
    // Each use, at its own position.
    const refused = refusals(sagemaker, yaml(PIPELINE)).filter((d) => d.message.includes("matches()"));
    expect(refused.map((d) => `${d.pos.line}:${d.pos.col}`)).toEqual(["15:13", "15:82"]);
    const r = loadYamlText(PIPELINE.replace("'*RUNNING*'", "steps.look.response.Pattern"), "p.yaml", "/tmp");
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/^p\.yaml:15:\d+: error: matches\(\) takes its pattern written out as text/)]);
  });
});
