/** Printing IR back as TypeScript: hand-checked output, and reading it back gives the same IR. */
import { readFileSync, copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadPipelineFile, loadYamlText } from "../../../src/frontends/load.js";
import { camelCase, stepVariableNames } from "../../../src/frontends/typescript/names.js";
import { printTypeScript } from "../../../src/frontends/typescript/print.js";
import { comparable, show, tempFiles } from "./support.js";

describe("printTypeScript", () => {
  test("abalone.yaml prints as the hand-checked golden file", async () => {
    const y = await loadPipelineFile("fixtures/abalone.yaml");
    expect(printTypeScript(y.pipeline!)).toBe(readFileSync("test/frontends/typescript/golden/abalone.printed.ts", "utf8"));
  });

  for (const f of ["abalone", "churn"]) {
    test(`${f}.yaml printed as TypeScript reads back to the same IR`, async () => {
      const y = await loadPipelineFile(`fixtures/${f}.yaml`);
      const dir = tempFiles({ "pipeline.ts": printTypeScript(y.pipeline!) });
      mkdirSync(join(dir, "scripts"));
      for (const s of ["preprocessing.py", "evaluation.py", "features.py"]) copyFileSync(`fixtures/scripts/${s}`, join(dir, "scripts", s));
      const back = await loadPipelineFile(join(dir, "pipeline.ts"));
      expect(show(back.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
      expect(comparable(back.pipeline)).toEqual(comparable(y.pipeline));
    });
  }

  test("a failure handler's reads of the failure print as failure.Error / .Cause / .whole and read back to the same IR", async () => {
    const text = [
      "version: 1\npipeline: p\nregion: us-east-1\nartifacts: s3://bucket-p/x\nsteps:",
      "  score:\n    type: lambda\n    function: arn:aws:lambda:us-east-1:111122223333:function:score\n    payload: { a: 1 }\n    on_failure: [tell]",
      "  tell:\n    type: aws\n    service: sns\n    action: Publish",
      '    request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Subject: "${{ failure.Error }}", Message: "${{ failure }}", MessageAttributes: { cause: { DataType: String, StringValue: "${{ failure.Cause }}" } } }',
      "",
    ].join("\n");
    const y = loadYamlText(text, "p.yaml");
    expect(show(y.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
    const printed = printTypeScript(y.pipeline!);
    expect(printed).toContain("Subject: failure.Error,");
    expect(printed).toContain("Message: failure.whole,");
    expect(printed).toContain("StringValue: failure.Cause");
    const back = await loadPipelineFile(join(tempFiles({ "pipeline.ts": printed }), "pipeline.ts"));
    expect(show(back.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
    expect(comparable(back.pipeline).steps).toEqual(comparable(y.pipeline).steps);
  });

  test("the logical date and a schedule with intervals print and read back to the same IR; the DSL's execution.logical_date is that reference", async () => {
    const text = [
      "version: 1\npipeline: p\nregion: us-east-1\nartifacts: s3://bucket-p/x",
      'schedule: { cron: "30 2 * * *", intervals: true }',
      "steps:",
      "  tell:\n    type: aws\n    service: sns\n    action: Publish",
      '    request: { TopicArn: "arn:aws:sns:us-east-1:111122223333:t", Subject: "${{ execution.logical_date }}", Message: "dt=${{ execution.logical_date_nodash }}" }',
      "",
    ].join("\n");
    const y = loadYamlText(text, "p.yaml");
    expect(show(y.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
    expect(y.pipeline!.schedule?.intervals).toBe(true);
    const printed = printTypeScript(y.pipeline!);
    expect(printed).toContain("intervals: true");
    expect(printed).toContain("Subject: execution.logical_date,");
    const back = await loadPipelineFile(join(tempFiles({ "pipeline.ts": printed }), "pipeline.ts"));
    expect(show(back.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
    expect(comparable(back.pipeline)).toEqual(comparable(y.pipeline));
  });

  test("repeated calls, named errors and the expression functions print and read back to the same IR", async () => {
    const y = await loadPipelineFile("test/report/fixtures/migration-features.yaml");
    const printed = printTypeScript(y.pipeline!);
    // A step's own response, in its repeat condition, is read by id: its variable is not declared yet.
    expect(printed).toContain('until: expr<"boolean">("exists(steps.status.response.QueryExecution.Status.CompletionDateTime)"),');
    expect(printed).toContain(`Subject: expr("item(split(steps.status.response.QueryExecution.WorkGroup, '-'), 0)"),`);
    expect(printed).toContain('error: "QueryFailed",');
    const back = await loadPipelineFile(join(tempFiles({ "pipeline.ts": printed }), "pipeline.ts"));
    expect(show(back.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
    expect(comparable(back.pipeline)).toEqual(comparable(y.pipeline));
    // In the DSL itself a repeat condition names its step with responseOf().
    const dsl = [
      'import { awsCall, eq, pipeline, responseOf } from "switchyard";',
      "const status = awsCall(\"status\", {",
      '  service: "glue", action: "GetJobRun", request: { JobName: "nightly", RunId: "jr_1" },',
      '  repeat: { until: eq(responseOf("status", "JobRun.JobRunState"), "SUCCEEDED"), interval: "30s" },',
      "});",
      'export default pipeline({ name: "p", region: "us-east-1", artifacts: "s3://bucket-p/x", steps: [status] });',
    ].join("\n");
    const read = await loadPipelineFile(join(tempFiles({ "pipeline.ts": dsl }), "pipeline.ts"));
    expect(show(read.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
    const yaml = loadYamlText(
      "version: 1\npipeline: p\nregion: us-east-1\nartifacts: s3://bucket-p/x\nsteps:\n  status:\n    type: aws\n    service: glue\n    action: GetJobRun\n    request: { JobName: nightly, RunId: jr_1 }\n    repeat: { until: \"${{ steps.status.response.JobRun.JobRunState == 'SUCCEEDED' }}\", interval: 30s }\n",
      "p.yaml",
    );
    expect(comparable(read.pipeline).steps).toEqual(comparable(yaml.pipeline).steps);
  });

  test("a job's added request members, named errors on a handler and the pipeline's name print and read back to the same IR", async () => {
    const yaml = [
      "version: 1",
      "pipeline: t",
      "role: arn:aws:iam::111122223333:role/R",
      "region: us-east-1",
      "artifacts: s3://bucket-t/x",
      "parameters: { debug: { type: string, default: 's3://bucket-t/debug' } }",
      "steps:",
      "  train:",
      "    type: training",
      "    image: xgboost:1.7-1",
      "    instance: ml.m5.large",
      '    request: { DebugHookConfig: { S3OutputPath: "${{ params.debug }}/${{ execution.pipeline_name }}", CollectionConfigurations: [] } }',
      "    on_failure: { steps: [stop], errors: [ResourceFailed] }",
      "  stop:",
      "    type: fail",
      '    message: "failed in ${{ execution.pipeline_name }}"',
    ].join("\n");
    const y = loadYamlText(yaml, "t.yaml");
    expect(show(y.diagnostics)).toEqual([]);
    const printed = printTypeScript(y.pipeline!);
    expect(printed).toContain("execution.pipeline_name");
    expect(printed).toContain("request: {");
    const back = await loadPipelineFile(join(tempFiles({ "pipeline.ts": printed }), "pipeline.ts"));
    expect(show(back.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
    expect(comparable(back.pipeline)).toEqual(comparable(y.pipeline));
  });

  test("a failure let pass prints as `{ ends: \"continues\" }` (no steps) and reads back to the same IR", async () => {
    const yaml = [
      "version: 1\npipeline: t\nregion: us-east-1\nartifacts: s3://bucket-t/x\nsteps:",
      "  crawl:\n    type: aws\n    service: glue\n    action: StartCrawler\n    request: { Name: raw }",
      "    on_failure: { errors: [Glue.CrawlerRunningException], ends: continues }",
      "  tidy:\n    type: wait\n    seconds: 1\n    depends_on: [crawl]\n    on_failure: { ends: continues }",
    ].join("\n");
    const y = loadYamlText(yaml, "t.yaml");
    expect(show(y.diagnostics)).toEqual([]);
    const printed = printTypeScript(y.pipeline!);
    expect(printed).toContain('on_failure: { ends: "continues" }');
    expect(printed).toContain('on_failure: { errors: ["Glue.CrawlerRunningException"], ends: "continues" }');
    const back = await loadPipelineFile(join(tempFiles({ "pipeline.ts": printed }), "pipeline.ts"));
    expect(show(back.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
    expect(comparable(back.pipeline)).toEqual(comparable(y.pipeline));
  });

  test("text with line breaks, backticks, `${` and `${{` survives in fmt templates and strings", async () => {
    const yaml = [
      "version: 1",
      "pipeline: t",
      "region: us-east-1",
      "artifacts: s3://bucket-t/x",
      "parameters: { x: { type: string } }",
      "steps:",
      "  f:",
      "    type: fail",
      '    message: "a\\n  `b` ${c} \\\\ $${{ d ${{ params.x }}\\n"',
      "  g:",
      "    type: fail",
      '    message: "line\\n  two $${{ not an expression }}"',
    ].join("\n");
    const y = loadYamlText(yaml, "t.yaml");
    expect(show(y.diagnostics)).toEqual([]);
    const printed = printTypeScript(y.pipeline!);
    expect(printed).toContain("message: fmt`a\\u000a  \\`b\\` \\${c} \\\\ \\${{ d ${p.x}\\u000a`");
    expect(printed).toContain('message: "line\\n  two $${{ not an expression }}"');
    const dir = tempFiles({ "pipeline.ts": printed });
    const back = await loadPipelineFile(join(dir, "pipeline.ts"));
    expect(show(back.diagnostics)).toEqual([]);
    expect(comparable(back.pipeline)).toEqual(comparable(y.pipeline));
  });

  test("variables are named after steps, clear of the DSL's names and reserved words", () => {
    expect(camelCase("batch_score")).toBe("batchScore");
    expect(camelCase("a-b_c")).toBe("aBC");
    expect(camelCase("_x")).toBe("_x");
    expect(camelCase("DummyCond")).toBe("dummyCond");
    const { vars, params } = stepVariableNames(["model", "delete", "a_b", "aB", "item", "p"]);
    expect(params).toBe("p");
    expect([...vars.values()]).toEqual(["modelStep", "deleteStep", "aB", "aBStep", "itemStep", "pStep"]);
  });
});
