/**
 * Lifting SageMaker definitions back to the IR: every corpus file is lifted or
 * refused with errors naming each construct and its JSON path; lifting then
 * lowering gives a semantically equal definition.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import backend from "../../../backends/sagemaker/index.js";
import { normaliseJoins } from "../../../backends/sagemaker/lift/residual.js";
import { parseIsoDuration } from "../../../backends/sagemaker/lift/steps.js";
import { CORPUS, fixture, lower } from "./support/load.js";
import { loadPipelineFile } from "../../../src/frontends/load.js";
import { correctedValidator } from "./support/schema.js";

const read = (f: string) => readFileSync(join(CORPUS, f), "utf8");
const liftFile = (f: string) => backend.lift!({ file: f, text: read(f) });

const LIFTED = [
  "airflow-systest-31-nested-conditions.json",
  "aws-samples-dynamic-framework-two-models-register-transform.json",
  "sagemaker-examples-abalone-condition-register-transform-fail.json",
  "sagemaker-examples-lambda-step-deploy-endpoint.json",
  "sagemaker-examples-local-mode-repack-model.json",
  "sdk-unittest-callback-outputs.json",
  "sdk-unittest-emr-steps.json",
];

type J = Record<string, any>;

/** Members lowering adds that the SDK left out; all are the API's defaults (or an empty map). */
const DEFAULT_MEMBERS = new Set(["StoppingCondition", "AppManaged", "S3InputMode", "S3DataDistributionType", "S3CompressionType", "S3UploadMode", "TrainingInputMode", "VolumeSizeInGB", "InstanceCount", "Environment", "S3DataType"]);

