/**
 * `variables.<name>` in the language: parsed and printed (a name with a dash in brackets), a name
 * no Airflow Variable key and SSM parameter name both allow refused where it is written, the
 * TypeScript DSL's variable("x") read to the same IR and printed back, and SageMaker Pipelines'
 * refusal at the step.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import sagemaker from "../../backends/sagemaker/index.js";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadPipelineFile, loadYamlText } from "../../src/frontends/load.js";
import { printTypeScript } from "../../src/frontends/typescript/print.js";
import { parseExpression } from "../../src/ir/expr/parser.js";
import { printExpr } from "../../src/ir/expr/print.js";
import { comparable, tempFiles } from "../frontends/typescript/support.js";

const at = () => ({ file: "x.yaml", line: 1, col: 1 });
const yaml = (value: string) => `version: 1
pipeline: vars
role: arn:aws:iam::111122223333:role/R
region: eu-west-1
artifacts: s3://vars-bucket/runs
steps:
  tell:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:t", Message: "${value}" }
`;
const errors = (text: string) => loadYamlText(text, "vars.yaml", ".").diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0]);

describe("variables in expressions", () => {
  test.each([
    ["variables.acme_bucket", "variables.acme_bucket"],
    ["variables['run-mode']", "variables['run-mode']"],
    ["variables['env.stage']", "variables['env.stage']"],
    ["variables['plain']", "variables.plain"],
  ])("%s parses to a variable read and prints as %s", (src, printed) => {
    const v = parseExpression(src, at);
    expect(v).toMatchObject({ kind: "ref", ref: { scope: "variables" } });
    expect(printExpr(v)).toBe(printed);
    expect(printExpr(parseExpression(printed, at))).toBe(printed);
  });

  test("a name no variable may have, a path below one, and a bare 'variables' are refused where they are written", () => {
    expect(errors(yaml("${{ variables['a b'] }}"))).toEqual([
      `vars.yaml:11:90: error: invalid expression: variable name "a b": use 1 to 250 letters, digits and _ . - (what an Airflow Variable key and an SSM parameter name both allow)`,
    ]);
    expect(errors(yaml("${{ variables.a.b }}"))).toEqual(["vars.yaml:11:92: error: invalid expression: unexpected '.b' after a complete reference"]);
    expect(errors(yaml("${{ variables }}"))).toEqual(["vars.yaml:11:89: error: invalid expression: incomplete reference: expected a variable's name after 'variables.'"]);
  });

  test("the TypeScript DSL's variable() reads to the same IR as YAML, and the printer writes it", async () => {
    const y = loadYamlText(yaml("curated ${{ variables['run-mode'] }}"), "vars.yaml", ".");
    const printed = printTypeScript(y.pipeline!);
    expect(printed).toContain('variable("run-mode")');
    const dir = tempFiles({ "pipeline.ts": printed });
    mkdirSync(join(dir, "scripts"), { recursive: true });
    copyFileSync("fixtures/scripts/features.py", join(dir, "scripts", "features.py"));
    const back = await loadPipelineFile(join(dir, "pipeline.ts"));
    expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(comparable(back.pipeline)).toEqual(comparable(y.pipeline));
  });

  test("SageMaker Pipelines refuses a variable at the step that reads it", () => {
    const y = loadYamlText(yaml("${{ variables.acme_bucket }}").replace("type: aws\n    service: sns\n    action: Publish\n    request: { TopicArn: \"arn:aws:sns:eu-west-1:111122223333:t\", Message:", "type: training\n    image: xgboost:1.7-1\n    instance: ml.m5.large\n    hyperparameters: { bucket:").replace(" }\n", " }\n    inputs: { train: s3://vars-bucket/train }\n"), "vars.yaml", ".");
    expect(y.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const r = sagemaker.lower(y.pipeline!, { baseDir: ".", options: {} });
    expect(r.files).toEqual([]);
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      "vars.yaml:11:37: error: SageMaker Pipelines cannot read variables.acme_bucket: a pipeline reads no value kept outside it, only its parameters (make it a parameter, given when the run starts)",
    ]);
  });
});
