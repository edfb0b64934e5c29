/**
 * `type: function`: a Python function run as a processing job. The generated
 * entry point and arguments are run by real Python here, with the values the
 * job would receive, and the return value lands where conditions read it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stripPositions } from "../../src/ir/values.js";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadPipelineFile } from "../../src/frontends/load.js";
import { printTypeScript } from "../../src/frontends/typescript/print.js";
import { printYaml } from "../../src/frontends/yaml/print.js";
import type { Pipeline, Step } from "../../src/ir/types.js";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "bin", "switchyard.js");
const dir = mkdtempSync(join(tmpdir(), "switchyard-function-"));
writeFileSync(join(dir, "score.py"), "def score(threshold, name, weights, note='-'):\n    return {'passed': threshold > 0.5, 'name': name, 'n': len(weights), 'note': note}\n");
writeFileSync(
  join(dir, "fn.yaml"),
  `version: 1
pipeline: fn
region: us-east-1
role: arn:aws:iam::111122223333:role/r
artifacts: s3://bucket/fn
parameters: { who: { type: string, default: me } }
steps:
  score:
    type: function
    code: score.py
    function: score
    image: sklearn:1.2-1
    instance: ml.m5.large
    arguments: { threshold: 0.7, name: "\${{ params.who }}", weights: [1, 2, 3], note: "it's \\"quoted\\" {x}" }
  gate:
    type: condition
    if: "\${{ steps.score.reports.result.passed == true }}"
    else: [stop]
  stop: { type: fail, message: "score failed for \${{ steps.score.reports.result.name }}" }
`,
);

describe("function steps", () => {
  it("are processing jobs whose bootstrap calls the function and writes its return value as the report 'result'", async () => {
    const r = await loadPipelineFile(join(dir, "fn.yaml"));
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
    const s = (r.pipeline as Pipeline).steps[0];
    expect(s.kind).toBe("processing");
    expect(s).toMatchObject({ outputs: { result: { path: "/opt/ml/processing/output/result" } }, reports: { result: { output: "result", file: "result.json" } } });
  });

  it("real Python runs the entry point and arguments every target sends, with run-time values as text", () => {
    const out = join(dir, "out");
    const c = spawnSync(process.execPath, [CLI, "compile", join(dir, "fn.yaml"), "--target", "all", "--out", out], { encoding: "utf8" });
    expect(c.stderr).toBe("");
    expect(c.status).toBe(0);
    const app = JSON.parse(readFileSync(join(out, "sagemaker", "pipeline.json"), "utf8")).Steps[0].Arguments.AppSpecification;
    const [python, ...entry] = app.ContainerEntrypoint as string[];
    expect(entry.at(-1)).toBe("/opt/ml/processing/input/code/score.py");
    // What the job receives: the script where the code input puts it, the parameter's value joined in.
    const args = (app.ContainerArguments as unknown[]).map((a) => (typeof a === "string" ? a : "text:me"));
    const resultDir = join(dir, "result");
    execFileSync(python, [...entry.slice(0, -1), join(dir, "score.py"), ...args], { env: { ...process.env, SWITCHYARD_RESULT_DIR: resultDir } });
    expect(JSON.parse(readFileSync(join(resultDir, "result.json"), "utf8"))).toEqual({ passed: true, name: "me", n: 3, note: `it's "quoted" {x}` });
    // Step Functions and Airflow send the same entry point.
    const asl = readFileSync(join(out, "stepfunctions", "state-machine.asl.json"), "utf8");
    expect(asl).toContain(JSON.stringify(app.ContainerEntrypoint[2]));
    const dag = readFileSync(join(out, "airflow", "dags", "fn.py"), "utf8");
    expect(dag).toContain("import importlib.util as u, json, os, sys");
  });
});

describe("function steps in TypeScript", () => {
  it("pythonFunction() gives the IR the YAML gives", async () => {
    writeFileSync(
      join(dir, "fn.ts"),
      `import { condition, fail, fmt, params, pipeline, pythonFunction, eq } from "switchyard";
const p = params({ who: { type: "string", default: "me" } });
const score = pythonFunction("score", {
  code: "score.py",
  function: "score",
  image: "sklearn:1.2-1",
  instance: "ml.m5.large",
  arguments: { threshold: 0.7, name: p.who, weights: [1, 2, 3], note: "it's \\"quoted\\" {x}" },
});
export default pipeline({
  name: "fn",
  region: "us-east-1",
  role: "arn:aws:iam::111122223333:role/r",
  artifacts: "s3://bucket/fn",
  parameters: p,
  steps: [score, condition("gate", { if: eq(score.reports.result.get("passed"), true), else: [fail("stop", { message: fmt\`score failed for \${score.reports.result.get("name")}\` })] })],
});
`,
    );
    const ts = await loadPipelineFile(join(dir, "fn.ts"));
    expect(ts.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
    const yaml = await loadPipelineFile(join(dir, "fn.yaml"));
    const plain = (p: Pipeline) => JSON.parse(JSON.stringify(stripPositions({ ...p, source: undefined })));
    expect(plain(ts.pipeline!)).toEqual(plain(yaml.pipeline!));
  });
});

describe("function steps printed", () => {
  const plain = (p: Pipeline | undefined) => p && JSON.parse(JSON.stringify(stripPositions({ ...p, source: undefined })));
  const pipelineWith = (extra: string) => `version: 1
pipeline: fnp
region: us-east-1
role: arn:aws:iam::111122223333:role/r
artifacts: s3://bucket/fn
parameters: { who: { type: string, default: me } }
steps:
  score:
    type: function
    code: score.py
    function: score
    image: sklearn:1.2-1
    instance: ml.m5.large
    arguments: { threshold: 1.0, name: "\${{ params.who }}", weights: [1, 2.5, { n: -3 }], note: "it's \\"quoted\\" {x}" }
${extra}`;

  it("write `type: function` with the arguments as given, and read back to the same IR", async () => {
    writeFileSync(join(dir, "fnp.yaml"), pipelineWith(""));
    const y = await loadPipelineFile(join(dir, "fnp.yaml"));
    expect(y.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
    // A float stays a float for the function (Python's 1.0, not 1).
    const s = y.pipeline!.steps[0];
    expect(s.kind === "processing" && s.arguments.map((a) => (a.kind === "literal" ? a.value : a.kind))).toEqual(["score", "threshold", "json:1.0", "name", "join", "weights", 'json:[1,2.5,{"n":-3}]', "note", `json:"it's \\"quoted\\" {x}"`]);
    const yaml = printYaml(y.pipeline!);
    expect(yaml).toContain(`  score:
    type: function
    image: sklearn:1.2-1
    instance:
      type: ml.m5.large
    code: score.py
    function: score
    arguments:
      threshold: 1.0
      name: \${{ params.who }}
      weights:
        - 1
        - 2.5
        - n: -3
      note: it's "quoted" {x}
`);
    const ts = printTypeScript(y.pipeline!);
    expect(ts).toContain(`const score = pythonFunction("score", {
  image: "sklearn:1.2-1",
  instance: { type: "ml.m5.large" },
  code: "score.py",
  function: "score",
  arguments: {
    threshold: 1.0,
    name: p.who,
    weights: [1, 2.5, { n: -3 }],
    note: "it's \\"quoted\\" {x}",
  },
});`);
    writeFileSync(join(dir, "fnp-back.yaml"), yaml);
    writeFileSync(join(dir, "fnp-back.ts"), ts);
    for (const f of ["fnp-back.yaml", "fnp-back.ts"]) {
      const back = await loadPipelineFile(join(dir, f));
      expect(back.diagnostics.map((d) => formatDiagnostic(d)), f).toEqual([]);
      expect(plain(back.pipeline), f).toEqual(plain(y.pipeline));
    }
  });

  it("stay processing steps when they are not exactly what `type: function` builds", async () => {
    writeFileSync(join(dir, "fnq.yaml"), pipelineWith(""));
    const y = (await loadPipelineFile(join(dir, "fnq.yaml"))).pipeline!;
    const s = y.steps[0] as Extract<Step, { kind: "processing" }>;
    const variants: Array<[string, Partial<typeof s>]> = [
      ["another output", { outputs: { ...s.outputs, more: { path: "/opt/ml/processing/output/more", pos: s.pos } } }],
      ["another command", { command: ["python3", "-c", "print(1)"] }],
      ["an argument the function step does not write", { arguments: [...s.arguments, { kind: "literal", value: "extra", type: "string", pos: s.pos }] }],
      ["a JSON argument written otherwise", { arguments: s.arguments.map((a, i) => (i === 2 ? { ...a, value: "json:1.00" } : a)) as typeof s.arguments }],
      ["no code", { code: undefined }],
    ];
    for (const [what, change] of variants) {
      const p = { ...y, steps: [{ ...s, ...change }] };
      expect(printYaml(p), what).toMatch(/ {2}score:\n {4}type: processing\n/);
      expect(printTypeScript(p), what).toContain('processing("score"');
    }
  });
});