/** Members of `a` missing or different in `b` (`b` may have more). */
function notIn(a: unknown, b: unknown, path: string, extra: string[]): string[] {
  if (a !== null && typeof a === "object" && !Array.isArray(a) && b !== null && typeof b === "object" && !Array.isArray(b)) {
    for (const k of Object.keys(b as J)) if (!(k in (a as J))) extra.push(k);
    return Object.entries(a as J).flatMap(([k, v]) => notIn(v, (b as J)[k], `${path}/${k}`, extra));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((v, i) => notIn(v, b[i], `${path}/${i}`, extra));
  return isDeepStrictEqual(a, b) ? [] : [path];
}

function flatSteps(steps: J[], out: J[] = []): J[] {
  for (const s of steps) {
    out.push(s);
    if (s.Type === "Condition") flatSteps([...(s.Arguments.IfSteps ?? []), ...(s.Arguments.ElseSteps ?? [])], out);
  }
  return out;
}

/** Steps a step waits for: DependsOn and the steps its values read (the service orders by both). */
function waitsFor(s: J): string[] {
  const text = JSON.stringify({ a: s.Arguments, f: s.FunctionArn, q: s.SqsQueueUrl });
  const refs = [...text.matchAll(/"Steps\.([A-Za-z0-9_-]+)\./g)].map((m) => m[1]);
  return [...new Set([...(s.DependsOn ?? []), ...refs])].filter((x) => x !== s.Name).sort();
}

/** The parts of a step the service acts on, in a canonical form. */
function envelope(s: J): J {
  const retry = (s.RetryPolicies ?? []).map((r: J) => ({ ...r, ExceptionType: [r.ExceptionType].flat().sort() }));
  const types = retry.flatMap((r: J) => r.ExceptionType).sort();
  return {
    Type: s.Type,
    WaitsFor: s.Type === "Condition" ? waitsFor({ ...s, Arguments: s.Arguments.Conditions }) : waitsFor(s),
    DisplayName: s.DisplayName,
    Description: s.Description,
    Retry: retry.length ? { n: retry[0].MaxAttempts, i: retry[0].IntervalSeconds, b: retry[0].BackoffRate, types } : undefined,
    Cache: s.CacheConfig?.Enabled ? parseIsoDuration(s.CacheConfig.ExpireAfter) : undefined,
    PropertyFiles: s.PropertyFiles,
    FunctionArn: s.FunctionArn,
    SqsQueueUrl: s.SqsQueueUrl,
    OutputParameters: s.OutputParameters?.map((o: J) => ({ OutputName: o.OutputName, OutputType: o.OutputType ?? "String" })),
    Branches: s.Type === "Condition" ? [s.Arguments.IfSteps.map((x: J) => x.Name), s.Arguments.ElseSteps.map((x: J) => x.Name)] : undefined,
    Conditions: s.Type === "Condition" ? normaliseJoins(s.Arguments.Conditions) : undefined,
  };
}

function compare(original: J, relowered: J) {
  expect(relowered.Parameters).toEqual(original.Parameters ?? []);
  const a = flatSteps(original.Steps);
  const b = flatSteps(relowered.Steps);
  expect(b.map((s) => s.Name)).toEqual(a.map((s) => s.Name));
  expect(relowered.Steps.map((s: J) => s.Name)).toEqual(original.Steps.map((s: J) => s.Name));
  const extra: string[] = [];
  for (const [i, s] of a.entries()) {
    expect(envelope(b[i]), s.Name).toEqual(envelope(s));
    if (s.Type === "Condition") continue;
    expect(notIn(normaliseJoins(s.Arguments), normaliseJoins(b[i].Arguments), s.Name, extra), s.Name).toEqual([]);
  }
  expect([...new Set(extra)].filter((k) => !DEFAULT_MEMBERS.has(k))).toEqual([]);
}

describe("lifting the corpus", () => {
  it("recognises every corpus file and nothing else", () => {
    for (const f of [...LIFTED, "sdk-unittest-all-condition-operators.json"]) expect(backend.canLift!({ file: f, text: read(f) })).toBe(true);
    expect(backend.canLift!({ file: "x.json", text: '{"StartAt": "A", "States": {}}' })).toBe(false);
    expect(backend.canLift!({ file: "x.yaml", text: "version: 1" })).toBe(false);
  });

  it.each(LIFTED)("%s: lifts, and lowers back to an equal definition", (f) => {
    const r = liftFile(f);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.pipeline!.source.format).toBe("lifted");
    const out = backend.lower(r.pipeline!, { baseDir: CORPUS, options: {} });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const relowered = JSON.parse(out.files[0].contents);
    expect(correctedValidator()(relowered)).toBe(true);
    compare(JSON.parse(read(f)), relowered);
  });

  it("refuses what the IR cannot say, naming each construct, its JSON path and position", () => {
    const tuning = liftFile("sagemaker-examples-tuning-step-top-model.json");
    expect(tuning.pipeline).toBeUndefined();
    // top_k 0 is the tuning step's model (its S3OutputPath matches); the second best has no reference in the format.
    expect(tuning.diagnostics.map((d) => `${d.pos!.line}:${d.pos!.col} ${d.message}`)).toEqual([
      "1:5483 the property reference 'Steps.HPTuning.TrainingJobSummaries[1].TrainingJobName' (at JSON path /Steps/3/Arguments/PrimaryContainer/ModelDataUrl/Std:Join/Values/2) has no equivalent in the pipeline format",
    ]);
    const text = read("sagemaker-examples-tuning-step-top-model.json");
    expect(text.slice(5482, 5489)).toBe('{"Get":');
    expect(liftFile("sagemaker-examples-quality-clarify-check-steps.json").diagnostics.map((d) => d.message)).toEqual([
      "the property reference 'Steps.ModelQualityCheckStep.CalculatedBaselineStatistics' (at JSON path /Steps/10/Arguments/IfSteps/0/Arguments/ModelMetrics/ModelQuality/Statistics/S3Uri) has no equivalent in the pipeline format",
    ]);
    expect(liftFile("sdk-unittest-all-condition-operators.json").diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toContain(
      "a passthrough step has no 'job_name': steps.MyStep0.job_name",
    );
  });

  it("gives line and column of the JSON node in multi-line files", () => {
    const text = '{\n  "Version": "2020-12-01",\n  "Steps": [\n    {"Name": "A", "Type": "Fail", "Arguments": {"ErrorMessage": {"Get": "Execution.PipelineArn"}}}\n  ]\n}\n';
    const r = backend.lift!({ file: "p.json", text });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.pos!.file}:${d.pos!.line}:${d.pos!.col}`)).toEqual(["p.json:4:65"]);
  });
});

describe("our own output", () => {
  it.each(["abalone.yaml", "churn.yaml", "kinds.yaml"])("%s: lower, lift, lower again gives the same definition", async (f) => {
    const p = f === "kinds.yaml" ? (await loadPipelineFile(join(__dirname, "data", f))).pipeline! : await fixture(f);
    // A lifted notebook is a training job (there is no local notebook to upload), so its output has no reference; see below.
    for (const s of p.steps) if (s.kind === "approval") delete s.message.notebook;
    const first = lower(p).files[0].contents;
    const r = backend.lift!({ file: "pipeline.json", text: first });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const again = backend.lower(r.pipeline!, { baseDir: ".", options: {} });
    compare(JSON.parse(first), JSON.parse(again.files[0].contents));
  });

  it("refuses a reference to a notebook's output (lifted notebooks are training jobs)", async () => {
    const p = (await loadPipelineFile(join(__dirname, "data", "kinds.yaml"))).pipeline!;
    const r = backend.lift!({ file: "pipeline.json", text: lower(p).files[0].contents });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "the property reference 'Steps.report.OutputDataConfig.S3OutputPath' (at JSON path /Steps/4/Arguments/notebook) has no equivalent in the pipeline format",
    ]);
  });

  it("never throws: any JSON gives a pipeline or diagnostics", () => {
    const step = fc.record({ Name: fc.oneof(fc.string(), fc.constant("S1")), Type: fc.constantFrom("Processing", "Training", "Tuning", "Transform", "Model", "RegisterModel", "Condition", "Fail", "Lambda", "Callback", "EMR", "X"), Arguments: fc.oneof(fc.jsonValue(), fc.constant({})) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ Version: fc.constant("2020-12-01"), Steps: fc.array(fc.oneof(step, fc.jsonValue()), { maxLength: 4 }), Parameters: fc.jsonValue() }, { requiredKeys: ["Steps"] })), (doc) => {
        const r = backend.lift!({ file: "f.json", text: JSON.stringify(doc) });
        expect(r.pipeline !== undefined || r.diagnostics.some((d) => d.severity === "error")).toBe(true);
        expect(r.diagnostics.filter((d) => d.code === "lift-internal")).toEqual([]);
      }),
      { numRuns: 1000, seed: 11 },
    );
    expect(backend.lift!({ file: "f.json", text: "{" }).diagnostics[0].message).toMatch(/^not JSON/);
  });
});
