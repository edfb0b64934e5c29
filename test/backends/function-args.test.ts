/**
 * A function's argument that is a step output's location (a notebook's
 * output, say) lifts back as that output on Step Functions and Airflow, so the
 * lifted pipeline prints; text built from parts inside a function's argument,
 * which no pipeline expression writes, is refused by name instead of failing
 * the printer.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import sfn from "../../backends/stepfunctions/index.js";
import airflow from "../../backends/airflow/index.js";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadYamlText } from "../../src/frontends/load.js";
import { printYaml } from "../../src/frontends/yaml/print.js";
import { lower } from "./stepfunctions/support.js";
import { dagText } from "./airflow/support/fixtures.js";

const YAML = `version: 1
pipeline: nb-tell
region: us-east-1
role: arn:aws:iam::111122223333:role/R
artifacts: s3://bucket-1/p
steps:
  nb:
    type: notebook
    notebook: notebooks/explore.ipynb
    image: sklearn:1.2-1
    instance: ml.m5.large
  tell:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: arn:aws:sns:us-east-1:111122223333:t
      Message: "\${{ json(steps.nb.outputs.output) }}"
      Subject: "at \${{ steps.nb.outputs.output }}"
`;

const dir = mkdtempSync(join(tmpdir(), "sy-fnargs-"));
mkdirSync(join(dir, "notebooks"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "notebooks", "explore.ipynb"), JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));

function pipeline() {
  const r = loadYamlText(YAML, join(dir, "nb-tell.yaml"), dir);
  expect(r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
  return r.pipeline!;
}

const errors = (r: { diagnostics: Array<{ severity: string }> }) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d as never));

describe("a step output inside a function's argument", () => {
  test("Step Functions: lifted back as the output, and printed", () => {
    const r = sfn.lift!({ file: "m.asl.json", text: JSON.stringify(lower(pipeline()).definition, null, 2) });
    expect(errors(r)).toEqual([]);
    expect(printYaml(r.pipeline!)).toContain("Message: ${{ json(steps.nb.outputs.output) }}");
  });

  test("Airflow: lifted back as the output, and printed", () => {
    const r = airflow.lift!({ file: "nb_tell.py", text: dagText(pipeline()), given: { artifacts: "s3://bucket-1/p" } });
    expect(errors(r)).toEqual([]);
    const text = printYaml(r.pipeline!);
    expect(text).toContain("Message: ${{ json(steps.nb.outputs.output) }}");
    expect(text).toContain("Subject: at ${{ steps.nb.outputs.output }}");
  });

  test("Step Functions: other text built from parts inside a function is refused by name", () => {
    const m = {
      StartAt: "Tell",
      States: { Tell: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", "Message.$": "States.JsonToString(States.Format('run {}', $.id))" }, End: true } },
    };
    const r = sfn.lift!({ file: "m.asl.json", text: JSON.stringify(m, null, 2) });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "$.States.Tell.Parameters['Message.$']: States.JsonToString(States.Format('run {}', $.id)): States.JsonToString's argument is text built from parts, which a pipeline expression cannot write inside a function",
    ]);
  });
});
